#!/usr/bin/env python3
"""export-race.py CODE_INDEXER DB JSON [ROUNDS WRITERS]

Runs WRITERS concurrent `code-indexer export --db DB --json JSON`, ROUNDS
times. After each round every writer must have exited 0, JSON must be a
complete, valid export, and no temporary file of the export may remain
beside it. Prints "ok N exports" or the first problem (exit 1).
"""
import json
import os
import subprocess
import sys

tool, db, out = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
writers = int(sys.argv[5]) if len(sys.argv) > 5 else 4
d = os.path.dirname(os.path.abspath(out))
name = os.path.basename(out)
total = 0
for r in range(rounds):
    procs = [subprocess.Popen([tool, "export", "--db", db, "--json", out],
                              stderr=subprocess.PIPE) for _ in range(writers)]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            print("round %d: exit %d: %s" % (r, p.returncode, err.decode()))
            sys.exit(1)
        total += 1
    try:
        g = json.load(open(out))
    except ValueError as e:
        print("round %d: invalid JSON: %s" % (r, e))
        sys.exit(1)
    if "run" not in g or "stats" not in g:
        print("round %d: incomplete export" % r)
        sys.exit(1)
    left = sorted(f for f in os.listdir(d) if f.startswith(name + ".tmp"))
    if left:
        print("round %d: temporaries left: %s" % (r, left))
        sys.exit(1)
print("ok %d exports" % total)
