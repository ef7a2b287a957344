//===- Keys.h - The key layout of every graph table -------------*- C++ -*-===//
//
// One place that knows how the graph layer's keys are laid out (see
// GraphStore.h for the table list and docs/storage.md for the rationale).
// GraphStore, the storage benchmark and the tests build and parse keys only
// through these functions, so a layout change is one edit here.
//
//   entities   id · unit                    EntityKeyBytes
//   out_edges  kind · from · to · unit      EdgeKeyBytes  (kind: 1 byte)
//   in_edges   kind · to · from · unit      EdgeKeyBytes
//   names      lower(name) · \0 · id · unit name ≤ MaxNameKeyBytes
//   files, test_files, coverage
//              path · \0 · variant
//   units      unit                         UnitBytes
//   tu_state   tu id                        IdBytes
//   diagnostics tu id · sequence (4 bytes)  DiagnosticKeyBytes
//
// Ids, variants and sequence numbers are fixed-width big-endian
// (codeindex/storage/Coding.h), so byte order is numeric order and every
// leading part of a key is a prefix scan.
//
// Thread-safety: pure functions. Parsers return false on a key of the wrong
// shape (callers report Status::corruption) and never read past the key.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_KEYS_H
#define CODEINDEX_GRAPH_KEYS_H

#include "codeindex/graph/Model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace codeindex::keys {

inline constexpr size_t IdBytes = 8;
/// A unit: file id, then variant.
inline constexpr size_t UnitBytes = 2 * IdBytes;
inline constexpr size_t EntityKeyBytes = IdBytes + UnitBytes;
/// kind · from · to: every unit's fact about one edge shares it.
inline constexpr size_t EdgePairBytes = 1 + 2 * IdBytes;
inline constexpr size_t EdgeKeyBytes = EdgePairBytes + UnitBytes;
/// kind · endpoint: the prefix of all edges of one kind at one entity.
inline constexpr size_t EdgeEndpointBytes = 1 + IdBytes;
/// Names longer than this are truncated in the names key (search is by
/// prefix, and the full name is in the entity).
inline constexpr size_t MaxNameKeyBytes = 256;
/// What follows the name in a names key: \0 · id · unit.
inline constexpr size_t NameSuffixBytes = 1 + IdBytes + UnitBytes;
/// What follows the path in a files/test_files/coverage key: \0 · variant.
inline constexpr size_t PathSuffixBytes = 1 + IdBytes;
inline constexpr size_t DiagnosticKeyBytes = IdBytes + 4;

// ---- builders ---------------------------------------------------------------

/// An 8-byte id key (tu_state; also the prefix of an entity's facts and of a
/// TU's diagnostics).
std::string idKey(Id I);
std::string unitKey(const UnitKey &U);
void appendUnit(std::string &K, const UnitKey &U);

std::string entityKey(Id I, const UnitKey &U);

/// out_edges key: edgeKey(K, From, To, U); in_edges key: edgeKey(K, To,
/// From, U).
std::string edgeKey(EdgeKind K, Id A, Id B, const UnitKey &U);
/// kind · A: all edges of kind K whose first endpoint is A.
std::string edgeEndpointPrefix(EdgeKind K, Id A);
/// kind · A · B: every unit's fact about one edge.
std::string edgePairPrefix(EdgeKind K, Id A, Id B);

/// ASCII lower-casing, the case folding of the names table.
std::string lowerName(std::string_view S);
/// lower(Name) truncated to MaxNameKeyBytes, \0, id, unit.
std::string nameKey(std::string_view Name, Id I, const UnitKey &U);
/// The prefix of every names key of entities whose lower-cased name starts
/// with Prefix (Prefix is lower-cased and truncated here).
std::string namePrefix(std::string_view Prefix);
/// The prefix of every names key of entities whose lower-cased name is
/// Name. For names longer than MaxNameKeyBytes it also matches other names
/// with the same first MaxNameKeyBytes bytes: compare the entity's name.
std::string exactNamePrefix(std::string_view Name);

std::string pathKey(std::string_view Path, uint64_t Variant);
/// The prefix of every variant's key of Path.
std::string pathPrefix(std::string_view Path);

std::string diagnosticKey(Id Tu, uint32_t Seq);

// ---- parsers ----------------------------------------------------------------

/// The unit in the last UnitBytes of K (K must be at least that long).
UnitKey unitAtEnd(std::string_view K);

bool parseUnitKey(std::string_view K, UnitKey &U);
bool parseIdKey(std::string_view K, Id &I);
bool parseEntityKey(std::string_view K, Id &I, UnitKey &U);
/// Parses an out_edges or in_edges key into its kind, its two endpoints in
/// key order and its unit. False on a wrong size or an unknown kind.
bool parseEdgeKey(std::string_view K, EdgeKind &Kind, Id &A, Id &B, UnitKey &U);
/// The lower-cased (possibly truncated) name, id and unit of a names key.
bool parseNameKey(std::string_view K, std::string_view &LowerName, Id &I,
                  UnitKey &U);
bool parsePathKey(std::string_view K, std::string_view &Path,
                  uint64_t &Variant);

} // namespace codeindex::keys

#endif // CODEINDEX_GRAPH_KEYS_H
