//===- GraphJson.cpp - The JSON export of a code graph --------------------===//

#include "codeindex/graph/GraphJson.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace codeindex {

using ojson = nlohmann::ordered_json;

namespace {

std::string dumpLine(const ojson &J) {
  // Replace invalid UTF-8 rather than throwing: source text and paths are
  // not guaranteed to be UTF-8.
  return J.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ojson idOrNull(Id I) { return I ? ojson(formatId(I)) : ojson(nullptr); }

ojson flagsJson(uint32_t Flags) {
  ojson A = ojson::array();
  for (std::string_view F : flagNames(Flags))
    A.push_back(F);
  return A;
}

ojson locationJson(const std::string &File, const Extent &R) {
  ojson J;
  J["file"] = File;
  J["line"] = R.Line;
  J["column"] = R.Column;
  J["end_line"] = R.EndLine;
  J["end_column"] = R.EndColumn;
  return J;
}

Status ioError(const std::string &What, const std::string &Path) {
  return Status::ioError("cannot " + What + " '" + Path +
                         "': " + std::strerror(errno));
}

} // namespace

ojson toJson(const Entity &E) {
  ojson J;
  J["id"] = formatId(E.ID);
  J["usr"] = E.Usr;
  J["kind"] = spell(E.Kind);
  J["name"] = E.Name;
  J["qualified_name"] = E.QualifiedName;
  J["signature"] = E.Signature;
  J["file"] = E.File;
  J["line"] = E.Range.Line;
  J["column"] = E.Range.Column;
  J["end_line"] = E.Range.EndLine;
  J["end_column"] = E.Range.EndColumn;
  J["is_definition"] = E.IsDefinition;
  ojson Decls = ojson::array();
  for (const Location &L : E.Declarations)
    Decls.push_back(locationJson(L.File, L.Range));
  J["declarations"] = std::move(Decls);
  J["parent"] = idOrNull(E.Parent);
  J["language"] = spell(E.Lang);
  if (E.Acc != Access::None)
    J["access"] = spell(E.Acc);
  J["flags"] = flagsJson(E.Flags);
  J["is_test"] = E.IsTest;
  J["external"] = E.External;
  if (!E.External)
    J["hash"] = E.Hash ? ojson(formatId(E.Hash)) : ojson(nullptr);
  return J;
}

ojson toJson(const Edge &E) {
  ojson J;
  J["kind"] = spell(E.Kind);
  J["from"] = formatId(E.From);
  J["to"] = formatId(E.To);
  if (E.Kind == EdgeKind::Inherits) {
    J["access"] = spell(E.Acc);
    J["virtual"] = E.Virtual;
  }
  ojson Sites = ojson::array();
  for (const Site &S : E.Sites) {
    ojson SJ;
    SJ["file"] = S.File;
    SJ["line"] = S.Line;
    SJ["column"] = S.Column;
    if (S.Virtual)
      SJ["virtual"] = true;
    Sites.push_back(std::move(SJ));
  }
  J["sites"] = std::move(Sites);
  return J;
}

ojson toJson(const FileInfo &F) {
  ojson J;
  J["id"] = formatId(F.ID);
  J["path"] = F.Path;
  J["language"] = spell(F.Lang);
  J["role"] = spell(F.Role);
  J["hash"] = formatId(F.Hash);
  J["lines"] = F.Lines;
  J["status"] = spell(F.Status);
  return J;
}

ojson GraphStats::toJson() const {
  ojson J;
  J["files"] = Files;
  J["entities"] = Entities;
  J["external_entities"] = ExternalEntities;
  J["test_entities"] = TestEntities;
  J["edges"] = Edges;
  J["translation_units"] = TranslationUnits;
  J["failed_translation_units"] = FailedTranslationUnits;
  J["diagnostics"] = Diagnostics;
  J["test_files"] = TestFiles;
  J["ignored_files"] = IgnoredFiles;
  ojson K;
  for (int I = 0; I < NumEntityKinds; ++I)
    K[std::string(spell(static_cast<EntityKind>(I)))] = EntitiesByKind[I];
  J["entities_by_kind"] = std::move(K);
  ojson EK;
  for (int I = 0; I < NumEdgeKinds; ++I)
    EK[std::string(spell(static_cast<EdgeKind>(I)))] = EdgesByKind[I];
  J["edges_by_kind"] = std::move(EK);
  ojson FS;
  for (int I = 0; I < 3; ++I)
    FS[std::string(spell(static_cast<FileStatus>(I)))] = FilesByStatus[I];
  J["files_by_status"] = std::move(FS);
  J["usr_collisions"] = Collisions;
  return J;
}

namespace {

/// Receives the merged graph section by section, in export order. The
/// export writer and loadGraph() both walk the store through walkGraph(), so
/// `query --db` and `query --json` see the same records.
class GraphWalker {
public:
  virtual ~GraphWalker() = default;
  virtual void beginSection(std::string_view Name) { (void)Name; }
  virtual void endSection() {}
  virtual void file(const FileInfo &F) = 0;
  virtual void entity(const Entity &E) = 0;
  virtual void edge(const Edge &E) = 0;
  virtual void translationUnit(const TranslationUnitInfo &T) = 0;
  virtual void diagnostic(const Diagnostic &D) = 0;
  virtual void testFile(const TestFile &T) = 0;
  virtual void coverage(const Coverage &C) = 0;
  virtual void ignoredFile(const IgnoredFile &F) = 0;
};

/// Walks every section of G into W and counts what it saw. Edges whose
/// endpoints are neither a file nor an entity are dropped and counted in
/// Dangling.
Status walkGraph(GraphStore &G, GraphWalker &W, GraphStats &Stats,
                 uint64_t &Dangling) {
  std::vector<Id> Known; // ids of files and entities, for edge integrity
  W.beginSection("files");
  Status St = G.forEachFile([&](const FileInfo &F) {
    W.file(F);
    ++Stats.Files;
    ++Stats.FilesByStatus[static_cast<int>(F.Status)];
    Known.push_back(F.ID);
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();

  W.beginSection("entities");
  St = G.forEachEntity([&](const Entity &E) {
    W.entity(E);
    ++Stats.Entities;
    ++Stats.EntitiesByKind[static_cast<int>(E.Kind)];
    Stats.ExternalEntities += E.External;
    Stats.TestEntities += E.IsTest;
    Known.push_back(E.ID);
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();
  Stats.Collisions = G.collisions();
  std::sort(Known.begin(), Known.end());

  W.beginSection("edges");
  Dangling = 0;
  St = G.forEachEdge([&](const Edge &E) {
    if (!std::binary_search(Known.begin(), Known.end(), E.From) ||
        !std::binary_search(Known.begin(), Known.end(), E.To)) {
      ++Dangling;
      return true;
    }
    W.edge(E);
    ++Stats.Edges;
    ++Stats.EdgesByKind[static_cast<int>(E.Kind)];
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();

  W.beginSection("translation_units");
  St = G.forEachTranslationUnit([&](const TranslationUnitInfo &T) {
    W.translationUnit(T);
    ++Stats.TranslationUnits;
    if (T.Status != TuStatus::Ok)
      ++Stats.FailedTranslationUnits;
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();

  W.beginSection("diagnostics");
  St = G.forEachDiagnostic([&](const Diagnostic &D) {
    W.diagnostic(D);
    ++Stats.Diagnostics;
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();

  W.beginSection("test_files");
  St = G.forEachTestFile([&](const TestFile &T) {
    W.testFile(T);
    ++Stats.TestFiles;
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();

  W.beginSection("coverage");
  St = G.forEachCoverage([&](const Coverage &C) {
    W.coverage(C);
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();

  W.beginSection("ignored_files");
  St = G.forEachIgnoredFile([&](const IgnoredFile &F) {
    W.ignoredFile(F);
    ++Stats.IgnoredFiles;
    return true;
  });
  if (!St.isOk())
    return St;
  W.endSection();
  return Status::ok();
}

/// Streams the sections as JSON lines.
class JsonWalker final : public GraphWalker {
public:
  explicit JsonWalker(std::ostream &Body) : Body(Body) {}

  void beginSection(std::string_view Name) override {
    Body << "  \"" << Name << "\": [";
    First = true;
  }
  void endSection() override { Body << (First ? "],\n" : "\n  ],\n"); }
  void file(const FileInfo &F) override { emit(toJson(F)); }
  void entity(const Entity &E) override { emit(toJson(E)); }
  void edge(const Edge &E) override { emit(toJson(E)); }
  void translationUnit(const TranslationUnitInfo &T) override {
    ojson J;
    J["file"] = T.MainFile;
    J["status"] = spell(T.Status);
    if (!T.FailureReason.empty())
      J["reason"] = T.FailureReason;
    J["diagnostics"] = T.Diagnostics;
    emit(J);
  }
  void diagnostic(const Diagnostic &D) override {
    ojson J;
    J["translation_unit"] = D.TranslationUnit;
    J["file"] = D.File;
    J["line"] = D.Line;
    J["column"] = D.Column;
    J["severity"] = spell(D.Sev);
    J["message"] = D.Message;
    emit(J);
  }
  void testFile(const TestFile &T) override {
    ojson J;
    J["path"] = T.Path;
    J["reasons"] = T.Reasons;
    emit(J);
  }
  void coverage(const Coverage &C) override {
    ojson J;
    J["path"] = C.Path;
    J["total_lines"] = C.Lines.TotalLines;
    J["code_lines"] = C.Lines.CodeLines;
    J["comment_lines"] = C.Lines.CommentLines;
    J["entity_lines"] = C.Lines.EntityLines;
    // Rounded so the text is stable across platforms.
    J["percent"] = std::round(C.percent() * 10.0) / 10.0;
    emit(J);
  }
  void ignoredFile(const IgnoredFile &F) override {
    ojson J;
    J["path"] = F.Path;
    J["reason"] = F.Reason;
    emit(J);
  }

private:
  void emit(const ojson &J) {
    Body << (First ? "\n    " : ",\n    ") << dumpLine(J);
    First = false;
  }
  std::ostream &Body;
  bool First = true;
};

/// Collects the sections into a Graph.
class GraphCollector final : public GraphWalker {
public:
  explicit GraphCollector(Graph &Out) : Out(Out) {}
  void file(const FileInfo &F) override { Out.Files.push_back(F); }
  void entity(const Entity &E) override { Out.Entities.push_back(E); }
  void edge(const Edge &E) override { Out.Edges.push_back(E); }
  void translationUnit(const TranslationUnitInfo &T) override {
    Out.TranslationUnits.push_back(T);
  }
  void diagnostic(const Diagnostic &D) override {
    Out.Diagnostics.push_back(D);
  }
  void testFile(const TestFile &T) override { Out.TestFiles.push_back(T); }
  void coverage(const Coverage &C) override {
    Out.CoverageRecords.push_back(C);
  }
  void ignoredFile(const IgnoredFile &F) override {
    Out.IgnoredFiles.push_back(F);
  }

private:
  Graph &Out;
};

ojson metaJson(GraphStore &G, std::string_view Name) {
  std::string V;
  if (!G.getMeta(Name, &V).isOk())
    return ojson::object();
  ojson J = ojson::parse(V, nullptr, /*allow_exceptions=*/false);
  return J.is_discarded() ? ojson::object() : J;
}

} // namespace

Status writeGraphJson(GraphStore &G, const std::string &Path,
                      GraphStats *StatsOut) {
  GraphStats Stats;
  std::string BodyPath = Path + ".body.tmp";
  std::string TmpPath = Path + ".tmp";
  // `--json out/new/graph.json` creates out/new, as `--db` does. A failure
  // here surfaces below as the error of opening the file, which names it.
  std::error_code EC;
  std::filesystem::create_directories(std::filesystem::path(Path).parent_path(),
                                      EC);
  std::ofstream Body(BodyPath, std::ios::binary | std::ios::trunc);
  if (!Body)
    return ioError("write", BodyPath);
  JsonWalker W(Body);
  uint64_t Dangling = 0;
  if (Status St = walkGraph(G, W, Stats, Dangling); !St.isOk())
    return St;
  Body.close();
  if (!Body)
    return ioError("write", BodyPath);

  std::ofstream Out(TmpPath, std::ios::binary | std::ios::trunc);
  if (!Out)
    return ioError("write", TmpPath);
  ojson StatsJson = Stats.toJson();
  StatsJson["dangling_edges_dropped"] = Dangling;
  Out << "{\n  \"schema\": \"" << GraphSchemaName << "\",\n"
      << "  \"schema_version\": " << GraphSchemaVersion << ",\n"
      << "  \"generator\": " << dumpLine(metaJson(G, meta::Generator)) << ",\n"
      << "  \"project\": " << dumpLine(metaJson(G, meta::Project)) << ",\n"
      << "  \"stats\": " << dumpLine(StatsJson) << ",\n";
  {
    std::ifstream In(BodyPath, std::ios::binary);
    Out << In.rdbuf();
  }
  Out << "  \"run\": " << dumpLine(metaJson(G, meta::Run)) << "\n}\n";
  Out.close();
  std::remove(BodyPath.c_str());
  if (!Out)
    return ioError("write", TmpPath);
  if (std::rename(TmpPath.c_str(), Path.c_str()) != 0)
    return ioError("rename into", Path);
  if (StatsOut)
    *StatsOut = std::move(Stats);
  return Status::ok();
}

Status loadGraph(GraphStore &G, Graph &Out) {
  Out = Graph();
  GraphStats Stats;
  GraphCollector W(Out);
  uint64_t Dangling = 0;
  if (Status St = walkGraph(G, W, Stats, Dangling); !St.isOk())
    return St;
  Out.SchemaVersion = GraphSchemaVersion;
  Out.Generator = metaJson(G, meta::Generator);
  Out.Project = metaJson(G, meta::Project);
  Out.Run = metaJson(G, meta::Run);
  Out.Stats = Stats.toJson();
  Out.Stats["dangling_edges_dropped"] = Dangling;
  return Status::ok();
}

// ---- loading ----------------------------------------------------------------

namespace {

template <typename E, typename ParseFn>
E enumFrom(const nlohmann::json &J, const char *Key, E Default, ParseFn Parse) {
  auto It = J.find(Key);
  if (It == J.end() || !It->is_string())
    return Default;
  return Parse(It->template get<std::string>()).value_or(Default);
}

template <typename E, int N>
std::optional<E> parseBySpell(const std::string &S) {
  for (int I = 0; I < N; ++I)
    if (spell(static_cast<E>(I)) == S)
      return static_cast<E>(I);
  return std::nullopt;
}

Id idFrom(const nlohmann::json &J, const char *Key) {
  auto It = J.find(Key);
  if (It == J.end() || !It->is_string())
    return 0;
  return parseId(It->get<std::string>()).value_or(0);
}

Extent extentFrom(const nlohmann::json &J) {
  return Extent{J.value("line", 0u), J.value("column", 0u),
                J.value("end_line", 0u), J.value("end_column", 0u)};
}

} // namespace

Entity entityFromJson(const nlohmann::json &J) {
  Entity E;
  E.ID = idFrom(J, "id");
  E.Usr = J.value("usr", "");
  E.Kind = enumFrom(J, "kind", EntityKind::Function,
                    [](const std::string &S) { return parseEntityKind(S); });
  E.Name = J.value("name", "");
  E.QualifiedName = J.value("qualified_name", "");
  E.Signature = J.value("signature", "");
  E.File = J.value("file", "");
  E.Range = extentFrom(J);
  E.IsDefinition = J.value("is_definition", false);
  if (auto It = J.find("declarations"); It != J.end() && It->is_array())
    for (const auto &D : *It)
      E.Declarations.push_back(Location{D.value("file", ""), extentFrom(D)});
  E.Parent = idFrom(J, "parent");
  E.Lang =
      enumFrom(J, "language", Language::Unknown, parseBySpell<Language, 3>);
  E.Acc = enumFrom(J, "access", Access::None, parseBySpell<Access, 4>);
  if (auto It = J.find("flags"); It != J.end() && It->is_array())
    for (const auto &F : *It)
      if (F.is_string())
        E.Flags |= parseFlag(F.get<std::string>()).value_or(0);
  E.IsTest = J.value("is_test", false);
  E.External = J.value("external", false);
  E.Hash = idFrom(J, "hash");
  return E;
}

Edge edgeFromJson(const nlohmann::json &J) {
  Edge E;
  E.Kind = enumFrom(J, "kind", EdgeKind::Calls,
                    [](const std::string &S) { return parseEdgeKind(S); });
  E.From = idFrom(J, "from");
  E.To = idFrom(J, "to");
  E.Acc = enumFrom(J, "access", Access::None, parseBySpell<Access, 4>);
  E.Virtual = J.value("virtual", false);
  if (auto It = J.find("sites"); It != J.end() && It->is_array())
    for (const auto &S : *It)
      E.Sites.push_back(Site{S.value("file", ""), S.value("line", 0u),
                             S.value("column", 0u), S.value("virtual", false)});
  return E;
}

Status loadGraphJson(const std::string &Path, Graph &Out) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return ioError("read", Path);
  nlohmann::json J = nlohmann::json::parse(In, nullptr, false);
  if (J.is_discarded() || !J.is_object())
    return Status::invalidArgument("'" + Path + "' is not valid JSON");
  if (J.value("schema", "") != GraphSchemaName)
    return Status::invalidArgument(
        "'" + Path +
        "' is not a code-index graph export "
        "(missing \"schema\": \"code-index/graph\")");
  Out = Graph();
  Out.SchemaVersion = J.value("schema_version", 0);
  if (Out.SchemaVersion != GraphSchemaVersion)
    return Status::incompatible("'" + Path + "' has schema_version " +
                                std::to_string(Out.SchemaVersion) +
                                "; this tool reads version " +
                                std::to_string(GraphSchemaVersion));
  auto Obj = [&](const char *K) {
    auto It = J.find(K);
    return It == J.end() ? nlohmann::ordered_json::object()
                         : nlohmann::ordered_json(*It);
  };
  Out.Generator = Obj("generator");
  Out.Project = Obj("project");
  Out.Stats = Obj("stats");
  Out.Run = Obj("run");
  auto Arr = [&](const char *K) -> const nlohmann::json & {
    static const nlohmann::json Empty = nlohmann::json::array();
    auto It = J.find(K);
    return It == J.end() || !It->is_array() ? Empty : *It;
  };
  for (const auto &F : Arr("files"))
    Out.Files.push_back(FileInfo{
        idFrom(F, "id"), F.value("path", ""),
        enumFrom(F, "language", Language::Unknown, parseBySpell<Language, 3>),
        enumFrom(F, "role", FileRole::Source, parseBySpell<FileRole, 5>),
        idFrom(F, "hash"), F.value("lines", 0u),
        enumFrom(F, "status", FileStatus::Indexed,
                 parseBySpell<FileStatus, 3>)});
  for (const auto &E : Arr("entities"))
    Out.Entities.push_back(entityFromJson(E));
  for (const auto &E : Arr("edges"))
    Out.Edges.push_back(edgeFromJson(E));
  for (const auto &D : Arr("diagnostics"))
    Out.Diagnostics.push_back(Diagnostic{
        D.value("translation_unit", ""), D.value("file", ""),
        D.value("line", 0u), D.value("column", 0u),
        enumFrom(D, "severity", Severity::Error, parseBySpell<Severity, 4>),
        D.value("message", "")});
  for (const auto &T : Arr("test_files")) {
    TestFile TF{T.value("path", ""), {}};
    if (auto It = T.find("reasons"); It != T.end() && It->is_array())
      for (const auto &R : *It)
        if (R.is_string())
          TF.Reasons.push_back(R.get<std::string>());
    Out.TestFiles.push_back(std::move(TF));
  }
  for (const auto &C : Arr("coverage"))
    Out.CoverageRecords.push_back(Coverage{
        C.value("path", ""),
        CoverageFact{C.value("total_lines", 0u), C.value("code_lines", 0u),
                     C.value("comment_lines", 0u),
                     C.value("entity_lines", 0u)}});
  for (const auto &F : Arr("ignored_files"))
    Out.IgnoredFiles.push_back(
        IgnoredFile{F.value("path", ""), F.value("reason", "")});
  for (const auto &T : Arr("translation_units"))
    Out.TranslationUnits.push_back(TranslationUnitInfo{
        T.value("file", ""),
        enumFrom(T, "status", TuStatus::Ok, parseBySpell<TuStatus, 6>),
        T.value("reason", ""), T.value("diagnostics", 0u)});
  return Status::ok();
}

} // namespace codeindex
