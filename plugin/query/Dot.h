//===- Dot.h - Graphviz pictures of a code graph ----------------*- C++ -*-===//
//
// `code-indexer export --format dot` draws a focused part of the graph for
// Graphviz (`dot -Tsvg`): either the neighbourhood of one entity (calls,
// references, type uses, inheritance and overrides within --hops of it, in
// both directions) or the include graph of the files under a directory.
// Output is deterministic: nodes and edges are sorted.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_DOT_H
#define CODEINDEX_PLUGIN_DOT_H

#include "query/Query.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace codeindex {

struct DotRequest {
  std::string Db;         ///< index to read, or
  std::string Input;      ///< an export to read
  std::string Focus;      ///< symbol at the centre, or
  std::string IncludeDir; ///< directory whose include graph to draw
  unsigned Hops = 2;
  std::string Output; ///< empty: stdout
};

/// Writes the neighbourhood of Focus within Hops hops.
void writeFocusDot(const GraphView &G, Id Focus, unsigned Hops,
                   llvm::raw_ostream &OS);
/// Writes the include graph of the non-system files under Dir ("." or "":
/// every file).
void writeIncludeDot(const GraphView &G, llvm::StringRef Dir,
                     llvm::raw_ostream &OS);

/// Runs `export --format dot`: the picture goes to R.Output, or to Stdout.
/// Errors are QueryError (a bad request, an unknown symbol, an unreadable
/// source).
llvm::Error runDotExport(const DotRequest &R, llvm::raw_ostream &Stdout);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_DOT_H
