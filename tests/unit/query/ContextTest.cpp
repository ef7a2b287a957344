//===- ContextTest.cpp - Context within a token budget --------------------===//
//
// `query context`: whatever the budget, the answer's estimate never exceeds
// it (or, below the smallest possible answer, there is no answer but an
// error); what is left out is counted; closer callers and callees come
// before farther ones; source text comes from under the project root only.
//
//===----------------------------------------------------------------------===//

#include "QueryTestUtil.h"

#include "query/Context.h"
#include "query/GraphIndex.h"
#include "query/QueryError.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <fstream>

namespace codeindex {
namespace {

using namespace test;

const unsigned NumCallers = 12, NumCallees = 6, BodyLines = 5;
const unsigned HubLines = 200;

Id callerId(unsigned I) { return 100 + I; }
Id farCallerId(unsigned I) { return 200 + I; }
Id calleeId(unsigned I) { return 300 + I; }
Id testId(unsigned I) { return 400 + I; }
const Id Hub = 1;

/// An entity of File spanning Lines lines from Line.
Entity span(Id I, EntityKind K, const std::string &QN, const std::string &File,
            unsigned Line, unsigned Lines, bool IsTest = false) {
  Entity E = entity(I, K, QN, IsTest);
  E.File = File;
  E.Range.Line = Line;
  E.Range.EndLine = Line + Lines - 1;
  return E;
}

/// hub (200 lines in src/hub.cpp) is called by c00..c11 (each called by
/// d00..d11) and calls e00..e05; t0..t2 (tests) call c00..c02. Every body
/// is in src/others.cpp, BodyLines lines each. The sources are written
/// under Root.
Graph hubGraph(const std::string &Root) {
  using K = EntityKind;
  std::vector<Entity> Es;
  std::vector<Edge> Eds;
  Es.push_back(span(Hub, K::Function, "hub", "src/hub.cpp", 1, HubLines));
  unsigned Line = 1;
  std::string Others;
  auto Body = [&](Id I, const std::string &Name, bool IsTest = false) {
    Es.push_back(
        span(I, K::Function, Name, "src/others.cpp", Line, BodyLines, IsTest));
    for (unsigned L = 0; L < BodyLines; ++L)
      Others += "  // " + Name + " line " + std::to_string(L) + "\n";
    Line += BodyLines;
  };
  auto Two = [](unsigned I) { return (I < 10 ? "0" : "") + std::to_string(I); };
  for (unsigned I = 0; I < NumCallers; ++I) {
    Body(callerId(I), "c" + Two(I));
    Body(farCallerId(I), "d" + Two(I));
    Eds.push_back(edge(EdgeKind::Calls, callerId(I), Hub));
    Eds.push_back(edge(EdgeKind::Calls, farCallerId(I), callerId(I)));
  }
  for (unsigned I = 0; I < NumCallees; ++I) {
    Body(calleeId(I), "e" + Two(I));
    Eds.push_back(edge(EdgeKind::Calls, Hub, calleeId(I)));
  }
  for (unsigned I = 0; I < 3; ++I) {
    Body(testId(I), "t" + std::to_string(I), /*IsTest=*/true);
    Eds.push_back(edge(EdgeKind::Calls, testId(I), callerId(I)));
  }
  Graph G = graphOf(Es, Eds);
  G.Project = {{"root", Root}};
  llvm::sys::fs::create_directories(Root + "/src");
  std::ofstream(Root + "/src/others.cpp") << Others;
  std::ofstream HubFile(Root + "/src/hub.cpp");
  for (unsigned L = 1; L <= HubLines; ++L)
    HubFile << "  int hubLine" << L << " = " << L << ";\n";
  return G;
}

class ContextTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> Dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("context-test", Dir));
    Root = std::string(Dir);
    Index = std::make_unique<GraphIndex>(hubGraph(Root));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string Root;
  std::unique_ptr<GraphIndex> Index;
};

unsigned listedAt(const ojson &C, const char *List, unsigned Depth) {
  unsigned N = 0;
  for (const ojson &E : C[List])
    N += E["depth"].get<unsigned>() == Depth;
  return N;
}

TEST_F(ContextTest, NeverOverBudget) {
  size_t LastListed = 0;
  unsigned Answered = 0;
  for (unsigned Budget : {1u, 10u, 40u, 60u, 80u, 100u, 150u, 200u, 300u, 400u,
                          600u, 800u, 1200u, 2000u, 3000u, 5000u, 20000u}) {
    SCOPED_TRACE("budget " + std::to_string(Budget));
    llvm::Expected<ojson> C = contextFor(*Index, Hub, Budget);
    if (!C) {
      // Only below what the smallest answer needs.
      std::string Msg;
      llvm::handleAllErrors(C.takeError(), [&](const QueryError &Q) {
        EXPECT_EQ(Q.kind(), QueryError::Usage);
        Msg = Q.message();
      });
      EXPECT_LT(Budget, 150u) << Msg;
      EXPECT_NE(Msg.find("cannot hold the context of hub"), std::string::npos)
          << Msg;
      continue;
    }
    ++Answered;
    size_t Estimate = estimateTokens(*C);
    EXPECT_LE(Estimate, Budget);
    EXPECT_EQ((*C)["tokens"].get<size_t>(), Estimate);
    EXPECT_EQ((*C)["budget"].get<unsigned>(), Budget);
    // Everything is either in the answer or counted as left out; small
    // budgets stop the walks early and say so.
    const ojson &O = (*C)["omitted"];
    size_t Callers = (*C)["callers"].size() + O["callers"].get<size_t>();
    size_t Callees = (*C)["callees"].size() + O["callees"].get<size_t>();
    if (O["more"].get<bool>()) {
      EXPECT_LT(Callers, 2 * NumCallers + 3);
      EXPECT_GE(Callers, Budget / 40);
    } else {
      EXPECT_EQ(Callers, 2 * NumCallers + 3);
      EXPECT_EQ(Callees, NumCallees);
    }
    EXPECT_EQ((*C)["tests"].size() + O["tests"].get<size_t>(), 3u);
    size_t Listed =
        (*C)["callers"].size() + (*C)["callees"].size() + (*C)["tests"].size();
    EXPECT_GE(Listed, LastListed) << "a bigger budget shows less";
    LastListed = Listed;
    // Closest first: nobody at depth 2 while someone at depth 1 is out.
    if (listedAt(*C, "callers", 2)) {
      EXPECT_EQ(listedAt(*C, "callers", 1), NumCallers);
    }
    // Bodies closest first too.
    bool FarBody = false;
    unsigned NearBodies = 0;
    for (const ojson &E : (*C)["callers"]) {
      if (E["body"].is_null())
        continue;
      if (E["depth"] == 1)
        ++NearBodies;
      else
        FarBody = true;
    }
    if (FarBody) {
      EXPECT_EQ(NearBodies, NumCallers);
    }
  }
  EXPECT_GE(Answered, 12u);
}

TEST_F(ContextTest, BigBudgetShowsEverything) {
  llvm::Expected<ojson> C = contextFor(*Index, Hub, 100000);
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  const ojson &O = (*C)["omitted"];
  for (const char *K :
       {"source_lines", "callers", "callees", "bodies", "tests"})
    EXPECT_EQ(O[K].get<size_t>(), 0u) << K;
  EXPECT_TRUE(O["names"].empty());
  EXPECT_FALSE(O["more"].get<bool>());
  EXPECT_FALSE((*C)["source"]["truncated"].get<bool>());
  EXPECT_EQ((*C)["source"]["end"].get<unsigned>(), HubLines);
  EXPECT_EQ((*C)["source"]["text"].get<std::string>().substr(0, 18),
            "  int hubLine1 = 1");
  // Callers at depth 1 and 2 (the tests call c00..c02 too), with bodies.
  EXPECT_EQ(listedAt(*C, "callers", 1), NumCallers);
  EXPECT_EQ(listedAt(*C, "callers", 2), NumCallers + 3);
  const ojson &First = (*C)["callers"][0];
  EXPECT_EQ(First["entity"]["qualified_name"], "c00");
  EXPECT_EQ(First["body"]["text"].get<std::string>().substr(0, 19),
            "  // c00 line 0\n  /");
  EXPECT_EQ((*C)["callees"].size(), NumCallees);
  ASSERT_EQ((*C)["tests"].size(), 3u);
  EXPECT_EQ((*C)["tests"][0]["depth"], 2);
}

TEST_F(ContextTest, SmallBudgetsCutTheSourceAndSayWhatIsLeftOut) {
  llvm::Expected<ojson> C = contextFor(*Index, Hub, 600);
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  const ojson &S = (*C)["source"];
  ASSERT_FALSE(S.is_null());
  EXPECT_TRUE(S["truncated"].get<bool>());
  unsigned Shown = S["end"].get<unsigned>() - S["line"].get<unsigned>() + 1;
  EXPECT_EQ((*C)["omitted"]["source_lines"].get<unsigned>(), HubLines - Shown);
  // Half of the room went to the source: some callers are listed.
  EXPECT_GT((*C)["callers"].size() + (*C)["callees"].size(), 0u);
  EXPECT_GT((*C)["omitted"]["callers"].get<unsigned>(), 0u);
  // The names of what was left out, closest first, at most ten.
  const ojson &Names = (*C)["omitted"]["names"];
  EXPECT_LE(Names.size(), 10u);
  EXPECT_FALSE(Names.empty());
}

TEST_F(ContextTest, SourceComesOnlyFromUnderTheRoot) {
  // The graph says hub is in ../outside.cpp: not read, though it exists.
  Graph G = hubGraph(Root);
  for (Entity &E : G.Entities)
    if (E.ID == Hub)
      E.File = "../" + llvm::sys::path::filename(Root).str() + "-outside.cpp";
  std::ofstream(Root + "-outside.cpp") << "secret\n";
  GraphIndex Outside(std::move(G));
  llvm::Expected<ojson> C = contextFor(Outside, Hub, 5000);
  llvm::sys::fs::remove(Root + "-outside.cpp");
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_TRUE((*C)["source"].is_null());
  EXPECT_EQ(compactJson(*C).find("secret"), std::string::npos);
  // Nor through a symbolic link that leaves it.
  EXPECT_FALSE(readSourceLines(Root, "../x", 1, 1).has_value());
  std::ofstream(Root + "-target.txt") << "secret\n";
  ASSERT_FALSE(
      llvm::sys::fs::create_link(Root + "-target.txt", Root + "/src/link.cpp"));
  EXPECT_FALSE(readSourceLines(Root, "src/link.cpp", 1, 1).has_value());
  llvm::sys::fs::remove(Root + "-target.txt");
  EXPECT_EQ(readSourceLines(Root, "src/hub.cpp", 2, 3),
            "  int hubLine2 = 2;\n  int hubLine3 = 3;\n");
}

TEST_F(ContextTest, TheCommandPrintsJsonOrATable) {
  QueryOptions O;
  O.Tokens = 400;
  O.Format = OutputFormat::Json;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  ASSERT_FALSE(bool(runQuery(*Index, {"context", "hub"}, O, OS)));
  ojson J = ojson::parse(Out);
  EXPECT_LE(estimateTokens(J), 400u);
  O.Format = OutputFormat::Table;
  Out.clear();
  ASSERT_FALSE(bool(runQuery(*Index, {"context", "hub"}, O, OS)));
  EXPECT_EQ(Out.substr(0, 31), "context of hub (src/hub.cpp:1):");
  EXPECT_NE(Out.find("omitted: "), std::string::npos);
}

} // namespace
} // namespace codeindex
