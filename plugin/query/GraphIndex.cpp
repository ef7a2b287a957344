//===- GraphIndex.cpp - A code graph held in memory -----------------------===//

#include "query/GraphIndex.h"
#include "query/QueryError.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <cstdlib>

using namespace llvm;

namespace codeindex {

GraphReader::~GraphReader() = default;

GraphIndex::GraphIndex(Graph Gr)
    : G(std::move(Gr)), Out(NumEdgeKinds), In(NumEdgeKinds) {
  ByName.reserve(G.Entities.size());
  for (unsigned I = 0; I < G.Entities.size(); ++I) {
    const Entity &E = G.Entities[I];
    EntityIdx[E.ID] = I;
    ByQName[E.QualifiedName].push_back(E.ID);
    ByName.emplace_back(StringRef(E.Name).lower(), E.ID);
  }
  llvm::sort(ByName);
  for (unsigned I = 0; I < G.Files.size(); ++I) {
    FileIdx[G.Files[I].ID] = I;
    PathIdx[G.Files[I].Path] = I;
  }
  for (auto &[QN, Ids] : ByQName)
    llvm::sort(Ids);
  // Edges are sorted by kind, from, to (loadGraphJson and loadGraph keep
  // the export's order): out-lists come out sorted by the target; in-lists
  // are sorted by the source below.
  for (unsigned I = 0; I < G.Edges.size(); ++I) {
    const Edge &E = G.Edges[I];
    Out[static_cast<int>(E.Kind)][E.From].push_back(I);
    In[static_cast<int>(E.Kind)][E.To].push_back(I);
  }
  for (auto &M : In)
    for (auto &[Node, Edges] : M)
      llvm::sort(Edges, [&](unsigned A, unsigned B) {
        return G.Edges[A].From < G.Edges[B].From;
      });
}

const Entity *GraphIndex::entity(Id I) const {
  auto It = EntityIdx.find(I);
  return It == EntityIdx.end() ? nullptr : &G.Entities[It->second];
}

const FileInfo *GraphIndex::file(Id I) const {
  auto It = FileIdx.find(I);
  return It == FileIdx.end() ? nullptr : &G.Files[It->second];
}

void GraphIndex::lookup(Id I, function_ref<void(const Entity &)> Fn) const {
  if (const Entity *E = entity(I))
    Fn(*E);
}

void GraphIndex::lookupFile(Id I,
                            function_ref<void(const FileInfo &)> Fn) const {
  if (const FileInfo *F = file(I))
    Fn(*F);
}

void GraphIndex::fileByPath(StringRef Path,
                            function_ref<void(const FileInfo &)> Fn) const {
  auto It = PathIdx.find(Path);
  if (It != PathIdx.end())
    Fn(G.Files[It->second]);
}

void GraphIndex::edges(EdgeKind K, Id Node, Direction D,
                       function_ref<void(const Edge &)> Fn) const {
  const auto &M = (D == Direction::Out ? Out : In)[static_cast<int>(K)];
  auto It = M.find(Node);
  if (It == M.end())
    return;
  for (unsigned EI : It->second)
    Fn(G.Edges[EI]);
}

void GraphIndex::findByName(StringRef Text, NameMatch M, size_t Limit,
                            function_ref<void(Id)> Fn) const {
  std::string Lower = Text.lower();
  auto Begin = llvm::lower_bound(ByName, std::pair<std::string, Id>(Lower, 0));
  std::vector<Id> Ids;
  for (auto It = Begin; It != ByName.end(); ++It) {
    StringRef Name = It->first;
    if (M == NameMatch::Exact ? Name != Lower : !Name.starts_with(Lower))
      break;
    Ids.push_back(It->second);
  }
  llvm::sort(Ids);
  for (size_t K = 0; K < Ids.size() && (!Limit || K < Limit); ++K)
    Fn(Ids[K]);
}

void GraphIndex::findByQualifiedName(StringRef QualifiedName,
                                     function_ref<void(Id)> Fn) const {
  auto It = ByQName.find(QualifiedName);
  if (It == ByQName.end())
    return;
  for (Id I : It->second)
    Fn(I);
}

void GraphIndex::entitiesOfFile(StringRef Path,
                                function_ref<void(Id)> Fn) const {
  // As the index's per-file manifests answer it: external entities (seen
  // in a system header) are declared by no unit of the project.
  for (const Entity &E : G.Entities)
    if (!E.External &&
        (E.File == Path || llvm::any_of(E.Declarations, [&](const Location &L) {
           return L.File == Path;
         })))
      Fn(E.ID);
}

void GraphIndex::forEachEntity(function_ref<bool(const Entity &)> Fn) const {
  for (const Entity &E : G.Entities)
    if (!Fn(E))
      return;
}

void GraphIndex::forEachEdge(std::optional<EdgeKind> K,
                             function_ref<bool(const Edge &)> Fn) const {
  for (const Edge &E : G.Edges)
    if ((!K || E.Kind == *K) && !Fn(E))
      return;
}

void GraphIndex::forEachFile(function_ref<bool(const FileInfo &)> Fn) const {
  for (const FileInfo &F : G.Files)
    if (!Fn(F))
      return;
}

void GraphIndex::forEachTestFile(
    function_ref<bool(const TestFile &)> Fn) const {
  for (const TestFile &T : G.TestFiles)
    if (!Fn(T))
      return;
}

void GraphIndex::forEachCoverage(
    function_ref<bool(const Coverage &)> Fn) const {
  for (const Coverage &C : G.CoverageRecords)
    if (!Fn(C))
      return;
}

void GraphIndex::forEachTranslationUnit(
    function_ref<bool(const TranslationUnitInfo &)> Fn) const {
  for (const TranslationUnitInfo &T : G.TranslationUnits)
    if (!Fn(T))
      return;
}

namespace {

std::string megabytes(uint64_t Bytes) {
  return std::to_string((Bytes + (1 << 20) - 1) >> 20) + " MB";
}

} // namespace

Expected<std::unique_ptr<GraphReader>> openGraphIndex(const std::string &Path) {
  uint64_t LimitMB = DefaultJsonLoadLimitMB;
  if (const char *Env = std::getenv(JsonLoadLimitVar); Env && *Env) {
    if (StringRef(Env).trim().getAsInteger(10, LimitMB))
      return usageError(std::string(JsonLoadLimitVar) + "='" + Env +
                        "' is not a number of MB (0: no limit)");
  }
  uint64_t Size = 0;
  if (!sys::fs::file_size(Path, Size) && LimitMB && Size > (LimitMB << 20))
    return usageError(
        "'" + Path + "' is " + megabytes(Size) +
        "; loading an export takes about " + std::to_string(JsonLoadFactor) +
        " times its size in memory (" + megabytes(Size * JsonLoadFactor) +
        "), and exports over " + std::to_string(LimitMB) +
        " MB are not loaded: query the index it was exported from with --db "
        "SPEC, which reads only what the answer needs (or set " +
        JsonLoadLimitVar + " to a larger number of MB, 0 for no limit)");
  Graph G;
  if (Status St = loadGraphJson(Path, G); !St.isOk())
    return usageError(St.message());
  return std::make_unique<GraphIndex>(std::move(G));
}

std::string GraphIndex::projectRoot() const {
  if (G.Project.is_object() && G.Project.contains("root") &&
      G.Project["root"].is_string())
    return G.Project["root"].get<std::string>();
  return {};
}

} // namespace codeindex
