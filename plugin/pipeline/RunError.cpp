//===- RunError.cpp - The typed errors of the pipeline --------------------===//

#include "pipeline/RunError.h"

#include "llvm/Support/raw_ostream.h"

namespace codeindex {

char RunError::ID = 0;

void RunError::log(llvm::raw_ostream &OS) const { OS << Message; }

std::error_code RunError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

} // namespace codeindex
