// Type aliases: typedef, using, alias templates, member aliases; uses of an
// alias point at the alias (not at what it names).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
#include <vector>
struct Point { int X, Y; };
typedef Point PointT;
using PointList = std::vector<Point>;
template <typename T> using Pair = T[2];
struct Shape {
  using Coord = int;
  Coord Width = 0;
};
PointT origin() { return PointT{0, 0}; }
int count(const PointList &L) { return static_cast<int>(L.size()); }
Shape::Coord width(const Shape &S) { Pair<int> P = {S.Width, 0}; return P[0]; }

// CHECK-DAG: entity field Point::X | int Point::X | | aliases.cpp:7:16 | def public parent=Point
// CHECK-DAG: entity field Point::Y | int Point::Y | | aliases.cpp:7:16 | def public parent=Point
// CHECK-DAG: entity field Shape::Width | Coord Shape::Width | | aliases.cpp:13:3 | def public parent=Shape
// CHECK-DAG: entity function count | int count(const PointList &) | | aliases.cpp:16:1 | def
// CHECK-DAG: entity function origin | PointT origin() | | aliases.cpp:15:1 | def
// CHECK-DAG: entity function width | Shape::Coord width(const Shape &) | | aliases.cpp:17:1 | def
// CHECK-DAG: entity struct Point | struct Point | | aliases.cpp:7:1 | def
// CHECK-DAG: entity struct Shape | struct Shape | | aliases.cpp:11:1 | def
// CHECK-DAG: entity type_alias Pair | template <typename T> using Pair = T[2] | template | aliases.cpp:10:1 | def
// CHECK-DAG: entity type_alias PointList | using PointList = std::vector<Point> | | aliases.cpp:9:1 | def
// CHECK-DAG: entity type_alias PointT | typedef Point PointT | | aliases.cpp:8:1 | def
// CHECK-DAG: entity type_alias Shape::Coord | using Shape::Coord = int | | aliases.cpp:12:3 | def public parent=Shape
// CHECK-DAG: edge contains Point -> Point::X | aliases.cpp:7:20
// CHECK-DAG: edge contains Point -> Point::Y | aliases.cpp:7:23
// CHECK-DAG: edge contains Shape -> Shape::Coord | aliases.cpp:12:9
// CHECK-DAG: edge contains Shape -> Shape::Width | aliases.cpp:13:9
// CHECK-DAG: edge contains file:aliases.cpp -> Pair | aliases.cpp:10:29
// CHECK-DAG: edge contains file:aliases.cpp -> Point | aliases.cpp:7:8
// CHECK-DAG: edge contains file:aliases.cpp -> PointList | aliases.cpp:9:7
// CHECK-DAG: edge contains file:aliases.cpp -> PointT | aliases.cpp:8:15
// CHECK-DAG: edge contains file:aliases.cpp -> Shape | aliases.cpp:11:8
// CHECK-DAG: edge contains file:aliases.cpp -> count | aliases.cpp:16:5
// CHECK-DAG: edge contains file:aliases.cpp -> origin | aliases.cpp:15:8
// CHECK-DAG: edge contains file:aliases.cpp -> width | aliases.cpp:17:14
// CHECK-DAG: edge references width -> Shape::Width | aliases.cpp:17:55
// CHECK-DAG: edge uses_type PointList -> Point | aliases.cpp:9:31
// CHECK-DAG: edge uses_type PointT -> Point | aliases.cpp:8:9
// CHECK-DAG: edge uses_type Shape::Width -> Shape::Coord | aliases.cpp:13:3
// CHECK-DAG: edge uses_type count -> PointList | aliases.cpp:16:17
// CHECK-DAG: edge uses_type origin -> PointT | aliases.cpp:15:1, aliases.cpp:15:26
// CHECK-DAG: edge uses_type width -> Pair | aliases.cpp:17:38
// CHECK-DAG: edge uses_type width -> Shape | aliases.cpp:17:1, aliases.cpp:17:26
// CHECK-DAG: edge uses_type width -> Shape::Coord | aliases.cpp:17:8
