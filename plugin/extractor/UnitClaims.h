//===- UnitClaims.h - Which TU emits each unit; file hashes -----*- C++ -*-===//
//
// Header deduplication, as clangd-indexer does it: the first TU that reaches
// a unit (file x preprocessor variant) claims it and emits its facts; later
// TUs still parse the header but skip its function bodies and facts. The
// file hash cache lets every TU record what it read without reading a file
// twice.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_UNITCLAIMS_H
#define CODEINDEX_PLUGIN_EXTRACTOR_UNITCLAIMS_H

#include "codeindex/graph/Model.h"

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace codeindex {

/// Which TU owns each unit in this run. Thread-safe: one instance is shared
/// by every worker of a run (each call takes a lock). Never fails.
class UnitClaims {
public:
  /// Decides a claim elsewhere: in a worker process, the run's UnitClaims
  /// (pipeline/WorkerProtocol.h) answers. Returns the owner after the claim.
  using RemoteFn = std::function<Id(const UnitKey &U, Id Tu)>;

  UnitClaims() = default;
  /// Every claim() asks Remote (called on the claiming thread, one call at
  /// a time per claiming thread); assign/owner/releaseOwnedBy stay local.
  explicit UnitClaims(RemoteFn Remote) : Remote(std::move(Remote)) {}

  /// Claims U for Tu if nobody has; returns the owner afterwards.
  Id claim(const UnitKey &U, Id Tu);
  /// Records an owner decided before the run (incremental indexing).
  void assign(const UnitKey &U, Id Tu);
  /// 0 if unclaimed.
  Id owner(const UnitKey &U) const;
  /// Unclaims every unit Tu owns (it crashed); returns them.
  std::vector<UnitKey> releaseOwnedBy(Id Tu);

private:
  struct Hash {
    size_t operator()(const UnitKey &U) const {
      return U.File ^ (U.Variant * 31);
    }
  };
  RemoteFn Remote;
  mutable std::mutex M;
  std::unordered_map<UnitKey, Id, Hash> Owners;
};

/// Content hashes of files, computed once per run. Thread-safe (shared by
/// every worker). A file that cannot be read hashes to 0, which no
/// incremental run takes for "unchanged".
class FileHashCache {
public:
  /// Hash of the file's bytes on disk; 0 if it cannot be read.
  uint64_t hashOf(const std::string &AbsPath);
  /// Records the hash of bytes already read (the first value wins).
  void put(const std::string &AbsPath, uint64_t Hash);

private:
  std::mutex M;
  std::unordered_map<std::string, uint64_t> Hashes;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_UNITCLAIMS_H
