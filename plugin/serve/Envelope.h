//===- Envelope.h - The JSON every `serve` response is ----------*- C++ -*-===//
//
// Every response of `serve` is one JSON object:
//
//   {"ok": true,  "query": {...}, "data": ..., "tokens": N}
//   {"ok": false, "query": {...}, "error": {"kind", "message", "exit_code",
//                                           "candidates"?}}
//
// "query" says what was asked (endpoint, argument, options) and which
// snapshot of the index answered ("generation": the server's count of
// snapshots, "index_generation": the directory CURRENT named). "data" is
// exactly what `query --format json` prints for the same question. "tokens"
// is estimateTokens(data) (query/Context.h): the compact JSON's UTF-8 bytes
// divided by 4, rounded up.
//
// Errors keep the command line's meaning: "exit_code" is the code `query`
// exits with for the same error (null for errors only a server has), and
// the HTTP status follows the kind (docs/serve.md lists them).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_SERVE_ENVELOPE_H
#define CODEINDEX_PLUGIN_SERVE_ENVELOPE_H

#include "query/GraphView.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace codeindex {

/// A failed request, before it is written.
struct ApiError {
  int Status = 500;            ///< HTTP status
  std::string Kind;            ///< "unknown_symbol", "ambiguous", ...
  std::string Message;         ///< the CLI's message where there is one
  std::optional<int> ExitCode; ///< the CLI's exit code for the same error
  ojson Candidates;            ///< null, or the entities an argument names
};

/// The success envelope around Data.
ojson successEnvelope(ojson Query, ojson Data);
/// The error envelope.
ojson errorEnvelope(ojson Query, const ApiError &E);

/// What an error of the query library (QueryError), of a deadline
/// (DeadlineExceeded) or any other becomes.
ApiError apiError(llvm::Error E);

/// Helpers for the errors only the server has.
ApiError badRequest(std::string Message);
ApiError notFound(std::string Kind, std::string Message);
ApiError forbidden(std::string Message);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_SERVE_ENVELOPE_H
