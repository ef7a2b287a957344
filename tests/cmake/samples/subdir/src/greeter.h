#ifndef GREETER_H
#define GREETER_H
namespace greet {
template <typename T> struct Named {
  T Value; // what is greeted
};
int greetingLength(const char *Who);
} // namespace greet
#endif
