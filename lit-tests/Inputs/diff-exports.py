#!/usr/bin/env python3
"""diff-exports.py A.json B.json

Compares two JSON exports apart from their `run` object (timings, host, mode)
and prints a unified diff of the differing parts; exits 1 if they differ.
Both files are re-serialised with sorted keys, one value per line, so the
diff names the entity or edge that differs.
"""
import difflib
import json
import sys


def lines(path):
    g = json.load(open(path))
    g.pop("run", None)
    return json.dumps(g, indent=1, sort_keys=True).splitlines(keepends=True)


a, b = sys.argv[1], sys.argv[2]
diff = list(difflib.unified_diff(lines(a), lines(b), a, b, n=4))
if diff:
    sys.stdout.writelines(diff[:400])
    sys.exit(1)
print("identical apart from run")
