//===- RocksDbStallTest.cpp - Write stalls from a slow disk ---------------===//
//
// Reproduces what an on-access antivirus scanner does to RocksDB: every new
// .sst file costs 300 ms to create. Flushes fall behind, the memtables fill
// up and RocksDB stops writes. A naive writer that queues everything in
// memory keeps accepting work (its queue grows to the whole data set) and
// says nothing; BatchWriter holds a bounded number of bytes, blocks the
// producers, and reports the stall while it happens.
//
// bench/storage has the same experiment on a large data set.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "RocksDbStore.h"
#include "SlowFileSystem.h"
#include "codeindex/storage/BatchWriter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

using namespace codeindex::storage;
using namespace codeindex::storage::testing;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

namespace {

constexpr int Producers = 4;
constexpr int BatchesEach = 40;
constexpr int RecordsEach = 100;
constexpr size_t ValueBytes = 100;

WriteBatch makeBatch(int P, int B) {
  WriteBatch W;
  for (int R = 0; R < RecordsEach; ++R) {
    char Key[32];
    std::snprintf(Key, sizeof(Key), "%02d/%05d/%04d", P, B, R);
    W.put(Table::OutEdges, Key, std::string(ValueBytes, 'v'));
  }
  return W;
}

/// Small memtables and no compactions: every ~256 KB is one flush, one new
/// .sst, one 300 ms stall once both memtables are full. (Update mode: a
/// rebuild does not write through memtables at all, see RocksDbTuning.)
detail::RocksDbTuning tinyTuning() {
  detail::RocksDbTuning T;
  T.WriteBufferBytes = 256 << 10;
  T.MaxWriteBufferNumber = 2;
  T.DbWriteBufferBytes = 0;
  T.MaxBackgroundJobs = 2;
  T.L0CompactionTrigger = 1000;
  T.L0SlowdownTrigger = 1000;
  T.L0StopTrigger = 1000;
  return T;
}

struct StallRun {
  uint64_t PeakQueuedBytes = 0;
  uint64_t EngineStallMillis = 0;
  int StallReports = 0;
  int StallReportsWhileRunning = 0;
  std::string FirstReason;
  size_t Rows = 0;
};

class RocksDbStallTest : public ::testing::Test {
protected:
  void SetUp() override {
    Fs = std::make_shared<SlowSstFileSystem>(rocksdb::FileSystem::Default(),
                                             300ms);
    Env = rocksdb::NewCompositeEnv(Fs);
  }

  std::unique_ptr<Store> open(const std::string &Name, StallCallback OnStall) {
    OpenOptions O;
    O.Mode = OpenMode::Update;
    O.OnStall = std::move(OnStall);
    detail::RocksDbHooks Hooks;
    Hooks.Env = Env.get();
    Hooks.Tuning = &Tuning;
    std::unique_ptr<Store> S;
    Status St = detail::openRocksDbStore(Dir.path() + "/" + Name, O, Hooks, &S);
    EXPECT_TRUE(St.isOk()) << St.toString();
    return S;
  }

  TempDir Dir;
  detail::RocksDbTuning Tuning = tinyTuning();
  std::shared_ptr<SlowSstFileSystem> Fs;
  std::unique_ptr<rocksdb::Env> Env;
};

/// What an extractor without backpressure does: producers append to an
/// unbounded queue, one thread drains it into the store.
StallRun runNaive(Store &S) {
  std::mutex M;
  std::condition_variable Cv;
  std::deque<WriteBatch> Queue;
  uint64_t Queued = 0, Peak = 0;
  int Done = 0;
  std::thread Writer([&] {
    std::unique_lock Lock(M);
    for (;;) {
      Cv.wait(Lock, [&] { return !Queue.empty() || Done == Producers; });
      if (Queue.empty())
        return;
      WriteBatch B = std::move(Queue.front());
      Queue.pop_front();
      Lock.unlock();
      EXPECT_TRUE(S.write(B).isOk());
      Lock.lock();
      Queued -= B.byteSize();
    }
  });
  std::vector<std::thread> Threads;
  for (int P = 0; P < Producers; ++P)
    Threads.emplace_back([&, P] {
      for (int B = 0; B < BatchesEach; ++B) {
        WriteBatch W = makeBatch(P, B);
        std::lock_guard Lock(M);
        Queued += W.byteSize();
        Peak = std::max(Peak, Queued);
        Queue.push_back(std::move(W));
        Cv.notify_one();
      }
      std::lock_guard Lock(M);
      ++Done;
      Cv.notify_one();
    });
  for (auto &T : Threads)
    T.join();
  Writer.join();
  StallRun R;
  R.PeakQueuedBytes = Peak;
  return R;
}

TEST_F(RocksDbStallTest, BatchWriterStaysBoundedAndReportsWhileNaiveBalloons) {
  constexpr uint64_t Total =
      uint64_t(Producers) * BatchesEach * RecordsEach * (12 + ValueBytes);

  // Naive: nobody hears about the stalls, memory holds the whole data set.
  StallRun Naive;
  {
    auto S = open("naive", nullptr);
    ASSERT_TRUE(S);
    Naive = runNaive(*S);
    ASSERT_TRUE(S->commit().isOk());
    Naive.EngineStallMillis = S->stats().StallMillis;
    Naive.Rows = scanAll(*S, Table::OutEdges, "").size();
  }

  // BatchWriter: bounded queue, stall reports while they happen.
  StallRun Ours;
  std::atomic<bool> Running{true};
  std::mutex LogMutex;
  BatchWriterOptions O;
  O.MaxQueuedBytes = 128 << 10;
  O.MaxWriteBytes = 64 << 10;
  O.StallReportMillis = 200;
  O.OnStall = [&](bool Active, uint64_t, std::string_view Reason) {
    std::lock_guard Lock(LogMutex);
    ++Ours.StallReports;
    if (Active && Running.load())
      ++Ours.StallReportsWhileRunning;
    if (Ours.FirstReason.empty())
      Ours.FirstReason = Reason;
  };
  {
    auto S = open("ours", nullptr);
    ASSERT_TRUE(S);
    BatchWriter W(*S, O);
    std::vector<std::thread> Threads;
    for (int P = 0; P < Producers; ++P)
      Threads.emplace_back([&, P] {
        for (int B = 0; B < BatchesEach; ++B)
          ASSERT_TRUE(W.submit(makeBatch(P, B)).isOk());
      });
    for (auto &T : Threads)
      T.join();
    ASSERT_TRUE(W.finish().isOk());
    Running = false;
    BatchWriterStats St = W.stats();
    Ours.PeakQueuedBytes = St.PeakQueuedBytes;
    Ours.EngineStallMillis = St.Engine.StallMillis;
    EXPECT_GT(St.ProducerBlockedMillis, 0u);
    ASSERT_TRUE(S->commit().isOk());
    Ours.Rows = scanAll(*S, Table::OutEdges, "").size();
  }

  std::printf("naive:  peak queued %llu KiB of %llu KiB, stalls %llu ms, "
              "no reports\n",
              (unsigned long long)Naive.PeakQueuedBytes >> 10,
              (unsigned long long)Total >> 10,
              (unsigned long long)Naive.EngineStallMillis);
  std::printf("ours:   peak queued %llu KiB, stalls %llu ms, %d reports: %s\n",
              (unsigned long long)Ours.PeakQueuedBytes >> 10,
              (unsigned long long)Ours.EngineStallMillis, Ours.StallReports,
              Ours.FirstReason.c_str());

  size_t Rows = size_t(Producers) * BatchesEach * RecordsEach;
  EXPECT_EQ(Naive.Rows, Rows);
  EXPECT_EQ(Ours.Rows, Rows);
  EXPECT_GT(Fs->sstFilesCreated(), 4);
  // Both runs met the same stalls...
  EXPECT_GT(Naive.EngineStallMillis, 0u);
  EXPECT_GT(Ours.EngineStallMillis, 0u);
  // ...but only the naive writer's memory grew with the data set.
  EXPECT_GT(Naive.PeakQueuedBytes, Total / 2);
  EXPECT_LE(Ours.PeakQueuedBytes, O.MaxQueuedBytes);
  EXPECT_GT(Naive.PeakQueuedBytes, 4 * Ours.PeakQueuedBytes);
  // And ours said so while it happened.
  EXPECT_GT(Ours.StallReportsWhileRunning, 0);
  EXPECT_FALSE(Ours.FirstReason.empty());
}

TEST_F(RocksDbStallTest, ListenerMeasuresStallsAndCallsBack) {
  std::mutex M;
  std::vector<std::pair<bool, uint64_t>> Calls;
  std::string Reason;
  auto S =
      open("listener", [&](bool Active, uint64_t Millis, std::string_view Why) {
        std::lock_guard Lock(M);
        Calls.emplace_back(Active, Millis);
        Reason = Why;
      });
  ASSERT_TRUE(S);
  bool SawActiveStall = false;
  for (int P = 0; P < Producers; ++P)
    for (int B = 0; B < BatchesEach / 2; ++B) {
      ASSERT_TRUE(S->write(makeBatch(P, B)).isOk());
      SawActiveStall |= S->currentStall().Active;
    }
  ASSERT_TRUE(S->commit().isOk());
  WriteStats St = S->stats();
  EXPECT_GT(St.StallMillis, 0u);
  EXPECT_GT(St.LongestStallMillis, 0u);
  EXPECT_LE(St.LongestStallMillis, St.StallMillis);
  EXPECT_TRUE(SawActiveStall);
  std::lock_guard Lock(M);
  ASSERT_GE(Calls.size(), 2u);
  EXPECT_TRUE(Calls.front().first);
  EXPECT_THAT(Reason, HasSubstr("out_edges"));
  uint64_t Ended = 0;
  for (auto &[Active, Millis] : Calls)
    Ended += Active ? 0 : Millis;
  EXPECT_LE(Ended, St.StallMillis);
  EXPECT_GT(Ended, 0u);
}

} // namespace
