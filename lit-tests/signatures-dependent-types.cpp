// Signatures print dependent types with the template parameters' names as
// written, never Clang's canonical `type-parameter-0-0` (issue 12, point 9):
// also after a forward declaration with unnamed parameters, whose canonical
// names are all Clang keeps for the class's own (injected) name.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c++17
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external --section entities \
// RUN:   | FileCheck %s --implicit-check-not=type-parameter-

template <typename> class Generator;
template <typename T> struct Iterator { T *Pos; };

template <typename T> class Generator {
public:
  Generator(const Generator &Other);
  Generator &operator=(const Generator &Other);
  Iterator<T> begin() const;
  void fill(const T &Value, typename T::size_type Count);
  T *Data;
};

// CHECK-DAG: entity class Generator | template <typename T> class Generator | template | {{.*}}:13:1 | def
// CHECK-DAG: entity constructor Generator::Generator | Generator::Generator(const Generator &) |  | {{.*}}:15:3 | decl public parent=Generator
// CHECK-DAG: entity operator Generator::operator= | Generator &Generator::operator=(const Generator &) |  | {{.*}}:16:3 | decl public parent=Generator
// CHECK-DAG: entity method Generator::begin | Iterator<T> Generator::begin() const | const | {{.*}}:17:3 | decl public parent=Generator
// CHECK-DAG: entity method Generator::fill | void Generator::fill(const T &, typename T::size_type) |  | {{.*}}:18:3 | decl public parent=Generator
// CHECK-DAG: entity field Generator::Data | T *Generator::Data |  | {{.*}}:19:3 | def public parent=Generator
