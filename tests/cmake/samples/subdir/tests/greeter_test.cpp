// greeter_test WHO LENGTH: exits 0 when greetingLength(WHO) is LENGTH.
#include "greeter.h"

#include <cstdio>
#include <cstdlib>

int main(int Argc, char **Argv) {
  if (Argc != 3)
    return 2;
  int Got = greet::greetingLength(Argv[1]);
  int Want = std::atoi(Argv[2]);
  if (Got != Want) {
    std::fprintf(stderr, "greetingLength(\"%s\") = %d, want %d\n", Argv[1], Got,
                 Want);
    return 1;
  }
  return 0;
}
