#include "calc/calc.h"

int testEvaluate() { return calc::evaluate("2*(3+4)") == 14 ? 0 : 1; }
