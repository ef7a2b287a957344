//===- RunReport.h - What an extract run did --------------------*- C++ -*-===//
//
// The RunReport is the result of a successful `extract` run: counts, the
// time spent where, the TUs that failed or had errors. It is printed as the
// run's summary (printSummary) and, beside the JSON export, as errors.txt
// (writeErrorsFile), which is replaced atomically like the export: a reader
// sees the previous file or the new one, never a part.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_RUNREPORT_H
#define CODEINDEX_PIPELINE_RUNREPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codeindex {

struct RunReport {
  size_t TranslationUnits = 0; ///< in the compile database, after --exclude
  size_t Parsed = 0;           ///< distinct TUs parsed this run
  size_t Unchanged = 0;        ///< TUs whose facts were kept
  size_t Failed = 0;           ///< failed, crashed or timed out
  size_t WithErrors = 0;       ///< indexed, with compile errors
  size_t Excluded = 0;         ///< main files matching --exclude
  /// Frontend runs beyond one per TU: TUs parsed again for headers whose
  /// owner failed or let them go.
  size_t Reparsed = 0;
  bool Json = false; ///< an export was written; the three counts below
  uint64_t Files = 0, Entities = 0, Edges = 0;

  unsigned Jobs = 0;
  double Seconds = 0;        ///< wall time until the commit
  double TotalSeconds = 0;   ///< wall time until the export was written
  double ParseSeconds = 0;   ///< summed over workers
  double ExtractSeconds = 0; ///< summed over workers
  double WriteSeconds = 0;   ///< encoding, writer thread and commit
  double StallSeconds = 0;   ///< producers blocked plus engine stalls
  uint64_t EngineStallMillis = 0;
  double ExportSeconds = 0;

  std::string Index;    ///< the store spec, as the user may pass it again
  std::string JsonPath; ///< real path of the export, if any

  /// "FILE: STATUS[: reason or first diagnostic]", sorted.
  std::vector<std::string> FailureLines;
  /// USR collisions (see UsrRegistry).
  std::vector<std::string> Collisions;
};

/// Prints the summary lines ("code-indexer: N TUs (...)", the time line,
/// where the index and export went, the first ten failures).
void printSummary(const RunReport &R, llvm::raw_ostream &OS);

/// Where errors.txt goes for an export at JsonPath: the same directory.
std::string errorsFilePath(llvm::StringRef JsonPath);

/// The contents of errors.txt.
std::string errorsFileText(const RunReport &R);

/// Replaces Path with Contents atomically: a unique temporary file in
/// Path's directory, flushed to disk, renamed over Path. Errors name the
/// path and the system's reason; the temporary file is removed on error.
/// A file that already holds Contents is left untouched (its mtime too).
llvm::Error writeFileAtomically(const std::string &Path,
                                llvm::StringRef Contents);

} // namespace codeindex

#endif // CODEINDEX_PIPELINE_RUNREPORT_H
