#!/usr/bin/env python3
"""doc-recipes.py DOC DIR [MARKER]

Runs every shell recipe of DOC (a fenced ```sh block right after a
`<!-- recipe: NAME -->` marker; MARKER replaces the word "recipe") with
/bin/sh in DIR, exactly as written, and prints "== NAME" then its output.
Exits 1 if a recipe fails or DOC has none, so documentation examples cannot
silently rot.
"""
import re
import subprocess
import sys

doc, cwd = sys.argv[1], sys.argv[2]
marker = sys.argv[3] if len(sys.argv) > 3 else "recipe"
text = open(doc, encoding="utf-8").read()
recipes = re.findall(r"<!-- " + re.escape(marker) + r": ([\w-]+) -->\s*```sh\n(.*?)```",
                     text, re.S)
if not recipes:
    print("no recipes in " + doc)
    sys.exit(1)
status = 0
for name, script in recipes:
    print("== " + name, flush=True)
    r = subprocess.run(["/bin/sh", "-e", "-c", script], cwd=cwd, capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        print("recipe %s failed (exit %d): %s" % (name, r.returncode, r.stderr.strip()))
        status = 1
sys.exit(status)
