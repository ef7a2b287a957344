//===- IdsAndPaths.h - Entity ids, file ids and display paths ---*- C++ -*-===//
//
// The names the graph gives to things: the path of a file as written in the
// graph (root-relative inside the project), the id of a file node, the id of
// an entity (a hash of its USR, as clangd's SymbolID), and the project-wide
// registry that keeps two USRs from sharing an id.
//
// Ids must be equal across runs, machines and versions (incremental runs and
// `diff` compare them): tests/unit/plugin/IdsAndPathsTest.cpp pins them.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_IDSANDPATHS_H
#define CODEINDEX_PLUGIN_EXTRACTOR_IDSANDPATHS_H

#include "codeindex/graph/Model.h"

#include "llvm/ADT/StringRef.h"

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace codeindex {

/// Maps absolute paths to the paths written in the graph: root-relative
/// inside the root, absolute outside it. A value type; immutable after
/// construction, so any number of threads may share one. Never fails.
class PathMapper {
public:
  /// Root: absolute, real path, without a trailing slash ("/" itself is
  /// allowed). Empty: every path is outside.
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

/// Clang names declarations with internal linkage (and macros) after the
/// *base name* of their file: "c:util.cpp@F@helper#". Two files called
/// util.cpp would collide, so the base name is replaced by the display path
/// of the file ("c:src/util.cpp@F@helper#"). Usr is returned unchanged when
/// it is not rooted at FileAbs's base name. Pure function.
std::string rerootUsr(llvm::StringRef Usr, llvm::StringRef FileAbs,
                      llvm::StringRef DisplayPath);

/// Detects two different USRs with the same 64-bit id within a run, and
/// gives the later one a distinct id. Thread-safe: one registry is shared by
/// every worker of a run. Never fails; collisions() reports what happened.
class UsrRegistry {
public:
  using HashFn = Id (*)(llvm::StringRef);
  /// Hash is usrId except in tests, which need collisions on demand.
  explicit UsrRegistry(HashFn Hash = usrId) : Hash(Hash) {}
  /// The id to use for Usr: the same for the same USR for the whole run.
  Id idFor(const std::string &Usr);
  /// "ID: first-usr vs second-usr", one per collision seen.
  std::vector<std::string> collisions() const;
  /// Keep every USR idFor() sees for the first time, for takeJournal(): a
  /// worker process reports them so that the run's registry detects
  /// collisions between USRs seen by different workers.
  void keepJournal() { Journal.emplace(); }
  /// The USRs first seen since the last call (empty without keepJournal()).
  std::vector<std::string> takeJournal();

private:
  HashFn Hash;
  mutable std::mutex M;
  std::unordered_map<Id, std::string> Seen;
  /// USRs that collided, and the salted id each got.
  std::unordered_map<std::string, Id> Salted;
  std::vector<std::string> Collisions;
  std::optional<std::vector<std::string>> Journal;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_IDSANDPATHS_H
