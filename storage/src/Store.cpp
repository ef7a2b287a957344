//===- Store.cpp - WriteBatch, tables, engine specs and the factory -------===//

#include "codeindex/storage/Store.h"

#include "Engines.h"
#include "IndexDir.h"

#include <algorithm>
#include <iterator>

namespace codeindex::storage {

std::string_view tableName(Table T) {
  switch (T) {
  case Table::Meta:
    return "meta";
  case Table::Files:
    return "files";
  case Table::Entities:
    return "entities";
  case Table::OutEdges:
    return "out_edges";
  case Table::InEdges:
    return "in_edges";
  case Table::Names:
    return "names";
  case Table::Diagnostics:
    return "diagnostics";
  case Table::TestFiles:
    return "test_files";
  case Table::Coverage:
    return "coverage";
  case Table::IgnoredFiles:
    return "ignored_files";
  case Table::Units:
    return "units";
  case Table::TuState:
    return "tu_state";
  case Table::EntityNames:
    return "entity_names";
  }
  return "unknown";
}

namespace {
/// scanShare() from prefix scans: one per byte value of the share, each
/// started when the one before ends.
class ChainedShareIterator final : public Iterator {
public:
  ChainedShareIterator(Store &S, Table T, unsigned From, unsigned To)
      : S(S), T(T), Next(From), To(To) {
    advance();
  }
  bool valid() const override { return It && It->valid(); }
  void next() override {
    It->next();
    if (!It->valid())
      advance();
  }
  std::string_view key() const override { return It->key(); }
  std::string_view value() const override { return It->value(); }
  Status status() const override { return It ? It->status() : Status::ok(); }

private:
  /// Moves to the first key of the next byte value that has one (or stays
  /// at the end of a scan that failed, which then gives its status).
  void advance() {
    while ((!It || (!It->valid() && It->status().isOk())) && Next < To) {
      char Byte = static_cast<char>(Next++);
      It = S.scan(T, std::string_view(&Byte, 1));
    }
  }

  Store &S;
  Table T;
  unsigned Next, To;
  std::unique_ptr<Iterator> It;
};

} // namespace

std::unique_ptr<Iterator> failedIterator(Status St) {
  class Failed final : public Iterator {
  public:
    explicit Failed(Status S) : St(std::move(S)) {}
    bool valid() const override { return false; }
    void next() override {}
    std::string_view key() const override { return {}; }
    std::string_view value() const override { return {}; }
    Status status() const override { return St; }

  private:
    Status St;
  };
  return std::make_unique<Failed>(std::move(St));
}

bool shareBounds(unsigned Share, unsigned Shares, unsigned &From,
                 unsigned &To) {
  if (Shares == 0 || Shares > 256 || Share >= Shares)
    return false;
  From = Share * 256 / Shares;
  To = (Share + 1) * 256 / Shares;
  return true;
}

std::unique_ptr<Iterator> Store::scanShare(Table T, unsigned Share,
                                           unsigned Shares) {
  unsigned From, To;
  if (!shareBounds(Share, Shares, From, To))
    return failedIterator(Status::invalidArgument(
        "share " + std::to_string(Share) + " of " + std::to_string(Shares) +
        ": shares are 1 to 256"));
  return std::make_unique<ChainedShareIterator>(*this, T, From, To);
}

void WriteBatch::put(Table T, std::string_view Key, std::string_view Value) {
  Ops.push_back(Op{T, false, std::string(Key), std::string(Value)});
  Bytes += Key.size() + Value.size();
}

void WriteBatch::del(Table T, std::string_view Key) {
  Ops.push_back(Op{T, true, std::string(Key), std::string()});
  Bytes += Key.size();
}

void WriteBatch::append(WriteBatch &&Other) {
  if (Ops.empty()) {
    Ops = std::move(Other.Ops);
  } else {
    // Grow geometrically: BatchWriter appends many small batches in a row.
    size_t Needed = Ops.size() + Other.Ops.size();
    if (Needed > Ops.capacity())
      Ops.reserve(std::max(Needed, Ops.capacity() * 2));
    Ops.insert(Ops.end(), std::make_move_iterator(Other.Ops.begin()),
               std::make_move_iterator(Other.Ops.end()));
  }
  Bytes += Other.Bytes;
  Other.clear();
}

void WriteBatch::clear() {
  Ops.clear();
  Bytes = 0;
}

std::string StoreSpec::toString() const {
  if (Path.empty())
    return Engine;
  return Engine + ":" + Path;
}

namespace {

constexpr const char *AcceptedForms = "expected rocksdb:PATH, lmdb:PATH or mem";

bool isCompiledIn(std::string_view Engine) {
  for (std::string_view E : availableEngines())
    if (E == Engine)
      return true;
  return false;
}

Status notCompiledIn(std::string_view Engine) {
  std::string Available;
  for (std::string_view E : availableEngines()) {
    if (!Available.empty())
      Available += ", ";
    Available += E;
  }
  std::string Option =
      Engine == "rocksdb" ? "CODE_INDEX_WITH_ROCKSDB" : "CODE_INDEX_WITH_LMDB";
  return Status::notSupported(
      "storage engine '" + std::string(Engine) +
      "' is not compiled into this build (available: " + Available +
      "); reconfigure with -D" + Option + "=ON");
}

} // namespace

Status parseStoreSpec(std::string_view Spec, StoreSpec *Out) {
  if (Spec.empty())
    return Status::invalidArgument(std::string("empty storage spec; ") +
                                   AcceptedForms);
  if (Spec == "mem") {
    *Out = StoreSpec{"mem", ""};
    return Status::ok();
  }
  size_t Colon = Spec.find(':');
  std::string Engine(Spec.substr(0, Colon));
  if (Colon == std::string_view::npos) {
    if (Engine == "rocksdb" || Engine == "lmdb")
      return Status::invalidArgument("storage spec '" + Engine +
                                     "' needs a path (" + Engine + ":PATH); " +
                                     AcceptedForms);
    return Status::invalidArgument("unknown storage spec '" + Engine + "'; " +
                                   AcceptedForms);
  }
  std::string Path(Spec.substr(Colon + 1));
  if (Engine == "mem")
    return Status::invalidArgument("storage spec 'mem' takes no path (got '" +
                                   std::string(Spec) + "'); " + AcceptedForms);
  if (Engine != "rocksdb" && Engine != "lmdb")
    return Status::invalidArgument("unknown storage engine '" + Engine +
                                   "' in '" + std::string(Spec) + "'; " +
                                   AcceptedForms);
  if (Path.empty())
    return Status::invalidArgument("empty path in storage spec '" +
                                   std::string(Spec) + "'; " + AcceptedForms);
  if (!isCompiledIn(Engine))
    return notCompiledIn(Engine);
  *Out = StoreSpec{Engine, Path};
  return Status::ok();
}

std::string_view defaultEngineFor(bool TargetIsWindows) {
  // RocksDB's LSM tree suits the bulk writes of a full build, but on Windows
  // its many small files meet on-access virus scanners and path-length
  // limits; LMDB is a single memory-mapped file there.
  return TargetIsWindows ? "lmdb" : "rocksdb";
}

std::string_view defaultEngine() {
#ifdef CODEINDEX_STORAGE_DEFAULT_ENGINE
  return CODEINDEX_STORAGE_DEFAULT_ENGINE;
#else
#ifdef _WIN32
  constexpr bool IsWindows = true;
#else
  constexpr bool IsWindows = false;
#endif
  std::string_view Preferred = defaultEngineFor(IsWindows);
  if (isCompiledIn(Preferred))
    return Preferred;
  std::string_view Other = Preferred == "rocksdb" ? "lmdb" : "rocksdb";
  if (isCompiledIn(Other))
    return Other;
  return "mem";
#endif
}

std::vector<std::string_view> availableEngines() {
  std::vector<std::string_view> Engines;
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
  Engines.push_back("rocksdb");
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  Engines.push_back("lmdb");
#endif
  Engines.push_back("mem");
  return Engines;
}

bool hasCommittedIndex(const StoreSpec &Spec) {
  if (Spec.Engine == "mem" || Spec.Path.empty())
    return false;
  return detail::IndexDir::hasCommitted(Spec.Path);
}

Status openStore(const StoreSpec &Spec, const OpenOptions &Options,
                 std::unique_ptr<Store> *Out) {
  Out->reset();
  if (Spec.Engine == "mem") {
    if (!Spec.Path.empty())
      return Status::invalidArgument("storage spec 'mem' takes no path; " +
                                     std::string(AcceptedForms));
    return detail::openMemoryStore(Options, Out);
  }
  if (Spec.Engine != "rocksdb" && Spec.Engine != "lmdb")
    return Status::invalidArgument("unknown storage engine '" + Spec.Engine +
                                   "'; " + AcceptedForms);
  if (Spec.Path.empty())
    return Status::invalidArgument("empty path for storage engine '" +
                                   Spec.Engine + "'; " + AcceptedForms);
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
  if (Spec.Engine == "rocksdb")
    return detail::openRocksDbStore(Spec.Path, Options, Out);
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  if (Spec.Engine == "lmdb")
    return detail::openLmdbStore(Spec.Path, Options, Out);
#endif
  return notCompiledIn(Spec.Engine);
}

namespace detail {

Status validateBatch(const WriteBatch &Batch) {
  for (const WriteBatch::Op &O : Batch.ops())
    if (O.Key.empty())
      return Status::invalidArgument("empty key in a write to table '" +
                                     std::string(tableName(O.T)) +
                                     "'; keys must be non-empty");
  return Status::ok();
}

Status writeFormatMarker(Store &S) {
  WriteBatch B;
  B.put(Table::Meta, StorageFormatKey, StorageFormat);
  return S.write(B);
}

Status checkFormatMarker(Store &S, const std::string &Path) {
  std::string Value;
  Status St = S.get(Table::Meta, StorageFormatKey, &Value);
  if (St.isNotFound())
    return Status::incompatible(
        "index at '" + Path +
        "' has no storage format marker: it was written by an older "
        "CodeIndex or by another program; " +
        rebuildHint());
  if (!St)
    return St;
  if (Value != StorageFormat) {
    std::string Shown = Value.substr(0, 64);
    return Status::incompatible(
        "index at '" + Path + "' uses storage format '" + Shown +
        "', but this build reads '" + std::string(StorageFormat) + "'; " +
        rebuildHint());
  }
  return Status::ok();
}

std::string prefixSuccessor(std::string_view Prefix) {
  std::string S(Prefix);
  while (!S.empty()) {
    unsigned char Last = static_cast<unsigned char>(S.back());
    if (Last != 0xff) {
      S.back() = static_cast<char>(Last + 1);
      return S;
    }
    S.pop_back();
  }
  return S;
}

} // namespace detail
} // namespace codeindex::storage
