//===- LmdbStore.h - LMDB engine internals ----------------------*- C++ -*-===//
//
// Private to the storage library, its tests and benchmarks: the tuning knobs
// of LmdbStore, so the benchmark's raw baseline uses the same environment
// flags and alternatives can be measured.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_LMDBSTORE_H
#define CODEINDEX_STORAGE_SRC_LMDBSTORE_H

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <memory>
#include <string>

namespace codeindex::storage::detail {

struct LmdbTuning {
  /// Rebuild mode only: MDB_WRITEMAP. Writes go straight into the shared
  /// mapping instead of being copied from malloc'ed pages with pwrite() at
  /// every commit; the file is then as large as the map until commit()
  /// writes the compacted copy. Measured: 1.8x faster for random writes
  /// (BulkRunBytes = 0), but 1.8x slower for the sorted appends of a bulk
  /// load (every new page faults in zero-filled), so off by default.
  bool WriteMapOnRebuild = false;
  /// Apply each write in key order per table (B-tree inserts in order touch
  /// each page once per write).
  bool SortWrites = true;
  /// Rebuild mode only: buffer writes in sorted runs of this many bytes
  /// (spilled to gen-NNNNNN/bulk.tmp/) and load them in key order, with
  /// appends, when commit() or a read needs them. 0 writes each batch
  /// directly in its own transaction.
  size_t BulkRunBytes = 64u << 20;
  /// Records per write transaction while loading sorted runs.
  size_t LoadChunkRecords = 100000;
  /// Grow the map before a load to fit what it will write (tests turn it
  /// off to exercise growth in the middle of a load).
  bool PresizeForLoad = true;
  /// A whole-table scan (the export, `stats`) lets the OS drop the map's
  /// pages it has touched after every this many bytes read, so its resident
  /// set stays bounded instead of growing to the file's size (the pages
  /// stay in the page cache). 0: never.
  uint64_t ScanDropPagesBytes = 16ull << 20;
  /// Update mode: commit() replaces the file by a compacted copy (in a new
  /// generation, made live like a rebuild's) when LMDB's free pages are at
  /// least this fraction of the pages in use and at least
  /// UpdateCompactMinFreeBytes. LMDB reuses free pages but never returns
  /// them to the file system, so without this the file keeps the largest
  /// size any run needed. Above 1: never.
  double UpdateCompactFreeFraction = 1.0 / 3;
  uint64_t UpdateCompactMinFreeBytes = 16ull << 20;
  /// Update mode: a write that had to grow the file is followed by an empty
  /// transaction, so that the next write may reuse the pages it freed (LMDB
  /// reuses pages freed two transactions back, not one).
  bool ReuseFreedPages = true;
};

/// The environment flags LmdbStore opens with in Mode (without MDB_RDONLY).
unsigned lmdbEnvFlags(const LmdbTuning &Tuning, OpenMode Mode);

Status openLmdbStore(const std::string &Path, const OpenOptions &Options,
                     const LmdbTuning &Tuning, std::unique_ptr<Store> *Out);

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_LMDBSTORE_H
