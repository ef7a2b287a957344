#!/usr/bin/env bash
# Configures and builds CodeIndex into BUILD_DIR (default: build/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/install-deps.sh"
JOBS=${JOBS:-$(nproc)}
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >&2
cmake --build "$BUILD_DIR" -j "$JOBS" >&2
