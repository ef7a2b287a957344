//===- main.cpp - The code-indexer command line ---------------------------===//
//
// code-indexer extract -p BUILD [--db SPEC] [--json FILE] ...
// code-indexer export --db SPEC --json FILE
// code-indexer export --format dot (--db SPEC | --input FILE) --focus X ...
// code-indexer query (--db SPEC | --json FILE) SUBCOMMAND [ARGS] ...
// code-indexer diff BASE.json HEAD.json [--hops N] [--format json]
//
//===----------------------------------------------------------------------===//

#include "query/Diff.h"
#include "query/Dot.h"
#include "pipeline/Indexer.h"
#include "pipeline/RunError.h"
#include "tools/code-indexer/ExitCodes.h"
#include "query/Query.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

using namespace llvm;
using namespace codeindex;

namespace {

cl::OptionCategory Category("code-indexer options");

cl::SubCommand ExtractCmd("extract",
                          "Index the translation units of a compile database");
cl::SubCommand ExportCmd("export",
                         "Write the JSON export (or a Graphviz picture) of "
                         "an existing index");
cl::SubCommand QueryCmd("query",
                        "Answer graph questions from an index or an export");
cl::SubCommand DiffCmd("diff", "Compare two exports for a code review");

// ---- extract ----------------------------------------------------------------
cl::opt<std::string> BuildPath(
    "p", cl::desc("Build directory, or path to compile_commands.json"),
    cl::value_desc("build-dir"), cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<std::string>
    Db("db",
       cl::desc("Index store: rocksdb:PATH, lmdb:PATH or mem (default: "
                "rocksdb on Linux/macOS, lmdb on Windows, under "
                "BUILD/code-index/index)"),
       cl::value_desc("spec"), cl::sub(ExtractCmd), cl::sub(ExportCmd),
       cl::sub(QueryCmd), cl::cat(Category));
cl::opt<std::string> Json("json",
                          cl::desc("JSON export: extract and export write "
                                   "it, query reads it"),
                          cl::value_desc("file"), cl::sub(ExtractCmd),
                          cl::sub(ExportCmd), cl::sub(QueryCmd),
                          cl::cat(Category));
cl::opt<unsigned> Jobs("jobs",
                       cl::desc("Parallel Clang workers (default: all "
                                "hardware threads)"),
                       cl::init(0), cl::sub(ExtractCmd), cl::cat(Category));
cl::alias JobsShort("j", cl::desc("Alias for --jobs"), cl::aliasopt(Jobs),
                    cl::Prefix);
cl::opt<std::string>
    Root("root",
         cl::desc("Project source root; paths inside it are written relative "
                  "to it (default: common directory of the main files)"),
         cl::value_desc("dir"), cl::sub(ExtractCmd), cl::cat(Category));
cl::list<std::string> Exclude("exclude",
                              cl::desc("Do not index files matching this glob "
                                       "(root-relative path; repeatable)"),
                              cl::value_desc("glob"), cl::sub(ExtractCmd),
                              cl::cat(Category));
cl::opt<std::string> Tests("tests",
                           cl::desc("include|exclude entities of test files"),
                           cl::init("include"), cl::sub(ExtractCmd),
                           cl::cat(Category));
cl::opt<bool> Full("full",
                   cl::desc("Rebuild the index from scratch instead of "
                            "updating it incrementally"),
                   cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> IndexSystem("index-system",
                          cl::desc("Also index entities in system and "
                                   "third-party headers"),
                          cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> NoDedup("no-header-dedup",
                      cl::desc("Index every header in every TU that reads "
                               "it (slower; for comparison)"),
                      cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> Strict("strict",
                     cl::desc("Exit with code 3 if any TU failed or had "
                              "errors"),
                     cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<std::string> Wait("wait",
                          cl::desc("Wait for another run holding the index "
                                   "lock instead of failing; --wait=SECONDS "
                                   "gives up after that long"),
                          cl::value_desc("seconds"), cl::ValueOptional,
                          cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<std::string> RocksOptions(
    "rocksdb-options",
    cl::desc("RocksDB OPTIONS file to load (RocksDB's own format)"),
    cl::value_desc("file"), cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<std::string> ProgressOpt("progress", cl::desc("auto|always|never"),
                                 cl::init("auto"), cl::sub(ExtractCmd),
                                 cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Print errors only"), cl::sub(ExtractCmd),
                    cl::cat(Category));
cl::opt<unsigned> TuTimeout("tu-timeout",
                            cl::desc("Give up on a TU after this many "
                                     "seconds (0: no limit)"),
                            cl::init(0), cl::sub(ExtractCmd),
                            cl::cat(Category));

// ---- query, diff, export --format dot ---------------------------------------
cl::list<std::string> QueryArgs(cl::Positional, cl::desc("<subcommand> [args]"),
                                cl::sub(QueryCmd), cl::cat(Category));
cl::list<std::string> DiffArgs(cl::Positional,
                               cl::desc("<base.json> <head.json>"),
                               cl::sub(DiffCmd), cl::cat(Category));
cl::opt<std::string>
    Format("format",
           cl::desc("query: table|json; diff: markdown|json; export: "
                    "json|dot"),
           cl::value_desc("format"), cl::sub(QueryCmd), cl::sub(DiffCmd),
           cl::sub(ExportCmd), cl::cat(Category));
cl::opt<unsigned> Depth("depth",
                        cl::desc("callers/callees: how many levels (default "
                                 "1, 0: unlimited)"),
                        cl::init(1), cl::sub(QueryCmd), cl::cat(Category));
cl::opt<unsigned> Hops("hops",
                       cl::desc("blast-radius, diff, export --focus: how "
                                "many hops (default 2)"),
                       cl::init(2), cl::sub(QueryCmd), cl::sub(DiffCmd),
                       cl::sub(ExportCmd), cl::cat(Category));
cl::opt<unsigned> Top("top",
                      cl::desc("hotspots, search: how many results (default "
                               "10, 0: all)"),
                      cl::init(10), cl::sub(QueryCmd), cl::cat(Category));
cl::opt<std::string> KindFilter("kind",
                                cl::desc("entities: only this entity kind"),
                                cl::value_desc("kind"), cl::sub(QueryCmd),
                                cl::cat(Category));
cl::opt<std::string> FileFilter("file",
                                cl::desc("entities: only entities whose file "
                                         "matches this glob"),
                                cl::value_desc("glob"), cl::sub(QueryCmd),
                                cl::cat(Category));
cl::opt<std::string> NameFilter("name",
                                cl::desc("entities: only entities whose name "
                                         "or qualified name matches this "
                                         "glob"),
                                cl::value_desc("glob"), cl::sub(QueryCmd),
                                cl::cat(Category));
cl::opt<std::string> EdgesOpt("edges",
                              cl::desc("cycles: calls|includes (default "
                                       "calls)"),
                              cl::value_desc("kind"), cl::sub(QueryCmd),
                              cl::cat(Category));
cl::opt<bool> WithExternal("external",
                           cl::desc("entities, search, hotspots: include "
                                    "external entities"),
                           cl::sub(QueryCmd), cl::cat(Category));
cl::opt<std::string> Focus("focus",
                           cl::desc("export --format dot: the entity at the "
                                    "centre of the picture"),
                           cl::value_desc("symbol"), cl::sub(ExportCmd),
                           cl::cat(Category));
cl::opt<std::string> IncludeDir("include-graph",
                                cl::desc("export --format dot: the include "
                                         "graph of the files under this "
                                         "directory (root-relative; '.' for "
                                         "all)"),
                                cl::value_desc("dir"), cl::sub(ExportCmd),
                                cl::cat(Category));
cl::opt<std::string> Input("input",
                           cl::desc("export --format dot: read this JSON "
                                    "export instead of --db"),
                           cl::value_desc("file"), cl::sub(ExportCmd),
                           cl::cat(Category));
cl::opt<std::string> Output("o",
                            cl::desc("export --format dot: write here "
                                     "instead of stdout"),
                            cl::value_desc("file"), cl::sub(ExportCmd),
                            cl::cat(Category));

void printVersion(raw_ostream &OS) { OS << versionString() << "\n"; }

int usage(const Twine &Msg) {
  errs() << "code-indexer: error: " << Msg << "\n";
  return exitcode::Usage;
}

/// Set by the first SIGINT/SIGTERM of an `extract` run.
CancellationToken ExtractCancel;

/// The first SIGINT/SIGTERM asks for a clean stop; the default action is
/// restored so that a second one ends the process at once.
void onSignal(int Sig) {
  ExtractCancel.cancel(Sig);
  std::signal(Sig, SIG_DFL);
}

/// Prints a pipeline error and returns its exit code (docs/cli.md).
int reportRunError(Error E) {
  int Code = exitcode::Store;
  handleAllErrors(
      std::move(E),
      [&](const RunError &RE) {
        switch (RE.kind()) {
        case RunErrorKind::Usage:
          Code = exitcode::Usage;
          break;
        case RunErrorKind::Store:
          Code = exitcode::Store;
          break;
        case RunErrorKind::TuFailures:
          // The summary has listed the TUs already.
          Code = exitcode::TuFailures;
          return;
        case RunErrorKind::Interrupted:
          errs() << "code-indexer: " << RE.message() << "\n";
          Code = exitcode::Interrupted;
          return;
        }
        errs() << "code-indexer: error: " << RE.message() << "\n";
      },
      [&](const ErrorInfoBase &EI) {
        errs() << "code-indexer: error: " << EI.message() << "\n";
      });
  return Code;
}

int runExtractCommand(const ExtractRequest &R) {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  Expected<RunReport> Report = runExtract(R, ExtractCancel);
  int Code = Report ? exitcode::Ok : reportRunError(Report.takeError());
  if (frontendCrashed()) {
    // A crashed frontend left global objects pointing into its dead stack
    // (see frontendCrashed()); the index and the export are closed by now,
    // so skip the process's normal shutdown.
    outs().flush();
    errs().flush();
    std::fflush(nullptr);
    std::_Exit(Code);
  }
  return Code;
}

} // namespace

int main(int Argc, char **Argv) {
  InitLLVM X(Argc, Argv);
  // Past a file size limit (ulimit -f) writes fail with EFBIG, which every
  // write path reports as an error, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(Category);
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "code-indexer: a semantic code graph of C/C++ projects, built with "
          "Clang.\n\n"
          "  code-indexer extract -p BUILD [--db SPEC] [--json FILE]\n"
          "  code-indexer export --db SPEC --json FILE\n"
          "  code-indexer export --format dot (--db SPEC | --input FILE)\n"
          "                      (--focus SYMBOL [--hops N] | --include-graph "
          "DIR) [-o FILE]\n"
          "  code-indexer query (--db SPEC | --json FILE) SUBCOMMAND [ARGS]\n"
          "      [--format table|json]; subcommands: stats, entities, entity,\n"
          "      search, callers, callees, references, overrides, hierarchy,\n"
          "      blast-radius, cycles, hotspots, file, tests-for\n"
          "  code-indexer diff BASE.json HEAD.json [--hops N] "
          "[--format markdown|json]\n\n"
          "Run `code-indexer SUBCOMMAND --help` for a subcommand's options.\n",
          &errs()))
    return exitcode::Usage;

  if (ExtractCmd) {
    if (BuildPath.empty())
      return usage("extract needs -p <build-dir or compile_commands.json>");
    ExtractRequest R;
    R.CompileCommands = BuildPath;
    R.Db = Db;
    R.Json = Json;
    R.Jobs = Jobs;
    R.Root = Root;
    R.Exclude = Exclude;
    if (Tests != "include" && Tests != "exclude")
      return usage("--tests takes include or exclude, not '" + Tests + "'");
    R.ExcludeTests = Tests == "exclude";
    R.Full = Full;
    R.IndexSystem = IndexSystem;
    R.DedupHeaders = !NoDedup;
    R.Strict = Strict;
    R.WaitForLock = Wait.getNumOccurrences() > 0;
    if (!Wait.empty() && StringRef(Wait).getAsInteger(10, R.WaitSeconds))
      return usage("--wait takes a number of seconds, not '" + Wait + "'");
    R.RocksDbOptions = RocksOptions;
    if (ProgressOpt == "auto")
      R.Progress = ProgressMode::Auto;
    else if (ProgressOpt == "always")
      R.Progress = ProgressMode::Always;
    else if (ProgressOpt == "never")
      R.Progress = ProgressMode::Never;
    else
      return usage("--progress takes auto, always or never");
    R.Quiet = Quiet;
    R.TuTimeoutSeconds = TuTimeout;
    // For debuggers: let a crash in Clang reach them.
    R.CrashRecovery = !std::getenv("CODE_INDEX_NO_CRASH_RECOVERY");
    return runExtractCommand(R);
  }
  if (ExportCmd) {
    if (Format == "dot") {
      DotRequest D;
      D.Db = Db;
      D.Input = Input;
      D.Focus = Focus;
      D.Hops = Hops;
      D.IncludeDir = IncludeDir;
      D.Output = Output;
      return runDotExport(D);
    }
    if (!Format.empty() && Format != "json")
      return usage("export --format takes json or dot, not '" + Format + "'");
    if (Db.empty() || Json.empty())
      return usage("export needs --db SPEC and --json FILE");
    if (Error E = runExport(Db, Json))
      return reportRunError(std::move(E));
    return exitcode::Ok;
  }
  if (QueryCmd) {
    QueryOptions O;
    if (Format == "json")
      O.Format = OutputFormat::Json;
    else if (!Format.empty() && Format != "table")
      return usage("query --format takes table or json, not '" + Format + "'");
    O.Depth = Depth;
    O.Hops = Hops;
    O.Top = Top;
    O.Kind = KindFilter;
    O.File = FileFilter;
    O.Name = NameFilter;
    O.Edges = EdgesOpt;
    O.External = WithExternal;
    if (QueryArgs.empty())
      return runQuery(GraphIndex(Graph()), {}, O, outs(), errs());
    Graph G;
    if (int RC = loadQueryGraph(Db, Json, G, O.Source))
      return RC;
    return runQuery(GraphIndex(std::move(G)), QueryArgs, O, outs(), errs());
  }
  if (DiffCmd) {
    if (DiffArgs.size() != 2)
      return usage("diff takes two exports: BASE.json HEAD.json");
    DiffFormat F = DiffFormat::Markdown;
    if (Format == "json")
      F = DiffFormat::Json;
    else if (!Format.empty() && Format != "markdown")
      return usage("diff --format takes markdown or json, not '" + Format +
                   "'");
    return runDiff(DiffArgs[0], DiffArgs[1], Hops, F, outs());
  }
  errs() << "code-indexer: error: no subcommand given; valid subcommands: "
            "extract, export, query, diff (see --help)\n";
  return exitcode::Usage;
}
