//===- TestUtil.h - Project trees for plugin tests --------------*- C++ -*-===//
#ifndef CODEINDEX_TESTS_PLUGIN_TESTUTIL_H
#define CODEINDEX_TESTS_PLUGIN_TESTUTIL_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
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

/// A project tree in memory, as clangd's TestTU: sources live in an
/// InMemoryFileSystem under a root that does not exist on disk; nothing else
/// is visible, so tests cannot depend on the machine's headers. Hand fs() to
/// extractTranslationUnit().
class MemoryTree {
public:
  explicit MemoryTree(std::string Root = "/project")
      : Root(std::move(Root)), Memory(new llvm::vfs::InMemoryFileSystem()) {}

  /// Adds Root/Rel with Contents; returns the path.
  std::string write(const std::string &Rel, const std::string &Contents) {
    std::string P = path(Rel);
    EXPECT_TRUE(Memory->addFile(P, /*ModificationTime=*/0,
                                llvm::MemoryBuffer::getMemBufferCopy(Contents)))
        << P << " written twice";
    return P;
  }
  std::string path(const std::string &Rel) const { return Root + "/" + Rel; }
  const std::string &root() const { return Root; }
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs() const { return Memory; }

private:
  std::string Root;
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> Memory;
};

} // namespace codeindex::test

#endif
