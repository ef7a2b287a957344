#include "geo/shape.h"
#include "util/log.h"

namespace geo {
Shape::~Shape() {}

double Shape::scaled(double Factor) const { return area() * Factor; }

double totalArea(const Shape *const *Shapes, int Count) {
  double Sum = 0;
  for (int I = 0; I < Count; ++I)
    Sum += Shapes[I]->area();
  logValue("total", Sum);
  return Sum;
}
} // namespace geo
