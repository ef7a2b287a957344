//===- TuThread.cpp - Running one TU's frontend so a crash stays in it ----===//

#include "pipeline/TuThread.h"

#include "clang/Basic/Stack.h"
#include "llvm/Support/CrashRecoveryContext.h"

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>
#include <vector>

namespace codeindex {

namespace {

/// An alternate signal stack for the calling thread while it lives.
/// Signal stacks are per thread: the handler of a stack overflow on a TU
/// thread must find one there.
class AltSignalStack {
public:
  AltSignalStack() : Memory(Size) {
    stack_t SS = {};
    SS.ss_sp = Memory.data();
    SS.ss_size = Memory.size();
    Installed = sigaltstack(&SS, &Previous) == 0;
  }
  ~AltSignalStack() {
    if (Installed)
      sigaltstack(&Previous, nullptr);
  }
  AltSignalStack(const AltSignalStack &) = delete;
  AltSignalStack &operator=(const AltSignalStack &) = delete;

private:
  // LLVM's signal handlers print a stack trace and may allocate: give them
  // more than MINSIGSTKSZ.
  static constexpr size_t Size = 256 << 10;
  std::vector<char> Memory;
  stack_t Previous = {};
  bool Installed = false;
};

} // namespace

void enableTuCrashRecovery() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    llvm::CrashRecoveryContext::Enable();
    // CrashRecoveryContext installs its handlers without SA_ONSTACK, so a
    // stack overflow would find no stack to run the handler on and the
    // kernel would kill the process. Keep the handlers, add the flag.
    for (int Sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP}) {
      struct sigaction SA;
      if (sigaction(Sig, nullptr, &SA) != 0)
        continue;
      if (SA.sa_handler == SIG_DFL || SA.sa_handler == SIG_IGN)
        continue;
      SA.sa_flags |= SA_ONSTACK;
      sigaction(Sig, &SA, nullptr);
    }
  });
}

namespace {

struct Outcome {
  std::mutex M;
  std::condition_variable CV;
  bool Done = false;
  bool Survived = false;
};

/// What the frontend thread runs: Fn inside a CrashRecoveryContext, on the
/// thread's own alternate signal stack.
bool runRecovered(llvm::function_ref<void()> Fn, bool Recover) {
  // Installed even without recovery (worker processes run so): the first
  // LLVM signal handler registered on this thread (an implicit module
  // build's RemoveFileOnSignal, say) would otherwise give the thread a
  // malloc'ed alternate stack and leave it there when the thread ends,
  // which ASan's thread exit then tries to munmap (a CHECK failure that
  // ended the worker). With ours in place LLVM keeps it, and it is
  // restored before the thread ends.
  AltSignalStack Alt;
  if (!Recover) {
    clang::noteBottomOfStack();
    Fn();
    return true;
  }
  clang::noteBottomOfStack();
  llvm::CrashRecoveryContext CRC;
  return CRC.RunSafely(Fn);
}

struct ThreadArgs {
  std::shared_ptr<Outcome> O;
  llvm::function_ref<void()> Fn;
  bool Recover = true;
};

void *threadMain(void *Arg) {
  std::unique_ptr<ThreadArgs> A(static_cast<ThreadArgs *>(Arg));
  std::shared_ptr<Outcome> O = A->O;
  bool Survived = runRecovered(A->Fn, A->Recover);
  A.reset();
  {
    std::lock_guard<std::mutex> L(O->M);
    O->Survived = Survived;
    O->Done = true;
  }
  O->CV.notify_all();
  // A thread unwound out of a crash is not allowed to exit: glibc's
  // per-thread clean-up at exit (resolver state, TLS destructors) crashed
  // the process after a recovered stack overflow in the parser. It sleeps
  // until the process ends (the tool ends a process in which a frontend
  // crashed with std::_Exit; see frontendCrashed()).
  while (!Survived)
    std::this_thread::sleep_for(std::chrono::hours(24));
  return nullptr;
}

/// Starts threadMain on a thread with StackBytes of stack; false (and
/// nothing started) when the system refuses: too many threads, or an
/// address-space limit (`ulimit -v`) too low for the stack. llvm::thread
/// would make that a fatal error; here the caller can do with less.
bool startThread(pthread_t &T, std::unique_ptr<ThreadArgs> &Args,
                 size_t StackBytes) {
  pthread_attr_t Attr;
  if (pthread_attr_init(&Attr) != 0)
    return false;
  bool Started = pthread_attr_setstacksize(&Attr, StackBytes) == 0 &&
                 pthread_create(&T, &Attr, threadMain, Args.get()) == 0;
  pthread_attr_destroy(&Attr);
  if (Started)
    (void)Args.release(); // threadMain owns it now
  return Started;
}

} // namespace

bool runTuFrontend(llvm::function_ref<void()> Fn, size_t StackBytes,
                   bool Recover) {
  auto O = std::make_shared<Outcome>();
  pthread_t T;
  bool Started = false;
  // The large stack first; then the 8 MB Clang asks for; then none of our
  // own: the TU still runs, on the calling thread, with less protection
  // against inputs built to exhaust the stack.
  for (size_t Bytes : {StackBytes, size_t(clang::DesiredStackSize)}) {
    auto Args = std::make_unique<ThreadArgs>(ThreadArgs{O, Fn, Recover});
    if ((Started = startThread(T, Args, Bytes)))
      break;
  }
  if (!Started)
    return runRecovered(Fn, Recover);
  std::unique_lock<std::mutex> L(O->M);
  O->CV.wait(L, [&] { return O->Done; });
  bool Survived = O->Survived;
  L.unlock();
  if (Survived)
    pthread_join(T, nullptr);
  else
    pthread_detach(T);
  return Survived;
}

} // namespace codeindex
