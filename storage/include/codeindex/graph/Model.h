//===- Model.h - The code graph's data model --------------------*- C++ -*-===//
//
// Two levels of data:
//
//  * Facts (UnitFacts, EntityFact, EdgeFact, ...) are what one *unit* says:
//    a unit is one source file as parsed under one preprocessor
//    configuration (its "variant"). The extractor produces facts, the store
//    keeps them keyed by unit, so re-indexing a file replaces exactly its
//    own facts (incremental indexing) and nothing else.
//
//  * The merged graph (Entity, Edge, FileInfo, ...) is the union of all
//    units' facts, as the JSON export and the queries see it. Merging is
//    deterministic: it depends only on the set of facts, never on the order
//    in which translation units were parsed.
//
// Nothing here depends on LLVM. All types are plain values.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_MODEL_H
#define CODEINDEX_GRAPH_MODEL_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codeindex {

/// A 64-bit identifier: for entities, a hash of the Clang USR; for files, a
/// hash of "file:" + the root-relative path. Printed as 16 hex digits.
using Id = uint64_t;

std::string formatId(Id I);
/// Parses exactly 16 hex digits.
std::optional<Id> parseId(std::string_view S);

enum class EntityKind : uint8_t {
  Namespace,
  Class,
  Struct,
  Union,
  Enum,
  Enumerator,
  Function,
  Method,
  Constructor,
  Destructor,
  ConversionFunction,
  Operator,
  Field,
  Variable,
  TypeAlias,
  Macro,
  Concept,
};
inline constexpr int NumEntityKinds = 17;

enum class EdgeKind : uint8_t {
  Calls,
  References,
  UsesType,
  Inherits,
  Overrides,
  Contains,
  Instantiates,
  Includes,
  ExpandsMacro,
};
inline constexpr int NumEdgeKinds = 9;

enum class Access : uint8_t { None, Public, Protected, Private };
enum class Language : uint8_t { Unknown, C, Cxx };
enum class FileRole : uint8_t { Source, Header, Test, Generated, System };
enum class FileStatus : uint8_t { Indexed, Failed, Skipped };
enum class Severity : uint8_t { Note, Warning, Error, Fatal };

/// Entity flags. Spelled in the export as the lower-case names below.
namespace flag {
enum : uint32_t {
  Static = 1u << 0,
  Inline = 1u << 1,
  Virtual = 1u << 2,
  PureVirtual = 1u << 3,
  Override = 1u << 4,
  Final = 1u << 5,
  Const = 1u << 6,
  Constexpr = 1u << 7,
  Consteval = 1u << 8,
  Template = 1u << 9,
  TemplateSpecialization = 1u << 10,
  Implicit = 1u << 11,
  Deleted = 1u << 12,
  Defaulted = 1u << 13,
  ExternC = 1u << 14,
  Noexcept = 1u << 15,
};
inline constexpr int Count = 16;
} // namespace flag

// One spelling function per enum, and its inverse.
std::string_view spell(EntityKind K);
std::string_view spell(EdgeKind K);
std::string_view spell(Access A);
std::string_view spell(Language L);
std::string_view spell(FileRole R);
std::string_view spell(FileStatus S);
std::string_view spell(Severity S);
std::optional<EntityKind> parseEntityKind(std::string_view S);
std::optional<EdgeKind> parseEdgeKind(std::string_view S);
/// Flag names in bit order ("static", "inline", ..., "noexcept").
std::vector<std::string_view> flagNames(uint32_t Flags);
std::optional<uint32_t> parseFlag(std::string_view S);

/// Whether an entity kind is "function-like" (a valid `calls` endpoint).
bool isFunctionLike(EntityKind K);

/// A source range, 1-based lines and columns (columns in bytes).
struct Extent {
  uint32_t Line = 0, Column = 0, EndLine = 0, EndColumn = 0;
  friend auto operator<=>(const Extent &, const Extent &) = default;
};

//===----------------------------------------------------------------------===//
// Facts: what one unit says.
//===----------------------------------------------------------------------===//

/// Identifies a unit: a file parsed under one preprocessor configuration.
struct UnitKey {
  Id File = 0;
  uint64_t Variant = 0;
  friend auto operator<=>(const UnitKey &, const UnitKey &) = default;
};

/// One declaration of an entity inside the unit's file.
struct DeclFact {
  Extent Range;
  bool IsDefinition = false;
  friend auto operator<=>(const DeclFact &, const DeclFact &) = default;
};

/// What one unit says about one entity: its attributes and the declarations
/// located in the unit's file. An external entity (declared outside the
/// project root, or in a system header) is recorded by the unit that
/// references it, with External set and no declarations of its own.
struct EntityFact {
  Id ID = 0;
  std::string Usr;
  EntityKind Kind = EntityKind::Function;
  std::string Name;
  std::string QualifiedName;
  std::string Signature;
  Language Lang = Language::Unknown;
  Access Acc = Access::None;
  uint32_t Flags = 0;
  Id Parent = 0; ///< 0: top level
  bool External = false;
  /// A test case: the function whose body is one test of a test framework
  /// (see TestName). Helpers in test files are not test cases.
  bool IsTest = false;
  /// For a test case, the name its runner selects it by: GoogleTest's
  /// --gtest_filter pattern ("Suite.Name"; "*/Suite.Name/*" for TEST_P,
  /// "Suite/*.Name" for TYPED_TEST, "*/Suite/*.Name" for TYPED_TEST_P), the
  /// Catch2 or doctest test-case name, the Boost.Test case name. Else empty.
  std::string TestName;
  /// For a test case: "gtest", "catch2", "doctest" or "boost.test".
  std::string TestFramework;
  /// Path of the file holding the declarations (root-relative when inside
  /// the root). For external entities, where Clang saw its declaration.
  std::string File;
  /// For external entities: where the declaration is (no extent needed).
  Extent ExternalLocation;
  std::vector<DeclFact> Decls; ///< sorted
  /// Hash of the definition's source text when the definition is in this
  /// unit's file, else 0.
  uint64_t BodyHash = 0;
};

struct SiteFact {
  uint32_t Line = 0, Column = 0;
  bool Virtual = false; ///< a virtual (dynamically dispatched) call
  /// A call that names an overload set Clang could not resolve (a dependent
  /// call in a template): the edge goes to one of several candidates, not
  /// necessarily the function that runs.
  bool Candidate = false;
  friend auto operator<=>(const SiteFact &, const SiteFact &) = default;
};

/// An edge as seen from one unit; its sites are in the unit's file.
struct EdgeFact {
  EdgeKind Kind = EdgeKind::Calls;
  Id From = 0, To = 0;
  Access Acc = Access::None;   ///< inherits: the base's access
  bool Virtual = false;        ///< inherits: a virtual base
  std::vector<SiteFact> Sites; ///< sorted, unique
};

struct CoverageFact {
  uint32_t TotalLines = 0;
  uint32_t CodeLines = 0;
  uint32_t CommentLines = 0;
  uint32_t EntityLines = 0; ///< lines inside at least one entity's extent
};

/// What the unit says about its file.
struct FileFact {
  std::string Path; ///< root-relative inside the root, else absolute
  Language Lang = Language::Unknown;
  FileRole Role = FileRole::Source;
  uint64_t ContentHash = 0;
  uint32_t Lines = 0;
  FileStatus Status = FileStatus::Indexed;
  /// Why this file is a test file (empty if it is not one).
  std::vector<std::string> TestReasons;
  CoverageFact Coverage;
};

struct UnitFacts {
  UnitKey Key;
  FileFact File;
  std::vector<EntityFact> Entities;
  std::vector<EdgeFact> Edges;
};

struct DiagnosticFact {
  std::string File; ///< where the diagnostic points ("" if nowhere)
  uint32_t Line = 0, Column = 0;
  Severity Sev = Severity::Error;
  std::string Message;
};

enum class TuStatus : uint8_t {
  Ok,
  Errors,
  Failed,
  Crashed,
  TimedOut,
  Skipped
};
std::string_view spell(TuStatus S);

/// One translation unit of the compile database, and what indexing it did.
/// Also the incremental-indexing state: a TU whose fingerprint is unchanged
/// is not parsed again.
struct TuRecord {
  Id Key = 0;            ///< hash of main file + directory + arguments
  std::string MainFile;  ///< root-relative or absolute
  std::string Directory; ///< absolute
  uint64_t CommandHash = 0;
  uint64_t Variant = 0; ///< preprocessor configuration
  TuStatus Status = TuStatus::Ok;
  std::string FailureReason;
  /// Every file the TU read, absolute path and content hash.
  std::vector<std::pair<std::string, uint64_t>> Inputs;
  /// Units whose facts this TU wrote (it "owns" them).
  std::vector<UnitKey> OwnedUnits;
  std::vector<DiagnosticFact> Diagnostics;
};

//===----------------------------------------------------------------------===//
// The merged graph.
//===----------------------------------------------------------------------===//

struct Location {
  std::string File;
  Extent Range;
  bool IsDefinition = false;
};

struct Entity {
  Id ID = 0;
  std::string Usr;
  EntityKind Kind = EntityKind::Function;
  std::string Name;
  std::string QualifiedName;
  std::string Signature;
  std::string File; ///< of the definition if any, else the first declaration
  Extent Range;
  bool IsDefinition = false;
  std::vector<Location> Declarations; ///< every other declaration site
  Id Parent = 0;
  Language Lang = Language::Unknown;
  Access Acc = Access::None;
  uint32_t Flags = 0;
  bool IsTest = false;       ///< a test case (see EntityFact::IsTest)
  std::string TestName;      ///< see EntityFact::TestName
  std::string TestFramework; ///< see EntityFact::TestFramework
  bool External = false;
  uint64_t Hash = 0;
};

struct Site {
  std::string File;
  uint32_t Line = 0, Column = 0;
  bool Virtual = false;
  bool Candidate = false; ///< see SiteFact::Candidate
  friend auto operator<=>(const Site &, const Site &) = default;
};

struct Edge {
  EdgeKind Kind = EdgeKind::Calls;
  Id From = 0, To = 0;
  Access Acc = Access::None;
  bool Virtual = false;
  std::vector<Site> Sites;
};

/// Whether every site of E is a candidate (and it has one): no site is a
/// resolved call, so E may not be a call that happens. Walks leave such
/// edges out unless asked for candidates.
bool isCandidateEdge(const Edge &E);

struct FileInfo {
  Id ID = 0;
  std::string Path;
  Language Lang = Language::Unknown;
  FileRole Role = FileRole::Source;
  uint64_t Hash = 0;
  uint32_t Lines = 0;
  FileStatus Status = FileStatus::Indexed;
};

struct Diagnostic {
  std::string TranslationUnit; ///< main file of the TU that reported it
  std::string File;
  uint32_t Line = 0, Column = 0;
  Severity Sev = Severity::Error;
  std::string Message;
};

struct TestFile {
  std::string Path;
  std::vector<std::string> Reasons;
};

struct Coverage {
  std::string Path;
  CoverageFact Lines;
  double percent() const {
    return Lines.CodeLines ? 100.0 * Lines.EntityLines / Lines.CodeLines
                           : 100.0;
  }
};

struct IgnoredFile {
  std::string Path;
  std::string Reason;
};

struct TranslationUnitInfo {
  std::string MainFile;
  TuStatus Status = TuStatus::Ok;
  std::string FailureReason;
  uint32_t Diagnostics = 0;
};

/// Fields describing the project, stored with the index.
struct ProjectInfo {
  std::string Root;            ///< absolute source root
  std::string CompileCommands; ///< absolute path of compile_commands.json
  std::string TestsMode = "include";
};

} // namespace codeindex

#endif // CODEINDEX_GRAPH_MODEL_H
