//===- LmdbStore.cpp - The LMDB engine ------------------------------------===//
//
// One named database per table in one environment (gen-NNNNNN/data.mdb).
//
// Long keys. LMDB refuses keys longer than 511 bytes. A key of KeyLimit (511)
// bytes or more is stored under its first TruncatedLength (503) bytes plus a
// 64-bit big-endian hash of the whole key, i.e. exactly 511 bytes; its value
// is prefixed with the rest of the key (varint length + bytes). Shorter keys
// are stored as they are, so a stored key of exactly 511 bytes is always a
// truncated one. Truncation breaks byte order only among keys sharing their
// first 503 bytes, and those are adjacent in LMDB's order, so iterators read
// such a group whole, restore the full keys and sort it.
//
// Map growth. MDB_MAP_FULL aborts the transaction; the map is enlarged and
// the batch replayed. mdb_env_set_mapsize() must not run while this process
// has read transactions open, so readers pass a gate that a resize closes.
//
//===----------------------------------------------------------------------===//

#include "LmdbStore.h"

#include "Engines.h"
#include "IndexDir.h"
#include "Platform.h"
#include "SortedRuns.h"

#include "codeindex/storage/Coding.h"

#include <lmdb.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>
#include <vector>

namespace fs = std::filesystem;

namespace codeindex::storage::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t KeyLimit = 511;
constexpr size_t HashBytes = 8;
constexpr size_t TruncatedLength = KeyLimit - HashBytes;
/// How long a map resize waits for other threads' read transactions.
constexpr auto ResizeReaderTimeout = std::chrono::seconds(60);
/// How long an update's compaction waits for them before it gives up (it is
/// optional: the next commit() tries again).
constexpr auto CompactReaderTimeout = std::chrono::seconds(2);

uint64_t millisSince(Clock::time_point Start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                            Start)
          .count());
}

/// FNV-1a, then a murmur3 finaliser for better mixing of the high bits. Part
/// of the on-disk format: never change it without bumping StorageFormat.
uint64_t keyHash(std::string_view Key) {
  uint64_t H = 1469598103934665603ull;
  for (unsigned char C : Key) {
    H ^= C;
    H *= 1099511628211ull;
  }
  H ^= H >> 33;
  H *= 0xff51afd7ed558ccdull;
  H ^= H >> 33;
  H *= 0xc4ceb9fe1a85ec53ull;
  H ^= H >> 33;
  return H;
}

bool isLongKey(std::string_view Key) { return Key.size() >= KeyLimit; }

/// The key LMDB stores for Key; Buf holds it when it differs.
std::string_view storedKey(std::string_view Key, std::string &Buf) {
  if (!isLongKey(Key))
    return Key;
  Buf.assign(Key.substr(0, TruncatedLength));
  coding::putFixed64BE(Buf, keyHash(Key));
  return Buf;
}

/// Splits the stored value of a truncated key into the key's tail and the
/// user's value.
bool decodeLongValue(std::string_view Stored, std::string_view *Tail,
                     std::string_view *Value) {
  uint64_t Len = 0;
  if (!coding::getVarint(Stored, Len) || Len > Stored.size())
    return false;
  *Tail = Stored.substr(0, Len);
  *Value = Stored.substr(Len);
  return true;
}

std::string_view view(const MDB_val &V) {
  return {static_cast<const char *>(V.mv_data), V.mv_size};
}

MDB_val mdbVal(std::string_view S) {
  return MDB_val{S.size(), const_cast<char *>(S.data())};
}

/// LMDB's text for its own codes, the OS's for the rest. Never
/// mdb_strerror() for a Win32 code: LMDB reports Win32 failures as
/// GetLastError() values and formats those into a stack buffer that it
/// returns (GCC at -O2 turns that into NULL), with FormatMessage's CRLF.
std::string lmdbErrorText(int Rc) {
  if (Rc == MDB_SUCCESS || (Rc >= MDB_KEYEXIST && Rc <= MDB_LAST_ERRCODE))
    return mdb_strerror(Rc);
#ifdef _WIN32
  // The C-runtime codes LMDB uses on Windows as well (see mdb_strerror()).
  if (Rc == ENOMEM || Rc == EINVAL)
    return std::strerror(Rc);
#endif
  return systemErrorText(Rc);
}

Status fromMdb(int Rc, const std::string &Path, const std::string &What) {
  std::string Msg = What + " (index at '" + Path + "'): " + lmdbErrorText(Rc);
  switch (Rc) {
  case MDB_SUCCESS:
    return Status::ok();
  case MDB_NOTFOUND:
    return Status::notFound(Msg);
  case MDB_CORRUPTED:
  case MDB_PAGE_NOTFOUND:
  case MDB_INVALID:
  case MDB_BAD_DBI:
  case MDB_INCOMPATIBLE:
    return Status::corruption(Msg + "; " + rebuildHint());
  case MDB_VERSION_MISMATCH:
    return Status::incompatible(Msg + "; " + rebuildHint());
  case MDB_BAD_VALSIZE:
    return Status::invalidArgument(Msg);
  case EINVAL:
    return Status::invalidArgument(Msg);
  default:
    return Status::ioError(Msg);
  }
}

/// Lets many read transactions run unless a map resize (or the commit-time
/// compaction) needs them all closed. Tracks readers per thread so that a
/// thread that holds an iterator and writes gets an error instead of waiting
/// for itself.
class ReaderGate {
public:
  void enter() {
    std::unique_lock Lock(M);
    Cv.wait(Lock, [&] { return !Closed; });
    ++Active;
    ++PerThread[std::this_thread::get_id()];
  }

  void leave(std::thread::id Owner) {
    std::lock_guard Lock(M);
    --Active;
    auto It = PerThread.find(Owner);
    if (It != PerThread.end() && --It->second == 0)
      PerThread.erase(It);
    Cv.notify_all();
  }

  /// Closes the gate and waits until no reader is active. On failure the
  /// gate stays open and *Why says why.
  bool close(std::chrono::milliseconds Timeout, std::string *Why) {
    std::unique_lock Lock(M);
    auto Self = PerThread.find(std::this_thread::get_id());
    if (Self != PerThread.end() && Self->second > 0) {
      *Why = "this thread still holds " + std::to_string(Self->second) +
             " open iterator(s); destroy them before writing";
      return false;
    }
    Cv.wait(Lock, [&] { return !Closed; });
    Closed = true;
    WaitingSince = Clock::now();
    Waiting = true;
    bool Ok = Cv.wait_for(Lock, Timeout, [&] { return Active == 0; });
    Waiting = false;
    uint64_t Waited = millisSince(WaitingSince);
    WaitedMillis += Waited;
    LongestWaitMillis = std::max(LongestWaitMillis, Waited);
    if (!Ok) {
      Closed = false;
      Cv.notify_all();
      *Why = std::to_string(Active) + " read transaction(s) stayed open for " +
             std::to_string(Timeout.count() / 1000) + " s";
      return false;
    }
    return true;
  }

  void open() {
    std::lock_guard Lock(M);
    Closed = false;
    Cv.notify_all();
  }

  /// Time resizes and compactions spent waiting for readers (stall time).
  void waitTotals(uint64_t *Total, uint64_t *Longest) const {
    std::lock_guard Lock(M);
    *Total = WaitedMillis;
    *Longest = LongestWaitMillis;
  }

  /// A resize waiting for readers, as a stall.
  EngineStall waiting() const {
    std::lock_guard Lock(M);
    EngineStall S;
    if (Waiting) {
      S.Active = true;
      S.Millis = millisSince(WaitingSince);
      S.Reason = "lmdb: waiting for " + std::to_string(Active) +
                 " open read transaction(s) to finish before growing the map";
    }
    return S;
  }

private:
  mutable std::mutex M;
  std::condition_variable Cv;
  int Active = 0;
  bool Closed = false;
  bool Waiting = false;
  Clock::time_point WaitingSince;
  uint64_t WaitedMillis = 0, LongestWaitMillis = 0;
  std::unordered_map<std::thread::id, int> PerThread;
};

/// One LMDB environment per generation directory and process. LMDB forbids
/// opening one file twice in a process (closing either handle drops the
/// other's POSIX locks, and the second open re-initialises the shared lock
/// table), so every store of this process on a generation shares one.
class SharedEnv : public std::enable_shared_from_this<SharedEnv> {
public:
  using Id = FileId;

  /// Returns the environment of GenDir, opening it if this process has none.
  static Status acquire(const std::string &GenDir, const std::string &Root,
                        OpenMode Mode, bool Fresh, uint64_t InitialMapBytes,
                        unsigned Flags, std::shared_ptr<SharedEnv> *Out);

  MDB_dbi dbi(Table T) const { return Dbis[static_cast<size_t>(T)]; }
  const std::string &root() const { return Root; }

  /// Enters the reader gate and hands out a read transaction.
  Status beginRead(MDB_txn **Txn);
  /// Returns a read transaction from beginRead() (Owner: the thread that
  /// began it).
  void endRead(MDB_txn *Txn, std::thread::id Owner);

  /// Runs one write transaction over Ops in Order, growing the map and
  /// replaying on MDB_MAP_FULL. Serialised: LMDB has one writer. A
  /// transaction that had to grow the file is followed by an empty one
  /// (see commitEmptyTxn()) when ReuseFreedPages is set.
  Status write(const WriteBatch &Batch, const std::vector<uint32_t> &Order,
               std::atomic<uint64_t> &MapResizes, bool ReuseFreedPages);
  /// Loads everything Runs holds, in key order, with appends where the key
  /// sorts after the table's last key, in transactions of ChunkRecords;
  /// sizes the map up front and grows it on MDB_MAP_FULL (replaying the
  /// current transaction).
  Status load(SortedRuns &Runs, const LmdbTuning &Tuning,
              std::atomic<uint64_t> &MapResizes);
  /// Flushes everything to disk.
  Status sync();
  /// Replaces data.mdb by a compacted copy (MDB_CP_COMPACT) and reopens it.
  /// Needs every read transaction of this process closed.
  Status compactAndReopen();
  /// Pages the last committed transaction uses (up to the highest page
  /// number, so the file's size without a preallocated tail) and how many
  /// of them are free (in LMDB's free list, to be reused by later writes).
  Status pageUse(uint64_t *UsedPages, uint64_t *FreePages, uint64_t *PageSize);
  /// Writes a compacted copy (MDB_CP_COMPACT) into NewGenDir, an empty
  /// directory, while reads go on; then, with the environment closed (which
  /// needs every read transaction of this process closed: it waits for
  /// other threads' iterators for CompactReaderTimeout), runs Publish, which
  /// makes NewGenDir the live generation and returns the directory live
  /// afterwards, and reopens the environment there. *Switched: it now
  /// serves NewGenDir. Not switched: the environment is as it was (or
  /// closed, if it could not be reopened: see closed()).
  using PublishFn = std::function<Status(std::string *LiveGenDir)>;
  Status compactInto(const std::string &NewGenDir, const PublishFn &Publish,
                     bool *Switched);
  bool closed() const { return Env == nullptr; }

  /// Without MDB_WRITEMAP: lets the OS drop this process's resident pages
  /// of the map between Lo and Hi (pointers into the map; the pages stay in
  /// the page cache). A whole-table scan calls it as it goes, so its
  /// resident set does not grow with the file.
  void dropResidentPages(const char *Lo, const char *Hi);

  EngineStall waiting() const { return Gate.waiting(); }
  void waitTotals(uint64_t *Total, uint64_t *Longest) const {
    Gate.waitTotals(Total, Longest);
  }

  SharedEnv(const SharedEnv &) = delete;
  SharedEnv &operator=(const SharedEnv &) = delete;
  ~SharedEnv();

private:
  SharedEnv(std::string GenDir, std::string Root, uint64_t InitialMapBytes,
            Id Key)
      : GenDir(std::move(GenDir)), Root(std::move(Root)),
        InitialMapBytes(InitialMapBytes), Key(Key) {}

  /// Opens the environment; MapIsFile sizes the map to the file (after
  /// commit(), so that Windows does not extend the compacted file).
  Status openEnv(bool Fresh, OpenMode Mode, unsigned Flags,
                 bool MapIsFile = false);
  /// What a failed mdb_env_open() of this generation means.
  Status openFailure(int Rc, bool Fresh) const;
  /// Fails with Corruption if committed pages lie beyond the file's end.
  Status checkPagesInFile(uint64_t File);
  void closeEnv();
  Status applyOnce(const WriteBatch &Batch, const std::vector<uint32_t> &Order,
                   int *MdbRc);
  /// Commits a transaction that changes no data (a reserved Meta key put
  /// and deleted again) but takes a transaction id. LMDB lets a write reuse
  /// the pages freed by transactions at least two ids older only; without
  /// it, the write after a large one could not reuse what that one freed
  /// and would grow the file by as much again.
  int commitEmptyTxn();
  /// The highest page number in use (the file's extent in pages).
  uint64_t lastPage() const {
    MDB_envinfo Info;
    mdb_env_info(Env, &Info);
    return static_cast<uint64_t>(Info.me_last_pgno);
  }
  Status growMap(uint64_t AtLeast);
  uint64_t fileBytes() const {
    std::error_code Ec;
    auto N = fs::file_size(toFsPath(GenDir + "/data.mdb"), Ec);
    return Ec ? 0 : static_cast<uint64_t>(N);
  }

  std::string GenDir;
  std::string Root;
  uint64_t InitialMapBytes;
  Id Key;
  MDB_env *Env = nullptr;
  bool EnvReadOnly = false;
  MDB_dbi Dbis[NumTables] = {};
  uint64_t MapBytes = 0;
  std::mutex WriteMutex;
  ReaderGate Gate;
  std::mutex PoolMutex;
  std::vector<MDB_txn *> TxnPool;

  static std::mutex RegistryMutex;
  static std::condition_variable RegistryCv;
  static std::map<Id, std::weak_ptr<SharedEnv>> Registry;
};

std::mutex SharedEnv::RegistryMutex;
std::condition_variable SharedEnv::RegistryCv;
std::map<SharedEnv::Id, std::weak_ptr<SharedEnv>> SharedEnv::Registry;

Status SharedEnv::acquire(const std::string &GenDir, const std::string &Root,
                          OpenMode Mode, bool Fresh, uint64_t InitialMapBytes,
                          unsigned Flags, std::shared_ptr<SharedEnv> *Out) {
  Id Key;
  if (Status S = fileId(GenDir, &Key); !S)
    return S;
  std::unique_lock Lock(RegistryMutex);
  for (;;) {
    auto It = Registry.find(Key);
    if (It == Registry.end())
      break;
    if (std::shared_ptr<SharedEnv> Existing = It->second.lock()) {
      if (Mode != OpenMode::ReadOnly) {
        if (Existing->EnvReadOnly)
          return Status::busy("index at '" + Root +
                              "' is open read-only in this process on "
                              "read-only files; it cannot be written");
        if (Mode == OpenMode::Update) {
          mdb_env_set_flags(Existing->Env, MDB_NOSYNC, 0);
          mdb_env_set_flags(Existing->Env, MDB_NOMETASYNC, 1);
        }
      }
      *Out = std::move(Existing);
      return Status::ok();
    }
    // The last user is closing it right now; wait until it is gone.
    RegistryCv.wait(Lock);
  }
  // The deleter closes the environment and unregisters it under the
  // registry lock, so no second environment on the file can appear before
  // the first is closed.
  std::shared_ptr<SharedEnv> E(
      new SharedEnv(GenDir, Root, InitialMapBytes, Key), [](SharedEnv *P) {
        {
          std::lock_guard L(RegistryMutex);
          P->closeEnv();
          auto It = Registry.find(P->Key);
          if (It != Registry.end() && It->second.expired())
            Registry.erase(It);
          RegistryCv.notify_all();
        }
        delete P;
      });
  if (Status S = E->openEnv(Fresh, Mode, Flags); !S) {
    Lock.unlock(); // the deleter takes it
    return S;
  }
  Registry[Key] = E;
  *Out = std::move(E);
  return Status::ok();
}

SharedEnv::~SharedEnv() { closeEnv(); }

/// Runs Open (an mdb_env_open()) again while another program holds a file
/// without sharing it (Windows: a scanner or backup tool, for a moment).
template <typename OpenFn> int retryWhileShared(OpenFn Open) {
  constexpr int Attempts = 40;
  int Rc = Open();
  for (int I = 1; I < Attempts && isSharingViolation(Rc); ++I) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    Rc = Open();
  }
  return Rc;
}

Status SharedEnv::openFailure(int Rc, bool Fresh) const {
  std::string Why = lmdbErrorText(Rc);
  if (isSharingViolation(Rc))
    return Status::busy("index at '" + Root +
                        "' is in use by another program, which holds its "
                        "files open without sharing them (" +
                        Why +
                        "); retry when it is done (backup tools, editors "
                        "and virus scanners do this)");
  // Only LMDB's own findings are evidence of damage; a failure of the
  // system (memory, permissions, locks, disk) leaves a good index that a
  // later run can open, so it must never lead to a rebuild.
  if (isAccessDenied(Rc) || Rc == EROFS)
    return Status::ioError("cannot open the index at '" + Root + "' (" + Why +
                           "); the index is unchanged: check that this user "
                           "may write its directory and files (" +
                           GenDir +
                           ") and that its file system is not read-only");
  if (Rc == ENOMEM)
    return Status::ioError("cannot open the index at '" + Root + "' (" + Why +
                           ": cannot map its file); the index is unchanged: "
                           "raise the address-space limit "
                           "(ulimit -v) or free memory, then run again");
  if (Rc == EAGAIN || Rc == EBUSY)
    return Status::busy("cannot open the index at '" + Root + "' (" + Why +
                        "); the index is unchanged: retry later");
  if (Rc == ENOSPC)
    return Status::ioError("cannot open the index at '" + Root + "' (" + Why +
                           "); the index is unchanged: free disk space, then "
                           "run again");
  if (!Fresh &&
      (Rc == MDB_INVALID || Rc == MDB_CORRUPTED || Rc == MDB_PAGE_NOTFOUND))
    return Status::corruption("index at '" + Root +
                              "' is damaged: LMDB cannot open it (" + Why +
                              "); " + rebuildHint());
  return fromMdb(Rc, Root, "cannot open LMDB environment");
}

Status SharedEnv::checkPagesInFile(uint64_t File) {
  // LMDB trusts page numbers blindly: a file cut short would fault on
  // access. The check opens read-only and without the lock file: a writable
  // open on Windows first sets the file's size to the map size, filling a
  // cut-off end with zeros and hiding the damage from every later check.
  MDB_env *Probe = nullptr;
  int Rc = mdb_env_create(&Probe);
  if (Rc)
    return fromMdb(Rc, Root, "cannot create an LMDB environment");
  mdb_env_set_mapsize(Probe, File);
  Rc = retryWhileShared([&] {
    return mdb_env_open(Probe, GenDir.c_str(),
                        MDB_RDONLY | MDB_NOLOCK | MDB_NOTLS, 0644);
  });
  if (Rc) {
    mdb_env_close(Probe);
    return openFailure(Rc, /*Fresh=*/false);
  }
  MDB_envinfo Info;
  MDB_stat Stat;
  mdb_env_info(Probe, &Info);
  mdb_env_stat(Probe, &Stat);
  mdb_env_close(Probe);
  uint64_t Needed =
      (static_cast<uint64_t>(Info.me_last_pgno) + 1) * Stat.ms_psize;
  // A writer of another process may have grown the file since it was
  // measured; LMDB writes pages before the meta page that names them.
  if (Needed > File)
    File = std::max(File, fileBytes());
  if (Needed > File)
    return Status::corruption(
        "index at '" + Root + "' is damaged: " + "data.mdb holds " +
        std::to_string(File) + " bytes but its pages reach " +
        std::to_string(Needed) + "; " + rebuildHint());
  return Status::ok();
}

Status SharedEnv::openEnv(bool Fresh, OpenMode Mode, unsigned Flags,
                          bool MapIsFile) {
  std::string DataFile = GenDir + "/data.mdb";
  uint64_t File = fileBytes();
  if (!Fresh)
    if (Status S = checkEngineOfGeneration(Root, GenDir, "lmdb"); !S)
      return S;
  if (!Fresh && File == 0)
    return Status::corruption("index at '" + Root +
                              "' is damaged: " + DataFile +
                              " is missing or empty; " + rebuildHint());
  if (!Fresh)
    if (Status S = checkPagesInFile(File); !S)
      return S;
  // Always configure the map size: LMDB would otherwise adopt the size
  // recorded in the file. On Windows a writable open sets the file's size
  // to the map size, so readers and a committed index map just the file.
  uint64_t Page = pageSize();
  if (Mode == OpenMode::ReadOnly || MapIsFile)
    MapBytes = std::max<uint64_t>(File, Page * 4);
  else
    MapBytes = std::max<uint64_t>(InitialMapBytes, File + File / 2);
  MapBytes = (MapBytes + Page - 1) / Page * Page;

  // Readers open read-write when they may, so that a writer of this process
  // can share the environment later (see acquire()).
  EnvReadOnly = Mode == OpenMode::ReadOnly && !isWritable(DataFile);
  if (EnvReadOnly)
    Flags |= MDB_RDONLY;
  int Rc = retryWhileShared([&] {
    closeEnv(); // a failed mdb_env_open() leaves the handle unusable
    int R = mdb_env_create(&Env);
    if (R) {
      Env = nullptr;
      return R;
    }
    mdb_env_set_maxdbs(Env, NumTables + 4);
    mdb_env_set_maxreaders(Env, 1024);
    mdb_env_set_mapsize(Env, MapBytes);
    return mdb_env_open(Env, GenDir.c_str(), Flags, 0644);
  });
  if (Rc) {
    closeEnv();
    return openFailure(Rc, Fresh);
  }
  if (mdb_env_get_maxkeysize(Env) < static_cast<int>(KeyLimit))
    return Status::notSupported("this LMDB build limits keys to " +
                                std::to_string(mdb_env_get_maxkeysize(Env)) +
                                " bytes; CodeIndex needs at least 511");

  MDB_txn *Txn = nullptr;
  Rc = mdb_txn_begin(Env, nullptr, Fresh ? 0 : MDB_RDONLY, &Txn);
  if (Rc)
    return fromMdb(Rc, Root, "cannot begin a transaction");
  for (int I = 0; I < NumTables; ++I) {
    std::string Name(tableName(static_cast<Table>(I)));
    Rc = mdb_dbi_open(Txn, Name.c_str(), Fresh ? MDB_CREATE : 0, &Dbis[I]);
    if (Rc) {
      mdb_txn_abort(Txn);
      // Tables are opened in the order of the enum, which only grows at
      // its end: a later table missing after the earlier ones opened is an
      // index of an older version, not damage.
      if (Rc == MDB_NOTFOUND && I > 0)
        return Status::incompatible(
            "the index at '" + Root + "' has no table '" + Name +
            "': it was written by an older code-indexer; " + rebuildHint());
      if (Rc == MDB_NOTFOUND || Rc == MDB_INCOMPATIBLE)
        return Status::corruption("index at '" + Root +
                                  "' is damaged: table '" + Name +
                                  "' is missing or unreadable (" +
                                  lmdbErrorText(Rc) + "); " + rebuildHint());
      return fromMdb(Rc, Root, "cannot open table '" + Name + "'");
    }
  }
  Rc = mdb_txn_commit(Txn);
  if (Rc)
    return fromMdb(Rc, Root, "cannot open the tables");
  return Status::ok();
}

void SharedEnv::closeEnv() {
  if (!Env)
    return;
  {
    std::lock_guard Lock(PoolMutex);
    for (MDB_txn *T : TxnPool)
      mdb_txn_abort(T);
    TxnPool.clear();
  }
  mdb_env_close(Env);
  Env = nullptr;
}

Status SharedEnv::beginRead(MDB_txn **Out) {
  Gate.enter();
  if (!Env) {
    Gate.leave(std::this_thread::get_id());
    return Status::ioError("the store at '" + Root + "' is closed");
  }
  MDB_txn *Txn = nullptr;
  {
    std::lock_guard Lock(PoolMutex);
    if (!TxnPool.empty()) {
      Txn = TxnPool.back();
      TxnPool.pop_back();
    }
  }
  for (int Attempt = 0; Attempt < 3; ++Attempt) {
    int Rc = Txn ? mdb_txn_renew(Txn)
                 : mdb_txn_begin(Env, nullptr, MDB_RDONLY, &Txn);
    if (Rc == MDB_SUCCESS) {
      *Out = Txn;
      return Status::ok();
    }
    if (Txn) {
      mdb_txn_abort(Txn);
      Txn = nullptr;
    }
    Gate.leave(std::this_thread::get_id());
    if (Rc != MDB_MAP_RESIZED)
      return fromMdb(Rc, Root, "cannot begin a read transaction");
    // Another process grew the file beyond our map: adopt its size, which
    // needs every read transaction of this process closed.
    std::string Why;
    if (!Gate.close(ResizeReaderTimeout, &Why))
      return Status::ioError("cannot adopt the LMDB map size of '" + Root +
                             "': " + Why);
    Rc = mdb_env_set_mapsize(Env, 0);
    Gate.open();
    if (Rc)
      return fromMdb(Rc, Root, "cannot adopt the map size");
    Gate.enter();
  }
  Gate.leave(std::this_thread::get_id());
  return Status::ioError("cannot begin a read transaction on '" + Root +
                         "': the map keeps growing");
}

void SharedEnv::endRead(MDB_txn *Txn, std::thread::id Owner) {
  mdb_txn_reset(Txn);
  {
    std::lock_guard Lock(PoolMutex);
    TxnPool.push_back(Txn);
  }
  Gate.leave(Owner);
}

Status SharedEnv::growMap(uint64_t AtLeast) {
  std::string Why;
  if (!Gate.close(ResizeReaderTimeout, &Why))
    return Status::ioError("the LMDB map of '" + Root +
                           "' is full and cannot grow: " + Why);
  // Grow geometrically (fewer replays) but by at most 2 GiB a step, which
  // matters on Windows where the map is allocated in full.
  uint64_t Step = std::clamp<uint64_t>(MapBytes, 64ull << 20, 2ull << 30);
  uint64_t Page = pageSize();
  uint64_t New = MapBytes + std::max(Step, AtLeast);
  New = (New + Page - 1) / Page * Page;
  int Rc = mdb_env_set_mapsize(Env, New);
  Gate.open();
  if (Rc)
    return fromMdb(Rc, Root, "cannot grow the LMDB map");
  MapBytes = New;
  return Status::ok();
}

Status SharedEnv::applyOnce(const WriteBatch &Batch,
                            const std::vector<uint32_t> &Order, int *MdbRc) {
  *MdbRc = MDB_SUCCESS;
  MDB_txn *Txn = nullptr;
  int Rc = mdb_txn_begin(Env, nullptr, 0, &Txn);
  if (Rc) {
    *MdbRc = Rc;
    return fromMdb(Rc, Root, "cannot begin a write transaction");
  }
  std::string KeyBuf;
  const auto &Ops = Batch.ops();
  for (uint32_t I : Order) {
    const WriteBatch::Op &O = Ops[I];
    MDB_val K = mdbVal(storedKey(O.Key, KeyBuf));
    MDB_dbi D = dbi(O.T);
    if (O.IsDelete) {
      Rc = mdb_del(Txn, D, &K, nullptr);
      if (Rc == MDB_NOTFOUND)
        Rc = MDB_SUCCESS;
    } else if (!isLongKey(O.Key)) {
      MDB_val V = mdbVal(O.Value);
      Rc = mdb_put(Txn, D, &K, &V, 0);
    } else {
      std::string_view Tail = std::string_view(O.Key).substr(TruncatedLength);
      MDB_val V{coding::varintLength(Tail.size()) + Tail.size() +
                    O.Value.size(),
                nullptr};
      Rc = mdb_put(Txn, D, &K, &V, MDB_RESERVE);
      if (Rc == MDB_SUCCESS) {
        char *P =
            coding::encodeVarint(static_cast<char *>(V.mv_data), Tail.size());
        std::memcpy(P, Tail.data(), Tail.size());
        if (!O.Value.empty())
          std::memcpy(P + Tail.size(), O.Value.data(), O.Value.size());
      }
    }
    if (Rc) {
      mdb_txn_abort(Txn);
      *MdbRc = Rc;
      return fromMdb(Rc, Root, "write failed");
    }
  }
  Rc = mdb_txn_commit(Txn);
  if (Rc) {
    *MdbRc = Rc;
    return fromMdb(Rc, Root, "commit of a write failed");
  }
  return Status::ok();
}

int SharedEnv::commitEmptyTxn() {
  static constexpr std::string_view Key = "storage_lmdb_txn";
  MDB_txn *Txn = nullptr;
  int Rc = mdb_txn_begin(Env, nullptr, 0, &Txn);
  if (Rc)
    return Rc;
  MDB_val K = mdbVal(Key), V{0, nullptr};
  Rc = mdb_put(Txn, dbi(Table::Meta), &K, &V, 0);
  if (Rc == MDB_SUCCESS)
    Rc = mdb_del(Txn, dbi(Table::Meta), &K, nullptr);
  if (Rc) {
    mdb_txn_abort(Txn);
    return Rc;
  }
  return mdb_txn_commit(Txn);
}

Status SharedEnv::write(const WriteBatch &Batch,
                        const std::vector<uint32_t> &Order,
                        std::atomic<uint64_t> &MapResizes,
                        bool ReuseFreedPages) {
  std::lock_guard Lock(WriteMutex);
  if (!Env)
    return Status::ioError("the store at '" + Root + "' is closed");
  for (int Attempt = 0;; ++Attempt) {
    int Rc = MDB_SUCCESS;
    uint64_t LastBefore = lastPage();
    Status S = applyOnce(Batch, Order, &Rc);
    if (S) {
      // Best effort: a failure (a full map) only loses the reuse.
      if (ReuseFreedPages && lastPage() > LastBefore)
        (void)commitEmptyTxn();
      return S;
    }
    if (Rc != MDB_MAP_FULL || Attempt >= 32)
      return S;
    // Room for the whole batch several times over: B-tree pages are half
    // full after splits, and replaced pages stay until the commit.
    if (Status G = growMap(Batch.byteSize() * 4 + (Batch.count() << 6)); !G)
      return G;
    MapResizes.fetch_add(1, std::memory_order_relaxed);
  }
}

Status SharedEnv::load(SortedRuns &Runs, const LmdbTuning &Tuning,
                       std::atomic<uint64_t> &MapResizes) {
  std::lock_guard Lock(WriteMutex);
  if (!Env)
    return Status::ioError("the store at '" + Root + "' is closed");
  // Sorted appends fill pages completely; leave room for node headers and
  // branch pages, so that the load normally needs no resize at all.
  MDB_envinfo Info;
  MDB_stat Stat;
  mdb_env_info(Env, &Info);
  mdb_env_stat(Env, &Stat);
  uint64_t Used =
      (static_cast<uint64_t>(Info.me_last_pgno) + 1) * Stat.ms_psize;
  uint64_t Need =
      Used + Runs.pendingBytes() / 4 * 5 + Runs.pendingOps() * 16 + (16u << 20);
  if (Tuning.PresizeForLoad && Need > MapBytes) {
    if (Status S = growMap(Need - MapBytes); !S)
      return S;
    MapResizes.fetch_add(1, std::memory_order_relaxed);
  }

  // Merging the runs and writing LMDB take about as long as each other, so
  // they run in two threads: this one owns the write transaction (LMDB
  // transactions belong to one thread), a BlockStream merges.
  BlockStream Stream(Runs);

  MDB_txn *Txn = nullptr;
  MDB_cursor *Cursors[NumTables] = {};
  std::string KeyBuf;
  // Blocks applied in the current transaction, kept for a replay.
  std::vector<std::unique_ptr<RecordBlock>> InTxn;
  size_t TxnRecords = 0;

  auto Begin = [&]() -> int {
    std::fill(std::begin(Cursors), std::end(Cursors), nullptr);
    return mdb_txn_begin(Env, nullptr, 0, &Txn);
  };
  auto Abort = [&] {
    if (Txn)
      mdb_txn_abort(Txn);
    Txn = nullptr;
  };
  auto Apply = [&](Table T, std::string_view K, std::string_view V,
                   bool IsDelete) -> int {
    MDB_val Key = mdbVal(storedKey(K, KeyBuf));
    MDB_dbi D = dbi(T);
    if (IsDelete) {
      int Rc = mdb_del(Txn, D, &Key, nullptr);
      return Rc == MDB_NOTFOUND ? MDB_SUCCESS : Rc;
    }
    MDB_cursor *&C = Cursors[static_cast<size_t>(T)];
    if (!C)
      if (int Rc = mdb_cursor_open(Txn, D, &C))
        return Rc;
    if (!isLongKey(K)) {
      MDB_val Val = mdbVal(V);
      int Rc = mdb_cursor_put(C, &Key, &Val, MDB_APPEND);
      if (Rc == MDB_KEYEXIST) // not after the last key: a normal insert
        Rc = mdb_cursor_put(C, &Key, &Val, 0);
      return Rc;
    }
    std::string_view Tail = K.substr(TruncatedLength);
    MDB_val Val{coding::varintLength(Tail.size()) + Tail.size() + V.size(),
                nullptr};
    int Rc = mdb_cursor_put(C, &Key, &Val, MDB_APPEND | MDB_RESERVE);
    if (Rc == MDB_KEYEXIST)
      Rc = mdb_cursor_put(C, &Key, &Val, MDB_RESERVE);
    if (Rc == MDB_SUCCESS) {
      char *P =
          coding::encodeVarint(static_cast<char *>(Val.mv_data), Tail.size());
      std::memcpy(P, Tail.data(), Tail.size());
      if (!V.empty())
        std::memcpy(P + Tail.size(), V.data(), V.size());
    }
    return Rc;
  };
  // Applies records [0, Upto) of every block in InTxn (all of them for all
  // but the last block).
  auto ApplyBlocks = [&](size_t LastUpto) -> int {
    for (size_t BI = 0; BI < InTxn.size(); ++BI) {
      const RecordBlock &B = *InTxn[BI];
      size_t N = BI + 1 == InTxn.size() ? LastUpto : B.Recs.size();
      for (size_t I = 0; I < N; ++I)
        if (int Rc = Apply(B.Recs[I].T, B.key(B.Recs[I]), B.value(B.Recs[I]),
                           B.Recs[I].IsDelete))
          return Rc;
    }
    return MDB_SUCCESS;
  };
  // MDB_MAP_FULL: abort, grow the map, replay the transaction so far.
  auto Recover = [&](size_t LastUpto) -> Status {
    for (int Attempt = 0; Attempt < 32; ++Attempt) {
      Abort();
      uint64_t Bytes = 0;
      for (const auto &B : InTxn)
        Bytes += B->Arena.size();
      if (Status S = growMap(Bytes * 2 + (TxnRecords << 6)); !S)
        return S;
      MapResizes.fetch_add(1, std::memory_order_relaxed);
      int Rc = Begin();
      if (Rc == MDB_SUCCESS)
        Rc = ApplyBlocks(LastUpto);
      if (Rc == MDB_SUCCESS)
        return Status::ok();
      if (Rc != MDB_MAP_FULL) {
        Abort();
        return fromMdb(Rc, Root, "bulk load failed");
      }
    }
    Abort();
    return Status::ioError("the LMDB map of '" + Root + "' keeps overflowing");
  };
  auto Commit = [&]() -> Status {
    for (;;) {
      int Rc = mdb_txn_commit(Txn);
      Txn = nullptr;
      if (Rc == MDB_SUCCESS)
        break;
      if (Rc != MDB_MAP_FULL)
        return fromMdb(Rc, Root, "bulk load commit failed");
      if (Status S = Recover(InTxn.empty() ? 0 : InTxn.back()->Recs.size()); !S)
        return S;
    }
    for (auto &B : InTxn)
      Stream.recycle(std::move(B));
    InTxn.clear();
    TxnRecords = 0;
    return Status::ok();
  };

  Status Result;
  while (Result) {
    std::unique_ptr<RecordBlock> Block = Stream.next();
    if (!Block)
      break;
    if (!Txn)
      if (int Rc = Begin()) {
        Result = fromMdb(Rc, Root, "cannot begin a write transaction");
        break;
      }
    InTxn.push_back(std::move(Block));
    const RecordBlock &B = *InTxn.back();
    for (size_t I = 0; I < B.Recs.size() && Result; ++I) {
      int Rc = Apply(B.Recs[I].T, B.key(B.Recs[I]), B.value(B.Recs[I]),
                     B.Recs[I].IsDelete);
      if (Rc == MDB_MAP_FULL)
        Result = Recover(I + 1); // replays this record too
      else if (Rc)
        Result = fromMdb(Rc, Root, "bulk load failed");
    }
    TxnRecords += B.Recs.size();
    if (Result && TxnRecords >= Tuning.LoadChunkRecords)
      Result = Commit();
  }
  if (Result && Txn)
    Result = Commit();
  Abort();
  Status Merged = Stream.finish();
  return Result ? Merged : Result;
}

Status SharedEnv::sync() {
  std::lock_guard Lock(WriteMutex);
  if (!Env)
    return Status::ioError("the store at '" + Root + "' is closed");
  return fromMdb(mdb_env_sync(Env, 1), Root, "cannot sync");
}

Status SharedEnv::compactAndReopen() {
  std::lock_guard Lock(WriteMutex);
  if (!Env)
    return Status::ioError("the store at '" + Root + "' is closed");
  std::string Why;
  if (!Gate.close(ResizeReaderTimeout, &Why))
    return Status::ioError("cannot compact '" + Root + "': " + Why);
  struct Reopen {
    ReaderGate &G;
    ~Reopen() { G.open(); }
  } GateGuard{Gate};

  std::string Tmp = GenDir + "/compact.tmp";
  fs::path TmpPath = toFsPath(Tmp);
  std::error_code Ec;
  fs::remove_all(TmpPath, Ec);
  if (!fs::create_directory(TmpPath, Ec))
    return Status::ioError("cannot create '" + Tmp + "': " + Ec.message());
  if (int Rc = mdb_env_sync(Env, 1))
    return fromMdb(Rc, Root, "cannot sync");
  if (int Rc = mdb_env_copy2(Env, Tmp.c_str(), MDB_CP_COMPACT))
    return fromMdb(Rc, Root, "cannot write a compacted copy");
  if (Status S = syncPath(Tmp + "/data.mdb"); !S)
    return S;
  // Windows: closing unmaps and closes data.mdb, without which it could not
  // be replaced.
  closeEnv();
  if (Status S = replaceFile(Tmp + "/data.mdb", GenDir + "/data.mdb"); !S)
    return Status::ioError("cannot replace '" + GenDir +
                           "/data.mdb' by its compacted copy: " + S.message());
  fs::remove(toFsPath(GenDir + "/lock.mdb"), Ec);
  fs::remove_all(TmpPath, Ec);
  if (Status S = syncPath(GenDir); !S)
    return S;
  // Serve reads after commit() from the compacted file; no more writes, so
  // the map is the file (a larger one would grow the file on Windows).
  return openEnv(/*Fresh=*/false, OpenMode::Update,
                 lmdbEnvFlags(LmdbTuning(), OpenMode::Update),
                 /*MapIsFile=*/true);
}

Status SharedEnv::pageUse(uint64_t *UsedPages, uint64_t *FreePages,
                          uint64_t *PageSize) {
  MDB_txn *Txn = nullptr;
  if (Status S = beginRead(&Txn); !S)
    return S;
  MDB_envinfo Info;
  MDB_stat Stat;
  mdb_env_info(Env, &Info);
  mdb_env_stat(Env, &Stat);
  *UsedPages = static_cast<uint64_t>(Info.me_last_pgno) + 1;
  *PageSize = Stat.ms_psize;
  // The free list is database 0: one record per freeing transaction, whose
  // value is a list of page numbers led by its length (as mdb_stat -f reads
  // it).
  uint64_t Free = 0;
  MDB_cursor *C = nullptr;
  int Rc = mdb_cursor_open(Txn, 0, &C);
  MDB_val K, V;
  while (Rc == MDB_SUCCESS &&
         (Rc = mdb_cursor_get(C, &K, &V, MDB_NEXT)) == MDB_SUCCESS) {
    size_t Count = 0;
    if (V.mv_size < sizeof(Count)) {
      Rc = MDB_CORRUPTED;
      break;
    }
    std::memcpy(&Count, V.mv_data, sizeof(Count));
    Free += Count;
  }
  if (C)
    mdb_cursor_close(C);
  endRead(Txn, std::this_thread::get_id());
  if (Rc != MDB_NOTFOUND)
    return fromMdb(Rc, Root, "cannot read LMDB's free list");
  *FreePages = Free;
  return Status::ok();
}

Status SharedEnv::compactInto(const std::string &NewGenDir,
                              const PublishFn &Publish, bool *Switched) {
  *Switched = false;
  std::lock_guard Lock(WriteMutex);
  if (!Env)
    return Status::ioError("the store at '" + Root + "' is closed");
  Id NewKey;
  if (Status S = fileId(NewGenDir, &NewKey); !S)
    return S;
  // The copy reads one snapshot in a read transaction of its own, so
  // readers go on meanwhile; WriteMutex keeps writers out.
  if (int Rc = mdb_env_copy2(Env, NewGenDir.c_str(), MDB_CP_COMPACT))
    return fromMdb(Rc, Root, "cannot write a compacted copy");
  if (Status S = syncPath(NewGenDir + "/data.mdb"); !S)
    return S;
  std::string Why;
  if (!Gate.close(CompactReaderTimeout, &Why))
    return Status::busy("cannot switch '" + Root +
                        "' to its compacted copy: " + Why);
  struct Reopen {
    ReaderGate &G;
    ~Reopen() { G.open(); }
  } GateGuard{Gate};
  // Under the registry lock no other store of this process can open the
  // new generation (a second environment on one file) before this one
  // serves it.
  std::lock_guard RegistryLock(RegistryMutex);
  // Closed first: Windows cannot delete a mapped file, and publishing
  // deletes the old generation unless a reader pins it.
  closeEnv();
  std::string LiveDir;
  Status Published = Publish(&LiveDir);
  if (LiveDir == NewGenDir) {
    auto It = Registry.find(Key);
    if (It != Registry.end() && It->second.lock().get() == this)
      Registry.erase(It);
    Registry[NewKey] = weak_from_this();
    Key = NewKey;
    GenDir = NewGenDir;
    *Switched = true;
  }
  // No more writes after commit(): the map is the file, as after a
  // rebuild's compaction.
  Status Reopened =
      openEnv(/*Fresh=*/false, OpenMode::Update,
              lmdbEnvFlags(LmdbTuning(), OpenMode::Update), *Switched);
  if (!Reopened) {
    closeEnv();
    return Reopened;
  }
  return Published;
}

class LmdbIterator final : public Iterator {
public:
  /// DropPagesBytes: see LmdbTuning::ScanDropPagesBytes (scans of a whole
  /// table or of a one-byte prefix only).
  LmdbIterator(std::shared_ptr<SharedEnv> E, MDB_txn *Txn, MDB_dbi D,
               std::thread::id Owner, std::string_view Prefix,
               uint64_t DropPagesBytes);
  ~LmdbIterator() override;

  bool valid() const override { return Valid; }
  void next() override;
  std::string_view key() const override {
    return InGroup ? std::string_view(Group[GroupPos].first) : CurKey;
  }
  std::string_view value() const override {
    return InGroup ? std::string_view(Group[GroupPos].second) : CurValue;
  }
  Status status() const override { return St; }

private:
  /// Moves to the first visible entry at or after the cursor's position.
  void settle();
  /// Reads all entries sharing the current entry's first TruncatedLength
  /// bytes, with full keys, sorted; leaves the cursor after them.
  bool loadGroup();
  void fail(Status S) {
    St = std::move(S);
    Valid = false;
  }

  std::shared_ptr<SharedEnv> E; ///< keeps the environment open
  MDB_txn *Txn;
  MDB_cursor *Cursor = nullptr;
  std::thread::id Owner;
  std::string Prefix;
  std::string SeekKey;
  int Rc = MDB_NOTFOUND; ///< result of the last cursor move
  MDB_val RawKey{0, nullptr}, RawValue{0, nullptr};
  std::string_view CurKey, CurValue;
  bool Valid = false;
  bool InGroup = false;
  std::vector<std::pair<std::string, std::string>> Group;
  size_t GroupPos = 0;
  Status St;
  uint64_t DropPagesBytes;
  /// Bytes read by a whole-table scan since it last let the map's pages go,
  /// and the range of the map they came from.
  uint64_t ScannedBytes = 0;
  const char *ReadLo = nullptr, *ReadHi = nullptr;
};

class LmdbStore final : public Store {
public:
  LmdbStore(std::unique_ptr<IndexDir> Dir, const OpenOptions &Options,
            const LmdbTuning &Tuning)
      : Dir(std::move(Dir)), Mode(Options.Mode), Root(this->Dir->root()),
        Tuning(Tuning), InitialMapBytes(std::max<uint64_t>(
                            Options.LmdbInitialMapBytes, 1u << 20)) {}

  ~LmdbStore() override {
    Bulk.reset(); // removes its run files
    E.reset();    // closes the environment unless another store shares it
    if (Mode == OpenMode::Rebuild && !Committed.load())
      Dir->discard();
  }

  Status open();

  Status write(const WriteBatch &Batch) override;
  Status get(Table T, std::string_view Key, std::string *Value) override;
  std::unique_ptr<Iterator> scan(Table T, std::string_view Prefix) override;
  Status commit() override;

  std::string_view engine() const override { return "lmdb"; }
  const std::string &path() const override { return Root; }

  WriteStats stats() const override {
    WriteStats S;
    S.Batches = Batches.load();
    S.Records = Records.load();
    S.Bytes = Bytes.load();
    S.MapResizes = MapResizes.load();
    S.Compactions = Compactions.load();
    S.CompactionsSkipped = CompactionsSkipped.load();
    // Writes only stall while a resize waits for readers of the process.
    if (E)
      E->waitTotals(&S.StallMillis, &S.LongestStallMillis);
    return S;
  }

  EngineStall currentStall() const override {
    return E ? E->waiting() : EngineStall();
  }

private:
  std::unique_ptr<IndexDir> Dir;
  OpenMode Mode;
  std::string Root;
  /// Loads buffered Rebuild writes into LMDB (before reads and commit()).
  Status loadBulk();
  /// One write transaction for Batch.
  Status writeDirect(const WriteBatch &Batch);
  /// Update mode, after the sync of commit(): compacts into a new
  /// generation if the free pages call for it (see LmdbTuning). Fails only
  /// if the store cannot serve reads afterwards; the update is committed
  /// either way.
  Status compactUpdate();

  LmdbTuning Tuning;
  uint64_t InitialMapBytes;
  std::shared_ptr<SharedEnv> E;
  std::mutex BulkMutex;
  std::unique_ptr<SortedRuns> Bulk; ///< Rebuild mode: writes not yet loaded
  std::mutex CommitMutex;
  std::atomic<bool> Committed{false};
  std::atomic<uint64_t> Batches{0}, Records{0}, Bytes{0}, MapResizes{0};
  std::atomic<uint64_t> Compactions{0}, CompactionsSkipped{0};
};

Status LmdbStore::loadBulk() {
  std::lock_guard Lock(BulkMutex);
  if (!Bulk || Bulk->empty())
    return Status::ok();
  return E->load(*Bulk, Tuning, MapResizes);
}

Status LmdbStore::open() {
  if (Mode == OpenMode::Rebuild && Tuning.BulkRunBytes > 0)
    Bulk = std::make_unique<SortedRuns>(Dir->genDir() + "/bulk.tmp",
                                        Tuning.BulkRunBytes);
  if (Status S =
          SharedEnv::acquire(Dir->genDir(), Root, Mode, Dir->fresh(),
                             InitialMapBytes, lmdbEnvFlags(Tuning, Mode), &E);
      !S)
    return S;
  if (Dir->fresh()) {
    if (Status S = writeFormatMarker(*this); !S)
      return S;
    if (Mode == OpenMode::Update) {
      if (Status S = E->sync(); !S)
        return S;
      return Dir->publish();
    }
    return Status::ok();
  }
  return checkFormatMarker(*this, Root);
}

Status LmdbStore::get(Table T, std::string_view Key, std::string *Value) {
  if (Status S = loadBulk(); !S)
    return S;
  MDB_txn *Txn = nullptr;
  if (Status S = E->beginRead(&Txn); !S)
    return S;
  std::string Buf;
  MDB_val K = mdbVal(storedKey(Key, Buf)), V;
  int Rc = mdb_get(Txn, E->dbi(T), &K, &V);
  Status Result;
  if (Rc == MDB_NOTFOUND) {
    Result = Status::notFound("key not found in table '" +
                              std::string(tableName(T)) + "'");
  } else if (Rc) {
    Result = fromMdb(Rc, Root, "read failed");
  } else if (isLongKey(Key)) {
    std::string_view Tail, Val;
    if (!decodeLongValue(view(V), &Tail, &Val))
      Result = Status::corruption("index at '" + Root +
                                  "' is damaged: a long key's value does not "
                                  "decode; " +
                                  rebuildHint());
    else if (Tail != Key.substr(TruncatedLength))
      Result = Status::notFound("key not found in table '" +
                                std::string(tableName(T)) + "'");
    else
      Value->assign(Val);
  } else {
    Value->assign(view(V));
  }
  E->endRead(Txn, std::this_thread::get_id());
  return Result;
}

void SharedEnv::dropResidentPages(const char *Lo, const char *Hi) {
  // Without MDB_WRITEMAP the map is read-only: every page of it is a clean
  // page of the file. The caller's read transaction keeps the map in place
  // (a resize waits for readers). [Lo, Hi) lies inside the map, which is one
  // mapping (mdb_env_info() does not give its address).
  unsigned Flags = 0;
  if (!Env || !Lo || Hi <= Lo || mdb_env_get_flags(Env, &Flags) != 0 ||
      (Flags & MDB_WRITEMAP))
    return;
  uintptr_t Page = pageSize();
  uintptr_t Begin = reinterpret_cast<uintptr_t>(Lo) / Page * Page;
  uintptr_t End = (reinterpret_cast<uintptr_t>(Hi) + Page - 1) / Page * Page;
  detail::dropResidentPages(reinterpret_cast<void *>(Begin), End - Begin);
}

std::unique_ptr<Iterator> LmdbStore::scan(Table T, std::string_view Prefix) {
  if (Status S = loadBulk(); !S)
    return failedIterator(std::move(S));
  MDB_txn *Txn = nullptr;
  if (Status S = E->beginRead(&Txn); !S)
    return failedIterator(std::move(S));
  return std::make_unique<LmdbIterator>(E, Txn, E->dbi(T),
                                        std::this_thread::get_id(), Prefix,
                                        Tuning.ScanDropPagesBytes);
}

Status LmdbStore::write(const WriteBatch &Batch) {
  if (Status S = validateBatch(Batch); !S)
    return S;
  if (Mode == OpenMode::ReadOnly)
    return Status::invalidArgument("write to a read-only store at '" + Root +
                                   "'");
  if (Committed.load())
    return Status::invalidArgument("write after commit() to the store at '" +
                                   Root + "'");
  if (Batch.empty())
    return Status::ok();
  try {
    if (Bulk) {
      std::lock_guard Lock(BulkMutex);
      if (Status S = Bulk->add(Batch); !S)
        return S;
    } else if (Status S = writeDirect(Batch); !S) {
      return S;
    }
  } catch (const std::exception &Ex) {
    return Status::ioError("write failed (index at '" + Root +
                           "'): " + Ex.what());
  }
  Batches.fetch_add(1, std::memory_order_relaxed);
  Records.fetch_add(Batch.count(), std::memory_order_relaxed);
  Bytes.fetch_add(Batch.byteSize(), std::memory_order_relaxed);
  return Status::ok();
}

Status LmdbStore::writeDirect(const WriteBatch &Batch) {
  {
    // Apply in key order per table: B-tree inserts in order touch each page
    // once. A stable sort keeps several operations on one key in order.
    // Sorting happens before taking the write lock.
    const auto &Ops = Batch.ops();
    std::vector<uint32_t> Order(Ops.size());
    std::iota(Order.begin(), Order.end(), 0u);
    if (Tuning.SortWrites)
      std::stable_sort(Order.begin(), Order.end(), [&](uint32_t A, uint32_t B) {
        if (Ops[A].T != Ops[B].T)
          return Ops[A].T < Ops[B].T;
        return Ops[A].Key < Ops[B].Key;
      });
    return E->write(Batch, Order, MapResizes,
                    Mode == OpenMode::Update && Tuning.ReuseFreedPages);
  }
}

Status LmdbStore::compactUpdate() {
  uint64_t Used = 0, Free = 0, PageSize = 0;
  if (Status S = E->pageUse(&Used, &Free, &PageSize); !S) {
    CompactionsSkipped.fetch_add(1);
    return Status::ok();
  }
  if (Tuning.UpdateCompactFreeFraction > 1.0 ||
      Free * PageSize < Tuning.UpdateCompactMinFreeBytes ||
      static_cast<double>(Free) <
          Tuning.UpdateCompactFreeFraction * static_cast<double>(Used))
    return Status::ok();
  std::string NewGenDir;
  if (Status S = Dir->createSuccessor(&NewGenDir); !S) {
    CompactionsSkipped.fetch_add(1);
    return Status::ok();
  }
  bool Switched = false;
  Status S = E->compactInto(
      NewGenDir,
      [&](std::string *LiveGenDir) {
        Status P = Dir->publishSuccessor();
        *LiveGenDir = Dir->genDir();
        return P;
      },
      &Switched);
  if (!Switched)
    Dir->discardSuccessor();
  (Switched ? Compactions : CompactionsSkipped).fetch_add(1);
  if (!S && E->closed())
    return Status::ioError("the update of '" + Root +
                           "' is committed, but the store cannot read it "
                           "after compacting its file: " +
                           S.message());
  return Status::ok();
}

Status LmdbStore::commit() {
  std::lock_guard Lock(CommitMutex);
  if (Committed.load() || Mode == OpenMode::ReadOnly) {
    Committed.store(true);
    return Status::ok();
  }
  if (Mode == OpenMode::Update) {
    if (Status S = E->sync(); !S)
      return S;
    Committed.store(true);
    return compactUpdate();
  }
  if (Status S = loadBulk(); !S)
    return S;
  // Refuse writes from now on; undone if the commit fails.
  Committed.store(true);
  Status S = E->compactAndReopen();
  if (S)
    S = Dir->publish();
  if (!S)
    Committed.store(false);
  return S;
}

LmdbIterator::LmdbIterator(std::shared_ptr<SharedEnv> E, MDB_txn *Txn,
                           MDB_dbi D, std::thread::id Owner,
                           std::string_view Prefix, uint64_t DropPagesBytes)
    : E(std::move(E)), Txn(Txn), Owner(Owner), Prefix(Prefix),
      SeekKey(Prefix.substr(0, std::min(Prefix.size(), TruncatedLength))),
      // A share of a table by its first byte (`search`'s threads) is a
      // whole-table scan too.
      DropPagesBytes(Prefix.size() <= 1 ? DropPagesBytes : 0) {
  if (int R = mdb_cursor_open(Txn, D, &Cursor)) {
    Cursor = nullptr;
    fail(fromMdb(R, E->root(), "cannot open a cursor"));
    return;
  }
  if (SeekKey.empty()) {
    Rc = mdb_cursor_get(Cursor, &RawKey, &RawValue, MDB_FIRST);
  } else {
    RawKey = mdbVal(SeekKey);
    Rc = mdb_cursor_get(Cursor, &RawKey, &RawValue, MDB_SET_RANGE);
  }
  settle();
}

LmdbIterator::~LmdbIterator() {
  // What a share of a table read since the last drop (all of it, for a
  // share smaller than DropPagesBytes) goes too: 256 shares would
  // otherwise keep the whole table resident.
  if (DropPagesBytes && ReadLo)
    E->dropResidentPages(ReadLo, ReadHi);
  if (Cursor)
    mdb_cursor_close(Cursor);
  E->endRead(Txn, Owner);
}

void LmdbIterator::settle() {
  InGroup = false;
  for (;;) {
    if (Rc == MDB_NOTFOUND) {
      Valid = false;
      return;
    }
    if (Rc) {
      fail(fromMdb(Rc, E->root(), "scan failed"));
      return;
    }
    std::string_view K = view(RawKey);
    if (!startsWith(K, SeekKey)) {
      Valid = false;
      return;
    }
    if (K.size() >= TruncatedLength) {
      if (!loadGroup())
        return;
      while (GroupPos < Group.size() &&
             !startsWith(Group[GroupPos].first, Prefix))
        ++GroupPos;
      if (GroupPos < Group.size()) {
        InGroup = true;
        Valid = true;
        return;
      }
      continue; // the cursor already stands after the group
    }
    if (startsWith(K, Prefix)) {
      CurKey = K;
      CurValue = view(RawValue);
      Valid = true;
      return;
    }
    Rc = mdb_cursor_get(Cursor, &RawKey, &RawValue, MDB_NEXT);
  }
}

bool LmdbIterator::loadGroup() {
  Group.clear();
  GroupPos = 0;
  std::string GroupPrefix(view(RawKey).substr(0, TruncatedLength));
  while (Rc == MDB_SUCCESS) {
    std::string_view K = view(RawKey);
    if (K.size() < TruncatedLength ||
        K.substr(0, TruncatedLength) != GroupPrefix)
      break;
    if (K.size() == KeyLimit) {
      std::string_view Tail, Val;
      if (!decodeLongValue(view(RawValue), &Tail, &Val) ||
          Tail.size() < HashBytes) {
        fail(Status::corruption("index at '" + E->root() +
                                "' is damaged: a long key's value does not "
                                "decode; " +
                                rebuildHint()));
        return false;
      }
      Group.emplace_back(GroupPrefix + std::string(Tail), std::string(Val));
    } else {
      Group.emplace_back(std::string(K), std::string(view(RawValue)));
    }
    Rc = mdb_cursor_get(Cursor, &RawKey, &RawValue, MDB_NEXT);
  }
  if (Rc != MDB_SUCCESS && Rc != MDB_NOTFOUND) {
    fail(fromMdb(Rc, E->root(), "scan failed"));
    return false;
  }
  std::sort(Group.begin(), Group.end());
  return true;
}

void LmdbIterator::next() {
  if (!Valid)
    return;
  if (InGroup) {
    ++GroupPos;
    while (GroupPos < Group.size() &&
           !startsWith(Group[GroupPos].first, Prefix))
      ++GroupPos;
    if (GroupPos < Group.size())
      return;
    settle(); // the cursor already stands after the group
    return;
  }
  if (DropPagesBytes) {
    // The leaf pages read since the last drop lie between the lowest and
    // the highest address the cursor returned.
    for (const MDB_val *V : {&RawKey, &RawValue}) {
      const char *P = static_cast<const char *>(V->mv_data);
      if (!P)
        continue;
      if (!ReadLo || P < ReadLo)
        ReadLo = P;
      if (P + V->mv_size > ReadHi)
        ReadHi = P + V->mv_size;
    }
    ScannedBytes += RawKey.mv_size + RawValue.mv_size;
    if (ScannedBytes >= DropPagesBytes) {
      // The entry under the cursor is mapped in again when read.
      E->dropResidentPages(ReadLo, ReadHi);
      ScannedBytes = 0;
      ReadLo = ReadHi = nullptr;
    }
  }
  Rc = mdb_cursor_get(Cursor, &RawKey, &RawValue, MDB_NEXT);
  settle();
}

} // namespace

unsigned lmdbEnvFlags(const LmdbTuning &Tuning, OpenMode Mode) {
  unsigned Flags = MDB_NOTLS;
  if (Mode == OpenMode::Rebuild) {
    // The generation is discarded unless commit() runs, and commit() writes
    // a compacted, fsync'ed copy: no need to sync per transaction.
    Flags |= MDB_NOSYNC | MDB_NOMETASYNC;
    if (Tuning.WriteMapOnRebuild)
      Flags |= MDB_WRITEMAP;
  } else {
    // Data pages are synced per transaction, the meta page at commit(): a
    // system crash may lose the last batches but never breaks the file.
    Flags |= MDB_NOMETASYNC;
  }
  return Flags;
}

Status openLmdbStore(const std::string &Path, const OpenOptions &Options,
                     const LmdbTuning &Tuning, std::unique_ptr<Store> *Out) {
  std::unique_ptr<IndexDir> Dir;
  Status S = Options.Mode == OpenMode::ReadOnly
                 ? IndexDir::openReader(Path, &Dir)
                 : IndexDir::openWriter(Path, Options, &Dir);
  if (!S)
    return S;
  auto Store = std::make_unique<LmdbStore>(std::move(Dir), Options, Tuning);
  if (S = Store->open(); !S)
    return S;
  *Out = std::move(Store);
  return Status::ok();
}

Status openLmdbStore(const std::string &Path, const OpenOptions &Options,
                     std::unique_ptr<Store> *Out) {
  return openLmdbStore(Path, Options, LmdbTuning(), Out);
}

} // namespace codeindex::storage::detail
