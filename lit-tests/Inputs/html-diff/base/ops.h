#pragma once
struct P {
  int X;
};
bool operator<(const P &A, const P &B);
P operator&(const P &A, const P &B);
long double operator""_km(long double V);
template <typename T> struct Box {
  T V;
};
int useBox();
