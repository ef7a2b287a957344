// Enums: unscoped and scoped enums, enumerators (contained by their enum),
// an enum nested in a class, and references to enumerators.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
enum Color { Red, Green = 5, Blue };
enum class Mode : unsigned char { Off, On };
struct Light {
  enum State { Dark, Bright };
  State S = Dark;
  Mode M = Mode::Off;
};
int toInt(Color C) { return C == Green ? 1 : 0; }
Mode flip(Mode M) { return M == Mode::On ? Mode::Off : Mode::On; }
bool bright(const Light &L) { return L.S == Light::Bright; }

// CHECK-DAG: entity enum Color | enum Color | | enums.cpp:6:1 | def
// CHECK-DAG: entity enum Light::State | enum Light::State | | enums.cpp:9:3 | def public parent=Light
// CHECK-DAG: entity enum Mode | enum class Mode : unsigned char | | enums.cpp:7:1 | def
// CHECK-DAG: entity enumerator Blue | Blue = 6 | | enums.cpp:6:30 | def parent=Color
// CHECK-DAG: entity enumerator Green | Green = 5 | | enums.cpp:6:19 | def parent=Color
// CHECK-DAG: entity enumerator Light::Bright | Light::Bright = 1 | | enums.cpp:9:22 | def parent=Light::State
// CHECK-DAG: entity enumerator Light::Dark | Light::Dark = 0 | | enums.cpp:9:16 | def parent=Light::State
// CHECK-DAG: entity enumerator Mode::Off | Mode::Off = 0 | | enums.cpp:7:35 | def parent=Mode
// CHECK-DAG: entity enumerator Mode::On | Mode::On = 1 | | enums.cpp:7:40 | def parent=Mode
// CHECK-DAG: entity enumerator Red | Red = 0 | | enums.cpp:6:14 | def parent=Color
// CHECK-DAG: entity field Light::M | Mode Light::M | | enums.cpp:11:3 | def public parent=Light
// CHECK-DAG: entity field Light::S | State Light::S | | enums.cpp:10:3 | def public parent=Light
// CHECK-DAG: entity function bright | bool bright(const Light &) | | enums.cpp:15:1 | def
// CHECK-DAG: entity function flip | Mode flip(Mode) | | enums.cpp:14:1 | def
// CHECK-DAG: entity function toInt | int toInt(Color) | | enums.cpp:13:1 | def
// CHECK-DAG: entity struct Light | struct Light | | enums.cpp:8:1 | def
// CHECK-DAG: edge contains Color -> Blue | enums.cpp:6:30
// CHECK-DAG: edge contains Color -> Green | enums.cpp:6:19
// CHECK-DAG: edge contains Color -> Red | enums.cpp:6:14
// CHECK-DAG: edge contains Light -> Light::M | enums.cpp:11:8
// CHECK-DAG: edge contains Light -> Light::S | enums.cpp:10:9
// CHECK-DAG: edge contains Light -> Light::State | enums.cpp:9:8
// CHECK-DAG: edge contains Light::State -> Light::Bright | enums.cpp:9:22
// CHECK-DAG: edge contains Light::State -> Light::Dark | enums.cpp:9:16
// CHECK-DAG: edge contains Mode -> Mode::Off | enums.cpp:7:35
// CHECK-DAG: edge contains Mode -> Mode::On | enums.cpp:7:40
// CHECK-DAG: edge contains file:enums.cpp -> Color | enums.cpp:6:6
// CHECK-DAG: edge contains file:enums.cpp -> Light | enums.cpp:8:8
// CHECK-DAG: edge contains file:enums.cpp -> Mode | enums.cpp:7:12
// CHECK-DAG: edge contains file:enums.cpp -> bright | enums.cpp:15:6
// CHECK-DAG: edge contains file:enums.cpp -> flip | enums.cpp:14:6
// CHECK-DAG: edge contains file:enums.cpp -> toInt | enums.cpp:13:5
// CHECK-DAG: edge references Light::M -> Mode::Off | enums.cpp:11:18
// CHECK-DAG: edge references Light::S -> Light::Dark | enums.cpp:10:13
// CHECK-DAG: edge references bright -> Light::Bright | enums.cpp:15:52
// CHECK-DAG: edge references bright -> Light::S | enums.cpp:15:40
// CHECK-DAG: edge references flip -> Mode::Off | enums.cpp:14:50
// CHECK-DAG: edge references flip -> Mode::On | enums.cpp:14:39, enums.cpp:14:62
// CHECK-DAG: edge references toInt -> Green | enums.cpp:13:34
// CHECK-DAG: edge uses_type Light::M -> Mode | enums.cpp:11:3, enums.cpp:11:12
// CHECK-DAG: edge uses_type Light::S -> Light::State | enums.cpp:10:3
// CHECK-DAG: edge uses_type bright -> Light | enums.cpp:15:19, enums.cpp:15:45
// CHECK-DAG: edge uses_type flip -> Mode | enums.cpp:14:1, enums.cpp:14:11, enums.cpp:14:33, enums.cpp:14:44, enums.cpp:14:56
// CHECK-DAG: edge uses_type toInt -> Color | enums.cpp:13:11
