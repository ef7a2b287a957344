#ifndef SHAPES_SHAPES_H
#define SHAPES_SHAPES_H

namespace shapes {

class Shape {
public:
  virtual ~Shape();
  virtual double area() const = 0;
};

class Square : public Shape {
public:
  explicit Square(double Side) : Side(Side) {}
  double area() const override;

private:
  double Side;
};

class Circle : public Shape {
public:
  explicit Circle(double Radius) : Radius(Radius) {}
  double area() const override;

private:
  double Radius;
};

double totalArea(const Shape *const *Shapes, int Count);

} // namespace shapes

#endif
