//===- BatchWriter.cpp - Bounded, concurrent batch writer -----------------===//

#include "codeindex/storage/BatchWriter.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace codeindex::storage {

namespace {

using Clock = std::chrono::steady_clock;

uint64_t micros(Clock::duration D) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(D).count());
}

uint64_t millis(Clock::duration D) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(D).count());
}

} // namespace

class BatchWriter::Impl {
public:
  Impl(Store &S, BatchWriterOptions O) : S(S), Opts(std::move(O)) {
    Opts.MaxQueuedBatches = std::max<size_t>(Opts.MaxQueuedBatches, 1);
    Opts.MaxWriteRecords = std::max<size_t>(Opts.MaxWriteRecords, 1);
    Opts.MaxWriteBytes = std::max<size_t>(Opts.MaxWriteBytes, 1);
    unsigned Threads = Opts.WriterThreads;
    if (Threads == 0)
      Threads = S.engine() == "rocksdb" ? 2 : 1;
    WriteSince.resize(Threads);
    for (unsigned I = 0; I < Threads; ++I)
      Writers.emplace_back([this, I] { writerLoop(I); });
    if (Opts.SamplesPath.empty())
      if (const char *Env = std::getenv("CODE_INDEX_WRITER_SAMPLES"))
        Opts.SamplesPath = Env;
    if (!Opts.SamplesPath.empty()) {
      Samples = std::fopen(Opts.SamplesPath.c_str(), "w");
      if (Samples)
        std::fprintf(Samples, "elapsed_ms,unix_ms,records,bytes,engine_writes,"
                              "write_ms,producer_blocked_ms,engine_stall_ms,"
                              "queued_bytes\n");
    }
    if (Opts.OnStall || Samples)
      Monitor = std::thread([this] { monitorLoop(); });
  }

  ~Impl() {
    if (Samples)
      std::fclose(Samples);
  }

  Status submit(WriteBatch Batch) {
    std::unique_lock Lock(M);
    if (Finishing)
      return Status::aborted("submit() after finish() on a BatchWriter");
    if (!FirstError.isOk())
      return FirstError;
    if (Batch.empty()) {
      ++Submitted;
      return Status::ok();
    }
    size_t Bytes = Batch.byteSize();
    auto Fits = [&] {
      return PendingBatches == 0 ||
             (PendingBatches < Opts.MaxQueuedBatches &&
              PendingBytes + Bytes <= Opts.MaxQueuedBytes);
    };
    if (!Fits()) {
      auto Start = Clock::now();
      auto Mark = BlockedSince.insert(Start);
      NotFull.wait(Lock,
                   [&] { return Fits() || !FirstError.isOk() || Finishing; });
      BlockedSince.erase(Mark);
      BlockedMicros += micros(Clock::now() - Start);
      if (!FirstError.isOk())
        return FirstError;
      if (Finishing)
        return Status::aborted("BatchWriter finished while submit() waited");
    }
    Queue.push_back(std::move(Batch));
    ++PendingBatches;
    PendingBytes += Bytes;
    PeakBytes = std::max<uint64_t>(PeakBytes, PendingBytes);
    ++Submitted;
    NotEmpty.notify_one();
    return Status::ok();
  }

  Status finish() {
    std::lock_guard FinishLock(FinishMutex);
    {
      std::lock_guard Lock(M);
      if (Joined)
        return FirstError;
      Finishing = true;
      NotEmpty.notify_all();
      NotFull.notify_all();
    }
    for (std::thread &T : Writers)
      T.join();
    {
      std::lock_guard Lock(M);
      StopMonitor = true;
      MonitorCv.notify_all();
    }
    if (Monitor.joinable())
      Monitor.join();
    if (Samples) {
      sample(Clock::now());
      std::fflush(Samples);
    }
    std::lock_guard Lock(M);
    Joined = true;
    return FirstError;
  }

  BatchWriterStats stats() const {
    BatchWriterStats St;
    {
      std::lock_guard Lock(M);
      St.Submitted = Submitted;
      St.Records = Records;
      St.Bytes = WrittenBytes;
      St.EngineWrites = EngineWrites;
      St.ProducerBlockedMillis = BlockedMicros / 1000;
      St.PeakQueuedBytes = PeakBytes;
      St.WriteMillis = WriteMicros / 1000;
    }
    St.Engine = S.stats();
    return St;
  }

private:
  void writerLoop(unsigned Index) {
    std::vector<WriteBatch> Taken;
    std::unique_lock Lock(M);
    for (;;) {
      NotEmpty.wait(Lock, [&] { return !Queue.empty() || Finishing; });
      if (Queue.empty())
        return; // finishing and drained
      // Take whole batches only, as many as fit the write bounds (at least
      // one, even if it alone exceeds them).
      Taken.clear();
      size_t Records = 0, Bytes = 0;
      do {
        WriteBatch &Front = Queue.front();
        if (!Taken.empty() && (Records + Front.count() > Opts.MaxWriteRecords ||
                               Bytes + Front.byteSize() > Opts.MaxWriteBytes))
          break;
        Records += Front.count();
        Bytes += Front.byteSize();
        Taken.push_back(std::move(Front));
        Queue.pop_front();
      } while (!Queue.empty());
      if (!Queue.empty())
        NotEmpty.notify_one(); // let another writer take the rest
      size_t Count = Taken.size();

      Status St;
      if (FirstError.isOk()) {
        WriteSince[Index] = Clock::now();
        Lock.unlock();
        WriteBatch Merged = std::move(Taken.front());
        for (size_t I = 1; I < Taken.size(); ++I)
          Merged.append(std::move(Taken[I]));
        auto Start = Clock::now();
        St = S.write(Merged);
        uint64_t Spent = micros(Clock::now() - Start);
        Merged = WriteBatch(); // free the memory before accounting for it
        Taken.clear();
        Lock.lock();
        WriteSince[Index].reset();
        WriteMicros += Spent;
        ++EngineWrites;
        if (St) {
          this->Records += Records;
          WrittenBytes += Bytes;
        } else if (FirstError.isOk()) {
          FirstError = St;
        }
      }
      // After an error, batches are dropped instead of written; producers
      // see the error on their next submit().
      Taken.clear();
      PendingBatches -= Count;
      PendingBytes -= Bytes;
      NotFull.notify_all();
    }
  }

  void monitorLoop();
  /// Appends one line of counters to Samples (monitor thread, or finish()
  /// after the monitor stopped).
  void sample(Clock::time_point Now);

  Store &S;
  BatchWriterOptions Opts;

  mutable std::mutex M;
  std::condition_variable NotFull, NotEmpty, MonitorCv;
  std::deque<WriteBatch> Queue;
  /// Batches and bytes submitted but not yet written (queued or in a write):
  /// the memory the writer holds, which the bounds limit.
  size_t PendingBatches = 0;
  uint64_t PendingBytes = 0;
  bool Finishing = false;
  bool StopMonitor = false;
  bool Joined = false;
  Status FirstError;
  std::mutex FinishMutex;

  std::vector<std::thread> Writers;
  std::thread Monitor;
  std::FILE *Samples = nullptr;
  const Clock::time_point Started = Clock::now();
  std::multiset<Clock::time_point> BlockedSince;
  std::vector<std::optional<Clock::time_point>> WriteSince;

  uint64_t Submitted = 0, Records = 0, WrittenBytes = 0, EngineWrites = 0;
  uint64_t BlockedMicros = 0, PeakBytes = 0, WriteMicros = 0;
};

void BatchWriter::Impl::sample(Clock::time_point Now) {
  BatchWriterStats St = stats();
  uint64_t Queued;
  {
    std::lock_guard Lock(M);
    Queued = PendingBytes;
  }
  uint64_t UnixMs = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::fprintf(Samples, "%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
               static_cast<unsigned long long>(millis(Now - Started)),
               static_cast<unsigned long long>(UnixMs),
               static_cast<unsigned long long>(St.Records),
               static_cast<unsigned long long>(St.Bytes),
               static_cast<unsigned long long>(St.EngineWrites),
               static_cast<unsigned long long>(St.WriteMillis),
               static_cast<unsigned long long>(St.ProducerBlockedMillis),
               static_cast<unsigned long long>(St.Engine.StallMillis),
               static_cast<unsigned long long>(Queued));
}

void BatchWriter::Impl::monitorLoop() {
  auto Threshold = std::chrono::milliseconds(Opts.StallReportMillis);
  auto Tick = std::clamp(Threshold / 4, std::chrono::milliseconds(10),
                         std::chrono::milliseconds(100));
  auto SampleEvery = std::chrono::milliseconds(Opts.SampleMillis);
  Clock::time_point LastSample = Started;
  bool Reporting = false;
  Clock::time_point StallStart, LastReport;
  std::string LastReason;

  std::unique_lock Lock(M);
  while (!StopMonitor) {
    MonitorCv.wait_for(Lock, Tick);
    if (StopMonitor)
      break;
    auto Now = Clock::now();
    if (Samples && Now - LastSample >= SampleEvery) {
      LastSample = Now;
      Lock.unlock();
      sample(Now);
      Lock.lock();
    }
    if (!Opts.OnStall)
      continue;
    std::optional<Clock::time_point> OldestBlocked, OldestWrite;
    size_t Blocked = BlockedSince.size();
    if (!BlockedSince.empty())
      OldestBlocked = *BlockedSince.begin();
    for (const auto &W : WriteSince)
      if (W && (!OldestWrite || *W < *OldestWrite))
        OldestWrite = *W;
    uint64_t Held = PendingBytes;
    Lock.unlock();

    EngineStall Engine = S.currentStall();
    std::optional<Clock::time_point> Start;
    std::string Reason;
    if (Engine.Active &&
        std::chrono::milliseconds(Engine.Millis) >= Threshold) {
      Start = Now - std::chrono::milliseconds(Engine.Millis);
      Reason = Engine.Reason;
    }
    if (OldestWrite && Now - *OldestWrite >= Threshold) {
      if (!Start || *OldestWrite < *Start)
        Start = *OldestWrite;
      if (Reason.empty())
        Reason = "one write to the " + std::string(S.engine()) +
                 " store has been running for " +
                 std::to_string(millis(Now - *OldestWrite)) +
                 " ms; the disk is slow";
    }
    if (OldestBlocked && Now - *OldestBlocked >= Threshold) {
      if (!Start || *OldestBlocked < *Start)
        Start = *OldestBlocked;
      if (Reason.empty())
        Reason = "the write queue is full (" + std::to_string(Held >> 10) +
                 " KiB): " + std::to_string(Blocked) +
                 " producer(s) waiting for the disk";
    }

    // The engine's own reason is the most specific, even for a stall that
    // has not reached the threshold by itself.
    if (Start && Engine.Active && !Engine.Reason.empty())
      Reason = Engine.Reason;
    if (Start) {
      if (!Reporting) {
        Reporting = true;
        StallStart = *Start;
        LastReport = Now;
        LastReason = Reason;
        Opts.OnStall(true, millis(Now - StallStart), Reason);
      } else if (Now - LastReport >= Threshold) {
        LastReport = Now;
        LastReason = Reason;
        Opts.OnStall(true, millis(Now - StallStart), Reason);
      }
    } else if (Reporting) {
      Reporting = false;
      Opts.OnStall(false, millis(Now - StallStart), LastReason);
    }
    Lock.lock();
  }
  Lock.unlock();
  if (Reporting)
    Opts.OnStall(false, millis(Clock::now() - StallStart), LastReason);
}

BatchWriter::BatchWriter(Store &S, BatchWriterOptions Options)
    : P(std::make_unique<Impl>(S, std::move(Options))) {}

BatchWriter::~BatchWriter() { (void)P->finish(); }

Status BatchWriter::submit(WriteBatch Batch) {
  return P->submit(std::move(Batch));
}

Status BatchWriter::finish() { return P->finish(); }

BatchWriterStats BatchWriter::stats() const { return P->stats(); }

} // namespace codeindex::storage
