#!/usr/bin/env python3
"""oracle-compare.py: checks a code-indexer export against libclang's indexer.

libclang's indexing API (`c-index-test-19 -index-file`, Debian's
clang-tools-19) is an independent indexer built on the same Clang: it
reports every declaration and every reference it sees, with the USR of the
entity and of the one containing the reference. This script runs it over
every translation unit of a compile database, keeps what lies in the
project's own files, and compares it with code-indexer's JSON export:

  definitions   the USRs defined in project files
  call pairs    (caller, callee) of `calls` edges
  call sites    (file, line, column, callee) of `calls` sites
  references    (file, line, column, target) of `references` sites
  type uses     (file, line, column, type) of `uses_type` and `inherits` sites

For each category it prints recall (how much of libclang's set the export
has) and precision (how much of the export libclang confirms), after
setting aside the documented, deliberate differences (docs/precision.md):
those are counted per reason, never hidden. Whatever remains is listed as
unexplained misses and extras, with examples; an unexplained entry is a bug
in one of the two indexers.

Usage:
  bench/get-corpus.sh leveldb /tmp/corpora/leveldb
  code-indexer extract -p /tmp/corpora/leveldb --db mem --json leveldb.json
  bench/oracle-compare.py -p /tmp/corpora/leveldb --export leveldb.json

  -p DIR            the compile database (DIR/compile_commands.json)
  --export FILE     code-indexer's JSON export of that database
  --cache DIR       keeps libclang's filtered output per TU (default
                    DIR/oracle-cache beside the database); a rerun reuses it
  --oracle FILE...  compare with saved libclang output instead of running it
                    (the files --cache writes; for the self-test)
  --jobs N          TUs indexed in parallel (default 2)
  --top N           unexplained examples listed per category (default 10)
  --markdown FILE   also write the table as Markdown
  --fail-on-unexplained  exit 1 if anything is unexplained

Each TU is indexed with its compile command as code-indexer sees it after
sanitising: the compiler, `-c`, the outputs (`-o`, `-MF`, `-MT`, `-MQ`,
`-MD`, `-MMD`) and the main file are dropped, `-w` is added; identical
commands are indexed once. The corpora are trusted (Debian source
packages): this is not code-indexer's sanitiser, only its effect on an
ordinary command.
"""
import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

# --- libclang's output -----------------------------------------------------

DECL_RE = re.compile(
    r"^\[indexDeclaration\]: kind: (?P<kind>.*?) \| name: (?P<name>.*?) \| "
    r"USR: (?P<usr>.*?) \| lang: .*? \| cursor: .*? \| loc: (?P<loc>\S+) \| "
    r"semantic-container: .*? \| isRedecl: \d \| isDef: (?P<def>\d) \| "
    r"isContainer: \S+ \| isImplicit: (?P<implicit>\d)")
REF_RE = re.compile(
    r"^\[indexEntityReference\]: kind: (?P<kind>.*?) \| name: (?P<name>.*?) \| "
    r"USR: (?P<usr>.*?) \| lang: .*? \| cursor: (?P<cursor>.*?) \| "
    r"loc: (?P<loc>\S+) \| <parent>:: (?P<parent>.*?) \| "
    r"container: .*? \| refkind: (?P<refkind>\S+) \| role: (?P<role>.*)$")
# A base specifier, listed under its class's [indexDeclaration].
BASE_RE = re.compile(
    r"^\s+<base>: kind: (?P<kind>.*?) \| name: .*? \| USR: (?P<usr>.*?) \| "
    r"lang: .*? \| cursor: .*? \| loc: (?P<loc>\S+)$")
PARENT_RE = re.compile(r"kind: (?P<kind>.*?) \| name: .*? \| USR: (?P<usr>.*?) \| lang:")

TYPE_KINDS = {"struct", "c++-class", "union", "enum", "typedef", "type-alias",
              "c++-class-template", "type-alias-template",
              "struct-template-spec", "class-template-spec",
              "union-template-spec", "c++-class-template-spec",
              "struct-template-partial-spec", "c++-class-template-partial-spec",
              "union-template-partial-spec"}
VALUE_KINDS = {"variable", "field", "enumerator", "c++-static-var",
               "function", "function-template", "c++-instance-method",
               "c++-static-method", "c++-instance-method-template",
               "c++-static-method-template", "constructor",
               "constructor-template", "destructor", "conversion-func",
               "conversion-func-template"}
# Declarations that are not entities of the graph.
NON_ENTITY_DECL_KINDS = {"namespace", "namespace-alias", "using",
                         "template-type-parameter", "parameter"}


def split_loc(loc, main, cwd):
    """'12:3' (main file) or 'path:12:3' -> (absolute path, line, column)."""
    parts = loc.rsplit(":", 2)
    if len(parts) == 2:
        path = main
        line, col = parts
    else:
        path, line, col = parts
    if not os.path.isabs(path):
        path = os.path.join(cwd, path)
    return os.path.normpath(path), int(line), int(col)


def records(text):
    """c-index-test's output, one record per line: a declaration with a doc
    comment spans several lines (the comment's parse, `// CHECK: ...`)."""
    out = []
    for line in text.splitlines():
        if line.startswith("[") or re.match(r"^\s+<", line) or not out:
            out.append(line)
        else:
            out[-1] += " " + line.strip()
    return out


def run_oracle(tu, root, cache_dir):
    """Indexes one TU with libclang; returns the path of its filtered output
    (the lines whose location is under ROOT, with a header naming the main
    file and the working directory)."""
    key = hashlib.sha1(json.dumps([tu["file"], tu["directory"], tu["args"]]).encode())
    out = os.path.join(cache_dir, key.hexdigest()[:16] + ".txt")
    if os.path.exists(out):
        return out
    cmd = ["c-index-test-19", "-index-file", tu["file"]] + tu["args"]
    p = subprocess.run(cmd, cwd=tu["directory"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, errors="replace")
    prefix = root.rstrip("/") + "/"
    kept = ["#main " + tu["file"], "#cwd " + tu["directory"]]
    main = tu["file"]
    for line in records(p.stdout):
        m = DECL_RE.match(line) or REF_RE.match(line) or BASE_RE.match(line)
        if not m:
            continue
        path, _, _ = split_loc(m["loc"], main, tu["directory"])
        if path.startswith(prefix):
            kept.append(line)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(kept) + "\n")
    os.replace(tmp, out)
    return out


OUTPUT_FLAGS = {"-o", "-MF", "-MT", "-MQ"}
DROPPED_FLAGS = {"-c", "-MD", "-MMD", "-MP"}


def load_compdb(path):
    """The compile database's TUs with the arguments libclang gets."""
    entries = json.load(open(path))
    seen = set()
    tus = []
    for e in entries:
        argv = e.get("arguments") or shlex.split(e["command"])
        directory = e["directory"]
        main = os.path.normpath(os.path.join(directory, e["file"]))
        args = []
        i = 1
        while i < len(argv):
            a = argv[i]
            if a in OUTPUT_FLAGS:
                i += 2
                continue
            if a in DROPPED_FLAGS or any(a.startswith(f) and len(a) > len(f)
                                         for f in ("-o", "-MF", "-MT", "-MQ")):
                i += 1
                continue
            if os.path.normpath(os.path.join(directory, a)) == main:
                i += 1
                continue
            args.append(a)
            i += 1
        args.append("-w")
        key = (main, directory, tuple(args))
        if key in seen:
            continue
        seen.add(key)
        tus.append({"file": main, "directory": directory, "args": args})
    return tus


# --- the two sides as sets of facts ----------------------------------------

def normalize_usr(usr):
    """code-indexer names a file-local symbol's file by its root-relative
    path where Clang uses the base name (c:util.cc@F@f), and gives each
    file's main() its own entity: map both back to Clang's spelling."""
    m = re.match(r"^c:([^@]*/)?([^@/]*)(@.*)$", usr)
    if m and (m.group(1) or m.group(2)):
        rest = m.group(3)
        if re.match(r"^@F@main(#|$)", rest):
            return "c:" + rest
        return "c:" + m.group(2) + rest
    return usr


class Oracle:
    """libclang's facts in project files."""

    def __init__(self, root):
        self.root = root.rstrip("/") + "/"
        self.defs = {}          # usr -> (kind, name, (file, line, col))
        self.decl_at = {}       # (file, line, col) -> usr of declarations
        self.implicit_defs = set()
        self.decls_of = collections.defaultdict(set)  # usr -> {(file, line, col)}
        self.base_repeats = set()  # (file, line, col, target) of TypeRefs in base specifiers
        self.refs = set()       # (file, line, col, target, parent, kind, role)

    def rel(self, path):
        return path[len(self.root):]

    def read(self, path):
        main = cwd = ""
        last_decl = None
        for line in open(path, errors="replace"):
            line = line.rstrip("\n")
            if line.startswith("#main "):
                main = line[6:]
                continue
            if line.startswith("#cwd "):
                cwd = line[5:]
                continue
            m = DECL_RE.match(line)
            if m:
                f, l, c = split_loc(m["loc"], main, cwd)
                if not f.startswith(self.root):
                    continue
                usr = m["usr"]
                last_decl = usr
                self.decl_at[(self.rel(f), l, c)] = usr
                self.decls_of[usr].add((self.rel(f), l, c))
                if m["def"] == "1":
                    if m["implicit"] == "1":
                        self.implicit_defs.add(usr)
                    else:
                        self.defs.setdefault(usr, (m["kind"], m["name"], (self.rel(f), l, c)))
                continue
            m = BASE_RE.match(line)
            if m:
                f, l, c = split_loc(m["loc"], main, cwd)
                if f.startswith(self.root) and last_decl:
                    self.refs.add((self.rel(f), l, c, m["usr"], last_decl, m["kind"],
                                   "base", "base", ""))
                continue
            m = REF_RE.match(line)
            if m:
                f, l, c = split_loc(m["loc"], main, cwd)
                if not f.startswith(self.root):
                    continue
                pm = PARENT_RE.match(m["parent"])
                parent = pm["usr"] if pm else None
                self.refs.add((self.rel(f), l, c, m["usr"], parent, m["kind"],
                               m["role"], m["cursor"].split("=", 1)[0], m["name"]))


class Export:
    """code-indexer's facts, with USRs in Clang's spelling."""

    def __init__(self, path):
        g = json.load(open(path))
        self.root = g["project"]["root"]
        self.ents = {e["id"]: e for e in g["entities"]}
        self.usr = {i: normalize_usr(e["usr"]) for i, e in self.ents.items()}
        self.project_files = {f["path"] for f in g["files"] if f["role"] != "system"}
        self.defs = {}
        for e in g["entities"]:
            if e["external"] or e["kind"] in ("namespace", "macro"):
                continue
            locs = [(e["file"], e["line"], e["column"])] if e["is_definition"] else []
            if locs:
                self.defs[self.usr[e["id"]]] = (e["kind"], e["qualified_name"], locs[0])
        self.edges = collections.defaultdict(set)   # kind -> {(from, to)}
        self.sites = collections.defaultdict(set)   # kind -> {(f, l, c, to, from)}
        # Sites marked "candidate": (f, l, c, from) -> the candidates' names.
        self.candidate_names = collections.defaultdict(set)
        for ed in g["edges"]:
            k = ed["kind"]
            if k not in ("calls", "references", "uses_type", "inherits"):
                continue
            if ed["from"] not in self.ents or ed["to"] not in self.ents:
                continue
            fr, to = self.usr[ed["from"]], self.usr[ed["to"]]
            self.edges[k].add((fr, to))
            for s in ed.get("sites", []):
                self.sites[k].add((s["file"], s["line"], s["column"], to, fr))
                if k == "calls" and s.get("candidate"):
                    self.candidate_names[(s["file"], s["line"], s["column"], fr)].add(
                        self.ents[ed["to"]]["name"])
        self.kind_of = {self.usr[i]: e["kind"] for i, e in self.ents.items()}
        self.name_of = {self.usr[i]: e["name"] for i, e in self.ents.items()}
        # Where macros expand: (file, line) -> first column.
        self.macro_sites = {}
        for ed in g["edges"]:
            if ed["kind"] == "expands_macro":
                for s in ed.get("sites", []):
                    k = (s["file"], s["line"])
                    self.macro_sites[k] = min(self.macro_sites.get(k, s["column"]), s["column"])

    def has_type_use_at(self, f, l, c):
        return any(s[:3] == (f, l, c) for s in self.sites["uses_type"])

    def in_macro(self, f, l, c):
        """Whether (f, l, c) may lie in a macro expansion: on a line where a
        macro expands, at or after the macro's name."""
        first = self.macro_sites.get((f, l))
        return first is not None and c >= first


# --- the comparison --------------------------------------------------------

class Category:
    def __init__(self, name):
        self.name = name
        self.matched = 0
        self.missed = collections.Counter()     # reason -> count
        self.extra = collections.Counter()
        self.miss_examples = []
        self.extra_examples = []
        self.deliberate = {}  # (side, reason) -> examples

    def miss(self, reason, example):
        self.missed[reason] += 1
        if reason is None:
            self.miss_examples.append(example)
        else:
            self.deliberate.setdefault(("libclang only", reason), []).append(example)

    def add_extra(self, reason, example):
        self.extra[reason] += 1
        if reason is None:
            self.extra_examples.append(example)
        else:
            self.deliberate.setdefault(("code-indexer only", reason), []).append(example)

    def counts(self):
        oracle = self.matched + self.missed[None]
        ours = self.matched + self.extra[None]
        recall = 100.0 * self.matched / oracle if oracle else 100.0
        precision = 100.0 * self.matched / ours if ours else 100.0
        return oracle, ours, recall, precision


def classify_def_miss(usr, info, ex, oracle):
    kind, name, (f, l, c) = info
    if kind in NON_ENTITY_DECL_KINDS:
        return "not an entity (namespace, using-declaration, parameter)"
    if "@aN" in usr and kind == "namespace":
        return "not an entity (namespace, using-declaration, parameter)"
    if re.search(r"@(SA|Sa)@|@FI@.*@F@|@S@.*#", usr) and "(lambda)" in name:
        return "lambda"
    if kind == "variable" and re.search(r"@F@[^@]*#.*@", usr):
        return "function-local (static locals, local classes)"
    if ex.in_macro(f, l, c):
        return "declared by a macro expansion"
    return None


def compare(oracle, ex, top):
    cats = []

    # Definitions.
    d = Category("definitions")
    for usr, info in sorted(oracle.defs.items()):
        if usr in ex.defs:
            d.matched += 1
        else:
            reason = classify_def_miss(usr, info, ex, oracle)
            if reason is None and usr in ex.kind_of:
                reason = None
            d.miss(reason, "%s %s at %s:%d:%d (%s)" % (info[0], info[1], *info[2], usr))
    for usr, info in sorted(ex.defs.items()):
        if usr in oracle.defs:
            continue
        reason = None
        if usr in oracle.implicit_defs:
            reason = "implicit in libclang (defaulted members)"
        elif os.path.isabs(info[2][0]):
            reason = OUTSIDE_ROOT
        d.add_extra(reason, "%s %s at %s:%d:%d (%s)" % (info[0], info[1], *info[2], usr))
    cats.append(d)

    # References of libclang, split by what they name.
    calls, values, types = [], [], []
    ignored = collections.Counter()
    # A base specifier is listed as a base, and again as TypeRefs at the
    # same place: to the name it spells (an alias: `std::false_type`) and
    # to the class behind it. `inherits` targets the class, the
    # specialization if there is one: keep that one.
    at_base = collections.defaultdict(list)
    for r in oracle.refs:
        if r[6] == "base" or ("call" not in r[6].split() and r[5] in TYPE_KINDS):
            at_base[(r[0], r[1], r[2], r[4])].append(r)
    base_of = {}
    for k, rs in at_base.items():
        if not any(r[6] == "base" for r in rs):
            continue
        classes = [r for r in rs if r[5] not in ("typedef", "type-alias")] or rs
        classes.sort(key=lambda r: (not r[5].endswith("-spec"), r[6] != "base"))
        base_of[k] = classes[0][:6] + ("base", "base", "")
    for r in oracle.refs:
        f, l, c, target, parent, kind, role, cursor = r[:8]
        if "call" in role.split():
            calls.append(r)
        elif role == "base" or (kind in TYPE_KINDS and (f, l, c, parent) in base_of):
            if role == "base":
                types.append(base_of[(f, l, c, parent)])
            else:
                ignored["TypeRef repeating a base specifier"] += 1
                oracle.base_repeats.add(r[:4])
        elif kind in TYPE_KINDS:
            types.append(r)
        elif kind in VALUE_KINDS:
            values.append(r)
        else:
            ignored[kind] += 1

    # A dependent call in a template that libclang reports with every
    # overload it may resolve to.
    # (Several calls at one place with different names are a macro
    # expansion, or a construction and its elided copy: not candidates.)
    targets_at = collections.defaultdict(set)
    for r in calls:
        targets_at[(r[0], r[1], r[2], r[8])].add(r[3])
    oracle.candidate_sites = {k[:3] for k, v in targets_at.items()
                              if len(v) > 1 and not ex.in_macro(*k[:3])}
    # Calls naming a member template of an implicitly instantiated class
    # (`formatter<int>::format(42, ctx)` with a dependent ctx): libclang
    # names the specialization's copy, code-indexer the class template's.
    oracle.spec_member_template_sites = {
        (r[0], r[1], r[2], r[4]) for r in calls
        if r[5].endswith("-template") and SPEC_MEMBER_TEMPLATE.search(r[3])}
    ex.call_sites_from = {(s[0], s[1], s[2], s[4]) for s in ex.sites["calls"]}

    # Call pairs.
    pairs_oracle = {}
    for r in calls:
        if r[4]:
            pairs_oracle.setdefault((r[4], r[3]), r)
    p = Category("call pairs")
    for key, r in sorted(pairs_oracle.items()):
        if key in ex.edges["calls"]:
            p.matched += 1
        else:
            p.miss(explain_miss("call", r, ex, oracle), "%s -> %s at %s:%d:%d" % (key[0], key[1], r[0], r[1], r[2]))
    site_of_pair = {}
    for s in ex.sites["calls"]:
        site_of_pair.setdefault((s[4], s[3]), s)
    for key in sorted(ex.edges["calls"]):
        if key in pairs_oracle:
            continue
        s = site_of_pair.get(key)
        p.add_extra(explain_extra("call", s, key, ex, oracle),
                    "%s -> %s%s" % (key[0], key[1], " at %s:%d:%d" % s[:3] if s else ""))
    cats.append(p)

    cats.append(compare_sites("call sites", calls, ex.sites["calls"], "call", ex, oracle))
    cats.append(compare_sites("references", values, ex.sites["references"], "reference", ex, oracle))
    cats.append(compare_sites("type uses", types, ex.sites["uses_type"] | ex.sites["inherits"],
                              "type", ex, oracle))
    return cats, ignored


EXPLICIT = ("an explicitly instantiated specialization (`extern template class "
            "basic_string<char>`): code-indexer targets the specialization, libclang the template")
SHIFTED = ("a base specifier: code-indexer's site is where it starts (`std::false_type`), "
           "libclang's the last name (`false_type`)")
INJECTED = ("a partial specialization's own name inside it: code-indexer targets the "
            "specialization, libclang the primary template")


def compare_sites(name, oracle_refs, our_sites, what, ex, oracle):
    cat = Category(name)
    ours = {(s[0], s[1], s[2], s[3]): s for s in our_sites}
    theirs = {}
    for r in oracle_refs:
        theirs.setdefault((r[0], r[1], r[2], r[3]), r)
    # The same use on the same line, from the same entity, at another
    # column: a base specifier's site is where the specifier starts
    # (`testing::Test`), libclang's is the type's own name (`Test`).
    ours_by_line = collections.defaultdict(list)
    for key, s in ours.items():
        if key not in theirs:
            ours_by_line[(s[0], s[1], s[3], s[4])].append(key)
    shifted = set()
    explicit = set()
    ours_at = collections.defaultdict(list)
    for key in ours:
        if key not in theirs:
            ours_at[key[:3]].append(key)
    for key, r in sorted(theirs.items()):
        if key in ours:
            cat.matched += 1
            continue
        reason = explain_miss(what, r, ex, oracle)
        if reason is None and what == "type":
            # The same place, another target: inside a partial
            # specialization its own name is the specialization (ours),
            # where libclang names the primary template.
            for k in ours_at.get(key[:3], []):
                if "@SP>" in k[3] and k not in shifted:
                    shifted.add(k)
                    reason = INJECTED
                    break
        if reason is None and r[4]:
            cands = ours_by_line.get((r[0], r[1], r[3], normalize_usr(r[4])), [])
            if cands:
                shifted.add(cands.pop(0))
                reason = SHIFTED
        if reason is None and r[4] and what == "type":
            # An explicitly instantiated specialization (libstdc++'s `extern
            # template class basic_string<char>`) is an entity of its own;
            # libclang names the template.
            m = re.match(r"^(.*)@ST>[^@]*@([^@]+)$", r[3])
            if m:
                spec = "%s@S@%s>" % (m.group(1), m.group(2))
                for k in [k for k in ours if k not in theirs and k[:2] == r[:2]
                          and k[3].startswith(spec)]:
                    explicit.add(k)
                    reason = EXPLICIT
                    break
        cat.miss(reason, "%s:%d:%d %s %s (from %s, %s)" % (r[0], r[1], r[2], r[5], r[3], r[4], r[7]))
    call_sites = {(r[0], r[1], r[2], r[3]) for r in oracle.refs if "call" in r[6].split()}
    for key, s in sorted(ours.items()):
        if key in theirs:
            continue
        if key in explicit:
            reason = EXPLICIT
        elif key in shifted and "@SP>" in key[3] and key[:3] in {t[:3] for t in theirs}:
            reason = INJECTED
        elif key in shifted:
            reason = SHIFTED
        elif what == "type" and key in oracle.base_repeats:
            reason = ("an alias named in a base specifier (`std::false_type`): a use of the "
                      "alias; `inherits` targets the class behind it")
        elif what == "reference" and key in call_sites:
            reason = "call through a function object or pointer: a `references` edge"
        else:
            reason = explain_extra(what, s, (s[4], s[3]), ex, oracle)
        cat.add_extra(reason, "%s:%d:%d -> %s (from %s)" % (s[0], s[1], s[2], s[3], s[4]))
    return cat


def strip_file(usr):
    """A USR without the file that Clang names for internal linkage."""
    return re.sub(r"^c:[^@]*", "c:", usr)


def is_copy_or_move(usr):
    """Whether a constructor's USR is a copy or move constructor's: one
    parameter, a reference to its own class (`Slice(const Slice &)`,
    `basic_string(basic_string &&)`)."""
    m = re.match(r"^.*@F@(?P<name>[^#@>]+)#(?P<params>.*)$", usr)
    if not m:
        return False
    p = m["params"]
    if not p.startswith(("&1", "&&", "&")):
        return False
    # The class appears as @S@Name, @ST>..@Name or @SP>..@Name.
    return re.search(r"@(S|ST>[^@]*|SP>[^@]*)@%s[#>0-9]" % re.escape(m["name"]), p + "#") is not None


def explain_miss(what, r, ex, oracle):
    """Why the export lacks libclang's fact R, if it is a documented,
    deliberate difference; None otherwise."""
    f, l, c, target, parent, kind, role, cursor = r[:8]
    roles = role.split()
    if "implicit" in roles:
        return "implicit reference (libclang reports what the code does not spell)"
    if f not in ex.project_files:
        return "file not indexed by code-indexer"
    if parent is None:
        return "outside any entity (file scope)"
    if normalize_usr(parent) not in ex.kind_of and parent not in ex.kind_of:
        return "from a non-entity (lambda, local, parameter, template parameter)"
    if what == "call" and kind in ("constructor", "constructor-template") \
            and is_copy_or_move(target):
        return "copy or move construction (implicit or elided)"
    if what == "call" and (f, l, c, parent) in oracle.spec_member_template_sites \
            and (f, l, c, parent) in ex.call_sites_from:
        return SPEC_MEMBER
    if what == "call" and (f, l, c) in oracle.candidate_sites:
        # libclang's callee is an entity of the export named like a
        # candidate the export records at this site from this caller: an
        # overload that the TU indexing the header had not declared yet.
        name = ex.name_of.get(normalize_usr(target), ex.name_of.get(target))
        if name is not None and any(
                name in ex.candidate_names.get((f, l, c, p), ())
                for p in (parent, normalize_usr(parent))):
            return LATER_OVERLOAD
        return CANDIDATES
    if what == "call" and kind.endswith("-template") and re.search(r"@FT@|@ST>|@SP>", parent):
        return IN_TEMPLATE
    if what == "call" and kind in ("field", "variable", "c++-static-var"):
        return "call through a function object or pointer: a `references` edge"
    if what == "call" and kind in ("constructor", "constructor-template") \
            and is_copy_or_move(target):
        return "copy or move construction (implicit or elided)"
    if target not in ex.kind_of and re.match(r"^c:[^@]*@\d+@", target):
        return "member of a function-local class (not an entity)"
    if target == parent and what == "type":
        return "self-reference (only calls and references keep self-loops)"
    if what == "type":
        decl = oracle.decl_at.get((f, l, c))
        # `Foo::` placing an out-of-line member, and a constructor's or
        # destructor's own name: documented as not uses of the type.
        if strip_file(parent).startswith(strip_file(target) + "@"):
            return "qualifier of an out-of-line member or a constructor's name"
        if decl is not None:
            return "declaration name"
        # The template arguments of the class qualifying an out-of-line
        # member (`formatter<T, enable_if_t<...>>::format`): libclang gives
        # them to the member.
        if re.search(r"@(F|FT)@", parent) and any(
                pf == f and (l, c) < (pl, pc) and pl - l <= 3
                for pf, pl, pc in oracle.decls_of.get(parent, ())) \
                and not ex.has_type_use_at(f, l, c):
            return "qualifier of an out-of-line member (its template arguments)"
    if ex.in_macro(f, l, c):
        return "inside a macro expansion"
    return None


CANDIDATES = ("known: overload candidates of a dependent call that no rule above explains "
              "(issue 12 point 4)")
LATER_OVERLOAD = ("an overload candidate of a dependent call in a header that only some TUs "
                  "declare before that call (`xchar.h`, `compile.h` included after it): libclang "
                  "lists the union over TUs, code-indexer the candidates of the one TU that "
                  "indexes the header (same name as a candidate it records there)")
IN_TEMPLATE = ("known: a call in a function template to a member template that only "
               "its instantiations resolve (issue 12 point 5)")
SPEC_MEMBER = ("a member template of an implicitly instantiated class (`formatter<int>::format`): "
               "code-indexer targets the class template's member template, libclang the "
               "specialization's copy")
# A class template specialization (`@S@formatter>#I#C#v`) and, in it, a
# member function template.
SPEC_MEMBER_TEMPLATE = re.compile(r"@S@[^@]*>#.*@FT@")
OUTSIDE_ROOT = "a file outside the project root (libclang's side keeps only files under it)"


def explain_extra(what, s, key, ex, oracle):
    if s is None:
        return None
    f, l, c = s[0], s[1], s[2]
    fr, to = key
    if os.path.isabs(f):
        return OUTSIDE_ROOT
    if what == "call" and (f, l, c, fr) in oracle.spec_member_template_sites \
            and re.search(r"@(ST|SP)>.*@FT@", to):
        return SPEC_MEMBER
    if what == "call" and (f, l, c) in oracle.candidate_sites:
        return CANDIDATES
    if ex.in_macro(f, l, c):
        return "inside a macro expansion"
    return None


# --- report ----------------------------------------------------------------

def report(cats, ignored, top, out, title, verbose=False):
    print("## %s" % title, file=out)
    print("", file=out)
    print("| category | libclang | code-indexer | matched | recall | precision | deliberate misses | deliberate extras | known, open | unexplained misses | unexplained extras |", file=out)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", file=out)
    for c in cats:
        oracle, ours, recall, precision = c.counts()
        dm = sum(v for k, v in c.missed.items() if k is not None and not k.startswith("known:"))
        de = sum(v for k, v in c.extra.items() if k is not None and not k.startswith("known:"))
        kn = sum(v for k, v in list(c.missed.items()) + list(c.extra.items())
                 if k is not None and k.startswith("known:"))
        all_oracle = oracle + sum(v for k, v in c.missed.items() if k is not None)
        all_ours = ours + sum(v for k, v in c.extra.items() if k is not None)
        print("| %s | %d | %d | %d | %.2f%% | %.2f%% | %d | %d | %d | %d | %d |" % (
            c.name, all_oracle, all_ours, c.matched, recall, precision, dm, de, kn,
            c.missed[None], c.extra[None]), file=out)
    print("", file=out)
    reasons = collections.Counter()
    for c in cats:
        for k, v in c.missed.items():
            if k is not None:
                reasons[("%s: libclang only" % c.name, k)] += v
        for k, v in c.extra.items():
            if k is not None:
                reasons[("%s: code-indexer only" % c.name, k)] += v
    for title, known in (("Deliberate differences (set aside above):", False),
                         ("Known differences that are not deliberate (open issues, set aside above):", True)):
        rows = [(k, v) for k, v in sorted(reasons.items()) if k[1].startswith("known:") == known]
        if not rows:
            continue
        print(title, file=out)
        print("", file=out)
        print("| where | reason | count |", file=out)
        print("|---|---|---:|", file=out)
        for (where, why), v in rows:
            print("| %s | %s | %d |" % (where, why, v), file=out)
        print("", file=out)
    if ignored:
        print("libclang references not compared (kinds without an edge kind, repeats): " +
              ", ".join("%s %d" % kv for kv in sorted(ignored.items())), file=out)
        print("", file=out)
    for c in cats:
        for label, ex in (("unexplained misses", c.miss_examples),
                          ("unexplained extras", c.extra_examples)):
            if not ex:
                continue
            print("%s, %s (%d; first %d):" % (c.name, label, len(ex), min(top, len(ex))), file=out)
            for e in ex[:top]:
                print("  " + e, file=out)
            print("", file=out)
    if verbose:
        for c in cats:
            for (side, why), ex in sorted(c.deliberate.items()):
                print("%s, %s, %s (%d; first %d):" % (c.name, side, why, len(ex), min(top, len(ex))), file=out)
                for e in ex[:top]:
                    print("  " + e, file=out)
                print("", file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-p", dest="compdb", help="directory of compile_commands.json")
    ap.add_argument("--export", required=True)
    ap.add_argument("--cache")
    ap.add_argument("--oracle", nargs="+", help="saved libclang output files")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--markdown")
    ap.add_argument("--title")
    ap.add_argument("--fail-on-unexplained", action="store_true")
    ap.add_argument("--verbose", action="store_true",
                    help="also list examples of the deliberate differences")
    a = ap.parse_args()

    ex = Export(a.export)
    oracle = Oracle(ex.root)
    if a.oracle:
        files = a.oracle
    else:
        if not a.compdb:
            ap.error("give -p DIR (or --oracle FILES)")
        if not shutil.which("c-index-test-19"):
            sys.exit("oracle-compare: needs c-index-test-19 (Debian: apt-get install clang-tools-19)")
        db = a.compdb if a.compdb.endswith(".json") else os.path.join(a.compdb, "compile_commands.json")
        tus = load_compdb(db)
        cache = a.cache or os.path.join(os.path.dirname(os.path.abspath(db)), "oracle-cache")
        os.makedirs(cache, exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
            files = list(pool.map(lambda t: run_oracle(t, ex.root, cache), tus))
        print("oracle-compare: %d TUs indexed by libclang (cache: %s)" % (len(tus), cache),
              file=sys.stderr)
    for f in files:
        oracle.read(f)
    cats, ignored = compare(oracle, ex, a.top)
    title = a.title or os.path.basename(ex.root.rstrip("/"))
    report(cats, ignored, a.top, sys.stdout, title, a.verbose)
    if a.markdown:
        with open(a.markdown, "w") as out:
            report(cats, ignored, a.top, out, title)
    unexplained = sum(c.missed[None] + c.extra[None] for c in cats)
    return 1 if a.fail_on_unexplained and unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
