#include "shapes/shapes.h"

namespace shapes {

Shape::~Shape() = default;

double Square::area() const { return Side * Side; }

double Circle::area() const { return 3.14159 * Radius * Radius; }

double totalArea(const Shape *const *Shapes, int Count) {
  double Sum = 0;
  for (int I = 0; I < Count; ++I)
    Sum += Shapes[I]->area();
  return Sum;
}

} // namespace shapes
