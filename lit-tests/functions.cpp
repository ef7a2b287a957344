// Free functions, overloads, declarations vs definitions, and calls.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s

int add(int a, int b);
// CHECK-DAG: entity function add | int add(int, int) |  | functions.cpp:[[@LINE+1]]:1 | def
int add(int a, int b) { return a + b; }
// CHECK-DAG: entity function scale | int scale(int) |  | functions.cpp:[[@LINE+1]]:1 | def
int scale(int x) { return add(x, x); }
// CHECK-DAG: entity function scale | double scale(double) |  | functions.cpp:[[@LINE+1]]:1 | def
double scale(double x) { return x * 2; }
static int twice(int x) { return scale(x) + scale(1.0); }
// CHECK-DAG: entity function twice | int twice(int) | static | functions.cpp:[[@LINE-1]]:1 | def
int (*pointer)(int, int) = &add;

// CHECK-DAG: edge calls int scale(int) -> add | functions.cpp:[[@LINE-7]]:27
// CHECK-DAG: edge calls twice -> int scale(int) | functions.cpp:[[@LINE-5]]:34
// CHECK-DAG: edge calls twice -> double scale(double) | functions.cpp:[[@LINE-6]]:45
// CHECK-DAG: edge references pointer -> add | functions.cpp:[[@LINE-5]]:29
// Declarators are printed as written, not as `int (*)(int, int) pointer`:
// CHECK-DAG: entity variable pointer | int (*pointer)(int, int) | | functions.cpp:[[@LINE-7]]:1 | def
// CHECK-DAG: edge contains file:functions.cpp -> add | functions.cpp:{{[0-9]+}}:5, functions.cpp:{{[0-9]+}}:5
// CHECK-NOT: edge calls {{.*}} -> twice
