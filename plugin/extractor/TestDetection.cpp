//===- TestDetection.cpp - Recognising test files -------------------------===//

#include "extractor/TestDetection.h"

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

std::optional<std::string> testReasonForInclude(llvm::StringRef Spelled) {
  struct Rule {
    llvm::StringRef Prefix;
    llvm::StringRef Framework;
  };
  static const Rule Rules[] = {
      {"gtest/", "GoogleTest"},      {"gmock/", "GoogleMock"},
      {"catch2/", "Catch2"},         {"catch.hpp", "Catch2"},
      {"catch/catch.hpp", "Catch2"}, {"doctest/", "doctest"},
      {"doctest.h", "doctest"},      {"boost/test/", "Boost.Test"},
      {"cppunit/", "CppUnit"},       {"CppUTest/", "CppUTest"},
  };
  for (const Rule &R : Rules)
    if (Spelled.starts_with(R.Prefix))
      return "includes <" + Spelled.str() + "> (" + R.Framework.str() + ")";
  return std::nullopt;
}

} // namespace codeindex
