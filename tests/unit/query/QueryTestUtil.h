//===- QueryTestUtil.h - Small graphs for the query tests -------*- C++ -*-===//
#ifndef CODEINDEX_TESTS_QUERY_QUERYTESTUTIL_H
#define CODEINDEX_TESTS_QUERY_QUERYTESTUTIL_H

#include "codeindex/graph/GraphJson.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace codeindex::test {

/// An entity of src/shapes.cpp at line I (its id).
inline Entity entity(Id I, EntityKind K, const std::string &QN,
                     bool IsTest = false) {
  Entity E;
  E.ID = I;
  E.Kind = K;
  E.QualifiedName = QN;
  size_t Pos = QN.rfind("::");
  E.Name = Pos == std::string::npos ? QN : QN.substr(Pos + 2);
  E.Signature = isFunctionLike(K) ? "void " + QN + "()" : "";
  E.File = IsTest ? "tests/shapes_test.cpp" : "src/shapes.cpp";
  E.Range.Line = static_cast<uint32_t>(I);
  E.IsDefinition = true;
  E.IsTest = IsTest;
  E.Lang = Language::Cxx;
  E.Hash = 0x100 + I;
  return E;
}

/// An edge with one site at the source's line.
inline Edge edge(EdgeKind K, Id From, Id To, bool VirtualSite = false) {
  Edge E;
  E.Kind = K;
  E.From = From;
  E.To = To;
  E.Sites.push_back(
      Site{"src/shapes.cpp", static_cast<uint32_t>(From), 5, VirtualSite});
  return E;
}

/// A Graph as loadGraphJson gives it: entities by id, edges by kind, from,
/// to.
inline Graph graphOf(std::vector<Entity> Entities, std::vector<Edge> Edges) {
  Graph G;
  std::sort(Entities.begin(), Entities.end(),
            [](const Entity &A, const Entity &B) { return A.ID < B.ID; });
  std::sort(Edges.begin(), Edges.end(), [](const Edge &A, const Edge &B) {
    return std::tie(A.Kind, A.From, A.To) < std::tie(B.Kind, B.From, B.To);
  });
  G.Entities = std::move(Entities);
  G.Edges = std::move(Edges);
  FileInfo F;
  F.ID = 0xF1;
  F.Path = "src/shapes.cpp";
  F.Lang = Language::Cxx;
  G.Files.push_back(F);
  F.ID = 0xF2;
  F.Path = "tests/shapes_test.cpp";
  F.Role = FileRole::Test;
  G.Files.push_back(F);
  return G;
}

// The ids of the fixture below.
enum : Id {
  Shape = 1,
  Circle = 2,
  ShapeArea = 3,
  CircleArea = 4,
  TotalArea = 5,
  Main = 6,
  TestArea = 7,
  ParseExpr = 8,
  ParseTerm = 9,
  Recurse = 10,
  Unit = 11,
  Report = 12,
};

/// Shapes with a virtual area(), a caller through the base, a test, a
/// two-function cycle and a self-recursive function:
///
///   main -> totalArea -> Shape::area (virtual call)
///   test_area -> totalArea
///   Circle : Shape; Circle::area overrides Shape::area
///   parseExpr -> parseTerm -> parseExpr; recurse -> recurse
///   report references the variable unit; report calls main
inline Graph shapes() {
  using K = EntityKind;
  return graphOf(
      {entity(Shape, K::Class, "geo::Shape"),
       entity(Circle, K::Class, "geo::Circle"),
       entity(ShapeArea, K::Method, "geo::Shape::area"),
       entity(CircleArea, K::Method, "geo::Circle::area"),
       entity(TotalArea, K::Function, "geo::totalArea"),
       entity(Main, K::Function, "main"),
       entity(TestArea, K::Function, "test_area", /*IsTest=*/true),
       entity(ParseExpr, K::Function, "parseExpr"),
       entity(ParseTerm, K::Function, "parseTerm"),
       entity(Recurse, K::Function, "recurse"),
       entity(Unit, K::Variable, "geo::unit"),
       entity(Report, K::Function, "report")},
      {edge(EdgeKind::Calls, Main, TotalArea),
       edge(EdgeKind::Calls, TotalArea, ShapeArea, /*VirtualSite=*/true),
       edge(EdgeKind::Calls, TestArea, TotalArea),
       edge(EdgeKind::Calls, ParseExpr, ParseTerm),
       edge(EdgeKind::Calls, ParseTerm, ParseExpr),
       edge(EdgeKind::Calls, Recurse, Recurse),
       edge(EdgeKind::Calls, Report, Main),
       edge(EdgeKind::References, Report, Unit),
       edge(EdgeKind::Inherits, Circle, Shape),
       edge(EdgeKind::Overrides, CircleArea, ShapeArea),
       edge(EdgeKind::Contains, Shape, ShapeArea),
       edge(EdgeKind::Contains, Circle, CircleArea)});
}

} // namespace codeindex::test

#endif // CODEINDEX_TESTS_QUERY_QUERYTESTUTIL_H
