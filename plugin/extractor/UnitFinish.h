//===- UnitFinish.h - Finishing the units of one TU -------------*- C++ -*-===//
//
// Internal to plugin/extractor. Runs once per TU at the end of the frontend,
// while the SourceManager lives: records every file the TU read (with its
// hash, for incremental runs), attributes macro expansions to the innermost
// entity around them, counts line coverage, applies test detection and
// --tests exclude, and sorts each unit's facts into their final, stable
// order.
//
// Thread-safety: the TU's frontend thread only. Never fails: a file whose
// buffer cannot be read gets no coverage.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_UNITFINISH_H
#define CODEINDEX_PLUGIN_EXTRACTOR_UNITFINISH_H

#include "extractor/GraphBuilder.h"
#include "extractor/TuState.h"

namespace codeindex {

/// Finishes every unit of T (see the file comment); T.Out->Record.Inputs
/// receives the files read. Does nothing if the frontend never started.
void finishTu(TuState &T, GraphBuilder &G);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_UNITFINISH_H
