//===- TestDetection.h - Recognising test files -----------------*- C++ -*-===//
//
// A file is a test file when its path looks like one (a `test/` or `tests/`
// directory, `*_test.cc`, `*_unittest.cpp`, `test_*.cpp`, ...) or when it
// includes a test framework (GoogleTest, GoogleMock, Catch2, doctest,
// Boost.Test). Each rule that matches gives a human-readable reason.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_TESTDETECTION_H
#define CODEINDEX_PLUGIN_TESTDETECTION_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace codeindex {

/// Reasons the (root-relative, '/'-separated) path marks a test file; empty
/// if none.
std::vector<std::string> testReasonsForPath(llvm::StringRef Path);

/// The reason an #include of Spelled (as written between quotes or angle
/// brackets) marks a test file, if it does.
std::optional<std::string> testReasonForInclude(llvm::StringRef Spelled);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_TESTDETECTION_H
