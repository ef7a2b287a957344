//===- Deadline.h - A time limit on one query -------------------*- C++ -*-===//
//
// `serve` bounds the time of every request. A query cannot be interrupted
// from outside, so the limit is enforced where a query spends its time: in
// the reads. DeadlineReader wraps the GraphReader of one request; once the
// deadline has passed, it stops every scan (its callback says "stop"), calls
// no more callbacks and makes takeError() return DeadlineExceeded, which
// runQuery() returns instead of the (incomplete) answer. A query thus ends
// soon after its deadline, having read nothing more, and never answers with
// a partial result.
//
// Thread-safety: one DeadlineReader per request (like the reader it wraps).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_SERVE_DEADLINE_H
#define CODEINDEX_PLUGIN_SERVE_DEADLINE_H

#include "query/GraphReader.h"

#include "llvm/Support/Error.h"

#include <atomic>
#include <chrono>
#include <string>

namespace codeindex {

/// The request ran past its deadline (HTTP 504 in `serve`).
class DeadlineExceeded : public llvm::ErrorInfo<DeadlineExceeded> {
public:
  static char ID;
  explicit DeadlineExceeded(unsigned Millis) : Millis(Millis) {}
  unsigned millis() const { return Millis; }
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  unsigned Millis;
};

class DeadlineReader final : public GraphReader {
public:
  using Clock = std::chrono::steady_clock;

  /// Reads through R (not owned) until Deadline; Millis is the limit, for
  /// the message.
  DeadlineReader(const GraphReader &R, Clock::time_point Deadline,
                 unsigned Millis)
      : R(R), Deadline(Deadline), Millis(Millis) {}

  void lookup(Id I, llvm::function_ref<void(const Entity &)> Fn) const override;
  void lookupFile(Id I,
                  llvm::function_ref<void(const FileInfo &)> Fn) const override;
  void fileByPath(llvm::StringRef Path,
                  llvm::function_ref<void(const FileInfo &)> Fn) const override;
  void edges(EdgeKind K, Id Node, Direction D,
             llvm::function_ref<void(const Edge &)> Fn) const override;
  size_t countEdges(EdgeKind K, Id Node, Direction D,
                    size_t Limit) const override;
  void findByName(llvm::StringRef Text, NameMatch M, size_t Limit,
                  llvm::function_ref<void(Id)> Fn) const override;
  void findByQualifiedName(llvm::StringRef QualifiedName,
                           llvm::function_ref<void(Id)> Fn) const override;
  void entitiesOfFile(llvm::StringRef Path,
                      llvm::function_ref<void(Id)> Fn) const override;
  void
  forEachEntity(llvm::function_ref<bool(const Entity &)> Fn) const override;
  void forEachEntityName(EntityNameFn Fn, unsigned Shards) const override;
  void forEachEdge(std::optional<EdgeKind> K,
                   llvm::function_ref<bool(const Edge &)> Fn) const override;
  void
  forEachFile(llvm::function_ref<bool(const FileInfo &)> Fn) const override;
  void
  forEachTestFile(llvm::function_ref<bool(const TestFile &)> Fn) const override;
  void
  forEachCoverage(llvm::function_ref<bool(const Coverage &)> Fn) const override;
  void forEachTranslationUnit(
      llvm::function_ref<bool(const TranslationUnitInfo &)> Fn) const override;
  std::string projectRoot() const override { return R.projectRoot(); }

  /// DeadlineExceeded once the deadline has passed during a read, else the
  /// wrapped reader's error.
  llvm::Error takeError() const override;

  /// Whether the deadline has passed (remembered once seen).
  bool expired() const;

private:
  const GraphReader &R;
  Clock::time_point Deadline;
  unsigned Millis;
  mutable std::atomic<bool> Expired = false; ///< set from scan threads too
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_SERVE_DEADLINE_H
