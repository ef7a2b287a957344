// A function template's own signature: its template parameter list and the
// parameter types as written, default arguments and non-type parameters
// included; an explicit specialization prints its concrete types
// (issue 12, point 9).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++20
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --section entities \
// RUN:   | FileCheck %s --implicit-check-not=type-parameter-

template <typename T, int N> T sum(const T (&Values)[N]) { return Values[0]; }
template <typename T, typename U = T> U convert(T Value, U *Out = nullptr);
template <typename T> auto twice(T Value) -> decltype(Value + Value);
template <typename Container>
typename Container::value_type first(const Container &C);
struct IntList { using value_type = int; };
template <> int first<IntList>(const IntList &C) { return 0; }
template <class T> concept Small = sizeof(T) <= 4;
template <Small T> void pack(T Value) {}

// CHECK-DAG: entity function sum | template <typename T, int N> T sum(const T (&)[N]) | template | {{.*}}:10:1 | def
// CHECK-DAG: entity function convert | template <typename T, typename U = T> U convert(T, U *) | template | {{.*}}:11:1 | decl
// CHECK-DAG: entity function twice | template <typename T> decltype(Value + Value) twice(T) | template | {{.*}}:12:1 | decl
// CHECK-DAG: entity function first | template <typename Container> typename Container::value_type first(const Container &) | template | {{.*}}:13:1 | decl
// CHECK-DAG: entity function first | int first(const IntList &) | template_specialization | {{.*}}:16:1 | def
// CHECK-DAG: entity function pack | template <Small T> void pack(T) | template | {{.*}}:18:1 | def
