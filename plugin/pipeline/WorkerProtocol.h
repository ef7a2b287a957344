//===- WorkerProtocol.h - Frames between the run and its TU workers -*- C++
//-*-===//
//
// With --isolation=process, each TU's frontend runs in a long-lived worker
// process (the same binary, `code-indexer __tu-worker`), so that a crash of
// any kind (stack overflow, abort, heap corruption, out of memory) ends the
// worker and fails that TU only. The run and a worker talk over a Unix
// socket pair (the worker's fd 3; a socket, so that writing to a dead peer
// is EPIPE, not SIGPIPE) in length-prefixed binary frames:
//
//   frame   = length (4 bytes, big-endian; type and payload) · type · payload
//
//   run -> worker  Setup       once: the options every TU shares
//   run -> worker  Tu          a TU to index
//   worker -> run  Claim       may this TU claim a unit? (header dedup)
//   run -> worker  ClaimReply  the unit's owner after the claim
//   worker -> run  Result      the TU's record and facts, its times, and the
//                              USRs the worker saw for the first time
//
// A Tu is answered by any number of Claim/ClaimReply exchanges, then one
// Result. Claims stay run-wide (UnitClaims lives in the run); file hashes
// are cached per worker; USR collisions are detected run-wide by the run
// registering the USRs each worker reports (see docs/design.md).
//
// Payloads use storage's codec (codeindex/storage/Coding.h) and the fact
// encodings of codeindex/graph/FactCoding.h. Both ends are the same binary:
// there is no version negotiation.
//
// Thread-safety: the functions are pure or act on the fd they are given;
// one fd must be used by one thread at a time.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_WORKERPROTOCOL_H
#define CODEINDEX_PIPELINE_WORKERPROTOCOL_H

#include "extractor/CompileCommands.h"
#include "extractor/Extractor.h"

#include "llvm/Support/Error.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codeindex::worker {

/// The worker's end of its socket to the run.
inline constexpr int WorkerFd = 3;
/// The hidden subcommand that makes the binary a worker.
inline constexpr const char *Subcommand = "__tu-worker";
/// Exit status of a worker that ran out of memory (under --tu-memory or
/// any other limit): the run fails that TU as out of memory.
inline constexpr int OutOfMemoryExit = 86;
/// Frames larger than this are a protocol error, not an allocation.
inline constexpr uint32_t MaxFrameBytes = 1u << 30;

enum class FrameType : uint8_t {
  Setup = 1,
  Tu = 2,
  Claim = 3,
  ClaimReply = 4,
  Result = 5,
};

struct Frame {
  FrameType Type = FrameType::Setup;
  std::string Payload;
};

/// Writes one frame; false on an I/O error (EPIPE when the peer died; on a
/// socket no SIGPIPE is raised).
bool writeFrame(int Fd, FrameType Type, std::string_view Payload);

enum class ReadStatus { Ok, Eof, Error, Timeout };

/// Reads one frame. Deadline: give up at that time (Timeout; the stream is
/// then out of step and must be dropped). Eof: the peer closed its end
/// (or died) before a whole frame arrived. Error: a read error or a frame
/// longer than MaxFrameBytes.
ReadStatus
readFrame(int Fd, Frame &Out,
          std::optional<std::chrono::steady_clock::time_point> Deadline = {});

/// The options every TU of a run shares, as the worker rebuilds them.
struct WorkerSetup {
  std::string Root, BuildDir;
  bool IndexSystem = false, ExcludeTests = false, TestHeuristics = true,
       DedupHeaders = true, IndexInstantiations = false;
  unsigned TuTimeoutSeconds = 0;
  std::vector<std::string> Exclude, TestFiles; ///< glob texts
  /// --tu-memory: how far one TU may grow the worker, in MB (0: no limit).
  uint64_t TuMemoryMB = 0;
};

/// The ExtractOptions of a run, for the run and for each of its workers
/// alike (both build them from the same WorkerSetup, so they cannot
/// disagree). Errors: a glob that does not compile, naming its option
/// ("bad --exclude pattern 'G': ...").
llvm::Expected<ExtractOptions> extractOptions(const WorkerSetup &S);

std::string encodeSetup(const WorkerSetup &S);
bool decodeSetup(std::string_view In, WorkerSetup &S);

/// Every field but Stripped (the run reports those itself).
std::string encodeTuInput(const TuInput &T);
bool decodeTuInput(std::string_view In, TuInput &T);

std::string encodeClaim(const UnitKey &U, Id Tu);
bool decodeClaim(std::string_view In, UnitKey &U, Id &Tu);
std::string encodeClaimReply(Id Owner);
bool decodeClaimReply(std::string_view In, Id &Owner);

/// A TU's result and the USRs (registry keys) its worker saw first in it.
std::string encodeResult(const TuResult &R,
                         const std::vector<std::string> &NewUsrs);
bool decodeResult(std::string_view In, TuResult &R,
                  std::vector<std::string> &NewUsrs);

/// "SIGSEGV" for SIGSEGV, "signal 42" for a signal without a name.
std::string signalName(int Sig);

/// The worker's side: reads a Setup, then indexes TUs until its input
/// closes. Returns the process's exit status. Called by the tool's main()
/// for the `__tu-worker` subcommand, before anything else in the process.
int runTuWorker();

} // namespace codeindex::worker

#endif // CODEINDEX_PIPELINE_WORKERPROTOCOL_H
