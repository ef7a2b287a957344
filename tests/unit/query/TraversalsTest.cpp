//===- TraversalsTest.cpp - Walks over the code graph ---------------------===//
//
// The traversals on a small hand-built graph (QueryTestUtil.h): exact
// nodes, depths and what must be absent.
//
//===----------------------------------------------------------------------===//

#include "QueryTestUtil.h"

#include "query/GraphIndex.h"
#include "query/GraphView.h"
#include "query/Traversals.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using namespace test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

/// (depth, node, via, dispatch) of each reached node.
std::vector<std::tuple<unsigned, Id, Id, bool>>
summary(const std::vector<Reached> &R) {
  std::vector<std::tuple<unsigned, Id, Id, bool>> S;
  for (const Reached &X : R)
    S.emplace_back(X.Depth, X.Node, X.Via, X.Dispatch);
  return S;
}

class TraversalsTest : public ::testing::Test {
protected:
  GraphIndex Index{shapes()};
  GraphView G{Index};
};

TEST_F(TraversalsTest, CallersFollowVirtualDispatchToOverriders) {
  // Nothing calls Circle::area directly; totalArea calls Shape::area
  // virtually, which may dispatch to it.
  EXPECT_THAT(summary(callers(G, CircleArea, 1)),
              ElementsAre(std::tuple(1u, Id(TotalArea), Id(CircleArea), true)));
  std::vector<Reached> R = callers(G, CircleArea, 1);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R[0].Through->To, Id(ShapeArea));
}

TEST_F(TraversalsTest, CallersByDepth) {
  // Layers are sorted by qualified name: geo::totalArea < main < test_area.
  EXPECT_THAT(summary(callers(G, ShapeArea, 0)),
              ElementsAre(std::tuple(1u, Id(TotalArea), Id(ShapeArea), false),
                          std::tuple(2u, Id(Main), Id(TotalArea), false),
                          std::tuple(2u, Id(TestArea), Id(TotalArea), false),
                          std::tuple(3u, Id(Report), Id(Main), false)));
  EXPECT_EQ(callers(G, ShapeArea, 2).size(), 3u);
  EXPECT_THAT(callers(G, Report, 0), IsEmpty());
}

TEST_F(TraversalsTest, CalleesDoNotFollowOverrides) {
  EXPECT_THAT(summary(callees(G, Main, 0)),
              ElementsAre(std::tuple(1u, Id(TotalArea), Id(Main), false),
                          std::tuple(2u, Id(ShapeArea), Id(TotalArea), false)));
}

TEST_F(TraversalsTest, RecursionIsNotItsOwnCaller) {
  EXPECT_THAT(callers(G, Recurse, 0), IsEmpty());
  EXPECT_THAT(summary(callees(G, ParseExpr, 0)),
              ElementsAre(std::tuple(1u, Id(ParseTerm), Id(ParseExpr), false)));
}

TEST_F(TraversalsTest, BlastRadiusCountsCallersAndReferrersByHop) {
  // report references unit and is called by nobody: the radius stops there.
  std::vector<Layer> L = blastRadius(G, Unit, 3);
  ASSERT_EQ(L.size(), 1u);
  EXPECT_EQ(L[0].Hop, 1u);
  EXPECT_THAT(L[0].Ids, ElementsAre(Id(Report)));
  L = blastRadius(G, TotalArea, 1);
  ASSERT_EQ(L.size(), 1u);
  EXPECT_THAT(L[0].Ids, ElementsAre(Id(Main), Id(TestArea)));
  L = blastRadius(G, TotalArea, 2);
  ASSERT_EQ(L.size(), 2u);
  EXPECT_THAT(L[1].Ids, ElementsAre(Id(Report)));
}

TEST_F(TraversalsTest, TestsReachingThroughCallsAndDispatch) {
  EXPECT_THAT(testsReaching(G, CircleArea), ElementsAre(Pair(2u, TestArea)));
  EXPECT_THAT(testsReaching(G, TestArea), ElementsAre(Pair(0u, TestArea)));
  EXPECT_THAT(testsReaching(G, ParseExpr), IsEmpty());
}

TEST_F(TraversalsTest, HierarchyAndOverrides) {
  EXPECT_THAT(summary(bases(G, Circle)),
              ElementsAre(std::tuple(1u, Id(Shape), Id(Circle), false)));
  EXPECT_THAT(summary(derivedClasses(G, Shape)),
              ElementsAre(std::tuple(1u, Id(Circle), Id(Shape), false)));
  EXPECT_THAT(bases(G, Shape), IsEmpty());
  EXPECT_THAT(
      summary(overridingMethods(G, ShapeArea)),
      ElementsAre(std::tuple(1u, Id(CircleArea), Id(ShapeArea), false)));
  EXPECT_THAT(overriddenMethods(G, ShapeArea), IsEmpty());
}

TEST_F(TraversalsTest, CyclesAreComponentsAndSelfLoops) {
  // recurse -> recurse is a cycle of one, after the larger components.
  EXPECT_THAT(cycles(G, EdgeKind::Calls, /*SelfLoops=*/true),
              ElementsAre(ElementsAre(Id(ParseExpr), Id(ParseTerm)),
                          ElementsAre(Id(Recurse))));
  EXPECT_THAT(cycles(G, EdgeKind::Includes, true), IsEmpty());
}

TEST_F(TraversalsTest, CyclesWithoutSelfLoops) {
  EXPECT_THAT(cycles(G, EdgeKind::Calls, /*SelfLoops=*/false),
              ElementsAre(ElementsAre(Id(ParseExpr), Id(ParseTerm))));
}

TEST_F(TraversalsTest, ResolveByIdNameSuffixAndSignature) {
  EXPECT_THAT(G.resolve("area"), ElementsAre(Id(CircleArea), Id(ShapeArea)));
  EXPECT_THAT(G.resolve("Circle::area"), ElementsAre(Id(CircleArea)));
  EXPECT_THAT(G.resolve("geo::Shape::area"), ElementsAre(Id(ShapeArea)));
  EXPECT_THAT(G.resolve("geo::Shape::area()"), ElementsAre(Id(ShapeArea)));
  EXPECT_THAT(G.resolve(formatId(Main)), ElementsAre(Id(Main)));
  // Names are case-sensitive; a part of a name is not a name.
  EXPECT_THAT(G.resolve("AREA"), IsEmpty());
  EXPECT_THAT(G.resolve("are"), IsEmpty());
  EXPECT_THAT(G.suggest("totalAera"), ElementsAre("geo::totalArea"));
}

} // namespace
} // namespace codeindex
