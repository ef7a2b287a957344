#!/usr/bin/env bash
# Compile-only check of storage/ (the library, its engines and the graph
# layer; no LLVM) for Windows, with the MinGW-w64 cross compiler. Nothing is
# linked or run: this proves the Win32 code in storage/src/Platform.cpp and
# the rest of storage/ compile for _WIN32, not that they work there.
#
# Mirrors storage/CMakeLists.txt: C++20, the project warnings (as errors),
# CODEINDEX_STORAGE_HAVE_LMDB / _ROCKSDB. The engines' headers are the host's
# (portable) ones, reached through a private include directory, because
# putting /usr/include on a MinGW include path breaks it (glibc headers).
#
# Installs g++-mingw-w64-x86-64 with apt-get if the compiler is missing and
# CODE_INDEX_NO_INSTALL is unset; exits 0 with "SKIP" if there is still none.
# Environment: MINGW_CXX (compiler), JOBS (parallel compiles, default 2).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CXX=${MINGW_CXX:-}

find_cxx() {
  for C in x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-g++; do
    if command -v "$C" >/dev/null 2>&1; then
      CXX=$C
      return 0
    fi
  done
  return 1
}

if [[ -z $CXX ]] && ! find_cxx; then
  if [[ -z ${CODE_INDEX_NO_INSTALL:-} ]] && command -v apt-get >/dev/null 2>&1 &&
    [[ $(id -u) == 0 ]]; then
    echo "installing the MinGW-w64 cross compiler (g++-mingw-w64-x86-64)..."
    apt-get install -y -qq g++-mingw-w64-x86-64 >/dev/null 2>&1 || true
  fi
  if ! find_cxx; then
    echo "SKIP: no MinGW-w64 C++ compiler (apt-get install g++-mingw-w64-x86-64);" \
      "the Windows compile check did not run"
    exit 0
  fi
fi

INC=$(mktemp -d)
trap 'rm -rf "$INC"' EXIT

DEFS=()
SOURCES=("$ROOT"/storage/src/{BatchWriter,CountingStore,IndexDir,MemoryStore,Platform,SortedRuns,Status,Store}.cpp)
NOTES=()

if [[ -f /usr/include/lmdb.h ]]; then
  cp /usr/include/lmdb.h "$INC/"
  DEFS+=(-DCODEINDEX_STORAGE_HAVE_LMDB=1)
  SOURCES+=("$ROOT/storage/src/LmdbStore.cpp")
else
  NOTES+=("LmdbStore.cpp skipped: no /usr/include/lmdb.h (apt install liblmdb-dev)")
fi
if [[ -f /usr/include/rocksdb/db.h ]]; then
  ln -s /usr/include/rocksdb "$INC/rocksdb"
  DEFS+=(-DCODEINDEX_STORAGE_HAVE_ROCKSDB=1)
  SOURCES+=("$ROOT/storage/src/RocksDbStore.cpp")
else
  NOTES+=("RocksDbStore.cpp skipped: no /usr/include/rocksdb (apt install librocksdb-dev)")
fi
if [[ -f /usr/include/nlohmann/json.hpp ]]; then
  ln -s /usr/include/nlohmann "$INC/nlohmann"
  SOURCES+=("$ROOT"/storage/graph/{Model,GraphStore,GraphJson,Keys}.cpp)
else
  NOTES+=("storage/graph skipped: no /usr/include/nlohmann (apt install nlohmann-json3-dev)")
fi

FLAGS=(-std=c++20 -fsyntax-only -Wall -Wextra -Wno-unused-parameter -Werror
  "${DEFS[@]}" -I"$ROOT/storage/include" -I"$ROOT/storage/src"
  -I"$ROOT/storage/graph" -I"$INC")

echo "Windows compile check with $CXX ($("$CXX" -dumpversion)): ${#SOURCES[@]} files"
export CXX
printf '%s\0' "${SOURCES[@]}" |
  xargs -0 -n 1 -P "${JOBS:-2}" bash -c \
    'if ! "$CXX" "$@" 2>&1; then echo "FAILED: ${!#}"; exit 255; fi' _ "${FLAGS[@]}" ||
  { echo "Windows compile check FAILED"; exit 1; }
for N in "${NOTES[@]}"; do
  echo "note: $N"
done
echo "Windows compile check passed (compile only: nothing was linked or run)"
