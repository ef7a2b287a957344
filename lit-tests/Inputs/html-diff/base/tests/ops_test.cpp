#include "../ops.h"
int testLess() { return P{1} < P{2}; }
int testKm() { return 2.0_km > 1; }
