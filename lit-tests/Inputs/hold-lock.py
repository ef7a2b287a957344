#!/usr/bin/env python3
"""hold-lock.py FILE [--content TEXT] -- COMMAND...

Creates FILE (with TEXT, if given), holds an exclusive flock() on it (as a
live export writer does on its temporary file, or a run on an index's LOCK
file) while COMMAND runs, and exits with COMMAND's exit code.
"""
import fcntl
import subprocess
import sys

sep = sys.argv.index("--")
opts = sys.argv[2:sep]
with open(sys.argv[1], "w") as f:
    if opts[:1] == ["--content"]:
        f.write(opts[1] + "\n")
        f.flush()
    fcntl.flock(f, fcntl.LOCK_EX)
    sys.exit(subprocess.call(sys.argv[sep + 1:]))
