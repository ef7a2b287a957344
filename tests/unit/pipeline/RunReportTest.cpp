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

TEST(RunReportTest, ErrorsFileListsFailuresThenCollisions) {
  RunReport R;
  R.FailureLines = {"a.cpp: failed: x", "b.cpp: errors: b.cpp:3: y"};
  R.Collisions = {"c:@F@f and c:@F@g"};
  EXPECT_EQ(errorsFileText(R),
            "# translation units that failed or had errors: 2\n"
            "a.cpp: failed: x\n"
            "b.cpp: errors: b.cpp:3: y\n"
            "usr collision: c:@F@f and c:@F@g\n");
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

TEST(RunReportTest, SummaryNamesCountsAndFirstFailures) {
  RunReport R;
  R.TranslationUnits = 4;
  R.Parsed = 1;
  R.Unchanged = 3;
  R.Failed = 1;
  R.Reparsed = 2;
  R.Jobs = 1;
  R.Index = "rocksdb:/x";
  for (int I = 0; I < 12; ++I)
    R.FailureLines.push_back("f" + std::to_string(I) + ".cpp: failed");
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printSummary(R, OS);
  EXPECT_THAT(Out, ::testing::StartsWith(
                       "code-indexer: 4 TUs (1 parsed, 3 unchanged, 1 "
                       "failed, 0 with errors, 0 excluded), 2 parsed again "
                       "for headers whose owner failed or let them go in "
                       "0.0 s; write stalls: 0 ms\n"));
  EXPECT_THAT(Out, ::testing::HasSubstr("(summed over 1 worker)\n"));
  EXPECT_THAT(Out, ::testing::HasSubstr("code-indexer: index: rocksdb:/x\n"));
  EXPECT_THAT(Out, ::testing::Not(::testing::HasSubstr("json:")));
  EXPECT_THAT(Out, ::testing::HasSubstr("f9.cpp: failed"));
  EXPECT_THAT(Out, ::testing::Not(::testing::HasSubstr("f10.cpp")));
}

} // namespace
} // namespace codeindex
