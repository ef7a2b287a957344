// Self-loops (issue 12, point 1): a function calling itself (direct
// recursion) and a function naming itself (taking its own address) keep
// their `calls` / `references` edge; other self-loops are not edges (a class
// whose static_assert names the class does not use itself).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s

int factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }
// CHECK-DAG: edge calls factorial -> factorial | recursion.cpp:[[@LINE-1]]:48

int isOdd(int n);
int isEven(int n) { return n == 0 ? 1 : isOdd(n - 1); }
int isOdd(int n) { return n == 0 ? 0 : isEven(n - 1); }
// CHECK-DAG: edge calls isEven -> isOdd | recursion.cpp:[[@LINE-2]]:41
// CHECK-DAG: edge calls isOdd -> isEven | recursion.cpp:[[@LINE-2]]:40

using Handler = void (*)();
Handler self() { return reinterpret_cast<Handler>(&self); }
// CHECK-DAG: edge references self -> self | recursion.cpp:[[@LINE-1]]:52

struct Node {
  int depth() const { return next ? 1 + next->depth() : 0; }
  Node *next = nullptr;
  static_assert(sizeof(Node *) == sizeof(void *), "pointer");
};
// CHECK-DAG: edge calls Node::depth -> Node::depth | recursion.cpp:[[@LINE-4]]:47

// CHECK-NOT: edge uses_type Node -> Node
// CHECK-NOT: edge calls isEven -> isEven
// CHECK-NOT: edge calls isOdd -> isOdd
