//===- DiffMarkdown.h - The diff as a pull-request comment ------*- C++ -*-===//
//
// Renders a diff (as computed by diffGraphs) as Markdown for a pull-request
// comment, within a byte budget: GitHub refuses comments over 65,536
// characters (docs/ci.md), and a change to a widely used function has a
// blast radius of thousands. The summary table comes first, then the
// changed entities by blast radius (the largest first, in detail while the
// budget lasts, the rest as a folded table), then renames, additions,
// removals, files and edges; long lists are folded in <details> and cut
// with "… and N more (see the full report)"; no line is longer than a few
// hundred characters. The "Tests to run" section ends the comment and has
// its budget set aside first.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_DIFFMARKDOWN_H
#define CODEINDEX_PLUGIN_QUERY_DIFFMARKDOWN_H

#include "query/GraphView.h"

#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <string>

namespace codeindex {

struct MarkdownOptions {
  /// The most bytes the Markdown takes (0: no limit). At least
  /// MinMarkdownBytes otherwise (runDiff checks).
  size_t MaxBytes = 60000;
  /// Where the full report is: a URL (linked) and/or a file (named).
  std::string ReportUrl, ReportFile;
};

/// The smallest --max-bytes: the summary and one line per section fit.
inline constexpr size_t MinMarkdownBytes = 2048;

/// Renders D within O.MaxBytes bytes.
void printDiffMarkdown(const ojson &D, const MarkdownOptions &O,
                       llvm::raw_ostream &OS);

/// The "Tests to run" section of D within Limit bytes: the test entities
/// that reach the changed code (and tests added or changed).
std::string testsToRunMarkdown(const ojson &D, size_t Limit);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_DIFFMARKDOWN_H
