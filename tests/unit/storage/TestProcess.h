//===- TestProcess.h - Child processes for the storage tests ----*- C++ -*-===//
//
// The cross-process tests (a writer killed mid-run, a reader in another
// process) run this test executable again as a child. What differs between
// POSIX and Windows lives here and nowhere else in the tests:
//
//   POSIX    fork() + execv("/proc/self/exe"), a pipe, poll(), SIGKILL,
//            waitpid().
//   Windows  CreateProcessW() of GetModuleFileNameW(), an anonymous pipe
//            whose write end (only) is inherited, PeekNamedPipe() polling,
//            TerminateProcess(), WaitForSingleObject().
//
// The child gets the pipe's write end as its last argument (a descriptor or
// a handle value, in decimal) and reports progress with signalParent().
//
// Thread-safety: a ChildProcess has one owner. Errors: start() reports why
// it failed; the other calls return false.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_TESTS_UNIT_STORAGE_TESTPROCESS_H
#define CODEINDEX_TESTS_UNIT_STORAGE_TESTPROCESS_H

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace codeindex::storage::testing {

/// How a child ended.
struct ChildExit {
  bool Killed = false; ///< by kill() or killSelf() (SIGKILL / TerminateProcess)
  int Code = -1;       ///< the exit code when it exited (not Killed)
  std::string describe() const;
};

/// A running copy of this executable. The destructor kills and reaps a
/// child that is still running.
class ChildProcess {
public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  /// Starts this executable with Args followed by the pipe's write end.
  bool start(const std::vector<std::string> &Args, std::string *Error);
  /// Waits up to Timeout for one byte from the child; false on timeout or
  /// if the child closed the pipe (e.g. died) first.
  bool readByte(std::chrono::milliseconds Timeout, char *Byte);
  /// Kills the child at once, with no cleanup in it.
  bool kill();
  /// Waits until the child ends.
  ChildExit wait();
  bool running() const { return Running; }

private:
  void closePipe();
#ifdef _WIN32
  void *Process = nullptr; ///< HANDLE
  void *ReadEnd = nullptr; ///< HANDLE
#else
  int Pid = -1;
  int ReadEnd = -1;
#endif
  bool Running = false;
};

/// In the child: writes Byte to the pipe named by Token (the last argument).
bool signalParent(const std::string &Token, char Byte);
/// In the child: dies at once, as kill() would kill it (no destructors, no
/// buffered output flushed).
[[noreturn]] void killSelf();

/// This process's id and host name, as the OS reports them.
uint64_t currentProcessId();
std::string currentHostName();

} // namespace codeindex::storage::testing

#endif // CODEINDEX_TESTS_UNIT_STORAGE_TESTPROCESS_H
