#include "util.h"
#define SQUARE(x) ((x) * (x))
namespace app {
struct Base {
  virtual int f(int) const;
  int v = 0;
};
struct Derived : Base {
  int f(int) const override;
};
int Base::f(int a) const { return SQUARE(a) + v; }
int Derived::f(int a) const { return Base::f(a) * 2; }
template <typename T> T twice(T t) { return t + t; }
int countdown(int n) { return n ? countdown(n - 1) : 0; }
int use(const Base &b) {
  Derived d;
  util::Counter c = util::Counter::make();
  auto add = [&](int x) { return x + c.Value; };
  return b.f(1) + twice(2) + d.f(3) + add(util::twice(4)) + countdown(3);
}
} // namespace app
int main() { return app::use(app::Derived()); }
