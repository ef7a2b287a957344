//===- GraphTestUtil.h - Building small graphs in a memory store -*- C++
//-*-===//
#ifndef CODEINDEX_TESTS_GRAPH_GRAPHTESTUTIL_H
#define CODEINDEX_TESTS_GRAPH_GRAPHTESTUTIL_H

#include "codeindex/graph/GraphStore.h"

#include "gtest/gtest.h"

#include <memory>

namespace codeindex::test {

/// A GraphStore over a fresh memory store.
struct MemGraph {
  MemGraph() {
    storage::StoreSpec Spec;
    EXPECT_TRUE(storage::parseStoreSpec("mem", &Spec).isOk());
    EXPECT_TRUE(storage::openStore(Spec, {}, &S).isOk());
    G = std::make_unique<GraphStore>(*S);
    EXPECT_TRUE(G->initSchema(/*Fresh=*/true).isOk());
  }

  /// Writes one TU owning Units.
  void addTu(Id Key, const std::string &Main, std::vector<UnitFacts> Units) {
    TuRecord Tu;
    Tu.Key = Key;
    Tu.MainFile = Main;
    for (const UnitFacts &U : Units)
      Tu.OwnedUnits.push_back(U.Key);
    storage::WriteBatch B;
    ASSERT_TRUE(G->encodeTu(Tu, Units, B).isOk());
    ASSERT_TRUE(S->write(B).isOk());
  }

  std::unique_ptr<storage::Store> S;
  std::unique_ptr<GraphStore> G;
};

inline UnitFacts unitOf(const std::string &Path, uint64_t Variant = 0) {
  UnitFacts U;
  U.Key = UnitKey{std::hash<std::string>()(Path), Variant};
  U.File.Path = Path;
  U.File.Lang = Language::Cxx;
  U.File.Lines = 10;
  U.File.ContentHash = 7;
  return U;
}

inline EntityFact entityOf(Id I, const std::string &Name, uint32_t Line,
                           bool Definition) {
  EntityFact E;
  E.ID = I;
  E.Usr = "c:@F@" + Name + "#";
  E.Kind = EntityKind::Function;
  E.Name = E.QualifiedName = Name;
  E.Signature = "void " + Name + "()";
  E.Lang = Language::Cxx;
  E.Decls.push_back(DeclFact{Extent{Line, 1, Line, 20}, Definition});
  E.BodyHash = Definition ? 0x1234 : 0;
  return E;
}

} // namespace codeindex::test

#endif
