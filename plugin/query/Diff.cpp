//===- Diff.cpp - What a change does to the code graph --------------------===//

#include "query/Diff.h"
#include "query/QueryError.h"
#include "query/Traversals.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
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

/// Code a test should exercise: a defined function or method written in
/// the source (not implicit), not a test itself.
bool wantsTests(const Entity &E) {
  return isFunctionLike(E.Kind) && E.IsDefinition && !E.IsTest &&
         !(E.Flags & flag::Implicit);
}

/// Whether code in other files can use E, so that a change of its
/// signature may break them: declared in a header, not private, not
/// file-local (static function, anonymous namespace).
bool isPublic(const GraphView &G, const Entity &E) {
  if (E.Acc == Access::Private || E.Acc == Access::Protected)
    return false;
  if (E.Kind == EntityKind::Function && (E.Flags & flag::Static))
    return false;
  if (StringRef(E.QualifiedName).contains("(anonymous namespace)"))
    return false;
  auto InHeader = [&](const std::string &Path) {
    const FileInfo *F = G.fileByPath(Path);
    return F && F->Role == FileRole::Header;
  };
  return InHeader(E.File) ||
         llvm::any_of(E.Declarations,
                      [&](const Location &L) { return InHeader(L.File); });
}

/// The parameter types of a signature, as spelled: "int f(const char *,
/// int) const" gives {"const char *", "int"}. The list is the parenthesised
/// group right after the qualified name (so `operator()` works).
std::vector<std::string> parameters(StringRef Sig, StringRef QName) {
  size_t From = Sig.find(QName);
  From = From == StringRef::npos ? 0 : From + QName.size();
  size_t Open = Sig.find('(', From);
  std::vector<std::string> P;
  if (Open == StringRef::npos)
    return P;
  int Depth = 0;
  std::string Cur;
  for (char C : Sig.drop_front(Open + 1)) {
    if (Depth == 0 && (C == ')' || C == ',')) {
      if (!StringRef(Cur).trim().empty())
        P.push_back(StringRef(Cur).trim().str());
      Cur.clear();
      if (C == ')')
        break;
      continue;
    }
    Depth += C == '(' || C == '<' || C == '[' || C == '{';
    Depth -= C == ')' || C == '>' || C == ']' || C == '}';
    Cur += C;
  }
  if (P.size() == 1 && P[0] == "void")
    P.clear();
  return P;
}

/// How well two parameter lists match: the longest common subsequence of
/// types, then the common prefix, then the closer length.
std::tuple<size_t, size_t, int> matchScore(const std::vector<std::string> &A,
                                           const std::vector<std::string> &B) {
  std::vector<std::vector<size_t>> L(A.size() + 1,
                                     std::vector<size_t>(B.size() + 1));
  for (size_t I = 1; I <= A.size(); ++I)
    for (size_t J = 1; J <= B.size(); ++J)
      L[I][J] = A[I - 1] == B[J - 1] ? L[I - 1][J - 1] + 1
                                     : std::max(L[I - 1][J], L[I][J - 1]);
  size_t Prefix = 0;
  while (Prefix < A.size() && Prefix < B.size() && A[Prefix] == B[Prefix])
    ++Prefix;
  int Closeness = -std::abs(int(A.size()) - int(B.size()));
  return {L[A.size()][B.size()], Prefix, Closeness};
}

/// Pairs of (BASE id, HEAD id) taken out of Removed and Added.
using Pairs = std::vector<std::pair<Id, Id>>;

/// Renames: a removed and an added entity of the same kind whose
/// definitions have the same tokens (the own name aside), when that hash
/// picks out exactly one entity on each side.
Pairs pairRenames(const GraphIndex &Base, const GraphIndex &Head,
                  std::vector<Id> &Removed, std::vector<Id> &Added) {
  using Key = std::pair<EntityKind, uint64_t>;
  std::map<Key, std::vector<Id>> R, A;
  for (Id I : Removed)
    if (const Entity *E = Base.entity(I); E->Hash)
      R[{E->Kind, E->Hash}].push_back(I);
  for (Id I : Added)
    if (const Entity *E = Head.entity(I); E->Hash)
      A[{E->Kind, E->Hash}].push_back(I);
  Pairs P;
  for (auto &[K, Rs] : R) {
    auto It = A.find(K);
    if (Rs.size() != 1 || It == A.end() || It->second.size() != 1)
      continue;
    if (Base.entity(Rs[0])->QualifiedName ==
        Head.entity(It->second[0])->QualifiedName)
      continue; // same name: a signature change or a move, paired below
    P.emplace_back(Rs[0], It->second[0]);
  }
  std::set<Id> Used;
  for (auto [O, N] : P)
    Used.insert(O), Used.insert(N);
  std::erase_if(Removed, [&](Id I) { return Used.count(I); });
  std::erase_if(Added, [&](Id I) { return Used.count(I); });
  return P;
}

/// Signature changes: removed and added entities of the same qualified
/// name and kind; among several (overloads), best parameter match first.
Pairs pairByName(const GraphIndex &Base, const GraphIndex &Head,
                 std::vector<Id> &Removed, std::vector<Id> &Added) {
  using Key = std::pair<std::string, EntityKind>;
  std::map<Key, std::vector<Id>> R, A;
  for (Id I : Removed) {
    const Entity *E = Base.entity(I);
    R[{E->QualifiedName, E->Kind}].push_back(I);
  }
  for (Id I : Added) {
    const Entity *E = Head.entity(I);
    A[{E->QualifiedName, E->Kind}].push_back(I);
  }
  Pairs P;
  for (auto &[K, Rs] : R) {
    auto It = A.find(K);
    if (It == A.end())
      continue;
    const std::vector<Id> &As = It->second;
    // Every candidate pair, best match first; ties in the input's order.
    std::vector<std::tuple<std::tuple<size_t, size_t, int>, size_t, size_t>>
        Cands;
    for (size_t I = 0; I < Rs.size(); ++I) {
      const Entity *O = Base.entity(Rs[I]);
      auto OP = parameters(O->Signature, O->QualifiedName);
      for (size_t J = 0; J < As.size(); ++J) {
        const Entity *N = Head.entity(As[J]);
        Cands.emplace_back(
            matchScore(OP, parameters(N->Signature, N->QualifiedName)), I, J);
      }
    }
    std::stable_sort(Cands.begin(), Cands.end(),
                     [](const auto &X, const auto &Y) {
                       return std::get<0>(X) > std::get<0>(Y);
                     });
    std::vector<bool> RUsed(Rs.size()), AUsed(As.size());
    for (auto &[Score, I, J] : Cands) {
      if (RUsed[I] || AUsed[J])
        continue;
      RUsed[I] = AUsed[J] = true;
      P.emplace_back(Rs[I], As[J]);
    }
  }
  std::set<Id> Used;
  for (auto [O, N] : P)
    Used.insert(O), Used.insert(N);
  std::erase_if(Removed, [&](Id I) { return Used.count(I); });
  std::erase_if(Added, [&](Id I) { return Used.count(I); });
  return P;
}

/// One entry of entities.changed, and how many entities its blast radius
/// holds (the report's order).
struct ChangedEntry {
  Id New;
  size_t Blast;
  std::vector<Id> Tests;
  ojson J;
};

ChangedEntry changedEntry(GraphView &BaseV, GraphView &HeadV, Id Old, Id New,
                          unsigned Hops) {
  const Entity &B = *BaseV.entity(Old), &H = *HeadV.entity(New);
  ojson C;
  C["entity"] = HeadV.ref(New);
  C["old_entity"] = BaseV.ref(Old);
  bool Sig = B.Signature != H.Signature || B.Kind != H.Kind;
  C["signature_changed"] = Sig;
  C["public"] = isPublic(HeadV, H);
  C["body_changed"] = B.Hash != H.Hash;
  C["old_signature"] = B.Signature;
  C["new_signature"] = H.Signature;
  ojson Layers = ojson::array();
  size_t Blast = 0;
  for (const Layer &L : blastRadius(HeadV, New, Hops)) {
    ojson Lj;
    Lj["hop"] = L.Hop;
    Lj["entities"] = refs(HeadV, L.Ids);
    Blast += L.Ids.size();
    Layers.push_back(Lj);
  }
  C["blast_radius"] = Layers;
  ojson Tests = ojson::array();
  std::vector<Id> TestIds;
  for (auto [Depth, T] : testsReaching(HeadV, New)) {
    TestIds.push_back(T);
    ojson Tj;
    Tj["depth"] = Depth;
    Tj["entity"] = HeadV.ref(T);
    Tests.push_back(Tj);
  }
  C["untested"] = wantsTests(H) && Tests.empty();
  C["tests"] = Tests;
  return {New, Blast, std::move(TestIds), std::move(C)};
}

} // namespace

ojson diffGraphs(const GraphIndex &Base, const GraphIndex &Head, unsigned Hops,
                 bool IncludeCandidates) {
  GraphView BaseV(Base, IncludeCandidates), HeadV(Head, IncludeCandidates);
  std::vector<Id> Added, Removed;
  Pairs Changed;
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
      Changed.emplace_back(I, I);
  }
  Pairs Renamed = pairRenames(Base, Head, Removed, Added);
  for (auto [O, N] : pairByName(Base, Head, Removed, Added)) {
    const Entity &B = *Base.entity(O), &H = *Head.entity(N);
    // Same name, same signature, same tokens: only its USR moved (a static
    // function moved to another file). Nothing a reviewer needs to see.
    if (B.Signature != H.Signature || B.Hash != H.Hash)
      Changed.emplace_back(O, N);
  }

  std::vector<ChangedEntry> Entries;
  for (auto [O, N] : Changed)
    Entries.push_back(changedEntry(BaseV, HeadV, O, N, Hops));
  llvm::sort(Entries, [&](const ChangedEntry &A, const ChangedEntry &B) {
    if (A.Blast != B.Blast)
      return A.Blast > B.Blast;
    return HeadV.before(A.New, B.New);
  });

  ojson D;
  D["schema"] = "code-index/diff";
  D["hops"] = Hops;
  ojson Ents;
  Ents["added"] = refs(HeadV, Added);
  Ents["removed"] = refs(BaseV, Removed);
  ojson Ch = ojson::array();
  unsigned SigChanges = 0, PublicSigChanges = 0;
  std::set<Id> TestSet;
  ojson Untested = ojson::array();
  for (ChangedEntry &E : Entries) {
    bool Sig = E.J["signature_changed"].get<bool>();
    SigChanges += Sig;
    PublicSigChanges += Sig && E.J["public"].get<bool>();
    TestSet.insert(E.Tests.begin(), E.Tests.end());
    if (E.J["untested"].get<bool>()) {
      ojson U;
      U["entity"] = E.J["entity"];
      U["change"] = Sig ? "signature" : "body";
      Untested.push_back(U);
    }
    Ch.push_back(std::move(E.J));
  }
  Ents["changed"] = Ch;
  std::vector<Id> AddedSorted = Added;
  HeadV.sortIds(AddedSorted);
  for (Id I : AddedSorted) {
    const Entity &E = *Head.entity(I);
    if (E.IsTest)
      TestSet.insert(I);
    if (wantsTests(E) && testsReaching(HeadV, I).empty()) {
      ojson U;
      U["entity"] = HeadV.ref(I);
      U["change"] = "added";
      Untested.push_back(U);
    }
  }

  std::vector<std::tuple<StringRef, Id, Id>> RenamedSorted;
  for (auto [O, N] : Renamed) {
    RenamedSorted.emplace_back(HeadV.sortKey(N), N, O);
    if (Head.entity(N)->IsTest)
      TestSet.insert(N);
  }
  llvm::sort(RenamedSorted);
  ojson Ren = ojson::array();
  for (auto &[Key, N, O] : RenamedSorted) {
    ojson R;
    R["old"] = BaseV.ref(O);
    R["new"] = HeadV.ref(N);
    Ren.push_back(R);
  }
  Ents["renamed"] = Ren;

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
  S["entities_changed"] = Entries.size();
  S["entities_renamed"] = Renamed.size();
  S["signature_changes"] = SigChanges;
  S["public_signature_changes"] = PublicSigChanges;
  S["untested"] = Untested.size();
  S["files_added"] = FAdded.size();
  S["files_removed"] = FRemoved.size();
  S["files_changed"] = FChanged.size();
  S["edges_added"] = EAdded.size();
  S["edges_removed"] = ERemoved.size();
  D["summary"] = S;
  D["entities"] = Ents;
  D["untested"] = Untested;
  // Each test case by the name its runner selects it by, for the CTest
  // line (DiffCommand) and for people.
  ojson ToRun = refs(HeadV, {TestSet.begin(), TestSet.end()});
  for (ojson &T : ToRun)
    if (std::optional<Id> I = parseId(T["id"].get<std::string>()))
      if (const Entity *E = HeadV.entity(*I); E && !E->TestName.empty()) {
        T["test_name"] = E->TestName;
        T["framework"] = E->TestFramework;
      }
  D["tests_to_run"] = ToRun;
  D["files"] = Files;
  D["edges"] = Edges;
  return D;
}

Expected<unsigned> parseFailOn(StringRef List) {
  unsigned Mask = 0;
  SmallVector<StringRef, 4> Words;
  List.split(Words, ',', -1, /*KeepEmpty=*/false);
  if (Words.empty())
    return usageError("--fail-on takes untested, signature or any "
                      "(comma-separated)");
  for (StringRef W : Words) {
    W = W.trim();
    if (W == "untested")
      Mask |= failon::Untested;
    else if (W == "signature")
      Mask |= failon::Signature;
    else if (W == "any")
      Mask |= failon::Any;
    else
      return usageError("--fail-on takes untested, signature or any "
                        "(comma-separated), not '" +
                        W + "'");
  }
  return Mask;
}

unsigned failedConditions(const ojson &D, unsigned Mask) {
  const ojson &S = D["summary"];
  auto N = [&](const char *K) { return S[K].get<unsigned>(); };
  unsigned Failed = 0;
  if ((Mask & failon::Untested) && N("untested"))
    Failed |= failon::Untested;
  if ((Mask & failon::Signature) && N("public_signature_changes"))
    Failed |= failon::Signature;
  if ((Mask & failon::Any) && (N("entities_added") || N("entities_removed") ||
                               N("entities_changed") || N("entities_renamed")))
    Failed |= failon::Any;
  return Failed;
}

} // namespace codeindex
