//===- Extractor.cpp - Index one translation unit with Clang --------------===//

#include "extractor/Extractor.h"
#include "extractor/GraphBuilder.h"
#include "extractor/IndexAction.h"
#include "extractor/TuState.h"
#include "extractor/Watchdog.h"

#include "clang/Basic/FileManager.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/ScopeExit.h"

#include <algorithm>
#include <chrono>

namespace codeindex {

using namespace clang;
using Clock = std::chrono::steady_clock;

TuResult
extractTranslationUnit(const TuInput &In, ExtractContext &Ctx,
                       llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> BaseFS) {
  TuResult R;
  R.Record.Key = In.Key;
  R.Record.MainFile = Ctx.Paths.display(In.MainFile);
  R.Record.Directory = In.Directory;
  R.Record.CommandHash = In.CommandHash;
  R.Record.Variant = In.Variant;
  auto Start = Clock::now();

  TuState T(In, Ctx, R);
  GraphBuilder G(T);
  if (Ctx.Options.TuTimeoutSeconds)
    Watchdog::get().watch(
        T.Expired, Start + std::chrono::seconds(Ctx.Options.TuTimeoutSeconds));
  auto Unwatch = llvm::make_scope_exit([&] {
    if (Ctx.Options.TuTimeoutSeconds)
      Watchdog::get().forget(T.Expired.get());
  });
  // A working directory of its own: the process-wide one is shared by every
  // worker thread.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS =
      BaseFS ? BaseFS : llvm::vfs::createPhysicalFileSystem();
  FS->setCurrentWorkingDirectory(In.Directory);
  llvm::IntrusiveRefCntPtr<FileManager> Files(
      new FileManager(FileSystemOptions(), FS));
  DiagnosticCollector Diags(T, R.Record.Diagnostics);
  bool Ok;
  {
    tooling::ToolInvocation Inv(
        In.Args, std::make_unique<IndexFrontendAction>(T, G), Files.get());
    Inv.setDiagnosticConsumer(&Diags);
    Ok = Inv.run();
    R.ParseSeconds =
        std::chrono::duration<double>(Clock::now() - Start).count() -
        T.ExtractSeconds;
  }
  bool HasErrors = std::any_of(
      R.Record.Diagnostics.begin(), R.Record.Diagnostics.end(),
      [](const DiagnosticFact &D) { return D.Sev >= Severity::Error; });
  // No units is normal when every file this TU read was claimed by TUs
  // with the same preprocessor variant (the same file compiled for several
  // targets); it is a failure only when the frontend never started.
  if (T.TimedOut) {
    R.Record.Status = TuStatus::TimedOut;
    R.Record.FailureReason = "timed out after " +
                             std::to_string(Ctx.Options.TuTimeoutSeconds) +
                             " s";
  } else if (T.Units.empty() && !T.SM) {
    R.Record.Status = TuStatus::Failed;
    R.Record.FailureReason =
        R.Record.Diagnostics.empty()
            ? "the Clang frontend could not run this command"
            : R.Record.Diagnostics.front().Message;
  } else {
    R.Record.Status = HasErrors || !Ok ? TuStatus::Errors : TuStatus::Ok;
  }
  for (UnitBuilder &U : T.Units) {
    R.Record.OwnedUnits.push_back(U.Facts.Key);
    R.Units.push_back(std::move(U.Facts));
  }
  R.ExtractSeconds =
      std::chrono::duration<double>(Clock::now() - Start).count() -
      R.ParseSeconds;
  return R;
}

} // namespace codeindex
