#include "util.h"
namespace util {
Counter Counter::make() { Counter C; C.bump(); return C; }
static int helper(Mode M) { return M == Mode::Fast ? twice(1) : 0; }
int run() { Counter C = Counter::make(); return helper(Mode::Slow) + C.Value; }
}
