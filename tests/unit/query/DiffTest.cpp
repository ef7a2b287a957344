//===- DiffTest.cpp - What a change does to the code graph ----------------===//

#include "QueryTestUtil.h"

#include "query/Diff.h"
#include "query/DiffMarkdown.h"
#include "query/DiffSarif.h"
#include "query/GraphIndex.h"

#include "llvm/ADT/StringExtras.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <map>

namespace codeindex {
namespace {

using namespace test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

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
  printDiffMarkdown(D, {}, OS);
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
  printDiffMarkdown(D, {}, OS);
  EXPECT_EQ(Md, "## Code graph changes\n\nNo entity, file or edge changed.\n");
}

TEST(DiffTest, OverloadsPairByParametersAndRenamesByHash) {
  auto Fn = [](Id I, const std::string &QN, const std::string &Sig,
               uint64_t Hash) {
    Entity E = entity(I, EntityKind::Function, QN);
    E.Signature = Sig;
    E.Hash = Hash;
    return E;
  };
  // Base: f(int), f(double), sum; head: f(int, int), f(double, int) (new
  // ids: new USRs) and add, sum's tokens under a new name.
  Graph Base = graphOf({Fn(1, "f", "int f(int)", 0x11),
                        Fn(2, "f", "int f(double)", 0x12),
                        Fn(3, "sum", "int sum(int, int)", 0x13)},
                       {});
  // The ids are in the opposite order to make a pairing by order wrong.
  Graph Head = graphOf({Fn(11, "f", "int f(double, int)", 0x22),
                        Fn(12, "f", "int f(int, int)", 0x21),
                        Fn(13, "add", "int add(int, int)", 0x13)},
                       {});
  GraphIndex B(std::move(Base)), H(std::move(Head));
  ojson D = diffGraphs(B, H, 1);
  EXPECT_EQ(D["summary"]["entities_added"], 0);
  EXPECT_EQ(D["summary"]["entities_removed"], 0);
  EXPECT_EQ(D["summary"]["entities_changed"], 2);
  EXPECT_EQ(D["summary"]["signature_changes"], 2);
  std::map<std::string, std::string> Pairs;
  for (const auto &C : D["entities"]["changed"])
    Pairs[C["old_signature"].get<std::string>()] =
        C["new_signature"].get<std::string>();
  EXPECT_EQ(Pairs["int f(int)"], "int f(int, int)");
  EXPECT_EQ(Pairs["int f(double)"], "int f(double, int)");
  ASSERT_EQ(D["entities"]["renamed"].size(), 1u);
  EXPECT_EQ(D["entities"]["renamed"][0]["old"]["qualified_name"], "sum");
  EXPECT_EQ(D["entities"]["renamed"][0]["new"]["qualified_name"], "add");
}

TEST(DiffTest, TwoRemovedWithOneHashAreNoRename) {
  // Trivial bodies hash alike: with two candidates on one side the pairing
  // would be a guess, so both stay removed and added.
  Entity A = entity(1, EntityKind::Function, "a"),
         Bf = entity(2, EntityKind::Function, "b"),
         C = entity(3, EntityKind::Function, "c");
  A.Hash = Bf.Hash = C.Hash = 0x5;
  GraphIndex B(graphOf({A, Bf}, {})), H(graphOf({C}, {}));
  ojson D = diffGraphs(B, H, 1);
  EXPECT_EQ(D["summary"]["entities_renamed"], 0);
  EXPECT_EQ(D["summary"]["entities_removed"], 2);
  EXPECT_EQ(D["summary"]["entities_added"], 1);
}

TEST(DiffTest, MarkdownNeverPassesItsBudget) {
  // 3000 changed functions, each called by 40 others with long names, and
  // one with a 5000-character signature: far more than a comment holds.
  std::vector<Entity> BaseE, HeadE;
  std::vector<Edge> Edges;
  std::string LongName(200, 'n');
  for (Id I = 1; I <= 3000; ++I) {
    Entity E = entity(I, EntityKind::Function, "ns::f" + std::to_string(I));
    if (I == 7)
      E.Signature = "void ns::f7(" + std::string(5000, 'T') + ")";
    BaseE.push_back(E);
    E.Hash += 1;
    HeadE.push_back(E);
  }
  for (Id I = 1; I <= 40; ++I) {
    Entity C = entity(10000 + I, EntityKind::Function,
                      "caller::" + LongName + std::to_string(I));
    BaseE.push_back(C);
    HeadE.push_back(C);
    for (Id J = 1; J <= 3000; J += 7)
      Edges.push_back(edge(EdgeKind::Calls, 10000 + I, J));
  }
  GraphIndex B(graphOf(BaseE, Edges)), H(graphOf(HeadE, Edges));
  ojson D = diffGraphs(B, H, 2);
  for (size_t Max :
       {size_t(2048), size_t(3000), size_t(10000), size_t(60000)}) {
    std::string Md;
    llvm::raw_string_ostream OS(Md);
    MarkdownOptions O;
    O.MaxBytes = Max;
    O.ReportFile = "diff.json";
    printDiffMarkdown(D, O, OS);
    EXPECT_LE(Md.size(), Max);
    EXPECT_THAT(Md, HasSubstr("| entities | 0 | 0 | 3000 |"));
    EXPECT_THAT(Md, HasSubstr("more (see the full report)"));
    EXPECT_THAT(Md, HasSubstr("Full report: `diff.json`"));
    EXPECT_THAT(Md, HasSubstr("### Tests to run"));
    size_t LongestLine = 0;
    for (llvm::StringRef L : llvm::split(Md, '\n'))
      LongestLine = std::max(LongestLine, L.size());
    EXPECT_LE(LongestLine, 400u) << Max;
    // Every <details> is closed.
    size_t Open = 0, Close = 0;
    for (size_t P = 0; (P = Md.find("<details>", P)) != std::string::npos; ++P)
      ++Open;
    for (size_t P = 0; (P = Md.find("</details>", P)) != std::string::npos; ++P)
      ++Close;
    EXPECT_EQ(Open, Close) << Max;
  }
}

TEST(DiffTest, SarifHasOneResultPerUntestedFunction) {
  Graph Head = shapes();
  Graph Base = shapes();
  for (Entity &E : Head.Entities)
    if (E.ID == TotalArea || E.ID == ParseTerm)
      E.Hash = 0x999;
  GraphIndex B(std::move(Base)), H(std::move(Head));
  ojson D = diffGraphs(B, H, 1);
  ojson S = diffSarif(D, "1.0");
  EXPECT_EQ(S["version"], "2.1.0");
  EXPECT_EQ(S["runs"][0]["tool"]["driver"]["rules"][0]["id"],
            "untested-change");
  // totalArea is reached by test_area; parseTerm by no test.
  ASSERT_EQ(S["runs"][0]["results"].size(), 1u);
  const ojson &R = S["runs"][0]["results"][0];
  EXPECT_EQ(R["ruleId"], "untested-change");
  EXPECT_EQ(R["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/shapes.cpp");
  EXPECT_EQ(R["locations"][0]["physicalLocation"]["region"]["startLine"],
            ParseTerm);
}

} // namespace
} // namespace codeindex
