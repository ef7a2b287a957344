//===- MemoryStore.cpp - The in-memory engine -----------------------------===//
//
// One std::map per table. Iterators need a snapshot that later writes do not
// disturb; instead of copying on every scan, each table is held through a
// shared_ptr and a write copies a table only while an iterator still shares
// it (copy-on-write). So writes with no open iterator cost nothing extra, and
// a scan costs nothing at all.
//
//===----------------------------------------------------------------------===//

#include "Engines.h"

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <new>
#include <shared_mutex>

namespace codeindex::storage::detail {
namespace {

using Map = std::map<std::string, std::string, std::less<>>;

class MemoryIterator final : public Iterator {
public:
  MemoryIterator(std::shared_ptr<const Map> Snapshot, std::string_view Prefix)
      : Snapshot(std::move(Snapshot)), Prefix(Prefix),
        It(this->Snapshot->lower_bound(Prefix)) {}

  bool valid() const override {
    return It != Snapshot->end() && startsWith(It->first, Prefix);
  }
  void next() override { ++It; }
  std::string_view key() const override { return It->first; }
  std::string_view value() const override { return It->second; }
  Status status() const override { return Status::ok(); }

private:
  std::shared_ptr<const Map> Snapshot;
  std::string Prefix;
  Map::const_iterator It;
};

class MemoryStore final : public Store {
public:
  MemoryStore() {
    for (auto &T : Tables)
      T = std::make_shared<Map>();
  }

  Status write(const WriteBatch &Batch) override {
    if (Status S = validateBatch(Batch); !S)
      return S;
    if (Committed.load())
      return Status::invalidArgument("write after commit() to a 'mem' store");
    std::unique_lock Lock(Mutex);
    // Detach every touched table first, so a bad_alloc leaves all tables as
    // they were.
    std::array<std::shared_ptr<Map>, NumTables> Work;
    try {
      for (const WriteBatch::Op &O : Batch.ops()) {
        auto &W = Work[static_cast<size_t>(O.T)];
        if (!W) {
          auto &Current = Tables[static_cast<size_t>(O.T)];
          // Shared with an iterator: copy; otherwise mutate in place. A
          // stale use_count is only ever too high (iterators are created
          // under the lock we hold), which costs a copy, never correctness.
          W = Current.use_count() > 1 ? std::make_shared<Map>(*Current)
                                      : Current;
        }
      }
      for (const WriteBatch::Op &O : Batch.ops()) {
        Map &M = *Work[static_cast<size_t>(O.T)];
        if (O.IsDelete) {
          auto It = M.find(O.Key);
          if (It != M.end())
            M.erase(It);
        } else {
          M.insert_or_assign(O.Key, O.Value);
        }
      }
    } catch (const std::bad_alloc &) {
      return Status::ioError("out of memory applying a batch to a 'mem' store");
    }
    for (size_t I = 0; I < Work.size(); ++I)
      if (Work[I])
        Tables[I] = std::move(Work[I]);
    Batches.fetch_add(1, std::memory_order_relaxed);
    Records.fetch_add(Batch.count(), std::memory_order_relaxed);
    Bytes.fetch_add(Batch.byteSize(), std::memory_order_relaxed);
    return Status::ok();
  }

  Status get(Table T, std::string_view Key, std::string *Value) override {
    std::shared_lock Lock(Mutex);
    const Map &M = *Tables[static_cast<size_t>(T)];
    auto It = M.find(Key);
    if (It == M.end())
      return Status::notFound("key not found in table '" +
                              std::string(tableName(T)) + "'");
    *Value = It->second;
    return Status::ok();
  }

  std::unique_ptr<Iterator> scan(Table T, std::string_view Prefix) override {
    std::shared_lock Lock(Mutex);
    return std::make_unique<MemoryIterator>(Tables[static_cast<size_t>(T)],
                                            Prefix);
  }

  Status commit() override {
    Committed.store(true);
    return Status::ok();
  }

  std::string_view engine() const override { return "mem"; }
  const std::string &path() const override { return EmptyPath; }

  WriteStats stats() const override {
    WriteStats S;
    S.Batches = Batches.load();
    S.Records = Records.load();
    S.Bytes = Bytes.load();
    return S;
  }

private:
  mutable std::shared_mutex Mutex;
  std::array<std::shared_ptr<Map>, NumTables> Tables;
  std::atomic<bool> Committed{false};
  std::atomic<uint64_t> Batches{0}, Records{0}, Bytes{0};
  const std::string EmptyPath;
};

} // namespace

Status openMemoryStore(const OpenOptions &Options,
                       std::unique_ptr<Store> *Out) {
  if (Options.Mode == OpenMode::ReadOnly)
    return Status::notFound(
        "a 'mem' store starts empty, so there is no index to open read-only");
  auto S = std::make_unique<MemoryStore>();
  if (Status St = writeFormatMarker(*S); !St)
    return St;
  *Out = std::move(S);
  return Status::ok();
}

} // namespace codeindex::storage::detail
