// Explicit destructor calls are calls (issue 12, point 7); implicit ones
// (end of scope, delete) are not. Elidable copies and moves (`return
// Node();` before C++17) are not calls (point 6): only the construction they
// would copy is.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++14
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --edges calls | FileCheck %s

struct Node {
  Node() {}
  Node(const Node &) {}
  Node(Node &&) {}
  ~Node() {}
};

Node make() { return Node(); }
Node pass(Node n) { return n; }

struct Set {
  ~Set() {}
  void reset() { this->~Set(); }
};
void destroy(Set *s) { s->~Set(); }
void scoped() { Set s; }
void owned(Set *p) { delete p; }

// CHECK: edge calls Set::reset -> Set::~Set | destructors-and-copies.cpp:21:24
// CHECK-NEXT: edge calls destroy -> Set::~Set | destructors-and-copies.cpp:23:27
// `return Node();` constructs once (the default constructor); the elidable
// move from the temporary is not a call. `return n;` of a parameter is a
// real move.
// CHECK-NEXT: edge calls make -> Node::Node() | destructors-and-copies.cpp:16:22
// CHECK-NEXT: edge calls pass -> Node::Node(Node &&) | destructors-and-copies.cpp:17:28
// CHECK-NOT: edge calls
