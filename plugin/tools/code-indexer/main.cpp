//===- main.cpp - The code-indexer command line ---------------------------===//
//
// code-indexer extract -p BUILD [--db SPEC] [--json FILE] ...
// code-indexer export --db SPEC --json FILE
//
//===----------------------------------------------------------------------===//

#include "Indexer.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace codeindex;

namespace {

cl::OptionCategory Category("code-indexer options");

cl::SubCommand ExtractCmd("extract",
                          "Index the translation units of a compile database");
cl::SubCommand ExportCmd("export",
                         "Write the JSON export of an existing index");

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
       cl::cat(Category));
cl::opt<std::string> Json("json",
                          cl::desc("Write the JSON export to this file"),
                          cl::value_desc("file"), cl::sub(ExtractCmd),
                          cl::sub(ExportCmd), cl::cat(Category));
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
cl::opt<bool> Wait("wait",
                   cl::desc("Wait for another run holding the index lock "
                            "instead of failing"),
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

void printVersion(raw_ostream &OS) { OS << versionString() << "\n"; }

int usage(const Twine &Msg) {
  errs() << "code-indexer: error: " << Msg << "\n";
  return exitcode::Usage;
}

} // namespace

int main(int Argc, char **Argv) {
  InitLLVM X(Argc, Argv);
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(Category);
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "code-indexer: a semantic code graph of C/C++ projects, built with "
          "Clang.\n\n"
          "  code-indexer extract -p BUILD [--db SPEC] [--json FILE]\n"
          "  code-indexer export --db SPEC --json FILE\n\n"
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
    R.WaitForLock = Wait;
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
    return runExtract(R);
  }
  if (ExportCmd) {
    if (Db.empty() || Json.empty())
      return usage("export needs --db SPEC and --json FILE");
    return runExport(Db, Json);
  }
  errs() << "code-indexer: error: no subcommand given; valid subcommands: "
            "extract, export (see --help)\n";
  return exitcode::Usage;
}
