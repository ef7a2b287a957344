//===- Indexer.cpp - The `extract` pipeline -------------------------------===//

#include "pipeline/Indexer.h"
#include "tools/code-indexer/ExitCodes.h"
#include "extractor/CompileCommands.h"
#include "extractor/Extractor.h"
#include "pipeline/Progress.h"

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
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <set>
#include <unistd.h>

namespace codeindex {

using storage::Store;
using storage::StoreSpec;
using storage::WriteBatch;
using Clock = std::chrono::steady_clock;

namespace {

std::atomic<int> InterruptSignal{0};
/// Set once a TU crashed the Clang frontend (see runExtract()).
std::atomic<bool> FrontendCrashed{false};

/// The first SIGINT/SIGTERM asks for a clean stop; the default action is
/// restored so that a second one ends the process at once.
void onSignal(int Sig) {
  InterruptSignal.store(Sig);
  std::signal(Sig, SIG_DFL);
}

void error(const llvm::Twine &Msg) {
  llvm::errs() << "code-indexer: error: " << Msg << "\n";
}

void note(bool Quiet, const llvm::Twine &Msg) {
  if (!Quiet)
    llvm::errs() << "code-indexer: " << Msg << "\n";
}

std::string realPath(llvm::StringRef P) {
  llvm::SmallString<256> Out;
  if (llvm::sys::fs::real_path(P, Out))
    return P.str();
  return std::string(Out);
}

/// Whether a path lies in a system location (distribution packages ship
/// sources there, e.g. /usr/src/googletest/googletest/src/gtest-all.cc).
bool inSystemLocation(llvm::StringRef Path) {
  for (llvm::StringRef P :
       {"/usr/", "/opt/", "/nix/store/", "/Library/", "/System/"})
    if (Path.starts_with(P))
      return true;
  return false;
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

/// A TU whose facts are not in the index (only a failed main-file record).
bool failed(TuStatus S) {
  return S == TuStatus::Failed || S == TuStatus::Crashed ||
         S == TuStatus::TimedOut;
}

std::string formatDuration(double Seconds) {
  char Buf[32];
  snprintf(Buf, sizeof Buf, "%.1f s", Seconds);
  return Buf;
}

} // namespace

std::string versionString() {
  return std::string("code-indexer ") + CODE_INDEX_VERSION + " (Clang " +
         CLANG_VERSION_STRING + ")";
}

static int runExtractImpl(const ExtractRequest &R) {
  auto Start = Clock::now();
  std::string StartedAt = nowIso8601();

  // ---- inputs ---------------------------------------------------------------
  llvm::Expected<std::string> DbPath = findCompileCommands(R.CompileCommands);
  if (!DbPath) {
    error(llvm::toString(DbPath.takeError()));
    return exitcode::Usage;
  }
  std::string BuildDir = llvm::sys::path::parent_path(*DbPath).str();
  LoadOptions LO;
  LO.ResourceDir = defaultResourceDir();
  if (!R.Root.empty())
    LO.AllowedDirs.push_back(realPath(R.Root));
  llvm::Expected<std::vector<TuInput>> Loaded =
      loadCompileCommands(*DbPath, LO);
  if (!Loaded) {
    error(llvm::toString(Loaded.takeError()));
    return exitcode::Usage;
  }
  std::vector<TuInput> &Tus = *Loaded;

  std::string Root;
  if (!R.Root.empty()) {
    if (!llvm::sys::fs::is_directory(R.Root)) {
      error("--root '" + R.Root + "' is not a directory");
      return exitcode::Usage;
    }
    Root = realPath(R.Root);
  } else {
    Root = realPath(commonRoot(Tus));
  }
  PathMapper Paths(Root);

  ExtractOptions Opts;
  Opts.Root = Root;
  Opts.BuildDir = realPath(BuildDir);
  Opts.IndexSystem = R.IndexSystem;
  Opts.ExcludeTests = R.ExcludeTests;
  Opts.DedupHeaders = R.DedupHeaders;
  Opts.TuTimeoutSeconds = R.TuTimeoutSeconds;
  for (const std::string &G : R.Exclude) {
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(G);
    if (!P) {
      error("bad --exclude pattern '" + G +
            "': " + llvm::toString(P.takeError()));
      return exitcode::Usage;
    }
    Opts.Exclude.push_back(std::move(*P));
  }
  // Main files matching --exclude are not indexed at all.
  std::vector<TuInput> Excluded;
  std::erase_if(Tus, [&](TuInput &T) {
    std::string D = Paths.display(T.MainFile);
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
        llvm::errs() << "code-indexer: warning: " << Paths.display(T.MainFile)
                     << ": ignored unsafe compiler argument '" << S << "'\n";

  // ---- the store ------------------------------------------------------------
  StoreSpec Spec;
  std::string SpecText = R.Db;
  if (SpecText.empty())
    SpecText = std::string(storage::defaultEngine()) + ":" + BuildDir +
               "/code-index/index";
  if (Status St = storage::parseStoreSpec(SpecText, &Spec); !St.isOk()) {
    error(St.message());
    return exitcode::Usage;
  }
  storage::OpenOptions OO;
  OO.Lock = R.WaitForLock ? storage::LockMode::Wait : storage::LockMode::Fail;
  OO.RocksDbOptionsFile = R.RocksDbOptions;
  OO.LockOwnerDescription = "code-indexer extract " + *DbPath;
  OO.OnStall = [&](bool Active, uint64_t Millis, std::string_view Reason) {
    if (Active)
      llvm::errs() << "code-indexer: write stall: " << Reason
                   << " (writes paused; waiting for the disk)\n";
    else
      llvm::errs() << "code-indexer: write stall over after " << Millis
                   << " ms\n";
  };
  std::unique_ptr<Store> DbStore;
  std::unique_ptr<GraphStore> GS;
  bool Fresh = R.Full || Spec.Engine == "mem";
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
  if (!Fresh && (St.isIncompatible() || St.isCorruption())) {
    note(R.Quiet, St.message() + "; rebuilding the index from scratch");
    Fresh = true;
    St = Open();
  }
  if (!St.isOk()) {
    error("cannot open the index " + Spec.toString() + ": " + St.message());
    return exitcode::Store;
  }
  GraphStore &G = *GS;
  G.assumeEmpty(Fresh);
  note(R.Quiet, "index: " + Spec.toString() + " (" +
                    (Fresh ? "full build" : "incremental") + "), " +
                    std::to_string(Tus.size()) + " translation units, root " +
                    Root);

  // ---- planning: which TUs need parsing ------------------------------------
  UnitClaims Claims;
  FileHashCache Hashes;
  UsrRegistry Usrs;
  ExtractContext Ctx{Opts, Paths, Claims, Hashes, Usrs};

  std::vector<TuRecord> Old;
  if (!Fresh) {
    if (Status S2 = G.readTuRecords(Old, false); !S2.isOk()) {
      error("cannot read the index: " + S2.message());
      return exitcode::Store;
    }
  }
  std::map<Id, TuRecord> OldByKey;
  for (TuRecord &T : Old)
    OldByKey.emplace(T.Key, std::move(T));
  std::set<Id> NewKeys;
  for (const TuInput &T : Tus)
    NewKeys.insert(T.Key);

  std::vector<size_t> Dirty;
  std::vector<UnitKey> Released; // owned by TUs we re-parse or remove
  std::set<Id> Clean;
  for (size_t I = 0; I < Tus.size(); ++I) {
    auto It = OldByKey.find(Tus[I].Key);
    bool Same = It != OldByKey.end() && !failed(It->second.Status) &&
                It->second.CommandHash == Tus[I].CommandHash;
    if (Same)
      for (const auto &[Path, Hash] : It->second.Inputs)
        if (Hashes.hashOf(Path) != Hash) {
          Same = false;
          break;
        }
    if (Same) {
      Clean.insert(Tus[I].Key);
      for (const UnitKey &U : It->second.OwnedUnits)
        Claims.assign(U, Tus[I].Key);
    } else {
      Dirty.push_back(I);
      if (It != OldByKey.end())
        Released.insert(Released.end(), It->second.OwnedUnits.begin(),
                        It->second.OwnedUnits.end());
    }
  }
  std::vector<Id> Removed;
  for (const auto &[K, T] : OldByKey)
    if (!NewKeys.count(K)) {
      Removed.push_back(K);
      Released.insert(Released.end(), T.OwnedUnits.begin(), T.OwnedUnits.end());
    }
  // Units in the store that no TU record owns were left by an interrupted
  // run (their owner was re-parsed and committed, the orphan pass was not):
  // they are orphans like the released ones, re-read by a TU that still
  // includes them or removed.
  if (!Fresh) {
    std::vector<UnitKey> Stored;
    if (Status S2 = G.readUnitKeys(Stored); !S2.isOk()) {
      error("cannot read the index: " + S2.message());
      return exitcode::Store;
    }
    std::set<UnitKey> Owned;
    for (const auto &[K, T] : OldByKey)
      Owned.insert(T.OwnedUnits.begin(), T.OwnedUnits.end());
    for (const UnitKey &U : Stored)
      if (!Owned.count(U))
        Released.push_back(U);
  }

  // ---- extraction -----------------------------------------------------------
  storage::BatchWriterOptions WO;
  // One writer thread keeps batches in submission order: a TU parsed again
  // in the orphan pass rewrites keys of its first batch, and the clean-up
  // batch must follow every TU batch.
  WO.WriterThreads = 1;
  storage::BatchWriter Writer(*DbStore, WO);
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  llvm::CrashRecoveryContext::Enable();

  unsigned Jobs =
      R.Jobs ? R.Jobs : llvm::hardware_concurrency().compute_thread_count();
  Progress Prog(R.Quiet ? ProgressMode::Never : R.Progress);
  std::atomic<size_t> Failed{0}, WithErrors{0}, Done{0};
  // Worker time, summed over TUs: see the summary's "time" line.
  std::atomic<double> ParseSeconds{0}, ExtractSeconds{0}, EncodeSeconds{0};
  auto Add = [](std::atomic<double> &A, double V) {
    double Old = A.load();
    while (!A.compare_exchange_weak(Old, Old + V)) {
    }
  };
  std::mutex ResultMutex;
  std::map<Id, TuRecord> Written; // records written this run (without facts)
  Status WriteError;
  std::vector<std::string> FailureLines;

  auto RunOne = [&](size_t Index) {
    if (InterruptSignal.load())
      return;
    const TuInput &In = Tus[Index];
    std::string Display = Paths.display(In.MainFile);
    Prog.started(Display);
    TuResult Res;
    llvm::CrashRecoveryContext CRC;
    bool Survived = true;
    if (std::getenv("CODE_INDEX_NO_CRASH_RECOVERY")) // for debuggers
      Res = extractTranslationUnit(In, Ctx);
    else
      Survived = CRC.RunSafely([&] { Res = extractTranslationUnit(In, Ctx); });
    if (!Survived || Res.Record.Status == TuStatus::TimedOut) {
      if (!Survived)
        FrontendCrashed.store(true);
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
      if (Survived) {
        Res.Record.Status = TuStatus::TimedOut;
        Res.Record.FailureReason = Partial.Record.FailureReason;
      } else {
        Res.Record.Status = TuStatus::Crashed;
        Res.Record.FailureReason = "the Clang frontend crashed on this file";
      }
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
    if (failed(Res.Record.Status))
      ++Failed;
    else if (Res.Record.Status == TuStatus::Errors)
      ++WithErrors;
    WriteBatch B;
    auto EncodeStart = Clock::now();
    Status S2 = G.encodeTu(Res.Record, Res.Units, B);
    Add(EncodeSeconds,
        std::chrono::duration<double>(Clock::now() - EncodeStart).count());
    if (S2.isOk())
      S2 = Writer.submit(std::move(B));
    {
      std::lock_guard<std::mutex> L(ResultMutex);
      if (!S2.isOk() && WriteError.isOk())
        WriteError = S2;
      if (Res.Record.Status != TuStatus::Ok) {
        std::string Line =
            Display + ": " + std::string(spell(Res.Record.Status));
        if (!Res.Record.FailureReason.empty())
          Line += ": " + Res.Record.FailureReason;
        else if (!Res.Record.Diagnostics.empty())
          Line += ": " + Res.Record.Diagnostics.front().File + ":" +
                  std::to_string(Res.Record.Diagnostics.front().Line) + ": " +
                  Res.Record.Diagnostics.front().Message;
        FailureLines.push_back(Line);
      }
      Res.Units.clear();
      Written[In.Key] = std::move(Res.Record);
    }
    Add(ParseSeconds, Res.ParseSeconds);
    Add(ExtractSeconds, Res.ExtractSeconds);
    Prog.finished(Display, ++Done);
  };

  auto RunAll = [&](const std::vector<size_t> &Which) {
    Prog.begin(Which.size() + Done.load());
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Jobs));
    for (size_t I : Which)
      Pool.async([&, I] { RunOne(I); });
    Pool.wait();
  };
  RunAll(Dirty);

  // Units that lost their owner (the TU that owned them was re-parsed and no
  // longer claims them, or crashed) but that another TU still reads: parse
  // one such TU again so the unit's facts come back. Two passes suffice in
  // practice; three bound the work.
  for (int Pass = 0; Pass < 3 && !InterruptSignal.load(); ++Pass) {
    std::set<UnitKey> Orphans;
    {
      std::lock_guard<std::mutex> L(ResultMutex);
      for (const UnitKey &U : Released)
        if (!Claims.owner(U))
          Orphans.insert(U);
    }
    if (Orphans.empty())
      break;
    std::vector<size_t> Again;
    for (size_t I = 0; I < Tus.size(); ++I) {
      const TuRecord *Rec = nullptr;
      auto W = Written.find(Tus[I].Key);
      if (W != Written.end()) {
        if (failed(W->second.Status))
          continue;
        Rec = &W->second;
      } else if (Clean.count(Tus[I].Key)) {
        Rec = &OldByKey[Tus[I].Key];
      }
      if (!Rec)
        continue;
      bool Needs = false;
      for (const auto &[Path, Hash] : Rec->Inputs) {
        Id F = fileId(Paths.display(Path));
        if (Orphans.count(UnitKey{F, Tus[I].Variant}) ||
            Orphans.count(UnitKey{F, 0})) {
          Needs = true;
          break;
        }
      }
      if (Needs) {
        Again.push_back(I);
        Clean.erase(Tus[I].Key);
      }
    }
    if (Again.empty())
      break;
    RunAll(Again);
  }
  Prog.end();

  // Removed TUs and released units nobody owns any more.
  {
    WriteBatch B;
    for (Id K : Removed)
      if (Status S2 = G.encodeRemoveTu(K, B); !S2.isOk())
        WriteError = S2;
    std::set<UnitKey> Gone;
    for (const UnitKey &U : Released)
      if (!Claims.owner(U))
        Gone.insert(U);
    for (const UnitKey &U : Gone)
      if (Status S2 = G.encodeRemoveUnit(U, B); !S2.isOk())
        WriteError = S2;
    if (!B.empty())
      if (Status S2 = Writer.submit(std::move(B)); !S2.isOk())
        WriteError = S2;
  }
  Status Finished = Writer.finish();
  if (WriteError.isOk())
    WriteError = Finished;
  if (!WriteError.isOk()) {
    error("writing the index failed: " + WriteError.message());
    return exitcode::Store;
  }
  if (InterruptSignal.load()) {
    llvm::errs() << "code-indexer: interrupted after " << Done.load() << " of "
                 << Dirty.size() << " translation units; "
                 << (Fresh ? "the previous index is unchanged"
                           : "the index holds every TU finished so far; "
                             "run again to complete it")
                 << "\n";
    return exitcode::Interrupted;
  }

  // ---- metadata, ignored files, commit --------------------------------------
  std::set<std::string> Known;
  if (Status S2 = G.forEachFile([&](const FileInfo &F) {
        Known.insert(F.Path);
        return true;
      });
      !S2.isOk()) {
    error("writing the index failed: " + S2.message());
    return exitcode::Store;
  }
  std::vector<IgnoredFile> Ignored =
      findIgnoredFiles(Paths, Opts.BuildDir, Known, Opts.Exclude, R.Exclude);
  double Seconds = std::chrono::duration<double>(Clock::now() - Start).count();
  storage::BatchWriterStats WS = Writer.stats();
  {
    WriteBatch B;
    G.encodeIgnoredFiles(Ignored, B);
    nlohmann::ordered_json Gen;
    Gen["name"] = "code-indexer";
    Gen["version"] = CODE_INDEX_VERSION;
    Gen["clang"] = CLANG_VERSION_STRING;
    G.putMeta(B, meta::Generator, Gen.dump());
    nlohmann::ordered_json Proj;
    Proj["root"] = Root;
    Proj["compile_commands"] = *DbPath;
    Proj["tests"] = R.ExcludeTests ? "exclude" : "include";
    Proj["index_system"] = R.IndexSystem;
    G.putMeta(B, meta::Project, Proj.dump());
    nlohmann::ordered_json Run;
    Run["started_at"] = StartedAt;
    Run["seconds"] = std::round(Seconds * 100) / 100;
    Run["host"] = hostName();
    Run["jobs"] = Jobs;
    Run["engine"] = Spec.Engine;
    Run["mode"] = Fresh ? "full" : "incremental";
    Run["parsed_translation_units"] = Written.size();
    Run["reparsed_translation_units"] = Done.load() - Written.size();
    Run["reused_translation_units"] = Clean.size();
    Run["parse_seconds"] = std::round(ParseSeconds.load() * 100) / 100;
    Run["extract_seconds"] = std::round(ExtractSeconds.load() * 100) / 100;
    Run["encode_seconds"] = std::round(EncodeSeconds.load() * 100) / 100;
    Run["write_ms"] = WS.WriteMillis;
    Run["write_stall_ms"] = WS.Engine.StallMillis;
    Run["producer_blocked_ms"] = WS.ProducerBlockedMillis;
    G.putMeta(B, meta::Run, Run.dump());
    if (Status S2 = DbStore->write(B); !S2.isOk()) {
      error("writing the index failed: " + S2.message());
      return exitcode::Store;
    }
  }
  auto CommitStart = Clock::now();
  if (Status S2 = DbStore->commit(); !S2.isOk()) {
    error("committing the index failed: " + S2.message());
    return exitcode::Store;
  }
  double CommitSeconds =
      std::chrono::duration<double>(Clock::now() - CommitStart).count();
  auto ExportStart = Clock::now();

  GraphStats Stats;
  if (!R.Json.empty()) {
    if (Status S2 = writeGraphJson(G, R.Json, &Stats); !S2.isOk()) {
      error("writing the JSON export failed: " + S2.message());
      return exitcode::Store;
    }
    std::string ErrPath = (llvm::sys::path::parent_path(R.Json).empty()
                               ? std::string(".")
                               : llvm::sys::path::parent_path(R.Json).str()) +
                          "/errors.txt";
    std::ofstream Err(ErrPath, std::ios::trunc);
    std::sort(FailureLines.begin(), FailureLines.end());
    Err << "# translation units that failed or had errors: "
        << FailureLines.size() << "\n";
    for (const std::string &L : FailureLines)
      Err << L << "\n";
    for (const std::string &C : Usrs.collisions())
      Err << "usr collision: " << C << "\n";
  }
  double ExportSeconds =
      std::chrono::duration<double>(Clock::now() - ExportStart).count();

  if (!R.Quiet) {
    // Done counts frontend runs; a TU parsed again in the orphan pass is
    // counted once in "parsed" and reported as re-parsed.
    size_t Reparsed = Done.load() - Written.size();
    llvm::errs() << "code-indexer: " << Tus.size() << " TUs (" << Written.size()
                 << " parsed, " << Clean.size() << " unchanged, "
                 << Failed.load() << " failed, " << WithErrors.load()
                 << " with errors, " << Excluded.size() << " excluded)";
    if (Reparsed)
      llvm::errs() << ", " << Reparsed
                   << " parsed again for headers whose owner failed or let "
                      "them go";
    if (!R.Json.empty())
      llvm::errs() << ", " << Stats.Files << " files, " << Stats.Entities
                   << " entities, " << Stats.Edges << " edges";
    llvm::errs() << " in " << formatDuration(Seconds)
                 << "; write stalls: " << WS.Engine.StallMillis << " ms\n";
    // Parse, extract and the workers' share of write and stall are summed
    // over the workers, so with --jobs N they add up to about N x wall.
    double Write =
        EncodeSeconds.load() + WS.WriteMillis / 1000.0 + CommitSeconds;
    double Stall = (WS.ProducerBlockedMillis + WS.Engine.StallMillis) / 1000.0;
    llvm::errs()
        << "code-indexer: time "
        << formatDuration(
               std::chrono::duration<double>(Clock::now() - Start).count())
        << ": parse " << formatDuration(ParseSeconds.load()) << ", extract "
        << formatDuration(ExtractSeconds.load()) << ", write "
        << formatDuration(Write) << ", stall " << formatDuration(Stall)
        << " (summed over " << Jobs << (Jobs == 1 ? " worker" : " workers")
        << ")";
    if (!R.Json.empty())
      llvm::errs() << "; export " << formatDuration(ExportSeconds);
    llvm::errs() << "\n";
    llvm::errs() << "code-indexer: index: " << Spec.toString() << "\n";
    if (!R.Json.empty())
      llvm::errs() << "code-indexer: json: " << realPath(R.Json) << "\n";
    for (size_t I = 0; I < FailureLines.size() && I < 10; ++I)
      llvm::errs() << "code-indexer:   " << FailureLines[I] << "\n";
  }
  if (R.Strict && (Failed.load() || WithErrors.load()))
    return exitcode::TuFailures;
  return exitcode::Ok;
}

int runExtract(const ExtractRequest &R) {
  int Code = runExtractImpl(R);
  if (FrontendCrashed.load()) {
    // CrashRecoveryContext abandoned a crashed frontend mid-way: objects it
    // had registered globally (e.g. the llvm::Timer of `#pragma clang __debug
    // crash`) still point into its dead stack and would crash LLVM's
    // shutdown. The index and the export are closed by now: skip it.
    llvm::outs().flush();
    llvm::errs().flush();
    std::fflush(nullptr);
    std::_Exit(Code);
  }
  return Code;
}

int runExport(const std::string &Db, const std::string &Json) {
  StoreSpec Spec;
  if (Status St = storage::parseStoreSpec(Db, &Spec); !St.isOk()) {
    error(St.message());
    return exitcode::Usage;
  }
  if (Spec.Engine == "mem") {
    error("an in-memory index (mem) does not outlive `extract`; export with "
          "`extract --db mem --json FILE`, or use rocksdb:PATH or lmdb:PATH");
    return exitcode::Usage;
  }
  storage::OpenOptions OO;
  OO.Mode = storage::OpenMode::ReadOnly;
  std::unique_ptr<Store> S;
  if (Status St = storage::openStore(Spec, OO, &S); !St.isOk()) {
    error("cannot open the index " + Spec.toString() + ": " + St.message());
    return exitcode::Store;
  }
  GraphStore G(*S);
  if (Status St = G.initSchema(false); !St.isOk()) {
    error("cannot read the index " + Spec.toString() + ": " + St.message());
    return exitcode::Store;
  }
  if (Status St = writeGraphJson(G, Json); !St.isOk()) {
    error("writing the JSON export failed: " + St.message());
    return exitcode::Store;
  }
  return exitcode::Ok;
}

} // namespace codeindex
