//===- Watchdog.cpp - Deadlines for --tu-timeout --------------------------===//

#include "extractor/Watchdog.h"

#include <algorithm>

namespace codeindex {

Watchdog &Watchdog::get() {
  static Watchdog *W = new Watchdog();
  return *W;
}

void Watchdog::watch(std::shared_ptr<std::atomic<bool>> Flag,
                     Clock::time_point At) {
  std::lock_guard<std::mutex> L(M);
  Deadlines.emplace(At, std::move(Flag));
  if (!Thread.joinable())
    Thread = std::thread([this] { run(); });
  CV.notify_one();
}

void Watchdog::forget(const std::atomic<bool> *Flag) {
  std::lock_guard<std::mutex> L(M);
  std::erase_if(Deadlines,
                [&](const auto &P) { return P.second.get() == Flag; });
}

void Watchdog::run() {
  std::unique_lock<std::mutex> L(M);
  for (;;) {
    if (Deadlines.empty()) {
      CV.wait(L);
      continue;
    }
    auto First = Deadlines.begin();
    if (Clock::now() >= First->first) {
      First->second->store(true, std::memory_order_relaxed);
      Deadlines.erase(First);
      continue;
    }
    // A copy: forget() may erase the entry while this thread waits, and
    // wait_until reads its deadline again on waking (ASan found it).
    Clock::time_point Next = First->first;
    CV.wait_until(L, Next);
  }
}

} // namespace codeindex
