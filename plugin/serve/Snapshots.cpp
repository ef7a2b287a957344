//===- Snapshots.cpp - The index generation a server answers from ---------===//

#include "serve/Snapshots.h"

#include "query/QueryError.h"

#include "codeindex/graph/GraphJson.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <vector>

#include <signal.h>
#include <unistd.h>

using namespace llvm;

namespace codeindex {

namespace {

/// The first Max bytes of a small file; "" when it is missing.
std::string readSmall(const std::string &Path, size_t Max = 4096) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return {};
  std::string S(Max, '\0');
  In.read(S.data(), static_cast<std::streamsize>(Max));
  S.resize(static_cast<size_t>(In.gcount()));
  return S;
}

std::string hostName() {
  char Buf[256] = {};
  if (gethostname(Buf, sizeof(Buf) - 1) != 0)
    return {};
  return Buf;
}

/// Files of a generation that do not change with its data: the readers'
/// pin, the engines' logs and LMDB's lock table.
bool isDataFile(StringRef Name) {
  return Name != "READERS" && !Name.starts_with("LOG") && Name != "lock.mdb";
}

} // namespace

long Snapshots::writerPid() const {
  // "pid host command" while a writer holds the lock; empty once it ended.
  std::string Text = readSmall(Spec.Path + "/LOCK");
  StringRef T = StringRef(Text).trim();
  if (T.empty())
    return 0;
  auto [PidText, Rest] = T.split(' ');
  StringRef Host = Rest.split(' ').first;
  long Pid = 0;
  if (PidText.getAsInteger(10, Pid) || Pid <= 0)
    return -1; // unreadable: assume someone is writing
  // A writer that died leaves its name behind (the lock itself is gone with
  // it); on this host, a pid that no longer exists is such a leftover.
  if (Host == hostName() && ::kill(static_cast<pid_t>(Pid), 0) != 0 &&
      errno == ESRCH)
    return 0;
  return Pid;
}

std::string Snapshots::signature() const {
  std::string Current = readSmall(Spec.Path + "/CURRENT", 64);
  std::string Sig = Current;
  StringRef Gen = StringRef(Current).trim();
  if (Gen.empty())
    return Sig;
  std::vector<std::string> Entries;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Spec.Path + "/" + Gen.str(), EC), End;
       !EC && It != End; It.increment(EC)) {
    StringRef Name = sys::path::filename(It->path());
    if (!isDataFile(Name))
      continue;
    sys::fs::file_status St;
    if (sys::fs::status(It->path(), St))
      continue;
    auto MTime = St.getLastModificationTime().time_since_epoch().count();
    Entries.push_back(Name.str() + ":" + std::to_string(St.getSize()) + ":" +
                      std::to_string(MTime));
  }
  llvm::sort(Entries);
  for (const std::string &E : Entries)
    (Sig += "|") += E;
  return Sig;
}

Expected<std::unique_ptr<Snapshot>> Snapshots::openOne() const {
  auto S = std::make_unique<Snapshot>();
  S->Signature = signature();
  S->Generation = StringRef(readSmall(Spec.Path + "/CURRENT", 64)).trim().str();
  storage::OpenOptions OO;
  OO.Mode = storage::OpenMode::ReadOnly;
  if (Status St = storage::openStore(Spec, OO, &S->Store); !St.isOk())
    return indexError("cannot open the index " + Source + ": " + St.message());
  S->Graph = std::make_unique<GraphStore>(*S->Store);
  if (Status St = S->Graph->initSchema(false); !St.isOk())
    return indexError(St.message());
  std::string Project;
  if (S->Graph->getMeta(meta::Project, &Project).isOk()) {
    nlohmann::json J = nlohmann::json::parse(Project, nullptr, false);
    if (J.is_object() && J.contains("root") && J["root"].is_string())
      S->Root = J["root"].get<std::string>();
  }
  return S;
}

Expected<std::unique_ptr<Snapshots>> Snapshots::open(const std::string &Db) {
  std::unique_ptr<Snapshots> R(new Snapshots());
  if (Status St = storage::parseStoreSpec(Db, &R->Spec); !St.isOk())
    return usageError(St.message());
  if (R->Spec.Engine == "mem")
    return usageError("an in-memory index (mem) does not outlive `extract`; "
                      "serve rocksdb:PATH or lmdb:PATH");
  R->Source = R->Spec.toString();
  if (R->writerPid() != 0)
    return R; // the watcher opens it once the writer commits
  Expected<std::unique_ptr<Snapshot>> S = R->openOne();
  if (!S)
    return S.takeError();
  (*S)->Number = ++R->Opened;
  R->Cur = std::move(*S);
  return R;
}

std::shared_ptr<const Snapshot> Snapshots::current() const {
  std::lock_guard Lock(M);
  return Cur;
}

Expected<bool> Snapshots::refresh() {
  if (writerPid() != 0)
    return false;
  std::string Before = signature();
  {
    std::lock_guard Lock(M);
    if (Cur && Cur->Signature == Before)
      return false;
  }
  Expected<std::unique_ptr<Snapshot>> S = openOne();
  if (!S)
    return S.takeError();
  // A writer that started (or ran) while we opened may have shown us part
  // of its work: drop this one; the next refresh tries again.
  if (writerPid() != 0 || signature() != Before || (*S)->Signature != Before)
    return false;
  std::lock_guard Lock(M);
  (*S)->Number = ++Opened;
  Cur = std::move(*S);
  return true;
}

} // namespace codeindex
