// Variadic templates in signatures: packs keep their names as written
// (`R (Args...)`), in a partial specialization's members too, whose
// injected class name Clang spells canonically (issue 12, point 9).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --section entities \
// RUN:   | FileCheck %s --implicit-check-not=type-parameter-

template <typename F> class TypedExpectation;
template <typename R, typename... Args> class TypedExpectation<R(Args...)> {
public:
  TypedExpectation &WillOnce(R (*Action)(Args...));
  R Perform(Args &&...Arguments) const;
  struct Adaptor {
    R operator()(Args &&...Arguments) const;
  };
};
template <typename... Ts> void log(const char *Format, Ts &&...Values) {}
template <typename... Ts> struct Tuple {};
template <typename... Ts> Tuple<Ts...> makeTuple(Ts... Values) { return {}; }

// CHECK-DAG: entity class TypedExpectation | template <typename F> class TypedExpectation | template | {{.*}}:9:1 | decl
// CHECK-DAG: entity class TypedExpectation<R (Args...)> | template <typename R, typename ...Args> class TypedExpectation<R (Args...)> | template_specialization | {{.*}}:10:1 | def
// CHECK-DAG: entity method TypedExpectation<R (Args...)>::WillOnce | TypedExpectation &TypedExpectation<R (Args...)>::WillOnce(R (*)(Args...)) |  | {{.*}}:12:3 | decl public parent=TypedExpectation<R (Args...)>
// CHECK-DAG: entity method TypedExpectation<R (Args...)>::Perform | R TypedExpectation<R (Args...)>::Perform(Args &&...) const | const | {{.*}}:13:3 | decl public parent=TypedExpectation<R (Args...)>
// CHECK-DAG: entity struct TypedExpectation<R (Args...)>::Adaptor | struct TypedExpectation<R (Args...)>::Adaptor |  | {{.*}}:14:3 | def public parent=TypedExpectation<R (Args...)>
// CHECK-DAG: entity operator TypedExpectation<R (Args...)>::Adaptor::operator() | R TypedExpectation<R (Args...)>::Adaptor::operator()(Args &&...) const | const | {{.*}}:15:5 | decl public parent=TypedExpectation<R (Args...)>::Adaptor
// CHECK-DAG: entity function log | template <typename ...Ts> void log(const char *, Ts &&...) | template | {{.*}}:18:1 | def
// CHECK-DAG: entity struct Tuple | template <typename ...Ts> struct Tuple | template | {{.*}}:19:1 | def
// CHECK-DAG: entity function makeTuple | template <typename ...Ts> Tuple<Ts...> makeTuple(Ts...) | template | {{.*}}:20:1 | def
