// Out-of-line member definitions (issue 12, point 2): `Account::` in
// `int Account::count() {...}` places the definition; it is not a use of the
// type. What the definition really names (its return type, a local of the
// class type) still is.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --edges uses_type | FileCheck %s

class Account {
public:
  struct Entry {};
  int count() const;
  static int total;
  Entry first() const;
  Account copy() const;
};
int Account::count() const { return total; }
int Account::total = 0;
Account::Entry Account::first() const { return Entry(); }
Account Account::copy() const { Account other; return other; }

template <typename T> struct Box {
  T get() const;
};
template <typename T> T Box<T>::get() const { return T(); }

// Account::count and Account::total name Account only in the qualifier
// that places them: no edge. Account::copy returns and declares an Account;
// Account::first's return type is spelled `Account::Entry` (a use of
// Account to reach Entry, before the placing qualifier).
// CHECK: edge uses_type Account::copy -> Account | out-of-line-members.cpp:15:3, out-of-line-members.cpp:20:1, out-of-line-members.cpp:20:33
// CHECK-NEXT: edge uses_type Account::first -> Account | out-of-line-members.cpp:19:1
// CHECK-NEXT: edge uses_type Account::first -> Account::Entry | out-of-line-members.cpp:14:3, out-of-line-members.cpp:19:10, out-of-line-members.cpp:19:48
// CHECK-NOT: edge uses_type
