#!/usr/bin/env bash
# review.sh BASE_REF HEAD_REF BUILD_DIR: the code-graph review of a change,
# as a CI job runs it (docs/ci.md). Run it at the root of a git checkout.
#
#   1. The base index: OUT/base (a CI cache restores it) holds the index of
#      some earlier base commit. If it is not BASE_REF's, BASE_REF is checked
#      out, configured and indexed into it (incrementally when the cache had
#      an older one), and exported to OUT/base/base.json.
#   2. The head index: a copy of the base index, updated incrementally at
#      HEAD_REF (only the translation units the change touches are parsed
#      again), exported to OUT/head.json.
#   3. The reports, in OUT: review.md (the pull-request comment: a marker
#      line, then the Markdown within REVIEW_MAX_BYTES), review.json (the
#      full diff) and review.sarif (for code scanning).
#   4. The gate: exit 3 if a REVIEW_FAIL_ON condition holds (after writing
#      every report), 0 otherwise; other failures exit 1 or 2.
#
# The checkout is left at the commit it was on (or the branch). Base and
# head are indexed in this same directory, so that the paths in both
# indexes, and the incremental update, match.
#
# Environment:
#   CODE_INDEXER       the code-indexer binary (default: code-indexer)
#   REVIEW_OUT         where everything goes (default BUILD_DIR/code-index/review)
#   REVIEW_CONFIGURE   the command that writes BUILD_DIR/compile_commands.json
#                      for the checked-out tree, run at each revision
#                      (default: cmake -S . -B BUILD_DIR -G Ninja
#                      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
#   REVIEW_EXTRACT_ARGS more `extract` options (e.g. "--exclude third_party/*")
#   REVIEW_ENGINE      the index engine: rocksdb (default) or lmdb
#   REVIEW_FAIL_ON     diff --fail-on conditions (untested,signature,any);
#                      empty (default): no gate
#   REVIEW_MAX_BYTES   the most bytes review.md takes (default 60000)
#   REVIEW_REPORT_URL  where readers find the full report (an artifact URL)
#   REVIEW_HOPS        diff --hops (default 2)
set -euo pipefail

usage() {
  echo "usage: review.sh BASE_REF HEAD_REF BUILD_DIR" >&2
  exit 1
}
[[ $# -eq 3 ]] || usage
BASE_REF=$1
HEAD_REF=$2
BUILD_DIR=$3
CI=${CODE_INDEXER:-code-indexer}
OUT=${REVIEW_OUT:-$BUILD_DIR/code-index/review}
ENGINE=${REVIEW_ENGINE:-rocksdb}
MAX_BYTES=${REVIEW_MAX_BYTES:-60000}
MARKER='<!-- code-indexer review -->'

log() { echo "review.sh: $*" >&2; }
die() {
  log "$*"
  exit 1
}

ROOT=$(git rev-parse --show-toplevel) || die "not in a git checkout"
cd "$ROOT"
if ! git diff --quiet || ! git diff --cached --quiet; then
  die "the checkout has uncommitted changes; commit or stash them first"
fi
BASE=$(git rev-parse --verify "$BASE_REF^{commit}") || die "unknown BASE_REF '$BASE_REF'"
HEAD=$(git rev-parse --verify "$HEAD_REF^{commit}") || die "unknown HEAD_REF '$HEAD_REF'"
mkdir -p "$BUILD_DIR" "$OUT/base"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
OUT=$(cd "$OUT" && pwd)

# Come back to where the checkout was, whatever happens.
START=$(git symbolic-ref -q --short HEAD || git rev-parse HEAD)
trap 'git checkout -q "$START"' EXIT

configure() {
  if [[ -n ${REVIEW_CONFIGURE:-} ]]; then
    bash -c "$REVIEW_CONFIGURE"
  else
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
  fi
  [[ -f $BUILD_DIR/compile_commands.json ]] ||
    die "no $BUILD_DIR/compile_commands.json after configuring"
}

# extract INDEX_DIR JSON: index the checked-out tree into INDEX_DIR
# (incrementally if it holds an index) and export it.
extract() {
  # shellcheck disable=SC2086 # REVIEW_EXTRACT_ARGS is a list of options
  "$CI" extract -p "$BUILD_DIR" --db "$ENGINE:$1" --json "$2" --root "$ROOT" \
    --progress never ${REVIEW_EXTRACT_ARGS:-}
}

# 1. The base index.
if [[ -f $OUT/base/base.json && $(cat "$OUT/base/commit" 2>/dev/null) == "$BASE" ]]; then
  log "base index of $BASE_REF ($BASE) restored"
else
  log "indexing $BASE_REF ($BASE)"
  git checkout -q --detach "$BASE"
  configure
  rm -f "$OUT/base/commit"
  extract "$OUT/base/index" "$OUT/base/base.json"
  echo "$BASE" >"$OUT/base/commit"
fi

# 2. The head index, updated from a copy of the base one.
log "indexing $HEAD_REF ($HEAD) incrementally"
git checkout -q --detach "$HEAD"
configure
rm -rf "$OUT/head-index"
cp -R "$OUT/base/index" "$OUT/head-index"
extract "$OUT/head-index" "$OUT/head.json"

# 3. The reports; 4. the gate (the Markdown run, which also writes the full
# JSON report, decides it). Run in OUT, so that the comment names the full
# report as review.json.
cd "$OUT"
DIFF=("$CI" diff base/base.json head.json --hops "${REVIEW_HOPS:-2}")
"${DIFF[@]}" --format sarif >review.sarif
ARGS=(--max-bytes $((MAX_BYTES - ${#MARKER} - 1)) --full-report review.json)
# The build's CTest tests: the comment ends with the ctest line that runs
# the test cases the change reaches (a note instead when there are none).
if [[ -f $BUILD_DIR/CTestTestfile.cmake ]]; then
  ARGS+=(--build-dir "$BUILD_DIR")
fi
if [[ -n ${REVIEW_REPORT_URL:-} ]]; then
  ARGS+=(--report-url "$REVIEW_REPORT_URL")
fi
if [[ -n ${REVIEW_FAIL_ON:-} ]]; then
  ARGS+=(--fail-on "$REVIEW_FAIL_ON")
fi
STATUS=0
{
  echo "$MARKER"
  "${DIFF[@]}" "${ARGS[@]}" || STATUS=$?
} >review.md
cd "$ROOT"
if [[ $STATUS -ne 0 && $STATUS -ne 3 ]]; then
  die "diff failed (exit $STATUS)"
fi
log "wrote $OUT/review.md ($(wc -c <"$OUT/review.md") bytes), review.json, review.sarif"
if [[ $STATUS -eq 3 ]]; then
  log "--fail-on $REVIEW_FAIL_ON: a condition holds"
fi
exit "$STATUS"
