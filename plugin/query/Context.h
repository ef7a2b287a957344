//===- Context.h - What to show about an entity within a budget -*- C++ -*-===//
//
// `query context SYMBOL --tokens N` (and `serve`'s /v1/context) picks what a
// reviewer or a coding agent should read about one entity when it can read
// at most N tokens: the entity's own source, then the signatures of its
// callers and callees and, as the budget allows, their bodies, closest first
// (direct callers and callees, then one call further, ...), then the tests
// that reach it. What does not fit is counted and named in "omitted".
//
// The budget is in estimated LLM tokens (estimateTokens()): the answer's
// compact JSON never estimates above it. Source text is read from the files
// under the graph's project root (GraphReader::projectRoot()); a file that
// is missing, outside the root or unreadable gives no text (the entity is
// still listed), never an error.
//
// Errors: QueryError (Usage) when the budget cannot hold even the entity's
// reference and the counts.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_CONTEXT_H
#define CODEINDEX_PLUGIN_QUERY_CONTEXT_H

#include "query/GraphView.h"
#include "query/Query.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <optional>
#include <string>

namespace codeindex {

/// The token estimate used everywhere a size is given in tokens (the
/// `tokens` of `serve`'s envelope, the budget of `context`): the UTF-8 bytes
/// of the value's compact JSON (no whitespace), divided by 4, rounded up.
/// Four bytes per token is the usual rate of BPE tokenizers on English and
/// code; JSON's quotes and punctuation make it an overestimate for most
/// models, so a budget kept by this count is kept by the model's own.
size_t estimateTokens(const ojson &J);
/// The same rule for a size in bytes.
inline size_t estimateTokensOfBytes(size_t Bytes) { return (Bytes + 3) / 4; }
/// J as compact JSON (what estimateTokens() measures).
std::string compactJson(const ojson &J);

/// Lines First..Last (1-based, inclusive) of the file Path: root-relative,
/// or absolute inside Root. The file's real path (symbolic links resolved)
/// must lie inside Root's. std::nullopt when Root is empty, the file is
/// outside the root, missing, unreadable or larger than MaxFileBytes.
/// Last is clamped to the file's last line; Last < First gives "".
std::optional<std::string> readSourceLines(llvm::StringRef Root,
                                           llvm::StringRef Path, unsigned First,
                                           unsigned Last,
                                           size_t MaxFileBytes = 16u << 20);

struct ContextOptions {
  /// How many levels of callers and callees to consider (0: unlimited).
  unsigned Depth = 2;
  /// Where source text is read from; empty: the reader's projectRoot().
  std::string Root;
};

/// The context of entity Target within Tokens (docs/querying.md, shape
/// "context"). Fails (QueryError::Usage) when Target is not an entity or
/// when not even its reference and the counts fit.
llvm::Expected<ojson> contextFor(const GraphReader &R, Id Target,
                                 unsigned Tokens, const ContextOptions &O = {});
/// The same over a view the caller already holds.
llvm::Expected<ojson> contextFor(const GraphView &G, Id Target, unsigned Tokens,
                                 const ContextOptions &O = {});

/// `query context SYMBOL`: resolves Arg (functions preferred), computes the
/// context with O.Tokens and O.Depth (2 unless --depth was given) and prints
/// it as O.Format says.
llvm::Error runContextCommand(const GraphView &G, llvm::StringRef Arg,
                              const QueryOptions &O, llvm::raw_ostream &OS);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_CONTEXT_H
