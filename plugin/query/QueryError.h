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
#include <vector>

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

  /// What a usage error is about, for callers that answer with more than
  /// a message (`serve` picks its HTTP status from it). The exit code of the
  /// command line depends on kind() only.
  enum Reason {
    General,       ///< a bad subcommand, option or argument, or anything else
    UnknownSymbol, ///< no entity (or file) matches the argument
    Ambiguous,     ///< several do; candidates() lists them
  };

  /// One of the entities (or files) an ambiguous argument names.
  struct Candidate {
    std::string Id;       ///< 16 hex digits; empty for a file
    std::string Kind;     ///< "function", ..., "file"
    std::string Name;     ///< signature or qualified name; a file's path
    std::string Location; ///< "file:line", or the path
  };

  static char ID;

  /// Message is what follows "code-indexer: error: "; it may span several
  /// lines (an ambiguous name lists the candidates) and has no final
  /// newline.
  QueryError(Kind K, std::string Message, Reason R = General,
             std::vector<Candidate> Candidates = {})
      : K(K), R(R), Message(std::move(Message)),
        Candidates(std::move(Candidates)) {}

  Kind kind() const { return K; }
  Reason reason() const { return R; }
  const std::vector<Candidate> &candidates() const { return Candidates; }
  std::string message() const override { return Message; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  Kind K;
  Reason R;
  std::string Message;
  std::vector<Candidate> Candidates;
};

inline llvm::Error usageError(const llvm::Twine &Message) {
  return llvm::make_error<QueryError>(QueryError::Usage, Message.str());
}

inline llvm::Error indexError(const llvm::Twine &Message) {
  return llvm::make_error<QueryError>(QueryError::Index, Message.str());
}

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_QUERYERROR_H
