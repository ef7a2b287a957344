//===- IndexDir.cpp - Lock, CURRENT and generations of an index -----------===//

#include "IndexDir.h"

#include "Platform.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

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
  File F;
  if (Status S = openFile(Path, OpenFor::Read, &F, Missing); !S || *Missing)
    return S;
  Out->clear();
  char Buf[256];
  while (Out->size() <= Limit) {
    size_t N = 0;
    if (Status S = readSome(F, Buf, sizeof(Buf), &N, Path); !S)
      return S;
    if (N == 0)
      break;
    Out->append(Buf, N);
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
  File F;
  if (Status S = openFile(Tmp, OpenFor::WriteTruncate, &F); !S)
    return S;
  Status S = writeAll(F, Gen + "\n", Tmp);
  if (S)
    S = syncFile(F, Tmp);
  F.close(); // Windows: a file open without FILE_SHARE_DELETE cannot move
  if (!S)
    return S;
  if (Status S = replaceFile(Tmp, Root + "/" + CurrentName); !S)
    return S;
  return syncPath(Root);
}

struct GenEntry {
  uint64_t Number;
  std::string Name;
};

Status listGenerations(const std::string &Root, std::vector<GenEntry> *Gens,
                       std::vector<std::string> *Foreign) {
  std::error_code Ec;
  fs::directory_iterator It(toFsPath(Root), Ec);
  if (Ec)
    return Status::ioError("cannot list '" + Root + "': " + Ec.message());
  for (; It != fs::directory_iterator(); It.increment(Ec)) {
    std::string Name = fromFsPath(It->path().filename());
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
  std::string ReadersPath = Dir + "/" + ReadersName;
  File Readers;
  bool Missing = false;
  (void)openFile(ReadersPath, OpenFor::ReadWrite, &Readers, &Missing);
  if (Readers.isOpen()) {
    bool Held = false;
    if (Status S = lockFile(Readers, LockKind::Exclusive, /*Wait=*/false, &Held,
                            ReadersPath);
        !S || Held)
      return; // a reader still uses it
  }
  // The lock is held while the files go, so no reader pins the generation
  // meanwhile. On Windows READERS, open here, only becomes "delete pending"
  // and keeps Dir non-empty until closed: remove again after closing (a
  // no-op on POSIX, where Dir is gone already).
  std::error_code Ec;
  fs::path P = toFsPath(Dir);
  fs::remove_all(P, Ec);
  if (Readers.isOpen()) {
    Readers.close();
    fs::remove_all(P, Ec);
  }
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
                File *Out) {
  std::string Path = Root + "/" + LockName;
  File F;
  if (Status S = openFile(Path, OpenFor::ReadWriteOrCreate, &F, nullptr,
                          "cannot open lock file");
      !S)
    return S;
  bool Held = false;
  if (Status S = lockFile(F, LockKind::Exclusive,
                          /*Wait=*/Options.Lock != LockMode::Fail, &Held, Path);
      !S)
    return S;
  if (Held) {
    F.close();
    std::string Content;
    bool Missing = false;
    (void)readSmallFile(Path, 4096, &Content, &Missing);
    return Status::busy("index at '" + Root + "' is locked by " +
                        describeHolder(Content) +
                        "; wait for that run to finish, or run again "
                        "with --wait to wait for the lock");
  }
  std::string Owner = std::to_string(processId()) + " " + hostName();
  if (!Options.LockOwnerDescription.empty()) {
    std::string Desc = Options.LockOwnerDescription;
    std::replace(Desc.begin(), Desc.end(), '\n', ' ');
    Owner += " " + Desc;
  }
  Owner += "\n";
  if (Status S = rewriteFile(F, Owner, Path); !S)
    return S;
  *Out = std::move(F);
  return Status::ok();
}

Status createGeneration(const std::string &Dir) {
  if (Status S = makeDirectory(Dir); !S)
    return S;
  File F;
  return openFile(Dir + "/" + ReadersName, OpenFor::ReadWriteOrCreate, &F);
}

} // namespace

Status IndexDir::openWriter(const std::string &Path, const OpenOptions &Options,
                            std::unique_ptr<IndexDir> *Out) {
  std::error_code Ec;
  fs::path P = toFsPath(Path);
  bool Existed = fs::exists(P, Ec);
  if (Existed && !fs::is_directory(P, Ec))
    return Status::invalidArgument("index path '" + Path +
                                   "' exists and is not a directory");
  if (!Existed && !fs::create_directories(P, Ec) && Ec)
    return Status::ioError("cannot create index directory '" + Path +
                           "': " + Ec.message());

  // Refuse to take over (and later clean up in) a directory that holds
  // something else: a typo in --db must never delete a user's files.
  // A rebuild replaces CURRENT: one that is damaged must not stop it (the
  // message for a damaged index says to rebuild).
  bool Rebuild = Options.Mode == OpenMode::Rebuild;
  auto ReadLive = [&](std::string *Live) {
    Status S = readCurrent(Path, Live);
    if (!S && S.isCorruption() && Rebuild) {
      Live->clear();
      return Status::ok();
    }
    return S;
  };
  std::string Live;
  if (Status S = ReadLive(&Live); !S)
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
  if (Status S = takeLock(Path, Options, &D->Lock); !S)
    return S;

  // Re-read under the lock: a previous holder may have committed meanwhile.
  if (Status S = ReadLive(&Live); !S)
    return S;
  Gens.clear();
  if (Status S = listGenerations(Path, &Gens, nullptr); !S)
    return S;
  if (!Live.empty() &&
      std::none_of(Gens.begin(), Gens.end(),
                   [&](const GenEntry &G) { return G.Name == Live; })) {
    if (Rebuild)
      Live.clear();
    else
      return Status::corruption("index at '" + Path +
                                "' is damaged: CURRENT "
                                "names " +
                                Live + ", which does not exist; " +
                                rebuildHint());
  }

  uint64_t MaxNumber = 0;
  for (const GenEntry &G : Gens) {
    MaxNumber = std::max(MaxNumber, G.Number);
    if (G.Name != Live)
      removeGenerationIfUnpinned(Path + "/" + G.Name);
  }
  (void)removeFile(Path + "/" + CurrentTmpName);

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

bool IndexDir::hasCommitted(const std::string &Path) {
  std::string Live;
  if (Status S = readCurrent(Path, &Live); !S)
    return true;
  return !Live.empty();
}

Status IndexDir::openReader(const std::string &Path,
                            std::unique_ptr<IndexDir> *Out) {
  // A writer may swap generations between reading CURRENT and pinning; the
  // loop re-checks CURRENT after pinning and retries.
  for (int Attempt = 0; Attempt < 100; ++Attempt) {
    std::string Live;
    if (Status S = readCurrent(Path, &Live); !S)
      return S;
    if (Live.empty()) {
      // Generations without CURRENT: the first run is still writing, or
      // CURRENT was deleted. Either way there is nothing committed to
      // read, but "nothing was committed" alone would hide the second.
      std::vector<GenEntry> Gens;
      (void)listGenerations(Path, &Gens, nullptr);
      if (!Gens.empty())
        return Status::notFound(
            "no index at '" + Path + "': its CURRENT file is missing, so " +
            "no generation is committed (" + Gens.front().Name +
            " is there: a first `code-indexer extract` is still running, " +
            "or CURRENT was deleted); run `code-indexer extract` to build " +
            "the index again");
      return Status::notFound("no index at '" + Path +
                              "' (nothing was committed there yet); build "
                              "one with `code-indexer extract`");
    }
    std::unique_ptr<IndexDir> D(new IndexDir());
    D->Root = Path;
    D->GenName = Live;
    D->GenDir = Path + "/" + Live;
    D->Live = true;
    std::error_code Ec;
    if (!fs::is_directory(toFsPath(D->GenDir), Ec)) {
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
    std::string ReadersPath = D->GenDir + "/" + ReadersName;
    File Readers;
    bool Missing = false;
    (void)openFile(ReadersPath, OpenFor::Read, &Readers, &Missing);
    if (!Readers.isOpen()) {
      // Missing, or (Windows) being deleted: a writer may have swapped
      // generations since CURRENT was read.
      std::string Again;
      if (Status S = readCurrent(Path, &Again); !S)
        return S;
      if (Again != Live)
        continue;
      // Read-only media or a damaged generation: read without a pin.
      *Out = std::move(D);
      return Status::ok();
    }
    // A failure other than EINTR (retried inside) leaves it unpinned, as
    // before; the generation is still checked against CURRENT below.
    bool Held = false;
    (void)lockFile(Readers, LockKind::Shared, /*Wait=*/true, &Held,
                   ReadersPath);
    std::string Again;
    if (Status S = readCurrent(Path, &Again); !S)
      return S;
    if (Again != Live)
      continue;
    D->Readers = std::move(Readers);
    *Out = std::move(D);
    return Status::ok();
  }
  return Status::ioError("index at '" + Path +
                         "' keeps changing generation; retry later");
}

IndexDir::~IndexDir() {
  Readers.close();
  if (Lock.isOpen()) {
    // Leave the file (it may be locked by the next waiter already) but
    // clear the owner so a stale name is never shown.
    truncateQuietly(Lock);
    Lock.close();
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
  fs::remove_all(toFsPath(GenDir), Ec);
}

Status IndexDir::createSuccessor(std::string *Dir) {
  if (!Live || !SuccessorName.empty() || !Lock.isOpen())
    return Status::invalidArgument("index at '" + Root +
                                   "': a successor generation needs the "
                                   "live generation open for writing");
  std::vector<GenEntry> Gens;
  if (Status S = listGenerations(Root, &Gens, nullptr); !S)
    return S;
  uint64_t MaxNumber = 0;
  for (const GenEntry &G : Gens)
    MaxNumber = std::max(MaxNumber, G.Number);
  std::string Name = genName(MaxNumber + 1);
  if (Status S = createGeneration(Root + "/" + Name); !S) {
    std::error_code Ec;
    fs::remove_all(toFsPath(Root + "/" + Name), Ec);
    return S;
  }
  SuccessorName = Name;
  *Dir = Root + "/" + Name;
  return Status::ok();
}

Status IndexDir::publishSuccessor() {
  if (SuccessorName.empty())
    return Status::invalidArgument("index at '" + Root +
                                   "' has no successor generation to publish");
  std::string OldName = GenName;
  GenName = SuccessorName;
  GenDir = Root + "/" + GenName;
  Live = false;
  Status S = publish();
  if (!S) {
    // A failed fsync of PATH after the rename leaves CURRENT naming the
    // successor: then it is live, and deleting it would break the index.
    std::string Now;
    if (readCurrent(Root, &Now) && Now == GenName) {
      Live = true;
      SuccessorName.clear();
      return S;
    }
    GenName = OldName;
    GenDir = Root + "/" + OldName;
    Live = true;
    discardSuccessor();
    return S;
  }
  SuccessorName.clear();
  return Status::ok();
}

void IndexDir::discardSuccessor() {
  if (SuccessorName.empty())
    return;
  std::error_code Ec;
  fs::remove_all(toFsPath(Root + "/" + SuccessorName), Ec);
  SuccessorName.clear();
}

std::string engineOfGeneration(const std::string &GenDir) {
  std::error_code Ec;
  if (fs::exists(GenDir + "/data.mdb", Ec))
    return "lmdb";
  for (fs::directory_iterator It(GenDir, Ec), End; !Ec && It != End;
       It.increment(Ec)) {
    std::string Name = It->path().filename().string();
    if (Name == "CURRENT" || Name.rfind("MANIFEST-", 0) == 0 ||
        Name.rfind("OPTIONS-", 0) == 0 ||
        (Name.size() > 4 && Name.compare(Name.size() - 4, 4, ".sst") == 0))
      return "rocksdb";
  }
  return std::string();
}

Status checkEngineOfGeneration(const std::string &Root,
                               const std::string &GenDir,
                               std::string_view Engine) {
  std::string Found = engineOfGeneration(GenDir);
  if (Found.empty() || Found == Engine)
    return Status::ok();
  return Status::invalidArgument(
      "index at '" + Root + "' was written by " + Found + ", not " +
      std::string(Engine) + "; use --db " + Found + ":" + Root +
      " or --full to replace it (the index is unchanged)");
}

} // namespace codeindex::storage::detail
