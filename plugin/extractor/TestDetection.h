//===- TestDetection.h - Recognising test cases and test files --*- C++ -*-===//
//
// Internal to plugin/extractor. A *test case* is the function whose body is
// one test of a test framework, recognised from the AST of what the
// framework's macros expand to, never from file names:
//
//   GoogleTest  TEST, TEST_F (MakeAndRegisterTestInfo), TEST_P
//               (AddTestPattern), TYPED_TEST (TypeParameterizedTest::
//               Register), TYPED_TEST_P (TypedTestSuitePState::AddTestName);
//               the test case is the generated class's TestBody().
//   Catch2      TEST_CASE, SCENARIO, TEST_CASE_METHOD: the function handed
//               to Catch::makeTestInvoker in a Catch::AutoReg registration.
//   doctest     TEST_CASE (and the fixture forms): the function registered
//               with doctest::detail::regTest.
//   Boost.Test  BOOST_AUTO_TEST_CASE, BOOST_FIXTURE_TEST_CASE: the test
//               struct's test_method(), registered with make_test_case.
//
// Each registration names the test the way its runner selects it (see
// EntityFact::TestName). The registration and the body come out of one
// macro expansion, which is how a body found by its name (TestBody,
// test_method) is paired with its registration.
//
// A *test file* is a file that defines test cases, or whose path looks like
// a test (a `test/` or `tests/` directory, `*_test.cc`, `test_*.cpp`, ...),
// or that matches `extract --test-files GLOB`; with --no-test-heuristics
// only the globs count. Test cases count only in test files.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_TESTDETECTION_H
#define CODEINDEX_PLUGIN_TESTDETECTION_H

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace codeindex {

/// Reasons the (root-relative, '/'-separated) path marks a test file; empty
/// if none.
std::vector<std::string> testReasonsForPath(llvm::StringRef Path);

/// One test case found in a TU.
struct TestCase {
  /// The function whose body is the test (any declaration of it).
  const clang::FunctionDecl *Body = nullptr;
  std::string Name;      ///< as EntityFact::TestName
  std::string Framework; ///< as EntityFact::TestFramework
};

/// Finds the test cases among a TU's top-level declarations.
///
/// Ownership: holds pointers into the TU's AST, valid while it lives.
/// Thread-safety: one finder per TU. Nothing fails: what does not have the
/// exact shape of a framework's expansion is not a test case.
class TestCaseFinder {
public:
  explicit TestCaseFinder(const clang::SourceManager &SM) : SM(SM) {}

  /// Looks at one top-level declaration, and into namespaces and extern
  /// "C++" blocks. Only declarations written by a macro expansion are
  /// inspected, so ordinary code costs one check per declaration.
  void add(const clang::Decl *D);

  /// The test cases found, each body once, in the order registered.
  std::vector<TestCase> testCases() const;

  /// Called by the registration visitor.
  void addRegistration(clang::SourceLocation Expansion, std::string Name,
                       llvm::StringRef Framework,
                       const clang::FunctionDecl *Fn);

private:
  struct Registration {
    clang::SourceLocation Expansion;
    std::string Name;
    std::string Framework;
    const clang::FunctionDecl *Fn; ///< null: the body of the same expansion
  };
  const clang::SourceManager &SM;
  std::vector<Registration> Registrations;
  /// TestBody() and test_method() definitions by their expansion.
  llvm::DenseMap<clang::SourceLocation, const clang::FunctionDecl *> Bodies;
  /// Namespaces opened by BOOST_AUTO_TEST_SUITE (their cases run as
  /// suite/case).
  llvm::DenseSet<const clang::NamespaceDecl *> BoostSuites;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_TESTDETECTION_H
