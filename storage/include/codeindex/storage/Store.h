//===- Store.h - The embedded key-value store behind an index ---*- C++ -*-===//
//
// A Store is an ordered key-value store split into a fixed set of tables
// (RocksDB column families, LMDB named databases, std::maps in memory). The
// graph layer (codeindex/graph) decides what the keys and values mean; this
// layer only promises ordering, atomic batches and durability.
//
// Engines: RocksDbStore, LmdbStore, MemoryStore, chosen by a spec string
// ("rocksdb:PATH", "lmdb:PATH", "mem") through openStore().
//
// On-disk layout of PATH (both persistent engines):
//   PATH/LOCK            advisory lock; holds "pid host command" of the owner
//   PATH/CURRENT         name of the live generation, replaced atomically
//   PATH/gen-NNNNNN/     the engine's files for one generation
// A full rebuild (OpenMode::Rebuild) writes a new generation and only
// commit() makes it live, so a run killed at any moment leaves the previous
// good index readable. Stale generations are removed on the next open.
// Readers (OpenMode::ReadOnly) do not take PATH/LOCK: they pin the live
// generation (a shared lock on gen-NNNNNN/READERS) so that a concurrent
// rebuild's commit() cannot delete it under them.
//
// Keys are non-empty byte strings of any length (LMDB's 511-byte key limit is
// hidden by LmdbStore); values are byte strings of any length, possibly empty.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_STORE_H
#define CODEINDEX_STORAGE_STORE_H

#include "codeindex/storage/Status.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace codeindex::storage {

/// The relations of an index. Each one is a separate keyspace.
enum class Table : unsigned char {
  Meta = 0,     ///< schema version, project, generator, run metadata
  Files,        ///< files seen by the extractor
  Entities,     ///< entity facts, keyed by entity id then owning unit
  OutEdges,     ///< edges keyed kind|from|to|unit (callees = prefix scan)
  InEdges,      ///< edges keyed kind|to|from|unit (callers = prefix scan)
  Names,        ///< lower-cased names -> entity id, for search by name
  Diagnostics,  ///< compiler diagnostics per translation unit
  TestFiles,    ///< files detected as tests, with reasons
  Coverage,     ///< per-file line coverage of the index
  IgnoredFiles, ///< C/C++ files under the root that were not indexed
  Units,        ///< per (file, variant) unit: the keys it owns
  TuState,      ///< per translation unit: fingerprint for incremental runs
  EntityNames,  ///< per entity fact, what search reads: names, declared bit
};
inline constexpr int NumTables = 13;

/// Stable, lower-case name of a table ("entities", "out_edges", ...). Used
/// as the RocksDB column family and LMDB database name.
std::string_view tableName(Table T);

/// The first-byte values [From, To) of share Share of Shares (see
/// Store::scanShare); false if Shares is not 1 to 256 or Share >= Shares.
bool shareBounds(unsigned Share, unsigned Shares, unsigned &From, unsigned &To);

/// Meta keys starting with this prefix belong to the storage layer; the graph
/// layer must not write them.
inline constexpr std::string_view ReservedMetaPrefix = "storage_";
/// The Meta key holding the store format marker, and the marker this build
/// writes and accepts. Opening an index with another marker gives
/// Status::incompatible.
inline constexpr std::string_view StorageFormatKey = "storage_format";
inline constexpr std::string_view StorageFormat = "codeindex-store/1";

/// An ordered list of puts and deletes applied atomically by Store::write.
/// Owns copies of all keys and values. Not thread-safe; build one per thread.
/// Later operations win over earlier ones on the same key.
class WriteBatch {
public:
  struct Op {
    Table T;
    bool IsDelete;
    std::string Key;
    std::string Value;
  };

  void put(Table T, std::string_view Key, std::string_view Value);
  void del(Table T, std::string_view Key);
  /// Appends all operations of Other, in order.
  void append(WriteBatch &&Other);
  void clear();

  const std::vector<Op> &ops() const { return Ops; }
  size_t count() const { return Ops.size(); }
  bool empty() const { return Ops.empty(); }
  /// Approximate payload bytes (keys + values).
  size_t byteSize() const { return Bytes; }

private:
  std::vector<Op> Ops;
  size_t Bytes = 0;
};

/// A forward cursor over one table, restricted to keys starting with a
/// prefix. Valid until the Store is closed; sees a consistent snapshot taken
/// when it was created. Not thread-safe.
class Iterator {
public:
  virtual ~Iterator() = default;
  virtual bool valid() const = 0;
  virtual void next() = 0;
  /// Views into the iterator's buffer: valid until the next call to next().
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  /// Non-OK if the scan stopped because of an error rather than the end.
  virtual Status status() const = 0;
};

/// An iterator already at its end whose status() is St: what a scan that
/// cannot start returns (engines, Store::scanShare).
std::unique_ptr<Iterator> failedIterator(Status St);

/// Counters an engine keeps about its writes. Times in milliseconds.
struct WriteStats {
  uint64_t Batches = 0;     ///< engine-level write calls
  uint64_t Records = 0;     ///< puts + deletes
  uint64_t Bytes = 0;       ///< key + value bytes written
  uint64_t StallMillis = 0; ///< time the engine throttled or stopped writes
  uint64_t MapResizes = 0;  ///< LMDB map growths
  uint64_t LongestStallMillis = 0;
  /// LMDB: commit() of an update replaced the file by a compacted copy.
  uint64_t Compactions = 0;
  /// LMDB: a compaction commit() wanted but skipped (another thread's
  /// iterator stayed open) or could not write (e.g. a full disk); the
  /// committed update is kept as it is and the next commit() tries again.
  uint64_t CompactionsSkipped = 0;
};

/// Called (from an engine thread) when a write stall begins or ends, so the
/// CLI can tell the user while it happens instead of freezing silently.
/// Active=true at the start, false at the end with the stall's duration.
/// The callback must return quickly and must not call back into the store.
using StallCallback =
    std::function<void(bool Active, uint64_t Millis, std::string_view Reason)>;

/// A write stall the engine reports while it lasts (see Store::currentStall).
struct EngineStall {
  bool Active = false;
  uint64_t Millis = 0; ///< how long it has lasted so far
  std::string Reason;  ///< e.g. "rocksdb: writes to 'in_edges' stopped"
};

enum class OpenMode : unsigned char {
  ReadOnly, ///< open the live generation for reading; fails if none
  Update,   ///< open (or create) the live generation for in-place updates
  Rebuild,  ///< create a fresh generation; commit() swaps it in atomically
};

enum class LockMode : unsigned char {
  Fail, ///< a second writer fails at once with Status::busy naming the holder
  Wait, ///< a second writer waits for the lock
};

struct OpenOptions {
  OpenMode Mode = OpenMode::Update;
  /// Only writers (Update, Rebuild) take the lock; ReadOnly never waits.
  LockMode Lock = LockMode::Fail;
  /// Path to a RocksDB OPTIONS file to load with RocksDB's own loader
  /// (rocksdb::LoadOptionsFromFile). It replaces the built-in tuning
  /// entirely; column families named after tables take their own section,
  /// other tables take the file's "default" section. A file that does not
  /// load gives InvalidArgument naming the file.
  std::string RocksDbOptionsFile;
  /// Initial LMDB map size; grown on MDB_MAP_FULL.
  uint64_t LmdbInitialMapBytes = 64ull << 20;
  /// Called on every engine stall transition (RocksDB only), from an engine
  /// thread: Active=true when writes start being delayed or stopped, false
  /// with the duration when they flow again.
  StallCallback OnStall;
  /// Text recorded in the LOCK file to name this process to others.
  std::string LockOwnerDescription;
};

/// The abstract store. Engines implement it.
///
/// Thread-safety: write() may be called concurrently from several threads
/// (engines that allow one writer serialise internally); get() and scan()
/// may be called concurrently with each other and with write().
class Store {
public:
  virtual ~Store() = default;

  /// Applies Batch atomically: after a crash either all or none of it is
  /// visible. An empty key gives InvalidArgument and nothing is applied.
  /// Durability: in Update mode a batch is durable once commit() returns; in
  /// Rebuild mode nothing is visible to other openers before commit().
  virtual Status write(const WriteBatch &Batch) = 0;

  /// Reads one value. Status::notFound if the key is absent.
  virtual Status get(Table T, std::string_view Key, std::string *Value) = 0;

  /// Iterates keys in T that start with Prefix, in byte order.
  virtual std::unique_ptr<Iterator> scan(Table T, std::string_view Prefix) = 0;

  /// Iterates, in byte order, the keys of T whose first byte lies in share
  /// Share of Shares (0 <= Share < Shares <= 256): the byte values
  /// [Share * 256 / Shares, (Share + 1) * 256 / Shares). The shares of one
  /// Shares partition the table, so that many threads can scan it at once,
  /// one share each (`search`). Like a whole-table scan, a share does not
  /// keep what it read in caches. The default chains one prefix scan per
  /// byte value; an engine whose iterators cost more to create reads a
  /// share with one. Shares out of range give an iterator with status
  /// InvalidArgument.
  virtual std::unique_ptr<Iterator> scanShare(Table T, unsigned Share,
                                              unsigned Shares);

  /// Makes everything written durable. In Rebuild mode also swaps the new
  /// generation in as the live one (after compaction where the engine needs
  /// it). Further writes after commit() are an error.
  virtual Status commit() = 0;

  /// Engine name: "rocksdb", "lmdb" or "mem".
  virtual std::string_view engine() const = 0;
  /// The index path ("" for mem).
  virtual const std::string &path() const = 0;
  virtual WriteStats stats() const = 0;

  /// The write stall in progress, if any. Engines without stall detection
  /// always report none. Thread-safe.
  virtual EngineStall currentStall() const { return {}; }
};

/// A parsed engine spec.
struct StoreSpec {
  std::string Engine; ///< "rocksdb", "lmdb" or "mem"
  std::string Path;   ///< empty for mem

  std::string toString() const;
};

/// Parses "rocksdb:PATH", "lmdb:PATH" or "mem". An unknown prefix, an empty
/// path or an engine not compiled in gives InvalidArgument/NotSupported with
/// a message naming the accepted forms.
Status parseStoreSpec(std::string_view Spec, StoreSpec *Out);

/// The engine used when the user names none: "lmdb" when TargetIsWindows,
/// "rocksdb" otherwise. Pure, so each platform's choice has a unit test.
std::string_view defaultEngineFor(bool TargetIsWindows);
/// defaultEngineFor() for the platform this binary was built for.
std::string_view defaultEngine();

/// Engines compiled into this build, e.g. {"rocksdb", "lmdb", "mem"}.
std::vector<std::string_view> availableEngines();

/// Whether Spec names an index some run has committed (its CURRENT names a
/// generation). False for "mem", for a path that does not exist and for a
/// directory no run has committed to yet; true if CURRENT is there but
/// unreadable or damaged, so that openStore() reports the problem. A writer
/// uses it to build a new index as a Rebuild (bulk load, atomic commit)
/// rather than as an Update of nothing. Takes no lock: another process may
/// commit between this call and openStore().
bool hasCommittedIndex(const StoreSpec &Spec);

/// Opens (or creates) a store. On success *Out owns the store; the store
/// holds the index lock until destroyed. Errors: InvalidArgument (bad spec,
/// unloadable RocksDB options file, PATH is a non-index directory), NotFound
/// (ReadOnly and no index at PATH), NotSupported (engine not compiled in),
/// Busy (lock held, names the holder), Incompatible (storage format marker,
/// or schema version via the graph layer), IOError, Corruption (with a hint
/// to rebuild). Destroying a Rebuild store without commit() discards the new
/// generation.
Status openStore(const StoreSpec &Spec, const OpenOptions &Options,
                 std::unique_ptr<Store> *Out);

} // namespace codeindex::storage

#endif // CODEINDEX_STORAGE_STORE_H
