#include "geo/circle.h"

int testCircleArea() {
  geo::Circle C(1);
  const geo::Shape *All[] = {&C};
  return C.area() > 3 && geo::totalArea(All, 1) > 3 ? 0 : 1;
}

int testTotalArea() {
  geo::Circle C(2);
  const geo::Shape *All[] = {&C};
  return geo::totalArea(All, 1) > 12 ? 0 : 1;
}
