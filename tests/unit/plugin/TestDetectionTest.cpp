//===- TestDetectionTest.cpp - Recognising test files ---------------------===//

#include "extractor/TestDetection.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

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

TEST(TestDetection, FrameworkIncludes) {
  EXPECT_THAT(testReasonForInclude("gtest/gtest.h"),
              Optional(HasSubstr("GoogleTest")));
  EXPECT_THAT(testReasonForInclude("gmock/gmock.h"),
              Optional(HasSubstr("GoogleMock")));
  EXPECT_THAT(testReasonForInclude("catch2/catch_test_macros.hpp"),
              Optional(HasSubstr("Catch2")));
  EXPECT_THAT(testReasonForInclude("catch.hpp"), Optional(HasSubstr("Catch2")));
  EXPECT_THAT(testReasonForInclude("doctest/doctest.h"),
              Optional(HasSubstr("doctest")));
  EXPECT_THAT(testReasonForInclude("boost/test/unit_test.hpp"),
              Optional(HasSubstr("Boost.Test")));
}

TEST(TestDetection, OtherIncludesAreNot) {
  EXPECT_EQ(testReasonForInclude("vector"), std::nullopt);
  EXPECT_EQ(testReasonForInclude("mytest/helpers.h"), std::nullopt);
  EXPECT_EQ(testReasonForInclude("boost/optional.hpp"), std::nullopt);
}

} // namespace
} // namespace codeindex
