#!/usr/bin/env python3
"""serve-load.py --bin CODE_INDEXER --db SPEC [options]: load on `serve`.

Starts `code-indexer serve --db SPEC --port 0` on loopback and drives it with
--clients concurrent clients (one keep-alive connection each) sending a
bounded number of requests (--requests in all), a fixed mix of:

  lookups    entity, callers, callees, references, search, tests-for,
             blast-radius (symbols drawn from the index's functions)
  context    /v1/context with --tokens
  analytics  whatever /v1 lists beyond the lookup subcommands and stats
             (centrality, communities, layers, coupling, ...), if any
  scans      stats, hotspots

Meanwhile (with --build and --edit) a background thread commits --extracts
incremental `extract` runs: before each, it appends a probe function
(`serveLoadProbeK`) to the --edit source file, so every commit changes the
graph; the file is restored at the end (and indexed once more).

Reports requests, errors (there must be none), throughput, latency p50, p90,
p99 and max per kind, the extract runs, and the generations seen. Checks
that each response came from one generation: the probe query
(/v1/entities?name=serveLoadProbe*) must give one answer per generation,
and the number of probes must never go down as generations go up; a
response whose answer disagrees with another of the same generation is
counted as mixed (there must be none).

Exit status 1 if any request failed or any response was mixed.
Python 3 standard library only. No timing is asserted: this is a
benchmark; docs/performance.md holds its figures.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

LOOKUPS = ["entity", "callers", "callees", "references", "search", "tests-for",
           "blast-radius"]
KNOWN = set(LOOKUPS) | {"stats", "entities", "overrides", "hierarchy", "cycles",
                        "hotspots", "file", "context", "source"}


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


class Client:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = None

    def get(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request("GET", url)
                r = self.conn.getresponse()
                body = r.read()
                return r.status, json.loads(body.decode("utf-8"))
            except (http.client.HTTPException, ConnectionError, OSError):
                # A keep-alive connection the server closed (idle or after
                # its request limit): reconnect once.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--tokens", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=0, help="serve --threads")
    ap.add_argument("--deadline-ms", type=int, default=0, help="serve --deadline-ms")
    ap.add_argument("--build", help="build dir of the index, for the background extract")
    ap.add_argument("--edit", help="a source file of the project the background extract edits")
    ap.add_argument("--extracts", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", action="append", default=[],
                    help="leave this lookup subcommand out of the mix (repeatable)")
    ap.add_argument("--json", help="also write the figures here")
    a = ap.parse_args()

    cmd = [a.bin, "serve", "--db", a.db, "--port", "0", "--poll-ms", "100"]
    if a.threads:
        cmd += ["--threads", str(a.threads)]
    if a.deadline_ms:
        cmd += ["--deadline-ms", str(a.deadline_ms)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    m = re.match(r"listening on http://([^:]+):(\d+)/v1", line)
    if not m:
        sys.exit("serve did not start: %r %s" % (line, server.stderr.read()))
    host, port = m.group(1), int(m.group(2))
    stderr_lines = []
    threading.Thread(target=lambda: stderr_lines.extend(server.stderr), daemon=True).start()

    lookups = [l for l in LOOKUPS if l not in a.skip]
    rng = random.Random(a.seed)
    c0 = Client(host, port)
    _, listing = c0.get("/v1")
    endpoints = [e["path"][len("/v1/"):] for e in listing["data"]["endpoints"]]
    analytics = [e for e in listing["data"]["endpoints"]
                 if e["path"][len("/v1/"):] not in KNOWN]
    _, ents = c0.get("/v1/entities", {"kind": "function"})
    functions = [e["id"] for e in ents["data"]["entities"] if not e["test"]]
    if not functions:
        sys.exit("the index has no functions")
    sample = [rng.choice(functions) for _ in range(200)]

    # The request plan: fixed for a seed.
    plan = []
    for i in range(a.requests):
        r = rng.random()
        if analytics and r < 0.10:
            e = rng.choice(analytics)
            params = {}
            if e["arg"]:
                params["arg"] = rng.choice(sample)
            plan.append(("analytics", "/v1/" + e["path"][len("/v1/"):], params))
        elif r < 0.30:
            plan.append(("context", "/v1/context",
                         {"arg": rng.choice(sample), "tokens": str(a.tokens)}))
        elif r < 0.35:
            plan.append(("scan", "/v1/" + rng.choice(["stats", "hotspots"]), {}))
        elif r < 0.45:
            plan.append(("probe", "/v1/entities", {"name": "serveLoadProbe*"}))
        else:
            sub = rng.choice(lookups)
            params = {"arg": rng.choice(sample)}
            if sub == "search":
                params = {"arg": rng.choice(sample)[:6], "top": "10"}
            if sub in ("callers", "callees"):
                params["depth"] = str(rng.choice([1, 2]))
            plan.append(("lookup", "/v1/" + sub, params))

    results = []  # (kind, seconds, status, generation, path, params, data)
    lock = threading.Lock()
    nxt = [0]

    def client():
        c = Client(host, port)
        while True:
            with lock:
                if nxt[0] >= len(plan):
                    return
                kind, path, params = plan[nxt[0]]
                nxt[0] += 1
            t = time.perf_counter()
            try:
                status, env = c.get(path, params)
            except Exception as e:  # noqa: BLE001 - counted as an error
                status, env = -1, {"error": {"kind": "client", "message": str(e)}}
            dt = time.perf_counter() - t
            gen = env.get("query", {}).get("generation") if isinstance(env, dict) else None
            data = env.get("data") if kind in ("probe", "scan") else None
            err = None if status == 200 else env.get("error")
            with lock:
                results.append((kind, dt, status, gen, path, json.dumps(params), data, err))

    extracts = []
    edit_original = open(a.edit).read() if a.edit else None

    def writer():
        for k in range(a.extracts):
            time.sleep(0.5)
            with open(a.edit, "a") as f:
                f.write("\nint serveLoadProbe%d() { return %d; }\n" % (k, k))
            t = time.perf_counter()
            p = subprocess.run([a.bin, "extract", "-p", a.build, "--db", a.db, "--quiet"],
                               capture_output=True, text=True)
            extracts.append((time.perf_counter() - t, p.returncode, p.stderr.strip()[-300:]))

    start = time.perf_counter()
    w = None
    if a.build and a.edit:
        w = threading.Thread(target=writer)
        w.start()
    threads = [threading.Thread(target=client) for _ in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if w:
        w.join()
        with open(a.edit, "w") as f:
            f.write(edit_original)
        subprocess.run([a.bin, "extract", "-p", a.build, "--db", a.db, "--quiet"],
                       capture_output=True)

    server.send_signal(signal.SIGTERM)
    rc = server.wait(timeout=60)

    errors = [r for r in results if r[2] != 200]
    # One answer per generation (probe and scans), and probes never go
    # down as generations go up.
    by_gen = {}
    mixed = 0
    for kind, dt, status, gen, path, params, data, err in results:
        if data is None or status != 200:
            continue
        key = (path, params, gen)
        if key in by_gen and by_gen[key] != data:
            mixed += 1
        by_gen.setdefault(key, data)
    probes = sorted((gen, len(d["entities"])) for (p, _, gen), d in by_gen.items()
                    if p == "/v1/entities")
    monotone = all(probes[i][1] <= probes[i + 1][1] for i in range(len(probes) - 1))
    gens = sorted({r[3] for r in results if r[3] is not None})

    figures = {"clients": a.clients, "requests": len(results), "errors": len(errors),
               "mixed": mixed, "probes_monotone": monotone, "seconds": round(wall, 2),
               "throughput_rps": round(len(results) / wall, 1) if wall else 0,
               "generations": gens, "serve_exit": rc,
               "extracts": [{"seconds": round(s, 2), "exit": c} for s, c, _ in extracts],
               "latency_ms": {}}
    kinds = ["all"] + sorted({r[0] for r in results})
    print("serve-load: %d clients, %d requests in %.2f s (%.1f/s), %d errors, %d mixed"
          % (a.clients, len(results), wall, figures["throughput_rps"], len(errors), mixed))
    print("%-10s %6s %9s %9s %9s %9s" % ("kind", "count", "p50 ms", "p90 ms", "p99 ms", "max ms"))
    for k in kinds:
        ds = [r[1] * 1000 for r in results if k == "all" or r[0] == k]
        row = {"count": len(ds), "p50": round(percentile(ds, 50), 1),
               "p90": round(percentile(ds, 90), 1), "p99": round(percentile(ds, 99), 1),
               "max": round(max(ds) if ds else 0, 1)}
        figures["latency_ms"][k] = row
        print("%-10s %6d %9.1f %9.1f %9.1f %9.1f" % (k, row["count"], row["p50"], row["p90"],
                                                    row["p99"], row["max"]))
    for s, c, e in extracts:
        print("extract: %.2f s, exit %d%s" % (s, c, (": " + e) if c else ""))
    print("generations seen: %s; probe entities by generation: %s"
          % (gens, ", ".join("%s:%d" % p for p in probes)))
    if analytics:
        print("analytics endpoints in the mix: %s" % ", ".join(
            e["path"] for e in analytics))
    for r in errors[:5]:
        print("error: %s %s -> %s %s" % (r[4], r[5], r[2], json.dumps(r[7])[:300]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(figures, f, indent=2)
    bad = errors or mixed or not monotone or rc != 0 or any(c for _, c, _ in extracts)
    if a.extracts and a.build and len(gens) < 2:
        print("note: only one generation answered; run more requests or extracts")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
