//===- Watchdog.h - Deadlines for --tu-timeout ------------------*- C++ -*-===//
//
// Internal to plugin/extractor. Sets a flag when its deadline passes, for
// every TU being indexed with --tu-timeout; one thread for the whole
// process, started on first use. The TU polls its flag (TuState::
// pastDeadline) and stops its own frontend: nothing is killed from outside.
//
// Ownership: a process-wide singleton, leaked on purpose (worker threads may
// still call forget() while static destructors run at exit). Flags are
// shared: a TU unwound by CrashRecoveryContext never calls forget(), and
// its flag must stay valid until the deadline passes.
// Thread-safety: every member may be called from any thread. Never fails.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_WATCHDOG_H
#define CODEINDEX_PLUGIN_EXTRACTOR_WATCHDOG_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace codeindex {

class Watchdog {
public:
  using Clock = std::chrono::steady_clock;
  static Watchdog &get();
  /// Sets *Flag at At (unless forgotten before).
  void watch(std::shared_ptr<std::atomic<bool>> Flag, Clock::time_point At);
  /// Drops every deadline of Flag.
  void forget(const std::atomic<bool> *Flag);

private:
  Watchdog() = default;
  [[noreturn]] void run();
  std::mutex M;
  std::condition_variable CV;
  std::multimap<Clock::time_point, std::shared_ptr<std::atomic<bool>>>
      Deadlines;
  std::thread Thread;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_WATCHDOG_H
