//===- DefinitionHash.h - The hash that says a definition changed -*- C++ -*-=//
//
// An entity's `hash` tells a reviewer (code-indexer diff) that a definition
// changed. It is computed over the definition's tokens, not its bytes, so
// that edits which change no token (comments, whitespace, line breaks,
// re-indentation) leave it as it was, and with the entity's own name
// replaced by a placeholder, so that a rename that changes nothing else
// keeps the hash (diff reports such a pair as a rename).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_DEFINITIONHASH_H
#define CODEINDEX_PLUGIN_EXTRACTOR_DEFINITIONHASH_H

#include "clang/Basic/LangOptions.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace codeindex {

/// The xxh3 hash of the tokens of Text (raw-lexed with LO: comments and
/// whitespace do not count, the spelling of each token does), with every
/// identifier equal to Name counted as one placeholder. Never 0 for a
/// non-empty Text, so 0 can keep meaning "no definition". Thread-safe.
uint64_t definitionHash(llvm::StringRef Text, llvm::StringRef Name,
                        const clang::LangOptions &LO);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_DEFINITIONHASH_H
