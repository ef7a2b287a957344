#include "counter.h"

void counter_add(struct counter *c, int n) { c->value += n; }
