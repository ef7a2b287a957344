//===- GraphReadTest.cpp - Point lookups read in proportion to the answer -===//
//
// The read API of GraphStore on every engine: each point lookup returns what
// the whole-table scans (the export's path) return for the same ids, and a
// CountingStore shows that it reads records in proportion to its answer on
// a generated graph of 50 000 entities and 500 000 edges, not the graph.
//
//===----------------------------------------------------------------------===//

#include "../storage/TestUtil.h"

#include "codeindex/graph/GraphStore.h"
#include "codeindex/storage/CountingStore.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <thread>

namespace codeindex {
namespace {

using storage::CountingStore;
using storage::ReadStats;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// The generated project: Units units of PerUnit entities each. Entity 1 is
/// a hub every unit calls; the others call Degree pseudo-random entities of
/// their own unit or a neighbouring one (a skewed fan-in, like real code).
struct GeneratedGraph {
  uint64_t Units = 500;
  uint64_t PerUnit = 100;
  uint64_t Degree = 10;
  static constexpr Id Hub = 1;

  uint64_t entities() const { return Units * PerUnit; }
  static std::string nameOf(Id I) {
    return (I % 7 == 0 ? "Parse" : "visit") + std::to_string(I);
  }
  static std::string pathOf(uint64_t U) {
    return "src/m" + std::to_string(U) + ".cpp";
  }
  Id target(Id From, uint64_t J) const {
    if (J == 0)
      return Hub;
    uint64_t X = From * 2654435761u + J * 40503u;
    uint64_t Unit = ((From - 1) / PerUnit + X % 3) % Units;
    return Unit * PerUnit + 1 + (X >> 8) % PerUnit;
  }

  UnitFacts unit(uint64_t U) const {
    UnitFacts F;
    F.Key = UnitKey{0x5000 + U, 0};
    F.File.Path = pathOf(U);
    F.File.Lang = Language::Cxx;
    F.File.Lines = 1000;
    for (uint64_t K = 0; K < PerUnit; ++K) {
      Id I = U * PerUnit + 1 + K;
      EntityFact E;
      E.ID = I;
      E.Usr = "c:@F@" + nameOf(I) + "#";
      E.Kind = EntityKind::Function;
      E.Name = nameOf(I);
      E.QualifiedName = "ns" + std::to_string(U % 10) + "::" + E.Name;
      E.Signature = "void " + E.Name + "()";
      E.Lang = Language::Cxx;
      E.File = F.File.Path;
      uint32_t Line = static_cast<uint32_t>(1 + K * 10);
      E.Decls.push_back(DeclFact{Extent{Line, 1, Line + 5, 2}, true});
      F.Entities.push_back(std::move(E));
      std::map<Id, EdgeFact> Out;
      for (uint64_t J = 0; J < Degree; ++J) {
        Id To = target(I, J);
        EdgeFact &Ed = Out[To];
        Ed.Kind = EdgeKind::Calls;
        Ed.From = I;
        Ed.To = To;
        Ed.Sites.push_back(SiteFact{Line + 1 + static_cast<uint32_t>(J % 4),
                                    static_cast<uint32_t>(3 + J), false});
      }
      for (auto &[To, Ed] : Out) {
        std::sort(Ed.Sites.begin(), Ed.Sites.end());
        Ed.Sites.erase(std::unique(Ed.Sites.begin(), Ed.Sites.end()),
                       Ed.Sites.end());
        F.Edges.push_back(std::move(Ed));
      }
    }
    // The hub's file also references an external entity.
    if (U == 0) {
      EntityFact X;
      X.ID = 0xE0000001;
      X.Usr = "c:@F@printf";
      X.Name = X.QualifiedName = "printf";
      X.External = true;
      X.File = "/usr/include/stdio.h";
      F.Entities.push_back(X);
      EdgeFact Ed;
      Ed.From = 1;
      Ed.To = X.ID;
      Ed.Sites = {SiteFact{2, 1, false}};
      F.Edges.push_back(Ed);
    }
    return F;
  }
};

namespace engine {
struct mem { // NOLINT(readability-identifier-naming): shown in test names
  static constexpr const char *Name = "mem";
};
struct rocksdb { // NOLINT(readability-identifier-naming)
  static constexpr const char *Name = "rocksdb";
};
struct lmdb { // NOLINT(readability-identifier-naming)
  static constexpr const char *Name = "lmdb";
};
} // namespace engine

using Engines = ::testing::Types<engine::mem
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
                                 ,
                                 engine::rocksdb
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
                                 ,
                                 engine::lmdb
#endif
                                 >;

template <typename E> class GraphRead : public ::testing::Test {
protected:
  /// Writes G as a full run (Rebuild, as `extract --full` does), commits,
  /// and opens it for reading as `query --db` does.
  void build(const GeneratedGraph &G,
             const std::vector<UnitFacts> &Extra = {}) {
    storage::StoreSpec Spec{
        E::Name, std::string(E::Name) == "mem" ? "" : Dir.path() + "/index"};
    storage::OpenOptions O;
    O.Mode = storage::OpenMode::Rebuild;
    ASSERT_TRUE(storage::openStore(Spec, O, &Writer).isOk());
    {
      GraphStore W(*Writer);
      ASSERT_TRUE(W.initSchema(true).isOk());
      W.assumeEmpty(true);
      for (uint64_t U = 0; U < G.Units; ++U) {
        TuRecord Tu;
        Tu.Key = 0x7000 + U;
        Tu.MainFile = GeneratedGraph::pathOf(U);
        UnitFacts F = G.unit(U);
        Tu.OwnedUnits.push_back(F.Key);
        storage::WriteBatch B;
        ASSERT_TRUE(W.encodeTu(Tu, {F}, B).isOk());
        ASSERT_TRUE(Writer->write(B).isOk());
      }
      for (size_t K = 0; K < Extra.size(); ++K) {
        TuRecord Tu;
        Tu.Key = 0x9000 + K;
        Tu.MainFile = Extra[K].File.Path;
        Tu.OwnedUnits.push_back(Extra[K].Key);
        storage::WriteBatch B;
        ASSERT_TRUE(W.encodeTu(Tu, {Extra[K]}, B).isOk());
        ASSERT_TRUE(Writer->write(B).isOk());
      }
    }
    ASSERT_TRUE(Writer->commit().isOk());
    if (Spec.Engine == "mem") {
      Reader = Writer.get(); // a memory index lives only in its process
    } else {
      Writer.reset();
      O.Mode = storage::OpenMode::ReadOnly;
      ASSERT_TRUE(storage::openStore(Spec, O, &ReadOnly).isOk());
      Reader = ReadOnly.get();
    }
    Counter = std::make_unique<CountingStore>(*Reader);
    Graph = std::make_unique<GraphStore>(*Counter);
    ASSERT_TRUE(Graph->initSchema(false).isOk());
  }

  /// Records read by Fn; recorded as a test property (--gtest_output=xml)
  /// under What, for docs/storage.md.
  /// Each measurement gets a fresh GraphStore: no cache filled by an earlier
  /// one hides a read.
  template <typename FnT> ReadStats reads(const char *What, FnT Fn) {
    Graph = std::make_unique<GraphStore>(*Counter);
    Counter->resetReadStats();
    Fn();
    ReadStats R = Counter->readStats();
    ::testing::Test::RecordProperty(What, std::to_string(R.Records));
    return R;
  }

  storage::testing::TempDir Dir;
  std::unique_ptr<storage::Store> Writer, ReadOnly;
  storage::Store *Reader = nullptr;
  std::unique_ptr<CountingStore> Counter;
  std::unique_ptr<GraphStore> Graph;
};

TYPED_TEST_SUITE(GraphRead, Engines);

TYPED_TEST(GraphRead, PointLookupsReadInProportionToTheAnswer) {
  GeneratedGraph G; // 50 000 entities, 500 000 calls (before merging)
  this->build(G);
  if (this->HasFatalFailure())
    return;
  // A whole scan, for scale: the lookups below must read far less.
  ReadStats All = this->reads("scan_all_edges", [&] {
    size_t N = 0;
    ASSERT_TRUE(
        this->Graph->forEachEdge([&](const Edge &) { return ++N > 0; }).isOk());
    EXPECT_GT(N, 400000u);
  });
  EXPECT_GT(All.Records, 400000u);

  // A leaf: entity 250 of unit 2; its callees are its own edges.
  Id Leaf = 2 * G.PerUnit + 50;
  ReadStats R = this->reads("entity", [&] {
    Entity E;
    ASSERT_TRUE(this->Graph->getEntity(Leaf, E).isOk());
    EXPECT_EQ(E.Name, GeneratedGraph::nameOf(Leaf));
    EXPECT_EQ(E.File, GeneratedGraph::pathOf(2));
  });
  EXPECT_LE(R.Records, 2u) << "one entity fact";

  std::vector<Edge> Callees;
  R = this->reads("leaf_callees", [&] {
    ASSERT_TRUE(this->Graph->outEdges(EdgeKind::Calls, Leaf, Callees).isOk());
  });
  ASSERT_FALSE(Callees.empty());
  EXPECT_LE(Callees.size(), G.Degree);
  EXPECT_EQ(Callees.front().To, GeneratedGraph::Hub);
  EXPECT_EQ(Callees.front().Sites.front().File, GeneratedGraph::pathOf(2));
  // Edge facts, plus the unit manifest naming the sites' file.
  EXPECT_LE(R.Records, Callees.size() + 1);

  std::vector<Edge> Callers;
  R = this->reads("leaf_callers", [&] {
    ASSERT_TRUE(this->Graph->inEdges(EdgeKind::Calls, Leaf, Callers).isOk());
  });
  // in_edges keys, the facts of each, one manifest per calling unit (≤ 3).
  EXPECT_LE(R.Records, 2 * Callers.size() + 3);
  for (const Edge &E : Callers)
    EXPECT_EQ(E.To, Leaf);

  // The hub: called by every entity; the reads grow with the answer only.
  std::vector<Edge> HubCallers;
  R = this->reads("hub_callers", [&] {
    ASSERT_TRUE(
        this->Graph->inEdges(EdgeKind::Calls, GeneratedGraph::Hub, HubCallers)
            .isOk());
  });
  EXPECT_EQ(HubCallers.size(), G.entities()) << "every entity, itself too";
  EXPECT_LE(R.Records, 2 * HubCallers.size() + G.Units);
  EXPECT_LT(R.Records, All.Records / 4);

  // Search by name prefix, exact name, qualified name.
  std::vector<Id> Ids;
  R = this->reads("name_prefix", [&] {
    ASSERT_TRUE(this->Graph->findByNamePrefix("PARSE4999", Ids).isOk());
  });
  EXPECT_THAT(Ids, ElementsAre(49994)) << "case-insensitive prefix";
  EXPECT_LE(R.Records, 2u);
  Ids.clear();
  R = this->reads("qualified_name", [&] {
    ASSERT_TRUE(this->Graph->findByQualifiedName("ns2::visit250", Ids).isOk());
  });
  EXPECT_THAT(Ids, ElementsAre(250));
  EXPECT_LE(R.Records, 3u);
  Ids.clear();
  ASSERT_TRUE(this->Graph->findByQualifiedName("ns3::visit250", Ids).isOk());
  EXPECT_THAT(Ids, IsEmpty()) << "same short name, another namespace";

  // A file's entities: its manifest and its entity facts.
  Ids.clear();
  R = this->reads("file_entities", [&] {
    ASSERT_TRUE(
        this->Graph->entitiesInFile(GeneratedGraph::pathOf(0), Ids).isOk());
  });
  EXPECT_EQ(Ids.size(), G.PerUnit) << "the external printf is not declared "
                                      "there";
  EXPECT_EQ(Ids.front(), 1u);
  EXPECT_LE(R.Records, G.PerUnit + 1 + 1 + 1);
}

TYPED_TEST(GraphRead, LookupsAgreeWithTheExportScans) {
  GeneratedGraph G;
  G.Units = 12;
  G.PerUnit = 20;
  G.Degree = 4;
  this->build(G);
  if (this->HasFatalFailure())
    return;
  GraphStore &GS = *this->Graph;
  std::map<Id, Entity> Entities;
  ASSERT_TRUE(GS.forEachEntity([&](const Entity &E) {
                  Entities[E.ID] = E;
                  return true;
                }).isOk());
  std::map<Id, std::vector<Edge>> Out, In;
  ASSERT_TRUE(GS.forEachEdge([&](const Edge &E) {
                  Out[E.From].push_back(E);
                  In[E.To].push_back(E);
                  return true;
                }).isOk());
  auto Same = [](const Edge &A, const Edge &B) {
    return A.Kind == B.Kind && A.From == B.From && A.To == B.To &&
           A.Acc == B.Acc && A.Virtual == B.Virtual && A.Sites == B.Sites;
  };
  for (const auto &[I, E] : Entities) {
    Entity P;
    ASSERT_TRUE(GS.getEntity(I, P).isOk());
    EXPECT_EQ(P.Name, E.Name);
    EXPECT_EQ(P.File, E.File);
    EXPECT_EQ(P.External, E.External);
    std::vector<Edge> O, N;
    ASSERT_TRUE(GS.outEdges(I, O).isOk());
    ASSERT_TRUE(GS.inEdges(I, N).isOk());
    ASSERT_EQ(O.size(), Out[I].size()) << formatId(I);
    ASSERT_EQ(N.size(), In[I].size()) << formatId(I);
    for (size_t K = 0; K < O.size(); ++K)
      EXPECT_TRUE(Same(O[K], Out[I][K])) << formatId(I);
    std::sort(In[I].begin(), In[I].end(), [](const Edge &A, const Edge &B) {
      return std::tie(A.Kind, A.From) < std::tie(B.Kind, B.From);
    });
    for (size_t K = 0; K < N.size(); ++K)
      EXPECT_TRUE(Same(N[K], In[I][K])) << formatId(I);
    std::vector<Id> ByName;
    ASSERT_TRUE(GS.findByName(E.Name, ByName).isOk());
    EXPECT_THAT(ByName, ::testing::Contains(I));
  }
  Entity Missing;
  EXPECT_TRUE(GS.getEntity(0xdead, Missing).isNotFound());
  FileInfo F;
  ASSERT_TRUE(GS.getFile(GeneratedGraph::pathOf(3), F).isOk());
  EXPECT_EQ(F.ID, 0x5003u);
  EXPECT_TRUE(GS.getFile("src/none.cpp", F).isNotFound());
  std::vector<Id> Ids;
  EXPECT_TRUE(GS.entitiesInFile("src/none.cpp", Ids).isNotFound());
}

/// `search` reads every entity's name, qualified name and external bit
/// through forEachEntityName, which decodes only those fields and merges
/// only entities whose units disagree: it must give what the merge gives.
TYPED_TEST(GraphRead, EntityNamesAreThoseOfTheMergedEntities) {
  GeneratedGraph G;
  G.Units = 6;
  G.PerUnit = 20;
  G.Degree = 2;
  auto Fact = [](Id I, const std::string &Name, const std::string &QN,
                 bool External, bool Declared, bool Definition) {
    EntityFact E;
    E.ID = I;
    E.Usr = "c:@S@" + QN;
    E.Kind = EntityKind::Class;
    E.Name = Name;
    E.QualifiedName = QN;
    E.External = External;
    E.Lang = Language::Cxx;
    if (Declared)
      E.Decls.push_back(DeclFact{Extent{3, 1, 4, 2}, Definition});
    return E;
  };
  std::vector<UnitFacts> Extra;
  for (int K = 0; K < 3; ++K) {
    UnitFacts U;
    U.Key = UnitKey{0x6000 + static_cast<uint64_t>(K), 0};
    U.File.Path = "src/extra" + std::to_string(K) + ".h";
    U.File.Lang = Language::Cxx;
    Extra.push_back(U);
  }
  // Declared in one unit, external in the others: not external.
  Extra[0].Entities.push_back(
      Fact(0xA1, "Box", "geo::Box", true, false, false));
  Extra[1].Entities.push_back(Fact(0xA1, "Box", "geo::Box", false, true, true));
  // External everywhere.
  Extra[0].Entities.push_back(
      Fact(0xA2, "Ext", "lib::Ext", true, false, false));
  Extra[2].Entities.push_back(
      Fact(0xA2, "Ext", "lib::Ext", true, false, false));
  // Not external in a unit, but declared nowhere: the merge calls it
  // external.
  Extra[1].Entities.push_back(
      Fact(0xA3, "Odd", "odd::Odd", false, false, false));
  // The units disagree on the name: the definition's wins (merged in full).
  Extra[0].Entities.push_back(Fact(0xA4, "Old", "v1::Old", false, true, false));
  Extra[2].Entities.push_back(Fact(0xA4, "New", "v2::New", false, true, true));
  // Ids are hashes in a real index: one at the far end of the id space
  // falls in the last share.
  const Id Far = 0xF1000000000000A5;
  Extra[1].Entities.push_back(Fact(Far, "Far", "far::Far", false, true, true));
  for (UnitFacts &U : Extra)
    for (EntityFact &E : U.Entities)
      E.File = U.File.Path;
  this->build(G, Extra);
  if (this->HasFatalFailure())
    return;
  GraphStore &GS = *this->Graph;
  using Fields = std::tuple<std::string, std::string, bool>;
  std::map<Id, Fields> Merged, Named;
  ASSERT_TRUE(GS.forEachEntity([&](const Entity &E) {
                  Merged[E.ID] = {E.Name, E.QualifiedName, E.External};
                  return true;
                }).isOk());
  // One share, or several read by as many threads at once: the same
  // entities, each once.
  for (unsigned Shards : {1u, 2u, 3u, 7u}) {
    std::vector<std::map<Id, Fields>> PerShard(Shards);
    ASSERT_TRUE(GS.forEachEntityName(
                      [&](unsigned Shard, Id I, std::string_view Name,
                          std::string_view QN, bool External) {
                        EXPECT_LT(Shard, Shards);
                        EXPECT_TRUE(
                            PerShard[Shard]
                                .emplace(I, Fields{std::string(Name),
                                                   std::string(QN), External})
                                .second)
                            << formatId(I);
                        return true;
                      },
                      Shards)
                    .isOk());
    Named.clear();
    for (const std::map<Id, Fields> &M : PerShard) {
      for (const auto &[I, F] : M) {
        EXPECT_TRUE(Named.emplace(I, F).second)
            << formatId(I) << " given by two shares of " << Shards;
      }
    }
    EXPECT_EQ(Named, Merged) << Shards << " shares";
    EXPECT_EQ(PerShard[Shards - 1].count(Far), 1u) << Shards << " shares";
  }
  EXPECT_EQ(Named[0xA1], Fields("Box", "geo::Box", false));
  EXPECT_EQ(Named[0xA2], Fields("Ext", "lib::Ext", true));
  EXPECT_EQ(Named[0xA3], Fields("Odd", "odd::Odd", true));
  EXPECT_EQ(Named[0xA4], Fields("New", "v2::New", false));
  EXPECT_EQ(Named[Far], Fields("Far", "far::Far", false));
  EXPECT_EQ(Named.size(), G.entities() + 1 /*printf*/ + 5);

  // Stopping early stops (every share, once it notices).
  for (unsigned Shards : {1u, 4u}) {
    std::atomic<size_t> Calls = 0;
    ASSERT_TRUE(GS.forEachEntityName([&](unsigned, Id, std::string_view,
                                         std::string_view,
                                         bool) { return ++Calls < 3; },
                                     Shards)
                    .isOk());
    if (Shards == 1) {
      EXPECT_EQ(Calls, 3u);
    } else {
      EXPECT_LT(Calls, Named.size() / 2) << Shards << " shares";
    }
  }

  // The qualified names of the entities sharing a name, as
  // findByQualifiedName compares them.
  std::vector<GraphStore::NamedId> Ids;
  ASSERT_TRUE(GS.namedIds("BOX", Ids).isOk());
  ASSERT_EQ(Ids.size(), 1u);
  EXPECT_EQ(Ids[0].ID, 0xA1u);
  EXPECT_EQ(Ids[0].QualifiedName, "geo::Box");
  EXPECT_FALSE(Ids[0].Missing);
  // A qualified name from the small entity_names facts; the merge's when
  // the facts disagree.
  std::string QN;
  ASSERT_TRUE(GS.qualifiedNameOf(0xA1, QN).isOk());
  EXPECT_EQ(QN, "geo::Box");
  ASSERT_TRUE(GS.qualifiedNameOf(0xA4, QN).isOk());
  EXPECT_EQ(QN, "v2::New");
  EXPECT_TRUE(GS.qualifiedNameOf(0xDEAD, QN).isNotFound());
  std::vector<Id> ByQN;
  ASSERT_TRUE(GS.findByQualifiedName("v2::New", ByQN).isOk());
  EXPECT_EQ(ByQN, std::vector<Id>{0xA4});
  EXPECT_EQ(GraphStore::lastComponent("ns::f<a::b>"), "f<a::b>");
  EXPECT_EQ(GraphStore::lastComponent("geo::Box::area"), "area");

  // It reads the small entity_names records, not the entities: a fraction
  // of the bytes of a scan of the entities. (reads() replaces the
  // GraphStore: GS is not used after this.)
  ReadStats Entities = this->reads("scan_entities", [&] {
    ASSERT_TRUE(
        this->Graph->forEachEntity([](const Entity &) { return true; }).isOk());
  });
  ReadStats Names = this->reads("scan_entity_names", [&] {
    ASSERT_TRUE(
        this->Graph
            ->forEachEntityName([](unsigned, Id, std::string_view,
                                   std::string_view, bool) { return true; })
            .isOk());
  });
  EXPECT_LT(Names.Bytes * 2, Entities.Bytes)
      << Names.Bytes << " bytes for names, " << Entities.Bytes
      << " for entities";
}

TYPED_TEST(GraphRead, ConcurrentReadersShareOneGraphStore) {
  // The thread-safety promise of GraphStore.h, for TSan: readers filling
  // the unit-path cache and merging entities at the same time.
  GeneratedGraph G;
  G.Units = 8;
  G.PerUnit = 30;
  G.Degree = 4;
  this->build(G);
  if (this->HasFatalFailure())
    return;
  GraphStore &GS = *this->Graph;
  std::vector<Edge> Want;
  {
    GraphStore Fresh(*this->Counter);
    ASSERT_TRUE(Fresh.inEdges(GeneratedGraph::Hub, Want).isOk());
  }
  std::vector<std::thread> Threads;
  std::vector<int> Mismatches(4, 0);
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (Id I = 1 + T; I <= G.entities(); I += 4) {
        Entity E;
        std::vector<Edge> Out;
        if (!GS.getEntity(I, E).isOk() || !GS.outEdges(I, Out).isOk() ||
            Out.empty() || Out.front().Sites.front().File != E.File)
          ++Mismatches[T];
      }
      std::vector<Edge> In;
      if (!GS.inEdges(GeneratedGraph::Hub, In).isOk() ||
          In.size() != Want.size())
        ++Mismatches[T];
      std::vector<Id> Ids;
      if (!GS.findByNamePrefix("visit", Ids).isOk() || Ids.empty())
        ++Mismatches[T];
      (void)GS.collisions();
    });
  for (std::thread &Th : Threads)
    Th.join();
  EXPECT_THAT(Mismatches, ::testing::Each(0));
}

} // namespace
} // namespace codeindex
