#include "tables.h"
#include "version.h"

int main() {
  build_info::Version V = build_info::currentVersion();
  return squareOf(V.Major) == 1 ? 0 : 1;
}
