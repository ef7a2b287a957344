#!/usr/bin/env python3
"""make-project.py OUT SOURCE [compiler flags...]

Copies SOURCE to OUT/src/<name> and writes OUT/build/compile_commands.json
with one entry compiling it (clang++ for C++, clang for .c files).
With split-file trees, pass a directory as SOURCE: every .c/.cpp/.cc file in
it becomes a TU (headers are copied along), and a compile_commands.json
template in it, if present, is used instead after replacing DIR with OUT/src.
"""
import json
import os
import shutil
import sys

out, src, flags = sys.argv[1], sys.argv[2], sys.argv[3:]
srcdir = os.path.join(out, "src")
builddir = os.path.join(out, "build")
os.makedirs(builddir, exist_ok=True)
if os.path.isdir(src):
    if os.path.abspath(src) != os.path.abspath(srcdir):
        shutil.copytree(src, srcdir, dirs_exist_ok=True)
    template = os.path.join(srcdir, "compile_commands.json")
    if os.path.exists(template):
        text = open(template).read().replace("DIR", os.path.abspath(srcdir))
        os.remove(template)
        open(os.path.join(builddir, "compile_commands.json"), "w").write(text)
        sys.exit(0)
    mains = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(srcdir) for f in fs
                   if f.endswith((".c", ".cpp", ".cc")))
else:
    os.makedirs(srcdir, exist_ok=True)
    dst = os.path.join(srcdir, os.path.basename(src))
    shutil.copy(src, dst)
    mains = [dst]
entries = []
for m in mains:
    cc = "clang" if m.endswith(".c") else "clang++"
    entries.append({"directory": os.path.abspath(builddir),
                    "arguments": [cc] + flags + ["-c", os.path.abspath(m), "-o", "x.o"],
                    "file": os.path.abspath(m)})
json.dump(entries, open(os.path.join(builddir, "compile_commands.json"), "w"), indent=1)
