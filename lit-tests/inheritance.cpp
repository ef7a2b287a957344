// Inheritance with access and virtual bases, override chains at every level,
// and virtual calls.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s

struct Shape { virtual ~Shape() = default; virtual double area() const = 0; };
struct Polygon : virtual public Shape { double area() const override; };
class Square final : protected Polygon {
public:
  double area() const final { return 4; }
};
double measure(const Shape &S) { return S.area(); }
double direct(const Square &Q) { return Q.area(); }

// CHECK-DAG: entity method Shape::area | double Shape::area() const = 0 | virtual,pure_virtual,const | inheritance.cpp:7:44 | decl public parent=Shape
// CHECK-DAG: entity method Square::area | double Square::area() const | virtual,override,final,const | inheritance.cpp:11:3 | def public parent=Square
// CHECK-DAG: entity class Square | class Square | final | inheritance.cpp:9:1 | def
// CHECK-DAG: entity destructor Shape::~Shape | Shape::~Shape() = default | virtual,defaulted | inheritance.cpp:7:16 | def public parent=Shape
// CHECK-DAG: edge inherits Polygon -> Shape [public virtual] | inheritance.cpp:8:33
// CHECK-DAG: edge inherits Square -> Polygon [protected] | inheritance.cpp:9:32
// CHECK-DAG: edge overrides Polygon::area -> Shape::area | inheritance.cpp:8:48
// CHECK-DAG: edge overrides Square::area -> Polygon::area | inheritance.cpp:11:10
// CHECK-DAG: edge overrides Square::area -> Shape::area | inheritance.cpp:11:10
// CHECK-DAG: edge calls measure -> Shape::area | inheritance.cpp:13:43 virtual
// CHECK-DAG: edge calls direct -> Square::area | inheritance.cpp:14:43 virtual
// CHECK-NOT: edge uses_type Square -> Polygon
