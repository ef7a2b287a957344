//===- StoreReaderTest.cpp - Queries on an index, by key ------------------===//
//
// `query --db` reads the index through StoreReader. Two properties:
//  * its answers are the in-memory reader's, byte for byte, for every
//    lookup subcommand (the in-memory reader holds the same index loaded
//    with loadGraph, as `query --db` did before);
//  * a lookup reads records in proportion to its answer: on a graph ten
//    times bigger, `callers` of a leaf reads the same number of records.
//
//===----------------------------------------------------------------------===//

#include "GraphTestUtil.h"

#include "query/GraphIndex.h"
#include "query/Query.h"
#include "query/StoreReader.h"

#include "codeindex/graph/GraphJson.h"

#include "llvm/ADT/StringExtras.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <atomic>
#include <cstdlib>
#include <map>

namespace codeindex {
namespace {

using namespace test;

/// Counts the records read through it.
class CountingStore final : public storage::Store {
public:
  explicit CountingStore(storage::Store &Inner) : Inner(Inner) {}

  uint64_t Records = 0;
  uint64_t Scans = 0; ///< iterators opened: one seek each

  Status write(const storage::WriteBatch &B) override { return Inner.write(B); }
  Status get(storage::Table T, std::string_view Key,
             std::string *Value) override {
    Status St = Inner.get(T, Key, Value);
    Records += St.isOk();
    return St;
  }
  std::unique_ptr<storage::Iterator> scan(storage::Table T,
                                          std::string_view Prefix) override {
    ++Scans;
    return std::make_unique<Counting>(Inner.scan(T, Prefix), Records);
  }
  Status commit() override { return Inner.commit(); }
  std::string_view engine() const override { return Inner.engine(); }
  const std::string &path() const override { return Inner.path(); }
  storage::WriteStats stats() const override { return Inner.stats(); }

private:
  class Counting final : public storage::Iterator {
  public:
    Counting(std::unique_ptr<storage::Iterator> It, uint64_t &Records)
        : It(std::move(It)), Records(Records) {
      Records += this->It->valid();
    }
    bool valid() const override { return It->valid(); }
    void next() override {
      It->next();
      Records += It->valid();
    }
    std::string_view key() const override { return It->key(); }
    std::string_view value() const override { return It->value(); }
    Status status() const override { return It->status(); }

  private:
    std::unique_ptr<storage::Iterator> It;
    uint64_t &Records;
  };

  storage::Store &Inner;
};

Id idOf(unsigned Unit, unsigned Fn) { return (Id(Unit + 1) << 32) | (Fn + 1); }

/// Units files u<U>.cpp, each defining Fns functions f<U>_<F>: f<U>_<F>
/// calls f<U>_<F+1>, and every function of unit U > 0 also calls the hub
/// f0_0. Each unit also defines the overload pair ns::over(int) and
/// ns::over(double), or with SharedOverloads false ns::over<U>_(...), so that
/// the homonyms do not grow with the graph.
void buildGraph(MemGraph &M, unsigned Units, unsigned Fns,
                bool SharedOverloads = true) {
  for (unsigned U = 0; U < Units; ++U) {
    std::string Path = "src/u" + std::to_string(U) + ".cpp";
    UnitFacts Unit = unitOf(Path);
    Unit.File.Coverage.CodeLines = 10;
    for (unsigned F = 0; F < Fns; ++F) {
      std::string Name = "f" + std::to_string(U) + "_" + std::to_string(F);
      EntityFact E = entityOf(idOf(U, F), Name, F + 1, true);
      E.QualifiedName = "ns::" + Name;
      E.Signature = "void ns::" + Name + "()";
      E.File = Path;
      Unit.Entities.push_back(E);
      if (F + 1 < Fns) {
        EdgeFact Call;
        Call.From = idOf(U, F);
        Call.To = idOf(U, F + 1);
        Call.Sites.push_back(SiteFact{F + 1, 3, false});
        Unit.Edges.push_back(Call);
      }
      if (U > 0) {
        EdgeFact Hub;
        Hub.From = idOf(U, F);
        Hub.To = idOf(0, 0);
        Hub.Sites.push_back(SiteFact{F + 1, 9, false});
        Unit.Edges.push_back(Hub);
      }
    }
    // An overload pair shares a qualified name: display by signature.
    std::string Over =
        SharedOverloads ? "over" : "over" + std::to_string(U) + "_";
    EntityFact O1 = entityOf(idOf(U, 900), Over, 50, true);
    O1.QualifiedName = "ns::" + Over;
    O1.Signature = "void ns::" + Over + "(int)";
    O1.File = Path;
    EntityFact O2 = O1;
    O2.ID = idOf(U, 901);
    O2.Signature = "void ns::" + Over + "(double)";
    O2.Decls = {DeclFact{Extent{51, 1, 51, 20}, true}};
    Unit.Entities.push_back(O1);
    Unit.Entities.push_back(O2);
    EdgeFact CallOver;
    CallOver.From = idOf(U, 0);
    CallOver.To = O1.ID;
    CallOver.Sites.push_back(SiteFact{1, 7, false});
    Unit.Edges.push_back(CallOver);
    std::sort(Unit.Edges.begin(), Unit.Edges.end(),
              [](const EdgeFact &A, const EdgeFact &B) {
                return std::tie(A.Kind, A.From, A.To) <
                       std::tie(B.Kind, B.From, B.To);
              });
    M.addTu(Unit.Key.File, Path, {Unit});
  }
}

std::string answer(const GraphReader &R, std::vector<std::string> Args,
                   OutputFormat F, unsigned Depth = 1) {
  QueryOptions O;
  O.Format = F;
  O.Depth = Depth;
  O.Source = "test";
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  if (llvm::Error E = runQuery(R, Args, O, OS))
    return "error: " + llvm::toString(std::move(E));
  return Out;
}

TEST(StoreReaderTest, AnswersAsTheLoadedGraph) {
  MemGraph M;
  buildGraph(M, 3, 4);
  Graph Loaded;
  ASSERT_TRUE(loadGraph(*M.G, Loaded).isOk());
  GraphIndex Memory(std::move(Loaded));
  GraphStore GS(*M.S);
  StoreReader Store(GS);
  std::vector<std::vector<std::string>> Queries = {
      {"stats"},
      {"entities"},
      {"entity", "ns::f1_2"},
      {"entity", "over"},
      {"entity", "ns::over(double)"},
      {"search", "f1"},
      {"callers", "f0_0"},
      {"callees", "ns::f2_0"},
      {"references", "f0_1"},
      {"overrides", "f0_1"},
      {"blast-radius", "f0_1"},
      {"tests-for", "f0_1"},
      {"cycles"},
      {"hotspots"},
      {"file", "src/u1.cpp"},
      {"file", "u2.cpp"},
      {"callers", "nothere"},
      {"callers", "over"},
  };
  for (OutputFormat F : {OutputFormat::Table, OutputFormat::Json})
    for (unsigned Depth : {1u, 0u})
      for (const auto &Q : Queries) {
        std::string Want = answer(Memory, Q, F, Depth);
        EXPECT_EQ(answer(Store, Q, F, Depth), Want) << llvm::join(Q, " ");
        EXPECT_FALSE(Want.empty());
      }
  // The test can fail: the answers differ between graphs.
  EXPECT_NE(answer(Store, {"callers", "f0_0"}, OutputFormat::Table),
            answer(Store, {"callers", "f0_1"}, OutputFormat::Table));
}

/// Records read by `callers ns::f<U>_<last>` (a leaf with one caller) on a
/// graph of Units x Fns functions, and by `stats`.
std::pair<uint64_t, uint64_t> reads(unsigned Units, unsigned Fns) {
  MemGraph M;
  buildGraph(M, Units, Fns);
  CountingStore Counting(*M.S);
  GraphStore GS(Counting);
  StoreReader R(GS);
  std::string Leaf = "ns::f1_" + std::to_string(Fns - 1);
  std::string Out = answer(R, {"callers", Leaf}, OutputFormat::Json);
  EXPECT_THAT(Out, ::testing::HasSubstr("ns::f1_" + std::to_string(Fns - 2)));
  uint64_t Lookup = Counting.Records;
  Counting.Records = 0;
  GraphStore GS2(Counting);
  StoreReader R2(GS2);
  answer(R2, {"stats"}, OutputFormat::Json);
  return {Lookup, Counting.Records};
}

TEST(StoreReaderTest, LookupsReadTheAnswerNotTheGraph) {
  auto [SmallLookup, SmallScan] = reads(4, 20);
  auto [BigLookup, BigScan] = reads(4, 200);
  RecordProperty("callers_records_small", std::to_string(SmallLookup));
  RecordProperty("callers_records_big", std::to_string(BigLookup));
  RecordProperty("stats_records_small", std::to_string(SmallScan));
  RecordProperty("stats_records_big", std::to_string(BigScan));
  EXPECT_GT(SmallLookup, 0u);
  // The whole-graph scan grows with the graph ...
  EXPECT_GT(BigScan, 5 * SmallScan);
  // ... the lookup does not: same answer size, same reads.
  EXPECT_EQ(BigLookup, SmallLookup);
  EXPECT_LT(BigLookup * 20, BigScan);
}

/// Records each lookup command reads about the leaf ns::f1_<Fns-1> (and its
/// file) on a graph of Units files.
std::map<std::string, uint64_t> lookupReads(unsigned Units) {
  const unsigned Fns = 5;
  MemGraph M;
  buildGraph(M, Units, Fns, /*SharedOverloads=*/false);
  std::map<std::string, uint64_t> Reads;
  std::vector<std::vector<std::string>> Queries = {
      {"entity", "ns::f1_4"},
      {"entity", "f1_4"},
      {"callers", "ns::f1_4"},
      {"callees", "ns::f1_3"},
      {"references", "ns::f1_4"},
      {"blast-radius", "ns::f1_4"},
      {"tests-for", "ns::f1_4"},
      {"file", "src/u1.cpp"},
      {"callers", "ns::over1_(double)"},
  };
  for (const auto &Q : Queries) {
    CountingStore Counting(*M.S);
    GraphStore GS(Counting); // fresh: no cache hides a read
    StoreReader R(GS);
    std::string Out = answer(R, Q, OutputFormat::Json);
    EXPECT_EQ(Out.find("error:"), std::string::npos) << Out;
    Reads[llvm::join(Q, " ")] = Counting.Records;
  }
  CountingStore Counting(*M.S);
  GraphStore GS(Counting);
  StoreReader R(GS);
  answer(R, {"stats"}, OutputFormat::Json);
  Reads["stats"] = Counting.Records;
  return Reads;
}

TEST(StoreReaderTest, EveryLookupCommandReadsTheAnswerNotTheGraph) {
  auto Small = lookupReads(4);
  auto Big = lookupReads(40); // ten times the files, entities and edges
  // The scan grows with the graph ...
  EXPECT_GT(Big["stats"], 8 * Small["stats"]);
  for (const auto &[Query, N] : Small) {
    if (Query == "stats")
      continue;
    RecordProperty(Query, std::to_string(N));
    EXPECT_GT(N, 0u) << Query;
    // ... a lookup does not: the same answer, the same records read.
    EXPECT_EQ(Big[Query], N) << Query;
    EXPECT_LT(N * 20, Big["stats"]) << Query;
  }
}

/// Units files m<U>.cpp, each defining a method ns::C<U>::area that calls
/// ns::hub (defined in the first): every method of the walk shares the
/// short name "area".
void buildHomonyms(MemGraph &M, unsigned Units) {
  const Id Hub = 0x10;
  for (unsigned U = 0; U < Units; ++U) {
    std::string Path = "src/m" + std::to_string(U) + ".cpp";
    UnitFacts Unit = unitOf(Path);
    if (U == 0) {
      EntityFact H = entityOf(Hub, "hub", 1, true);
      H.QualifiedName = "ns::hub";
      H.Signature = "void ns::hub()";
      H.File = Path;
      Unit.Entities.push_back(H);
    }
    Id Area = 0x1000 + U;
    EntityFact A = entityOf(Area, "area", 5, true);
    A.QualifiedName = "ns::C" + std::to_string(U) + "::area";
    A.Signature = "double " + A.QualifiedName + "()";
    A.Kind = EntityKind::Method;
    A.File = Path;
    Unit.Entities.push_back(A);
    EdgeFact Call;
    Call.From = Area;
    Call.To = Hub;
    Call.Sites.push_back(SiteFact{6, 3, false});
    Unit.Edges.push_back(Call);
    M.addTu(Unit.Key.File, Path, {Unit});
  }
}

/// Records `blast-radius ns::hub` reads when Units methods named "area"
/// call it, and checks its answer against the loaded graph's.
uint64_t homonymReads(unsigned Units) {
  MemGraph M;
  buildHomonyms(M, Units);
  Graph Loaded;
  EXPECT_TRUE(loadGraph(*M.G, Loaded).isOk());
  GraphIndex Memory(std::move(Loaded));
  CountingStore Counting(*M.S);
  GraphStore GS(Counting);
  StoreReader R(GS);
  std::string Out = answer(R, {"blast-radius", "ns::hub"}, OutputFormat::Table);
  EXPECT_EQ(Out,
            answer(Memory, {"blast-radius", "ns::hub"}, OutputFormat::Table));
  EXPECT_THAT(Out, ::testing::HasSubstr("ns::C" + std::to_string(Units - 1) +
                                        "::area"));
  return Counting.Records;
}

// A walk resolves the qualified name of each node it prints (is it
// overloaded?); the candidates of a short name are read once per query, not
// once per node: with ten times the methods named "area", ten times the
// reads, not a hundred.
TEST(StoreReaderTest, AWalkReadsTheCandidatesOfANameOnce) {
  uint64_t Small = homonymReads(20);
  uint64_t Big = homonymReads(200);
  RecordProperty("blast_radius_records_20", std::to_string(Small));
  RecordProperty("blast_radius_records_200", std::to_string(Big));
  EXPECT_GT(Big, 5 * Small);
  EXPECT_LT(Big, 15 * Small);
}

} // namespace
} // namespace codeindex

namespace codeindex {
namespace {

/// A hub most of the graph reaches: ns::hub, called by Units x Fns
/// functions f<U>_<F>, each called by g<U>_<F>; in units 1 to 5 a test case
/// t<U> (IsTest) calling g<U>_0 and, through a virtual call of ns::Base::run
/// that ns::Derived::run overrides (and which calls the hub), the hub; a
/// function r<U> referencing f<U>_0 in each unit; and in units 1 to 5 the
/// overload pair ns::over(int),
/// ns::over(double) calling the hub (a shared qualified name: displayed by
/// signature). Ids: unit U's are (U + 1) << 32 | n.
void buildFan(MemGraph &M, unsigned Units, unsigned Fns) {
  const Id Hub = 0x10, Base = 0x20, Derived = 0x21;
  auto Fn = [](Id I, const std::string &QN, const std::string &Path,
               uint32_t Line) {
    EntityFact E = entityOf(I, QN.substr(QN.rfind(':') + 1), Line, true);
    E.QualifiedName = QN;
    E.Signature = "void " + QN + "()";
    E.File = Path;
    return E;
  };
  auto Call = [](Id From, Id To, uint32_t Line, bool Virtual = false,
                 EdgeKind K = EdgeKind::Calls) {
    EdgeFact C;
    C.Kind = K;
    C.From = From;
    C.To = To;
    if (K != EdgeKind::Overrides)
      C.Sites.push_back(SiteFact{Line, 3, Virtual});
    return C;
  };
  for (unsigned U = 0; U <= Units; ++U) {
    std::string Path = "src/fan" + std::to_string(U) + ".cpp";
    UnitFacts Unit = unitOf(Path);
    auto IdOf = [&](unsigned N) { return (Id(U + 1) << 32) | N; };
    if (U == 0) {
      Unit.Entities.push_back(Fn(Hub, "ns::hub", Path, 1));
      EntityFact B = Fn(Base, "ns::Base::run", Path, 2);
      B.Kind = EntityKind::Method;
      EntityFact D = Fn(Derived, "ns::Derived::run", Path, 3);
      D.Kind = EntityKind::Method;
      Unit.Entities.push_back(B);
      Unit.Entities.push_back(D);
      Unit.Edges.push_back(Call(Derived, Hub, 3));
      Unit.Edges.push_back(Call(Derived, Base, 0, false, EdgeKind::Overrides));
    } else {
      std::string P = std::to_string(U) + "_";
      for (unsigned F = 0; F < Fns; ++F) {
        Unit.Entities.push_back(
            Fn(IdOf(2 * F + 1), "ns::f" + P + std::to_string(F), Path, F + 1));
        Unit.Entities.push_back(
            Fn(IdOf(2 * F + 2), "ns::g" + P + std::to_string(F), Path, F + 1));
        Unit.Edges.push_back(Call(IdOf(2 * F + 1), Hub, F + 1));
        Unit.Edges.push_back(Call(IdOf(2 * F + 2), IdOf(2 * F + 1), F + 1));
      }
      if (U <= 5) {
        EntityFact T = Fn(IdOf(100000), "ns::t" + std::to_string(U), Path, 900);
        T.IsTest = true;
        T.TestName = "Fan.T" + std::to_string(U);
        T.TestFramework = "gtest";
        Unit.Entities.push_back(T);
        Unit.Edges.push_back(Call(T.ID, IdOf(2), 900));
        Unit.Edges.push_back(Call(T.ID, Base, 901, /*Virtual=*/true));
      }
      Unit.Entities.push_back(
          Fn(IdOf(100001), "ns::r" + std::to_string(U), Path, 950));
      Unit.Edges.push_back(
          Call(IdOf(100001), IdOf(1), 950, false, EdgeKind::References));
      for (unsigned K : {0u, 1u}) {
        if (U > 5)
          break;
        EntityFact O = Fn(IdOf(100002 + K), "ns::over", Path, 960 + K);
        O.Signature = K ? "void ns::over(double)" : "void ns::over(int)";
        Unit.Entities.push_back(O);
        Unit.Edges.push_back(Call(O.ID, Hub, 960 + K));
      }
    }
    std::sort(Unit.Edges.begin(), Unit.Edges.end(),
              [](const EdgeFact &A, const EdgeFact &B) {
                return std::tie(A.Kind, A.From, A.To) <
                       std::tie(B.Kind, B.From, B.To);
              });
    M.addTu(Unit.Key.File, Path, {Unit});
  }
}

/// Sets CODE_INDEX_WALK_SCAN_THRESHOLD for one scope.
class ScanThreshold {
public:
  explicit ScanThreshold(const char *N) {
    ::setenv("CODE_INDEX_WALK_SCAN_THRESHOLD", N, 1);
  }
  ~ScanThreshold() { ::unsetenv("CODE_INDEX_WALK_SCAN_THRESHOLD"); }
};

const std::vector<std::vector<std::string>> FanQueries = {
    {"blast-radius", "ns::hub"},  {"tests-for", "ns::hub"},
    {"callers", "ns::hub"},       {"entity", "ns::hub"},
    {"blast-radius", "ns::f1_0"}, {"tests-for", "ns::f2_3"},
};

// A walk past the threshold (scanned edges, entities described from one
// scan) answers byte for byte as the lookups and the loaded graph do.
TEST(WalkScanTest, AnswersAsTheLookups) {
  MemGraph M;
  buildFan(M, 6, 20);
  Graph Loaded;
  ASSERT_TRUE(loadGraph(*M.G, Loaded).isOk());
  GraphIndex Memory(std::move(Loaded));
  for (OutputFormat F : {OutputFormat::Table, OutputFormat::Json})
    for (unsigned Depth : {1u, 0u})
      for (const auto &Q : FanQueries) {
        std::string Want;
        {
          ScanThreshold Never("0");
          Want = answer(Memory, Q, F, Depth);
        }
        for (const char *T : {"0", "1", "30"}) {
          ScanThreshold Th(T);
          GraphStore GS(*M.S);
          StoreReader Store(GS);
          EXPECT_EQ(answer(Store, Q, F, Depth), Want)
              << llvm::join(Q, " ") << " threshold " << T;
          EXPECT_EQ(answer(Memory, Q, F, Depth), Want)
              << llvm::join(Q, " ") << " threshold " << T << " (memory)";
        }
      }
  // The answers are not empty: the tests, the overloads, the dispatch.
  ScanThreshold Scan("1");
  GraphStore GS(*M.S);
  StoreReader Store(GS);
  std::string Tests =
      answer(Store, {"tests-for", "ns::hub"}, OutputFormat::Table);
  EXPECT_THAT(Tests, ::testing::HasSubstr("2      Fan.T1  gtest"));
  EXPECT_THAT(Tests, ::testing::HasSubstr("Fan.T5"));
  std::string Blast =
      answer(Store, {"blast-radius", "ns::hub"}, OutputFormat::Table);
  EXPECT_THAT(Blast, ::testing::HasSubstr("void ns::over(double)"));
  EXPECT_THAT(Blast, ::testing::HasSubstr("ns::r6"));
  EXPECT_THAT(Blast, ::testing::HasSubstr("ns::t3"));
  EXPECT_THAT(Blast, ::testing::Not(::testing::HasSubstr("ns::Base::run")));
}

struct WalkReads {
  uint64_t Records = 0, Scans = 0;
};

/// Records read and iterators opened by Q on the fan of Units units.
WalkReads walkReads(unsigned Units, const char *Threshold,
                    const std::vector<std::string> &Q) {
  MemGraph M;
  buildFan(M, Units, 20);
  ScanThreshold Th(Threshold);
  CountingStore Counting(*M.S);
  GraphStore GS(Counting);
  StoreReader R(GS);
  std::string Out = answer(R, Q, OutputFormat::Json);
  EXPECT_EQ(Out.find("error:"), std::string::npos) << Out;
  return {Counting.Records, Counting.Scans};
}

// A walk over most of the graph reads its edges by one scan, not by one
// lookup (a seek) per node: the iterators it opens do not grow with the
// graph, the records it reads are those of a few scans of it.
TEST(WalkScanTest, AWalkOfMostOfTheGraphScans) {
  for (std::vector<std::string> Q :
       {std::vector<std::string>{"blast-radius", "ns::hub"},
        std::vector<std::string>{"tests-for", "ns::hub"}}) {
    std::string Name = llvm::join(Q, " ");
    WalkReads Small = walkReads(10, "100", Q);  // ~400 nodes
    WalkReads Big = walkReads(100, "100", Q);   // ~4,000 nodes
    WalkReads Lookups = walkReads(100, "0", Q); // never scans
    RecordProperty(Name + " scans small", std::to_string(Small.Scans));
    RecordProperty(Name + " scans big", std::to_string(Big.Scans));
    RecordProperty(Name + " scans by lookups", std::to_string(Lookups.Scans));
    RecordProperty(Name + " records big", std::to_string(Big.Records));
    RecordProperty(Name + " records by lookups",
                   std::to_string(Lookups.Records));
    // By lookups: a seek per node (4,000 nodes here) ...
    EXPECT_GT(Lookups.Scans, 4000u) << Name;
    // ... by scan: the same few whatever the size of the graph.
    EXPECT_LT(Big.Scans, 50u) << Name;
    EXPECT_LE(Big.Scans, Small.Scans + 5) << Name;
    EXPECT_LT(Big.Records, Lookups.Records) << Name;
  }
}

} // namespace
} // namespace codeindex
