// A test file: TESTS exclude keeps its entities out of the index.
#include "shapes/shapes.h"

bool squareAreaIsSideSquared() { return shapes::Square(3).area() == 9; }

int main() { return squareAreaIsSideSquared() ? 0 : 1; }
