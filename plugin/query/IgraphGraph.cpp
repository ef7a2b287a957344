//===- IgraphGraph.cpp - An igraph graph and the algorithms we run --------===//

#include "query/IgraphGraph.h"

#include "llvm/ADT/Twine.h"

#include <igraph.h>

#include <mutex>

using namespace llvm;

namespace codeindex {

namespace {

/// Serialises igraph (see the header) and installs, once, error and warning
/// handlers that return instead of aborting or printing.
class IgraphLock {
public:
  IgraphLock() : L(mutex()) {
    static std::once_flag Once;
    std::call_once(Once, [] {
      igraph_set_error_handler(igraph_error_handler_ignore);
      igraph_set_warning_handler(igraph_warning_handler_ignore);
    });
  }

private:
  static std::mutex &mutex() {
    static std::mutex M;
    return M;
  }
  std::lock_guard<std::mutex> L;
};

Error check(igraph_error_t E, const char *What) {
  if (E == IGRAPH_SUCCESS)
    return Error::success();
  return createStringError(inconvertibleErrorCode(),
                           Twine("graph analysis failed: ") + What + ": " +
                               igraph_strerror(E));
}

/// An igraph_vector_t destroyed on every path.
class RealVector {
public:
  RealVector() = default;
  RealVector(const RealVector &) = delete;
  RealVector &operator=(const RealVector &) = delete;
  ~RealVector() {
    if (Live)
      igraph_vector_destroy(&V);
  }
  Error init(igraph_integer_t N) {
    if (Error E = check(igraph_vector_init(&V, N), "allocating a vector"))
      return E;
    Live = true;
    return Error::success();
  }
  igraph_vector_t *get() { return &V; }
  std::vector<double> take() const {
    std::vector<double> R(igraph_vector_size(&V));
    for (size_t I = 0; I < R.size(); ++I)
      R[I] = VECTOR(V)[I];
    return R;
  }

private:
  igraph_vector_t V;
  bool Live = false;
};

/// An igraph_vector_int_t destroyed on every path.
class IntVector {
public:
  IntVector() = default;
  IntVector(const IntVector &) = delete;
  IntVector &operator=(const IntVector &) = delete;
  ~IntVector() {
    if (Live)
      igraph_vector_int_destroy(&V);
  }
  Error init(igraph_integer_t N) {
    if (Error E = check(igraph_vector_int_init(&V, N), "allocating a vector"))
      return E;
    Live = true;
    return Error::success();
  }
  igraph_vector_int_t *get() { return &V; }
  std::vector<int64_t> take() const {
    std::vector<int64_t> R(igraph_vector_int_size(&V));
    for (size_t I = 0; I < R.size(); ++I)
      R[I] = VECTOR(V)[I];
    return R;
  }

private:
  igraph_vector_int_t V;
  bool Live = false;
};

} // namespace

struct IgraphGraph::State {
  igraph_t G;
  bool Live = false; ///< igraph_create succeeded: G must be destroyed
  State() = default;
  State(const State &) = delete;
  State &operator=(const State &) = delete;
  // igraph_destroy only frees the graph's own vectors: it touches none of
  // igraph's global state, so it needs no lock.
  ~State() {
    if (Live)
      igraph_destroy(&G);
  }
};

IgraphGraph::IgraphGraph(std::unique_ptr<State> S) : S(std::move(S)) {}
IgraphGraph::IgraphGraph(IgraphGraph &&) noexcept = default;
IgraphGraph &IgraphGraph::operator=(IgraphGraph &&) noexcept = default;
IgraphGraph::~IgraphGraph() = default;

Expected<IgraphGraph>
IgraphGraph::create(size_t NumVertices,
                    ArrayRef<std::pair<uint32_t, uint32_t>> Edges,
                    bool Directed) {
  IgraphLock L;
  IntVector Ends;
  if (Error E = Ends.init(2 * static_cast<igraph_integer_t>(Edges.size())))
    return E;
  for (size_t I = 0; I < Edges.size(); ++I) {
    VECTOR(*Ends.get())[2 * I] = Edges[I].first;
    VECTOR(*Ends.get())[2 * I + 1] = Edges[I].second;
  }
  // The state is allocated first so that a graph igraph_create made is
  // always owned (and destroyed) by it; a failed igraph_create leaves
  // nothing to destroy.
  auto St = std::make_unique<State>();
  if (Error E = check(igraph_create(&St->G, Ends.get(),
                                    static_cast<igraph_integer_t>(NumVertices),
                                    Directed),
                      "building the graph"))
    return E;
  St->Live = true;
  return IgraphGraph(std::move(St));
}

size_t IgraphGraph::vertexCount() const { return igraph_vcount(&S->G); }
size_t IgraphGraph::edgeCount() const { return igraph_ecount(&S->G); }
bool IgraphGraph::directed() const { return igraph_is_directed(&S->G); }

Expected<std::vector<double>> IgraphGraph::pageRank(double Damping) const {
  IgraphLock L;
  RealVector R;
  if (Error E = R.init(0))
    return E;
  igraph_real_t Eigenvalue = 0;
  if (Error E = check(igraph_pagerank(&S->G, IGRAPH_PAGERANK_ALGO_PRPACK,
                                      R.get(), &Eigenvalue, igraph_vss_all(),
                                      directed(), Damping, nullptr, nullptr),
                      "PageRank"))
    return E;
  return R.take();
}

Expected<std::vector<double>> IgraphGraph::betweenness() const {
  IgraphLock L;
  RealVector R;
  if (Error E = R.init(0))
    return E;
  if (Error E = check(igraph_betweenness(&S->G, R.get(), igraph_vss_all(),
                                         directed(), nullptr),
                      "betweenness"))
    return E;
  return R.take();
}

Expected<std::vector<int64_t>> IgraphGraph::coreness() const {
  IgraphLock L;
  IntVector R;
  if (Error E = R.init(0))
    return E;
  if (Error E = check(igraph_coreness(&S->G, R.get(), IGRAPH_ALL), "coreness"))
    return E;
  return R.take();
}

Expected<IgraphGraph::Partition> IgraphGraph::leiden(uint64_t Seed) const {
  if (directed())
    return createStringError(inconvertibleErrorCode(),
                             "graph analysis failed: Leiden needs an "
                             "undirected graph");
  IgraphLock L;
  Partition P;
  igraph_integer_t M = igraph_ecount(&S->G);
  if (M == 0) {
    // Modularity is undefined without edges: every vertex alone.
    for (size_t I = 0; I < vertexCount(); ++I)
      P.Membership.push_back(static_cast<int64_t>(I));
    P.Count = P.Membership.size();
    return P;
  }
  // The modularity objective in igraph's Leiden: node weights are the
  // degrees and the resolution is 1/(2m) (igraph's documentation of
  // igraph_community_leiden).
  IntVector Degrees;
  RealVector NodeWeights;
  IntVector Membership;
  if (Error E = Degrees.init(0))
    return E;
  if (Error E = NodeWeights.init(0))
    return E;
  if (Error E = Membership.init(0))
    return E;
  if (Error E = check(igraph_degree(&S->G, Degrees.get(), igraph_vss_all(),
                                    IGRAPH_ALL, IGRAPH_LOOPS),
                      "degrees"))
    return E;
  if (Error E =
          check(igraph_vector_resize(NodeWeights.get(),
                                     igraph_vector_int_size(Degrees.get())),
                "allocating a vector"))
    return E;
  for (igraph_integer_t I = 0; I < igraph_vector_int_size(Degrees.get()); ++I)
    VECTOR(*NodeWeights.get())[I] = VECTOR(*Degrees.get())[I];
  if (Error E = check(igraph_rng_seed(igraph_rng_default(), Seed),
                      "seeding the random number generator"))
    return E;
  igraph_integer_t Clusters = 0;
  igraph_real_t Quality = 0;
  if (Error E =
          check(igraph_community_leiden(
                    &S->G, nullptr, NodeWeights.get(), 1.0 / (2.0 * M),
                    /*beta=*/0.01, /*start=*/false,
                    /*n_iterations=*/-1, Membership.get(), &Clusters, &Quality),
                "Leiden communities"))
    return E;
  P.Membership = Membership.take();
  P.Count = static_cast<size_t>(Clusters);
  return P;
}

Expected<double> IgraphGraph::modularity(ArrayRef<int64_t> Membership) const {
  IgraphLock L;
  IntVector M;
  if (Error E = M.init(static_cast<igraph_integer_t>(Membership.size())))
    return E;
  for (size_t I = 0; I < Membership.size(); ++I)
    VECTOR(*M.get())[I] = Membership[I];
  igraph_real_t Q = 0;
  if (Error E =
          check(igraph_modularity(&S->G, M.get(), nullptr, 1.0, directed(), &Q),
                "modularity"))
    return E;
  return Q;
}

Expected<IgraphGraph::Partition> IgraphGraph::components() const {
  IgraphLock L;
  IntVector Membership, Sizes;
  if (Error E = Membership.init(0))
    return E;
  if (Error E = Sizes.init(0))
    return E;
  igraph_integer_t N = 0;
  if (Error E = check(igraph_connected_components(&S->G, Membership.get(),
                                                  Sizes.get(), &N, IGRAPH_WEAK),
                      "connected components"))
    return E;
  Partition P;
  P.Membership = Membership.take();
  P.Count = static_cast<size_t>(N);
  return P;
}

} // namespace codeindex
