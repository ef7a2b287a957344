#include "geo/circle.h"

namespace geo {
double Circle::area() const { return 3.14 * Radius * Radius; }
} // namespace geo
