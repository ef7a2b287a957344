#!/usr/bin/env python3
"""doc-examples.py DOC DIR SECTION...

Runs the examples of the sections of DOC whose `###` heading starts with
one of the SECTION words, and checks that each prints exactly what the
page shows. An example is an indented (four spaces) block in which a line
"$ COMMAND" is followed by its expected output, up to the next "$ " line
or the end of the block. COMMAND runs with /bin/sh in DIR, with
"code-indexer" replaced by the tool given in $CODE_INDEXER.

Prints "ok: COMMAND" per example; on a difference, prints a unified diff
and exits 1. Exits 1 too if a section has no example, so a page cannot
lose its examples silently.
"""
import difflib
import os
import re
import subprocess
import sys

doc, cwd, sections = sys.argv[1], sys.argv[2], sys.argv[3:]
tool = os.environ["CODE_INDEXER"]
text = open(doc, encoding="utf-8").read()
parts = re.split(r"^### ", text, flags=re.M)
status = 0
for section in sections:
    bodies = [p for p in parts[1:] if p.split()[0] == section]
    if not bodies:
        print("no section '### %s' in %s" % (section, doc))
        status = 1
        continue
    examples = []
    for block in re.findall(r"(?:^    .*\n)+", bodies[0], re.M):
        current = None
        for line in block.splitlines():
            line = line[4:]
            if line.startswith("$ "):
                current = [line[2:], []]
                examples.append(current)
            elif current is not None:
                current[1].append(line)
    if not examples:
        print("no example in section '### %s'" % section)
        status = 1
    for command, expected in examples:
        run = re.sub(r"^code-indexer\b", tool, command)
        r = subprocess.run(["/bin/sh", "-c", run], cwd=cwd, capture_output=True, text=True)
        got = r.stdout.splitlines()
        if r.returncode != 0 or got != expected:
            status = 1
            print("FAIL: %s (exit %d) %s" % (command, r.returncode, r.stderr.strip()))
            sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(expected, got, "documented", "printed", lineterm=""))
        else:
            print("ok: " + command)
sys.exit(status)
