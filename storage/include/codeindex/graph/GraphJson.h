//===- GraphJson.h - The JSON export of a code graph ------------*- C++ -*-===//
//
// writeGraphJson() streams an index into the documented export format
// (docs/graph-schema.md, docs/graph.schema.json): one record per line, arrays
// sorted, keys in a fixed order, invalid UTF-8 replaced. The same index gives
// byte-identical output apart from the "run" object, which is last.
// The file is written to a temporary sibling and renamed into place, so a
// reader never sees half an export.
//
// loadGraphJson() reads an export back (for `query --json` and `diff`);
// loadGraph() reads an index the same way (for `query --db`).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_GRAPHJSON_H
#define CODEINDEX_GRAPH_GRAPHJSON_H

#include "codeindex/graph/GraphStore.h"
#include "codeindex/graph/Model.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace codeindex {

inline constexpr std::string_view GraphSchemaName = "code-index/graph";
/// The export's "schema_version": changes when a field is removed or changes
/// meaning (docs/graph-schema.md, Compatibility), not when one is added.
/// 2: `is_test` marks test cases (it marked every function of a test file).
inline constexpr int ExportSchemaVersion = 2;

/// Meta keys the extractor stores (as JSON text) and the export writes.
namespace meta {
inline constexpr std::string_view Generator = "generator";
inline constexpr std::string_view Project = "project";
inline constexpr std::string_view Run = "run";
} // namespace meta

/// Counts written to "stats" (and printed in summaries).
struct GraphStats {
  uint64_t Files = 0, Entities = 0, ExternalEntities = 0, Edges = 0;
  uint64_t TestEntities = 0, Diagnostics = 0, TestFiles = 0, IgnoredFiles = 0;
  uint64_t TranslationUnits = 0, FailedTranslationUnits = 0;
  uint64_t EntitiesByKind[NumEntityKinds] = {};
  uint64_t EdgesByKind[NumEdgeKinds] = {};
  uint64_t FilesByStatus[3] = {};
  std::vector<std::string> Collisions;

  nlohmann::ordered_json toJson() const;
};

/// Streams the graph held by G to Path. Fills Stats if not null.
Status writeGraphJson(GraphStore &G, const std::string &Path,
                      GraphStats *Stats = nullptr);

/// Serialisation of single records (the export's exact shapes).
nlohmann::ordered_json toJson(const Entity &E);
nlohmann::ordered_json toJson(const Edge &E);
nlohmann::ordered_json toJson(const FileInfo &F);

/// An export loaded into memory.
struct Graph {
  nlohmann::ordered_json Generator, Project, Stats, Run;
  int SchemaVersion = 0;
  std::vector<FileInfo> Files;
  std::vector<Entity> Entities; ///< sorted by id
  std::vector<Edge> Edges;      ///< sorted by kind, from, to
  std::vector<Diagnostic> Diagnostics;
  std::vector<TestFile> TestFiles;
  std::vector<Coverage> CoverageRecords;
  std::vector<IgnoredFile> IgnoredFiles;
  std::vector<TranslationUnitInfo> TranslationUnits;
};

/// Reads an export. Errors name the file and what is wrong with it.
Status loadGraphJson(const std::string &Path, Graph &Out);

/// Reads the merged graph held by G into Out, walking the store exactly as
/// writeGraphJson() does (same records, same order, same dangling-edge
/// filter), so querying an index and querying its export agree. Out.Stats is
/// the "stats" object the export would hold. Errors are the store's.
Status loadGraph(GraphStore &G, Graph &Out);

Entity entityFromJson(const nlohmann::json &J);
Edge edgeFromJson(const nlohmann::json &J);

} // namespace codeindex

#endif // CODEINDEX_GRAPH_GRAPHJSON_H
