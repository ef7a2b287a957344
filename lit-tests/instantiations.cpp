// extract --index-instantiations (issue 12, point 5): the calls and
// references that exist only in implicit instantiations are attributed to
// the template they come from, with the site in the template's source, and
// a call an instantiation resolves replaces the candidate calls at its
// site. Without the option the graph is as before: no edge from render to
// Widget::draw, candidates everywhere.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/plain.json --quiet
// RUN: %code-indexer extract -p %t/build --db mem --json %t/inst.json --quiet --index-instantiations
// RUN: (%summary %t/plain.json --no-external --edges calls,references --section edges; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=PLAIN %s
// RUN: (%summary %t/inst.json --no-external --edges calls,references --section edges; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=INST %s
// The entities are the same: instantiations add no entity.
// RUN: %summary %t/plain.json --section entities > %t/plain.entities
// RUN: %summary %t/inst.json --section entities > %t/inst.entities
// RUN: diff %t/plain.entities %t/inst.entities
// Candidates left (After with three sets is never instantiated) still
// count only with --include-candidates.
// RUN: cd %t && (%code-indexer query --json inst.json cycles --include-candidates; echo END) | FileCheck --strict-whitespace --match-full-lines --check-prefix=CYCLES %s

namespace YAML {
struct Emitter {
  int depth = 0;
};
Emitter &operator<<(Emitter &out, const char *s) { return out; }
Emitter &operator<<(Emitter &out, int n) { return out; }
Emitter &operator<<(Emitter &out, bool b) { return out; }

template <typename Key> void writeKey(Emitter &stream, const Key &key) {
  stream << key;
}
} // namespace YAML

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

struct Widget {
  void draw() const {}
  int size = 0;
};

// A call on a dependent object: nothing to resolve in the template.
template <typename T> void render(const T &t) { t.draw(); }

template <typename T> struct Box {
  T value;
  int count() const { return value.size; }
};

int main() {
  YAML::Emitter e;
  YAML::writeKey(e, 7);
  TypedExpectation<int> t;
  ExpectationSet s;
  t.After(s, s);
  Widget w;
  render(w);
  Box<Widget> b;
  return b.count();
}

// Expected output:

// PLAIN:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &) | instantiations.cpp:38:12 candidate
// PLAIN-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:38:12 candidate
// PLAIN-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:38:12 candidate
// PLAIN-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &) | instantiations.cpp:42:12 candidate
// PLAIN-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:42:12 candidate
// PLAIN-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:42:12 candidate
// PLAIN-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, bool) | instantiations.cpp:29:10 candidate
// PLAIN-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, const char *) | instantiations.cpp:29:10 candidate
// PLAIN-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, int) | instantiations.cpp:29:10 candidate
// PLAIN-NEXT:edge calls main -> Box::count | instantiations.cpp:68:12
// PLAIN-NEXT:edge calls main -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:64:5
// PLAIN-NEXT:edge calls main -> YAML::writeKey | instantiations.cpp:61:9
// PLAIN-NEXT:edge calls main -> render | instantiations.cpp:66:3
// PLAIN-NEXT:edge references Box::count -> Box::value | instantiations.cpp:56:30
// PLAIN-NEXT:END

// INST:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &) | instantiations.cpp:38:12, instantiations.cpp:38:22
// INST-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &) | instantiations.cpp:42:12 candidate
// INST-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:42:12 candidate
// INST-NEXT:edge calls TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:42:12 candidate
// INST-NEXT:edge calls YAML::writeKey -> Emitter &YAML::operator<<(Emitter &, int) | instantiations.cpp:29:10
// INST-NEXT:edge calls main -> Box::count | instantiations.cpp:68:12
// INST-NEXT:edge calls main -> TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &) | instantiations.cpp:64:5
// INST-NEXT:edge calls main -> YAML::writeKey | instantiations.cpp:61:9
// INST-NEXT:edge calls main -> render | instantiations.cpp:66:3
// INST-NEXT:edge calls render -> Widget::draw | instantiations.cpp:52:51
// INST-NEXT:edge references Box::count -> Box::value | instantiations.cpp:56:30
// INST-NEXT:edge references Box::count -> Widget::size | instantiations.cpp:56:36
// INST-NEXT:END

// CYCLES:cycle 1 (1 member)
// CYCLES-NEXT:  KIND{{ +}}NAME{{ +}}LOCATION
// CYCLES-NEXT:  method  TypedExpectation &TypedExpectation::After(const ExpectationSet &, const ExpectationSet &, const ExpectationSet &)  instantiations.cpp:40
// CYCLES-NEXT:END

// (end of the expected output)
