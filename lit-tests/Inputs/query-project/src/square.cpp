#include "geo/square.h"

namespace geo {
double Square::area() const { return Side * Side; }

double RoundedSquare::area() const { return Square::area() * 0.95; }
} // namespace geo
