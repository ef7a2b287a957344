//===- Diff.h - What a change does to the code graph ------------*- C++ -*-===//
//
// `code-indexer diff BASE.json HEAD.json` compares two exports of the same
// project (e.g. the target branch and a pull request) and reports what a
// reviewer wants to know: entities added, removed, changed and renamed,
// files added, removed and changed, edges added and removed between nodes
// that exist on both sides, and for each changed entity its blast radius in
// HEAD (callers and referrers up to --hops) and the tests that reach it.
//
// Matching: entities by id (a hash of the USR; macros by file, name and
// ordinal), files by path; external entities are not compared. An entity
// is changed when the hash of its definition's tokens (comments and
// whitespace do not count) or its signature differs; a line that moved is
// no change. Ids that exist on one side only are then paired, so that the
// report stays quiet and says what happened:
//   - same kind and same definition hash, different name: a rename;
//   - same qualified name and kind (a new parameter list gives a new USR):
//     one changed entity whose signature changed; among overloads, the
//     removed and added ones whose parameter lists match best are paired.
//
// The result is one JSON value (documented in docs/querying.md), sorted
// deterministically: changed entities by blast radius, largest first.
// DiffMarkdown.h and DiffSarif.h render it; runDiff (DiffCommand.cpp) is the
// command.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_DIFF_H
#define CODEINDEX_PLUGIN_DIFF_H

#include "query/GraphIndex.h"
#include "query/Query.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <string>

namespace codeindex {

/// Computes the JSON shape of the diff between two loaded graphs.
/// IncludeCandidates: the blast radius and tests walk through candidate
/// edges too (GraphView::follows).
ojson diffGraphs(const GraphIndex &Base, const GraphIndex &Head, unsigned Hops,
                 bool IncludeCandidates = false);

/// --format of `diff`.
enum class DiffFormat { Markdown, Json, Sarif, Html };

/// The conditions of `diff --fail-on` (a bit set).
namespace failon {
enum : unsigned {
  Untested = 1u << 0,  ///< a changed function or method no test reaches
  Signature = 1u << 1, ///< the signature of a public entity changed
  Any = 1u << 2,       ///< any entity added, removed, changed or renamed
};
} // namespace failon

/// Parses a comma-separated list of --fail-on conditions ("untested",
/// "signature", "any"). Fails with QueryError::Usage naming the bad word.
llvm::Expected<unsigned> parseFailOn(llvm::StringRef List);

/// Everything `diff` is asked to do.
struct DiffRequest {
  std::string Base, Head; ///< the two exports
  unsigned Hops = 2;
  DiffFormat Format = DiffFormat::Markdown;
  /// Markdown: the most bytes it may take (0: no limit).
  size_t MaxBytes = 60000;
  /// If set, the full JSON diff is also written to this file.
  std::string FullReport;
  /// If set, where a reader finds the full report (the Markdown links it).
  std::string ReportUrl;
  unsigned FailOn = 0;     ///< failon:: bits
  std::string ToolVersion; ///< SARIF's tool.driver.version
  /// The blast radius and tests walk through candidate calls too.
  bool IncludeCandidates = false;
  /// If set, a CMake build directory: the tests to run are mapped to its
  /// CTest tests and the report ends with the `ctest` line running them.
  std::string BuildDir;
  /// If not 0, each changed entity in the JSON report carries its context
  /// (query context) within this many estimated tokens, for a review bot.
  unsigned ContextTokens = 0;
};

/// What a diff found, for the exit code.
struct DiffOutcome {
  bool Differences = false; ///< anything at all (entities, files, edges)
  unsigned Failed = 0;      ///< the failon:: conditions that hold
};

/// Runs `diff`: loads both exports, prints the result to OS in R.Format,
/// writes R.FullReport. Fails with QueryError::Usage when an export cannot
/// be read or the full report cannot be written.
llvm::Expected<DiffOutcome> runDiff(const DiffRequest &R,
                                    llvm::raw_ostream &OS);

/// The conditions among Mask that hold for the diff D (as from diffGraphs).
unsigned failedConditions(const ojson &D, unsigned Mask);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_DIFF_H
