// Templates, explicit and partial specializations, explicit instantiation,
// and `instantiates` edges to the primary template.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++20
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s

template <typename T> struct Box { T Value; T get() const { return Value; } };
template <> struct Box<bool> { bool get() const { return true; } };
template <typename T> struct Box<T *> { T *get() const { return nullptr; } };
template struct Box<int>;
template <typename T> T maxOf(T A, T B) { return A < B ? B : A; }
template <> double maxOf<double>(double A, double B) { return A; }
template <typename T> concept Small = sizeof(T) <= 4;
int use() { Box<char> B{'x'}; return maxOf(1, 2) + B.get(); }

// CHECK-DAG: entity struct Box | template <typename T> struct Box | template | templates.cpp:7:1 | def
// CHECK-DAG: entity struct Box | struct Box<bool> | template_specialization | templates.cpp:8:1 | def
// CHECK-DAG: entity struct Box<T *> | template <typename T> struct Box<T *> | template_specialization | templates.cpp:9:1 | def
// CHECK-DAG: entity function maxOf | template <typename T> T maxOf(T, T) | template | templates.cpp:11:1 | def
// CHECK-DAG: entity function maxOf | double maxOf(double, double) | template_specialization | templates.cpp:12:1 | def
// CHECK-DAG: entity concept Small | template <typename T> concept Small | template | templates.cpp:13:1 | def
// CHECK-DAG: edge instantiates struct Box<bool> -> template <typename T> struct Box | templates.cpp:8:20
// CHECK-DAG: edge instantiates Box<T *> -> template <typename T> struct Box | templates.cpp:9:30
// CHECK-DAG: entity method Box<T *>::get | T *Box<T *>::get() const | const | templates.cpp:9:41 | def public parent=Box<T *>
// CHECK-DAG: edge instantiates double maxOf(double, double) -> template <typename T> T maxOf(T, T) | templates.cpp:12:20
// CHECK-DAG: edge calls use -> template <typename T> T maxOf(T, T) | templates.cpp:14:38
// CHECK-DAG: edge calls use -> Box::get | templates.cpp:14:54
// CHECK-DAG: edge uses_type use -> template <typename T> struct Box | templates.cpp:14:13
