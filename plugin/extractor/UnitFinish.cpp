//===- UnitFinish.cpp - Finishing the units of one TU ---------------------===//

#include "extractor/UnitFinish.h"
#include "extractor/TestDetection.h"

#include "clang/Lex/Lexer.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>

namespace codeindex {

using namespace clang;

namespace {

void computeCoverage(UnitBuilder &U, SourceManager &SM, const LangOptions &LO) {
  FileFact &F = U.Facts.File;
  uint32_t N = F.Lines;
  F.Coverage.TotalLines = N;
  if (!N)
    return;
  std::vector<uint8_t> Code(N + 2, 0), Comment(N + 2, 0), InEntity(N + 2, 0);
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(U.FID, &Invalid);
  if (Invalid)
    return;
  Lexer L(SM.getLocForStartOfFile(U.FID), LO, Buf.begin(), Buf.begin(),
          Buf.end());
  L.SetCommentRetentionState(true);
  Token Tok;
  auto LineOf = [&](const char *P) {
    return static_cast<uint32_t>(
        SM.getLineNumber(U.FID, static_cast<unsigned>(P - Buf.begin())));
  };
  while (!L.LexFromRawLexer(Tok) || Tok.isNot(tok::eof)) {
    if (Tok.is(tok::eof))
      break;
    const char *Start = Buf.begin() + SM.getFileOffset(Tok.getLocation());
    uint32_t A = LineOf(Start);
    uint32_t B = Tok.getLength() ? LineOf(Start + Tok.getLength() - 1) : A;
    auto &Mark = Tok.is(tok::comment) ? Comment : Code;
    for (uint32_t I = A; I <= B && I <= N; ++I)
      Mark[I] = 1;
  }
  for (const EntityFact &E : U.Facts.Entities) {
    if (E.External || E.Kind == EntityKind::Namespace)
      continue;
    for (const DeclFact &D : E.Decls)
      for (uint32_t I = D.Range.Line; I <= D.Range.EndLine && I <= N; ++I)
        InEntity[I] = 1;
  }
  for (uint32_t I = 1; I <= N; ++I) {
    F.Coverage.CodeLines += Code[I];
    F.Coverage.CommentLines += Comment[I] && !Code[I];
    F.Coverage.EntityLines += Code[I] && InEntity[I];
  }
}

/// Attributes each macro expansion to the innermost entity around it.
void resolveExpansions(UnitBuilder &U, GraphBuilder &G) {
  if (U.Expansions.empty())
    return;
  struct Span {
    Extent X;
    Id I;
  };
  std::vector<Span> Spans;
  for (const EntityFact &E : U.Facts.Entities)
    if (!E.External && E.Kind != EntityKind::Macro)
      for (const DeclFact &D : E.Decls)
        Spans.push_back({D.Range, E.ID});
  auto Before = [](uint32_t L1, uint32_t C1, uint32_t L2, uint32_t C2) {
    return L1 < L2 || (L1 == L2 && C1 <= C2);
  };
  for (const UnitBuilder::Expansion &X : U.Expansions) {
    const Span *Best = nullptr;
    for (const Span &S : Spans)
      if (Before(S.X.Line, S.X.Column, X.Line, X.Column) &&
          Before(X.Line, X.Column, S.X.EndLine, S.X.EndColumn) &&
          (!Best || Before(Best->X.Line, Best->X.Column, S.X.Line, S.X.Column)))
        Best = &S;
    Id From = Best ? Best->I : U.Facts.Key.File;
    G.edge(U, EdgeKind::ExpandsMacro, From, X.Macro)
        .Sites.push_back(SiteFact{X.Line, X.Column, false});
  }
}

void finishUnit(UnitBuilder &U, bool ExcludeTests) {
  for (const std::string &Inc : U.Includes)
    if (std::optional<std::string> R = testReasonForInclude(Inc))
      U.Facts.File.TestReasons.push_back(*R);
  std::sort(U.Facts.File.TestReasons.begin(), U.Facts.File.TestReasons.end());
  U.Facts.File.TestReasons.erase(std::unique(U.Facts.File.TestReasons.begin(),
                                             U.Facts.File.TestReasons.end()),
                                 U.Facts.File.TestReasons.end());
  bool IsTest = !U.Facts.File.TestReasons.empty();
  if (IsTest && U.Facts.File.Role != FileRole::Generated)
    U.Facts.File.Role = FileRole::Test;
  if (IsTest && ExcludeTests) {
    U.Facts.Entities.clear();
    std::erase_if(U.Facts.Edges, [](const EdgeFact &E) {
      return E.Kind != EdgeKind::Includes;
    });
  }
  for (EntityFact &E : U.Facts.Entities) {
    if (!E.External)
      E.IsTest = IsTest;
    std::sort(E.Decls.begin(), E.Decls.end());
  }
  std::sort(
      U.Facts.Entities.begin(), U.Facts.Entities.end(),
      [](const EntityFact &A, const EntityFact &B) { return A.ID < B.ID; });
  for (EdgeFact &E : U.Facts.Edges) {
    std::sort(E.Sites.begin(), E.Sites.end());
    E.Sites.erase(std::unique(E.Sites.begin(), E.Sites.end(),
                              [](const SiteFact &A, const SiteFact &B) {
                                return A.Line == B.Line && A.Column == B.Column;
                              }),
                  E.Sites.end());
  }
  std::sort(U.Facts.Edges.begin(), U.Facts.Edges.end(),
            [](const EdgeFact &A, const EdgeFact &B) {
              return std::tie(A.Kind, A.From, A.To) <
                     std::tie(B.Kind, B.From, B.To);
            });
}

} // namespace

void finishTu(TuState &T, GraphBuilder &G) {
  if (!T.SM)
    return;
  ExtractContext &Ctx = T.Ctx;
  // Everything read, for incremental indexing.
  for (auto It = T.SM->fileinfo_begin(); It != T.SM->fileinfo_end(); ++It) {
    const SrcMgr::ContentCache *CC = It->second;
    if (!CC || !CC->OrigEntry)
      continue;
    std::string Abs =
        T.SM->getFileManager().getCanonicalName(*CC->OrigEntry).str();
    uint64_t H;
    if (auto Buf = CC->getBufferIfLoaded()) {
      H = llvm::xxh3_64bits(Buf->getBuffer());
      Ctx.Hashes.put(Abs, H);
    } else {
      H = Ctx.Hashes.hashOf(Abs);
    }
    T.Out->Record.Inputs.emplace_back(Abs, H);
  }
  std::sort(T.Out->Record.Inputs.begin(), T.Out->Record.Inputs.end());
  T.Out->Record.Inputs.erase(
      std::unique(T.Out->Record.Inputs.begin(), T.Out->Record.Inputs.end()),
      T.Out->Record.Inputs.end());
  for (UnitBuilder &U : T.Units) {
    if (!U.External) {
      resolveExpansions(U, G);
      computeCoverage(U, *T.SM, *T.LO);
    }
    finishUnit(U, Ctx.Options.ExcludeTests);
  }
}

} // namespace codeindex
