#!/usr/bin/env python3
"""same-graph.py A B: exit 0 if two JSON exports hold the same graph.

The "run" object (timings, host, mode) differs between runs by design and is
ignored; everything else must be equal. On a difference, prints the first
differing top-level key and a count of differing list items.
"""
import json
import sys

a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
for g in (a, b):
    g.pop("run", None)
if a == b:
    sys.exit(0)
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        x, y = a.get(k), b.get(k)
        if isinstance(x, list) and isinstance(y, list):
            print("differ: %s (%d vs %d items)" % (k, len(x), len(y)))
        else:
            print("differ: %s: %r vs %r" % (k, x, y))
sys.exit(1)
