//===- CountingStore.h - A Store that counts what is read -------*- C++ -*-===//
//
// Wraps another Store and counts the records and bytes read through it, so a
// test (or a benchmark) can state how much of the index an operation read:
// a point lookup must read records in proportion to its answer, not the
// whole graph. Writes and everything else are forwarded unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_COUNTINGSTORE_H
#define CODEINDEX_STORAGE_COUNTINGSTORE_H

#include "codeindex/storage/Store.h"

#include <atomic>
#include <cstdint>

namespace codeindex::storage {

/// What was read through a CountingStore.
struct ReadStats {
  uint64_t Gets = 0;    ///< get() calls (found or not)
  uint64_t Scans = 0;   ///< scan() calls
  uint64_t Records = 0; ///< values returned: found gets + records scanned
  uint64_t Bytes = 0;   ///< key + value bytes of those records
};

/// Does not own Inner, which must outlive it. Thread-safety: as Inner's;
/// the counters are atomic, so concurrent readers are counted exactly. An
/// iterator counts a record when it reaches it (valid() after creation or
/// next()), so a scan stopped early counts only what it visited.
class CountingStore final : public Store {
public:
  explicit CountingStore(Store &Inner) : Inner(Inner) {}

  ReadStats readStats() const;
  void resetReadStats();

  Status write(const WriteBatch &Batch) override { return Inner.write(Batch); }
  Status get(Table T, std::string_view Key, std::string *Value) override;
  std::unique_ptr<Iterator> scan(Table T, std::string_view Prefix) override;
  std::unique_ptr<Iterator> scanShare(Table T, unsigned Share,
                                      unsigned Shares) override;
  Status commit() override { return Inner.commit(); }
  std::string_view engine() const override { return Inner.engine(); }
  const std::string &path() const override { return Inner.path(); }
  WriteStats stats() const override { return Inner.stats(); }
  EngineStall currentStall() const override { return Inner.currentStall(); }

private:
  class CountingIterator;

  Store &Inner;
  std::atomic<uint64_t> Gets{0}, Scans{0}, Records{0}, Bytes{0};
};

} // namespace codeindex::storage

#endif // CODEINDEX_STORAGE_COUNTINGSTORE_H
