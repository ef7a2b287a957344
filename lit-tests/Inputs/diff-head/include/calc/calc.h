#ifndef CALC_CALC_H
#define CALC_CALC_H
namespace calc {
int evaluate(const char *Text);
const char *format(double Value);
} // namespace calc
#endif
