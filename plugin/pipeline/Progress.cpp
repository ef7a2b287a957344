//===- Progress.cpp - Live progress of an indexing run --------------------===//

#include "pipeline/Progress.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

namespace codeindex {

Progress::Progress(ProgressMode Mode)
    : Enabled(Mode != ProgressMode::Never),
      Tty(Mode == ProgressMode::Always ||
          llvm::sys::Process::StandardErrIsDisplayed()) {
  Start = LastPrint = std::chrono::steady_clock::now();
}

void Progress::begin(size_t N) {
  std::lock_guard<std::mutex> L(M);
  Total = N;
}

void Progress::started(const std::string &) {}

void Progress::finished(const std::string &File, size_t Done) {
  std::lock_guard<std::mutex> L(M);
  draw(File, Done);
}

void Progress::draw(const std::string &File, size_t Done) {
  if (!Enabled || !Total)
    return;
  auto Now = std::chrono::steady_clock::now();
  double Elapsed = std::chrono::duration<double>(Now - Start).count();
  double SinceLast = std::chrono::duration<double>(Now - LastPrint).count();
  if (!Tty && SinceLast < 5.0 && Done != Total)
    return;
  if (Tty && SinceLast < 0.1 && Done != Total && LastWidth)
    return;
  LastPrint = Now;
  unsigned Pct = static_cast<unsigned>(100.0 * Done / Total);
  double Eta = Done ? Elapsed / Done * (Total - Done) : 0;
  char Head[64];
  int W = static_cast<int>(std::to_string(Total).size());
  snprintf(Head, sizeof Head, "[%*zu/%zu] %u%% ", W, Done, Total, Pct);
  char Tail[32];
  snprintf(Tail, sizeof Tail, "  ETA %u:%02u", static_cast<unsigned>(Eta) / 60,
           static_cast<unsigned>(Eta) % 60);
  std::string Line = std::string(Head) + File + Tail;
  if (Tty) {
    unsigned Cols = llvm::sys::Process::StandardErrColumns();
    if (Cols > 10 && Line.size() >= Cols)
      Line = Line.substr(0, Cols - 1);
    std::string Pad(LastWidth > Line.size() ? LastWidth - Line.size() : 0, ' ');
    llvm::errs() << "\r" << Line << Pad;
    LastWidth = Line.size();
  } else {
    llvm::errs() << Line << "\n";
  }
  llvm::errs().flush();
}

void Progress::end() {
  std::lock_guard<std::mutex> L(M);
  if (Enabled && Tty && LastWidth) {
    llvm::errs() << "\r" << std::string(LastWidth, ' ') << "\r";
    LastWidth = 0;
  }
}

} // namespace codeindex
