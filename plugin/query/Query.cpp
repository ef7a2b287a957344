//===- Query.cpp - Graph questions over an index or an export -------------===//

#include "query/Query.h"
#include "tools/code-indexer/ExitCodes.h"

#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/Store.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/GraphTraits.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <set>

using namespace llvm;

namespace codeindex {

//===----------------------------------------------------------------------===//
// GraphIndex
//===----------------------------------------------------------------------===//

GraphIndex::GraphIndex(Graph Gr)
    : G(std::move(Gr)), Out(NumEdgeKinds), In(NumEdgeKinds) {
  for (unsigned I = 0; I < G.Entities.size(); ++I) {
    EntityIdx[G.Entities[I].ID] = I;
    ByQName[G.Entities[I].QualifiedName].push_back(G.Entities[I].ID);
  }
  for (unsigned I = 0; I < G.Files.size(); ++I) {
    FileIdx[G.Files[I].ID] = I;
    PathIdx[G.Files[I].Path] = I;
  }
  for (auto &[QN, Ids] : ByQName)
    llvm::sort(Ids);
  // Edges are sorted by kind, from, to: out-lists come out sorted by the
  // target; in-lists are sorted by the source below.
  for (unsigned I = 0; I < G.Edges.size(); ++I) {
    const Edge &E = G.Edges[I];
    Out[static_cast<int>(E.Kind)][E.From].push_back(I);
    In[static_cast<int>(E.Kind)][E.To].push_back(I);
  }
  for (auto &M : In)
    for (auto &[Node, Edges] : M)
      llvm::sort(Edges, [&](unsigned A, unsigned B) {
        return G.Edges[A].From < G.Edges[B].From;
      });
}

const Entity *GraphIndex::entity(Id I) const {
  auto It = EntityIdx.find(I);
  return It == EntityIdx.end() ? nullptr : &G.Entities[It->second];
}

const FileInfo *GraphIndex::file(Id I) const {
  auto It = FileIdx.find(I);
  return It == FileIdx.end() ? nullptr : &G.Files[It->second];
}

const FileInfo *GraphIndex::fileByPath(StringRef Path) const {
  auto It = PathIdx.find(Path);
  return It == PathIdx.end() ? nullptr : &G.Files[It->second];
}

ArrayRef<unsigned> GraphIndex::out(EdgeKind K, Id I) const {
  const auto &M = Out[static_cast<int>(K)];
  auto It = M.find(I);
  return It == M.end() ? ArrayRef<unsigned>() : ArrayRef(It->second);
}

ArrayRef<unsigned> GraphIndex::in(EdgeKind K, Id I) const {
  const auto &M = In[static_cast<int>(K)];
  auto It = M.find(I);
  return It == M.end() ? ArrayRef<unsigned>() : ArrayRef(It->second);
}

ArrayRef<Id> GraphIndex::byQualifiedName(StringRef QN) const {
  auto It = ByQName.find(QN);
  return It == ByQName.end() ? ArrayRef<Id>() : ArrayRef(It->second);
}

std::string GraphIndex::displayName(Id I) const {
  if (const Entity *E = entity(I)) {
    if (byQualifiedName(E->QualifiedName).size() > 1 && !E->Signature.empty())
      return E->Signature;
    return E->QualifiedName;
  }
  if (const FileInfo *F = file(I))
    return "file:" + F->Path;
  return formatId(I);
}

std::string GraphIndex::location(Id I) const {
  if (const Entity *E = entity(I))
    return E->File + ":" + std::to_string(E->Range.Line);
  if (const FileInfo *F = file(I))
    return F->Path;
  return "?";
}

ojson GraphIndex::ref(Id I) const {
  ojson J;
  J["id"] = formatId(I);
  if (const Entity *E = entity(I)) {
    J["kind"] = spell(E->Kind);
    J["qualified_name"] = E->QualifiedName;
    J["signature"] = E->Signature;
    J["file"] = E->File;
    J["line"] = E->Range.Line;
    J["external"] = E->External;
    J["test"] = E->IsTest;
    J["overloaded"] = byQualifiedName(E->QualifiedName).size() > 1;
  } else {
    const FileInfo *F = file(I);
    J["kind"] = "file";
    J["qualified_name"] = F ? F->Path : "";
    J["signature"] = "";
    J["file"] = F ? F->Path : "";
    J["line"] = 0;
    J["external"] = F && F->Role == FileRole::System;
    J["test"] = F && F->Role == FileRole::Test;
    J["overloaded"] = false;
  }
  return J;
}

StringRef GraphIndex::sortKey(Id I) const {
  if (const Entity *E = entity(I))
    return E->QualifiedName;
  if (const FileInfo *F = file(I))
    return F->Path;
  return "";
}

bool GraphIndex::before(Id A, Id B) const {
  StringRef NA = sortKey(A), NB = sortKey(B);
  if (NA != NB)
    return NA < NB;
  return A < B;
}

void GraphIndex::sortIds(std::vector<Id> &Ids) const {
  std::vector<std::pair<StringRef, Id>> Keyed;
  Keyed.reserve(Ids.size());
  for (Id I : Ids)
    Keyed.emplace_back(sortKey(I), I);
  llvm::sort(Keyed);
  for (size_t K = 0; K < Ids.size(); ++K)
    Ids[K] = Keyed[K].second;
}

std::vector<Id> GraphIndex::resolve(StringRef Text) const {
  std::vector<Id> R;
  if (auto I = parseId(std::string_view(Text.data(), Text.size())))
    if (entity(*I))
      return {*I};
  for (Id I : byQualifiedName(Text))
    R.push_back(I);
  if (R.empty() && Text.contains('(')) {
    // One overload: "calc::format(int)" or "format(int)" inside the
    // signature "const char *calc::format(int)".
    for (const Entity &E : G.Entities) {
      StringRef Sig = E.Signature;
      for (size_t Pos = Sig.find(Text); Pos != StringRef::npos;
           Pos = Sig.find(Text, Pos + 1)) {
        char Before = Pos ? Sig[Pos - 1] : ' ';
        size_t End = Pos + Text.size();
        char After = End < Sig.size() ? Sig[End] : ' ';
        if (StringRef(" *&:").contains(Before) && After == ' ') {
          R.push_back(E.ID);
          break;
        }
      }
    }
  }
  if (R.empty()) {
    // A name, or the tail of a qualified name ("Circle::area").
    std::string Suffix = "::" + Text.str();
    for (const Entity &E : G.Entities)
      if (E.Name == Text || StringRef(E.QualifiedName).ends_with(Suffix))
        R.push_back(E.ID);
  }
  sortIds(R);
  return R;
}

std::vector<std::string> GraphIndex::suggest(StringRef Text,
                                             unsigned Max) const {
  std::string Lower = Text.lower();
  unsigned Limit = std::max<unsigned>(2, Text.size() / 3);
  std::map<std::string, unsigned> Best; // qualified name -> score
  for (const Entity &E : G.Entities) {
    std::string QN = StringRef(E.QualifiedName).lower();
    std::string Name = StringRef(E.Name).lower();
    unsigned Score;
    if (StringRef(QN).contains(Lower))
      Score = 0;
    else
      Score =
          1 + std::min(StringRef(Name).edit_distance(Lower, true, Limit + 1),
                       StringRef(QN).edit_distance(Lower, true, Limit + 1));
    if (Score > Limit + 1)
      continue;
    auto [It, New] = Best.emplace(E.QualifiedName, Score);
    if (!New)
      It->second = std::min(It->second, Score);
  }
  std::vector<std::pair<unsigned, std::string>> Ranked;
  for (auto &[QN, Score] : Best)
    Ranked.emplace_back(Score, QN);
  llvm::sort(Ranked);
  std::vector<std::string> R;
  for (auto &[Score, QN] : Ranked) {
    if (R.size() == Max)
      break;
    R.push_back(QN);
  }
  return R;
}

std::vector<GraphIndex::Caller> GraphIndex::callersOf(Id I) const {
  std::vector<Caller> R;
  for (unsigned EI : in(EdgeKind::Calls, I))
    R.push_back({edge(EI).From, EI, false});
  // A virtual call to a method I overrides may dispatch to I.
  for (unsigned OI : out(EdgeKind::Overrides, I))
    for (unsigned EI : in(EdgeKind::Calls, edge(OI).To)) {
      const Edge &E = edge(EI);
      if (llvm::any_of(E.Sites, [](const Site &S) { return S.Virtual; }))
        R.push_back({E.From, EI, true});
    }
  return R;
}

//===----------------------------------------------------------------------===//
// Output helpers
//===----------------------------------------------------------------------===//

void Table::print(raw_ostream &OS, StringRef Indent) const {
  std::vector<size_t> W(Header.size(), 0);
  auto Measure = [&](const std::vector<std::string> &R) {
    for (size_t I = 0; I < R.size() && I < W.size(); ++I)
      W[I] = std::max(W[I], R[I].size());
  };
  Measure(Header);
  for (const auto &R : Rows)
    Measure(R);
  auto Print = [&](const std::vector<std::string> &R) {
    std::string Line = Indent.str();
    for (size_t I = 0; I < R.size(); ++I) {
      Line += R[I];
      if (I + 1 < R.size())
        Line += std::string(W[I] - R[I].size() + 2, ' ');
    }
    OS << StringRef(Line).rtrim() << "\n";
  };
  Print(Header);
  for (const auto &R : Rows)
    Print(R);
}

void printJson(raw_ostream &OS, const ojson &J) {
  OS << J.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

ArrayRef<StringRef> querySubcommands() {
  static const StringRef Names[] = {
      "stats",   "entities",   "entity",    "search",    "callers",
      "callees", "references", "overrides", "hierarchy", "blast-radius",
      "cycles",  "hotspots",   "file",      "tests-for"};
  return Names;
}

namespace {

std::string str(const ojson &J) {
  return J.is_string() ? J.get<std::string>() : J.dump();
}

/// "file:line" of a ref.
std::string refLocation(const ojson &R) {
  if (R["kind"] == "file")
    return str(R["file"]);
  return str(R["file"]) + ":" + std::to_string(R["line"].get<unsigned>());
}

Id refId(const ojson &R) {
  return parseId(R["id"].get<std::string>()).value_or(0);
}

std::string siteText(const Site &S) {
  return S.File + ":" + std::to_string(S.Line) + ":" + std::to_string(S.Column);
}

//===----------------------------------------------------------------------===//
// Traversals
//===----------------------------------------------------------------------===//

/// One reached node of a breadth-first search.
struct Reached {
  unsigned Depth;
  Id Node;
  Id Via;        ///< the node of the previous layer it was reached from
  unsigned Edge; ///< the edge used (index), ~0u for none
  bool Dispatch; ///< reached through a virtual call to an overridden method
};

/// Breadth-first search from Start up to MaxDepth (0: unlimited). Next(N)
/// lists (neighbour, edge, dispatch). Each layer is processed in output
/// order so Via is deterministic. Start itself is not reported.
template <typename NextFn>
std::vector<Reached> bfs(const GraphIndex &G, Id Start, unsigned MaxDepth,
                         NextFn Next) {
  std::vector<Reached> R;
  DenseSet<Id> Seen{Start};
  std::vector<Id> Frontier{Start};
  for (unsigned Depth = 1;
       !Frontier.empty() && (!MaxDepth || Depth <= MaxDepth); ++Depth) {
    std::vector<Reached> LayerR;
    for (Id N : Frontier)
      for (auto [To, EI, Dispatch] : Next(N))
        if (Seen.insert(To).second)
          LayerR.push_back({Depth, To, N, EI, Dispatch});
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

using Step = std::tuple<Id, unsigned, bool>;

std::vector<Step> callerSteps(const GraphIndex &G, Id N) {
  std::vector<Step> S;
  for (const GraphIndex::Caller &C : G.callersOf(N))
    S.emplace_back(C.From, C.Edge, C.Dispatch);
  return S;
}

std::vector<Step> calleeSteps(const GraphIndex &G, Id N) {
  std::vector<Step> S;
  for (unsigned EI : G.out(EdgeKind::Calls, N))
    S.emplace_back(G.edge(EI).To, EI, false);
  return S;
}

/// Callers and referrers (references, uses_type) that are entities.
std::vector<Step> userSteps(const GraphIndex &G, Id N) {
  std::vector<Step> S = callerSteps(G, N);
  for (EdgeKind K : {EdgeKind::References, EdgeKind::UsesType})
    for (unsigned EI : G.in(K, N))
      if (G.entity(G.edge(EI).From))
        S.emplace_back(G.edge(EI).From, EI, false);
  return S;
}

} // namespace

std::vector<Layer> blastRadius(const GraphIndex &G, Id X, unsigned Hops) {
  std::vector<Layer> L;
  for (const Reached &R :
       bfs(G, X, Hops, [&](Id N) { return userSteps(G, N); })) {
    if (L.empty() || L.back().Hop != R.Depth)
      L.push_back({R.Depth, {}});
    L.back().Ids.push_back(R.Node);
  }
  return L;
}

std::vector<std::pair<unsigned, Id>> testsReaching(const GraphIndex &G, Id X) {
  std::vector<std::pair<unsigned, Id>> T;
  if (const Entity *E = G.entity(X); E && E->IsTest)
    T.emplace_back(0, X); // a test covers itself
  for (const Reached &R :
       bfs(G, X, 0, [&](Id N) { return callerSteps(G, N); })) {
    const Entity *E = G.entity(R.Node);
    if (E && E->IsTest)
      T.emplace_back(R.Depth, R.Node);
  }
  return T;
}

std::optional<Id> resolveOne(const GraphIndex &G, StringRef Text,
                             raw_ostream &Err,
                             function_ref<bool(const Entity &)> Prefer) {
  std::vector<Id> M = G.resolve(Text);
  if (M.size() > 1 && Prefer) {
    std::vector<Id> P;
    for (Id I : M)
      if (Prefer(*G.entity(I)))
        P.push_back(I);
    if (!P.empty())
      M = std::move(P);
  }
  if (M.size() == 1)
    return M.front();
  if (M.empty()) {
    Err << "code-indexer: error: no entity named '" << Text << "'";
    std::vector<std::string> S = G.suggest(Text);
    if (!S.empty())
      Err << "; did you mean: " << llvm::join(S, ", ");
    Err << "\n";
    return std::nullopt;
  }
  Err << "code-indexer: error: '" << Text << "' is ambiguous (" << M.size()
      << " entities); pass one of these ids:\n";
  Table T({"ID", "KIND", "SIGNATURE", "LOCATION"});
  for (Id I : M) {
    const Entity *E = G.entity(I);
    T.add({formatId(I), std::string(spell(E->Kind)),
           E->Signature.empty() ? E->QualifiedName : E->Signature,
           G.location(I)});
  }
  T.print(Err, "  ");
  return std::nullopt;
}

namespace {

//===----------------------------------------------------------------------===//
// Commands. Each computes its JSON shape; render*() prints the table.
//===----------------------------------------------------------------------===//

struct Ctx {
  const GraphIndex &G;
  const QueryOptions &O;
  raw_ostream &OS;
  raw_ostream &Err;
  ArrayRef<std::string> Args; ///< after the subcommand
};

int usageError(Ctx &C, const Twine &Msg) {
  C.Err << "code-indexer: error: " << Msg << "\n";
  return exitcode::Usage;
}

bool wantsTable(const Ctx &C) { return C.O.Format == OutputFormat::Table; }

std::string yesNo(bool B) { return B ? "yes" : "no"; }

// ---- stats ------------------------------------------------------------------

int cmdStats(Ctx &C) {
  const Graph &Gr = C.G.graph();
  ojson J;
  J["source"] = C.O.Source;
  uint64_t ByKind[NumEntityKinds] = {}, ByEdge[NumEdgeKinds] = {};
  uint64_t External = 0, Tests = 0;
  for (const Entity &E : Gr.Entities) {
    ++ByKind[static_cast<int>(E.Kind)];
    External += E.External;
    Tests += E.IsTest;
  }
  for (const Edge &E : Gr.Edges)
    ++ByEdge[static_cast<int>(E.Kind)];
  ojson Ents;
  Ents["total"] = Gr.Entities.size();
  Ents["external"] = External;
  Ents["test"] = Tests;
  ojson BK = ojson::object();
  for (int I = 0; I < NumEntityKinds; ++I)
    BK[std::string(spell(static_cast<EntityKind>(I)))] = ByKind[I];
  Ents["by_kind"] = BK;
  J["entities"] = Ents;
  ojson Eds;
  Eds["total"] = Gr.Edges.size();
  ojson BE = ojson::object();
  for (int I = 0; I < NumEdgeKinds; ++I)
    BE[std::string(spell(static_cast<EdgeKind>(I)))] = ByEdge[I];
  Eds["by_kind"] = BE;
  J["edges"] = Eds;
  ojson Fs;
  Fs["total"] = Gr.Files.size();
  uint64_t ByRole[5] = {}, ByStatus[3] = {};
  for (const FileInfo &F : Gr.Files) {
    ++ByRole[static_cast<int>(F.Role)];
    ++ByStatus[static_cast<int>(F.Status)];
  }
  ojson BR = ojson::object(), BS = ojson::object();
  for (int I = 0; I < 5; ++I)
    BR[std::string(spell(static_cast<FileRole>(I)))] = ByRole[I];
  for (int I = 0; I < 3; ++I)
    BS[std::string(spell(static_cast<FileStatus>(I)))] = ByStatus[I];
  Fs["by_role"] = BR;
  Fs["by_status"] = BS;
  Fs["test_files"] = Gr.TestFiles.size();
  J["files"] = Fs;
  ojson Tu;
  Tu["total"] = Gr.TranslationUnits.size();
  ojson Failed = ojson::array();
  for (const TranslationUnitInfo &T : Gr.TranslationUnits)
    if (T.Status != TuStatus::Ok) {
      ojson F;
      F["file"] = T.MainFile;
      F["status"] = spell(T.Status);
      F["reason"] = T.FailureReason;
      Failed.push_back(F);
    }
  Tu["failed"] = Failed;
  J["translation_units"] = Tu;
  uint64_t Code = 0, Covered = 0;
  for (const Coverage &Cv : Gr.CoverageRecords) {
    Code += Cv.Lines.CodeLines;
    Covered += Cv.Lines.EntityLines;
  }
  ojson Cov;
  Cov["files"] = Gr.CoverageRecords.size();
  Cov["code_lines"] = Code;
  Cov["entity_lines"] = Covered;
  Cov["percent"] = Code ? std::round(1000.0 * Covered / Code) / 10.0 : 100.0;
  J["coverage"] = Cov;

  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  raw_ostream &OS = C.OS;
  OS << "source: " << C.O.Source << "\n";
  OS << "entities: " << Gr.Entities.size() << " (" << External << " external, "
     << Tests << " in tests)\n";
  Table TK({"  KIND", "COUNT"});
  for (auto &[K, V] : BK.items())
    if (V.get<uint64_t>())
      TK.add({"  " + K, std::to_string(V.get<uint64_t>())});
  TK.print(OS);
  OS << "edges: " << Gr.Edges.size() << "\n";
  Table TE({"  KIND", "COUNT"});
  for (auto &[K, V] : BE.items())
    if (V.get<uint64_t>())
      TE.add({"  " + K, std::to_string(V.get<uint64_t>())});
  TE.print(OS);
  OS << "files: " << Gr.Files.size() << " (" << Gr.TestFiles.size()
     << " test files)\n";
  Table TF({"  ROLE/STATUS", "COUNT"});
  for (auto &[K, V] : BR.items())
    if (V.get<uint64_t>())
      TF.add({"  " + K, std::to_string(V.get<uint64_t>())});
  for (auto &[K, V] : BS.items())
    if (V.get<uint64_t>())
      TF.add({"  " + K, std::to_string(V.get<uint64_t>())});
  TF.print(OS);
  OS << "translation units: " << Gr.TranslationUnits.size() << " ("
     << Failed.size() << " failed)\n";
  for (const auto &F : Failed)
    OS << "  " << str(F["file"]) << ": " << str(F["status"])
       << (F["reason"].get<std::string>().empty()
               ? ""
               : " (" + str(F["reason"]) + ")")
       << "\n";
  OS << format("coverage: %.1f%% of %llu code lines in %zu files are inside "
               "entities\n",
               Cov["percent"].get<double>(), (unsigned long long)Code,
               Gr.CoverageRecords.size());
  return 0;
}

// ---- entities / entity / search ---------------------------------------------

Table refTable() { return Table({"KIND", "NAME", "LOCATION"}); }

void addRef(Table &T, const GraphIndex &G, const ojson &R) {
  T.add({str(R["kind"]), G.displayName(refId(R)), refLocation(R)});
}

int cmdEntities(Ctx &C) {
  if (!C.Args.empty())
    return usageError(C, "entities takes no arguments (filters: --kind, "
                         "--file, --name)");
  std::optional<EntityKind> Kind;
  if (!C.O.Kind.empty()) {
    Kind = parseEntityKind(C.O.Kind);
    if (!Kind) {
      std::vector<std::string> Valid;
      for (int I = 0; I < NumEntityKinds; ++I)
        Valid.emplace_back(spell(static_cast<EntityKind>(I)));
      return usageError(C, "unknown entity kind '" + C.O.Kind +
                               "'; valid kinds: " + llvm::join(Valid, ", "));
    }
  }
  std::optional<GlobPattern> FileGlob, NameGlob;
  for (auto [Text, Glob] :
       {std::pair(&C.O.File, &FileGlob), std::pair(&C.O.Name, &NameGlob)}) {
    if (Text->empty())
      continue;
    Expected<GlobPattern> P = GlobPattern::create(*Text);
    if (!P)
      return usageError(C,
                        "bad glob '" + *Text + "': " + toString(P.takeError()));
    *Glob = std::move(*P);
  }
  std::vector<Id> Ids;
  for (const Entity &E : C.G.graph().Entities) {
    if (E.External && !C.O.External)
      continue;
    if (Kind && E.Kind != *Kind)
      continue;
    if (FileGlob && !FileGlob->match(E.File))
      continue;
    if (NameGlob && !NameGlob->match(E.Name) &&
        !NameGlob->match(E.QualifiedName))
      continue;
    Ids.push_back(E.ID);
  }
  C.G.sortIds(Ids);
  ojson J;
  ojson A = ojson::array();
  for (Id I : Ids)
    A.push_back(C.G.ref(I));
  J["entities"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  Table T = refTable();
  for (const auto &R : A)
    addRef(T, C.G, R);
  T.print(C.OS);
  C.OS << Ids.size() << (Ids.size() == 1 ? " entity\n" : " entities\n");
  return 0;
}

ojson refList(const GraphIndex &G, std::vector<Id> Ids) {
  G.sortIds(Ids);
  Ids.erase(std::unique(Ids.begin(), Ids.end()), Ids.end());
  ojson A = ojson::array();
  for (Id I : Ids)
    A.push_back(G.ref(I));
  return A;
}

std::vector<Id> ends(const GraphIndex &G, EdgeKind K, Id I, bool Outgoing) {
  std::vector<Id> R;
  for (unsigned EI : Outgoing ? G.out(K, I) : G.in(K, I))
    R.push_back(Outgoing ? G.edge(EI).To : G.edge(EI).From);
  return R;
}

int cmdEntity(Ctx &C) {
  if (C.Args.size() != 1)
    return usageError(C, "entity takes one argument: an id or a name");
  const GraphIndex &G = C.G;
  std::vector<Id> M = G.resolve(C.Args[0]);
  if (M.empty()) {
    resolveOne(G, C.Args[0], C.Err);
    return exitcode::Usage;
  }
  ojson Matches = ojson::array();
  for (Id I : M) {
    const Entity &E = *G.entity(I);
    ojson D;
    D["entity"] = toJson(E);
    D["parent"] = E.Parent ? G.ref(E.Parent) : ojson(nullptr);
    std::vector<Id> Children;
    for (unsigned EI : G.out(EdgeKind::Contains, I))
      Children.push_back(G.edge(EI).To);
    D["children"] = refList(G, Children);
    std::vector<Id> Callers;
    for (const auto &Cl : G.callersOf(I))
      if (!Cl.Dispatch)
        Callers.push_back(Cl.From);
    D["callers"] = refList(G, Callers);
    D["callees"] = refList(G, ends(G, EdgeKind::Calls, I, true));
    std::vector<Id> Refs = ends(G, EdgeKind::References, I, false);
    llvm::append_range(Refs, ends(G, EdgeKind::UsesType, I, false));
    D["referenced_by"] = refList(G, Refs);
    D["bases"] = refList(G, ends(G, EdgeKind::Inherits, I, true));
    D["derived"] = refList(G, ends(G, EdgeKind::Inherits, I, false));
    D["overrides"] = refList(G, ends(G, EdgeKind::Overrides, I, true));
    D["overridden_by"] = refList(G, ends(G, EdgeKind::Overrides, I, false));
    Matches.push_back(D);
  }
  ojson J;
  J["matches"] = Matches;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  raw_ostream &OS = C.OS;
  if (M.size() > 1)
    OS << "'" << C.Args[0] << "' names " << M.size() << " entities\n\n";
  bool First = true;
  for (const auto &D : Matches) {
    if (!First)
      OS << "\n";
    First = false;
    const ojson &E = D["entity"];
    Id I = refId(E);
    const Entity &En = *G.entity(I);
    OS << G.displayName(I) << "  [" << str(E["kind"]) << "]\n";
    Table T({"  FIELD", "VALUE"});
    T.add({"  id", str(E["id"])});
    T.add({"  qualified name", En.QualifiedName});
    T.add({"  signature", En.Signature});
    T.add({std::string("  ") + (En.IsDefinition ? "defined at" : "declared at"),
           En.File + ":" + std::to_string(En.Range.Line) + ":" +
               std::to_string(En.Range.Column)});
    for (const Location &L : En.Declarations)
      T.add({"  declared at", L.File + ":" + std::to_string(L.Range.Line) +
                                  ":" + std::to_string(L.Range.Column)});
    if (En.Parent)
      T.add({"  parent", G.displayName(En.Parent)});
    if (En.Acc != Access::None)
      T.add({"  access", std::string(spell(En.Acc))});
    std::vector<std::string> Flags;
    for (std::string_view F : flagNames(En.Flags))
      Flags.emplace_back(F);
    T.add({"  flags", Flags.empty() ? "-" : llvm::join(Flags, ", ")});
    T.add({"  language", std::string(spell(En.Lang))});
    T.add({"  test", yesNo(En.IsTest)});
    T.add({"  external", yesNo(En.External)});
    if (!En.External)
      T.add({"  body hash", En.Hash ? formatId(En.Hash) : "-"});
    for (const char *K : {"children", "callers", "callees", "referenced_by",
                          "bases", "derived", "overrides", "overridden_by"}) {
      const ojson &L = D[K];
      if (L.empty())
        continue;
      std::vector<std::string> Names;
      for (const auto &R : L)
        Names.push_back(G.displayName(refId(R)));
      std::string Key = K;
      std::replace(Key.begin(), Key.end(), '_', ' ');
      T.add({"  " + Key,
             "(" + std::to_string(L.size()) + ") " + llvm::join(Names, ", ")});
    }
    T.print(OS);
  }
  return 0;
}

int cmdSearch(Ctx &C) {
  if (C.Args.size() != 1)
    return usageError(C, "search takes one argument: the text to look for");
  StringRef Text = C.Args[0];
  std::string Lower = Text.lower();
  unsigned Limit = std::max<unsigned>(2, Text.size() / 3);
  struct Hit {
    unsigned Tier, Dist;
    std::string Name;
    Id I;
  };
  static const char *Tiers[] = {"exact", "prefix", "substring", "qualified",
                                "fuzzy"};
  std::vector<Hit> Hits;
  for (const Entity &E : C.G.graph().Entities) {
    if (E.External && !C.O.External)
      continue;
    std::string Name = StringRef(E.Name).lower();
    std::string QN = StringRef(E.QualifiedName).lower();
    unsigned Tier, Dist = 0;
    if (Name == Lower)
      Tier = 0;
    else if (StringRef(Name).starts_with(Lower))
      Tier = 1;
    else if (StringRef(Name).contains(Lower))
      Tier = 2;
    else if (StringRef(QN).contains(Lower))
      Tier = 3;
    else {
      Dist = StringRef(Name).edit_distance(Lower, true, Limit + 1);
      if (Dist > Limit)
        continue;
      Tier = 4;
    }
    Hits.push_back({Tier, Dist, E.QualifiedName, E.ID});
  }
  llvm::sort(Hits, [](const Hit &A, const Hit &B) {
    return std::tie(A.Tier, A.Dist, A.Name, A.I) <
           std::tie(B.Tier, B.Dist, B.Name, B.I);
  });
  unsigned Total = Hits.size();
  if (C.O.Top && Hits.size() > C.O.Top)
    Hits.resize(C.O.Top);
  ojson J;
  J["query"] = Text.str();
  J["total"] = Total;
  ojson A = ojson::array();
  for (const Hit &H : Hits) {
    ojson R;
    R["match"] = Tiers[H.Tier];
    R["distance"] = H.Dist;
    R["entity"] = C.G.ref(H.I);
    A.push_back(R);
  }
  J["results"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (Hits.empty()) {
    C.OS << "no entity matches '" << Text << "'\n";
    return 0;
  }
  Table T({"MATCH", "KIND", "NAME", "LOCATION"});
  for (const auto &R : A)
    T.add({str(R["match"]), str(R["entity"]["kind"]),
           C.G.displayName(refId(R["entity"])), refLocation(R["entity"])});
  T.print(C.OS);
  if (Total > Hits.size())
    C.OS << "(" << Total - Hits.size() << " more; use --top)\n";
  return 0;
}

// ---- callers / callees ------------------------------------------------------

bool isFunction(const Entity &E) { return isFunctionLike(E.Kind); }
bool isRecord(const Entity &E) {
  return E.Kind == EntityKind::Class || E.Kind == EntityKind::Struct ||
         E.Kind == EntityKind::Union;
}

std::optional<Id> oneArg(Ctx &C, StringRef Cmd, StringRef What,
                         function_ref<bool(const Entity &)> Prefer = nullptr) {
  if (C.Args.size() != 1) {
    usageError(C, Cmd + " takes one argument: " + What);
    return std::nullopt;
  }
  return resolveOne(C.G, C.Args[0], C.Err, Prefer);
}

/// The VIA column: the previous node (beyond depth 1) and, for a caller
/// reached through virtual dispatch, the overridden method it calls.
std::string viaText(const GraphIndex &G, const Reached &R) {
  std::string T = R.Depth == 1 ? "" : G.displayName(R.Via);
  if (R.Dispatch)
    T += (T.empty() ? "" : ", ") + std::string("virtual call to ") +
         G.displayName(G.edge(R.Edge).To);
  return T.empty() ? "-" : T;
}

int cmdCallGraph(Ctx &C, bool Callers) {
  StringRef Cmd = Callers ? "callers" : "callees";
  auto X = oneArg(C, Cmd, "an id or a name", isFunction);
  if (!X)
    return exitcode::Usage;
  const GraphIndex &G = C.G;
  std::vector<Reached> R =
      Callers ? bfs(G, *X, C.O.Depth, [&](Id N) { return callerSteps(G, N); })
              : bfs(G, *X, C.O.Depth, [&](Id N) { return calleeSteps(G, N); });
  ojson J;
  J["target"] = G.ref(*X);
  J["depth"] = C.O.Depth;
  ojson A = ojson::array();
  for (const Reached &Re : R) {
    ojson E;
    E["depth"] = Re.Depth;
    E["entity"] = G.ref(Re.Node);
    E["via"] = formatId(Re.Via);
    E["dispatch"] = Re.Dispatch;
    ojson Sites = ojson::array();
    for (const Site &S : G.edge(Re.Edge).Sites)
      Sites.push_back(siteText(S));
    E["sites"] = Sites;
    A.push_back(E);
  }
  J[Cmd.str()] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (R.empty()) {
    C.OS << "no " << Cmd << " of " << G.displayName(*X) << "\n";
    return 0;
  }
  C.OS << Cmd << " of " << G.displayName(*X) << " (" << G.location(*X) << ")\n";
  Table T({"DEPTH", "KIND", "NAME", "LOCATION", "VIA"});
  for (const Reached &Re : R)
    T.add({std::to_string(Re.Depth),
           std::string(G.entity(Re.Node) ? spell(G.entity(Re.Node)->Kind)
                                         : "file"),
           G.displayName(Re.Node), G.location(Re.Node), viaText(G, Re)});
  T.print(C.OS);
  return 0;
}

// ---- references
// ---------------------------------------------------------------

int cmdReferences(Ctx &C) {
  auto X = oneArg(C, "references", "an id or a name");
  if (!X)
    return exitcode::Usage;
  const GraphIndex &G = C.G;
  struct Row {
    std::string Name;
    Id From;
    EdgeKind K;
    Site S;
  };
  std::vector<Row> Rows;
  for (EdgeKind K : {EdgeKind::References, EdgeKind::UsesType})
    for (unsigned EI : G.in(K, *X)) {
      const Edge &E = G.edge(EI);
      if (E.Sites.empty())
        Rows.push_back({G.sortKey(E.From).str(), E.From, K, Site()});
      for (const Site &S : E.Sites)
        Rows.push_back({G.sortKey(E.From).str(), E.From, K, S});
    }
  llvm::sort(Rows, [](const Row &A, const Row &B) {
    return std::tie(A.S, A.Name, A.From, A.K) <
           std::tie(B.S, B.Name, B.From, B.K);
  });
  ojson J;
  J["target"] = G.ref(*X);
  ojson A = ojson::array();
  for (const Row &R : Rows) {
    ojson E;
    E["edge"] = spell(R.K);
    E["from"] = G.ref(R.From);
    E["site"] = R.S.File.empty() ? ojson(nullptr) : ojson(siteText(R.S));
    A.push_back(E);
  }
  J["references"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (Rows.empty()) {
    C.OS << "no references to " << G.displayName(*X) << "\n";
    return 0;
  }
  C.OS << "references to " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  Table T({"SITE", "EDGE", "FROM"});
  for (const Row &R : Rows)
    T.add({R.S.File.empty() ? "-" : siteText(R.S), std::string(spell(R.K)),
           G.displayName(R.From)});
  T.print(C.OS);
  return 0;
}

// ---- overrides / hierarchy
// ------------------------------------------------------

int cmdOverrides(Ctx &C) {
  auto X = oneArg(C, "overrides", "a method's id or name", isFunction);
  if (!X)
    return exitcode::Usage;
  const GraphIndex &G = C.G;
  auto Up = bfs(G, *X, 0, [&](Id N) {
    std::vector<Step> S;
    for (unsigned EI : G.out(EdgeKind::Overrides, N))
      S.emplace_back(G.edge(EI).To, EI, false);
    return S;
  });
  auto Down = bfs(G, *X, 0, [&](Id N) {
    std::vector<Step> S;
    for (unsigned EI : G.in(EdgeKind::Overrides, N))
      S.emplace_back(G.edge(EI).From, EI, false);
    return S;
  });
  // Override edges are already transitive; order by name.
  std::vector<Id> UpIds, DownIds;
  for (const Reached &R : Up)
    UpIds.push_back(R.Node);
  for (const Reached &R : Down)
    DownIds.push_back(R.Node);
  ojson J;
  J["target"] = G.ref(*X);
  J["overrides"] = refList(G, UpIds);
  J["overridden_by"] = refList(G, DownIds);
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (UpIds.empty() && DownIds.empty()) {
    C.OS << G.displayName(*X) << " overrides nothing and is not overridden\n";
    return 0;
  }
  C.OS << "overrides of " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  Table T({"DIRECTION", "KIND", "NAME", "LOCATION"});
  for (const char *K : {"overrides", "overridden_by"})
    for (const auto &R : J[K])
      T.add({StringRef(K).str() == "overrides" ? "overrides" : "overridden-by",
             str(R["kind"]), G.displayName(refId(R)), refLocation(R)});
  T.print(C.OS);
  return 0;
}

int cmdHierarchy(Ctx &C) {
  auto X = oneArg(C, "hierarchy", "a class's id or name", isRecord);
  if (!X)
    return exitcode::Usage;
  const GraphIndex &G = C.G;
  auto Walk = [&](bool Bases) {
    return bfs(G, *X, 0, [&](Id N) {
      std::vector<Step> S;
      for (unsigned EI :
           Bases ? G.out(EdgeKind::Inherits, N) : G.in(EdgeKind::Inherits, N))
        S.emplace_back(Bases ? G.edge(EI).To : G.edge(EI).From, EI, false);
      return S;
    });
  };
  ojson J;
  J["target"] = G.ref(*X);
  Table T({"DIRECTION", "DEPTH", "ACCESS", "NAME", "LOCATION"});
  for (bool Bases : {true, false}) {
    ojson A = ojson::array();
    for (const Reached &R : Walk(Bases)) {
      const Edge &E = G.edge(R.Edge);
      ojson Row;
      Row["depth"] = R.Depth;
      Row["access"] = spell(E.Acc);
      Row["virtual"] = E.Virtual;
      Row["entity"] = G.ref(R.Node);
      Row["via"] = formatId(R.Via);
      A.push_back(Row);
      T.add({Bases ? "base" : "derived", std::to_string(R.Depth),
             std::string(spell(E.Acc)) + (E.Virtual ? " virtual" : ""),
             G.displayName(R.Node), G.location(R.Node)});
    }
    J[Bases ? "bases" : "derived"] = A;
  }
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (T.empty()) {
    C.OS << G.displayName(*X) << " has no bases and no derived classes\n";
    return 0;
  }
  C.OS << "hierarchy of " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  T.print(C.OS);
  return 0;
}

// ---- blast-radius / tests-for
// ---------------------------------------------------

int cmdBlastRadius(Ctx &C) {
  auto X = oneArg(C, "blast-radius", "an id or a name");
  if (!X)
    return exitcode::Usage;
  const GraphIndex &G = C.G;
  std::vector<Layer> L = blastRadius(G, *X, C.O.Hops);
  ojson J;
  J["target"] = G.ref(*X);
  J["hops"] = C.O.Hops;
  ojson A = ojson::array();
  unsigned Total = 0;
  for (const Layer &La : L) {
    ojson Lj;
    Lj["hop"] = La.Hop;
    Lj["entities"] = refList(G, La.Ids);
    Total += La.Ids.size();
    A.push_back(Lj);
  }
  J["layers"] = A;
  J["total"] = Total;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  C.OS << "blast radius of " << G.displayName(*X) << " (" << G.location(*X)
       << "): " << Total << (Total == 1 ? " entity" : " entities") << " within "
       << C.O.Hops << (C.O.Hops == 1 ? " hop\n" : " hops\n");
  for (const auto &Lj : A) {
    C.OS << "hop " << Lj["hop"].get<unsigned>() << "\n";
    Table T({"KIND", "NAME", "LOCATION"});
    for (const auto &R : Lj["entities"])
      addRef(T, G, R);
    T.print(C.OS, "  ");
  }
  return 0;
}

int cmdTestsFor(Ctx &C) {
  auto X = oneArg(C, "tests-for", "an id or a name", isFunction);
  if (!X)
    return exitcode::Usage;
  const GraphIndex &G = C.G;
  auto T = testsReaching(G, *X);
  ojson J;
  J["target"] = G.ref(*X);
  ojson A = ojson::array();
  std::set<std::string> Files;
  for (auto [Depth, I] : T) {
    ojson R;
    R["depth"] = Depth;
    R["entity"] = G.ref(I);
    A.push_back(R);
    Files.insert(G.entity(I)->File);
  }
  J["tests"] = A;
  J["test_files"] = ojson(std::vector<std::string>(Files.begin(), Files.end()));
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (T.empty()) {
    C.OS << "no test reaches " << G.displayName(*X) << "\n";
    return 0;
  }
  C.OS << "tests reaching " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  Table Tb({"DEPTH", "KIND", "NAME", "LOCATION"});
  for (auto [Depth, I] : T)
    Tb.add({std::to_string(Depth), std::string(spell(G.entity(I)->Kind)),
            G.displayName(I), G.location(I)});
  Tb.print(C.OS);
  C.OS << "test files: " << llvm::join(Files, ", ") << "\n";
  return 0;
}

// ---- cycles
// -------------------------------------------------------------------

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

template <> struct llvm::GraphTraits<codeindex::SccGraph *> {
  using NodeRef = codeindex::SccGraph::Node *;
  using ChildIteratorType = std::vector<NodeRef>::iterator;
  static NodeRef getEntryNode(codeindex::SccGraph *G) { return &G->Nodes[0]; }
  static ChildIteratorType child_begin(NodeRef N) { return N->Succ.begin(); }
  static ChildIteratorType child_end(NodeRef N) { return N->Succ.end(); }
};

namespace codeindex {
namespace {

int cmdCycles(Ctx &C) {
  if (!C.Args.empty())
    return usageError(C, "cycles takes no arguments (option: --edges "
                         "calls|includes)");
  std::string EdgesName = C.O.Edges.empty() ? "calls" : C.O.Edges;
  EdgeKind K;
  if (EdgesName == "calls")
    K = EdgeKind::Calls;
  else if (EdgesName == "includes")
    K = EdgeKind::Includes;
  else
    return usageError(C, "--edges takes calls or includes, not '" + EdgesName +
                             "'");
  const GraphIndex &G = C.G;
  const Graph &Gr = G.graph();
  SccGraph S;
  DenseMap<Id, unsigned> Slot;
  S.Nodes.emplace_back();
  for (const Edge &E : Gr.Edges)
    if (E.Kind == K)
      for (Id I : {E.From, E.To})
        if (Slot.try_emplace(I, S.Nodes.size()).second) {
          S.Nodes.emplace_back();
          S.Nodes.back().I = I;
        }
  for (const Edge &E : Gr.Edges)
    if (E.Kind == K && E.From != E.To)
      S.Nodes[Slot[E.From]].Succ.push_back(&S.Nodes[Slot[E.To]]);
  for (unsigned I = 1; I < S.Nodes.size(); ++I)
    S.Nodes[0].Succ.push_back(&S.Nodes[I]);

  std::vector<std::vector<Id>> Cycles;
  for (auto It = scc_begin(&S); !It.isAtEnd(); ++It) {
    if (It->size() < 2)
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
  ojson J;
  J["edges"] = EdgesName;
  ojson A = ojson::array();
  for (const auto &M : Cycles) {
    ojson Cj;
    Cj["size"] = M.size();
    Cj["members"] = refList(G, M);
    A.push_back(Cj);
  }
  J["cycles"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  if (Cycles.empty()) {
    C.OS << "no cycles in the " << EdgesName << " graph\n";
    return 0;
  }
  unsigned N = 0;
  for (const auto &Cj : A) {
    C.OS << "cycle " << ++N << " (" << Cj["size"].get<unsigned>()
         << " members)\n";
    if (K == EdgeKind::Includes) {
      for (const auto &R : Cj["members"])
        C.OS << "  " << str(R["file"]) << "\n";
      continue;
    }
    Table T({"KIND", "NAME", "LOCATION"});
    for (const auto &R : Cj["members"])
      T.add({str(R["kind"]), G.displayName(refId(R)), refLocation(R)});
    T.print(C.OS, "  ");
  }
  return 0;
}

// ---- hotspots
// -------------------------------------------------------------------

int cmdHotspots(Ctx &C) {
  if (!C.Args.empty())
    return usageError(C, "hotspots takes no arguments (option: --top N)");
  const GraphIndex &G = C.G;
  struct Row {
    unsigned In, Out;
    std::string Name;
    Id I;
  };
  std::vector<Row> Rows;
  for (const Entity &E : G.graph().Entities) {
    if (E.External && !C.O.External)
      continue;
    DenseSet<Id> Ins, Outs;
    for (unsigned EI : G.in(EdgeKind::Calls, E.ID))
      Ins.insert(G.edge(EI).From);
    for (unsigned EI : G.out(EdgeKind::Calls, E.ID))
      Outs.insert(G.edge(EI).To);
    if (Ins.empty() && Outs.empty())
      continue;
    Rows.push_back({Ins.size(), Outs.size(), E.QualifiedName, E.ID});
  }
  llvm::sort(Rows, [](const Row &A, const Row &B) {
    if (A.In + A.Out != B.In + B.Out)
      return A.In + A.Out > B.In + B.Out;
    if (A.In != B.In)
      return A.In > B.In;
    return std::tie(A.Name, A.I) < std::tie(B.Name, B.I);
  });
  if (C.O.Top && Rows.size() > C.O.Top)
    Rows.resize(C.O.Top);
  ojson J;
  J["top"] = C.O.Top;
  ojson A = ojson::array();
  for (const Row &R : Rows) {
    ojson E;
    E["fan_in"] = R.In;
    E["fan_out"] = R.Out;
    E["entity"] = G.ref(R.I);
    A.push_back(E);
  }
  J["hotspots"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  Table T({"FAN-IN", "FAN-OUT", "KIND", "NAME", "LOCATION"});
  for (const Row &R : Rows)
    T.add({std::to_string(R.In), std::to_string(R.Out),
           std::string(spell(G.entity(R.I)->Kind)), G.displayName(R.I),
           G.location(R.I)});
  T.print(C.OS);
  return 0;
}

// ---- file
// -------------------------------------------------------------------------

int cmdFile(Ctx &C) {
  if (C.Args.size() != 1)
    return usageError(C, "file takes one argument: a file path");
  const GraphIndex &G = C.G;
  StringRef Path = C.Args[0];
  const FileInfo *F = G.fileByPath(Path);
  if (!F) {
    std::vector<const FileInfo *> M;
    for (const FileInfo &Fi : G.graph().Files)
      if (StringRef(Fi.Path).ends_with(("/" + Path).str()))
        M.push_back(&Fi);
    if (M.size() == 1) {
      F = M.front();
    } else if (M.size() > 1) {
      C.Err << "code-indexer: error: '" << Path << "' is ambiguous:\n";
      for (const FileInfo *Fi : M)
        C.Err << "  " << Fi->Path << "\n";
      return exitcode::Usage;
    } else {
      std::vector<std::pair<unsigned, std::string>> Near;
      for (const FileInfo &Fi : G.graph().Files) {
        unsigned D = StringRef(Fi.Path).edit_distance(Path, true, 8);
        StringRef Base = llvm::sys::path::filename(Fi.Path);
        D = std::min(D, Base.edit_distance(Path, true, 8));
        if (D <= std::max<unsigned>(2, Path.size() / 4))
          Near.emplace_back(D, Fi.Path);
      }
      llvm::sort(Near);
      C.Err << "code-indexer: error: no file '" << Path << "' in the index";
      if (!Near.empty()) {
        std::vector<std::string> S;
        for (auto &[D, P] : Near)
          if (S.size() < 5)
            S.push_back(P);
        C.Err << "; did you mean: " << llvm::join(S, ", ");
      }
      C.Err << "\n";
      return exitcode::Usage;
    }
  }
  // What the file defines or declares: entities located there, and other
  // declarations of entities defined elsewhere (a header's prototypes).
  struct Item {
    Extent At;
    bool Definition;
    const Entity *E;
  };
  std::vector<Item> Defs;
  for (const Entity &E : G.graph().Entities) {
    if (E.External)
      continue;
    if (E.File == F->Path)
      Defs.push_back({E.Range, E.IsDefinition, &E});
    for (const Location &L : E.Declarations)
      if (L.File == F->Path)
        Defs.push_back({L.Range, false, &E});
  }
  llvm::sort(Defs, [&](const Item &A, const Item &B) {
    return std::tie(A.At.Line, A.At.Column, A.E->QualifiedName, A.E->ID) <
           std::tie(B.At.Line, B.At.Column, B.E->QualifiedName, B.E->ID);
  });
  ojson J;
  J["file"] = toJson(*F);
  ojson D = ojson::array();
  for (const Item &It : Defs) {
    ojson R;
    R["line"] = It.At.Line;
    R["definition"] = It.Definition;
    R["entity"] = G.ref(It.E->ID);
    D.push_back(R);
  }
  J["entities"] = D;
  auto IncludeList = [&](bool Outgoing) {
    std::vector<std::pair<std::string, unsigned>> L;
    for (unsigned EI : Outgoing ? G.out(EdgeKind::Includes, F->ID)
                                : G.in(EdgeKind::Includes, F->ID)) {
      const Edge &E = G.edge(EI);
      const FileInfo *O = G.file(Outgoing ? E.To : E.From);
      L.emplace_back(O ? O->Path : formatId(Outgoing ? E.To : E.From),
                     E.Sites.empty() ? 0 : E.Sites.front().Line);
    }
    llvm::sort(L);
    ojson A = ojson::array();
    for (auto &[P, Line] : L) {
      ojson R;
      R["path"] = P;
      R["line"] = Line;
      A.push_back(R);
    }
    return A;
  };
  J["includes"] = IncludeList(true);
  J["included_by"] = IncludeList(false);
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return 0;
  }
  raw_ostream &OS = C.OS;
  OS << F->Path << " (" << spell(F->Role) << ", " << spell(F->Lang) << ", "
     << F->Lines << " lines, " << spell(F->Status) << ")\n";
  OS << "entities (" << Defs.size() << "):\n";
  if (!Defs.empty()) {
    Table T({"LINE", "KIND", "NAME", "DEF"});
    for (const Item &It : Defs)
      T.add({std::to_string(It.At.Line), std::string(spell(It.E->Kind)),
             G.displayName(It.E->ID), It.Definition ? "def" : "decl"});
    T.print(OS, "  ");
  }
  for (const char *K : {"includes", "included_by"}) {
    const ojson &L = J[K];
    OS << (StringRef(K) == "includes" ? "includes" : "included by") << " ("
       << L.size() << "):\n";
    for (const auto &R : L) {
      std::string Line = std::to_string(R["line"].get<unsigned>());
      if (StringRef(K) == "includes")
        OS << "  line " << Line << ": " << str(R["path"]) << "\n";
      else
        OS << "  " << str(R["path"]) << ":" << Line << "\n";
    }
  }
  return 0;
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

int loadQueryGraph(const std::string &Db, const std::string &Json, Graph &Out,
                   std::string &Source) {
  auto Error = [](const Twine &Msg) {
    errs() << "code-indexer: error: " << Msg << "\n";
  };
  if (Db.empty() == Json.empty()) {
    Error("read either an index (--db SPEC) or an export (--json FILE; "
          "--input FILE for export --format dot), not both or neither");
    return exitcode::Usage;
  }
  if (!Json.empty()) {
    Source = "json:" + Json;
    if (Status St = loadGraphJson(Json, Out); !St.isOk()) {
      Error(St.message());
      return exitcode::Usage;
    }
    return exitcode::Ok;
  }
  storage::StoreSpec Spec;
  if (Status St = storage::parseStoreSpec(Db, &Spec); !St.isOk()) {
    Error(St.message());
    return exitcode::Usage;
  }
  if (Spec.Engine == "mem") {
    Error("an in-memory index (mem) does not outlive `extract`; query an "
          "export with --json FILE, or use rocksdb:PATH or lmdb:PATH");
    return exitcode::Usage;
  }
  Source = Spec.toString();
  // ReadOnly pins the live generation without taking the writer lock, so a
  // query never blocks (or is blocked by) a running `extract`.
  storage::OpenOptions OO;
  OO.Mode = storage::OpenMode::ReadOnly;
  std::unique_ptr<storage::Store> S;
  if (Status St = storage::openStore(Spec, OO, &S); !St.isOk()) {
    Error("cannot open the index " + Spec.toString() + ": " + St.message());
    return exitcode::Store;
  }
  GraphStore GS(*S);
  if (Status St = GS.initSchema(false); !St.isOk()) {
    Error(St.message());
    return exitcode::Store;
  }
  if (Status St = loadGraph(GS, Out); !St.isOk()) {
    Error("reading the index failed: " + St.message());
    return exitcode::Store;
  }
  return exitcode::Ok;
}

int runQuery(const GraphIndex &G, ArrayRef<std::string> Args,
             const QueryOptions &O, raw_ostream &OS, raw_ostream &Err) {
  std::string Valid;
  for (StringRef N : querySubcommands())
    Valid += (Valid.empty() ? "" : ", ") + N.str();
  if (Args.empty()) {
    Err << "code-indexer: error: query needs a subcommand: " << Valid << "\n";
    return exitcode::Usage;
  }
  Ctx C{G, O, OS, Err, Args.drop_front()};
  StringRef Cmd = Args.front();
  if (Cmd == "stats") {
    if (!C.Args.empty())
      return usageError(C, "stats takes no arguments");
    return cmdStats(C);
  }
  if (Cmd == "entities")
    return cmdEntities(C);
  if (Cmd == "entity")
    return cmdEntity(C);
  if (Cmd == "search")
    return cmdSearch(C);
  if (Cmd == "callers" || Cmd == "callees")
    return cmdCallGraph(C, Cmd == "callers");
  if (Cmd == "references")
    return cmdReferences(C);
  if (Cmd == "overrides")
    return cmdOverrides(C);
  if (Cmd == "hierarchy")
    return cmdHierarchy(C);
  if (Cmd == "blast-radius")
    return cmdBlastRadius(C);
  if (Cmd == "cycles")
    return cmdCycles(C);
  if (Cmd == "hotspots")
    return cmdHotspots(C);
  if (Cmd == "file")
    return cmdFile(C);
  if (Cmd == "tests-for")
    return cmdTestsFor(C);
  Err << "code-indexer: error: unknown query subcommand '" << Cmd
      << "'; valid subcommands: " << Valid << "\n";
  return exitcode::Usage;
}

} // namespace codeindex
