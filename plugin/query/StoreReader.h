//===- StoreReader.h - The read model over an index, by key -----*- C++ -*-===//
//
// The GraphReader of `query --db`: answers the point operations from the
// index's keyed tables through GraphStore's point lookups (entities by id,
// out_edges / in_edges by kind and node, the names index), so a lookup
// command reads records in proportion to its answer, never the whole graph.
// What it keeps in memory:
//  * which ids are entities, the qualified names of the entities sharing a
//    name it resolved, and the files it has read (for one query; the
//    entities themselves are kept by GraphView, not here);
//  * the whole files table (one record per source file and variant) only
//    when a scan needs it, or an id is neither an entity nor has a unit
//    (files are keyed by path; an id finds its path through its units);
//  * for the edge scans (stats, cycles, hotspots, a walk of most of the
//    graph), and once a query has checked LoadKnownAfter edge ends (a hub's
//    callers), the ids of all entities (8 bytes each, from the entities
//    table's keys), so that edges to nothing are dropped as the export
//    drops them without a key read per end.
// The scans stream GraphStore's forEach*() records; countEdges() reads keys
// only.
//
// Thread-safety: not thread-safe (the caches fill as it is used).
// Errors: read failures are kept (QueryError::Index) until takeError().
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_STOREREADER_H
#define CODEINDEX_PLUGIN_QUERY_STOREREADER_H

#include "query/GraphReader.h"

#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/Store.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codeindex {

class StoreReader final : public GraphReader {
public:
  /// Reads through GS; does not own it.
  explicit StoreReader(GraphStore &GS) : GS(GS) {}

  void lookup(Id I, llvm::function_ref<void(const Entity &)> Fn) const override;
  void lookupFile(Id I,
                  llvm::function_ref<void(const FileInfo &)> Fn) const override;
  void fileByPath(llvm::StringRef Path,
                  llvm::function_ref<void(const FileInfo &)> Fn) const override;
  void edges(EdgeKind K, Id Node, Direction D,
             llvm::function_ref<void(const Edge &)> Fn) const override;
  /// Counts the keys of the edge index (in_edges or out_edges under
  /// kind · node), reading no value: distinct other ends, up to Limit.
  size_t countEdges(EdgeKind K, Id Node, Direction D,
                    size_t Limit) const override;
  void findByName(llvm::StringRef Text, NameMatch M, size_t Limit,
                  llvm::function_ref<void(Id)> Fn) const override;
  void findByQualifiedName(llvm::StringRef QualifiedName,
                           llvm::function_ref<void(Id)> Fn) const override;
  void entitiesOfFile(llvm::StringRef Path,
                      llvm::function_ref<void(Id)> Fn) const override;

  void
  forEachEntity(llvm::function_ref<bool(const Entity &)> Fn) const override;
  void forEachEntityName(EntityNameFn Fn, unsigned Shards) const override;
  void forEachEdge(std::optional<EdgeKind> K,
                   llvm::function_ref<bool(const Edge &)> Fn) const override;
  void
  forEachFile(llvm::function_ref<bool(const FileInfo &)> Fn) const override;
  void
  forEachTestFile(llvm::function_ref<bool(const TestFile &)> Fn) const override;
  void
  forEachCoverage(llvm::function_ref<bool(const Coverage &)> Fn) const override;
  void forEachTranslationUnit(
      llvm::function_ref<bool(const TranslationUnitInfo &)> Fn) const override;

  llvm::Error takeError() const override;
  /// From the index's "project" meta record (read on each call).
  std::string projectRoot() const override;

private:
  /// Keeps the first failure; false when St is one.
  bool check(const Status &St) const;
  /// Reads the whole files table (for the scans, and for ids no unit has).
  bool loadFiles() const;
  /// The file named Path or with id I (cached), nullptr if there is none.
  /// By key: the files table by path; an id through its units' manifest.
  const FileInfo *fileNamed(llvm::StringRef Path) const;
  const FileInfo *file(Id I) const;
  /// Fills Known: the ids of every file and entity (for the edge scans),
  /// and EntityIds, from the keys of the entities table (no value is
  /// decoded). Once loaded, hasEntity() and exists() search them.
  bool loadKnown() const;
  /// How many existence checks edges() makes one key read each before it
  /// reads every entity's id at once (loadKnown()): at 1 M entities the
  /// key scan costs what about 100 k checks do (a hub's callers are 750 k).
  static constexpr size_t LoadKnownAfter = 100000;
  /// Whether I is an entity or a file (what the export keeps edges to).
  bool exists(Id I) const;
  /// Whether a unit has an entity record for I (cached; a key read).
  bool hasEntity(Id I) const;
  /// GraphStore::namedIds(Name), kept by names key; nullptr on a failure.
  const std::vector<GraphStore::NamedId> *namedIds(llvm::StringRef Name) const;

  GraphStore &GS;
  mutable std::optional<std::string> Failure;
  mutable bool FilesLoaded = false;
  mutable std::vector<FileInfo> Files; ///< in export order
  mutable llvm::DenseMap<Id, unsigned> FileIdx;
  mutable llvm::StringMap<unsigned> PathIdx;
  /// Files read by key before (or instead of) the whole table.
  mutable std::deque<FileInfo> KeptFiles;
  mutable llvm::DenseMap<Id, const FileInfo *> FileById;
  mutable llvm::StringMap<const FileInfo *> FileByPath;
  mutable llvm::DenseMap<Id, bool> HasEntity;
  /// By exact names-key prefix: the candidates of a qualified name.
  mutable std::map<std::string, std::vector<GraphStore::NamedId>> NamedIds;
  mutable bool KnownLoaded = false;
  mutable std::vector<Id> Known;     ///< sorted
  mutable std::vector<Id> EntityIds; ///< sorted
};

/// Opens the index Spec read-only (no writer lock: a running `extract`
/// neither waits for it nor blocks it) and returns a reader over it that
/// owns the store. Source is set to the spec ("rocksdb:PATH"). Errors:
/// QueryError::Usage for a bad or in-memory spec, QueryError::Index when the
/// index cannot be opened or has another schema.
llvm::Expected<std::unique_ptr<GraphReader>>
openStoreReader(const std::string &Spec, std::string &Source);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_STOREREADER_H
