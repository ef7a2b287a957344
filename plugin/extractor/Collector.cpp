//===- Collector.cpp - Clang's index callbacks to graph facts -------------===//

#include "extractor/Collector.h"
#include "extractor/DeclClassification.h"
#include "extractor/DefinitionHash.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"

#include <algorithm>

namespace codeindex {

using namespace clang;

void Collector::initialize(ASTContext &Ctx) {
  T.AST = &Ctx;
  // "(lambda at /abs/path/x.cpp:3:7)" would put machine-specific paths
  // into names and signatures; "(lambda)" keeps the export portable.
  PrintingPolicy PP = Ctx.getPrintingPolicy();
  PP.AnonymousTagLocations = false;
  Ctx.setPrintingPolicy(PP);
}

Extent Collector::extentOf(const Decl *D, FileID FID, SourceLocation Fallback) {
  SourceManager &SM = *T.SM;
  SourceRange R = D->getSourceRange();
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const auto *FT = FD->getDescribedFunctionTemplate())
      R = FT->getSourceRange();
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const auto *CT = RD->getDescribedClassTemplate())
      R = CT->getSourceRange();
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (const auto *VT = VD->getDescribedVarTemplate())
      R = VT->getSourceRange();
  } else if (const auto *TA = dyn_cast<TypeAliasDecl>(D)) {
    if (const auto *AT = TA->getDescribedAliasTemplate())
      R = AT->getSourceRange();
  }
  auto [FL, FC] = T.lineCol(Fallback);
  Extent E{FL, FC, FL, FC};
  if (R.isInvalid())
    return E;
  CharSourceRange CR = SM.getExpansionRange(R);
  SourceLocation B = CR.getBegin(), End = CR.getEnd();
  if (CR.isTokenRange())
    End = Lexer::getLocForEndOfToken(End, 0, SM, *T.LO);
  if (SM.getFileID(B) != FID || SM.getFileID(End) != FID || End < B)
    return E;
  auto [BL, BC] = T.lineCol(B);
  auto [EL, EC] = T.lineCol(End);
  E = Extent{BL, BC, EL, EC > 1 ? EC - 1 : EC};
  return E;
}

bool Collector::handleDeclOccurrence(const Decl *D, index::SymbolRoleSet Roles,
                                     ArrayRef<index::SymbolRelation> Relations,
                                     SourceLocation Loc, ASTNodeInfo ASTNode) {
  if (Loc.isInvalid())
    return true;
  FileState *FS = T.fileStateFor(Loc);
  if (!FS || !FS->Owned)
    return true;
  using index::SymbolRole;
  bool IsDecl = Roles & (static_cast<unsigned>(SymbolRole::Declaration) |
                         static_cast<unsigned>(SymbolRole::Definition));
  if (IsDecl) {
    // Only the declaration itself, not e.g. the implicit instantiation
    // reported at the same place.
    // The index passes the canonical declaration; OrigD is this one.
    const Decl *Actual = ASTNode.OrigD ? ASTNode.OrigD : D;
    const NamedDecl *E = asEntity(Actual);
    if (E && (unwrapTemplate(Actual) == E || Actual == E))
      onDeclaration(E, Roles, Loc, *FS);
    return true;
  }
  if (!(Roles & static_cast<unsigned>(SymbolRole::Reference)))
    return true;
  // `friend class X;` declares X in the enclosing namespace, but the index
  // reports it as a reference only: record the declaration too, or X has
  // no entity where nothing else declares it, and the befriending class's
  // use of it is dropped.
  if (const auto *TD = dyn_cast<TagDecl>(D))
    for (const TagDecl *R : TD->redecls())
      if (R->getFriendObjectKind() != Decl::FOK_None &&
          R->getLocation() == Loc) {
        if (const NamedDecl *E = asEntity(R))
          onDeclaration(E, static_cast<unsigned>(SymbolRole::Declaration), Loc,
                        *FS);
        break;
      }
  // The index reports calls to a template specialization as calls to the
  // template; the expression still names the specialization.
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(ASTNode.OrigE))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
        FD && FD->getTemplateSpecializationArgs() && isFactory(FD))
      T.FactoryCalls.push_back({FD, ASTNode.Parent, Loc});
  if (const NamedDecl *E = asEntity(D))
    onReference(E, Roles, Relations, Loc, ASTNode.Parent, ASTNode.OrigE, *FS);
  return true;
}

void Collector::onDeclaration(const NamedDecl *D, index::SymbolRoleSet Roles,
                              SourceLocation Loc, FileState &FS) {
  UnitBuilder &U = T.unit(FS);
  EntityFact &F = G.entity(U, D, /*External=*/false);
  Id Self = F.ID;
  bool IsDef = Roles & static_cast<unsigned>(index::SymbolRole::Definition);
  // Namespaces are "defined" by every block; they have no single definition.
  if (isa<NamespaceDecl>(D))
    IsDef = false;
  Extent X = extentOf(D, U.FID, Loc);
  // One declaration per range, and a definition wins: a macro (gtest's
  // TEST) can expand to a declaration and its definition at one place.
  auto Same = std::find_if(F.Decls.begin(), F.Decls.end(),
                           [&](const DeclFact &D) { return D.Range == X; });
  if (Same == F.Decls.end())
    F.Decls.push_back(DeclFact{X, IsDef});
  else if (IsDef)
    Same->IsDefinition = true;
  F.Flags |= flagsOf(D);
  // The signature is printed from the definition, where the entity is
  // located, rather than from whichever declaration came first: a forward
  // declaration may leave the template parameters unnamed.
  if (IsDef)
    F.Signature = signatureOf(D, F.QualifiedName);
  if (IsDef && !F.BodyHash) {
    // Hash the definition's tokens so a reviewer can see that it changed.
    SourceManager &SM = *T.SM;
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(U.FID, &Invalid);
    if (!Invalid) {
      unsigned B =
          SM.getFileOffset(SM.translateLineCol(U.FID, X.Line, X.Column));
      unsigned E =
          SM.getFileOffset(SM.translateLineCol(U.FID, X.EndLine, X.EndColumn));
      if (B <= E && E < Buf.size())
        F.BodyHash = definitionHash(
            Buf.substr(B, E - B + 1),
            D->getIdentifier() ? D->getName() : llvm::StringRef(), *T.LO);
    }
  }

  // contains: parent -> member, or file -> top-level entity.
  if (const NamedDecl *P = parentEntity(D)) {
    // Clang's index does not report anonymous namespaces themselves.
    if (const auto *NS = dyn_cast<NamespaceDecl>(P);
        NS && NS->isAnonymousNamespace() && AnonNamespaces.insert(NS).second)
      if (FileState *NFS = T.fileStateFor(NS->getLocation()); NFS && NFS->Owned)
        onDeclaration(NS, static_cast<unsigned>(index::SymbolRole::Declaration),
                      NS->getLocation(), *NFS);
    Id PI = G.idOf(P).first;
    G.addEdge(U, EdgeKind::Contains, PI, Self, Loc);
    G.noteTarget(U, P);
  } else {
    G.addEdge(U, EdgeKind::Contains, U.Facts.Key.File, Self, Loc);
  }

  // inherits: derived -> base, with access and virtual.
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D);
      RD && RD->isThisDeclarationADefinition()) {
    for (const CXXBaseSpecifier &B : RD->bases()) {
      QualType BT = B.getType();
      const NamedDecl *Base = nullptr;
      if (const CXXRecordDecl *BD = BT->getAsCXXRecordDecl())
        Base = asEntity(BD);
      else if (const auto *TST = BT->getAs<TemplateSpecializationType>())
        if (TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
          Base = asEntity(TD);
      if (!Base)
        continue;
      Access A = toAccess(B.getAccessSpecifier());
      G.addEdge(U, EdgeKind::Inherits, Self, G.idOf(Base).first,
                B.getBaseTypeLoc(), false, A, B.isVirtual());
      G.noteTarget(U, Base);
    }
  }

  // overrides: method -> every method it overrides, at every level.
  if (const auto *MD = dyn_cast<CXXMethodDecl>(D)) {
    llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
    llvm::SmallVector<const CXXMethodDecl *, 8> Work(
        MD->overridden_methods().begin(), MD->overridden_methods().end());
    while (!Work.empty()) {
      const CXXMethodDecl *O = Work.pop_back_val();
      if (!Seen.insert(O->getCanonicalDecl()).second)
        continue;
      if (const NamedDecl *OE = asEntity(O)) {
        G.addEdge(U, EdgeKind::Overrides, Self, G.idOf(OE).first, Loc);
        G.noteTarget(U, OE);
      }
      Work.append(O->overridden_methods().begin(),
                  O->overridden_methods().end());
    }
  }

  // instantiates: explicit specializations/instantiations -> template.
  const NamedDecl *Primary = nullptr;
  if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    auto From = CTS->getSpecializedTemplateOrPartial();
    if (auto *P = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>();
        P && !isa<ClassTemplatePartialSpecializationDecl>(CTS))
      Primary = P;
    else
      Primary = CTS->getSpecializedTemplate()->getTemplatedDecl();
  } else if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const FunctionTemplateDecl *FT = FD->getPrimaryTemplate())
      Primary = FT->getTemplatedDecl();
    else if (const FunctionDecl *M = FD->getInstantiatedFromMemberFunction())
      Primary = M;
  } else if (const auto *VTS = dyn_cast<VarTemplateSpecializationDecl>(D)) {
    Primary = VTS->getSpecializedTemplate()->getTemplatedDecl();
  }
  if (Primary && Primary != D) {
    if (const NamedDecl *PE = asEntity(Primary)) {
      G.addEdge(U, EdgeKind::Instantiates, Self, G.idOf(PE).first, Loc);
      G.noteTarget(U, PE);
    }
  }
}

namespace {

/// A member of a class template specialization that asEntity() does not map
/// (a field, a type alias, a member enum or its enumerators), as the member
/// of the template it was instantiated from; D itself otherwise. Clang's
/// index does the same for references when it skips instantiations.
const NamedDecl *memberPattern(const NamedDecl *D) {
  if (const auto *ED = dyn_cast<EnumDecl>(D)) {
    if (const EnumDecl *P = ED->getInstantiatedFromMemberEnum())
      return P;
    return D;
  }
  if (const auto *EC = dyn_cast<EnumConstantDecl>(D)) {
    if (const auto *ED = dyn_cast<EnumDecl>(EC->getDeclContext()))
      if (const EnumDecl *P = ED->getInstantiatedFromMemberEnum())
        for (const NamedDecl *M : P->lookup(EC->getDeclName()))
          return M;
    return D;
  }
  if (!isa<FieldDecl, TypedefNameDecl>(D))
    return D;
  const auto *RD = dyn_cast<CXXRecordDecl>(D->getDeclContext());
  const CXXRecordDecl *Pattern =
      RD ? RD->getTemplateInstantiationPattern() : nullptr;
  if (!Pattern)
    return D;
  for (const NamedDecl *M : Pattern->lookup(D->getDeclName())) {
    // A member alias template is found as the template.
    const auto *Described = dyn_cast<NamedDecl>(unwrapTemplate(M));
    if (Described && !Described->isImplicit() &&
        Described->getKind() == D->getKind())
      return Described;
  }
  return D;
}

} // namespace

void Collector::onReference(const NamedDecl *D, index::SymbolRoleSet Roles,
                            ArrayRef<index::SymbolRelation> Relations,
                            SourceLocation Loc, const Decl *Parent,
                            const Expr *OrigE, FileState &FS) {
  using index::SymbolRole;
  auto Has = [&](SymbolRole R) { return Roles & static_cast<unsigned>(R); };
  if (Has(SymbolRole::NameReference))
    return;
  for (const index::SymbolRelation &R : Relations)
    if (R.Roles & static_cast<unsigned>(SymbolRole::RelationBaseOf))
      return; // a base specifier: an `inherits` edge, not a type use
  if (InInstantiation) {
    const NamedDecl *P = memberPattern(D);
    if (P != D) {
      D = asEntity(P);
      if (!D)
        return;
    }
  }
  UnitBuilder &U = T.unit(FS);
  EntityKind K = *entityKind(D);
  EdgeKind EK;
  bool Virtual = false;
  switch (K) {
  case EntityKind::Namespace:
  case EntityKind::Macro:
    return;
  case EntityKind::Class:
  case EntityKind::Struct:
  case EntityKind::Union:
  case EntityKind::Enum:
  case EntityKind::TypeAlias:
    EK = EdgeKind::UsesType;
    break;
  case EntityKind::Destructor:
    // Implicit destructor calls (end of scope, delete) have no expression
    // and are not reported by the index; an explicit one (`this->~Set()`)
    // is a call.
    if (!Has(SymbolRole::Call))
      return;
    EK = EdgeKind::Calls;
    break;
  case EntityKind::Constructor:
    // An elidable copy or move (`return Node();` before C++17) is elided:
    // not a call. The construction it copies is reported on its own.
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(OrigE);
        CE && CE->isElidable())
      return;
    // Every construction comes with the Call role; `using Base::Base;`
    // (an inheriting constructor) names the base's constructors without
    // it, from the class: a reference, not a call.
    EK = Has(SymbolRole::Call) ? EdgeKind::Calls : EdgeKind::References;
    break;
  case EntityKind::Function:
  case EntityKind::Method:
  case EntityKind::ConversionFunction:
  case EntityKind::Operator:
    EK = Has(SymbolRole::Call) ? EdgeKind::Calls : EdgeKind::References;
    Virtual = EK == EdgeKind::Calls && Has(SymbolRole::Dynamic);
    break;
  default:
    EK = EdgeKind::References;
    break;
  }
  bool Candidate = isCandidate(OrigE);
  const Decl *Container = Parent;
  if (!Container)
    for (const index::SymbolRelation &R : Relations)
      if (R.Roles & (static_cast<unsigned>(SymbolRole::RelationContainedBy) |
                     static_cast<unsigned>(SymbolRole::RelationCalledBy)))
        Container = R.RelatedSymbol;
  // `Account::` in `int Account::count() {...}` names the class only to
  // place the definition: not a use of the type. The index hands over the
  // canonical (in-class) declaration as the container, which has no
  // qualifier: look at every redeclaration.
  if (EK == EdgeKind::UsesType && Container)
    if (const auto *DD = dyn_cast<DeclaratorDecl>(unwrapTemplate(Container)))
      for (const Decl *R : DD->redecls()) {
        const auto *RD = cast<DeclaratorDecl>(R);
        NestedNameSpecifierLoc Q = RD->getQualifierLoc();
        if (Q && !T.SM->isBeforeInTranslationUnit(Loc, Q.getBeginLoc()) &&
            T.SM->isBeforeInTranslationUnit(Loc, RD->getLocation()))
          return;
      }
  Id From = G.sourceNode(U, Container);
  Id To = G.idOf(D).first;
  G.addEdge(U, EK, From, To, Loc, Virtual, Access::None, false, Candidate);
  G.noteTarget(U, D);
  if (InInstantiation &&
      (EK == EdgeKind::Calls || EK == EdgeKind::References)) {
    auto [Line, Col] = T.lineCol(Loc);
    U.Resolved.insert({EK, From, Line, Col});
  }
}

bool Collector::isCandidate(const Expr *E) {
  if (!E)
    return false;
  if (isa<CXXDependentScopeMemberExpr, DependentScopeDeclRefExpr>(E))
    return true;
  const auto *OE = dyn_cast<OverloadExpr>(E);
  if (!OE)
    return false;
  auto [It, New] = OverloadSets.try_emplace(E, false);
  if (New) {
    // Count entities, not declarations: a using-declaration and the
    // function it names, or two redeclarations, are one candidate.
    llvm::SmallPtrSet<const Decl *, 8> Entities;
    for (const NamedDecl *D : OE->decls())
      if (const NamedDecl *En = asEntity(D->getUnderlyingDecl()))
        Entities.insert(En->getCanonicalDecl());
    It->second = Entities.size() > 1;
  }
  return It->second;
}

const llvm::StringMap<std::vector<unsigned>> &
Collector::macroDefinitions(FileID FID) {
  auto [It, New] = MacroDefs.try_emplace(FID);
  if (!New)
    return It->second;
  bool Invalid = false;
  llvm::StringRef Buf = T.SM->getBufferData(FID, &Invalid);
  if (Invalid)
    return It->second;
  // Every `#define NAME` of the text, in order, even in skipped #if blocks:
  // the ordinal depends on the file alone, not on the TU's macros.
  Lexer L(T.SM->getLocForStartOfFile(FID), *T.LO, Buf.begin(), Buf.begin(),
          Buf.end());
  Token Tok;
  for (;;) {
    L.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof))
      break;
    if (!Tok.is(tok::hash) || !Tok.isAtStartOfLine())
      continue;
    L.LexFromRawLexer(Tok);
    if (!Tok.is(tok::raw_identifier) || Tok.getRawIdentifier() != "define")
      continue;
    L.LexFromRawLexer(Tok);
    if (Tok.is(tok::raw_identifier))
      It->second[Tok.getRawIdentifier()].push_back(
          T.SM->getFileOffset(Tok.getLocation()));
  }
  return It->second;
}

std::string Collector::macroKey(const FileState &DefFS, llvm::StringRef Name,
                                SourceLocation DefLoc, const std::string &Usr) {
  SourceLocation L = T.SM->getFileLoc(DefLoc);
  const auto &Defs = macroDefinitions(T.SM->getFileID(L));
  auto It = Defs.find(Name);
  if (It == Defs.end())
    return Usr;
  unsigned Offset = T.SM->getFileOffset(L);
  auto Pos = std::lower_bound(It->second.begin(), It->second.end(), Offset);
  if (Pos == It->second.end() || *Pos != Offset)
    return Usr;
  return "macro:" + DefFS.Path + "@" + Name.str() + "#" +
         std::to_string(Pos - It->second.begin());
}

bool Collector::handleMacroOccurrence(const IdentifierInfo *Name,
                                      const MacroInfo *MI,
                                      index::SymbolRoleSet Roles,
                                      SourceLocation Loc) {
  using index::SymbolRole;
  if (!MI || MI->isBuiltinMacro() || Loc.isInvalid())
    return true;
  FileState *FS = T.fileStateFor(Loc);
  if (!FS || !FS->Owned)
    return true;
  SourceLocation DefLoc = MI->getDefinitionLoc();
  FileState *DefFS = T.fileStateFor(DefLoc);
  if (!DefFS)
    return true; // defined on the command line or built in
  llvm::SmallString<128> Buf;
  if (index::generateUSRForMacro(Name->getName(), DefLoc, *T.SM, Buf))
    return true;
  std::string Usr = rerootUsr(Buf.str(), DefFS->Abs, DefFS->Path);
  Id I = T.Ctx.Usrs.idFor(macroKey(*DefFS, Name->getName(), DefLoc, Usr));
  UnitBuilder &U = T.unit(*FS);

  auto MakeFact = [&](bool External) -> EntityFact & {
    auto [F, Created] = G.entity(U, I);
    if (!Created)
      return F;
    F.Usr = Usr;
    F.Kind = EntityKind::Macro;
    F.Name = Name->getName().str();
    F.QualifiedName = F.Name;
    std::string Sig = "#define " + F.Name;
    if (MI->isFunctionLike()) {
      Sig += "(";
      bool First = true;
      for (const IdentifierInfo *P : MI->params()) {
        if (!First)
          Sig += ", ";
        First = false;
        Sig += P->getName() == "__VA_ARGS__" ? "..." : P->getName().str();
      }
      Sig += ")";
    }
    F.Signature = Sig;
    F.Lang = T.Lang;
    F.External = External;
    F.File = DefFS->Path;
    if (External) {
      auto [L, C] = T.lineCol(DefLoc);
      F.ExternalLocation = Extent{L, C, L, C};
    }
    return F;
  };

  if (Roles & static_cast<unsigned>(SymbolRole::Definition)) {
    EntityFact &F = MakeFact(false);
    auto [L, C] = T.lineCol(DefLoc);
    SourceLocation End =
        Lexer::getLocForEndOfToken(MI->getDefinitionEndLoc(), 0, *T.SM, *T.LO);
    auto [EL, EC] = T.lineCol(End);
    Extent X{L, C, EL, EC > 1 ? EC - 1 : EC};
    if (EL < L)
      X = Extent{L, C, L, C};
    DeclFact DF{X, true};
    if (std::find(F.Decls.begin(), F.Decls.end(), DF) == F.Decls.end())
      F.Decls.push_back(DF);
    bool Invalid = false;
    llvm::StringRef Text = T.SM->getBufferData(U.FID, &Invalid);
    unsigned B = T.SM->getFileOffset(T.SM->getFileLoc(DefLoc));
    unsigned E = T.SM->getFileOffset(End);
    if (!Invalid && B <= E && E <= Text.size())
      F.BodyHash =
          definitionHash(Text.substr(B, E - B), Name->getName(), *T.LO);
    G.addEdge(U, EdgeKind::Contains, U.Facts.Key.File, I, DefLoc);
    return true;
  }
  if (Roles & static_cast<unsigned>(SymbolRole::Reference)) {
    if (DefFS->External)
      MakeFact(true);
    auto [L, C] = T.lineCol(Loc);
    U.Expansions.push_back({L, C, I});
  }
  return true;
}

} // namespace codeindex
