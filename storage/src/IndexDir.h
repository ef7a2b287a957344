//===- IndexDir.h - Lock, CURRENT and generations of an index ---*- C++ -*-===//
//
// The engine-independent part of the on-disk layout (see Store.h):
//
//   PATH/LOCK                 locked by the one writer; "pid host what"
//   PATH/CURRENT              "gen-NNNNNN\n": the live generation
//   PATH/gen-NNNNNN/          the engine's files
//   PATH/gen-NNNNNN/READERS   share-locked by readers of that generation
//
// CURRENT is only ever replaced by rename(), so a crash leaves either the old
// or the new name. Generations other than the live one are garbage: a
// rebuild that never committed or an old generation whose deletion was
// interrupted or postponed because a reader pinned it.
//
// Windows (see Platform.h): locks are LockFileEx() on a byte beyond the end
// of LOCK / READERS, so the holder's name in LOCK stays readable; CURRENT is
// replaced with MoveFileExW(REPLACE_EXISTING | WRITE_THROUGH), retried while
// a scanner holds it; the directory fsync after it is a no-op. A generation
// whose files another process holds open without FILE_SHARE_DELETE (a
// reader that did not pin it, a scanner) cannot be deleted yet: the deletion
// fails quietly and the next writer retries, as after a crash.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_INDEXDIR_H
#define CODEINDEX_STORAGE_SRC_INDEXDIR_H

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include "Platform.h"

#include <memory>
#include <string>
#include <string_view>

namespace codeindex::storage::detail {

class IndexDir {
public:
  /// For Update and Rebuild. Creates PATH if needed, takes PATH/LOCK (fails
  /// with Busy naming the holder, or waits, per Options.Lock), deletes
  /// unpinned stale generations, then picks the generation to open: a new
  /// empty one for Rebuild; for Update the live one, or a new one if there
  /// is none yet (fresh()).
  static Status openWriter(const std::string &Path, const OpenOptions &Options,
                           std::unique_ptr<IndexDir> *Out);

  /// For ReadOnly. Pins the live generation so no writer deletes it while
  /// this object lives. NotFound if PATH holds no committed index.
  static Status openReader(const std::string &Path,
                           std::unique_ptr<IndexDir> *Out);

  /// Whether PATH's CURRENT names a generation: some run committed an
  /// index there. False when PATH, or CURRENT in it, does not exist; true
  /// when CURRENT cannot be read or parsed, so that opening reports why.
  static bool hasCommitted(const std::string &Path);

  ~IndexDir();
  IndexDir(const IndexDir &) = delete;
  IndexDir &operator=(const IndexDir &) = delete;

  const std::string &root() const { return Root; }
  /// Directory of the generation the engine opens.
  const std::string &genDir() const { return GenDir; }
  /// True if this open created the generation (the engine must initialise
  /// it, e.g. write the format marker).
  bool fresh() const { return Fresh; }
  /// True once CURRENT names this generation.
  bool live() const { return Live; }

  /// Makes this generation the live one (write CURRENT.tmp, fsync, rename,
  /// fsync PATH), then deletes every other generation no reader pins.
  Status publish();
  /// Deletes this generation; only for one that was never published.
  void discard();

  /// Update mode, on the live generation: creates the next generation,
  /// empty but for READERS, for a copy of this one (LMDB's compaction);
  /// *Dir is its directory. publishSuccessor() makes it the live one,
  /// discardSuccessor() deletes it; until then genDir() is unchanged. A
  /// crash in between leaves a stale generation, which the next writer
  /// deletes.
  Status createSuccessor(std::string *Dir);
  /// Makes the successor the live generation (as publish(), which deletes
  /// every other unpinned generation, this one included); genDir() then
  /// names it. On failure genDir() names whichever generation CURRENT
  /// names: normally the old one (the successor is then deleted).
  Status publishSuccessor();
  /// Deletes the successor, if any.
  void discardSuccessor();

private:
  IndexDir() = default;

  std::string Root;
  std::string GenName;
  std::string GenDir;
  bool Fresh = false;
  bool Live = false;
  std::string SuccessorName; ///< see createSuccessor()
  File Lock;                 ///< PATH/LOCK, locked exclusively by writers
  File Readers;              ///< GenDir/READERS, locked shared by readers
};

/// "rebuild it with `code-indexer extract --full`": appended to Corruption
/// and Incompatible messages.
const char *rebuildHint();

/// The engine whose files the generation directory GenDir holds: "lmdb"
/// (data.mdb) or "rocksdb" (CURRENT, MANIFEST-*, OPTIONS-* or *.sst), or an
/// empty string when it holds neither's.
std::string engineOfGeneration(const std::string &GenDir);

/// InvalidArgument when the existing generation GenDir of the index at Root
/// holds the files of an engine other than Engine (`--db lmdb:P` naming a
/// RocksDB index): opening it would call a good index damaged. OK otherwise.
/// Never Corruption: such an index must not be rebuilt.
Status checkEngineOfGeneration(const std::string &Root,
                               const std::string &GenDir,
                               std::string_view Engine);

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_INDEXDIR_H
