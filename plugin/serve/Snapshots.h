//===- Snapshots.h - The index generation a server answers from -*- C++ -*-===//
//
// `serve` answers every request from one Snapshot: the index opened
// read-only (storage::OpenMode::ReadOnly: no writer lock; the generation is
// pinned so that a rebuild's commit cannot delete it) with its GraphStore
// and project root. A request takes the current snapshot (a shared_ptr) at
// its start and keeps it to its end, so it reads one state of the index
// however long it runs; a later `extract` never changes what it sees.
//
// When an `extract` commits, refresh() (called by the server's watcher
// thread every few hundred milliseconds) opens a new snapshot and swaps it
// in; requests already running finish on the old one, which closes when the
// last of them lets go. How it knows, without taking any lock a writer
// would wait for:
//  * PATH/LOCK holds "pid host command" while a writer runs (storage's
//    IndexDir clears it when the writer ends). While it names a live
//    process, nothing is reopened: an incremental run writes into the live
//    generation in place, so opening then could see half of it.
//  * The signature of the index: the generation CURRENT names and the
//    names, sizes and modification times of that generation's data files.
//    A commit changes it (a new generation, or new data in the live one).
//  * After opening, LOCK and the signature are checked again; if a writer
//    started meanwhile, the new snapshot is dropped and the next refresh
//    tries again. So a snapshot never holds a half-written run.
// RocksDB opened read-only reads the state of its open to the end (all its
// files are opened then), which makes a snapshot a fixed state of the index.
// LMDB's read transactions see each later commit: on an LMDB index, a
// request running while an incremental `extract` writes may see some of its
// translation units (each one whole); docs/serve.md says so.
//
// Thread-safety: current() and refresh() may be called from any thread;
// a Snapshot is immutable and safe to share (GraphStore and Store allow
// concurrent reads); each request reads it through its own StoreReader.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_SERVE_SNAPSHOTS_H
#define CODEINDEX_PLUGIN_SERVE_SNAPSHOTS_H

#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/Store.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace codeindex {

/// One opened state of the index.
struct Snapshot {
  uint64_t Number = 0;    ///< 1 for the first this server opened, then 2, ...
  std::string Generation; ///< the directory CURRENT named ("gen-000003")
  std::string Root;       ///< the project's source root (meta "project")
  std::string Signature;  ///< what the index looked like when opened
  std::unique_ptr<storage::Store> Store;
  std::unique_ptr<GraphStore> Graph;
};

class Snapshots {
public:
  /// Checks Spec (rocksdb:PATH or lmdb:PATH) and opens the first snapshot.
  /// If a writer is running, there is none yet: current() is null until it
  /// commits. Errors: QueryError::Usage for a bad or in-memory spec,
  /// QueryError::Index when the index cannot be opened.
  static llvm::Expected<std::unique_ptr<Snapshots>>
  open(const std::string &Spec);

  /// The snapshot to answer from; null while none could be opened yet.
  std::shared_ptr<const Snapshot> current() const;

  /// Opens and swaps in a new snapshot if the index changed and no writer
  /// is running. Returns true if it swapped. A failure to open leaves the
  /// current snapshot (and is returned, for the log).
  llvm::Expected<bool> refresh();

  /// "rocksdb:PATH": the spec, as `query` prints it (stats' "source").
  const std::string &source() const { return Source; }
  /// The pid of the running writer, or 0 when there is none.
  long writerPid() const;

private:
  Snapshots() = default;
  std::string signature() const;
  llvm::Expected<std::unique_ptr<Snapshot>> openOne() const;

  storage::StoreSpec Spec;
  std::string Source;
  mutable std::mutex M;
  std::shared_ptr<const Snapshot> Cur;
  uint64_t Opened = 0;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_SERVE_SNAPSHOTS_H
