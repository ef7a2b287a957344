//===- OutOfResources.cpp - Running out of memory or threads --------------===//

#include "tools/code-indexer/OutOfResources.h"

#include "tools/code-indexer/ExitCodes.h"

#include "llvm/Support/ErrorHandling.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <system_error>
#include <unistd.h>

namespace codeindex {

namespace {

// The handlers may run with no memory left: they write with write(2) from
// static text and never allocate.
void say(const char *S) {
  size_t N = std::strlen(S);
  while (N) {
    ssize_t W = ::write(STDERR_FILENO, S, N);
    if (W <= 0)
      return;
    S += W;
    N -= static_cast<size_t>(W);
  }
}

[[noreturn]] void outOfResources(const char *What, const char *Reason) {
  say("code-indexer: error: ");
  say(What);
  if (Reason && *Reason) {
    say(" (");
    say(Reason);
    say(")");
  }
  say(": the process ran out of memory, address space or threads (a limit "
      "such as `ulimit -v`/`ulimit -u` or a container's memory limit); "
      "run with fewer --jobs or raise the limit. Nothing the run had not "
      "committed was written to the index.\n");
  std::_Exit(exitcode::Store);
}

void onFatalError(void *, const char *Reason, bool) {
  // LLVM's own fatal errors other than these stay what they are: a bug to
  // report, with LLVM's message and abort.
  if (Reason && (std::strstr(Reason, "pthread_create failed") ||
                 std::strstr(Reason, "out of memory") ||
                 std::strstr(Reason, "Allocation failed")))
    outOfResources("cannot continue", Reason);
  say("LLVM ERROR: ");
  say(Reason ? Reason : "");
  say("\n");
  std::abort();
}

void onBadAlloc(void *, const char *Reason, bool) {
  outOfResources("out of memory", Reason);
}

/// std::thread (the writer's, RocksDB's background threads) throws
/// std::system_error when it cannot start one; nothing can catch that
/// usefully, so it ends in std::terminate.
[[noreturn]] void onTerminate() {
  if (std::exception_ptr E = std::current_exception()) {
    try {
      std::rethrow_exception(E);
    } catch (const std::bad_alloc &) {
      outOfResources("out of memory", nullptr);
    } catch (const std::system_error &X) {
      if (X.code() == std::errc::resource_unavailable_try_again ||
          X.code() == std::errc::not_enough_memory)
        outOfResources("cannot start a thread", X.what());
    } catch (...) {
    }
  }
  say("code-indexer: terminated by an unexpected exception\n");
  std::abort();
}

} // namespace

void installOutOfResourcesHandlers() {
  llvm::install_fatal_error_handler(onFatalError);
  llvm::install_bad_alloc_error_handler(onBadAlloc);
  std::set_terminate(onTerminate);
}

} // namespace codeindex
