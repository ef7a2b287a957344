#!/usr/bin/env python3
"""list-test-cases.py EXPORT

Prints one line per test case of a JSON export, sorted by test name:
"case FRAMEWORK TEST_NAME | KIND NAME | FILE:LINE".
"""
import json
import sys

g = json.load(open(sys.argv[1]))
for e in sorted((e for e in g["entities"] if e["is_test"]), key=lambda e: e["test_name"]):
    print("case %s %s | %s %s | %s:%d" % (e["test_framework"], e["test_name"], e["kind"],
                                        e["name"], e["file"], e["line"]))
