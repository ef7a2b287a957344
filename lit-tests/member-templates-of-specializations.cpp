// A member template of a class template specialization that Clang
// instantiated implicitly (`Formatter<int>::format`, `Buffer<char>::append`)
// is named, in a call whose arguments are dependent, by the specialization's
// copy of the member template: not a declaration of the project, so the
// `calls` edge had no target entity and was dropped from the export as
// dangling (20 such edges on fmtlib 9.1.0, e.g. `formatter<int>::format(42,
// ctx)`). The edge goes to the member template of the class template it was
// instantiated from (the partial specialization's, if any), and nothing
// dangles.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: grep -q '"dangling_edges_dropped":0' %t/graph.json
// RUN: (%summary %t/graph.json --no-external --edges calls --section edges; echo END) | FileCheck --strict-whitespace --match-full-lines %s

template <typename T, typename Enable = void> struct Formatter;
template <typename T> struct IsInt { static constexpr bool value = false; };
template <> struct IsInt<int> { static constexpr bool value = true; };
template <bool B> struct EnableIf {};
template <> struct EnableIf<true> { using type = void; };

// A partial specialization: Formatter<int> is instantiated from it.
template <typename T>
struct Formatter<T, typename EnableIf<IsInt<T>::value>::type> {
  template <typename Context> int format(T value, Context &ctx) const {
    return ctx.put(value);
  }
};

struct Answer {};
template <> struct Formatter<Answer> : Formatter<int> {
  template <typename Context> int format(Answer, Context &ctx) const {
    return Formatter<int>::format(42, ctx);
  }
};

// A primary template: Buffer<char> is instantiated from it.
template <typename Char> struct Buffer {
  template <typename It> void append(It begin, It end) {}
};
template <typename It> void copy(Buffer<char> &buf, It begin, It end) {
  buf.append(begin, end);
}

// Expected output: both calls to the templates' own member templates.

// CHECK:edge calls Formatter<Answer>::format -> Formatter<T, typename EnableIf<IsInt<T>::value>::type>::format | member-templates-of-specializations.cpp:32:28
// CHECK-NEXT:edge calls copy -> Buffer::append | member-templates-of-specializations.cpp:41:7
// CHECK-NEXT:END
