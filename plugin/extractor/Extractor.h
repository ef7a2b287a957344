//===- Extractor.h - Index one translation unit with Clang ------*- C++ -*-===//
//
// extractTranslationUnit() runs a Clang frontend (libTooling) on one TU and
// turns what Clang's semantic analysis saw into graph facts, grouped by unit
// (file x preprocessor configuration). Clang's index library
// (clang::index::IndexDataConsumer) reports declarations, references, calls
// and macro occurrences; the AST adds inheritance, overrides, containment,
// template instantiation and signatures.
//
// Header deduplication: the first TU that reaches a unit claims it (see
// UnitClaims); later TUs still parse the header, because they must, but skip
// its function bodies (ASTConsumer::shouldSkipFunctionBody) and emit none
// of its facts.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_H
#define CODEINDEX_PLUGIN_EXTRACTOR_H

#include "extractor/CompileCommands.h"
#include "codeindex/graph/Model.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/GlobPattern.h"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace codeindex {

struct ExtractOptions {
  std::string Root; ///< absolute, real path of the project source root
  std::string
      BuildDir; ///< directory of compile_commands.json (generated files)
  bool IndexSystem = false;  ///< index entities in system/third-party headers
  bool ExcludeTests = false; ///< leave test files' entities out of the graph
  /// Skip bodies and facts of units claimed by another TU (header dedup).
  bool DedupHeaders = true;
  /// Files matching any of these (root-relative paths) are not indexed.
  std::vector<llvm::GlobPattern> Exclude;
  /// Stop a TU's frontend after this many seconds (0: no limit). The stop
  /// is cooperative: see docs/performance.md for what it can interrupt.
  unsigned TuTimeoutSeconds = 0;
};

/// Maps absolute paths to the paths written in the graph: root-relative
/// inside the root, absolute outside it.
class PathMapper {
public:
  explicit PathMapper(std::string Root) : Root(std::move(Root)) {}
  std::string display(llvm::StringRef Absolute) const;
  bool insideRoot(llvm::StringRef Absolute) const;
  const std::string &root() const { return Root; }

private:
  std::string Root;
};

/// The id of a file node: hash of "file:" + its display path.
Id fileId(llvm::StringRef DisplayPath);
/// The id of an entity: hash of its (project-unique) USR.
Id usrId(llvm::StringRef Usr);

/// Which TU owns each unit in this run. Thread-safe.
class UnitClaims {
public:
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
  mutable std::mutex M;
  std::unordered_map<UnitKey, Id, Hash> Owners;
};

/// Content hashes of files, computed once per run. Thread-safe.
class FileHashCache {
public:
  /// Hash of the file's bytes; 0 if it cannot be read.
  uint64_t hashOf(const std::string &AbsPath);
  void put(const std::string &AbsPath, uint64_t Hash);

private:
  std::mutex M;
  std::unordered_map<std::string, uint64_t> Hashes;
};

/// Detects two different USRs with the same 64-bit id within a run, and
/// gives the later one a distinct id. Thread-safe.
class UsrRegistry {
public:
  using HashFn = Id (*)(llvm::StringRef);
  /// Hash is usrId except in tests, which need collisions on demand.
  explicit UsrRegistry(HashFn Hash = usrId) : Hash(Hash) {}
  /// The id to use for Usr.
  Id idFor(const std::string &Usr);
  std::vector<std::string> collisions() const;

private:
  HashFn Hash;
  mutable std::mutex M;
  std::unordered_map<Id, std::string> Seen;
  /// USRs that collided, and the salted id each got.
  std::unordered_map<std::string, Id> Salted;
  std::vector<std::string> Collisions;
};

struct ExtractContext {
  const ExtractOptions &Options;
  const PathMapper &Paths;
  UnitClaims &Claims;
  FileHashCache &Hashes;
  UsrRegistry &Usrs;
};

struct TuResult {
  TuRecord Record;
  std::vector<UnitFacts> Units;
  /// Time in the Clang frontend minus the extractor's share: preprocessing,
  /// parsing and semantic analysis.
  double ParseSeconds = 0;
  /// The extractor's share: clang::index's traversal and the Collector,
  /// file claims and hashing, finishing the units.
  double ExtractSeconds = 0;
};

/// Indexes one TU. Does not throw. A TU Clang cannot parse yields a result
/// with Status Failed and its diagnostics; a TU with errors is indexed as
/// far as Clang's recovery goes (Status Errors).
TuResult extractTranslationUnit(const TuInput &In, ExtractContext &Ctx);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_H
