#ifndef GEO_SHAPE_H
#define GEO_SHAPE_H
namespace geo {
class Shape {
public:
  virtual ~Shape();
  virtual double area() const = 0;
  double scaled(double Factor) const;
};
double totalArea(const Shape *const *Shapes, int Count);
} // namespace geo
#endif
