//===- Traversals.cpp - Walks over the code graph -------------------------===//

#include "query/Traversals.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/GraphTraits.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/STLExtras.h"

#include <tuple>

using namespace llvm;

namespace codeindex {

std::vector<Reached> walk(const GraphView &G, Id Start, unsigned MaxDepth,
                          function_ref<std::vector<Step>(Id)> Next) {
  std::vector<Reached> R;
  DenseSet<Id> Seen{Start};
  std::vector<Id> Frontier{Start};
  for (unsigned Depth = 1;
       !Frontier.empty() && (!MaxDepth || Depth <= MaxDepth); ++Depth) {
    std::vector<Reached> LayerR;
    for (Id N : Frontier)
      for (const Step &S : Next(N))
        if (Seen.insert(S.To).second)
          LayerR.push_back({Depth, S.To, N, S.Through, S.Dispatch});
    std::vector<std::pair<StringRef, unsigned>> Keys;
    for (unsigned K = 0; K < LayerR.size(); ++K)
      Keys.emplace_back(G.sortKey(LayerR[K].Node), K);
    llvm::sort(Keys, [&](const auto &A, const auto &B) {
      return std::tie(A.first, LayerR[A.second].Node) <
             std::tie(B.first, LayerR[B.second].Node);
    });
    Frontier.clear();
    for (auto &[Name, K] : Keys) {
      Frontier.push_back(LayerR[K].Node);
      R.push_back(LayerR[K]);
    }
  }
  return R;
}

std::vector<Step> callerSteps(const GraphView &G, Id I) {
  std::vector<Step> S;
  for (const Edge &E : G.in(EdgeKind::Calls, I))
    if (G.follows(E))
      S.push_back({E.From, &E, false});
  // A virtual call to a method I overrides may dispatch to I.
  for (const Edge &O : G.out(EdgeKind::Overrides, I))
    for (const Edge &E : G.in(EdgeKind::Calls, O.To))
      if (G.follows(E) &&
          llvm::any_of(E.Sites, [](const Site &St) { return St.Virtual; }))
        S.push_back({E.From, &E, true});
  return S;
}

std::vector<Step> calleeSteps(const GraphView &G, Id I) {
  std::vector<Step> S;
  for (const Edge &E : G.out(EdgeKind::Calls, I))
    if (G.follows(E))
      S.push_back({E.To, &E, false});
  return S;
}

std::vector<Step> userSteps(const GraphView &G, Id I) {
  std::vector<Step> S = callerSteps(G, I);
  for (EdgeKind K : {EdgeKind::References, EdgeKind::UsesType})
    for (const Edge &E : G.in(K, I))
      if (G.follows(E) && G.entity(E.From))
        S.push_back({E.From, &E, false});
  return S;
}

namespace {

// callerSteps and userSteps for the walks that report nodes only (blast
// radius, tests): the edges are read from the reader, not kept in the
// view's edge cache, so that a walk over most of the graph holds the nodes
// it reached, not every edge it read on the way (at 1 M entities the cache
// held about 2 KB per node). The steps carry no edge (Through is null); the
// nodes, their order and their depths are those of the cached steps.

std::vector<Step> callerStepsUncached(const GraphView &G, Id I) {
  const GraphReader &R = G.reader();
  std::vector<Step> S;
  R.edges(EdgeKind::Calls, I, Direction::In, [&](const Edge &E) {
    if (G.follows(E))
      S.push_back({E.From, nullptr, false});
  });
  std::vector<Id> Overridden;
  R.edges(EdgeKind::Overrides, I, Direction::Out,
          [&](const Edge &O) { Overridden.push_back(O.To); });
  for (Id O : Overridden)
    R.edges(EdgeKind::Calls, O, Direction::In, [&](const Edge &E) {
      if (G.follows(E) &&
          llvm::any_of(E.Sites, [](const Site &St) { return St.Virtual; }))
        S.push_back({E.From, nullptr, true});
    });
  return S;
}

std::vector<Step> userStepsUncached(const GraphView &G, Id I) {
  std::vector<Step> S = callerStepsUncached(G, I);
  for (EdgeKind K : {EdgeKind::References, EdgeKind::UsesType}) {
    std::vector<Id> From;
    G.reader().edges(K, I, Direction::In, [&](const Edge &E) {
      if (G.follows(E))
        From.push_back(E.From);
    });
    for (Id F : From)
      if (G.entity(F))
        S.push_back({F, nullptr, false});
  }
  return S;
}

} // namespace

std::vector<Reached> callers(const GraphView &G, Id X, unsigned Depth) {
  return walk(G, X, Depth, [&](Id N) { return callerSteps(G, N); });
}

std::vector<Reached> callees(const GraphView &G, Id X, unsigned Depth) {
  return walk(G, X, Depth, [&](Id N) { return calleeSteps(G, N); });
}

namespace {

/// X's neighbours through the call edges the view does not follow.
std::vector<Reached> candidateNeighbours(const GraphView &G, Id X,
                                         bool Callers) {
  std::vector<Reached> R;
  if (G.includesCandidates())
    return R;
  for (const Edge &E :
       Callers ? G.in(EdgeKind::Calls, X) : G.out(EdgeKind::Calls, X))
    if (!G.follows(E))
      R.push_back({1, Callers ? E.From : E.To, X, &E, false});
  llvm::sort(R, [&](const Reached &A, const Reached &B) {
    return G.before(A.Node, B.Node);
  });
  return R;
}

} // namespace

std::vector<Reached> candidateCallers(const GraphView &G, Id X) {
  return candidateNeighbours(G, X, true);
}

std::vector<Reached> candidateCallees(const GraphView &G, Id X) {
  return candidateNeighbours(G, X, false);
}

namespace {

/// All nodes reachable along edges of kind K, outgoing (Up) or incoming.
std::vector<Reached> closure(const GraphView &G, Id X, EdgeKind K, bool Up) {
  return walk(G, X, 0, [&](Id N) {
    std::vector<Step> S;
    for (const Edge &E : G.edges(K, N, Up ? Direction::Out : Direction::In))
      S.push_back({Up ? E.To : E.From, &E, false});
    return S;
  });
}

} // namespace

std::vector<Reached> overriddenMethods(const GraphView &G, Id X) {
  return closure(G, X, EdgeKind::Overrides, true);
}

std::vector<Reached> overridingMethods(const GraphView &G, Id X) {
  return closure(G, X, EdgeKind::Overrides, false);
}

std::vector<Reached> bases(const GraphView &G, Id X) {
  return closure(G, X, EdgeKind::Inherits, true);
}

std::vector<Reached> derivedClasses(const GraphView &G, Id X) {
  return closure(G, X, EdgeKind::Inherits, false);
}

std::vector<Layer> blastRadius(const GraphView &G, Id X, unsigned Hops) {
  std::vector<Layer> L;
  for (const Reached &R :
       walk(G, X, Hops, [&](Id N) { return userStepsUncached(G, N); })) {
    if (L.empty() || L.back().Hop != R.Depth)
      L.push_back({R.Depth, {}});
    L.back().Ids.push_back(R.Node);
  }
  return L;
}

std::vector<std::pair<unsigned, Id>> testsReaching(const GraphView &G, Id X) {
  std::vector<std::pair<unsigned, Id>> T;
  if (const Entity *E = G.entity(X); E && E->IsTest)
    T.emplace_back(0, X); // a test covers itself
  for (const Reached &R :
       walk(G, X, 0, [&](Id N) { return callerStepsUncached(G, N); })) {
    const Entity *E = G.entity(R.Node);
    if (E && E->IsTest)
      T.emplace_back(R.Depth, R.Node);
  }
  return T;
}

namespace {

/// A plain adjacency-list graph for llvm::scc_iterator. Node 0 is a root
/// with an edge to every other node, so one traversal reaches them all; it
/// is its own one-member component and never reported.
struct SccGraph {
  struct Node {
    Id I = 0;
    std::vector<Node *> Succ;
  };
  std::vector<Node> Nodes;
};

} // namespace
} // namespace codeindex

// The member names are GraphTraits' interface, hence the NOLINTs.
template <> struct llvm::GraphTraits<codeindex::SccGraph *> {
  using NodeRef = codeindex::SccGraph::Node *;
  using ChildIteratorType = std::vector<NodeRef>::iterator;
  static NodeRef getEntryNode(codeindex::SccGraph *G) { return &G->Nodes[0]; }
  static ChildIteratorType
  child_begin(NodeRef N) { // NOLINT(readability-identifier-naming)
    return N->Succ.begin();
  }
  static ChildIteratorType
  child_end(NodeRef N) { // NOLINT(readability-identifier-naming)
    return N->Succ.end();
  }
};

namespace codeindex {

std::vector<std::vector<Id>> cycles(const GraphView &G, EdgeKind K,
                                    bool SelfLoops) {
  // A self-loop makes its node a cycle of one; the components need only the
  // other arcs. Only ids are kept from the scan.
  std::vector<std::pair<Id, Id>> Arcs;
  DenseSet<Id> Loops;
  DenseMap<Id, unsigned> Slot;
  SccGraph S;
  S.Nodes.emplace_back();
  G.reader().forEachEdge(K, [&](const Edge &E) {
    if (!G.follows(E))
      return true;
    for (Id I : {E.From, E.To})
      if (Slot.try_emplace(I, S.Nodes.size()).second) {
        S.Nodes.emplace_back();
        S.Nodes.back().I = I;
      }
    if (E.From != E.To)
      Arcs.emplace_back(E.From, E.To);
    else if (SelfLoops)
      Loops.insert(E.From);
    return true;
  });
  for (auto [From, To] : Arcs)
    S.Nodes[Slot[From]].Succ.push_back(&S.Nodes[Slot[To]]);
  for (unsigned I = 1; I < S.Nodes.size(); ++I)
    S.Nodes[0].Succ.push_back(&S.Nodes[I]);

  std::vector<std::vector<Id>> Cycles;
  for (auto It = scc_begin(&S); !It.isAtEnd(); ++It) {
    if (It->size() < 2 && !Loops.count(It->front()->I))
      continue;
    std::vector<Id> M;
    for (SccGraph::Node *N : *It)
      M.push_back(N->I);
    G.sortIds(M);
    Cycles.push_back(std::move(M));
  }
  llvm::sort(Cycles, [&](const std::vector<Id> &A, const std::vector<Id> &B) {
    if (A.size() != B.size())
      return A.size() > B.size();
    return G.before(A.front(), B.front());
  });
  return Cycles;
}

} // namespace codeindex
