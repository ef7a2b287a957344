//===- IndexAction.cpp - The frontend action that indexes one TU ----------===//

#include "extractor/IndexAction.h"
#include "extractor/Collector.h"
#include "extractor/DeclClassification.h"
#include "extractor/UnitFinish.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Stack.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Index/IndexingAction.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Parse/ParseAST.h"
#include "clang/Sema/SemaConsumer.h"
#include "clang/Sema/TemplateInstCallback.h"
#include "clang/Serialization/ASTReader.h"
#include "clang/Serialization/ModuleFile.h"
#include "clang/Serialization/ModuleManager.h"

namespace codeindex {

using namespace clang;

namespace {

//===----------------------------------------------------------------------===//
// Preprocessor callbacks: includes and the file claims.
//===----------------------------------------------------------------------===//

class IncludeTracker : public PPCallbacks {
public:
  IncludeTracker(TuState &T, GraphBuilder &G) : T(T), G(G) {}

  void FileChanged(SourceLocation Loc, FileChangeReason Reason,
                   SrcMgr::CharacteristicKind, FileID) override {
    if (Reason == EnterFile && Loc.isValid())
      T.fileState(T.SM->getFileID(Loc));
  }

  void InclusionDirective(SourceLocation HashLoc, const Token &,
                          StringRef /*FileName*/, bool /*IsAngled*/,
                          CharSourceRange, OptionalFileEntryRef File, StringRef,
                          StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    FileState *FS = T.fileStateFor(HashLoc);
    if (!FS || !FS->Owned)
      return;
    UnitBuilder &U = T.unit(*FS);
    if (!File)
      return;
    std::string Abs = T.SM->getFileManager().getCanonicalName(*File).str();
    Id To = fileId(T.Ctx.Paths.display(Abs));
    auto [L, C] = T.lineCol(HashLoc);
    G.edge(U, EdgeKind::Includes, U.Facts.Key.File, To)
        .Sites.push_back(SiteFact{L, C, false});
  }

private:
  TuState &T;
  GraphBuilder &G;
};

/// Polls the --tu-timeout deadline at preprocessor events, which the
/// token watcher does not see when they hand the parser no token: macro
/// expansions inside #if/#elif (a macro bomb), directives, entering and
/// leaving files. Past the deadline it keeps the preprocessor stopped:
/// every file it comes back to is cut, every macro that still expands is
/// undefined.
class DeadlinePoller : public PPCallbacks {
public:
  explicit DeadlinePoller(TuState &T) : T(T) {}

  void FileChanged(SourceLocation, FileChangeReason, SrcMgr::CharacteristicKind,
                   FileID) override {
    if (T.pastDeadline())
      T.cutInput();
  }
  void InclusionDirective(SourceLocation, const Token &, StringRef, bool,
                          CharSourceRange, OptionalFileEntryRef, StringRef,
                          StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    T.pastDeadline();
  }
  void MacroExpands(const Token &Name, const MacroDefinition &, SourceRange,
                    const MacroArgs *) override {
    if (T.pastDeadline())
      T.undefineMacro(Name.getIdentifierInfo());
  }
  void MacroDefined(const Token &, const MacroDirective *) override {
    T.pastDeadline();
  }
  void If(SourceLocation, SourceRange, ConditionValueKind) override {
    T.pastDeadline();
  }
  void Elif(SourceLocation, SourceRange, ConditionValueKind,
            SourceLocation) override {
    T.pastDeadline();
  }
  void Ifdef(SourceLocation, const Token &, const MacroDefinition &) override {
    T.pastDeadline();
  }
  void Ifndef(SourceLocation, const Token &, const MacroDefinition &) override {
    T.pastDeadline();
  }

private:
  TuState &T;
};

//===----------------------------------------------------------------------===//
// The consumers and the frontend action.
//===----------------------------------------------------------------------===//

/// Runs last in the consumer chain, with Sema still alive: indexes the
/// declarations read from AST files, then resolves factory calls
/// (std::make_unique<T>) to the constructor they run.
class FinishConsumer : public SemaConsumer {
public:
  FinishConsumer(TuState &T, GraphBuilder &G, CompilerInstance &CI,
                 std::shared_ptr<Collector> C, index::IndexingOptions Opts)
      : T(T), G(G), CI(CI), C(std::move(C)), Opts(std::move(Opts)) {}
  void InitializeSema(Sema &S) override;
  void ForgetSema() override { T.S = nullptr; }
  // False stops ParseAST after this declaration.
  bool HandleTopLevelDecl(DeclGroupRef D) override {
    for (Decl *X : D)
      if (FileState *FS = T.fileStateFor(X->getLocation());
          FS && FS->Owned && T.Tests)
        T.Tests->add(X);
    return !T.TimedOut;
  }
  void HandleTranslationUnit(ASTContext &) override;

private:
  void indexAstFiles();
  void indexAstFileMacros();
  void indexInstantiations();

  TuState &T;
  GraphBuilder &G;
  CompilerInstance &CI;
  std::shared_ptr<Collector> C;
  index::IndexingOptions Opts;
};

/// --index-instantiations: notes each implicit instantiation of a function
/// definition that Sema hands to the consumers (it does, so that code
/// generation sees it) when its template is in a file this TU owns.
class InstantiationRecorder : public ASTConsumer {
public:
  explicit InstantiationRecorder(TuState &T) : T(T) {}
  bool HandleTopLevelDecl(DeclGroupRef DG) override {
    for (Decl *D : DG)
      if (const auto *FD = dyn_cast<FunctionDecl>(D);
          FD && FD->doesThisDeclarationHaveABody() &&
          FD->getTemplateSpecializationKind() == TSK_ImplicitInstantiation)
        if (FileState *FS = T.fileStateFor(FD->getLocation()); FS && FS->Owned)
          T.Instantiations.push_back(FD);
    return true;
  }

private:
  TuState &T;
};

/// Drops the candidate sites of U that an instantiation resolved (a call or
/// reference of the same kind from the same entity at the same place), and
/// the edges left without a site.
void dropResolvedCandidates(UnitBuilder &U) {
  if (U.Resolved.empty())
    return;
  bool Emptied = false;
  for (EdgeFact &E : U.Facts.Edges) {
    if (E.Sites.empty())
      continue;
    std::erase_if(E.Sites, [&](const SiteFact &S) {
      return S.Candidate &&
             U.Resolved.count({E.Kind, E.From, S.Line, S.Column});
    });
    Emptied |= E.Sites.empty();
  }
  if (!Emptied)
    return;
  std::erase_if(U.Facts.Edges, [](const EdgeFact &E) {
    return E.Sites.empty() &&
           (E.Kind == EdgeKind::Calls || E.Kind == EdgeKind::References);
  });
  U.EdgeIndex.clear();
  for (size_t I = 0; I < U.Facts.Edges.size(); ++I) {
    const EdgeFact &E = U.Facts.Edges[I];
    U.EdgeIndex[std::make_tuple(E.Kind, E.From, E.To)] = I;
  }
}

class ConstructFinder : public RecursiveASTVisitor<ConstructFinder> {
public:
  std::vector<const CXXConstructorDecl *> Found;
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    if (const CXXConstructorDecl *Ctor = E->getConstructor())
      Found.push_back(Ctor);
    return true;
  }
};

/// Polls the --tu-timeout deadline while Sema instantiates templates, which
/// can run long without the preprocessor producing a token.
class DeadlineCallback : public TemplateInstantiationCallback {
public:
  explicit DeadlineCallback(TuState &T) : T(T) {}
  void initialize(const Sema &) override {}
  void finalize(const Sema &) override {}
  void atTemplateBegin(const Sema &,
                       const Sema::CodeSynthesisContext &) override {
    T.pastDeadline();
  }
  void atTemplateEnd(const Sema &,
                     const Sema::CodeSynthesisContext &) override {}

private:
  TuState &T;
};

void FinishConsumer::InitializeSema(Sema &S) {
  T.S = &S;
  if (T.Ctx.Options.TuTimeoutSeconds)
    S.TemplateInstCallbacks.push_back(std::make_unique<DeadlineCallback>(T));
}

// Declarations read from AST files (a PCH, Clang modules) never reach
// HandleTopLevelDecl: the index consumer sees only what this TU parsed, so a
// header compiled into a .pch or a module had no entities. Each AST file's
// file-level declarations go through the same collector and options, as if
// parsed from source; the claims still give a header's facts to one TU, and
// ShouldTraverseDecl skips what another TU owns.
void FinishConsumer::indexAstFiles() {
  ASTReader *Reader = CI.getASTReader().get();
  if (!Reader)
    return;
  bool Any = false;
  for (serialization::ModuleFile &MF : Reader->getModuleManager()) {
    switch (MF.Kind) {
    case serialization::MK_PCH:
    case serialization::MK_ImplicitModule:
    case serialization::MK_ExplicitModule:
    case serialization::MK_PrebuiltModule:
      index::indexModuleFile(MF, *Reader, *C, Opts);
      Any = true;
      break;
    default:
      break;
    }
  }
  if (Any)
    indexAstFileMacros();
}

// Macro definitions read from AST files are not seen by the preprocessor
// callbacks either: report each one defined in a loaded (AST file) location
// as a definition. Expansions inside those headers were never lexed in
// this TU and cannot be recorded.
void FinishConsumer::indexAstFileMacros() {
  Preprocessor &PP = CI.getPreprocessor();
  SourceManager &SM = CI.getSourceManager();
  auto Visit = [&](const IdentifierInfo *II, const MacroInfo *MI) {
    if (MI && !MI->isBuiltinMacro() &&
        SM.isLoadedSourceLocation(MI->getDefinitionLoc()))
      C->handleMacroOccurrence(
          II, MI, static_cast<unsigned>(index::SymbolRole::Definition),
          MI->getDefinitionLoc());
  };
  for (const auto &M : PP.macros(/*IncludeExternalMacros=*/true)) {
    const IdentifierInfo *II = M.first;
    for (const MacroDirective *MD = PP.getLocalMacroDirectiveHistory(II); MD;
         MD = MD->getPrevious())
      if (const auto *Def = dyn_cast<DefMacroDirective>(MD))
        Visit(II, Def->getInfo());
    for (const ModuleMacro *MM : PP.getLeafModuleMacros(II))
      Visit(II, MM->getMacroInfo());
  }
}

// The bodies of the implicit instantiations (--index-instantiations), which
// Sema has made by now (the TU is complete), go through the collector as one
// more batch of declarations, with Clang's index told to enter implicit
// instantiations. The collector attributes their calls and references to
// the templates (the sites are the templates' own source); a call resolved
// there replaces the candidate calls at its site. Before the factory calls
// are resolved: an instantiation can call std::make_unique<T> too.
void FinishConsumer::indexInstantiations() {
  if (T.Instantiations.empty())
    return;
  index::IndexingOptions IO = Opts;
  IO.IndexImplicitInstantiation = true;
  C->setInInstantiation(true);
  index::indexTopLevelDecls(*T.AST, *T.PP, T.Instantiations, *C, IO);
  C->setInInstantiation(false);
  for (UnitBuilder &U : T.Units)
    dropResolvedCandidates(U);
}

void FinishConsumer::HandleTranslationUnit(ASTContext &) {
  if (!T.S || T.TimedOut)
    return;
  indexAstFiles();
  indexInstantiations();
  for (const TuState::FactoryCall &FC : T.FactoryCalls) {
    auto *FD = const_cast<FunctionDecl *>(FC.Callee);
    if (!FD->isDefined() && FD->getTemplateInstantiationPattern())
      T.S->InstantiateFunctionDefinition(FC.Loc, FD, /*Recursive=*/false,
                                         /*DefinitionRequired=*/false,
                                         /*AtEndOfTU=*/true);
    const FunctionDecl *Def = nullptr;
    if (!FD->isDefined(Def) || !Def->getBody())
      continue;
    QualType Made;
    if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs())
      if (Args->size() && Args->get(0).getKind() == TemplateArgument::Type)
        Made = Args->get(0).getAsType();
    const CXXRecordDecl *MadeRD =
        Made.isNull() ? nullptr : Made->getAsCXXRecordDecl();
    ConstructFinder F;
    F.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    FileState *FS = T.fileStateFor(FC.Loc);
    if (!FS || !FS->Owned)
      continue;
    UnitBuilder &U = T.unit(*FS);
    for (const CXXConstructorDecl *Ctor : F.Found) {
      if (MadeRD &&
          Ctor->getParent()->getCanonicalDecl() != MadeRD->getCanonicalDecl())
        continue;
      const NamedDecl *E = asEntity(Ctor);
      if (!E)
        continue;
      G.addEdge(U, EdgeKind::Calls, G.sourceNode(U, FC.Caller), G.idOf(E).first,
                FC.Loc);
      G.noteTarget(U, E);
    }
  }
}

/// The consumer chain, timed: clang::index traverses each top-level
/// declaration and calls the Collector inside HandleTopLevelDecl.
class TimedConsumer : public MultiplexConsumer {
public:
  TimedConsumer(TuState &T, std::vector<std::unique_ptr<ASTConsumer>> C)
      : MultiplexConsumer(std::move(C)), T(T) {}
  bool HandleTopLevelDecl(DeclGroupRef D) override {
    ExtractTimer Timer(T);
    return MultiplexConsumer::HandleTopLevelDecl(D);
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    ExtractTimer Timer(T);
    MultiplexConsumer::HandleTranslationUnit(Ctx);
  }

private:
  TuState &T;
};

} // namespace

void IndexFrontendAction::EndSourceFileAction() {
  ExtractTimer Timer(T);
  finishTu(T, G);
}

void IndexFrontendAction::ExecuteAction() {
  CompilerInstance &CI = getCompilerInstance();
  if (!CI.hasPreprocessor())
    return;
  noteBottomOfStack();
  if (!CI.hasSema())
    CI.createSema(getTranslationUnitKind(), /*CompletionConsumer=*/nullptr);
  ParseAST(CI.getSema(), CI.getFrontendOpts().ShowStats,
           /*SkipFunctionBodies=*/true);
}

std::unique_ptr<ASTConsumer>
IndexFrontendAction::CreateASTConsumer(CompilerInstance &CI, StringRef) {
  T.SM = &CI.getSourceManager();
  T.LO = &CI.getLangOpts();
  T.Lang = CI.getLangOpts().CPlusPlus ? Language::Cxx : Language::C;
  T.Tests.emplace(CI.getSourceManager());
  CI.getDiagnostics().setWarningsAsErrors(false);
  // No "N errors generated." on stderr: it would break the progress line,
  // and the diagnostics are in the index.
  CI.getDiagnosticOpts().ShowCarets = false;
  std::shared_ptr<Preprocessor> PP = CI.getPreprocessorPtr();
  PP->addPPCallbacks(std::make_unique<IncludeTracker>(T, G));
  T.PP = PP.get();
  if (T.Ctx.Options.TuTimeoutSeconds)
    PP->addPPCallbacks(std::make_unique<DeadlinePoller>(T));
  if (T.Ctx.Options.TuTimeoutSeconds)
    PP->setTokenWatcher([this](const Token &Tok) {
      if (!T.pastDeadline())
        return;
      // Past the deadline the input ends here: every token the parser
      // receives becomes eof, so it closes what is open and stops. (Tok
      // is the caller's token, not a const object.)
      Token &Eof = const_cast<Token &>(Tok);
      SourceLocation Loc = Eof.getLocation();
      Eof.startToken();
      Eof.setKind(tok::eof);
      Eof.setLocation(Loc);
    });
  auto C = std::make_shared<Collector>(T, G);
  index::IndexingOptions Opts;
  Opts.SystemSymbolFilter =
      T.Ctx.Options.IndexSystem
          ? index::IndexingOptions::SystemSymbolFilterKind::All
          : index::IndexingOptions::SystemSymbolFilterKind::None;
  Opts.IndexFunctionLocals = false;
  Opts.IndexImplicitInstantiation = false;
  Opts.IndexMacros = true;
  Opts.IndexMacrosInPreprocessor = false;
  Opts.IndexTemplateParameters = false;
  Opts.ShouldTraverseDecl = [this](const Decl *D) {
    FileState *FS = T.fileStateFor(D->getLocation());
    return !FS || FS->Owned;
  };
  auto SkipBody = [this](const Decl *D) {
    if (const auto *FD = D->getAsFunction(); FD && isFactory(FD))
      return false; // needed to resolve make_unique<T> to T's constructor
    FileState *FS = T.fileStateFor(D->getLocation());
    return FS && !FS->Owned;
  };
  std::vector<std::unique_ptr<ASTConsumer>> Consumers;
  if (T.Ctx.Options.IndexInstantiations)
    Consumers.push_back(std::make_unique<InstantiationRecorder>(T));
  Consumers.push_back(
      index::createIndexingASTConsumer(C, Opts, PP, std::move(SkipBody)));
  Consumers.push_back(std::make_unique<FinishConsumer>(T, G, CI, C, Opts));
  return std::make_unique<TimedConsumer>(T, std::move(Consumers));
}

void DiagnosticCollector::HandleDiagnostic(DiagnosticsEngine::Level Level,
                                           const clang::Diagnostic &Info) {
  DiagnosticConsumer::HandleDiagnostic(Level, Info);
  if (Level < DiagnosticsEngine::Error)
    return;
  DiagnosticFact D;
  D.Sev = Level == DiagnosticsEngine::Fatal ? Severity::Fatal : Severity::Error;
  llvm::SmallString<256> Msg;
  Info.FormatDiagnostic(Msg);
  D.Message = Msg.str().str();
  if (Info.hasSourceManager() && Info.getLocation().isValid()) {
    SourceManager &SM = Info.getSourceManager();
    SourceLocation L = SM.getFileLoc(Info.getLocation());
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(L)))
      D.File =
          T.Ctx.Paths.display(SM.getFileManager().getCanonicalName(*FE).str());
    D.Line = SM.getSpellingLineNumber(L);
    D.Column = SM.getSpellingColumnNumber(L);
  }
  if (Out.size() < 200)
    Out.push_back(std::move(D));
}

} // namespace codeindex
