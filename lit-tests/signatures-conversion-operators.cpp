// Conversion operators are named by the type as written, template
// arguments included: `operator std::basic_string_view<Char, traits_type>`,
// `operator T` for a conversion template, never Clang's canonical
// `operator type-parameter-1-0` (issue 12, point 9).
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external \
// RUN:   | FileCheck %s --implicit-check-not=type-parameter-

namespace std {
template <typename C> struct char_traits {};
template <typename C, typename Traits = char_traits<C>> class basic_string_view {};
} // namespace std

template <typename Char, typename Traits = std::char_traits<Char>>
class basic_string {
public:
  using traits_type = Traits;
  operator std::basic_string_view<Char, traits_type>() const noexcept;
  template <typename T> explicit operator T() const;
};
template <typename T> struct Matcher {};
struct Polymorphic {
  template <typename T> operator Matcher<T>() const { return {}; }
  operator bool() const { return true; }
};
int use(const basic_string<char> &S) { return static_cast<int>(S); }

// CHECK-DAG: entity conversion_function basic_string::operator std::basic_string_view<Char, traits_type> | basic_string::operator std::basic_string_view<Char, traits_type>() const noexcept | const,noexcept | {{.*}}:19:3 | decl public parent=basic_string
// CHECK-DAG: entity conversion_function basic_string::operator T | template <typename T> basic_string::operator T() const | const,template | {{.*}}:20:3 | decl public parent=basic_string
// CHECK-DAG: entity conversion_function Polymorphic::operator Matcher<T> | template <typename T> Polymorphic::operator Matcher<T>() const | const,template | {{.*}}:24:3 | def public parent=Polymorphic
// CHECK-DAG: entity conversion_function Polymorphic::operator bool | Polymorphic::operator bool() const | const | {{.*}}:25:3 | def public parent=Polymorphic
// The call through the conversion template names it as written.
// CHECK-DAG: edge calls use -> basic_string::operator T | {{.*}}:27:64
