// Lambdas are not entities: what a lambda calls or references is attributed
// to the enclosing function (also for nested lambdas and lambdas in
// initializers of namespace-scope variables).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
// No entity for the closure types or their call operators:
// RUN: %summary %t/graph.json | not grep -E '^entity [a-z_]+ [^|]*(lambda|operator\(\))'
int helper(int X) { return X + 1; }
int other(int X) { return X * 2; }
int Counter = 0;
int run(int N) {
  auto Add = [N](int X) { return helper(X) + N; };
  auto Nested = [](int X) {
    auto Inner = [X] { return other(X); };
    return Inner();
  };
  return Add(N) + Nested(N);
}
auto Global = [] { return ++Counter; };

// CHECK-DAG: entity function helper | int helper(int) | | lambdas.cpp:9:1 | def
// CHECK-DAG: entity function other | int other(int) | | lambdas.cpp:10:1 | def
// CHECK-DAG: entity function run | int run(int) | | lambdas.cpp:12:1 | def
// CHECK-DAG: entity variable Counter | int Counter | | lambdas.cpp:11:1 | def
// CHECK-DAG: entity variable Global | (lambda) Global | | lambdas.cpp:20:1 | def
// CHECK-DAG: edge calls run -> helper | lambdas.cpp:13:34
// CHECK-DAG: edge calls run -> other | lambdas.cpp:15:31
// CHECK-DAG: edge contains file:lambdas.cpp -> Counter | lambdas.cpp:11:5
// CHECK-DAG: edge contains file:lambdas.cpp -> Global | lambdas.cpp:20:6
// CHECK-DAG: edge contains file:lambdas.cpp -> helper | lambdas.cpp:9:5
// CHECK-DAG: edge contains file:lambdas.cpp -> other | lambdas.cpp:10:5
// CHECK-DAG: edge contains file:lambdas.cpp -> run | lambdas.cpp:12:5
// CHECK-DAG: edge references Global -> Counter | lambdas.cpp:20:29
