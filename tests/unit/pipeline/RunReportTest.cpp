//===- RunReportTest.cpp - The summary and errors.txt ---------------------===//

#include "pipeline/RunReport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <string>

namespace codeindex {
namespace {

using ::testing::ElementsAre;

class TempDir {
public:
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("codeindex-report", P));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(P); }
  std::string path(llvm::StringRef Rel) const { return (P + "/" + Rel).str(); }
  std::vector<std::string> list() const {
    std::vector<std::string> Out;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(P, EC), End; It != End && !EC;
         It.increment(EC))
      Out.push_back(llvm::sys::path::filename(It->path()).str());
    std::sort(Out.begin(), Out.end());
    return Out;
  }

private:
  llvm::SmallString<128> P;
};

std::string readFile(const std::string &Path) {
  auto B = llvm::MemoryBuffer::getFile(Path);
  return B ? (*B)->getBuffer().str() : "<unreadable>";
}

DiagnosticFact diag(std::string File, uint32_t Line, uint32_t Column,
                    std::string Message, Severity Sev = Severity::Error) {
  DiagnosticFact D;
  D.File = std::move(File);
  D.Line = Line;
  D.Column = Column;
  D.Message = std::move(Message);
  D.Sev = Sev;
  return D;
}

TEST(RunReportTest, ErrorsFileNamesEachTuOnceThenItsErrors) {
  RunReport R;
  R.Problems = {TuProblem{"a.cpp", TuStatus::Failed, "x", {}},
                TuProblem{"b.cpp",
                          TuStatus::Errors,
                          "",
                          {diag("b.cpp", 3, 7, "y"), diag("inc/b.h", 1, 2, "z"),
                           diag("", 0, 0, "no such file", Severity::Fatal)}}};
  R.Collisions = {"c:@F@f and c:@F@g"};
  EXPECT_EQ(errorsFileText(R),
            "# translation units that failed or had errors: 2\n"
            "a.cpp: failed: x\n"
            "b.cpp: indexed with 3 errors\n"
            "b.cpp:3:7: error: y\n"
            "inc/b.h:1:2: error: z\n"
            "b.cpp: fatal error: no such file\n"
            "usr collision: c:@F@f and c:@F@g\n");
}

TEST(RunReportTest, ProblemTextCutsLongListsAndSaysSo) {
  TuProblem P{"t.cpp", TuStatus::TimedOut, "timed out after 5 s", {}};
  for (uint32_t I = 1; I <= 5; ++I)
    P.Diagnostics.push_back(diag("t.cpp", I, 1, "e" + std::to_string(I)));
  EXPECT_EQ(problemText(P, "code-indexer: ", 2),
            "code-indexer: t.cpp: timed_out: timed out after 5 s\n"
            "t.cpp:1:1: error: e1\n"
            "t.cpp:2:1: error: e2\n"
            "code-indexer: t.cpp: 3 more not shown (--verbose shows them)\n");
}

TEST(RunReportTest, ErrorsFileIsBesideTheExport) {
  EXPECT_EQ(errorsFilePath("out/graph.json"), "out/errors.txt");
  EXPECT_EQ(errorsFilePath("graph.json"), "./errors.txt");
}

TEST(RunReportTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  TempDir D;
  std::string P = D.path("errors.txt");
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomically(P, "first\n")));
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomically(P, "second\n")));
  EXPECT_EQ(readFile(P), "second\n");
  EXPECT_THAT(D.list(), ElementsAre("errors.txt"));
}

TEST(RunReportTest, AtomicWriteIntoAMissingDirectoryFails) {
  TempDir D;
  std::string P = D.path("missing/errors.txt");
  llvm::Error E = writeFileAtomically(P, "x");
  ASSERT_TRUE(!!E);
  EXPECT_THAT(llvm::toString(std::move(E)), ::testing::HasSubstr(P));
}

TEST(RunReportTest, SummaryIsTwoLinesThenTheFirstProblems) {
  RunReport R;
  R.TranslationUnits = 4;
  R.Parsed = 1;
  R.Unchanged = 3;
  R.Failed = 1;
  R.Reparsed = 2;
  R.Jobs = 1;
  R.Index = "rocksdb:/x";
  for (int I = 0; I < 12; ++I)
    R.Problems.push_back(
        TuProblem{"f" + std::to_string(I) + ".cpp", TuStatus::Failed, "", {}});
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printSummary(R, OS);
  EXPECT_THAT(Out, ::testing::StartsWith(
                       "code-indexer: 4 TUs (1 parsed, 3 unchanged, 1 "
                       "failed, 0 with errors, 0 excluded), 2 parsed again "
                       "for headers whose owner failed or let them go in "
                       "0.0 s\n"
                       "code-indexer: index: rocksdb:/x\n"
                       "code-indexer: f0.cpp: failed\n"));
  EXPECT_THAT(Out, ::testing::Not(::testing::HasSubstr("time")));
  EXPECT_THAT(Out, ::testing::Not(::testing::HasSubstr("json:")));
  EXPECT_THAT(Out, ::testing::HasSubstr("f9.cpp: failed"));
  EXPECT_THAT(Out, ::testing::Not(::testing::HasSubstr("f10.cpp")));
  EXPECT_THAT(Out, ::testing::HasSubstr("... and 2 more TUs"));
}

TEST(RunReportTest, StatsAddTheTimeLineAndQuietOnlyTheProblems) {
  RunReport R;
  R.TranslationUnits = 1;
  R.Jobs = 2;
  R.Index = "mem";
  R.Json = true;
  R.JsonPath = "/o/graph.json";
  R.Problems.push_back(TuProblem{"a.cpp", TuStatus::Crashed, "boom", {}});
  std::string Stats, Quiet;
  llvm::raw_string_ostream SO(Stats), QO(Quiet);
  SummaryOptions WithStats;
  WithStats.Stats = true;
  printSummary(R, SO, WithStats);
  EXPECT_THAT(Stats, ::testing::HasSubstr("code-indexer: index: mem; json: "
                                          "/o/graph.json\n"
                                          "code-indexer: time 0.0 s"));
  EXPECT_THAT(Stats, ::testing::HasSubstr("(summed over 2 workers); export "
                                          "0.0 s; write stalls: 0 ms\n"));
  SummaryOptions QuietOnly;
  QuietOnly.Counts = false;
  printSummary(R, QO, QuietOnly);
  EXPECT_EQ(Quiet, "code-indexer: a.cpp: crashed: boom\n");
}

} // namespace
} // namespace codeindex
