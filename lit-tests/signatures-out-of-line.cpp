// Members of class templates defined out of line: the signature comes from
// the definition, with its template parameters' names; members of a
// partial specialization and of classes nested in one are qualified with
// the specialization's arguments as written (issue 12, point 9). The
// out-of-line member template starts at its own template header.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --section entities \
// RUN:   | FileCheck %s --implicit-check-not=type-parameter-

template <typename T> struct Holder {
  Holder();
  ~Holder();
  T get() const;
  template <typename U> U as(const U &Other) const;
};
template <typename Elem> Holder<Elem>::Holder() {}
template <typename Elem> Holder<Elem>::~Holder() {}
template <typename Elem> Elem Holder<Elem>::get() const { return Elem(); }
template <typename Elem>
template <typename U>
U Holder<Elem>::as(const U &Other) const { return Other; }

template <typename K, typename V> struct Map {};
template <typename V> struct Map<int, V> {
  Map();
  struct Node {
    enum class State { Empty, Full, Last = Full };
    V *value() const;
  };
};
template <typename V> Map<int, V>::Map() {}
template <typename V> V *Map<int, V>::Node::value() const { return nullptr; }

// CHECK-DAG: entity constructor Holder::Holder | Holder::Holder() |  | {{.*}}:17:1 | def public parent=Holder
// CHECK-DAG: entity constructor Map<int, V>::Map | Map<int, V>::Map() |  | {{.*}}:32:1 | def public parent=Map<int, V>
// CHECK-DAG: entity destructor Holder::~Holder | Holder::~Holder() |  | {{.*}}:18:1 | def public parent=Holder
// CHECK-DAG: entity enum Map<int, V>::Node::State | enum class Map<int, V>::Node::State |  | {{.*}}:28:5 | def public parent=Map<int, V>::Node
// Clang computes no enumerator values in a template: the initializer as
// written, if any.
// CHECK-DAG: entity enumerator Map<int, V>::Node::State::Full | Map<int, V>::Node::State::Full |  | {{.*}}:28:31 | def parent=Map<int, V>::Node::State
// CHECK-DAG: entity enumerator Map<int, V>::Node::State::Last | Map<int, V>::Node::State::Last = Full |  | {{.*}}:28:37 | def parent=Map<int, V>::Node::State
// CHECK-DAG: entity method Holder::as | template <typename U> U Holder::as(const U &) const | const,template | {{.*}}:21:1 | def public parent=Holder
// CHECK-DAG: entity method Holder::get | Elem Holder::get() const | const | {{.*}}:19:1 | def public parent=Holder
// CHECK-DAG: entity method Map<int, V>::Node::value | V *Map<int, V>::Node::value() const | const | {{.*}}:33:1 | def public parent=Map<int, V>::Node
// CHECK-DAG: entity struct Holder | template <typename T> struct Holder | template | {{.*}}:11:1 | def
// CHECK-DAG: entity struct Map | template <typename K, typename V> struct Map | template | {{.*}}:24:1 | def
// CHECK-DAG: entity struct Map<int, V> | template <typename V> struct Map<int, V> | template_specialization | {{.*}}:25:1 | def
// CHECK-DAG: entity struct Map<int, V>::Node | struct Map<int, V>::Node |  | {{.*}}:27:3 | def public parent=Map<int, V>
