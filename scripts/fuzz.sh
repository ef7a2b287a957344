#!/usr/bin/env bash
# Replays the fuzz regression inputs, then runs each libFuzzer target for
# SECONDS (default 60) on a copy of its checked-in seed corpus.
# Needs the `fuzz` preset built: cmake --preset fuzz && cmake --build --preset fuzz
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:-60}
BIN=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}/tests/fuzz
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for target in fuzz_compile_commands fuzz_graph_records; do
  case $target in
    fuzz_compile_commands) seeds=compile_commands ;;
    fuzz_graph_records) seeds=graph_records ;;
  esac
  regressions=("$ROOT/tests/fuzz/regressions/$target"/*)
  if [ -e "${regressions[0]}" ]; then
    echo "[fuzz] $target: replaying ${#regressions[@]} regression inputs"
    "$BIN/$target" "${regressions[@]}"
  fi
  mkdir -p "$WORK/$target"
  cp "$ROOT/tests/fuzz/corpus/$seeds"/* "$WORK/$target/"
  echo "[fuzz] $target: ${SECONDS_EACH}s"
  # A crash input is kept in build-fuzz/crashes/; once fixed, it goes to
  # tests/fuzz/regressions/$target/ (replayed above).
  rc=0
  "$BIN/$target" "$WORK/$target" -max_total_time="$SECONDS_EACH" \
    -print_final_stats=1 -max_len=65536 \
    -artifact_prefix="$WORK/" >"$WORK/$target.log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$WORK/$target.log" || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$WORK/$target.log"
    mkdir -p "$ROOT/build-fuzz/crashes"
    cp "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-* "$ROOT/build-fuzz/crashes/" 2>/dev/null || true
    echo "[fuzz] $target failed (exit $rc); inputs in build-fuzz/crashes/" >&2
    exit 1
  fi
done
