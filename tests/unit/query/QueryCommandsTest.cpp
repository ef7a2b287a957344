//===- QueryCommandsTest.cpp - The table of query subcommands -------------===//
//
// Dispatch, validation and help come from one table: every subcommand is
// reachable, an option a subcommand does not take is rejected, and errors
// are typed (QueryError) rather than exit codes.
//
//===----------------------------------------------------------------------===//

#include "QueryTestUtil.h"

#include "query/GraphIndex.h"
#include "query/Query.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using namespace test;
using ::testing::HasSubstr;

/// Runs a query; returns (output, error message, error kind or -1).
struct Result {
  std::string Out, Error;
  int Kind = -1;
};

Result run(const GraphReader &R, std::vector<std::string> Args,
           QueryOptions O = {}) {
  Result Res;
  llvm::raw_string_ostream OS(Res.Out);
  llvm::Error E = runQuery(R, Args, O, OS);
  llvm::handleAllErrors(std::move(E), [&](const QueryError &Q) {
    Res.Error = Q.message();
    Res.Kind = Q.kind();
  });
  return Res;
}

class QueryCommandsTest : public ::testing::Test {
protected:
  GraphIndex Index{shapes()};
};

TEST_F(QueryCommandsTest, EveryTableEntryDispatches) {
  ASSERT_EQ(queryCommands().size(), 19u);
  for (const QueryCommand &C : queryCommands()) {
    std::vector<std::string> Args{C.Name.str()};
    if (C.Name == "file")
      Args.push_back("src/shapes.cpp");
    else if (C.Name == "hierarchy" || C.Name == "coupling")
      Args.push_back("geo::Circle");
    else if (!C.Arg.empty())
      Args.push_back("geo::totalArea");
    QueryOptions O;
    O.Format = OutputFormat::Json;
    Result R = run(Index, Args, O);
    EXPECT_EQ(R.Kind, -1) << C.Name.str() << ": " << R.Error;
    EXPECT_EQ(R.Out.substr(0, 1), "{") << C.Name.str();
  }
}

TEST_F(QueryCommandsTest, OptionsASubcommandDoesNotTakeAreRejected) {
  QueryOptions O;
  O.Kind = "function";
  O.Given = {"kind"};
  Result R = run(Index, {"callers", "geo::totalArea"}, O);
  EXPECT_EQ(R.Kind, QueryError::Usage);
  EXPECT_EQ(R.Error, "query callers does not take --kind (its options: "
                     "--depth, --include-candidates, --format)");
  EXPECT_TRUE(R.Out.empty());
  // The same option where it belongs.
  R = run(Index, {"entities"}, O);
  EXPECT_EQ(R.Kind, -1) << R.Error;
  EXPECT_THAT(R.Out, HasSubstr("geo::totalArea"));
  EXPECT_THAT(R.Out, ::testing::Not(HasSubstr("geo::Shape ")));
  // --format is every subcommand's.
  O.Given = {"format"};
  EXPECT_EQ(run(Index, {"stats"}, O).Kind, -1);
  O.Given = {"depth"};
  EXPECT_EQ(run(Index, {"stats"}, O).Error,
            "query stats does not take --depth (its options: --format)");
}

TEST_F(QueryCommandsTest, ArgumentsAreCheckedAgainstTheTable) {
  EXPECT_EQ(run(Index, {"callers"}).Error,
            "callers takes one argument: an id or a name");
  EXPECT_EQ(run(Index, {"callers", "a", "b"}).Error,
            "callers takes one argument: an id or a name");
  EXPECT_EQ(run(Index, {"stats", "x"}).Error, "stats takes no arguments");
  EXPECT_EQ(run(Index, {"cycles", "x"}).Error,
            "cycles takes no arguments (options: --edges KINDS, "
            "--no-self-loops, --include-candidates)");
  EXPECT_EQ(run(Index, {}).Error,
            "query needs a subcommand: " + querySubcommandList());
  Result R = run(Index, {"frobnicate"});
  EXPECT_EQ(R.Kind, QueryError::Usage);
  EXPECT_EQ(R.Error, "unknown query subcommand 'frobnicate'; valid "
                     "subcommands: stats, entities, entity, search, callers, "
                     "callees, references, overrides, hierarchy, "
                     "blast-radius, cycles, hotspots, file, tests-for, "
                     "centrality, communities, layers, coupling, context");
}

TEST_F(QueryCommandsTest, UnknownAndAmbiguousSymbolsAreUsageErrors) {
  Result R = run(Index, {"callers", "totalAera"});
  EXPECT_EQ(R.Kind, QueryError::Usage);
  EXPECT_EQ(R.Error,
            "no entity named 'totalAera'; did you mean: geo::totalArea");
  R = run(Index, {"references", "area"});
  EXPECT_EQ(R.Kind, QueryError::Usage);
  EXPECT_THAT(R.Error, HasSubstr("'area' is ambiguous (2 entities)"));
  EXPECT_TRUE(R.Out.empty());
  // callers narrows to functions; hierarchy to classes.
  EXPECT_EQ(run(Index, {"callers", "Circle"}).Kind, -1);
}

TEST_F(QueryCommandsTest, CallersTable) {
  QueryOptions O;
  O.Depth = 0;
  Result R = run(Index, {"callers", "geo::Circle::area"}, O);
  EXPECT_EQ(R.Out,
            "callers of geo::Circle::area (src/shapes.cpp:4)\n"
            "DEPTH  KIND      NAME            LOCATION                 VIA\n"
            "1      function  geo::totalArea  src/shapes.cpp:5         "
            "virtual call to geo::Shape::area\n"
            "2      function  main            src/shapes.cpp:6         "
            "geo::totalArea\n"
            "2      function  test_area       tests/shapes_test.cpp:7  "
            "geo::totalArea\n"
            "3      function  report          src/shapes.cpp:12        main\n");
}

TEST_F(QueryCommandsTest, HelpComesFromTheTable) {
  std::string Help;
  llvm::raw_string_ostream OS(Help);
  printQueryHelp(OS, findQueryCommand("callers"));
  EXPECT_THAT(Help, HasSubstr("query (--db SPEC | --json FILE) callers "
                              "SYMBOL [--depth N]"));
  EXPECT_THAT(Help, HasSubstr("--depth N"));
  EXPECT_THAT(Help, ::testing::Not(HasSubstr("--kind")));
  Help.clear();
  printQueryHelp(OS, nullptr);
  for (const QueryCommand &C : queryCommands())
    EXPECT_THAT(Help, HasSubstr("  " + C.Name.str()));
}

} // namespace
} // namespace codeindex

namespace codeindex {
namespace {

/// Writes J through JsonStream, containers opened and closed, scalars (and
/// every object at depth Leaf) as values.
void stream(JsonStream &S, const ojson &J, unsigned Depth, unsigned Leaf) {
  if (Depth == Leaf || !J.is_structured()) {
    S.value(J);
    return;
  }
  if (J.is_object()) {
    S.beginObject();
    for (const auto &[K, V] : J.items()) {
      S.key(K);
      stream(S, V, Depth + 1, Leaf);
    }
    S.endObject();
    return;
  }
  S.beginArray();
  for (const ojson &V : J)
    stream(S, V, Depth + 1, Leaf);
  S.endArray();
}

// The streamed JSON of the big answers is printJson()'s bytes: indentation
// at every depth, empty containers, escapes, invalid UTF-8 replaced,
// numbers, whether a nested document is written whole or piece by piece.
TEST(JsonStreamTest, WritesWhatPrintJsonWrites) {
  ojson J = ojson::parse(R"({
    "target": {"id": "00000000000000ff", "line": 7, "overloaded": false},
    "hops": 2,
    "layers": [
      {"hop": 1, "entities": [{"a": [1, 2, [], {}], "b": null}, {"c": -3.5}]},
      {"hop": 2, "entities": []}
    ],
    "empty": {},
    "text": "tab\t quote\" backslash\\ newline\n unicode \u00e9 \u2026",
    "total": 18446744073709551615
  })");
  J["bad"] = std::string("invalid \xff\xfe UTF-8");
  std::string Want;
  {
    llvm::raw_string_ostream OS(Want);
    printJson(OS, J);
  }
  ASSERT_THAT(Want, ::testing::HasSubstr(
                        "invalid \xef\xbf\xbd\xef\xbf\xbd UTF-8")); // replaced
  for (unsigned Leaf : {0u, 1u, 2u, 3u, 4u, 99u}) {
    std::string Got;
    llvm::raw_string_ostream OS(Got);
    JsonStream S(OS);
    stream(S, J, 0, Leaf);
    S.finish();
    EXPECT_EQ(Got, Want) << "streamed below depth " << Leaf;
  }
  for (const ojson &Small : {ojson::array(), ojson::object(), ojson(3)}) {
    std::string W, G;
    llvm::raw_string_ostream WOS(W), GOS(G);
    printJson(WOS, Small);
    JsonStream S(GOS);
    stream(S, Small, 0, 99);
    S.finish();
    EXPECT_EQ(G, W);
  }
}

} // namespace
} // namespace codeindex
