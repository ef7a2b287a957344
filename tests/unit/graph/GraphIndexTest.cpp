//===- GraphIndexTest.cpp - The keyed tables match the facts --------------===//
//
// The names and in_edges tables are indexes over entities and out_edges.
// After any sequence of unit additions, replacements and removals (an
// incremental run) or a rebuild (a full run), each index holds exactly the
// keys its facts imply, nothing stale and nothing missing, and no encoded
// batch writes one key twice.
//
//===----------------------------------------------------------------------===//

#include "GraphTestUtil.h"

#include "codeindex/graph/Keys.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <map>
#include <random>
#include <set>
#include <tuple>

namespace codeindex {
namespace {

using storage::Table;
using test::entityOf;
using test::MemGraph;
using test::unitOf;

using EdgeTuple = std::tuple<EdgeKind, Id, Id, UnitKey>;

/// What the tables hold, parsed.
struct Tables {
  std::set<std::pair<Id, UnitKey>> Entities;
  std::set<EdgeTuple> OutEdges;
  std::set<EdgeTuple> InEdges; ///< stored to-from; flipped back here
  std::set<std::tuple<std::string, Id, UnitKey>> Names;
  std::set<UnitKey> Units;
  std::set<std::pair<std::string, uint64_t>> Files;
};

Tables readTables(storage::Store &S) {
  Tables T;
  for (auto It = S.scan(Table::Entities, ""); It->valid(); It->next()) {
    Id I;
    UnitKey U;
    EXPECT_TRUE(keys::parseEntityKey(It->key(), I, U));
    T.Entities.emplace(I, U);
  }
  for (Table Tb : {Table::OutEdges, Table::InEdges})
    for (auto It = S.scan(Tb, ""); It->valid(); It->next()) {
      EdgeKind K;
      Id A, B;
      UnitKey U;
      EXPECT_TRUE(keys::parseEdgeKey(It->key(), K, A, B, U));
      if (Tb == Table::OutEdges) {
        T.OutEdges.emplace(K, A, B, U);
      } else {
        T.InEdges.emplace(K, B, A, U);
        EXPECT_TRUE(It->value().empty());
      }
    }
  for (auto It = S.scan(Table::Names, ""); It->valid(); It->next()) {
    std::string_view Name;
    Id I;
    UnitKey U;
    EXPECT_TRUE(keys::parseNameKey(It->key(), Name, I, U));
    T.Names.emplace(std::string(Name), I, U);
  }
  for (auto It = S.scan(Table::Units, ""); It->valid(); It->next()) {
    UnitKey U;
    EXPECT_TRUE(keys::parseUnitKey(It->key(), U));
    T.Units.insert(U);
  }
  for (auto It = S.scan(Table::Files, ""); It->valid(); It->next()) {
    std::string_view P;
    uint64_t V;
    EXPECT_TRUE(keys::parsePathKey(It->key(), P, V));
    T.Files.emplace(std::string(P), V);
  }
  return T;
}

/// What the tables must hold for the units in Live.
Tables expectedTables(const std::map<UnitKey, UnitFacts> &Live) {
  Tables T;
  for (const auto &[K, U] : Live) {
    T.Units.insert(K);
    T.Files.emplace(U.File.Path, K.Variant);
    for (const EntityFact &E : U.Entities) {
      T.Entities.emplace(E.ID, K);
      T.Names.emplace(keys::lowerName(E.Name), E.ID, K);
    }
    for (const EdgeFact &E : U.Edges) {
      T.OutEdges.emplace(E.Kind, E.From, E.To, K);
      T.InEdges.emplace(E.Kind, E.From, E.To, K);
    }
  }
  return T;
}

void expectSame(const Tables &Got, const Tables &Want, int Step) {
  EXPECT_EQ(Got.Entities, Want.Entities) << "step " << Step;
  EXPECT_EQ(Got.OutEdges, Want.OutEdges) << "step " << Step;
  EXPECT_EQ(Got.InEdges, Want.InEdges) << "in_edges at step " << Step;
  EXPECT_EQ(Got.Names, Want.Names) << "names at step " << Step;
  EXPECT_EQ(Got.Units, Want.Units) << "step " << Step;
  EXPECT_EQ(Got.Files, Want.Files) << "step " << Step;
}

/// Fails if B touches one (table, key) twice: each record is written once.
void expectEachKeyOnce(const storage::WriteBatch &B) {
  std::set<std::pair<Table, std::string>> Seen;
  for (const storage::WriteBatch::Op &O : B.ops())
    EXPECT_TRUE(Seen.emplace(O.T, O.Key).second)
        << "key written twice in one batch: table " << storage::tableName(O.T)
        << (O.IsDelete ? " (delete)" : " (put)");
}

/// A random unit: a path from a small pool, entities and edges drawn from
/// small pools so that replacements overlap with what was there before.
UnitFacts randomUnit(std::mt19937 &R, int PathNo) {
  static const char *Names[] = {"alpha", "Beta", "gamma", "Delta", "eps"};
  UnitFacts U = unitOf("src/f" + std::to_string(PathNo) + ".cpp");
  std::set<Id> Ids;
  int N = R() % 6;
  for (int I = 0; I < N; ++I)
    Ids.insert(1 + R() % 20);
  for (Id I : Ids) {
    // One name per id, so that every unit agrees on it.
    U.Entities.push_back(entityOf(I, Names[I % 5] + std::to_string(I % 3),
                                  1 + R() % 50, R() % 2));
    U.Entities.back().File = U.File.Path;
  }
  std::set<std::tuple<EdgeKind, Id, Id>> Edges;
  int M = R() % 8;
  for (int I = 0; I < M; ++I)
    Edges.emplace(static_cast<EdgeKind>(R() % 3), 1 + R() % 20, 1 + R() % 20);
  for (const auto &[K, A, B] : Edges) {
    EdgeFact E;
    E.Kind = K;
    E.From = A;
    E.To = B;
    E.Sites = {SiteFact{1 + static_cast<uint32_t>(R() % 40), 1, false}};
    U.Edges.push_back(E);
  }
  if (R() % 4 == 0)
    U.File.TestReasons = {"name matches *_test"};
  return U;
}

TEST(GraphIndex, IncrementalSequencesKeepEveryIndexExact) {
  for (unsigned Seed = 1; Seed <= 20; ++Seed) {
    std::mt19937 R(Seed);
    MemGraph M;
    std::map<UnitKey, UnitFacts> Live;
    for (int Step = 0; Step < 60; ++Step) {
      storage::WriteBatch B;
      int Op = R() % 10;
      if (Op < 7) {
        // A TU writes (adds or replaces) one or two units.
        std::vector<UnitFacts> Units;
        std::set<int> Paths;
        int N = 1 + R() % 2;
        for (int I = 0; I < N; ++I)
          Paths.insert(R() % 6);
        for (int P : Paths)
          Units.push_back(randomUnit(R, P));
        TuRecord Tu;
        Tu.Key = 1000 + R() % 3;
        Tu.MainFile = Units.front().File.Path;
        for (int D = 0, ND = R() % 3; D < ND; ++D)
          Tu.Diagnostics.push_back(
              DiagnosticFact{"x.cpp", 1, 1, Severity::Warning, "w"});
        ASSERT_TRUE(M.G->encodeTu(Tu, Units, B).isOk());
        for (UnitFacts &U : Units)
          Live[U.Key] = std::move(U);
      } else if (Op < 9) {
        if (Live.empty())
          continue;
        auto It = std::next(Live.begin(), R() % Live.size());
        ASSERT_TRUE(M.G->encodeRemoveUnit(It->first, B).isOk());
        Live.erase(It);
      } else {
        ASSERT_TRUE(M.G->encodeRemoveTu(1000 + R() % 3, B).isOk());
      }
      expectEachKeyOnce(B);
      ASSERT_TRUE(M.S->write(B).isOk());
      expectSame(readTables(*M.S), expectedTables(Live), Step);
      if (::testing::Test::HasFailure())
        return; // one failing step says enough
    }
  }
}

TEST(GraphIndex, ReplacingAUnitWithTheSameFactsWritesEachKeyOnceAndNoDelete) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp");
  A.Entities.push_back(entityOf(1, "f", 1, true));
  A.Entities.push_back(entityOf(2, "g", 5, true));
  EdgeFact E;
  E.From = 1;
  E.To = 2;
  E.Sites = {SiteFact{2, 3, false}};
  A.Edges.push_back(E);
  A.File.TestReasons = {"path contains /test/"};
  M.addTu(1, "a.cpp", {A});
  TuRecord Tu;
  Tu.Key = 1;
  Tu.MainFile = "a.cpp";
  Tu.OwnedUnits = {A.Key};
  storage::WriteBatch B;
  ASSERT_TRUE(M.G->encodeTu(Tu, {A}, B).isOk());
  expectEachKeyOnce(B);
  for (const storage::WriteBatch::Op &O : B.ops())
    EXPECT_FALSE(O.IsDelete)
        << "deleted a key of table " << storage::tableName(O.T)
        << " that the new facts write again";
}

TEST(GraphIndex, ARenameDropsTheOldNameKeyAndAMovedUnitItsOldPath) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp");
  A.Entities.push_back(entityOf(1, "Old", 1, true));
  M.addTu(1, "a.cpp", {A});
  A.Entities[0].Name = "New";
  A.File.Path = "moved/a.cpp"; // same unit key, another path
  A.File.TestReasons = {"t"};
  M.addTu(1, "a.cpp", {A});
  Tables T = readTables(*M.S);
  EXPECT_EQ(T.Names, (std::set<std::tuple<std::string, Id, UnitKey>>{
                         {"new", 1, A.Key}}));
  EXPECT_EQ(T.Files,
            (std::set<std::pair<std::string, uint64_t>>{{"moved/a.cpp", 0}}));
  std::vector<TestFile> Tests;
  ASSERT_TRUE(M.G->forEachTestFile([&](const TestFile &F) {
                   Tests.push_back(F);
                   return true;
                 })
                  .isOk());
  ASSERT_EQ(Tests.size(), 1u);
  EXPECT_EQ(Tests[0].Path, "moved/a.cpp");
  // And back: the test reasons go, the coverage key of the old path too.
  A.File.Path = "a.cpp";
  A.File.TestReasons.clear();
  M.addTu(1, "a.cpp", {A});
  size_t TestKeys = 0, CoverageKeys = 0;
  for (auto It = M.S->scan(Table::TestFiles, ""); It->valid(); It->next())
    ++TestKeys;
  for (auto It = M.S->scan(Table::Coverage, ""); It->valid(); It->next()) {
    ++CoverageKeys;
    EXPECT_EQ(It->key().substr(0, 6), std::string_view("a.cpp\0", 6));
  }
  EXPECT_EQ(TestKeys, 0u);
  EXPECT_EQ(CoverageKeys, 1u);
}

TEST(GraphIndex, AFullRunWritesEachKeyOnceAndMatchesTheFacts) {
  std::mt19937 R(7);
  MemGraph M;
  M.G->assumeEmpty(true);
  std::map<UnitKey, UnitFacts> Live;
  for (int P = 0; P < 6; ++P) {
    UnitFacts U = randomUnit(R, P);
    TuRecord Tu;
    Tu.Key = static_cast<Id>(P + 1);
    Tu.MainFile = U.File.Path;
    storage::WriteBatch B;
    ASSERT_TRUE(M.G->encodeTu(Tu, {U}, B).isOk());
    expectEachKeyOnce(B);
    for (const storage::WriteBatch::Op &O : B.ops())
      EXPECT_FALSE(O.IsDelete) << "a rebuild deletes nothing";
    ASSERT_TRUE(M.S->write(B).isOk());
    Live[U.Key] = U;
  }
  expectSame(readTables(*M.S), expectedTables(Live), 0);
}

TEST(GraphIndex, RewritingTheSameIgnoredFilesWritesNothing) {
  MemGraph M;
  std::vector<IgnoredFile> Files = {{"a.c", "not in the database"},
                                    {"b.c", "excluded"}};
  storage::WriteBatch B;
  ASSERT_TRUE(M.G->encodeIgnoredFiles(Files, B).isOk());
  ASSERT_TRUE(M.S->write(B).isOk());
  storage::WriteBatch Again;
  ASSERT_TRUE(M.G->encodeIgnoredFiles(Files, Again).isOk());
  EXPECT_TRUE(Again.empty());
  Files = {{"b.c", "changed"}};
  storage::WriteBatch Changed;
  ASSERT_TRUE(M.G->encodeIgnoredFiles(Files, Changed).isOk());
  ASSERT_TRUE(M.S->write(Changed).isOk());
  std::vector<IgnoredFile> Got;
  ASSERT_TRUE(M.G->forEachIgnoredFile([&](const IgnoredFile &F) {
                   Got.push_back(F);
                   return true;
                 })
                  .isOk());
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(Got[0].Path, "b.c");
  EXPECT_EQ(Got[0].Reason, "changed");
}

TEST(GraphKeys, EachKeyParsesBackAndWrongShapesAreRejected) {
  UnitKey U{0x1122334455667788ull, 9};
  Id I, A, B;
  UnitKey Got;
  ASSERT_TRUE(keys::parseEntityKey(keys::entityKey(42, U), I, Got));
  EXPECT_EQ(I, 42u);
  EXPECT_EQ(Got, U);
  EXPECT_EQ(keys::entityKey(42, U).size(), keys::EntityKeyBytes);
  EXPECT_FALSE(keys::parseEntityKey(keys::unitKey(U), I, Got));
  EdgeKind K;
  std::string E = keys::edgeKey(EdgeKind::Overrides, 5, 6, U);
  ASSERT_TRUE(keys::parseEdgeKey(E, K, A, B, Got));
  EXPECT_EQ(K, EdgeKind::Overrides);
  EXPECT_EQ(A, 5u);
  EXPECT_EQ(B, 6u);
  EXPECT_EQ(Got, U);
  EXPECT_EQ(E.substr(0, keys::EdgePairBytes),
            keys::edgePairPrefix(EdgeKind::Overrides, 5, 6));
  EXPECT_EQ(E.substr(0, keys::EdgeEndpointBytes),
            keys::edgeEndpointPrefix(EdgeKind::Overrides, 5));
  E[0] = static_cast<char>(NumEdgeKinds);
  EXPECT_FALSE(keys::parseEdgeKey(E, K, A, B, Got)) << "unknown kind";
  EXPECT_FALSE(keys::parseEdgeKey(E.substr(1), K, A, B, Got));
  std::string_view Name;
  std::string NK = keys::nameKey("MixedCase", 7, U);
  ASSERT_TRUE(keys::parseNameKey(NK, Name, I, Got));
  EXPECT_EQ(Name, "mixedcase");
  EXPECT_EQ(I, 7u);
  std::string Long(300, 'X');
  std::string LK = keys::nameKey(Long, 7, U);
  ASSERT_TRUE(keys::parseNameKey(LK, Name, I, Got));
  EXPECT_EQ(Name.size(), keys::MaxNameKeyBytes);
  EXPECT_FALSE(keys::parseNameKey("short", Name, I, Got));
  std::string_view Path;
  uint64_t Variant;
  std::string PK = keys::pathKey("a/b.cpp", 3);
  ASSERT_TRUE(keys::parsePathKey(PK, Path, Variant));
  EXPECT_EQ(Path, "a/b.cpp");
  EXPECT_EQ(Variant, 3u);
  EXPECT_FALSE(keys::parsePathKey("a/b.cpp", Path, Variant));
  EXPECT_EQ(keys::diagnosticKey(1, 2).size(), keys::DiagnosticKeyBytes);
}

} // namespace
} // namespace codeindex
