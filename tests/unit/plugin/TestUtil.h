//===- TestUtil.h - Temporary project trees for plugin tests ----*- C++ -*-===//
#ifndef CODEINDEX_TESTS_PLUGIN_TESTUTIL_H
#define CODEINDEX_TESTS_PLUGIN_TESTUTIL_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>

namespace codeindex::test {

/// A temporary directory (real path, so it matches what the indexer
/// computes), removed with its contents on destruction.
class TempTree {
public:
  TempTree() {
    llvm::SmallString<128> P;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("codeindex-test", P));
    llvm::SmallString<128> Real;
    EXPECT_FALSE(llvm::sys::fs::real_path(P, Real));
    Root = std::string(Real);
  }
  ~TempTree() { llvm::sys::fs::remove_directories(Root); }
  TempTree(const TempTree &) = delete;
  TempTree &operator=(const TempTree &) = delete;

  /// Writes Contents to Root/Rel, creating directories; returns the path.
  std::string write(const std::string &Rel, const std::string &Contents) {
    std::string P = path(Rel);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    EXPECT_FALSE(EC) << P;
    OS << Contents;
    return P;
  }
  std::string path(const std::string &Rel) const { return Root + "/" + Rel; }
  const std::string &root() const { return Root; }

private:
  std::string Root;
};

} // namespace codeindex::test

#endif
