#!/usr/bin/env bash
# The main job: builds CodeIndex, then indexes this repository with it.
# Prints where the index and the JSON export are, and a one-line summary.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/build.sh"
OUT="$BUILD_DIR/code-index"
mkdir -p "$OUT"
"$BUILD_DIR/plugin/code-indexer" extract -p "$BUILD_DIR" --root "$ROOT" \
  --db "rocksdb:$OUT/index" --json "$OUT/graph.json" "$@"
echo "index: rocksdb:$OUT/index"
echo "json:  $OUT/graph.json"
python3 - "$OUT/graph.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
s = g["stats"]
print("summary: %d files, %d entities, %d edges, %d/%d translation units failed"
      % (s["files"], s["entities"], s["edges"], s["failed_translation_units"], s["translation_units"]))
PY
