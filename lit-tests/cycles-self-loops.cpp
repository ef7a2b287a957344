// query cycles and direct recursion (issue 12, point 1): a function calling
// itself is a cycle of one in the call graph, a function naming itself one
// in the reference graph; --no-self-loops leaves them out. Mutual recursion
// is a cycle of two either way.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: cd %t && (%code-indexer query --json graph.json cycles; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CALLS %s
// RUN: cd %t && (%code-indexer query --json graph.json cycles --no-self-loops; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=NOSELF %s
// RUN: cd %t && (%code-indexer query --json graph.json cycles --edges references; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=REFS %s
// RUN: cd %t && (%code-indexer query --json graph.json cycles --edges references --no-self-loops; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=NOREFS %s
// RUN: cd %t && %code-indexer query --json graph.json --format json cycles | %shapes cycles
// RUN: cd %t && %code-indexer query --json graph.json --format json cycles --no-self-loops | FileCheck --check-prefix=JSON %s
// RUN: cd %t && not %code-indexer query --json graph.json hotspots --no-self-loops 2>&1 | FileCheck --check-prefix=ONLY %s

int factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

int isOdd(int n);
int isEven(int n) { return n == 0 ? 1 : isOdd(n - 1); }
int isOdd(int n) { return n == 0 ? 0 : isEven(n - 1); }

using Handler = void (*)();
Handler self() { return reinterpret_cast<Handler>(&self); }

struct Node {
  int depth() const { return next ? 1 + next->depth() : 0; }
  Node *next = nullptr;
};

int main() { return factorial(3) + isEven(4) + (self() != nullptr); }

// CALLS:cycle 1 (2 members)
// CALLS-NEXT:  KIND      NAME    LOCATION
// CALLS-NEXT:  function  isEven  cycles-self-loops.cpp:18
// CALLS-NEXT:  function  isOdd   cycles-self-loops.cpp:19
// CALLS-NEXT:cycle 2 (1 member)
// CALLS-NEXT:  KIND    NAME         LOCATION
// CALLS-NEXT:  method  Node::depth  cycles-self-loops.cpp:25
// CALLS-NEXT:cycle 3 (1 member)
// CALLS-NEXT:  KIND      NAME       LOCATION
// CALLS-NEXT:  function  factorial  cycles-self-loops.cpp:15
// CALLS-NEXT:END

// NOSELF:cycle 1 (2 members)
// NOSELF-NEXT:  KIND      NAME    LOCATION
// NOSELF-NEXT:  function  isEven  cycles-self-loops.cpp:18
// NOSELF-NEXT:  function  isOdd   cycles-self-loops.cpp:19
// NOSELF-NEXT:END

// REFS:cycle 1 (1 member)
// REFS-NEXT:  KIND      NAME  LOCATION
// REFS-NEXT:  function  self  cycles-self-loops.cpp:22
// REFS-NEXT:END

// NOREFS:no cycles in the references graph
// NOREFS-NEXT:END

// JSON:      "edges": "calls",
// JSON-NEXT: "self_loops": false,
// JSON-NEXT: "cycles": [
// JSON-NEXT:   {
// JSON-NEXT:     "size": 2,

// ONLY: code-indexer: error: query hotspots does not take --no-self-loops
