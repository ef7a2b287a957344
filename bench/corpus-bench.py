#!/usr/bin/env python3
"""corpus-bench.py [NAME] [--jobs N]: code-indexer against Clang's own parse time.

Fetches corpus NAME (default leveldb; see bench/get-corpus.sh for the
list) once into CORPUS_DIR (default ~/.cache/code-index-corpora/NAME),
then measures, in one run and with the same parallelism (--jobs, default the
machine's hardware threads):

  (a) floor      clang++-19 -fsyntax-only over every unique TU with its own
                 flags (-o, -c and dependency-file flags dropped), N at a time
  (b) full       code-indexer extract --full
  (c) no change  code-indexer extract again, nothing changed
  (d) one .cpp   after appending a comment to one source file
  (e) header     after appending a comment to the project header that the
                 most TUs read (found in the export of (b))
  ctags          universal-ctags over the same tree (N processes), the
                 non-semantic reference

and prints wall and CPU seconds (user + sys), each as a ratio to (a), and
peak RSS (for (a): the largest single clang process). The index is RocksDB
in a temporary directory; the JSON export is not part of (b)-(e). Edits are
undone at the end. Timing only: this is not a test and asserts nothing.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("name", nargs="?", default="leveldb")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count())
    ap.add_argument("--corpus-dir", default=None,
                    help="where the corpus is (fetched there if missing)")
    ap.add_argument("--indexer", default=os.path.join(ROOT, "build", "plugin", "code-indexer"))
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--ctags", default=shutil.which("ctags") or "ctags")
    ap.add_argument("--keep", action="store_true", help="keep the temporary index")
    return ap.parse_args()


def fetch(name, corpus_dir):
    if os.path.exists(os.path.join(corpus_dir, "compile_commands.json")):
        return
    get = os.path.join(ROOT, "bench", "get-corpus.sh")
    if not os.path.exists(get):
        sys.exit("corpus-bench: cannot find %s" % get)
    subprocess.check_call(["bash", get, name, corpus_dir], stdout=sys.stderr)


# Flags that write files or name outputs; dropped from the floor commands.
DROP_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ", "-MJ"}
DROP = {"-c", "-MD", "-MMD", "-M", "-MM", "-MP"}


def floor_commands(db, clang):
    seen, out = set(), []
    for e in db:
        args = e.get("arguments") or shlex.split(e["command"])
        key = (e["directory"], e["file"], tuple(args))
        if key in seen:
            continue
        seen.add(key)
        # The C compiler for C commands (clang++ would parse them as C++).
        cc = clang if "++" in os.path.basename(args[0]) else clang.replace("clang++", "clang")
        cmd, skip = [cc], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a in DROP_WITH_VALUE:
                skip = True
                continue
            if a in DROP or a.startswith("-o") and len(a) > 2 and not a.startswith("-obj"):
                continue
            cmd.append(a)
        cmd.append("-fsyntax-only")
        out.append((e["directory"], cmd))
    return out


def children_times():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_maxrss


def run_floor(cmds, jobs):
    cpu0, _ = children_times()
    t0 = time.monotonic()
    failed = 0

    def one(dc):
        d, c = dc
        return subprocess.run(c, cwd=d, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for rc in pool.map(one, cmds):
            failed += rc != 0
    wall = time.monotonic() - t0
    cpu1, maxrss = children_times()
    return {"wall": wall, "cpu": cpu1 - cpu0, "rss_mb": maxrss / 1024.0,
            "note": "%d TUs, %d failed" % (len(cmds), failed)}


TIME_FMT = "BENCH-TIME %e %U %S %M"


def run_timed(cmd, **kw):
    p = subprocess.run(["/usr/bin/time", "-f", TIME_FMT] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, **kw)
    m = re.search(r"BENCH-TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", p.stderr)
    if not m:
        sys.stderr.write(p.stderr)
        sys.exit("corpus-bench: %s failed" % cmd[0])
    wall, user, sys_, rss = float(m[1]), float(m[2]), float(m[3]), int(m[4])
    return {"wall": wall, "cpu": user + sys_, "rss_mb": rss / 1024.0,
            "stderr": p.stderr, "rc": p.returncode}


def run_indexer(a, corpus_dir, db, extra):
    r = run_timed([a.indexer, "extract", "-p", corpus_dir, "--db", "rocksdb:" + db,
                   "--jobs", str(a.jobs), "--progress", "never", "--stats"] + extra)
    m = re.search(r"\((\d+) parsed, (\d+) unchanged, (\d+) failed", r["stderr"])
    t = re.search(r"code-indexer: time .*", r["stderr"])
    r["note"] = ("%s parsed, %s unchanged, %s failed" % m.groups()) if m else "?"
    r["split"] = t[0][len("code-indexer: "):] if t else ""
    return r


def most_included_header(graph, root):
    """The project header read by the most TUs (transitively)."""
    files = {f["id"]: f for f in graph["files"]}
    inc = collections.defaultdict(set)
    for e in graph["edges"]:
        if e["kind"] == "includes":
            inc[e["from"]].add(e["to"])
    count = collections.Counter()
    for f in graph["files"]:
        if f["role"] not in ("source", "test"):
            continue
        seen, todo = set(), [f["id"]]
        while todo:
            x = todo.pop()
            for y in inc.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        for y in seen:
            if y in files and files[y]["role"] == "header":
                count[y] += 1
    if not count:
        return None, 0
    best, n = max(count.items(), key=lambda kv: (kv[1], files[kv[0]]["path"]))
    return os.path.join(root, files[best]["path"]), n


class Edit:
    """Appends a comment to a file; undo() restores the original bytes."""

    def __init__(self, path):
        self.path, self.orig = path, open(path, "rb").read()
        with open(path, "ab") as f:
            f.write(b"\n// corpus-bench edit\n")

    def undo(self):
        with open(self.path, "wb") as f:
            f.write(self.orig)


def main():
    a = parse_args()
    corpus_dir = a.corpus_dir or os.path.expanduser("~/.cache/code-index-corpora/" + a.name)
    fetch(a.name, corpus_dir)
    db_json = json.load(open(os.path.join(corpus_dir, "compile_commands.json")))
    tmp = tempfile.mkdtemp(prefix="corpus-bench-")
    db = os.path.join(tmp, "index")
    rows = []
    edits = []
    try:
        floor = run_floor(floor_commands(db_json, a.clang), a.jobs)
        rows.append(("(a) clang -fsyntax-only", floor))
        full = run_indexer(a, corpus_dir, db, ["--full"])
        rows.append(("(b) extract --full", full))
        rows.append(("(c) extract, no change", run_indexer(a, corpus_dir, db, [])))

        subprocess.run([a.indexer, "export", "--db", "rocksdb:" + db, "--json",
                        os.path.join(tmp, "graph.json")], check=True)
        graph = json.load(open(os.path.join(tmp, "graph.json")))
        root = graph["project"]["root"]
        srcs = sorted(f["path"] for f in graph["files"] if f["role"] == "source")
        cpp = os.path.join(root, srcs[0]) if srcs else None
        header, readers = most_included_header(graph, root)

        if cpp:
            edits.append(Edit(cpp))
            r = run_indexer(a, corpus_dir, db, [])
            r["note"] += "; edited " + os.path.relpath(cpp, root)
            rows.append(("(d) one .cpp edited", r))
            edits.pop().undo()
            run_indexer(a, corpus_dir, db, [])  # back to the baseline, untimed
        if header:
            edits.append(Edit(header))
            r = run_indexer(a, corpus_dir, db, [])
            r["note"] += "; edited %s (the header most TUs include)" % os.path.relpath(header, root)
            rows.append(("(e) header edited", r))
            edits.pop().undo()

        src_dir = root
        listing = [os.path.join(dp, f) for dp, _, fs in os.walk(src_dir) for f in fs
                   if f.endswith((".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".inc"))]
        lst = os.path.join(tmp, "files.txt")
        open(lst, "w").write("\n".join(listing) + "\n")
        ct = run_timed(["sh", "-c", "xargs -P %d -n 64 %s --languages=C,C++ -f - < %s > /dev/null"
                        % (a.jobs, shlex.quote(a.ctags), shlex.quote(lst))])
        ct["note"] = "%d files" % len(listing)
        rows.append(("universal-ctags", ct))
    finally:
        for e in edits:
            e.undo()
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    base_wall, base_cpu = rows[0][1]["wall"], rows[0][1]["cpu"]
    print("corpus %s: %d compile commands, --jobs %d, %s" % (
        a.name, len(db_json), a.jobs, time.strftime("%Y-%m-%d %H:%M")))
    print("%-26s %8s %6s %8s %6s %8s  %s" % ("step", "wall s", "x(a)", "cpu s", "x(a)",
                                             "peak MB", "notes"))
    for name, r in rows:
        print("%-26s %8.2f %6.2f %8.2f %6.2f %8.0f  %s" % (
            name, r["wall"], r["wall"] / base_wall, r["cpu"], r["cpu"] / base_cpu,
            r["rss_mb"], r.get("note", "")))
    for name, r in rows:
        if r.get("split"):
            print("%-26s %s" % (name, r["split"]))


if __name__ == "__main__":
    main()
