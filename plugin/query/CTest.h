//===- CTest.h - Test cases to CTest test names -----------------*- C++ -*-===//
//
// Maps the test cases of the graph (entities with is_test and a test_name)
// to the CTest tests of a build directory, so a report can end with one
// line that runs exactly the tests that matter:
//
//   ctest --test-dir build -R '^(Snappy\.MaxBlowup|Snappy\.Simple)$'
//
// The CTest tests come from `ctest --show-only=json-v1` (run with
// llvm::sys::ExecuteAndWait; nothing else is executed). A CTest test runs a
// test case when
//   * its command selects it: gtest_discover_tests' --gtest_filter=NAME
//     (GoogleTest), catch_discover_tests' test-spec argument (Catch2),
//     doctest_discover_tests' --test-case=NAME (doctest), --run_test=PATH
//     (Boost.Test); or
//   * its command selects nothing (a plain add_test of a test executable),
//     and the executable is built from the test case's file, as the CMake
//     file API's codemodel-v2 reply says (targets, their sources and
//     artifacts). Without a reply, a query for one is written into the
//     build directory (the next CMake configure answers it) and an
//     executable named after the file's stem is taken instead; the mapping
//     says so in its notes.
//
// No Clang here: LLVM Support and nlohmann json only.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_CTEST_H
#define CODEINDEX_PLUGIN_QUERY_CTEST_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace codeindex {

/// One CTest test, from `ctest --show-only=json-v1`.
struct CTestTest {
  std::string Name;
  /// argv; Command[0] is the executable (absolute when CTest resolved it).
  std::vector<std::string> Command;
};

/// Parses the output of `ctest --show-only=json-v1` (format "kind":
/// "ctestInfo", version 1). Tests without a command (NOT_AVAILABLE) keep an
/// empty one. Errors: not JSON, or not that document.
llvm::Expected<std::vector<CTestTest>> parseCTestJson(llvm::StringRef Text);

/// Runs `ctest --show-only=json-v1 --test-dir BuildDir` (the ctest found on
/// PATH) and parses its output. Errors: no ctest, ctest failed (its stderr
/// is in the message), unparsable output.
llvm::Expected<std::vector<CTestTest>> listCTestTests(llvm::StringRef BuildDir);

/// Executables and the sources they are built from, from the CMake file
/// API's codemodel-v2 reply.
struct CodeModel {
  /// Absolute artifact path of each executable target -> its sources
  /// (absolute).
  std::map<std::string, std::vector<std::string>> Sources;
};

/// Reads the newest codemodel-v2 reply under BuildDir/.cmake/api/v1/reply.
/// When there is none, writes the query (BuildDir/.cmake/api/v1/query/
/// codemodel-v2) so that the next CMake configure produces one. Errors: no
/// reply (the message says whether it was asked for), an unreadable or
/// malformed reply.
llvm::Expected<CodeModel> readCodeModel(llvm::StringRef BuildDir);

/// A test case as the graph has it.
struct TestCaseRef {
  std::string Name;      ///< test_name
  std::string Framework; ///< test_framework
  std::string File;      ///< its file, root-relative (or absolute)
};

/// What maps to what.
struct CTestMapping {
  /// The CTest tests that run at least one of the test cases: sorted,
  /// unique.
  std::vector<std::string> Tests;
  /// For each test case (same order as given), the CTest tests running it.
  std::vector<std::vector<std::string>> PerCase;
  /// How the mapping was made where it had to guess (no codemodel reply,
  /// test cases no CTest test runs), one sentence each.
  std::vector<std::string> Notes;
};

/// Maps test cases to CTest tests. Model may be null (no codemodel reply):
/// plain add_test executables are then matched by the test file's stem.
CTestMapping mapTestCases(const std::vector<CTestTest> &Tests,
                          const std::vector<TestCaseRef> &Cases,
                          const CodeModel *Model);

/// `^(A|B)$` with every regular-expression character of the names escaped
/// (CTest's -R takes a POSIX extended regular expression).
std::string ctestRegex(const std::vector<std::string> &Names);

/// `ctest --test-dir DIR -R '^(...)$'`, shell-quoted; DIR as given.
std::string ctestCommandLine(llvm::StringRef BuildDir,
                             const std::vector<std::string> &Names);

/// The one call a report needs: lists BuildDir's CTest tests, reads the
/// codemodel if there is one, maps Cases and returns the runnable line.
/// Errors: as listCTestTests(); no CTest test runs any of Cases.
llvm::Expected<std::string>
ctestCommandFor(llvm::StringRef BuildDir,
                const std::vector<TestCaseRef> &Cases);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_CTEST_H
