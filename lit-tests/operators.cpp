// Operators: member and free operator overloads, conversion functions, and
// the calls that operator syntax makes (a + b, a == b, a[i], a(), cast).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
// Built-in operators are not calls:
// RUN: %summary %t/graph.json | not grep 'edge calls builtin'
struct Vec {
  int X = 0;
  Vec operator+(const Vec &O) const { return Vec{X + O.X}; }
  Vec &operator+=(const Vec &O) { X += O.X; return *this; }
  int operator[](int I) const { return I ? X : 0; }
  int operator()(int Scale) const { return X * Scale; }
  explicit operator bool() const { return X != 0; }
};
bool operator==(const Vec &A, const Vec &B) { return A.X == B.X; }
int use(Vec A, Vec B) {
  Vec C = A + B;
  C += A;
  if (C == B)
    return C[0];
  if (static_cast<bool>(C))
    return C(2);
  return 0;
}
int builtin(int A, int B) { return A + B; }

// CHECK-DAG: entity conversion_function Vec::operator bool | Vec::operator bool() const | const | operators.cpp:14:3 | def public parent=Vec
// CHECK-DAG: entity field Vec::X | int Vec::X | | operators.cpp:9:3 | def public parent=Vec
// CHECK-DAG: entity function builtin | int builtin(int, int) | | operators.cpp:26:1 | def
// CHECK-DAG: entity function use | int use(Vec, Vec) | | operators.cpp:17:1 | def
// CHECK-DAG: entity operator Vec::operator() | int Vec::operator()(int) const | const | operators.cpp:13:3 | def public parent=Vec
// CHECK-DAG: entity operator Vec::operator+ | Vec Vec::operator+(const Vec &) const | const | operators.cpp:10:3 | def public parent=Vec
// CHECK-DAG: entity operator Vec::operator+= | Vec &Vec::operator+=(const Vec &) | | operators.cpp:11:3 | def public parent=Vec
// CHECK-DAG: entity operator Vec::operator[] | int Vec::operator[](int) const | const | operators.cpp:12:3 | def public parent=Vec
// CHECK-DAG: entity operator operator== | bool operator==(const Vec &, const Vec &) | | operators.cpp:16:1 | def
// CHECK-DAG: entity struct Vec | struct Vec | | operators.cpp:8:1 | def
// CHECK-DAG: edge calls use -> Vec::operator bool | operators.cpp:22:25
// CHECK-DAG: edge calls use -> Vec::operator() | operators.cpp:23:13
// CHECK-DAG: edge calls use -> Vec::operator+ | operators.cpp:18:13
// CHECK-DAG: edge calls use -> Vec::operator+= | operators.cpp:19:5
// CHECK-DAG: edge calls use -> Vec::operator[] | operators.cpp:21:13
// CHECK-DAG: edge calls use -> operator== | operators.cpp:20:9
// CHECK-DAG: edge contains Vec -> Vec::X | operators.cpp:9:7
// CHECK-DAG: edge contains Vec -> Vec::operator bool | operators.cpp:14:12
// CHECK-DAG: edge contains Vec -> Vec::operator() | operators.cpp:13:7
// CHECK-DAG: edge contains Vec -> Vec::operator+ | operators.cpp:10:7
// CHECK-DAG: edge contains Vec -> Vec::operator+= | operators.cpp:11:8
// CHECK-DAG: edge contains Vec -> Vec::operator[] | operators.cpp:12:7
// CHECK-DAG: edge contains file:operators.cpp -> Vec | operators.cpp:8:8
// CHECK-DAG: edge contains file:operators.cpp -> builtin | operators.cpp:26:5
// CHECK-DAG: edge contains file:operators.cpp -> operator== | operators.cpp:16:6
// CHECK-DAG: edge contains file:operators.cpp -> use | operators.cpp:17:5
// CHECK-DAG: edge references Vec::operator bool -> Vec::X | operators.cpp:14:43
// CHECK-DAG: edge references Vec::operator() -> Vec::X | operators.cpp:13:44
// CHECK-DAG: edge references Vec::operator+ -> Vec::X | operators.cpp:10:50, operators.cpp:10:56
// CHECK-DAG: edge references Vec::operator+= -> Vec::X | operators.cpp:11:35, operators.cpp:11:42
// CHECK-DAG: edge references Vec::operator[] -> Vec::X | operators.cpp:12:44
// CHECK-DAG: edge references operator== -> Vec::X | operators.cpp:16:56, operators.cpp:16:63
// CHECK-DAG: edge uses_type Vec::operator+ -> Vec | operators.cpp:10:3, operators.cpp:10:23, operators.cpp:10:46
// CHECK-DAG: edge uses_type Vec::operator+= -> Vec | operators.cpp:11:3, operators.cpp:11:25
// CHECK-DAG: edge uses_type operator== -> Vec | operators.cpp:16:23, operators.cpp:16:37
// CHECK-DAG: edge uses_type use -> Vec | operators.cpp:17:9, operators.cpp:17:16, operators.cpp:18:3
