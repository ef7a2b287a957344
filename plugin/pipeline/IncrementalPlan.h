//===- IncrementalPlan.h - Which TUs an incremental run parses --*- C++ -*-===//
//
// The hardest invariant of an incremental run, as two pure functions of
// their arguments (no store, no file system, no clock), so unit tests reach
// every case:
//
//   planIncrementalRun()  before the run: from the TU records of the last
//                         run, this run's compile commands, the content
//                         hashes of the files and the options fingerprint,
//                         which TUs are dirty, clean or removed, which units
//                         lose their owner, which claims are decided already.
//   tusReadingOrphans()   after a pass: which TUs must be parsed again so
//                         that a unit nobody owns any more (but some TU
//                         still reads) gets its facts back.
//
// A unit is a (file, preprocessor configuration) pair; the TU that owns it
// wrote its facts (see UnitClaims in extractor/Extractor.h). The run (in
// Indexer.cpp) removes a released or orphaned unit that no TU claimed by
// the end of the run.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_INCREMENTALPLAN_H
#define CODEINDEX_PIPELINE_INCREMENTALPLAN_H

#include "codeindex/graph/Model.h"
#include "extractor/CompileCommands.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace codeindex {

/// A TU whose facts are not in the index (only a failed main-file record):
/// failed, crashed or timed out. Such a TU is always parsed again.
bool failedTu(TuStatus S);

struct IncrementalInputs {
  /// TU records of the index (empty for a full build).
  const std::vector<TuRecord> *OldTus = nullptr;
  /// Every unit key stored in the index (empty for a full build).
  const std::vector<UnitKey> *StoredUnits = nullptr;
  /// This run's translation units, in compile database order.
  const std::vector<TuInput> *NewTus = nullptr;
  /// The content hash of a file (absolute path) as it is now; 0 when it
  /// cannot be read. Called at most once per distinct input of a TU record
  /// that is otherwise unchanged.
  std::function<uint64_t(const std::string &AbsPath)> HashOf;
  /// The fingerprint of every option that changes the index's content, as
  /// stored by the last run and as computed for this one. When they differ
  /// every TU is dirty (the previous content may be wrong anywhere).
  std::string OldOptionsFingerprint;
  std::string NewOptionsFingerprint;
};

struct IncrementalPlan {
  /// Indexes into NewTus of the TUs to parse, ascending.
  std::vector<size_t> Dirty;
  /// Keys of the TUs whose facts stay as they are.
  std::set<Id> Clean;
  /// Keys of TUs in the index that are no longer in the compile database.
  std::vector<Id> Removed;
  /// Units owned by a dirty or removed TU: the TU that claims them this run
  /// rewrites them; if none does they are orphans (see tusReadingOrphans).
  std::vector<UnitKey> Released;
  /// Units in the index that no TU record owns: an interrupted run
  /// committed the TU that let them go but not their removal. Treated like
  /// released ones.
  std::vector<UnitKey> Unowned;
  /// Claims decided before the run: each unit a clean TU owns stays its.
  std::vector<std::pair<UnitKey, Id>> PreAssigned;
  /// The options fingerprint differs from the last run's.
  bool OptionsChanged = false;
};

/// Plans an incremental run. A TU is clean when the index has its record,
/// it did not fail, its command is the same, every file it read has the
/// same content hash, and the options fingerprint is unchanged; otherwise
/// it is dirty.
IncrementalPlan planIncrementalRun(const IncrementalInputs &In);

/// The TUs (indexes into Tus, ascending) to parse again because they read a
/// file whose unit is in Orphans (for their own configuration, or the
/// configuration-independent variant 0). RecordOf(I) is the record that
/// describes what Tus[I] read: this run's record if it was parsed, the old
/// one if it is clean, null if it failed or is unknown. FileIdOf maps an
/// absolute input path to the file id of its unit.
std::vector<size_t>
tusReadingOrphans(const std::set<UnitKey> &Orphans,
                  const std::vector<TuInput> &Tus,
                  llvm::function_ref<const TuRecord *(size_t)> RecordOf,
                  llvm::function_ref<Id(const std::string &AbsPath)> FileIdOf);

} // namespace codeindex

#endif // CODEINDEX_PIPELINE_INCREMENTALPLAN_H
