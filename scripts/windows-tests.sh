#!/usr/bin/env bash
# Builds the storage layer and its tests as Windows x86-64 executables with
# MinGW-w64 and runs them under Wine through CTest (docs/storage.md,
# "Windows"). Debian only: everything comes from Debian packages.
#
#   1. installs g++-mingw-w64-x86-64-posix, wine and dpkg-dev with apt-get
#      (--no-install-recommends) unless they are there or CODE_INDEX_NO_INSTALL
#      is set;
#   2. prepares a sysroot of Windows libraries: LMDB compiled from Debian's
#      `lmdb` source package (mdb.c + midl.c; the source index is kept in a
#      private apt state folder, the system's apt configuration is not
#      changed), GoogleTest from /usr/src/googletest, the nlohmann headers;
#   3. configures the storage layer only (no extractor, no benchmarks, no
#      RocksDB) with scripts/windows/mingw-w64-x86_64.cmake and builds it;
#   4. starts a persistent wineserver, boots the Wine prefix and runs ctest
#      (extra arguments go to ctest, e.g. -R LmdbStore).
#
# Environment:
#   WINDOWS_BUILD_DIR   build directory (default: build-windows in the repo)
#   CODE_INDEX_WINDOWS_CACHE  sysroot, apt state and Wine prefix, kept between
#                       runs (default: ~/.cache/code-index-windows)
#   JOBS                parallel jobs (default: nproc)
#   CODE_INDEX_NO_INSTALL=1  never call apt-get install; fail if missing
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${WINDOWS_BUILD_DIR:-$ROOT/build-windows}
CACHE=${CODE_INDEX_WINDOWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/code-index-windows}
JOBS=${JOBS:-$(nproc)}
TRIPLE=x86_64-w64-mingw32
CC=$TRIPLE-gcc-posix
CXX=$TRIPLE-g++-posix
TOOLCHAIN=$ROOT/scripts/windows/mingw-w64-x86_64.cmake
log() { echo "[windows-tests] $* ($(date -u +%H:%M:%S))"; }

# ------------------------------------------------------------------ packages
PACKAGES=(g++-mingw-w64-x86-64-posix wine wine64 dpkg-dev)
missing=()
for P in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$P" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$P")
done
if ((${#missing[@]})); then
  if [[ -n ${CODE_INDEX_NO_INSTALL:-} ]]; then
    echo "missing packages: ${missing[*]} (CODE_INDEX_NO_INSTALL is set)" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  SUDO=
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null ||
    {
      $SUDO apt-get update -qq
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
    }
fi

# ------------------------------------------------------------------ sysroot
SYSROOT=$CACHE/sysroot
GTEST_VERSION=$(dpkg-query -W -f='${Version}' googletest 2>/dev/null ||
  dpkg-query -W -f='${Version}' libgtest-dev)
STAMP="gcc $($CC -dumpfullversion) gtest $GTEST_VERSION lmdb-flags 1"
if [[ ! -f $SYSROOT/.stamp || $(cat "$SYSROOT/.stamp") != "$STAMP" ]]; then
  log "preparing the sysroot in $SYSROOT"
  rm -rf "$SYSROOT" "$CACHE/work"
  mkdir -p "$SYSROOT"/{include,lib/pkgconfig,share/cmake} "$CACHE/work/lmdb"

  # LMDB from Debian's source package, as deb-src entries for the mirrors
  # the system already uses, in a private apt state folder.
  APTDIR=$CACHE/apt
  mkdir -p "$APTDIR/parts" "$APTDIR/lists/partial"
  for F in /etc/apt/sources.list.d/*.sources; do
    [[ -f $F ]] && sed 's/^Types:.*$/Types: deb-src/' "$F" >"$APTDIR/parts/$(basename "$F")"
  done
  if [[ -f /etc/apt/sources.list ]] && grep -q '^deb ' /etc/apt/sources.list; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$APTDIR/parts/sources.list"
  fi
  APT=(apt-get -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$APTDIR/parts"
    -o Dir::State::Lists="$APTDIR/lists" -o APT::Sandbox::User="$(id -un)")
  if [[ -z $(ls -A "$APTDIR/lists" 2>/dev/null | grep -v partial) ]]; then
    "${APT[@]}" update -qq
  fi
  (cd "$CACHE/work/lmdb" && "${APT[@]}" source -qq --download-only lmdb >/dev/null &&
    dpkg-source -x --no-check ./*.dsc src >/dev/null)
  LMDB_SRC=$CACHE/work/lmdb/src/libraries/liblmdb
  LMDB_VERSION=$(sed -n 's/^Version: //p' "$CACHE"/work/lmdb/*.dsc | head -n1)
  log "LMDB $LMDB_VERSION"
  # -fno-isolate-erroneous-paths-dereference: mdb_strerror() returns a stack
  # buffer for Win32 codes (on purpose, padded); GCC would otherwise replace
  # that return by NULL. LmdbStore.cpp never asks it for Win32 codes anyway.
  for F in mdb midl; do
    $CC -O2 -g -fno-isolate-erroneous-paths-dereference -c "$LMDB_SRC/$F.c" \
      -o "$CACHE/work/lmdb/$F.o"
  done
  $TRIPLE-ar rcs "$SYSROOT/lib/liblmdb.a" "$CACHE"/work/lmdb/{mdb,midl}.o
  cp "$LMDB_SRC/lmdb.h" "$SYSROOT/include/"
  cat >"$SYSROOT/lib/pkgconfig/lmdb.pc" <<EOF
prefix=$SYSROOT
Name: lmdb
Description: Lightning Memory-Mapped Database (Windows build of Debian's $LMDB_VERSION)
Version: ${LMDB_VERSION%%-*}
Libs: -L\${prefix}/lib -llmdb
Cflags: -I\${prefix}/include
EOF

  # GoogleTest, built with the same toolchain.
  cmake -S /usr/src/googletest -B "$CACHE/work/gtest" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" -DCODE_INDEX_WINDOWS_SYSROOT="$SYSROOT" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$SYSROOT" >/dev/null
  cmake --build "$CACHE/work/gtest" -j "$JOBS" >/dev/null
  cmake --install "$CACHE/work/gtest" >/dev/null

  # nlohmann_json is header-only: the headers and its package files.
  cp -r /usr/include/nlohmann "$SYSROOT/include/"
  cp -r /usr/share/cmake/nlohmann_json "$SYSROOT/share/cmake/"
  echo "$STAMP" >"$SYSROOT/.stamp"
fi

# ------------------------------------------------------------------ Wine
# Tests run at build time too (gtest_discover_tests lists them through
# Wine), so the server is up before the build. A persistent server and a
# booted prefix: otherwise the first tests race the prefix's creation and
# the server's shutdown between tests, or hang on inherited pipes.
export WINEPREFIX=${WINEPREFIX:-$CACHE/wineprefix}
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono/Gecko installer prompts
export WINEARCH=win64
log "booting the Wine prefix $WINEPREFIX"
mkdir -p "$WINEPREFIX"
# Fails if a server already runs for this prefix: use it, leave it running.
if wineserver -p 2>/dev/null; then
  trap 'wineserver -k 2>/dev/null || true' EXIT
fi
wine cmd /c exit >/dev/null 2>&1

# ------------------------------------------------------------------ build
log "configuring $BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" -DCODE_INDEX_WINDOWS_SYSROOT="$SYSROOT" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCODE_INDEX_BUILD_PLUGIN=OFF \
  -DCODE_INDEX_BUILD_BENCH=OFF -DCODE_INDEX_WITH_ROCKSDB=OFF \
  -DCODE_INDEX_WITH_LMDB=ON -DCMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE=PRE_TEST \
  >/dev/null
log "building"
cmake --build "$BUILD" -j "$JOBS"

# ------------------------------------------------------------------ test
log "running the tests under $(wine --version)"
ctest --test-dir "$BUILD" --output-on-failure --timeout 900 -j "$JOBS" "$@"
log "done"
