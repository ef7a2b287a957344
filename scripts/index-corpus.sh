#!/usr/bin/env bash
# index-corpus.sh [NAME]: indexes a real third-party project with this build.
#
# Fetches NAME (default: leveldb; also fmtlib, spdlog, tinyxml2, abseil) with
# bench/get-corpus.sh into CORPUS_DIR (default
# ~/.cache/code-index-corpora/NAME; fetched once), indexes it from scratch
# into CORPUS_DIR/code-index, validates the export against
# docs/graph.schema.json and prints the translation-unit, entity and edge
# counts and every failed TU with its reason. Exit status: the extractor's
# (3 if a TU failed, since --strict is given), or 1 if the export is invalid.
# Timing belongs to bench/, not here: this is a real-world correctness run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=${1:-leveldb}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
CORPUS_DIR=${CORPUS_DIR:-$HOME/.cache/code-index-corpora/$NAME}
GET=${GET_CORPUS:-$ROOT/bench/get-corpus.sh}

if [[ ! -f "$CORPUS_DIR/compile_commands.json" ]]; then
  [[ -f "$GET" ]] || { echo "index-corpus: cannot find $GET (set GET_CORPUS)" >&2; exit 1; }
  bash "$GET" "$NAME" "$CORPUS_DIR" >&2
fi
[[ -x "$BUILD_DIR/plugin/code-indexer" ]] || "$ROOT/scripts/build.sh"

OUT="$CORPUS_DIR/code-index"
mkdir -p "$OUT"
status=0
"$BUILD_DIR/plugin/code-indexer" extract -p "$CORPUS_DIR" --full --strict \
  --db "rocksdb:$OUT/index" --json "$OUT/graph.json" --progress never || status=$?
python3 "$ROOT/lit-tests/Inputs/validate-schema.py" "$ROOT/docs/graph.schema.json" \
  "$OUT/graph.json" || exit 1
python3 - "$OUT/graph.json" "$NAME" <<'PY'
import collections, json, sys
g = json.load(open(sys.argv[1]))
s = g["stats"]
print("%s: %d TUs (%d failed), %d files, %d entities (%d external), %d edges"
      % (sys.argv[2], s["translation_units"], s["failed_translation_units"], s["files"],
         s["entities"], s["external_entities"], s["edges"]))
print("  entities: " + ", ".join("%s %d" % kv for kv in s["entities_by_kind"].items() if kv[1]))
print("  edges:    " + ", ".join("%s %d" % kv for kv in s["edges_by_kind"].items() if kv[1]))
for t in g["translation_units"]:
    if t["status"] != "ok":
        print("  %s: %s%s" % (t["file"], t["status"], ": " + t["reason"] if "reason" in t else ""))
PY
echo "index: rocksdb:$OUT/index"
echo "json:  $OUT/graph.json"
exit $status
