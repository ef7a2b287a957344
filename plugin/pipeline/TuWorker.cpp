//===- TuWorker.cpp - A worker process indexing TUs for the run
//------------===//
//
// The worker's side of WorkerProtocol.h. A worker is disposable: a crash of
// any kind ends it and the run records the TU it was indexing, so it installs
// no crash recovery and no stack-trace printer (the run names the signal).
// Running out of memory, under --tu-memory or any other limit, ends it with
// OutOfMemoryExit, which the run turns into that TU's failure.
//
//===----------------------------------------------------------------------===//

#include "pipeline/TuThread.h"
#include "pipeline/WorkerProtocol.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <new>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace codeindex::worker {

namespace {

[[noreturn]] void outOfMemory() { ::_exit(OutOfMemoryExit); }

void onBadAlloc(void *, const char *, bool) { outOfMemory(); }

void onFatalError(void *, const char *Reason, bool) {
  if (Reason && (std::strstr(Reason, "out of memory") ||
                 std::strstr(Reason, "Allocation failed") ||
                 std::strstr(Reason, "pthread_create failed")))
    outOfMemory();
  const char *Head = "code-indexer: worker: LLVM ERROR: ";
  (void)!::write(STDERR_FILENO, Head, std::strlen(Head));
  if (Reason)
    (void)!::write(STDERR_FILENO, Reason, std::strlen(Reason));
  (void)!::write(STDERR_FILENO, "\n", 1);
  std::abort();
}

[[noreturn]] void onTerminate() {
  if (std::exception_ptr E = std::current_exception()) {
    try {
      std::rethrow_exception(E);
    } catch (const std::bad_alloc &) {
      outOfMemory();
    } catch (const std::system_error &X) {
      if (X.code() == std::errc::resource_unavailable_try_again ||
          X.code() == std::errc::not_enough_memory)
        outOfMemory();
    } catch (...) {
    }
  }
  std::abort();
}

void installHandlers() {
  // The run stops on SIGINT/SIGTERM after the TUs in flight: a worker of
  // the same process group must not die of the same Ctrl-C.
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
#ifdef __linux__
  // A run killed outright takes its workers with it.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // Whatever else the run had open (its index, its lock) is not ours.
  ::close_range(WorkerFd + 1, ~0U, 0);
#endif
  std::set_new_handler(outOfMemory);
  std::set_terminate(onTerminate);
  llvm::install_bad_alloc_error_handler(onBadAlloc);
  llvm::install_fatal_error_handler(onFatalError);
}

/// The address space the worker uses now, in bytes (0 if unknown).
uint64_t addressSpaceBytes() {
  std::ifstream In("/proc/self/statm");
  uint64_t Pages = 0;
  if (!(In >> Pages))
    return 0;
  return Pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

/// --tu-memory: the TU about to run may grow the worker's address space by
/// MB (plus its frontend thread's stack and a malloc arena, which are
/// reserved rather than used). The soft limit only, and unlimited() lifts
/// it again once the TU is done.
void limitMemory(uint64_t MB) {
  if (!MB)
    return;
  uint64_t Now = addressSpaceBytes();
  rlimit L;
  if (!Now || getrlimit(RLIMIT_AS, &L) != 0)
    return;
  uint64_t Want = Now + TuStackBytes + (uint64_t(64) << 20) + (MB << 20);
  if (L.rlim_max != RLIM_INFINITY && Want > L.rlim_max)
    Want = L.rlim_max;
  L.rlim_cur = Want;
  setrlimit(RLIMIT_AS, &L);
}

void unlimited(uint64_t MB) {
  rlimit L;
  if (!MB || getrlimit(RLIMIT_AS, &L) != 0)
    return;
  L.rlim_cur = L.rlim_max;
  setrlimit(RLIMIT_AS, &L);
}

/// Tests only: CODE_INDEX_TEST_WORKER_CRASH=NAME=HOW[,NAME=HOW...] makes a
/// worker die before indexing a TU whose main file is called NAME, HOW
/// being SIGSEGV, SIGABRT, SIGKILL, heap (a double free glibc detects),
/// oom (an allocation that fails) or hang (a worker that never answers).
/// Only workers read it: a run in thread isolation ignores it.
void testCrashHook(const TuInput &In) {
  const char *Env = std::getenv("CODE_INDEX_TEST_WORKER_CRASH");
  if (!Env)
    return;
  llvm::StringRef Rest(Env);
  llvm::StringRef Name = llvm::sys::path::filename(In.MainFile);
  while (!Rest.empty()) {
    auto [Item, Tail] = Rest.split(',');
    Rest = Tail;
    auto [File, How] = Item.split('=');
    if (File != Name)
      continue;
    if (How == "SIGKILL")
      std::raise(SIGKILL);
    if (How == "SIGABRT")
      std::abort();
    if (How == "oom") {
      // An allocation no limit allows: the new-handler path of a real OOM.
      char *volatile P = new char[size_t(1) << 50];
      P[0] = 1;
    }
    if (How == "hang")
      for (;;)
        ::pause(); // what --tu-timeout's kill is for
    if (How == "heap") {
      // What a heap corruption looks like to glibc: it aborts.
      // The pointer itself is volatile: the compiler may not pair the
      // malloc with a free and drop both.
      char *volatile P = static_cast<char *>(std::malloc(64));
      std::free(P);
      std::free(P);
    }
    std::raise(SIGSEGV);
  }
}

} // namespace

int runTuWorker() {
  installHandlers();
  Frame F;
  if (readFrame(WorkerFd, F) != ReadStatus::Ok || F.Type != FrameType::Setup)
    return 1;
  WorkerSetup S;
  if (!decodeSetup(F.Payload, S))
    return 1;
  llvm::Expected<ExtractOptions> Made = extractOptions(S);
  if (!Made) {
    llvm::consumeError(Made.takeError());
    return 1; // the run made the same options from S before starting us
  }
  ExtractOptions Opts = std::move(*Made);
  PathMapper Paths(Opts.Root);
  // A claim is a question to the run, answered before the TU goes on: the
  // frontend thread asks while the worker's main thread waits for it.
  UnitClaims Claims([](const UnitKey &U, Id Tu) -> Id {
    Frame Reply;
    Id Owner = 0;
    if (!writeFrame(WorkerFd, FrameType::Claim, encodeClaim(U, Tu)) ||
        readFrame(WorkerFd, Reply) != ReadStatus::Ok ||
        Reply.Type != FrameType::ClaimReply ||
        !decodeClaimReply(Reply.Payload, Owner))
      ::_exit(1); // the run is gone
    return Owner;
  });
  FileHashCache Hashes;
  UsrRegistry Usrs;
  Usrs.keepJournal();
  ExtractContext Ctx{Opts, Paths, Claims, Hashes, Usrs};
  for (;;) {
    ReadStatus St = readFrame(WorkerFd, F);
    if (St == ReadStatus::Eof)
      return 0;
    if (St != ReadStatus::Ok || F.Type != FrameType::Tu)
      return 1;
    TuInput In;
    if (!decodeTuInput(F.Payload, In))
      return 1;
    testCrashHook(In);
    limitMemory(S.TuMemoryMB);
    TuResult Res;
    runTuFrontend([&] { Res = extractTranslationUnit(In, Ctx); }, TuStackBytes,
                  /*Recover=*/false);
    unlimited(S.TuMemoryMB);
    if (!writeFrame(WorkerFd, FrameType::Result,
                    encodeResult(Res, Usrs.takeJournal())))
      return 1;
  }
}

} // namespace codeindex::worker
