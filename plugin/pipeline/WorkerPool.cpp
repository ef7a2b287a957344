//===- WorkerPool.cpp - The run's pool of TU worker processes -------------===//

#include "pipeline/WorkerPool.h"
#include "pipeline/WorkerProtocol.h"

#include "llvm/Support/FileSystem.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace codeindex {

using Clock = std::chrono::steady_clock;

namespace {

/// How long past --tu-timeout a worker may take to stop the TU itself (the
/// frontend's own deadline, which records a proper timed_out result) before
/// the run kills it.
constexpr auto KillGrace = std::chrono::seconds(2);

/// An address inside this binary, for getMainExecutable() where it needs one.
int Anchor;

} // namespace

WorkerPool::WorkerPool(std::string Setup, unsigned TuMemoryMB,
                       unsigned TuTimeoutSeconds)
    : Setup(std::move(Setup)), TuMemoryMB(TuMemoryMB),
      TuTimeoutSeconds(TuTimeoutSeconds),
      Executable(llvm::sys::fs::getMainExecutable(nullptr, &Anchor)) {}

WorkerPool::~WorkerPool() {
  std::vector<Worker> All;
  {
    std::lock_guard<std::mutex> L(M);
    All.swap(Idle);
  }
  // Closing first lets every worker see the end at once; then reap.
  for (Worker &W : All) {
    ::close(W.Fd);
    W.Fd = -1;
  }
  for (Worker &W : All)
    reap(W, /*Kill=*/false);
}

bool WorkerPool::spawn(Worker &W, std::string &Err) {
  int SV[2];
#ifdef SOCK_CLOEXEC
  constexpr int Type = SOCK_STREAM | SOCK_CLOEXEC;
#else
  constexpr int Type = SOCK_STREAM;
#endif
  if (::socketpair(AF_UNIX, Type, 0, SV) != 0) {
    Err = std::string("socketpair: ") + std::strerror(errno);
    return false;
  }
  // Close-on-exec everywhere, so that workers started at the same time by
  // other threads do not inherit each other's sockets; the child's end is
  // moved above the low fds so that dup2 to WorkerFd is a real copy (which
  // clears close-on-exec on the copy only).
  ::fcntl(SV[0], F_SETFD, FD_CLOEXEC);
  int Child = ::fcntl(SV[1], F_DUPFD_CLOEXEC, 10);
  ::close(SV[1]);
  if (Child < 0) {
    Err = std::string("fcntl: ") + std::strerror(errno);
    ::close(SV[0]);
    return false;
  }
  posix_spawn_file_actions_t FA;
  posix_spawnattr_t Attr;
  posix_spawn_file_actions_init(&FA);
  posix_spawn_file_actions_adddup2(&FA, Child, worker::WorkerFd);
  posix_spawnattr_init(&Attr);
  sigset_t Empty;
  sigemptyset(&Empty);
  posix_spawnattr_setsigmask(&Attr, &Empty);
  posix_spawnattr_setflags(&Attr, POSIX_SPAWN_SETSIGMASK);
  std::string Sub = worker::Subcommand;
  char *Argv[] = {Executable.data(), Sub.data(), nullptr};
  pid_t Pid;
  int RC = ::posix_spawn(&Pid, Executable.c_str(), &FA, &Attr, Argv, environ);
  posix_spawn_file_actions_destroy(&FA);
  posix_spawnattr_destroy(&Attr);
  ::close(Child);
  if (RC != 0) {
    Err = "cannot start '" + Executable + "': " + std::strerror(RC);
    ::close(SV[0]);
    return false;
  }
  W.Pid = Pid;
  W.Fd = SV[0];
  {
    std::lock_guard<std::mutex> L(M);
    ++Live;
  }
  if (!worker::writeFrame(W.Fd, worker::FrameType::Setup, Setup)) {
    Err = "the worker process ended at once";
    reap(W, /*Kill=*/true);
    return false;
  }
  return true;
}

int WorkerPool::reap(Worker &W, bool Kill) {
  if (W.Fd >= 0)
    ::close(W.Fd);
  W.Fd = -1;
  int Status = -1;
  if (W.Pid > 0) {
    // A worker that closed its end is exiting or dead: its status is
    // decided, and SIGKILL cannot change it.
    if (Kill)
      ::kill(W.Pid, SIGKILL);
    while (::waitpid(W.Pid, &Status, 0) < 0 && errno == EINTR) {
    }
  }
  W.Pid = -1;
  {
    std::lock_guard<std::mutex> L(M);
    --Live;
  }
  CV.notify_all();
  return Status;
}

void WorkerPool::replace() {
  Worker W;
  std::string Err;
  bool Ok = spawn(W, Err);
  {
    std::lock_guard<std::mutex> L(M);
    if (Ok)
      Idle.push_back(W);
    else
      LastSpawnError = Err;
  }
  CV.notify_all();
}

llvm::Error WorkerPool::start(unsigned N) {
  std::string Err;
  for (unsigned I = 0; I < N; ++I) {
    Worker W;
    if (!spawn(W, Err))
      break;
    std::lock_guard<std::mutex> L(M);
    Idle.push_back(W);
  }
  std::lock_guard<std::mutex> L(M);
  if (Idle.empty())
    return llvm::createStringError("cannot start a worker process: " + Err);
  return llvm::Error::success();
}

WorkerPool::Outcome
WorkerPool::run(const TuInput &In, TuResult &Result,
                llvm::function_ref<Id(const UnitKey &, Id)> Claim) {
  using worker::Frame;
  using worker::FrameType;
  using worker::ReadStatus;
  Outcome O;
  Worker W;
  {
    std::unique_lock<std::mutex> L(M);
    CV.wait(L, [&] { return !Idle.empty() || Live == 0; });
    if (Idle.empty()) {
      O.K = Outcome::Crashed;
      O.Reason = "no worker process could be started: " + LastSpawnError;
      return O;
    }
    W = Idle.back();
    Idle.pop_back();
  }
  std::optional<Clock::time_point> Deadline;
  if (TuTimeoutSeconds)
    Deadline =
        Clock::now() + std::chrono::seconds(TuTimeoutSeconds) + KillGrace;
  bool Alive =
      worker::writeFrame(W.Fd, FrameType::Tu, worker::encodeTuInput(In));
  bool Malformed = false;
  while (Alive) {
    Frame F;
    ReadStatus St = worker::readFrame(W.Fd, F, Deadline);
    if (St == ReadStatus::Timeout) {
      reap(W, /*Kill=*/true);
      replace();
      O.K = Outcome::TimedOut;
      O.Reason = "timed out after " + std::to_string(TuTimeoutSeconds) + " s";
      return O;
    }
    if (St != ReadStatus::Ok)
      break;
    if (F.Type == FrameType::Claim) {
      UnitKey U;
      Id Tu;
      if (!worker::decodeClaim(F.Payload, U, Tu)) {
        Malformed = true;
        break;
      }
      Alive = worker::writeFrame(W.Fd, FrameType::ClaimReply,
                                 worker::encodeClaimReply(Claim(U, Tu)));
      continue;
    }
    if (F.Type == FrameType::Result &&
        worker::decodeResult(F.Payload, Result, O.NewUsrs)) {
      {
        std::lock_guard<std::mutex> L(M);
        Idle.push_back(W);
      }
      CV.notify_one();
      return O;
    }
    Malformed = true;
    break;
  }
  int Status = reap(W, /*Kill=*/true);
  replace();
  Result = TuResult();
  O.K = Outcome::Crashed;
  if (Malformed)
    O.Reason = "the worker process sent a malformed reply";
  else if (Status != -1 && WIFSIGNALED(Status))
    O.Reason = "the worker process was killed by " +
               worker::signalName(WTERMSIG(Status));
  else if (Status != -1 && WIFEXITED(Status) &&
           WEXITSTATUS(Status) == worker::OutOfMemoryExit) {
    O.K = Outcome::OutOfMemory;
    O.Reason = TuMemoryMB ? "out of memory (limit " +
                                std::to_string(TuMemoryMB) + " MB)"
                          : "out of memory";
  } else if (Status != -1 && WIFEXITED(Status))
    O.Reason = "the worker process exited with status " +
               std::to_string(WEXITSTATUS(Status));
  else
    O.Reason = "the worker process was lost";
  return O;
}

} // namespace codeindex
