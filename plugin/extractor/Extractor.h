//===- Extractor.h - Index one translation unit with Clang ------*- C++ -*-===//
//
// extractTranslationUnit() runs a Clang frontend (libTooling) on one TU and
// turns what Clang's semantic analysis saw into graph facts, grouped by unit
// (file x preprocessor configuration). Clang's index library
// (clang::index::IndexDataConsumer) reports declarations, references, calls
// and macro occurrences; the AST adds inheritance, overrides, containment,
// template instantiation and signatures.
//
// Header deduplication: the first TU that reaches a unit claims it (see
// UnitClaims); later TUs still parse the header, because they must, but skip
// its function bodies (ASTConsumer::shouldSkipFunctionBody) and emit none
// of its facts.
//
// The pieces, in the order one TU goes through them (split by concept, as
// clangd's index is):
//   IndexAction.h        the frontend action, its consumers and callbacks
//   TuState.h            per-TU state: file claims, the units being built
//   Collector.h          clang::index callbacks -> entities and edges
//   DeclClassification.h kind, flags, access, names, signatures of a Decl
//   GraphBuilder.h       the one place entities and edges are deduplicated
//   UnitFinish.h         coverage, macro expansions, test detection, order
//   IdsAndPaths.h        ids, USRs, display paths (shared with the run)
//   UnitClaims.h         header claims and file hashes (shared with the run)
//   Watchdog.h           --tu-timeout deadlines
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_H
#define CODEINDEX_PLUGIN_EXTRACTOR_H

#include "codeindex/graph/Model.h"
#include "extractor/CompileCommands.h"
#include "extractor/IdsAndPaths.h"
#include "extractor/UnitClaims.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <string>
#include <vector>

namespace codeindex {

struct ExtractOptions {
  std::string Root; ///< absolute, real path of the project source root
  std::string
      BuildDir; ///< directory of compile_commands.json (generated files)
  bool IndexSystem = false;  ///< index entities in system/third-party headers
  bool ExcludeTests = false; ///< leave test files' entities out of the graph
  /// --test-files: files whose root-relative path matches one of these are
  /// test files (the text is the glob as given, for the reason shown).
  std::vector<std::pair<std::string, llvm::GlobPattern>> TestFiles;
  /// Off (--no-test-heuristics): only TestFiles make test files; paths that
  /// look like tests and files defining test cases do not.
  bool TestHeuristics = true;
  /// Skip bodies and facts of units claimed by another TU (header dedup).
  bool DedupHeaders = true;
  /// Files matching any of these (root-relative paths) are not indexed.
  std::vector<llvm::GlobPattern> Exclude;
  /// Stop a TU's frontend after this many seconds (0: no limit). The stop
  /// is cooperative: see docs/performance.md for what it can interrupt.
  unsigned TuTimeoutSeconds = 0;
  /// Index the bodies of implicit template instantiations too: what they
  /// call and reference is attributed to the template they come from, and a
  /// call they resolve replaces the candidate calls at its site
  /// (--index-instantiations; docs/graph-schema.md).
  bool IndexInstantiations = false;
};

/// What every TU of a run shares. The members are referenced, not owned: the
/// run (plugin/pipeline) owns them and keeps them alive while TUs run;
/// Claims, Hashes and Usrs are thread-safe, Options and Paths read-only.
struct ExtractContext {
  const ExtractOptions &Options;
  const PathMapper &Paths;
  UnitClaims &Claims;
  FileHashCache &Hashes;
  UsrRegistry &Usrs;
};

/// Everything one TU yields: its record and the facts of the units it owns.
/// A value; the caller owns it.
struct TuResult {
  TuRecord Record;
  std::vector<UnitFacts> Units;
  /// Time in the Clang frontend minus the extractor's share: preprocessing,
  /// parsing and semantic analysis.
  double ParseSeconds = 0;
  /// The extractor's share: clang::index's traversal and the Collector,
  /// file claims and hashing, finishing the units.
  double ExtractSeconds = 0;
};

/// Indexes one TU.
///
/// Errors: none are returned, and nothing throws. A TU Clang cannot parse
/// yields a result with Status Failed and its diagnostics; a TU with errors
/// is indexed as far as Clang's recovery goes (Status Errors); a TU stopped
/// by --tu-timeout has Status TimedOut.
///
/// Files are read through FS (the real file system when null), as clangd's
/// TestTU does: unit tests index in-memory sources. FS's working directory
/// is set to the TU's directory, so one FS must not be shared by TUs running
/// at the same time; the real file system is a fresh instance per call.
///
/// Thread-safety: any number of TUs may be indexed at once on different
/// threads with one shared ExtractContext (its members are thread-safe).
TuResult extractTranslationUnit(
    const TuInput &In, ExtractContext &Ctx,
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = nullptr);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_H
