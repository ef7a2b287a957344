//===- DeclClassificationTest.cpp - Decl -> kind, flags, names, signature -===//
//
// Real Clang ASTs built from in-memory code (tooling::buildASTFromCode),
// then the classification functions on the declarations found by name.
// Each test also checks what must NOT come out (non-entities, flags that
// are implicit but not written).
//
//===----------------------------------------------------------------------===//

#include "extractor/DeclClassification.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

class DeclClassificationTest : public ::testing::Test {
protected:
  /// Parses Code (in memory) as input.cpp, or input.c for C.
  void build(llvm::StringRef Code, bool C = false) {
    std::vector<std::string> Args = {C ? "-std=c11" : "-std=c++20"};
    if (C)
      Args.insert(Args.begin(), {"-x", "c"});
    AST = tooling::buildASTFromCodeWithArgs(Code, Args,
                                            C ? "input.c" : "input.cpp");
    ASSERT_NE(AST, nullptr);
    ASSERT_FALSE(AST->getDiagnostics().hasErrorOccurred());
  }

  /// The first declaration of type T whose qualified name is Name.
  template <typename T> const T *find(llvm::StringRef Name) {
    auto Matches = match(namedDecl(hasName(Name)).bind("d"), context());
    for (const BoundNodes &N : Matches)
      if (const auto *D = N.getNodeAs<T>("d"))
        return D;
    ADD_FAILURE() << "no declaration named " << Name.str();
    return nullptr;
  }
  const NamedDecl *named(llvm::StringRef Name) { return find<NamedDecl>(Name); }

  ASTContext &context() { return AST->getASTContext(); }

  std::string signature(const NamedDecl *D) {
    return signatureOf(D, qualifiedNameOf(D));
  }

  std::unique_ptr<ASTUnit> AST;
};

TEST_F(DeclClassificationTest, EntityKinds) {
  build(R"cpp(
    namespace ns {
    class C { public: C(); ~C(); operator int() const; int m(); static int s();
              int field; };
    struct S {};
    union U { int a; };
    enum E { First };
    int f(int param) { int local = param; return local; }
    int C::m() { return 0; }
    int var;
    using Alias = int;
    template <typename T> concept Small = sizeof(T) < 4;
    bool operator==(const S &, const S &);
    }
  )cpp");
  auto Kind = [&](llvm::StringRef Name) { return entityKind(named(Name)); };
  EXPECT_EQ(Kind("ns"), EntityKind::Namespace);
  EXPECT_EQ(Kind("ns::C"), EntityKind::Class);
  EXPECT_EQ(Kind("ns::S"), EntityKind::Struct);
  EXPECT_EQ(Kind("ns::U"), EntityKind::Union);
  EXPECT_EQ(Kind("ns::E"), EntityKind::Enum);
  EXPECT_EQ(Kind("ns::First"), EntityKind::Enumerator);
  EXPECT_EQ(Kind("ns::f"), EntityKind::Function);
  EXPECT_EQ(Kind("ns::C::m"), EntityKind::Method);
  EXPECT_EQ(Kind("ns::C::s"), EntityKind::Method);
  EXPECT_EQ(entityKind(find<CXXConstructorDecl>("ns::C::C")),
            EntityKind::Constructor);
  EXPECT_EQ(Kind("ns::C::~C"), EntityKind::Destructor);
  EXPECT_EQ(entityKind(find<CXXConversionDecl>("ns::C::operator int")),
            EntityKind::ConversionFunction);
  EXPECT_EQ(Kind("ns::operator=="), EntityKind::Operator);
  EXPECT_EQ(Kind("ns::C::field"), EntityKind::Field);
  EXPECT_EQ(Kind("ns::var"), EntityKind::Variable);
  EXPECT_EQ(Kind("ns::Alias"), EntityKind::TypeAlias);
  EXPECT_EQ(Kind("ns::Small"), EntityKind::Concept);
  // Not entities: parameters, locals, template parameters, the injected
  // class name.
  EXPECT_EQ(Kind("param"), std::nullopt);
  EXPECT_EQ(Kind("local"), std::nullopt);
  EXPECT_EQ(Kind("T"), std::nullopt);
  const auto *C = find<CXXRecordDecl>("ns::C");
  ASSERT_NE(C, nullptr);
  for (const Decl *M : C->decls()) {
    if (const auto *R = dyn_cast<CXXRecordDecl>(M)) {
      EXPECT_EQ(entityKind(R), std::nullopt) << "injected class name";
    }
  }
}

TEST_F(DeclClassificationTest, LambdasAndTheirCallsBelongToTheFunction) {
  build(R"cpp(
    int g();
    int f() { auto L = [] { return g(); }; return L(); }
  )cpp");
  const auto *Lambda = selectFirst<CXXRecordDecl>(
      "l", match(cxxRecordDecl(isLambda()).bind("l"), context()));
  ASSERT_NE(Lambda, nullptr);
  EXPECT_EQ(entityKind(Lambda), std::nullopt);
  EXPECT_EQ(asEntity(Lambda), nullptr);
  const CXXMethodDecl *Call = Lambda->getLambdaCallOperator();
  EXPECT_EQ(containerEntity(Call), named("f"));
}

TEST_F(DeclClassificationTest, InstantiationsFoldIntoTheirTemplate) {
  build(R"cpp(
    template <typename T> struct Box { T get() const { return T(); } };
    template <typename T> T id(T x) { return x; }
    int use() { Box<int> B; return B.get() + id(1); }
  )cpp");
  const auto *Pattern = find<CXXRecordDecl>("Box");
  ASSERT_NE(Pattern, nullptr);
  const auto *Spec = selectFirst<ClassTemplateSpecializationDecl>(
      "s", match(classTemplateSpecializationDecl().bind("s"), context()));
  ASSERT_NE(Spec, nullptr);
  EXPECT_EQ(asEntity(Spec), Pattern->getDescribedClassTemplate()
                                ? Pattern
                                : Pattern->getCanonicalDecl());
  const auto *IdTemplate = find<FunctionTemplateDecl>("id");
  ASSERT_NE(IdTemplate, nullptr);
  EXPECT_EQ(asEntity(IdTemplate), IdTemplate->getTemplatedDecl());
  ASSERT_FALSE(IdTemplate->specializations().empty());
  const FunctionDecl *IdInt = *IdTemplate->specializations().begin();
  EXPECT_EQ(fromInstantiation(IdInt), IdTemplate->getTemplatedDecl());
  EXPECT_EQ(asEntity(IdInt), IdTemplate->getTemplatedDecl());
  EXPECT_TRUE(flagsOf(IdTemplate->getTemplatedDecl()) & flag::Template);
}

TEST_F(DeclClassificationTest, FlagsAsWritten) {
  build(R"cpp(
    struct Base { virtual void run() const noexcept = 0; virtual ~Base(); };
    struct Derived final : Base {
      void run() const noexcept override;
      ~Derived();
      static constexpr int limit() { return 1; }
      Derived &operator=(const Derived &) = delete;
      Derived() = default;
    };
    inline int helper() { return 0; }
    extern "C" int c_api();
  )cpp");
  uint32_t BaseRun = flagsOf(named("Base::run"));
  EXPECT_TRUE(BaseRun & flag::Virtual);
  EXPECT_TRUE(BaseRun & flag::PureVirtual);
  EXPECT_TRUE(BaseRun & flag::Const);
  EXPECT_TRUE(BaseRun & flag::Noexcept);
  EXPECT_FALSE(BaseRun & flag::Override);
  uint32_t Run = flagsOf(named("Derived::run"));
  EXPECT_TRUE(Run & flag::Override);
  EXPECT_TRUE(Run & flag::Virtual) << "an override is virtual";
  EXPECT_FALSE(Run & flag::PureVirtual);
  EXPECT_TRUE(flagsOf(named("Derived")) & flag::Final);
  // Destructors are implicitly noexcept: not flagged, not printed.
  const auto *Dtor = find<FunctionDecl>("Derived::~Derived");
  ASSERT_NE(Dtor, nullptr);
  EXPECT_FALSE(isNoexceptAsWritten(Dtor));
  EXPECT_FALSE(flagsOf(Dtor) & flag::Noexcept);
  EXPECT_THAT(signature(Dtor),
              ::testing::Not(::testing::HasSubstr("noexcept")));
  uint32_t Limit = flagsOf(named("Derived::limit"));
  EXPECT_TRUE(Limit & flag::Static);
  EXPECT_TRUE(Limit & flag::Constexpr);
  EXPECT_TRUE(flagsOf(named("Derived::operator=")) & flag::Deleted);
  EXPECT_TRUE(flagsOf(find<CXXConstructorDecl>("Derived::Derived")) &
              flag::Defaulted);
  EXPECT_TRUE(flagsOf(named("helper")) & flag::Inline);
  EXPECT_FALSE(flagsOf(named("helper")) & flag::Static);
  EXPECT_TRUE(flagsOf(named("c_api")) & flag::ExternC);
}

TEST_F(DeclClassificationTest, AccessOfMembersAndBases) {
  build(R"cpp(
    class K { int priv; protected: int prot; public: int pub; };
    struct V { int implicitPublic; };
    int free_function();
  )cpp");
  EXPECT_EQ(accessOf(named("K::priv")), Access::Private);
  EXPECT_EQ(accessOf(named("K::prot")), Access::Protected);
  EXPECT_EQ(accessOf(named("K::pub")), Access::Public);
  EXPECT_EQ(accessOf(named("V::implicitPublic")), Access::Public);
  EXPECT_EQ(accessOf(named("free_function")), Access::None);
  EXPECT_EQ(toAccess(AS_public), Access::Public);
  EXPECT_EQ(toAccess(AS_protected), Access::Protected);
  EXPECT_EQ(toAccess(AS_private), Access::Private);
  EXPECT_EQ(toAccess(AS_none), Access::None);
}

TEST_F(DeclClassificationTest, CMembersHaveNoAccess) {
  build("struct P { int x; };\nint f(void);\n", /*C=*/true);
  EXPECT_EQ(accessOf(named("x")), Access::None);
  EXPECT_EQ(signature(named("f")), "int f(void)");
}

TEST_F(DeclClassificationTest, Signatures) {
  build(R"cpp(
    namespace ns {
    struct S { int m(int, const char *) const noexcept; };
    template <typename T> class Box {};
    template <typename T> class Box<T *> {};
    enum class Color : unsigned char { Red = 3 };
    typedef int Buffer[16];
    using Callback = void (*)(int);
    int table[4];
    int (*fp)(int);
    typedef struct { int x; } Point;
    }
  )cpp");
  EXPECT_EQ(signature(named("ns::S::m")),
            "int ns::S::m(int, const char *) const noexcept");
  EXPECT_EQ(signature(find<CXXRecordDecl>("ns::Box")),
            "template <typename T> class ns::Box");
  EXPECT_EQ(signature(named("ns::Color")),
            "enum class ns::Color : unsigned char");
  EXPECT_EQ(signature(named("ns::Color::Red")), "ns::Color::Red = 3");
  EXPECT_EQ(signature(named("ns::Buffer")), "typedef int ns::Buffer[16]");
  EXPECT_EQ(signature(named("ns::Callback")),
            "using ns::Callback = void (*)(int)");
  EXPECT_EQ(signature(named("ns::table")), "int ns::table[4]");
  EXPECT_EQ(signature(named("ns::fp")), "int (*ns::fp)(int)");
  const auto *Partial = selectFirst<ClassTemplatePartialSpecializationDecl>(
      "p",
      match(classTemplatePartialSpecializationDecl().bind("p"), context()));
  ASSERT_NE(Partial, nullptr);
  EXPECT_EQ(qualifiedNameOf(Partial), "ns::Box<T *>");
  // An anonymous struct named by a typedef takes the typedef's name.
  const auto *Point = find<TypedefNameDecl>("ns::Point");
  ASSERT_NE(Point, nullptr);
  const TagDecl *Anon = Point->getUnderlyingType()->getAsTagDecl();
  ASSERT_NE(Anon, nullptr);
  EXPECT_EQ(nameOf(Anon), "Point");
}

TEST_F(DeclClassificationTest, ParentsAndFactories) {
  build(R"cpp(
    namespace std {
    template <typename T, typename... A> T *make_unique(A &&...);
    template <typename T> T *make_thing();
    }
    namespace outer { namespace { struct Hidden { void m(); }; } }
  )cpp");
  EXPECT_TRUE(isFactory(find<FunctionDecl>("std::make_unique")));
  EXPECT_FALSE(isFactory(find<FunctionDecl>("std::make_thing")));
  const NamedDecl *M = named("outer::(anonymous namespace)::Hidden::m");
  ASSERT_NE(M, nullptr);
  const NamedDecl *Hidden = parentEntity(M);
  ASSERT_NE(Hidden, nullptr);
  EXPECT_EQ(Hidden->getName(), "Hidden");
  const NamedDecl *Anon = parentEntity(Hidden);
  ASSERT_NE(Anon, nullptr);
  EXPECT_EQ(nameOf(Anon), "(anonymous namespace)");
  EXPECT_EQ(qualifiedNameOf(Anon), "outer::(anonymous namespace)");
  EXPECT_EQ(parentEntity(parentEntity(Anon)), nullptr) << "top level";
}

} // namespace
} // namespace codeindex
