//===- DefinitionHash.cpp - The hash that says a definition changed -------===//

#include "extractor/DefinitionHash.h"

#include "clang/Lex/Lexer.h"
#include "llvm/Support/xxhash.h"

#include <string>

using namespace clang;

namespace codeindex {

uint64_t definitionHash(llvm::StringRef Text, llvm::StringRef Name,
                        const LangOptions &LO) {
  // The raw lexer wants a NUL after the last character.
  std::string Buf = Text.str();
  Lexer L(SourceLocation(), LO, Buf.data(), Buf.data(),
          Buf.data() + Buf.size());
  std::string Tokens;
  Tokens.reserve(Buf.size());
  Token Tok;
  for (;;) {
    L.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof))
      break;
    // In raw mode the lexer stops right after the token it returns.
    const char *End = L.getBufferLocation();
    llvm::StringRef Spelling(End - Tok.getLength(), Tok.getLength());
    if (Tok.is(tok::raw_identifier) && !Name.empty() &&
        Tok.getRawIdentifier() == Name)
      Spelling = "\x01";
    // A separator no token contains keeps `a b` apart from `ab`.
    Tokens += Spelling;
    Tokens += '\0';
  }
  uint64_t H = llvm::xxh3_64bits(Tokens);
  return H ? H : 1;
}

} // namespace codeindex
