//===- Progress.h - Live progress of an indexing run ------------*- C++ -*-===//
//
// On a terminal (or with --progress always): one line, refreshed in place:
//   [ 37/120] 31% src/foo.cpp  ETA 0:42
// (the file is the TU finished last). Elsewhere (CI logs, --progress auto):
// the same text as a plain line every 5 seconds and at the end.
// Thread-safe.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_PROGRESS_H
#define CODEINDEX_PLUGIN_PROGRESS_H

#include "pipeline/Indexer.h"

#include <chrono>
#include <mutex>
#include <string>

namespace codeindex {

class Progress {
public:
  explicit Progress(ProgressMode Mode);
  /// Starts (or extends) a phase of Total translation units.
  void begin(size_t Total);
  void started(const std::string &File);
  void finished(const std::string &File, size_t Done);
  /// Clears the live line.
  void end();

private:
  void draw(const std::string &File, size_t Done);

  std::mutex M;
  bool Enabled;
  bool Tty; ///< refresh one line in place
  size_t Total = 0;
  size_t LastWidth = 0;
  std::chrono::steady_clock::time_point Start, LastPrint;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_PROGRESS_H
