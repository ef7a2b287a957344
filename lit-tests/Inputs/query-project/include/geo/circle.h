#ifndef GEO_CIRCLE_H
#define GEO_CIRCLE_H
#include "geo/shape.h"
namespace geo {
class Circle : public Shape {
public:
  explicit Circle(double R) : Radius(R) {}
  double area() const override;

private:
  double Radius;
};
} // namespace geo
#endif
