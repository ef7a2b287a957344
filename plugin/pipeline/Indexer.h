//===- Indexer.h - The `extract` pipeline -----------------------*- C++ -*-===//
//
// runExtract() is `code-indexer extract`: it loads the compile database,
// decides which translation units need parsing (all of them on a full
// build; those whose fingerprint changed on an incremental one), runs Clang
// on them with --jobs workers, streams each TU's facts through the bounded
// BatchWriter into the store, and writes the JSON export.
//
// Errors are RunErrors (pipeline/RunError.h) whose kind the tool maps to an
// exit code; the run never installs signal handlers and never ends the
// process: the caller owns both (see frontendCrashed()).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_INDEXER_H
#define CODEINDEX_PLUGIN_INDEXER_H

#include "pipeline/Cancellation.h"
#include "pipeline/RunReport.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace codeindex {

enum class ProgressMode { Auto, Always, Never };

/// Where a TU's frontend runs (--isolation). Thread: on a thread of the
/// run, inside llvm::CrashRecoveryContext (a crash is contained at best
/// effort). Process: in a worker process (WorkerPool.h), which any crash or
/// an out-of-memory ends without harming the run.
enum class Isolation { Thread, Process };

struct ExtractRequest {
  std::string CompileCommands; ///< build dir or compile_commands.json
  std::string Db;              ///< store spec; empty = platform default
  std::string Json;            ///< export path; empty = none
  unsigned Jobs = 0;           ///< 0 = hardware threads
  std::string Root;            ///< empty = derived
  std::vector<std::string> Exclude;
  bool ExcludeTests = false;
  /// --test-files globs (root-relative paths) and --no-test-heuristics.
  std::vector<std::string> TestFiles;
  bool TestHeuristics = true;
  bool Full = false;
  bool IndexSystem = false;
  bool IndexInstantiations = false; ///< ExtractOptions::IndexInstantiations
  bool DedupHeaders = true;
  bool Strict = false;
  /// Wait for another run holding the index lock (printing who holds it)
  /// instead of failing; give up after WaitSeconds (0: no limit).
  bool WaitForLock = false;
  unsigned WaitSeconds = 0;
  std::string RocksDbOptions;
  ProgressMode Progress = ProgressMode::Auto;
  bool Quiet = false;   ///< no notes, progress or summary: TU errors only
  bool Stats = false;   ///< the summary says where the time went
  bool Verbose = false; ///< Stats, and every TU problem in full
  unsigned TuTimeoutSeconds = 0;
  /// Run each TU's frontend inside llvm::CrashRecoveryContext, so that a
  /// crash in Clang fails that TU only. Off only to debug a crash (the tool
  /// turns it off when CODE_INDEX_NO_CRASH_RECOVERY is set).
  bool CrashRecovery = true;
  Isolation Iso = Isolation::Thread;
  /// --tu-memory (Process only): how far one TU may grow its worker's
  /// address space, in MB; a TU that needs more fails as out of memory.
  unsigned TuMemoryMB = 0;
};

/// Runs `extract`. Progress, notes and (unless Quiet) the summary go to
/// stderr. Once Cancel is set no new TU starts; the run then returns an
/// Interrupted error after writing what it finished (an incremental index
/// keeps those TUs; a full rebuild leaves the previous index as it was).
/// Errors: RunError of kind Usage, Store, TuFailures (R.Strict; the index
/// and export are written) or Interrupted. Not reentrant: one run at a time
/// per process (the frontends share process-wide Clang state).
llvm::Expected<RunReport> runExtract(const ExtractRequest &R,
                                     const CancellationToken &Cancel);

/// Whether a TU crashed the Clang frontend in this process (recovered by
/// CrashRecoveryContext). Such a frontend was abandoned mid-way: objects it
/// registered globally (e.g. the llvm::Timer of `#pragma clang __debug
/// crash`) point into its dead stack and would crash the process's normal
/// shutdown, so its owner should end it with std::_Exit once its output
/// is flushed.
bool frontendCrashed();

/// Runs `export`: the JSON of an existing index. Errors: RunError of kind
/// Usage (bad spec, mem) or Store.
llvm::Error runExport(const std::string &Db, const std::string &Json);

/// "code-indexer 0.1.0 (Clang 19.1.7)".
std::string versionString();

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_INDEXER_H
