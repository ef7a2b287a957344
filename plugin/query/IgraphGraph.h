//===- IgraphGraph.h - An igraph graph and the algorithms we run -*- C++
//-*-===//
//
// The only place that talks to igraph (the C library, 0.10): a graph over
// vertices 0..N-1 built from an edge list, owning its igraph_t, and the
// handful of algorithms the analytics use, each returning plain vectors
// indexed by vertex. Nothing of igraph's API leaks out of this file pair.
//
// Ownership: an IgraphGraph owns its igraph_t (igraph_destroy in the
// destructor); every igraph vector used on the way is destroyed on every
// path, errors included.
//
// Errors: every igraph_error_t is checked; a failure (in practice, out of
// memory) is an llvm::Error "graph analysis failed: WHAT: igraph's
// message". igraph's own error handler is replaced by one that only frees
// igraph's temporaries and returns the code, so igraph never aborts the
// process and never prints.
//
// Thread-safety: Debian's igraph is built without IGRAPH_THREAD_SAFE: its
// random number generator, error handler and cleanup stack are process
// globals. Every operation here therefore runs under one process-wide
// mutex, so concurrent callers (the HTTP server's threads) are serialised
// rather than corrupting each other, and a seeded run cannot be disturbed
// by another thread drawing from the same generator.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_IGRAPHGRAPH_H
#define CODEINDEX_PLUGIN_QUERY_IGRAPHGRAPH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace codeindex {

class IgraphGraph {
public:
  /// A graph over NumVertices vertices with the given edges (pairs of
  /// vertex indices below NumVertices, kept as given: callers remove loops
  /// and duplicates when they do not want them).
  static llvm::Expected<IgraphGraph>
  create(size_t NumVertices,
         llvm::ArrayRef<std::pair<uint32_t, uint32_t>> Edges, bool Directed);

  IgraphGraph(IgraphGraph &&) noexcept;
  IgraphGraph &operator=(IgraphGraph &&) noexcept;
  ~IgraphGraph();

  size_t vertexCount() const;
  size_t edgeCount() const;
  bool directed() const;

  /// PageRank with the given damping factor, solved exactly (PRPACK) rather
  /// than iterated; along the edges' direction on a directed graph, the
  /// rank of vertices without out-edges spread uniformly. Sums to 1.
  llvm::Expected<std::vector<double>> pageRank(double Damping) const;

  /// Betweenness centrality: for each vertex, the number of shortest paths
  /// between other pairs that pass through it (each pair's paths sharing
  /// one unit), not normalised. Paths follow the edges' direction on a
  /// directed graph.
  llvm::Expected<std::vector<double>> betweenness() const;

  /// The k-core number of each vertex: the largest k such that the vertex
  /// belongs to a subgraph where every vertex has degree >= k (in + out on
  /// a directed graph).
  llvm::Expected<std::vector<int64_t>> coreness() const;

  struct Partition {
    std::vector<int64_t> Membership; ///< community of each vertex, 0-based
    size_t Count = 0;                ///< number of communities
  };

  /// Communities by the Leiden algorithm with the modularity objective
  /// (node weights = degrees, resolution 1/2m), iterated until an
  /// iteration changes nothing. The graph must be undirected. Deterministic
  /// for a given Seed: igraph's default generator is seeded with it under
  /// the lock.
  llvm::Expected<Partition> leiden(uint64_t Seed) const;

  /// Newman's modularity of a partition (resolution 1, no weights; directed
  /// graphs use the directed formula).
  llvm::Expected<double> modularity(llvm::ArrayRef<int64_t> Membership) const;

  /// The weakly connected component of each vertex, 0-based.
  llvm::Expected<Partition> components() const;

private:
  struct State;
  explicit IgraphGraph(std::unique_ptr<State> S);
  std::unique_ptr<State> S;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_IGRAPHGRAPH_H
