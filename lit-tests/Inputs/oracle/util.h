#pragma once
namespace util {
enum class Mode { Fast, Slow };
struct Counter { int Value = 0; void bump() { ++Value; } static Counter make(); };
inline int twice(int X) { return X * 2; }
}
