//===- CompileCommandsTest.cpp - Reading compile_commands.json ------------===//

#include "extractor/CompileCommands.h"
#include "TestUtil.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using test::TempTree;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;

/// The message of a failed Expected ("" if it holds a value).
template <typename T> std::string errorOf(llvm::Expected<T> E) {
  return E ? std::string() : llvm::toString(E.takeError());
}

std::vector<TuInput> load(TempTree &T, const std::string &Json) {
  std::string Path = T.write("build/compile_commands.json", Json);
  auto R = loadCompileCommands(Path, LoadOptions{});
  EXPECT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  return R ? std::move(*R) : std::vector<TuInput>{};
}

TEST(CompileCommands, CommandFormIsTokenisedLikeAShell) {
  TempTree T;
  auto Tus = load(T, R"([{"directory": ")" + T.root() + R"(/build",
    "command": "/usr/bin/c++ -DNAME=\"a b\" '-DQ=it s' -I../inc -c ../a.cpp -o a.o",
    "file": "../a.cpp"}])");
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_EQ(Tus[0].MainFile, T.path("a.cpp"));
  EXPECT_EQ(Tus[0].Directory, T.path("build"));
  EXPECT_THAT(Tus[0].Args, IsSupersetOf({"-DNAME=a b", "-DQ=it s", "-I../inc",
                                         "-fsyntax-only"}));
  EXPECT_THAT(Tus[0].Args, Not(Contains("-o")));
  EXPECT_THAT(Tus[0].Args, Not(Contains("a.o")));
  EXPECT_THAT(Tus[0].Args, Not(Contains("-c")));
  EXPECT_EQ(Tus[0].Lang, Language::Cxx);
}

TEST(CompileCommands, ArgumentsFormIsTakenVerbatim) {
  TempTree T;
  auto Tus = load(T, R"([{"directory": ")" + T.root() + R"(",
    "arguments": ["clang", "-DNAME=a b", "-std=c11", "-c", "x.c"],
    "file": "x.c"}])");
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_EQ(Tus[0].Args.front(), "clang");
  EXPECT_THAT(Tus[0].Args, IsSupersetOf({"-DNAME=a b", "-std=c11"}));
  EXPECT_EQ(Tus[0].Lang, Language::C);
}

TEST(CompileCommands, IdenticalEntriesAreOneTuDifferentFlagsAreTwo) {
  TempTree T;
  std::string D = T.root();
  auto Tus = load(
      T,
      R"([
    {"directory": ")" +
          D + R"(", "arguments": ["c++", "-c", "a.cpp"], "file": "a.cpp"},
    {"directory": ")" +
          D + R"(", "arguments": ["c++", "-c", "a.cpp"], "file": "a.cpp"},
    {"directory": ")" +
          D +
          R"(", "arguments": ["c++", "-DX", "-c", "a.cpp"], "file": "a.cpp"}])");
  ASSERT_EQ(Tus.size(), 2u);
  EXPECT_NE(Tus[0].Key, Tus[1].Key);
  EXPECT_NE(Tus[0].Variant, Tus[1].Variant)
      << "-DX changes what the preprocessor produces";
}

TEST(CompileCommands, VariantIgnoresFlagsThatDoNotChangePreprocessing) {
  TempTree T;
  std::string D = T.root();
  auto Tus = load(
      T,
      R"([
    {"directory": ")" +
          D +
          R"(", "arguments": ["c++", "-O2", "-c", "a.cpp"], "file": "a.cpp"},
    {"directory": ")" +
          D +
          R"(", "arguments": ["c++", "-O0", "-g", "-c", "a.cpp"], "file": "a.cpp"}])");
  ASSERT_EQ(Tus.size(), 2u);
  EXPECT_EQ(Tus[0].Variant, Tus[1].Variant);
  EXPECT_NE(Tus[0].CommandHash, Tus[1].CommandHash);
}

TEST(CompileCommands, CodeLoadingFlagsAreStrippedAndReported) {
  TempTree T;
  auto Tus = load(T, R"([{"directory": ")" + T.root() + R"(",
    "arguments": ["c++", "-fplugin=/tmp/evil.so", "-Xclang", "-load",
                  "-Xclang", "/tmp/evil2.so", "-fpass-plugin=/tmp/p.so",
                  "-c", "a.cpp"], "file": "a.cpp"}])");
  ASSERT_EQ(Tus.size(), 1u);
  for (const std::string &A : Tus[0].Args)
    EXPECT_THAT(A, Not(HasSubstr("evil"))) << "left in the command";
  EXPECT_THAT(Tus[0].Stripped,
              IsSupersetOf({HasSubstr("-fplugin=/tmp/evil.so"),
                            HasSubstr("-load -Xclang /tmp/evil2.so"),
                            HasSubstr("-fpass-plugin=/tmp/p.so")}));
}

TEST(CompileCommands, GccOnlyFlagsDoNotSinkTheTu) {
  TempTree T;
  auto Tus = load(T, R"([{"directory": ")" + T.root() + R"(",
    "arguments": ["g++", "-fno-semantic-interposition-unknown-to-clang",
                  "-Wall", "-c", "a.cpp"], "file": "a.cpp"}])");
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Args, Contains("-Wall"));
  EXPECT_THAT(Tus[0].Args,
              Not(Contains("-fno-semantic-interposition-unknown-to-clang")));
}

TEST(CompileCommands, MalformedDatabasesNameTheProblem) {
  TempTree T;
  std::string P = T.write("bad/compile_commands.json", "[{\"file\": ");
  EXPECT_THAT(errorOf(loadCompileCommands(P, {})),
              HasSubstr("is not valid JSON"));
  P = T.write("obj/compile_commands.json", "{}");
  EXPECT_THAT(errorOf(loadCompileCommands(P, {})),
              HasSubstr("expected a JSON array"));
}

TEST(CompileCommands, FindAcceptsADirectoryOrTheFile) {
  TempTree T;
  std::string P = T.write("build/compile_commands.json", "[]");
  auto Dir = findCompileCommands(T.path("build"));
  ASSERT_TRUE(static_cast<bool>(Dir)) << llvm::toString(Dir.takeError());
  EXPECT_EQ(*Dir, P);
  auto File = findCompileCommands(P);
  ASSERT_TRUE(static_cast<bool>(File)) << llvm::toString(File.takeError());
  EXPECT_EQ(*File, P);
  EXPECT_THAT(errorOf(findCompileCommands(T.root())),
              HasSubstr("CMAKE_EXPORT_COMPILE_COMMANDS"));
}

TEST(CompileCommands, LanguageFromFlagsOrName) {
  EXPECT_EQ(languageOf("a.c", {}), Language::C);
  EXPECT_EQ(languageOf("a.cc", {}), Language::Cxx);
  std::vector<std::string> XCxx{"clang", "-x", "c++", "a.c"};
  EXPECT_EQ(languageOf("a.c", XCxx), Language::Cxx);
  std::vector<std::string> XC{"clang", "-x", "c", "a.h"};
  EXPECT_EQ(languageOf("a.h", XC), Language::C);
}

} // namespace
} // namespace codeindex
