//===- Query.h - Graph questions over an index or an export -----*- C++ -*-===//
//
// `code-indexer query` answers questions about a code graph: who calls X,
// what would a change to X reach, which tests exercise X, where are the
// cycles. The engine works on the in-memory Graph (GraphJson.h), loaded
// either from an index (`--db`, through loadGraph()) or from an export
// (`--json`, through loadGraphJson()), so both sources answer identically.
//
// GraphIndex adds what the questions need on top of a Graph: lookups by id,
// adjacency lists per edge kind in both directions, and name resolution.
// Every command computes one JSON value (the documented shape, see
// docs/querying.md); the human-readable table is rendered from that value,
// so the two outputs cannot disagree. Results are sorted (ties broken by
// qualified name, then id) so the output is deterministic.
//
// Thread-safety: a GraphIndex is immutable after construction; concurrent
// const use is safe.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_H
#define CODEINDEX_PLUGIN_QUERY_H

#include "codeindex/graph/GraphJson.h"
#include "codeindex/graph/Model.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace codeindex {

using ojson = nlohmann::ordered_json;

/// A Graph with the lookups queries need. Owns the graph.
class GraphIndex {
public:
  explicit GraphIndex(Graph G);

  const Graph &graph() const { return G; }

  /// nullptr when I is not an entity (or not a file).
  const Entity *entity(Id I) const;
  const FileInfo *file(Id I) const;
  const FileInfo *fileByPath(llvm::StringRef Path) const;

  /// Indices into graph().Edges of the edges of kind K leaving / reaching
  /// the node (entity or file) I, sorted by the other endpoint's id.
  llvm::ArrayRef<unsigned> out(EdgeKind K, Id I) const;
  llvm::ArrayRef<unsigned> in(EdgeKind K, Id I) const;
  const Edge &edge(unsigned I) const { return G.Edges[I]; }

  /// The entity's qualified name, or its signature when several entities
  /// share that qualified name (overloads); "file:PATH" for files.
  std::string displayName(Id I) const;
  /// "file:line" of the entity (or the file's path).
  std::string location(Id I) const;
  /// A short record naming a node, used in every JSON shape:
  /// {"id","kind","qualified_name","signature","file","line","external",
  ///  "test","overloaded"}; files have kind "file" and their path as
  /// qualified_name. "overloaded": other entities share the qualified name.
  ojson ref(Id I) const;

  /// The qualified name (a file's path): what output is sorted by.
  llvm::StringRef sortKey(Id I) const;
  /// Orders ids for output: qualified name (path), then id.
  bool before(Id A, Id B) const;
  void sortIds(std::vector<Id> &Ids) const;

  /// Resolves a symbol argument: 16 hex digits (an id), an exact qualified
  /// name, one overload spelled as in its signature ("calc::format(int)",
  /// "format(int)"), or a name / qualified-name suffix ("area",
  /// "Circle::area").
  /// Returns every match, sorted.
  std::vector<Id> resolve(llvm::StringRef Text) const;
  /// Qualified names close to Text (edit distance, substrings), best first.
  std::vector<std::string> suggest(llvm::StringRef Text,
                                   unsigned Max = 5) const;
  /// Every entity whose qualified name is QN.
  llvm::ArrayRef<Id> byQualifiedName(llvm::StringRef QN) const;

  /// Entities that call I, including virtual calls to a method that I
  /// overrides (the call may dispatch to I). Each result is (caller, edge
  /// index, through-override).
  struct Caller {
    Id From;
    unsigned Edge;
    bool Dispatch;
  };
  std::vector<Caller> callersOf(Id I) const;

private:
  Graph G;
  llvm::DenseMap<Id, unsigned> EntityIdx, FileIdx;
  llvm::StringMap<unsigned> PathIdx;
  llvm::StringMap<llvm::SmallVector<Id, 1>> ByQName;
  std::vector<llvm::DenseMap<Id, llvm::SmallVector<unsigned, 2>>> Out, In;
};

enum class OutputFormat { Table, Json };

/// Options of `query` (and the parts `diff` and `export --format dot`
/// share). Fields a command does not use are ignored.
struct QueryOptions {
  OutputFormat Format = OutputFormat::Table;
  unsigned Depth = 1;    ///< callers/callees
  unsigned Hops = 2;     ///< blast-radius
  unsigned Top = 10;     ///< hotspots, search
  std::string Kind;      ///< entities --kind
  std::string File;      ///< entities --file (glob)
  std::string Name;      ///< entities --name (glob)
  std::string Edges;     ///< cycles --edges calls|includes
  bool External = false; ///< entities/search/hotspots: include externals
  std::string Source;    ///< where the graph came from, for `stats`
};

/// The query subcommands, in help order.
llvm::ArrayRef<llvm::StringRef> querySubcommands();

/// Loads the graph to query: from the index Db (read-only, no writer lock)
/// or from the export Json (exactly one of them non-empty). Sets Source to
/// a description ("rocksdb:PATH", "json:PATH"). On failure prints the error
/// to stderr and returns the exit code (1 bad input, 2 index unusable);
/// returns 0 on success.
int loadQueryGraph(const std::string &Db, const std::string &Json, Graph &Out,
                   std::string &Source);

/// Runs `query ARGS...` (Args[0] is the subcommand) over G. Output to OS,
/// errors to Err; returns the exit code: 0, or 1 for a bad subcommand,
/// argument, unknown or ambiguous symbol.
int runQuery(const GraphIndex &G, llvm::ArrayRef<std::string> Args,
             const QueryOptions &O, llvm::raw_ostream &OS,
             llvm::raw_ostream &Err);

/// Resolves Text to exactly one entity; otherwise explains to Err
/// (candidates, or near matches) and returns std::nullopt. When Text names
/// several entities and Prefer holds for some of them, only those count
/// (`hierarchy Square` means the class, not its constructor).
std::optional<Id>
resolveOne(const GraphIndex &G, llvm::StringRef Text, llvm::raw_ostream &Err,
           llvm::function_ref<bool(const Entity &)> Prefer = nullptr);

/// Shared traversals (also used by `diff`).
struct Layer {
  unsigned Hop;
  std::vector<Id> Ids; ///< sorted
};
/// Entities that transitively call or reference X, by hop (1..Hops).
std::vector<Layer> blastRadius(const GraphIndex &G, Id X, unsigned Hops);
/// Test entities that reach X through calls, with their distance (X itself,
/// at distance 0, if it is a test).
std::vector<std::pair<unsigned, Id>> testsReaching(const GraphIndex &G, Id X);

/// Prints aligned columns; the last column is not padded.
class Table {
public:
  explicit Table(std::vector<std::string> Header) : Header(std::move(Header)) {}
  void add(std::vector<std::string> Row) { Rows.push_back(std::move(Row)); }
  bool empty() const { return Rows.empty(); }
  void print(llvm::raw_ostream &OS, llvm::StringRef Indent = "") const;

private:
  std::vector<std::string> Header;
  std::vector<std::vector<std::string>> Rows;
};

/// JSON output: two-space indented, a final newline.
void printJson(llvm::raw_ostream &OS, const ojson &J);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_H
