//===- RunReport.h - What an extract run did --------------------*- C++ -*-===//
//
// The RunReport is the result of a successful `extract` run: counts, the
// time spent where, the TUs that failed or had errors. It is printed as the
// run's summary (printSummary) and, beside the JSON export, as errors.txt
// (errorsFileText), which is replaced atomically like the export: a reader
// sees the previous file or the new one, never a part.
//
// A TU's problems are printed with the TU named once, then each compiler
// error as `file:line:col: error: message`: the form editors and CI problem
// matchers (GitHub's, GitLab's, Emacs' compilation mode) parse.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_RUNREPORT_H
#define CODEINDEX_PIPELINE_RUNREPORT_H

#include "codeindex/graph/Model.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codeindex {

/// A TU that failed or had errors.
struct TuProblem {
  std::string Tu; ///< display path of the main file
  TuStatus Status = TuStatus::Errors;
  std::string Reason;                      ///< why it failed (empty for Errors)
  std::vector<DiagnosticFact> Diagnostics; ///< errors and fatal errors
  friend bool operator<(const TuProblem &A, const TuProblem &B) {
    return A.Tu < B.Tu;
  }
};

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

  /// The TUs that failed or had errors, sorted by path.
  std::vector<TuProblem> Problems;
  /// USR collisions (see UsrRegistry).
  std::vector<std::string> Collisions;
};

/// How much printSummary says.
struct SummaryOptions {
  bool Counts = true; ///< the two summary lines (off with --quiet)
  bool Stats = false; ///< the time line (--stats, --verbose)
  /// Every problem and every diagnostic (--verbose); otherwise the first
  /// MaxTus TUs with at most MaxDiagnostics errors each.
  bool All = false;
  size_t MaxTus = 10, MaxDiagnostics = 3;
};

/// Prints the summary: what was indexed ("code-indexer: N TUs (...), F
/// files, E entities, G edges in S s"), where it went ("code-indexer:
/// index: SPEC; json: PATH"), with --stats the time spent where, then the
/// TUs that failed or had errors (see problemText).
void printSummary(const RunReport &R, llvm::raw_ostream &OS,
                  const SummaryOptions &O = {});

/// One TU's problems: "TU: STATUS[: reason]" (Prefix before it), then up
/// to MaxDiagnostics diagnostics as "file:line:col: error: message" and a
/// line saying how many more there are.
std::string problemText(const TuProblem &P, llvm::StringRef Prefix,
                        size_t MaxDiagnostics);

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
