//===- RunError.h - The typed errors of the pipeline ------------*- C++ -*-===//
//
// The pipeline returns llvm::Error / llvm::Expected; it never decides a
// process exit code. Each error it returns is a RunError whose kind the tool
// (plugin/tools/code-indexer) maps to an exit code (docs/cli.md).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_RUNERROR_H
#define CODEINDEX_PIPELINE_RUNERROR_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <string>

namespace codeindex {

enum class RunErrorKind {
  /// A bad option or input: the compile database, --root, --exclude, the
  /// store spec. Nothing was written.
  Usage,
  /// The index could not be opened, locked, read, written or committed, or
  /// the JSON export or errors.txt could not be written.
  Store,
  /// --strict, and some TU failed or had errors. Everything else succeeded:
  /// the index and the export are written. The message is for logs only;
  /// the run's summary already listed the TUs.
  TuFailures,
  /// The run was cancelled (CancellationToken). The message says what the
  /// index holds now.
  Interrupted,
};

class RunError : public llvm::ErrorInfo<RunError> {
public:
  static char ID;
  RunError(RunErrorKind Kind, std::string Message)
      : Kind(Kind), Message(std::move(Message)) {}
  RunErrorKind kind() const { return Kind; }
  std::string message() const override { return Message; }
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  RunErrorKind Kind;
  std::string Message;
};

inline llvm::Error runError(RunErrorKind Kind, const llvm::Twine &Message) {
  return llvm::make_error<RunError>(Kind, Message.str());
}

} // namespace codeindex

#endif // CODEINDEX_PIPELINE_RUNERROR_H
