//===- TestUtil.h - Helpers for the storage tests ---------------*- C++ -*-===//
#ifndef CODEINDEX_TESTS_UNIT_STORAGE_TESTUTIL_H
#define CODEINDEX_TESTS_UNIT_STORAGE_TESTUTIL_H

#include "codeindex/storage/Store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace codeindex::storage::testing {

/// A fresh directory under $TMPDIR, removed when the object dies.
class TempDir {
public:
  TempDir() {
#ifdef _WIN32
    // No mkdtemp(): create a randomly named directory under %TEMP%.
    std::error_code Ec;
    std::filesystem::path Base = std::filesystem::temp_directory_path(Ec);
    std::random_device Rd;
    for (int Attempt = 0; Attempt < 100 && Path.empty(); ++Attempt) {
      std::filesystem::path P =
          Base / ("codeindex-storage-" + std::to_string(Rd()));
      if (std::filesystem::create_directory(P, Ec)) {
        std::u8string U = P.u8string();
        Path.assign(U.begin(), U.end());
      }
    }
    if (Path.empty())
      ADD_FAILURE() << "cannot create a directory under %TEMP%";
#else
    const char *Base = std::getenv("TMPDIR");
    std::string Pattern = std::string(Base && *Base ? Base : "/tmp") +
                          "/codeindex-storage-XXXXXX";
    std::vector<char> Buf(Pattern.begin(), Pattern.end());
    Buf.push_back('\0');
    char *Made = ::mkdtemp(Buf.data());
    if (!Made)
      ADD_FAILURE() << "mkdtemp failed for " << Pattern;
    else
      Path = Made;
#endif
  }
  ~TempDir() {
    std::error_code Ec;
    if (!Path.empty())
      std::filesystem::remove_all(
          std::filesystem::path(std::u8string(Path.begin(), Path.end())), Ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return Path; }

private:
  std::string Path;
};

/// Every (key, value) a scan yields, checking the iterator's status.
inline std::vector<std::pair<std::string, std::string>>
scanAll(Store &S, Table T, std::string_view Prefix) {
  std::vector<std::pair<std::string, std::string>> Out;
  auto It = S.scan(T, Prefix);
  for (; It->valid(); It->next())
    Out.emplace_back(std::string(It->key()), std::string(It->value()));
  EXPECT_TRUE(It->status().isOk()) << It->status().toString();
  return Out;
}

/// What a scan of Model with Prefix must return.
inline std::vector<std::pair<std::string, std::string>>
expectedScan(const std::map<std::string, std::string> &Model,
             std::string_view Prefix) {
  std::vector<std::pair<std::string, std::string>> Out;
  for (auto It = Model.lower_bound(std::string(Prefix));
       It != Model.end() && It->first.compare(0, Prefix.size(), Prefix) == 0;
       ++It)
    Out.emplace_back(It->first, It->second);
  return Out;
}

/// Names of the gen-* directories under an index path, sorted.
inline std::vector<std::string> generations(const std::string &IndexPath) {
  std::vector<std::string> Out;
  std::error_code Ec;
  for (const auto &E : std::filesystem::directory_iterator(IndexPath, Ec))
    if (E.path().filename().string().rfind("gen-", 0) == 0)
      Out.push_back(E.path().filename().string());
  std::sort(Out.begin(), Out.end());
  return Out;
}

/// Overwrites a file with pseudo-random bytes of the same length (at least
/// 4 KiB), keeping its name.
inline void fillWithGarbage(const std::string &File, unsigned Seed) {
  std::error_code Ec;
  auto Size = std::filesystem::file_size(File, Ec);
  if (Ec || Size < 4096)
    Size = 4096;
  std::string Junk(Size, '\0');
  unsigned X = Seed * 2654435761u + 1;
  for (char &C : Junk) {
    X ^= X << 13;
    X ^= X >> 17;
    X ^= X << 5;
    C = static_cast<char>(X & 0xff);
  }
  FILE *F = std::fopen(File.c_str(), "wb");
  ASSERT_NE(F, nullptr) << File;
  std::fwrite(Junk.data(), 1, Junk.size(), F);
  std::fclose(F);
}

} // namespace codeindex::storage::testing

#endif // CODEINDEX_TESTS_UNIT_STORAGE_TESTUTIL_H
