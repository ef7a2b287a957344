//===- RocksDbStore.cpp - The RocksDB engine ------------------------------===//
//
// One column family per table (plus RocksDB's mandatory "default", unused).
//
// Rebuild: writes are collected in sorted runs (SortedRuns) and, at commit()
// or before a read, merged into SST files that are ingested
// (IngestExternalFile). A fresh generation then never goes through
// memtables, flushes or compactions: measured as fast as plain sorted
// WriteBatch puts, against about 0.6 of it through vector memtables and a
// final compaction (docs/storage.md). Whatever still goes through memtables
// in a rebuild is written without the WAL: the generation is thrown away
// unless commit() runs, and commit() flushes before CURRENT names it.
//
// Update: plain WriteBatch writes with the WAL; commit() syncs it and
// flushes the memtables, so a read-only open has no WAL to replay.
//
//===----------------------------------------------------------------------===//

#include "RocksDbStore.h"

#include "Engines.h"
#include "IndexDir.h"
#include "SortedRuns.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <numeric>

namespace codeindex::storage::detail {
namespace {

using Clock = std::chrono::steady_clock;

/// RocksDB's info LOG, written with stdio. RocksDB's own file logger keeps
/// writing after a failed write (a full disk, `ulimit -f`), which trips an
/// assertion in distribution builds of RocksDB and aborts the process; this
/// one stops logging at the first failure or past MaxBytes instead. Errors
/// that matter reach us as statuses of the writes themselves.
class StdioLogger : public rocksdb::Logger {
public:
  static constexpr long MaxBytes = 8l << 20;

  /// An empty Path discards everything (readers must not write the index).
  explicit StdioLogger(const std::string &Path)
      : F(Path.empty() ? nullptr : std::fopen(Path.c_str(), CloseOnExec)) {}
  ~StdioLogger() override {
    if (F)
      std::fclose(F);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char *Format, va_list Ap) override {
    std::lock_guard Lock(M);
    if (!F || Failed)
      return;
    std::time_t Now = std::time(nullptr);
    std::tm Tm;
    char Stamp[32];
#ifdef _WIN32
    ::localtime_s(&Tm, &Now);
#else
    ::localtime_r(&Now, &Tm);
#endif
    std::strftime(Stamp, sizeof(Stamp), "%Y/%m/%d-%H:%M:%S ", &Tm);
    std::fputs(Stamp, F);
    std::vfprintf(F, Format, Ap);
    std::fputc('\n', F);
    if (std::fflush(F) != 0 || std::ferror(F) || std::ftell(F) > MaxBytes)
      Failed = true;
  }

private:
#ifdef _WIN32
  static constexpr const char *CloseOnExec = "wN";
#else
  static constexpr const char *CloseOnExec = "we";
#endif
  std::mutex M;
  std::FILE *F;
  bool Failed = false;
};

/// RocksDB counts into a thread-local perf context on every read by
/// default (PerfLevel::kEnableCount): several thread-local accesses per
/// record that nothing here reads. Turned off for the calling thread before
/// it reads (measured: 7 % of the CPU of a key-only scan).
void disablePerfCounters() {
  thread_local bool Done = false;
  if (!Done) {
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
    Done = true;
  }
}

uint64_t millisSince(Clock::time_point Start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                            Start)
          .count());
}

/// Maps a RocksDB status. Damage (and files that should be there but are
/// not) becomes Corruption with the rebuild hint.
Status fromRocks(const rocksdb::Status &S, const std::string &Path,
                 const std::string &What) {
  if (S.ok())
    return Status::ok();
  std::string Msg = What + " (index at '" + Path + "'): " + S.ToString();
  if (S.IsNotFound())
    return Status::notFound(Msg);
  if (S.IsCorruption())
    return Status::corruption(Msg + "; " + rebuildHint());
  if (S.IsInvalidArgument())
    return Status::invalidArgument(Msg);
  if (S.IsNotSupported())
    return Status::notSupported(Msg);
  if (S.IsIncomplete() || S.IsAborted())
    return Status::aborted(Msg);
  return Status::ioError(Msg);
}

/// Tracks write stalls through RocksDB's listener interface. A stall is any
/// time at least one column family is delayed or stopped.
class StallListener final : public rocksdb::EventListener {
public:
  explicit StallListener(StallCallback OnStall) : OnStall(std::move(OnStall)) {}

  const char *Name() const override { return "CodeIndexStallListener"; }

  void OnStallConditionsChanged(const rocksdb::WriteStallInfo &Info) override {
    bool Started = false, Ended = false;
    uint64_t Duration = 0;
    std::string Reason;
    {
      std::lock_guard Lock(Mutex);
      if (Info.condition.cur == rocksdb::WriteStallCondition::kNormal)
        Conditions.erase(Info.cf_name);
      else
        Conditions[Info.cf_name] = Info.condition.cur;
      bool Any = !Conditions.empty();
      if (Any) {
        CurrentReason = describe();
        Reason = CurrentReason;
      }
      if (Any && !Active) {
        Active = true;
        Start = Clock::now();
        Started = true;
      } else if (!Any && Active) {
        Active = false;
        Duration = millisSince(Start);
        TotalMillis += Duration;
        LongestMillis = std::max(LongestMillis, Duration);
        Reason = CurrentReason;
        Ended = true;
      }
    }
    // Outside the lock: the callback may ask for currentStall().
    if (OnStall && Started)
      OnStall(true, 0, Reason);
    if (OnStall && Ended)
      OnStall(false, Duration, Reason);
  }

  EngineStall current() const {
    std::lock_guard Lock(Mutex);
    EngineStall S;
    if (Active) {
      S.Active = true;
      S.Millis = millisSince(Start);
      S.Reason = CurrentReason;
    }
    return S;
  }

  /// Total and longest stall time, counting a stall in progress.
  void totals(uint64_t *Total, uint64_t *Longest) const {
    std::lock_guard Lock(Mutex);
    *Total = TotalMillis;
    *Longest = LongestMillis;
    if (Active) {
      uint64_t Now = millisSince(Start);
      *Total += Now;
      *Longest = std::max(*Longest, Now);
    }
  }

private:
  std::string describe() const {
    bool Stopped = false;
    std::string Families;
    for (const auto &[Name, Cond] : Conditions) {
      Stopped |= Cond == rocksdb::WriteStallCondition::kStopped;
      Families += (Families.empty() ? "'" : ", '") + Name + "'";
    }
    return std::string("rocksdb: writes ") +
           (Stopped ? "stopped" : "slowed down") +
           " until flushes and compactions catch up (column family " +
           Families + "); the disk is slower than the extractor";
  }

  StallCallback OnStall;
  mutable std::mutex Mutex;
  std::map<std::string, rocksdb::WriteStallCondition> Conditions;
  bool Active = false;
  Clock::time_point Start;
  std::string CurrentReason;
  uint64_t TotalMillis = 0;
  uint64_t LongestMillis = 0;
};

class RocksDbIterator final : public Iterator {
public:
  RocksDbIterator(rocksdb::DB *Db, rocksdb::ColumnFamilyHandle *Cf,
                  std::string_view Prefix, std::string Path)
      : Prefix(Prefix), Upper(prefixSuccessor(Prefix)), UpperSlice(Upper),
        Path(std::move(Path)) {
    // A whole-table scan (the export, `stats`), or all edges of one kind,
    // reads each block once: keeping its blocks would only fill the block
    // cache, i.e. make the reader's memory grow with the index up to the
    // cache's size, and evict the blocks point lookups reuse. Sequential,
    // so read ahead: 2 MB for a whole table, RocksDB's adaptive readahead
    // (from 8 KB) for a one-byte prefix, which may be smaller than that.
    start(Db, Cf, this->Prefix, this->Prefix.size() <= 1,
          this->Prefix.empty() ? 2u << 20 : 0);
  }

  /// Store::scanShare: the keys from first byte From up to (not including)
  /// first byte To (the end of the table when To is 256), with one
  /// iterator, read like a whole table (`search` by 256 one-byte prefix
  /// iterators took 40 % more CPU than by one per share).
  RocksDbIterator(rocksdb::DB *Db, rocksdb::ColumnFamilyHandle *Cf,
                  unsigned From, unsigned To, std::string Path)
      : Path(std::move(Path)) {
    if (To < 256) {
      Upper.assign(1, static_cast<char>(To));
      UpperSlice = rocksdb::Slice(Upper);
    }
    std::string Lower(1, static_cast<char>(From));
    start(Db, Cf, From ? Lower : std::string(), true, 2u << 20);
  }

  bool valid() const override {
    return It->Valid() &&
           startsWith(std::string_view(It->key().data(), It->key().size()),
                      Prefix);
  }
  void next() override { It->Next(); }
  std::string_view key() const override {
    return {It->key().data(), It->key().size()};
  }
  std::string_view value() const override {
    return {It->value().data(), It->value().size()};
  }
  Status status() const override {
    return fromRocks(It->status(), Path, "scan failed");
  }

private:
  void start(rocksdb::DB *Db, rocksdb::ColumnFamilyHandle *Cf,
             std::string_view Seek, bool Bulk, size_t Readahead) {
    disablePerfCounters();
    rocksdb::ReadOptions Ro;
    if (!Upper.empty())
      Ro.iterate_upper_bound = &UpperSlice;
    if (Bulk) {
      Ro.fill_cache = false;
      Ro.readahead_size = Readahead;
    }
    It.reset(Db->NewIterator(Ro, Cf));
    It->Seek(rocksdb::Slice(Seek.data(), Seek.size()));
  }

  std::string Prefix; ///< empty for a share: valid() is the upper bound's
  std::string Upper;
  rocksdb::Slice UpperSlice;
  std::string Path;
  std::unique_ptr<rocksdb::Iterator> It;
};

/// A whole-table scan that reads a table's SST files directly, in key
/// order, one file after the other (RocksDbTuning::DirectWholeTableScans).
/// Only used where that is what the DB iterator would return: the files are
/// one sorted run (all in one level, not overlapping, or one L0 file), the
/// memtables are empty and no file has a range deletion. Deletes inside a
/// file are applied by SstFileReader's iterator; there is no older level
/// they could have to hide.
class SstRunIterator final : public Iterator {
public:
  SstRunIterator(std::vector<std::string> Files, rocksdb::Options Opts,
                 std::string Path)
      : Files(std::move(Files)), Opts(std::move(Opts)), Path(std::move(Path)) {
    disablePerfCounters();
    // As RocksDbIterator's whole-table scans: each block once, uncached.
    Ro.fill_cache = false;
    Ro.readahead_size = 2u << 20;
    openNextNonEmpty();
  }

  bool valid() const override { return It && It->Valid(); }
  void next() override {
    It->Next();
    if (!It->Valid())
      openNextNonEmpty();
  }
  std::string_view key() const override {
    return {It->key().data(), It->key().size()};
  }
  std::string_view value() const override {
    return {It->value().data(), It->value().size()};
  }
  Status status() const override { return Failure; }

private:
  /// Moves to the first record of the next file that has one, or to the
  /// end (It null) with Failure set if a file cannot be read.
  void openNextNonEmpty() {
    while (true) {
      if (It && !It->status().ok()) {
        Failure = fromRocks(It->status(), Path, "scan failed");
        It.reset();
        return;
      }
      It.reset(); // before its reader
      Reader.reset();
      if (NextFile == Files.size())
        return;
      Reader = std::make_unique<rocksdb::SstFileReader>(Opts);
      if (rocksdb::Status S = Reader->Open(Files[NextFile++]); !S.ok()) {
        Failure = fromRocks(S, Path, "scan failed");
        return;
      }
      It.reset(Reader->NewIterator(Ro));
      It->SeekToFirst();
      if (It->Valid())
        return;
    }
  }

  std::vector<std::string> Files;
  size_t NextFile = 0;
  rocksdb::Options Opts;
  rocksdb::ReadOptions Ro;
  std::string Path;
  std::unique_ptr<rocksdb::SstFileReader> Reader;
  std::unique_ptr<rocksdb::Iterator> It; ///< into *Reader
  Status Failure;
};

class RocksDbStore final : public Store {
public:
  RocksDbStore(std::unique_ptr<IndexDir> Dir, OpenMode Mode)
      : Dir(std::move(Dir)), Mode(Mode), Root(this->Dir->root()) {}

  ~RocksDbStore() override {
    Bulk.reset(); // removes its run files
    close();
    if (Mode == OpenMode::Rebuild && !Committed.load())
      Dir->discard();
  }

  Status open(const OpenOptions &Options, const RocksDbHooks &Hooks);

  Status write(const WriteBatch &Batch) override {
    if (Status S = validateBatch(Batch); !S)
      return S;
    if (Mode == OpenMode::ReadOnly)
      return Status::invalidArgument("write to a read-only store at '" + Root +
                                     "'");
    if (Committed.load())
      return Status::invalidArgument("write after commit() to the store at '" +
                                     Root + "'");
    if (Bulk) {
      try {
        std::lock_guard Lock(BulkMutex);
        if (Status S = Bulk->add(Batch); !S)
          return S;
      } catch (const std::exception &E) {
        return Status::ioError("write failed (index at '" + Root +
                               "'): " + E.what());
      }
      countWrite(Batch);
      return Status::ok();
    }
    try {
      // Insert in key order per table: the memtable skip list then finds
      // each position near the previous one instead of searching from the
      // top (see docs/storage.md). The stable sort keeps several operations
      // on one key in order. Vector memtables sort at flush instead.
      const auto &Ops = Batch.ops();
      std::vector<uint32_t> Order(Ops.size());
      std::iota(Order.begin(), Order.end(), 0u);
      if (SortWrites)
        std::stable_sort(Order.begin(), Order.end(),
                         [&](uint32_t A, uint32_t B) {
                           if (Ops[A].T != Ops[B].T)
                             return Ops[A].T < Ops[B].T;
                           return Ops[A].Key < Ops[B].Key;
                         });
      rocksdb::WriteBatch Wb(Batch.byteSize() + Batch.count() * 24 + 64);
      for (uint32_t I : Order) {
        const WriteBatch::Op &O = Ops[I];
        rocksdb::ColumnFamilyHandle *Cf = handle(O.T);
        rocksdb::Status S =
            O.IsDelete ? Wb.Delete(Cf, O.Key) : Wb.Put(Cf, O.Key, O.Value);
        if (!S.ok())
          return fromRocks(S, Root, "cannot build a write batch");
      }
      rocksdb::Status S = Db->Write(WriteOpts, &Wb);
      if (!S.ok())
        return fromRocks(S, Root, "write failed");
    } catch (const std::exception &E) {
      return Status::ioError("write failed (index at '" + Root +
                             "'): " + E.what());
    }
    countWrite(Batch);
    return Status::ok();
  }

  Status get(Table T, std::string_view Key, std::string *Value) override {
    if (Status St = ingestBulk(); !St)
      return St;
    disablePerfCounters();
    rocksdb::Status S =
        Db->Get(rocksdb::ReadOptions(), handle(T), rocksdb::Slice(Key), Value);
    if (S.IsNotFound())
      return Status::notFound("key not found in table '" +
                              std::string(tableName(T)) + "'");
    return fromRocks(S, Root, "read failed");
  }

  std::unique_ptr<Iterator> scan(Table T, std::string_view Prefix) override;
  std::unique_ptr<Iterator> scanShare(Table T, unsigned Share,
                                      unsigned Shares) override;

  Status commit() override;

  std::string_view engine() const override { return "rocksdb"; }
  const std::string &path() const override { return Root; }

  WriteStats stats() const override {
    WriteStats S;
    S.Batches = Batches.load();
    S.Records = Records.load();
    S.Bytes = Bytes.load();
    if (Listener)
      Listener->totals(&S.StallMillis, &S.LongestStallMillis);
    return S;
  }

  EngineStall currentStall() const override {
    return Listener ? Listener->current() : EngineStall();
  }

private:
  void countWrite(const WriteBatch &Batch) {
    Batches.fetch_add(1, std::memory_order_relaxed);
    Records.fetch_add(Batch.count(), std::memory_order_relaxed);
    Bytes.fetch_add(Batch.byteSize(), std::memory_order_relaxed);
  }

  /// Writes what Bulk holds as SST files and ingests them (before reads and
  /// in commit()).
  /// Ingests the sorted runs. A failure is final: every later call (and
  /// commit()) returns it, since part of the runs may have been consumed.
  Status ingestBulk();
  Status ingestBulkOnce();
  /// An SstRunIterator over table T, or null where the DB iterator must
  /// read it (see SstRunIterator).
  std::unique_ptr<Iterator> directScan(Table T);
  Status BulkFailure; ///< guarded by BulkMutex

  rocksdb::ColumnFamilyHandle *handle(Table T) const {
    return Handles[static_cast<size_t>(T) + 1];
  }

  void close() {
    if (!Db)
      return;
    for (rocksdb::ColumnFamilyHandle *H : Handles)
      if (H)
        Db->DestroyColumnFamilyHandle(H);
    Handles.clear();
    Db->Close();
    delete Db;
    Db = nullptr;
  }

  std::unique_ptr<IndexDir> Dir;
  OpenMode Mode;
  std::string Root;
  rocksdb::DB *Db = nullptr;
  /// [0] is "default", [1 + table] the tables.
  std::vector<rocksdb::ColumnFamilyHandle *> Handles;
  rocksdb::WriteOptions WriteOpts;
  std::shared_ptr<StallListener> Listener;
  bool BulkLoad = false;
  int CompactL0Files = -1;
  bool SortWrites = true;
  std::mutex BulkMutex;
  std::unique_ptr<SortedRuns> Bulk; ///< Rebuild mode: writes not yet ingested
  uint64_t IngestFileBytes = 0;
  rocksdb::DBOptions DbOptions;                           ///< for SstFileWriter
  std::vector<rocksdb::ColumnFamilyOptions> TableOptions; ///< per table
  /// ReadOnly: whole-table scans may read SST files directly (the options
  /// above are then kept for SstFileReader).
  bool DirectScans = false;
  std::atomic<bool> Committed{false};
  std::mutex CommitMutex;
  std::atomic<uint64_t> Batches{0}, Records{0}, Bytes{0};
};

Status RocksDbStore::open(const OpenOptions &Options,
                          const RocksDbHooks &Hooks) {
  // Before anything writes into the generation (RocksDB's LOG, LOCK).
  if (!Dir->fresh())
    if (Status St = checkEngineOfGeneration(Root, Dir->genDir(), "rocksdb");
        !St)
      return St;
  rocksdb::Env *Env = Hooks.Env ? Hooks.Env : rocksdb::Env::Default();
  rocksdb::DBOptions DbOpts;
  std::vector<rocksdb::ColumnFamilyDescriptor> Cfs;
  Cfs.emplace_back(rocksdb::kDefaultColumnFamilyName,
                   rocksdb::ColumnFamilyOptions());

  size_t BulkRunBytes = RocksDbTuning().BulkRunBytes;
  if (!Options.RocksDbOptionsFile.empty()) {
    rocksdb::ConfigOptions Cfg;
    Cfg.ignore_unknown_options = false;
    Cfg.input_strings_escaped = true;
    Cfg.env = Env;
    std::vector<rocksdb::ColumnFamilyDescriptor> FileCfs;
    rocksdb::Status S = rocksdb::LoadOptionsFromFile(
        Cfg, Options.RocksDbOptionsFile, &DbOpts, &FileCfs);
    if (!S.ok())
      return Status::invalidArgument("cannot load RocksDB options file '" +
                                     Options.RocksDbOptionsFile +
                                     "': " + S.ToString());
    auto FindCf =
        [&](std::string_view Name) -> const rocksdb::ColumnFamilyOptions * {
      for (const auto &D : FileCfs)
        if (D.name == Name)
          return &D.options;
      return nullptr;
    };
    const rocksdb::ColumnFamilyOptions *FileDefault =
        FindCf(rocksdb::kDefaultColumnFamilyName);
    for (int I = 0; I < NumTables; ++I) {
      std::string_view Name = tableName(static_cast<Table>(I));
      const rocksdb::ColumnFamilyOptions *Cf = FindCf(Name);
      if (!Cf)
        Cf = FileDefault;
      Cfs.emplace_back(std::string(Name),
                       Cf ? *Cf : rocksdb::ColumnFamilyOptions());
    }
    // The file replaces our tuning; only Rebuild's WAL-less writes remain,
    // which are about atomicity, not tuning.
    BulkLoad = false;
    CompactL0Files = -1;
  } else {
    RocksDbTuning Tuning = Hooks.Tuning ? *Hooks.Tuning : RocksDbTuning();
    rocksdb::ColumnFamilyOptions CfOpts;
    applyRocksDbTuning(Tuning, Options.Mode, &DbOpts, &CfOpts);
    for (int I = 0; I < NumTables; ++I)
      Cfs.emplace_back(std::string(tableName(static_cast<Table>(I))), CfOpts);
    BulkLoad = Options.Mode == OpenMode::Rebuild && Tuning.BulkLoad;
    CompactL0Files = BulkLoad ? Tuning.CompactAtCommitL0Files : -1;
    SortWrites = !usesVectorMemtable(Tuning, Options.Mode);
    BulkRunBytes = Tuning.BulkRunBytes;
    IngestFileBytes = Tuning.IngestFileBytes;
    DirectScans =
        Options.Mode == OpenMode::ReadOnly && Tuning.DirectWholeTableScans;
  }
  if (DirectScans)
    for (size_t I = 1; I < Cfs.size(); ++I)
      TableOptions.push_back(Cfs[I].options);
  if (Mode == OpenMode::Rebuild && BulkRunBytes > 0) {
    // Keep the options for the SST files written for ingestion.
    DbOptions = DbOpts;
    for (size_t I = 1; I < Cfs.size(); ++I)
      TableOptions.push_back(Cfs[I].options);
    Bulk =
        std::make_unique<SortedRuns>(Dir->genDir() + "/bulk.tmp", BulkRunBytes);
    if (IngestFileBytes == 0)
      IngestFileBytes = RocksDbTuning().IngestFileBytes;
  }

  DbOpts.env = Env;
  DbOpts.info_log = std::make_shared<StdioLogger>(
      Mode == OpenMode::ReadOnly ? std::string() : Dir->genDir() + "/LOG");
  // A WAL record damaged in the middle is an error (Corruption, with the
  // rebuild hint), not a silent truncation of the index; a torn last
  // record (a crash while appending) is tolerated.
  DbOpts.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  DbOpts.create_if_missing = Dir->fresh();
  DbOpts.create_missing_column_families = Dir->fresh();
  DbOpts.error_if_exists = Dir->fresh();
  Listener = std::make_shared<StallListener>(Options.OnStall);
  DbOpts.listeners.push_back(Listener);

  rocksdb::Status S;
  if (Mode == OpenMode::ReadOnly)
    S = rocksdb::DB::OpenForReadOnly(DbOpts, Dir->genDir(), Cfs, &Handles, &Db);
  else
    S = rocksdb::DB::Open(DbOpts, Dir->genDir(), Cfs, &Handles, &Db);
  if (!S.ok()) {
    Db = nullptr;
    Handles.clear();
    // Tables only ever grow at the end of the enum: an index that has some
    // of ours but not all was written by an older version (it is not
    // damaged). Listing them reads the MANIFEST again, on this path only.
    std::vector<std::string> Have;
    if (!Dir->fresh() &&
        rocksdb::DB::ListColumnFamilies(DbOpts, Dir->genDir(), &Have).ok() &&
        std::find(Have.begin(), Have.end(), tableName(Table::Meta)) !=
            Have.end())
      for (const rocksdb::ColumnFamilyDescriptor &Cf : Cfs)
        if (std::find(Have.begin(), Have.end(), Cf.name) == Have.end())
          return Status::incompatible(
              "the index at '" + Root + "' has no table '" + Cf.name +
              "': it was written by an older code-indexer; " + rebuildHint());
    // An existing generation that RocksDB cannot open is damaged: its
    // CURRENT, MANIFEST or column families are missing or garbage (another
    // engine's generation was refused above). A failure of the system
    // (IOError: memory, permissions, disk, read-only file system) is not
    // evidence of damage.
    if (!Dir->fresh() && (S.IsCorruption() || S.IsPathNotFound() ||
                          S.IsInvalidArgument() || S.IsNotFound()))
      return Status::corruption("index at '" + Root +
                                "' is damaged: RocksDB cannot open it (" +
                                S.ToString() + "); " + rebuildHint());
    if (S.IsIOError() || S.IsBusy() || S.IsTryAgain() || S.IsTimedOut())
      return Status::ioError(
          "cannot open the index at '" + Root + "' (" + S.ToString() +
          "); the index is unchanged: check that this user may write its "
          "files, that its file system is not read-only or full and that "
          "memory is available, then run again");
    return fromRocks(S, Root, "cannot open RocksDB");
  }

  if (DirectScans)
    DbOptions = DbOpts;
  WriteOpts.disableWAL = Mode == OpenMode::Rebuild;
  WriteOpts.sync = false;

  if (Dir->fresh()) {
    if (Status St = writeFormatMarker(*this); !St)
      return St;
    if (Mode == OpenMode::Update) {
      // A first Update creates the index right away, so make the marker
      // durable and the generation live before any data arrives.
      if (Status St = fromRocks(Db->SyncWAL(), Root, "cannot sync"); !St)
        return St;
      if (Status St = Dir->publish(); !St)
        return St;
    }
    return Status::ok();
  }
  return checkFormatMarker(*this, Root);
}

Status RocksDbStore::commit() {
  std::lock_guard Lock(CommitMutex);
  if (Committed.load() || Mode == OpenMode::ReadOnly) {
    Committed.store(true);
    return Status::ok();
  }
  try {
    if (Mode == OpenMode::Update) {
      if (Status S = fromRocks(Db->SyncWAL(), Root, "cannot sync the WAL"); !S)
        return S;
      // Durable now; flushing the memtables as well means no reader replays
      // the WAL: a read-only open cannot flush, so it would rebuild up to
      // db_write_buffer_size of memtables from the log at every query
      // (seconds on a large first run), while this flush is paid once.
      rocksdb::FlushOptions Fo;
      Fo.wait = true;
      Fo.allow_write_stall = true;
      if (Status S = fromRocks(Db->Flush(Fo, Handles), Root, "cannot flush");
          !S)
        return S;
      Committed.store(true);
      return Status::ok();
    }
    // Rebuild: everything sits in sorted runs, memtables or SST files
    // without a WAL, so ingest, flush, optionally compact, and only then
    // make the generation live.
    if (Status S = ingestBulk(); !S)
      return S;
    rocksdb::FlushOptions Fo;
    Fo.wait = true;
    Fo.allow_write_stall = true;
    std::vector<rocksdb::ColumnFamilyHandle *> Tables(Handles.begin() + 1,
                                                      Handles.end());
    if (Status S = fromRocks(Db->Flush(Fo, Tables), Root, "cannot flush"); !S)
      return S;
    if (CompactL0Files >= 0)
      if (Status S = fromRocks(compactAfterBulkLoad(Db, Tables, CompactL0Files),
                               Root, "cannot compact");
          !S)
        return S;
    if (Status S = syncPath(Dir->genDir()); !S)
      return S;
    if (Status S = Dir->publish(); !S)
      return S;
  } catch (const std::exception &E) {
    return Status::ioError("commit failed (index at '" + Root +
                           "'): " + E.what());
  }
  Committed.store(true);
  return Status::ok();
}

std::unique_ptr<Iterator> RocksDbStore::scan(Table T, std::string_view Prefix) {
  if (Status St = ingestBulk(); !St) {
    return failedIterator(std::move(St)); // why the scan cannot start
  }
  if (DirectScans && Prefix.empty())
    if (std::unique_ptr<Iterator> It = directScan(T))
      return It;
  return std::make_unique<RocksDbIterator>(Db, handle(T), Prefix, Root);
}

std::unique_ptr<Iterator> RocksDbStore::scanShare(Table T, unsigned Share,
                                                  unsigned Shares) {
  unsigned From, To;
  if (!shareBounds(Share, Shares, From, To))
    return Store::scanShare(T, Share, Shares); // its InvalidArgument
  if (Status St = ingestBulk(); !St)
    return Store::scanShare(T, Share, Shares); // scan() reports it
  return std::make_unique<RocksDbIterator>(Db, handle(T), From, To, Root);
}

std::unique_ptr<Iterator> RocksDbStore::directScan(Table T) {
  rocksdb::ColumnFamilyHandle *H = handle(T);
  uint64_t Active = 0, Immutable = 0;
  if (!Db->GetIntProperty(H, "rocksdb.num-entries-active-mem-table", &Active) ||
      !Db->GetIntProperty(H, "rocksdb.num-entries-imm-mem-tables",
                          &Immutable) ||
      Active != 0 || Immutable != 0)
    return nullptr; // e.g. a WAL replayed at open
  rocksdb::ColumnFamilyMetaData Meta;
  Db->GetColumnFamilyMetaData(H, &Meta);
  const rocksdb::LevelMetaData *Run = nullptr;
  for (const rocksdb::LevelMetaData &L : Meta.levels) {
    if (L.files.empty())
      continue;
    if (Run)
      return nullptr; // several levels: newer ones may hide older records
    Run = &L;
  }
  if (!Run || (Run->level == 0 && Run->files.size() > 1))
    return nullptr; // empty, or overlapping L0 files
  rocksdb::TablePropertiesCollection Props;
  if (!Db->GetPropertiesOfAllTables(H, &Props).ok())
    return nullptr;
  for (const auto &[File, P] : Props)
    if (!P || P->num_range_deletions != 0)
      return nullptr;
  // The files of a level other than 0 do not overlap: key order is the
  // order of their smallest keys.
  std::vector<const rocksdb::SstFileMetaData *> Sorted;
  for (const rocksdb::SstFileMetaData &F : Run->files)
    Sorted.push_back(&F);
  std::sort(Sorted.begin(), Sorted.end(), [](const auto *A, const auto *B) {
    return A->smallestkey < B->smallestkey;
  });
  std::vector<std::string> Files;
  for (const rocksdb::SstFileMetaData *F : Sorted)
    Files.push_back(F->directory + "/" + F->relative_filename);
  return std::make_unique<SstRunIterator>(
      std::move(Files),
      rocksdb::Options(DbOptions, TableOptions[static_cast<size_t>(T)]), Root);
}

Status RocksDbStore::ingestBulk() {
  std::lock_guard Lock(BulkMutex);
  if (BulkFailure.isOk())
    BulkFailure = ingestBulkOnce();
  return BulkFailure;
}

Status RocksDbStore::ingestBulkOnce() {
  if (!Bulk || Bulk->empty())
    return Status::ok();
  namespace fs = std::filesystem;
  std::string Dir = this->Dir->genDir() + "/ingest.tmp";
  std::error_code Ec;
  fs::create_directories(toFsPath(Dir), Ec);
  if (Ec)
    return Status::ioError("cannot create '" + Dir + "': " + Ec.message());

  // The merged stream is in (table, key) order with one record per key:
  // exactly what SstFileWriter needs. Merging runs in the BlockStream's
  // thread while this one builds and compresses the files.
  std::vector<std::vector<std::string>> Files(NumTables);
  std::unique_ptr<rocksdb::SstFileWriter> Writer;
  int Current = -1;
  int FileNo = 0;
  rocksdb::Status Rs;
  auto Close = [&]() -> rocksdb::Status {
    rocksdb::Status S;
    if (Writer)
      S = Writer->Finish();
    Writer.reset();
    return S;
  };
  {
    BlockStream Stream(*Bulk);
    while (Rs.ok()) {
      std::unique_ptr<RecordBlock> Block = Stream.next();
      if (!Block)
        break;
      for (const RecordBlock::Rec &R : Block->Recs) {
        int T = static_cast<int>(R.T);
        if (T != Current || Writer->FileSize() >= IngestFileBytes) {
          if (Rs = Close(); !Rs.ok())
            break;
          rocksdb::Options O(DbOptions, TableOptions[static_cast<size_t>(T)]);
          Writer = std::make_unique<rocksdb::SstFileWriter>(
              rocksdb::EnvOptions(), O, handle(R.T));
          char Name[32];
          std::snprintf(Name, sizeof(Name), "/%06d.sst", FileNo++);
          std::string Path = Dir + Name;
          if (Rs = Writer->Open(Path); !Rs.ok())
            break;
          Files[static_cast<size_t>(T)].push_back(Path);
          Current = T;
        }
        rocksdb::Slice K(Block->Arena.data() + R.Off, R.KeyLen);
        Rs = R.IsDelete ? Writer->Delete(K)
                        : Writer->Put(K, rocksdb::Slice(Block->Arena.data() +
                                                            R.Off + R.KeyLen,
                                                        R.ValLen));
        if (!Rs.ok())
          break;
      }
      Stream.recycle(std::move(Block));
    }
    if (Rs.ok())
      Rs = Close();
    Writer.reset();
    Status Merged = Stream.finish();
    // A failed SST write cancels the merge: report the write's error, not
    // the cancellation.
    if (!Merged && Rs.ok()) {
      fs::remove_all(toFsPath(Dir), Ec);
      return Merged;
    }
  }
  if (!Rs.ok()) {
    fs::remove_all(toFsPath(Dir), Ec);
    return fromRocks(Rs, Root, "cannot write SST files for ingestion");
  }
  rocksdb::IngestExternalFileOptions Io;
  Io.move_files = true; // same file system: link, do not copy
  for (int T = 0; T < NumTables; ++T) {
    if (Files[static_cast<size_t>(T)].empty())
      continue;
    Rs = Db->IngestExternalFile(handle(static_cast<Table>(T)),
                                Files[static_cast<size_t>(T)], Io);
    if (!Rs.ok())
      break;
  }
  fs::remove_all(toFsPath(Dir), Ec);
  return fromRocks(Rs, Root, "cannot ingest SST files");
}

} // namespace

rocksdb::Status
compactAfterBulkLoad(rocksdb::DB *Db,
                     const std::vector<rocksdb::ColumnFamilyHandle *> &Tables,
                     int L0FilesThreshold) {
  if (L0FilesThreshold < 0)
    return rocksdb::Status::OK();
  rocksdb::CompactRangeOptions Co;
  Co.allow_write_stall = true;
  Co.change_level = true;
  for (rocksdb::ColumnFamilyHandle *H : Tables) {
    uint64_t L0Files = 0;
    if (!Db->GetIntProperty(H, "rocksdb.num-files-at-level0", &L0Files) ||
        L0Files <= static_cast<uint64_t>(L0FilesThreshold))
      continue;
    if (rocksdb::Status S = Db->CompactRange(Co, H, nullptr, nullptr); !S.ok())
      return S;
  }
  return rocksdb::Status::OK();
}

bool usesVectorMemtable(const RocksDbTuning &T, OpenMode Mode) {
  return Mode == OpenMode::Rebuild && T.BulkLoad && T.VectorMemtable &&
         T.BulkRunBytes == 0;
}

void applyRocksDbTuning(const RocksDbTuning &T, OpenMode Mode,
                        rocksdb::DBOptions *Db,
                        rocksdb::ColumnFamilyOptions *Cf) {
  Db->max_background_jobs = T.MaxBackgroundJobs;
  if (T.MaxBackgroundFlushes > 0) {
    // Setting one of the legacy limits makes RocksDB use both of them.
    Db->max_background_flushes = T.MaxBackgroundFlushes;
    Db->max_background_compactions =
        std::max(1, T.MaxBackgroundJobs - T.MaxBackgroundFlushes);
  }
  Db->max_subcompactions = static_cast<uint32_t>(T.MaxSubcompactions);
  Db->db_write_buffer_size = T.DbWriteBufferBytes;
  // Reads of the graph go through few, large SST files after a rebuild;
  // keeping them all open avoids table-cache misses.
  Db->max_open_files = -1;
  // Opening the files serially costs less than the threads RocksDB would
  // start for each column family (see RocksDbTuning::FileOpeningThreads).
  Db->max_file_opening_threads = std::max(1, T.FileOpeningThreads);

  Cf->write_buffer_size = T.WriteBufferBytes;
  Cf->max_write_buffer_number = T.MaxWriteBufferNumber;
  Cf->min_write_buffer_number_to_merge = 1;
  Cf->level0_file_num_compaction_trigger = T.L0CompactionTrigger;
  Cf->level0_slowdown_writes_trigger = T.L0SlowdownTrigger;
  Cf->level0_stop_writes_trigger = T.L0StopTrigger;
  Cf->target_file_size_base = T.TargetFileSizeBytes;
  Cf->max_bytes_for_level_base = T.TargetFileSizeBytes * 4;
  Cf->compression = T.Compression;
  Cf->disable_auto_compactions = Mode == OpenMode::Rebuild && T.BulkLoad;
  if (usesVectorMemtable(T, Mode)) {
    Cf->memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    // Vector memtables do not support concurrent inserts.
    Db->allow_concurrent_memtable_write = false;
  }

  static std::shared_ptr<rocksdb::Cache> SharedCache;
  static std::mutex CacheMutex;
  rocksdb::BlockBasedTableOptions Table;
  {
    // One block cache for all column families and stores of the process.
    std::lock_guard Lock(CacheMutex);
    if (!SharedCache)
      SharedCache = rocksdb::NewLRUCache(T.BlockCacheBytes);
    Table.block_cache = SharedCache;
  }
  if (T.PartitionedIndex) {
    // A file's open then reads only the top level of its index; the
    // partitions a lookup needs go through the block cache. Leave
    // cache_index_and_filter_blocks false: the top level then stays with
    // the open file, and the one-level index blocks of other files are
    // read once at open, not again for every iterator through a cache
    // shard (1 MiB of the 64 MiB cache) they do not fit in.
    Table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
    Table.metadata_block_size = 4096;
  }
  Cf->table_factory.reset(rocksdb::NewBlockBasedTableFactory(Table));
}

Status openRocksDbStore(const std::string &Path, const OpenOptions &Options,
                        const RocksDbHooks &Hooks,
                        std::unique_ptr<Store> *Out) {
  std::unique_ptr<IndexDir> Dir;
  Status S = Options.Mode == OpenMode::ReadOnly
                 ? IndexDir::openReader(Path, &Dir)
                 : IndexDir::openWriter(Path, Options, &Dir);
  if (!S)
    return S;
  auto Store = std::make_unique<RocksDbStore>(std::move(Dir), Options.Mode);
  if (S = Store->open(Options, Hooks); !S)
    return S;
  *Out = std::move(Store);
  return Status::ok();
}

Status openRocksDbStore(const std::string &Path, const OpenOptions &Options,
                        std::unique_ptr<Store> *Out) {
  return openRocksDbStore(Path, Options, RocksDbHooks(), Out);
}

} // namespace codeindex::storage::detail
