// Overload candidates (issue 12, point 4): a dependent call in a template
// names every overload visible there; each becomes a `calls` edge whose
// site is marked "candidate". Walks (callers/callees beyond the target,
// blast-radius, cycles, tests-for) leave candidate edges out unless
// --include-candidates; callers/callees still list the target's own
// candidates at depth 1, marked. Resolved calls are not candidates.
// REQUIRES: lmdb
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: (%summary %t/graph.json --no-external --edges calls --section edges; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=EDGES %s
// RUN: cd %t && (%code-indexer query --json graph.json callers 'YAML::operator<<(Emitter &, bool)' --depth 2; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CALLERS %s
// RUN: cd %t && (%code-indexer query --json graph.json callers 'YAML::operator<<(Emitter &, bool)' --depth 2 --include-candidates; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CALLERS-ALL %s
// RUN: cd %t && (%code-indexer query --json graph.json callees YAML::emitList --depth 2; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CALLEES %s
// RUN: cd %t && (%code-indexer query --json graph.json callees YAML::emitList --depth 2 --include-candidates; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CALLEES-ALL %s
// RUN: cd %t && (%code-indexer query --json graph.json cycles --no-self-loops; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CYCLES %s
// RUN: cd %t && (%code-indexer query --json graph.json cycles --no-self-loops --include-candidates; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CYCLES-ALL %s
// RUN: cd %t && (%code-indexer query --json graph.json blast-radius 'YAML::operator<<(Emitter &, bool)'; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=BLAST %s
// RUN: cd %t && (%code-indexer query --json graph.json blast-radius 'YAML::operator<<(Emitter &, bool)' --include-candidates; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=BLAST-ALL %s
// RUN: cd %t && %code-indexer query --json graph.json --format json callers 'YAML::operator<<(Emitter &, bool)' | %shapes callers
// RUN: cd %t && %code-indexer query --json graph.json --format json callers 'YAML::operator<<(Emitter &, bool)' | FileCheck --check-prefix=JSON %s
// The export writes "candidate" only where it is true: nine edges.
// RUN: grep -c '"candidate":true' %t/graph.json | FileCheck --check-prefix=COUNT %s
// RUN: not grep -q '"candidate":false' %t/graph.json
// The index (not only the export) keeps the mark.
// RUN: %code-indexer extract -p %t/build --db lmdb:%t/db --quiet
// RUN: cd %t && (%code-indexer query --db lmdb:%t/db callers 'YAML::operator<<(Emitter &, bool)' --depth 2; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CALLERS %s

namespace YAML {
struct Emitter {
  int depth = 0;
};
Emitter &operator<<(Emitter &out, const char *s) { return out; }
Emitter &operator<<(Emitter &out, int n) { return out; }
Emitter &operator<<(Emitter &out, bool b) { return out; }

// yaml-cpp's exceptions.h: `stream << key` with a dependent key.
template <typename Key> void writeKey(Emitter &stream, const Key &key) {
  stream << key;
}

void emitList(Emitter &out) {
  out << 1;
  writeKey(out, 2);
}
} // namespace YAML

// googletest's TypedExpectation: overloads of After calling each other
// through dependent calls in a class template.
struct ExpectationSet {};
template <typename F> class TypedExpectation {
public:
  TypedExpectation &After(const ExpectationSet &s) { return *this; }
  TypedExpectation &After(const ExpectationSet &s1, const ExpectationSet &s2) {
    return After(s1).After(s2);
  }
  TypedExpectation &After(const ExpectationSet &s1, const ExpectationSet &s2,
                          const ExpectationSet &s3) {
    return After(s1, s2).After(s3);
  }
};

int main() {
  YAML::Emitter e;
  YAML::emitList(e);
  TypedExpectation<int> t;
  ExpectationSet s;
  t.After(s, s);
  return 0;
}

// Expected output:

// EDGES:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &) | overload-candidates.cpp:54:12 candidate
// EDGES-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | overload-candidates.cpp:54:12 candidate
// EDGES-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) | overload-candidates.cpp:54:12 candidate
// EDGES-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &) | overload-candidates.cpp:58:12 candidate
// EDGES-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | overload-candidates.cpp:58:12 candidate
// EDGES-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) | overload-candidates.cpp:58:12 candidate
// EDGES-NEXT:edge calls YAML::emitList -> Emitter &YAML::operator<<(Emitter &, int) | overload-candidates.cpp:42:7
// EDGES-NEXT:edge calls YAML::emitList -> YAML::writeKey | overload-candidates.cpp:43:3
// EDGES-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, bool) | overload-candidates.cpp:38:10 candidate
// EDGES-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, const char *) | overload-candidates.cpp:38:10 candidate
// EDGES-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, int) | overload-candidates.cpp:38:10 candidate
// EDGES-NEXT:edge calls main -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | overload-candidates.cpp:67:5
// EDGES-NEXT:edge calls main -> YAML::emitList | overload-candidates.cpp:64:9
// EDGES-NEXT:END

// CALLERS:callers of Emitter &YAML::operator<<(Emitter &, bool) (overload-candidates.cpp:34)
// CALLERS-NEXT:DEPTH  KIND{{ +}}NAME{{ +}}LOCATION{{ +}}VIA
// CALLERS-NEXT:1{{ +}}function  YAML::writeKey  overload-candidates.cpp:37  candidate
// CALLERS-NEXT:END

// CALLERS-ALL:callers of Emitter &YAML::operator<<(Emitter &, bool) (overload-candidates.cpp:34)
// CALLERS-ALL-NEXT:DEPTH  KIND{{ +}}NAME{{ +}}LOCATION{{ +}}VIA
// CALLERS-ALL-NEXT:1{{ +}}function  YAML::writeKey  overload-candidates.cpp:37  candidate
// CALLERS-ALL-NEXT:2{{ +}}function  YAML::emitList  overload-candidates.cpp:41  YAML::writeKey
// CALLERS-ALL-NEXT:END

// CALLEES:callees of YAML::emitList (overload-candidates.cpp:41)
// CALLEES-NEXT:DEPTH  KIND{{ +}}NAME{{ +}}LOCATION{{ +}}VIA
// CALLEES-NEXT:1      operator  Emitter &YAML::operator<<(Emitter &, int)  overload-candidates.cpp:33  -
// CALLEES-NEXT:1{{ +}}function  YAML::writeKey{{ +}}overload-candidates.cpp:37  -
// CALLEES-NEXT:END

// CALLEES-ALL:callees of YAML::emitList (overload-candidates.cpp:41)
// CALLEES-ALL-NEXT:DEPTH  KIND{{ +}}NAME{{ +}}LOCATION{{ +}}VIA
// CALLEES-ALL-NEXT:1      operator  Emitter &YAML::operator<<(Emitter &, int)           overload-candidates.cpp:33  -
// CALLEES-ALL-NEXT:1{{ +}}function  YAML::writeKey{{ +}}overload-candidates.cpp:37  -
// CALLEES-ALL-NEXT:2      operator  Emitter &YAML::operator<<(Emitter &, bool)          overload-candidates.cpp:34  YAML::writeKey, candidate
// CALLEES-ALL-NEXT:2      operator  Emitter &YAML::operator<<(Emitter &, const char *)  overload-candidates.cpp:32  YAML::writeKey, candidate
// CALLEES-ALL-NEXT:END

// CYCLES:no cycles in the calls graph
// CYCLES-NEXT:END

// CYCLES-ALL:cycle 1 (2 members)
// CYCLES-ALL-NEXT:  KIND{{ +}}NAME{{ +}}LOCATION
// CYCLES-ALL-NEXT:  method  TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &)  overload-candidates.cpp:56
// CYCLES-ALL-NEXT:  method  TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &){{ +}}overload-candidates.cpp:53
// CYCLES-ALL-NEXT:END

// BLAST:blast radius of Emitter &YAML::operator<<(Emitter &, bool) (overload-candidates.cpp:34): 0 entities within 2 hops
// BLAST-NEXT:END

// BLAST-ALL:blast radius of Emitter &YAML::operator<<(Emitter &, bool) (overload-candidates.cpp:34): 2 entities within 2 hops
// BLAST-ALL-NEXT:hop 1
// BLAST-ALL-NEXT:  KIND{{ +}}NAME{{ +}}LOCATION
// BLAST-ALL-NEXT:  function  YAML::writeKey  overload-candidates.cpp:37
// BLAST-ALL-NEXT:hop 2
// BLAST-ALL-NEXT:  KIND{{ +}}NAME{{ +}}LOCATION
// BLAST-ALL-NEXT:  function  YAML::emitList  overload-candidates.cpp:41
// BLAST-ALL-NEXT:END

// (end of the expected output)

// JSON:      "dispatch": false,
// JSON-NEXT: "candidate": true,

// COUNT: 9
