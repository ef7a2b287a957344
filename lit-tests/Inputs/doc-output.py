#!/usr/bin/env python3
"""doc-output.py DOC NAME < OUTPUT

Checks that the example output shown in DOC (the fenced block right after
`<!-- output: NAME -->`) is what the tool prints: the block is cut into
chunks at lines holding only "...", and each chunk must appear in OUTPUT,
line for line, in order. Exits 1 naming the first chunk that does not, so
an example in the documentation cannot drift from the real output.
"""
import re
import sys

doc, name = sys.argv[1], sys.argv[2]
text = open(doc, encoding="utf-8").read()
m = re.search(r"<!-- output: " + re.escape(name) + r" -->\s*```\w*\n(.*?)```", text, re.S)
if not m:
    print("no output example '%s' in %s" % (name, doc))
    sys.exit(1)
chunks, cur = [], []
for line in m.group(1).rstrip("\n").split("\n"):
    if line == "...":
        chunks.append(cur)
        cur = []
    else:
        cur.append(line)
chunks.append(cur)
out = sys.stdin.read().split("\n")
pos = 0
for i, chunk in enumerate(chunks):
    if not chunk:
        continue
    found = next((p for p in range(pos, len(out) - len(chunk) + 1)
                  if out[p:p + len(chunk)] == chunk), None)
    if found is None:
        print("example '%s', chunk %d not in the output (in order):" % (name, i + 1))
        print("\n".join(chunk))
        sys.exit(1)
    pos = found + len(chunk)
print("example '%s': %d chunks match" % (name, len([c for c in chunks if c])))
