//===- Traversals.h - Walks over the code graph -----------------*- C++ -*-===//
//
// The graph walks behind `callers`/`callees` (any depth), `overrides`,
// `hierarchy`, `blast-radius`, `tests-for`, `cycles` and `diff`, written
// against GraphView (so against any GraphReader): each reads the edges of
// the nodes it reaches, except cycles(), which scans the edges of one kind,
// and blastRadius() and testsReaching() once they pass
// walkScanThreshold() nodes: a walk of most of the graph reads it by one
// scan rather than a lookup per node.
//
// Order: each layer of a breadth-first walk is sorted by the output order
// (GraphView::sortIds), so which node a node was reached from (Via) is
// deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_TRAVERSALS_H
#define CODEINDEX_PLUGIN_QUERY_TRAVERSALS_H

#include "query/GraphView.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <utility>
#include <vector>

namespace codeindex {

/// One reached node of a breadth-first walk.
struct Reached {
  unsigned Depth;
  Id Node;
  Id Via;              ///< the node of the previous layer it was reached from
  const Edge *Through; ///< the edge used (owned by the view)
  bool Dispatch; ///< reached through a virtual call to an overridden method
};

/// One step from a node: the neighbour, the edge, through virtual dispatch.
struct Step {
  Id To;
  const Edge *Through;
  bool Dispatch;
};

// Every step function and walk below goes only through the edges the view
// follows (GraphView::follows): candidate edges only when it includes them.

/// Breadth-first walk from Start up to MaxDepth layers (0: unlimited).
/// Next(N) lists the steps from N. Start itself is not reported.
std::vector<Reached> walk(const GraphView &G, Id Start, unsigned MaxDepth,
                          llvm::function_ref<std::vector<Step>(Id)> Next);

/// The visited-set size past which blastRadius() and testsReaching() stop
/// reading edges one node at a time (GraphReader::edges) and read the edges
/// of the kinds they follow in one scan (GraphReader::forEachEdge), into
/// dense 32-bit indices; a layer of a walk this big is described from one
/// scan of the entities (GraphView::preloadRefs). A node whose reverse
/// edges would take the walk past it (GraphReader::countEdges) switches
/// before they are read. Measured at 1 M entities (docs/performance.md,
/// "Walks that reach most of the graph"): the scans cost 7-10 s, a node by
/// lookups 20 us (LMDB) to 46 us (RocksDB), so past about 200 k nodes (a
/// scan's worth of RocksDB lookups) a walk spends no more than twice what
/// the better of the two ways would. The environment variable
/// CODE_INDEX_WALK_SCAN_THRESHOLD sets it (for tests: 1 makes every walk of
/// more than its start scan; 0 never scans).
inline constexpr size_t DefaultWalkScanThreshold = 200000;
size_t walkScanThreshold();

/// Entities that call I, including virtual calls to a method that I
/// overrides (such a call may dispatch to I; Dispatch is set and Through is
/// the call of the overridden method).
std::vector<Step> callerSteps(const GraphView &G, Id I);
/// What I calls.
std::vector<Step> calleeSteps(const GraphView &G, Id I);
/// Callers of I and entities that reference I or use it as a type.
std::vector<Step> userSteps(const GraphView &G, Id I);

/// `callers` / `callees` of X, up to Depth layers (0: unlimited).
std::vector<Reached> callers(const GraphView &G, Id X, unsigned Depth);
std::vector<Reached> callees(const GraphView &G, Id X, unsigned Depth);

/// The callers / callees of X through the candidate edges the view does
/// not follow, as depth-1 nodes (empty when the view includes candidates:
/// callers() and callees() have them then). For listing X's own candidates
/// beside its callers; no walk continues from them.
std::vector<Reached> candidateCallers(const GraphView &G, Id X);
std::vector<Reached> candidateCallees(const GraphView &G, Id X);

/// The methods X overrides (transitively) and those overriding it.
std::vector<Reached> overriddenMethods(const GraphView &G, Id X);
std::vector<Reached> overridingMethods(const GraphView &G, Id X);

/// The bases (transitively) of class X, or its derived classes.
std::vector<Reached> bases(const GraphView &G, Id X);
std::vector<Reached> derivedClasses(const GraphView &G, Id X);

struct Layer {
  unsigned Hop;
  std::vector<Id> Ids; ///< sorted
};
/// Entities that transitively call or reference X, by hop (1..Hops). Past
/// walkScanThreshold() nodes the edges are read by one scan, and the view
/// keeps only what output needs of each node (GraphView::preloadRefs).
std::vector<Layer> blastRadius(const GraphView &G, Id X, unsigned Hops);

/// Test entities that reach X through calls, with their distance (X itself,
/// at distance 0, if it is a test), by distance then output order. Past
/// walkScanThreshold() nodes the edges are read by one scan and the tests
/// found by one scan of the entities.
std::vector<std::pair<unsigned, Id>> testsReaching(const GraphView &G, Id X);

/// The cycles of the graph of edges of kind K: its strongly connected
/// components of more than one node (llvm::scc_iterator) and, when
/// SelfLoops is set, each node with an edge to itself (direct recursion, a
/// function taking its own address) as a cycle of one. Each is sorted,
/// largest first (ties: by first member).
std::vector<std::vector<Id>> cycles(const GraphView &G, EdgeKind K,
                                    bool SelfLoops);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_TRAVERSALS_H
