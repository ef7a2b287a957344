// A class first declared by a friend declaration (`friend class Iter;`, its
// definition in another file) is an entity declared there, and the
// befriending class uses it. Before, the index reported the friend only as
// a reference: the class had no entity in this TU and the edge was dropped
// as dangling. Found by bench/oracle-compare.py on leveldb (memtable.h).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --section entities,edges | FileCheck %s
// RUN: grep -q '"dangling_edges_dropped":0' %t/graph.json

namespace db {
class Table {
  friend class Iter;
  friend class Known;
  int Rows = 0;
};
class Known {};
} // namespace db

// CHECK-DAG: entity class db::Iter | class db::Iter |  | friend-declarations.cpp:13:10 | decl parent=db
// CHECK-DAG: entity class db::Known | class db::Known |  | friend-declarations.cpp:17:1 | def parent=db
// CHECK-DAG: edge uses_type db::Table -> db::Iter | friend-declarations.cpp:13:16
// CHECK-DAG: edge uses_type db::Table -> db::Known | friend-declarations.cpp:14:16
// The friend declares the class in the enclosing namespace, not in Table.
// CHECK-NOT: edge contains db::Table -> db::Iter
