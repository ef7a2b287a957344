#!/usr/bin/env bash
# Builds CodeIndex and runs every test: GoogleTest unit tests, lit + FileCheck
# end-to-end tests and the CMake plugin tests, all through CTest.
# Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/build.sh"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
