//===- Server.h - `code-indexer serve`: queries over HTTP -------*- C++ -*-===//
//
// An HTTP/1.1 server (cpp-httplib) answering every `query` subcommand of the
// table (queryCommands()) as GET /v1/SUBCOMMAND?arg=...&OPTION=VALUE, with
// the JSON `query --format json` prints, inside the envelope of Envelope.h.
// GET /v1 lists the endpoints; GET /v1/source serves source snippets from
// under the indexed root (SourceAccess.h). docs/serve.md is the reference.
//
// One code path: a request becomes the argument list and QueryOptions the
// command line would build and goes through runQuery() over a GraphReader,
// as `query` does, so the two cannot answer differently.
//
// Reads: the index is opened read-only (no writer lock) as Snapshots; each
// request holds one snapshot from start to end (Snapshots.h) and reads it
// through its own StoreReader (StoreReader caches are per request, the
// GraphStore and Store below it are shared and safe for concurrent reads),
// wrapped in a DeadlineReader (Deadline.h). A watcher thread swaps in a new
// snapshot when an `extract` commits.
//
// Limits: the listening address is loopback unless AllowRemote; request
// line and headers are bounded by cpp-httplib (8 KiB each: 414 / 400),
// bodies by MaxBodyBytes (413); reads and writes of a connection time out;
// each query has DeadlineMillis (504).
//
// Thread-safety: listen(), run() from one thread; stop() from any thread
// (not from a signal handler); handle() from any thread.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_SERVE_SERVER_H
#define CODEINDEX_PLUGIN_SERVE_SERVER_H

#include "serve/Envelope.h"
#include "serve/Snapshots.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace httplib {
class Server;
} // namespace httplib

namespace codeindex {

struct ServeOptions {
  std::string Db;                  ///< rocksdb:PATH or lmdb:PATH
  std::string Bind = "127.0.0.1";  ///< listening address
  int Port = 7719;                 ///< 0: any free port (see port())
  bool AllowRemote = false;        ///< needed for a non-loopback Bind
  unsigned Threads = 0;            ///< request threads; 0: max(4, cores)
  unsigned DeadlineMillis = 10000; ///< per query
  unsigned ReadTimeoutSeconds = 5;
  unsigned WriteTimeoutSeconds = 5;
  unsigned PollMillis = 250; ///< how often to look for a commit
  size_t MaxBodyBytes = 64 * 1024;
};

/// Why the server could not start listening (exit code 4 of the CLI).
class ServeError : public llvm::ErrorInfo<ServeError> {
public:
  static char ID;
  explicit ServeError(std::string Message) : Message(std::move(Message)) {}
  std::string message() const override { return Message; }
  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  std::string Message;
};

/// Whether Address names this machine's loopback interface
/// ("127.0.0.0/8", "::1", "localhost").
bool isLoopbackAddress(llvm::StringRef Address);

/// One response, before HTTP.
struct ServeResponse {
  int Status = 200;
  ojson Body;
};

class Server {
public:
  /// Checks the options (QueryError::Usage for a non-loopback address
  /// without AllowRemote) and opens the index (Snapshots::open errors). Log
  /// receives the warning of a remote bind, snapshot swaps and failures.
  static llvm::Expected<std::unique_ptr<Server>> create(const ServeOptions &O,
                                                        llvm::raw_ostream &Log);
  ~Server();

  /// Binds the address. ServeError when it cannot (port in use, address
  /// not available).
  llvm::Error listen();
  /// The port listened on (after listen()).
  int port() const { return Port; }
  /// Serves until stop(); returns when the server has stopped.
  void run();
  /// Stops run(): in-flight requests finish, no new ones are accepted.
  void stop();

  /// Answers GET Path?Params without HTTP (what the HTTP handlers call).
  ServeResponse handle(llvm::StringRef Path,
                       const std::multimap<std::string, std::string> &Params);

  Snapshots &snapshots() { return *Snaps; }

private:
  Server(const ServeOptions &O, llvm::raw_ostream &Log,
         std::unique_ptr<Snapshots> S);
  ServeResponse endpoints(const Snapshot *S) const;
  ServeResponse query(llvm::StringRef Name,
                      const std::multimap<std::string, std::string> &Params);
  ServeResponse source(const std::multimap<std::string, std::string> &Params);
  void watch();
  void log(const llvm::Twine &Line);

  ServeOptions O;
  llvm::raw_ostream &Log;
  std::mutex LogMutex;
  std::unique_ptr<Snapshots> Snaps;
  std::unique_ptr<httplib::Server> Http;
  int Port = 0;
  std::mutex StopMutex;
  std::condition_variable StopCV;
  bool Stopping = false;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_SERVE_SERVER_H
