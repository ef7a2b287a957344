//===- QueryError.h - Typed errors of the read side -------------*- C++ -*-===//
//
// The query library (query, diff, export --format dot) reports failures as
// llvm::Error values of one type, QueryError, whose kind says whose fault it
// is: the user's (a bad argument, an unknown or ambiguous symbol, an
// unreadable export) or the index's (it cannot be opened or read). The
// library never picks an exit code; plugin/tools/code-indexer/ maps the kind
// to one (docs/cli.md lists them).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_QUERYERROR_H
#define CODEINDEX_PLUGIN_QUERY_QUERYERROR_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <string>

namespace codeindex {

class QueryError : public llvm::ErrorInfo<QueryError> {
public:
  enum Kind {
    /// Bad usage or bad input: an unknown subcommand or option, a wrong
    /// number of arguments, an unknown or ambiguous symbol, an export that
    /// cannot be read.
    Usage,
    /// The index cannot be opened or read (missing, locked, damaged,
    /// incompatible).
    Index,
  };

  static char ID;

  /// Message is what follows "code-indexer: error: "; it may span several
  /// lines (an ambiguous name lists the candidates) and has no final
  /// newline.
  QueryError(Kind K, std::string Message) : K(K), Message(std::move(Message)) {}

  Kind kind() const { return K; }
  std::string message() const override { return Message; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  Kind K;
  std::string Message;
};

inline llvm::Error usageError(const llvm::Twine &Message) {
  return llvm::make_error<QueryError>(QueryError::Usage, Message.str());
}

inline llvm::Error indexError(const llvm::Twine &Message) {
  return llvm::make_error<QueryError>(QueryError::Index, Message.str());
}

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_QUERYERROR_H
