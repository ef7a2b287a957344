//===- BatchWriterTest.cpp - Queueing, coalescing, errors, stalls ---------===//
//
// Engine-independent behaviour of BatchWriter, against a scripted Store.
//
//===----------------------------------------------------------------------===//

#include "codeindex/storage/BatchWriter.h"

#include "TestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

using namespace codeindex::storage;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

namespace {

/// Records every write; optionally slow, gated, failing or stalled.
class FakeStore : public Store {
public:
  explicit FakeStore(std::string Engine = "fake") : Engine(std::move(Engine)) {}

  Status write(const WriteBatch &Batch) override {
    int Now = ++Concurrent;
    MaxConcurrent = std::max(MaxConcurrent.load(), Now);
    {
      std::unique_lock Lock(M);
      GateCv.wait(Lock, [&] { return GateOpen; });
    }
    if (Delay.count())
      std::this_thread::sleep_for(Delay);
    --Concurrent;
    std::lock_guard Lock(M);
    if (FailAtWrite && ++WritesSeen >= FailAtWrite)
      return Status::ioError("disk full");
    std::vector<std::string> Keys;
    for (const auto &O : Batch.ops())
      Keys.push_back(O.Key);
    Writes.push_back(std::move(Keys));
    return Status::ok();
  }
  Status get(Table, std::string_view, std::string *) override {
    return Status::notFound("fake");
  }
  std::unique_ptr<Iterator> scan(Table, std::string_view) override {
    return nullptr;
  }
  Status commit() override { return Status::ok(); }
  std::string_view engine() const override { return Engine; }
  const std::string &path() const override { return Engine; }
  WriteStats stats() const override {
    WriteStats S;
    S.StallMillis = 1234;
    return S;
  }
  EngineStall currentStall() const override {
    std::lock_guard Lock(M);
    return Stall;
  }

  void closeGate() {
    std::lock_guard Lock(M);
    GateOpen = false;
  }
  void openGate() {
    std::lock_guard Lock(M);
    GateOpen = true;
    GateCv.notify_all();
  }
  void setStall(EngineStall S) {
    std::lock_guard Lock(M);
    Stall = std::move(S);
  }
  std::vector<std::vector<std::string>> writes() const {
    std::lock_guard Lock(M);
    return Writes;
  }

  std::chrono::milliseconds Delay{0};
  int FailAtWrite = 0;
  std::atomic<int> Concurrent{0}, MaxConcurrent{0};

private:
  std::string Engine;
  mutable std::mutex M;
  std::condition_variable GateCv;
  bool GateOpen = true;
  int WritesSeen = 0;
  EngineStall Stall;
  std::vector<std::vector<std::string>> Writes;
};

/// A batch of N records whose keys name the batch: "b<Id>/<i>".
WriteBatch tagged(int Id, int N, size_t ValueBytes = 10) {
  WriteBatch B;
  for (int I = 0; I < N; ++I)
    B.put(Table::Entities, "b" + std::to_string(Id) + "/" + std::to_string(I),
          std::string(ValueBytes, 'v'));
  return B;
}

TEST(BatchWriter, BackpressureBoundsTheBytesItHolds) {
  FakeStore S;
  S.Delay = 3ms;
  BatchWriterOptions O;
  O.MaxQueuedBytes = 50'000;
  O.MaxQueuedBatches = 1000;
  O.MaxWriteBytes = 20'000;
  O.WriterThreads = 1;
  BatchWriter W(S, O);
  std::vector<std::thread> Producers;
  for (int P = 0; P < 4; ++P)
    Producers.emplace_back([&, P] {
      for (int I = 0; I < 50; ++I)
        ASSERT_TRUE(W.submit(tagged(P * 1000 + I, 10, 1000)).isOk());
    });
  for (auto &T : Producers)
    T.join();
  ASSERT_TRUE(W.finish().isOk());
  BatchWriterStats St = W.stats();
  EXPECT_EQ(St.Submitted, 200u);
  EXPECT_EQ(St.Records, 2000u);
  EXPECT_LE(St.PeakQueuedBytes, O.MaxQueuedBytes);
  EXPECT_GT(St.PeakQueuedBytes, O.MaxQueuedBytes / 2);
  EXPECT_GT(St.ProducerBlockedMillis, 0u);
  EXPECT_GT(St.WriteMillis, 0u);
  EXPECT_EQ(St.Engine.StallMillis, 1234u); // the engine's own counters
}

TEST(BatchWriter, TheBatchBoundAlsoBlocks) {
  FakeStore S;
  S.closeGate();
  BatchWriterOptions O;
  O.MaxQueuedBatches = 3;
  O.WriterThreads = 1;
  BatchWriter W(S, O);
  std::atomic<int> Accepted{0};
  std::thread Producer([&] {
    for (int I = 0; I < 10; ++I) {
      ASSERT_TRUE(W.submit(tagged(I, 1)).isOk());
      ++Accepted;
    }
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(Accepted.load(), 3);
  S.openGate();
  Producer.join();
  ASSERT_TRUE(W.finish().isOk());
  EXPECT_EQ(W.stats().Records, 10u);
}

TEST(BatchWriter, AcceptsAnOversizedBatchWhenIdle) {
  FakeStore S;
  BatchWriterOptions O;
  O.MaxQueuedBytes = 1000;
  O.MaxWriteBytes = 1000;
  BatchWriter W(S, O);
  ASSERT_TRUE(W.submit(tagged(1, 100, 100)).isOk()); // ~10 KB
  ASSERT_TRUE(W.finish().isOk());
  ASSERT_EQ(S.writes().size(), 1u);
  EXPECT_EQ(S.writes()[0].size(), 100u);
}

TEST(BatchWriter, CoalescesWholeBatchesWithinTheBounds) {
  FakeStore S;
  S.closeGate();
  BatchWriterOptions O;
  O.MaxWriteRecords = 25;
  O.MaxWriteBytes = 1 << 20;
  O.WriterThreads = 1;
  BatchWriter W(S, O);
  // The first batch occupies the writer; the others pile up behind it.
  ASSERT_TRUE(W.submit(tagged(0, 7)).isOk());
  std::this_thread::sleep_for(50ms);
  for (int I = 1; I < 30; ++I)
    ASSERT_TRUE(W.submit(tagged(I, 7)).isOk());
  ASSERT_TRUE(W.submit(tagged(99, 40)).isOk()); // alone exceeds the bound
  S.openGate();
  ASSERT_TRUE(W.finish().isOk());

  auto Writes = S.writes();
  EXPECT_LT(Writes.size(), 31u);
  std::map<std::string, int> WriteOfBatch, Records;
  for (size_t WI = 0; WI < Writes.size(); ++WI) {
    if (Writes[WI].size() > O.MaxWriteRecords) {
      // Only a single oversized batch may exceed the bound.
      EXPECT_EQ(Writes[WI].size(), 40u);
      EXPECT_EQ(Writes[WI].front().rfind("b99/", 0), 0u);
    }
    for (const std::string &K : Writes[WI]) {
      std::string Batch = K.substr(0, K.find('/'));
      auto [It, New] = WriteOfBatch.emplace(Batch, int(WI));
      EXPECT_EQ(It->second, int(WI)) << Batch << " was split across writes";
      ++Records[Batch];
    }
  }
  EXPECT_EQ(WriteOfBatch.size(), 31u);
  for (const auto &[Batch, N] : Records)
    EXPECT_EQ(N, Batch == "b99" ? 40 : 7) << Batch;
  BatchWriterStats St = W.stats();
  EXPECT_EQ(St.EngineWrites, Writes.size());
  EXPECT_EQ(St.Submitted, 31u);
}

TEST(BatchWriter, ReportsTheFirstWriteError) {
  FakeStore S;
  S.FailAtWrite = 3;
  BatchWriterOptions O;
  O.MaxWriteRecords = 1; // one batch per write
  O.WriterThreads = 1;
  BatchWriter W(S, O);
  Status Seen;
  for (int I = 0; I < 200 && Seen.isOk(); ++I) {
    Seen = W.submit(tagged(I, 1));
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(Seen.code(), Status::Code::IOError) << Seen.toString();
  Status F = W.finish();
  EXPECT_EQ(F.code(), Status::Code::IOError);
  EXPECT_THAT(F.message(), HasSubstr("disk full"));
  EXPECT_EQ(S.writes().size(), 2u);
}

TEST(BatchWriter, FinishIsIdempotentAndEndsSubmissions) {
  FakeStore S;
  BatchWriter W(S);
  ASSERT_TRUE(W.submit(tagged(1, 3)).isOk());
  ASSERT_TRUE(W.submit(WriteBatch()).isOk()); // empty batches are fine
  ASSERT_TRUE(W.finish().isOk());
  ASSERT_TRUE(W.finish().isOk());
  Status St = W.submit(tagged(2, 1));
  EXPECT_EQ(St.code(), Status::Code::Aborted) << St.toString();
  EXPECT_EQ(W.stats().Submitted, 2u);
  EXPECT_EQ(W.stats().Records, 3u);
}

TEST(BatchWriter, DefaultWriterThreadsDependOnTheEngine) {
  for (auto [Engine, Expected] :
       {std::pair<std::string, int>{"rocksdb", 2}, {"lmdb", 1}, {"mem", 1}}) {
    FakeStore S(Engine);
    S.Delay = 30ms;
    BatchWriterOptions O;
    O.MaxWriteRecords = 1;
    BatchWriter W(S, O);
    for (int I = 0; I < 12; ++I)
      ASSERT_TRUE(W.submit(tagged(I, 1)).isOk());
    ASSERT_TRUE(W.finish().isOk());
    EXPECT_EQ(S.MaxConcurrent.load(), Expected) << Engine;
  }
}

struct StallLog {
  std::mutex M;
  std::vector<std::tuple<bool, uint64_t, std::string,
                         std::chrono::steady_clock::time_point>>
      Calls;
  StallCallback callback() {
    return [this](bool Active, uint64_t Millis, std::string_view Reason) {
      std::lock_guard Lock(M);
      Calls.emplace_back(Active, Millis, std::string(Reason),
                         std::chrono::steady_clock::now());
    };
  }
};

TEST(BatchWriter, ReportsASlowWriteWhileItLasts) {
  FakeStore S;
  S.Delay = 900ms;
  StallLog Log;
  BatchWriterOptions O;
  O.StallReportMillis = 200;
  O.OnStall = Log.callback();
  BatchWriter W(S, O);
  ASSERT_TRUE(W.submit(tagged(1, 1)).isOk());
  auto Submitted = std::chrono::steady_clock::now();
  ASSERT_TRUE(W.finish().isOk());
  auto Done = std::chrono::steady_clock::now();
  std::lock_guard Lock(Log.M);
  ASSERT_GE(Log.Calls.size(), 2u);
  auto &[Active, Millis, Reason, When] = Log.Calls.front();
  EXPECT_TRUE(Active);
  EXPECT_GE(Millis, 200u);
  EXPECT_THAT(Reason, HasSubstr("has been running"));
  // Reported during the write, not after it.
  EXPECT_LT(When, Submitted + 600ms);
  EXPECT_LT(When, Done);
  // Repeated while it lasts, and closed exactly once.
  EXPECT_GE(Log.Calls.size(), 3u);
  EXPECT_FALSE(std::get<0>(Log.Calls.back()));
  EXPECT_GE(std::get<1>(Log.Calls.back()), 800u);
  int Ends = 0;
  for (auto &C : Log.Calls)
    Ends += std::get<0>(C) ? 0 : 1;
  EXPECT_EQ(Ends, 1);
}

TEST(BatchWriter, ReportsBlockedProducers) {
  FakeStore S;
  S.closeGate();
  StallLog Log;
  BatchWriterOptions O;
  O.MaxQueuedBatches = 1;
  O.StallReportMillis = 100;
  O.OnStall = Log.callback();
  BatchWriter W(S, O);
  ASSERT_TRUE(W.submit(tagged(1, 1)).isOk());
  std::thread Producer([&] { ASSERT_TRUE(W.submit(tagged(2, 1)).isOk()); });
  std::this_thread::sleep_for(400ms);
  S.openGate();
  Producer.join();
  ASSERT_TRUE(W.finish().isOk());
  EXPECT_GE(W.stats().ProducerBlockedMillis, 350u);
  std::lock_guard Lock(Log.M);
  ASSERT_FALSE(Log.Calls.empty());
  EXPECT_TRUE(std::get<0>(Log.Calls.front()));
}

TEST(BatchWriter, ReportsTheEngineStallReason) {
  FakeStore S;
  S.Delay = 500ms;
  S.setStall(EngineStall{true, 3000, "rocksdb: writes stopped (test)"});
  StallLog Log;
  BatchWriterOptions O;
  O.StallReportMillis = 100;
  O.OnStall = Log.callback();
  BatchWriter W(S, O);
  ASSERT_TRUE(W.submit(tagged(1, 1)).isOk());
  std::this_thread::sleep_for(300ms);
  S.setStall(EngineStall());
  ASSERT_TRUE(W.finish().isOk());
  std::lock_guard Lock(Log.M);
  ASSERT_FALSE(Log.Calls.empty());
  EXPECT_EQ(std::get<2>(Log.Calls.front()), "rocksdb: writes stopped (test)");
  EXPECT_GE(std::get<1>(Log.Calls.front()), 3000u);
}

TEST(BatchWriter, DoesNotReportShortWaits) {
  FakeStore S;
  S.Delay = 5ms;
  StallLog Log;
  BatchWriterOptions O;
  O.StallReportMillis = 2000;
  O.OnStall = Log.callback();
  BatchWriter W(S, O);
  for (int I = 0; I < 20; ++I)
    ASSERT_TRUE(W.submit(tagged(I, 1)).isOk());
  ASSERT_TRUE(W.finish().isOk());
  std::lock_guard Lock(Log.M);
  EXPECT_TRUE(Log.Calls.empty());
}

TEST(BatchWriter, WritesSamplesOfItsCountersAsCsv) {
  codeindex::storage::testing::TempDir Dir;
  FakeStore S;
  S.Delay = 20ms;
  BatchWriterOptions O;
  O.SamplesPath = Dir.path() + "/samples.csv";
  O.SampleMillis = 10;
  O.WriterThreads = 1;
  O.MaxWriteRecords = 3; // one write per batch
  BatchWriter W(S, O);
  for (int I = 0; I < 10; ++I)
    ASSERT_TRUE(W.submit(tagged(I, 3)).isOk());
  ASSERT_TRUE(W.finish().isOk());

  std::ifstream In(O.SamplesPath);
  std::vector<std::string> Lines;
  for (std::string L; std::getline(In, L);)
    Lines.push_back(L);
  ASSERT_GE(Lines.size(), 3u); // the header, samples while writing, the last
  EXPECT_EQ(Lines[0], "elapsed_ms,unix_ms,records,bytes,engine_writes,"
                      "write_ms,producer_blocked_ms,engine_stall_ms,"
                      "queued_bytes");
  uint64_t LastRecords = 0, LastElapsed = 0;
  for (size_t I = 1; I < Lines.size(); ++I) {
    std::vector<uint64_t> F;
    std::stringstream Fields(Lines[I]);
    for (std::string V; std::getline(Fields, V, ',');)
      F.push_back(std::stoull(V));
    ASSERT_EQ(F.size(), 9u) << Lines[I];
    EXPECT_GE(F[0], LastElapsed);
    EXPECT_GE(F[2], LastRecords) << "records only grow";
    EXPECT_EQ(F[7], 1234u); // the engine's stall counter
    LastElapsed = F[0];
    LastRecords = F[2];
  }
  // The last line is written by finish(): everything, nothing queued.
  EXPECT_EQ(LastRecords, 30u);
  EXPECT_THAT(Lines.back(), ::testing::EndsWith(",0"));
}

TEST(BatchWriter, AnUnwritableSamplesFileIsIgnored) {
  FakeStore S;
  BatchWriterOptions O;
  O.SamplesPath = "/nonexistent-dir/samples.csv";
  BatchWriter W(S, O);
  ASSERT_TRUE(W.submit(tagged(1, 2)).isOk());
  EXPECT_TRUE(W.finish().isOk());
  EXPECT_EQ(W.stats().Records, 2u);
}

} // namespace
