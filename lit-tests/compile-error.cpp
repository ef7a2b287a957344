// A TU with a compile error is indexed as far as Clang's recovery goes; the
// error is recorded and the run succeeds (exit 0), or fails with --strict.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --section entities,edges,diagnostics,units | FileCheck %s
// RUN: FileCheck --check-prefix=ERRORS %s < %t/errors.txt
// RUN: not %code-indexer extract -p %t/build --db mem --quiet --strict

int good() { return 1; }
int broken() { return undeclared_thing + good(); }
int after() { return good(); }

// CHECK-DAG: entity function good | int good() |  | compile-error.cpp:9:1 | def
// CHECK-DAG: entity function after | int after() |  | compile-error.cpp:11:1 | def
// CHECK-DAG: edge calls after -> good | compile-error.cpp:11:22
// CHECK-DAG: diagnostic error compile-error.cpp:10:23 use of undeclared identifier 'undeclared_thing'
// CHECK-DAG: tu compile-error.cpp | errors
// ERRORS: # translation units that failed or had errors: 1
// ERRORS-NEXT: compile-error.cpp: indexed with 1 error
// ERRORS-NEXT: compile-error.cpp:10:23: error: use of undeclared identifier 'undeclared_thing'
// ERRORS-EMPTY:
