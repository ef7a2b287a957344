#!/usr/bin/env python3
"""SIGKILL fault injection for code-indexer (CTest label `fault`).

Generates a 40-TU project, then for each engine kills `extract` with SIGKILL
at several points of a full rebuild and of an incremental run, and checks:
  * after every kill the index is readable (`export` succeeds) and holds a
    graph that some completed run produced: a killed full rebuild leaves the
    previous index exactly as it was;
  * the next (incremental) run completes and its export equals a clean full
    build of the same sources (the "run" object aside).

Usage: fault-injection.py CODE_INDEXER [--engines rocksdb,lmdb] [--keep DIR]
Kill points are fractions of a measured run time, so the test adapts to the
machine; where a kill lands does not change what must hold.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TUS = 40


def write_project(root, version):
    """Writes sources for `version` (an int); TUs with i % 3 == 0 change."""
    src = os.path.join(root, "src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "common.h"), "w") as f:
        f.write("#pragma once\n#include <vector>\n#include <string>\n"
                "namespace common {\nstruct Base { virtual ~Base(); virtual int run(int) const = 0; };\n"
                "template <typename T> T twice(T v) { return v + v; }\n}\n")
    for i in range(TUS):
        body = i * 7 + (version if i % 3 == 0 else 0)
        extra = ("int added_v%d_%d() { return %d; }\n" % (version, i, version)
                 if i % 3 == 0 and version else "")
        with open(os.path.join(src, "unit%02d.h" % i), "w") as f:
            f.write("#pragma once\n#include \"common.h\"\nnamespace u%d {\n"
                    "struct Impl%d : common::Base { int run(int) const override; "
                    "std::vector<std::string> names; };\nint helper%d(int);\n}\n" % (i, i, i))
        with open(os.path.join(src, "unit%02d.cpp" % i), "w") as f:
            f.write("#include \"unit%02d.h\"\n" % i)
            if i > 0:
                f.write("#include \"unit%02d.h\"\n" % (i - 1))
            f.write("namespace u%d {\n" % i)
            f.write("int Impl%d::run(int x) const { return common::twice(x) + %d; }\n" % (i, body))
            f.write("int helper%d(int x) { Impl%d m; return m.run(x)%s; }\n"
                    % (i, i, " + u%d::helper%d(x)" % (i - 1, i - 1) if i > 0 else ""))
            for k in range(12):
                f.write("int filler%d_%d(int a) { std::vector<int> v(a); return (int)v.size() + %d; }\n" % (i, k, k))
            f.write(extra)
            f.write("}\n")
    build = os.path.join(root, "build")
    os.makedirs(build, exist_ok=True)
    entries = [{"directory": build,
                "arguments": ["clang++", "-std=c++17", "-c", os.path.join(src, "unit%02d.cpp" % i)],
                "file": os.path.join(src, "unit%02d.cpp" % i)} for i in range(TUS)]
    json.dump(entries, open(os.path.join(build, "compile_commands.json"), "w"))


def load_graph(path):
    g = json.load(open(path, encoding="utf-8"))
    g.pop("run", None)
    return g


class Runner:
    def __init__(self, exe, root):
        self.exe, self.root = exe, root
        self.build = os.path.join(root, "build")

    def extract(self, db, full=False, json_out=None):
        cmd = [self.exe, "extract", "-p", self.build, "--db", db, "--jobs", "2", "--quiet"]
        if full:
            cmd.append("--full")
        if json_out:
            cmd += ["--json", json_out]
        return cmd

    def run(self, cmd):
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise SystemExit("FAILED (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr))
        return r

    def export(self, db, out):
        r = subprocess.run([self.exe, "export", "--db", db, "--json", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise SystemExit("FAILED: export after a kill: %s" % r.stderr)
        return load_graph(out)

    def killed_run(self, cmd, delay):
        """Runs cmd, SIGKILLs it after delay seconds; True if it was killed."""
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            return True
        if p.returncode != 0:
            raise SystemExit("FAILED: %s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr.read()))
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("code_indexer")
    ap.add_argument("--engines", default="rocksdb,lmdb")
    ap.add_argument("--keep", help="work in this directory and keep it")
    a = ap.parse_args()
    root = a.keep or tempfile.mkdtemp(prefix="codeindex-fault-")
    os.makedirs(root, exist_ok=True)
    r = Runner(os.path.abspath(a.code_indexer), root)
    fractions = [0.1, 0.4, 0.7, 0.95]
    kills = 0
    try:
        for engine in a.engines.split(","):
            # References: clean full builds of versions 0 and 1.
            refs = {}
            for v in (0, 1):
                write_project(root, v)
                out = os.path.join(root, "ref%d.json" % v)
                t0 = time.time()
                r.run(r.extract("%s:%s/ref%d-%s" % (engine, root, v, engine), full=True, json_out=out))
                duration = time.time() - t0
                refs[v] = load_graph(out)
            assert refs[0] != refs[1]
            db = "%s:%s/index-%s" % (engine, root, engine)
            write_project(root, 0)
            r.run(r.extract(db, full=True))
            current = 0
            for f in fractions:
                # A full rebuild to the other version, killed.
                target = 1 - current
                write_project(root, target)
                killed = r.killed_run(r.extract(db, full=True), duration * f)
                kills += killed
                g = r.export(db, os.path.join(root, "after-kill.json"))
                if killed and g != refs[current]:
                    raise SystemExit("FAILED: %s: full rebuild killed at %.2fs changed the index" % (engine, duration * f))
                if not killed:
                    current = target
                if g != refs[current]:
                    raise SystemExit("FAILED: %s: index after a completed full rebuild is wrong" % engine)
                # An incremental run to the other version, killed, then completed.
                target = 1 - current
                write_project(root, target)
                killed = r.killed_run(r.extract(db), duration * f * 0.6)
                kills += killed
                r.export(db, os.path.join(root, "after-kill.json"))  # readable
                out = os.path.join(root, "completed.json")
                r.run(r.extract(db, json_out=out))
                if load_graph(out) != refs[target]:
                    raise SystemExit("FAILED: %s: incremental run after a kill at %.2fs differs from a clean full build"
                                     % (engine, duration * f * 0.6))
                current = target
                print("%s: kill at %3.0f%% of a run (%.2fs): ok" % (engine, f * 100, duration * f), flush=True)
        print("fault injection: %d runs killed, every index readable and completed correctly" % kills)
        if kills == 0:
            raise SystemExit("FAILED: no run was killed (runs too fast to test)")
    finally:
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
