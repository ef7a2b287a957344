//===- CTestTest.cpp - Test cases to CTest test names ---------------------===//
//
// The parsing of `ctest --show-only=json-v1` (including malformed input),
// the matching of test cases to CTest tests for each framework's discovery
// and for plain add_test executables, and the escaping of the -R line.
//
//===----------------------------------------------------------------------===//

#include "query/CTest.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// What CMake 3.25's ctest prints for a gtest_discover_tests target and a
// plain add_test (trimmed to the fields read, plus ones that are ignored).
const char *CTestJson = R"({
  "kind": "ctestInfo",
  "version": {"major": 1, "minor": 0},
  "backtraceGraph": {"commands": [], "files": [], "nodes": []},
  "tests": [
    {"name": "Simple.Compresses",
     "command": ["/b/codec_test", "--gtest_filter=Simple.Compresses",
                 "--gtest_also_run_disabled_tests"],
     "properties": [{"name": "WORKING_DIRECTORY", "value": "/b"}]},
    {"name": "Levels/Codec.RoundTrip/1",
     "command": ["/b/codec_test", "--gtest_filter=Levels/Codec.RoundTrip/0",
                 "--gtest_also_run_disabled_tests"]},
    {"name": "TypedCodec.Sizes<int>",
     "command": ["/b/codec_test", "--gtest_filter=TypedCodec/0.Sizes"]},
    {"name": "Wide.Grows<int>",
     "command": ["/b/codec_test", "--gtest_filter=Wide/Typed/0.Grows"]},
    {"name": "plain", "command": ["/b/plain_test"]},
    {"name": "fixture, with [brackets]",
     "command": ["/b/catch_test", "fixture\\, with \\[brackets\\]"]},
    {"name": "doc", "command": ["/b/doc_test", "--test-case=adds numbers"]},
    {"name": "unbuilt"}
  ]
})";

std::vector<CTestTest> parsed() {
  auto T = parseCTestJson(CTestJson);
  EXPECT_TRUE(static_cast<bool>(T)) << llvm::toString(T.takeError());
  return T ? *T : std::vector<CTestTest>{};
}

TEST(CTest, ParsesNamesAndCommands) {
  std::vector<CTestTest> T = parsed();
  ASSERT_EQ(T.size(), 8u);
  EXPECT_EQ(T[0].Name, "Simple.Compresses");
  EXPECT_THAT(T[0].Command,
              ElementsAre("/b/codec_test", "--gtest_filter=Simple.Compresses",
                          "--gtest_also_run_disabled_tests"));
  EXPECT_EQ(T[7].Name, "unbuilt");
  EXPECT_THAT(T[7].Command, IsEmpty());
}

TEST(CTest, RejectsWhatIsNotCTestJson) {
  for (const char *Bad : {"", "not json", "[]", R"({"kind": "codemodel"})",
                          R"({"kind": "ctestInfo", "tests": {}})",
                          R"({"kind": "ctestInfo", "tests": [1]})"}) {
    auto T = parseCTestJson(Bad);
    EXPECT_FALSE(static_cast<bool>(T)) << Bad;
    llvm::consumeError(T.takeError());
  }
  auto Empty = parseCTestJson(R"({"kind": "ctestInfo"})");
  ASSERT_TRUE(static_cast<bool>(Empty));
  EXPECT_THAT(*Empty, IsEmpty());
}

TEST(CTest, MapsEachFrameworksDiscoveredTests) {
  std::vector<CTestTest> T = parsed();
  std::vector<TestCaseRef> Cases = {
      {"Simple.Compresses", "gtest", "tests/codec_test.cc"},
      {"*/Codec.RoundTrip/*", "gtest", "tests/codec_test.cc"},
      {"TypedCodec/*.Sizes", "gtest", "tests/codec_test.cc"},
      {"*/Typed/*.Grows", "gtest", "tests/codec_test.cc"},
      {"fixture, with [brackets]", "catch2", "tests/catch_test.cc"},
      {"adds numbers", "doctest", "tests/doc_test.cc"},
      {"Missing.Case", "gtest", "tests/codec_test.cc"}};
  CodeModel Model;
  CTestMapping M = mapTestCases(T, Cases, &Model);
  EXPECT_THAT(M.PerCase[0], ElementsAre("Simple.Compresses"));
  EXPECT_THAT(M.PerCase[1], ElementsAre("Levels/Codec.RoundTrip/1"));
  EXPECT_THAT(M.PerCase[2], ElementsAre("TypedCodec.Sizes<int>"));
  EXPECT_THAT(M.PerCase[3], ElementsAre("Wide.Grows<int>"));
  EXPECT_THAT(M.PerCase[4], ElementsAre("fixture, with [brackets]"));
  EXPECT_THAT(M.PerCase[5], ElementsAre("doc"));
  EXPECT_THAT(M.PerCase[6], IsEmpty());
  EXPECT_THAT(M.Notes, ElementsAre(HasSubstr("Missing.Case")));
}

TEST(CTest, PlainExecutablesThroughTheCodeModel) {
  std::vector<CTestTest> T = parsed();
  std::vector<TestCaseRef> Cases = {
      {"Checksum.Stable", "gtest", "tests/plain_test.cc"}};
  CodeModel Model;
  Model.Sources["/b/plain_test"] = {"/src/tests/plain_test.cc"};
  Model.Sources["/b/codec_test"] = {"/src/tests/codec_test.cc"};
  CTestMapping M = mapTestCases(T, Cases, &Model);
  EXPECT_THAT(M.Tests, ElementsAre("plain"));
  EXPECT_THAT(M.Notes, IsEmpty());
  // A file of the same name elsewhere is not the test's file.
  Model.Sources["/b/plain_test"] = {"/src/other_plain_test.cc"};
  EXPECT_THAT(mapTestCases(T, Cases, &Model).Tests, IsEmpty());
  // Without a codemodel: by the executable's name, and said so.
  CTestMapping Guess = mapTestCases(T, Cases, nullptr);
  EXPECT_THAT(Guess.Tests, ElementsAre("plain"));
  EXPECT_THAT(Guess.Notes, ElementsAre(HasSubstr("by name")));
}

TEST(CTest, RegexAndCommandLineAreEscaped) {
  EXPECT_EQ(ctestRegex({"Snappy.MaxBlowup", "Levels/Codec.RoundTrip/1"}),
            "^(Snappy\\.MaxBlowup|Levels/Codec\\.RoundTrip/1)$");
  EXPECT_EQ(ctestRegex({"a (b) [c] *+?{}|^$\\"}),
            "^(a \\(b\\) \\[c\\] \\*\\+\\?\\{\\}\\|\\^\\$\\\\)$");
  EXPECT_EQ(ctestCommandLine("build", {"it's"}),
            "ctest --test-dir build -R '^(it'\\''s)$'");
  EXPECT_EQ(ctestCommandLine("my build", {"A.B"}),
            "ctest --test-dir 'my build' -R '^(A\\.B)$'");
}

TEST(CTest, ReadsTheCodeModelReply) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("ctest-codemodel", Dir));
  // No reply: asks for one.
  auto None = readCodeModel(Dir);
  ASSERT_FALSE(static_cast<bool>(None));
  EXPECT_THAT(llvm::toString(None.takeError()), HasSubstr("asked for one"));
  EXPECT_TRUE(llvm::sys::fs::exists(Dir + "/.cmake/api/v1/query/codemodel-v2"));

  std::string Reply = (Dir + "/.cmake/api/v1/reply").str();
  ASSERT_FALSE(llvm::sys::fs::create_directories(Reply));
  auto Write = [&](const std::string &Name, const std::string &Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Reply + "/" + Name, EC);
    OS << Text;
  };
  Write("index-2024-01-01T00-00-00-0000.json",
        R"({"reply": {"codemodel-v2": {"jsonFile": "codemodel.json"}}})");
  Write("codemodel.json",
        R"({"paths": {"source": "/src", "build": "/b"},
            "configurations": [{"targets": [
              {"name": "t", "jsonFile": "target-t.json"},
              {"name": "lib", "jsonFile": "target-lib.json"}]}]})");
  Write("target-t.json",
        R"({"type": "EXECUTABLE", "artifacts": [{"path": "bin/t"}],
            "sources": [{"path": "tests/t_test.cc"}, {"path": "/abs/x.cc"}]})");
  Write("target-lib.json",
        R"({"type": "STATIC_LIBRARY", "artifacts": [{"path": "liblib.a"}],
            "sources": [{"path": "src/lib.cc"}]})");
  auto M = readCodeModel(Dir);
  ASSERT_TRUE(static_cast<bool>(M)) << llvm::toString(M.takeError());
  ASSERT_EQ(M->Sources.size(), 1u);
  EXPECT_THAT(M->Sources["/b/bin/t"],
              ElementsAre("/src/tests/t_test.cc", "/abs/x.cc"));
  llvm::sys::fs::remove_directories(Dir);
}

} // namespace
} // namespace codeindex
