#include "ops.h"
bool operator<(const P &A, const P &B) { return A.X < B.X; }
P operator&(const P &A, const P &B) { return P{A.X & B.X}; }
long double operator""_km(long double V) { return V * 1000; }
int useBox() {
  Box<int> B{1};
  return B.V;
}
