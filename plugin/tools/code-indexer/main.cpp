//===- main.cpp - The code-indexer command line ---------------------------===//
//
// code-indexer extract -p BUILD [--db SPEC] [--json FILE] ...
// code-indexer export --db SPEC --json FILE
// code-indexer export --format dot (--db SPEC | --input FILE) --focus X ...
// code-indexer query (--db SPEC | --json FILE) SUBCOMMAND [ARGS] ...
// code-indexer diff BASE.json HEAD.json [--hops N] [--format json|sarif|html]
//                   [--max-bytes N] [--full-report FILE] [--fail-on ...]
// code-indexer serve --db SPEC [--port N] [--bind ADDR [--allow-remote]]
//
//===----------------------------------------------------------------------===//

#include "pipeline/Indexer.h"
#include "pipeline/RunError.h"
#include "pipeline/WorkerProtocol.h"
#include "query/Diff.h"
#include "query/Dot.h"
#include "query/Query.h"
#include "serve/Server.h"
#include "tools/code-indexer/ExitCodes.h"
#include "tools/code-indexer/OutOfResources.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

#ifndef _WIN32
#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>
#endif

using namespace llvm;
using namespace codeindex;

namespace {

/// The parser of an option with a fixed set of values (cl::values): a value
/// outside the set gets one line naming the valid ones, in the form of the
/// tool's other errors. WithSubcommand: the option exists in several
/// subcommands with different values (--format), so the message names the
/// subcommand.
template <typename T, bool WithSubcommand = false>
class ValueParser : public cl::parser<T> {
public:
  using cl::parser<T>::parser;

  bool parse(cl::Option &O, StringRef ArgName, StringRef Arg, T &V) {
    (void)ArgName;
    std::vector<StringRef> Names;
    for (const auto &Info : this->Values) {
      if (Info.Name == Arg) {
        V = Info.V.getValue();
        return false;
      }
      Names.push_back(Info.Name);
    }
    std::string List;
    for (size_t I = 0; I < Names.size(); ++I)
      List += (I == 0                  ? ""
               : I + 1 == Names.size() ? " or "
                                       : ", ") +
              Names[I].str();
    errs() << "code-indexer: error: ";
    if (WithSubcommand && !O.Subs.empty())
      errs() << (*O.Subs.begin())->getName() << " ";
    errs() << "--" << O.ArgStr << " takes " << List << ", not '" << Arg
           << "'\n";
    return true;
  }
};

enum class TestsMode { Include, Exclude };
enum class ExportFormat { Json, Dot };
enum class ColorChoice { Auto, Always, Never };

cl::OptionCategory Category("code-indexer options");

cl::SubCommand ExtractCmd("extract",
                          "Index the translation units of a compile database");
cl::SubCommand ExportCmd("export",
                         "Write the JSON export (or a Graphviz picture) of "
                         "an existing index");
cl::SubCommand QueryCmd("query",
                        "Answer graph questions from an index or an export");
cl::SubCommand DiffCmd("diff", "Compare two exports for a code review");
cl::SubCommand ServeCmd("serve",
                        "Answer the query subcommands over HTTP (loopback "
                        "only unless --allow-remote)");

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
       cl::sub(QueryCmd), cl::sub(ServeCmd), cl::cat(Category));
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
cl::opt<TestsMode, false, ValueParser<TestsMode>>
    Tests("tests", cl::desc("Entities of test files:"),
          cl::values(clEnumValN(TestsMode::Include, "include",
                                "indexed (the default)"),
                     clEnumValN(TestsMode::Exclude, "exclude", "left out")),
          cl::init(TestsMode::Include), cl::sub(ExtractCmd), cl::cat(Category));
cl::list<std::string>
    TestFilesOpt("test-files",
                 cl::desc("Files matching this glob (root-relative path) are "
                          "test files: their test cases count (repeatable)"),
                 cl::value_desc("glob"), cl::sub(ExtractCmd),
                 cl::cat(Category));
cl::opt<bool> NoTestHeuristics(
    "no-test-heuristics",
    cl::desc("Only --test-files make test files (not paths that look like "
             "tests, nor files defining test cases)"),
    cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> Full("full",
                   cl::desc("Rebuild the index from scratch instead of "
                            "updating it incrementally"),
                   cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> IndexSystem("index-system",
                          cl::desc("Also index entities in system and "
                                   "third-party headers"),
                          cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> IndexInstantiations(
    "index-instantiations",
    cl::desc("Also index the bodies of implicit template instantiations: "
             "their calls and references count for the template"),
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
cl::opt<ProgressMode, false, ValueParser<ProgressMode>> ProgressOpt(
    "progress", cl::desc("Progress line on stderr:"),
    cl::values(clEnumValN(ProgressMode::Auto, "auto", "on a terminal"),
               clEnumValN(ProgressMode::Always, "always", "always"),
               clEnumValN(ProgressMode::Never, "never", "never")),
    cl::init(ProgressMode::Auto), cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> Quiet("quiet",
                    cl::desc("Print only the translation units that failed "
                             "or had errors"),
                    cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> Stats("stats",
                    cl::desc("Say where the time went (parse, extract, write, "
                             "write stalls, export)"),
                    cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<bool> Verbose("verbose",
                      cl::desc("--stats, and every error of every "
                               "translation unit (not only the first ones)"),
                      cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<Isolation, false, ValueParser<Isolation>> IsolationOpt(
    "isolation", cl::desc("Where each translation unit's Clang runs:"),
    cl::values(clEnumValN(Isolation::Process, "process",
                          "in worker processes (default): a crash or "
                          "out-of-memory fails that TU only"),
               clEnumValN(Isolation::Thread, "thread",
                          "on threads of this process (crash recovery at "
                          "best effort; for debugging; the default on "
                          "Windows)")),
#ifdef _WIN32
    cl::init(Isolation::Thread),
#else
    // Worker processes cost about 1% CPU (docs/performance.md) and contain
    // every crash; threads stay for debuggers and for Windows, which has no
    // worker processes yet.
    cl::init(Isolation::Process),
#endif
    cl::sub(ExtractCmd), cl::cat(Category));
cl::opt<unsigned> TuMemory("tu-memory",
                           cl::desc("With --isolation=process: fail a TU "
                                    "that needs more than this many MB "
                                    "(0: no limit; Linux)"),
                           cl::value_desc("MB"), cl::init(0),
                           cl::sub(ExtractCmd), cl::cat(Category));
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
cl::opt<OutputFormat, false, ValueParser<OutputFormat, true>> QueryFormat(
    "format", cl::desc("Output:"),
    cl::values(clEnumValN(OutputFormat::Table, "table", "a table (default)"),
               clEnumValN(OutputFormat::Json, "json", "JSON")),
    cl::init(OutputFormat::Table), cl::sub(QueryCmd), cl::cat(Category));
cl::opt<DiffFormat, false, ValueParser<DiffFormat, true>> DiffFormatOpt(
    "format", cl::desc("Output:"),
    cl::values(clEnumValN(DiffFormat::Markdown, "markdown",
                          "Markdown for a pull request (default)"),
               clEnumValN(DiffFormat::Json, "json", "JSON"),
               clEnumValN(DiffFormat::Sarif, "sarif",
                          "SARIF 2.1.0 for code scanning"),
               clEnumValN(DiffFormat::Html, "html",
                          "one self-contained HTML page with pictures")),
    cl::init(DiffFormat::Markdown), cl::sub(DiffCmd), cl::cat(Category));
cl::opt<unsigned> MaxBytes("max-bytes",
                           cl::desc("diff: the Markdown takes at most this "
                                    "many bytes (default 60000; 0: no "
                                    "limit)"),
                           cl::init(60000), cl::sub(DiffCmd),
                           cl::cat(Category));
cl::opt<std::string> FullReport("full-report",
                                cl::desc("diff: also write the full JSON "
                                         "diff to this file (the Markdown "
                                         "names it)"),
                                cl::value_desc("file"), cl::sub(DiffCmd),
                                cl::cat(Category));
cl::opt<std::string> ReportUrl("report-url",
                               cl::desc("diff: where readers find the full "
                                        "report (the Markdown links it)"),
                               cl::value_desc("url"), cl::sub(DiffCmd),
                               cl::cat(Category));
cl::opt<unsigned> ContextTokens(
    "context-tokens",
    cl::desc("diff: attach to each changed entity in the JSON report its "
             "context (query context) within N estimated tokens"),
    cl::value_desc("N"), cl::init(0), cl::sub(DiffCmd), cl::cat(Category));
cl::opt<std::string> FailOn("fail-on",
                            cl::desc("diff: exit with code 3 if one of "
                                     "these holds: untested, signature, "
                                     "any (comma-separated)"),
                            cl::value_desc("conditions"), cl::sub(DiffCmd),
                            cl::cat(Category));
cl::opt<bool> DiffExitCode("exit-code",
                           cl::desc("diff: exit with code 1 if anything "
                                    "changed, as git diff --exit-code"),
                           cl::sub(DiffCmd), cl::cat(Category));
cl::opt<ExportFormat, false, ValueParser<ExportFormat, true>> ExportFormatOpt(
    "format", cl::desc("Output:"),
    cl::values(clEnumValN(ExportFormat::Json, "json",
                          "the JSON export (default)"),
               clEnumValN(ExportFormat::Dot, "dot", "a Graphviz picture")),
    cl::init(ExportFormat::Json), cl::sub(ExportCmd), cl::cat(Category));
cl::opt<unsigned> Depth("depth",
                        cl::desc("callers/callees: how many levels (default "
                                 "1, 0: unlimited)"),
                        cl::init(1), cl::sub(QueryCmd), cl::cat(Category));
cl::opt<unsigned> Hops("hops",
                       cl::desc("blast-radius, diff, export --focus: how "
                                "many hops (default 2; export: 1)"),
                       cl::init(2), cl::sub(QueryCmd), cl::sub(DiffCmd),
                       cl::sub(ExportCmd), cl::cat(Category));
cl::opt<std::string>
    CTestBuildDir("build-dir",
                  cl::desc("tests-for, diff: map the test cases to the CTest "
                           "tests of this build directory (diff: the report "
                           "ends with the ctest line running them)"),
                  cl::value_desc("dir"), cl::sub(QueryCmd), cl::sub(DiffCmd),
                  cl::cat(Category));
cl::opt<unsigned> Top("top",
                      cl::desc("hotspots, search, analytics: how many "
                               "results (default 10, 0: all)"),
                      cl::init(10), cl::sub(QueryCmd), cl::cat(Category));
cl::opt<unsigned> TokensOpt("tokens",
                            cl::desc("context: the budget in estimated "
                                     "tokens (default 2000)"),
                            cl::init(2000), cl::sub(QueryCmd),
                            cl::cat(Category));
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
// A list for the analytics ("calls,references"); each subcommand checks
// the kinds it takes (cycles: calls or includes).
cl::opt<std::string>
    EdgesOpt("edges",
             cl::desc("cycles, centrality, communities, layers, coupling: "
                      "which edges (default calls)"),
             cl::value_desc("kinds"), cl::sub(QueryCmd), cl::cat(Category));
cl::opt<std::string> MethodOpt("method",
                               cl::desc("centrality: pagerank (default) or "
                                        "betweenness"),
                               cl::value_desc("method"), cl::sub(QueryCmd),
                               cl::cat(Category));
cl::opt<bool> NoSelfLoops("no-self-loops",
                          cl::desc("cycles: leave out direct recursion (a "
                                   "cycle of one)"),
                          cl::sub(QueryCmd), cl::cat(Category));
cl::opt<bool> IncludeCandidates(
    "include-candidates",
    cl::desc("callers, callees, blast-radius, cycles, tests-for, diff: walk "
             "through candidate calls too (one of several overloads of an "
             "unresolved call in a template)"),
    cl::sub(QueryCmd), cl::sub(DiffCmd), cl::cat(Category));
cl::opt<bool> WithExternal("external",
                           cl::desc("entities, search, hotspots, analytics: "
                                    "include external entities"),
                           cl::sub(QueryCmd), cl::cat(Category));
cl::opt<ColorChoice, false, ValueParser<ColorChoice>> ColorOpt(
    "color", cl::desc("Colours in tables and errors:"),
    cl::values(clEnumValN(ColorChoice::Auto, "auto", "on a terminal (default)"),
               clEnumValN(ColorChoice::Always, "always", "always"),
               clEnumValN(ColorChoice::Never, "never", "never")),
    cl::init(ColorChoice::Auto), cl::sub(QueryCmd), cl::cat(Category));
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
cl::opt<std::string> DotEdges("edges",
                              cl::desc("export --focus: the edge kinds to "
                                       "follow and draw, comma-separated "
                                       "(default calls,references,uses_type,"
                                       "inherits,overrides)"),
                              cl::value_desc("kinds"), cl::sub(ExportCmd),
                              cl::cat(Category));
cl::opt<bool> NoExternal("no-external",
                         cl::desc("export --focus: leave external entities "
                                  "out (they are leaves otherwise)"),
                         cl::sub(ExportCmd), cl::cat(Category));
cl::opt<unsigned> MaxNodes("max-nodes",
                           cl::desc("export --format dot: at most this many "
                                    "nodes (default 60, 0: no limit)"),
                           cl::init(DefaultMaxNodes), cl::sub(ExportCmd),
                           cl::cat(Category));
cl::opt<std::string> Output("o",
                            cl::desc("export --format dot: write here "
                                     "instead of stdout"),
                            cl::value_desc("file"), cl::sub(ExportCmd),
                            cl::cat(Category));

// ---- serve ------------------------------------------------------------------
cl::opt<int> ServePort("port",
                       cl::desc("TCP port to listen on (default 7719; 0: any "
                                "free port, printed at start)"),
                       cl::init(7719), cl::sub(ServeCmd), cl::cat(Category));
cl::opt<std::string> ServeBind("bind",
                               cl::desc("Address to listen on (default "
                                        "127.0.0.1; others need "
                                        "--allow-remote)"),
                               cl::value_desc("addr"), cl::init("127.0.0.1"),
                               cl::sub(ServeCmd), cl::cat(Category));
cl::opt<bool> AllowRemote("allow-remote",
                          cl::desc("Allow --bind to name a non-loopback "
                                   "address (no authentication: anyone who "
                                   "reaches it reads the index)"),
                          cl::sub(ServeCmd), cl::cat(Category));
cl::opt<unsigned> ServeThreads("threads",
                               cl::desc("Request threads (default: the "
                                        "number of cores, at least 4)"),
                               cl::init(0), cl::sub(ServeCmd),
                               cl::cat(Category));
cl::opt<unsigned> DeadlineMs("deadline-ms",
                             cl::desc("Stop a query after this many "
                                      "milliseconds (default 10000)"),
                             cl::init(10000), cl::sub(ServeCmd),
                             cl::cat(Category));
cl::opt<unsigned> PollMs("poll-ms",
                         cl::desc("How often to look for a new commit of "
                                  "the index, in milliseconds (default 250)"),
                         cl::init(250), cl::sub(ServeCmd), cl::cat(Category));

void printVersion(raw_ostream &OS) { OS << versionString() << "\n"; }

int usage(const Twine &Msg) {
  errs() << "code-indexer: error: " << Msg << "\n";
  return exitcode::Usage;
}

/// The one place errors of the libraries become exit codes (docs/cli.md).
int report(Error E) {
  int RC = exitcode::Ok;
  bool NoColor = ColorOpt == ColorChoice::Never;
  handleAllErrors(
      std::move(E),
      [&](const QueryError &Q) {
        WithColor::error(errs(), "code-indexer", NoColor)
            << Q.message() << "\n";
        RC = Q.kind() == QueryError::Index ? exitcode::Store : exitcode::Usage;
      },
      [&](const ErrorInfoBase &B) {
        WithColor::error(errs(), "code-indexer", NoColor)
            << B.message() << "\n";
        RC = exitcode::Usage;
      });
  return RC;
}

/// Columns of the terminal on stdout: $COLUMNS, else the terminal's own
/// size, else 80.
unsigned terminalColumns() {
  unsigned N = 0;
  if (const char *C = std::getenv("COLUMNS"))
    if (!StringRef(C).getAsInteger(10, N) && N)
      return N;
#ifndef _WIN32
  struct winsize Size;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &Size) == 0 && Size.ws_col)
    return Size.ws_col;
#endif
  return 80;
}

const char *const Commands[] = {"extract", "export", "query",
                                "diff",    "serve",  "help"};

/// What LLVM's parser would answer with a cascade of errors or with the
/// help of the wrong level: a mistyped command (one line, with the nearest
/// command), `help [COMMAND [SUBCOMMAND]]` and `query SUBCOMMAND --help`.
/// Returns an exit code when it answered; may rewrite Args (`help X` is
/// `X --help`).
std::optional<int> preParse(std::vector<const char *> &Args) {
  if (Args.size() < 2 || StringRef(Args[1]).starts_with("-"))
    return std::nullopt;
  StringRef Cmd = Args[1];
  auto Known = [](StringRef C) { return llvm::is_contained(Commands, C); };
  auto Unknown = [&](StringRef C) {
    std::string Msg = "unknown command '" + C.str() + "'";
    StringRef Best;
    unsigned BestDist = 3;
    for (StringRef K : Commands)
      if (unsigned D = K.edit_distance(C, true, BestDist); D < BestDist)
        Best = K, BestDist = D;
    if (!Best.empty())
      Msg += "; did you mean '" + Best.str() + "'?";
    Msg += " (commands: " + llvm::join(ArrayRef(Commands), ", ") + ")";
    return usage(Msg);
  };
  if (!Known(Cmd))
    return Unknown(Cmd);
  if (Cmd == "help") {
    if (Args.size() == 2) {
      Args = {Args[0], "--help"};
      return std::nullopt;
    }
    StringRef Topic = Args[2];
    if (!Known(Topic) || Topic == "help")
      return Unknown(Topic);
    if (Topic == "query") {
      const QueryCommand *Q = nullptr;
      if (Args.size() > 3 && !(Q = findQueryCommand(Args[3])))
        return usage("unknown query subcommand '" + StringRef(Args[3]) +
                     "'; valid subcommands: " + querySubcommandList());
      printQueryHelp(outs(), Q);
      return exitcode::Ok;
    }
    Args = {Args[0], Args[2], "--help"};
    return std::nullopt;
  }
  if (Cmd == "query") {
    bool Help = false;
    const QueryCommand *Q = nullptr;
    for (StringRef A : ArrayRef(Args).drop_front(2)) {
      Help |= A == "--help" || A == "-help" || A == "-h";
      if (!Q && !A.starts_with("-"))
        Q = findQueryCommand(A);
    }
    if (Help) {
      printQueryHelp(outs(), Q);
      return exitcode::Ok;
    }
  }
  return std::nullopt;
}

/// The overview of --help; the query subcommands come from their table.
std::string overview() {
  std::string Subcommands;
  std::string Line = "      [--format table|json]; subcommands:";
  for (const QueryCommand &C : queryCommands()) {
    std::string Word = " " + C.Name.str() + ",";
    if (Line.size() + Word.size() > 76) {
      Subcommands += Line + "\n";
      Line = "     ";
    }
    Line += Word;
  }
  Line.pop_back();
  Subcommands += Line + "\n";
  return "code-indexer: a semantic code graph of C/C++ projects, built with "
         "Clang.\n\n"
         "  code-indexer extract -p BUILD [--db SPEC] [--json FILE]\n"
         "  code-indexer export --db SPEC --json FILE\n"
         "  code-indexer export --format dot (--db SPEC | --input FILE)\n"
         "                      (--focus SYMBOL [--hops N] [--edges KINDS]\n"
         "                       [--no-external] | --include-graph DIR)\n"
         "                      [--max-nodes N] [-o FILE]\n"
         "  code-indexer query (--db SPEC | --json FILE) SUBCOMMAND [ARGS]\n" +
         Subcommands +
         "  code-indexer diff BASE.json HEAD.json [--hops N] "
         "[--format markdown|json|sarif|html]\n"
         "                    [--max-bytes N] [--full-report FILE] "
         "[--report-url URL]\n"
         "                    [--fail-on untested,signature,any] "
         "[--exit-code]\n"
         "  code-indexer serve --db SPEC [--port N] [--bind ADDR "
         "--allow-remote]\n\n"
         "Run `code-indexer SUBCOMMAND --help` for a subcommand's options.\n";
}

int runQueryCommand() {
  QueryOptions O;
  O.Format = QueryFormat;
  O.Depth = Depth;
  O.Hops = Hops;
  O.Top = Top;
  O.Kind = KindFilter;
  O.File = FileFilter;
  O.Name = NameFilter;
  O.Edges = EdgesOpt;
  O.Method = MethodOpt;
  O.NoSelfLoops = NoSelfLoops;
  O.IncludeCandidates = IncludeCandidates;
  O.External = WithExternal;
  O.Tokens = TokensOpt;
  O.BuildDir = CTestBuildDir;
  bool Terminal = sys::Process::StandardOutIsDisplayed();
  O.Color = ColorOpt == ColorChoice::Always ||
            (ColorOpt == ColorChoice::Auto && Terminal);
  // Tables fit the terminal; piped, they keep their full width.
  O.Width = Terminal ? terminalColumns() : 0;
  const cl::Option *QueryOpts[] = {&Depth,
                                   &Hops,
                                   &Top,
                                   &KindFilter,
                                   &FileFilter,
                                   &NameFilter,
                                   &EdgesOpt,
                                   &WithExternal,
                                   &MethodOpt,
                                   &NoSelfLoops,
                                   &IncludeCandidates,
                                   &TokensOpt,
                                   &CTestBuildDir};
  for (const cl::Option *Opt : QueryOpts)
    if (Opt->getNumOccurrences())
      O.Given.push_back(Opt->ArgStr.str());
  if (Error E = checkQuery(QueryArgs, O))
    return report(std::move(E));
  Expected<std::unique_ptr<GraphReader>> R =
      openGraphReader(Db, Json, O.Source);
  if (!R)
    return report(R.takeError());
  return report(runQuery(**R, QueryArgs, O, outs()));
}

int runDiffCommand() {
  DiffRequest R;
  R.Base = DiffArgs[0];
  R.Head = DiffArgs[1];
  R.Hops = Hops;
  R.Format = DiffFormatOpt;
  R.MaxBytes = MaxBytes;
  R.FullReport = FullReport;
  R.ReportUrl = ReportUrl;
  R.IncludeCandidates = IncludeCandidates;
  R.BuildDir = CTestBuildDir;
  R.ContextTokens = ContextTokens;
  // "code-indexer 1.2.3 (Clang ...)": SARIF wants the version alone.
  std::string Version = versionString();
  R.ToolVersion = StringRef(Version).split(' ').second.split(' ').first.str();
  if (FailOn.getNumOccurrences()) {
    Expected<unsigned> Mask = parseFailOn(FailOn);
    if (!Mask)
      return report(Mask.takeError());
    R.FailOn = *Mask;
  }
  Expected<DiffOutcome> Out = runDiff(R, outs());
  if (!Out)
    return report(Out.takeError());
  if (Out->Failed)
    return exitcode::DiffFailOn;
  if (DiffExitCode && Out->Differences)
    return exitcode::DiffDifferences;
  return exitcode::Ok;
}

/// `serve`: runs until SIGINT or SIGTERM, then stops cleanly (exit 0).
/// The signals are blocked in every thread (before the index and the
/// server start theirs) and taken by one thread with sigwait(), which may
/// call Server::stop() where a signal handler could not.
int runServeCommand() {
  if (Db.empty())
    return usage("serve needs --db SPEC (rocksdb:PATH or lmdb:PATH)");
  std::signal(SIGPIPE, SIG_IGN); // a client that goes away is not fatal
  sigset_t Stop;
  sigemptyset(&Stop);
  sigaddset(&Stop, SIGINT);
  sigaddset(&Stop, SIGTERM);
  sigaddset(&Stop, SIGUSR2); // sent below when run() ends by itself
  pthread_sigmask(SIG_BLOCK, &Stop, nullptr);
  ServeOptions O;
  O.Db = Db;
  O.Bind = ServeBind;
  O.Port = ServePort;
  O.AllowRemote = AllowRemote;
  O.Threads = ServeThreads;
  O.DeadlineMillis = DeadlineMs;
  O.PollMillis = std::max(10u, unsigned(PollMs));
  Expected<std::unique_ptr<Server>> S = Server::create(O, errs());
  if (!S)
    return report(S.takeError());
  Server &Srv = **S;
  if (Error E = Srv.listen()) {
    int RC = exitcode::Listen;
    handleAllErrors(std::move(E), [&](const ErrorInfoBase &B) {
      errs() << "code-indexer: error: " << B.message() << "\n";
    });
    return RC;
  }
  // The port first, alone on a line, for scripts that asked for any port.
  outs() << "listening on http://" << O.Bind << ":" << Srv.port() << "/v1\n";
  outs().flush();
  std::atomic<bool> Signalled = false;
  std::thread Signals([&] {
    int Sig = 0;
    sigwait(&Stop, &Sig);
    if (Sig == SIGUSR2)
      return; // run() ended by itself
    Signalled = true;
    errs() << "code-indexer: serve: stopping ("
           << (Sig == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
    Srv.stop();
  });
  Srv.run();
  if (!Signalled)
    pthread_kill(Signals.native_handle(), SIGUSR2);
  Signals.join();
  return exitcode::Ok;
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
  // A TU worker of --isolation=process (pipeline/WorkerProtocol.h): before
  // InitLLVM, so that a crash ends it by its signal, which the run reports,
  // instead of printing a stack trace first.
  if (Argc == 2 && std::strcmp(Argv[1], worker::Subcommand) == 0)
    return worker::runTuWorker();
  // No pipe handler: on a closed pipe (`query ... | head -1`) the process
  // ends by SIGPIPE as other tools do, instead of LLVM's exit code 74.
  InitLLVM X(Argc, Argv, /*InstallPipeSignalExitHandler=*/false);
  installOutOfResourcesHandlers();
  // Past a file size limit (ulimit -f) writes fail with EFBIG, which every
  // write path reports as an error, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(Category);
  std::vector<const char *> Args(Argv, Argv + Argc);
  if (std::optional<int> RC = preParse(Args))
    return *RC;
  if (!cl::ParseCommandLineOptions(static_cast<int>(Args.size()), Args.data(),
                                   overview(), &errs()))
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
    R.ExcludeTests = Tests == TestsMode::Exclude;
    R.TestFiles = TestFilesOpt;
    R.TestHeuristics = !NoTestHeuristics;
    R.Full = Full;
    R.IndexSystem = IndexSystem;
    R.IndexInstantiations = IndexInstantiations;
    R.DedupHeaders = !NoDedup;
    R.Strict = Strict;
    R.WaitForLock = Wait.getNumOccurrences() > 0;
    if (!Wait.empty() && StringRef(Wait).getAsInteger(10, R.WaitSeconds))
      return usage("--wait takes a number of seconds, not '" + Wait + "'");
    R.RocksDbOptions = RocksOptions;
    R.Progress = ProgressOpt;
    R.Quiet = Quiet;
    R.Stats = Stats;
    R.Verbose = Verbose;
    R.TuTimeoutSeconds = TuTimeout;
    R.Iso = IsolationOpt;
    R.TuMemoryMB = TuMemory;
    if (R.TuMemoryMB && R.Iso != Isolation::Process)
      return usage("--tu-memory needs --isolation=process");
    // For debuggers: let a crash in Clang reach them.
    R.CrashRecovery = !std::getenv("CODE_INDEX_NO_CRASH_RECOVERY");
    return runExtractCommand(R);
  }
  if (ExportCmd) {
    if (ExportFormatOpt == ExportFormat::Dot) {
      DotRequest D;
      D.Db = Db;
      D.Input = Input;
      D.Focus = Focus;
      D.Hops = Hops.getNumOccurrences() ? Hops : 1;
      D.IncludeDir = IncludeDir;
      D.Edges = DotEdges;
      D.NoExternal = NoExternal;
      D.MaxNodes = MaxNodes;
      D.Output = Output;
      return report(runDotExport(D, outs(), errs()));
    }
    if (Db.empty() || Json.empty())
      return usage("export needs --db SPEC and --json FILE");
    if (Error E = runExport(Db, Json))
      return reportRunError(std::move(E));
    return exitcode::Ok;
  }
  if (QueryCmd)
    return runQueryCommand();
  if (ServeCmd)
    return runServeCommand();
  if (DiffCmd) {
    if (DiffArgs.size() != 2)
      return usage("diff takes two exports: BASE.json HEAD.json");
    return runDiffCommand();
  }
  errs() << "code-indexer: error: no subcommand given; valid subcommands: "
            "extract, export, query, diff, serve (see --help)\n";
  return exitcode::Usage;
}
