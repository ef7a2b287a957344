//===- DiffTest.cpp - What a change does to the code graph ----------------===//

#include "QueryTestUtil.h"

#include "query/Diff.h"
#include "query/GraphIndex.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using namespace test;
using ::testing::ElementsAre;

std::vector<std::string> names(const ojson &Refs) {
  std::vector<std::string> N;
  for (const auto &R : Refs)
    N.push_back(R["qualified_name"].get<std::string>());
  return N;
}

TEST(DiffTest, AddedRemovedChangedWithBlastRadiusAndTests) {
  Graph Head = shapes();
  // Head: totalArea's body changed, recurse removed (with its self-call),
  // a new function calls totalArea, parseTerm's signature changed.
  Graph Base = shapes();
  for (Entity &E : Head.Entities) {
    if (E.ID == TotalArea)
      E.Hash = 0x999;
    if (E.ID == ParseTerm)
      E.Signature = "int parseTerm(int)";
  }
  std::erase_if(Head.Entities, [](const Entity &E) { return E.ID == Recurse; });
  std::erase_if(Head.Edges, [](const Edge &E) { return E.From == Recurse; });
  Head.Entities.push_back(entity(20, EntityKind::Function, "geo::scale"));
  Head.Edges.push_back(edge(EdgeKind::Calls, 20, TotalArea));
  Head = graphOf(Head.Entities, Head.Edges);

  GraphIndex B(std::move(Base)), H(std::move(Head));
  ojson D = diffGraphs(B, H, 1);
  const ojson &S = D["summary"];
  EXPECT_EQ(S["entities_added"], 1);
  EXPECT_EQ(S["entities_removed"], 1);
  EXPECT_EQ(S["entities_changed"], 2);
  EXPECT_EQ(S["signature_changes"], 1);
  // Only edges between nodes on both sides count: scale's call is not an
  // added edge, recurse's self-call is not a removed one.
  EXPECT_EQ(S["edges_added"], 0);
  EXPECT_EQ(S["edges_removed"], 0);
  EXPECT_THAT(names(D["entities"]["added"]), ElementsAre("geo::scale"));
  EXPECT_THAT(names(D["entities"]["removed"]), ElementsAre("recurse"));

  const ojson &Changed = D["entities"]["changed"];
  ASSERT_EQ(Changed.size(), 2u);
  EXPECT_EQ(Changed[0]["entity"]["qualified_name"], "geo::totalArea");
  EXPECT_EQ(Changed[0]["body_changed"], true);
  EXPECT_EQ(Changed[0]["signature_changed"], false);
  ASSERT_EQ(Changed[0]["blast_radius"].size(), 1u);
  EXPECT_THAT(names(Changed[0]["blast_radius"][0]["entities"]),
              ElementsAre("geo::scale", "main", "test_area"));
  ASSERT_EQ(Changed[0]["tests"].size(), 1u);
  EXPECT_EQ(Changed[0]["tests"][0]["depth"], 1);
  EXPECT_EQ(Changed[0]["tests"][0]["entity"]["qualified_name"], "test_area");

  EXPECT_EQ(Changed[1]["entity"]["qualified_name"], "parseTerm");
  EXPECT_EQ(Changed[1]["signature_changed"], true);
  EXPECT_EQ(Changed[1]["old_signature"], "void parseTerm()");
  EXPECT_EQ(Changed[1]["new_signature"], "int parseTerm(int)");
  EXPECT_TRUE(Changed[1]["tests"].empty());

  std::string Md;
  llvm::raw_string_ostream OS(Md);
  printDiffMarkdown(D, OS);
  EXPECT_THAT(Md, ::testing::HasSubstr("**1 signature change**"));
  EXPECT_THAT(Md, ::testing::HasSubstr("- tests: **none reach it**"));
}

TEST(DiffTest, IdenticalGraphsHaveNoChanges) {
  GraphIndex B(shapes()), H(shapes());
  ojson D = diffGraphs(B, H, 2);
  for (auto &[K, V] : D["summary"].items())
    EXPECT_EQ(V, 0) << K;
  std::string Md;
  llvm::raw_string_ostream OS(Md);
  printDiffMarkdown(D, OS);
  EXPECT_EQ(Md, "## Code graph changes\n\nNo entity, file or edge changed.\n");
}

} // namespace
} // namespace codeindex
