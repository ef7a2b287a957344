#!/usr/bin/env python3
"""Prints a code-index graph export as sorted, readable lines for FileCheck.

  entity KIND QUALIFIED_NAME | SIGNATURE | flags | FILE:LINE:COL | def|decl|external [access] [test]
  edge KIND FROM -> TO | FILE:LINE:COL[ virtual][ candidate], ...
  file PATH | role | status
  include-edges use file:PATH endpoints; entity endpoints use the qualified
  name, or the signature when several entities share a qualified name.
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("graph")
    ap.add_argument("--no-external", action="store_true",
                    help="omit external entities and edges to them")
    ap.add_argument("--edges", default="", help="comma-separated edge kinds to print (default all)")
    ap.add_argument("--section", default="entities,edges",
                    help="comma-separated: entities, edges, files, tests, diagnostics, units")
    a = ap.parse_args()
    g = json.load(open(a.graph, encoding="utf-8"))
    ents = {e["id"]: e for e in g["entities"]}
    files = {f["id"]: f for f in g["files"]}
    count = {}
    for e in g["entities"]:
        count[e["qualified_name"]] = count.get(e["qualified_name"], 0) + 1

    def label(i):
        if i in files:
            return "file:" + files[i]["path"]
        e = ents.get(i)
        if e is None:
            return "?" + i
        return e["signature"] if count[e["qualified_name"]] > 1 else e["qualified_name"]

    sections = a.section.split(",")
    out = []
    if "files" in sections:
        for f in sorted(g["files"], key=lambda f: f["path"]):
            if a.no_external and f["role"] == "system":
                continue
            out.append("file %s | %s | %s | %s" % (f["path"], f["role"], f["language"], f["status"]))
    if "entities" in sections:
        lines = []
        for e in g["entities"]:
            if a.no_external and e["external"]:
                continue
            state = "external" if e["external"] else ("def" if e["is_definition"] else "decl")
            extra = ""
            if "access" in e:
                extra += " " + e["access"]
            if e.get("is_test"):
                extra += " test"
            if e["parent"]:
                extra += " parent=" + label(e["parent"])
            lines.append("entity %s %s | %s | %s | %s:%d:%d | %s%s" % (
                e["kind"], e["qualified_name"], e["signature"], ",".join(e["flags"]),
                e["file"], e["line"], e["column"], state, extra))
        out += sorted(lines)
    if "edges" in sections:
        kinds = set(k for k in a.edges.split(",") if k)
        lines = []
        for ed in g["edges"]:
            if kinds and ed["kind"] not in kinds:
                continue
            if a.no_external and ((ed["to"] in ents and ents[ed["to"]]["external"]) or
                                  (ed["to"] in files and files[ed["to"]]["role"] == "system")):
                continue
            sites = ", ".join("%s:%d:%d%s%s" % (s["file"], s["line"], s["column"],
                                                " virtual" if s.get("virtual") else "",
                                                " candidate" if s.get("candidate") else "")
                              for s in ed["sites"])
            attrs = ""
            if ed["kind"] == "inherits":
                attrs = " [%s%s]" % (ed["access"], " virtual" if ed["virtual"] else "")
            lines.append("edge %s %s -> %s%s | %s" % (ed["kind"], label(ed["from"]),
                                                      label(ed["to"]), attrs, sites))
        out += sorted(lines)
    if "tests" in sections:
        for t in g["test_files"]:
            out.append("test-file %s | %s" % (t["path"], "; ".join(t["reasons"])))
    if "diagnostics" in sections:
        for d in g["diagnostics"]:
            out.append("diagnostic %s %s:%d:%d %s" % (d["severity"], d["file"], d["line"],
                                                      d["column"], d["message"]))
    if "units" in sections:
        for t in g["translation_units"]:
            out.append("tu %s | %s%s" % (t["file"], t["status"],
                                          " | " + t["reason"] if "reason" in t else ""))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
