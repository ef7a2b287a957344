//===- GraphView.h - Names, lookups and order over a reader -----*- C++ -*-===//
//
// What every command needs on top of a GraphReader: records by id that stay
// valid (the reader's callbacks lend them for one call; the view keeps a
// copy of each record it was asked for, so it holds what the answer
// touched, never the graph), the display name, location and JSON reference
// of a node, the output order, and the resolution of a symbol argument.
//
// Output order: results are sorted by qualified name (a file's path), then
// id, so output is deterministic and the same from every reader.
//
// Thread-safety: not thread-safe (the caches fill as it is used).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_GRAPHVIEW_H
#define CODEINDEX_PLUGIN_QUERY_GRAPHVIEW_H

#include "query/GraphReader.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace codeindex {

using ojson = nlohmann::ordered_json;

class GraphView {
public:
  /// Does not own R, which must outlive the view. IncludeCandidates: see
  /// follows().
  explicit GraphView(const GraphReader &R, bool IncludeCandidates = false)
      : R(R), IncludeCandidates(IncludeCandidates) {}

  const GraphReader &reader() const { return R; }

  /// Whether the walks (Traversals.h: callers/callees at depth, blast
  /// radius, tests, cycles, and what diff builds on them) go through E. A
  /// candidate edge (isCandidateEdge: every site names one overload of a set
  /// Clang could not resolve) is left out unless the view includes
  /// candidates (`--include-candidates`): it may be a call that never
  /// happens. Direct lookups (edges(), out(), in()) return every edge.
  bool follows(const Edge &E) const {
    return IncludeCandidates || !isCandidateEdge(E);
  }
  bool includesCandidates() const { return IncludeCandidates; }

  /// nullptr when I is not an entity (or not a file). Pointers stay valid
  /// for the life of the view.
  const Entity *entity(Id I) const;
  const FileInfo *file(Id I) const;
  const FileInfo *fileByPath(llvm::StringRef Path) const;

  /// The edges of kind K leaving (out) / reaching (in) node I, sorted by
  /// the other end's id. References stay valid for the life of the view.
  const std::vector<Edge> &edges(EdgeKind K, Id I, Direction D) const;
  const std::vector<Edge> &out(EdgeKind K, Id I) const {
    return edges(K, I, Direction::Out);
  }
  const std::vector<Edge> &in(EdgeKind K, Id I) const {
    return edges(K, I, Direction::In);
  }

  /// Every entity whose qualified name is QN, ascending ids.
  const std::vector<Id> &byQualifiedName(llvm::StringRef QN) const;
  /// Other entities share E's qualified name (overloads).
  bool overloaded(const Entity &E) const {
    return byQualifiedName(E.QualifiedName).size() > 1;
  }

  /// The entity's qualified name, or its signature when several entities
  /// share that qualified name (overloads); "file:PATH" for files.
  std::string displayName(Id I) const;
  /// The entity's kind as ref() spells it ("file" for anything else).
  std::string kindName(Id I) const;
  /// "file:line" of the entity (or the file's path).
  std::string location(Id I) const;
  /// A short record naming a node, used in every JSON shape:
  /// {"id","kind","qualified_name","signature","file","line","external",
  ///  "test","overloaded"}; files have kind "file" and their path as
  /// qualified_name. "overloaded": other entities share the qualified name.
  ojson ref(Id I) const;

  /// For a command about to print most of the graph: reads, in one scan of
  /// the entities (GraphReader::forEachEntity), what sortKey(),
  /// displayName(), location() and ref() need of each entity in Ids, and
  /// keeps only that (about 150 bytes an entity, against a few KB for a
  /// whole entity and the lookup that reads it). entity() still looks them
  /// up. Ids that are not entities are left to the lookups.
  void preloadRefs(llvm::ArrayRef<Id> Ids) const;

  /// The qualified name (a file's path): what output is sorted by.
  llvm::StringRef sortKey(Id I) const;
  /// Orders ids for output: qualified name (path), then id.
  bool before(Id A, Id B) const;
  void sortIds(std::vector<Id> &Ids) const;

  /// Resolves a symbol argument: 16 hex digits (an id), an exact qualified
  /// name, one overload spelled as in its signature ("calc::format(int)",
  /// "format(int)"), or a name / qualified-name suffix ("area",
  /// "Circle::area"). Returns every match, sorted. Reads the candidates the
  /// name index gives for the last name in Text, not the whole graph.
  std::vector<Id> resolve(llvm::StringRef Text) const;
  /// Qualified names close to Text (edit distance, substrings), best first.
  /// Scans the entities: only for error messages.
  std::vector<std::string> suggest(llvm::StringRef Text,
                                   unsigned Max = 5) const;

private:
  /// What preloadRefs() keeps of an entity; its strings live in RefAlloc.
  struct RefInfo {
    llvm::StringRef QualifiedName, Signature, File;
    uint32_t Line;
    EntityKind Kind;
    bool External, Test;
    /// 0: no other entity has the qualified name; 1: one has; -1: another
    /// has its hash, so ask byQualifiedName().
    mutable int8_t Overloaded;
  };
  const RefInfo *refInfo(Id I) const;
  bool overloaded(const RefInfo &Info) const;

  const GraphReader &R;
  bool IncludeCandidates;
  mutable llvm::BumpPtrAllocator RefAlloc;
  mutable llvm::UniqueStringSaver RefFiles{RefAlloc};
  mutable std::vector<RefInfo> Refs;
  mutable llvm::DenseMap<Id, uint32_t> RefIndex;
  mutable llvm::DenseMap<Id, std::unique_ptr<Entity>> Entities;
  mutable llvm::DenseMap<Id, std::unique_ptr<FileInfo>> Files;
  mutable llvm::StringMap<Id> FilesByPath; ///< 0: no such file
  mutable std::map<std::tuple<EdgeKind, Id, Direction>, std::vector<Edge>>
      Edges;
  mutable llvm::StringMap<std::vector<Id>> QNames;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_GRAPHVIEW_H
