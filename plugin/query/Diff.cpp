//===- Diff.cpp - What a change does to the code graph --------------------===//

#include "query/Diff.h"
#include "query/HtmlReport.h"
#include "query/Traversals.h"

#include "llvm/ADT/StringExtras.h"

#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace codeindex {

namespace {

bool isProjectEntity(const GraphIndex &G, Id I) {
  const Entity *E = G.entity(I);
  return E && !E->External;
}

/// Ids of project entities, sorted by display name in G.
std::vector<Id> projectEntities(const GraphIndex &G) {
  std::vector<Id> R;
  for (const Entity &E : G.graph().Entities)
    if (!E.External)
      R.push_back(E.ID);
  return R;
}

/// A node that exists in both graphs (an entity or a file).
bool survives(const GraphIndex &Base, const GraphIndex &Head, Id I) {
  return (Base.entity(I) && Head.entity(I)) || (Base.file(I) && Head.file(I));
}

using EdgeKey = std::tuple<EdgeKind, Id, Id>;

std::set<EdgeKey> survivingEdges(const GraphIndex &G, const GraphIndex &Base,
                                 const GraphIndex &Head) {
  std::set<EdgeKey> S;
  for (const Edge &E : G.graph().Edges)
    if (survives(Base, Head, E.From) && survives(Base, Head, E.To))
      S.emplace(E.Kind, E.From, E.To);
  return S;
}

ojson edgeList(const GraphView &G, const std::vector<EdgeKey> &Keys) {
  std::vector<std::tuple<std::string_view, StringRef, Id, StringRef, Id>>
      Sorted;
  for (auto [K, From, To] : Keys)
    Sorted.emplace_back(spell(K), G.sortKey(From), From, G.sortKey(To), To);
  llvm::sort(Sorted);
  ojson A = ojson::array();
  for (auto &[K, FN, From, TN, To] : Sorted) {
    ojson E;
    E["kind"] = K;
    E["from"] = G.ref(From);
    E["to"] = G.ref(To);
    A.push_back(E);
  }
  return A;
}

ojson refs(const GraphView &G, std::vector<Id> Ids) {
  G.sortIds(Ids);
  ojson A = ojson::array();
  for (Id I : Ids)
    A.push_back(G.ref(I));
  return A;
}

} // namespace

ojson diffGraphs(const GraphIndex &Base, const GraphIndex &Head,
                 unsigned Hops) {
  GraphView BaseV(Base), HeadV(Head);
  std::vector<Id> Added, Removed, Changed;
  for (Id I : projectEntities(Head))
    if (!isProjectEntity(Base, I))
      Added.push_back(I);
  for (Id I : projectEntities(Base))
    if (!isProjectEntity(Head, I))
      Removed.push_back(I);
  for (Id I : projectEntities(Head)) {
    const Entity *B = Base.entity(I);
    const Entity *H = Head.entity(I);
    if (B && !B->External &&
        (B->Hash != H->Hash || B->Signature != H->Signature ||
         B->Kind != H->Kind))
      Changed.push_back(I);
  }
  HeadV.sortIds(Changed);

  ojson D;
  D["schema"] = "code-index/diff";
  D["hops"] = Hops;
  ojson Ents;
  Ents["added"] = refs(HeadV, Added);
  Ents["removed"] = refs(BaseV, Removed);
  ojson Ch = ojson::array();
  unsigned SigChanges = 0;
  for (Id I : Changed) {
    const Entity &B = *Base.entity(I), &H = *Head.entity(I);
    ojson C;
    C["entity"] = HeadV.ref(I);
    bool Sig = B.Signature != H.Signature || B.Kind != H.Kind;
    SigChanges += Sig;
    C["signature_changed"] = Sig;
    C["body_changed"] = B.Hash != H.Hash;
    C["old_signature"] = B.Signature;
    C["new_signature"] = H.Signature;
    ojson Layers = ojson::array();
    for (const Layer &L : blastRadius(HeadV, I, Hops)) {
      ojson Lj;
      Lj["hop"] = L.Hop;
      Lj["entities"] = refs(HeadV, L.Ids);
      Layers.push_back(Lj);
    }
    C["blast_radius"] = Layers;
    ojson Tests = ojson::array();
    for (auto [Depth, T] : testsReaching(HeadV, I)) {
      ojson Tj;
      Tj["depth"] = Depth;
      Tj["entity"] = HeadV.ref(T);
      Tests.push_back(Tj);
    }
    C["tests"] = Tests;
    Ch.push_back(C);
  }
  Ents["changed"] = Ch;

  std::map<std::string, const FileInfo *> BF, HF;
  for (const FileInfo &F : Base.graph().Files)
    if (F.Role != FileRole::System)
      BF[F.Path] = &F;
  for (const FileInfo &F : Head.graph().Files)
    if (F.Role != FileRole::System)
      HF[F.Path] = &F;
  std::vector<std::string> FAdded, FRemoved, FChanged;
  for (auto &[P, F] : HF) {
    auto It = BF.find(P);
    if (It == BF.end())
      FAdded.push_back(P);
    else if (It->second->Hash != F->Hash)
      FChanged.push_back(P);
  }
  for (auto &[P, F] : BF)
    if (!HF.count(P))
      FRemoved.push_back(P);
  ojson Files;
  Files["added"] = FAdded;
  Files["removed"] = FRemoved;
  Files["changed"] = FChanged;

  std::set<EdgeKey> BE = survivingEdges(Base, Base, Head);
  std::set<EdgeKey> HE = survivingEdges(Head, Base, Head);
  std::vector<EdgeKey> EAdded, ERemoved;
  std::set_difference(HE.begin(), HE.end(), BE.begin(), BE.end(),
                      std::back_inserter(EAdded));
  std::set_difference(BE.begin(), BE.end(), HE.begin(), HE.end(),
                      std::back_inserter(ERemoved));
  ojson Edges;
  Edges["added"] = edgeList(HeadV, EAdded);
  Edges["removed"] = edgeList(BaseV, ERemoved);

  ojson S;
  S["entities_added"] = Added.size();
  S["entities_removed"] = Removed.size();
  S["entities_changed"] = Changed.size();
  S["signature_changes"] = SigChanges;
  S["files_added"] = FAdded.size();
  S["files_removed"] = FRemoved.size();
  S["files_changed"] = FChanged.size();
  S["edges_added"] = EAdded.size();
  S["edges_removed"] = ERemoved.size();
  D["summary"] = S;
  D["entities"] = Ents;
  D["files"] = Files;
  D["edges"] = Edges;
  return D;
}

namespace {

std::string s(const ojson &J) {
  return J.is_string() ? J.get<std::string>() : J.dump();
}

/// Inline code; '|' is escaped so table cells stay intact.
std::string code(const std::string &T) {
  std::string R = "`";
  for (char C : T)
    R += C == '|' ? std::string("\\|") : std::string(1, C);
  return R + "`";
}

std::string name(const ojson &Ref) { return code(s(Ref["qualified_name"])); }

std::string loc(const ojson &Ref) {
  return s(Ref["file"]) + ":" + std::to_string(Ref["line"].get<unsigned>());
}

/// The qualified name, or the signature of an overload.
std::string label(const ojson &Ref) {
  return Ref["overloaded"].get<bool>() && !s(Ref["signature"]).empty()
             ? code(s(Ref["signature"]))
             : name(Ref);
}

void entityTable(raw_ostream &OS, const ojson &L) {
  OS << "| kind | entity | location |\n|---|---|---|\n";
  for (const auto &R : L)
    OS << "| " << s(R["kind"]) << " | " << label(R) << " | " << loc(R)
       << " |\n";
}

std::string hops(const ojson &D) {
  unsigned H = D["hops"].get<unsigned>();
  return std::to_string(H) + (H == 1 ? " hop" : " hops");
}

} // namespace

void printDiffMarkdown(const ojson &D, raw_ostream &OS) {
  const ojson &S = D["summary"];
  auto N = [&](const char *K) { return S[K].get<unsigned>(); };
  OS << "## Code graph changes\n\n";
  unsigned Total = 0;
  for (auto &[K, V] : S.items())
    Total += V.get<unsigned>();
  if (!Total) {
    OS << "No entity, file or edge changed.\n";
    return;
  }
  OS << "| | added | removed | changed |\n|---|---:|---:|---:|\n";
  OS << "| entities | " << N("entities_added") << " | " << N("entities_removed")
     << " | " << N("entities_changed") << " |\n";
  OS << "| files | " << N("files_added") << " | " << N("files_removed") << " | "
     << N("files_changed") << " |\n";
  OS << "| edges | " << N("edges_added") << " | " << N("edges_removed")
     << " | |\n\n";
  if (N("signature_changes"))
    OS << "**" << N("signature_changes") << " signature change"
       << (N("signature_changes") == 1 ? "" : "s")
       << "**: callers may need updating.\n\n";

  const ojson &Changed = D["entities"]["changed"];
  if (!Changed.empty()) {
    OS << "### Changed entities\n\n";
    for (const auto &C : Changed) {
      const ojson &E = C["entity"];
      OS << "#### " << label(E) << " (" << s(E["kind"]) << ", " << loc(E)
         << ")\n\n";
      if (C["signature_changed"].get<bool>())
        OS << "- **signature changed**: " << code(s(C["old_signature"]))
           << " → " << code(s(C["new_signature"])) << "\n";
      if (C["body_changed"].get<bool>())
        OS << "- body changed\n";
      const ojson &Layers = C["blast_radius"];
      if (Layers.empty()) {
        OS << "- blast radius (" << hops(D)
           << "): nothing calls or references it\n";
      } else {
        OS << "- blast radius (" << hops(D) << "):\n";
        for (const auto &L : Layers) {
          std::vector<std::string> Names;
          for (const auto &R : L["entities"])
            Names.push_back(label(R));
          OS << "  - hop " << L["hop"].get<unsigned>() << ": "
             << llvm::join(Names, ", ") << "\n";
        }
      }
      const ojson &Tests = C["tests"];
      if (Tests.empty()) {
        OS << "- tests: **none reach it**\n";
      } else {
        std::vector<std::string> Names;
        for (const auto &T : Tests)
          Names.push_back(label(T["entity"]) + " (" + loc(T["entity"]) + ")");
        OS << "- tests: " << llvm::join(Names, ", ") << "\n";
      }
      OS << "\n";
    }
  }
  for (const char *K : {"added", "removed"}) {
    const ojson &L = D["entities"][K];
    if (L.empty())
      continue;
    OS << "### " << (StringRef(K) == "added" ? "Added" : "Removed")
       << " entities\n\n";
    entityTable(OS, L);
    OS << "\n";
  }
  const ojson &Files = D["files"];
  if (!Files["added"].empty() || !Files["removed"].empty() ||
      !Files["changed"].empty()) {
    OS << "### Files\n\n";
    for (const char *K : {"added", "removed", "changed"})
      for (const auto &P : Files[K])
        OS << "- " << K << ": " << code(s(P)) << "\n";
    OS << "\n";
  }
  if (!D["edges"]["added"].empty() || !D["edges"]["removed"].empty()) {
    OS << "### Edges\n\n| change | kind | from | to |\n|---|---|---|---|\n";
    for (const char *K : {"added", "removed"})
      for (const auto &E : D["edges"][K])
        OS << "| " << K << " | " << s(E["kind"]) << " | " << label(E["from"])
           << " | " << label(E["to"]) << " |\n";
  }
}

Error runDiff(const std::string &BasePath, const std::string &HeadPath,
              unsigned Hops, DiffFormat F, raw_ostream &OS) {
  Graph B, H;
  for (auto [Path, G] : {std::pair(&BasePath, &B), std::pair(&HeadPath, &H)})
    if (Status St = loadGraphJson(*Path, *G); !St.isOk())
      return usageError(St.message());
  GraphIndex Base(std::move(B)), Head(std::move(H));
  ojson D = diffGraphs(Base, Head, Hops);
  if (F == DiffFormat::Json)
    printJson(OS, D);
  else if (F == DiffFormat::Html)
    writeDiffHtml(D, Head, OS);
  else
    printDiffMarkdown(D, OS);
  return Error::success();
}

} // namespace codeindex
