// Inheriting constructors: `using Base::Base;` names the base class's
// constructors without calling them. It is a `references` edge from the
// class to each constructor it inherits (as libclang's indexer reports it),
// never a `calls` edge. Found by bench/oracle-compare.py on fmtlib
// (`appender`'s `using base::base;`).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: (%summary %t/graph.json --no-external --edges calls,references --section edges; echo END) | FileCheck --strict-whitespace --match-full-lines %s

struct Base {
  explicit Base(int V) : Value(V) {}
  Base(int A, int B) : Value(A + B) {}
  int Value;
};
struct Derived : Base {
  using Base::Base;
};
// A dependent base: nothing is known to inherit until instantiation.
template <typename T> struct Wrapper : T {
  using T::T;
};
Derived make() { return Derived(1, 2); }

// Expected output: the two references from Derived at `Base` of
// `using Base::Base;`, no calls from Derived or Wrapper.

// CHECK:edge references Base::Base(int) -> Base::Value | inheriting-constructors.cpp:11:26
// CHECK-NEXT:edge references Base::Base(int, int) -> Base::Value | inheriting-constructors.cpp:12:24
// CHECK-NEXT:edge references Derived -> Base::Base(int) | inheriting-constructors.cpp:16:15
// CHECK-NEXT:edge references Derived -> Base::Base(int, int) | inheriting-constructors.cpp:16:15
// CHECK-NEXT:END
