//===- BatchWriter.h - Bounded, concurrent batch writer ---------*- C++ -*-===//
//
// Extraction workers hand one WriteBatch per translation unit to a
// BatchWriter. The writer keeps a bounded queue (in batches and bytes): when
// it is full, submit() blocks, so a slow disk slows the producers down
// instead of growing memory (backpressure). Writer threads take batches from
// the queue, coalesce small ones up to a record/byte bound, and apply them
// with Store::write. Each submitted batch is applied atomically, never split.
//
// Time spent blocked in submit() and time the engine reports as write stalls
// are measured; a stall longer than Options::StallReportMillis is reported
// through Options::OnStall while it lasts.
//
// Memory: the bounds count every byte submitted and not yet written, whether
// it waits in the queue or sits in a write in progress, so MaxQueuedBytes
// bounds what the writer holds (plus one oversized batch, if any).
//
// Ordering: with one writer thread, batches are applied in the order
// submit() accepted them. With several, two batches may be applied in either
// order; producers that write the same key from different batches (e.g. a
// delete, then a put) must use WriterThreads = 1.
//
// Thread-safety: submit() may be called from any number of threads;
// finish() and stats() from any thread.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_BATCHWRITER_H
#define CODEINDEX_STORAGE_BATCHWRITER_H

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace codeindex::storage {

struct BatchWriterOptions {
  // The defaults are measured; docs/storage.md ("The batch writer") has the
  // numbers behind them.

  /// Most batches waiting in the queue before submit() blocks. High enough
  /// that small batches can still be coalesced into large writes; the byte
  /// bound is the one that normally applies.
  size_t MaxQueuedBatches = 256;
  /// Most bytes (keys + values) submitted and not yet written before
  /// submit() blocks. A single batch larger than this is still accepted when
  /// nothing is pending. Per-record bookkeeping (~100 bytes) comes on top.
  size_t MaxQueuedBytes = 64u << 20;
  /// Upper bounds for coalescing several queued batches into one engine
  /// write (one transaction: large ones amortise LMDB's fsync and B-tree
  /// page copies, and RocksDB's write-group overhead).
  size_t MaxWriteRecords = 200000;
  size_t MaxWriteBytes = 16u << 20;
  /// Writer threads; 0 picks by engine (1 for lmdb and mem, 2 for rocksdb).
  unsigned WriterThreads = 0;
  /// A producer blocked, a single write running, or an engine stall lasting
  /// longer than this is reported through OnStall while it happens: once
  /// with Active=true when it crosses the threshold, again every
  /// StallReportMillis with the time so far, and once with Active=false and
  /// the total when writes flow again. Called from a monitor thread.
  uint64_t StallReportMillis = 2000;
  StallCallback OnStall;
  /// When not empty, a CSV file the monitor thread writes a sample of the
  /// writer's counters to every SampleMillis, and once more at finish():
  /// the write rate over the run (bench/scale plots it). Empty: the
  /// environment variable CODE_INDEX_WRITER_SAMPLES names the file, so a
  /// benchmark can ask any run of `extract` for it. A file that cannot be
  /// created is ignored (sampling is a measurement, never a failure).
  std::string SamplesPath;
  uint64_t SampleMillis = 1000;
};

struct BatchWriterStats {
  uint64_t Submitted = 0;             ///< batches accepted by submit()
  uint64_t Records = 0;               ///< records written
  uint64_t Bytes = 0;                 ///< key + value bytes written
  uint64_t EngineWrites = 0;          ///< Store::write calls after coalescing
  uint64_t ProducerBlockedMillis = 0; ///< summed time producers waited
  uint64_t PeakQueuedBytes = 0; ///< most bytes held (queued or being written)
  uint64_t WriteMillis = 0;     ///< time inside Store::write, summed
  WriteStats Engine;            ///< the engine's own counters
};

class BatchWriter {
public:
  /// Does not own S; S must outlive the writer.
  BatchWriter(Store &S, BatchWriterOptions Options = {});
  /// Calls finish() if it was not called.
  ~BatchWriter();

  BatchWriter(const BatchWriter &) = delete;
  BatchWriter &operator=(const BatchWriter &) = delete;

  /// Queues Batch, blocking while the queue is full. Returns the first write
  /// error seen so far (the batch is then dropped), or Aborted after
  /// finish(). After a write error, batches still queued are dropped too.
  Status submit(WriteBatch Batch);

  /// Waits until every queued batch is written and stops the writer threads.
  /// Returns the first error any write returned. Idempotent.
  Status finish();

  BatchWriterStats stats() const;

private:
  class Impl;
  std::unique_ptr<Impl> P;
};

} // namespace codeindex::storage

#endif // CODEINDEX_STORAGE_BATCHWRITER_H
