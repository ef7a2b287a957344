#!/usr/bin/env bash
# get-corpus.sh NAME DEST: fetches a real third-party C/C++ project to index.
#
# Downloads the Debian source package NAME, unpacks it with Debian's patches
# applied, configures it with CMake (clang-19, Ninja) and leaves
#
#   DEST/compile_commands.json  the compile database (`code-indexer -p DEST`)
#   DEST/corpus.env             NAME, VERSION, TUS (compile commands), LOC
#   DEST/src/                   the sources (dpkg-source -x)
#   DEST/build/                 the CMake build directory; nothing is built
#   DEST/dl/                    the downloaded .dsc and tarballs
#
# NAME: tinyxml2 leveldb fmtlib spdlog abseil (small to large; the corpora of
# docs/performance.md and bench/corpus-bench.py).
#
# Environment:
#   VERSION=<v>      a Debian version to fetch (apt-get source NAME=<v>);
#                    default: the newest one the mirrors have
#   NO_DEPS=1        do not install the corpus's configure-time dependencies
#   CORPUS_APT_DIR   the private apt state folder (default
#                    ~/.cache/code-index-corpora/apt)
#   CC, CXX          the compilers to configure with (default clang-19,
#                    clang++-19)
#
# The system's apt configuration is left alone: the source indexes (deb-src
# entries for the mirrors of the system's own sources) live in
# CORPUS_APT_DIR, and only `apt-get install` of missing configure-time
# dependencies (libgtest-dev, ...) touches the system; that needs root.
# Needs: apt-get, dpkg-source (dpkg-dev), cmake, ninja, clang-19.
set -euo pipefail

usage() {
  echo "usage: get-corpus.sh NAME DEST  (NAME: tinyxml2 leveldb fmtlib spdlog abseil)" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
NAME=$1
DEST=$2
CC=${CC:-clang-19}
CXX=${CXX:-clang++-19}
APTDIR=${CORPUS_APT_DIR:-$HOME/.cache/code-index-corpora/apt}

log() { echo "get-corpus $NAME: $*" >&2; }
die() {
  log "$*"
  exit 1
}

# What each corpus needs to configure, and how: the options turn on the
# tests and tools that Debian's own build compiles, so the compile database
# has what a developer of the project would index.
DEPS=()
CMAKE_ARGS=()
prepare() { :; }
case "$NAME" in
tinyxml2)
  CMAKE_ARGS=(-Dtinyxml2_BUILD_TESTING=ON)
  ;;
leveldb)
  DEPS=(libsnappy-dev libgtest-dev libgmock-dev libbenchmark-dev)
  CMAKE_ARGS=(-DLEVELDB_BUILD_TESTS=ON -DLEVELDB_BUILD_BENCHMARKS=ON
    -DHAVE_CRC32C=OFF -DHAVE_TCMALLOC=OFF)
  ;;
fmtlib)
  DEPS=(libgtest-dev libgmock-dev)
  CMAKE_ARGS=(-DFMT_TEST=ON -DFMT_DOC=OFF)
  ;;
spdlog)
  # As debian/rules: the packaged fmt and Catch2, not the bundled copies.
  DEPS=(libfmt-dev catch2 pkgconf libsystemd-dev)
  prepare() { rm -rf include/spdlog/fmt/bundled; }
  CMAKE_ARGS=(-DSPDLOG_BUILD_EXAMPLE=ON -DSPDLOG_BUILD_EXAMPLE_HO=ON
    -DSPDLOG_BUILD_TESTS=ON -DSPDLOG_BUILD_TESTS_HO=ON
    -DSPDLOG_FMT_EXTERNAL=ON -DSPDLOG_BUILD_SHARED=ON -DSPDLOG_BUILD_BENCH=OFF)
  ;;
abseil)
  DEPS=(libgtest-dev libgmock-dev)
  CMAKE_ARGS=(-DCMAKE_CXX_STANDARD=17 -DBUILD_SHARED_LIBS=ON
    -DBUILD_TESTING=ON -DABSL_BUILD_TESTING=ON
    -DABSL_USE_GOOGLETEST_HEAD=OFF -DABSL_USE_EXTERNAL_GOOGLETEST=ON
    -DABSL_FIND_GOOGLETEST=ON)
  ;;
*)
  log "unknown corpus"
  usage
  ;;
esac

for tool in apt-get dpkg-source cmake ninja "$CC" "$CXX"; do
  command -v "$tool" >/dev/null ||
    die "needs '$tool' (Debian: apt-get install dpkg-dev cmake ninja-build clang-19)"
done

# Configure-time dependencies, installed only when missing.
if [[ -z ${NO_DEPS:-} && ${#DEPS[@]} -gt 0 ]]; then
  missing=()
  for p in "${DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
      die "cannot install ${missing[*]}: install them, or set NO_DEPS=1"
  fi
fi

# The private apt state: deb-src entries for every mirror that the system
# uses for binary packages (deb822 .sources files and one-line .list files),
# and apt's lists and caches, all in APTDIR.
mkdir -p "$APTDIR/sources" "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
rm -f "$APTDIR"/sources/*
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  sed 's/^Types:.*$/Types: deb-src/' "$f" >"$APTDIR/sources/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [[ -f $f ]] || continue
  sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" \
    >"$APTDIR/sources/$(basename "$f" .list)-src.list"
done
shopt -u nullglob
[[ -n $(ls -A "$APTDIR/sources") ]] || die "no apt sources in /etc/apt to derive deb-src entries from"
APT=(apt-get -q
  -o Dir::Etc::SourceList=/dev/null
  -o Dir::Etc::SourceParts="$APTDIR/sources"
  -o Dir::State::Lists="$APTDIR/lists"
  -o Dir::Cache="$APTDIR/cache")
# apt downloads as the unprivileged _apt user, which cannot write into a
# folder under root's home; the files are verified against the signed
# indexes either way.
[[ $(id -u) -ne 0 ]] || APT+=(-o APT::Sandbox::User=root)
# The indexes are fetched once; `rm -r $APTDIR/lists` fetches them again.
indexes=("$APTDIR"/lists/*_Sources*)
if [[ ! -e ${indexes[0]} ]]; then
  log "fetching the source indexes into $APTDIR"
  "${APT[@]}" update >&2
fi

mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
rm -rf "$DEST/dl" "$DEST/src" "$DEST/build" "$DEST/compile_commands.json" "$DEST/corpus.env"
mkdir -p "$DEST/dl"
(cd "$DEST/dl" && "${APT[@]}" source --download-only "$NAME${VERSION:+=$VERSION}" >&2) ||
  die "apt-get source failed (if the indexes are stale: rm -r $APTDIR/lists)"
dscs=("$DEST"/dl/*.dsc)
dsc=${dscs[0]}
[[ -f $dsc ]] || die "apt-get source left no .dsc in $DEST/dl"
version=$(sed -n 's/^Version: //p' "$dsc" | head -n 1)
log "version $version"
# dpkg-source -x applies debian/patches.
(cd "$DEST/dl" && dpkg-source -x "$(basename "$dsc")" "$DEST/src" >&2)
(cd "$DEST/src" && prepare)

cmake -S "$DEST/src" -B "$DEST/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  "${CMAKE_ARGS[@]}" >&2
cp "$DEST/build/compile_commands.json" "$DEST/compile_commands.json"

tus=$(grep -c '"file"' "$DEST/compile_commands.json")
loc=$(find "$DEST/src" -path "$DEST/src/debian" -prune -o -type f \
  \( -name '*.c' -o -name '*.cc' -o -name '*.cpp' -o -name '*.cxx' -o -name '*.h' \
  -o -name '*.hh' -o -name '*.hpp' -o -name '*.hxx' -o -name '*.inc' \) -print0 |
  xargs -0 cat | wc -l)
printf 'NAME=%s\nVERSION=%s\nTUS=%s\nLOC=%s\n' "$NAME" "$version" "$tus" "$loc" |
  tee "$DEST/corpus.env"
