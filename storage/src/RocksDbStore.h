//===- RocksDbStore.h - RocksDB engine internals ----------------*- C++ -*-===//
//
// Private to the storage library, its tests and benchmarks: the tuning knobs
// (so the benchmark's raw baseline runs with exactly the engine's options)
// and an open function that accepts a custom rocksdb::Env (so tests can
// inject a slow file system).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_ROCKSDBSTORE_H
#define CODEINDEX_STORAGE_SRC_ROCKSDBSTORE_H

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace codeindex::storage::detail {

/// The options RocksDbStore sets in code. The defaults are the measured
/// choice documented in docs/storage.md ("RocksDB tuning").
struct RocksDbTuning {
  /// Per column family memtable size and count.
  uint64_t WriteBufferBytes = 64ull << 20;
  int MaxWriteBufferNumber = 4;
  /// Cap on all memtables together (a WriteBufferManager): with twelve
  /// column families, per-family limits alone would allow gigabytes.
  uint64_t DbWriteBufferBytes = 256ull << 20;
  int MaxBackgroundJobs = 4;
  /// Background threads for flushes; -1 lets RocksDB derive it from
  /// MaxBackgroundJobs (a quarter of them).
  int MaxBackgroundFlushes = -1;
  int MaxSubcompactions = 2;
  int L0CompactionTrigger = 8;
  int L0SlowdownTrigger = 40;
  int L0StopTrigger = 64;
  uint64_t TargetFileSizeBytes = 64ull << 20;
  uint64_t BlockCacheBytes = 64ull << 20;
  /// Threads DB::Open uses to open the SST files of one column family.
  /// RocksDB starts this many minus one threads for every column family,
  /// however few files it has: RocksDB's default of 16 started 195 threads
  /// to open the 13 files of a rebuilt index, which was most of the cost of
  /// a read-only open (docs/storage.md, "Opening an index").
  int FileOpeningThreads = 1;
  /// Write SST files with a two-level (partitioned) index: a small top
  /// level, held by the open file, over 4 KiB index partitions read through
  /// the block cache when a lookup needs them. With a one-level index,
  /// opening a file reads its whole index block (1.7-2.6 MB for each of the
  /// large tables at 1 M entities) however little the process then reads.
  /// Off: measured at 1 M entities, a leaf lookup's process took 20 % less
  /// CPU, but the callers of a hub 5 % more (every new iterator looks its
  /// partition up in the block cache). Files written either way are read by
  /// every build: the index type is recorded in each file.
  bool PartitionedIndex = false;
  /// ReadOnly mode: a scan of a whole table whose SST files all lie in one
  /// level (a rebuilt index: one sorted run per table) and that has nothing
  /// in memtables reads the files one after the other with SstFileReader,
  /// without the DB iterator's merging of levels and memtables: a third
  /// less CPU per record (docs/storage.md). Any other table, and every
  /// prefix scan, goes through the DB iterator.
  bool DirectWholeTableScans = true;
  rocksdb::CompressionType Compression = rocksdb::kLZ4Compression;
  /// Rebuild mode only: no automatic compactions while loading (L0 files
  /// pile up without write stalls), one full compaction in commit().
  bool BulkLoad = true;
  /// Rebuild mode with BulkLoad only: commit() compacts each table that was
  /// left with more than this many (overlapping) L0 files, so that reads
  /// and the next Update do not meet a pile of them. -1: never compact.
  int CompactAtCommitL0Files = 8;
  /// Rebuild mode with BulkLoad and without ingestion only: vector
  /// memtables (appends; sorted once at flush) instead of skip lists (a
  /// search per insert). Reads of the memtable during the load get slow
  /// (each sorts a copy), which a rebuild does not need.
  bool VectorMemtable = true;
  /// Rebuild mode: buffer writes in sorted runs of this many bytes (spilled
  /// to gen-NNNNNN/bulk.tmp/), then write them as SST files and ingest them
  /// (IngestExternalFile) when commit() or a read needs them. No memtable,
  /// flush or compaction work at all. 0: write through memtables.
  size_t BulkRunBytes = 64u << 20;
  /// Target size of each ingested SST file.
  uint64_t IngestFileBytes = 256ull << 20;
};

/// Fills in the options RocksDbStore opens with in Mode (without the
/// listener and the Env, which the store adds).
/// True if Tuning in Mode uses vector memtables (then write order does not
/// matter and RocksDbStore does not sort batches).
bool usesVectorMemtable(const RocksDbTuning &Tuning, OpenMode Mode);
void applyRocksDbTuning(const RocksDbTuning &Tuning, OpenMode Mode,
                        rocksdb::DBOptions *DbOptions,
                        rocksdb::ColumnFamilyOptions *CfOptions);

/// Injection points for tests and benchmarks.
struct RocksDbHooks {
  /// Used instead of rocksdb::Env::Default(); must outlive the store.
  rocksdb::Env *Env = nullptr;
  /// Used instead of RocksDbTuning{} (ignored with an options file).
  const RocksDbTuning *Tuning = nullptr;
};

/// What RocksDbStore::commit() does to a bulk-loaded database after the
/// final flush (shared with the benchmark's raw baseline).
rocksdb::Status
compactAfterBulkLoad(rocksdb::DB *Db,
                     const std::vector<rocksdb::ColumnFamilyHandle *> &Tables,
                     int L0FilesThreshold);

Status openRocksDbStore(const std::string &Path, const OpenOptions &Options,
                        const RocksDbHooks &Hooks, std::unique_ptr<Store> *Out);

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_ROCKSDBSTORE_H
