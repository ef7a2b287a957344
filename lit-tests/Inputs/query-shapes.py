#!/usr/bin/env python3
"""query-shapes.py DOC NAME [FILE]

Checks that a JSON document (FILE, or stdin) has the shape documented in DOC
(docs/querying.md) under the marker `<!-- shape: NAME -->`, so the documented
shapes and the tool's `--format json` output cannot drift apart.

A shape is the fenced ```json block after the marker. Its values name types:
  "string", "int", "number", "bool", "id" (16 hex digits), "object" (any
  object: a record of the export, documented in the graph schema),
  "A|B" (either, e.g. "ref|null"), the name of another shape (e.g. "ref"),
  [X] a list of X, {"*": X} an object with any keys whose values are X.
Objects must have exactly the documented keys, except keys documented with
a trailing "?" which may be absent.
Prints nothing and exits 0 on success; otherwise prints every mismatch.
"""
import json
import re
import sys


def load_shapes(doc):
    text = open(doc, encoding="utf-8").read()
    shapes = {}
    for m in re.finditer(r"<!-- shape: ([\w-]+) -->\s*```json\n(.*?)```", text, re.S):
        shapes[m.group(1)] = json.loads(m.group(2))
    return shapes


def check(shapes, shape, value, path, errors):
    if isinstance(shape, str):
        alts = shape.split("|")
        errs = []
        for alt in alts:
            e = []
            check_one(shapes, alt, value, path, e)
            if not e:
                return
            errs.append(e)
        errors.extend(min(errs, key=len))
        return
    if isinstance(shape, list):
        if not isinstance(value, list):
            errors.append("%s: expected a list, got %s" % (path, json.dumps(value)[:60]))
            return
        for i, v in enumerate(value):
            check(shapes, shape[0], v, "%s[%d]" % (path, i), errors)
        return
    if not isinstance(value, dict):
        errors.append("%s: expected an object, got %s" % (path, json.dumps(value)[:60]))
        return
    if list(shape.keys()) == ["*"]:
        for k, v in value.items():
            check(shapes, shape["*"], v, "%s.%s" % (path, k), errors)
        return
    keys = {k.rstrip("?"): k.endswith("?") for k in shape}
    for k, optional in keys.items():
        if k not in value and not optional:
            errors.append("%s: missing key '%s'" % (path, k))
    for k in value:
        if k not in keys:
            errors.append("%s: undocumented key '%s'" % (path, k))
    for k, s in shape.items():
        name = k.rstrip("?")
        if name in value:
            check(shapes, s, value[name], "%s.%s" % (path, name), errors)


def check_one(shapes, t, value, path, errors):
    ok = {
        "string": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "id": lambda v: isinstance(v, str) and re.fullmatch(r"[0-9a-f]{16}", v) is not None,
        "any": lambda v: True,
        "object": lambda v: isinstance(v, dict),
    }
    if t in ok:
        if not ok[t](value):
            errors.append("%s: expected %s, got %s" % (path, t, json.dumps(value)[:60]))
        return
    if t not in shapes:
        errors.append("%s: the documentation has no shape '%s'" % (path, t))
        return
    check(shapes, shapes[t], value, path, errors)


def main():
    doc, name = sys.argv[1], sys.argv[2]
    data = json.load(open(sys.argv[3]) if len(sys.argv) > 3 else sys.stdin)
    shapes = load_shapes(doc)
    if name not in shapes:
        print("no shape '%s' in %s" % (name, doc))
        return 1
    errors = []
    check(shapes, shapes[name], data, name, errors)
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
