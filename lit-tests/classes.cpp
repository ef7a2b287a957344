// Classes, access, fields, static members, methods and containment.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s

class Account {
public:
  int balance() const { return Cents / 100; }
  static int count();
protected:
  void touch() { ++Cents; }
private:
  int Cents = 0;
  static int Instances;
};
int Account::count() { return Instances; }
int Account::Instances = 0;
union Bits { int I; float F; };

// CHECK-DAG: entity class Account | class Account |  | classes.cpp:6:1 | def
// CHECK-DAG: entity method Account::balance | int Account::balance() const | const | classes.cpp:8:3 | def public parent=Account
// CHECK-DAG: entity method Account::count | int Account::count() | static | classes.cpp:16:1 | def public parent=Account
// CHECK-DAG: entity method Account::touch | void Account::touch() |  | classes.cpp:11:3 | def protected parent=Account
// CHECK-DAG: entity field Account::Cents | int Account::Cents |  | classes.cpp:13:3 | def private parent=Account
// CHECK-DAG: entity variable Account::Instances | int Account::Instances | static | classes.cpp:17:1 | def private parent=Account
// CHECK-DAG: entity union Bits | union Bits |  | classes.cpp:18:1 | def
// CHECK-DAG: entity field Bits::F | float Bits::F |  | classes.cpp:18:21 | def public parent=Bits
// CHECK-DAG: edge references Account::balance -> Account::Cents | classes.cpp:8:32
// CHECK-DAG: edge references Account::touch -> Account::Cents | classes.cpp:11:20
// CHECK-DAG: edge references Account::count -> Account::Instances | classes.cpp:16:31
// CHECK-DAG: edge contains Account -> Account::count | classes.cpp:9:14, classes.cpp:16:14
// CHECK-DAG: edge contains file:classes.cpp -> Account | classes.cpp:6:7
