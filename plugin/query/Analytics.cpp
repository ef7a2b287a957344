//===- Analytics.cpp - Whole-graph analytics over the code graph ----------===//

#include "query/Analytics.h"
#include "query/IgraphGraph.h"
#include "query/QueryError.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>

using namespace llvm;

namespace codeindex {

namespace {

/// igraph's generator is seeded with this before every Leiden run.
constexpr uint64_t LeidenSeed = 1;
constexpr double Damping = 0.85;
/// Ties at a cut-off needing more names than this are named by one scan of
/// the entities rather than by one lookup each.
constexpr size_t MaxNameLookups = 4096;

bool wantsTable(const QueryOptions &O) {
  return O.Format == OutputFormat::Table;
}
TableStyle style(const QueryOptions &O) { return TableStyle{O.Width, O.Color}; }

/// X as printed in JSON: 10 significant digits. Rankings compare this, so
/// that values equal in print (a star's leaves) are ties broken by name,
/// whatever their last bits.
double printed(double X) {
  char Buf[64];
  snprintf(Buf, sizeof(Buf), "%.10g", X);
  return std::strtod(Buf, nullptr);
}

/// X in a table: 6 significant digits.
std::string shortNumber(double X) {
  char Buf[64];
  snprintf(Buf, sizeof(Buf), "%.6g", X);
  return Buf;
}

/// "1 class", "2 classes".
std::string count(size_t N, StringRef One, StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

bool isRecord(EntityKind K) {
  return K == EntityKind::Class || K == EntityKind::Struct ||
         K == EntityKind::Union;
}

// ---- options ----------------------------------------------------------------

/// The entity edge kinds (includes links files, not entities).
std::vector<EdgeKind> entityEdgeKinds() {
  std::vector<EdgeKind> R;
  for (int I = 0; I < NumEdgeKinds; ++I)
    if (static_cast<EdgeKind>(I) != EdgeKind::Includes)
      R.push_back(static_cast<EdgeKind>(I));
  return R;
}

std::string edgeKindList() {
  std::vector<std::string> Names;
  for (EdgeKind K : entityEdgeKinds())
    Names.push_back(std::string(spell(K)));
  return llvm::join(Names, ", ");
}

/// --edges: a comma-separated list of entity edge kinds, calls by default.
Expected<std::vector<EdgeKind>> parseEdges(StringRef Text) {
  if (Text.empty())
    return std::vector<EdgeKind>{EdgeKind::Calls};
  SmallVector<StringRef, 8> Parts;
  Text.split(Parts, ',');
  std::vector<EdgeKind> R;
  for (StringRef P : Parts) {
    std::optional<EdgeKind> K = parseEdgeKind(P.trim().str());
    if (!K || *K == EdgeKind::Includes)
      return usageError("--edges takes a comma-separated list of " +
                        edgeKindList() + "; not '" + P.trim() + "'");
    R.push_back(*K);
  }
  llvm::sort(R);
  R.erase(std::unique(R.begin(), R.end()), R.end());
  return R;
}

ojson edgesJson(ArrayRef<EdgeKind> Kinds) {
  ojson A = ojson::array();
  for (EdgeKind K : Kinds)
    A.push_back(std::string(spell(K)));
  return A;
}

std::string edgesText(ArrayRef<EdgeKind> Kinds) {
  std::vector<std::string> Names;
  for (EdgeKind K : Kinds)
    Names.push_back(std::string(spell(K)));
  return llvm::join(Names, "+");
}

// ---- the graph --------------------------------------------------------------

using Arc = std::pair<uint32_t, uint32_t>;

/// The entities at either end of an edge of the chosen kinds, and those
/// edges between vertex indices (see Analytics.h).
struct EntityGraph {
  std::vector<Id> Ids;    ///< vertex -> entity id, ascending
  std::vector<Arc> Arcs;  ///< directed, sorted, unique, no self-edges
  std::vector<Arc> Links; ///< undirected (low, high), sorted, unique
};

Expected<EntityGraph> loadGraph(const GraphReader &R, ArrayRef<EdgeKind> Kinds,
                                bool External) {
  // Scans come in id order: Eligible is sorted.
  std::vector<Id> Eligible;
  R.forEachEntity([&](const Entity &E) {
    if (External || !E.External)
      Eligible.push_back(E.ID);
    return true;
  });
  auto IsEligible = [&](Id I) {
    return std::binary_search(Eligible.begin(), Eligible.end(), I);
  };
  std::vector<std::pair<Id, Id>> Pairs;
  for (EdgeKind K : Kinds)
    R.forEachEdge(K, [&](const Edge &E) {
      if (E.From != E.To && IsEligible(E.From) && IsEligible(E.To))
        Pairs.emplace_back(E.From, E.To);
      return true;
    });
  Eligible = {};
  llvm::sort(Pairs);
  Pairs.erase(std::unique(Pairs.begin(), Pairs.end()), Pairs.end());

  EntityGraph G;
  G.Ids.reserve(2 * Pairs.size());
  for (const auto &[From, To] : Pairs) {
    G.Ids.push_back(From);
    G.Ids.push_back(To);
  }
  llvm::sort(G.Ids);
  G.Ids.erase(std::unique(G.Ids.begin(), G.Ids.end()), G.Ids.end());
  G.Ids.shrink_to_fit();
  if (G.Ids.size() > std::numeric_limits<uint32_t>::max())
    return usageError("the graph has too many entities to analyse");
  auto Index = [&](Id I) {
    return static_cast<uint32_t>(llvm::lower_bound(G.Ids, I) - G.Ids.begin());
  };
  G.Arcs.reserve(Pairs.size());
  for (const auto &[From, To] : Pairs)
    G.Arcs.emplace_back(Index(From), Index(To));
  Pairs = {};
  // Pairs were sorted by id and indices follow id order: Arcs is sorted.
  G.Links.reserve(G.Arcs.size());
  for (const auto &[A, B] : G.Arcs)
    G.Links.emplace_back(std::min(A, B), std::max(A, B));
  llvm::sort(G.Links);
  G.Links.erase(std::unique(G.Links.begin(), G.Links.end()), G.Links.end());
  return G;
}

// ---- ranking ----------------------------------------------------------------

/// Qualified names of the entities a ranking needs, fetched in one batch.
class Names {
public:
  explicit Names(const GraphView &G) : G(G) {}

  void need(ArrayRef<Id> Ids) {
    if (Ids.size() <= MaxNameLookups) {
      for (Id I : Ids)
        if (!Known.count(I))
          Known[I] = G.sortKey(I).str();
      return;
    }
    DenseSet<Id> Wanted(Ids.begin(), Ids.end());
    G.reader().forEachEntity([&](const Entity &E) {
      if (Wanted.count(E.ID))
        Known[E.ID] = E.QualifiedName;
      return true;
    });
  }
  StringRef operator()(Id I) const {
    auto It = Known.find(I);
    return It == Known.end() ? StringRef() : StringRef(It->second);
  }

private:
  const GraphView &G;
  DenseMap<Id, std::string> Known;
};

struct Scored {
  double Key; ///< as printed
  uint32_t V;
};

/// Sorts Rows by key (descending), then vertex (= id order), and keeps the
/// first Limit (0: all) plus the rest of the tie at the cut-off: the rows
/// among which the name decides.
void keepCandidates(std::vector<Scored> &Rows, size_t Limit) {
  llvm::sort(Rows, [](const Scored &A, const Scored &B) {
    if (A.Key != B.Key)
      return A.Key > B.Key;
    return A.V < B.V;
  });
  if (!Limit || Rows.size() <= Limit)
    return;
  size_t End = Limit;
  while (End < Rows.size() && Rows[End].Key == Rows[Limit - 1].Key)
    ++End;
  Rows.resize(End);
}

/// The final order: key (descending), qualified name, id; the first Limit.
void finishRanking(std::vector<Scored> &Rows, size_t Limit,
                   const EntityGraph &EG, const Names &N) {
  llvm::sort(Rows, [&](const Scored &A, const Scored &B) {
    if (A.Key != B.Key)
      return A.Key > B.Key;
    StringRef NA = N(EG.Ids[A.V]), NB = N(EG.Ids[B.V]);
    if (NA != NB)
      return NA < NB;
    return A.V < B.V;
  });
  if (Limit && Rows.size() > Limit)
    Rows.resize(Limit);
}

void addIds(std::vector<Id> &Out, const std::vector<Scored> &Rows,
            const EntityGraph &EG) {
  for (const Scored &S : Rows)
    Out.push_back(EG.Ids[S.V]);
}

/// "KIND  NAME  LOCATION" cells of an entity.
std::vector<std::string> entityCells(const GraphView &G, Id I) {
  const Entity *E = G.entity(I);
  return {E ? std::string(spell(E->Kind)) : "?", G.displayName(I),
          G.location(I)};
}

/// The header line of the graph-wide analytics.
std::string graphLine(ArrayRef<EdgeKind> Kinds, bool External, size_t V,
                      size_t E, bool Directed) {
  return "the " + edgesText(Kinds) + " graph" +
         (External ? " (with external entities)" : "") + ": " +
         count(V, "entity", "entities") + ", " +
         (Directed ? count(E, "edge", "edges")
                   : count(E, "undirected edge", "undirected edges"));
}

Error jsonAnswer(raw_ostream &OS, const ojson &J) {
  printJson(OS, J);
  return Error::success();
}

} // namespace

// ---- centrality -------------------------------------------------------------

Error runCentrality(const GraphView &G, const QueryOptions &O,
                    ArrayRef<std::string>, raw_ostream &OS) {
  std::string Method = O.Method.empty() ? "pagerank" : O.Method;
  if (Method != "pagerank" && Method != "betweenness")
    return usageError("--method takes pagerank or betweenness, not '" + Method +
                      "'");
  Expected<std::vector<EdgeKind>> Kinds = parseEdges(O.Edges);
  if (!Kinds)
    return Kinds.takeError();
  Expected<EntityGraph> EG = loadGraph(G.reader(), *Kinds, O.External);
  if (!EG)
    return EG.takeError();
  Expected<IgraphGraph> IG =
      IgraphGraph::create(EG->Ids.size(), EG->Arcs, /*Directed=*/true);
  if (!IG)
    return IG.takeError();
  Expected<std::vector<double>> Scores =
      Method == "pagerank" ? IG->pageRank(Damping) : IG->betweenness();
  if (!Scores)
    return Scores.takeError();

  std::vector<Scored> Rows;
  Rows.reserve(Scores->size());
  for (uint32_t V = 0; V < Scores->size(); ++V)
    Rows.push_back({printed((*Scores)[V]), V});
  keepCandidates(Rows, O.Top);
  Names N(G);
  std::vector<Id> Wanted;
  addIds(Wanted, Rows, *EG);
  N.need(Wanted);
  finishRanking(Rows, O.Top, *EG, N);

  ojson J;
  J["method"] = Method;
  J["edges"] = edgesJson(*Kinds);
  J["external"] = O.External;
  J["directed"] = true;
  if (Method == "pagerank")
    J["damping"] = Damping;
  else
    J["normalized"] = false;
  J["vertices"] = EG->Ids.size();
  J["edge_count"] = EG->Arcs.size();
  J["top"] = O.Top;
  ojson A = ojson::array();
  for (size_t I = 0; I < Rows.size(); ++I) {
    ojson R;
    R["rank"] = I + 1;
    R["score"] = Rows[I].Key;
    R["entity"] = G.ref(EG->Ids[Rows[I].V]);
    A.push_back(std::move(R));
  }
  J["ranking"] = std::move(A);
  if (!wantsTable(O))
    return jsonAnswer(OS, J);

  OS << Method << " over "
     << graphLine(*Kinds, O.External, EG->Ids.size(), EG->Arcs.size(), true);
  if (Method == "pagerank")
    OS << " (damping " << format("%g", Damping) << ")";
  else
    OS << " (shortest paths along the edges, not normalised)";
  OS << "\n";
  Table T({"RANK", "SCORE", "KIND", "NAME", "LOCATION"});
  for (size_t I = 0; I < Rows.size(); ++I) {
    std::vector<std::string> Row = {std::to_string(I + 1),
                                    shortNumber(Rows[I].Key)};
    for (std::string &Cell : entityCells(G, EG->Ids[Rows[I].V]))
      Row.push_back(std::move(Cell));
    T.add(std::move(Row));
  }
  T.print(OS, "", style(O));
  return Error::success();
}

// ---- communities ------------------------------------------------------------

Error runCommunities(const GraphView &G, const QueryOptions &O,
                     ArrayRef<std::string>, raw_ostream &OS) {
  Expected<std::vector<EdgeKind>> Kinds = parseEdges(O.Edges);
  if (!Kinds)
    return Kinds.takeError();
  Expected<EntityGraph> EG = loadGraph(G.reader(), *Kinds, O.External);
  if (!EG)
    return EG.takeError();
  Expected<IgraphGraph> IG =
      IgraphGraph::create(EG->Ids.size(), EG->Links, /*Directed=*/false);
  if (!IG)
    return IG.takeError();
  Expected<IgraphGraph::Partition> P = IG->leiden(LeidenSeed);
  if (!P)
    return P.takeError();
  double Q = 0;
  if (!EG->Links.empty()) {
    Expected<double> M = IG->modularity(P->Membership);
    if (!M)
      return M.takeError();
    Q = *M;
  }

  // Members, internal degree and internal edges of each community.
  struct Community {
    std::vector<Scored> Members; ///< key: internal degree
    size_t Size = 0;
    size_t InternalEdges = 0;
    uint32_t First = 0; ///< smallest vertex (= id): the tie-break
  };
  std::vector<Community> Cs(P->Count);
  std::vector<uint32_t> Internal(EG->Ids.size(), 0);
  for (const auto &[A, B] : EG->Links)
    if (P->Membership[A] == P->Membership[B]) {
      ++Internal[A];
      ++Internal[B];
      ++Cs[P->Membership[A]].InternalEdges;
    }
  for (uint32_t V = EG->Ids.size(); V-- > 0;) {
    Community &C = Cs[P->Membership[V]];
    C.Members.push_back({static_cast<double>(Internal[V]), V});
    ++C.Size;
    C.First = V;
  }
  Internal = {};
  // Largest first; equal sizes by their smallest id.
  llvm::sort(Cs, [](const Community &A, const Community &B) {
    if (A.Size != B.Size)
      return A.Size > B.Size;
    return A.First < B.First;
  });
  if (O.Top && Cs.size() > O.Top)
    Cs.resize(O.Top);
  Names N(G);
  std::vector<Id> Wanted;
  for (Community &C : Cs) {
    keepCandidates(C.Members, O.Top);
    addIds(Wanted, C.Members, *EG);
  }
  N.need(Wanted);
  for (Community &C : Cs)
    finishRanking(C.Members, O.Top, *EG, N);

  ojson J;
  J["algorithm"] = "leiden";
  J["objective"] = "modularity";
  J["seed"] = LeidenSeed;
  J["edges"] = edgesJson(*Kinds);
  J["external"] = O.External;
  J["directed"] = false;
  J["vertices"] = EG->Ids.size();
  J["edge_count"] = EG->Links.size();
  J["modularity"] = printed(Q);
  J["count"] = P->Count;
  J["top"] = O.Top;
  ojson A = ojson::array();
  for (size_t I = 0; I < Cs.size(); ++I) {
    ojson Cj;
    Cj["community"] = I + 1;
    Cj["size"] = Cs[I].Size;
    Cj["internal_edges"] = Cs[I].InternalEdges;
    ojson M = ojson::array();
    for (const Scored &S : Cs[I].Members) {
      ojson R;
      R["internal_degree"] = static_cast<uint64_t>(S.Key);
      R["entity"] = G.ref(EG->Ids[S.V]);
      M.push_back(std::move(R));
    }
    Cj["members"] = std::move(M);
    A.push_back(std::move(Cj));
  }
  J["communities"] = std::move(A);
  if (!wantsTable(O))
    return jsonAnswer(OS, J);

  OS << count(P->Count, "community", "communities") << " in "
     << graphLine(*Kinds, O.External, EG->Ids.size(), EG->Links.size(), false)
     << "\nmodularity " << format("%.6f", Q) << " (Leiden, seed " << LeidenSeed
     << ")\n";
  for (size_t I = 0; I < Cs.size(); ++I) {
    const Community &C = Cs[I];
    OS << "community " << I + 1 << " (" << count(C.Size, "member", "members")
       << ", " << count(C.InternalEdges, "internal edge", "internal edges")
       << ")\n";
    Table T({"DEGREE", "KIND", "NAME", "LOCATION"});
    for (const Scored &S : C.Members) {
      std::vector<std::string> Row = {
          std::to_string(static_cast<uint64_t>(S.Key))};
      for (std::string &Cell : entityCells(G, EG->Ids[S.V]))
        Row.push_back(std::move(Cell));
      T.add(std::move(Row));
    }
    T.print(OS, "  ", style(O));
    if (C.Members.size() < C.Size)
      OS << "  ... and " << C.Size - C.Members.size() << " more\n";
  }
  if (Cs.size() < P->Count)
    OS << "... and "
       << count(P->Count - Cs.size(), "more community", "more communities")
       << "\n";
  return Error::success();
}

// ---- layers -----------------------------------------------------------------

Error runLayers(const GraphView &G, const QueryOptions &O,
                ArrayRef<std::string>, raw_ostream &OS) {
  Expected<std::vector<EdgeKind>> Kinds = parseEdges(O.Edges);
  if (!Kinds)
    return Kinds.takeError();
  Expected<EntityGraph> EG = loadGraph(G.reader(), *Kinds, O.External);
  if (!EG)
    return EG.takeError();
  Expected<IgraphGraph> IG =
      IgraphGraph::create(EG->Ids.size(), EG->Links, /*Directed=*/false);
  if (!IG)
    return IG.takeError();
  Expected<std::vector<int64_t>> Core = IG->coreness();
  if (!Core)
    return Core.takeError();

  std::vector<uint32_t> Degree(EG->Ids.size(), 0);
  for (const auto &[A, B] : EG->Links) {
    ++Degree[A];
    ++Degree[B];
  }
  // Layers, innermost (highest core number) first; members by degree.
  std::map<int64_t, std::vector<Scored>, std::greater<int64_t>> Layers;
  for (uint32_t V = 0; V < EG->Ids.size(); ++V)
    Layers[(*Core)[V]].push_back({static_cast<double>(Degree[V]), V});
  Degree = {};
  std::map<int64_t, size_t> Sizes;
  Names N(G);
  std::vector<Id> Wanted;
  for (auto &[K, Members] : Layers) {
    Sizes[K] = Members.size();
    keepCandidates(Members, O.Top);
    addIds(Wanted, Members, *EG);
  }
  N.need(Wanted);
  for (auto &[K, Members] : Layers)
    finishRanking(Members, O.Top, *EG, N);

  ojson J;
  J["edges"] = edgesJson(*Kinds);
  J["external"] = O.External;
  J["directed"] = false;
  J["vertices"] = EG->Ids.size();
  J["edge_count"] = EG->Links.size();
  J["max_core"] = Layers.empty() ? 0 : Layers.begin()->first;
  J["top"] = O.Top;
  ojson A = ojson::array();
  for (const auto &[K, Members] : Layers) {
    ojson L;
    L["core"] = K;
    L["size"] = Sizes[K];
    ojson M = ojson::array();
    for (const Scored &S : Members) {
      ojson R;
      R["degree"] = static_cast<uint64_t>(S.Key);
      R["entity"] = G.ref(EG->Ids[S.V]);
      M.push_back(std::move(R));
    }
    L["members"] = std::move(M);
    A.push_back(std::move(L));
  }
  J["layers"] = std::move(A);
  if (!wantsTable(O))
    return jsonAnswer(OS, J);

  OS << "k-core layers of "
     << graphLine(*Kinds, O.External, EG->Ids.size(), EG->Links.size(), false)
     << "\n";
  for (const auto &[K, Members] : Layers) {
    OS << "core " << K << " (" << count(Sizes[K], "member", "members") << ")\n";
    Table T({"DEGREE", "KIND", "NAME", "LOCATION"});
    for (const Scored &S : Members) {
      std::vector<std::string> Row = {
          std::to_string(static_cast<uint64_t>(S.Key))};
      for (std::string &Cell : entityCells(G, EG->Ids[S.V]))
        Row.push_back(std::move(Cell));
      T.add(std::move(Row));
    }
    T.print(OS, "  ", style(O));
    if (Members.size() < Sizes[K])
      OS << "  ... and " << Sizes[K] - Members.size() << " more\n";
  }
  return Error::success();
}

// ---- coupling ---------------------------------------------------------------

namespace {

/// The class (struct, union) an entity belongs to: itself if it is one,
/// else its nearest enclosing one; 0 for none.
Id classOf(const GraphView &G, Id I) {
  for (unsigned Depth = 0; I && Depth < 64; ++Depth) {
    const Entity *E = G.entity(I);
    if (!E)
      return 0;
    if (isRecord(E->Kind))
      return I;
    I = E->Parent;
  }
  return 0;
}

bool isMethodKind(EntityKind K) {
  return K == EntityKind::Method || K == EntityKind::Constructor ||
         K == EntityKind::Destructor || K == EntityKind::ConversionFunction ||
         K == EntityKind::Operator;
}

/// Ids sorted for output (qualified name, then id).
ojson refs(const GraphView &G, std::vector<Id> Ids) {
  G.sortIds(Ids);
  ojson A = ojson::array();
  for (Id I : Ids)
    A.push_back(G.ref(I));
  return A;
}

struct ClassEdges {
  Id Class;
  unsigned Edges;
};

/// Per-class edge counts, most edges first, then by name and id.
std::vector<ClassEdges> byClass(const GraphView &G,
                                const DenseMap<Id, unsigned> &Counts) {
  std::vector<ClassEdges> R;
  for (const auto &[C, N] : Counts)
    R.push_back({C, N});
  llvm::sort(R, [&](const ClassEdges &A, const ClassEdges &B) {
    if (A.Edges != B.Edges)
      return A.Edges > B.Edges;
    return G.before(A.Class, B.Class);
  });
  return R;
}

ojson fanJson(const GraphView &G, const std::vector<ClassEdges> &Rows) {
  unsigned Total = 0;
  ojson A = ojson::array();
  for (const ClassEdges &R : Rows) {
    Total += R.Edges;
    ojson E;
    E["edges"] = R.Edges;
    E["class"] = G.ref(R.Class);
    A.push_back(std::move(E));
  }
  ojson J;
  J["classes"] = Rows.size();
  J["edges"] = Total;
  J["by_class"] = std::move(A);
  return J;
}

} // namespace

Error runCoupling(const GraphView &G, const QueryOptions &O,
                  ArrayRef<std::string> Args, raw_ostream &OS) {
  Expected<std::vector<EdgeKind>> Kinds = parseEdges(O.Edges);
  if (!Kinds)
    return Kinds.takeError();
  Expected<Id> Target =
      resolveOne(G, Args[0], [](const Entity &E) { return isRecord(E.Kind); });
  if (!Target)
    return Target.takeError();
  Id C = *Target;
  const Entity *CE = G.entity(C);
  if (!isRecord(CE->Kind))
    return usageError("'" + Args[0] + "' is a " + std::string(spell(CE->Kind)) +
                      " (" + G.displayName(C) +
                      "), not a class: coupling takes a class, struct or "
                      "union");
  auto Visible = [&](Id I) {
    const Entity *E = G.entity(I);
    return E && (O.External || !E->External);
  };

  // Members: what the class contains (nested classes are classes of their
  // own, and their members theirs).
  std::vector<Id> Members, Methods, Fields;
  for (const Edge &E : G.out(EdgeKind::Contains, C)) {
    const Entity *M = G.entity(E.To);
    if (!M || isRecord(M->Kind))
      continue;
    Members.push_back(E.To);
    if (isMethodKind(M->Kind))
      Methods.push_back(E.To);
    else if (M->Kind == EntityKind::Field)
      Fields.push_back(E.To);
  }
  DenseSet<Id> IsMember(Members.begin(), Members.end());
  DenseSet<Id> IsField(Fields.begin(), Fields.end());

  // Fan-out and fan-in by class.
  DenseMap<Id, unsigned> Out, In;
  for (Id M : Members)
    for (EdgeKind K : *Kinds) {
      for (const Edge &E : G.out(K, M))
        if (E.To != C && !IsMember.count(E.To) && Visible(E.To))
          if (Id Other = classOf(G, E.To); Other && Other != C)
            ++Out[Other];
      for (const Edge &E : G.in(K, M))
        if (E.From != C && !IsMember.count(E.From) && Visible(E.From))
          if (Id Other = classOf(G, E.From); Other && Other != C)
            ++In[Other];
    }
  std::vector<ClassEdges> OutRows = byClass(G, Out), InRows = byClass(G, In);

  // RFC: the methods and the distinct functions they call.
  DenseSet<Id> Response(Methods.begin(), Methods.end());
  for (Id M : Methods)
    for (const Edge &E : G.out(EdgeKind::Calls, M))
      if (Visible(E.To) && isFunctionLike(G.entity(E.To)->Kind))
        Response.insert(E.To);

  // LCOM4 over the methods other than constructors and destructors.
  std::vector<Id> Cohesive;
  for (Id M : Methods) {
    EntityKind K = G.entity(M)->Kind;
    if (K != EntityKind::Constructor && K != EntityKind::Destructor)
      Cohesive.push_back(M);
  }
  llvm::sort(Cohesive);
  auto IndexOf = [&](Id I) -> std::optional<uint32_t> {
    auto It = llvm::lower_bound(Cohesive, I);
    if (It == Cohesive.end() || *It != I)
      return std::nullopt;
    return static_cast<uint32_t>(It - Cohesive.begin());
  };
  std::vector<Arc> Links;
  std::map<uint32_t, std::vector<Id>> FieldsUsed; // method -> fields
  DenseMap<Id, std::vector<uint32_t>> UsersOfField;
  for (uint32_t V = 0; V < Cohesive.size(); ++V) {
    for (const Edge &E : G.out(EdgeKind::References, Cohesive[V]))
      if (IsField.count(E.To)) {
        UsersOfField[E.To].push_back(V);
        FieldsUsed[V].push_back(E.To);
      }
    for (const Edge &E : G.out(EdgeKind::Calls, Cohesive[V]))
      if (std::optional<uint32_t> W = IndexOf(E.To); W && *W != V)
        Links.emplace_back(std::min(V, *W), std::max(V, *W));
  }
  for (auto &[F, Users] : UsersOfField)
    for (size_t I = 1; I < Users.size(); ++I)
      Links.emplace_back(std::min(Users[0], Users[I]),
                         std::max(Users[0], Users[I]));
  llvm::sort(Links);
  Links.erase(std::unique(Links.begin(), Links.end()), Links.end());
  Expected<IgraphGraph> IG =
      IgraphGraph::create(Cohesive.size(), Links, /*Directed=*/false);
  if (!IG)
    return IG.takeError();
  Expected<IgraphGraph::Partition> P = IG->components();
  if (!P)
    return P.takeError();
  struct Component {
    std::vector<Id> Methods, Fields;
  };
  std::vector<Component> Components(P->Count);
  for (uint32_t V = 0; V < Cohesive.size(); ++V) {
    Component &Cp = Components[P->Membership[V]];
    Cp.Methods.push_back(Cohesive[V]);
    for (Id F : FieldsUsed[V])
      Cp.Fields.push_back(F);
  }
  for (Component &Cp : Components) {
    G.sortIds(Cp.Methods);
    G.sortIds(Cp.Fields);
    Cp.Fields.erase(std::unique(Cp.Fields.begin(), Cp.Fields.end()),
                    Cp.Fields.end());
  }
  // Largest first, then by the first method's name.
  llvm::sort(Components, [&](const Component &A, const Component &B) {
    if (A.Methods.size() != B.Methods.size())
      return A.Methods.size() > B.Methods.size();
    return G.before(A.Methods.front(), B.Methods.front());
  });

  ojson J;
  J["class"] = G.ref(C);
  J["edges"] = edgesJson(*Kinds);
  J["external"] = O.External;
  J["methods"] = refs(G, Methods);
  J["fields"] = refs(G, Fields);
  J["fan_out"] = fanJson(G, OutRows);
  J["fan_in"] = fanJson(G, InRows);
  ojson Rfc;
  Rfc["value"] = Response.size();
  Rfc["methods"] = Methods.size();
  Rfc["called"] = Response.size() - Methods.size();
  J["rfc"] = std::move(Rfc);
  ojson Coh;
  Coh["metric"] = "LCOM4";
  Coh["value"] = Components.size();
  ojson CA = ojson::array();
  for (const Component &Cp : Components) {
    ojson Cj;
    Cj["methods"] = refs(G, Cp.Methods);
    Cj["fields"] = refs(G, Cp.Fields);
    CA.push_back(std::move(Cj));
  }
  Coh["components"] = std::move(CA);
  J["cohesion"] = std::move(Coh);
  if (!wantsTable(O))
    return jsonAnswer(OS, J);

  OS << "coupling of " << spell(CE->Kind) << " " << G.displayName(C) << " ("
     << G.location(C) << ") over the " << edgesText(*Kinds) << " edges\n"
     << "members: " << count(Methods.size(), "method", "methods") << ", "
     << count(Fields.size(), "field", "fields") << "\n";
  auto PrintFan = [&](StringRef Title, const std::vector<ClassEdges> &Rows) {
    unsigned Total = 0;
    for (const ClassEdges &R : Rows)
      Total += R.Edges;
    OS << Title << ": " << count(Rows.size(), "class", "classes") << ", "
       << count(Total, "edge", "edges") << "\n";
    if (Rows.empty())
      return;
    Table T({"EDGES", "KIND", "NAME", "LOCATION"});
    for (const ClassEdges &R : Rows) {
      std::vector<std::string> Row = {std::to_string(R.Edges)};
      for (std::string &Cell : entityCells(G, R.Class))
        Row.push_back(std::move(Cell));
      T.add(std::move(Row));
    }
    T.print(OS, "  ", style(O));
  };
  PrintFan("fan-out (classes it uses)", OutRows);
  PrintFan("fan-in (classes using it)", InRows);
  OS << "RFC: " << Response.size() << " ("
     << count(Methods.size(), "method", "methods") << " + "
     << count(Response.size() - Methods.size(), "other function",
              "other functions")
     << " they call)\n"
     << "LCOM4: " << Components.size()
     << " (methods linked by shared fields or calls; constructors and "
        "destructors aside)\n";
  for (size_t I = 0; I < Components.size(); ++I) {
    std::vector<std::string> M, F;
    for (Id X : Components[I].Methods)
      M.push_back(G.entity(X)->Name);
    for (Id X : Components[I].Fields)
      F.push_back(G.entity(X)->Name);
    OS << "  " << I + 1 << ": " << llvm::join(M, ", ");
    if (!F.empty())
      OS << " | fields: " << llvm::join(F, ", ");
    OS << "\n";
  }
  return Error::success();
}

} // namespace codeindex
