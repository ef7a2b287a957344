//===- TestDetectionTest.cpp - Recognising test files ---------------------===//

#include "extractor/TestDetection.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(TestDetection, PathPatterns) {
  EXPECT_THAT(testReasonsForPath("tests/foo.cpp"),
              Contains(HasSubstr("tests/")));
  EXPECT_THAT(testReasonsForPath("src/test/foo.cpp"),
              Contains(HasSubstr("test/")));
  EXPECT_THAT(testReasonsForPath("util/env_test.cc"),
              Contains(HasSubstr("env_test.cc")));
  EXPECT_THAT(testReasonsForPath("a/b_unittest.cpp"),
              Contains(HasSubstr("b_unittest.cpp")));
  EXPECT_THAT(testReasonsForPath("test_parser.cpp"),
              Contains(HasSubstr("test_parser.cpp")));
}

TEST(TestDetection, OrdinaryPathsAreNotTests) {
  EXPECT_THAT(testReasonsForPath("src/testing_utils_impl.h"), IsEmpty());
  EXPECT_THAT(testReasonsForPath("src/contest.cpp"), IsEmpty());
  EXPECT_THAT(testReasonsForPath("src/attestation/sign.cpp"), IsEmpty());
  EXPECT_THAT(testReasonsForPath("latest/a.cpp"), IsEmpty());
  EXPECT_THAT(testReasonsForPath("main.cpp"), IsEmpty());
}

} // namespace
} // namespace codeindex
