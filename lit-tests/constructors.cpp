// Constructors and destructors: direct, braced, `new T`, temporaries,
// delegating and base-initializer calls, and std::make_unique resolved to
// the constructor it forwards to.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
// The call to std::make_unique itself is kept, as an edge to an external
// entity, beside the constructor call it resolves to:
// RUN: %summary %t/graph.json | FileCheck --check-prefix=EXT %s
// EXT: entity function std::make_unique | {{.*}} | external
// EXT: edge calls smart -> std::make_unique | constructors.cpp:[[@LINE+19]]:47
#include <memory>
struct Base {
  explicit Base(int V) : Value(V) {}
  virtual ~Base() = default;
  int Value;
};
struct Widget : Base {
  Widget() : Widget(7) {}
  explicit Widget(int V) : Base(V) {}
  Widget(int A, int B) : Base(A + B) {}
  Widget(const Widget &) = delete;
};
int direct() {
  Widget W(1);
  Widget Braced{2, 3};
  return W.Value + Braced.Value + Widget().Value;
}
Base *heap() { return new Widget(4); }
std::unique_ptr<Widget> smart() { return std::make_unique<Widget>(5, 6); }

// CHECK-DAG: entity constructor Base::Base | Base::Base(int) | | constructors.cpp:14:3 | def public parent=Base
// CHECK-DAG: entity constructor Widget::Widget | Widget::Widget() | | constructors.cpp:19:3 | def public parent=Widget
// CHECK-DAG: entity constructor Widget::Widget | Widget::Widget(const Widget &) = delete | deleted | constructors.cpp:22:3 | def public parent=Widget
// CHECK-DAG: entity constructor Widget::Widget | Widget::Widget(int) | | constructors.cpp:20:3 | def public parent=Widget
// CHECK-DAG: entity constructor Widget::Widget | Widget::Widget(int, int) | | constructors.cpp:21:3 | def public parent=Widget
// CHECK-DAG: entity destructor Base::~Base | Base::~Base() = default | virtual,defaulted | constructors.cpp:15:3 | def public parent=Base
// CHECK-DAG: entity field Base::Value | int Base::Value | | constructors.cpp:16:3 | def public parent=Base
// CHECK-DAG: entity function direct | int direct() | | constructors.cpp:24:1 | def
// CHECK-DAG: entity function heap | Base *heap() | | constructors.cpp:29:1 | def
// CHECK-DAG: entity function smart | std::unique_ptr<Widget> smart() | | constructors.cpp:30:1 | def
// CHECK-DAG: entity struct Base | struct Base | | constructors.cpp:13:1 | def
// CHECK-DAG: entity struct Widget | struct Widget | | constructors.cpp:18:1 | def
// CHECK-DAG: edge calls Widget::Widget() -> Widget::Widget(int) | constructors.cpp:19:14
// CHECK-DAG: edge calls Widget::Widget(int) -> Base::Base | constructors.cpp:20:28
// CHECK-DAG: edge calls Widget::Widget(int, int) -> Base::Base | constructors.cpp:21:26
// CHECK-DAG: edge calls direct -> Widget::Widget() | constructors.cpp:27:35
// CHECK-DAG: edge calls direct -> Widget::Widget(int) | constructors.cpp:25:10
// CHECK-DAG: edge calls direct -> Widget::Widget(int, int) | constructors.cpp:26:10
// CHECK-DAG: edge calls heap -> Widget::Widget(int) | constructors.cpp:29:27
// CHECK-DAG: edge calls smart -> Widget::Widget(int, int) | constructors.cpp:30:47
// CHECK-DAG: edge contains Base -> Base::Base | constructors.cpp:14:12
// CHECK-DAG: edge contains Base -> Base::Value | constructors.cpp:16:7
// CHECK-DAG: edge contains Base -> Base::~Base | constructors.cpp:15:11
// CHECK-DAG: edge contains Widget -> Widget::Widget() | constructors.cpp:19:3
// CHECK-DAG: edge contains Widget -> Widget::Widget(const Widget &) = delete | constructors.cpp:22:3
// CHECK-DAG: edge contains Widget -> Widget::Widget(int) | constructors.cpp:20:12
// CHECK-DAG: edge contains Widget -> Widget::Widget(int, int) | constructors.cpp:21:3
// CHECK-DAG: edge contains file:constructors.cpp -> Base | constructors.cpp:13:8
// CHECK-DAG: edge contains file:constructors.cpp -> Widget | constructors.cpp:18:8
// CHECK-DAG: edge contains file:constructors.cpp -> direct | constructors.cpp:24:5
// CHECK-DAG: edge contains file:constructors.cpp -> heap | constructors.cpp:29:7
// CHECK-DAG: edge contains file:constructors.cpp -> smart | constructors.cpp:30:25
// CHECK-DAG: edge inherits Widget -> Base [public] | constructors.cpp:18:17
// CHECK-DAG: edge references Base::Base -> Base::Value | constructors.cpp:14:26
// CHECK-DAG: edge references direct -> Base::Value | constructors.cpp:27:12, constructors.cpp:27:27, constructors.cpp:27:44
// CHECK-DAG: edge uses_type Widget::Widget() -> Widget | constructors.cpp:19:14
// CHECK-DAG: edge uses_type Widget::Widget(const Widget &) = delete -> Widget | constructors.cpp:22:16
// CHECK-DAG: edge uses_type Widget::Widget(int) -> Base | constructors.cpp:20:28
// CHECK-DAG: edge uses_type Widget::Widget(int, int) -> Base | constructors.cpp:21:26
// CHECK-DAG: edge uses_type direct -> Widget | constructors.cpp:25:3, constructors.cpp:26:3, constructors.cpp:27:35
// CHECK-DAG: edge uses_type heap -> Base | constructors.cpp:29:1
// CHECK-DAG: edge uses_type heap -> Widget | constructors.cpp:29:27
// CHECK-DAG: edge uses_type smart -> Widget | constructors.cpp:30:17, constructors.cpp:30:59
