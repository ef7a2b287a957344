//===- GraphReader.h - The read model of a code graph -----------*- C++ -*-===//
//
// The one interface every query, `diff` and `export --format dot` reads a
// graph through, shaped like clangd's SymbolIndex: a handful of point
// operations (an entity by id, the edges of one node by kind and
// direction, entities by name, the entities of one file), each answering
// through a callback, none loading the whole graph. Whole-graph questions
// (`stats`, `cycles`, `hotspots`, `entities`, `search`) use the scans,
// which stream records in a fixed order and keep nothing.
//
// Two implementations answer identically for the same graph:
//  * GraphIndex (GraphIndex.h): an export (or an index) loaded into memory.
//  * StoreReader (StoreReader.h): an index read by key through GraphStore's
//    point lookups; its cost is proportional to the answer.
//
// Records passed to a callback are valid only during the call.
//
// Errors: a reader that fails to read (a damaged index) stops calling
// callbacks and keeps the first failure; takeError() returns it (and
// success once taken). Callers check it once, after the work is done.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_GRAPHREADER_H
#define CODEINDEX_PLUGIN_QUERY_GRAPHREADER_H

#include "codeindex/graph/Model.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>

namespace codeindex {

enum class Direction { Out, In };

enum class NameMatch {
  Exact, ///< the short name equals the text (ASCII case-insensitively)
  Prefix ///< the short name starts with the text (ASCII case-insensitively)
};

class GraphReader {
public:
  virtual ~GraphReader();

  // ---- point operations ------------------------------------------------

  /// Calls Fn with entity I, if there is one.
  virtual void lookup(Id I,
                      llvm::function_ref<void(const Entity &)> Fn) const = 0;
  /// Calls Fn with the file whose id is I, if there is one.
  virtual void
  lookupFile(Id I, llvm::function_ref<void(const FileInfo &)> Fn) const = 0;
  /// Calls Fn with the file whose path is exactly Path, if there is one.
  virtual void
  fileByPath(llvm::StringRef Path,
             llvm::function_ref<void(const FileInfo &)> Fn) const = 0;
  /// Calls Fn with each edge of kind K leaving (Out) or reaching (In) the
  /// node Node (an entity or a file), in the order of the other end's id.
  /// Edges whose other end is neither an entity nor a file are not given
  /// (the export drops them too).
  virtual void edges(EdgeKind K, Id Node, Direction D,
                     llvm::function_ref<void(const Edge &)> Fn) const = 0;
  /// How many edges edges(K, Node, D) would give, counted up to Limit
  /// (Limit when there are more). May count edges whose other end is
  /// nothing (which edges() drops): an upper bound. Walks ask it before
  /// expanding a node, to read a hub's edges by scan rather than one by
  /// one. The default counts edges(); a reader that can count keys does.
  virtual size_t countEdges(EdgeKind K, Id Node, Direction D,
                            size_t Limit) const {
    size_t N = 0;
    edges(K, Node, D, [&](const Edge &) { ++N; });
    return std::min(N, Limit);
  }
  /// Calls Fn with the id of each entity whose short name (Entity::Name)
  /// matches Text as M says, in ascending id order, at most Limit times
  /// (0: no limit).
  virtual void findByName(llvm::StringRef Text, NameMatch M, size_t Limit,
                          llvm::function_ref<void(Id)> Fn) const = 0;
  /// Calls Fn with the id of each entity whose qualified name is exactly
  /// QualifiedName, in ascending id order.
  virtual void findByQualifiedName(llvm::StringRef QualifiedName,
                                   llvm::function_ref<void(Id)> Fn) const = 0;
  /// Calls Fn with the id of each entity of the project located in Path
  /// (Entity::File) or declared there (Entity::Declarations), in ascending
  /// id order. External entities are not given.
  virtual void entitiesOfFile(llvm::StringRef Path,
                              llvm::function_ref<void(Id)> Fn) const = 0;

  // ---- scans (stream in export order; Fn returns false to stop) ---------

  /// Entities in id order.
  virtual void
  forEachEntity(llvm::function_ref<bool(const Entity &)> Fn) const = 0;
  /// What `search` reads of every entity: Fn(shard, id, short name,
  /// qualified name, external), once per entity, in no particular order;
  /// the views are valid during the call. A reader may read with up to
  /// Shards threads at once: then Fn is called concurrently, each thread
  /// with its own shard number below Shards (calls of one shard are
  /// sequential), and Fn returning false stops every shard. The default
  /// reads forEachEntity() on this thread as shard 0; a reader that can
  /// skip the rest of each record, or split the scan, does.
  using EntityNameFn = llvm::function_ref<bool(
      unsigned Shard, Id, llvm::StringRef, llvm::StringRef, bool)>;
  virtual void forEachEntityName(EntityNameFn Fn,
                                 unsigned /*Shards*/ = 1) const {
    forEachEntity([&](const Entity &E) {
      return Fn(0, E.ID, E.Name, E.QualifiedName, E.External);
    });
  }
  /// Edges of kind K (every kind when K is empty), sorted by kind, source,
  /// target.
  virtual void forEachEdge(std::optional<EdgeKind> K,
                           llvm::function_ref<bool(const Edge &)> Fn) const = 0;
  virtual void
  forEachFile(llvm::function_ref<bool(const FileInfo &)> Fn) const = 0;
  virtual void
  forEachTestFile(llvm::function_ref<bool(const TestFile &)> Fn) const = 0;
  virtual void
  forEachCoverage(llvm::function_ref<bool(const Coverage &)> Fn) const = 0;
  virtual void forEachTranslationUnit(
      llvm::function_ref<bool(const TranslationUnitInfo &)> Fn) const = 0;

  /// The first failure since the last call (QueryError::Index), or success.
  virtual llvm::Error takeError() const = 0;

  // ---- the project -------------------------------------------------------

  /// The absolute source root the graph was extracted from (the "root" of
  /// the export's "project" object): root-relative paths of files and
  /// entities are relative to it. Empty when the graph does not record one.
  /// `query context` and `serve` read source text from under it.
  virtual std::string projectRoot() const { return {}; }
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_GRAPHREADER_H
