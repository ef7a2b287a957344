//===- Cancellation.h - Asking a run to stop --------------------*- C++ -*-===//
//
// A CancellationToken is how the owner of a run (the tool, on SIGINT or
// SIGTERM; a test, directly) asks it to stop: the run starts no new
// translation unit once it is set, lets the ones in flight finish, writes
// what it finished and returns a RunErrorKind::Interrupted error. The run
// never installs signal handlers itself.
//
// Thread-safety: cancel() and cancelled() may be called from any thread and
// cancel() from a signal handler (a lock-free atomic, nothing else).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_CANCELLATION_H
#define CODEINDEX_PIPELINE_CANCELLATION_H

#include <atomic>

namespace codeindex {

class CancellationToken {
public:
  /// Asks the run to stop. Reason is informational (the tool passes the
  /// signal number); 0 is stored as -1 so that cancelled() still holds.
  void cancel(int Reason = -1) noexcept {
    Value.store(Reason ? Reason : -1, std::memory_order_relaxed);
  }
  bool cancelled() const noexcept {
    return Value.load(std::memory_order_relaxed) != 0;
  }
  /// What cancel() was given; 0 if it was not called.
  int reason() const noexcept { return Value.load(std::memory_order_relaxed); }

private:
  static_assert(std::atomic<int>::is_always_lock_free,
                "cancel() must be async-signal-safe");
  std::atomic<int> Value{0};
};

} // namespace codeindex

#endif // CODEINDEX_PIPELINE_CANCELLATION_H
