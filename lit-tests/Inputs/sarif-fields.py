# sarif-fields.py LOG: prints the SARIF log's facts and checks the
# fields SARIF 2.1.0 and GitHub code scanning require: $schema, version,
# runs[].tool.driver.name and .rules[].id, results[].ruleId (a rule of the
# driver, at ruleIndex), .level, .message.text, .locations[]
# .physicalLocation.artifactLocation.uri (relative, no "..") and
# .region.startLine (>= 1).
import json
import sys

log = json.load(open(sys.argv[1]))
missing = []


def need(cond, what):
    if not cond:
        missing.append(what)


print("$schema: " + log.get("$schema", "MISSING"))
print("version: " + log.get("version", "MISSING"))
need(log.get("version") == "2.1.0", "version")
runs = log.get("runs")
need(isinstance(runs, list) and runs, "runs")
print("runs: %d" % len(runs or []))
for run in runs or []:
    driver = run.get("tool", {}).get("driver", {})
    need(driver.get("name"), "runs[].tool.driver.name")
    print("driver: %s %s" % (driver.get("name"), driver.get("version")))
    rules = driver.get("rules", [])
    need(isinstance(rules, list) and rules, "runs[].tool.driver.rules")
    ids = [r.get("id") for r in rules]
    for r in rules:
        need(r.get("id"), "rules[].id")
        need(r.get("shortDescription", {}).get("text"), "rules[].shortDescription")
        print("rule %s: %s: %s" % (r.get("id"), r.get("defaultConfiguration", {}).get("level"),
                                   r.get("shortDescription", {}).get("text")))
    need(isinstance(run.get("results"), list), "runs[].results")
    for res in run.get("results", []):
        need(res.get("ruleId") in ids, "results[].ruleId")
        need(ids[res.get("ruleIndex", 0)] == res.get("ruleId"), "results[].ruleIndex")
        need(res.get("level") in ("none", "note", "warning", "error"), "results[].level")
        need(res.get("message", {}).get("text"), "results[].message.text")
        locs = res.get("locations", [])
        need(locs, "results[].locations")
        for loc in locs:
            phys = loc.get("physicalLocation", {})
            art = phys.get("artifactLocation", {})
            uri = art.get("uri", "")
            need(uri and not uri.startswith("/") and ".." not in uri, "artifactLocation.uri")
            line = phys.get("region", {}).get("startLine", 0)
            need(isinstance(line, int) and line >= 1, "region.startLine")
            print("result %s %s %s:%d %s %s" % (res.get("ruleId"), res.get("level"), uri, line,
                                                art.get("uriBaseId"), res["message"]["text"]))
print("all required fields present" if not missing else "MISSING: " + ", ".join(missing))
