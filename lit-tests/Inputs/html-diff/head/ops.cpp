#include "ops.h"
bool operator<(const P &A, const P &B) { return B.X > A.X; }
P operator&(const P &A, const P &B) { return P{B.X & A.X}; }
long double operator""_km(long double V) { return 1000 * V; }
int useBox() {
  Box<int> B{2};
  return B.V + (P{1} < P{3});
}
