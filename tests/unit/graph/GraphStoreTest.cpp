//===- GraphStoreTest.cpp - Merging unit facts into the graph -------------===//

#include "GraphTestUtil.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using test::entityOf;
using test::MemGraph;
using test::unitOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Entity> allEntities(GraphStore &G) {
  std::vector<Entity> Out;
  EXPECT_TRUE(G.forEachEntity([&](const Entity &E) {
                 Out.push_back(E);
                 return true;
               }).isOk());
  return Out;
}

TEST(GraphStoreMerge, TheDefinitionIsPrimaryOtherDeclarationsAreListed) {
  MemGraph M;
  UnitFacts H = unitOf("f.h"), C = unitOf("f.cpp");
  H.File.Role = FileRole::Header;
  H.Entities.push_back(entityOf(1, "f", 3, /*Definition=*/false));
  C.Entities.push_back(entityOf(1, "f", 8, /*Definition=*/true));
  C.Entities.back().File = "f.cpp";
  H.Entities.back().File = "f.h";
  H.Entities.back().Flags = flag::Inline;
  M.addTu(100, "f.cpp", {H, C});
  auto Es = allEntities(*M.G);
  ASSERT_EQ(Es.size(), 1u);
  EXPECT_EQ(Es[0].File, "f.cpp");
  EXPECT_EQ(Es[0].Range.Line, 8u);
  EXPECT_TRUE(Es[0].IsDefinition);
  ASSERT_EQ(Es[0].Declarations.size(), 1u);
  EXPECT_EQ(Es[0].Declarations[0].File, "f.h");
  EXPECT_EQ(Es[0].Declarations[0].Range.Line, 3u);
  EXPECT_EQ(Es[0].Flags, flag::Inline) << "flags are the union";
  EXPECT_EQ(Es[0].Hash, 0x1234u);
}

TEST(GraphStoreMerge, ATestCaseKeepsItsNameAndFramework) {
  MemGraph M;
  UnitFacts H = unitOf("t.h"), C = unitOf("t_test.cc");
  // Declared in a header, defined (and registered) in the test file.
  H.Entities.push_back(entityOf(1, "TestBody", 3, /*Definition=*/false));
  H.Entities.back().File = "t.h";
  C.Entities.push_back(entityOf(1, "TestBody", 8, /*Definition=*/true));
  C.Entities.back().File = "t_test.cc";
  C.Entities.back().IsTest = true;
  C.Entities.back().TestName = "*/Suite.Name/*";
  C.Entities.back().TestFramework = "gtest";
  C.Entities.push_back(entityOf(2, "helper", 12, /*Definition=*/true));
  C.Entities.back().File = "t_test.cc";
  M.addTu(100, "t_test.cc", {H, C});
  auto Es = allEntities(*M.G);
  ASSERT_EQ(Es.size(), 2u);
  EXPECT_TRUE(Es[0].IsTest);
  EXPECT_EQ(Es[0].TestName, "*/Suite.Name/*");
  EXPECT_EQ(Es[0].TestFramework, "gtest");
  EXPECT_FALSE(Es[1].IsTest);
  EXPECT_EQ(Es[1].TestName, "");
}

TEST(GraphStoreMerge, OrderOfTusDoesNotMatter) {
  auto Build = [](bool Reverse) {
    MemGraph M;
    UnitFacts A = unitOf("a.cpp"), B = unitOf("b.cpp");
    A.Entities.push_back(entityOf(1, "f", 2, false));
    A.Entities.back().File = "a.cpp";
    B.Entities.push_back(entityOf(1, "f", 5, false));
    B.Entities.back().File = "b.cpp";
    if (Reverse) {
      M.addTu(2, "b.cpp", {B});
      M.addTu(1, "a.cpp", {A});
    } else {
      M.addTu(1, "a.cpp", {A});
      M.addTu(2, "b.cpp", {B});
    }
    auto Es = allEntities(*M.G);
    EXPECT_EQ(Es.size(), 1u);
    return Es.empty() ? std::string() : Es[0].File;
  };
  EXPECT_EQ(Build(false), "a.cpp") << "no definition: the first declaration "
                                      "by path is primary";
  EXPECT_EQ(Build(true), "a.cpp");
}

TEST(GraphStoreMerge, TwoUsrsWithOneIdAreReportedNotMerged) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp"), B = unitOf("b.cpp");
  A.Entities.push_back(entityOf(9, "f", 1, true));
  A.Entities.back().File = "a.cpp";
  B.Entities.push_back(entityOf(9, "g", 1, true));
  B.Entities.back().File = "b.cpp";
  M.addTu(1, "a.cpp", {A});
  M.addTu(2, "b.cpp", {B});
  allEntities(*M.G);
  EXPECT_THAT(M.G->collisions(),
              ElementsAre(AllOf(HasSubstr("c:@F@f#"), HasSubstr("c:@F@g#"))));
}

TEST(GraphStoreMerge, EdgeSitesFromSeveralUnitsAreUnitedAndSorted) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp"), B = unitOf("b.cpp");
  for (UnitFacts *U : {&A, &B}) {
    U->Entities.push_back(entityOf(1, "f", 1, U == &A));
    U->Entities.back().File = U->File.Path;
    EdgeFact E;
    E.Kind = EdgeKind::Calls;
    E.From = 1;
    E.To = 2;
    E.Sites = {SiteFact{U == &A ? 9u : 4u, 3, false}};
    U->Edges.push_back(E);
  }
  M.addTu(1, "a.cpp", {A});
  M.addTu(2, "b.cpp", {B});
  std::vector<Edge> Edges;
  ASSERT_TRUE(M.G->forEachEdge([&](const Edge &E) {
                   Edges.push_back(E);
                   return true;
                 })
                  .isOk());
  ASSERT_EQ(Edges.size(), 1u);
  ASSERT_EQ(Edges[0].Sites.size(), 2u);
  EXPECT_EQ(Edges[0].Sites[0].File, "a.cpp");
  EXPECT_EQ(Edges[0].Sites[1].File, "b.cpp");
}

TEST(GraphStoreMerge, ReplacingAUnitDropsItsOldFacts) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp");
  A.Entities.push_back(entityOf(1, "old", 1, true));
  M.addTu(1, "a.cpp", {A});
  A.Entities = {entityOf(2, "renamed", 1, true)};
  M.addTu(1, "a.cpp", {A});
  auto Es = allEntities(*M.G);
  ASSERT_EQ(Es.size(), 1u);
  EXPECT_EQ(Es[0].Name, "renamed");
  std::vector<Id> Found;
  ASSERT_TRUE(M.G->findByNamePrefix("old", Found).isOk());
  EXPECT_TRUE(Found.empty()) << "the name index is replaced too";
}

TEST(GraphStoreSchema, AnIndexOfAnotherVersionIsRefusedWithAHint) {
  MemGraph M;
  storage::WriteBatch B;
  M.G->putMeta(B, "graph_schema", "999");
  ASSERT_TRUE(M.S->write(B).isOk());
  Status St = M.G->initSchema(/*Fresh=*/false);
  EXPECT_EQ(St.code(), storage::Status::Code::Incompatible);
  EXPECT_THAT(St.message(), HasSubstr("--full"));
}

TEST(GraphStoreCorruption, AGarbledValueIsCorruptionNotACrash) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp");
  A.Entities.push_back(entityOf(1, "f", 1, true));
  M.addTu(1, "a.cpp", {A});
  // Overwrite every entity value with truncated bytes.
  std::vector<std::string> Keys;
  for (auto It = M.S->scan(storage::Table::Entities, ""); It->valid();
       It->next())
    Keys.emplace_back(It->key());
  ASSERT_FALSE(Keys.empty());
  storage::WriteBatch B;
  for (const std::string &K : Keys)
    B.put(storage::Table::Entities, K, std::string("\x01\x05", 2));
  ASSERT_TRUE(M.S->write(B).isOk());
  Status St = M.G->forEachEntity([](const Entity &) { return true; });
  EXPECT_EQ(St.code(), storage::Status::Code::Corruption);
}

} // namespace
} // namespace codeindex
