#!/usr/bin/env bash
# Style gate, run by CI: clang-format and clang-tidy (the repository's own
# .clang-format and .clang-tidy, LLVM 19's tools) over the C++ sources.
#   scripts/check-style.sh [BUILD_DIR]     (default: build/)
# clang-tidy needs BUILD_DIR/compile_commands.json (scripts/build.sh makes
# it). Exits 1 and lists the offending files when either tool complains.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
cd "$ROOT"

need=()
for p in clang-format-19 clang-tidy-19; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# Every tracked C++ file but lit inputs (test data, formatted as the test
# needs) and fuzzing corpora.
mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -v -e '^lit-tests/' -e '^tests/fuzz/corpus/' -e '^tests/fuzz/regressions/' -e '^tests/cmake/samples/')
status=0

echo "[style] clang-format-19 on ${#files[@]} files" >&2
bad=()
for f in "${files[@]}"; do
  clang-format-19 --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf '[style] clang-format-19 would change (run: clang-format-19 -i FILE):\n' >&2
  printf '  %s\n' "${bad[@]}" >&2
  status=1
fi

# clang-tidy on the sources the build compiles (headers through
# HeaderFilterRegex in .clang-tidy). -Wno-deprecated-declarations: clang 19
# flags libstdc++ 12's own use of std::get_temporary_buffer (stable_sort).
if [ ! -f "$BUILD_DIR/compile_commands.json" ]; then
  echo "[style] no $BUILD_DIR/compile_commands.json: run scripts/build.sh first" >&2
  exit 2
fi
mapfile -t srcs < <(printf '%s\n' "${files[@]}" | grep -E '^(plugin|storage)/.*\.cpp$' | grep -v -e '^storage/src/.*Win' )
echo "[style] clang-tidy-19 on ${#srcs[@]} sources" >&2
log=$(mktemp)
if ! printf '%s\n' "${srcs[@]}" | xargs -P "${JOBS:-$(nproc)}" -n 1 \
     clang-tidy-19 -p "$BUILD_DIR" --quiet --warnings-as-errors='*' \
     --extra-arg=-Wno-deprecated-declarations >"$log" 2>&1; then
  grep -E 'warning:|error:' "$log" | sort -u >&2 || cat "$log" >&2
  echo "[style] clang-tidy-19 found problems (above)" >&2
  status=1
fi
rm -f "$log"
[ $status -eq 0 ] && echo "[style] clean" >&2
exit $status
