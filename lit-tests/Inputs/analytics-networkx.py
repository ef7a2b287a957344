#!/usr/bin/env python3
"""analytics-networkx.py EXPORT OUTDIR [--edges KINDS] [--external]

Checks code-indexer's analytics against NetworkX on the same graph. OUTDIR
holds the JSON answers of `code-indexer query ... --top 0 --format json`:
pagerank.json (centrality), betweenness.json (centrality --method
betweenness), layers.json and communities.json. The graph is rebuilt from
EXPORT exactly as docs/querying.md defines it: the entities at either end
of an edge of the chosen kinds, external ones left out unless --external,
no self-edges, one edge per ordered pair.

Tolerances (stated in docs/querying.md):
  * PageRank (damping 0.85; NetworkX's power iteration run to 1e-13):
    each entity's score within 1e-6 absolute.
  * Betweenness (directed, not normalised): within 1e-6 relative
    (1e-6 absolute below 1).
  * Core numbers (undirected): exactly equal.
  * Modularity of our partition, as NetworkX computes it: within 1e-9 of
    the modularity we print; our partition must cover every vertex once.
  * Our Leiden modularity against NetworkX's own Louvain (seed 1): not
    below it by more than 0.02 (both are heuristics; Leiden usually finds
    the higher one).

Prints one "ok" line per check with the figures compared; exits 1 with the
first differences when a check fails. Works with NetworkX 2.8 (Debian 12)
and 3.x; needs no SciPy.
"""
import argparse
import json
import os
import sys

import networkx as nx
from networkx.algorithms.link_analysis import pagerank_alg

ap = argparse.ArgumentParser()
ap.add_argument("export")
ap.add_argument("outdir")
ap.add_argument("--edges", default="calls")
ap.add_argument("--external", action="store_true")
args = ap.parse_args()

graph = json.load(open(args.export, encoding="utf-8"))
kinds = set(args.edges.split(","))
eligible = {e["id"] for e in graph["entities"] if args.external or not e["external"]}
D = nx.DiGraph()
for e in graph["edges"]:
    if e["kind"] in kinds and e["from"] != e["to"] and e["from"] in eligible and e["to"] in eligible:
        D.add_edge(e["from"], e["to"])
U = D.to_undirected()


def load(name):
    return json.load(open(os.path.join(args.outdir, name), encoding="utf-8"))


failed = False


def fail(msg):
    global failed
    failed = True
    print("FAIL " + msg)


def check_graph(name, j, directed):
    n, m = D.number_of_nodes(), (D.number_of_edges() if directed else U.number_of_edges())
    if j["vertices"] != n or j["edge_count"] != m:
        fail("%s: graph of %d vertices, %d edges; networkx has %d, %d"
             % (name, j["vertices"], j["edge_count"], n, m))


def scores(j):
    return {r["entity"]["id"]: r["score"] for r in j["ranking"]}


# PageRank.
pr = load("pagerank.json")
check_graph("pagerank", pr, True)
ours = scores(pr)
# The pure-Python power iteration: present in NetworkX 2.8 and 3.x, no SciPy.
theirs = pagerank_alg._pagerank_python(D, alpha=0.85, tol=1e-13, max_iter=10000)
worst = max((abs(ours.get(v, -1) - theirs[v]) for v in D), default=0.0)
if set(ours) != set(D) or worst > 1e-6:
    fail("pagerank: max difference %g over %d/%d vertices" % (worst, len(ours), len(D)))
else:
    print("ok pagerank: %d vertices, max abs difference < 1e-6" % len(D))
ranks = [r["score"] for r in pr["ranking"]]
if ranks != sorted(ranks, reverse=True):
    fail("pagerank: ranking not in descending score order")

# Betweenness.
bt = load("betweenness.json")
check_graph("betweenness", bt, True)
ours = scores(bt)
theirs = nx.betweenness_centrality(D, normalized=False)
bad = [v for v in D if abs(ours.get(v, -1) - theirs[v]) > 1e-6 * max(1.0, abs(theirs[v]))]
if set(ours) != set(D) or bad:
    fail("betweenness: %d vertices differ, e.g. %s" % (len(bad), [(v, ours.get(v), theirs[v]) for v in bad[:3]]))
else:
    print("ok betweenness: %d vertices, relative difference < 1e-6" % len(D))

# Core numbers.
ly = load("layers.json")
check_graph("layers", ly, False)
ours = {m["entity"]["id"]: l["core"] for l in ly["layers"] for m in l["members"]}
theirs = nx.core_number(U)
bad = [v for v in U if ours.get(v) != theirs[v]]
if set(ours) != set(U) or bad:
    fail("layers: %d core numbers differ, e.g. %s" % (len(bad), [(v, ours.get(v), theirs[v]) for v in bad[:3]]))
else:
    print("ok layers: %d core numbers equal, max core %d" % (len(U), ly["max_core"]))

# Communities.
cm = load("communities.json")
check_graph("communities", cm, False)
parts = [{m["entity"]["id"] for m in c["members"]} for c in cm["communities"]]
covered = set().union(*parts) if parts else set()
if sum(len(p) for p in parts) != len(covered) or covered != set(U) or len(parts) != cm["count"]:
    fail("communities: not a partition of the %d vertices" % len(U))
else:
    q = nx.community.modularity(U, parts) if U.number_of_edges() else 0.0
    if abs(q - cm["modularity"]) > 1e-9:
        fail("communities: networkx gives our partition modularity %.12f, we print %.12f" % (q, cm["modularity"]))
    else:
        print("ok communities: %d communities, modularity of our partition equal within 1e-9" % len(parts))
    louvain = nx.community.louvain_communities(U, seed=1)
    ql = nx.community.modularity(U, louvain)
    if cm["modularity"] < ql - 0.02:
        fail("communities: our modularity %.6f is below networkx's Louvain %.6f by more than 0.02" % (cm["modularity"], ql))
    else:
        print("ok communities: modularity not below networkx's Louvain by more than 0.02")
    # Figures for the record (stderr: not part of what tests check).
    print("modularity: ours %.6f (%d communities), networkx louvain %.6f (%d communities)"
          % (cm["modularity"], len(parts), ql, len(louvain)), file=sys.stderr)

sys.exit(1 if failed else 0)
