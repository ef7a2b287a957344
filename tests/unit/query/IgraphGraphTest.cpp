//===- IgraphGraphTest.cpp - The igraph adapter ---------------------------===//
//
// The adapter turns igraph's failures into llvm::Error values (igraph's
// default handler would abort the process), gives the same seeded answer
// every time, and serialises igraph, which Debian builds without thread
// safety, so concurrent callers get the answers a single caller gets.
//
//===----------------------------------------------------------------------===//

#include "query/IgraphGraph.h"

#include "llvm/ADT/STLExtras.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>
#include <thread>

namespace codeindex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Arcs = std::vector<std::pair<uint32_t, uint32_t>>;

// The message is only evaluated when the assertion fails.
#define ASSERT_OK(E)                                                           \
  ASSERT_TRUE(static_cast<bool>(E)) << llvm::toString(E.takeError())
#define ASSERT_FAILS(E) ASSERT_FALSE(static_cast<bool>(E))

/// Two 4-cliques (0-3, 4-7) joined by the edge 3-4.
Arcs twoCliques() {
  Arcs A;
  for (uint32_t Base : {0u, 4u})
    for (uint32_t I = 0; I < 4; ++I)
      for (uint32_t J = I + 1; J < 4; ++J)
        A.emplace_back(Base + I, Base + J);
  A.emplace_back(3, 4);
  return A;
}

TEST(IgraphGraphTest, StarCentrality) {
  // 1, 2, 3 -> 0 -> 4, 5, 6.
  Arcs A = {{1, 0}, {2, 0}, {3, 0}, {0, 4}, {0, 5}, {0, 6}};
  llvm::Expected<IgraphGraph> G = IgraphGraph::create(7, A, true);
  ASSERT_OK(G);
  EXPECT_EQ(G->vertexCount(), 7u);
  EXPECT_EQ(G->edgeCount(), 6u);
  llvm::Expected<std::vector<double>> PR = G->pageRank(0.85);
  ASSERT_OK(PR);
  EXPECT_NEAR(std::accumulate(PR->begin(), PR->end(), 0.0), 1.0, 1e-12);
  // Worked out by hand in lit-tests/analytics-centrality.test.
  EXPECT_NEAR((*PR)[0], 0.2824746, 1e-7);
  EXPECT_NEAR((*PR)[4], 0.1596048, 1e-7);
  EXPECT_NEAR((*PR)[1], 0.0795703, 1e-7);
  llvm::Expected<std::vector<double>> B = G->betweenness();
  ASSERT_OK(B);
  EXPECT_THAT(*B, ElementsAre(9, 0, 0, 0, 0, 0, 0));
}

TEST(IgraphGraphTest, CorenessAndComponents) {
  // A triangle (core 2) with a tail (core 1), and a separate edge.
  Arcs A = {{0, 1}, {1, 2}, {0, 2}, {2, 3}, {4, 5}};
  llvm::Expected<IgraphGraph> G = IgraphGraph::create(6, A, false);
  ASSERT_OK(G);
  llvm::Expected<std::vector<int64_t>> Core = G->coreness();
  ASSERT_OK(Core);
  EXPECT_THAT(*Core, ElementsAre(2, 2, 2, 1, 1, 1));
  llvm::Expected<IgraphGraph::Partition> C = G->components();
  ASSERT_OK(C);
  EXPECT_EQ(C->Count, 2u);
  EXPECT_THAT(C->Membership, ElementsAre(0, 0, 0, 0, 1, 1));
}

TEST(IgraphGraphTest, LeidenFindsTheCliquesEveryTime) {
  llvm::Expected<IgraphGraph> G = IgraphGraph::create(8, twoCliques(), false);
  ASSERT_OK(G);
  llvm::Expected<IgraphGraph::Partition> P = G->leiden(1);
  ASSERT_OK(P);
  EXPECT_EQ(P->Count, 2u);
  for (int V = 1; V < 4; ++V)
    EXPECT_EQ(P->Membership[V], P->Membership[0]);
  for (int V = 5; V < 8; ++V)
    EXPECT_EQ(P->Membership[V], P->Membership[4]);
  EXPECT_NE(P->Membership[0], P->Membership[4]);
  llvm::Expected<double> Q = G->modularity(P->Membership);
  ASSERT_OK(Q);
  EXPECT_NEAR(*Q, 12.0 / 13 - 0.5, 1e-12);
  llvm::Expected<IgraphGraph::Partition> Again = G->leiden(1);
  ASSERT_OK(Again);
  EXPECT_EQ(Again->Membership, P->Membership);
}

TEST(IgraphGraphTest, ConcurrentCallersGetTheSingleCallersAnswers) {
  // A random graph without community structure: Leiden's answer depends
  // on every number it draws, so callers sharing igraph's global generator
  // without the lock would disturb each other's seeded runs.
  Arcs A;
  const uint32_t N = 300;
  uint64_t X = 12345;
  auto Next = [&] {
    X = X * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(X >> 33) % N;
  };
  for (int I = 0; I < 900; ++I)
    if (uint32_t U = Next(), V = Next(); U != V)
      A.emplace_back(std::min(U, V), std::max(U, V));
  llvm::sort(A);
  A.erase(std::unique(A.begin(), A.end()), A.end());
  llvm::Expected<IgraphGraph> G = IgraphGraph::create(N, A, false);
  ASSERT_OK(G);
  llvm::Expected<IgraphGraph::Partition> Expected = G->leiden(7);
  ASSERT_OK(Expected);
  llvm::Expected<std::vector<double>> ExpectedPR = G->pageRank(0.85);
  ASSERT_OK(ExpectedPR);
  std::vector<int> Mismatches(4, 0);
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (int I = 0; I < 25; ++I) {
        llvm::Expected<IgraphGraph::Partition> P = G->leiden(7);
        llvm::Expected<std::vector<double>> PR = G->pageRank(0.85);
        if (!P || !PR || P->Membership != Expected->Membership ||
            *PR != *ExpectedPR)
          ++Mismatches[T];
        llvm::consumeError(P.takeError());
        llvm::consumeError(PR.takeError());
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_THAT(Mismatches, ElementsAre(0, 0, 0, 0));
}

TEST(IgraphGraphTest, IgraphFailuresAreErrorsNotAborts) {
  // A damping factor outside [0, 1]: igraph_pagerank fails with
  // IGRAPH_EINVAL, which igraph's default handler would turn into abort().
  llvm::Expected<IgraphGraph> G = IgraphGraph::create(2, {{0, 1}}, true);
  ASSERT_OK(G);
  llvm::Expected<std::vector<double>> PR = G->pageRank(1.5);
  ASSERT_FAILS(PR);
  EXPECT_THAT(llvm::toString(PR.takeError()),
              HasSubstr("graph analysis failed: PageRank: "));
  // The graph is still usable.
  llvm::Expected<std::vector<double>> Good = G->pageRank(0.85);
  ASSERT_OK(Good);
  // Leiden is for undirected graphs.
  llvm::Expected<IgraphGraph::Partition> P = G->leiden(1);
  ASSERT_FAILS(P);
  EXPECT_THAT(llvm::toString(P.takeError()), HasSubstr("undirected"));
  // A membership vector of the wrong length.
  llvm::Expected<double> Q = G->modularity({0});
  ASSERT_FAILS(Q);
  EXPECT_THAT(llvm::toString(Q.takeError()),
              HasSubstr("graph analysis failed: modularity: "));
}

TEST(IgraphGraphTest, EmptyGraph) {
  llvm::Expected<IgraphGraph> G = IgraphGraph::create(0, {}, false);
  ASSERT_OK(G);
  llvm::Expected<IgraphGraph::Partition> P = G->leiden(1);
  ASSERT_OK(P);
  EXPECT_EQ(P->Count, 0u);
  llvm::Expected<std::vector<int64_t>> Core = G->coreness();
  ASSERT_OK(Core);
  EXPECT_TRUE(Core->empty());
}

} // namespace
} // namespace codeindex
