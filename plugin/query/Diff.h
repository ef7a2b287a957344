//===- Diff.h - What a change does to the code graph ------------*- C++ -*-===//
//
// `code-indexer diff BASE.json HEAD.json` compares two exports of the same
// project (e.g. the target branch and a pull request) and reports what a
// reviewer wants to know: entities added, removed and changed (body hash or
// signature; signature changes are called out), files added, removed and
// changed, edges added and removed between nodes that exist on both sides,
// and for each changed entity its blast radius in HEAD (callers and
// referrers up to --hops) and the tests that reach it.
//
// Entities are matched by id (a hash of the USR), files by path; external
// entities are not compared. Output is Markdown (a PR comment) or JSON
// (documented in docs/querying.md); both are sorted deterministically.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_DIFF_H
#define CODEINDEX_PLUGIN_DIFF_H

#include "query/GraphIndex.h"
#include "query/Query.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace codeindex {

enum class DiffFormat { Markdown, Json, Html };

/// Computes the JSON shape of the diff between two loaded graphs.
ojson diffGraphs(const GraphIndex &Base, const GraphIndex &Head, unsigned Hops);

/// Renders a diff (as computed by diffGraphs) as Markdown.
void printDiffMarkdown(const ojson &D, llvm::raw_ostream &OS);

/// Runs `diff`: loads both exports, prints the result to OS. Fails with
/// QueryError::Usage when an export cannot be read.
llvm::Error runDiff(const std::string &BasePath, const std::string &HeadPath,
                    unsigned Hops, DiffFormat F, llvm::raw_ostream &OS);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_DIFF_H
