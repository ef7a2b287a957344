//===- TestProcess.cpp - Child processes for the storage tests ------------===//

#include "TestProcess.h"

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace codeindex::storage::testing {

std::string ChildExit::describe() const {
  return Killed ? std::string("killed") : "exit code " + std::to_string(Code);
}

ChildProcess::~ChildProcess() {
  if (Running) {
    kill();
    wait();
  }
  closePipe();
}

#ifdef _WIN32

namespace {

/// The exit code kill() and killSelf() give the process; tests tell a kill
/// from an ordinary exit by it.
constexpr UINT KilledExitCode = 0xDEAD;

std::wstring widen(const std::string &S) {
  if (S.empty())
    return {};
  int N = MultiByteToWideChar(CP_UTF8, 0, S.data(), static_cast<int>(S.size()),
                              nullptr, 0);
  std::wstring W(static_cast<size_t>(N), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, S.data(), static_cast<int>(S.size()),
                      W.data(), N);
  return W;
}

/// Quotes one argument the way CommandLineToArgvW and the C runtime split
/// them: backslashes double only before a quote.
void appendQuoted(std::wstring &Cmd, const std::wstring &Arg) {
  if (!Arg.empty() && Arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    Cmd += Arg;
    return;
  }
  Cmd += L'"';
  size_t Backslashes = 0;
  for (wchar_t C : Arg) {
    if (C == L'\\') {
      ++Backslashes;
      continue;
    }
    if (C == L'"')
      Cmd.append(Backslashes * 2 + 1, L'\\');
    else
      Cmd.append(Backslashes, L'\\');
    Backslashes = 0;
    Cmd += C;
  }
  Cmd.append(Backslashes * 2, L'\\');
  Cmd += L'"';
}

std::string lastErrorText(const char *What) {
  return std::string(What) + " failed with Windows error " +
         std::to_string(GetLastError());
}

} // namespace

bool ChildProcess::start(const std::vector<std::string> &Args,
                         std::string *Error) {
  wchar_t Exe[32768];
  DWORD N = GetModuleFileNameW(nullptr, Exe, 32768);
  if (N == 0 || N >= 32768) {
    *Error = lastErrorText("GetModuleFileNameW");
    return false;
  }
  SECURITY_ATTRIBUTES Inherit = {sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE Read = nullptr, Write = nullptr;
  if (!CreatePipe(&Read, &Write, &Inherit, 0)) {
    *Error = lastErrorText("CreatePipe");
    return false;
  }
  // Only the write end goes to the child.
  SetHandleInformation(Read, HANDLE_FLAG_INHERIT, 0);

  std::wstring Cmd;
  appendQuoted(Cmd, std::wstring(Exe, N));
  for (const std::string &A : Args) {
    Cmd += L' ';
    appendQuoted(Cmd, widen(A));
  }
  Cmd += L' ';
  Cmd += std::to_wstring(reinterpret_cast<uintptr_t>(Write));

  STARTUPINFOW Si = {};
  Si.cb = sizeof(Si);
  PROCESS_INFORMATION Pi = {};
  BOOL Ok = CreateProcessW(Exe, Cmd.data(), nullptr, nullptr, TRUE, 0, nullptr,
                           nullptr, &Si, &Pi);
  DWORD Err = GetLastError();
  CloseHandle(Write); // the child has its own copy
  if (!Ok) {
    CloseHandle(Read);
    *Error = "CreateProcessW failed with Windows error " + std::to_string(Err);
    return false;
  }
  CloseHandle(Pi.hThread);
  Process = Pi.hProcess;
  ReadEnd = Read;
  Running = true;
  return true;
}

bool ChildProcess::readByte(std::chrono::milliseconds Timeout, char *Byte) {
  // Anonymous pipes have no timed read: poll for data.
  auto Deadline = std::chrono::steady_clock::now() + Timeout;
  HANDLE H = static_cast<HANDLE>(ReadEnd);
  for (;;) {
    DWORD Avail = 0;
    if (!PeekNamedPipe(H, nullptr, 0, nullptr, &Avail, nullptr))
      return false; // broken: the child closed it or died
    if (Avail > 0) {
      DWORD Got = 0;
      return ReadFile(H, Byte, 1, &Got, nullptr) && Got == 1;
    }
    if (std::chrono::steady_clock::now() >= Deadline)
      return false;
    Sleep(10);
  }
}

bool ChildProcess::kill() {
  return Running &&
         TerminateProcess(static_cast<HANDLE>(Process), KilledExitCode) != 0;
}

ChildExit ChildProcess::wait() {
  ChildExit E;
  if (!Running)
    return E;
  HANDLE H = static_cast<HANDLE>(Process);
  WaitForSingleObject(H, INFINITE);
  DWORD Code = 0;
  GetExitCodeProcess(H, &Code);
  CloseHandle(H);
  Process = nullptr;
  Running = false;
  E.Killed = Code == KilledExitCode;
  E.Code = static_cast<int>(Code);
  return E;
}

void ChildProcess::closePipe() {
  if (ReadEnd)
    CloseHandle(static_cast<HANDLE>(ReadEnd));
  ReadEnd = nullptr;
}

bool signalParent(const std::string &Token, char Byte) {
  HANDLE H =
      reinterpret_cast<HANDLE>(static_cast<uintptr_t>(std::stoull(Token)));
  DWORD Put = 0;
  return WriteFile(H, &Byte, 1, &Put, nullptr) && Put == 1;
}

void killSelf() {
  TerminateProcess(GetCurrentProcess(), KilledExitCode);
  for (;;)
    Sleep(INFINITE);
}

uint64_t currentProcessId() { return GetCurrentProcessId(); }

std::string currentHostName() {
  wchar_t Buf[256] = {};
  DWORD N = 255;
  if (!GetComputerNameExW(ComputerNameDnsHostname, Buf, &N))
    return "";
  int Len = WideCharToMultiByte(CP_UTF8, 0, Buf, static_cast<int>(N), nullptr,
                                0, nullptr, nullptr);
  std::string Out(static_cast<size_t>(Len), '\0');
  WideCharToMultiByte(CP_UTF8, 0, Buf, static_cast<int>(N), Out.data(), Len,
                      nullptr, nullptr);
  return Out;
}

#else

bool ChildProcess::start(const std::vector<std::string> &Args,
                         std::string *Error) {
  int Fds[2];
  if (::pipe(Fds) != 0) {
    *Error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  std::string Fd = std::to_string(Fds[1]);
  std::vector<const char *> Argv = {"/proc/self/exe"};
  for (const std::string &A : Args)
    Argv.push_back(A.c_str());
  Argv.push_back(Fd.c_str());
  Argv.push_back(nullptr);
  pid_t P = ::fork();
  if (P < 0) {
    *Error = std::string("fork: ") + std::strerror(errno);
    ::close(Fds[0]);
    ::close(Fds[1]);
    return false;
  }
  if (P == 0) {
    ::close(Fds[0]);
    ::execv("/proc/self/exe", const_cast<char *const *>(Argv.data()));
    ::_exit(127);
  }
  ::close(Fds[1]);
  Pid = P;
  ReadEnd = Fds[0];
  Running = true;
  return true;
}

bool ChildProcess::readByte(std::chrono::milliseconds Timeout, char *Byte) {
  pollfd P{ReadEnd, POLLIN, 0};
  int Ready;
  do
    Ready = ::poll(&P, 1, static_cast<int>(Timeout.count()));
  while (Ready < 0 && errno == EINTR);
  if (Ready != 1)
    return false;
  return ::read(ReadEnd, Byte, 1) == 1;
}

bool ChildProcess::kill() { return Running && ::kill(Pid, SIGKILL) == 0; }

ChildExit ChildProcess::wait() {
  ChildExit E;
  if (!Running)
    return E;
  int Status = 0;
  pid_t R;
  do
    R = ::waitpid(Pid, &Status, 0);
  while (R < 0 && errno == EINTR);
  Running = false;
  if (R != Pid)
    return E;
  E.Killed = WIFSIGNALED(Status) && WTERMSIG(Status) == SIGKILL;
  E.Code = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  return E;
}

void ChildProcess::closePipe() {
  if (ReadEnd >= 0)
    ::close(ReadEnd);
  ReadEnd = -1;
}

bool signalParent(const std::string &Token, char Byte) {
  return ::write(std::stoi(Token), &Byte, 1) == 1;
}

void killSelf() {
  ::raise(SIGKILL);
  ::_exit(137);
}

uint64_t currentProcessId() { return static_cast<uint64_t>(::getpid()); }

std::string currentHostName() {
  char Host[256] = {};
  ::gethostname(Host, sizeof(Host) - 1);
  return Host;
}

#endif

} // namespace codeindex::storage::testing
