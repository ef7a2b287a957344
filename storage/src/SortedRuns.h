//===- SortedRuns.h - External sort of write batches ------------*- C++ -*-===//
//
// A bulk loader's front half: collects the operations of many write batches
// in a bounded buffer, sorts each full buffer by (table, key) and spills it
// to a run file, and finally merges all runs (and the buffer) into one
// stream in (table, key) order holding only the last operation per key.
//
// Why: B-tree engines (LMDB) insert random keys several times slower than
// keys in order, and a code graph arrives in translation-unit order, which
// is random for most tables. Sorting in bounded runs keeps memory bounded.
//
// Not thread-safe; the owner serialises calls.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_SORTEDRUNS_H
#define CODEINDEX_STORAGE_SRC_SORTEDRUNS_H

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace codeindex::storage::detail {

class SortedRuns {
public:
  /// Run files go into Dir (created on first spill, removed by drain() and
  /// the destructor). RunBytes bounds the memory held (keys + values; the
  /// index adds about 40 bytes per operation): two buffers of RunBytes / 2,
  /// one filling while a helper thread sorts and writes the other.
  SortedRuns(std::string Dir, size_t RunBytes);
  ~SortedRuns();
  SortedRuns(const SortedRuns &) = delete;
  SortedRuns &operator=(const SortedRuns &) = delete;

  /// Adds every operation of Batch (later operations win over earlier ones,
  /// and over everything added before). May spill a run to disk.
  Status add(const WriteBatch &Batch);

  bool empty() const { return Active.Entries.empty() && Runs.empty(); }
  /// Key and value bytes added since the last drain().
  uint64_t pendingBytes() const { return PendingBytes; }
  uint64_t pendingOps() const { return PendingOps; }

  using Sink = std::function<Status(Table T, std::string_view Key,
                                    std::string_view Value, bool IsDelete)>;
  /// Calls Out once per (table, key) in order with the last operation on it,
  /// then forgets everything. Views are valid during the call only. Stops at
  /// the first error Out returns.
  Status drain(const Sink &Out);

private:
  struct Entry {
    uint64_t P1, P2; ///< the key's first 16 bytes, big-endian, zero-padded
    uint32_t Off;    ///< key, then value, in Arena
    uint32_t KeyLen;
    uint32_t ValLen;
    uint32_t Seq; ///< order of addition within the buffer
    Table T;
    bool IsDelete;
  };
  struct Buffer {
    std::string Arena;
    std::vector<Entry> Entries;
    void clear() {
      Arena.clear();
      Entries.clear();
    }
  };
  class Source;
  class MemorySource;
  class FileSource;

  static void sortBuffer(Buffer &B);
  static Status writeRun(Buffer &B, const std::string &Path);
  /// Hands the active buffer to the spill thread (after the previous spill
  /// finished).
  Status startSpill();
  /// Waits for the spill in progress; its status.
  Status waitSpill();
  void removeFiles();

  std::string Dir;
  size_t BufferBytes;
  Buffer Active;
  Buffer Spilling;
  std::thread Spiller;
  Status SpillStatus;
  std::vector<std::string> Runs; ///< run files, oldest first
  uint64_t PendingBytes = 0;
  uint64_t PendingOps = 0;
};

/// A slice of a drained stream: records with their bytes in one arena.
struct RecordBlock {
  struct Rec {
    Table T;
    bool IsDelete;
    uint32_t KeyLen, ValLen;
    size_t Off;
  };
  std::string Arena;
  std::vector<Rec> Recs;

  static constexpr size_t TargetBytes = 4u << 20;
  bool full() const { return Arena.size() >= TargetBytes; }
  void clear() {
    Arena.clear();
    Recs.clear();
  }
  void add(Table T, std::string_view K, std::string_view V, bool IsDelete) {
    Recs.push_back({T, IsDelete, static_cast<uint32_t>(K.size()),
                    static_cast<uint32_t>(V.size()), Arena.size()});
    Arena.append(K);
    Arena.append(V);
  }
  std::string_view key(const Rec &R) const {
    return std::string_view(Arena).substr(R.Off, R.KeyLen);
  }
  std::string_view value(const Rec &R) const {
    return std::string_view(Arena).substr(R.Off + R.KeyLen, R.ValLen);
  }
};

/// Drains a SortedRuns in a helper thread, handing the merged stream over
/// in blocks: merging and writing the engine then use two cores. The
/// consumer owns each block until it recycles it (LMDB keeps the blocks of
/// a transaction for a replay after MDB_MAP_FULL).
class BlockStream {
public:
  explicit BlockStream(SortedRuns &Runs);
  /// Cancels the merge if the consumer stops early, and joins.
  ~BlockStream();
  BlockStream(const BlockStream &) = delete;
  BlockStream &operator=(const BlockStream &) = delete;

  /// The next block, or null at the end (or after a merge error).
  std::unique_ptr<RecordBlock> next();
  /// Gives a block back for reuse.
  void recycle(std::unique_ptr<RecordBlock> B);
  /// Waits for the merge and returns its status. Call after next() returned
  /// null, or to abandon the stream.
  Status finish();

private:
  bool push(std::unique_ptr<RecordBlock> B);
  std::unique_ptr<RecordBlock> spare();

  static constexpr size_t Depth = 4;
  std::mutex M;
  std::condition_variable Cv;
  std::deque<std::unique_ptr<RecordBlock>> Full;
  std::vector<std::unique_ptr<RecordBlock>> Spare;
  bool Closed = false, Cancelled = false;
  Status Result;
  std::thread Merger;
};

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_SORTEDRUNS_H
