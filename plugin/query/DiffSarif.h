//===- DiffSarif.h - The diff as SARIF for code scanning --------*- C++ -*-===//
//
// Renders a diff (as computed by diffGraphs) as a SARIF 2.1.0 log (OASIS),
// the format GitHub code scanning and other review tools ingest to annotate
// a pull request's lines: one result per changed or added function that no
// test reaches (the diff's "untested" list), rule `untested-change`, level
// `warning`, located at the entity's definition (artifactLocation.uri
// relative to the project root, which is the repository root when the
// index was built with --root at it; region.startLine). Each result carries
// the entity id as a partial fingerprint, so an annotation follows the
// entity from run to run.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_DIFFSARIF_H
#define CODEINDEX_PLUGIN_QUERY_DIFFSARIF_H

#include "query/GraphView.h"

#include <string>

namespace codeindex {

/// The SARIF log of D; ToolVersion becomes tool.driver.version.
ojson diffSarif(const ojson &D, const std::string &ToolVersion);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_DIFFSARIF_H
