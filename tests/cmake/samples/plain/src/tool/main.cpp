#include "counter.h"

namespace tool {
int countTo(int n) {
  counter c{0};
  for (int i = 0; i < n; ++i)
    counter_add(&c, 1);
  return c.value;
}
} // namespace tool

int main() { return tool::countTo(3) == 3 ? 0 : 1; }
