//===- GraphStore.h - The code graph on top of a Store ----------*- C++ -*-===//
//
// Maps graph facts to the store's tables and merges them back:
//
//   entities      id | unit                  -> EntityFact
//   entity_names  id | unit                  -> name, qualified name, whether
//                                               the fact declares it (search)
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
// Key layouts are in codeindex/graph/Keys.h, the byte codec in
// codeindex/storage/Coding.h. Ids are 8 bytes big-endian so byte order is
// numeric order; a unit is its file id then its variant. Values start with
// a format byte (see docs/storage.md). Every fact is keyed by the unit that
// produced it, so re-indexing a unit deletes exactly the keys it wrote
// before (and only those it does not write again).
//
// Two read paths:
//  * forEach*() scan a whole table and merge, in export order (the JSON
//    export, `stats`).
//  * Point lookups (getEntity, findByName*, outEdges/inEdges, getFile,
//    entitiesInFile) read the keyed tables: their cost is proportional to
//    the answer, not to the graph (tests/unit/graph/GraphReadTest.cpp proves
//    it with a CountingStore on every engine).
//
// Thread-safety: one GraphStore may be shared by threads. encode*() only
// read the store and may run concurrently from extraction workers; all
// readers may run concurrently with each other and with encode*(). The
// internal caches (unit paths, collisions) are guarded by a mutex. Writes
// go through the caller's WriteBatch and Store::write; what a reader sees
// while a write is in progress is what the Store promises (a consistent
// snapshot per scan, not across scans). assumeEmpty() must be called
// before any other thread uses the object.
//
// Errors: Status::corruption (with a hint to rebuild) for records that do
// not decode or keys of the wrong shape; Status::notFound where a method
// says so; otherwise the Store's own errors unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_GRAPHSTORE_H
#define CODEINDEX_GRAPH_GRAPHSTORE_H

#include "codeindex/graph/Model.h"
#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace codeindex {

using storage::Status;

/// Version of the graph encoding in the store (the `graph_schema` meta
/// key); bump on incompatible changes, so that an index written by another
/// version is rebuilt rather than misread. 2: sites carry the candidate bit
/// (an index of version 1 has no candidates marked); 3: entities carry
/// their test case name and framework; 4: the entity_names table (an index
/// of version 3 has none). The JSON export has
/// its own version (ExportSchemaVersion, GraphJson.h).
inline constexpr int GraphSchemaVersion = 4;

class GraphStore {
public:
  /// Does not own S.
  explicit GraphStore(storage::Store &S) : S(S) {}

  storage::Store &store() { return S; }

  /// Declares the store empty at the start of this run (a full rebuild):
  /// encoding then skips reading previous state, which a rebuilding engine
  /// can only answer by loading everything buffered so far. Call before
  /// sharing the object between threads.
  void assumeEmpty(bool Empty) { AssumeEmpty = Empty; }

  /// For a new or rebuilt index: records the schema version. For an
  /// existing one: checks it (Status::incompatible with a hint to rebuild).
  Status initSchema(bool Fresh);

  /// Metadata (values are JSON text, written verbatim into the export).
  void putMeta(storage::WriteBatch &B, std::string_view Name,
               std::string_view Value) const;
  /// Status::notFound if Name was never written.
  Status getMeta(std::string_view Name, std::string *Value);

  /// Appends to B the replacement of each unit in Units and of Tu's record
  /// and diagnostics: the new facts are put, and of the unit's previous
  /// keys (read from its manifest unless assumeEmpty) only those the new
  /// facts do not write again are deleted, so B touches each key at most
  /// once. Units the TU owned before and no longer writes are not touched:
  /// which TU owns a unit is the indexing driver's decision (see
  /// encodeRemoveUnit). B must be applied before the next encode of the
  /// same unit reads the store.
  Status encodeTu(const TuRecord &Tu, const std::vector<UnitFacts> &Units,
                  storage::WriteBatch &B);

  /// Appends the deletion of a TU's record and diagnostics. The units it
  /// owned are left to the driver (encodeRemoveUnit): another TU may have
  /// taken them over in the same run.
  Status encodeRemoveTu(Id TuKey, storage::WriteBatch &B);

  /// Appends the deletion of one unit's keys (every key its manifest lists).
  Status encodeRemoveUnit(const UnitKey &U, storage::WriteBatch &B);

  /// Replaces the ignored-files table (entries already stored unchanged
  /// are not written).
  Status encodeIgnoredFiles(const std::vector<IgnoredFile> &Files,
                            storage::WriteBatch &B);

  // ---- reading: whole tables --------------------------------------------

  /// Every TU record (with its diagnostics if WithDiagnostics), appended to
  /// Out in key order.
  Status readTuRecords(std::vector<TuRecord> &Out, bool WithDiagnostics);
  /// One TU record, without diagnostics. Status::notFound if absent.
  Status readTuRecord(Id TuKey, TuRecord &Out);

  /// Every stored unit key.
  Status readUnitKeys(std::vector<UnitKey> &Out);

  /// Merged records, in export order. Callbacks return false to stop.
  Status forEachFile(const std::function<bool(const FileInfo &)> &Fn);
  Status forEachEntity(const std::function<bool(const Entity &)> &Fn);
  /// Edges sorted by kind, from, to; only those of kind Kind when given
  /// (one prefix scan: the other kinds are not read).
  Status forEachEdge(const std::function<bool(const Edge &)> &Fn,
                     std::optional<EdgeKind> Kind = std::nullopt);
  Status forEachTestFile(const std::function<bool(const TestFile &)> &Fn);
  Status forEachCoverage(const std::function<bool(const Coverage &)> &Fn);
  Status forEachIgnoredFile(const std::function<bool(const IgnoredFile &)> &Fn);
  Status forEachDiagnostic(const std::function<bool(const Diagnostic &)> &Fn);
  Status forEachTranslationUnit(
      const std::function<bool(const TranslationUnitInfo &)> &Fn);

  /// What `search` needs of every entity, without merging or copying
  /// records: Fn(shard, id, name, qualified name, external) once per
  /// entity, with the values forEachEntity() gives (the views are valid
  /// during the call only). Scans the entity_names table (one small record
  /// per entity fact: the names and whether the fact declares the entity,
  /// which decides External), not the entities; an entity whose units
  /// disagree on its name or qualified name is merged in full after its
  /// share is scanned. Reads: every entity_names record, plus the facts of
  /// those entities.
  ///
  /// With Shards > 1 the table is read by that many threads at once (this
  /// one and Shards - 1 it starts), each over a share of the ids: Fn is
  /// called concurrently, with the number of the calling share (0 to
  /// Shards - 1), and must be safe for that; calls of one share are
  /// sequential and in ascending id order but for the merged ones. When Fn
  /// returns false no further call is made once the other shares notice.
  using EntityNameFn = std::function<bool(unsigned Shard, Id, std::string_view,
                                          std::string_view, bool)>;
  Status forEachEntityName(const EntityNameFn &Fn, unsigned Shards = 1);

  // ---- reading: point lookups --------------------------------------------
  //
  // Each returns merged records equal to what forEach*() gives for the same
  // ids (same merge), reads only the keys of the answer, and appends to Out
  // (Out is not cleared). Reads: the facts of the entities or edges
  // returned, plus one `units` record per unit they come from (the path of
  // an edge's sites; cached for the life of the GraphStore).

  /// The merged entity I. Status::notFound if no unit declares or
  /// references it. Reads one entities record per unit with a fact about I.
  Status getEntity(Id I, Entity &Out);

  /// Ids (ascending, unique) of entities whose name starts with Prefix,
  /// compared ASCII-case-insensitively. Names are indexed by the entity's
  /// short name (Entity::Name). With a Limit, the scan stops at the Limit-th
  /// distinct id in name order (then sorted by id); it reads one names record
  /// per (id, unit) pair scanned.
  Status findByNamePrefix(std::string_view Prefix, std::vector<Id> &Out,
                          size_t Limit = SIZE_MAX);
  /// Ids (ascending, unique) of entities whose short name equals Name,
  /// ASCII-case-insensitively.
  Status findByName(std::string_view Name, std::vector<Id> &Out);
  /// Ids (ascending) of entities whose qualified name is exactly
  /// QualifiedName (case-sensitive), e.g. "ns::Cls::method". Looks up the
  /// last component in the names table and compares each candidate's
  /// qualified name: reads the candidates sharing that short name.
  Status findByQualifiedName(std::string_view QualifiedName,
                             std::vector<Id> &Out);

  /// One entity the names table lists under a name, with its qualified
  /// name; Missing: the names table has the id but no unit has an entity
  /// record for it (QualifiedName is then empty).
  struct NamedId {
    Id ID = 0;
    std::string QualifiedName;
    bool Missing = false;
  };
  /// What findByQualifiedName() compares, for a caller that resolves many
  /// qualified names ending in the same component and keeps the answer:
  /// every id whose names key is exactly Name (ASCII-case-insensitively;
  /// for names longer than MaxNameKeyBytes, every name sharing that prefix),
  /// ascending, with its merged qualified name. Reads each candidate's
  /// entity_names facts (its entity facts only when they disagree).
  Status namedIds(std::string_view Name, std::vector<NamedId> &Out);
  /// The merged qualified name of entity I, from its entity_names facts
  /// (its entity facts only when they disagree). Status::notFound if no
  /// unit declares or references I.
  Status qualifiedNameOf(Id I, std::string &Out);
  /// The component of a qualified name findByQualifiedName() looks up: what
  /// follows the last "::" that is not inside <...> or (...)
  /// ("ns::f<a::b>" -> "f<a::b>").
  static std::string_view lastComponent(std::string_view QualifiedName);

  /// Edges of kind K leaving From (callees), sorted by target; each merged
  /// over units as forEachEdge() merges it.
  Status outEdges(EdgeKind K, Id From, std::vector<Edge> &Out);
  /// Edges of kind K reaching To (callers), sorted by source. Reads the
  /// in_edges index, then each edge's facts in out_edges.
  Status inEdges(EdgeKind K, Id To, std::vector<Edge> &Out);
  /// All kinds: by kind, then as above.
  Status outEdges(Id From, std::vector<Edge> &Out);
  Status inEdges(Id To, std::vector<Edge> &Out);

  /// The merged file record of Path (as forEachFile() gives it).
  /// Status::notFound if no unit has that path.
  Status getFile(std::string_view Path, FileInfo &Out);
  /// Ids (ascending, unique) of the entities declared or defined in Path
  /// (an entity with at least one declaration in the file; external
  /// entities the file only references are not included). Reads the
  /// file's records, its units' manifests and the entity facts they list.
  /// Status::notFound if no unit has that path. Tests: the test files are
  /// forEachTestFile() (a small table); their entities come from here, and
  /// a `tests-for` walk is inEdges() from the entity plus getEntity()'s
  /// IsTest.
  Status entitiesInFile(std::string_view Path, std::vector<Id> &Out);

  /// USR collisions seen while merging (two USRs hashing to one id). A
  /// copy: safe while other threads merge.
  std::vector<std::string> collisions() const;

  /// Path of a unit's file, from its manifest in `units` (cached).
  /// Status::notFound for an unknown unit.
  Status unitPath(const UnitKey &U, std::string &Out);

private:
  Status mergeEntityGroup(Id I,
                          std::vector<std::pair<UnitKey, EntityFact>> &Facts,
                          Entity &Out);
  /// Fills the unit path cache from a scan of `units` (whole-table reads).
  Status loadUnitPaths();
  /// Appends to B the deletion of the keys unit U wrote before that New
  /// does not write again (all of them if New is null), so that a unit
  /// re-indexed in a run costs one write per key, not a delete and a put.
  Status encodeReplaceUnit(const UnitKey &U, const UnitFacts *New,
                           storage::WriteBatch &B);
  Status edgesByPrefix(EdgeKind K, Id From, std::string_view Prefix,
                       std::vector<Edge> &Out);
  /// One share of forEachEntityName(); sets Stop when Fn returns false.
  Status scanEntityNames(unsigned Shard, unsigned Shards,
                         const EntityNameFn &Fn, std::atomic<bool> &Stop);

  storage::Store &S;
  mutable std::mutex CacheMutex; ///< guards the three members below
  std::map<UnitKey, std::string> UnitPaths;
  bool UnitPathsLoaded = false;
  std::vector<std::string> Collisions;
  bool AssumeEmpty = false;
};

} // namespace codeindex

#endif // CODEINDEX_GRAPH_GRAPHSTORE_H
