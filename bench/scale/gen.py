#!/usr/bin/env python3
"""gen.py OUT --size NAME | --tus N [--seed S]: a synthetic C++ project for the scale benchmark.

Writes OUT/include, OUT/src, OUT/tests, OUT/build/compile_commands.json and
OUT/scale.json (what was generated and which symbols the driver queries).

The project is made so that parsing stays cheap and the graph is what grows:
no system headers, small bodies, and per translation unit

  * its own header (namespace proj::modM, a class derived from the module's
    abstract base with virtual overrides, a class template, a macro, free
    functions) and its own source defining them;
  * the module header (abstract base class Shape<M> with pure virtual
    methods), the hub header (proj::core::hub0..hubH-1), and the headers of
    a few other files whose functions it calls;
  * calls with a skewed fan-in: every function calls hub0, hubs further down
    are called less often (Zipf), and cross-file callees are drawn with a
    Zipf preference for low-numbered files, so a few entities are called
    from everywhere and most from one or two places;
  * one test file per TESTS_EVERY translation units (tests/..._test.cpp),
    calling the functions of its file.

Each source file yields about 100 entities and 950 edges; --size picks
the number of translation units before the module sources and tests are
added (see SIZES; about 1.2 times as many TUs in all). Deterministic for a
seed.
Python 3 standard library only.
"""
import argparse
import json
import os
import random

# name -> translation units (about 100 entities and ~900 edges each)
SIZES = {
    "smoke": 20,      # ~1.7k entities
    "small": 110,     # ~10k entities, ~90k edges
    "medium": 550,    # ~50k entities, ~450k edges
    "large": 2700,    # ~250k entities, ~2.3M edges
    "xlarge": 11000,  # ~1M entities, ~9M edges
}

FUNCS_PER_FILE = 70
CLASSES_PER_FILE = 3
METHODS = ["area", "perimeter", "scale", "name", "draw"]
FILES_PER_MODULE = 50
HUBS = 16
TESTS_EVERY = 5
CROSS_CALLS = 4     # calls to other files' functions per function
CROSS_FILES = 4     # other files' headers each TU includes


def zipf_index(rng, n, s=1.1):
    """An index in [0, n) drawn with probability ~ 1/(i+1)^s."""
    # Inverse-CDF on a precomputed table would be faster; n is small here.
    weights = zipf_index.cache.get((n, s))
    if weights is None:
        total = 0.0
        weights = []
        for i in range(n):
            total += 1.0 / (i + 1) ** s
            weights.append(total)
        zipf_index.cache[(n, s)] = weights
    x = rng.random() * weights[-1]
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if weights[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


zipf_index.cache = {}


def module_of(f):
    return f // FILES_PER_MODULE


def header_path(f):
    return "include/mod%d/file%d.h" % (module_of(f), f)


def source_path(f):
    return "src/mod%d/file%d.cpp" % (module_of(f), f)


def test_path(f):
    return "tests/mod%d/file%d_test.cpp" % (module_of(f), f)


def func(f, j):
    return "f%d_%d" % (f, j)


def write(out, rel, text):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def gen_core(out):
    h = ["#pragma once", "namespace proj {", "namespace core {"]
    c = ['#include "core/hubs.h"', "namespace proj {", "namespace core {",
         "static int counter = 0;"]
    for i in range(HUBS):
        h.append("int hub%d(int x);" % i)
        c.append("int hub%d(int x) { counter += x; return counter + %d; }" % (i, i))
    h += ["}  // namespace core", "}  // namespace proj",
          "#define PROJ_CHECK(x) ((x) ? 0 : ::proj::core::hub0(1))"]
    c += ["}  // namespace core", "}  // namespace proj"]
    write(out, "include/core/hubs.h", "\n".join(h) + "\n")
    write(out, "src/core/hubs.cpp", "\n".join(c) + "\n")


def gen_module_header(out, m):
    h = ["#pragma once", "namespace proj {", "namespace mod%d {" % m,
         "class Shape%d {" % m, "public:", "  virtual ~Shape%d();" % m]
    for meth in METHODS:
        h.append("  virtual int %s(int k) const = 0;" % meth)
    h += ["};", "int module%d_total(const Shape%d &s);" % (m, m),
          "}  // namespace mod%d" % m, "}  // namespace proj"]
    write(out, "include/mod%d/module.h" % m, "\n".join(h) + "\n")
    c = ['#include "mod%d/module.h"' % m, '#include "core/hubs.h"',
         "namespace proj {", "namespace mod%d {" % m,
         "Shape%d::~Shape%d() {}" % (m, m),
         "int module%d_total(const Shape%d &s) {" % (m, m),
         "  return " + " + ".join("s.%s(%d)" % (meth, i)
                                  for i, meth in enumerate(METHODS)) +
         " + core::hub1(2);", "}",
         "}  // namespace mod%d" % m, "}  // namespace proj"]
    write(out, "src/mod%d/module.cpp" % m, "\n".join(c) + "\n")


def gen_file(out, f, n_files, rng):
    m = module_of(f)
    ns = "mod%d" % m
    # The header: what other files see.
    h = ["#pragma once", '#include "mod%d/module.h"' % m,
         "#define F%d_SQUARE(x) ((x) * (x))" % f,
         "namespace proj {", "namespace %s {" % ns]
    for j in range(FUNCS_PER_FILE):
        h.append("int %s(int x);" % func(f, j))
    for k in range(CLASSES_PER_FILE):
        h += ["class C%d_%d : public Shape%d {" % (f, k, m), "public:"]
        for meth in METHODS:
            h.append("  int %s(int k) const override;" % meth)
        h += ["private:", "  int v_ = %d;" % k, "};"]
    h += ["template <typename T> struct Box%d {" % f,
          "  T value;",
          "  T get() const { return value; }",
          "};",
          "int f%d_leaf(int x);" % f,
          "}  // namespace %s" % ns, "}  // namespace proj"]
    write(out, header_path(f), "\n".join(h) + "\n")

    # Other files this one calls: Zipf-skewed towards low file numbers.
    others = sorted({zipf_index(rng, n_files) for _ in range(CROSS_FILES)} - {f})
    c = ['#include "%s"' % header_path(f)[len("include/"):],
         '#include "core/hubs.h"']
    for o in others:
        c.append('#include "%s"' % header_path(o)[len("include/"):])
    c += ["namespace proj {", "namespace %s {" % ns]
    for j in range(FUNCS_PER_FILE):
        body = ["  int r = core::hub0(x);"]
        for _ in range(2):
            body.append("  r += core::hub%d(r);" % zipf_index(rng, HUBS))
        if j > 0:
            body.append("  r += %s(r);" % func(f, rng.randrange(j)))
        for _ in range(CROSS_CALLS):
            if not others:
                break
            o = rng.choice(others)
            body.append("  r += ::proj::mod%d::%s(r);" %
                        (module_of(o), func(o, zipf_index(rng, FUNCS_PER_FILE))))
        body.append("  Box%d<int> b{r};" % f)
        body.append("  r += F%d_SQUARE(b.get()) + PROJ_CHECK(r);" % f)
        c.append("int %s(int x) {\n%s\n  return r;\n}" % (func(f, j), "\n".join(body)))
    for k in range(CLASSES_PER_FILE):
        for i, meth in enumerate(METHODS):
            c.append("int C%d_%d::%s(int k) const { return %s(k + v_) + %d; }" %
                     (f, k, meth, func(f, (k * len(METHODS) + i) % FUNCS_PER_FILE), i))
    c.append("int f%d_leaf(int x) { return x + %d; }" % (f, f))
    c.append("int f%d_use_shapes() {" % f)
    c.append("  C%d_0 a; C%d_%d b;" % (f, f, CLASSES_PER_FILE - 1))
    c.append("  return module%d_total(a) + module%d_total(b);" % (m, m))
    c.append("}")
    c += ["}  // namespace %s" % ns, "}  // namespace proj"]
    write(out, source_path(f), "\n".join(c) + "\n")


def gen_test(out, f):
    m = module_of(f)
    t = ['#include "%s"' % header_path(f)[len("include/"):],
         '#include "testing.h"',
         "namespace {"]
    for j in range(0, FUNCS_PER_FILE, 8):
        t.append("TEST_CASE(File%d, Calls%d) { expect(::proj::mod%d::%s(%d) != 0); }"
                 % (f, j, m, func(f, j), j))
    t.append("TEST_CASE(File%d, Leaf) { expect(::proj::mod%d::f%d_leaf(1) == %d); }"
             % (f, m, f, f + 1))
    t += ["}  // namespace", "int main() { return 0; }"]
    write(out, test_path(f), "\n".join(t) + "\n")


def generate(out, tus, seed):
    rng = random.Random(seed)
    # TUs: the hub source, one module source per module, then files.
    modules = max(1, (tus + FILES_PER_MODULE - 1) // FILES_PER_MODULE)
    n_files = max(1, tus - 1 - modules)
    gen_core(out)
    write(out, "include/testing.h", "\n".join([
        "#pragma once",
        "#define TEST_CASE(suite, name) void suite##_##name##_test()",
        "inline void expect(bool) {}"]) + "\n")
    for m in range(module_of(n_files - 1) + 1):
        gen_module_header(out, m)
    for f in range(n_files):
        gen_file(out, f, n_files, rng)
    tests = [f for f in range(n_files) if f % TESTS_EVERY == TESTS_EVERY - 1]
    for f in tests:
        gen_test(out, f)

    sources = ["src/core/hubs.cpp"]
    sources += ["src/mod%d/module.cpp" % m for m in range(module_of(n_files - 1) + 1)]
    sources += [source_path(f) for f in range(n_files)]
    sources += [test_path(f) for f in tests]
    build = os.path.join(out, "build")
    os.makedirs(build, exist_ok=True)
    commands = [{
        "directory": build,
        "file": os.path.join(out, s),
        "arguments": ["clang++", "-std=c++17", "-I" + os.path.join(out, "include"),
                      "-c", os.path.join(out, s), "-o", s.replace("/", "_") + ".o"],
    } for s in sources]
    with open(os.path.join(build, "compile_commands.json"), "w") as fh:
        json.dump(commands, fh, indent=1)

    # The leaf: a function of the last tested file, called by its test only.
    last = tests[-1] if tests else n_files - 1
    info = {
        "translation_units": len(sources),
        "files": n_files,
        "tests": len(tests),
        "estimated_entities": n_files * (FUNCS_PER_FILE + CLASSES_PER_FILE *
                                         (len(METHODS) + 2) + 5) + HUBS,
        "seed": seed,
        # What the driver queries: a hub (called from everywhere) and a leaf
        # (called from one test), and their class-level counterparts.
        "hub": "proj::core::hub0",
        "leaf": "proj::mod%d::f%d_leaf" % (module_of(last), last),
        "hub_class": "proj::mod0::Shape0",
        "leaf_class": "proj::mod%d::C%d_1" % (module_of(last), last),
        "hub_method": "proj::mod0::Shape0::area",
        "leaf_method": "proj::mod%d::C%d_1::area" % (module_of(last), last),
        "hub_file": "include/core/hubs.h",
        "leaf_file": source_path(last),
        "hub_search": "f1",  # a prefix of thousands of names
        "leaf_search": "f%d_le" % last,
    }
    with open(os.path.join(out, "scale.json"), "w") as fh:
        json.dump(info, fh, indent=1)
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--size", choices=sorted(SIZES, key=SIZES.get))
    g.add_argument("--tus", type=int,
                   help="translation units before module sources and tests (>= 4)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    tus = SIZES[a.size] if a.size else a.tus
    if tus < 4:
        ap.error("--tus must be at least 4")
    info = generate(os.path.abspath(a.out), tus, a.seed)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
