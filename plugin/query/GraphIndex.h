//===- GraphIndex.h - A code graph held in memory ---------------*- C++ -*-===//
//
// The GraphReader over a Graph loaded into memory: an export
// (loadGraphJson) or a whole index (loadGraph). It builds the lookups the
// point operations need once (entities by id, qualified and short name;
// files by id and path; adjacency lists per edge kind in both directions)
// and keeps the Graph for the scans and for `diff`, which compares whole
// graphs.
//
// Thread-safety: immutable after construction; concurrent const use is
// safe. It never fails: takeError() always returns success.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_GRAPHINDEX_H
#define CODEINDEX_PLUGIN_QUERY_GRAPHINDEX_H

#include "query/GraphReader.h"

#include "codeindex/graph/GraphJson.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace codeindex {

/// Owns the graph.
class GraphIndex final : public GraphReader {
public:
  explicit GraphIndex(Graph G);

  const Graph &graph() const { return G; }

  /// nullptr when I is not an entity (or not a file).
  const Entity *entity(Id I) const;
  const FileInfo *file(Id I) const;

  void lookup(Id I, llvm::function_ref<void(const Entity &)> Fn) const override;
  void lookupFile(Id I,
                  llvm::function_ref<void(const FileInfo &)> Fn) const override;
  void fileByPath(llvm::StringRef Path,
                  llvm::function_ref<void(const FileInfo &)> Fn) const override;
  void edges(EdgeKind K, Id Node, Direction D,
             llvm::function_ref<void(const Edge &)> Fn) const override;
  void findByName(llvm::StringRef Text, NameMatch M, size_t Limit,
                  llvm::function_ref<void(Id)> Fn) const override;
  void findByQualifiedName(llvm::StringRef QualifiedName,
                           llvm::function_ref<void(Id)> Fn) const override;
  void entitiesOfFile(llvm::StringRef Path,
                      llvm::function_ref<void(Id)> Fn) const override;

  void
  forEachEntity(llvm::function_ref<bool(const Entity &)> Fn) const override;
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

  llvm::Error takeError() const override { return llvm::Error::success(); }
  std::string projectRoot() const override;

private:
  Graph G;
  llvm::DenseMap<Id, unsigned> EntityIdx, FileIdx;
  llvm::StringMap<unsigned> PathIdx;
  llvm::StringMap<llvm::SmallVector<Id, 1>> ByQName;
  /// Lower-cased short name -> ids, sorted by name (for prefix lookups).
  std::vector<std::pair<std::string, Id>> ByName;
  /// Per edge kind: node -> indices into G.Edges, sorted by the other end.
  std::vector<llvm::DenseMap<Id, llvm::SmallVector<unsigned, 2>>> Out, In;
};

/// Loading an export holds it in memory about JsonLoadFactor times over (the
/// parsed JSON document, then the graph and its lookups; measured in
/// docs/performance.md), so exports larger than the limit are refused before
/// anything is read: the index they came from answers by key instead.
inline constexpr uint64_t JsonLoadFactor = 10;
inline constexpr uint64_t DefaultJsonLoadLimitMB = 256;
/// The environment variable that overrides DefaultJsonLoadLimitMB (a number
/// of MB; 0 = no limit).
inline constexpr const char *JsonLoadLimitVar = "CODE_INDEX_JSON_LIMIT_MB";

/// Loads the export at Path into a GraphIndex. Errors (QueryError::Usage):
/// the file is missing, is not an export, or is larger than the limit
/// (JsonLoadLimitVar, else DefaultJsonLoadLimitMB): then the message says
/// how much memory loading would take and to query the index with --db.
llvm::Expected<std::unique_ptr<GraphReader>>
openGraphIndex(const std::string &Path);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_GRAPHINDEX_H
