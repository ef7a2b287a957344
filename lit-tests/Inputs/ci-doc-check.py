#!/usr/bin/env python3
"""ci-doc-check.py DOC SRC_ROOT REPO

Keeps the CI jobs of DOC (docs/ci.md: the ```yaml blocks after
`<!-- ci: NAME -->`) true to the scripts they call: each block parses as
YAML; every scripts/*.sh it runs exists; every REVIEW_* setting it sets is
one that scripts/review.sh reads; every build/code-index/review/... path it
caches or uploads is one that review.sh wrote in REPO (a checkout where it
ran). Prints one line per block, or what is wrong, and exits 1 then.
"""
import os
import re
import sys

import yaml

doc, src, repo = sys.argv[1:4]
text = open(doc, encoding="utf-8").read()
blocks = re.findall(r"<!-- ci: ([\w-]+) -->\s*```yaml\n(.*?)```", text, re.S)
script = open(os.path.join(src, "scripts", "review.sh"), encoding="utf-8").read()
status = 0
if not blocks:
    print("no CI jobs in " + doc)
    sys.exit(1)
for name, block in blocks:
    problems = []
    try:
        job = yaml.safe_load(block)
    except yaml.YAMLError as e:
        problems.append("not YAML: %s" % e)
        job = None
    scripts = sorted(set(re.findall(r"scripts/[\w-]+\.sh", block)))
    for s in scripts:
        if not os.path.isfile(os.path.join(src, s)):
            problems.append("no " + s)
    settings = sorted(set(re.findall(r"\b(REVIEW_\w+)", block)))
    for v in settings:
        if "${%s" % v not in script and "$%s" % v not in script:
            problems.append("review.sh does not read " + v)
    paths = sorted(set(p.rstrip("/") for p in re.findall(r"build/code-index/review/[\w./-]*", block)))
    for p in paths:
        if not os.path.exists(os.path.join(repo, p)):
            problems.append("review.sh wrote no " + p)
    if problems:
        status = 1
        print("%s: %s" % (name, "; ".join(problems)))
    else:
        print("%s: %s; %s; %s" % (name, " ".join(scripts), " ".join(settings), " ".join(paths)))
sys.exit(status)
