//===- UnitFinish.cpp - Finishing the units of one TU ---------------------===//

#include "extractor/UnitFinish.h"
#include "extractor/DeclClassification.h"
#include "extractor/TestDetection.h"

#include "clang/Lex/Lexer.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <set>

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

/// A test case's name and framework, by the id of its entity.
using TestCaseIds = llvm::DenseMap<Id, const TestCase *>;

llvm::StringRef frameworkTitle(llvm::StringRef F) {
  return F == "gtest"     ? "GoogleTest"
         : F == "catch2"  ? "Catch2"
         : F == "doctest" ? "doctest"
                          : "Boost.Test";
}

/// Decides whether U's file is a test file (its reasons) and marks the test
/// cases it defines; drops a test file's entities under --tests exclude.
void applyTestDetection(UnitBuilder &U, const ExtractOptions &O,
                        const TestCaseIds &Tests) {
  FileFact &F = U.Facts.File;
  F.TestReasons.clear();
  if (U.External)
    return;
  if (O.TestHeuristics)
    F.TestReasons = testReasonsForPath(F.Path);
  for (const auto &[Text, Glob] : O.TestFiles)
    if (Glob.match(F.Path))
      F.TestReasons.push_back("matches --test-files " + Text);
  std::vector<EntityFact *> Cases;
  std::set<std::string> Frameworks;
  for (EntityFact &E : U.Facts.Entities) {
    auto It = Tests.find(E.ID);
    if (E.External || It == Tests.end() ||
        std::none_of(E.Decls.begin(), E.Decls.end(),
                     [](const DeclFact &D) { return D.IsDefinition; }))
      continue;
    Cases.push_back(&E);
    Frameworks.insert(frameworkTitle(It->second->Framework).str());
  }
  if (O.TestHeuristics)
    for (const std::string &Fw : Frameworks)
      F.TestReasons.push_back("defines test cases (" + Fw + ")");
  std::sort(F.TestReasons.begin(), F.TestReasons.end());
  F.TestReasons.erase(std::unique(F.TestReasons.begin(), F.TestReasons.end()),
                      F.TestReasons.end());
  bool IsTestFile = !F.TestReasons.empty();
  if (IsTestFile && F.Role != FileRole::Generated)
    F.Role = FileRole::Test;
  // Test cases count in test files only (with --no-test-heuristics, in the
  // files --test-files names).
  if (IsTestFile)
    for (EntityFact *E : Cases) {
      const TestCase *T = Tests.find(E->ID)->second;
      E->IsTest = true;
      E->TestName = T->Name;
      E->TestFramework = T->Framework;
    }
  if (IsTestFile && O.ExcludeTests) {
    U.Facts.Entities.clear();
    std::erase_if(U.Facts.Edges, [](const EdgeFact &E) {
      return E.Kind != EdgeKind::Includes;
    });
  }
}

void finishUnit(UnitBuilder &U) {
  for (EntityFact &E : U.Facts.Entities)
    std::sort(E.Decls.begin(), E.Decls.end());
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
  std::vector<TestCase> Cases;
  if (T.Tests)
    Cases = T.Tests->testCases();
  TestCaseIds TestIds;
  for (const TestCase &C : Cases)
    if (const NamedDecl *E = asEntity(C.Body))
      TestIds.try_emplace(G.idOf(E).first, &C);
  for (UnitBuilder &U : T.Units) {
    if (!U.External) {
      resolveExpansions(U, G);
      computeCoverage(U, *T.SM, *T.LO);
    }
    applyTestDetection(U, Ctx.Options, TestIds);
    finishUnit(U);
  }
}

} // namespace codeindex
