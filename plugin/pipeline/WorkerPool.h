//===- WorkerPool.h - The run's pool of TU worker processes -----*- C++ -*-===//
//
// --isolation=process: the run pre-starts one worker process per job (the
// same binary, `code-indexer __tu-worker`; see WorkerProtocol.h) and sends
// each TU to an idle one. A worker that dies while indexing a TU (any
// signal, an abort, heap corruption, a stack overflow, running out of
// memory) or that is still busy past the TU's deadline is reaped (killed
// first, in the second case) and replaced, and the TU's outcome says what
// happened; the run goes on.
//
// Thread-safety: run() may be called by any number of threads at once; each
// call uses one worker of its own for the whole TU.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_WORKERPOOL_H
#define CODEINDEX_PIPELINE_WORKERPOOL_H

#include "extractor/Extractor.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

namespace codeindex {

class WorkerPool {
public:
  /// Setup: the worker::Setup frame's payload, sent to every worker.
  /// TuMemoryMB and TuTimeoutSeconds only shape the messages and the
  /// deadline (the worker gets them in Setup).
  WorkerPool(std::string Setup, unsigned TuMemoryMB, unsigned TuTimeoutSeconds);
  /// Closes every worker's socket (a worker exits when it reads the end)
  /// and reaps them.
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  /// Starts N workers. Errors: none could be started (the message says why).
  /// Fewer than N is not an error: TUs wait for an idle worker.
  llvm::Error start(unsigned N);

  struct Outcome {
    /// Indexed: Result holds what the worker sent. Otherwise the worker is
    /// gone and Reason says why, e.g. "the worker process was killed by
    /// SIGSEGV", "out of memory (limit 512 MB)", "timed out after 5 s".
    enum Kind { Indexed, Crashed, OutOfMemory, TimedOut } K = Indexed;
    std::string Reason;
    /// USRs the worker saw first while indexing this TU (for the run's
    /// UsrRegistry).
    std::vector<std::string> NewUsrs;
  };

  /// Indexes In on an idle worker; Claim answers its claims (called on this
  /// thread). Blocks until the TU is done or its worker is gone.
  Outcome run(const TuInput &In, TuResult &Result,
              llvm::function_ref<Id(const UnitKey &, Id)> Claim);

private:
  struct Worker {
    pid_t Pid = -1;
    int Fd = -1;
  };
  /// Starts one worker; false (and Err set) if the system refuses.
  bool spawn(Worker &W, std::string &Err);
  /// Kills (if Kill) and reaps W; returns its wait status (-1 if unknown).
  int reap(Worker &W, bool Kill);
  /// Starts a worker in place of a dead one and makes it idle.
  void replace();

  std::string Setup;
  unsigned TuMemoryMB, TuTimeoutSeconds;
  std::string Executable;
  std::mutex M;
  std::condition_variable CV;
  std::vector<Worker> Idle;
  unsigned Live = 0; ///< started and not reaped
  std::string LastSpawnError;
};

} // namespace codeindex

#endif // CODEINDEX_PIPELINE_WORKERPOOL_H
