#include "shapes/shapes.h"

int main() {
  shapes::Square S(2);
  shapes::Circle C(1);
  const shapes::Shape *All[] = {&S, &C};
  return shapes::totalArea(All, 2) > 0 ? 0 : 1;
}
