//===- Platform.cpp - The few OS calls storage/ needs ---------------------===//

#include "Platform.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace codeindex::storage::detail {

namespace {
const char *defaultOpenVerb(OpenFor How) {
  return How == OpenFor::Read || How == OpenFor::ReadWrite ? "cannot open"
                                                           : "cannot create";
}
} // namespace

#ifdef _WIN32

//===--- Windows ----------------------------------------------------------===//

namespace {

std::string errorText(DWORD Err) {
  wchar_t *Buf = nullptr;
  DWORD N = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
          FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, Err, 0, reinterpret_cast<wchar_t *>(&Buf), 0, nullptr);
  std::string Text;
  if (N && Buf)
    Text = fromWide(std::wstring_view(Buf, N));
  if (Buf)
    LocalFree(Buf);
  while (!Text.empty() && (Text.back() == '\n' || Text.back() == '\r' ||
                           Text.back() == '.' || Text.back() == ' '))
    Text.pop_back();
  if (Text.empty())
    Text = "Windows error " + std::to_string(Err);
  return Text;
}

Status ioError(const std::string &What, const std::string &Path, DWORD Err) {
  return Status::ioError(What + " '" + Path + "': " + errorText(Err));
}

/// Scanners and backup tools hold a file for a moment: how long opens and
/// renames wait for them.
constexpr int SharingRetries = 20;
constexpr DWORD SharingRetryMillis = 50;

HANDLE handleOf(File &F) { return static_cast<HANDLE>(F.native()); }

constexpr DWORD ShareAll =
    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// The locked byte: far beyond any real file size, so the lock never blocks
// reading or writing the content (Windows locks are mandatory for I/O).
constexpr DWORD LockOffsetHigh = 0x40000000; // offset 2^62

bool isMissing(DWORD Err) {
  return Err == ERROR_FILE_NOT_FOUND || Err == ERROR_PATH_NOT_FOUND ||
         Err == ERROR_DELETE_PENDING;
}

} // namespace

File::Native File::invalid() { return INVALID_HANDLE_VALUE; }

bool File::close() {
  if (!isOpen())
    return true;
  bool Ok = CloseHandle(static_cast<HANDLE>(H)) != 0;
  H = invalid();
  return Ok;
}

std::wstring toWide(std::string_view Utf8) {
  if (Utf8.empty())
    return {};
  int N = MultiByteToWideChar(CP_UTF8, 0, Utf8.data(),
                              static_cast<int>(Utf8.size()), nullptr, 0);
  std::wstring Out(static_cast<size_t>(N > 0 ? N : 0), L'\0');
  if (N > 0)
    MultiByteToWideChar(CP_UTF8, 0, Utf8.data(), static_cast<int>(Utf8.size()),
                        Out.data(), N);
  return Out;
}

std::string fromWide(std::wstring_view Wide) {
  if (Wide.empty())
    return {};
  int N = WideCharToMultiByte(CP_UTF8, 0, Wide.data(),
                              static_cast<int>(Wide.size()), nullptr, 0,
                              nullptr, nullptr);
  std::string Out(static_cast<size_t>(N > 0 ? N : 0), '\0');
  if (N > 0)
    WideCharToMultiByte(CP_UTF8, 0, Wide.data(), static_cast<int>(Wide.size()),
                        Out.data(), N, nullptr, nullptr);
  return Out;
}

std::wstring toWidePath(const std::string &Utf8) {
  std::wstring W = toWide(Utf8);
  // CreateDirectoryW's limit (MAX_PATH minus an 8.3 file name) is the
  // lowest; below it no API needs the prefix.
  constexpr size_t Limit = MAX_PATH - 12;
  if (W.size() < Limit || W.rfind(L"\\\\?\\", 0) == 0)
    return W;
  // The prefix turns off normalisation: resolve ".", ".." and "/" first.
  DWORD N = GetFullPathNameW(W.c_str(), 0, nullptr, nullptr);
  if (N == 0)
    return W;
  std::wstring Full(N, L'\0');
  N = GetFullPathNameW(W.c_str(), N, Full.data(), nullptr);
  if (N == 0 || N >= Full.size())
    return W;
  Full.resize(N);
  if (Full.rfind(L"\\\\", 0) == 0) // \\server\share -> \\?\UNC\server\share
    return L"\\\\?\\UNC\\" + Full.substr(2);
  return L"\\\\?\\" + Full;
}

std::filesystem::path toFsPath(const std::string &Utf8) {
  // Never the \\?\ form: see Platform.h.
  return std::filesystem::path(toWide(Utf8));
}

std::string fromFsPath(const std::filesystem::path &P) {
  return fromWide(P.native());
}

std::string systemErrorText(int Code) {
  return errorText(static_cast<DWORD>(Code));
}

bool isSharingViolation(int Code) {
  return Code == ERROR_SHARING_VIOLATION || Code == ERROR_LOCK_VIOLATION;
}

bool isAccessDenied(int Code) { return Code == ERROR_ACCESS_DENIED; }

Status openFile(const std::string &Path, OpenFor How, File *Out, bool *Missing,
                const char *What) {
  if (Missing)
    *Missing = false;
  DWORD Access = 0, Disposition = 0;
  switch (How) {
  case OpenFor::Read:
    Access = GENERIC_READ;
    Disposition = OPEN_EXISTING;
    break;
  case OpenFor::ReadWrite:
    Access = GENERIC_READ | GENERIC_WRITE;
    Disposition = OPEN_EXISTING;
    break;
  case OpenFor::ReadWriteOrCreate:
    Access = GENERIC_READ | GENERIC_WRITE;
    Disposition = OPEN_ALWAYS;
    break;
  case OpenFor::WriteTruncate:
    Access = GENERIC_WRITE;
    Disposition = CREATE_ALWAYS;
    break;
  }
  // No SECURITY_ATTRIBUTES: the handle is not inherited (like O_CLOEXEC).
  std::wstring W = toWidePath(Path);
  HANDLE H = INVALID_HANDLE_VALUE;
  DWORD Err = 0;
  for (int Attempt = 0; Attempt < SharingRetries; ++Attempt) {
    H = CreateFileW(W.c_str(), Access, ShareAll, nullptr, Disposition,
                    FILE_ATTRIBUTE_NORMAL, nullptr);
    if (H != INVALID_HANDLE_VALUE)
      break;
    Err = GetLastError();
    if (Err != ERROR_SHARING_VIOLATION)
      break;
    Sleep(SharingRetryMillis); // held by a program that does not share it
  }
  if (H == INVALID_HANDLE_VALUE) {
    if (Missing && isMissing(Err)) {
      *Missing = true;
      return Status::ok();
    }
    return ioError(What ? What : defaultOpenVerb(How), Path, Err);
  }
  *Out = File::adopt(H);
  return Status::ok();
}

Status readSome(File &F, char *Buf, size_t Size, size_t *Got,
                const std::string &Path) {
  DWORD Want = static_cast<DWORD>(std::min<size_t>(Size, 1u << 30));
  DWORD N = 0;
  if (!ReadFile(handleOf(F), Buf, Want, &N, nullptr))
    return ioError("cannot read", Path, GetLastError());
  *Got = N;
  return Status::ok();
}

Status writeAll(File &F, std::string_view Data, const std::string &Path) {
  while (!Data.empty()) {
    DWORD Want = static_cast<DWORD>(std::min<size_t>(Data.size(), 1u << 30));
    DWORD N = 0;
    if (!WriteFile(handleOf(F), Data.data(), Want, &N, nullptr))
      return ioError("cannot write", Path, GetLastError());
    Data.remove_prefix(N);
  }
  return Status::ok();
}

Status rewriteFile(File &F, std::string_view Data, const std::string &Path) {
  LARGE_INTEGER Zero = {};
  if (!SetFilePointerEx(handleOf(F), Zero, nullptr, FILE_BEGIN) ||
      !SetEndOfFile(handleOf(F)))
    return ioError("cannot write", Path, GetLastError());
  return writeAll(F, Data, Path);
}

void truncateQuietly(File &F) {
  LARGE_INTEGER Zero = {};
  if (SetFilePointerEx(handleOf(F), Zero, nullptr, FILE_BEGIN))
    SetEndOfFile(handleOf(F));
}

Status syncFile(File &F, const std::string &Path) {
  if (!FlushFileBuffers(handleOf(F)))
    return ioError("cannot sync", Path, GetLastError());
  return Status::ok();
}

Status syncPath(const std::string &Path) {
  std::wstring W = toWidePath(Path);
  DWORD Attrs = GetFileAttributesW(W.c_str());
  if (Attrs == INVALID_FILE_ATTRIBUTES)
    return ioError("cannot open", Path, GetLastError());
  if (Attrs & FILE_ATTRIBUTE_DIRECTORY)
    return Status::ok(); // see Platform.h: nothing to flush
  // FlushFileBuffers needs write access.
  HANDLE H = CreateFileW(W.c_str(), GENERIC_WRITE, ShareAll, nullptr,
                         OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (H == INVALID_HANDLE_VALUE)
    return ioError("cannot open", Path, GetLastError());
  File F = File::adopt(H);
  return syncFile(F, Path);
}

Status lockFile(File &F, LockKind Kind, bool Wait, bool *WouldBlock,
                const std::string &Path) {
  *WouldBlock = false;
  DWORD Flags = (Kind == LockKind::Exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) |
                (Wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
  OVERLAPPED Ov = {};
  Ov.Offset = 0;
  Ov.OffsetHigh = LockOffsetHigh;
  if (LockFileEx(handleOf(F), Flags, 0, 1, 0, &Ov))
    return Status::ok();
  DWORD Err = GetLastError();
  if (!Wait && (Err == ERROR_LOCK_VIOLATION || Err == ERROR_IO_PENDING)) {
    *WouldBlock = true;
    return Status::ok();
  }
  return ioError("cannot lock", Path, Err);
}

Status replaceFile(const std::string &From, const std::string &To) {
  std::wstring WFrom = toWidePath(From), WTo = toWidePath(To);
  DWORD Err = 0;
  // A scanner or indexer holding To (or From) open without
  // FILE_SHARE_DELETE makes the move fail for a moment; retry ~1 s.
  for (int Attempt = 0; Attempt < SharingRetries; ++Attempt) {
    if (MoveFileExW(WFrom.c_str(), WTo.c_str(),
                    MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
      return Status::ok();
    Err = GetLastError();
    if (Err != ERROR_ACCESS_DENIED && Err != ERROR_SHARING_VIOLATION &&
        Err != ERROR_LOCK_VIOLATION)
      break;
    Sleep(SharingRetryMillis);
  }
  return Status::ioError("cannot rename '" + From + "' to '" + To +
                         "': " + errorText(Err));
}

Status removeFile(const std::string &Path) {
  if (DeleteFileW(toWidePath(Path).c_str()))
    return Status::ok();
  DWORD Err = GetLastError();
  if (Err == ERROR_FILE_NOT_FOUND || Err == ERROR_PATH_NOT_FOUND)
    return Status::ok();
  return ioError("cannot delete", Path, Err);
}

Status makeDirectory(const std::string &Path) {
  if (CreateDirectoryW(toWidePath(Path).c_str(), nullptr))
    return Status::ok();
  return ioError("cannot create", Path, GetLastError());
}

Status removeDirectory(const std::string &Path) {
  if (RemoveDirectoryW(toWidePath(Path).c_str()))
    return Status::ok();
  DWORD Err = GetLastError();
  if (Err == ERROR_FILE_NOT_FOUND || Err == ERROR_PATH_NOT_FOUND)
    return Status::ok();
  return ioError("cannot delete", Path, Err);
}

bool isWritable(const std::string &Path) {
  // Opening for writing checks the read-only attribute and the ACLs, which
  // is what access(W_OK) answers on POSIX. The share mode lets it coexist
  // with LMDB's own handles (FILE_SHARE_READ | FILE_SHARE_WRITE).
  HANDLE H =
      CreateFileW(toWidePath(Path).c_str(), GENERIC_WRITE, ShareAll, nullptr,
                  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (H == INVALID_HANDLE_VALUE)
    return false;
  CloseHandle(H);
  return true;
}

Status fileId(const std::string &Path, FileId *Out) {
  // FILE_FLAG_BACKUP_SEMANTICS is required to open a directory.
  HANDLE H = CreateFileW(toWidePath(Path).c_str(), 0, ShareAll, nullptr,
                         OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (H == INVALID_HANDLE_VALUE)
    return ioError("cannot stat", Path, GetLastError());
  BY_HANDLE_FILE_INFORMATION Info;
  bool Ok = GetFileInformationByHandle(H, &Info) != 0;
  DWORD Err = GetLastError();
  CloseHandle(H);
  if (!Ok)
    return ioError("cannot stat", Path, Err);
  Out->first = Info.dwVolumeSerialNumber;
  Out->second =
      (static_cast<uint64_t>(Info.nFileIndexHigh) << 32) | Info.nFileIndexLow;
  return Status::ok();
}

uint64_t processId() { return GetCurrentProcessId(); }

std::string hostName() {
  wchar_t Buf[256] = {};
  DWORD N = 255;
  if (!GetComputerNameExW(ComputerNameDnsHostname, Buf, &N) || N == 0)
    return "unknown-host";
  return fromWide(std::wstring_view(Buf, N));
}

uint64_t pageSize() {
  SYSTEM_INFO Info;
  GetSystemInfo(&Info);
  return Info.dwPageSize;
}

void dropResidentPages(void *, size_t) {}

#else

//===--- POSIX ------------------------------------------------------------===//

namespace {

Status ioError(const std::string &What, const std::string &Path, int Err) {
  return Status::ioError(What + " '" + Path + "': " + std::strerror(Err));
}

} // namespace

File::Native File::invalid() { return -1; }

bool File::close() {
  if (!isOpen())
    return true;
  bool Ok = ::close(H) == 0;
  H = invalid();
  return Ok;
}

std::filesystem::path toFsPath(const std::string &Utf8) {
  return std::filesystem::path(Utf8);
}

std::string fromFsPath(const std::filesystem::path &P) { return P.string(); }

Status openFile(const std::string &Path, OpenFor How, File *Out, bool *Missing,
                const char *What) {
  if (Missing)
    *Missing = false;
  int Flags = O_CLOEXEC;
  switch (How) {
  case OpenFor::Read:
    Flags |= O_RDONLY;
    break;
  case OpenFor::ReadWrite:
    Flags |= O_RDWR;
    break;
  case OpenFor::ReadWriteOrCreate:
    Flags |= O_RDWR | O_CREAT;
    break;
  case OpenFor::WriteTruncate:
    Flags |= O_WRONLY | O_CREAT | O_TRUNC;
    break;
  }
  int Fd = ::open(Path.c_str(), Flags, 0644);
  if (Fd < 0) {
    if (Missing && errno == ENOENT) {
      *Missing = true;
      return Status::ok();
    }
    return ioError(What ? What : defaultOpenVerb(How), Path, errno);
  }
  *Out = File::adopt(Fd);
  return Status::ok();
}

Status readSome(File &F, char *Buf, size_t Size, size_t *Got,
                const std::string &Path) {
  for (;;) {
    ssize_t N = ::read(F.native(), Buf, Size);
    if (N >= 0) {
      *Got = static_cast<size_t>(N);
      return Status::ok();
    }
    if (errno != EINTR)
      return ioError("cannot read", Path, errno);
  }
}

Status writeAll(File &F, std::string_view Data, const std::string &Path) {
  while (!Data.empty()) {
    ssize_t N = ::write(F.native(), Data.data(), Data.size());
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return ioError("cannot write", Path, errno);
    }
    Data.remove_prefix(static_cast<size_t>(N));
  }
  return Status::ok();
}

Status rewriteFile(File &F, std::string_view Data, const std::string &Path) {
  if (::ftruncate(F.native(), 0) != 0 ||
      ::pwrite(F.native(), Data.data(), Data.size(), 0) !=
          static_cast<ssize_t>(Data.size()))
    return ioError("cannot write", Path, errno);
  return Status::ok();
}

void truncateQuietly(File &F) {
  if (::ftruncate(F.native(), 0) != 0) {
  }
}

Status syncFile(File &F, const std::string &Path) {
  if (::fsync(F.native()) != 0)
    return ioError("cannot sync", Path, errno);
  return Status::ok();
}

Status syncPath(const std::string &Path) {
  File F;
  if (Status S = openFile(Path, OpenFor::Read, &F); !S)
    return S;
  return syncFile(F, Path);
}

Status lockFile(File &F, LockKind Kind, bool Wait, bool *WouldBlock,
                const std::string &Path) {
  *WouldBlock = false;
  int Op =
      (Kind == LockKind::Exclusive ? LOCK_EX : LOCK_SH) | (Wait ? 0 : LOCK_NB);
  while (::flock(F.native(), Op) != 0) {
    if (errno == EINTR)
      continue;
    if (errno == EWOULDBLOCK && !Wait) {
      *WouldBlock = true;
      return Status::ok();
    }
    return ioError("cannot lock", Path, errno);
  }
  return Status::ok();
}

Status replaceFile(const std::string &From, const std::string &To) {
  if (::rename(From.c_str(), To.c_str()) != 0)
    return Status::ioError("cannot rename '" + From + "' to '" + To +
                           "': " + std::strerror(errno));
  return Status::ok();
}

Status removeFile(const std::string &Path) {
  if (::unlink(Path.c_str()) != 0 && errno != ENOENT)
    return ioError("cannot delete", Path, errno);
  return Status::ok();
}

Status makeDirectory(const std::string &Path) {
  if (::mkdir(Path.c_str(), 0755) != 0)
    return ioError("cannot create", Path, errno);
  return Status::ok();
}

Status removeDirectory(const std::string &Path) {
  if (::rmdir(Path.c_str()) != 0 && errno != ENOENT)
    return ioError("cannot delete", Path, errno);
  return Status::ok();
}

bool isWritable(const std::string &Path) {
  return ::access(Path.c_str(), W_OK) == 0;
}

Status fileId(const std::string &Path, FileId *Out) {
  struct stat St;
  if (::stat(Path.c_str(), &St) != 0)
    return ioError("cannot stat", Path, errno);
  Out->first = static_cast<uint64_t>(St.st_dev);
  Out->second = static_cast<uint64_t>(St.st_ino);
  return Status::ok();
}

std::string systemErrorText(int Code) { return std::strerror(Code); }

bool isSharingViolation(int) { return false; }

bool isAccessDenied(int Code) { return Code == EACCES || Code == EPERM; }

uint64_t processId() { return static_cast<uint64_t>(::getpid()); }

std::string hostName() {
  char Buf[256] = {};
  if (::gethostname(Buf, sizeof(Buf) - 1) != 0)
    return "unknown-host";
  return Buf;
}

uint64_t pageSize() { return static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)); }

void dropResidentPages(void *Addr, size_t Bytes) {
  if (Addr && Bytes)
    (void)::madvise(Addr, Bytes, MADV_DONTNEED);
}

#endif

} // namespace codeindex::storage::detail
