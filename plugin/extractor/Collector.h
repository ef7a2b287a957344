//===- Collector.h - Clang's index callbacks to graph facts -----*- C++ -*-===//
//
// Internal to plugin/extractor. The producer, as clangd's SymbolCollector:
// an index::IndexDataConsumer that receives every declaration, reference,
// call and macro occurrence Clang's index library reports, keeps those in
// files this TU owns, and turns them into entities and edges through the
// GraphBuilder (contains, inherits, overrides, instantiates, calls,
// references, uses_type; macro definitions and expansions).
//
// Ownership: created by IndexFrontendAction per TU; references the TU's
// TuState and GraphBuilder, which outlive it. Thread-safety: the TU's
// frontend thread only. The callbacks never fail; they return true so that
// indexing goes on.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_COLLECTOR_H
#define CODEINDEX_PLUGIN_EXTRACTOR_COLLECTOR_H

#include "extractor/GraphBuilder.h"
#include "extractor/TuState.h"

#include "clang/Index/IndexDataConsumer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace codeindex {

class Collector : public clang::index::IndexDataConsumer {
public:
  Collector(TuState &T, GraphBuilder &G) : T(T), G(G) {}

  void initialize(clang::ASTContext &Ctx) override;

  bool
  handleDeclOccurrence(const clang::Decl *D, clang::index::SymbolRoleSet Roles,
                       llvm::ArrayRef<clang::index::SymbolRelation> Relations,
                       clang::SourceLocation Loc, ASTNodeInfo ASTNode) override;

  bool handleMacroOccurrence(const clang::IdentifierInfo *Name,
                             const clang::MacroInfo *MI,
                             clang::index::SymbolRoleSet Roles,
                             clang::SourceLocation Loc) override;

  void finish() override {}

  /// While set, the occurrences come from the bodies of implicit template
  /// instantiations (IndexAction's instantiation pass): what they reference
  /// is attributed to the templates it comes from (the container and the
  /// target, members of class template specializations included), and each
  /// call or reference is noted in its unit's Resolved set.
  void setInInstantiation(bool On) { InInstantiation = On; }

private:
  void onDeclaration(const clang::NamedDecl *D,
                     clang::index::SymbolRoleSet Roles,
                     clang::SourceLocation Loc, FileState &FS);
  void onReference(const clang::NamedDecl *D, clang::index::SymbolRoleSet Roles,
                   llvm::ArrayRef<clang::index::SymbolRelation> Relations,
                   clang::SourceLocation Loc, const clang::Decl *Parent,
                   const clang::Expr *OrigE, FileState &FS);
  /// Whether a reference made by E names a candidate rather than the
  /// callee: E is an overload set Clang could not resolve (a dependent call
  /// in a template) with two or more entities in it, or a dependent name
  /// the index resolved by looking into the primary template.
  bool isCandidate(const clang::Expr *E);
  Extent extentOf(const clang::Decl *D, clang::FileID FID,
                  clang::SourceLocation Fallback);

  /// The key a macro's id is made from: its file, its name and which
  /// `#define` of that name in the file it is. Clang's macro USR embeds the
  /// definition's byte offset, so an edit above the #define would give the
  /// macro a new id. Usr (the USR) when the definition is not found in the
  /// text.
  std::string macroKey(const FileState &DefFS, llvm::StringRef Name,
                       clang::SourceLocation DefLoc, const std::string &Usr);
  /// Offsets of the names of every `#define` in FID, by name.
  const llvm::StringMap<std::vector<unsigned>> &
  macroDefinitions(clang::FileID FID);

  TuState &T;
  GraphBuilder &G;
  llvm::DenseMap<clang::FileID, llvm::StringMap<std::vector<unsigned>>>
      MacroDefs;
  /// Anonymous namespaces already declared (Clang's index skips them).
  llvm::SmallPtrSet<const clang::Decl *, 4> AnonNamespaces;
  /// isCandidate() of each overload set seen: the index reports one
  /// reference per member of the set.
  llvm::DenseMap<const clang::Expr *, bool> OverloadSets;
  bool InInstantiation = false;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_COLLECTOR_H
