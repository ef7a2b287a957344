//===- GraphStore.h - The code graph on top of a Store ----------*- C++ -*-===//
//
// Maps graph facts to the store's tables and merges them back:
//
//   entities      id | unit                  -> EntityFact
//   out_edges     kind | from | to | unit    -> EdgeFact (sites, attributes)
//   in_edges      kind | to | from | unit    -> (empty)
//   names         lower(name) \0 id | unit   -> (empty)
//   files         path \0 variant            -> FileFact
//   test_files    path \0 variant            -> reasons
//   coverage      path \0 variant            -> CoverageFact
//   units         unit                       -> the keys the unit wrote
//   tu_state      tu                         -> TuRecord (no diagnostics)
//   diagnostics   tu | seq                   -> DiagnosticFact
//   ignored_files path                       -> reason
//   meta          name                       -> value
//
// Ids are 8 bytes big-endian so byte order is numeric order; a unit is its
// file id then its variant. Values start with a format byte (see
// docs/storage.md). Every fact is keyed by the unit that produced it, so
// re-indexing a unit deletes exactly the keys it wrote before.
//
// Thread-safety: encode*() functions only read the store and may run
// concurrently from extraction workers; readers may run concurrently.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_GRAPHSTORE_H
#define CODEINDEX_GRAPH_GRAPHSTORE_H

#include "codeindex/graph/Model.h"
#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace codeindex {

using storage::Status;

/// Version of the graph encoding; bump on incompatible changes.
inline constexpr int GraphSchemaVersion = 1;

class GraphStore {
public:
  /// Does not own S.
  explicit GraphStore(storage::Store &S) : S(S) {}

  storage::Store &store() { return S; }

  /// Declares the store empty at the start of this run (a full rebuild):
  /// encoding then skips reading previous state, which a rebuilding engine
  /// can only answer by loading everything buffered so far.
  void assumeEmpty(bool Empty) { AssumeEmpty = Empty; }

  /// For a new or rebuilt index: records the schema version. For an
  /// existing one: checks it (Status::incompatible with a hint to rebuild).
  Status initSchema(bool Fresh);

  /// Metadata (values are JSON text, written verbatim into the export).
  void putMeta(storage::WriteBatch &B, std::string_view Name,
               std::string_view Value) const;
  Status getMeta(std::string_view Name, std::string *Value);

  /// Appends to B the replacement of each unit in Units (its previous keys
  /// are deleted, its new facts put) and of Tu's record and diagnostics.
  /// Units the TU owned before and no longer writes are not touched: which
  /// TU owns a unit is the indexing driver's decision (see
  /// encodeRemoveUnit).
  Status encodeTu(const TuRecord &Tu, const std::vector<UnitFacts> &Units,
                  storage::WriteBatch &B);

  /// Appends the deletion of a TU's record and diagnostics. The units it
  /// owned are left to the driver (encodeRemoveUnit): another TU may have
  /// taken them over in the same run.
  Status encodeRemoveTu(Id TuKey, storage::WriteBatch &B);

  /// Appends the deletion of one unit's keys.
  Status encodeRemoveUnit(const UnitKey &U, storage::WriteBatch &B);

  /// Replaces the ignored-files table.
  Status encodeIgnoredFiles(const std::vector<IgnoredFile> &Files,
                            storage::WriteBatch &B);

  // ---- reading -----------------------------------------------------------

  Status readTuRecords(std::vector<TuRecord> &Out, bool WithDiagnostics);
  Status readTuRecord(Id TuKey, TuRecord &Out);

  /// Every stored unit key.
  Status readUnitKeys(std::vector<UnitKey> &Out);

  /// Merged records, in export order. Callbacks return false to stop.
  Status forEachFile(const std::function<bool(const FileInfo &)> &Fn);
  Status forEachEntity(const std::function<bool(const Entity &)> &Fn);
  /// Edges sorted by kind, from, to.
  Status forEachEdge(const std::function<bool(const Edge &)> &Fn);
  Status forEachTestFile(const std::function<bool(const TestFile &)> &Fn);
  Status forEachCoverage(const std::function<bool(const Coverage &)> &Fn);
  Status forEachIgnoredFile(const std::function<bool(const IgnoredFile &)> &Fn);
  Status forEachDiagnostic(const std::function<bool(const Diagnostic &)> &Fn);
  Status forEachTranslationUnit(
      const std::function<bool(const TranslationUnitInfo &)> &Fn);

  /// Point lookups for queries.
  Status getEntity(Id I, Entity &Out); ///< NotFound if absent
  /// Edges of kind K leaving From (callees) / reaching To (callers).
  Status outEdges(EdgeKind K, Id From, std::vector<Edge> &Out);
  Status inEdges(EdgeKind K, Id To, std::vector<Edge> &Out);
  /// Entity ids whose lower-cased name starts with Prefix (lower-case).
  Status findByNamePrefix(std::string_view Prefix, std::vector<Id> &Out);

  /// USR collisions seen while merging (two USRs hashing to one id).
  const std::vector<std::string> &collisions() const { return Collisions; }

  /// Path of a unit's file, from the files table (cached).
  Status unitPath(const UnitKey &U, std::string &Out);

private:
  Status mergeEntityGroup(Id I,
                          std::vector<std::pair<UnitKey, EntityFact>> &Facts,
                          Entity &Out);
  Status loadUnitPaths();

  storage::Store &S;
  std::map<UnitKey, std::string> UnitPaths;
  bool UnitPathsLoaded = false;
  bool AssumeEmpty = false;
  std::vector<std::string> Collisions;
};

} // namespace codeindex

#endif // CODEINDEX_GRAPH_GRAPHSTORE_H
