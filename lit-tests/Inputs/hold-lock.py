#!/usr/bin/env python3
"""hold-lock.py FILE -- COMMAND...

Creates FILE, holds an exclusive flock() on it (as a live export writer
does on its temporary file) while COMMAND runs, and exits with COMMAND's
exit code.
"""
import fcntl
import subprocess
import sys

sep = sys.argv.index("--")
with open(sys.argv[1], "w") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    sys.exit(subprocess.call(sys.argv[sep + 1:]))
