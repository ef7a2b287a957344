//===- Model.cpp - Spellings of the graph's enums -------------------------===//

#include "codeindex/graph/Model.h"

#include <array>

namespace codeindex {

std::string formatId(Id I) {
  static constexpr char Hex[] = "0123456789abcdef";
  std::string S(16, '0');
  for (int K = 15; K >= 0; --K, I >>= 4)
    S[K] = Hex[I & 0xf];
  return S;
}

std::optional<Id> parseId(std::string_view S) {
  if (S.size() != 16)
    return std::nullopt;
  Id V = 0;
  for (char C : S) {
    int D;
    if (C >= '0' && C <= '9')
      D = C - '0';
    else if (C >= 'a' && C <= 'f')
      D = C - 'a' + 10;
    else if (C >= 'A' && C <= 'F')
      D = C - 'A' + 10;
    else
      return std::nullopt;
    V = (V << 4) | static_cast<Id>(D);
  }
  return V;
}

static constexpr std::array<std::string_view, NumEntityKinds> EntityKindNames =
    {"namespace",
     "class",
     "struct",
     "union",
     "enum",
     "enumerator",
     "function",
     "method",
     "constructor",
     "destructor",
     "conversion_function",
     "operator",
     "field",
     "variable",
     "type_alias",
     "macro",
     "concept"};

static constexpr std::array<std::string_view, NumEdgeKinds> EdgeKindNames = {
    "calls",    "references",   "uses_type", "inherits",     "overrides",
    "contains", "instantiates", "includes",  "expands_macro"};

static constexpr std::array<std::string_view, flag::Count> FlagNames = {
    "static",
    "inline",
    "virtual",
    "pure_virtual",
    "override",
    "final",
    "const",
    "constexpr",
    "consteval",
    "template",
    "template_specialization",
    "implicit",
    "deleted",
    "defaulted",
    "extern_c",
    "noexcept"};

std::string_view spell(EntityKind K) {
  return EntityKindNames[static_cast<size_t>(K)];
}
std::string_view spell(EdgeKind K) {
  return EdgeKindNames[static_cast<size_t>(K)];
}

std::string_view spell(Access A) {
  switch (A) {
  case Access::None:
    return "none";
  case Access::Public:
    return "public";
  case Access::Protected:
    return "protected";
  case Access::Private:
    return "private";
  }
  return "none";
}

std::string_view spell(Language L) {
  switch (L) {
  case Language::Unknown:
    return "unknown";
  case Language::C:
    return "c";
  case Language::Cxx:
    return "c++";
  }
  return "unknown";
}

std::string_view spell(FileRole R) {
  switch (R) {
  case FileRole::Source:
    return "source";
  case FileRole::Header:
    return "header";
  case FileRole::Test:
    return "test";
  case FileRole::Generated:
    return "generated";
  case FileRole::System:
    return "system";
  }
  return "source";
}

std::string_view spell(FileStatus S) {
  switch (S) {
  case FileStatus::Indexed:
    return "indexed";
  case FileStatus::Failed:
    return "failed";
  case FileStatus::Skipped:
    return "skipped";
  }
  return "indexed";
}

std::string_view spell(Severity S) {
  switch (S) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  case Severity::Fatal:
    return "fatal";
  }
  return "error";
}

std::string_view spell(TuStatus S) {
  switch (S) {
  case TuStatus::Ok:
    return "ok";
  case TuStatus::Errors:
    return "errors";
  case TuStatus::Failed:
    return "failed";
  case TuStatus::Crashed:
    return "crashed";
  case TuStatus::TimedOut:
    return "timed_out";
  case TuStatus::Skipped:
    return "skipped";
  }
  return "ok";
}

std::optional<EntityKind> parseEntityKind(std::string_view S) {
  for (size_t I = 0; I < EntityKindNames.size(); ++I)
    if (EntityKindNames[I] == S)
      return static_cast<EntityKind>(I);
  return std::nullopt;
}

std::optional<EdgeKind> parseEdgeKind(std::string_view S) {
  for (size_t I = 0; I < EdgeKindNames.size(); ++I)
    if (EdgeKindNames[I] == S)
      return static_cast<EdgeKind>(I);
  return std::nullopt;
}

std::vector<std::string_view> flagNames(uint32_t Flags) {
  std::vector<std::string_view> Out;
  for (int I = 0; I < flag::Count; ++I)
    if (Flags & (1u << I))
      Out.push_back(FlagNames[I]);
  return Out;
}

std::optional<uint32_t> parseFlag(std::string_view S) {
  for (int I = 0; I < flag::Count; ++I)
    if (FlagNames[I] == S)
      return 1u << I;
  return std::nullopt;
}

bool isCandidateEdge(const Edge &E) {
  if (E.Sites.empty())
    return false;
  for (const Site &S : E.Sites)
    if (!S.Candidate)
      return false;
  return true;
}

bool isFunctionLike(EntityKind K) {
  switch (K) {
  case EntityKind::Function:
  case EntityKind::Method:
  case EntityKind::Constructor:
  case EntityKind::Destructor:
  case EntityKind::ConversionFunction:
  case EntityKind::Operator:
    return true;
  default:
    return false;
  }
}

} // namespace codeindex
