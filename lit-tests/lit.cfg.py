# -*- Python -*-
import os
import shutil
import sys
import lit.formats

config.name = "CodeIndex"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.code_index_obj_root, "lit-tests")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, os.path.dirname(config.code_indexer),
     config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["LC_ALL"] = "C.UTF-8"

inputs = os.path.join(config.test_source_root, "Inputs")
config.substitutions.append(("%code-indexer", config.code_indexer))
config.substitutions.append(
    ("%summary", config.python_executable + " " + os.path.join(inputs, "graph-summary.py")))
config.substitutions.append(
    ("%validate", config.python_executable + " " + os.path.join(inputs, "validate-schema.py")
     + " " + os.path.join(config.code_index_src_root, "docs", "graph.schema.json")))
# %index FILE: index one source file with the given flags into %t.json.
config.substitutions.append(("%inputs", inputs))
# %shapes NAME: checks JSON on stdin against the shape NAME documented in
# docs/querying.md.
config.substitutions.append(
    ("%shapes", config.python_executable + " " + os.path.join(inputs, "query-shapes.py")
     + " " + os.path.join(config.code_index_src_root, "docs", "querying.md")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%src_root", config.code_index_src_root))
config.substitutions.append(("%obj_root", config.code_index_obj_root))

if config.has_rocksdb:
    config.available_features.add("rocksdb")
if config.has_lmdb:
    config.available_features.add("lmdb")
# scripts/install-deps.sh installs jq; without it the jq recipe test is
# reported unsupported rather than failed.
if shutil.which("jq"):
    config.available_features.add("jq")

# %clang builds helper libraries in the hostile-flags tests.
config.substitutions.append(("%clang", config.clang))
# %same-graph A B: two exports hold the same graph (the "run" object aside).
config.substitutions.append(
    ("%same-graph", config.python_executable + " " + os.path.join(inputs, "same-graph.py")))
# Permission tests mean nothing as root, which ignores file modes.
if hasattr(os, "geteuid") and os.geteuid() != 0:
    config.available_features.add("non-root")
# A read-only bind mount in a private mount namespace (root with
# CAP_SYS_ADMIN): makes an index read-only even for root.
if sys.platform.startswith("linux") and shutil.which("unshare"):
    import subprocess, tempfile
    with tempfile.TemporaryDirectory() as probe:
        if subprocess.call(["unshare", "-m", "sh", "-c",
                            "mount --bind -o ro \"$1\" \"$1\" && ! touch \"$1/x\"",
                            "sh", probe],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0:
            config.available_features.add("ro-bind-mount")
# Sanitizer builds (CMakePresets.json): ASan reserves terabytes of address
# space for its shadow memory (no `ulimit -v` test can run) and its larger
# frames change what fits in a thread's stack.
if "address" in getattr(config, "sanitize", ""):
    config.available_features.add("asan")
# --tu-memory limits a worker's address space (RLIMIT_AS), which only Linux
# enforces.
if sys.platform.startswith("linux"):
    config.available_features.add("linux")
if shutil.which("mdb_dump") and shutil.which("mdb_load"):
    config.available_features.add("lmdb-utils")
# Graphviz's `dot` renders the pictures of the documentation's examples.
if shutil.which("dot"):
    config.available_features.add("graphviz")
# Headless Chromium loads the HTML diff report (diff-html-chromium.test);
# without it that test is unsupported rather than failed. %chromium logs the
# page's console to stderr (lines with "CONSOLE").
_chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if _chromium:
    config.available_features.add("chromium")
    config.substitutions.append(
        ("%chromium", _chromium + " --headless --no-sandbox --disable-gpu"
         " --no-first-run --enable-logging=stderr --v=0"))
# Test frameworks the test-case tests build against (scripts/install-deps.sh:
# libgtest-dev, catch2, doctest-dev, libboost-test-dev); the CMake samples
# also need cmake and ninja.
for feature, header in [("gtest", "/usr/include/gtest/gtest.h"),
                        ("catch2", "/usr/include/catch2/catch.hpp"),
                        ("doctest", "/usr/include/doctest/doctest.h"),
                        ("boost-test", "/usr/include/boost/test/included/unit_test.hpp")]:
    if os.path.exists(header):
        config.available_features.add(feature)
if shutil.which("cmake") and shutil.which("ninja") and shutil.which("ctest"):
    config.available_features.add("cmake")
