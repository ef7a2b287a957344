//===- Dot.h - Graphviz pictures of a code graph ----------------*- C++ -*-===//
//
// `code-indexer export --format dot` draws a focused part of the graph for
// Graphviz (`dot -Tsvg`): either the neighbourhood of one entity (the edges
// of the chosen kinds within --hops of it, in both directions) or the
// include graph of the files under a directory. The HTML diff report draws
// its pictures with the same writer.
//
// A picture stays readable: external entities (`size_t`, `memcpy`,
// `std::string`) are leaves, never expanded, so one hub of the standard
// library cannot pull in everything that uses it; and a picture holds at
// most MaxNodes nodes. What a limit left out is returned (PictureCut) and
// written into the DOT text as a comment.
//
// Output is deterministic: nodes and edges are sorted, and the nodes kept
// under a limit are chosen by a fixed order.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_DOT_H
#define CODEINDEX_PLUGIN_DOT_H

#include "query/Query.h"

#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace codeindex {

/// The default picture size: enough for a function's callers, callees and
/// types, small enough to read on one screen.
inline constexpr unsigned DefaultMaxNodes = 60;

/// What a focus picture shows.
struct FocusOptions {
  unsigned Hops = 1;
  /// Edge kinds followed and drawn; empty: defaultFocusEdges().
  std::vector<EdgeKind> Edges;
  /// Draw external entities (always as leaves); false leaves them out.
  bool External = true;
  /// At most this many nodes, the focus included; 0: no limit. Nodes are
  /// kept nearest first (by hop), project entities before external ones,
  /// then by qualified name and id, so every node kept is connected to the
  /// focus through nodes kept.
  unsigned MaxNodes = DefaultMaxNodes;
  /// When set, the URL a node links to (Graphviz's URL attribute; the SVG
  /// renderer makes it a link), or "" for none. The HTML report links the
  /// changed entities of a picture to their sections.
  std::function<std::string(Id)> Link;
};

/// What a picture left out to stay within its MaxNodes.
struct PictureCut {
  unsigned Reached = 0; ///< nodes the picture would have without a limit
  unsigned Limit = 0;   ///< the MaxNodes applied
  /// The display names of the nodes left out, in the order they were
  /// ranked (furthest and least central last), each with the hop it was
  /// at (0 for files of an include graph).
  std::vector<std::pair<unsigned, std::string>> Dropped;

  bool empty() const { return Dropped.empty(); }
  /// One line: "left out 42 of 102 nodes (--max-nodes 60): 2 at hop 1,
  /// 40 at hop 2"; Names > 0 appends the first Names names.
  std::string describe(unsigned Names = 0) const;
};

/// The kinds a focus picture follows unless told otherwise: calls,
/// references, uses_type, inherits, overrides.
const std::vector<EdgeKind> &defaultFocusEdges();

/// Parses a comma-separated list of entity-to-entity edge kinds ("calls,
/// inherits"). Fails with QueryError::Usage naming the valid kinds.
llvm::Expected<std::vector<EdgeKind>> parseFocusEdges(llvm::StringRef List);

/// Writes the neighbourhood of Focus as O says; returns what the node
/// limit left out.
PictureCut writeFocusDot(const GraphView &G, Id Focus, const FocusOptions &O,
                         llvm::raw_ostream &OS);
/// Writes the include graph of the non-system files under Dir ("." or "":
/// every file), at most MaxNodes files (0: no limit; the files with the
/// most include edges among them are kept, then by path).
PictureCut writeIncludeDot(const GraphView &G, llvm::StringRef Dir,
                           unsigned MaxNodes, llvm::raw_ostream &OS);

struct DotRequest {
  std::string Db;         ///< index to read, or
  std::string Input;      ///< an export to read
  std::string Focus;      ///< symbol at the centre, or
  std::string IncludeDir; ///< directory whose include graph to draw
  unsigned Hops = 1;
  std::string Edges; ///< --edges: comma list of kinds; empty: the default
  bool NoExternal = false;
  unsigned MaxNodes = DefaultMaxNodes;
  std::string Output; ///< empty: stdout
};

/// Runs `export --format dot`: the picture goes to R.Output, or to Stdout;
/// when the node limit left nodes out, one line saying which goes to Diag.
/// Errors are QueryError (a bad request, an unknown symbol, an unreadable
/// source).
llvm::Error runDotExport(const DotRequest &R, llvm::raw_ostream &Stdout,
                         llvm::raw_ostream &Diag);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_DOT_H
