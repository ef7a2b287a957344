// Named, nested, inline and anonymous namespaces; internal linkage gets a
// project-unique USR (Clang's own names the file by its base name only).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
// RUN: FileCheck --check-prefix=USR %s < %t/graph.json

namespace outer {
namespace inner {
int deep() { return 1; }
}
inline namespace v1 {
int versioned() { return inner::deep(); }
}
}
namespace {
int hidden() { return outer::versioned(); }
}
static int file_local = hidden();

// CHECK-DAG: entity namespace outer | namespace outer |  | namespaces.cpp:8:1 | decl
// CHECK-DAG: entity namespace outer::inner | namespace outer::inner |  | namespaces.cpp:9:1 | decl parent=outer
// CHECK-DAG: entity namespace outer::v1 | namespace outer::v1 | inline | namespaces.cpp:12:1 | decl parent=outer
// CHECK-DAG: entity function outer::inner::deep | int outer::inner::deep() |  | namespaces.cpp:10:1 | def parent=outer::inner
// CHECK-DAG: entity namespace (anonymous namespace) | namespace (anonymous namespace) |  | namespaces.cpp:16:1 | decl
// CHECK-DAG: entity function (anonymous namespace)::hidden | int (anonymous namespace)::hidden() |  | namespaces.cpp:17:1 | def parent=(anonymous namespace)
// CHECK-DAG: entity variable file_local | int file_local | static | namespaces.cpp:19:1 | def
// CHECK-DAG: edge calls outer::versioned -> outer::inner::deep | namespaces.cpp:13:33
// CHECK-DAG: entity function outer::versioned | int outer::versioned() |  | namespaces.cpp:13:1 | def parent=outer::v1
// CHECK-DAG: edge calls (anonymous namespace)::hidden -> outer::versioned | namespaces.cpp:17:30
// CHECK-DAG: edge calls file_local -> (anonymous namespace)::hidden | namespaces.cpp:19:25
// CHECK-DAG: edge contains outer -> outer::inner | namespaces.cpp:9:11

// USR-DAG: "usr":"c:namespaces.cpp@aN@F@hidden#"
// USR-DAG: "usr":"c:namespaces.cpp@aN"
// USR-DAG: "usr":"c:namespaces.cpp@file_local"
