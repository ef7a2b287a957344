//===- QueryError.cpp - Typed errors of the read side ---------------------===//

#include "query/QueryError.h"

#include "llvm/Support/raw_ostream.h"

namespace codeindex {

char QueryError::ID = 0;

void QueryError::log(llvm::raw_ostream &OS) const { OS << Message; }

std::error_code QueryError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

} // namespace codeindex
