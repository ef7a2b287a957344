//===- Query.h - Graph questions over an index or an export -----*- C++ -*-===//
//
// `code-indexer query` answers questions about a code graph: who calls X,
// what would a change to X reach, which tests exercise X, where are the
// cycles. Every subcommand reads the graph through a GraphReader
// (GraphReader.h): an export loaded into memory (`--json`, GraphIndex) or an
// index read by key (`--db`, StoreReader), so both sources answer
// identically and a lookup on an index reads only what the answer needs.
//
// The subcommands are one table (queryCommands()): name, arguments, the
// options each accepts and help text. Dispatch, `--help` and validation all
// come from it: an option a subcommand does not accept is an error, not
// silently ignored.
//
// Every command computes one JSON value (the documented shape, see
// docs/querying.md); the human-readable table is rendered from that value,
// so the two outputs cannot disagree. Results are sorted (ties broken by
// qualified name, then id) so the output is deterministic.
//
// Errors are QueryError (QueryError.h); nothing here picks an exit code or
// writes to stderr.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_H
#define CODEINDEX_PLUGIN_QUERY_H

#include "query/GraphReader.h"
#include "query/GraphView.h"
#include "query/QueryError.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace codeindex {

enum class OutputFormat { Table, Json };

/// The values of the query options. Which of them a subcommand reads is
/// what its QueryCommand::Options lists; Given says which the user set, so
/// that the others can be rejected.
struct QueryOptions {
  OutputFormat Format = OutputFormat::Table;
  unsigned Depth = 1;       ///< --depth
  unsigned Hops = 2;        ///< --hops
  unsigned Top = 10;        ///< --top
  std::string Kind;         ///< --kind
  std::string File;         ///< --file (glob)
  std::string Name;         ///< --name (glob)
  std::string Edges;        ///< --edges: one graph, or a list of kinds
  std::string Method;       ///< --method pagerank|betweenness
  bool NoSelfLoops = false; ///< --no-self-loops
  /// --include-candidates: walks go through candidate edges too
  /// (GraphView::follows).
  bool IncludeCandidates = false;
  bool External = false; ///< --external
  /// context: the budget in estimated tokens (--tokens).
  unsigned Tokens = 2000;
  std::string BuildDir; ///< --build-dir (tests-for: CTest mapping)
  /// Tables: at most this many columns wide, long cells cut with "…"
  /// (0: no limit; the tool sets the terminal's width on a terminal).
  unsigned Width = 0;
  /// Tables: colour (bold headers); the tool sets it on a terminal.
  bool Color = false;
  /// Names (without dashes) of the options set on the command line.
  std::vector<std::string> Given;
  std::string Source; ///< where the graph came from, for `stats`
};

struct QueryContext;

/// One query subcommand.
struct QueryCommand {
  llvm::StringRef Name;
  /// Synopsis of the positional argument ("SYMBOL", "PATH", "TEXT"), empty
  /// when the subcommand takes none.
  llvm::StringRef Arg;
  /// What the argument is, for error messages ("an id or a name").
  llvm::StringRef ArgWhat;
  /// Options accepted besides --format (names without dashes).
  llvm::ArrayRef<llvm::StringRef> Options;
  llvm::StringRef Help; ///< one line
  llvm::Error (*Run)(QueryContext &C);
};

/// The query subcommands, in help order.
llvm::ArrayRef<QueryCommand> queryCommands();
/// nullptr when Name is not a subcommand.
const QueryCommand *findQueryCommand(llvm::StringRef Name);

/// One query option (for help text): name, value synopsis, help.
struct QueryOptionInfo {
  llvm::StringRef Name, Value, Help;
};
llvm::ArrayRef<QueryOptionInfo> queryOptions();

/// "stats, entities, ...": the subcommand names, comma-separated.
std::string querySubcommandList();
/// Help of every subcommand (Cmd null) or of one: synopsis, text, options.
void printQueryHelp(llvm::raw_ostream &OS, const QueryCommand *Cmd);

/// Opens the graph to query: the index Db (read-only, no writer lock, read
/// by key) or the export Json (loaded), exactly one of them non-empty. Sets
/// Source to a description ("rocksdb:PATH", "json:PATH").
llvm::Expected<std::unique_ptr<GraphReader>>
openGraphReader(const std::string &Db, const std::string &Json,
                std::string &Source);

/// Checks `query ARGS...` against the table before any graph is read: the
/// subcommand exists, takes the options given (O.Given) and the number of
/// arguments given. Fails with QueryError::Usage.
llvm::Error checkQuery(llvm::ArrayRef<std::string> Args, const QueryOptions &O);

/// Runs `query ARGS...` (Args[0] is the subcommand) over R and writes the
/// answer to OS. Nothing is written when it fails (a bad subcommand, option
/// or argument, an unknown or ambiguous symbol, a read error).
llvm::Error runQuery(const GraphReader &R, llvm::ArrayRef<std::string> Args,
                     const QueryOptions &O, llvm::raw_ostream &OS);

/// Resolves Text to exactly one entity, or fails with a usage error that
/// explains (candidates with ids, or near matches). When Text names several
/// entities and Prefer holds for some of them, only those count
/// (`hierarchy Square` means the class, not its constructor).
llvm::Expected<Id>
resolveOne(const GraphView &G, llvm::StringRef Text,
           llvm::function_ref<bool(const Entity &)> Prefer = nullptr);

/// How a table is printed.
struct TableStyle {
  /// Maximum line width in columns (0: no limit). Wider tables shrink their
  /// widest columns (never below 8) and cut cells with "…".
  unsigned Width = 0;
  bool Color = false; ///< bold header (llvm::WithColor)
};

/// Prints aligned columns; the last column is not padded.
class Table {
public:
  explicit Table(std::vector<std::string> Header) : Header(std::move(Header)) {}
  void add(std::vector<std::string> Row) { Rows.push_back(std::move(Row)); }
  bool empty() const { return Rows.empty(); }
  void print(llvm::raw_ostream &OS, llvm::StringRef Indent = "",
             const TableStyle &Style = {}) const;
  /// Prints as print() would a table of N rows that are made on demand:
  /// Row(I) is called twice per row (to measure the columns, then to print
  /// it) and its result is used before the next call. For answers too big to
  /// hold as strings (a hub's callers).
  static void
  printRows(llvm::raw_ostream &OS, const std::vector<std::string> &Header,
            size_t N,
            llvm::function_ref<const std::vector<std::string> &(size_t)> Row,
            llvm::StringRef Indent = "", const TableStyle &Style = {});

private:
  std::vector<std::string> Header;
  std::vector<std::vector<std::string>> Rows;
};

/// JSON output: two-space indented, a final newline.
void printJson(llvm::raw_ostream &OS, const ojson &J);

/// Writes, piece by piece, exactly the bytes printJson() writes for the
/// document the same calls would build (nlohmann's dump with an indent of
/// 2, invalid UTF-8 replaced): objects and arrays are opened and closed
/// here, everything else is a value dumped whole. So an answer of a million
/// rows holds one row at a time, not the document. Calls must nest as a
/// document does (key() before each member of an object); finish() after
/// the root is closed writes the final newline. Writes to OS (not owned)
/// as it goes; one stream per document, not thread-safe; no errors of its
/// own (the stream's are the stream's).
class JsonStream {
public:
  explicit JsonStream(llvm::raw_ostream &OS) : OS(OS) {}
  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }
  /// The name of the next member of the open object.
  void key(llvm::StringRef K);
  /// A value (a scalar or a whole small document).
  void value(const ojson &V);
  /// key() then value().
  void member(llvm::StringRef K, const ojson &V) {
    key(K);
    value(V);
  }
  void finish() { OS << "\n"; }

private:
  void element(); ///< the separator and indent before a value or a key
  void open(char C);
  void close(char C);

  llvm::raw_ostream &OS;
  std::vector<bool> Empty; ///< per open container: nothing written yet
  bool AfterKey = false;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_H
