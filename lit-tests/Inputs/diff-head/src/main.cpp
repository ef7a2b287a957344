#include "calc/calc.h"
#include "geo/circle.h"
#include "geo/square.h"
#include "util/log.h"

int main() {
  geo::Circle C(1);
  geo::RoundedSquare S(2);
  const geo::Shape *All[] = {&C, &S};
  (void)calc::format(geo::totalArea(All, 2));
  return calc::evaluate("1+2*3");
}
