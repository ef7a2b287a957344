//===- Indexer.cpp - The `extract` pipeline -------------------------------===//
//
// One ExtractRun is one `extract`: inputs, the store, the plan
// (IncrementalPlan.h), the worker pool, the orphan passes, removals, the
// commit, the export and the report (RunReport.h). Process matters (signals,
// exit codes, how the process ends) belong to the tool.
//
//===----------------------------------------------------------------------===//

#include "pipeline/Indexer.h"
#include "extractor/CompileCommands.h"
#include "extractor/Extractor.h"
#include "pipeline/IncrementalPlan.h"
#include "pipeline/Progress.h"
#include "pipeline/RunError.h"
#include "pipeline/TuThread.h"
#include "pipeline/WorkerPool.h"
#include "pipeline/WorkerProtocol.h"

#include "codeindex/graph/GraphJson.h"
#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/BatchWriter.h"
#include "codeindex/storage/Store.h"

#include "clang/Basic/Version.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

namespace codeindex {

using storage::Store;
using storage::StoreSpec;
using storage::WriteBatch;
using Clock = std::chrono::steady_clock;

namespace {

/// Set once a TU crashed the Clang frontend (see frontendCrashed()).
std::atomic<bool> FrontendCrashed{false};

void note(bool Quiet, const llvm::Twine &Msg) {
  if (!Quiet)
    llvm::errs() << "code-indexer: " << Msg << "\n";
}

llvm::Error usageError(const llvm::Twine &Msg) {
  return runError(RunErrorKind::Usage, Msg);
}

llvm::Error storeError(const llvm::Twine &Msg) {
  return runError(RunErrorKind::Store, Msg);
}

std::string realPath(llvm::StringRef P) {
  llvm::SmallString<256> Out;
  if (llvm::sys::fs::real_path(P, Out))
    return P.str();
  return std::string(Out);
}

/// The deepest directory containing every main file, leaving out main files
/// in system locations (a project that compiles a packaged gtest-all.cc
/// should not get "/" as its root) unless there are only such files.
std::string commonRoot(const std::vector<TuInput> &Tus) {
  bool AnyProjectFile = std::any_of(Tus.begin(), Tus.end(), [](const auto &T) {
    return !inSystemLocation(T.MainFile);
  });
  std::string Root;
  for (const TuInput &T : Tus) {
    if (AnyProjectFile && inSystemLocation(T.MainFile))
      continue;
    std::string Dir = llvm::sys::path::parent_path(T.MainFile).str();
    if (Root.empty()) {
      Root = Dir;
      continue;
    }
    while (!Root.empty() && !(llvm::StringRef(Dir).starts_with(Root) &&
                              (Dir.size() == Root.size() ||
                               Dir[Root.size()] == '/' || Root == "/")))
      Root = llvm::sys::path::parent_path(Root).str();
  }
  return Root.empty() ? "/" : Root;
}

std::string nowIso8601() {
  std::time_t T = std::time(nullptr);
  char Buf[32];
  std::strftime(Buf, sizeof Buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&T));
  return Buf;
}

std::string hostName() {
  char Buf[256] = {0};
  gethostname(Buf, sizeof Buf - 1);
  return Buf;
}

bool isCxxSourceName(llvm::StringRef Name) {
  llvm::StringRef Ext = llvm::sys::path::extension(Name);
  static const char *Exts[] = {".c",   ".cc",  ".cpp",  ".cxx", ".c++", ".h",
                               ".hh",  ".hpp", ".hxx",  ".h++", ".inc", ".ipp",
                               ".tpp", ".inl", ".cppm", ".ixx"};
  for (const char *E : Exts)
    if (Ext == E)
      return true;
  return false;
}

/// C/C++ files under Root that the index does not hold.
std::vector<IgnoredFile>
findIgnoredFiles(const PathMapper &Paths, const std::string &BuildDir,
                 const std::set<std::string> &Known,
                 const std::vector<llvm::GlobPattern> &Exclude,
                 const std::vector<std::string> &ExcludeText) {
  std::vector<IgnoredFile> Out;
  std::error_code EC;
  llvm::sys::fs::recursive_directory_iterator It(Paths.root(), EC,
                                                 /*follow_symlinks=*/false),
      End;
  size_t Visited = 0;
  for (; It != End && !EC; It.increment(EC)) {
    if (++Visited > 500000)
      break; // a pathological tree: stop listing rather than stall
    llvm::StringRef P = It->path();
    llvm::StringRef Name = llvm::sys::path::filename(P);
    if (It->type() == llvm::sys::fs::file_type::directory_file) {
      if (Name.starts_with(".") || P == BuildDir ||
          llvm::sys::fs::exists(P + "/CMakeCache.txt"))
        It.no_push();
      continue;
    }
    if (!isCxxSourceName(Name))
      continue;
    std::string Display = Paths.display(P);
    if (Known.count(Display))
      continue;
    std::string Reason = "not compiled or included by any translation unit";
    for (size_t I = 0; I < Exclude.size(); ++I)
      if (Exclude[I].match(Display))
        Reason = "excluded by --exclude " + ExcludeText[I];
    Out.push_back({Display, Reason});
  }
  std::sort(Out.begin(), Out.end(),
            [](const auto &A, const auto &B) { return A.Path < B.Path; });
  return Out;
}

/// The meta record holding optionsFingerprint() of the last run.
constexpr std::string_view OptionsMeta = "extract_options";

/// Every option that changes what the index holds, as a JSON object: a run
/// whose fingerprint differs from the last run's re-indexes every TU. The
/// generator's version is part of it (a new extractor may index the same
/// code differently); --jobs, --progress, --quiet, --strict, --wait and
/// --tu-timeout are not (they change how a run goes, not what a TU yields;
/// a TU that timed out is parsed again anyway).
std::string optionsFingerprint(const ExtractOptions &O,
                               std::vector<std::string> Exclude) {
  std::sort(Exclude.begin(), Exclude.end());
  Exclude.erase(std::unique(Exclude.begin(), Exclude.end()), Exclude.end());
  nlohmann::ordered_json J;
  J["generator"] = versionString();
  J["root"] = O.Root;
  J["build_dir"] = O.BuildDir;
  J["index_system"] = O.IndexSystem;
  J["tests"] = O.ExcludeTests ? "exclude" : "include";
  J["exclude"] = Exclude;
  J["header_dedup"] = O.DedupHeaders;
  J["instantiations"] = O.IndexInstantiations;
  std::vector<std::string> TestFiles;
  for (const auto &[Text, Glob] : O.TestFiles)
    TestFiles.push_back(Text);
  std::sort(TestFiles.begin(), TestFiles.end());
  TestFiles.erase(std::unique(TestFiles.begin(), TestFiles.end()),
                  TestFiles.end());
  J["test_files"] = TestFiles;
  J["test_heuristics"] = O.TestHeuristics;
  return J.dump();
}

/// The names of the options that differ between two fingerprints, e.g.
/// "exclude, index_system" (sorted); a note when the old one is unreadable or
/// absent (an index written before fingerprints were stored).
std::string changedOptions(const std::string &Old, const std::string &New) {
  nlohmann::json O = nlohmann::json::parse(Old, nullptr, false);
  nlohmann::json N = nlohmann::json::parse(New, nullptr, false);
  if (O.is_discarded() || !O.is_object() || N.is_discarded())
    return "not recorded by the last run";
  std::string Out;
  for (auto It = N.begin(); It != N.end(); ++It)
    if (!O.contains(It.key()) || O[It.key()] != It.value())
      Out += (Out.empty() ? "" : ", ") + It.key();
  return Out;
}

double secondsSince(Clock::time_point T) {
  return std::chrono::duration<double>(Clock::now() - T).count();
}

/// Adds V to a double summed by several workers.
void addTo(std::atomic<double> &A, double V) {
  double Old = A.load();
  while (!A.compare_exchange_weak(Old, Old + V)) {
  }
}

/// One `extract` run. Not reusable: construct, call run() once.
class ExtractRun {
public:
  ExtractRun(const ExtractRequest &R, const CancellationToken &Cancel)
      : R(R), Cancel(Cancel) {}
  llvm::Expected<RunReport> run();

private:
  llvm::Error loadInputs();
  llvm::Error openIndex();
  llvm::Error plan();
  /// Starts the worker processes of --isolation=process.
  llvm::Error startWorkers();
  /// Parses Tus[Index] and queues its batch; called by the pool's workers.
  void parseOne(size_t Index);
  void parseAll(const std::vector<size_t> &Which);
  /// Parses again TUs that read units left without an owner.
  void reparseForOrphans();
  /// Queues the removal of removed TUs and of released units nobody owns.
  void queueRemovals();
  llvm::Error writeMetadata(RunReport &Report);
  llvm::Error exportJson(RunReport &Report);

  const ExtractRequest &R;
  const CancellationToken &Cancel;
  Clock::time_point Start = Clock::now();
  std::string StartedAt = nowIso8601();

  // Inputs.
  std::string DbPath, BuildDir, Root;
  std::vector<TuInput> Tus;
  std::vector<TuInput> Excluded; ///< main files matching --exclude
  std::optional<PathMapper> Paths;
  ExtractOptions Opts;
  /// What Opts is made from; sent to each worker process as it starts.
  worker::WorkerSetup Setup;
  std::string OptionsFingerprint;

  // The store.
  StoreSpec Spec;
  std::unique_ptr<Store> DbStore;
  std::unique_ptr<GraphStore> GS;
  bool Fresh = false;

  // Planning and shared extractor state.
  UnitClaims Claims;
  FileHashCache Hashes;
  UsrRegistry Usrs;
  std::map<Id, TuRecord> OldByKey;
  IncrementalPlan Plan;

  // The run.
  std::unique_ptr<WorkerPool> Pool; ///< --isolation=process
  std::unique_ptr<storage::BatchWriter> Writer;
  unsigned Jobs = 0;
  std::optional<Progress> Prog;
  std::atomic<size_t> Failed{0}, WithErrors{0}, Done{0};
  /// TUs whose worker ran out of memory (--isolation=process).
  std::atomic<size_t> OutOfMemory{0};
  /// The batches of those TUs without --tu-memory, written once the run
  /// knows that not every TU ran out (guarded by ResultMutex).
  std::vector<WriteBatch> DeferredBatches;
  // Worker time, summed over TUs: see the summary's "time" line.
  std::atomic<double> ParseSeconds{0}, ExtractSeconds{0}, EncodeSeconds{0};
  std::mutex ResultMutex;         ///< guards the members below
  std::vector<UnitKey> Released;  ///< may lose their owner this run
  std::map<Id, TuRecord> Written; ///< records written this run (no facts)
  Status WriteError;
  std::vector<TuProblem> Problems;
};

llvm::Error ExtractRun::loadInputs() {
  llvm::Expected<std::string> Found = findCompileCommands(R.CompileCommands);
  if (!Found)
    return usageError(llvm::toString(Found.takeError()));
  DbPath = *Found;
  BuildDir = llvm::sys::path::parent_path(DbPath).str();
  LoadOptions LO;
  LO.ResourceDir = defaultResourceDir();
  if (!R.Root.empty())
    LO.AllowedDirs.push_back(realPath(R.Root));
  llvm::Expected<std::vector<TuInput>> Loaded = loadCompileCommands(DbPath, LO);
  if (!Loaded)
    return usageError(llvm::toString(Loaded.takeError()));
  Tus = std::move(*Loaded);

  if (!R.Root.empty()) {
    if (!llvm::sys::fs::is_directory(R.Root))
      return usageError("--root '" + R.Root + "' is not a directory");
    Root = realPath(R.Root);
  } else {
    Root = realPath(commonRoot(Tus));
  }
  Paths.emplace(Root);

  // The workers make their options from this same setup (extractOptions).
  Setup.Root = Root;
  Setup.BuildDir = realPath(BuildDir);
  Setup.IndexSystem = R.IndexSystem;
  Setup.ExcludeTests = R.ExcludeTests;
  Setup.TestHeuristics = R.TestHeuristics;
  Setup.DedupHeaders = R.DedupHeaders;
  Setup.IndexInstantiations = R.IndexInstantiations;
  Setup.TuTimeoutSeconds = R.TuTimeoutSeconds;
  Setup.Exclude = R.Exclude;
  Setup.TestFiles = R.TestFiles;
  Setup.TuMemoryMB = R.TuMemoryMB;
  llvm::Expected<ExtractOptions> Made = worker::extractOptions(Setup);
  if (!Made)
    return usageError(llvm::toString(Made.takeError()));
  Opts = std::move(*Made);
  OptionsFingerprint = optionsFingerprint(Opts, R.Exclude);
  // Main files matching --exclude are not indexed at all.
  std::erase_if(Tus, [&](TuInput &T) {
    std::string D = Paths->display(T.MainFile);
    for (const llvm::GlobPattern &G : Opts.Exclude)
      if (G.match(D)) {
        Excluded.push_back(T);
        return true;
      }
    return false;
  });
  for (const TuInput &T : Tus)
    for (const std::string &S : T.Stripped)
      if (!R.Quiet)
        llvm::errs() << "code-indexer: warning: " << Paths->display(T.MainFile)
                     << ": ignored unsafe compiler argument '" << S << "'\n";
  return llvm::Error::success();
}

llvm::Error ExtractRun::startWorkers() {
  Pool = std::make_unique<WorkerPool>(worker::encodeSetup(Setup), R.TuMemoryMB,
                                      R.TuTimeoutSeconds);
  if (llvm::Error E = Pool->start(Jobs))
    return storeError(llvm::toString(std::move(E)));
  return llvm::Error::success();
}

llvm::Error ExtractRun::openIndex() {
  std::string SpecText = R.Db;
  if (SpecText.empty())
    SpecText = std::string(storage::defaultEngine()) + ":" + BuildDir +
               "/code-index/index";
  if (Status St = storage::parseStoreSpec(SpecText, &Spec); !St.isOk())
    return usageError(St.message());
  storage::OpenOptions OO;
  // --wait polls instead of blocking in the lock: the run can say whom it
  // waits for, give up after --wait=SECONDS, and stop when cancelled.
  OO.Lock = storage::LockMode::Fail;
  OO.RocksDbOptionsFile = R.RocksDbOptions;
  OO.LockOwnerDescription = "code-indexer extract " + DbPath;
  OO.OnStall = [](bool Active, uint64_t Millis, std::string_view Reason) {
    if (Active)
      llvm::errs() << "code-indexer: write stall: " << Reason
                   << " (writes paused; waiting for the disk)\n";
    else
      llvm::errs() << "code-indexer: write stall over after " << Millis
                   << " ms\n";
  };
  // Where no run has committed yet there is nothing to update: build the
  // index as a rebuild does (bulk load, one atomic commit) and say so,
  // rather than "incremental" over an empty index.
  Fresh = R.Full || !storage::hasCommittedIndex(Spec);
  // Opens the index; an incompatible or damaged one is rebuilt from scratch
  // (the old generation stays live until the new one is committed).
  auto Open = [&]() -> Status {
    OO.Mode = Fresh ? storage::OpenMode::Rebuild : storage::OpenMode::Update;
    GS.reset();
    DbStore.reset();
    Status S = storage::openStore(Spec, OO, &DbStore);
    if (!S.isOk())
      return S;
    GS = std::make_unique<GraphStore>(*DbStore);
    return GS->initSchema(Fresh);
  };
  Status St = Open();
  if (St.isBusy() && R.WaitForLock) {
    // "index at 'P' is locked by pid N on host H (what); wait for ...":
    // the part before the advice.
    std::string Holder = St.message();
    Holder = Holder.substr(0, Holder.find("; wait for"));
    llvm::errs() << "code-indexer: waiting: " << Holder
                 << (R.WaitSeconds ? " (for at most " +
                                         std::to_string(R.WaitSeconds) + " s)"
                                   : std::string())
                 << "\n";
    auto Deadline = Clock::now() + std::chrono::seconds(R.WaitSeconds);
    while (St.isBusy() && !Cancel.cancelled() &&
           (!R.WaitSeconds || Clock::now() < Deadline)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      St = Open();
    }
    if (St.isBusy() && Cancel.cancelled())
      return runError(RunErrorKind::Interrupted,
                      "interrupted while waiting for the index lock; the "
                      "index is unchanged");
    if (St.isBusy())
      return storeError("gave up waiting for the index lock after " +
                        llvm::Twine(R.WaitSeconds) + " s: " + St.message());
  }
  if (!Fresh && (St.isIncompatible() || St.isCorruption())) {
    note(R.Quiet, St.message() + "; rebuilding the index from scratch");
    Fresh = true;
    St = Open();
  }
  if (!St.isOk())
    return storeError("cannot open the index " + Spec.toString() + ": " +
                      St.message());
  GS->assumeEmpty(Fresh);
  note(R.Quiet, "index: " + Spec.toString() + " (" +
                    (Fresh ? "full build" : "incremental") + "), " +
                    std::to_string(Tus.size()) + " translation units, root " +
                    Root);
  return llvm::Error::success();
}

llvm::Error ExtractRun::plan() {
  std::vector<TuRecord> Old;
  std::vector<UnitKey> Stored;
  if (!Fresh) {
    if (Status S = GS->readTuRecords(Old, false); !S.isOk())
      return storeError("cannot read the index: " + S.message());
    if (Status S = GS->readUnitKeys(Stored); !S.isOk())
      return storeError("cannot read the index: " + S.message());
  }
  IncrementalInputs In;
  In.OldTus = &Old;
  In.StoredUnits = &Stored;
  In.NewTus = &Tus;
  In.HashOf = [&](const std::string &P) { return Hashes.hashOf(P); };
  In.NewOptionsFingerprint = OptionsFingerprint;
  In.OldOptionsFingerprint = OptionsFingerprint;
  if (!Fresh) {
    std::string Stored;
    Status S = GS->getMeta(OptionsMeta, &Stored);
    if (!S.isOk() && !S.isNotFound())
      return storeError("cannot read the index: " + S.message());
    In.OldOptionsFingerprint = Stored;
  }
  Plan = planIncrementalRun(In);
  if (Plan.OptionsChanged)
    note(R.Quiet, "options that shape the index changed since the last run (" +
                      changedOptions(In.OldOptionsFingerprint,
                                     In.NewOptionsFingerprint) +
                      "): re-indexing every translation unit");
  for (const auto &[U, Tu] : Plan.PreAssigned)
    Claims.assign(U, Tu);
  Released = Plan.Released;
  Released.insert(Released.end(), Plan.Unowned.begin(), Plan.Unowned.end());
  for (TuRecord &T : Old)
    OldByKey.emplace(T.Key, std::move(T));
  return llvm::Error::success();
}

void ExtractRun::parseOne(size_t Index) {
  if (Cancel.cancelled())
    return;
  const TuInput &In = Tus[Index];
  std::string Display = Paths->display(In.MainFile);
  Prog->started(Display);
  ExtractContext Ctx{Opts, *Paths, Claims, Hashes, Usrs};
  TuResult Res;
  bool RunOutOfMemory = false;
  // How the TU ended when it yields none of its facts: crashed (the
  // frontend or its worker process), timed out, or out of memory.
  std::optional<std::pair<TuStatus, std::string>> Lost;
  if (Pool) {
    WorkerPool::Outcome O = Pool->run(
        In, Res, [&](const UnitKey &U, Id Tu) { return Claims.claim(U, Tu); });
    // Collisions between USRs that different workers saw are found here.
    for (const std::string &Usr : O.NewUsrs)
      Usrs.idFor(Usr);
    if (O.K == WorkerPool::Outcome::Crashed)
      Lost.emplace(TuStatus::Crashed, O.Reason);
    else if (O.K == WorkerPool::Outcome::TimedOut)
      Lost.emplace(TuStatus::TimedOut, O.Reason);
    else if (O.K == WorkerPool::Outcome::OutOfMemory) {
      ++OutOfMemory;
      RunOutOfMemory = !R.TuMemoryMB;
      Lost.emplace(TuStatus::Failed, O.Reason);
    }
  } else if (!R.CrashRecovery) {
    Res = extractTranslationUnit(In, Ctx);
  } else if (!runTuFrontend([&] { Res = extractTranslationUnit(In, Ctx); })) {
    FrontendCrashed.store(true);
    Lost.emplace(TuStatus::Crashed, "the Clang frontend crashed on this file");
  }
  if (!Lost && Res.Record.Status == TuStatus::TimedOut)
    Lost.emplace(TuStatus::TimedOut, Res.Record.FailureReason);
  if (Lost) {
    // A crashed or timed-out TU commits none of its (partial) facts, and
    // whatever it claimed is free again for other TUs.
    std::vector<UnitKey> Freed = Claims.releaseOwnedBy(In.Key);
    {
      std::lock_guard<std::mutex> L(ResultMutex);
      Released.insert(Released.end(), Freed.begin(), Freed.end());
    }
    TuResult Partial = std::move(Res);
    Res = TuResult();
    Res.Record.Key = In.Key;
    Res.Record.MainFile = Display;
    Res.Record.Directory = In.Directory;
    Res.Record.CommandHash = In.CommandHash;
    Res.Record.Variant = In.Variant;
    Res.ParseSeconds = Partial.ParseSeconds;
    Res.ExtractSeconds = Partial.ExtractSeconds;
    Res.Record.Status = Lost->first;
    Res.Record.FailureReason = Lost->second;
  }
  if (Res.Units.empty()) {
    // Keep a record of the main file so the failure shows in `files`.
    UnitFacts U;
    U.Key = UnitKey{fileId(Display), In.Variant};
    if (Claims.claim(U.Key, In.Key) == In.Key) {
      U.File.Path = Display;
      U.File.Lang = In.Lang;
      U.File.Role = FileRole::Source;
      U.File.Status = FileStatus::Failed;
      U.File.ContentHash = Hashes.hashOf(In.MainFile);
      Res.Record.OwnedUnits.push_back(U.Key);
      Res.Units.push_back(std::move(U));
    }
  }
  if (failedTu(Res.Record.Status))
    ++Failed;
  else if (Res.Record.Status == TuStatus::Errors)
    ++WithErrors;
  WriteBatch B;
  auto EncodeStart = Clock::now();
  Status S = GS->encodeTu(Res.Record, Res.Units, B);
  addTo(EncodeSeconds, secondsSince(EncodeStart));
  // A TU whose worker ran out of memory under a limit of the whole run
  // waits: if every TU does, the run fails without writing any of them.
  bool Defer = S.isOk() && RunOutOfMemory;
  if (S.isOk() && !Defer)
    S = Writer->submit(std::move(B));
  {
    std::lock_guard<std::mutex> L(ResultMutex);
    if (Defer)
      DeferredBatches.push_back(std::move(B));
    if (!S.isOk() && WriteError.isOk())
      WriteError = S;
    if (Res.Record.Status != TuStatus::Ok) {
      Problems.push_back(TuProblem{Display, Res.Record.Status,
                                   Res.Record.FailureReason,
                                   Res.Record.Diagnostics});
    }
    Res.Units.clear();
    Written[In.Key] = std::move(Res.Record);
  }
  addTo(ParseSeconds, Res.ParseSeconds);
  addTo(ExtractSeconds, Res.ExtractSeconds);
  Prog->finished(Display, ++Done);
}

void ExtractRun::parseAll(const std::vector<size_t> &Which) {
  Prog->begin(Which.size() + Done.load());
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Jobs));
  for (size_t I : Which)
    Pool.async([this, I] { parseOne(I); });
  Pool.wait();
}

void ExtractRun::reparseForOrphans() {
  // Units that lost their owner (the TU that owned them was re-parsed and no
  // longer claims them, or crashed) but that another TU still reads: parse
  // one such TU again so the unit's facts come back. Two passes suffice in
  // practice; three bound the work.
  for (int Pass = 0; Pass < 3 && !Cancel.cancelled(); ++Pass) {
    std::set<UnitKey> Orphans;
    for (const UnitKey &U : Released)
      if (!Claims.owner(U))
        Orphans.insert(U);
    std::vector<size_t> Again = tusReadingOrphans(
        Orphans, Tus,
        [&](size_t I) -> const TuRecord * {
          auto W = Written.find(Tus[I].Key);
          if (W != Written.end())
            return failedTu(W->second.Status) ? nullptr : &W->second;
          if (Plan.Clean.count(Tus[I].Key))
            return &OldByKey[Tus[I].Key];
          return nullptr;
        },
        [&](const std::string &P) { return fileId(Paths->display(P)); });
    if (Again.empty())
      break;
    for (size_t I : Again)
      Plan.Clean.erase(Tus[I].Key);
    parseAll(Again);
  }
}

void ExtractRun::queueRemovals() {
  WriteBatch B;
  for (Id K : Plan.Removed)
    if (Status S = GS->encodeRemoveTu(K, B); !S.isOk())
      WriteError = S;
  std::set<UnitKey> Gone;
  for (const UnitKey &U : Released)
    if (!Claims.owner(U))
      Gone.insert(U);
  for (const UnitKey &U : Gone)
    if (Status S = GS->encodeRemoveUnit(U, B); !S.isOk())
      WriteError = S;
  if (!B.empty())
    if (Status S = Writer->submit(std::move(B)); !S.isOk())
      WriteError = S;
}

llvm::Error ExtractRun::writeMetadata(RunReport &Report) {
  GraphStore &G = *GS;
  std::set<std::string> Known;
  if (Status S = G.forEachFile([&](const FileInfo &F) {
        Known.insert(F.Path);
        return true;
      });
      !S.isOk())
    return storeError("writing the index failed: " + S.message());
  std::vector<IgnoredFile> Ignored =
      findIgnoredFiles(*Paths, Opts.BuildDir, Known, Opts.Exclude, R.Exclude);
  Report.Seconds = secondsSince(Start);
  storage::BatchWriterStats WS = Writer->stats();
  WriteBatch B;
  G.encodeIgnoredFiles(Ignored, B);
  nlohmann::ordered_json Gen;
  Gen["name"] = "code-indexer";
  Gen["version"] = CODE_INDEX_VERSION;
  Gen["clang"] = CLANG_VERSION_STRING;
  G.putMeta(B, meta::Generator, Gen.dump());
  nlohmann::ordered_json Proj;
  Proj["root"] = Root;
  Proj["compile_commands"] = DbPath;
  Proj["tests"] = R.ExcludeTests ? "exclude" : "include";
  Proj["index_system"] = R.IndexSystem;
  G.putMeta(B, meta::Project, Proj.dump());
  G.putMeta(B, OptionsMeta, OptionsFingerprint);
  nlohmann::ordered_json Run;
  Run["started_at"] = StartedAt;
  Run["seconds"] = std::round(Report.Seconds * 100) / 100;
  Run["host"] = hostName();
  Run["jobs"] = Jobs;
  Run["engine"] = Spec.Engine;
  Run["mode"] = Fresh ? "full" : "incremental";
  Run["parsed_translation_units"] = Written.size();
  Run["reparsed_translation_units"] = Done.load() - Written.size();
  Run["reused_translation_units"] = Plan.Clean.size();
  Run["parse_seconds"] = std::round(ParseSeconds.load() * 100) / 100;
  Run["extract_seconds"] = std::round(ExtractSeconds.load() * 100) / 100;
  Run["encode_seconds"] = std::round(EncodeSeconds.load() * 100) / 100;
  Run["write_ms"] = WS.WriteMillis;
  Run["write_stall_ms"] = WS.Engine.StallMillis;
  Run["producer_blocked_ms"] = WS.ProducerBlockedMillis;
  G.putMeta(B, meta::Run, Run.dump());
  if (Status S = DbStore->write(B); !S.isOk())
    return storeError("writing the index failed: " + S.message());
  return llvm::Error::success();
}

llvm::Error ExtractRun::exportJson(RunReport &Report) {
  GraphStats Stats;
  if (Status S = writeGraphJson(*GS, R.Json, &Stats); !S.isOk())
    return storeError("writing the JSON export failed: " + S.message());
  Report.Json = true;
  Report.Files = Stats.Files;
  Report.Entities = Stats.Entities;
  Report.Edges = Stats.Edges;
  // A stream (`-`, a FIFO, a character device) has no directory to put
  // errors.txt beside; the summary lists the failures.
  llvm::sys::fs::file_status St;
  bool Stream = R.Json == "-" ||
                (!llvm::sys::fs::status(R.Json, St) &&
                 (St.type() == llvm::sys::fs::file_type::fifo_file ||
                  St.type() == llvm::sys::fs::file_type::character_file));
  Report.JsonPath = R.Json == "-" ? "stdout" : realPath(R.Json);
  if (Stream)
    return llvm::Error::success();
  if (llvm::Error E =
          writeFileAtomically(errorsFilePath(R.Json), errorsFileText(Report)))
    return storeError("writing errors.txt failed: " +
                      llvm::toString(std::move(E)));
  return llvm::Error::success();
}

llvm::Expected<RunReport> ExtractRun::run() {
  if (llvm::Error E = loadInputs())
    return E;
  if (llvm::Error E = openIndex())
    return E;
  if (llvm::Error E = plan())
    return E;

  storage::BatchWriterOptions WO;
  // One writer thread keeps batches in submission order: a TU parsed again
  // in the orphan pass rewrites keys of its first batch, and the clean-up
  // batch must follow every TU batch.
  WO.WriterThreads = 1;
  Writer = std::make_unique<storage::BatchWriter>(*DbStore, WO);
  Jobs = R.Jobs ? R.Jobs : llvm::hardware_concurrency().compute_thread_count();
  // Workers only when something is parsed: a run with nothing to do (an
  // incremental run after no change) starts no process.
  if (R.Iso == Isolation::Process &&
      (!Plan.Dirty.empty() || !Released.empty())) {
    if (llvm::Error E = startWorkers())
      return E;
  } else {
    enableTuCrashRecovery();
  }
  Prog.emplace(R.Quiet ? ProgressMode::Never : R.Progress);

  parseAll(Plan.Dirty);
  reparseForOrphans();
  Pool.reset(); // the workers exit
  Prog->end();
  // Workers out of memory without --tu-memory hit a limit of the whole run
  // (ulimit -v, a cgroup): when no TU got through, committing would
  // replace the index with one of failed TUs (issue 11 item 5).
  if (!R.TuMemoryMB && OutOfMemory.load() &&
      OutOfMemory.load() == Done.load()) {
    (void)Writer->finish();
    return storeError(
        "every translation unit ran out of memory (" +
        llvm::Twine(OutOfMemory.load()) +
        " of them): the run's memory or address-space limit (ulimit -v, a "
        "container's memory limit) is too low; run with fewer --jobs or raise "
        "the limit. Nothing was committed to the index.");
  }
  for (WriteBatch &B : DeferredBatches)
    if (Status S = Writer->submit(std::move(B)); !S.isOk() && WriteError.isOk())
      WriteError = S;
  DeferredBatches.clear();
  queueRemovals();
  Status Finished = Writer->finish();
  if (WriteError.isOk())
    WriteError = Finished;
  if (!WriteError.isOk())
    return storeError("writing the index failed: " + WriteError.message());
  if (Cancel.cancelled())
    return runError(RunErrorKind::Interrupted,
                    "interrupted after " + llvm::Twine(Done.load()) + " of " +
                        llvm::Twine(Plan.Dirty.size()) +
                        " translation units; " +
                        (Fresh ? "the previous index is unchanged"
                               : "the index holds every TU finished so far; "
                                 "run again to complete it"));

  RunReport Report;
  std::sort(Problems.begin(), Problems.end());
  Report.Problems = Problems;
  Report.Collisions = Usrs.collisions();
  if (llvm::Error E = writeMetadata(Report))
    return E;
  auto CommitStart = Clock::now();
  if (Status S = DbStore->commit(); !S.isOk())
    return storeError("committing the index failed: " + S.message());
  double CommitSeconds = secondsSince(CommitStart);

  auto ExportStart = Clock::now();
  if (!R.Json.empty())
    if (llvm::Error E = exportJson(Report))
      return E;
  Report.ExportSeconds = secondsSince(ExportStart);

  storage::BatchWriterStats WS = Writer->stats();
  Report.TranslationUnits = Tus.size();
  Report.Parsed = Written.size();
  Report.Unchanged = Plan.Clean.size();
  Report.Failed = Failed.load();
  Report.WithErrors = WithErrors.load();
  Report.Excluded = Excluded.size();
  // Done counts frontend runs; a TU parsed again in the orphan pass is
  // counted once in "parsed" and reported as re-parsed.
  Report.Reparsed = Done.load() - Written.size();
  Report.Jobs = Jobs;
  Report.ParseSeconds = ParseSeconds.load();
  Report.ExtractSeconds = ExtractSeconds.load();
  Report.WriteSeconds =
      EncodeSeconds.load() + WS.WriteMillis / 1000.0 + CommitSeconds;
  Report.StallSeconds =
      (WS.ProducerBlockedMillis + WS.Engine.StallMillis) / 1000.0;
  Report.EngineStallMillis = WS.Engine.StallMillis;
  Report.Index = Spec.toString();
  Report.TotalSeconds = secondsSince(Start);
  SummaryOptions SO;
  SO.Counts = !R.Quiet;
  SO.Stats = R.Stats || R.Verbose;
  SO.All = R.Verbose;
  printSummary(Report, llvm::errs(), SO);
  if (R.Strict && (Report.Failed || Report.WithErrors))
    return runError(RunErrorKind::TuFailures,
                    llvm::Twine(Report.Failed + Report.WithErrors) +
                        " translation units failed or had errors (--strict)");
  return Report;
}

} // namespace

std::string versionString() {
  return std::string("code-indexer ") + CODE_INDEX_VERSION + " (Clang " +
         CLANG_VERSION_STRING + ")";
}

llvm::Expected<RunReport> runExtract(const ExtractRequest &R,
                                     const CancellationToken &Cancel) {
  ExtractRun Run(R, Cancel);
  return Run.run();
}

bool frontendCrashed() { return FrontendCrashed.load(); }

llvm::Error runExport(const std::string &Db, const std::string &Json) {
  StoreSpec Spec;
  if (Status St = storage::parseStoreSpec(Db, &Spec); !St.isOk())
    return usageError(St.message());
  if (Spec.Engine == "mem")
    return usageError(
        "an in-memory index (mem) does not outlive `extract`; export with "
        "`extract --db mem --json FILE`, or use rocksdb:PATH or lmdb:PATH");
  storage::OpenOptions OO;
  OO.Mode = storage::OpenMode::ReadOnly;
  std::unique_ptr<Store> S;
  if (Status St = storage::openStore(Spec, OO, &S); !St.isOk())
    return storeError("cannot open the index " + Spec.toString() + ": " +
                      St.message());
  GraphStore G(*S);
  if (Status St = G.initSchema(false); !St.isOk())
    return storeError("cannot read the index " + Spec.toString() + ": " +
                      St.message());
  if (Status St = writeGraphJson(G, Json); !St.isOk())
    return storeError("writing the JSON export failed: " + St.message());
  return llvm::Error::success();
}

} // namespace codeindex
