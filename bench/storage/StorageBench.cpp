//===- StorageBench.cpp - Bulk-load benchmark of the storage engines ------===//
//
// Writes a synthetic code graph (N entities, E edges, one translation unit
// per PerUnit entities) into each engine through BatchWriter, one WriteBatch
// per translation unit, into a store opened in Rebuild mode. The batches are
// the production ones: the graph is built as UnitFacts and encoded by
// GraphStore::encodeTu, so every table (entities, names, out_edges,
// in_edges, files, coverage, units, tu_state) gets exactly the keys and
// values `code-indexer extract` writes. Next to it, the same records through
// the raw engine API in sorted order:
//   rocksdb: plain rocksdb::WriteBatch puts, same options, same final
//            flush + compaction as RocksDbStore::commit();
//   lmdb:    plain mdb_put per table in key order, same environment flags,
//            a map big enough up front, same compacting copy at the end.
// The raw baselines read the records from a file sorted beforehand (not
// timed). Each run happens in a forked child so that peak RSS is per run.
//
//   storage_bench [--quick] [--help] [options]     (see --help)
// By default both the throughput comparison and the write-stall experiment
// (slow .sst creation, naive writer vs BatchWriter, on half the graph) run;
// --stall runs only the latter, --no-stall only the former.
//
//===----------------------------------------------------------------------===//

#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/BatchWriter.h"
#include "codeindex/storage/Coding.h"
#include "codeindex/storage/Store.h"

#include "Platform.h"
#include "SortedRuns.h"

#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
#include "RocksDbStore.h"
#include "SlowFileSystem.h"
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
#include "LmdbStore.h"
#include <lmdb.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace codeindex::storage;
using codeindex::EdgeFact;
using codeindex::EntityFact;
using codeindex::GraphStore;
using codeindex::TuRecord;
using codeindex::UnitFacts;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point T) {
  return std::chrono::duration<double>(Clock::now() - T).count();
}

//===----------------------------------------------------------------------===//
// The synthetic graph
//===----------------------------------------------------------------------===//

uint64_t mix(uint64_t X) {
  X ^= X >> 33;
  X *= 0xff51afd7ed558ccdull;
  X ^= X >> 33;
  X *= 0xc4ceb9fe1a85ec53ull;
  X ^= X >> 33;
  return X;
}

/// Printable pseudo-random bytes, deterministic in Seed.
void fillValue(std::string &S, uint64_t Seed, size_t Len) {
  S.resize(Len);
  uint64_t X = mix(Seed) | 1;
  for (size_t I = 0; I < Len; ++I) {
    X ^= X << 13;
    X ^= X >> 7;
    X ^= X << 17;
    S[I] = static_cast<char>(' ' + (X % 95));
  }
}

constexpr int NumWords = 64;
const char *word(int I) {
  static const char *Words[NumWords] = {
      "get",    "set",    "make",    "build",   "parse",   "read",   "write",
      "open",   "close",  "find",    "insert",  "erase",   "visit",  "handle",
      "emit",   "load",   "store",   "check",   "compute", "create", "destroy",
      "update", "lookup", "append",  "resolve", "lower",   "print",  "dump",
      "run",    "init",   "reset",   "flush",   "merge",   "split",  "scan",
      "match",  "apply",  "convert", "encode",  "decode",  "hash",   "compare",
      "copy",   "move",   "swap",    "sort",    "push",    "pop",    "begin",
      "end",    "size",   "empty",   "clear",   "reserve", "resize", "front",
      "back",   "next",   "prev",    "start",   "stop",    "wait",   "notify",
      "yield"};
  return Words[I];
}

struct Graph {
  uint64_t Entities; ///< ids 1..Entities
  uint64_t Degree;   ///< out-edges per entity
  uint64_t PerUnit;  ///< entities per translation unit

  uint64_t units() const { return (Entities + PerUnit - 1) / PerUnit; }

  uint8_t entityKind(uint64_t Id) const { return mix(Id * 3 + 1) % 12; }
  int nameWord(uint64_t Id) const { return mix(Id * 5 + 2) % NumWords; }
  uint64_t target(uint64_t From, uint64_t J) const {
    return mix(From * 131 + J) % Entities + 1;
  }
  uint8_t edgeKind(uint64_t From, uint64_t J) const {
    return mix(From * 7 + J * 3) % 4;
  }
  static std::string path(uint64_t Unit) {
    return "src/module" + std::to_string(Unit / 100) + "/file" +
           std::to_string(Unit) + ".cpp";
  }

  /// What one translation unit says: its entities (a name of 10-20 bytes,
  /// a qualified name, a signature and a USR of realistic sizes) and their
  /// out-edges (same kind and target merged into one edge with several
  /// sites, as the extractor does).
  UnitFacts unitFacts(uint64_t Unit) const {
    UnitFacts U;
    U.Key = codeindex::UnitKey{mix(Unit + 17), 0};
    U.File.Path = path(Unit);
    U.File.Lang = codeindex::Language::Cxx;
    U.File.Lines = static_cast<uint32_t>(PerUnit * 12);
    U.File.ContentHash = mix(Unit);
    uint64_t First = Unit * PerUnit + 1;
    uint64_t Last = std::min(Entities, First + PerUnit - 1);
    std::string Tmp;
    for (uint64_t Id = First; Id <= Last; ++Id) {
      EntityFact E;
      E.ID = Id;
      char Buf[24];
      std::snprintf(Buf, sizeof(Buf), "_%08llx",
                    static_cast<unsigned long long>(mix(Id * 11) & 0xffffffff));
      E.Name = std::string(word(nameWord(Id))) + Buf;
      E.Kind = static_cast<codeindex::EntityKind>(entityKind(Id));
      E.QualifiedName = "ns" + std::to_string(Unit % 16) + "::" + E.Name;
      E.Usr = "c:@N@ns" + std::to_string(Unit % 16) + "@F@" + E.Name + "#";
      fillValue(Tmp, Id, mix(Id) % 40);
      E.Signature = "void " + E.Name + "(" + Tmp + ")";
      E.Lang = codeindex::Language::Cxx;
      E.File = U.File.Path;
      uint32_t Line = static_cast<uint32_t>((Id - First) * 12 + 1);
      E.Decls.push_back(
          codeindex::DeclFact{codeindex::Extent{Line, 1, Line + 10, 2}, true});
      E.BodyHash = mix(Id * 13);
      U.Entities.push_back(std::move(E));
      std::map<std::pair<uint8_t, uint64_t>, EdgeFact> Out;
      for (uint64_t J = 0; J < Degree; ++J) {
        EdgeFact &Ed = Out[{edgeKind(Id, J), target(Id, J)}];
        Ed.Kind = static_cast<codeindex::EdgeKind>(edgeKind(Id, J));
        Ed.From = Id;
        Ed.To = target(Id, J);
        Ed.Sites.push_back(
            codeindex::SiteFact{Line + 1 + static_cast<uint32_t>(J % 9),
                                static_cast<uint32_t>(5 + J * 3), false});
      }
      for (auto &[K, Ed] : Out) {
        std::sort(Ed.Sites.begin(), Ed.Sites.end());
        U.Edges.push_back(std::move(Ed));
      }
    }
    return U;
  }

  /// Everything one translation unit contributes, encoded by the production
  /// encoder. Enc must be in assumeEmpty mode (a rebuild): it then reads
  /// nothing from its store and may be shared by producer threads.
  void unitBatch(GraphStore &Enc, uint64_t Unit, WriteBatch &B) const {
    UnitFacts U = unitFacts(Unit);
    TuRecord Tu;
    Tu.Key = mix(Unit + 99);
    Tu.MainFile = U.File.Path;
    Tu.Directory = "/build";
    Tu.CommandHash = mix(Unit + 7);
    Tu.Inputs.emplace_back("/src/" + U.File.Path, U.File.ContentHash);
    Tu.OwnedUnits.push_back(U.Key);
    if (codeindex::Status St = Enc.encodeTu(Tu, {U}, B); !St) {
      std::fprintf(stderr, "encoding failed: %s\n", St.toString().c_str());
      std::exit(1);
    }
  }
};

/// A GraphStore used only to encode (rebuild mode: it reads nothing).
struct Encoder {
  explicit Encoder(Store &S) : G(S) { G.assumeEmpty(true); }
  GraphStore G;
};

//===----------------------------------------------------------------------===//
// The sorted record file the raw baselines load: every record of the graph,
// in (table, key) order, one per key, prepared before the timed runs.
//   table:u8  varint key_len  varint value_len  key  value
//===----------------------------------------------------------------------===//

/// Encodes the graph with the production encoder, sorts it through the
/// bulk loader's external sort and writes it to Path.
Status writeSortedRecords(const Graph &G, Store &Any, const std::string &Dir,
                          const std::string &Path) {
  Encoder Enc(Any);
  detail::SortedRuns Runs(Dir + "/presort.tmp", 64u << 20);
  for (uint64_t U = 0; U < G.units(); ++U) {
    WriteBatch B;
    G.unitBatch(Enc.G, U, B);
    if (Status St = Runs.add(B); !St)
      return St;
  }
  std::FILE *F = std::fopen(Path.c_str(), "wb");
  if (!F)
    return Status::ioError("cannot create " + Path);
  std::string Rec;
  Status St = Runs.drain(
      [&](Table T, std::string_view K, std::string_view V, bool IsDelete) {
        if (IsDelete)
          return Status::ok();
        Rec.clear();
        Rec.push_back(static_cast<char>(T));
        codeindex::coding::putVarint(Rec, K.size());
        codeindex::coding::putVarint(Rec, V.size());
        Rec.append(K);
        Rec.append(V);
        if (std::fwrite(Rec.data(), 1, Rec.size(), F) != Rec.size())
          return Status::ioError("cannot write " + Path);
        return Status::ok();
      });
  if (std::fclose(F) != 0 && St)
    St = Status::ioError("cannot write " + Path);
  return St;
}

/// Calls Emit(Table, Key, Value) for every record of the file written by
/// writeSortedRecords, in order.
bool readSortedRecords(const std::string &Path,
                       const std::function<void(Table, const std::string &,
                                                const std::string &)> &Emit) {
  std::FILE *F = std::fopen(Path.c_str(), "rb");
  if (!F)
    return false;
  std::vector<char> Buf(1u << 20);
  std::string Pending, K, V;
  bool Ok = true;
  for (;;) {
    size_t N = std::fread(Buf.data(), 1, Buf.size(), F);
    Pending.append(Buf.data(), N);
    std::string_view In(Pending);
    while (!In.empty()) {
      std::string_view P = In.substr(1);
      uint64_t KLen, VLen;
      if (!codeindex::coding::getVarint(P, KLen) ||
          !codeindex::coding::getVarint(P, VLen) || P.size() < KLen + VLen)
        break; // the record continues in the next read
      K.assign(P.substr(0, KLen));
      V.assign(P.substr(KLen, VLen));
      Emit(static_cast<Table>(In[0]), K, V);
      In = P.substr(KLen + VLen);
    }
    Pending.erase(0, Pending.size() - In.size());
    if (N == 0) {
      Ok = Pending.empty();
      break;
    }
  }
  std::fclose(F);
  return Ok;
}

//===----------------------------------------------------------------------===//
// Results, passed from the child to the parent as "key=value" lines.
//===----------------------------------------------------------------------===//

struct Result {
  std::map<std::string, double> Values;
  std::string Error;
  long PeakRssKb = 0;

  double get(const std::string &K) const {
    auto It = Values.find(K);
    return It == Values.end() ? 0 : It->second;
  }
};

/// Runs Body in a child process; Body fills a map written back via a pipe.
Result runInChild(const std::function<void(Result &)> &Body) {
  int Fds[2];
  if (::pipe(Fds) != 0) {
    Result R;
    R.Error = "pipe failed";
    return R;
  }
  std::fflush(stdout);
  pid_t Pid = ::fork();
  if (Pid == 0) {
    ::close(Fds[0]);
    Result R;
    Body(R);
    std::string Out;
    for (auto &[K, V] : R.Values)
      Out += K + "=" + std::to_string(V) + "\n";
    if (!R.Error.empty())
      Out += "error=" + R.Error + "\n";
    if (::write(Fds[1], Out.data(), Out.size()) < 0) {
    }
    ::_exit(0);
  }
  ::close(Fds[1]);
  std::string In;
  char Buf[4096];
  ssize_t N;
  while ((N = ::read(Fds[0], Buf, sizeof(Buf))) > 0)
    In.append(Buf, static_cast<size_t>(N));
  ::close(Fds[0]);
  int WaitStatus = 0;
  rusage Usage = {};
  ::wait4(Pid, &WaitStatus, 0, &Usage);
  Result R;
  R.PeakRssKb = Usage.ru_maxrss;
  size_t Pos = 0;
  while (Pos < In.size()) {
    size_t End = In.find('\n', Pos);
    if (End == std::string::npos)
      End = In.size();
    std::string Line = In.substr(Pos, End - Pos);
    Pos = End + 1;
    size_t Eq = Line.find('=');
    if (Eq == std::string::npos)
      continue;
    std::string K = Line.substr(0, Eq), V = Line.substr(Eq + 1);
    if (K == "error")
      R.Error = V;
    else
      R.Values[K] = std::atof(V.c_str());
  }
  if (!WIFEXITED(WaitStatus) && R.Error.empty())
    R.Error = "child died";
  return R;
}

uint64_t directoryBytes(const std::string &Path) {
  uint64_t Total = 0;
  std::error_code Ec;
  for (auto It = std::filesystem::recursive_directory_iterator(Path, Ec);
       It != std::filesystem::recursive_directory_iterator(); It.increment(Ec))
    if (It->is_regular_file(Ec))
      Total += It->file_size(Ec);
  return Total;
}

//===----------------------------------------------------------------------===//
// Configuration
//===----------------------------------------------------------------------===//

struct Config {
  uint64_t Entities = 1'000'000;
  uint64_t Edges = 5'000'000;
  uint64_t PerUnit = 500;
  std::vector<std::string> Engines;
  std::string Dir;
  unsigned Producers = 1;
  BatchWriterOptions Writer;
  std::string Only;
  std::string SortedPath; ///< the raw baselines' input (writeSortedRecords)
  bool Throughput = true; ///< run the throughput comparison
  bool Stall = true;      ///< run the write-stall experiment
  /// The stall experiment's own size (default: half the throughput graph)
  /// and whether the user chose RocksDB memtable sizes.
  uint64_t StallEntities = 0;
  bool MemtablesGiven = false;
  OpenMode Mode = OpenMode::Rebuild; ///< of our pipeline (raw: always bulk)
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
  detail::RocksDbTuning Tuning;
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  detail::LmdbTuning Lmdb;
#endif
};

Graph graphOf(const Config &C) {
  return Graph{C.Entities, std::max<uint64_t>(1, C.Edges / C.Entities),
               C.PerUnit};
}

//===----------------------------------------------------------------------===//
// Our pipeline
//===----------------------------------------------------------------------===//

/// openStore (Rebuild) + BatchWriter fed by Producers threads, one batch per
/// unit, then commit().
void runOurs(
    const Config &C, const std::string &Engine, const std::string &Path,
    Result &R,
    const std::function<Status(std::unique_ptr<Store> *)> &Open = nullptr) {
  Graph G = graphOf(C);
  std::unique_ptr<Store> S;
  Status St;
  if (Open) {
    St = Open(&S);
  } else {
    OpenOptions O;
    O.Mode = C.Mode;
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
    if (Engine == "lmdb")
      St = detail::openLmdbStore(Path, O, C.Lmdb, &S);
    else
#endif
      St = openStore(StoreSpec{Engine, Path}, O, &S);
  }
  if (!St) {
    R.Error = St.toString();
    return;
  }
  std::atomic<uint64_t> Stalls{0};
  BatchWriterOptions WO = C.Writer;
  WO.OnStall = [&](bool Active, uint64_t, std::string_view) {
    if (Active)
      ++Stalls;
  };
  auto Start = Clock::now();
  BatchWriter W(*S, WO);
  Encoder Enc(*S);
  std::atomic<uint64_t> NextUnit{0};
  std::vector<std::thread> Producers;
  std::atomic<bool> Failed{false};
  for (unsigned P = 0; P < C.Producers; ++P)
    Producers.emplace_back([&] {
      for (uint64_t U; (U = NextUnit++) < G.units();) {
        WriteBatch B;
        G.unitBatch(Enc.G, U, B);
        if (!W.submit(std::move(B)))
          Failed = true;
      }
    });
  for (auto &T : Producers)
    T.join();
  St = W.finish();
  double Load = secondsSince(Start);
  if (!St || Failed) {
    R.Error = St.toString();
    return;
  }
  auto CommitStart = Clock::now();
  St = S->commit();
  double Commit = secondsSince(CommitStart);
  if (!St) {
    R.Error = St.toString();
    return;
  }
  BatchWriterStats WS = W.stats();
  R.Values["records"] = static_cast<double>(WS.Records);
  R.Values["bytes"] = static_cast<double>(WS.Bytes);
  R.Values["load_s"] = Load;
  R.Values["commit_s"] = Commit;
  R.Values["stall_ms"] = static_cast<double>(WS.Engine.StallMillis);
  R.Values["longest_stall_ms"] =
      static_cast<double>(WS.Engine.LongestStallMillis);
  R.Values["blocked_ms"] = static_cast<double>(WS.ProducerBlockedMillis);
  R.Values["peak_queued"] = static_cast<double>(WS.PeakQueuedBytes);
  R.Values["engine_writes"] = static_cast<double>(WS.EngineWrites);
  R.Values["write_ms"] = static_cast<double>(WS.WriteMillis);
  R.Values["map_resizes"] = static_cast<double>(WS.Engine.MapResizes);
  R.Values["stall_reports"] = static_cast<double>(Stalls.load());
  S.reset();
  R.Values["disk"] = static_cast<double>(directoryBytes(Path));
}

//===----------------------------------------------------------------------===//
// Raw baselines
//===----------------------------------------------------------------------===//

constexpr size_t RawBatchRecords = 10000;

#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
void runRawRocksDb(const Config &C, const std::string &Path, Result &R) {
  rocksdb::DBOptions Db;
  rocksdb::ColumnFamilyOptions Cf;
  detail::applyRocksDbTuning(C.Tuning, OpenMode::Rebuild, &Db, &Cf);
  Db.create_if_missing = true;
  Db.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> Cfs;
  Cfs.emplace_back(rocksdb::kDefaultColumnFamilyName,
                   rocksdb::ColumnFamilyOptions());
  for (int T = 0; T < NumTables; ++T)
    Cfs.emplace_back(std::string(tableName(static_cast<Table>(T))), Cf);
  std::vector<rocksdb::ColumnFamilyHandle *> H;
  rocksdb::DB *Raw = nullptr;
  std::filesystem::create_directories(Path);
  rocksdb::Status S = rocksdb::DB::Open(Db, Path, Cfs, &H, &Raw);
  if (!S.ok()) {
    R.Error = S.ToString();
    return;
  }
  rocksdb::WriteOptions Wo;
  Wo.disableWAL = true; // as RocksDbStore does in Rebuild mode
  rocksdb::WriteBatch Batch;
  uint64_t Records = 0, Bytes = 0;
  auto Start = Clock::now();
  bool Read = readSortedRecords(
      C.SortedPath, [&](Table T, const std::string &K, const std::string &V) {
        Batch.Put(H[static_cast<size_t>(T) + 1], K, V);
        ++Records;
        Bytes += K.size() + V.size();
        if (Batch.Count() >= static_cast<int>(RawBatchRecords)) {
          if (rocksdb::Status W = Raw->Write(Wo, &Batch); !W.ok())
            R.Error = W.ToString();
          Batch.Clear();
        }
      });
  Raw->Write(Wo, &Batch);
  if (!Read)
    R.Error = "cannot read " + C.SortedPath;
  double Load = secondsSince(Start);
  auto CommitStart = Clock::now();
  rocksdb::FlushOptions Fo;
  std::vector<rocksdb::ColumnFamilyHandle *> Tables(H.begin() + 1, H.end());
  Raw->Flush(Fo, Tables);
  if (C.Tuning.BulkLoad)
    detail::compactAfterBulkLoad(Raw, Tables, C.Tuning.CompactAtCommitL0Files);
  double Commit = secondsSince(CommitStart);
  for (auto *X : H)
    Raw->DestroyColumnFamilyHandle(X);
  Raw->Close();
  delete Raw;
  R.Values["records"] = static_cast<double>(Records);
  R.Values["bytes"] = static_cast<double>(Bytes);
  R.Values["load_s"] = Load;
  R.Values["commit_s"] = Commit;
  R.Values["disk"] = static_cast<double>(directoryBytes(Path));
}
#endif

#ifdef CODEINDEX_STORAGE_HAVE_LMDB
void runRawLmdb(const Config &C, const std::string &Path, Result &R) {
  std::filesystem::create_directories(Path);
  MDB_env *Env = nullptr;
  mdb_env_create(&Env);
  mdb_env_set_maxdbs(Env, NumTables + 4);
  // Big enough up front: the baseline never resizes.
  std::error_code Ec;
  uint64_t Estimate =
      std::filesystem::file_size(C.SortedPath, Ec) * 3 + (256u << 20);
  mdb_env_set_mapsize(Env, Estimate);
  int Rc = mdb_env_open(Env, Path.c_str(),
                        detail::lmdbEnvFlags(C.Lmdb, OpenMode::Rebuild), 0644);
  if (Rc) {
    R.Error = mdb_strerror(Rc);
    return;
  }
  MDB_dbi Dbis[NumTables];
  MDB_txn *Txn = nullptr;
  mdb_txn_begin(Env, nullptr, 0, &Txn);
  for (int T = 0; T < NumTables; ++T)
    mdb_dbi_open(Txn, std::string(tableName(static_cast<Table>(T))).c_str(),
                 MDB_CREATE, &Dbis[T]);
  mdb_txn_commit(Txn);
  uint64_t Records = 0, Bytes = 0, InTxn = 0;
  auto Start = Clock::now();
  mdb_txn_begin(Env, nullptr, 0, &Txn);
  bool Read = readSortedRecords(
      C.SortedPath, [&](Table T, const std::string &K, const std::string &V) {
        MDB_val Kv{K.size(), const_cast<char *>(K.data())};
        MDB_val Vv{V.size(), const_cast<char *>(V.data())};
        if (int E = mdb_put(Txn, Dbis[static_cast<size_t>(T)], &Kv, &Vv, 0))
          R.Error = mdb_strerror(E);
        ++Records;
        Bytes += K.size() + V.size();
        if (++InTxn >= RawBatchRecords * 10) {
          mdb_txn_commit(Txn);
          mdb_txn_begin(Env, nullptr, 0, &Txn);
          InTxn = 0;
        }
      });
  mdb_txn_commit(Txn);
  if (!Read)
    R.Error = "cannot read " + C.SortedPath;
  double Load = secondsSince(Start);
  auto CommitStart = Clock::now();
  mdb_env_sync(Env, 1);
  std::string Compact = Path + "/compact";
  std::filesystem::create_directories(Compact);
  mdb_env_copy2(Env, Compact.c_str(), MDB_CP_COMPACT);
  double Commit = secondsSince(CommitStart);
  mdb_env_close(Env);
  R.Values["records"] = static_cast<double>(Records);
  R.Values["bytes"] = static_cast<double>(Bytes);
  R.Values["load_s"] = Load;
  R.Values["commit_s"] = Commit;
  R.Values["disk"] = static_cast<double>(directoryBytes(Compact));
}
#endif

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

void printRow(const std::string &Label, const Result &R) {
  if (!R.Error.empty()) {
    std::printf("%-16s FAILED: %s\n", Label.c_str(), R.Error.c_str());
    return;
  }
  double Total = R.get("load_s") + R.get("commit_s");
  double Records = R.get("records"), MB = R.get("bytes") / 1e6;
  std::printf("%-16s %9.0f rec/s %7.1f MB/s  load %6.2fs commit %6.2fs total "
              "%6.2fs  rss %6.0f MB  disk %6.0f MB",
              Label.c_str(), Records / Total, MB / Total, R.get("load_s"),
              R.get("commit_s"), Total, R.PeakRssKb / 1024.0,
              R.get("disk") / 1e6);
  auto Has = [&](const char *K) { return R.Values.count(K) != 0; };
  if (Has("stall_ms"))
    std::printf("  stalls %.0f ms (longest %.0f)", R.get("stall_ms"),
                R.get("longest_stall_ms"));
  if (Has("stall_reports"))
    std::printf(", %.0f reported", R.get("stall_reports"));
  if (Has("peak_queued"))
    std::printf("  peak queue %.1f MB", R.get("peak_queued") / 1e6);
  if (Has("blocked_ms"))
    std::printf("  producers blocked %.0f ms", R.get("blocked_ms"));
  if (Has("engine_writes"))
    std::printf("  writes %.0f (%.0f ms)", R.get("engine_writes"),
                R.get("write_ms"));
  if (Has("map_resizes") && R.get("map_resizes") > 0)
    std::printf("  map resizes %.0f", R.get("map_resizes"));
  std::printf("\n");
  std::fflush(stdout);
}

bool KeepFiles = false;

void removeTree(const std::string &P) {
  if (KeepFiles)
    return;
  std::error_code Ec;
  std::filesystem::remove_all(P, Ec);
}

int runThroughput(Config C) {
  Graph G = graphOf(C);
  std::printf("graph: %llu entities, %llu edges (x2: out and in), %llu units; "
              "producers %u; our mode: %s\n",
              (unsigned long long)C.Entities,
              (unsigned long long)(C.Entities * G.Degree),
              (unsigned long long)G.units(), C.Producers,
              C.Mode == OpenMode::Update ? "update" : "rebuild");
  if (C.Only != "ours") {
    // The raw baselines' sorted input, prepared once and not timed.
    C.SortedPath = C.Dir + "/sorted.records";
    std::unique_ptr<Store> Mem;
    Status St = openStore(StoreSpec{"mem", ""}, OpenOptions(), &Mem);
    auto Start = Clock::now();
    if (St)
      St = writeSortedRecords(G, *Mem, C.Dir, C.SortedPath);
    if (!St) {
      std::fprintf(stderr, "preparing the sorted records failed: %s\n",
                   St.toString().c_str());
      return 1;
    }
    std::printf("sorted records for the raw baselines: %.0f MB, prepared in "
                "%.1f s (not timed)\n",
                std::filesystem::file_size(C.SortedPath) / 1e6,
                secondsSince(Start));
  }
  for (const std::string &Engine : C.Engines) {
    std::string Base = C.Dir + "/" + Engine;
    Result Ours, Raw;
    if (C.Only != "raw") {
      removeTree(Base + "-ours");
      Ours =
          runInChild([&](Result &R) { runOurs(C, Engine, Base + "-ours", R); });
      printRow(Engine + " ours", Ours);
      removeTree(Base + "-ours");
    }
    if (C.Only != "ours") {
      removeTree(Base + "-raw");
      Raw = runInChild([&](Result &R) {
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
        if (Engine == "rocksdb")
          runRawRocksDb(C, Base + "-raw", R);
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
        if (Engine == "lmdb")
          runRawLmdb(C, Base + "-raw", R);
#endif
      });
      printRow(Engine + " raw", Raw);
      removeTree(Base + "-raw");
    }
    if (Ours.Error.empty() && Raw.Error.empty() && C.Only.empty()) {
      double OursT = Ours.get("load_s") + Ours.get("commit_s");
      double RawT = Raw.get("load_s") + Raw.get("commit_s");
      std::printf("%-16s ours/raw throughput %.2f (load only %.2f)\n",
                  (Engine + " ratio").c_str(), RawT / OursT,
                  Raw.get("load_s") / Ours.get("load_s"));
    }
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// The write-stall experiment
//===----------------------------------------------------------------------===//

#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
/// A writer without backpressure: producers append to an unbounded queue and
/// one thread drains it.
void runNaive(const Config &C, Store &S, Result &R) {
  Graph G = graphOf(C);
  std::mutex M;
  std::condition_variable Cv;
  std::deque<WriteBatch> Queue;
  uint64_t Queued = 0, Peak = 0;
  unsigned Done = 0;
  auto Start = Clock::now();
  std::thread Writer([&] {
    std::unique_lock Lock(M);
    for (;;) {
      Cv.wait(Lock, [&] { return !Queue.empty() || Done == C.Producers; });
      if (Queue.empty())
        return;
      WriteBatch B = std::move(Queue.front());
      Queue.pop_front();
      Lock.unlock();
      if (Status St = S.write(B); !St)
        R.Error = St.toString();
      Lock.lock();
      Queued -= B.byteSize();
    }
  });
  Encoder Enc(S);
  std::atomic<uint64_t> NextUnit{0};
  std::vector<std::thread> Producers;
  for (unsigned P = 0; P < C.Producers; ++P)
    Producers.emplace_back([&] {
      for (uint64_t U; (U = NextUnit++) < G.units();) {
        WriteBatch B;
        G.unitBatch(Enc.G, U, B);
        std::lock_guard Lock(M);
        Queued += B.byteSize();
        Peak = std::max(Peak, Queued);
        Queue.push_back(std::move(B));
        Cv.notify_one();
      }
      std::lock_guard Lock(M);
      ++Done;
      Cv.notify_one();
    });
  for (auto &T : Producers)
    T.join();
  Writer.join();
  R.Values["load_s"] = secondsSince(Start);
  auto CommitStart = Clock::now();
  S.commit();
  R.Values["commit_s"] = secondsSince(CommitStart);
  WriteStats WS = S.stats();
  R.Values["records"] = static_cast<double>(WS.Records);
  R.Values["bytes"] = static_cast<double>(WS.Bytes);
  R.Values["stall_ms"] = static_cast<double>(WS.StallMillis);
  R.Values["longest_stall_ms"] = static_cast<double>(WS.LongestStallMillis);
  R.Values["peak_queued"] = static_cast<double>(Peak);
  R.Values["stall_reports"] = 0; // nobody is told
  R.Values["disk"] = static_cast<double>(directoryBytes(S.path()));
}

int runStall(const Config &C) {
  std::printf("write-stall experiment (update mode): every new .sst file "
              "takes 300 ms to create; %llu entities, %llu edges; memtables "
              "%llu MiB x %d, %llu MiB in all\n",
              (unsigned long long)C.Entities, (unsigned long long)C.Edges,
              (unsigned long long)(C.Tuning.WriteBufferBytes >> 20),
              C.Tuning.MaxWriteBufferNumber,
              (unsigned long long)(C.Tuning.DbWriteBufferBytes >> 20));
  auto OpenSlow = [&](const std::string &Path,
                      std::unique_ptr<rocksdb::Env> &Env,
                      std::unique_ptr<Store> *S) {
    auto Fs = std::make_shared<SlowSstFileSystem>(
        rocksdb::FileSystem::Default(), std::chrono::milliseconds(300));
    Env = rocksdb::NewCompositeEnv(Fs);
    OpenOptions O;
    // Update mode writes through memtables and flushes; a rebuild ingests
    // sorted SST files instead and does not stall this way.
    O.Mode = OpenMode::Update;
    detail::RocksDbHooks Hooks;
    Hooks.Env = Env.get();
    Hooks.Tuning = &C.Tuning;
    return detail::openRocksDbStore(Path, O, Hooks, S);
  };
  std::string Base = C.Dir + "/stall";
  removeTree(Base + "-naive");
  Result Naive = runInChild([&](Result &R) {
    std::unique_ptr<rocksdb::Env> Env;
    std::unique_ptr<Store> S;
    if (Status St = OpenSlow(Base + "-naive", Env, &S); !St) {
      R.Error = St.toString();
      return;
    }
    runNaive(C, *S, R);
  });
  printRow("naive unbounded", Naive);
  removeTree(Base + "-naive");
  removeTree(Base + "-ours");
  Result Ours = runInChild([&](Result &R) {
    std::unique_ptr<rocksdb::Env> Env;
    runOurs(C, "rocksdb", Base + "-ours", R, [&](std::unique_ptr<Store> *S) {
      return OpenSlow(Base + "-ours", Env, S);
    });
  });
  printRow("BatchWriter", Ours);
  removeTree(Base + "-ours");
  return 0;
}
#endif

bool parseSize(const char *Text, uint64_t *Out) {
  char *End = nullptr;
  unsigned long long V = std::strtoull(Text, &End, 10);
  if (!End || End == Text)
    return false;
  if (*End == 'k' || *End == 'K')
    V <<= 10;
  else if (*End == 'm' || *End == 'M')
    V <<= 20;
  else if (*End == 'g' || *End == 'G')
    V <<= 30;
  *Out = V;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  Config C;
  for (std::string_view E : availableEngines())
    if (E != "mem")
      C.Engines.emplace_back(E);
  const char *Tmp = std::getenv("TMPDIR");
  C.Dir = std::string(Tmp && *Tmp ? Tmp : "/tmp") +
          "/codeindex-storage-bench-" + std::to_string(::getpid());
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    auto Next = [&]() -> const char * {
      if (I + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", A.c_str());
        std::exit(2);
      }
      return argv[++I];
    };
    uint64_t V = 0;
    if (A == "--help" || A == "-h") {
      std::printf(
          "storage_bench [--quick] [--entities N] [--edges N] [--per-unit N]\n"
          "  [--engines rocksdb,lmdb] [--dir PATH] [--keep] [--producers N]\n"
          "  [--mode rebuild|update] [--only ours|raw] [--stall | --no-stall]\n"
          "  [--writer-threads N] [--max-write-records N] [--max-write-bytes "
          "N]\n"
          "  [--max-queued-bytes N] [--max-queued-batches N]\n"
          "  [--rocksdb-run-bytes N] [--rocksdb-bulk 0|1] [--rocksdb-vector "
          "0|1]\n"
          "  [--rocksdb-compact 1+L0FILES (0: never)] [--rocksdb-jobs N]\n"
          "  [--rocksdb-flushes N] [--rocksdb-buffers N]\n"
          "  [--rocksdb-write-buffer-mb N] [--rocksdb-db-write-buffer-mb N]\n"
          "  [--rocksdb-compression none|lz4|snappy|zstd]\n"
          "  [--lmdb-writemap 0|1] [--lmdb-sort 0|1] [--lmdb-run-bytes N]\n"
          "  [--lmdb-chunk N]\n"
          "Sizes take k, m, g suffixes (powers of 1024).\n");
      return 0;
    }
    if (A == "--quick") {
      C.Entities = 100'000;
      C.Edges = 500'000;
    } else if (A == "--keep") {
      KeepFiles = true;
    } else if (A == "--stall") {
      C.Throughput = false;
      C.Stall = true;
    } else if (A == "--no-stall") {
      C.Stall = false;
    } else if (A == "--entities" && parseSize(Next(), &V)) {
      C.Entities = V;
    } else if (A == "--edges" && parseSize(Next(), &V)) {
      C.Edges = V;
    } else if (A == "--per-unit" && parseSize(Next(), &V)) {
      C.PerUnit = V;
    } else if (A == "--engines") {
      C.Engines.clear();
      std::string L = Next();
      for (size_t P = 0; P <= L.size();) {
        size_t Comma = L.find(',', P);
        if (Comma == std::string::npos)
          Comma = L.size();
        C.Engines.push_back(L.substr(P, Comma - P));
        P = Comma + 1;
      }
    } else if (A == "--dir") {
      C.Dir = Next();
    } else if (A == "--producers" && parseSize(Next(), &V)) {
      C.Producers = static_cast<unsigned>(V);
    } else if (A == "--writer-threads" && parseSize(Next(), &V)) {
      C.Writer.WriterThreads = static_cast<unsigned>(V);
    } else if (A == "--max-write-records" && parseSize(Next(), &V)) {
      C.Writer.MaxWriteRecords = V;
    } else if (A == "--max-write-bytes" && parseSize(Next(), &V)) {
      C.Writer.MaxWriteBytes = V;
    } else if (A == "--max-queued-bytes" && parseSize(Next(), &V)) {
      C.Writer.MaxQueuedBytes = V;
    } else if (A == "--max-queued-batches" && parseSize(Next(), &V)) {
      C.Writer.MaxQueuedBatches = V;
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
    } else if (A == "--lmdb-writemap" && parseSize(Next(), &V)) {
      C.Lmdb.WriteMapOnRebuild = V != 0;
    } else if (A == "--lmdb-run-bytes" && parseSize(Next(), &V)) {
      C.Lmdb.BulkRunBytes = V;
    } else if (A == "--lmdb-chunk" && parseSize(Next(), &V)) {
      C.Lmdb.LoadChunkRecords = V;
    } else if (A == "--lmdb-sort" && parseSize(Next(), &V)) {
      C.Lmdb.SortWrites = V != 0;
#endif
    } else if (A == "--mode") {
      std::string M = Next();
      if (M != "rebuild" && M != "update") {
        std::fprintf(stderr, "--mode takes rebuild or update\n");
        return 2;
      }
      C.Mode = M == "update" ? OpenMode::Update : OpenMode::Rebuild;
    } else if (A == "--only") {
      C.Only = Next();
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
    } else if (A == "--rocksdb-bulk" && parseSize(Next(), &V)) {
      C.Tuning.BulkLoad = V != 0;
    } else if (A == "--rocksdb-run-bytes" && parseSize(Next(), &V)) {
      C.Tuning.BulkRunBytes = V;
    } else if (A == "--rocksdb-vector" && parseSize(Next(), &V)) {
      C.Tuning.VectorMemtable = V != 0;
    } else if (A == "--rocksdb-compact" && parseSize(Next(), &V)) {
      C.Tuning.CompactAtCommitL0Files = static_cast<int>(V) - 1;
    } else if (A == "--rocksdb-write-buffer-mb" && parseSize(Next(), &V)) {
      C.MemtablesGiven = true;
      C.Tuning.WriteBufferBytes = V << 20;
    } else if (A == "--rocksdb-db-write-buffer-mb" && parseSize(Next(), &V)) {
      C.MemtablesGiven = true;
      C.Tuning.DbWriteBufferBytes = V << 20;
    } else if (A == "--rocksdb-buffers" && parseSize(Next(), &V)) {
      C.MemtablesGiven = true;
      C.Tuning.MaxWriteBufferNumber = static_cast<int>(V);
    } else if (A == "--rocksdb-flushes" && parseSize(Next(), &V)) {
      C.Tuning.MaxBackgroundFlushes = static_cast<int>(V);
    } else if (A == "--rocksdb-jobs" && parseSize(Next(), &V)) {
      C.Tuning.MaxBackgroundJobs = static_cast<int>(V);
    } else if (A == "--rocksdb-compression") {
      std::string N = Next();
      C.Tuning.Compression = N == "none"     ? rocksdb::kNoCompression
                             : N == "snappy" ? rocksdb::kSnappyCompression
                             : N == "zstd"   ? rocksdb::kZSTD
                                             : rocksdb::kLZ4Compression;
#endif
    } else {
      std::fprintf(stderr, "unknown or malformed argument: %s\n", A.c_str());
      return 2;
    }
  }
  if (C.Entities == 0 || C.Edges < C.Entities) {
    std::fprintf(stderr, "need at least one edge per entity\n");
    return 2;
  }
  std::filesystem::create_directories(C.Dir);
  int Rc = 0;
  if (C.Throughput)
    Rc = runThroughput(C);
  if (C.Stall && Rc == 0) {
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
    Config S = C;
    S.Entities = std::max<uint64_t>(1, C.Entities / 2);
    S.Edges = std::max<uint64_t>(S.Entities, C.Edges / 2);
    if (!C.MemtablesGiven) {
      // Memtables small enough that a slow disk shows: with the default
      // 64 MiB ones, 300 ms per new file is absorbed (flushes take longer
      // than that anyway), which docs/storage.md reports too.
      S.Tuning.WriteBufferBytes = 8u << 20;
      S.Tuning.MaxWriteBufferNumber = 2;
      S.Tuning.DbWriteBufferBytes = 64u << 20;
    }
    std::printf("\n");
    Rc = runStall(S);
#else
    if (!C.Throughput) {
      std::fprintf(stderr, "--stall needs RocksDB\n");
      Rc = 2;
    }
#endif
  }
  removeTree(C.Dir);
  return Rc;
}
