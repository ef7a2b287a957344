//===- GraphView.cpp - Names, lookups and order over a GraphReader --------===//

#include "query/GraphView.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>

using namespace llvm;

namespace codeindex {

const Entity *GraphView::entity(Id I) const {
  auto [It, New] = Entities.try_emplace(I);
  if (New)
    R.lookup(
        I, [&](const Entity &E) { Entities[I] = std::make_unique<Entity>(E); });
  return Entities[I].get();
}

const FileInfo *GraphView::file(Id I) const {
  auto [It, New] = Files.try_emplace(I);
  if (New)
    R.lookupFile(I, [&](const FileInfo &F) {
      Files[I] = std::make_unique<FileInfo>(F);
    });
  return Files[I].get();
}

const FileInfo *GraphView::fileByPath(StringRef Path) const {
  auto [It, New] = FilesByPath.try_emplace(Path, 0);
  if (New)
    R.fileByPath(Path, [&](const FileInfo &F) {
      FilesByPath[Path] = F.ID;
      if (!Files.count(F.ID))
        Files[F.ID] = std::make_unique<FileInfo>(F);
    });
  Id I = FilesByPath[Path];
  return I ? file(I) : nullptr;
}

const std::vector<Edge> &GraphView::edges(EdgeKind K, Id I, Direction D) const {
  auto [It, New] = Edges.try_emplace({K, I, D});
  if (New)
    R.edges(K, I, D, [&](const Edge &E) { It->second.push_back(E); });
  return It->second;
}

const std::vector<Id> &GraphView::byQualifiedName(StringRef QN) const {
  auto [It, New] = QNames.try_emplace(QN);
  if (New)
    R.findByQualifiedName(QN, [&](Id I) { It->second.push_back(I); });
  return It->second;
}

void GraphView::preloadRefs(ArrayRef<Id> Ids) const {
  std::vector<Id> Wanted(Ids.begin(), Ids.end());
  llvm::sort(Wanted);
  Wanted.erase(std::unique(Wanted.begin(), Wanted.end()), Wanted.end());
  // Whether a qualified name is shared (overloads) is a question about the
  // whole graph: the hash of every entity's qualified name is kept (8 bytes
  // an entity); a name whose hash is unique is not shared, the few others
  // are resolved by byQualifiedName() when printed.
  std::vector<uint64_t> Hashes;
  StringSaver Strings(RefAlloc);
  R.forEachEntity([&](const Entity &E) {
    Hashes.push_back(xxh3_64bits(E.QualifiedName));
    if (!std::binary_search(Wanted.begin(), Wanted.end(), E.ID) ||
        RefIndex.count(E.ID))
      return true;
    RefIndex[E.ID] = Refs.size();
    Refs.push_back({Strings.save(E.QualifiedName), Strings.save(E.Signature),
                    RefFiles.save(E.File), E.Range.Line, E.Kind, E.External,
                    E.IsTest, 0});
    return true;
  });
  llvm::sort(Hashes);
  for (RefInfo &Info : Refs) {
    uint64_t H = xxh3_64bits(Info.QualifiedName);
    auto [B, E] = std::equal_range(Hashes.begin(), Hashes.end(), H);
    if (E - B > 1)
      Info.Overloaded = -1;
  }
}

const GraphView::RefInfo *GraphView::refInfo(Id I) const {
  if (RefIndex.empty())
    return nullptr;
  auto It = RefIndex.find(I);
  return It == RefIndex.end() ? nullptr : &Refs[It->second];
}

bool GraphView::overloaded(const RefInfo &Info) const {
  if (Info.Overloaded < 0)
    Info.Overloaded = byQualifiedName(Info.QualifiedName).size() > 1;
  return Info.Overloaded;
}

std::string GraphView::displayName(Id I) const {
  if (const RefInfo *Info = refInfo(I)) {
    if (overloaded(*Info) && !Info->Signature.empty())
      return Info->Signature.str();
    return Info->QualifiedName.str();
  }
  if (const Entity *E = entity(I)) {
    if (overloaded(*E) && !E->Signature.empty())
      return E->Signature;
    return E->QualifiedName;
  }
  if (const FileInfo *F = file(I))
    return "file:" + F->Path;
  return formatId(I);
}

std::string GraphView::kindName(Id I) const {
  if (const RefInfo *Info = refInfo(I))
    return std::string(spell(Info->Kind));
  if (const Entity *E = entity(I))
    return std::string(spell(E->Kind));
  return "file";
}

std::string GraphView::location(Id I) const {
  if (const RefInfo *Info = refInfo(I))
    return Info->File.str() + ":" + std::to_string(Info->Line);
  if (const Entity *E = entity(I))
    return E->File + ":" + std::to_string(E->Range.Line);
  if (const FileInfo *F = file(I))
    return F->Path;
  return "?";
}

ojson GraphView::ref(Id I) const {
  ojson J;
  J["id"] = formatId(I);
  if (const RefInfo *Info = refInfo(I)) {
    J["kind"] = spell(Info->Kind);
    J["qualified_name"] = Info->QualifiedName.str();
    J["signature"] = Info->Signature.str();
    J["file"] = Info->File.str();
    J["line"] = Info->Line;
    J["external"] = Info->External;
    J["test"] = Info->Test;
    J["overloaded"] = overloaded(*Info);
  } else if (const Entity *E = entity(I)) {
    J["kind"] = spell(E->Kind);
    J["qualified_name"] = E->QualifiedName;
    J["signature"] = E->Signature;
    J["file"] = E->File;
    J["line"] = E->Range.Line;
    J["external"] = E->External;
    J["test"] = E->IsTest;
    J["overloaded"] = overloaded(*E);
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

StringRef GraphView::sortKey(Id I) const {
  if (const RefInfo *Info = refInfo(I))
    return Info->QualifiedName;
  if (const Entity *E = entity(I))
    return E->QualifiedName;
  if (const FileInfo *F = file(I))
    return F->Path;
  return "";
}

bool GraphView::before(Id A, Id B) const {
  StringRef NA = sortKey(A), NB = sortKey(B);
  if (NA != NB)
    return NA < NB;
  return A < B;
}

void GraphView::sortIds(std::vector<Id> &Ids) const {
  std::vector<std::pair<StringRef, Id>> Keyed;
  Keyed.reserve(Ids.size());
  for (Id I : Ids)
    Keyed.emplace_back(sortKey(I), I);
  llvm::sort(Keyed);
  for (size_t K = 0; K < Ids.size(); ++K)
    Ids[K] = Keyed[K].second;
}

namespace {

/// The last name of a (possibly qualified) symbol: "area" for
/// "geo::Circle::area".
StringRef lastName(StringRef Text) {
  size_t Pos = Text.rfind("::");
  return Pos == StringRef::npos ? Text : Text.substr(Pos + 2);
}

/// A name without template arguments: "max" for "max<int>" (but
/// "operator<" stays whole).
StringRef withoutTemplateArgs(StringRef Name) {
  if (Name.starts_with("operator"))
    return Name;
  return Name.take_until([](char C) { return C == '<'; });
}

} // namespace

std::vector<Id> GraphView::resolve(StringRef Text) const {
  if (auto I = parseId(std::string_view(Text.data(), Text.size())))
    if (entity(*I))
      return {*I};
  std::vector<Id> Res = byQualifiedName(Text);
  auto Candidates = [&](StringRef Name, NameMatch M) {
    std::vector<Id> C;
    R.findByName(Name, M, 0, [&](Id I) { C.push_back(I); });
    return C;
  };
  if (Res.empty() && Text.contains('(')) {
    // One overload: "calc::format(int)" or "format(int)" inside the
    // signature "const char *calc::format(int)". The entity's name starts
    // with the text's last name before '(' ("operator()" for
    // "operator()(int)").
    StringRef Head = lastName(Text.substr(0, Text.find('(')));
    for (Id I : Candidates(withoutTemplateArgs(Head), NameMatch::Prefix)) {
      const Entity *E = entity(I);
      if (!E)
        continue;
      StringRef Sig = E->Signature;
      for (size_t Pos = Sig.find(Text); Pos != StringRef::npos;
           Pos = Sig.find(Text, Pos + 1)) {
        char Before = Pos ? Sig[Pos - 1] : ' ';
        size_t End = Pos + Text.size();
        char After = End < Sig.size() ? Sig[End] : ' ';
        if (StringRef(" *&:").contains(Before) && After == ' ') {
          Res.push_back(I);
          break;
        }
      }
    }
  }
  if (Res.empty()) {
    // A name, or the tail of a qualified name ("Circle::area").
    std::string Suffix = "::" + Text.str();
    StringRef Last = lastName(Text);
    std::vector<Id> C = Candidates(Last, NameMatch::Exact);
    if (StringRef Bare = withoutTemplateArgs(Last); Bare != Last)
      llvm::append_range(C, Candidates(Bare, NameMatch::Exact));
    llvm::sort(C);
    C.erase(std::unique(C.begin(), C.end()), C.end());
    for (Id I : C) {
      const Entity *E = entity(I);
      if (E &&
          (E->Name == Text || StringRef(E->QualifiedName).ends_with(Suffix)))
        Res.push_back(I);
    }
  }
  sortIds(Res);
  return Res;
}

std::vector<std::string> GraphView::suggest(StringRef Text,
                                            unsigned Max) const {
  // Best first: the short name (the unqualified tail) equal to Text, then
  // starting with it, then containing it, all case-insensitively; then the
  // qualified name containing it; then names within a small edit distance.
  // `Compres` finds snappy::Compress before FLAGS_write_compressed.
  std::string Lower = StringRef(lastName(Text)).lower();
  std::string LowerText = Text.lower();
  unsigned Limit = std::max<unsigned>(2, Text.size() / 3);
  std::map<std::string, unsigned> Best; // qualified name -> score
  R.forEachEntity([&](const Entity &E) {
    std::string QN = StringRef(E.QualifiedName).lower();
    std::string Name = StringRef(E.Name).lower();
    unsigned Score;
    if (Name == Lower)
      Score = 0;
    else if (StringRef(Name).starts_with(Lower))
      Score = 1;
    else if (StringRef(Name).contains(Lower))
      Score = 2;
    else if (StringRef(QN).contains(LowerText))
      Score = 3;
    else {
      unsigned D =
          std::min(StringRef(Name).edit_distance(Lower, true, Limit + 1),
                   StringRef(QN).edit_distance(LowerText, true, Limit + 1));
      if (D > Limit)
        return true;
      Score = 4 + D;
    }
    auto [It, New] = Best.emplace(E.QualifiedName, Score);
    if (!New)
      It->second = std::min(It->second, Score);
    return true;
  });
  std::vector<std::pair<unsigned, std::string>> Ranked;
  for (auto &[QN, Score] : Best)
    Ranked.emplace_back(Score, QN);
  llvm::sort(Ranked);
  std::vector<std::string> Res;
  for (auto &[Score, QN] : Ranked) {
    if (Res.size() == Max)
      break;
    Res.push_back(QN);
  }
  return Res;
}

} // namespace codeindex
