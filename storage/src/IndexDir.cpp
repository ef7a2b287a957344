//===- IndexDir.cpp - Lock, CURRENT and generations of an index -----------===//

#include "IndexDir.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace codeindex::storage::detail {

const char *rebuildHint() {
  return "rebuild it with `code-indexer extract --full`";
}

namespace {

constexpr std::string_view GenPrefix = "gen-";
constexpr const char *CurrentName = "CURRENT";
constexpr const char *CurrentTmpName = "CURRENT.tmp";
constexpr const char *LockName = "LOCK";
constexpr const char *ReadersName = "READERS";

std::string errnoText(int Err) { return std::strerror(Err); }

Status ioError(const std::string &What, const std::string &Path, int Err) {
  return Status::ioError(What + " '" + Path + "': " + errnoText(Err));
}

/// Parses "gen-NNNNNN" (at least one digit, nothing else).
bool parseGenName(std::string_view Name, uint64_t *Number) {
  if (Name.size() <= GenPrefix.size() || Name.substr(0, 4) != GenPrefix ||
      Name.size() > GenPrefix.size() + 18)
    return false;
  uint64_t N = 0;
  for (char C : Name.substr(GenPrefix.size())) {
    if (C < '0' || C > '9')
      return false;
    N = N * 10 + static_cast<uint64_t>(C - '0');
  }
  *Number = N;
  return true;
}

std::string genName(uint64_t Number) {
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "gen-%06llu",
                static_cast<unsigned long long>(Number));
  return Buf;
}

Status readSmallFile(const std::string &Path, size_t Limit, std::string *Out,
                     bool *Missing) {
  *Missing = false;
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    if (errno == ENOENT) {
      *Missing = true;
      return Status::ok();
    }
    return ioError("cannot open", Path, errno);
  }
  Out->clear();
  char Buf[256];
  while (Out->size() <= Limit) {
    ssize_t N = ::read(Fd, Buf, sizeof(Buf));
    if (N < 0) {
      if (errno == EINTR)
        continue;
      int Err = errno;
      ::close(Fd);
      return ioError("cannot read", Path, Err);
    }
    if (N == 0)
      break;
    Out->append(Buf, static_cast<size_t>(N));
  }
  ::close(Fd);
  return Status::ok();
}

Status writeAll(int Fd, std::string_view Data, const std::string &Path) {
  while (!Data.empty()) {
    ssize_t N = ::write(Fd, Data.data(), Data.size());
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return ioError("cannot write", Path, errno);
    }
    Data.remove_prefix(static_cast<size_t>(N));
  }
  return Status::ok();
}

/// Reads CURRENT. *Gen is empty when there is none.
Status readCurrent(const std::string &Root, std::string *Gen) {
  Gen->clear();
  std::string Path = Root + "/" + CurrentName;
  std::string Text;
  bool Missing = false;
  if (Status S = readSmallFile(Path, 64, &Text, &Missing); !S)
    return S;
  if (Missing)
    return Status::ok();
  uint64_t Number = 0;
  if (Text.empty() || Text.back() != '\n' ||
      !parseGenName(std::string_view(Text).substr(0, Text.size() - 1),
                    &Number)) {
    std::string Shown = Text.substr(0, 32);
    for (char &C : Shown)
      if (static_cast<unsigned char>(C) < 0x20 ||
          static_cast<unsigned char>(C) >= 0x7f)
        C = '?';
    return Status::corruption("index at '" + Root +
                              "' is damaged: CURRENT does not name a "
                              "generation (it holds '" +
                              Shown + "'); " + rebuildHint());
  }
  Text.pop_back();
  *Gen = Text;
  return Status::ok();
}

Status writeCurrent(const std::string &Root, const std::string &Gen) {
  std::string Tmp = Root + "/" + CurrentTmpName;
  int Fd = ::open(Tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (Fd < 0)
    return ioError("cannot create", Tmp, errno);
  Status S = writeAll(Fd, Gen + "\n", Tmp);
  if (S && ::fsync(Fd) != 0)
    S = ioError("cannot sync", Tmp, errno);
  ::close(Fd);
  if (!S)
    return S;
  std::string Current = Root + "/" + CurrentName;
  if (::rename(Tmp.c_str(), Current.c_str()) != 0)
    return ioError("cannot rename to", Current, errno);
  return syncPath(Root);
}

struct GenEntry {
  uint64_t Number;
  std::string Name;
};

Status listGenerations(const std::string &Root, std::vector<GenEntry> *Gens,
                       std::vector<std::string> *Foreign) {
  std::error_code Ec;
  fs::directory_iterator It(Root, Ec);
  if (Ec)
    return Status::ioError("cannot list '" + Root + "': " + Ec.message());
  for (; It != fs::directory_iterator(); It.increment(Ec)) {
    std::string Name = It->path().filename().string();
    uint64_t Number = 0;
    if (parseGenName(Name, &Number) && It->is_directory(Ec))
      Gens->push_back({Number, Name});
    else if (Foreign && Name != LockName && Name != CurrentName &&
             Name != CurrentTmpName)
      Foreign->push_back(Name);
  }
  if (Ec)
    return Status::ioError("cannot list '" + Root + "': " + Ec.message());
  return Status::ok();
}

/// Deletes a generation unless a reader pins it. Failures are not errors:
/// the next writer retries.
void removeGenerationIfUnpinned(const std::string &Dir) {
  std::string Readers = Dir + "/" + ReadersName;
  int Fd = ::open(Readers.c_str(), O_RDWR | O_CLOEXEC);
  if (Fd >= 0 && ::flock(Fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(Fd);
    return; // a reader still uses it
  }
  std::error_code Ec;
  fs::remove_all(Dir, Ec);
  if (Fd >= 0)
    ::close(Fd);
}

std::string hostName() {
  char Buf[256] = {};
  if (::gethostname(Buf, sizeof(Buf) - 1) != 0)
    return "unknown-host";
  return Buf;
}

/// Turns the LOCK file's "pid host description" into words for a message.
std::string describeHolder(const std::string &Content) {
  std::string Text = Content;
  while (!Text.empty() && (Text.back() == '\n' || Text.back() == ' '))
    Text.pop_back();
  if (Text.empty())
    return "another process (it has not recorded its name yet)";
  size_t Sp1 = Text.find(' ');
  if (Sp1 == std::string::npos)
    return "pid " + Text;
  size_t Sp2 = Text.find(' ', Sp1 + 1);
  std::string Pid = Text.substr(0, Sp1);
  std::string Host = Text.substr(
      Sp1 + 1, Sp2 == std::string::npos ? std::string::npos : Sp2 - Sp1 - 1);
  std::string Result = "pid " + Pid + " on host " + Host;
  if (Sp2 != std::string::npos && Sp2 + 1 < Text.size())
    Result += " (" + Text.substr(Sp2 + 1) + ")";
  return Result;
}

Status takeLock(const std::string &Root, const OpenOptions &Options,
                int *FdOut) {
  std::string Path = Root + "/" + LockName;
  int Fd = ::open(Path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    return ioError("cannot open lock file", Path, errno);
  int Flags = LOCK_EX | (Options.Lock == LockMode::Fail ? LOCK_NB : 0);
  while (::flock(Fd, Flags) != 0) {
    if (errno == EINTR)
      continue;
    int Err = errno;
    ::close(Fd);
    if (Err == EWOULDBLOCK) {
      std::string Content;
      bool Missing = false;
      (void)readSmallFile(Path, 4096, &Content, &Missing);
      return Status::busy("index at '" + Root + "' is locked by " +
                          describeHolder(Content) +
                          "; wait for that run to finish, or run again "
                          "with --wait to wait for the lock");
    }
    return ioError("cannot lock", Path, Err);
  }
  std::string Owner = std::to_string(::getpid()) + " " + hostName();
  if (!Options.LockOwnerDescription.empty()) {
    std::string Desc = Options.LockOwnerDescription;
    std::replace(Desc.begin(), Desc.end(), '\n', ' ');
    Owner += " " + Desc;
  }
  Owner += "\n";
  if (::ftruncate(Fd, 0) != 0 || ::pwrite(Fd, Owner.data(), Owner.size(), 0) !=
                                     static_cast<ssize_t>(Owner.size())) {
    int Err = errno;
    ::close(Fd);
    return ioError("cannot write lock file", Path, Err);
  }
  *FdOut = Fd;
  return Status::ok();
}

Status createGeneration(const std::string &Dir) {
  if (::mkdir(Dir.c_str(), 0755) != 0)
    return ioError("cannot create", Dir, errno);
  std::string Readers = Dir + "/" + ReadersName;
  int Fd = ::open(Readers.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    return ioError("cannot create", Readers, errno);
  ::close(Fd);
  return Status::ok();
}

} // namespace

Status syncPath(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return ioError("cannot open", Path, errno);
  int Rc = ::fsync(Fd);
  int Err = errno;
  ::close(Fd);
  if (Rc != 0)
    return ioError("cannot sync", Path, Err);
  return Status::ok();
}

Status IndexDir::openWriter(const std::string &Path, const OpenOptions &Options,
                            std::unique_ptr<IndexDir> *Out) {
  std::error_code Ec;
  bool Existed = fs::exists(Path, Ec);
  if (Existed && !fs::is_directory(Path, Ec))
    return Status::invalidArgument("index path '" + Path +
                                   "' exists and is not a directory");
  if (!Existed && !fs::create_directories(Path, Ec) && Ec)
    return Status::ioError("cannot create index directory '" + Path +
                           "': " + Ec.message());

  // Refuse to take over (and later clean up in) a directory that holds
  // something else: a typo in --db must never delete a user's files.
  std::string Live;
  if (Status S = readCurrent(Path, &Live); !S)
    return S;
  std::vector<GenEntry> Gens;
  std::vector<std::string> Foreign;
  if (Status S = listGenerations(Path, &Gens, &Foreign); !S)
    return S;
  if (Live.empty() && !Foreign.empty())
    return Status::invalidArgument(
        "'" + Path + "' is not empty and is not a CodeIndex index (it holds '" +
        Foreign.front() + "'); choose a new or empty directory");

  std::unique_ptr<IndexDir> D(new IndexDir());
  D->Root = Path;
  if (Status S = takeLock(Path, Options, &D->LockFd); !S)
    return S;

  // Re-read under the lock: a previous holder may have committed meanwhile.
  if (Status S = readCurrent(Path, &Live); !S)
    return S;
  Gens.clear();
  if (Status S = listGenerations(Path, &Gens, nullptr); !S)
    return S;
  if (!Live.empty() &&
      std::none_of(Gens.begin(), Gens.end(),
                   [&](const GenEntry &G) { return G.Name == Live; }))
    return Status::corruption("index at '" + Path +
                              "' is damaged: CURRENT "
                              "names " +
                              Live + ", which does not exist; " +
                              rebuildHint());

  uint64_t MaxNumber = 0;
  for (const GenEntry &G : Gens) {
    MaxNumber = std::max(MaxNumber, G.Number);
    if (G.Name != Live)
      removeGenerationIfUnpinned(Path + "/" + G.Name);
  }
  ::unlink((Path + "/" + CurrentTmpName).c_str());

  if (Options.Mode == OpenMode::Update && !Live.empty()) {
    D->GenName = Live;
    D->GenDir = Path + "/" + Live;
    D->Live = true;
    *Out = std::move(D);
    return Status::ok();
  }
  D->GenName = genName(MaxNumber + 1);
  D->GenDir = Path + "/" + D->GenName;
  D->Fresh = true;
  if (Status S = createGeneration(D->GenDir); !S)
    return S;
  *Out = std::move(D);
  return Status::ok();
}

Status IndexDir::openReader(const std::string &Path,
                            std::unique_ptr<IndexDir> *Out) {
  // A writer may swap generations between reading CURRENT and pinning; the
  // loop re-checks CURRENT after pinning and retries.
  for (int Attempt = 0; Attempt < 100; ++Attempt) {
    std::string Live;
    if (Status S = readCurrent(Path, &Live); !S)
      return S;
    if (Live.empty())
      return Status::notFound("no index at '" + Path +
                              "' (nothing was committed there yet); build "
                              "one with `code-indexer extract`");
    std::unique_ptr<IndexDir> D(new IndexDir());
    D->Root = Path;
    D->GenName = Live;
    D->GenDir = Path + "/" + Live;
    D->Live = true;
    std::error_code Ec;
    if (!fs::is_directory(D->GenDir, Ec)) {
      std::string Again;
      if (Status S = readCurrent(Path, &Again); !S)
        return S;
      if (Again != Live)
        continue;
      return Status::corruption("index at '" + Path +
                                "' is damaged: CURRENT "
                                "names " +
                                Live + ", which does not exist; " +
                                rebuildHint());
    }
    std::string Readers = D->GenDir + "/" + ReadersName;
    int Fd = ::open(Readers.c_str(), O_RDONLY | O_CLOEXEC);
    if (Fd < 0) {
      if (errno == ENOENT) {
        std::string Again;
        if (Status S = readCurrent(Path, &Again); !S)
          return S;
        if (Again != Live)
          continue;
      }
      // Read-only media or a damaged generation: read without a pin.
      *Out = std::move(D);
      return Status::ok();
    }
    while (::flock(Fd, LOCK_SH) != 0 && errno == EINTR) {
    }
    std::string Again;
    if (Status S = readCurrent(Path, &Again); !S) {
      ::close(Fd);
      return S;
    }
    if (Again != Live) {
      ::close(Fd);
      continue;
    }
    D->ReaderFd = Fd;
    *Out = std::move(D);
    return Status::ok();
  }
  return Status::ioError("index at '" + Path +
                         "' keeps changing generation; retry later");
}

IndexDir::~IndexDir() {
  if (ReaderFd >= 0)
    ::close(ReaderFd);
  if (LockFd >= 0) {
    // Leave the file (it may be flock'ed by the next waiter already) but
    // clear the owner so a stale name is never shown.
    if (::ftruncate(LockFd, 0) != 0) {
    }
    ::close(LockFd);
  }
}

Status IndexDir::publish() {
  if (Live)
    return Status::ok();
  if (Status S = syncPath(GenDir); !S)
    return S;
  if (Status S = writeCurrent(Root, GenName); !S)
    return S;
  Live = true;
  Fresh = false;
  std::vector<GenEntry> Gens;
  if (listGenerations(Root, &Gens, nullptr))
    for (const GenEntry &G : Gens)
      if (G.Name != GenName)
        removeGenerationIfUnpinned(Root + "/" + G.Name);
  return Status::ok();
}

void IndexDir::discard() {
  if (Live || GenDir.empty())
    return;
  std::error_code Ec;
  fs::remove_all(GenDir, Ec);
}

} // namespace codeindex::storage::detail
