#!/usr/bin/env python3
"""interrupt.py SIGNAL FIFO [CONTENT] -- COMMAND...

Runs COMMAND, waits until it opens FIFO for reading (a header the first
translation unit includes, so the TU is then in flight), sends SIGNAL
(INT or TERM) to it, then feeds CONTENT to the FIFO so the TU can finish.
Prints COMMAND's stderr and "exit: CODE" (negative: killed by a signal).
Deterministic: no sleeps decide what is in flight.
"""
import os
import signal
import subprocess
import sys
import time

sep = sys.argv.index("--")
sig, fifo = sys.argv[1], sys.argv[2]
content = sys.argv[3] if sep > 3 else "int fromPipe();\n"
cmd = sys.argv[sep + 1:]
os.mkfifo(fifo)
p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
fd = None
deadline = time.time() + 120
while fd is None:
    try:
        # Fails with ENXIO until a reader has the FIFO open.
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        if p.poll() is not None or time.time() > deadline:
            print("the command never opened the FIFO", file=sys.stderr)
            p.kill()
            sys.exit(2)
        time.sleep(0.01)
p.send_signal(getattr(signal, "SIG" + sig))
os.set_blocking(fd, True)
os.write(fd, content.encode())
os.close(fd)
err = p.stderr.read()
code = p.wait()
sys.stdout.write(err)
print("exit: %d" % code)
