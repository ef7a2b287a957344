//===- IndexAction.h - The frontend action that indexes one TU --*- C++ -*-===//
//
// Internal to plugin/extractor. As clangd's IndexAction: the ASTFrontendAction
// that wires the Collector into Clang's index library, tracks includes and
// file claims from the preprocessor, skips the bodies of functions in files
// another TU owns, resolves make_unique<T>-style calls with Sema still alive,
// polls the --tu-timeout deadline, and finishes the TU's units while the
// SourceManager lives. DiagnosticCollector keeps the TU's errors.
//
// Ownership: both reference the TU's TuState (and GraphBuilder), which must
// outlive them; the action is handed to tooling::ToolInvocation, which owns
// it. Thread-safety: the TU's frontend thread only. Errors are not returned:
// Clang reports them as diagnostics, which DiagnosticCollector records.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_INDEXACTION_H
#define CODEINDEX_PLUGIN_EXTRACTOR_INDEXACTION_H

#include "extractor/GraphBuilder.h"
#include "extractor/TuState.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/FrontendAction.h"

#include <memory>
#include <vector>

namespace codeindex {

class IndexFrontendAction : public clang::ASTFrontendAction {
public:
  IndexFrontendAction(TuState &T, GraphBuilder &G) : T(T), G(G) {}

  // The SourceManager dies with the CompilerInstance: finish while it lives.
  void EndSourceFileAction() override;

  // Parses with function bodies skippable (the consumer decides which, see
  // CreateASTConsumer) without setting FrontendOptions::SkipFunctionBodies:
  // a module that an import makes Clang build inherits this TU's options,
  // and would lose every function body of its headers.
  void ExecuteAction() override;

  // Sema skips the pending implicit instantiations at the end of a TU_Prefix
  // translation unit: without --index-instantiations the index does not
  // record references that exist only inside implicit instantiations, and
  // this saves a large share of the time on template-heavy code
  // (docs/graph-schema.md says what the index keeps). With it, the TU is
  // complete, so that Sema instantiates what the code uses.
  clang::TranslationUnitKind getTranslationUnitKind() override {
    return T.Ctx.Options.IndexInstantiations ? clang::TU_Complete
                                             : clang::TU_Prefix;
  }

  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override;

private:
  TuState &T;
  GraphBuilder &G;
};

/// Keeps the first 200 errors and fatal errors of a TU, with their location
/// as a display path.
class DiagnosticCollector : public clang::DiagnosticConsumer {
public:
  DiagnosticCollector(TuState &T, std::vector<DiagnosticFact> &Out)
      : T(T), Out(Out) {}

  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override;

private:
  TuState &T;
  std::vector<DiagnosticFact> &Out;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_INDEXACTION_H
