#!/usr/bin/env python3
"""validate-schema.py SCHEMA EXPORT

Validates a code-index/graph export against docs/graph.schema.json, then
checks the invariants the schema language cannot express (docs/graph-schema.md,
"Guarantees"): sorted and unique arrays, edges whose ends exist, stats that
match the arrays. Prints "valid: N entities, M edges" or one line per problem
and exits 1.

The validator implements the subset of JSON Schema 2020-12 the schema uses
(type, const, enum, pattern, minimum, maximum, minLength, minItems,
uniqueItems, required, properties, additionalProperties, items, oneOf, local
$ref), so the tests need nothing beyond Python's standard library.
"""
import json
import re
import sys

EDGE_KINDS = ["calls", "references", "uses_type", "inherits", "overrides",
              "contains", "instantiates", "includes", "expands_macro"]
SUPPORTED = {"$schema", "$id", "$defs", "title", "description", "type", "const",
             "enum", "pattern", "minimum", "maximum", "minLength", "minItems",
             "uniqueItems", "required", "properties", "additionalProperties",
             "items", "oneOf", "$ref"}

errors = []


def fail(path, msg):
    if len(errors) < 50:
        errors.append("%s: %s" % (path or "$", msg))


def type_ok(value, t):
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "null":
        return value is None
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    raise SystemExit("validate-schema.py: unsupported type " + t)


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SystemExit("validate-schema.py: only local $ref supported: " + ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def check(root, schema, value, path, out):
    """Appends problems to out; returns nothing."""
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise SystemExit("validate-schema.py: unsupported keywords %s" % sorted(unknown))
    if "$ref" in schema:
        check(root, resolve(root, schema["$ref"]), value, path, out)
    if "type" in schema and not type_ok(value, schema["type"]):
        out.append((path, "expected %s, got %s" % (schema["type"], json.dumps(value)[:60])))
        return
    if "const" in schema and value != schema["const"]:
        out.append((path, "expected %s" % json.dumps(schema["const"])))
    if "enum" in schema and value not in schema["enum"]:
        out.append((path, "%s is not one of %s" % (json.dumps(value), schema["enum"])))
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append((path, "%r does not match %s" % (value, schema["pattern"])))
        if len(value) < schema.get("minLength", 0):
            out.append((path, "shorter than %d" % schema["minLength"]))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append((path, "%s < %s" % (value, schema["minimum"])))
        if "maximum" in schema and value > schema["maximum"]:
            out.append((path, "%s > %s" % (value, schema["maximum"])))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append((path, "fewer than %d items" % schema["minItems"]))
        if schema.get("uniqueItems"):
            seen = [json.dumps(v, sort_keys=True) for v in value]
            if len(set(seen)) != len(seen):
                out.append((path, "items are not unique"))
        if "items" in schema:
            for i, v in enumerate(value):
                check(root, schema["items"], v, "%s[%d]" % (path, i), out)
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                out.append((path, "missing required field '%s'" % k))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                check(root, props[k], v, path + "." + k, out)
            elif extra is False:
                out.append((path, "unexpected field '%s'" % k))
            elif isinstance(extra, dict):
                check(root, extra, v, path + "." + k, out)
    if "oneOf" in schema:
        matches = 0
        for alt in schema["oneOf"]:
            sub = []
            check(root, alt, value, path, sub)
            matches += not sub
        if matches != 1:
            out.append((path, "matches %d of the oneOf alternatives, not exactly 1" % matches))


def invariants(doc):
    def strictly_sorted(name, key):
        items = doc[name]
        keys = [key(x) for x in items]
        for i in range(1, len(keys)):
            if not keys[i - 1] < keys[i]:
                fail("%s[%d]" % (name, i), "not sorted or duplicate: %r after %r"
                     % (keys[i], keys[i - 1]))
                return

    strictly_sorted("files", lambda f: f["path"])
    strictly_sorted("entities", lambda e: e["id"])
    strictly_sorted("edges", lambda e: (EDGE_KINDS.index(e["kind"]), e["from"], e["to"]))
    strictly_sorted("test_files", lambda f: f["path"])
    strictly_sorted("coverage", lambda f: f["path"])
    strictly_sorted("ignored_files", lambda f: f["path"])

    file_ids = {f["id"] for f in doc["files"]}
    entity_ids = {e["id"] for e in doc["entities"]}
    if file_ids & entity_ids:
        fail("files", "ids shared with entities: %s" % sorted(file_ids & entity_ids)[:3])
    for i, e in enumerate(doc["entities"]):
        p = "entities[%d]" % i
        if e["parent"] is not None and e["parent"] not in entity_ids:
            fail(p, "parent %s is not an entity" % e["parent"])
        if e["external"] == ("hash" in e):
            fail(p, "external entities have no hash; others have one")
        if e["flags"] != sorted(e["flags"], key=FLAGS.index):
            fail(p, "flags not in documented order")
    known = file_ids | entity_ids
    for i, e in enumerate(doc["edges"]):
        p = "edges[%d]" % i
        for end in ("from", "to"):
            if e[end] not in known:
                fail(p, "%s %s is neither a file nor an entity" % (end, e[end]))
        sites = [(s["file"], s["line"], s["column"]) for s in e["sites"]]
        if sites != sorted(set(sites)):
            fail(p, "sites not sorted and unique")
        if (e["kind"] == "inherits") != ("access" in e and "virtual" in e):
            fail(p, "access/virtual are present exactly on inherits edges")

    st = doc["stats"]
    expect = {"files": len(doc["files"]), "entities": len(doc["entities"]),
              "edges": len(doc["edges"]),
              "external_entities": sum(e["external"] for e in doc["entities"]),
              "test_entities": sum(e["is_test"] for e in doc["entities"]),
              "translation_units": len(doc["translation_units"]),
              "failed_translation_units": sum(t["status"] != "ok"
                                              for t in doc["translation_units"]),
              "diagnostics": len(doc["diagnostics"]),
              "test_files": len(doc["test_files"]),
              "ignored_files": len(doc["ignored_files"])}
    for k, v in expect.items():
        if st[k] != v:
            fail("stats." + k, "is %d but the arrays hold %d" % (st[k], v))
    for k in EDGE_KINDS:
        n = sum(e["kind"] == k for e in doc["edges"])
        if st["edges_by_kind"].get(k) != n:
            fail("stats.edges_by_kind." + k, "is %s but there are %d" % (st["edges_by_kind"].get(k), n))


FLAGS = []


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    FLAGS.extend(schema["$defs"]["flag"]["enum"])
    raw = open(sys.argv[2], "rb").read()
    try:
        doc = json.loads(raw.decode("utf-8"))  # strict: invalid UTF-8 fails
    except (UnicodeDecodeError, ValueError) as e:
        print("invalid: not UTF-8 JSON: %s" % e)
        return 1
    out = []
    check(schema, schema, doc, "$", out)
    for p, m in out[:50]:
        fail(p, m)
    if not out:
        invariants(doc)
    if list(doc)[-1:] != ["run"]:
        fail("", "the run object must come last")
    if errors:
        for e in errors:
            print("invalid: " + e)
        return 1
    print("valid: %d entities, %d edges" % (len(doc["entities"]), len(doc["edges"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
