//===- DiffCommand.cpp - The diff subcommand ------------------------------===//
//
// Loads the two exports, computes the diff once and renders it in the
// format asked for; writes the full JSON report when asked; says which
// --fail-on conditions hold (the tool maps them to an exit code).
//
//===----------------------------------------------------------------------===//

#include "query/CTest.h"
#include "query/Context.h"
#include "query/Diff.h"
#include "query/DiffMarkdown.h"
#include "query/DiffSarif.h"
#include "query/HtmlReport.h"
#include "query/QueryError.h"

#include "llvm/Support/FileSystem.h"

using namespace llvm;

namespace codeindex {

namespace {

Error writeJsonFile(const std::string &Path, const ojson &J) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (!EC) {
    printJson(OS, J);
    OS.close();
    EC = OS.error();
  }
  if (EC)
    return usageError("cannot write '" + Path + "': " + EC.message());
  return Error::success();
}

/// D["ctest"]: the CTest tests of BuildDir that run the test cases among
/// the tests to run, and the command running exactly those. A build
/// without CTest tests, or none that runs them, is a note in the report,
/// not a failed diff: the review is still worth posting.
void addCTestCommand(const std::string &BuildDir, ojson &D) {
  std::vector<TestCaseRef> Cases;
  for (const ojson &T : D["tests_to_run"])
    if (T.contains("test_name"))
      Cases.push_back({T["test_name"].get<std::string>(),
                       T["framework"].get<std::string>(),
                       T["file"].get<std::string>()});
  ojson C;
  C["build_dir"] = BuildDir;
  C["command"] = nullptr;
  C["notes"] = ojson::array();
  if (Cases.empty()) {
    C["notes"].push_back("no test case reaches the changed entities");
  } else if (Expected<std::string> Cmd = ctestCommandFor(BuildDir, Cases)) {
    C["command"] = *Cmd;
  } else {
    C["notes"].push_back(toString(Cmd.takeError()));
  }
  D["ctest"] = C;
}

/// Each changed entity's "context" (Context.h) in HEAD: its source, its
/// callers' and callees' signatures and bodies and its tests, within Tokens.
/// A budget too small for any context is the user's error, said once.
Error addContexts(const GraphIndex &Head, unsigned Tokens, ojson &D) {
  for (ojson &C : D["entities"]["changed"]) {
    std::optional<Id> I = parseId(C["entity"]["id"].get<std::string>());
    if (!I)
      continue;
    Expected<ojson> Ctx = contextFor(Head, *I, Tokens);
    if (!Ctx)
      return Ctx.takeError();
    C["context"] = std::move(*Ctx);
  }
  return Error::success();
}

} // namespace

Expected<DiffOutcome> runDiff(const DiffRequest &R, raw_ostream &OS) {
  if (R.MaxBytes && R.MaxBytes < MinMarkdownBytes)
    return usageError("--max-bytes must be at least " +
                      Twine(MinMarkdownBytes) + " (or 0: no limit)");
  if (R.ReportUrl.size() > 1000)
    return usageError("--report-url is longer than 1000 characters");
  Graph B, H;
  for (auto [Path, G] : {std::pair(&R.Base, &B), std::pair(&R.Head, &H)})
    if (Status St = loadGraphJson(*Path, *G); !St.isOk())
      return usageError(St.message());
  GraphIndex Base(std::move(B)), Head(std::move(H));
  ojson D = diffGraphs(Base, Head, R.Hops, R.IncludeCandidates);
  if (!R.BuildDir.empty())
    addCTestCommand(R.BuildDir, D);
  if (R.ContextTokens)
    if (Error E = addContexts(Head, R.ContextTokens, D))
      return E;
  if (!R.FullReport.empty())
    if (Error E = writeJsonFile(R.FullReport, D))
      return E;

  switch (R.Format) {
  case DiffFormat::Markdown: {
    MarkdownOptions O;
    O.MaxBytes = R.MaxBytes;
    O.ReportUrl = R.ReportUrl;
    O.ReportFile = R.FullReport;
    printDiffMarkdown(D, O, OS);
    break;
  }
  case DiffFormat::Json:
    printJson(OS, D);
    break;
  case DiffFormat::Sarif:
    printJson(OS, diffSarif(D, R.ToolVersion));
    break;
  case DiffFormat::Html:
    writeDiffHtml(D, Head, OS);
    break;
  }

  DiffOutcome Out;
  for (auto &[K, V] : D["summary"].items())
    Out.Differences |= V.get<unsigned>() != 0;
  Out.Failed = failedConditions(D, R.FailOn);
  return Out;
}

} // namespace codeindex
