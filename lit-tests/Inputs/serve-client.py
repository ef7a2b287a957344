#!/usr/bin/env python3
"""serve-client.py MODE --bin CODE_INDEXER --db SPEC [options]

Starts `code-indexer serve --db SPEC --port 0` (loopback, any free port),
drives it over HTTP with urllib and stops it with SIGTERM (its exit code
must be 0). Modes:

  table        GET /v1 lists every `query` subcommand; for each one, with
               representative arguments, the envelope's "data" equals what
               `code-indexer query --db SPEC --format json` prints (both
               parsed), and "tokens" is ceil(bytes of compact data / 4).
  errors       error kinds, HTTP statuses and exit codes against the CLI's.
  cli          the listening address and port: loopback unless
               --allow-remote (exit 1), a port in use (exit 4), SIGINT.
  source       /v1/source serves files under the root, refuses the others.
  generations  --edit FILE --with NEW --build DIR: while clients query the
               server, copies NEW over FILE and runs an incremental
               `extract`; the server must pick up the new state, and every
               response must be exactly the answer of the state its
               "generation" names (the CLI's answer before and after).
  docs         --doc docs/serve.md [--update]: runs every `GET /v1/...`
               example of the page and compares the page's output with the
               server's (after replacing the index path with INDEX).

Prints one line per check ("ok ..."), or "FAIL ..." lines and exits 1.
"""
import argparse
import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL " + msg)


def ok(msg):
    print("ok " + msg)


class Server:
    def __init__(self, binary, db, extra=()):
        self.proc = subprocess.Popen(
            [binary, "serve", "--db", db, "--port", "0", "--poll-ms", "50"] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on http://([^:]+):(\d+)/v1", line)
        if not m:
            self.proc.kill()
            sys.exit("serve did not start: %r %s" % (line, self.proc.stderr.read()))
        self.base = "http://%s:%s" % (m.group(1), m.group(2))

    def get(self, path, params=None):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                return r.status, json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read().decode("utf-8"))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("serve did not stop on SIGTERM")
            return
        if rc != 0:
            fail("serve exited with %d on SIGTERM: %s" % (rc, self.proc.stderr.read()))
        else:
            ok("serve stopped on SIGTERM with exit code 0")


def cli(args, binary, db):
    p = subprocess.run([binary, "query", "--db", db, "--format", "json"] + args,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def tokens_of(data):
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return math.ceil(len(compact.encode("utf-8")) / 4)


# Representative arguments for the subcommands of the fixture project
# (lit-tests/Inputs/query-project). A subcommand added later without an
# entry here is still walked: with a function name if it takes an argument.
REPRESENTATIVE = {
    "stats": [{}],
    "entities": [{}, {"kind": "method"}, {"file": "src/*", "external": "true"}],
    "entity": [{"arg": "geo::Square"}, {"arg": "area"}],
    "search": [{"arg": "area"}, {"arg": "pars", "top": "3"}],
    "callers": [{"arg": "geo::Circle::area"}, {"arg": "geo::Circle::area", "depth": "0"}],
    "callees": [{"arg": "main", "depth": "2"}],
    "references": [{"arg": "geo::Shape"}],
    "overrides": [{"arg": "geo::Square::area"}],
    "hierarchy": [{"arg": "geo::Square"}],
    "blast-radius": [{"arg": "logLevel", "hops": "3"}],
    "cycles": [{}, {"edges": "includes"}],
    "hotspots": [{}, {"top": "3"}],
    "file": [{"arg": "include/util/log.h"}],
    "tests-for": [{"arg": "geo::Circle::area"}],
    "centrality": [{}, {"method": "betweenness", "top": "3"}],
    "communities": [{}, {"edges": "calls,references"}],
    "layers": [{}],
    "coupling": [{"arg": "geo::Circle"}],
    "context": [{"arg": "geo::Circle::area"}, {"arg": "geo::totalArea", "tokens": "300"},
                {"arg": "main", "tokens": "5000", "depth": "3"}],
}


def cli_args(name, params):
    args = [name]
    if "arg" in params:
        args.append(params["arg"])
    for k, v in params.items():
        if k == "arg":
            continue
        if k == "external":
            if v in ("", "1", "true"):
                args.append("--external")
            continue
        args += ["--" + k, v]
    return args


def mode_table(a):
    s = Server(a.bin, a.db)
    try:
        status, listing = s.get("/v1")
        names = [e["path"][len("/v1/"):] for e in listing["data"]["endpoints"]]
        help_names = subprocess.run([a.bin, "query", "--help"], capture_output=True,
                                    text=True).stdout
        for n in names:
            if n != "source" and ("  " + n + " ") not in help_names and \
                    ("  " + n + "\n") not in help_names:
                fail("/v1 lists %s, which `query --help` does not" % n)
        ok("/v1 lists %d endpoints: %s" % (len(names), ", ".join(names)))
        for e in listing["data"]["endpoints"]:
            name = e["path"][len("/v1/"):]
            if name == "source":
                continue
            cases = REPRESENTATIVE.get(name)
            if cases is None:
                cases = [{"arg": "geo::totalArea"}] if e["arg"] else [{}]
                print("note: no representative arguments for %s; using %s" % (name, cases))
            for params in cases:
                status, env = s.get("/v1/" + name, params)
                rc, out, err = cli(cli_args(name, params), a.bin, a.db)
                what = "%s %s" % (name, json.dumps(params, sort_keys=True))
                if rc != 0:
                    fail("%s: the CLI failed (%d): %s" % (what, rc, err))
                    continue
                if status != 200 or not env.get("ok"):
                    fail("%s: HTTP %d %s" % (what, status, json.dumps(env)[:300]))
                    continue
                if env["data"] != json.loads(out):
                    fail("%s: HTTP data differs from the CLI's JSON" % what)
                    continue
                # Byte for byte too: the same keys in the same order.
                if json.dumps(env["data"]) != json.dumps(json.loads(out)):
                    fail("%s: same values, different key order" % what)
                    continue
                if env["tokens"] != tokens_of(env["data"]):
                    fail("%s: tokens %d, expected %d" % (what, env["tokens"], tokens_of(env["data"])))
                    continue
                q = env["query"]
                if q["endpoint"] != name or q.get("arg") != params.get("arg") or \
                        not isinstance(q.get("generation"), int):
                    fail("%s: query part %s" % (what, json.dumps(q)))
                    continue
                ok("%s: data equals the CLI's" % what)
    finally:
        s.stop()


def mode_errors(a):
    s = Server(a.bin, a.db)
    cases = [
        # path, params, HTTP status, kind, CLI args (None: server only)
        ("/v1/callers", {"arg": "nosuchthing"}, 404, "unknown_symbol", ["callers", "nosuchthing"]),
        ("/v1/callers", {"arg": "area"}, 409, "ambiguous", ["callers", "area"]),
        ("/v1/file", {"arg": "nosuch.h"}, 404, "unknown_symbol", ["file", "nosuch.h"]),
        ("/v1/callers", {"arg": "main", "kind": "function"}, 400, "bad_argument",
         ["callers", "main", "--kind", "function"]),
        ("/v1/callers", {}, 400, "bad_argument", ["callers"]),
        ("/v1/stats", {"arg": "x"}, 400, "bad_argument", ["stats", "x"]),
        ("/v1/cycles", {"edges": "types"}, 400, "bad_argument", None),
        ("/v1/callers", {"arg": "main", "depth": "two"}, 400, "bad_argument", None),
        ("/v1/callers", {"arg": "main", "frobnicate": "1"}, 400, "bad_argument", None),
        ("/v1/stats", {"format": "table"}, 400, "bad_argument", None),
        ("/v1/context", {"arg": "geo::Circle::area", "tokens": "5"}, 400, "bad_argument",
         ["context", "geo::Circle::area", "--tokens", "5"]),
        ("/v1/frobnicate", {}, 404, "unknown_endpoint", ["frobnicate"]),
        ("/nothing", {}, 404, "unknown_endpoint", None),
    ]
    try:
        for path, params, status, kind, args in cases:
            got, env = s.get(path, params)
            what = "%s %s" % (path, json.dumps(params, sort_keys=True))
            if got != status or env.get("ok") is not False or env["error"]["kind"] != kind:
                fail("%s: HTTP %d %s, expected %d %s" % (what, got, json.dumps(env)[:300], status, kind))
                continue
            if args is not None:
                rc, out, err = cli(args, a.bin, a.db)
                if rc != env["error"]["exit_code"]:
                    fail("%s: exit_code %s, the CLI exits %d" % (what, env["error"]["exit_code"], rc))
                    continue
                msg = err.strip()
                prefix = "code-indexer: error: "
                # An unknown endpoint names the endpoints, not subcommands.
                if kind != "unknown_endpoint" and msg.startswith(prefix) and \
                        msg[len(prefix):] != env["error"]["message"]:
                    fail("%s: message %r, the CLI says %r" % (what, env["error"]["message"], msg))
                    continue
            if kind == "ambiguous":
                c = env["error"].get("candidates") or []
                if len(c) < 2 or any(len(x["id"]) != 16 for x in c):
                    fail("%s: candidates %s" % (what, json.dumps(c)))
                    continue
                ok("%s: %d %s, %d candidates" % (what, got, kind, len(c)))
                continue
            ok("%s: %d %s" % (what, got, kind))
        # Request size: a request line over the library's 8 KiB limit.
        got, env = s.get("/v1/search", {"arg": "x" * 10000})
        if got != 414 or env["error"]["kind"] != "too_large":
            fail("a 10 KB request line: HTTP %d %s" % (got, json.dumps(env)[:200]))
        else:
            ok("a 10 KB request line: 414 too_large")
        # Methods other than GET.
        req = urllib.request.Request(s.base + "/v1/stats", data=b"x", method="POST")
        try:
            urllib.request.urlopen(req, timeout=30)
            fail("POST /v1/stats was answered")
        except urllib.error.HTTPError as e:
            body = json.loads(e.read().decode("utf-8"))
            if e.code == 405 and body["error"]["kind"] == "method_not_allowed":
                ok("POST /v1/stats: 405 method_not_allowed")
            else:
                fail("POST /v1/stats: %d %s" % (e.code, body))
    finally:
        s.stop()


def mode_source(a):
    s = Server(a.bin, a.db)
    root = a.root
    try:
        got, env = s.get("/v1/source", {"file": "src/circle.cpp", "line": "1", "end": "3"})
        want = "".join(open(os.path.join(root, "src/circle.cpp")).readlines()[0:3])
        if got == 200 and env["data"]["text"] == want and env["data"]["end"] == 3:
            ok("src/circle.cpp lines 1-3 served")
        else:
            fail("src/circle.cpp: %d %s" % (got, json.dumps(env)[:300]))
        absolute = os.path.join(root, "src/circle.cpp")
        got, env = s.get("/v1/source", {"file": absolute, "line": "2", "end": "2"})
        if got == 200 and env["data"]["file"] == "src/circle.cpp":
            ok("an absolute path inside the root is served")
        else:
            fail("absolute inside: %d %s" % (got, json.dumps(env)[:300]))
        refused = [
            ({"file": "../outside.txt"}, 403, "forbidden"),
            ({"file": "src/../../outside.txt"}, 403, "forbidden"),
            ({"file": os.path.join(os.path.dirname(root), "outside.txt")}, 403, "forbidden"),
            ({"file": "/etc/passwd"}, 403, "forbidden"),
            ({"file": "escape.txt"}, 403, "forbidden"),  # a symbolic link out of the root
            ({"file": "src/nosuch.cpp"}, 404, "not_found"),
            ({"file": "src/circle.cpp", "line": "0"}, 400, "bad_argument"),
            ({"file": "src/circle.cpp", "line": "1", "end": "5000"}, 400, "bad_argument"),
            ({"file": "src/circle.cpp", "line": "1000"}, 400, "bad_argument"),
            ({}, 400, "bad_argument"),
        ]
        for params, status, kind in refused:
            got, env = s.get("/v1/source", params)
            what = json.dumps(params, sort_keys=True)
            leaked = "secret" in json.dumps(env)
            if got == status and env["error"]["kind"] == kind and not leaked:
                ok("source %s: %d %s" % (what, got, kind))
            else:
                fail("source %s: %d %s" % (what, got, json.dumps(env)[:300]))
    finally:
        s.stop()


def mode_generations(a):
    probes = [("/v1/entities", {}, ["entities"]),
              ("/v1/stats", {}, ["stats"]),
              ("/v1/callers", {"arg": "geo::Circle::area", "depth": "0"},
               ["callers", "geo::Circle::area", "--depth", "0"])]
    before = {p: json.loads(cli(args, a.bin, a.db)[1]) for p, _, args in probes}
    s = Server(a.bin, a.db)
    seen = []  # (probe path, generation, data)
    stop = threading.Event()
    errors = []

    def client():
        while not stop.is_set():
            for path, params, _ in probes:
                try:
                    got, env = s.get(path, params)
                except Exception as e:  # noqa: BLE001 - any failure counts
                    errors.append("%s: %s" % (path, e))
                    continue
                if got != 200:
                    errors.append("%s: HTTP %d %s" % (path, got, json.dumps(env)[:200]))
                    continue
                seen.append((path, env["query"]["generation"], env["data"]))

    try:
        status, env = s.get("/v1/stats")
        first = env["query"]["generation"]
        threads = [threading.Thread(target=client) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        with open(a.with_) as f:
            text = f.read()
        with open(a.edit, "w") as f:
            f.write(text)
        p = subprocess.run([a.bin, "extract", "-p", a.build, "--db", a.db, "--quiet"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            fail("extract failed: %s" % p.stderr)
        after = {p_: json.loads(cli(args, a.bin, a.db)[1]) for p_, _, args in probes}
        if after == before:
            fail("the edit changed nothing the probes see")
        deadline = time.time() + 30
        newest = first
        while time.time() < deadline:
            status, env = s.get("/v1/stats")
            newest = env["query"]["generation"]
            if newest != first:
                break
            time.sleep(0.05)
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join()
        if newest == first:
            fail("the server still answers from generation %d 30 s after the commit" % first)
        else:
            ok("the server moved from generation %d to %d without a restart" % (first, newest))
        if errors:
            fail("%d requests failed during the extract, e.g. %s" % (len(errors), errors[0]))
        else:
            ok("no request failed during the extract")
        # Every answer is one state's: the old state's before the swap, the
        # new state's after it (never a mixture).
        mixed = 0
        counts = {}
        for path, gen, data in seen:
            want = before[path] if gen == first else after[path]
            if data != want:
                mixed += 1
            counts[gen == first] = counts.get(gen == first, 0) + 1
        if mixed:
            fail("%d of %d responses match neither state of their generation" % (mixed, len(seen)))
        elif not counts.get(True) or not counts.get(False):
            fail("responses did not span both states: %s" % counts)
        else:
            ok("each of %d responses is exactly its generation's answer (%d old, %d new)"
               % (len(seen), counts[True], counts[False]))
        got, env = s.get("/v1/entity", {"arg": a.new_symbol})
        if got == 200 and env["query"]["generation"] != first:
            ok("the new entity %s is served" % a.new_symbol)
        else:
            fail("the new entity %s: %d %s" % (a.new_symbol, got, json.dumps(env)[:200]))
    finally:
        stop.set()
        s.stop()


def mode_cli(a):
    base = [a.bin, "serve", "--db", a.db]
    # A non-loopback address without --allow-remote: refused (exit 1).
    p = subprocess.run(base + ["--bind", "0.0.0.0", "--port", "0"], capture_output=True,
                       text=True, timeout=60)
    if p.returncode == 1 and "not a loopback address" in p.stderr and \
            "--allow-remote" in p.stderr and not p.stdout:
        ok("--bind 0.0.0.0 without --allow-remote: exit 1, %s" % p.stderr.strip())
    else:
        fail("--bind 0.0.0.0 without --allow-remote: %d %r %r" % (p.returncode, p.stdout, p.stderr))
    # With it: a warning, and it serves.
    s = Server(a.bin, a.db, ["--bind", "0.0.0.0", "--allow-remote"])
    s.base = s.base.replace("0.0.0.0", "127.0.0.1")
    status, env = s.get("/v1/stats")
    s.stop()
    err = s.proc.stderr.read()
    if status == 200 and "warning: serving on 0.0.0.0" in err:
        ok("--bind 0.0.0.0 --allow-remote: serves, with a warning")
    else:
        fail("--allow-remote: HTTP %d, stderr %r" % (status, err))
    # A port in use: exit 4, and the first server is unaffected.
    first = Server(a.bin, a.db)
    port = first.base.rsplit(":", 1)[1]
    p = subprocess.run(base + ["--port", port], capture_output=True, text=True, timeout=60)
    if p.returncode == 4 and "the port is in use" in p.stderr:
        ok("a port in use: exit 4, %s" % p.stderr.strip())
    else:
        fail("a port in use: %d %r" % (p.returncode, p.stderr))
    status, env = first.get("/v1/stats")
    if status != 200:
        fail("the first server stopped answering: %d" % status)
    # SIGINT stops it cleanly too.
    first.proc.send_signal(signal.SIGINT)
    rc = first.proc.wait(timeout=30)
    if rc == 0:
        ok("SIGINT: exit code 0")
    else:
        fail("SIGINT: exit code %d" % rc)


DOC_EXAMPLE = re.compile(
    r"    \$ curl -s '(http://127\.0\.0\.1:7719(/v1[^']*))'(?: \| jq \.)?\n((?:    .*\n)*)")


def differences(want, got, path=""):
    """Where two JSON values differ: "path: documented -> served"."""
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for k in list(want) + [k for k in got if k not in want]:
            out += differences(want.get(k), got.get(k), path + "." + k)
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        out = []
        for i, (w, g) in enumerate(zip(want, got)):
            out += differences(w, g, "%s[%d]" % (path, i))
        return out
    if want != got:
        return ["%s: %s -> %s" % (path or ".", json.dumps(want)[:200], json.dumps(got)[:200])]
    return []


def mode_docs(a):
    text = open(a.doc, encoding="utf-8").read()
    s = Server(a.bin, a.db)
    index_path = a.db.split(":", 1)[1]

    def normal(v):
        if v.get("ok") and v["tokens"] != tokens_of(v["data"]):
            fail("tokens %d, expected %d" % (v["tokens"], tokens_of(v["data"])))
        v = json.loads(json.dumps(v).replace(index_path, "INDEX"))
        if v.get("ok"):
            # The estimate of the data as shown (the path is INDEX there).
            v["tokens"] = tokens_of(v["data"])
        return v

    out = []
    pos = 0
    n = 0
    try:
        for m in DOC_EXAMPLE.finditer(text):
            path_query = m.group(2)
            u = urllib.parse.urlsplit(path_query)
            params = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
            got, env = s.get(u.path, params or None)
            env = normal(env)
            documented = "".join(l[4:] for l in m.group(3).splitlines(True))
            n += 1
            if a.update:
                shown = json.dumps(env, indent=2, ensure_ascii=False)
                out.append(text[pos:m.start(3)])
                out.append("".join("    " + l + "\n" for l in shown.splitlines()))
                pos = m.end(3)
                continue
            try:
                want = json.loads(documented)
            except ValueError:
                fail("%s: the documented output is not JSON" % path_query)
                continue
            if u.path == "/v1" and isinstance(want, dict) and want.get("ok"):
                # Subcommands added to the table later are served before
                # the page shows them: the documented ones must be as shown.
                have = {e["path"]: e for e in env["data"]["endpoints"]}
                missing = [e for e in want["data"]["endpoints"] if have.get(e["path"]) != e]
                extra = sorted(set(have) - {e["path"] for e in want["data"]["endpoints"]})
                if extra:
                    print("note: endpoints the page does not show yet: " + ", ".join(extra))
                rest_want = dict(want, data=dict(want["data"], endpoints=None))
                rest_env = dict(env, data=dict(env["data"], endpoints=None))
                if missing or rest_want != rest_env:
                    fail("/v1: the listing differs from docs/serve.md: %s" % json.dumps(missing)[:500])
                else:
                    ok("%s (HTTP %d) as documented" % (path_query, got))
                continue
            if want != env:
                fail("%s: the server answers differently from docs/serve.md: %s"
                     % (path_query, "; ".join(differences(want, env))[:2000]))
            else:
                ok("%s (HTTP %d) as documented" % (path_query, got))
        if a.update:
            out.append(text[pos:])
            open(a.doc, "w", encoding="utf-8").write("".join(out))
        if n == 0:
            fail("no examples found in %s" % a.doc)
    finally:
        s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--root")
    ap.add_argument("--edit")
    ap.add_argument("--with", dest="with_")
    ap.add_argument("--build")
    ap.add_argument("--new-symbol")
    ap.add_argument("--doc")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    {"table": mode_table, "errors": mode_errors, "source": mode_source,
     "generations": mode_generations, "docs": mode_docs, "cli": mode_cli}[a.mode](a)
    if FAILS:
        sys.exit(1)


if __name__ == "__main__":
    main()
