//===- ExtractorTest.cpp - The extractor on small real TUs ----------------===//
//
// Each test writes a tiny project into an in-memory file system (clangd's
// TestTU style: nothing touches the disk), runs the real Clang frontend on
// it through extractTranslationUnit() and matches the facts with gmock. The
// lit tests check whole exports; these check the pieces the exports hide:
// which TU emits a header's facts, ids of internal-linkage symbols, body
// hashes, and what a TU with errors still yields.
//
//===----------------------------------------------------------------------===//

#include "extractor/Extractor.h"
#include "TestUtil.h"
#include "extractor/CompileCommands.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <map>

namespace codeindex {
namespace {

using test::MemoryTree;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// NOLINTNEXTLINE(readability-identifier-naming): gmock matchers are CamelCase.
MATCHER_P2(IsEntity, Kind, QualifiedName, "") {
  return arg.Kind == Kind && arg.QualifiedName == QualifiedName;
}

class ExtractorTest : public ::testing::Test {
protected:
  ExtractorTest() : Paths(T.root()) { Opts.Root = T.root(); }

  /// One TU per source, compiled with Flags, in a database under build/. A
  /// source may carry flags of its own after its name: "b.cpp -DWIDE".
  std::vector<TuInput> database(const std::vector<std::string> &Sources,
                                const std::string &Flags = "") {
    std::string Json = "[";
    for (const std::string &S : Sources) {
      auto [File, Own] = llvm::StringRef(S).split(' ');
      Json += std::string(Json.size() > 1 ? "," : "") + "{\"directory\": \"" +
              T.root() + "\", \"command\": \"clang++ -std=c++17 " + Flags +
              " " + Own.str() + " -c " + File.str() + "\", \"file\": \"" +
              File.str() + "\"}";
    }
    Json += "]";
    LoadOptions LO;
    LO.ResourceDir = defaultResourceDir();
    auto Tus =
        parseCompileCommands(Json, T.path("build/compile_commands.json"), LO);
    EXPECT_TRUE(static_cast<bool>(Tus)) << llvm::toString(Tus.takeError());
    return Tus ? std::move(*Tus) : std::vector<TuInput>{};
  }

  TuResult extract(const TuInput &In) {
    ExtractContext Ctx{Opts, Paths, Claims, Hashes, Usrs};
    return extractTranslationUnit(In, Ctx, T.fs());
  }

  static const UnitFacts *unit(const TuResult &R, const std::string &Path) {
    for (const UnitFacts &U : R.Units)
      if (U.File.Path == Path)
        return &U;
    return nullptr;
  }

  /// Entities of every unit of R, by id.
  static std::map<Id, EntityFact> entities(const TuResult &R) {
    std::map<Id, EntityFact> M;
    for (const UnitFacts &U : R.Units)
      for (const EntityFact &E : U.Entities)
        M.emplace(E.ID, E);
    return M;
  }

  /// "calls f -> g" for each edge of unit U, names from R's entities.
  static std::vector<std::string> edges(const TuResult &R, const UnitFacts &U) {
    auto Names = entities(R);
    auto Name = [&](Id I) {
      auto It = Names.find(I);
      return It == Names.end() ? formatId(I) : It->second.QualifiedName;
    };
    std::vector<std::string> Out;
    for (const EdgeFact &E : U.Edges)
      Out.push_back(std::string(spell(E.Kind)) + " " + Name(E.From) + " -> " +
                    Name(E.To));
    return Out;
  }

  MemoryTree T;
  ExtractOptions Opts;
  PathMapper Paths;
  UnitClaims Claims;
  FileHashCache Hashes;
  UsrRegistry Usrs;
};

TEST_F(ExtractorTest, EntitiesAndCallsOfOneFile) {
  T.write("a.cpp", "namespace n { int f(int x) { return x; } }\n"
                   "struct S { int m() const { return n::f(1); } };\n");
  auto Tus = database({"a.cpp"});
  ASSERT_EQ(Tus.size(), 1u);
  TuResult R = extract(Tus[0]);
  EXPECT_EQ(R.Record.Status, TuStatus::Ok);
  const UnitFacts *A = unit(R, "a.cpp");
  ASSERT_NE(A, nullptr);
  EXPECT_THAT(A->Entities,
              UnorderedElementsAre(IsEntity(EntityKind::Namespace, "n"),
                                   IsEntity(EntityKind::Function, "n::f"),
                                   IsEntity(EntityKind::Struct, "S"),
                                   IsEntity(EntityKind::Method, "S::m")));
  EXPECT_THAT(edges(R, *A), Contains("calls S::m -> n::f"));
  EXPECT_THAT(edges(R, *A), Contains("contains n -> n::f"));
  EXPECT_THAT(A->Entities, Contains(AllOf(IsEntity(EntityKind::Method, "S::m"),
                                          Field(&EntityFact::Signature,
                                                "int S::m() const"))));
}

TEST_F(ExtractorTest, AHeaderIsEmittedByTheFirstTuThatClaimsIt) {
  T.write("h.h", "#pragma once\ninline int shared() { return 1; }\n");
  T.write("a.cpp", "#include \"h.h\"\nint a() { return shared(); }\n");
  T.write("b.cpp", "#include \"h.h\"\nint b() { return shared(); }\n");
  auto Tus = database({"a.cpp", "b.cpp"});
  ASSERT_EQ(Tus.size(), 2u);
  TuResult A = extract(Tus[0]), B = extract(Tus[1]);
  ASSERT_NE(unit(A, "h.h"), nullptr);
  EXPECT_THAT(unit(A, "h.h")->Entities,
              Contains(IsEntity(EntityKind::Function, "shared")));
  EXPECT_EQ(unit(B, "h.h"), nullptr) << "h.h was claimed by a.cpp";
  // b.cpp's own facts are complete: its call into the header is kept.
  ASSERT_NE(unit(B, "b.cpp"), nullptr);
  Id Shared = unit(A, "h.h")->Entities.front().ID;
  EXPECT_THAT(unit(B, "b.cpp")->Edges,
              Contains(AllOf(Field(&EdgeFact::Kind, EdgeKind::Calls),
                             Field(&EdgeFact::To, Shared))));
}

TEST_F(ExtractorTest, WithoutDedupEveryTuEmitsTheHeader) {
  Opts.DedupHeaders = false;
  T.write("h.h", "#pragma once\ninline int shared() { return 1; }\n");
  T.write("a.cpp", "#include \"h.h\"\n");
  T.write("b.cpp", "#include \"h.h\"\n");
  auto Tus = database({"a.cpp", "b.cpp"});
  TuResult A = extract(Tus[0]), B = extract(Tus[1]);
  ASSERT_NE(unit(A, "h.h"), nullptr);
  ASSERT_NE(unit(B, "h.h"), nullptr);
  EXPECT_EQ(unit(A, "h.h")->Entities.size(), unit(B, "h.h")->Entities.size());
}

TEST_F(ExtractorTest, HeaderUnderDifferentMacrosIsTwoUnits) {
  T.write("h.h", "#ifdef WIDE\nlong value();\n#else\nint value();\n#endif\n");
  T.write("a.cpp", "#include \"h.h\"\n");
  T.write("b.cpp", "#include \"h.h\"\n");
  auto Tus = database({"a.cpp", "b.cpp -DWIDE"});
  ASSERT_EQ(Tus.size(), 2u);
  TuResult A = extract(Tus[0]), B = extract(Tus[1]);
  const UnitFacts *HA = unit(A, "h.h"), *HB = unit(B, "h.h");
  ASSERT_NE(HA, nullptr);
  ASSERT_NE(HB, nullptr) << "a different variant is not claimed by a.cpp";
  EXPECT_NE(HA->Key.Variant, HB->Key.Variant);
  EXPECT_THAT(HA->Entities,
              Contains(Field(&EntityFact::Signature, "int value()")));
  EXPECT_THAT(HB->Entities,
              Contains(Field(&EntityFact::Signature, "long value()")));
}

TEST_F(ExtractorTest, InternalLinkageIdsAreUniquePerFile) {
  // Clang's USR of a static function names the file by its base name only;
  // two util.cpp files in different directories must not merge.
  T.write("x/util.cpp", "static int helper() { return 1; }\n");
  T.write("y/util.cpp", "static int helper() { return 2; }\n");
  auto Tus = database({"x/util.cpp", "y/util.cpp"});
  TuResult X = extract(Tus[0]), Y = extract(Tus[1]);
  ASSERT_NE(unit(X, "x/util.cpp"), nullptr);
  ASSERT_NE(unit(Y, "y/util.cpp"), nullptr);
  const EntityFact &HX = unit(X, "x/util.cpp")->Entities.at(0);
  const EntityFact &HY = unit(Y, "y/util.cpp")->Entities.at(0);
  EXPECT_EQ(HX.QualifiedName, "helper");
  EXPECT_NE(HX.ID, HY.ID);
  EXPECT_NE(HX.Usr, HY.Usr);
}

TEST_F(ExtractorTest, BodyHashFollowsTheDefinitionText) {
  T.write("a.cpp", "int f() { return 1; }\nint g() { return 1; }\n");
  T.write("b.cpp", "int f() { return 2; }\nint g() { return 1; }\n");
  auto Tus = database({"a.cpp", "b.cpp"});
  auto Hashes = [&](const TuResult &R, const std::string &P) {
    std::map<std::string, uint64_t> M;
    for (const EntityFact &E : unit(R, P)->Entities)
      M[E.Name] = E.BodyHash;
    return M;
  };
  auto A = Hashes(extract(Tus[0]), "a.cpp");
  auto B = Hashes(extract(Tus[1]), "b.cpp");
  EXPECT_NE(A["f"], 0u);
  EXPECT_NE(A["f"], B["f"]) << "the body changed";
  EXPECT_EQ(A["g"], B["g"]) << "the same text hashes the same";
}

TEST_F(ExtractorTest, BodyHashIgnoresCommentsWhitespaceAndTheOwnName) {
  T.write("a.cpp", "#define TWICE(x) ((x) * 2)\n"
                   "int f(int X) { return X + 1; }\n"
                   "int g(int X) { return g(X - 1); }\n"
                   "int h() { return 1; }\n");
  T.write("b.cpp", "// A new first line moves everything.\n"
                   "#define  TWICE(x)   /* doubled */ ((x)*2)\n"
                   "int f(int X) {\n"
                   "  // why\n"
                   "  return X+1;\n"
                   "}\n"
                   "int renamed(int X) { return renamed(X - 1); }\n"
                   "int h() { return 2; }\n");
  auto Tus = database({"a.cpp", "b.cpp"});
  auto Hashes = [&](const TuResult &R, const std::string &P) {
    std::map<std::string, uint64_t> M;
    for (const EntityFact &E : unit(R, P)->Entities)
      M[E.Name] = E.BodyHash;
    return M;
  };
  auto A = Hashes(extract(Tus[0]), "a.cpp");
  auto B = Hashes(extract(Tus[1]), "b.cpp");
  EXPECT_NE(A["TWICE"], 0u);
  EXPECT_EQ(A["TWICE"], B["TWICE"]) << "comments and spaces only";
  EXPECT_EQ(A["f"], B["f"]) << "comments and line breaks only";
  EXPECT_EQ(A["g"], B["renamed"]) << "a rename, with the recursive call";
  EXPECT_NE(A["h"], B["h"]) << "a token changed";
}

TEST_F(ExtractorTest, ATuWithErrorsIsIndexedAsFarAsClangRecovers) {
  T.write("a.cpp", "int good() { return 1; }\n"
                   "int bad() { return undeclared_name; }\n");
  auto Tus = database({"a.cpp"});
  TuResult R = extract(Tus[0]);
  EXPECT_EQ(R.Record.Status, TuStatus::Errors);
  EXPECT_THAT(R.Record.Diagnostics,
              Contains(AllOf(Field(&DiagnosticFact::Sev, Severity::Error),
                             Field(&DiagnosticFact::Line, 2u),
                             Field(&DiagnosticFact::Message,
                                   HasSubstr("undeclared_name")))));
  ASSERT_NE(unit(R, "a.cpp"), nullptr);
  EXPECT_THAT(unit(R, "a.cpp")->Entities,
              Contains(IsEntity(EntityKind::Function, "good")));
}

TEST_F(ExtractorTest, TheTuRecordListsEveryFileItRead) {
  T.write("inc/h.h", "#pragma once\nint h();\n");
  T.write("a.cpp", "#include \"h.h\"\nint a() { return h(); }\n");
  auto Tus = database({"a.cpp"}, "-Iinc");
  TuResult R = extract(Tus[0]);
  std::vector<std::string> Read;
  for (const auto &[Path, Hash] : R.Record.Inputs) {
    Read.push_back(Path);
    EXPECT_NE(Hash, 0u) << Path;
  }
  EXPECT_THAT(Read, Contains(T.path("a.cpp")));
  EXPECT_THAT(Read, Contains(T.path("inc/h.h")));
}

TEST_F(ExtractorTest, ExcludedFilesAreTreatedAsExternal) {
  Opts.Exclude.push_back(llvm::cantFail(llvm::GlobPattern::create("gen/*")));
  T.write("gen/g.h", "#pragma once\ninline int generated() { return 0; }\n");
  T.write("a.cpp", "#include \"gen/g.h\"\nint a() { return generated(); }\n");
  auto Tus = database({"a.cpp"});
  TuResult R = extract(Tus[0]);
  // The file is listed (as skipped) but says nothing about entities.
  const UnitFacts *G = unit(R, "gen/g.h");
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(G->File.Status, FileStatus::Skipped);
  EXPECT_TRUE(G->Entities.empty());
  EXPECT_TRUE(G->Edges.empty());
  // What a.cpp calls there is kept, as an external entity without a body.
  ASSERT_NE(unit(R, "a.cpp"), nullptr);
  EXPECT_THAT(unit(R, "a.cpp")->Entities,
              Contains(AllOf(IsEntity(EntityKind::Function, "generated"),
                             Field(&EntityFact::External, true),
                             Field(&EntityFact::File, "gen/g.h"),
                             Field(&EntityFact::BodyHash, 0u))));
  EXPECT_THAT(edges(R, *unit(R, "a.cpp")), Contains("calls a -> generated"));
}

} // namespace
} // namespace codeindex
