//===- GraphJsonTest.cpp - The JSON export writer and reader --------------===//

#include "codeindex/graph/GraphJson.h"

#include "GraphTestUtil.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace codeindex {
namespace {

using test::entityOf;
using test::MemGraph;
using test::unitOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string tempPath(const char *Name) {
  return ::testing::TempDir() + "/" + Name + "." + std::to_string(getpid()) +
         ".json";
}

std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

/// A two-file graph: f.cpp defines f and g, g calls f twice.
void fill(MemGraph &M, bool Reverse) {
  UnitFacts A = unitOf("f.cpp"), B = unitOf("g.cpp");
  A.Entities.push_back(entityOf(0x10, "f", 1, true));
  A.Entities.back().File = "f.cpp";
  B.Entities.push_back(entityOf(0x20, "g", 1, true));
  B.Entities.back().File = "g.cpp";
  EdgeFact E;
  E.Kind = EdgeKind::Calls;
  E.From = 0x20;
  E.To = 0x10;
  E.Sites = {SiteFact{2, 3, false}, SiteFact{4, 5, true}};
  B.Edges.push_back(E);
  if (Reverse) {
    M.addTu(2, "g.cpp", {B});
    M.addTu(1, "f.cpp", {A});
  } else {
    M.addTu(1, "f.cpp", {A});
    M.addTu(2, "g.cpp", {B});
  }
}

TEST(GraphJson, EntityRecordShape) {
  Entity E;
  E.ID = 0xab;
  E.Usr = "c:@F@f#";
  E.Kind = EntityKind::Method;
  E.Name = "f";
  E.QualifiedName = "S::f";
  E.Signature = "int S::f() const";
  E.File = "s.h";
  E.Range = Extent{3, 5, 3, 30};
  E.IsDefinition = true;
  E.Parent = 0xcd;
  E.Lang = Language::Cxx;
  E.Acc = Access::Public;
  E.Flags = flag::Const | flag::Inline;
  E.Hash = 0xef;
  EXPECT_EQ(toJson(E).dump(),
            R"({"id":"00000000000000ab","usr":"c:@F@f#","kind":"method",)"
            R"("name":"f","qualified_name":"S::f","signature":"int S::f() )"
            R"(const","file":"s.h","line":3,"column":5,"end_line":3,)"
            R"("end_column":30,"is_definition":true,"declarations":[],)"
            R"("parent":"00000000000000cd","language":"c++","access":)"
            R"("public","flags":["inline","const"],"is_test":false,)"
            R"("external":false,"hash":"00000000000000ef"})");
  E.External = true;
  EXPECT_THAT(toJson(E).dump(), Not(HasSubstr("\"hash\"")))
      << "external entities carry no body hash";
}

TEST(GraphJson, EdgeRecordShape) {
  Edge E;
  E.Kind = EdgeKind::Inherits;
  E.From = 1;
  E.To = 2;
  E.Acc = Access::Protected;
  E.Virtual = true;
  E.Sites = {Site{"a.h", 4, 9, false}};
  EXPECT_EQ(toJson(E).dump(),
            R"({"kind":"inherits","from":"0000000000000001","to":)"
            R"("0000000000000002","access":"protected","virtual":true,)"
            R"("sites":[{"file":"a.h","line":4,"column":9}]})");
}

TEST(GraphJson, OutputIsIndependentOfWriteOrder) {
  MemGraph M1, M2;
  fill(M1, false);
  fill(M2, true);
  std::string P1 = tempPath("order1"), P2 = tempPath("order2");
  ASSERT_TRUE(writeGraphJson(*M1.G, P1).isOk());
  ASSERT_TRUE(writeGraphJson(*M2.G, P2).isOk());
  EXPECT_EQ(slurp(P1), slurp(P2));
  std::remove(P1.c_str());
  std::remove(P2.c_str());
}

TEST(GraphJson, OneRecordPerLineRunLastNoTemporariesLeft) {
  MemGraph M;
  fill(M, false);
  std::string P = tempPath("layout");
  GraphStats Stats;
  ASSERT_TRUE(writeGraphJson(*M.G, P, &Stats).isOk());
  std::string Text = slurp(P);
  EXPECT_THAT(Text, StartsWith("{\n  \"schema\": \"code-index/graph\",\n"
                               "  \"schema_version\": 2,\n"));
  EXPECT_THAT(Text, HasSubstr("\n  \"entities\": [\n    {\"id\":"
                              "\"0000000000000010\""));
  EXPECT_THAT(Text, HasSubstr("\n  \"run\": {}\n}\n"));
  auto J = nlohmann::ordered_json::parse(Text);
  EXPECT_EQ(J.back(), nlohmann::ordered_json::object()) << "run is last";
  EXPECT_EQ(Stats.Entities, 2u);
  EXPECT_EQ(Stats.Edges, 1u);
  EXPECT_EQ(Stats.EdgesByKind[static_cast<int>(EdgeKind::Calls)], 1u);
  std::ifstream Tmp(P + ".tmp"), Body(P + ".body.tmp");
  EXPECT_FALSE(Tmp.good());
  EXPECT_FALSE(Body.good());
  std::remove(P.c_str());
}

TEST(GraphJson, InvalidUtf8IsReplacedNotFatal) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp");
  A.Entities.push_back(entityOf(0x10, "f", 1, true));
  A.Entities.back().Signature = "void f(char c = '\xff')";
  M.addTu(1, "a.cpp", {A});
  std::string P = tempPath("utf8");
  ASSERT_TRUE(writeGraphJson(*M.G, P).isOk());
  std::string Text = slurp(P);
  EXPECT_THAT(Text, HasSubstr("'\xef\xbf\xbd'")) << "U+FFFD";
  EXPECT_FALSE(nlohmann::json::parse(Text).is_discarded());
  std::remove(P.c_str());
}

TEST(GraphJson, EdgesToUnknownEntitiesAreDroppedAndCounted) {
  MemGraph M;
  UnitFacts A = unitOf("a.cpp");
  A.Entities.push_back(entityOf(0x10, "f", 1, true));
  EdgeFact E;
  E.Kind = EdgeKind::Calls;
  E.From = 0x10;
  E.To = 0x99; // nobody declares it
  A.Edges.push_back(E);
  M.addTu(1, "a.cpp", {A});
  std::string P = tempPath("dangling");
  ASSERT_TRUE(writeGraphJson(*M.G, P).isOk());
  auto J = nlohmann::json::parse(slurp(P));
  EXPECT_TRUE(J["edges"].empty());
  EXPECT_EQ(J["stats"]["dangling_edges_dropped"], 1);
  std::remove(P.c_str());
}

TEST(GraphJson, LoadReadsBackWhatWasWritten) {
  MemGraph M;
  fill(M, false);
  std::string P = tempPath("load");
  ASSERT_TRUE(writeGraphJson(*M.G, P).isOk());
  Graph G;
  ASSERT_TRUE(loadGraphJson(P, G).isOk());
  EXPECT_EQ(G.SchemaVersion, ExportSchemaVersion);
  ASSERT_EQ(G.Entities.size(), 2u);
  EXPECT_EQ(G.Entities[0].QualifiedName, "f");
  EXPECT_EQ(G.Entities[0].Hash, 0x1234u);
  ASSERT_EQ(G.Edges.size(), 1u);
  EXPECT_EQ(G.Edges[0].From, 0x20u);
  ASSERT_EQ(G.Edges[0].Sites.size(), 2u);
  EXPECT_TRUE(G.Edges[0].Sites[1].Virtual);
  ASSERT_EQ(G.Files.size(), 2u);
  EXPECT_EQ(G.Files[0].Path, "f.cpp");
  std::remove(P.c_str());
}

TEST(GraphJson, MissingParentDirectoriesAreCreated) {
  MemGraph M;
  fill(M, false);
  std::string Dir =
      ::testing::TempDir() + "/nested." + std::to_string(getpid());
  std::string P = Dir + "/a/b/graph.json";
  ASSERT_TRUE(writeGraphJson(*M.G, P).isOk());
  EXPECT_TRUE(std::ifstream(P).good());
  std::remove(P.c_str());
  std::remove((Dir + "/a/b").c_str());
  std::remove((Dir + "/a").c_str());
  std::remove(Dir.c_str());
}

TEST(GraphJson, LoadNamesWhatIsWrong) {
  std::string P = tempPath("bad");
  std::ofstream(P) << "{\"schema\": \"something-else\"}" << std::flush;
  Graph G;
  Status St = loadGraphJson(P, G);
  EXPECT_FALSE(St.isOk());
  EXPECT_THAT(St.message(), HasSubstr(P));
  std::ofstream(P) << "{\"schema\": \"code-index/graph\", " << std::flush;
  St = loadGraphJson(P, G);
  EXPECT_FALSE(St.isOk());
  EXPECT_THAT(St.message(), HasSubstr(P));
  std::remove(P.c_str());
  EXPECT_FALSE(loadGraphJson(P, G).isOk()) << "missing file";
}

} // namespace
} // namespace codeindex
