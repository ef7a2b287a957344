//===- SourceAccess.h - Source snippets from under the root -----*- C++ -*-===//
//
// `GET /v1/source?file=PATH&line=A&end=B`: lines A..B of a file under the
// indexed project's root, the only thing `serve` reads outside the index.
// PATH is root-relative (as the index spells paths) or absolute inside the
// root. Refused (403): a path with a ".." component, an absolute path
// outside the root, a path whose real location (symbolic links resolved)
// leaves the root. Also bounded: at most MaxSnippetLines lines, files of at
// most MaxSourceFileBytes.
//
// Thread-safety: stateless; call from any thread.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_SERVE_SOURCEACCESS_H
#define CODEINDEX_PLUGIN_SERVE_SOURCEACCESS_H

#include "serve/Envelope.h"

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <optional>
#include <variant>

namespace codeindex {

inline constexpr unsigned MaxSnippetLines = 2000;
inline constexpr size_t MaxSourceFileBytes = 16u << 20;

/// Lines Line..End (1-based, inclusive; End is clamped to the file's last
/// line; no End: Line + 99) of File under Root, as
/// {"file", "line", "end", "lines_in_file", "text"}, or why not.
std::variant<ojson, ApiError> readSnippet(llvm::StringRef Root,
                                          llvm::StringRef File, unsigned Line,
                                          std::optional<unsigned> End);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_SERVE_SOURCEACCESS_H
