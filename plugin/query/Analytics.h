//===- Analytics.h - Whole-graph analytics over the code graph --*- C++ -*-===//
//
// The analytic query subcommands, computed by igraph (IgraphGraph.h) over a
// graph of entities read from a GraphReader's scans:
//
//   centrality [--method pagerank|betweenness] [--top N]
//   communities [--top N]        Leiden, modularity objective
//   layers [--top N]             k-core decomposition
//   coupling CLASS               fan-in/fan-out between classes, RFC, LCOM4
//
// The graph. Vertices are the entities at either end of at least one edge
// of the chosen kinds (--edges, a comma-separated list of entity edge
// kinds; calls by default); external entities and their edges are left out
// unless --external. Self-edges (recursion) are dropped and parallel edges
// (the same pair through several kinds) merged: the analytics are about
// how entities depend on each other, not how often. Vertex i is the entity
// with the i-th smallest id, so the input igraph sees is the same for
// every reader and every run.
//
//  * centrality: on the directed graph. PageRank with damping 0.85
//    (igraph's PRPACK solver: exact, not iterated; the rank of entities that
//    call nothing is spread uniformly); betweenness along the direction of
//    the edges, not normalised.
//  * communities and layers: on the undirected graph (a mutual pair is one
//    edge). Leiden with the modularity objective, igraph's generator seeded
//    with 1, iterated until stable; the modularity printed is Newman's,
//    computed by igraph for the partition found. Core numbers count
//    undirected neighbours.
//  * coupling: the class's members are what it contains (`contains`
//    edges). Fan-out counts the edges (of the chosen kinds) from the
//    class's members to members of other classes, per class; fan-in the
//    reverse. RFC (response for a class, Chidamber & Kemerer) is the number
//    of distinct functions in {the class's methods} ∪ {what they call}.
//    Cohesion is LCOM4 (Hitz & Montazeri): the number of connected
//    components of the graph whose vertices are the class's methods
//    (constructors and destructors aside: they touch every field by design
//    and would join everything) and whose edges join two methods that use
//    a common field of the class or call one another. LCOM4 rather than
//    LCOM-HS: it is an integer with a meaning one can act on (1: cohesive;
//    k > 1: the class does k unrelated jobs, and the components say which),
//    it is defined for every class, and the components are listed.
//
// Output is deterministic: rankings are by score as printed (10
// significant digits in JSON, 6 in tables), then qualified name, then id.
//
// Memory: the scans keep the ids of the candidate entities (8 bytes each)
// and the edges kept (16 bytes each while loading, 8 after); igraph's graph
// takes about 32 bytes per edge and 16 per vertex, and each algorithm
// O(vertices + edges) more. Records are fetched only for what is printed
// (and for ties at the cut-off, by one more scan of names when there are
// many). docs/performance.md has measured figures.
//
// Errors: a bad option value or a CLASS that is not a class is a usage
// error (QueryError); an igraph failure (out of memory) is an llvm::Error
// saying so.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_ANALYTICS_H
#define CODEINDEX_PLUGIN_QUERY_ANALYTICS_H

#include "query/GraphView.h"
#include "query/Query.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace codeindex {

/// `query centrality`: the entities ranked by PageRank or betweenness.
llvm::Error runCentrality(const GraphView &G, const QueryOptions &O,
                          llvm::ArrayRef<std::string> Args,
                          llvm::raw_ostream &OS);
/// `query communities`: Leiden communities, largest first, with modularity.
llvm::Error runCommunities(const GraphView &G, const QueryOptions &O,
                           llvm::ArrayRef<std::string> Args,
                           llvm::raw_ostream &OS);
/// `query layers`: the k-core layers, innermost first.
llvm::Error runLayers(const GraphView &G, const QueryOptions &O,
                      llvm::ArrayRef<std::string> Args, llvm::raw_ostream &OS);
/// `query coupling CLASS`: fan-in/fan-out by class, RFC and LCOM4.
llvm::Error runCoupling(const GraphView &G, const QueryOptions &O,
                        llvm::ArrayRef<std::string> Args,
                        llvm::raw_ostream &OS);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_ANALYTICS_H
