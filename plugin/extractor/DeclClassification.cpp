//===- DeclClassification.cpp - What a declaration is in the graph --------===//

#include "extractor/DeclClassification.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/PrettyPrinter.h"
#include "clang/AST/TemplateBase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace codeindex {

using namespace clang;

namespace {

bool isFunctionLocal(const Decl *D) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isFunctionOrMethod())
      return true;
  return false;
}

std::string templatePrefix(const NamedDecl *D, const PrintingPolicy &PP) {
  const TemplateParameterList *TPL = nullptr;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const auto *T = FD->getDescribedFunctionTemplate())
      TPL = T->getTemplateParameters();
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const auto *T = RD->getDescribedClassTemplate())
      TPL = T->getTemplateParameters();
    else if (const auto *P =
                 dyn_cast<ClassTemplatePartialSpecializationDecl>(RD))
      TPL = P->getTemplateParameters();
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (const auto *T = VD->getDescribedVarTemplate())
      TPL = T->getTemplateParameters();
  } else if (const auto *TA = dyn_cast<TypeAliasDecl>(D)) {
    if (const auto *T = TA->getDescribedAliasTemplate())
      TPL = T->getTemplateParameters();
  } else if (const auto *C = dyn_cast<ConceptDecl>(D)) {
    TPL = C->getTemplateParameters();
  }
  if (!TPL)
    return "";
  std::string S;
  llvm::raw_string_ostream OS(S);
  TPL->print(OS, D->getASTContext(), PP);
  OS.flush();
  while (!S.empty() && S.back() == ' ')
    S.pop_back();
  return S + " ";
}

/// The policy names and signatures are printed with: types as written, with
/// the template parameters' names, never Clang's canonical spelling
/// (`type-parameter-0-0`), which readers cannot map back to the source.
PrintingPolicy namePolicy(const NamedDecl *D) {
  PrintingPolicy PP = D->getASTContext().getPrintingPolicy();
  PP.PrintCanonicalTypes = false;
  // A constructor's name is its class's name (`Box`), not the injected
  // specialization (`Box<type-parameter-0-0>`).
  PP.SuppressTemplateArgsInCXXConstructors = true;
  // Inside a class template, the class's own name (the injected class
  // name) is written bare: `Box &operator=(const Box &)`. Its arguments are
  // the canonical ones in a partial specialization (`It<type-parameter-0-0,
  // true_type>`) and after a forward declaration with unnamed parameters:
  // print it as written.
  PP.PrintInjectedClassNameWithArguments = false;
  return PP;
}

} // namespace

Access toAccess(AccessSpecifier A) {
  switch (A) {
  case AS_public:
    return Access::Public;
  case AS_protected:
    return Access::Protected;
  case AS_private:
    return Access::Private;
  case AS_none:
    return Access::None;
  }
  return Access::None;
}

bool isNoexceptAsWritten(const FunctionDecl *FD) {
  const auto *FPT = FD->getType()->getAs<FunctionProtoType>();
  return FPT && FD->getExceptionSpecSourceRange().isValid() &&
         (FPT->getExceptionSpecType() == EST_BasicNoexcept ||
          FPT->getExceptionSpecType() == EST_NoexceptTrue);
}

/// Unwraps templates to the declaration they describe.
const Decl *unwrapTemplate(const Decl *D) {
  if (const auto *T = dyn_cast<TemplateDecl>(D))
    if (!isa<ConceptDecl>(D) && T->getTemplatedDecl())
      return T->getTemplatedDecl();
  return D;
}

/// Implicit template instantiations are not entities: map them to the
/// template they come from (the same mapping Clang's index applies to
/// references).
const Decl *fromInstantiation(const Decl *D) {
  // A member template of an implicit instantiation (`Formatter<int>::format`,
  // named by a call with dependent arguments) is no declaration of the
  // project: it is the member template of the class template it was
  // instantiated from. A member specialization (`template <> template <class
  // U> void A<int>::f(U)`) is declared as such, and stays.
  if (const auto *RT =
          dyn_cast_or_null<RedeclarableTemplateDecl>(D->getDescribedTemplate());
      RT && RT->getInstantiatedFromMemberTemplate()) {
    const RedeclarableTemplateDecl *P = RT;
    while (!P->isMemberSpecialization())
      if (const RedeclarableTemplateDecl *N =
              P->getInstantiatedFromMemberTemplate())
        P = N;
      else
        break;
    return P->getTemplatedDecl();
  }
  if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    if (!CTS->isExplicitSpecialization() &&
        CTS->getSpecializationKind() == TSK_ImplicitInstantiation) {
      auto From = CTS->getSpecializedTemplateOrPartial();
      if (auto *CT = From.dyn_cast<ClassTemplateDecl *>())
        return CT->getTemplatedDecl();
      if (auto *P = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
        return P;
    }
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const CXXRecordDecl *P = RD->getInstantiatedFromMemberClass())
      return P;
  } else if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->getTemplateSpecializationKind() == TSK_ImplicitInstantiation) {
      if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
        return P;
      if (const FunctionTemplateDecl *T = FD->getPrimaryTemplate())
        return T->getTemplatedDecl();
      if (const FunctionDecl *M = FD->getInstantiatedFromMemberFunction())
        return M;
    }
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->getTemplateSpecializationKind() == TSK_ImplicitInstantiation)
      if (const VarDecl *P = VD->getInstantiatedFromStaticDataMember())
        return P;
  }
  return D;
}

/// The entity kind of D, or nullopt if D is not an entity (locals,
/// parameters, lambdas, implicit declarations, ...).
std::optional<EntityKind> entityKind(const Decl *D) {
  if (D->isImplicit() && !isa<NamespaceDecl>(D))
    return std::nullopt;
  if (isa<ParmVarDecl>(D) || isa<TemplateTypeParmDecl>(D) ||
      isa<NonTypeTemplateParmDecl>(D) || isa<TemplateTemplateParmDecl>(D))
    return std::nullopt;
  if (isFunctionLocal(D))
    return std::nullopt;
  if (const auto *N = dyn_cast<NamespaceDecl>(D))
    return N->isAnonymousNamespace() || !N->getName().empty()
               ? std::optional(EntityKind::Namespace)
               : std::nullopt;
  if (const auto *R = dyn_cast<RecordDecl>(D)) {
    if (const auto *C = dyn_cast<CXXRecordDecl>(R))
      if (C->isLambda() || C->isInjectedClassName())
        return std::nullopt;
    switch (R->getTagKind()) {
    case TagTypeKind::Class:
      return EntityKind::Class;
    case TagTypeKind::Union:
      return EntityKind::Union;
    default:
      return EntityKind::Struct;
    }
  }
  if (isa<EnumDecl>(D))
    return EntityKind::Enum;
  if (isa<EnumConstantDecl>(D))
    return EntityKind::Enumerator;
  if (isa<CXXDeductionGuideDecl>(D))
    return std::nullopt;
  if (isa<CXXConstructorDecl>(D))
    return EntityKind::Constructor;
  if (isa<CXXDestructorDecl>(D))
    return EntityKind::Destructor;
  if (isa<CXXConversionDecl>(D))
    return EntityKind::ConversionFunction;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->isOverloadedOperator())
      return EntityKind::Operator;
    return isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic()
               ? EntityKind::Method
           : isa<CXXMethodDecl>(FD) ? EntityKind::Method
                                    : EntityKind::Function;
  }
  if (isa<FieldDecl>(D))
    return EntityKind::Field;
  if (isa<VarDecl>(D))
    return EntityKind::Variable;
  if (isa<TypedefNameDecl>(D))
    return EntityKind::TypeAlias;
  if (isa<ConceptDecl>(D))
    return EntityKind::Concept;
  return std::nullopt;
}

/// The declaration standing for the entity D belongs to, or null.
const NamedDecl *asEntity(const Decl *D) {
  if (!D)
    return nullptr;
  D = unwrapTemplate(D);
  D = fromInstantiation(D);
  if (!entityKind(D))
    return nullptr;
  return dyn_cast<NamedDecl>(D);
}

/// The entity that contains a reference made inside D: D itself, or the
/// nearest enclosing entity (a lambda's calls belong to its function).
const NamedDecl *containerEntity(const Decl *D) {
  while (D) {
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->isLambda())
      if (Decl *Ctx = RD->getLambdaContextDecl())
        if (!isa<ParmVarDecl>(Ctx) &&
            !RD->getDeclContext()->isFunctionOrMethod()) {
          D = Ctx;
          continue;
        }
    if (const NamedDecl *E = asEntity(D))
      return E;
    const DeclContext *DC = D->getDeclContext();
    if (!DC || isa<TranslationUnitDecl>(DC))
      return nullptr;
    D = Decl::castFromDeclContext(DC);
  }
  return nullptr;
}

/// The semantic parent entity of an entity, or null at top level.
const NamedDecl *parentEntity(const NamedDecl *D) {
  const DeclContext *DC = D->getDeclContext();
  while (DC && !isa<TranslationUnitDecl>(DC)) {
    const Decl *P = Decl::castFromDeclContext(DC);
    if (const NamedDecl *E = asEntity(P))
      return E;
    DC = DC->getParent();
  }
  return nullptr;
}

uint32_t flagsOf(const NamedDecl *D) {
  uint32_t F = 0;
  if (D->hasAttr<FinalAttr>())
    F |= flag::Final;
  if (D->hasAttr<OverrideAttr>())
    F |= flag::Override;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->getStorageClass() == SC_Static)
      F |= flag::Static;
    if (FD->isInlineSpecified())
      F |= flag::Inline;
    if (FD->isConstexprSpecified())
      F |= flag::Constexpr;
    if (FD->isConsteval())
      F |= flag::Consteval;
    if (FD->isDeleted())
      F |= flag::Deleted;
    if (FD->isExplicitlyDefaulted())
      F |= flag::Defaulted;
    if (FD->isExternC() && D->getASTContext().getLangOpts().CPlusPlus)
      F |= flag::ExternC;
    if (FD->getDescribedFunctionTemplate())
      F |= flag::Template;
    if (FD->isFunctionTemplateSpecialization() ||
        FD->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
      F |= flag::TemplateSpecialization;
    if (isNoexceptAsWritten(FD))
      F |= flag::Noexcept;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      if (MD->isStatic())
        F |= flag::Static;
      if (MD->isVirtual())
        F |= flag::Virtual;
      if (MD->isPureVirtual())
        F |= flag::PureVirtual;
      if (MD->isConst())
        F |= flag::Const;
      if (MD->size_overridden_methods() > 0 && !(F & flag::Override))
        F |= flag::Override;
    }
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->getStorageClass() == SC_Static || VD->isStaticDataMember())
      F |= flag::Static;
    if (VD->isInlineSpecified())
      F |= flag::Inline;
    if (VD->isConstexpr())
      F |= flag::Constexpr;
    if (VD->getType().isConstQualified())
      F |= flag::Const;
    if (VD->isExternC() && D->getASTContext().getLangOpts().CPlusPlus)
      F |= flag::ExternC;
    if (VD->getDescribedVarTemplate())
      F |= flag::Template;
    if (isa<VarTemplateSpecializationDecl>(VD))
      F |= flag::TemplateSpecialization;
  } else if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    if (FD->getType().isConstQualified())
      F |= flag::Const;
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (RD->getDescribedClassTemplate())
      F |= flag::Template;
    if (isa<ClassTemplateSpecializationDecl>(RD))
      F |= flag::TemplateSpecialization;
  } else if (const auto *TD = dyn_cast<TypedefNameDecl>(D)) {
    if (const auto *TA = dyn_cast<TypeAliasDecl>(TD))
      if (TA->getDescribedAliasTemplate())
        F |= flag::Template;
  } else if (const auto *ND = dyn_cast<NamespaceDecl>(D)) {
    if (ND->isInline())
      F |= flag::Inline;
  } else if (isa<ConceptDecl>(D)) {
    F |= flag::Template;
  }
  return F;
}

Access accessOf(const NamedDecl *D) {
  if (!isa<RecordDecl>(D->getDeclContext()) ||
      !D->getASTContext().getLangOpts().CPlusPlus)
    return Access::None;
  return toAccess(D->getAccess());
}

std::string nameOf(const NamedDecl *D) {
  if (const auto *N = dyn_cast<NamespaceDecl>(D);
      N && N->isAnonymousNamespace())
    return "(anonymous namespace)";
  PrintingPolicy PP = namePolicy(D);
  // A conversion function's DeclarationName holds the canonical type;
  // the declared type keeps the parameters' names and the arguments as
  // written (`operator std::basic_string_view<Char, traits_type>`).
  if (const auto *CD = dyn_cast<CXXConversionDecl>(D))
    return "operator " + CD->getConversionType().getAsString(PP);
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  D->getDeclName().print(OS, PP);
  OS.flush();
  if (Name.empty()) {
    if (const auto *T = dyn_cast<TagDecl>(D)) {
      if (const TypedefNameDecl *TD = T->getTypedefNameForAnonDecl())
        return TD->getNameAsString();
      return "(anonymous " + std::string(T->getKindName()) + ")";
    }
    return "(anonymous)";
  }
  return Name;
}

/// The qualified name; partial specializations print their arguments as
/// written (`Box<T *>`), not canonically (`Box<type-parameter-0-0 *>`),
/// and so do the names of their members, however deeply nested.
std::string qualifiedNameOf(const NamedDecl *D) {
  PrintingPolicy PP = namePolicy(D);
  if (const auto *P = dyn_cast<ClassTemplatePartialSpecializationDecl>(D)) {
    std::string S = qualifiedNameOf(P->getSpecializedTemplate());
    llvm::raw_string_ostream OS(S);
    printTemplateArgumentList(OS, P->getTemplateArgsAsWritten()->arguments(),
                              PP);
    return OS.str();
  }
  const DeclContext *DC = D->getDeclContext();
  if (const auto *NS = dyn_cast<NamespaceDecl>(D);
      NS && NS->isAnonymousNamespace()) {
    const auto *Outer = dyn_cast<NamedDecl>(Decl::castFromDeclContext(DC));
    return Outer && !isa<TranslationUnitDecl>(DC)
               ? qualifiedNameOf(Outer) + "::(anonymous namespace)"
               : "(anonymous namespace)";
  }
  // Inside a partial specialization: its name as written, then the classes
  // and scoped enums in between (unscoped enumerators live in the scope
  // around their enum, as Clang prints them).
  std::vector<std::string> Scopes;
  for (const DeclContext *C = DC; isa_and_nonnull<TagDecl>(C);
       C = C->getParent()) {
    if (const auto *P = dyn_cast<ClassTemplatePartialSpecializationDecl>(C)) {
      std::string S = qualifiedNameOf(P);
      for (auto It = Scopes.rbegin(); It != Scopes.rend(); ++It)
        S += "::" + *It;
      return S + "::" + nameOf(D);
    }
    if (const auto *ED = dyn_cast<EnumDecl>(C); ED && !ED->isScoped())
      continue;
    Scopes.push_back(nameOf(cast<NamedDecl>(Decl::castFromDeclContext(C))));
  }
  std::string S;
  llvm::raw_string_ostream OS(S);
  if (!D->getDeclName()) {
    D->printQualifiedName(OS, PP);
    return OS.str();
  }
  // Clang's printQualifiedName would print the last name with the
  // context's policy: the scopes with ours, then our name.
  D->printNestedNameSpecifier(OS, PP);
  OS.flush();
  return S + nameOf(D);
}

std::string signatureOf(const NamedDecl *D, const std::string &QualName) {
  PrintingPolicy PP = namePolicy(D);
  PP.SuppressTagKeyword = true;
  PP.SuppressUnwrittenScope = true;
  PP.TerseOutput = true;
  PP.PolishForDeclaration = true;
  std::string Prefix = templatePrefix(D, PP);
  auto TypeStr = [&](QualType T) { return T.getAsString(PP); };
  // A declarator as written: `int buf[16]`, `int (*fn)(int)`, not
  // `int[16] buf`.
  auto Declarator = [&](QualType T, const std::string &Name) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    T.print(OS, PP, Name);
    return S;
  };
  auto Join = [](const std::string &Type, const std::string &Name) {
    if (!Type.empty() && (Type.back() == '*' || Type.back() == '&'))
      return Type + Name;
    return Type + " " + Name;
  };
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    std::string S = Prefix;
    bool NoReturn = isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD) ||
                    isa<CXXConversionDecl>(FD);
    std::string Params = "(";
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      if (I)
        Params += ", ";
      Params += TypeStr(FD->getParamDecl(I)->getType());
    }
    if (FD->isVariadic())
      Params += FD->getNumParams() ? ", ..." : "...";
    else if (FD->getNumParams() == 0 &&
             !D->getASTContext().getLangOpts().CPlusPlus &&
             FD->hasWrittenPrototype())
      Params += "void";
    Params += ")";
    std::string Head = QualName + Params;
    S += NoReturn ? Head : Join(TypeStr(FD->getReturnType()), Head);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      if (MD->isConst())
        S += " const";
      if (MD->isVolatile())
        S += " volatile";
      if (MD->getRefQualifier() == RQ_LValue)
        S += " &";
      else if (MD->getRefQualifier() == RQ_RValue)
        S += " &&";
    }
    if (isNoexceptAsWritten(FD))
      S += " noexcept";
    if (FD->isPureVirtual())
      S += " = 0";
    else if (FD->isDeleted())
      S += " = delete";
    else if (FD->isExplicitlyDefaulted())
      S += " = default";
    return S;
  }
  if (const auto *VD = dyn_cast<ValueDecl>(D)) {
    if (const auto *EC = dyn_cast<EnumConstantDecl>(D)) {
      // Clang computes no values for the enumerators of an enum inside a
      // template: print the initializer as written, if any.
      if (!EC->getDeclContext()->isDependentContext())
        return QualName + " = " + toString(EC->getInitVal(), 10);
      if (const Expr *Init = EC->getInitExpr()) {
        std::string S = QualName + " = ";
        llvm::raw_string_ostream OS(S);
        Init->printPretty(OS, nullptr, PP);
        return OS.str();
      }
      return QualName;
    }
    return Prefix + Declarator(VD->getType(), QualName);
  }
  if (const auto *TD = dyn_cast<TypedefNameDecl>(D)) {
    if (isa<TypeAliasDecl>(TD))
      return Prefix + "using " + QualName + " = " +
             TypeStr(TD->getUnderlyingType());
    return "typedef " + Declarator(TD->getUnderlyingType(), QualName);
  }
  if (const auto *ED = dyn_cast<EnumDecl>(D)) {
    std::string S =
        ED->isScoped()
            ? (ED->isScopedUsingClassTag() ? "enum class " : "enum struct ")
            : "enum ";
    S += QualName;
    if (ED->getIntegerTypeSourceInfo())
      S += " : " + TypeStr(ED->getIntegerType());
    return S;
  }
  if (const auto *RD = dyn_cast<RecordDecl>(D)) {
    std::string S = Prefix + RD->getKindName().str() + " " + QualName;
    if (isa<ClassTemplatePartialSpecializationDecl>(RD))
      return Prefix + RD->getKindName().str() + " " + QualName;
    if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
      std::string Args;
      llvm::raw_string_ostream OS(Args);
      if (const ASTTemplateArgumentListInfo *W =
              CTS->getTemplateArgsAsWritten())
        printTemplateArgumentList(OS, W->arguments(), PP);
      else
        printTemplateArgumentList(OS, CTS->getTemplateArgs().asArray(), PP);
      S += OS.str();
    }
    return S;
  }
  if (isa<NamespaceDecl>(D))
    return "namespace " + QualName;
  if (isa<ConceptDecl>(D))
    return Prefix + "concept " + QualName;
  return QualName;
}

bool isFactory(const FunctionDecl *FD) {
  if (!FD->getDeclName().isIdentifier() || !FD->isInStdNamespace())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "make_unique" || N == "make_shared" ||
         N == "make_unique_for_overwrite" || N == "allocate_shared";
}

} // namespace codeindex
