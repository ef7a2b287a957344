//===- RunReport.cpp - What an extract run did ----------------------------===//

#include "pipeline/RunReport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace codeindex {

namespace {

std::string formatDuration(double Seconds) {
  char Buf[32];
  snprintf(Buf, sizeof Buf, "%.1f s", Seconds);
  return Buf;
}

/// "file:line:col: error: message"; a diagnostic without a location (a
/// stale PCH, a missing main file) is put on the TU itself.
std::string diagnosticLine(const DiagnosticFact &D, llvm::StringRef Tu) {
  std::string Out = (D.File.empty() ? Tu.str() : D.File) + ":";
  if (!D.File.empty() && D.Line) {
    Out += std::to_string(D.Line) + ":";
    if (D.Column)
      Out += std::to_string(D.Column) + ":";
  }
  Out += " ";
  Out += D.Sev == Severity::Fatal ? "fatal error: " : "error: ";
  return Out + D.Message;
}

} // namespace

std::string problemText(const TuProblem &P, llvm::StringRef Prefix,
                        size_t MaxDiagnostics) {
  std::string Out = Prefix.str() + P.Tu + ": ";
  size_t N = P.Diagnostics.size();
  if (P.Status == TuStatus::Errors)
    Out +=
        "indexed with " + std::to_string(N) + (N == 1 ? " error" : " errors");
  else
    Out += std::string(spell(P.Status));
  if (!P.Reason.empty())
    Out += ": " + P.Reason;
  Out += "\n";
  for (size_t I = 0; I < N && I < MaxDiagnostics; ++I)
    Out += diagnosticLine(P.Diagnostics[I], P.Tu) + "\n";
  if (N > MaxDiagnostics)
    Out += Prefix.str() + P.Tu + ": " + std::to_string(N - MaxDiagnostics) +
           " more not shown (--verbose shows them)\n";
  return Out;
}

void printSummary(const RunReport &R, llvm::raw_ostream &OS,
                  const SummaryOptions &O) {
  if (O.Counts) {
    OS << "code-indexer: " << R.TranslationUnits << " TUs (" << R.Parsed
       << " parsed, " << R.Unchanged << " unchanged, " << R.Failed
       << " failed, " << R.WithErrors << " with errors, " << R.Excluded
       << " excluded)";
    if (R.Reparsed)
      OS << ", " << R.Reparsed
         << " parsed again for headers whose owner failed or let them go";
    if (R.Json)
      OS << ", " << R.Files << " files, " << R.Entities << " entities, "
         << R.Edges << " edges";
    OS << " in " << formatDuration(R.TotalSeconds) << "\n";
    OS << "code-indexer: index: " << R.Index;
    if (R.Json)
      OS << "; json: " << R.JsonPath;
    OS << "\n";
  }
  if (O.Stats) {
    // Parse, extract and the workers' share of write and stall are summed
    // over the workers, so with --jobs N they add up to about N x wall.
    OS << "code-indexer: time " << formatDuration(R.TotalSeconds)
       << " (index committed at " << formatDuration(R.Seconds) << "): parse "
       << formatDuration(R.ParseSeconds) << ", extract "
       << formatDuration(R.ExtractSeconds) << ", write "
       << formatDuration(R.WriteSeconds) << ", stall "
       << formatDuration(R.StallSeconds) << " (summed over " << R.Jobs
       << (R.Jobs == 1 ? " worker" : " workers") << ")";
    if (R.Json)
      OS << "; export " << formatDuration(R.ExportSeconds);
    OS << "; write stalls: " << R.EngineStallMillis << " ms\n";
  }
  size_t Shown = 0;
  for (const TuProblem &P : R.Problems) {
    if (!O.All && Shown == O.MaxTus)
      break;
    OS << problemText(
        P, "code-indexer: ", O.All ? P.Diagnostics.size() : O.MaxDiagnostics);
    ++Shown;
  }
  if (Shown < R.Problems.size()) {
    OS << "code-indexer: ... and " << R.Problems.size() - Shown
       << " more TUs that failed or had errors (";
    if (R.Json)
      OS << "all of them in " << errorsFilePath(R.JsonPath) << "; ";
    OS << "--verbose prints every one)\n";
  }
}

std::string errorsFilePath(llvm::StringRef JsonPath) {
  llvm::StringRef Dir = llvm::sys::path::parent_path(JsonPath);
  return (Dir.empty() ? std::string(".") : Dir.str()) + "/errors.txt";
}

std::string errorsFileText(const RunReport &R) {
  std::string Out = "# translation units that failed or had errors: " +
                    std::to_string(R.Problems.size()) + "\n";
  for (const TuProblem &P : R.Problems)
    Out += problemText(P, "", P.Diagnostics.size());
  for (const std::string &C : R.Collisions)
    Out += "usr collision: " + C + "\n";
  return Out;
}

llvm::Error writeFileAtomically(const std::string &Path,
                                llvm::StringRef Contents) {
  auto Fail = [&](const std::string &What, std::error_code EC) {
    return llvm::createStringError(EC, "cannot %s %s: %s", What.c_str(),
                                   Path.c_str(), EC.message().c_str());
  };
  // The same contents leave the file (and its modification time) alone.
  if (auto Old = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false))
    if ((*Old)->getBuffer() == Contents)
      return llvm::Error::success();
  int FD = -1;
  llvm::SmallString<256> Tmp;
  // The temporary file lives beside the target so that the rename cannot
  // cross file systems; the unique name keeps concurrent runs apart.
  if (std::error_code EC =
          llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%%%", FD, Tmp))
    return Fail("create a temporary file for", EC);
  std::error_code EC;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/false);
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      EC = OS.error();
      OS.clear_error();
    }
  }
  if (!EC && ::fsync(FD) != 0)
    EC = std::error_code(errno, std::generic_category());
  ::close(FD);
  if (!EC)
    EC = llvm::sys::fs::rename(Tmp, Path);
  if (EC) {
    llvm::sys::fs::remove(Tmp);
    return Fail("write", EC);
  }
  return llvm::Error::success();
}

} // namespace codeindex
