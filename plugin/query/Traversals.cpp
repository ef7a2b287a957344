//===- Traversals.cpp - Walks over the code graph -------------------------===//

#include "query/Traversals.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/GraphTraits.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/STLExtras.h"

#include <cstdlib>
#include <tuple>

using namespace llvm;

namespace codeindex {

namespace {

/// walk(), given up as soon as its visited set would pass Limit (0: no
/// limit): before a node is expanded, Degree(N) bounds what it adds (a
/// hub's reverse edges are counted from their keys, not read). Returns
/// false when it gave up.
bool walkUpTo(const GraphView &G, Id Start, unsigned MaxDepth,
              function_ref<std::vector<Step>(Id)> Next, size_t Limit,
              function_ref<size_t(Id, size_t)> Degree,
              std::vector<Reached> &R) {
  DenseSet<Id> Seen{Start};
  std::vector<Id> Frontier{Start};
  for (unsigned Depth = 1;
       !Frontier.empty() && (!MaxDepth || Depth <= MaxDepth); ++Depth) {
    std::vector<Reached> LayerR;
    for (Id N : Frontier) {
      if (Limit && (Seen.size() >= Limit ||
                    Degree(N, Limit - Seen.size()) >= Limit - Seen.size()))
        return false;
      for (const Step &S : Next(N))
        if (Seen.insert(S.To).second)
          LayerR.push_back({Depth, S.To, N, S.Through, S.Dispatch});
    }
    if (Limit && Seen.size() >= Limit)
      return false;
    // A layer of most of the graph (a hub's callers): what its order and
    // output need of each node by one scan, not a lookup and a whole
    // entity kept per node.
    if (size_t T = walkScanThreshold(); T && LayerR.size() >= T) {
      std::vector<Id> Ids;
      for (const Reached &Re : LayerR)
        Ids.push_back(Re.Node);
      G.preloadRefs(Ids);
    }
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
  return true;
}

} // namespace

std::vector<Reached> walk(const GraphView &G, Id Start, unsigned MaxDepth,
                          function_ref<std::vector<Step>(Id)> Next) {
  std::vector<Reached> R;
  walkUpTo(G, Start, MaxDepth, Next, 0, nullptr, R);
  return R;
}

size_t walkScanThreshold() {
  // For tests: a small graph crosses a threshold of 1.
  if (const char *V = std::getenv("CODE_INDEX_WALK_SCAN_THRESHOLD")) {
    unsigned long long N = 0;
    if (!StringRef(V).getAsInteger(10, N))
      return N;
  }
  return DefaultWalkScanThreshold;
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

namespace {

/// Node -> neighbours over dense indices (compressed sparse rows).
struct Csr {
  std::vector<uint32_t> Begin; ///< Begin[I]..Begin[I + 1] index To
  std::vector<uint32_t> To;

  /// From (node, neighbour) arcs over N nodes; empties Arcs.
  void build(size_t N, std::vector<std::pair<uint32_t, uint32_t>> &Arcs) {
    Begin.assign(N + 1, 0);
    for (auto [A, B] : Arcs)
      ++Begin[A + 1];
    for (size_t I = 0; I < N; ++I)
      Begin[I + 1] += Begin[I];
    To.resize(Arcs.size());
    std::vector<uint32_t> Fill(Begin.begin(), Begin.end() - 1);
    for (auto [A, B] : Arcs)
      To[Fill[A]++] = B;
    std::vector<std::pair<uint32_t, uint32_t>>().swap(Arcs);
  }
  ArrayRef<uint32_t> of(uint32_t I) const {
    return ArrayRef<uint32_t>(To).slice(Begin[I], Begin[I + 1] - Begin[I]);
  }
};

/// The reverse call graph (and, for a blast radius, the reverse reference
/// and type-use graphs) of the whole graph, from one scan of its edges, as
/// the lookups would give it one node at a time: the same edges
/// (GraphReader's filter, GraphView::follows), 4 bytes a node and an arc.
struct ScanGraph {
  DenseMap<Id, uint32_t> Index;
  std::vector<Id> Ids;
  Csr Users;          ///< node -> its callers (and referrers, type users)
  Csr Overridden;     ///< method -> the methods it overrides
  Csr VirtualCallers; ///< method -> callers through a virtual call

  uint32_t index(Id I) {
    auto [It, New] = Index.try_emplace(I, Ids.size());
    if (New)
      Ids.push_back(I);
    return It->second;
  }
};

ScanGraph scanGraph(const GraphView &G, bool WithUses) {
  const GraphReader &R = G.reader();
  ScanGraph S;
  // References and type uses count only from entities (userSteps): an edge
  // from a file is checked by lookup (there are few).
  DenseSet<Id> FileIds;
  if (WithUses)
    R.forEachFile([&](const FileInfo &F) {
      FileIds.insert(F.ID);
      return true;
    });
  std::vector<std::pair<uint32_t, uint32_t>> UserArcs, OverrideArcs,
      VirtualArcs;
  // One scan per kind the walk follows (a store reads only that kind's
  // keys; tests-for does not read references and type uses).
  auto Add = [&](const Edge &E) {
    switch (E.Kind) {
    case EdgeKind::Calls:
      if (!G.follows(E))
        return true;
      UserArcs.emplace_back(S.index(E.To), S.index(E.From));
      if (llvm::any_of(E.Sites, [](const Site &St) { return St.Virtual; }))
        VirtualArcs.emplace_back(S.index(E.To), S.index(E.From));
      return true;
    case EdgeKind::References:
    case EdgeKind::UsesType:
      if (!WithUses || !G.follows(E) ||
          (FileIds.count(E.From) && !G.entity(E.From)))
        return true;
      UserArcs.emplace_back(S.index(E.To), S.index(E.From));
      return true;
    case EdgeKind::Overrides:
      OverrideArcs.emplace_back(S.index(E.From), S.index(E.To));
      return true;
    default:
      return true;
    }
  };
  R.forEachEdge(EdgeKind::Calls, Add);
  if (WithUses) {
    R.forEachEdge(EdgeKind::References, Add);
    R.forEachEdge(EdgeKind::UsesType, Add);
  }
  R.forEachEdge(EdgeKind::Overrides, Add);
  S.Users.build(S.Ids.size(), UserArcs);
  S.Overridden.build(S.Ids.size(), OverrideArcs);
  S.VirtualCallers.build(S.Ids.size(), VirtualArcs);
  return S;
}

/// The nodes of a breadth-first walk from Start over the scanned graph, by
/// depth (1..MaxDepth, 0: unlimited), unordered within a depth. A node's
/// depth is its distance from Start, whatever order each layer is walked
/// in, so these are the layers walk() gives, less their order.
std::vector<std::vector<Id>> scanWalk(const GraphView &G, Id Start,
                                      unsigned MaxDepth, bool WithUses) {
  ScanGraph S = scanGraph(G, WithUses);
  std::vector<std::vector<Id>> Layers;
  auto It = S.Index.find(Start);
  if (It == S.Index.end())
    return Layers;
  std::vector<bool> Seen(S.Ids.size());
  Seen[It->second] = true;
  std::vector<uint32_t> Frontier{It->second}, Next;
  auto Visit = [&](uint32_t U) {
    if (!Seen[U]) {
      Seen[U] = true;
      Next.push_back(U);
    }
  };
  for (unsigned Depth = 1;
       !Frontier.empty() && (!MaxDepth || Depth <= MaxDepth); ++Depth) {
    Next.clear();
    for (uint32_t N : Frontier) {
      for (uint32_t U : S.Users.of(N))
        Visit(U);
      for (uint32_t O : S.Overridden.of(N))
        for (uint32_t U : S.VirtualCallers.of(O))
          Visit(U);
    }
    if (Next.empty())
      break;
    Layers.emplace_back();
    for (uint32_t U : Next)
      Layers.back().push_back(S.Ids[U]);
    std::swap(Frontier, Next);
  }
  return Layers;
}

/// The reverse edges a walk reads at N (the kinds it follows), up to Limit.
size_t userDegree(const GraphView &G, Id N, size_t Limit, bool WithUses) {
  const GraphReader &R = G.reader();
  size_t D = R.countEdges(EdgeKind::Calls, N, Direction::In, Limit);
  if (WithUses)
    for (EdgeKind K : {EdgeKind::References, EdgeKind::UsesType})
      if (D < Limit)
        D += R.countEdges(K, N, Direction::In, Limit - D);
  return D;
}

} // namespace

std::vector<Layer> blastRadius(const GraphView &G, Id X, unsigned Hops) {
  std::vector<Layer> L;
  std::vector<Reached> Walked;
  if (walkUpTo(
          G, X, Hops, [&](Id N) { return userStepsUncached(G, N); },
          walkScanThreshold(),
          [&](Id N, size_t Limit) { return userDegree(G, N, Limit, true); },
          Walked)) {
    for (const Reached &R : Walked) {
      if (L.empty() || L.back().Hop != R.Depth)
        L.push_back({R.Depth, {}});
      L.back().Ids.push_back(R.Node);
    }
    return L;
  }
  // Most of the graph: its edges by one scan, and what the output needs of
  // each entity reached by one scan too (GraphView::preloadRefs), not a
  // lookup and a whole entity kept per node.
  std::vector<std::vector<Id>> Layers = scanWalk(G, X, Hops, true);
  std::vector<Id> All;
  for (const std::vector<Id> &La : Layers)
    llvm::append_range(All, La);
  G.preloadRefs(All);
  std::vector<Id>().swap(All);
  unsigned Hop = 0;
  for (std::vector<Id> &La : Layers) {
    G.sortIds(La);
    L.push_back({++Hop, std::move(La)});
  }
  return L;
}

std::vector<std::pair<unsigned, Id>> testsReaching(const GraphView &G, Id X) {
  std::vector<std::pair<unsigned, Id>> T;
  if (const Entity *E = G.entity(X); E && E->IsTest)
    T.emplace_back(0, X); // a test covers itself
  std::vector<Reached> Walked;
  if (walkUpTo(
          G, X, 0, [&](Id N) { return callerStepsUncached(G, N); },
          walkScanThreshold(),
          [&](Id N, size_t Limit) { return userDegree(G, N, Limit, false); },
          Walked)) {
    for (const Reached &R : Walked) {
      const Entity *E = G.entity(R.Node);
      if (E && E->IsTest)
        T.emplace_back(R.Depth, R.Node);
    }
    return T;
  }
  // Most of the graph: its call edges by one scan, then which of the nodes
  // reached are tests by one scan of the entities (none is kept but the
  // tests), in the walk's order: by depth, then output order.
  std::vector<std::vector<Id>> Layers = scanWalk(G, X, 0, false);
  DenseMap<Id, unsigned> DepthOf;
  for (unsigned D = 0; D < Layers.size(); ++D) {
    for (Id I : Layers[D])
      DepthOf[I] = D + 1;
    std::vector<Id>().swap(Layers[D]);
  }
  size_t First = T.size();
  G.reader().forEachEntity([&](const Entity &E) {
    if (E.IsTest)
      if (auto It = DepthOf.find(E.ID); It != DepthOf.end())
        T.emplace_back(It->second, E.ID);
    return true;
  });
  std::vector<std::tuple<unsigned, StringRef, Id>> Keyed;
  for (size_t K = First; K < T.size(); ++K)
    Keyed.emplace_back(T[K].first, G.sortKey(T[K].second), T[K].second);
  llvm::sort(Keyed);
  for (size_t K = First; K < T.size(); ++K)
    T[K] = {std::get<0>(Keyed[K - First]), std::get<2>(Keyed[K - First])};
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
