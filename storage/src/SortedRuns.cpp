//===- SortedRuns.cpp - External sort of write batches --------------------===//
//
// Run file format, one record after another, in (table, key) order with one
// record per key:  table:u8  is_delete:u8  varint key_len  varint value_len
//                  key  value
// Runs are private temporary files of one process; they are never read by
// another version, so the format carries no header.
//
//===----------------------------------------------------------------------===//

#include "SortedRuns.h"

#include "Platform.h"

#include "codeindex/storage/Coding.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <queue>

namespace fs = std::filesystem;

namespace codeindex::storage::detail {
namespace {

uint64_t loadPrefix(std::string_view Key, size_t From) {
  uint64_t V = 0;
  for (size_t I = 0; I < 8; ++I) {
    V <<= 8;
    if (From + I < Key.size())
      V |= static_cast<unsigned char>(Key[From + I]);
  }
  return V;
}

int compareKeys(std::string_view A, std::string_view B) {
  size_t N = std::min(A.size(), B.size());
  if (int C = N ? std::memcmp(A.data(), B.data(), N) : 0)
    return C;
  return A.size() < B.size() ? -1 : (A.size() > B.size() ? 1 : 0);
}

/// Appends to a file through a large buffer.
class FileWriter {
public:
  Status open(const std::string &P) {
    Path = P;
    if (Status S = openFile(P, OpenFor::WriteTruncate, &F); !S)
      return S;
    Buf.reserve(Capacity);
    return Status::ok();
  }
  Status append(std::string_view S) {
    if (Buf.size() + S.size() > Capacity)
      if (Status St = flush(); !St)
        return St;
    if (S.size() > Capacity)
      return writeAll(S);
    Buf.append(S);
    return Status::ok();
  }
  std::string &scratch() { return Buf; }
  Status maybeFlush() {
    return Buf.size() >= Capacity ? flush() : Status::ok();
  }
  Status flush() {
    Status St = writeAll(Buf);
    Buf.clear();
    return St;
  }
  Status close() {
    Status St = flush();
    if (!F.close() && St)
      St = Status::ioError("cannot close '" + Path + "'");
    return St;
  }

private:
  Status writeAll(std::string_view S) { return detail::writeAll(F, S, Path); }

  static constexpr size_t Capacity = 1 << 20;
  std::string Path;
  File F;
  std::string Buf;
};

} // namespace

/// One sorted input of the merge: a spilled run or the in-memory buffer.
class SortedRuns::Source {
public:
  virtual ~Source() = default;
  /// Moves to the next record; false at the end or on error (see status()).
  virtual bool next() = 0;
  virtual Status status() const { return Status::ok(); }

  Table T = Table::Meta;
  bool IsDelete = false;
  std::string_view Key, Value;
  size_t Rank = 0; ///< newer sources have higher ranks and win ties
};

class SortedRuns::MemorySource final : public SortedRuns::Source {
public:
  explicit MemorySource(const Buffer &B) : Entries(B.Entries), Arena(B.Arena) {}

  bool next() override {
    if (Pos >= Entries.size())
      return false;
    // Equal keys are adjacent and ordered by Seq: emit the last of a run.
    while (Pos + 1 < Entries.size() && sameKey(Entries[Pos], Entries[Pos + 1]))
      ++Pos;
    const Entry &E = Entries[Pos++];
    T = E.T;
    IsDelete = E.IsDelete;
    Key = std::string_view(Arena.data() + E.Off, E.KeyLen);
    Value = std::string_view(Arena.data() + E.Off + E.KeyLen, E.ValLen);
    return true;
  }

private:
  bool sameKey(const Entry &A, const Entry &B) const {
    return A.T == B.T && A.P1 == B.P1 && A.P2 == B.P2 && A.KeyLen == B.KeyLen &&
           std::memcmp(Arena.data() + A.Off, Arena.data() + B.Off, A.KeyLen) ==
               0;
  }

  const std::vector<Entry> &Entries;
  const std::string &Arena;
  size_t Pos = 0;
};

class SortedRuns::FileSource final : public SortedRuns::Source {
public:
  Status open(const std::string &P) {
    Path = P;
    if (Status S = openFile(P, OpenFor::Read, &F); !S)
      return S;
    Buf.resize(1 << 20);
    return Status::ok();
  }

  bool next() override {
    // Header: two bytes and two varints.
    if (!fill(2 + 2 * coding::MaxVarint64Bytes) && Begin == End)
      return false;
    size_t P = Begin;
    if (End - P < 4)
      return corrupt();
    T = static_cast<Table>(Buf[P]);
    IsDelete = Buf[P + 1] != 0;
    P += 2;
    uint64_t KeyLen = 0, ValLen = 0;
    if (!varint(P, KeyLen) || !varint(P, ValLen))
      return corrupt();
    size_t Need = (P - Begin) + KeyLen + ValLen;
    if (End - Begin < Need) {
      size_t HeaderLen = P - Begin;
      if (!fill(Need))
        return corrupt();
      P = Begin + HeaderLen;
    }
    Key = std::string_view(Buf.data() + P, KeyLen);
    Value = std::string_view(Buf.data() + P + KeyLen, ValLen);
    Begin = P + KeyLen + ValLen;
    return true;
  }

  Status status() const override { return St; }

private:
  bool corrupt() {
    if (St.isOk())
      St = Status::ioError("sorted run '" + Path + "' is truncated");
    return false;
  }

  bool varint(size_t &P, uint64_t &V) {
    std::string_view In(Buf.data() + P, End - P);
    if (!coding::getVarint(In, V))
      return false;
    P = End - In.size();
    return true;
  }

  /// Makes at least N unread bytes available if the file has them; the
  /// unread bytes move to the front of the buffer.
  bool fill(size_t N) {
    if (End - Begin >= N)
      return true;
    if (Begin > 0) {
      std::memmove(Buf.data(), Buf.data() + Begin, End - Begin);
      End -= Begin;
      Begin = 0;
    }
    if (Buf.size() < N)
      Buf.resize(N);
    while (End < N && !Eof) {
      size_t R = 0;
      if (Status S = readSome(F, Buf.data() + End, Buf.size() - End, &R, Path);
          !S) {
        St = S;
        return false;
      }
      if (R == 0)
        Eof = true;
      End += R;
    }
    return End - Begin >= N;
  }

  std::string Path;
  File F;
  std::vector<char> Buf;
  size_t Begin = 0, End = 0;
  bool Eof = false;
  Status St;
};

SortedRuns::SortedRuns(std::string Dir, size_t RunBytes)
    : Dir(std::move(Dir)),
      BufferBytes(std::max<size_t>(RunBytes / 2, 1 << 15)) {}

SortedRuns::~SortedRuns() {
  (void)waitSpill();
  removeFiles();
}

Status SortedRuns::add(const WriteBatch &Batch) {
  if (Active.Arena.size() + Batch.byteSize() >= (size_t(1) << 32) - 1)
    if (Status S = startSpill(); !S)
      return S;
  for (const WriteBatch::Op &O : Batch.ops()) {
    Entry E;
    E.P1 = loadPrefix(O.Key, 0);
    E.P2 = loadPrefix(O.Key, 8);
    E.Off = static_cast<uint32_t>(Active.Arena.size());
    E.KeyLen = static_cast<uint32_t>(O.Key.size());
    E.ValLen = static_cast<uint32_t>(O.IsDelete ? 0 : O.Value.size());
    E.Seq = static_cast<uint32_t>(Active.Entries.size());
    E.T = O.T;
    E.IsDelete = O.IsDelete;
    Active.Arena.append(O.Key);
    if (!O.IsDelete)
      Active.Arena.append(O.Value);
    Active.Entries.push_back(E);
  }
  PendingBytes += Batch.byteSize();
  PendingOps += Batch.count();
  if (Active.Arena.size() >= BufferBytes)
    return startSpill();
  return Status::ok();
}

void SortedRuns::sortBuffer(Buffer &B) {
  const char *A = B.Arena.data();
  std::sort(
      B.Entries.begin(), B.Entries.end(), [A](const Entry &X, const Entry &Y) {
        if (X.T != Y.T)
          return X.T < Y.T;
        if (X.P1 != Y.P1)
          return X.P1 < Y.P1;
        if (X.P2 != Y.P2)
          return X.P2 < Y.P2;
        if (int C = compareKeys({A + X.Off, X.KeyLen}, {A + Y.Off, Y.KeyLen}))
          return C < 0;
        return X.Seq < Y.Seq;
      });
}

Status SortedRuns::writeRun(Buffer &B, const std::string &Path) {
  sortBuffer(B);
  FileWriter W;
  if (Status S = W.open(Path); !S)
    return S;
  MemorySource Src(B);
  std::string Header;
  while (Src.next()) {
    Header.clear();
    Header.push_back(static_cast<char>(Src.T));
    Header.push_back(Src.IsDelete ? 1 : 0);
    coding::putVarint(Header, Src.Key.size());
    coding::putVarint(Header, Src.Value.size());
    if (Status S = W.append(Header); !S)
      return S;
    if (Status S = W.append(Src.Key); !S)
      return S;
    if (Status S = W.append(Src.Value); !S)
      return S;
  }
  if (Status S = W.close(); !S)
    return S;
  B.clear();
  return Status::ok();
}

Status SortedRuns::waitSpill() {
  if (Spiller.joinable())
    Spiller.join();
  return SpillStatus;
}

Status SortedRuns::startSpill() {
  if (Active.Entries.empty())
    return Status::ok();
  if (Status S = waitSpill(); !S)
    return S;
  std::error_code Ec;
  fs::create_directories(toFsPath(Dir), Ec);
  char Name[32];
  std::snprintf(Name, sizeof(Name), "/run-%06zu", Runs.size());
  Runs.push_back(Dir + Name);
  std::swap(Active, Spilling);
  Active.clear();
  // Sorting and writing a run takes as long as producing it; a helper
  // thread does it while the next run fills up.
  Spiller = std::thread(
      [this, Path = Runs.back()] { SpillStatus = writeRun(Spilling, Path); });
  return Status::ok();
}

void SortedRuns::removeFiles() {
  std::error_code Ec;
  for (const std::string &R : Runs)
    fs::remove(toFsPath(R), Ec);
  Runs.clear();
  fs::remove(toFsPath(Dir), Ec); // only if empty
}

Status SortedRuns::drain(const Sink &Out) {
  if (Status S = waitSpill(); !S)
    return S;
  if (!Active.Entries.empty())
    sortBuffer(Active);
  std::vector<std::unique_ptr<Source>> Sources;
  for (const std::string &R : Runs) {
    auto F = std::make_unique<FileSource>();
    if (Status S = F->open(R); !S)
      return S;
    Sources.push_back(std::move(F));
  }
  if (!Active.Entries.empty())
    Sources.push_back(std::make_unique<MemorySource>(Active));

  auto Greater = [](const Source *A, const Source *B) {
    if (A->T != B->T)
      return A->T > B->T;
    if (int C = compareKeys(A->Key, B->Key))
      return C > 0;
    return A->Rank < B->Rank; // the newest on top among equals
  };
  std::priority_queue<Source *, std::vector<Source *>, decltype(Greater)> Heap(
      Greater);
  for (size_t I = 0; I < Sources.size(); ++I) {
    Sources[I]->Rank = I;
    if (Sources[I]->next())
      Heap.push(Sources[I].get());
    else if (Status S = Sources[I]->status(); !S)
      return S;
  }
  std::vector<Source *> Same;
  while (!Heap.empty()) {
    Source *Top = Heap.top();
    Heap.pop();
    // Older sources holding the same key lose: skip their records.
    Same.clear();
    while (!Heap.empty() && Heap.top()->T == Top->T &&
           Heap.top()->Key == Top->Key) {
      Same.push_back(Heap.top());
      Heap.pop();
    }
    if (Status S = Out(Top->T, Top->Key, Top->Value, Top->IsDelete); !S)
      return S;
    Same.push_back(Top);
    for (Source *S : Same) {
      if (S->next())
        Heap.push(S);
      else if (Status St = S->status(); !St)
        return St;
    }
  }
  Active.clear();
  Sources.clear(); // Windows: a directory holding open files cannot go
  removeFiles();
  PendingBytes = 0;
  PendingOps = 0;
  return Status::ok();
}

BlockStream::BlockStream(SortedRuns &Runs) {
  Merger = std::thread([this, &Runs] {
    auto Block = spare();
    Status S = Runs.drain([&](Table T, std::string_view K, std::string_view V,
                              bool IsDelete) -> Status {
      Block->add(T, K, V, IsDelete);
      if (Block->full()) {
        if (!push(std::move(Block)))
          return Status::aborted("bulk load cancelled");
        Block = spare();
      }
      return Status::ok();
    });
    if (S && !Block->Recs.empty() && !push(std::move(Block)))
      S = Status::aborted("bulk load cancelled");
    std::lock_guard Lock(M);
    Closed = true;
    Result = S;
    Cv.notify_all();
  });
}

BlockStream::~BlockStream() { (void)finish(); }

bool BlockStream::push(std::unique_ptr<RecordBlock> B) {
  std::unique_lock Lock(M);
  Cv.wait(Lock, [&] { return Full.size() < Depth || Cancelled; });
  if (Cancelled)
    return false;
  Full.push_back(std::move(B));
  Cv.notify_all();
  return true;
}

std::unique_ptr<RecordBlock> BlockStream::next() {
  std::unique_lock Lock(M);
  Cv.wait(Lock, [&] { return !Full.empty() || Closed; });
  if (Full.empty())
    return nullptr;
  auto B = std::move(Full.front());
  Full.pop_front();
  Cv.notify_all();
  return B;
}

std::unique_ptr<RecordBlock> BlockStream::spare() {
  std::lock_guard Lock(M);
  if (Spare.empty())
    return std::make_unique<RecordBlock>();
  auto B = std::move(Spare.back());
  Spare.pop_back();
  return B;
}

void BlockStream::recycle(std::unique_ptr<RecordBlock> B) {
  B->clear();
  std::lock_guard Lock(M);
  Spare.push_back(std::move(B));
}

Status BlockStream::finish() {
  {
    std::lock_guard Lock(M);
    if (!Closed)
      Cancelled = true; // the consumer gave up early
    Cv.notify_all();
  }
  if (Merger.joinable())
    Merger.join();
  std::lock_guard Lock(M);
  return Result;
}

} // namespace codeindex::storage::detail
