#!/usr/bin/env python3
"""run.py --indexer PATH [--size NAME]... [--engines rocksdb,lmdb]: the scale benchmark.

For each size, generates a synthetic project (gen.py, once per work
directory) and, for each engine, measures with `code-indexer`:

  extract     `extract --full` into a fresh index: wall time, peak RSS, the
              write-stall time the summary reports, TUs/entities/edges
  store       size of the index directory
  rerun       `extract` again with nothing changed: wall time, peak RSS
  export      `export --json`: wall time, peak RSS, size of the JSON
  query       each query kind on a hub (called from everywhere) and on a
              leaf (called by one test): wall time and peak RSS; `stats`
              once. Whatever the binary does today is what is measured.

Peak RSS is per process (/usr/bin/time's %M, or the child's ru_maxrss when
/usr/bin/time is missing). Prints a Markdown table per size and writes all
figures as JSON (--json). Timing only: it asserts nothing but that every
command succeeds (exit status 0), so a smoke run (--size smoke, under a
minute) catches a benchmark that no longer runs.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

TIME = shutil.which("time", path="/usr/bin:/bin")

# (subcommand, which symbol of scale.json on the hub side, on the leaf side)
QUERIES = [
    ("entity", "hub", "leaf"),
    ("callers", "hub", "leaf"),
    ("callees", "hub", "leaf"),
    ("references", "hub_class", "leaf_class"),
    ("overrides", "hub_method", "leaf_method"),
    ("hierarchy", "hub_class", "leaf_class"),
    ("blast-radius", "hub", "leaf"),
    ("tests-for", "hub", "leaf"),
    ("file", "hub_file", "leaf_file"),
    ("search", "hub_search", "leaf_search"),
]


CPU = {}  # the CPU seconds (user + sys) of the last measure()


def measure(cmd, cwd=None, env=None, timeout=None):
    """Runs cmd; returns (seconds, peak RSS in MB, stdout, stderr) and
    leaves its CPU seconds (user + sys, all threads) in CPU["last"]: on a
    shared machine CPU time varies less than wall time."""
    if timeout:
        # timeout(1) stops the command itself (not only /usr/bin/time).
        cmd = ["timeout", "-s", "KILL", str(timeout)] + cmd
    if TIME:
        fd, rss_file = tempfile.mkstemp(prefix="scale-rss-")
        os.close(fd)
        full = [TIME, "-f", "%M %U %S", "-o", rss_file] + cmd
    else:
        full = cmd
    before = os.times()
    start = time.monotonic()
    p = subprocess.run(full, cwd=cwd, capture_output=True, text=True,
                       env=env)
    seconds = time.monotonic() - start
    after = os.times()
    CPU["last"] = ((after.children_user - before.children_user) +
                   (after.children_system - before.children_system))
    if TIME:
        with open(rss_file) as fh:
            fields = fh.read().split()
        os.unlink(rss_file)
        # The last line is ours; earlier ones may be a "Command exited" note.
        rss_kb = int(fields[-3]) if len(fields) >= 3 else 0
    else:
        import resource
        rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if timeout and p.returncode in (124, 137, -9):
        CPU["last"] = None
        return None, None, "", ""
    if p.returncode != 0:
        sys.exit("scale: %s failed (exit %d):\n%s" %
                 (" ".join(cmd), p.returncode, p.stderr[-4000:]))
    return seconds, rss_kb / 1024.0, p.stdout, p.stderr


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def summary_figures(stderr):
    """TUs, entities, edges and write stall from extract's summary."""
    out = {}
    m = re.search(r"write stalls: (\d+) ms", stderr)
    out["stall_ms"] = int(m.group(1)) if m else None
    m = re.search(r"(\d+) TUs \((\d+) parsed, (\d+) unchanged", stderr)
    if m:
        out["tus"], out["parsed"], out["unchanged"] = map(int, m.groups())
    return out


def graph_counts(indexer, spec):
    _, _, out, _ = measure([indexer, "query", "--db", spec, "stats"])
    ent = re.search(r"^entities: (\d+)", out, re.M)
    edg = re.search(r"^edges: (\d+)", out, re.M)
    return (int(ent.group(1)) if ent else None,
            int(edg.group(1)) if edg else None)


def read_samples(path):
    """The writer's samples (CODE_INDEX_WRITER_SAMPLES) as a list of dicts,
    each with the write rate since the previous sample (records_per_s)."""
    rows = []
    try:
        with open(path) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return rows
    names = lines[0].split(",") if lines else []
    prev = None
    for line in lines[1:]:
        row = dict(zip(names, map(int, line.split(","))))
        if prev is not None and row["elapsed_ms"] > prev["elapsed_ms"]:
            row["records_per_s"] = ((row["records"] - prev["records"]) * 1000.0 /
                                    (row["elapsed_ms"] - prev["elapsed_ms"]))
        prev = row
        rows.append(row)
    return rows


def run_engine(args, size, project, info, engine):
    index = os.path.join(args.work, size, "index-" + engine)
    spec = "%s:%s" % (engine, index)
    build = os.path.join(project, "build")
    r = {"engine": engine}
    base = [args.indexer, "extract", "-p", build, "--db", spec, "--jobs",
            str(args.jobs), "--progress", "never", "--stats"]
    phases = args.phases.split(",")
    if "extract" in phases:
        shutil.rmtree(index, ignore_errors=True)
        samples = os.path.join(args.work, size,
                               "writer-samples-%s.csv" % engine)
        env = dict(os.environ, CODE_INDEX_WRITER_SAMPLES=samples)
        started = time.time()
        secs, rss, _, err = measure(base + ["--full"], env=env)
        r["extract_s"], r["extract_rss_mb"] = secs, rss
        r["extract_cpu_s"] = CPU["last"]
        r.update(summary_figures(err))
        rows = read_samples(samples)
        if rows:
            # After the writer's last sample: the commit (sorted runs merged
            # and ingested / appended) and the end of the run.
            r["after_writer_s"] = time.time() - rows[-1]["unix_ms"] / 1000.0
            r["writer_records"] = rows[-1]["records"]
            # The same figures as the summary's, independent of its format.
            r["stall_ms"] = rows[-1]["engine_stall_ms"]
            r["producer_blocked_ms"] = rows[-1]["producer_blocked_ms"]
            r["writer_samples"] = samples
        r["extract_started"] = started
        r["store_mb"] = dir_bytes(index) / 1e6
    if "rerun" in phases:
        secs, rss, _, err = measure(base)
        r["rerun_s"], r["rerun_rss_mb"] = secs, rss
        r["rerun_cpu_s"] = CPU["last"]
        r["rerun_parsed"] = summary_figures(err).get("parsed")
        r["store_mb_after_rerun"] = dir_bytes(index) / 1e6
    if "export" in phases:
        export_phase(args, size, engine, spec, r)
    if "query" in phases:
        query_phase(args, info, spec, r)
    if not args.keep:
        shutil.rmtree(index, ignore_errors=True)
    return r


def export_phase(args, size, engine, spec, r):
    json_path = os.path.join(args.work, size, "export-%s.json" % engine)
    secs, rss, _, _ = measure([args.indexer, "export", "--db", spec, "--json",
                               json_path])
    r["export_s"], r["export_rss_mb"] = secs, rss
    r["export_cpu_s"] = CPU["last"]
    r["export_mb"] = os.path.getsize(json_path) / 1e6
    os.unlink(json_path)


def query_phase(args, info, spec, r):
    r["entities"], r["edges"] = graph_counts(args.indexer, spec)
    q = {}
    secs, rss, out, _ = measure([args.indexer, "query", "--db", spec, "stats"])
    q["stats"] = {"s": secs, "cpu_s": CPU["last"], "rss_mb": rss,
                  "lines": out.count("\n")}
    for kind, hub, leaf in QUERIES:
        for side, key in (("hub", hub), ("leaf", leaf)):
            secs, rss, out, _ = measure([args.indexer, "query", "--db", spec,
                                         kind, info[key]],
                                        timeout=args.query_timeout)
            q["%s %s" % (kind, side)] = {"s": secs, "cpu_s": CPU["last"],
                                         "rss_mb": rss,
                                         "lines": out.count("\n"),
                                         "timed_out": secs is None}
    r["queries"] = q


def print_size(args, size, info, results):
    print("\n### %s: %d TUs, %s entities, %s edges\n" % (
        size, info["translation_units"], results[0].get("entities"),
        results[0].get("edges")))
    cols = [r["engine"] for r in results]
    print("| | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))

    def row(label, fmt, key):
        vals = []
        for r in results:
            v = r.get(key)
            vals.append("-" if v is None else fmt % v)
        print("| %s | %s |" % (label, " | ".join(vals)))
    row("extract --full (s)", "%.1f", "extract_s")
    row("extract CPU (s)", "%.1f", "extract_cpu_s")
    row("extract peak RSS (MB)", "%.0f", "extract_rss_mb")
    row("write stalls (ms)", "%d", "stall_ms")
    row("producers blocked on the writer (ms)", "%d", "producer_blocked_ms")
    row("store (MB)", "%.1f", "store_mb")
    row("no-change rerun (s)", "%.2f", "rerun_s")
    row("no-change rerun CPU (s)", "%.2f", "rerun_cpu_s")
    row("export --json (s)", "%.2f", "export_s")
    row("export CPU (s)", "%.2f", "export_cpu_s")
    row("export peak RSS (MB)", "%.0f", "export_rss_mb")
    row("export size (MB)", "%.1f", "export_mb")
    row("writer records", "%d", "writer_records")
    row("after the writer's last sample (s)", "%.1f", "after_writer_s")
    for name in results[0].get("queries", {}):
        vals = [("> %d s (stopped)" % args.query_timeout)
                if r["queries"][name].get("timed_out") else
                "%.2f s (CPU %.2f s), %.0f MB, %d lines" % (
                    r["queries"][name]["s"], r["queries"][name]["cpu_s"],
                    r["queries"][name]["rss_mb"],
                    r["queries"][name].get("lines", 0))
                for r in results]
        print("| query %s | %s |" % (name, " | ".join(vals)))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--indexer", required=True,
                    help="the code-indexer binary (e.g. build/plugin/code-indexer)")
    ap.add_argument("--size", action="append", choices=sorted(gen.SIZES, key=gen.SIZES.get),
                    help="repeatable; default: smoke")
    ap.add_argument("--engines", default="rocksdb,lmdb")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--work", default=None,
                    help="directory for projects and indexes (default: a temporary one)")
    ap.add_argument("--json", default=None, help="write all figures here")
    ap.add_argument("--keep", action="store_true",
                    help="keep the generated projects and indexes")
    ap.add_argument("--query-timeout", type=int, default=None,
                    help="stop a query after this many seconds (reported as "
                    "stopped); default: none")
    ap.add_argument("--phases", default="extract,rerun,export,query",
                    help="comma-separated subset of extract,rerun,export,query; "
                    "without extract, the index kept (--keep) by an earlier "
                    "run in --work is measured again")
    args = ap.parse_args()
    args.indexer = os.path.abspath(args.indexer)
    if not os.access(args.indexer, os.X_OK):
        sys.exit("scale: %s is not an executable" % args.indexer)
    sizes = args.size or ["smoke"]
    temporary = args.work is None
    if temporary:
        args.work = tempfile.mkdtemp(prefix="codeindex-scale-")
    all_results = {}
    try:
        for size in sizes:
            project = os.path.join(args.work, size, "project")
            if not os.path.exists(os.path.join(project, "scale.json")):
                start = time.monotonic()
                info = gen.generate(project, gen.SIZES[size], seed=1)
                print("generated %s (%d TUs) in %.1f s" % (
                    size, info["translation_units"], time.monotonic() - start),
                    file=sys.stderr)
            with open(os.path.join(project, "scale.json")) as fh:
                info = json.load(fh)
            results = [run_engine(args, size, project, info, e)
                       for e in args.engines.split(",") if e]
            all_results[size] = {"project": info, "engines": results}
            print_size(args, size, info, results)
            if args.json:  # after each size: a long run keeps what it has
                with open(args.json, "w") as fh:
                    json.dump(all_results, fh, indent=1)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(all_results, fh, indent=1)


if __name__ == "__main__":
    main()
