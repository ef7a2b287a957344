#ifndef GEO_SQUARE_H
#define GEO_SQUARE_H
#include "geo/shape.h"
namespace geo {
class Square : public Shape {
public:
  explicit Square(double S) : Side(S) {}
  double area() const override;

protected:
  double Side;
};
class RoundedSquare final : public Square {
public:
  using Square::Square;
  double area() const override;
};
} // namespace geo
#endif
