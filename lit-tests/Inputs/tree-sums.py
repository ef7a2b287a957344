#!/usr/bin/env python3
"""tree-sums.py DIR: prints every directory and file under DIR (relative,
sorted) with the SHA-256 of each file, so that two runs can be diffed to
prove that a command left an index byte-identical."""
import hashlib
import os
import sys

root = sys.argv[1]
for d, dirs, files in os.walk(root):
    dirs.sort()
    print("dir", os.path.relpath(d, root))
    for f in sorted(files):
        p = os.path.join(d, f)
        with open(p, "rb") as fh:
            print("file", os.path.relpath(p, root),
                  hashlib.sha256(fh.read()).hexdigest())
