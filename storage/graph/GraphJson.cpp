//===- GraphJson.cpp - The JSON export of a code graph --------------------===//

#include "codeindex/graph/GraphJson.h"

#include "Platform.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
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
  if (E.IsTest) {
    J["test_name"] = E.TestName;
    J["test_framework"] = E.TestFramework;
  }
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
    if (S.Candidate)
      SJ["candidate"] = true;
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

namespace {

namespace fs = std::filesystem;
namespace plat = storage::detail;

/// Where an export goes once symbolic links are followed.
struct ExportTarget {
  std::string Path;    ///< final path (links followed); empty for stdout
  bool Stream = false; ///< stdout, a FIFO or a character device
};

/// `-` is stdout. A symbolic link is followed (also a dangling one: the
/// file it names is created), so the link stays a link. A FIFO or a
/// character device (/dev/stdout, /dev/null) is written directly: renaming
/// a file over it would replace it.
Status resolveExportTarget(const std::string &Path, ExportTarget *Out) {
  if (Path == "-") {
    Out->Stream = true;
    return Status::ok();
  }
  fs::path P = plat::toFsPath(Path);
  std::error_code EC;
  for (int Hops = 0; fs::is_symlink(fs::symlink_status(P, EC)); ++Hops) {
    if (Hops == 40)
      return Status::ioError("cannot write '" + Path +
                             "': too many levels of symbolic links");
    fs::path T = fs::read_symlink(P, EC);
    if (EC)
      return Status::ioError("cannot read the symbolic link '" +
                             plat::fromFsPath(P) + "': " + EC.message());
    P = T.is_absolute() ? T : P.parent_path() / T;
  }
  fs::file_status St = fs::status(P, EC);
  Out->Path = plat::fromFsPath(P);
  Out->Stream =
      St.type() == fs::file_type::fifo || St.type() == fs::file_type::character;
  if (St.type() == fs::file_type::directory)
    return Status::ioError("cannot write '" + Path + "': it is a directory");
  return Status::ok();
}

/// Temporary files of an export to Target: Target + ".tmp-" + a unique
/// part, and the same + ".body" for the records. The writer holds an
/// exclusive lock on the first while it lives; a temporary that can be
/// locked (and is older than a few seconds) belongs to a writer that was
/// killed, and is removed (with its body) by the next export to the same
/// path.
constexpr std::string_view TmpInfix = ".tmp-";

void removeStaleTemporaries(const std::string &Target) {
  fs::path T = plat::toFsPath(Target);
  std::string Prefix = plat::fromFsPath(T.filename()) + std::string(TmpInfix);
  fs::path Dir = T.parent_path().empty() ? fs::path(".") : T.parent_path();
  std::error_code EC;
  std::vector<std::string> Stale;
  for (fs::directory_iterator It(Dir, EC), End; !EC && It != End;
       It.increment(EC)) {
    std::string Name = plat::fromFsPath(It->path().filename());
    if (Name.compare(0, Prefix.size(), Prefix) != 0 ||
        (Name.size() > 5 && Name.compare(Name.size() - 5, 5, ".body") == 0))
      continue;
    // A writer creates its temporary file, then locks it: one younger than
    // that window may be a live writer's.
    std::error_code TimeEC;
    auto MTime = fs::last_write_time(It->path(), TimeEC);
    if (TimeEC ||
        fs::file_time_type::clock::now() - MTime < std::chrono::seconds(10))
      continue;
    std::string P = plat::fromFsPath(It->path());
    plat::File F;
    bool Missing = false, Busy = false;
    if (!plat::openFile(P, plat::OpenFor::ReadWrite, &F, &Missing).isOk() ||
        Missing)
      continue;
    if (plat::lockFile(F, plat::LockKind::Exclusive, /*Wait=*/false, &Busy, P)
            .isOk() &&
        !Busy)
      Stale.push_back(P);
  }
  for (const std::string &P : Stale) {
    plat::removeFile(P + ".body");
    plat::removeFile(P);
  }
}

std::string uniqueSuffix() {
  static std::atomic<uint64_t> Counter{0};
  std::random_device RD;
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, "%llu-%llu-%08x",
                static_cast<unsigned long long>(plat::processId()),
                static_cast<unsigned long long>(++Counter),
                static_cast<unsigned>(RD()));
  return Buf;
}

/// Size of the part of an export before its "run" line (the last record),
/// or nullopt if File is not an export this function wrote.
std::optional<uint64_t> bytesBeforeRunLine(const std::string &File) {
  std::ifstream In(plat::toFsPath(File), std::ios::binary | std::ios::ate);
  if (!In)
    return std::nullopt;
  uint64_t Size = static_cast<uint64_t>(In.tellg());
  uint64_t Tail = std::min<uint64_t>(Size, 1 << 16);
  std::string Buf(Tail, '\0');
  In.seekg(static_cast<std::streamoff>(Size - Tail));
  if (!In.read(Buf.data(), static_cast<std::streamsize>(Tail)))
    return std::nullopt;
  size_t At = Buf.rfind("\n  \"run\": ");
  if (At == std::string::npos)
    return std::nullopt;
  return Size - Tail + At + 1;
}

/// Whether the first N bytes of A and B are equal (both at least N long).
bool samePrefix(const std::string &A, const std::string &B, uint64_t N) {
  std::ifstream FA(plat::toFsPath(A), std::ios::binary);
  std::ifstream FB(plat::toFsPath(B), std::ios::binary);
  std::vector<char> BA(1 << 16), BB(1 << 16);
  while (N > 0) {
    std::streamsize Want =
        static_cast<std::streamsize>(std::min<uint64_t>(N, BA.size()));
    if (!FA.read(BA.data(), Want) || !FB.read(BB.data(), Want) ||
        std::memcmp(BA.data(), BB.data(), static_cast<size_t>(Want)) != 0)
      return false;
    N -= static_cast<uint64_t>(Want);
  }
  return true;
}

} // namespace

Status writeGraphJson(GraphStore &G, const std::string &Path,
                      GraphStats *StatsOut) {
  ExportTarget Target;
  if (Status St = resolveExportTarget(Path, &Target); !St.isOk())
    return St;
  std::string Dir;
  if (!Target.Stream) {
    // `--json out/new/graph.json` creates out/new, as `--db` does. A
    // failure here surfaces below as the error of creating the file.
    std::error_code EC;
    fs::create_directories(plat::toFsPath(Target.Path).parent_path(), EC);
    removeStaleTemporaries(Target.Path);
  }
  // The records go to a body file first: the header's "stats" counts them.
  // Beside the target for a file; in the temporary directory for a stream.
  std::string Stem;
  if (Target.Stream) {
    std::error_code EC;
    Stem = plat::fromFsPath(fs::temp_directory_path(EC) / "code-index-export");
    Stem += std::string(TmpInfix) + uniqueSuffix();
  } else {
    Stem = Target.Path + std::string(TmpInfix) + uniqueSuffix();
  }
  std::string BodyPath = Stem + ".body";
  plat::File Tmp;
  if (!Target.Stream) {
    if (Status St = plat::openFile(Stem, plat::OpenFor::WriteTruncate, &Tmp,
                                   nullptr, "cannot create");
        !St.isOk())
      return St;
    bool Busy = false;
    if (Status St =
            plat::lockFile(Tmp, plat::LockKind::Exclusive, false, &Busy, Stem);
        !St.isOk()) {
      plat::removeFile(Stem);
      return St;
    }
  }
  // Whatever happens below, no temporary file outlives this call.
  struct Cleanup {
    std::string Body, Tmp;
    ~Cleanup() {
      plat::removeFile(Body);
      if (!Tmp.empty())
        plat::removeFile(Tmp);
    }
  } Guard{BodyPath, Target.Stream ? std::string() : Stem};

  GraphStats Stats;
  std::ofstream Body(plat::toFsPath(BodyPath),
                     std::ios::binary | std::ios::trunc);
  if (!Body)
    return ioError("write", BodyPath);
  JsonWalker W(Body);
  uint64_t Dangling = 0;
  if (Status St = walkGraph(G, W, Stats, Dangling); !St.isOk())
    return St;
  Body.close();
  if (!Body)
    return ioError("write", BodyPath);

  ojson StatsJson = Stats.toJson();
  StatsJson["dangling_edges_dropped"] = Dangling;
  std::string Head =
      "{\n  \"schema\": \"" + std::string(GraphSchemaName) +
      "\",\n  \"schema_version\": " + std::to_string(ExportSchemaVersion) +
      ",\n" + "  \"generator\": " + dumpLine(metaJson(G, meta::Generator)) +
      ",\n" + "  \"project\": " + dumpLine(metaJson(G, meta::Project)) + ",\n" +
      "  \"stats\": " + dumpLine(StatsJson) + ",\n";
  std::string RunLine =
      "  \"run\": " + dumpLine(metaJson(G, meta::Run)) + "\n}\n";

  // Sends Head, the body and RunLine to Put; returns the bytes before the
  // run line, or an error.
  auto Emit = [&](auto &&Put) -> Status {
    if (Status St = Put(std::string_view(Head)); !St.isOk())
      return St;
    std::ifstream In(plat::toFsPath(BodyPath), std::ios::binary);
    std::vector<char> Buf(1 << 16);
    while (In) {
      In.read(Buf.data(), static_cast<std::streamsize>(Buf.size()));
      std::streamsize Got = In.gcount();
      if (Got > 0)
        if (Status St = Put(std::string_view(Buf.data(), size_t(Got)));
            !St.isOk())
          return St;
    }
    if (In.bad())
      return ioError("read", BodyPath);
    return Put(std::string_view(RunLine));
  };

  if (Target.Stream) {
    std::ofstream Out;
    std::ostream *OS = &std::cout;
    if (!Target.Path.empty()) {
      Out.open(plat::toFsPath(Target.Path), std::ios::binary);
      if (!Out)
        return ioError("write", Target.Path);
      OS = &Out;
    }
    std::string Name = Target.Path.empty() ? "stdout" : Target.Path;
    if (Status St = Emit([&](std::string_view D) {
          OS->write(D.data(), static_cast<std::streamsize>(D.size()));
          return *OS ? Status::ok() : ioError("write", Name);
        });
        !St.isOk())
      return St;
    OS->flush();
    if (!*OS)
      return ioError("write", Name);
  } else {
    uint64_t Written = 0;
    if (Status St = Emit([&](std::string_view D) {
          Written += D.size();
          return plat::writeAll(Tmp, D, Stem);
        });
        !St.isOk())
      return St;
    uint64_t Before = Written - RunLine.size();
    // An unchanged graph leaves the export untouched (its "run" object
    // then describes the run that last changed it), so that build tools
    // comparing modification times (Ninja's restat) see no change.
    std::optional<uint64_t> Old = bytesBeforeRunLine(Target.Path);
    if (Old && *Old == Before && samePrefix(Stem, Target.Path, Before)) {
      if (StatsOut)
        *StatsOut = std::move(Stats);
      return Status::ok();
    }
    if (Status St = plat::syncFile(Tmp, Stem); !St.isOk())
      return St;
    if (Status St = plat::replaceFile(Stem, Target.Path); !St.isOk())
      return St;
    Guard.Tmp.clear();
    // The rename is durable once the directory is.
    fs::path Parent = plat::toFsPath(Target.Path).parent_path();
    plat::syncPath(Parent.empty() ? std::string(".")
                                  : plat::fromFsPath(Parent));
  }
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
  Out.SchemaVersion = ExportSchemaVersion;
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
  E.TestName = J.value("test_name", "");
  E.TestFramework = J.value("test_framework", "");
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
                             S.value("column", 0u), S.value("virtual", false),
                             S.value("candidate", false)});
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
  if (Out.SchemaVersion != ExportSchemaVersion)
    return Status::incompatible("'" + Path + "' has schema_version " +
                                std::to_string(Out.SchemaVersion) +
                                "; this tool reads version " +
                                std::to_string(ExportSchemaVersion));
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
