# Prints "NAME ID line=L usr=USR" for each macro of an export, sorted by
# name and line (a helper of macro-ids.test).
import json
import sys

g = json.load(open(sys.argv[1], encoding="utf-8"))
rows = []
for e in g["entities"]:
    if e["kind"] == "macro" and not e.get("external"):
        rows.append((e["name"], e["line"], e["id"], e["usr"]))
for name, line, i, usr in sorted(rows):
    print("%s %s line=%d usr=%s" % (name, i, line, usr))
