#include "greeter.h"

namespace greet {
int greetingLength(const char *Who) {
  int N = 0;
  while (Who[N])
    ++N;
  return N + 7;
}
} // namespace greet
