#!/usr/bin/env python3
"""compdb-subset.py IN OUT ROOT DIR...

Writes to OUT the entries of the compile database IN whose main file is
under ROOT/DIR for one of the DIRs (tests and benchmarks left out): a part
of a real project that indexes quickly.
"""
import json
import os
import sys

src, out, root, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
prefixes = [os.path.join(os.path.realpath(root), d).rstrip("/") + "/" for d in dirs]
keep = []
for c in json.load(open(src, encoding="utf-8")):
    f = os.path.realpath(os.path.join(c["directory"], c["file"]))
    if any(f.startswith(p) for p in prefixes) and "/tests/" not in f and "/bench/" not in f:
        keep.append(c)
if not keep:
    sys.exit("no entry of %s under %s" % (src, ", ".join(prefixes)))
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
json.dump(keep, open(out, "w", encoding="utf-8"), indent=1)
print("%d translation units" % len(keep))
