//===- GraphBuilder.h - Entities and edges of one TU's units ----*- C++ -*-===//
//
// Internal to plugin/extractor. The one place that creates entity facts and
// edge facts and keeps them unique within a unit: an entity by id, an edge
// by (kind, from, to), with every site appended to the one edge. The
// collector, the preprocessor callbacks and the finishing step all go
// through it, so deduplication has a single definition. It also gives every
// declaration its id (USR, re-rooted to the project path for
// internal-linkage names) and makes sure every edge target exists in the
// graph (noteTarget).
//
// Ownership: created per TU next to its TuState, which it references and
// must not outlive. Thread-safety: none; the TU's frontend thread only.
// Nothing fails: a declaration without a USR gets a name-based one.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_GRAPHBUILDER_H
#define CODEINDEX_PLUGIN_EXTRACTOR_GRAPHBUILDER_H

#include "extractor/TuState.h"

#include <string>
#include <unordered_map>
#include <utility>

namespace codeindex {

class GraphBuilder {
public:
  explicit GraphBuilder(TuState &T) : T(T) {}
  GraphBuilder(const GraphBuilder &) = delete;
  GraphBuilder &operator=(const GraphBuilder &) = delete;

  /// Id and USR of an entity (the USR made unique within the project for
  /// declarations with internal linkage). The reference is valid for the
  /// whole TU.
  const std::pair<Id, std::string> &idOf(const clang::NamedDecl *D);

  /// The entity fact of D in unit U: created with its attributes on first
  /// sight (a minimal external record if External), upgraded from external
  /// when U turns out to declare it. The reference is valid until the next
  /// entity is added to U.
  EntityFact &entity(UnitBuilder &U, const clang::NamedDecl *D, bool External);

  /// The entity fact with id I in U, and whether it was just created (the
  /// caller then fills it in). For entities that are not declarations
  /// (macros).
  std::pair<EntityFact &, bool> entity(UnitBuilder &U, Id I);

  /// The edge (K, From, To) of U, created without sites on first use. The
  /// reference is valid until the next edge is added to U.
  EdgeFact &edge(UnitBuilder &U, EdgeKind K, Id From, Id To);

  /// Adds an edge between two entities (or a file and an entity) with its
  /// site. Edges without an end are dropped, and so are self-loops other
  /// than calls and references (recursion is kept). Candidate marks the
  /// site as one candidate of an unresolved overload set (SiteFact).
  void addEdge(UnitBuilder &U, EdgeKind K, Id From, Id To,
               clang::SourceLocation Site, bool Virtual = false,
               Access A = Access::None, bool VirtualBase = false,
               bool Candidate = false);

  /// Makes sure the target of an edge exists in the graph: its declaring
  /// unit emits it, or this unit records it as external (with its parents).
  void noteTarget(UnitBuilder &U, const clang::NamedDecl *D);

  /// The node an edge starts from when a reference sits in Container: the
  /// enclosing entity, else U's file.
  Id sourceNode(UnitBuilder &U, const clang::Decl *Container);

private:
  TuState &T;
  std::unordered_map<const clang::Decl *, std::pair<Id, std::string>> UsrCache;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_GRAPHBUILDER_H
