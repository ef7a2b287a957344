//===- CompileCommandsTest.cpp - Reading compile_commands.json ------------===//

#include "extractor/CompileCommands.h"
#include "../../fuzz/SanitiserOracle.h"
#include "TestUtil.h"

#include "clang/Driver/Options.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Option/Option.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <set>

#ifndef _WIN32
#include <sys/stat.h>
#endif

// Clang's option table as data: every spelling (all prefixes) of every
// option, aliases included, the way clang/lib/Driver/DriverOptions.cpp
// builds it.
namespace codeindex_option_table {
using namespace clang::driver::options;
using namespace llvm::opt;
#define PREFIX(NAME, VALUE)                                                    \
  static constexpr llvm::StringLiteral NAME##_init[] = VALUE;                  \
  static constexpr llvm::ArrayRef<llvm::StringLiteral> NAME(                   \
      NAME##_init, std::size(NAME##_init) - 1);
#include "clang/Driver/Options.inc"
#undef PREFIX
#define OPTTABLE_VALUES_CODE
#include "clang/Driver/Options.inc"
#undef OPTTABLE_VALUES_CODE
static constexpr llvm::opt::OptTable::Info Infos[] = {
#define OPTION(...) LLVM_CONSTRUCT_OPT_INFO(__VA_ARGS__),
#include "clang/Driver/Options.inc"
#undef OPTION
};
} // namespace codeindex_option_table

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

TEST(CompileCommands, EntriesDifferingOnlyInOutputsAreOneTu) {
  TempTree T;
  std::string D = T.root();
  auto Entry = [&](const std::string &Args) {
    return R"({"directory": ")" + D + R"(", "arguments": [)" + Args +
           R"(], "file": "a.cpp"})";
  };
  auto Tus = load(
      T, "[" + Entry(R"("c++", "-O2", "-MD", "-MT", "a.o", "-MF", "a.d", "-o",
                   "a.o", "-c", "a.cpp")") +
             "," + Entry(R"("c++", "-O2", "-MMD", "-MQ", "b.o", "-MF", "b.d",
                   "--serialize-diagnostics", "b.dia", "-o", "b.o", "-c",
                   "a.cpp")") +
             "," + Entry(R"("c++", "-O2", "a.cpp", "-o", "c.o")") + "," +
             Entry(R"("c++", "-O0", "-o", "d.o", "-c", "a.cpp")") + "]");
  ASSERT_EQ(Tus.size(), 2u) << "-O0 parses as another TU";
  EXPECT_EQ(Tus[0].Index, 0u) << "the first entry stands for the others";
  EXPECT_EQ(Tus[1].Index, 3u);
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

namespace opts = clang::driver::options;
using llvm::opt::Option;

/// A JSON string literal holding S.
std::string jsonString(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    if (static_cast<unsigned char>(C) < 0x20) {
      Out += llvm::formatv("\\u{0:x-4}", static_cast<unsigned>(C)).str();
      continue;
    }
    Out += C;
  }
  return Out + "\"";
}

/// One compile database entry in the "arguments" form.
std::string entry(const std::string &Dir, const std::string &File,
                  const std::vector<std::string> &Args) {
  std::string Out = "{\"directory\": " + jsonString(Dir) +
                    ", \"file\": " + jsonString(File) + ", \"arguments\": [";
  for (size_t I = 0; I < Args.size(); ++I)
    Out += (I ? ", " : "") + jsonString(Args[I]);
  return Out + "]}";
}

std::vector<TuInput> loadArgs(TempTree &T,
                              const std::vector<std::string> &Args) {
  return load(T, "[" + entry(T.root(), "a.cpp", Args) + "]");
}

bool isFileWriting(const Option &O) {
  return isFileWritingOption(O.getUnaliasedOption().getID());
}

// Every option of Clang's table whose help text says it writes, dumps,
// saves... a file, a directory or a path is either in fileWritingOptions()
// or reviewed here as not writing one. A new Clang that adds such an option
// fails this test until it is classified.
TEST(CompileCommands, OptionTableReview) {
  const std::set<std::string> NotWriting = {
      // Shape the depfile or the -E output; nothing is written without
      // -MD/-MF/-o (stripped).
      "-MG", "-MQ", "-MT", "-MV", "-fkeep-system-includes",
      "-fminimize-whitespace", "-x",
      // Names and formats, not outputs of their own.
      "--analyzer-output", "--gpu-bundle-output", "--no-gpu-bundle-output",
      "-dumpdir", "-object-file-name=", "-fbinutils-version=",
      "-ffile-prefix-map=", "-fmacro-prefix-map=",
      "-fsanitize-undefined-strip-path-components=", "-fuse-cuid=",
      "-fdiagnostics-hotness-threshold=", "-fdiagnostics-misexpect-tolerance=",
      "-ftime-trace-granularity=", "-ftime-trace-verbose",
      "-verify=", "-mignore-xcoff-visibility",
      "-mincremental-linker-compatible", "-mno-incremental-linker-compatible",
      "-fno-temp-file", "-foutput-class-dir=",
      // Code generation choices, written into the object only.
      "-fmodules-codegen", "-fmodules-debuginfo", "-fmodules-embed-all-files",
      "-fpch-codegen", "-fno-pch-codegen", "-fpch-debuginfo",
      "-fno-pch-debuginfo", "-fdebug-info-for-profiling",
      // Read a file.
      "-fopenmp-host-ir-file-path",
      "-foverride-record-layout=", "-pch-through-header=",
      // Instrumentation: the compiled program writes when it runs.
      "-fprofile-arcs", "-fprofile-generate",
      "-fprofile-generate=", "-fno-profile-generate",
      "-fprofile-instr-generate",
      "-fprofile-instr-generate=", "-fno-profile-instr-generate",
      "-fprofile-instrument-path=", "-fcs-profile-generate",
      "-fcs-profile-generate=", "-forder-file-instrumentation",
      "-fmemory-profile=",
      // Prints to stdout, and only for the code-completion action.
      "-code-completion-at"};
  llvm::Regex Acts("write|output|dump|log|save|emit|generat|put |record|"
                   "trace|statistic|cache|report|serializ|migrat|produc",
                   llvm::Regex::IgnoreCase);
  llvm::Regex Names("file|dir|path", llvm::Regex::IgnoreCase);
  llvm::Regex FlagWrites("(write|generat|save|produc|emit|output).*file|"
                         "depfile",
                         llvm::Regex::IgnoreCase);
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  std::vector<std::string> Unreviewed, Stale;
  std::set<std::string> Seen;
  for (const llvm::opt::OptTable::Info &I : codeindex_option_table::Infos) {
    if (I.Prefixes.empty() || I.AliasID != opts::OPT_INVALID ||
        !(I.Visibility &
          (opts::ClangOption | opts::CLOption | opts::CC1Option)))
      continue;
    std::string Help = I.HelpText ? I.HelpText : "";
    std::string Meta = I.MetaVar ? I.MetaVar : "";
    std::string Name = I.PrefixedName.str();
    bool Candidate = I.Kind == Option::FlagClass
                         ? FlagWrites.match(Help)
                         : Acts.match(Help + " " + Name) &&
                               Names.match(Help + " " + Meta + " " + Name);
    if (!Candidate)
      continue;
    Seen.insert(Name);
    bool Writes = isFileWriting(Table.getOption(I.ID));
    if (!Writes && !NotWriting.count(Name))
      Unreviewed.push_back(Name + " (" + Help + ")");
    if (Writes && NotWriting.count(Name))
      Stale.push_back(Name);
  }
  EXPECT_THAT(Unreviewed, ::testing::IsEmpty())
      << "options that may write a file: add them to FileWritingIds in "
         "CompileCommands.cpp or, after checking, to NotWriting here";
  EXPECT_THAT(Stale, ::testing::IsEmpty());
  for (const std::string &N : NotWriting)
    EXPECT_TRUE(Seen.count(N)) << N << " is no longer a candidate";
  // The list holds known options only, and the ones the issue named.
  for (unsigned Id : fileWritingOptions())
    EXPECT_TRUE(Table.getOption(Id).isValid());
  for (const char *A :
       {"-dependency-file", "-serialize-diagnostic-file",
        "-diagnostic-log-file", "-header-include-file",
        "-stats-file=", "-save-stats=", "-fmodules-cache-path=", "-o", "-MF",
        "/Fo", "/Fd", "/Fp", "/FR", "/Fa", "-coverage-notes-file="}) {
    bool Found = false;
    for (unsigned Id : fileWritingOptions())
      Found |= Table.getOption(Id).getPrefixedName() == A;
    EXPECT_TRUE(Found) << A;
  }
}

// The allow-list of what may reach cc1 verbatim holds cc1 options only, and
// none that writes a file or loads code.
TEST(CompileCommands, FrontendAllowListIsHarmless) {
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  for (unsigned Id : frontendAllowedOptions()) {
    Option O = Table.getOption(Id);
    ASSERT_TRUE(O.isValid());
    EXPECT_TRUE(O.hasVisibilityFlag(opts::CC1Option))
        << O.getPrefixedName().str();
    EXPECT_FALSE(isFileWriting(O)) << O.getPrefixedName().str();
    EXPECT_FALSE(oracle::loadsCodeOrActsInProcess(O))
        << O.getPrefixedName().str();
  }
}

// Every spelling (each prefix, joined and separate forms, every alias) of
// every file-writing option, given to the driver directly, through -Xclang,
// -Xclang=, -Xpreprocessor, -Wp, and clang-cl's /clang:, in GCC and in cl
// mode: none survives, and the output path appears nowhere.
TEST(CompileCommands, NoSpellingOfAFileWritingOptionSurvives) {
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  const std::string Out = "OUTPATH";
  std::vector<std::vector<std::string>> Commands;
  std::vector<std::string> What;
  size_t Spellings = 0;
  for (const llvm::opt::OptTable::Info &I : codeindex_option_table::Infos) {
    if (I.Prefixes.empty() || !isFileWriting(Table.getOption(I.ID)))
      continue;
    for (llvm::StringRef Prefix : I.Prefixes) {
      std::string S = (Prefix + I.getName()).str();
      std::vector<std::vector<std::string>> Forms;
      switch (I.Kind) {
      case Option::FlagClass:
        Forms.push_back({S});
        break;
      case Option::JoinedClass:
      case Option::CommaJoinedClass:
        Forms.push_back({S + Out});
        break;
      case Option::SeparateClass:
        Forms.push_back({S, Out});
        break;
      case Option::JoinedOrSeparateClass:
        Forms.push_back({S + Out});
        Forms.push_back({S, Out});
        break;
      case Option::JoinedAndSeparateClass:
        Forms.push_back({S + "x", Out});
        break;
      case Option::MultiArgClass:
        Forms.push_back({S});
        for (unsigned K = 0; K < I.Param; ++K)
          Forms.back().push_back(Out);
        break;
      default:
        ADD_FAILURE() << "unexpected option kind for " << S;
      }
      ++Spellings;
      for (const std::vector<std::string> &F : Forms) {
        auto Add = [&](std::vector<std::string> Cmd, const std::string &How) {
          Commands.push_back(std::move(Cmd));
          What.push_back(How + ": " + llvm::join(F, " "));
        };
        auto Wrapped = [&](const char *Compiler,
                           std::initializer_list<const char *> Before,
                           const std::string &Joined) {
          std::vector<std::string> Cmd{Compiler};
          for (const std::string &A : F) {
            for (const char *B : Before)
              Cmd.push_back(B);
            Cmd.push_back(Joined + A);
          }
          Cmd.push_back("a.cpp");
          return Cmd;
        };
        if (I.Visibility & opts::ClangOption) {
          Add(Wrapped("clang++", {}, ""), "driver");
          Add(Wrapped("clang-cl", {}, "/clang:"), "/clang:");
        }
        if (I.Visibility & opts::CLOption)
          Add(Wrapped("clang-cl", {}, ""), "cl driver");
        if (I.Visibility & opts::CC1Option) {
          Add(Wrapped("clang++", {"-Xclang"}, ""), "-Xclang");
          Add(Wrapped("clang++", {}, "-Xclang="), "-Xclang=");
          Add(Wrapped("clang++", {"-Xpreprocessor"}, ""), "-Xpreprocessor");
          Add(Wrapped("clang-cl", {"-Xclang"}, ""), "cl -Xclang");
          Add(Wrapped("clang-cl", {}, "/clang:-Xclang="), "/clang:-Xclang=");
          if (!llvm::any_of(F,
                            [](llvm::StringRef A) { return A.contains(','); }))
            Add({"clang++", "-Wp," + llvm::join(F, ","), "a.cpp"}, "-Wp,");
        }
      }
    }
  }
  EXPECT_GT(Spellings, 120u);
  TempTree T;
  std::string Json = "[";
  for (size_t I = 0; I < Commands.size(); ++I) {
    // Commands that sanitise to the same one are one TU: a -D of its own
    // keeps each command a TU, so that each one is checked.
    std::vector<std::string> Cmd = Commands[I];
    Cmd.insert(Cmd.begin() + 1, "-DCASE_" + std::to_string(I));
    Json += (I ? ",\n" : "") + entry(T.root(), "a.cpp", Cmd);
  }
  auto Tus = load(T, Json + "]");
  ASSERT_EQ(Tus.size(), Commands.size());
  for (const TuInput &Tu : Tus) {
    SCOPED_TRACE(What[Tu.Index]);
    EXPECT_THAT(oracle::unsafeArguments(Tu.Args), ::testing::IsEmpty());
    for (const std::string &A : Tu.Args)
      EXPECT_THAT(A, Not(HasSubstr(Out)));
    EXPECT_THAT(Tu.Args, Contains("a.cpp")) << "the input must stay";
  }
}

// The arbitrary file write of issue 11: -Xclang=X reaches cc1 as X. The
// dependency file would have been victim.sh, holding the -MT text.
TEST(CompileCommands, JoinedXclangCannotWriteAFile) {
  TempTree T;
  auto Tus =
      loadArgs(T, {"clang++", "-Xclang=-dependency-file", "-Xclang=victim.sh",
                   "-Xclang=-MT", "-Xclang=echo pwned > PWNED;", "-Xclang",
                   "-serialize-diagnostic-file", "-Xclang", "d.dia",
                   "-Xclang=-diagnostic-log-file", "-Xclang=log.txt",
                   "-Xclang=-header-include-file", "-Xclang=h.txt",
                   "-Xclang=-stats-file=s.txt", "-save-stats",
                   "-fmodules-cache-path=mc", "-c", "a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  for (const std::string &A : Tus[0].Args) {
    EXPECT_THAT(A, Not(HasSubstr("victim")));
    EXPECT_THAT(A, Not(HasSubstr(".txt")));
    EXPECT_THAT(A, Not(HasSubstr("-save-stats")));
    EXPECT_THAT(A, Not(HasSubstr("mc")));
  }
  EXPECT_THAT(
      Tus[0].Stripped,
      ::testing::ElementsAre("-Xclang=-dependency-file -Xclang=victim.sh",
                             "-Xclang=-MT -Xclang=echo pwned > PWNED;",
                             "-Xclang -serialize-diagnostic-file -Xclang d.dia",
                             "-Xclang=-diagnostic-log-file -Xclang=log.txt",
                             "-Xclang=-header-include-file -Xclang=h.txt",
                             "-Xclang=-stats-file=s.txt"));
  EXPECT_THAT(oracle::unsafeArguments(Tus[0].Args), ::testing::IsEmpty());
}

// What real projects pass through -Xclang, -Xpreprocessor and -Wp, stays;
// CMake's precompiled-header flags and -Wp,-MMD,F go without a warning.
TEST(CompileCommands, RealProjectsKeepTheirFrontendFlags) {
  TempTree T;
  auto Tus = loadArgs(T, {"clang++",
                          "-Xclang",
                          "-fno-pch-timestamp",
                          "-Wp,-D_FORTIFY_SOURCE=2",
                          "-Wp,-D_GLIBCXX_ASSERTIONS",
                          "-Xpreprocessor",
                          "-fopenmp",
                          "-Xclang",
                          "-include",
                          "-Xclang",
                          "/b/cmake_pch.hxx",
                          "-Xclang",
                          "-include-pch",
                          "-Xclang",
                          "/b/cmake_pch.hxx.pch",
                          "-Xclang",
                          "-emit-pch",
                          "-Xclang",
                          "-target-feature",
                          "-Xclang",
                          "+avx2",
                          "-Xclang=-disable-O0-optnone",
                          "-Wp,-MMD,/b/a.d",
                          "-fcolor-diagnostics",
                          "-Xclang",
                          "-fdebug-compilation-dir",
                          "-Xclang",
                          ".",
                          "-c",
                          "a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Stripped, ::testing::IsEmpty());
  std::vector<std::string> Expected = {"clang++",
                                       "-Xclang",
                                       "-fno-pch-timestamp",
                                       "-Wp,-D_FORTIFY_SOURCE=2",
                                       "-Wp,-D_GLIBCXX_ASSERTIONS",
                                       "-Xpreprocessor",
                                       "-fopenmp",
                                       "-Xclang",
                                       "-include",
                                       "-Xclang",
                                       "/b/cmake_pch.hxx",
                                       "-Xclang",
                                       "-target-feature",
                                       "-Xclang",
                                       "+avx2",
                                       "-Xclang=-disable-O0-optnone",
                                       "-fcolor-diagnostics",
                                       "-Xclang",
                                       "-fdebug-compilation-dir",
                                       "-Xclang",
                                       ".",
                                       "a.cpp"};
  EXPECT_EQ(std::vector<std::string>(Tus[0].Args.begin(),
                                     Tus[0].Args.begin() + Expected.size()),
            Expected);
}

// -Wp,A,B keeps the values that may reach cc1 and reports the others.
TEST(CompileCommands, WpKeepsOnlyAllowedValues) {
  TempTree T;
  auto Tus = loadArgs(
      T, {"clang++", "-Wp,-DKEEP,-dependency-file,/b/x.d,-UGONE", "a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Args, Contains("-Wp,-DKEEP,-UGONE"));
  EXPECT_THAT(Tus[0].Stripped,
              ::testing::ElementsAre("-Wp,-DKEEP,-dependency-file,/b/x.d,"
                                     "-UGONE"));
}

// Everyday outputs go silently; anything else that reaches cc1 off the
// allow-list is reported, as are aliases of code-loading and in-process
// flags (-mllvm=, --config).
TEST(CompileCommands, AliasesAreJudgedByOptionId) {
  TempTree T;
  auto Tus =
      loadArgs(T, {"clang++", "--output=/b/a.o", "--output", "/b/b.o", "-MD",
                   "-MF/b/a.d", "-mllvm=-debug-pass=Structure", "--config",
                   "/b/c.cfg", "-Xclang=-load", "-Xclang=/b/e.so", "-Xclang",
                   "-ast-dump", "-Xclang", "-I", "a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Stripped,
              ::testing::ElementsAre(
                  "-mllvm=-debug-pass=Structure", "--config /b/c.cfg",
                  "-Xclang=-load -Xclang=/b/e.so", "-Xclang -ast-dump",
                  "-Xclang -I (missing its value)"));
  EXPECT_THAT(oracle::unsafeArguments(Tus[0].Args), ::testing::IsEmpty());
  for (const std::string &A : Tus[0].Args)
    EXPECT_THAT(A, Not(HasSubstr("/b/")));
}

// Clang's driver reads its mode from any argument that starts with
// --driver-mode=, even another option's value: one left in the command
// would make Clang read it in another mode than it was judged in ("/D" then
// "-fplugin=..." is a define in cl mode, an input and a plugin in GCC mode).
TEST(CompileCommands, DriverModeCannotBeSmuggled) {
  TempTree T;
  // The last --driver-mode= string is cl (in a dropped -o, which is /o in
  // cl mode): the command is judged in cl mode, and the earlier "gcc" one,
  // a /D value, must not reach Clang.
  auto Tus =
      loadArgs(T, {"clang-cl", "/D", "--driver-mode=gcc", "/D",
                   "-fplugin=/b/e.so", "-o", "--driver-mode=cl", "a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Stripped, ::testing::ElementsAre("/D --driver-mode=gcc"));
  EXPECT_THAT(oracle::unsafeArguments(Tus[0].Args), ::testing::IsEmpty());
  for (const std::string &A : Tus[0].Args)
    EXPECT_THAT(A, Not(HasSubstr("--driver-mode=")));
  // In cl mode "/D -fplugin=..." is a definition.
  EXPECT_THAT(Tus[0].Args, IsSupersetOf({"/D", "-fplugin=/b/e.so"}));
  // The last one wins, as in Clang: here the command is read in GCC mode,
  // where /D is an input and -fplugin= loads code.
  Tus = loadArgs(
      T, {"clang-cl", "/D", "-fplugin=/b/e.so", "--driver-mode=gcc", "a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Stripped, ::testing::ElementsAre("-fplugin=/b/e.so"));
  EXPECT_THAT(Tus[0].Args, Contains("--driver-mode=gcc"));
  EXPECT_THAT(oracle::unsafeArguments(Tus[0].Args), ::testing::IsEmpty());
}

// A compile database recorded from CMake's Ninja generator with MSVC on
// Windows: "command" strings with Windows quoting and backslashes, cl.exe
// flags. Outputs (/Fo, /Fd, /showIncludes) go, /I and /D stay.
TEST(CompileCommands, WindowsDatabaseFromCMakeNinjaMsvc) {
  TempTree T;
  std::string Json = R"([
{
  "directory": "C:/proj/build",
  "command": "C:\\PROGRA~1\\MICROS~2\\2022\\COMMUN~1\\VC\\Tools\\MSVC\\1437~1.328\\bin\\Hostx64\\x64\\cl.exe  /nologo /TP -DUNICODE -D_UNICODE \"-DGREETING=\\\"hello world\\\"\" -IC:\\proj\\include -IC:\\proj\\build\\gen /DWIN32 /D_WINDOWS /W3 /GR /EHsc /MDd /Zi /Ob0 /Od /RTC1 -std:c++17 /showIncludes /FoCMakeFiles\\app.dir\\src\\main.cpp.obj /FdCMakeFiles\\app.dir\\ /FS -c C:\\proj\\src\\main.cpp",
  "file": "C:\\proj\\src\\main.cpp",
  "output": "CMakeFiles\\app.dir\\src\\main.cpp.obj"
}])";
  auto Tus = load(T, Json);
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_EQ(Tus[0].MainFile, "C:\\proj\\src\\main.cpp");
  EXPECT_EQ(Tus[0].Directory, "C:\\proj\\build");
  EXPECT_THAT(
      Tus[0].Args,
      IsSupersetOf({"/nologo", "/TP", "-DUNICODE", "-DGREETING=\"hello world\"",
                    "-IC:\\proj\\include", "-IC:\\proj\\build\\gen", "/DWIN32",
                    "-std:c++17", "C:\\proj\\src\\main.cpp", "-fsyntax-only"}));
  for (const std::string &A : Tus[0].Args) {
    EXPECT_THAT(A, Not(HasSubstr(".obj")));
    EXPECT_THAT(A, Not(HasSubstr("/Fd")));
    EXPECT_NE(A, "/showIncludes");
    EXPECT_NE(A, "-c");
  }
  EXPECT_THAT(Tus[0].Stripped, ::testing::IsEmpty());
  EXPECT_EQ(Tus[0].Lang, Language::Cxx);
  EXPECT_THAT(oracle::unsafeArguments(Tus[0].Args, /*ClMode=*/true),
              ::testing::IsEmpty());
}

// cl.exe named in capitals (which Clang's driver on a POSIX host would not
// recognise) in the "arguments" form, with separate /Fo: /I and /D values.
TEST(CompileCommands, WindowsClModeIsMadeExplicit) {
  TempTree T;
  auto Tus =
      load(T, "[" +
                  entry("C:\\b", "C:\\s\\a.c",
                        {"C:\\VS\\BIN\\CL.EXE", "/c", "/Fo:", "C:\\o\\a.obj",
                         "/I", "C:\\inc", "/D", "X=1", "/Fa", "/FAcs",
                         "/FRC:\\o\\a.sbr", "/Fp:C:\\o\\a.pch", "/Yustdafx.h",
                         "/clang:-Xclang=-stats-file=C:\\s.txt",
                         "/d1reportAllClassLayout", "C:\\s\\a.c"}) +
                  "]");
  ASSERT_EQ(Tus.size(), 1u);
  std::vector<std::string> Head(Tus[0].Args.begin(), Tus[0].Args.begin() + 8);
  EXPECT_EQ(Head,
            (std::vector<std::string>{"C:\\VS\\BIN\\CL.EXE", "--driver-mode=cl",
                                      "/I", "C:\\inc", "/D", "X=1",
                                      "C:\\s\\a.c", "--no-default-config"}));
  EXPECT_THAT(Tus[0].Stripped,
              ::testing::ElementsAre("/clang:-Xclang=-stats-file=C:\\s.txt",
                                     "/d1reportAllClassLayout"));
  EXPECT_EQ(Tus[0].MainFile, "C:\\s\\a.c");
  EXPECT_EQ(Tus[0].Lang, Language::C);
}

// A response file in a Windows build is read with Windows quoting, and its
// flags are sanitised like the others.
TEST(CompileCommands, WindowsResponseFile) {
  TempTree T;
  T.write("build/app.rsp", "/DFROM_RSP \"/DQUOTED=a b\" "
                           "/FoC:\\out\\a.obj /IC:\\inc\r\n"
                           "-Xclang -dependency-file -Xclang C:\\x.d\r\n");
  auto Tus = load(T, R"([{"directory": ")" + T.path("build") + R"(",
    "command": "\"C:\\Program Files\\LLVM\\bin\\clang-cl.exe\" /nologo @app.rsp /c ..\\a.cpp",
    "file": "../a.cpp"}])");
  ASSERT_EQ(Tus.size(), 1u);
  EXPECT_THAT(Tus[0].Args, IsSupersetOf({"/DFROM_RSP", "/DQUOTED=a b",
                                         "/IC:\\inc", "..\\a.cpp"}));
  for (const std::string &A : Tus[0].Args)
    EXPECT_THAT(A, Not(HasSubstr("a.obj")));
  EXPECT_THAT(Tus[0].Stripped, ::testing::ElementsAre(
                                   "-Xclang -dependency-file -Xclang C:\\x.d"));
}

// A NUL inside a path is refused with the entry's number, not kept.
TEST(CompileCommands, NulCharactersAreRefused) {
  TempTree T;
  std::string P = T.write(
      "build/compile_commands.json",
      R"([{"directory": "/b", "file": "a\u0000.cpp", "arguments": ["c++", "a.cpp"]}])");
  EXPECT_THAT(errorOf(loadCompileCommands(P, {})),
              HasSubstr("entry 0: \"file\" holds a NUL character"));
  P = T.write(
      "build/compile_commands.json",
      R"([{"directory": "/b", "file": "a.cpp", "arguments": ["c++", "-DX\u0000", "a.cpp"]}])");
  EXPECT_THAT(errorOf(loadCompileCommands(P, {})),
              HasSubstr("entry 0: the command holds a NUL character"));
}

TEST(CompileCommands, EmptyArrayIsAnEmptyDatabaseNotBadJson) {
  TempTree T;
  std::string P = T.write("build/compile_commands.json", "[]");
  std::string E = errorOf(loadCompileCommands(P, {}));
  EXPECT_THAT(E, HasSubstr("lists no translation units"));
  EXPECT_THAT(E, Not(HasSubstr("JSON")));
  // The same in UTF-16 and UTF-32, with and without a byte order mark.
  for (llvm::StringRef Wide :
       {llvm::StringRef("\xFF\xFE[\0]\0", 6), llvm::StringRef("[\0]\0", 4),
        llvm::StringRef("\xFE\xFF\0[\0]", 6), llvm::StringRef("\0[\0]", 4),
        llvm::StringRef("\xFF\xFE\0\0[\0\0\0]\0\0\0", 12)}) {
    P = T.write("build/compile_commands.json", Wide.str());
    EXPECT_THAT(errorOf(loadCompileCommands(P, {})),
                HasSubstr("lists no translation units"));
  }
}

TEST(CompileCommands, Utf16DatabaseIsRead) {
  TempTree T;
  std::string Utf8 = R"([{"directory": "/b", "file": "a.cpp", )"
                     R"("command": "c++ -DX -c a.cpp"}])";
  std::string Utf16 = "\xFF\xFE";
  for (char C : Utf8) {
    Utf16 += C;
    Utf16 += '\0';
  }
  std::string P = T.write("build/compile_commands.json", Utf16);
  auto R = loadCompileCommands(P, {});
  ASSERT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  ASSERT_EQ(R->size(), 1u);
  EXPECT_EQ((*R)[0].MainFile, "/b/a.cpp");
  EXPECT_THAT((*R)[0].Args, Contains("-DX"));
}

#ifndef _WIN32
// A FIFO would block the read forever: refused before it is opened.
TEST(CompileCommands, FifoIsRefusedNotRead) {
  TempTree T;
  T.write("build/x", "");
  std::string Fifo = T.path("build/compile_commands.json");
  ASSERT_EQ(::mkfifo(Fifo.c_str(), 0600), 0);
  EXPECT_THAT(errorOf(findCompileCommands(T.path("build"))),
              HasSubstr("is a FIFO"));
  EXPECT_THAT(errorOf(findCompileCommands(Fifo)), HasSubstr("is a FIFO"));
  EXPECT_THAT(errorOf(loadCompileCommands(Fifo, {})), HasSubstr("is a FIFO"));
}
#endif

} // namespace
} // namespace codeindex
