//===- StoreContractTest.cpp - One contract, every engine -----------------===//
//
// The behaviour Store.h promises, checked against each engine compiled in.
// Tests that need persistence skip on "mem".
//
// The binary has its own main(): invoked as
//   storage_contract_tests --storage-child MODE ENGINE PATH PIPE
// it becomes the writer process of the kill tests (TestProcess.h).
//
//===----------------------------------------------------------------------===//

#include "TestProcess.h"
#include "TestUtil.h"

#include "codeindex/storage/BatchWriter.h"
#include "codeindex/storage/Store.h"

#ifdef CODEINDEX_STORAGE_HAVE_LMDB
#include "LmdbStore.h"
#endif

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <thread>

using namespace codeindex::storage;
using namespace codeindex::storage::testing;
using ::testing::HasSubstr;

// The engines, named so that CTest shows "StoreContract.Test<engine::lmdb>".
// tests/unit/storage/CMakeLists.txt selects them by their index in Engines.
namespace engine {
struct mem { // NOLINT(readability-identifier-naming): shown in test names
  static constexpr const char *Name = "mem";
  static constexpr bool Persistent = false;
};
struct rocksdb { // NOLINT(readability-identifier-naming)
  static constexpr const char *Name = "rocksdb";
  static constexpr bool Persistent = true;
};
struct lmdb { // NOLINT(readability-identifier-naming)
  static constexpr const char *Name = "lmdb";
  static constexpr bool Persistent = true;
};
} // namespace engine

namespace {

using Engines = ::testing::Types<engine::mem
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
                                 ,
                                 engine::rocksdb
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
                                 ,
                                 engine::lmdb
#endif
                                 >;

std::string be64(uint64_t V) {
  std::string S(8, '\0');
  for (int I = 0; I < 8; ++I)
    S[I] = static_cast<char>((V >> (56 - 8 * I)) & 0xff);
  return S;
}

std::string childValue(uint64_t Batch) {
  return "written by batch " + std::to_string(Batch);
}

template <typename E> class StoreContract : public ::testing::Test {
protected:
  StoreSpec spec() const {
    if (!E::Persistent)
      return StoreSpec{"mem", ""};
    return StoreSpec{E::Name, indexPath()};
  }
  std::string indexPath() const { return Dir.path() + "/index"; }

  Status open(std::unique_ptr<Store> *Out, OpenMode Mode = OpenMode::Update,
              LockMode Lock = LockMode::Fail, std::string Owner = "test") {
    OpenOptions O;
    O.Mode = Mode;
    O.Lock = Lock;
    O.LockOwnerDescription = std::move(Owner);
    return openStore(spec(), O, Out);
  }

  std::unique_ptr<Store> openOrDie(OpenMode Mode = OpenMode::Update) {
    std::unique_ptr<Store> S;
    Status St = open(&S, Mode);
    EXPECT_TRUE(St.isOk()) << St.toString();
    return S;
  }

  /// The live generation's directory.
  std::string liveGeneration() const {
    auto Gens = generations(indexPath());
    EXPECT_EQ(Gens.size(), 1u);
    return Gens.empty() ? "" : indexPath() + "/" + Gens.back();
  }

  /// Runs this binary as a writer child that writes one byte to its pipe
  /// after WarmupBatches batches (see runChild()).
  void spawnChild(const char *Mode, ChildProcess *Child) {
    std::string Error;
    EXPECT_TRUE(
        Child->start({"--storage-child", Mode, E::Name, indexPath()}, &Error))
        << Error;
  }

  TempDir Dir;
};

TYPED_TEST_SUITE(StoreContract, Engines);

TYPED_TEST(StoreContract, RoundTripOverwriteAndDelete) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  EXPECT_EQ(S->engine(), TypeParam::Name);
  WriteBatch B;
  B.put(Table::Entities, "a", "1");
  B.put(Table::Entities, "b", "2");
  B.put(Table::Files, "f", "");
  ASSERT_TRUE(S->write(B).isOk());

  std::string V;
  ASSERT_TRUE(S->get(Table::Entities, "a", &V).isOk());
  EXPECT_EQ(V, "1");
  ASSERT_TRUE(S->get(Table::Files, "f", &V).isOk());
  EXPECT_EQ(V, "");

  WriteBatch C;
  C.put(Table::Entities, "a", "one");
  C.del(Table::Entities, "b");
  C.del(Table::Entities, "never-there");
  ASSERT_TRUE(S->write(C).isOk());
  ASSERT_TRUE(S->get(Table::Entities, "a", &V).isOk());
  EXPECT_EQ(V, "one");
  Status Missing = S->get(Table::Entities, "b", &V);
  EXPECT_TRUE(Missing.isNotFound()) << Missing.toString();
}

TYPED_TEST(StoreContract, TablesAreSeparateKeyspaces) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  WriteBatch B;
  for (int T = 0; T < NumTables; ++T)
    B.put(static_cast<Table>(T), "same-key",
          std::string(tableName(static_cast<Table>(T))));
  ASSERT_TRUE(S->write(B).isOk());
  for (int T = 0; T < NumTables; ++T) {
    std::string V;
    ASSERT_TRUE(S->get(static_cast<Table>(T), "same-key", &V).isOk());
    EXPECT_EQ(V, tableName(static_cast<Table>(T)));
  }
  // The store's own marker lives in Meta and nowhere else.
  std::string Marker;
  EXPECT_TRUE(S->get(Table::Meta, StorageFormatKey, &Marker).isOk());
  EXPECT_EQ(Marker, StorageFormat);
  EXPECT_TRUE(S->get(Table::Entities, StorageFormatKey, &Marker).isNotFound());
}

TYPED_TEST(StoreContract, BinaryKeysAndValues) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  std::string K("\0\x01\xff\0", 4), V("\0\0value\xff", 8);
  WriteBatch B;
  B.put(Table::OutEdges, K, V);
  ASSERT_TRUE(S->write(B).isOk());
  std::string Got;
  ASSERT_TRUE(S->get(Table::OutEdges, K, &Got).isOk());
  EXPECT_EQ(Got, V);
  EXPECT_TRUE(S->get(Table::OutEdges, K.substr(0, 3), &Got).isNotFound());
}

TYPED_TEST(StoreContract, EmptyKeyIsRejectedAndNothingIsApplied) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  WriteBatch B;
  B.put(Table::Names, "fine", "x");
  B.put(Table::Names, "", "bad");
  Status St = S->write(B);
  EXPECT_EQ(St.code(), Status::Code::InvalidArgument) << St.toString();
  EXPECT_THAT(St.message(), HasSubstr("empty key"));
  std::string V;
  EXPECT_TRUE(S->get(Table::Names, "fine", &V).isNotFound());
}

TYPED_TEST(StoreContract, OperationsOnOneKeyApplyInOrder) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  WriteBatch B;
  B.put(Table::Units, "put-then-del", "x");
  B.del(Table::Units, "put-then-del");
  B.del(Table::Units, "del-then-put");
  B.put(Table::Units, "del-then-put", "kept");
  B.put(Table::Units, "twice", "first");
  B.put(Table::Units, "twice", "second");
  ASSERT_TRUE(S->write(B).isOk());
  std::string V;
  EXPECT_TRUE(S->get(Table::Units, "put-then-del", &V).isNotFound());
  ASSERT_TRUE(S->get(Table::Units, "del-then-put", &V).isOk());
  EXPECT_EQ(V, "kept");
  ASSERT_TRUE(S->get(Table::Units, "twice", &V).isOk());
  EXPECT_EQ(V, "second");
}

TYPED_TEST(StoreContract, PrefixScansMatchAnOrderedModel) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  std::map<std::string, std::string> Model;
  std::mt19937 Rng(7);
  // Short keys over a tiny alphabet including 0x00 and 0xff so that
  // prefixes collide often and edge bytes matter.
  const char Alphabet[] = {'\0',   '\x01', 'a',    'b',
                           '\x7f', '\x80', '\xfe', '\xff'};
  WriteBatch B;
  for (int I = 0; I < 2000; ++I) {
    std::string K;
    int Len = 1 + static_cast<int>(Rng() % 5);
    for (int J = 0; J < Len; ++J)
      K.push_back(Alphabet[Rng() % sizeof(Alphabet)]);
    std::string V = "v" + std::to_string(I);
    B.put(Table::InEdges, K, V);
    Model[K] = V;
  }
  ASSERT_TRUE(S->write(B).isOk());

  std::vector<std::string> Prefixes = {"",
                                       std::string("\0", 1),
                                       "a",
                                       "ab",
                                       "\xff",
                                       "\xff\xff",
                                       "\xff\xff\xff\xff\xff\xff",
                                       std::string("\x01\0", 2),
                                       "\x7f\x80",
                                       "zz"};
  for (const std::string &P : Prefixes)
    EXPECT_EQ(scanAll(*S, Table::InEdges, P), expectedScan(Model, P))
        << "prefix of " << P.size() << " bytes";
  // Other tables do not leak into the scan.
  EXPECT_TRUE(scanAll(*S, Table::OutEdges, "").empty());
}

// Store::scanShare: the shares of a table, read one after the other, are the
// whole table in order, each within its byte values; bad shares say so.
TYPED_TEST(StoreContract, SharesPartitionTheTable) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  std::map<std::string, std::string> Model;
  std::mt19937 Rng(13);
  WriteBatch B;
  for (int I = 0; I < 3000; ++I) {
    std::string K;
    // Every first byte, 0x00 and 0xff included, then 0-8 more.
    K.push_back(static_cast<char>(I % 256));
    for (int J = 0, N = static_cast<int>(Rng() % 9); J < N; ++J)
      K.push_back(static_cast<char>(Rng() % 256));
    std::string V = "v" + std::to_string(I);
    B.put(Table::EntityNames, K, V);
    Model[K] = V;
  }
  B.put(Table::Entities, "other", "table");
  ASSERT_TRUE(S->write(B).isOk());
  auto Whole = expectedScan(Model, "");
  for (unsigned Shares : {1u, 2u, 3u, 7u, 256u}) {
    std::vector<std::pair<std::string, std::string>> Joined;
    for (unsigned Share = 0; Share < Shares; ++Share) {
      unsigned From, To;
      ASSERT_TRUE(shareBounds(Share, Shares, From, To));
      auto It = S->scanShare(Table::EntityNames, Share, Shares);
      for (; It->valid(); It->next()) {
        unsigned First = static_cast<unsigned char>(It->key()[0]);
        EXPECT_TRUE(First >= From && First < To)
            << "byte " << First << " in share " << Share << " of " << Shares;
        Joined.emplace_back(It->key(), It->value());
      }
      EXPECT_TRUE(It->status().isOk()) << It->status().toString();
    }
    EXPECT_EQ(Joined, Whole) << Shares << " shares";
  }
  for (auto [Share, Shares] :
       {std::pair(0u, 0u), std::pair(2u, 2u), std::pair(0u, 257u)}) {
    auto It = S->scanShare(Table::EntityNames, Share, Shares);
    EXPECT_FALSE(It->valid());
    EXPECT_EQ(It->status().code(), Status::Code::InvalidArgument)
        << It->status().toString();
  }
}

TYPED_TEST(StoreContract, LongKeysRoundTripAndScanInOrder) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  std::map<std::string, std::string> Model;
  std::mt19937 Rng(11);
  std::string Shared(503, 'k'); // exactly LMDB's truncation point
  std::string Long(600, 'p');
  WriteBatch B;
  auto Add = [&](std::string K, std::string V) {
    B.put(Table::Names, K, V);
    Model[std::move(K)] = std::move(V);
  };
  for (int I = 0; I < 60; ++I) {
    // Long keys that only differ after byte 503, in random order.
    std::string Tail;
    for (int J = 0, N = 1 + static_cast<int>(Rng() % 200); J < N; ++J)
      Tail.push_back(static_cast<char>('a' + Rng() % 3));
    Add(Shared + Tail, "shared" + std::to_string(I));
    Add(Long + std::to_string(I), "long" + std::to_string(I));
  }
  // Keys of 503..512 bytes around the limit, sharing the first 503 bytes.
  for (size_t Len = 503; Len <= 512; ++Len)
    Add(Shared + std::string(Len - 503, 'b'), "len" + std::to_string(Len));
  Add(Shared.substr(0, 100), "short");
  Add(std::string(5000, 'z'), "huge");
  ASSERT_TRUE(S->write(B).isOk());

  for (const auto &[K, V] : Model) {
    std::string Got;
    ASSERT_TRUE(S->get(Table::Names, K, &Got).isOk()) << K.size();
    EXPECT_EQ(Got, V);
  }
  std::vector<std::string> Prefixes = {"",
                                       "k",
                                       Shared.substr(0, 400),
                                       Shared,
                                       Shared + "a",
                                       Shared + "ab",
                                       Shared + "bbbbbbbb",
                                       Long.substr(0, 550),
                                       Long + "1",
                                       std::string(4000, 'z')};
  for (const std::string &P : Prefixes)
    EXPECT_EQ(scanAll(*S, Table::Names, P), expectedScan(Model, P))
        << "prefix of " << P.size() << " bytes";

  // A long key that was never written but shares the truncated prefix.
  std::string Got;
  EXPECT_TRUE(S->get(Table::Names, Shared + "zzzzzzzzzz", &Got).isNotFound());

  WriteBatch D;
  auto Victim = Model.begin();
  std::advance(Victim, 3);
  ASSERT_GE(Victim->first.size(), 511u);
  D.del(Table::Names, Victim->first);
  Model.erase(Victim);
  ASSERT_TRUE(S->write(D).isOk());
  EXPECT_EQ(scanAll(*S, Table::Names, ""), expectedScan(Model, ""));
}

TYPED_TEST(StoreContract, IteratorSeesASnapshot) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  WriteBatch B;
  B.put(Table::Files, "f1", "a");
  B.put(Table::Files, "f2", "b");
  ASSERT_TRUE(S->write(B).isOk());
  auto It = S->scan(Table::Files, "f");
  WriteBatch C;
  C.put(Table::Files, "f0", "new");
  C.put(Table::Files, "f1", "changed");
  C.del(Table::Files, "f2");
  ASSERT_TRUE(S->write(C).isOk());
  std::vector<std::pair<std::string, std::string>> Seen;
  for (; It->valid(); It->next())
    Seen.emplace_back(std::string(It->key()), std::string(It->value()));
  ASSERT_TRUE(It->status().isOk());
  EXPECT_EQ(Seen, (std::vector<std::pair<std::string, std::string>>{
                      {"f1", "a"}, {"f2", "b"}}));
  It.reset();
  EXPECT_EQ(scanAll(*S, Table::Files, "f").size(), 2u);
}

TYPED_TEST(StoreContract, ConcurrentScansSeeWholeBatches) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  constexpr int Keys = 200;
  auto Version = [&](int V) {
    WriteBatch B;
    for (int I = 0; I < Keys; ++I)
      B.put(Table::Coverage, "k" + std::to_string(1000 + I), std::to_string(V));
    return B;
  };
  ASSERT_TRUE(S->write(Version(0)).isOk());
  std::atomic<bool> Stop{false};
  std::atomic<int> Torn{0}, Scans{0};
  std::vector<std::thread> Readers;
  for (int R = 0; R < 3; ++R)
    Readers.emplace_back([&] {
      while (!Stop.load()) {
        auto Rows = scanAll(*S, Table::Coverage, "k");
        bool Same = Rows.size() == Keys;
        for (const auto &Row : Rows)
          Same &= Row.second == Rows.front().second;
        Torn += Same ? 0 : 1;
        ++Scans;
        std::string V;
        (void)S->get(Table::Coverage, "k1000", &V);
      }
    });
  for (int V = 1; V <= 60; ++V)
    ASSERT_TRUE(S->write(Version(V)).isOk());
  while (Scans.load() < 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Stop = true;
  for (auto &T : Readers)
    T.join();
  EXPECT_EQ(Torn.load(), 0);
}

TYPED_TEST(StoreContract, BatchWriterKeepsEveryRecordFromConcurrentProducers) {
  auto S = this->openOrDie(OpenMode::Rebuild);
  ASSERT_TRUE(S);
  constexpr int Producers = 6, BatchesEach = 150, RecordsEach = 40;
  BatchWriterOptions O;
  O.MaxQueuedBatches = 8; // small, so producers block and coalescing happens
  O.MaxQueuedBytes = 64 << 10;
  O.MaxWriteRecords = 500;
  O.MaxWriteBytes = 32 << 10;
  BatchWriter W(*S, O);
  std::vector<std::thread> Threads;
  std::atomic<int> Failures{0};
  for (int P = 0; P < Producers; ++P)
    Threads.emplace_back([&, P] {
      for (int B = 0; B < BatchesEach; ++B) {
        WriteBatch Batch;
        for (int R = 0; R < RecordsEach; ++R) {
          std::string K = be64(P) + be64(B) + be64(R);
          Batch.put(Table::OutEdges, K,
                    std::string(50, static_cast<char>('a' + P)));
          Batch.put(Table::InEdges, be64(R) + be64(B) + be64(P), "");
        }
        if (!W.submit(std::move(Batch)))
          ++Failures;
      }
    });
  for (auto &T : Threads)
    T.join();
  ASSERT_TRUE(W.finish().isOk());
  EXPECT_EQ(Failures.load(), 0);
  BatchWriterStats St = W.stats();
  constexpr uint64_t Total =
      uint64_t(Producers) * BatchesEach * RecordsEach * 2;
  EXPECT_EQ(St.Submitted, uint64_t(Producers) * BatchesEach);
  EXPECT_EQ(St.Records, Total);
  EXPECT_LT(St.EngineWrites, St.Submitted); // small batches were coalesced
  EXPECT_EQ(St.Engine.Records, Total + 1);  // + the format marker
  EXPECT_LE(St.PeakQueuedBytes, O.MaxQueuedBytes);
  ASSERT_TRUE(S->commit().isOk());

  EXPECT_EQ(scanAll(*S, Table::OutEdges, "").size(),
            size_t(Producers) * BatchesEach * RecordsEach);
  EXPECT_EQ(scanAll(*S, Table::InEdges, "").size(),
            size_t(Producers) * BatchesEach * RecordsEach);
  std::string V;
  ASSERT_TRUE(
      S->get(Table::OutEdges, be64(5) + be64(149) + be64(39), &V).isOk());
  EXPECT_EQ(V, std::string(50, 'f'));
}

TYPED_TEST(StoreContract, StatsCountWrites) {
  auto S = this->openOrDie();
  ASSERT_TRUE(S);
  WriteStats Before = S->stats();
  WriteBatch B;
  B.put(Table::Names, "abc", "12345");
  B.del(Table::Names, "zz");
  ASSERT_TRUE(S->write(B).isOk());
  WriteStats After = S->stats();
  EXPECT_EQ(After.Batches, Before.Batches + 1);
  EXPECT_EQ(After.Records, Before.Records + 2);
  EXPECT_EQ(After.Bytes, Before.Bytes + 10);
}

TYPED_TEST(StoreContract, WriteAfterCommitFails) {
  auto S = this->openOrDie(OpenMode::Rebuild);
  ASSERT_TRUE(S);
  WriteBatch B;
  B.put(Table::Meta, "k", "v");
  ASSERT_TRUE(S->write(B).isOk());
  ASSERT_TRUE(S->commit().isOk());
  EXPECT_TRUE(S->commit().isOk()); // idempotent
  Status St = S->write(B);
  EXPECT_EQ(St.code(), Status::Code::InvalidArgument) << St.toString();
  // Reads still work after commit().
  std::string V;
  ASSERT_TRUE(S->get(Table::Meta, "k", &V).isOk());
  EXPECT_EQ(V, "v");
}

TYPED_TEST(StoreContract, ReopenKeepsData) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem does not persist";
  {
    auto S = this->openOrDie();
    ASSERT_TRUE(S);
    WriteBatch B;
    B.put(Table::Diagnostics, "d1", "warning");
    B.put(Table::Names, std::string(700, 'n'), "long");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  for (OpenMode M : {OpenMode::ReadOnly, OpenMode::Update}) {
    auto S = this->openOrDie(M);
    ASSERT_TRUE(S);
    std::string V;
    ASSERT_TRUE(S->get(Table::Diagnostics, "d1", &V).isOk());
    EXPECT_EQ(V, "warning");
    ASSERT_TRUE(S->get(Table::Names, std::string(700, 'n'), &V).isOk());
    EXPECT_EQ(V, "long");
  }
}

TYPED_TEST(StoreContract, ReadOnlyRejectsWrites) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has nothing to open read-only";
  // The temporary store creates the index and closes at once.
  ASSERT_TRUE(this->openOrDie());
  auto S = this->openOrDie(OpenMode::ReadOnly);
  ASSERT_TRUE(S);
  WriteBatch B;
  B.put(Table::Meta, "k", "v");
  EXPECT_EQ(S->write(B).code(), Status::Code::InvalidArgument);
}

TYPED_TEST(StoreContract, ReadOnlyWithoutIndexIsNotFound) {
  std::unique_ptr<Store> S;
  Status St = this->open(&S, OpenMode::ReadOnly);
  EXPECT_TRUE(St.isNotFound()) << St.toString();
  EXPECT_FALSE(S);
  if (TypeParam::Persistent) {
    EXPECT_THAT(St.message(), HasSubstr("no index at"));
  }
}

TYPED_TEST(StoreContract, RebuildCommitSwapsInTheNewGeneration) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no generations";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    B.put(Table::Entities, "old", "1");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  std::string OldGen = this->liveGeneration();
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    ASSERT_TRUE(S);
    WriteBatch B;
    B.put(Table::Entities, "new", "2");
    ASSERT_TRUE(S->write(B).isOk());
    // Before commit() readers still see the old index.
    auto R = this->openOrDie(OpenMode::ReadOnly);
    std::string V;
    EXPECT_TRUE(R->get(Table::Entities, "old", &V).isOk());
    EXPECT_TRUE(R->get(Table::Entities, "new", &V).isNotFound());
    R.reset();
    ASSERT_TRUE(S->commit().isOk());
  }
  auto Gens = generations(this->indexPath());
  ASSERT_EQ(Gens.size(), 1u) << "the old generation must be deleted";
  EXPECT_NE(this->indexPath() + "/" + Gens[0], OldGen);
  auto S = this->openOrDie(OpenMode::ReadOnly);
  std::string V;
  EXPECT_TRUE(S->get(Table::Entities, "new", &V).isOk());
  EXPECT_TRUE(S->get(Table::Entities, "old", &V).isNotFound());
}

TYPED_TEST(StoreContract, RebuildWithoutCommitKeepsTheOldIndex) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no generations";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    B.put(Table::Entities, "old", "1");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    WriteBatch B;
    B.put(Table::Entities, "new", "2");
    ASSERT_TRUE(S->write(B).isOk());
    // Destroyed without commit().
  }
  EXPECT_EQ(generations(this->indexPath()).size(), 1u);
  auto S = this->openOrDie(OpenMode::ReadOnly);
  std::string V;
  EXPECT_TRUE(S->get(Table::Entities, "old", &V).isOk());
  EXPECT_TRUE(S->get(Table::Entities, "new", &V).isNotFound());
}

TYPED_TEST(StoreContract, ReaderKeepsItsGenerationAcrossARebuild) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no generations";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    B.put(Table::Entities, "old", "1");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  auto Reader = this->openOrDie(OpenMode::ReadOnly);
  ASSERT_TRUE(Reader);
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    WriteBatch B;
    B.put(Table::Entities, "new", "2");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  // The pinned generation survived the commit and still reads.
  std::string V;
  EXPECT_TRUE(Reader->get(Table::Entities, "old", &V).isOk());
  EXPECT_EQ(scanAll(*Reader, Table::Entities, "").size(), 1u);
  EXPECT_EQ(generations(this->indexPath()).size(), 2u);
  Reader.reset();
  // The next writer removes it.
  ASSERT_TRUE(this->openOrDie());
  EXPECT_EQ(generations(this->indexPath()).size(), 1u);
}

TYPED_TEST(StoreContract, ForeignFormatMarkerIsIncompatible) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem cannot be reopened";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    B.put(Table::Meta, StorageFormatKey, "codeindex-store/0");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  for (OpenMode M : {OpenMode::ReadOnly, OpenMode::Update}) {
    std::unique_ptr<Store> S;
    Status St = this->open(&S, M);
    EXPECT_TRUE(St.isIncompatible()) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("codeindex-store/0"));
    EXPECT_THAT(St.message(), HasSubstr(std::string(StorageFormat)));
    EXPECT_THAT(St.message(), HasSubstr("extract --full"));
  }
  // A rebuild replaces it.
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    ASSERT_TRUE(S);
    ASSERT_TRUE(S->commit().isOk());
  }
  EXPECT_TRUE(this->openOrDie(OpenMode::ReadOnly));
}

TYPED_TEST(StoreContract, MissingFormatMarkerIsIncompatible) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem cannot be reopened";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    B.del(Table::Meta, StorageFormatKey);
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  std::unique_ptr<Store> S;
  Status St = this->open(&S, OpenMode::ReadOnly);
  EXPECT_TRUE(St.isIncompatible()) << St.toString();
  EXPECT_THAT(St.message(), HasSubstr("no storage format marker"));
}

TYPED_TEST(StoreContract, SecondWriterIsBusyAndNamesTheHolder) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no lock";
  std::unique_ptr<Store> First;
  ASSERT_TRUE(this->open(&First, OpenMode::Update, LockMode::Fail,
                         "code-indexer extract --db here")
                  .isOk());
  for (OpenMode M : {OpenMode::Update, OpenMode::Rebuild}) {
    std::unique_ptr<Store> Second;
    Status St = this->open(&Second, M);
    ASSERT_TRUE(St.isBusy()) << St.toString();
    EXPECT_THAT(St.message(),
                HasSubstr("pid " + std::to_string(currentProcessId())));
    EXPECT_THAT(St.message(), HasSubstr("code-indexer extract --db here"));
    EXPECT_THAT(St.message(), HasSubstr(currentHostName()));
  }
  // Readers are not blocked by a writer.
  EXPECT_TRUE(this->openOrDie(OpenMode::ReadOnly));
}

TYPED_TEST(StoreContract, WaitingWriterGetsTheLockWhenReleased) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no lock";
  auto First = this->openOrDie();
  ASSERT_TRUE(First);
  std::atomic<bool> Opened{false};
  Status SecondStatus;
  auto Start = std::chrono::steady_clock::now();
  std::thread Waiter([&] {
    std::unique_ptr<Store> Second;
    SecondStatus = this->open(&Second, OpenMode::Update, LockMode::Wait);
    Opened = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(Opened.load()) << "the waiter must block while the lock is held";
  First.reset();
  Waiter.join();
  EXPECT_TRUE(SecondStatus.isOk()) << SecondStatus.toString();
  EXPECT_GE(std::chrono::steady_clock::now() - Start,
            std::chrono::milliseconds(300));
}

TYPED_TEST(StoreContract, KilledRebuildLeavesThePreviousIndexReadable) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem does not persist";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    for (int I = 0; I < 100; ++I)
      B.put(Table::Entities, "old" + std::to_string(I), "v");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  ChildProcess Child;
  this->spawnChild("rebuild", &Child);
  ASSERT_TRUE(Child.running());
  char Byte = 0;
  ASSERT_TRUE(Child.readByte(std::chrono::seconds(60), &Byte))
      << "the child never got going";
  // The child is writing its rebuild right now: kill it mid-stream.
  ASSERT_TRUE(Child.kill());
  ChildExit Exit = Child.wait();
  ASSERT_TRUE(Exit.Killed) << "child: " << Exit.describe();
  EXPECT_EQ(generations(this->indexPath()).size(), 2u)
      << "the killed rebuild's generation is left behind";

  {
    auto S = this->openOrDie(OpenMode::ReadOnly);
    ASSERT_TRUE(S);
    EXPECT_EQ(scanAll(*S, Table::Entities, "old").size(), 100u);
    EXPECT_TRUE(scanAll(*S, Table::Entities, "child").empty());
  }
  // The lock died with the child; the next writer cleans up its leftovers.
  auto W = this->openOrDie();
  ASSERT_TRUE(W);
  EXPECT_EQ(generations(this->indexPath()).size(), 1u);
  EXPECT_EQ(scanAll(*W, Table::Entities, "old").size(), 100u);
}

TYPED_TEST(StoreContract, KilledUpdateKeepsEachBatchWhole) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem does not persist";
  // The temporary store creates the index and closes at once.
  ASSERT_TRUE(this->openOrDie());
  ChildProcess Child;
  this->spawnChild("update", &Child);
  ASSERT_TRUE(Child.running());
  // In update mode the child kills itself right after some write.
  ChildExit Exit = Child.wait();
  ASSERT_TRUE(Exit.Killed) << "child: " << Exit.describe();
  auto S = this->openOrDie(OpenMode::ReadOnly);
  ASSERT_TRUE(S);
  std::map<std::string, int> PerBatch;
  for (const auto &[K, V] : scanAll(*S, Table::Entities, "child/")) {
    EXPECT_EQ(
        V, childValue(static_cast<uint64_t>(std::stoull(K.substr(6 + 8 + 1)))));
    ++PerBatch[K.substr(0, 6 + 8)];
  }
  EXPECT_GE(PerBatch.size(), 10u) << "the child wrote before it died";
  for (const auto &[Batch, N] : PerBatch)
    EXPECT_EQ(N, 100) << "a batch was torn";
}

// An LMDB update whose commit() compacts into the next generation, killed
// at points spread over the commit: the index is always readable with every
// record (the update is synced before the copy starts), and the next writer
// leaves one generation.
TYPED_TEST(StoreContract, KilledUpdateCompactionLeavesAWholeIndex) {
  if (std::string(TypeParam::Name) != "lmdb")
    GTEST_SKIP() << "the update's compaction is LMDB's";
  ASSERT_TRUE(this->openOrDie());
  int Compacted = 0, MidCopy = 0;
  for (int DelayMs : {0, 2, 5, 10, 20, 40, 80, 160, 400}) {
    ChildProcess Child;
    this->spawnChild("compact", &Child);
    ASSERT_TRUE(Child.running());
    char Byte = 0;
    ASSERT_TRUE(Child.readByte(std::chrono::seconds(60), &Byte))
        << "the child never got going";
    // The child calls commit() right after signalling.
    std::this_thread::sleep_for(std::chrono::milliseconds(DelayMs));
    Child.kill();
    ChildExit Exit = Child.wait();
    ASSERT_TRUE(Exit.Killed || Exit.Code == 0) << "child: " << Exit.describe();
    auto Gens = generations(this->indexPath());
    Compacted += Exit.Code == 0;
    MidCopy += Gens.size() == 2; // killed with the copy begun, not live
    {
      auto S = this->openOrDie(OpenMode::ReadOnly);
      ASSERT_TRUE(S) << "killed after " << DelayMs << " ms";
      EXPECT_EQ(scanAll(*S, Table::Entities, "compact/").size(), 4000u)
          << "killed after " << DelayMs << " ms; generations: " << Gens.size();
    }
    // The next writer deletes a stale copy; the child rewrites the same keys.
    auto W = this->openOrDie();
    ASSERT_TRUE(W);
    EXPECT_EQ(generations(this->indexPath()).size(), 1u);
  }
  this->RecordProperty("finished_before_the_kill", std::to_string(Compacted));
  this->RecordProperty("killed_with_a_copy_begun", std::to_string(MidCopy));
}

TYPED_TEST(StoreContract, GarbageCurrentIsCorruption) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no files";
  // The temporary store creates the index and closes at once.
  ASSERT_TRUE(this->openOrDie());
  fillWithGarbage(this->indexPath() + "/CURRENT", 3);
  for (OpenMode M : {OpenMode::ReadOnly, OpenMode::Update}) {
    std::unique_ptr<Store> S;
    Status St = this->open(&S, M);
    EXPECT_TRUE(St.isCorruption()) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("extract --full"));
  }
  // The rebuild that the message asks for replaces CURRENT.
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    ASSERT_TRUE(S);
    ASSERT_TRUE(S->commit().isOk());
  }
  std::unique_ptr<Store> S;
  EXPECT_TRUE(this->open(&S, OpenMode::ReadOnly).isOk());
}

TYPED_TEST(StoreContract, GarbageEngineFilesAreCorruption) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no files";
  {
    auto S = this->openOrDie();
    WriteBatch B;
    for (int I = 0; I < 1000; ++I)
      B.put(Table::Entities, "key" + std::to_string(I), std::string(100, 'v'));
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  std::string Gen = this->liveGeneration();
  unsigned Seed = 1;
  for (const auto &E : std::filesystem::directory_iterator(Gen))
    if (E.is_regular_file() && E.path().filename() != "READERS")
      fillWithGarbage(E.path().string(), Seed++);
  for (OpenMode M : {OpenMode::ReadOnly, OpenMode::Update}) {
    std::unique_ptr<Store> S;
    Status St = this->open(&S, M);
    EXPECT_TRUE(St.isCorruption()) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("extract --full"));
  }
  // A rebuild recovers.
  auto S = this->openOrDie(OpenMode::Rebuild);
  ASSERT_TRUE(S);
  ASSERT_TRUE(S->commit().isOk());
}

TYPED_TEST(StoreContract, RefusesADirectoryThatIsNotAnIndex) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no directory";
  std::filesystem::create_directories(this->indexPath());
  std::string Precious = this->indexPath() + "/notes.txt";
  {
    FILE *F = std::fopen(Precious.c_str(), "w");
    ASSERT_NE(F, nullptr);
    std::fputs("my notes", F);
    std::fclose(F);
  }
  for (OpenMode M : {OpenMode::Update, OpenMode::Rebuild}) {
    std::unique_ptr<Store> S;
    Status St = this->open(&S, M);
    EXPECT_EQ(St.code(), Status::Code::InvalidArgument) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("not a CodeIndex index"));
  }
  EXPECT_TRUE(std::filesystem::exists(Precious));
  EXPECT_FALSE(std::filesystem::exists(this->indexPath() + "/LOCK"));
}

/// The writer process of the kill tests. Never returns normally.
// The lock is held across processes, the Busy message names the holder,
// and the lock goes with the holder when it is killed.
TYPED_TEST(StoreContract, WriterInAnotherProcessHoldsTheLock) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no lock";
  ASSERT_TRUE(this->openOrDie());
  ChildProcess Child;
  this->spawnChild("hold", &Child);
  ASSERT_TRUE(Child.running());
  char Byte = 0;
  ASSERT_TRUE(Child.readByte(std::chrono::seconds(60), &Byte))
      << "the child never got going";
  std::unique_ptr<Store> S;
  Status St = this->open(&S, OpenMode::Update);
  ASSERT_TRUE(St.isBusy()) << St.toString();
  EXPECT_THAT(St.message(), HasSubstr("kill-test child"));
  EXPECT_THAT(St.message(), HasSubstr(currentHostName()));
  EXPECT_THAT(St.message(),
              ::testing::Not(HasSubstr(std::to_string(currentProcessId()))));
  // Readers are not blocked, and see what the holder committed.
  {
    auto R = this->openOrDie(OpenMode::ReadOnly);
    ASSERT_TRUE(R);
    EXPECT_EQ(scanAll(*R, Table::Entities, "hold/").size(), 1000u);
  }
  ASSERT_TRUE(Child.kill());
  ASSERT_TRUE(Child.wait().Killed);
  auto W = this->openOrDie();
  EXPECT_TRUE(W) << "the lock died with its holder";
}

// A reader open before another process grows the LMDB map beyond the
// reader's own map adopts the new size and reads everything.
TYPED_TEST(StoreContract, ReaderSeesAnotherProcessGrowTheIndex) {
  if (std::string(TypeParam::Name) != "lmdb")
    GTEST_SKIP() << "live reads of another process's writes: lmdb only";
  {
    // Committed by a rebuild: compacted, so the reader's map (the file) is
    // small and the child's growth goes beyond it.
    auto S = this->openOrDie(OpenMode::Rebuild);
    ASSERT_TRUE(S);
    ASSERT_TRUE(S->commit().isOk());
  }
  auto R = this->openOrDie(OpenMode::ReadOnly);
  ASSERT_TRUE(R);
  EXPECT_TRUE(scanAll(*R, Table::Entities, "grow/").empty());
  ChildProcess Child;
  this->spawnChild("grow", &Child);
  ASSERT_TRUE(Child.running());
  char Byte = 0;
  ASSERT_TRUE(Child.readByte(std::chrono::seconds(120), &Byte))
      << "the child never got going";
  EXPECT_EQ(scanAll(*R, Table::Entities, "grow/").size(), 8000u);
  std::string V;
  ASSERT_TRUE(R->get(Table::Entities, "grow/7/999", &V).isOk());
  EXPECT_EQ(V, std::string(1000, 'g'));
  ASSERT_TRUE(Child.kill());
  Child.wait();
}

/// Every file under Root (but LOCK, which each writer rewrites with its
/// name) and its bytes.
std::map<std::string, std::string> filesUnder(const std::string &Root) {
  std::map<std::string, std::string> Files;
  for (const auto &E : std::filesystem::recursive_directory_iterator(Root)) {
    if (!E.is_regular_file() || E.path().filename() == "LOCK")
      continue;
    std::ifstream In(E.path(), std::ios::binary);
    Files[E.path().string()] = std::string(std::istreambuf_iterator<char>(In),
                                           std::istreambuf_iterator<char>());
  }
  return Files;
}

/// Every entry under Root (directories too, LOCK files too) and the bytes
/// of each file.
std::map<std::string, std::string> entriesUnder(const std::string &Root) {
  std::map<std::string, std::string> Entries;
  for (const auto &E : std::filesystem::recursive_directory_iterator(Root)) {
    std::string &Bytes = Entries[E.path().string()];
    if (E.is_directory()) {
      Bytes = "<dir>";
      continue;
    }
    std::ifstream In(E.path(), std::ios::binary);
    Bytes = std::string(std::istreambuf_iterator<char>(In),
                        std::istreambuf_iterator<char>());
  }
  return Entries;
}

// Queries and exports open the index read-only, beside a writer or
// several at once: such an open must neither create nor change a file
// (RocksDB's LOG, OPTIONS or MANIFEST files, a WAL, LMDB's data file). The
// one exception is LMDB's lock.mdb, whose reader table every LMDB reader
// writes (the writer learns from it which pages readers still use).
TYPED_TEST(StoreContract, ReadOnlyOpenChangesNoFile) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no files";
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    WriteBatch B;
    for (int T = 0; T < NumTables; ++T)
      for (int I = 0; I < 300; ++I)
        B.put(static_cast<Table>(T), "k" + std::to_string(I),
              std::string(100, static_cast<char>('a' + T)));
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  {
    // An update after the rebuild: RocksDB then has a WAL and flushed
    // files of two kinds, LMDB a data file with free pages.
    auto S = this->openOrDie(OpenMode::Update);
    WriteBatch B;
    B.put(Table::Entities, "k1", "updated");
    B.del(Table::Names, "k2");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  std::map<std::string, std::string> Before = entriesUnder(this->indexPath());
  ASSERT_FALSE(Before.empty());
  {
    auto R = this->openOrDie(OpenMode::ReadOnly);
    ASSERT_TRUE(R);
    auto R2 = this->openOrDie(OpenMode::ReadOnly); // two readers at once
    ASSERT_TRUE(R2);
    std::string V;
    ASSERT_TRUE(R->get(Table::Entities, "k1", &V).isOk());
    EXPECT_EQ(V, "updated");
    EXPECT_TRUE(R2->get(Table::Names, "k2", &V).isNotFound());
    for (int T = 0; T < NumTables; ++T) {
      // Whole tables (the scans' own read options) and prefixes.
      size_t Expected = 300;
      if (static_cast<Table>(T) == Table::Names)
        Expected = 299; // k2 deleted
      else if (static_cast<Table>(T) == Table::Meta)
        Expected = 301; // and the storage format marker
      EXPECT_EQ(scanAll(*R, static_cast<Table>(T), "").size(), Expected)
          << tableName(static_cast<Table>(T));
      EXPECT_EQ(scanAll(*R2, static_cast<Table>(T), "k29").size(), 11u);
    }
  }
  std::map<std::string, std::string> After = entriesUnder(this->indexPath());
  std::vector<std::string> Changed;
  for (const auto &[Path, Bytes] : Before)
    if (std::string(TypeParam::Name) == "lmdb" &&
        std::filesystem::path(Path).filename() == "lock.mdb")
      continue; // LMDB's readers register in its reader table by design
    else if (!After.count(Path))
      Changed.push_back("removed " + Path);
    else if (After[Path] != Bytes)
      Changed.push_back("changed " + Path);
  for (const auto &[Path, Bytes] : After)
    if (!Before.count(Path))
      Changed.push_back("created " + Path);
  EXPECT_THAT(Changed, ::testing::IsEmpty());
}

// `--db lmdb:P` naming a RocksDB index (or the reverse) is a mistake of the
// caller, not damage: an error that names the engine, never Corruption
// (which the indexer answers with a rebuild), and the index is unchanged.
TYPED_TEST(StoreContract, ForeignEngineIsRefusedNotCorruption) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no files";
  std::string Own = TypeParam::Name;
  std::string Other = Own == "lmdb" ? "rocksdb" : "lmdb";
  std::vector<std::string_view> Built = availableEngines();
  if (std::find(Built.begin(), Built.end(), Other) == Built.end())
    GTEST_SKIP() << Other << " is not built in";
  {
    auto S = this->openOrDie(OpenMode::Rebuild);
    ASSERT_TRUE(S);
    WriteBatch B;
    B.put(Table::Files, "f", "kept");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  auto Before = filesUnder(this->indexPath());
  for (OpenMode M : {OpenMode::Update, OpenMode::ReadOnly}) {
    OpenOptions O;
    O.Mode = M;
    std::unique_ptr<Store> S;
    Status St = openStore(StoreSpec{Other, this->indexPath()}, O, &S);
    EXPECT_FALSE(St.isOk());
    EXPECT_FALSE(St.isCorruption()) << St.toString();
    EXPECT_EQ(St.code(), Status::Code::InvalidArgument) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("was written by " + Own));
    EXPECT_THAT(St.message(),
                HasSubstr("use --db " + Own + ":" + this->indexPath()));
  }
  auto After = filesUnder(this->indexPath());
  EXPECT_TRUE(After == Before) << "the files of the index changed";
  for (const auto &[Name, Bytes] : After)
    EXPECT_TRUE(Before.count(Name)) << "new file " << Name;
  auto R = this->openOrDie(OpenMode::ReadOnly);
  ASSERT_TRUE(R);
  std::string V;
  ASSERT_TRUE(R->get(Table::Files, "f", &V).isOk());
  EXPECT_EQ(V, "kept");
}

// Index paths are UTF-8 on every platform (UTF-16 for the Win32 calls).
TYPED_TEST(StoreContract, NonAsciiIndexPath) {
  if (!TypeParam::Persistent)
    GTEST_SKIP() << "mem has no path";
  std::string Path =
      this->Dir.path() + "/\xc3\xadndice-\xe7\xb4\xa2\xe5\xbc\x95";
  OpenOptions O;
  O.Mode = OpenMode::Rebuild;
  std::unique_ptr<Store> S;
  Status St = openStore(StoreSpec{TypeParam::Name, Path}, O, &S);
  ASSERT_TRUE(St.isOk()) << St.toString();
  WriteBatch B;
  B.put(Table::Files, "f", "1");
  ASSERT_TRUE(S->write(B).isOk());
  ASSERT_TRUE(S->commit().isOk());
  S.reset();
  O.Mode = OpenMode::ReadOnly;
  St = openStore(StoreSpec{TypeParam::Name, Path}, O, &S);
  ASSERT_TRUE(St.isOk()) << St.toString();
  std::string V;
  EXPECT_TRUE(S->get(Table::Files, "f", &V).isOk());
  S.reset();
  // The directory has exactly that name (not its ANSI-code-page mangling).
  std::u8string Want(reinterpret_cast<const char8_t *>(Path.data()),
                     Path.size());
  EXPECT_TRUE(std::filesystem::is_directory(std::filesystem::path(Want)));
}

#ifdef CODEINDEX_STORAGE_HAVE_LMDB
/// "compact" (LMDB): rewrites 4 000 records of 1 KB in four transactions,
/// signals, then commits with a tuning that always compacts, and exits 0.
int runCompactChild(const std::string &Path, const std::string &Pipe) {
  detail::LmdbTuning Tuning;
  Tuning.UpdateCompactFreeFraction = 0;
  Tuning.UpdateCompactMinFreeBytes = 0;
  OpenOptions O;
  O.Mode = OpenMode::Update;
  O.LockOwnerDescription = "kill-test child";
  std::unique_ptr<Store> S;
  Status St = detail::openLmdbStore(Path, O, Tuning, &S);
  for (int Batch = 0; St && Batch < 4; ++Batch) {
    WriteBatch B;
    for (int I = 0; I < 1000; ++I)
      B.put(Table::Entities,
            "compact/" + std::to_string(Batch) + "/" + std::to_string(I),
            std::string(1000, static_cast<char>('a' + Batch)));
    St = S->write(B);
  }
  if (!St) {
    std::fprintf(stderr, "child: %s\n", St.toString().c_str());
    return 3;
  }
  if (!signalParent(Pipe, 'r'))
    return 4;
  if (Status C = S->commit(); !C || S->stats().Compactions != 1) {
    std::fprintf(stderr, "child: %s, %llu compactions\n", C.toString().c_str(),
                 static_cast<unsigned long long>(S->stats().Compactions));
    return 3;
  }
  return 0;
}
#endif

/// Modes: "rebuild" and "update" write batches of 100 forever ("update"
/// kills itself after batch 20, "rebuild" signals then); "hold" and "grow"
/// write (a little, or 8 MB from a 1 MiB map), commit, signal and wait to
/// be killed, holding the writer's lock; "compact": see runCompactChild().
int runChild(const std::string &Mode, const std::string &Engine,
             const std::string &Path, const std::string &Pipe) {
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  if (Mode == "compact")
    return runCompactChild(Path, Pipe);
#endif
  OpenOptions O;
  O.Mode = Mode == "rebuild" ? OpenMode::Rebuild : OpenMode::Update;
  O.LockOwnerDescription = "kill-test child";
  if (Mode == "grow")
    O.LmdbInitialMapBytes = 1 << 20;
  std::unique_ptr<Store> S;
  Status St = openStore(StoreSpec{Engine, Path}, O, &S);
  if (!St) {
    std::fprintf(stderr, "child: %s\n", St.toString().c_str());
    return 2;
  }
  if (Mode == "hold" || Mode == "grow") {
    int Batches = Mode == "grow" ? 8 : 1;
    for (int Batch = 0; Batch < Batches; ++Batch) {
      WriteBatch B;
      for (int I = 0; I < 1000; ++I)
        B.put(Table::Entities,
              Mode + "/" + std::to_string(Batch) + "/" + std::to_string(I),
              std::string(1000, 'g'));
      if (Status W = S->write(B); !W) {
        std::fprintf(stderr, "child: %s\n", W.toString().c_str());
        return 3;
      }
    }
    if (Status C = S->commit(); !C) {
      std::fprintf(stderr, "child: %s\n", C.toString().c_str());
      return 3;
    }
    if (!signalParent(Pipe, 'r'))
      return 4;
    for (;;)
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  for (uint64_t Batch = 0;; ++Batch) {
    WriteBatch B;
    for (int I = 0; I < 100; ++I)
      B.put(Table::Entities,
            "child/" + be64(Batch) + "/" + std::to_string(Batch) + "/" +
                std::to_string(I),
            childValue(Batch));
    if (Status W = S->write(B); !W) {
      std::fprintf(stderr, "child: %s\n", W.toString().c_str());
      return 3;
    }
    if (Batch == 20) {
      if (O.Mode == OpenMode::Update)
        killSelf(); // dies right after a write, with no cleanup
      if (!signalParent(Pipe, 'r'))
        return 4;
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 6 && std::strcmp(argv[1], "--storage-child") == 0)
    return runChild(argv[2], argv[3], argv[4], argv[5]);
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
