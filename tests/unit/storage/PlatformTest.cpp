//===- PlatformTest.cpp - The OS layer on paths Windows finds hard --------===//
//
// Paths of MAX_PATH (260) characters or more: Win32 refuses them unless
// they carry the \\?\ prefix, which the platform layer adds (after
// resolving "/", "." and "..", which the prefix turns off). On POSIX the
// same calls simply work.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "Platform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace codeindex::storage;
using namespace codeindex::storage::detail;
using namespace codeindex::storage::testing;

namespace {

std::string readAll(const std::string &Path) {
  File F;
  Status S = openFile(Path, OpenFor::Read, &F);
  EXPECT_TRUE(S.isOk()) << S.toString();
  std::string Out;
  char Buf[64];
  size_t Got = 0;
  while (F.isOpen() && readSome(F, Buf, sizeof(Buf), &Got, Path).isOk() &&
         Got > 0)
    Out.append(Buf, Got);
  return Out;
}

TEST(Platform, PathsLongerThanMaxPath) {
  TempDir Dir;
  std::string Path = Dir.path();
  std::vector<std::string> Dirs;
  for (int I = 0; I < 7; ++I) {
    Path += "/a-directory-name-of-fifty-characters-" + std::to_string(1000 + I);
    Status S = makeDirectory(Path);
    ASSERT_TRUE(S.isOk()) << S.toString();
    Dirs.push_back(Path);
  }
  ASSERT_GT(Path.size(), 300u);
  std::string A = Path + "/file-a", B = Path + "/file-b";

  File F;
  Status S = openFile(A, OpenFor::WriteTruncate, &F);
  ASSERT_TRUE(S.isOk()) << S.toString();
  ASSERT_TRUE(writeAll(F, "hello", A).isOk());
  ASSERT_TRUE(syncFile(F, A).isOk());
  ASSERT_TRUE(F.close());
  EXPECT_TRUE(isWritable(A));
  EXPECT_TRUE(syncPath(A).isOk());
  EXPECT_TRUE(syncPath(Path).isOk());

  FileId Before, After;
  ASSERT_TRUE(fileId(A, &Before).isOk());
  S = replaceFile(A, B);
  ASSERT_TRUE(S.isOk()) << S.toString();
  ASSERT_TRUE(fileId(B, &After).isOk());
  EXPECT_EQ(Before, After) << "the rename kept the file";
  bool Missing = false;
  File Gone;
  ASSERT_TRUE(openFile(A, OpenFor::Read, &Gone, &Missing).isOk());
  EXPECT_TRUE(Missing);
  EXPECT_EQ(readAll(B), "hello");

  // Locks work on such a file, and "." and ".." still resolve.
  File L;
  ASSERT_TRUE(openFile(B, OpenFor::ReadWrite, &L).isOk());
  bool Held = true;
  ASSERT_TRUE(lockFile(L, LockKind::Exclusive, false, &Held, B).isOk());
  EXPECT_FALSE(Held);
  L.close();
  std::string Last = Path.substr(Path.rfind('/') + 1);
  std::string Dotted = Path + "/./../" + Last + "/file-b";
  EXPECT_EQ(readAll(Dotted), "hello");

  ASSERT_TRUE(removeFile(B).isOk());
  ASSERT_TRUE(openFile(B, OpenFor::Read, &Gone, &Missing).isOk());
  EXPECT_TRUE(Missing);
  for (auto It = Dirs.rbegin(); It != Dirs.rend(); ++It) {
    S = removeDirectory(*It);
    EXPECT_TRUE(S.isOk()) << S.toString();
  }
}

#ifdef _WIN32
// Wine accepts long paths without the prefix, so the test above passes
// there either way; this one checks the form the Win32 calls are given.
TEST(Platform, LongPathsGetTheExtendedPrefix) {
  std::string Short = "C:/short/./path";
  EXPECT_EQ(toWidePath(Short), toWide(Short)) << "short paths stay as given";
  std::string Long = "C:/base";
  for (int I = 0; I < 7; ++I)
    Long += "/a-directory-name-of-fifty-characters-" + std::to_string(1000 + I);
  std::string Dotted = Long + "/./x/../file";
  std::wstring W = toWidePath(Dotted);
  std::wstring Expected = L"\\\\?\\" + toWide(Long + "/file");
  std::replace(Expected.begin(), Expected.end(), L'/', L'\\');
  EXPECT_EQ(W, Expected) << fromWide(W);
  // Already prefixed: untouched.
  std::wstring Again = toWidePath(fromWide(W));
  EXPECT_EQ(Again, W);
  // UNC shares get the \\?\UNC\ form.
  std::string Unc = "//server/share" + Long.substr(2);
  std::wstring U = toWidePath(Unc);
  EXPECT_EQ(U.rfind(L"\\\\?\\UNC\\server\\share\\base\\", 0), 0u)
      << fromWide(U);
}
#endif

} // namespace
