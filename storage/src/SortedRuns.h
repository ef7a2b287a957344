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

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace codeindex::storage::detail {

class SortedRuns {
public:
  /// Run files go into Dir (created on first spill, removed by drain() and
  /// the destructor). RunBytes bounds the in-memory buffer (keys + values;
  /// the index adds about 40 bytes per operation).
  SortedRuns(std::string Dir, size_t RunBytes);
  ~SortedRuns();
  SortedRuns(const SortedRuns &) = delete;
  SortedRuns &operator=(const SortedRuns &) = delete;

  /// Adds every operation of Batch (later operations win over earlier ones,
  /// and over everything added before). May spill a run to disk.
  Status add(const WriteBatch &Batch);

  bool empty() const { return Entries.empty() && Runs.empty(); }
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
  class Source;
  class MemorySource;
  class FileSource;

  void sortBuffer();
  Status spill();
  void clearBuffer();
  void removeFiles();

  std::string Dir;
  size_t RunBytes;
  std::string Arena;
  std::vector<Entry> Entries;
  std::vector<std::string> Runs; ///< run files, oldest first
  uint64_t PendingBytes = 0;
  uint64_t PendingOps = 0;
};

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_SORTEDRUNS_H
