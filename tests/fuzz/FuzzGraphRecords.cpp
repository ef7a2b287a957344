//===- FuzzGraphRecords.cpp - libFuzzer target: stored graph records -----===//
//
// Treats the input as a list of (table, key, value) records, writes them to
// an in-memory store (with a valid schema marker first, which a record may
// overwrite) and reads everything back through GraphStore: every decoder of
// entity, edge, file, unit, TU, diagnostic, coverage and test records runs
// on the bytes, through the whole-table scans and the point lookups.
// Damaged records must give Status::corruption, never a crash.
//
// Input: repeated  table:u8  key_len:u8  value_len:u16le  key  value
//
// With CODE_INDEX_FUZZ_WRITE_SEEDS=DIR set, writes seed inputs (the records
// of a small realistic TU, encoded by GraphStore itself) to DIR and exits.
//
//===----------------------------------------------------------------------===//

#include "codeindex/graph/GraphJson.h"
#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/Store.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace codeindex;
using namespace codeindex::storage;

namespace {

std::unique_ptr<Store> openMem() {
  StoreSpec Spec;
  std::unique_ptr<Store> S;
  if (!parseStoreSpec("mem", &Spec).isOk() ||
      !openStore(Spec, OpenOptions(), &S).isOk())
    std::abort();
  return S;
}

void readEverything(GraphStore &G) {
  std::vector<TuRecord> Tus;
  (void)G.readTuRecords(Tus, true);
  std::vector<UnitKey> Units;
  (void)G.readUnitKeys(Units);
  size_t N = 0;
  auto Count = [&](const auto &) { return ++N < 100000; };
  (void)G.forEachFile(Count);
  (void)G.forEachEntity([&](const Entity &E) {
    (void)toJson(E).dump(-1, ' ', false,
                         nlohmann::json::error_handler_t::replace);
    return ++N < 100000;
  });
  (void)G.forEachEdge([&](const Edge &E) {
    (void)toJson(E).dump(-1, ' ', false,
                         nlohmann::json::error_handler_t::replace);
    return ++N < 100000;
  });
  (void)G.forEachTestFile(Count);
  (void)G.forEachCoverage(Count);
  (void)G.forEachIgnoredFile(Count);
  (void)G.forEachDiagnostic(Count);
  (void)G.forEachTranslationUnit(Count);
  std::vector<Id> Ids;
  (void)G.findByNamePrefix("", Ids, 64);
  (void)G.findByQualifiedName("ns::f", Ids);
  (void)G.findByName("f", Ids);
  // The point lookups decode the same records through their own paths (the
  // in_edges index, unit manifests for site paths and a file's entities).
  for (Id I : Ids) {
    Entity E;
    (void)G.getEntity(I, E);
    std::vector<Edge> Edges;
    (void)G.outEdges(I, Edges);
    (void)G.inEdges(I, Edges);
  }
  std::vector<std::string> Paths;
  (void)G.forEachFile([&](const FileInfo &F) {
    Paths.push_back(F.Path);
    return Paths.size() < 64;
  });
  for (const std::string &P : Paths) {
    FileInfo F;
    (void)G.getFile(P, F);
    std::vector<Id> InFile;
    (void)G.entitiesInFile(P, InFile);
  }
  // Replacing and removing units reads their (possibly damaged) manifests.
  WriteBatch B;
  for (const UnitKey &U : Units)
    (void)G.encodeRemoveUnit(U, B);
}

void putRecord(std::string &Out, Table T, std::string_view K,
               std::string_view V) {
  if (K.size() > 255 || V.size() > 65535)
    return;
  Out.push_back(static_cast<char>(T));
  Out.push_back(static_cast<char>(K.size()));
  Out.push_back(static_cast<char>(V.size() & 0xff));
  Out.push_back(static_cast<char>(V.size() >> 8));
  Out.append(K);
  Out.append(V);
}

void writeSeeds(const char *Dir) {
  TuRecord Tu;
  Tu.Key = 0x1234;
  Tu.MainFile = "a.cpp";
  Tu.Directory = "/build";
  Tu.Status = TuStatus::Errors;
  Tu.Diagnostics.push_back({"a.cpp", 3, 7, Severity::Error, "boom"});
  UnitFacts U;
  U.Key = UnitKey{0x5eed, 7};
  U.File.Path = "a.cpp";
  U.File.Lang = Language::Cxx;
  U.File.TestReasons.push_back("name matches *_test.cpp");
  EntityFact E;
  E.ID = 42;
  E.Usr = "c:@F@f#";
  E.Name = E.QualifiedName = "f";
  E.Signature = "int f()";
  E.File = "a.cpp";
  E.Decls.push_back(DeclFact{});
  U.Entities.push_back(E);
  EntityFact P = E;
  P.ID = 43;
  P.Usr = "c:@N@ns";
  P.Kind = EntityKind::Namespace;
  P.Name = P.QualifiedName = "ns";
  U.Entities[0].Parent = 43;
  U.Entities.push_back(P);
  EdgeFact Ed;
  Ed.Kind = EdgeKind::Calls;
  Ed.From = 42;
  Ed.To = 42;
  Ed.Sites.push_back(SiteFact{});
  U.Edges.push_back(Ed);
  Tu.OwnedUnits.push_back(U.Key);
  auto S = openMem();
  GraphStore G(*S);
  WriteBatch B;
  if (!G.encodeTu(Tu, {U}, B).isOk())
    std::abort();
  std::vector<IgnoredFile> Ignored{{"b.cpp", "not compiled"}};
  (void)G.encodeIgnoredFiles(Ignored, B);
  std::string All;
  int I = 0;
  for (const WriteBatch::Op &O : B.ops()) {
    if (O.IsDelete)
      continue;
    std::string One;
    putRecord(One, O.T, O.Key, O.Value);
    putRecord(All, O.T, O.Key, O.Value);
    std::ofstream(std::string(Dir) + "/record-" + std::to_string(I++),
                  std::ios::binary)
        << One;
  }
  std::ofstream(std::string(Dir) + "/tu-all", std::ios::binary) << All;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  if (const char *Dir = std::getenv("CODE_INDEX_FUZZ_WRITE_SEEDS")) {
    writeSeeds(Dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto S = openMem();
  GraphStore G(*S);
  if (!G.initSchema(true).isOk())
    std::abort();
  WriteBatch B;
  size_t P = 0;
  while (P + 4 <= Size) {
    Table T = static_cast<Table>(Data[P] % NumTables);
    size_t KLen = Data[P + 1];
    size_t VLen = Data[P + 2] | (size_t(Data[P + 3]) << 8);
    P += 4;
    if (KLen == 0 || P + KLen + VLen > Size)
      break;
    std::string_view K(reinterpret_cast<const char *>(Data + P), KLen);
    std::string_view V(reinterpret_cast<const char *>(Data + P + KLen), VLen);
    B.put(T, K, V);
    P += KLen + VLen;
  }
  if (!S->write(B).isOk())
    return 0;
  if (!G.initSchema(false).isOk())
    return 0; // a record replaced the schema marker: Incompatible
  readEverything(G);
  return 0;
}
