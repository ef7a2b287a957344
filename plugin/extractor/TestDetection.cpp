//===- TestDetection.cpp - Recognising test cases and test files ---------===//

#include "extractor/TestDetection.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace codeindex {

std::vector<std::string> testReasonsForPath(llvm::StringRef Path) {
  std::vector<std::string> Reasons;
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  Path.split(Parts, '/', -1, /*KeepEmpty=*/false);
  if (Parts.empty())
    return Reasons;
  for (size_t I = 0; I + 1 < Parts.size(); ++I) {
    std::string Dir = Parts[I].lower();
    if (Dir == "test" || Dir == "tests" || Dir == "testing" ||
        Dir == "unittest" || Dir == "unittests" || Dir == "testsuite") {
      Reasons.push_back("path: in a '" + Parts[I].str() + "/' directory");
      break;
    }
  }
  llvm::StringRef File = Parts.back();
  llvm::StringRef Stem = File.rsplit('.').first;
  std::string Lower = Stem.lower();
  llvm::StringRef L(Lower);
  if (L.ends_with("_test") || L.ends_with("_tests") || L.ends_with("-test") ||
      L.ends_with("_unittest") || L.ends_with("_unittests") ||
      L.ends_with("_spec"))
    Reasons.push_back("name: '" + File.str() + "' ends like a test");
  else if (L.starts_with("test_") || L.starts_with("test-") ||
           L.starts_with("tests_"))
    Reasons.push_back("name: '" + File.str() + "' starts like a test");
  else if (Stem.size() > 4 &&
           (Stem.ends_with("Test") || Stem.ends_with("Tests")))
    Reasons.push_back("name: '" + File.str() + "' ends like a test");
  return Reasons;
}

namespace {

using namespace clang;

/// Whether D is named Name inside the namespaces Outer (outermost first),
/// possibly within classes: `testing::internal::...::AddTestPattern`.
bool isNamed(const NamedDecl *D, llvm::StringRef Name,
             std::initializer_list<llvm::StringRef> Outer) {
  if (!D || !D->getIdentifier() || D->getName() != Name)
    return false;
  llvm::SmallVector<llvm::StringRef, 4> Namespaces;
  for (const DeclContext *C = D->getDeclContext(); C; C = C->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(C))
      Namespaces.push_back(NS->getName());
  if (Namespaces.size() != Outer.size())
    return false;
  size_t I = Namespaces.size();
  for (llvm::StringRef O : Outer)
    if (Namespaces[--I] != O)
      return false;
  return true;
}

/// The string literal an argument is made of: directly, or through the
/// implicit conversions and the string classes (Catch::StringRef,
/// boost::unit_test::const_string) and braces (Catch::NameAndTags{...})
/// the frameworks wrap it in.
const StringLiteral *stringIn(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreImplicit()->IgnoreParenImpCasts();
    if (const auto *S = dyn_cast<StringLiteral>(E))
      return S;
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(E))
      E = C->getNumArgs() ? C->getArg(0) : nullptr;
    else if (const auto *L = dyn_cast<InitListExpr>(E))
      E = L->getNumInits() ? L->getInit(0) : nullptr;
    else
      return nullptr;
  }
  return nullptr;
}

std::string stringArg(const Expr *E) {
  const StringLiteral *S = stringIn(E);
  return S && S->isOrdinary() ? S->getString().str() : std::string();
}

/// The function an argument names (`&f`, `f`, `&S::test`), looking through
/// one call that wraps it (Catch::makeTestInvoker(&f)).
const FunctionDecl *functionIn(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreImplicit()->IgnoreParenImpCasts();
    if (const auto *R = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<FunctionDecl>(R->getDecl());
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr();
    else if (const auto *C = dyn_cast<CallExpr>(E))
      E = C->getNumArgs() ? C->getArg(0) : nullptr;
    else if (const auto *C = dyn_cast<CXXConstructExpr>(E))
      E = C->getNumArgs() ? C->getArg(0) : nullptr;
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else
      return nullptr;
  }
  return nullptr;
}

/// Visits the expressions of one macro-written declaration for the
/// registration calls of the frameworks.
class RegistrationVisitor : public RecursiveASTVisitor<RegistrationVisitor> {
public:
  RegistrationVisitor(TestCaseFinder &F, SourceLocation Expansion,
                      llvm::DenseSet<const NamespaceDecl *> &BoostSuites)
      : F(F), Expansion(Expansion), BoostSuites(BoostSuites) {}

  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return true;
    llvm::StringRef N = Callee->getName();
    unsigned Args = C->getNumArgs();
    auto Str = [&](unsigned I) {
      return I < Args ? stringArg(C->getArg(I)) : std::string();
    };
    if (N == "MakeAndRegisterTestInfo" &&
        isNamed(Callee, N, {"testing", "internal"})) {
      // TEST, TEST_F: "Suite", "Name". (TYPED_TEST's own calls are inside
      // gtest's headers, not in a macro expansion of the project.)
      gtest(Str(0), Str(1), "", ".", "");
    } else if (N == "AddTestPattern" && Args >= 2 &&
               isNamed(Callee, N, {"testing", "internal"})) {
      // TEST_P: instances are Prefix/Suite.Name/Index.
      gtest(Str(0), Str(1), "*/", ".", "/*");
    } else if (N == "Register" && Args >= 4 &&
               isNamed(Callee, N, {"testing", "internal"}) &&
               isNamed(dyn_cast<NamedDecl>(Callee->getDeclContext()),
                       "TypeParameterizedTest", {"testing", "internal"})) {
      // TYPED_TEST: Suite/Index.Name.
      gtest(Str(2), Str(3), "", "/*.", "");
    } else if (N == "AddTestName" && Args >= 4 &&
               isNamed(Callee, N, {"testing", "internal"})) {
      // TYPED_TEST_P: Prefix/Suite/Index.Name.
      gtest(Str(2), Str(3), "*/", "/*.", "");
    } else if (N == "regTest" && Args == 1 &&
               isNamed(Callee, N, {"doctest", "detail"})) {
      doctest(C->getArg(0));
    } else if (N == "make_test_case" && Args >= 2 &&
               isNamed(Callee, N, {"boost", "unit_test"})) {
      std::string Name = Str(1);
      if (!Name.empty())
        F.addRegistration(Expansion, std::move(Name), "boost.test", nullptr);
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    const CXXRecordDecl *R = C->getConstructor()->getParent();
    if (isNamed(R, "AutoReg", {"Catch"}) && C->getNumArgs() == 4) {
      // Catch::AutoReg(makeTestInvoker(&Fn), LINEINFO, ClassName,
      //                NameAndTags{"name", "[tags]"}). A test case without
      // a name gets a generated one ("Anonymous test case N") that no
      // source spells: left out.
      std::string Name = stringArg(C->getArg(3));
      if (const FunctionDecl *Fn = functionIn(C->getArg(0));
          Fn && !Name.empty())
        F.addRegistration(Expansion, std::move(Name), "catch2", Fn);
    } else if (isNamed(R, "auto_test_unit_registrar",
                       {"boost", "unit_test", "ut_detail"}) &&
               C->getNumArgs() >= 3 && stringIn(C->getArg(0))) {
      // BOOST_AUTO_TEST_SUITE(s) opens `namespace s` and registers the
      // suite there by name: the cases inside run as s/case.
      if (const auto *NS = dyn_cast<NamespaceDecl>(CurrentContext))
        BoostSuites.insert(NS->getCanonicalDecl());
    }
    return true;
  }

  const DeclContext *CurrentContext = nullptr;

private:
  void gtest(const std::string &Suite, const std::string &Name,
             llvm::StringRef Before, llvm::StringRef Between,
             llvm::StringRef After) {
    if (Suite.empty() || Name.empty())
      return;
    F.addRegistration(Expansion,
                      (Before + Suite + Between + Name + After).str(), "gtest",
                      nullptr);
  }

  /// regTest(TestCase(f, __FILE__, __LINE__, suite) * "name" * decorators):
  /// the name is the string operand of the first `*`.
  void doctest(const Expr *E) {
    const FunctionDecl *Fn = nullptr;
    std::string Name;
    for (int Depth = 0; E && Depth < 16; ++Depth) {
      E = E->IgnoreImplicit()->IgnoreParenImpCasts();
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
          Op && Op->getOperator() == OO_Star && Op->getNumArgs() == 2) {
        if (std::string S = stringArg(Op->getArg(1)); !S.empty())
          Name = S;
        E = Op->getArg(0);
      } else if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
        if (isNamed(C->getConstructor()->getParent(), "TestCase",
                    {"doctest", "detail"}) &&
            C->getNumArgs())
          Fn = functionIn(C->getArg(0));
        break;
      } else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
        E = M->getSubExpr();
      } else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
        E = B->getSubExpr();
      } else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E)) {
        E = F->getSubExpr();
      } else {
        break;
      }
    }
    if (Fn && !Name.empty())
      F.addRegistration(Expansion, std::move(Name), "doctest", Fn);
  }

  TestCaseFinder &F;
  SourceLocation Expansion;
  llvm::DenseSet<const NamespaceDecl *> &BoostSuites;
};

bool isBodyName(const FunctionDecl *FD) {
  return FD->getIdentifier() &&
         (FD->getName() == "TestBody" || FD->getName() == "test_method");
}

} // namespace

void TestCaseFinder::add(const Decl *D) {
  if (const auto *NS = dyn_cast<NamespaceDecl>(D)) {
    for (const Decl *C : NS->decls())
      add(C);
    return;
  }
  if (const auto *LS = dyn_cast<LinkageSpecDecl>(D)) {
    for (const Decl *C : LS->decls())
      add(C);
    return;
  }
  SourceLocation L = D->getLocation();
  if (L.isInvalid() || !L.isMacroID())
    return;
  SourceLocation Expansion = SM.getExpansionLoc(L);
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (isBodyName(FD) && isa<CXXMethodDecl>(FD)) {
      // The test's own code: nothing to register in it.
      if (FD->doesThisDeclarationHaveABody())
        Bodies[Expansion] = FD;
      return;
    }
  }
  RegistrationVisitor V(*this, Expansion, BoostSuites);
  V.CurrentContext = D->getDeclContext();
  V.TraverseDecl(const_cast<Decl *>(D));
}

void TestCaseFinder::addRegistration(SourceLocation Expansion, std::string Name,
                                     llvm::StringRef Framework,
                                     const FunctionDecl *Fn) {
  Registrations.push_back({Expansion, std::move(Name), Framework.str(), Fn});
}

std::vector<TestCase> TestCaseFinder::testCases() const {
  std::vector<TestCase> Out;
  llvm::DenseSet<const Decl *> Seen;
  for (const Registration &R : Registrations) {
    const FunctionDecl *Fn = R.Fn;
    if (!Fn) {
      auto It = Bodies.find(R.Expansion);
      if (It == Bodies.end())
        continue;
      Fn = It->second;
    }
    if (!Seen.insert(Fn->getCanonicalDecl()).second)
      continue;
    std::string Name = R.Name;
    if (R.Framework == "boost.test")
      for (const DeclContext *C = Fn->getDeclContext(); C; C = C->getParent())
        if (const auto *NS = dyn_cast<NamespaceDecl>(C);
            NS && BoostSuites.count(NS->getCanonicalDecl()))
          Name = NS->getName().str() + "/" + Name;
    Out.push_back({Fn, std::move(Name), R.Framework});
  }
  return Out;
}

} // namespace codeindex
