//===- GraphBuilder.cpp - Entities and edges of one TU's units ------------===//

#include "extractor/GraphBuilder.h"
#include "extractor/DeclClassification.h"

#include "clang/AST/DeclCXX.h"
#include "clang/Index/USRGeneration.h"

namespace codeindex {

using namespace clang;

const std::pair<Id, std::string> &GraphBuilder::idOf(const NamedDecl *D) {
  const Decl *Key = D->getCanonicalDecl();
  auto It = UsrCache.find(Key);
  if (It != UsrCache.end())
    return It->second;
  llvm::SmallString<128> Buf;
  std::string Usr;
  if (!index::generateUSRForDecl(D, Buf))
    Usr = Buf.str().str();
  else
    Usr = "c:@codeindex@" + D->getQualifiedNameAsString();
  SourceLocation L = T.SM->getFileLoc(D->getLocation());
  if (L.isValid()) {
    FileState &FS = T.fileState(T.SM->getFileID(L));
    if (FS.Valid) {
      const auto *NS = dyn_cast<NamespaceDecl>(D);
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (NS && NS->isAnonymousNamespace())
        Usr = "c:" + FS.Path + "@aN";
      else if (FD && FD->isMain() && llvm::StringRef(Usr).starts_with("c:@"))
        // Every program has its own main(), and nothing can call it: one
        // entity per defining file rather than one for the whole project.
        Usr = "c:" + FS.Path + Usr.substr(2);
      else
        Usr = rerootUsr(Usr, FS.Abs, FS.Path);
    }
  }
  Id I = T.Ctx.Usrs.idFor(Usr);
  return UsrCache[Key] = {I, std::move(Usr)};
}

std::pair<EntityFact &, bool> GraphBuilder::entity(UnitBuilder &U, Id I) {
  auto [It, Inserted] = U.EntityIndex.try_emplace(I, U.Facts.Entities.size());
  if (Inserted) {
    U.Facts.Entities.emplace_back();
    U.Facts.Entities.back().ID = I;
  }
  return {U.Facts.Entities[It->second], Inserted};
}

EntityFact &GraphBuilder::entity(UnitBuilder &U, const NamedDecl *D,
                                 bool External) {
  auto [I, Usr] = idOf(D);
  auto [F, Created] = entity(U, I);
  if (!Created) {
    if (F.External && !External) {
      // An external record upgraded: this unit declares the entity after all.
      F.External = false;
      F.File = U.Facts.File.Path;
      F.ExternalLocation = Extent();
    }
    return F;
  }
  F.Usr = std::move(Usr);
  F.Kind = *entityKind(D);
  F.Name = nameOf(D);
  F.QualifiedName = qualifiedNameOf(D);
  if (F.QualifiedName.empty())
    F.QualifiedName = F.Name;
  F.Signature = signatureOf(D, F.QualifiedName);
  F.Lang = T.Lang;
  F.Acc = accessOf(D);
  F.Flags = flagsOf(D);
  if (const NamedDecl *P = parentEntity(D))
    F.Parent = idOf(P).first;
  F.External = External;
  if (External) {
    SourceLocation L = T.SM->getFileLoc(D->getLocation());
    if (L.isValid()) {
      FileState &FS = T.fileState(T.SM->getFileID(L));
      F.File = FS.Valid ? FS.Path : "";
      auto [Line, Col] = T.lineCol(L);
      F.ExternalLocation = Extent{Line, Col, Line, Col};
    }
  } else {
    F.File = U.Facts.File.Path;
  }
  return F;
}

EdgeFact &GraphBuilder::edge(UnitBuilder &U, EdgeKind K, Id From, Id To) {
  auto Key = std::make_tuple(K, From, To);
  auto [It, Inserted] = U.EdgeIndex.try_emplace(Key, U.Facts.Edges.size());
  if (Inserted) {
    U.Facts.Edges.emplace_back();
    EdgeFact &E = U.Facts.Edges.back();
    E.Kind = K;
    E.From = From;
    E.To = To;
  }
  return U.Facts.Edges[It->second];
}

void GraphBuilder::addEdge(UnitBuilder &U, EdgeKind K, Id From, Id To,
                           SourceLocation Site, bool Virtual, Access A,
                           bool VirtualBase, bool Candidate) {
  if (!From || !To)
    return;
  // Recursion and a function naming itself (taking its own address) are
  // real; other self-loops (a class's static_assert naming the class) say
  // nothing.
  if (From == To && K != EdgeKind::Calls && K != EdgeKind::References)
    return;
  bool New = !U.EdgeIndex.count(std::make_tuple(K, From, To));
  EdgeFact &E = edge(U, K, From, To);
  if (New) {
    E.Acc = A;
    E.Virtual = VirtualBase;
  }
  if (Site.isValid()) {
    auto [Line, Col] = T.lineCol(Site);
    E.Sites.push_back(SiteFact{Line, Col, Virtual, Candidate});
  }
}

void GraphBuilder::noteTarget(UnitBuilder &U, const NamedDecl *D) {
  SourceLocation L = T.SM->getFileLoc(D->getLocation());
  FileState *FS = L.isValid() ? T.fileStateFor(L) : nullptr;
  // Declared in a file of the project: that file's owner emits it.
  if (FS && !FS->External)
    return;
  // The parent chain (std, std::vector, ...) is noted too, so that every
  // entity's "parent" is an entity of the graph.
  bool Known = U.EntityIndex.count(idOf(D).first);
  entity(U, D, /*External=*/true);
  if (!Known)
    if (const NamedDecl *P = parentEntity(D))
      noteTarget(U, P);
}

Id GraphBuilder::sourceNode(UnitBuilder &U, const Decl *Container) {
  if (const NamedDecl *C = containerEntity(Container))
    return idOf(C).first;
  return U.Facts.Key.File;
}

} // namespace codeindex
