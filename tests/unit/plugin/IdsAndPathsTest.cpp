//===- IdsAndPathsTest.cpp - Entity ids, file ids and display paths -------===//
//
// Ids must be equal across runs, machines and versions: the expected values
// below are fixed, so changing the hash function fails here first.
//
//===----------------------------------------------------------------------===//

#include "extractor/Extractor.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Ids, UsrHashIsStable) {
  EXPECT_EQ(formatId(usrId("c:@F@main#I#**C#")), "64fa7d9120176681");
  EXPECT_EQ(formatId(usrId("c:@N@std@S@vector")), "cf0a6e1d3fff924f");
  EXPECT_NE(usrId("c:@F@f#"), usrId("c:@F@f#I#"));
}

TEST(Ids, FileIdsAreHashesOfTheDisplayPath) {
  EXPECT_EQ(fileId("src/a.cpp"), usrId("file:src/a.cpp"));
  EXPECT_NE(fileId("src/a.cpp"), usrId("src/a.cpp"))
      << "file ids live in their own namespace, apart from USRs";
}

TEST(Ids, FormatAndParseRoundTrip) {
  for (Id I : {Id(0), Id(1), Id(0xdeadbeefcafef00dULL), ~Id(0)}) {
    std::string S = formatId(I);
    EXPECT_EQ(S.size(), 16u);
    EXPECT_EQ(parseId(S), I);
  }
  EXPECT_EQ(formatId(0xabc), "0000000000000abc");
}

TEST(Ids, ParseRejectsAnythingButSixteenHexDigits) {
  EXPECT_FALSE(parseId(""));
  EXPECT_FALSE(parseId("abc"));
  EXPECT_FALSE(parseId("0123456789abcdef0"));
  EXPECT_FALSE(parseId("0123456789abcdeg"));
  EXPECT_FALSE(parseId(" 123456789abcdef"));
}

Id collidingHash(llvm::StringRef S) {
  return S == "c:@F@one#" || S == "c:@F@two#" ? 42 : usrId(S);
}

TEST(UsrRegistry, SameUsrSameId) {
  UsrRegistry R;
  EXPECT_EQ(R.idFor("c:@F@f#"), usrId("c:@F@f#"));
  EXPECT_EQ(R.idFor("c:@F@f#"), usrId("c:@F@f#"));
  EXPECT_TRUE(R.collisions().empty());
}

TEST(UsrRegistry, CollisionIsReportedAndNeverMerged) {
  UsrRegistry R(collidingHash);
  Id One = R.idFor("c:@F@one#");
  Id Two = R.idFor("c:@F@two#");
  EXPECT_EQ(One, 42u);
  EXPECT_NE(Two, One) << "two USRs must never share an entity";
  EXPECT_EQ(R.idFor("c:@F@two#"), Two) << "the salted id is stable in a run";
  EXPECT_THAT(R.collisions(),
              ElementsAre(HasSubstr("000000000000002a: c:@F@one# vs "
                                    "c:@F@two#")));
}

TEST(PathMapper, InsideTheRootPathsAreRelative) {
  PathMapper P("/home/u/proj");
  EXPECT_EQ(P.display("/home/u/proj/src/a.cpp"), "src/a.cpp");
  EXPECT_EQ(P.display("/home/u/proj"), ".");
  EXPECT_TRUE(P.insideRoot("/home/u/proj/x.h"));
}

TEST(PathMapper, OutsideTheRootPathsStayAbsolute) {
  PathMapper P("/home/u/proj");
  EXPECT_EQ(P.display("/usr/include/stdio.h"), "/usr/include/stdio.h");
  // A sibling sharing the root as a string prefix is outside.
  EXPECT_FALSE(P.insideRoot("/home/u/project2/a.cpp"));
  EXPECT_EQ(P.display("/home/u/project2/a.cpp"), "/home/u/project2/a.cpp");
}

TEST(PathMapper, FilesystemRoot) {
  PathMapper P("/");
  EXPECT_TRUE(P.insideRoot("/etc/x.h"));
  EXPECT_EQ(P.display("/etc/x.h"), "etc/x.h");
}

TEST(PathMapper, EmptyRootMapsNothing) {
  PathMapper P("");
  EXPECT_FALSE(P.insideRoot("/a/b.cpp"));
  EXPECT_EQ(P.display("/a/b.cpp"), "/a/b.cpp");
}

} // namespace
} // namespace codeindex
