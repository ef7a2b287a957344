//===- Server.cpp - `code-indexer serve`: queries over HTTP ---------------===//

#include "serve/Server.h"
#include "serve/Deadline.h"
#include "serve/SourceAccess.h"

#include "query/Context.h"
#include "query/Query.h"
#include "query/StoreReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <httplib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace llvm;

namespace codeindex {

char ServeError::ID = 0;

using Params = std::multimap<std::string, std::string>;

bool isLoopbackAddress(StringRef A) {
  if (A == "localhost" || A == "::1" || A == "[::1]")
    return true;
  in_addr V4;
  std::string S = A.str();
  if (inet_pton(AF_INET, S.c_str(), &V4) == 1)
    return (ntohl(V4.s_addr) >> 24) == 127;
  return false;
}

namespace {

ServeResponse fail(ojson Query, const ApiError &E) {
  return {E.Status, errorEnvelope(std::move(Query), E)};
}

/// Options whose values are numbers, and flags; the others take text.
bool isNumberOption(StringRef N) {
  return N == "depth" || N == "hops" || N == "top" || N == "tokens";
}

bool isKnownOption(StringRef N) {
  return llvm::any_of(queryOptions(),
                      [&](const QueryOptionInfo &I) { return I.Name == N; });
}

/// The parameter names an endpoint takes, for messages.
std::string paramList(const QueryCommand &C) {
  std::vector<std::string> L;
  if (!C.Arg.empty())
    L.push_back("arg");
  for (StringRef O : C.Options)
    L.push_back(O.str());
  return L.empty() ? "none" : llvm::join(L, ", ");
}

/// The query part of an envelope, before the snapshot is known.
ojson queryPart(StringRef Endpoint) {
  ojson Q;
  Q["endpoint"] = Endpoint.str();
  return Q;
}

void addSnapshot(ojson &Q, const Snapshot *S) {
  Q["generation"] = S ? ojson(S->Number) : ojson(nullptr);
  Q["index_generation"] = S ? ojson(S->Generation) : ojson(nullptr);
}

/// A number parameter: digits only, at most a million.
std::optional<unsigned> parseNumber(StringRef V) {
  unsigned N = 0;
  if (V.empty() || V.size() > 7 || !llvm::all_of(V, isDigit) ||
      V.getAsInteger(10, N) || N > 1000000)
    return std::nullopt;
  return N;
}

} // namespace

Server::Server(const ServeOptions &O, raw_ostream &Log,
               std::unique_ptr<Snapshots> S)
    : O(O), Log(Log), Snaps(std::move(S)) {}

Server::~Server() { stop(); }

Expected<std::unique_ptr<Server>> Server::create(const ServeOptions &O,
                                                 raw_ostream &Log) {
  if (O.Port < 0 || O.Port > 65535)
    return usageError("--port takes 0 to 65535, not " + Twine(O.Port));
  if (!isLoopbackAddress(O.Bind)) {
    if (!O.AllowRemote)
      return usageError("serve binds " + O.Bind +
                        ", which is not a loopback address: anyone who can "
                        "reach it can read the index and the sources under "
                        "its root; pass --allow-remote to do that anyway");
    Log << "code-indexer: warning: serving on " << O.Bind
        << ", beyond this machine: there is no authentication and no "
           "encryption; anyone who can reach it reads the index and the "
           "sources under its root\n";
  }
  Expected<std::unique_ptr<Snapshots>> S = Snapshots::open(O.Db);
  if (!S)
    return S.takeError();
  return std::unique_ptr<Server>(new Server(O, Log, std::move(*S)));
}

void Server::log(const Twine &Line) {
  std::lock_guard Lock(LogMutex);
  Log << "code-indexer: " << Line << "\n";
  Log.flush();
}

Error Server::listen() {
  Http = std::make_unique<httplib::Server>();
  unsigned Threads =
      O.Threads ? O.Threads : std::max(4u, std::thread::hardware_concurrency());
  Http->new_task_queue = [Threads] { return new httplib::ThreadPool(Threads); };
  Http->set_read_timeout(O.ReadTimeoutSeconds, 0);
  Http->set_write_timeout(O.WriteTimeoutSeconds, 0);
  Http->set_keep_alive_timeout(5);
  Http->set_keep_alive_max_count(100);
  Http->set_payload_max_length(O.MaxBodyBytes);
  // The library's default also sets SO_REUSEPORT, with which a second
  // server binds a port in use and takes half its connections: reusing an
  // address in TIME_WAIT is all a restart needs.
  Http->set_socket_options([](socket_t Sock) {
    int Yes = 1;
    setsockopt(Sock, SOL_SOCKET, SO_REUSEADDR, &Yes, sizeof(Yes));
  });

  auto Write = [](httplib::Response &Res, const ServeResponse &R) {
    Res.status = R.Status;
    Res.set_content(compactJson(R.Body) + "\n", "application/json");
  };
  Http->Get(R"(/v1(/.*)?)",
            [this, Write](const httplib::Request &Req, httplib::Response &Res) {
              Params P(Req.params.begin(), Req.params.end());
              Write(Res, handle(Req.path, P));
            });
  auto NotAllowed = [Write](const httplib::Request &Req,
                            httplib::Response &Res) {
    ApiError E{405, "method_not_allowed",
               Req.method + " is not served: every endpoint is GET",
               std::nullopt, nullptr};
    Write(Res, fail(queryPart(Req.path), E));
    Res.set_header("Allow", "GET");
  };
  Http->Post(".*", NotAllowed);
  Http->Put(".*", NotAllowed);
  Http->Delete(".*", NotAllowed);
  Http->Patch(".*", NotAllowed);
  Http->Options(".*", NotAllowed);
  // Whatever the library refused itself (a request line or headers too
  // long, a body too large, an unknown path) gets a JSON error too.
  Http->set_error_handler([](const httplib::Request &Req,
                             httplib::Response &Res) {
    if (!Res.body.empty())
      return;
    ApiError E{Res.status, "bad_request", "", std::nullopt, nullptr};
    switch (Res.status) {
    case 404:
      E.Kind = "unknown_endpoint";
      E.Message = "no endpoint '" + Req.path + "'; GET /v1 lists them";
      E.ExitCode = 1;
      break;
    case 413:
      E.Kind = "too_large";
      E.Message = "the request body is too large";
      break;
    case 414:
      E.Kind = "too_large";
      E.Message = "the request line is too long";
      break;
    default:
      E.Message =
          "the request was refused (" + std::to_string(Res.status) + ")";
      break;
    }
    Res.set_content(compactJson(errorEnvelope(queryPart(Req.path), E)) + "\n",
                    "application/json");
  });
  Http->set_exception_handler([this](const httplib::Request &Req,
                                     httplib::Response &Res,
                                     std::exception_ptr EP) {
    std::string What = "unknown exception";
    try {
      std::rethrow_exception(EP);
    } catch (const std::exception &X) {
      What = X.what();
    } catch (...) {
    }
    log("serve: " + Req.path + " failed: " + What);
    ApiError E{500, "internal", What, std::nullopt, nullptr};
    Res.status = 500;
    Res.set_content(compactJson(errorEnvelope(queryPart(Req.path), E)) + "\n",
                    "application/json");
  });

  bool Ok;
  if (O.Port == 0) {
    Port = Http->bind_to_any_port(O.Bind);
    Ok = Port > 0;
  } else {
    Port = O.Port;
    Ok = Http->bind_to_port(O.Bind, O.Port);
  }
  if (Ok)
    return Error::success();
  // The library does not say why; ask the system the same question.
  std::string Why = "the address cannot be bound";
  addrinfo Hints{}, *Res = nullptr;
  Hints.ai_socktype = SOCK_STREAM;
  Hints.ai_flags = AI_PASSIVE;
  std::string PortText = std::to_string(O.Port);
  if (getaddrinfo(O.Bind.c_str(), PortText.c_str(), &Hints, &Res) != 0) {
    Why = "the address does not resolve";
  } else {
    int Fd = socket(Res->ai_family, Res->ai_socktype, Res->ai_protocol);
    if (Fd >= 0) {
      int Yes = 1;
      setsockopt(Fd, SOL_SOCKET, SO_REUSEADDR, &Yes, sizeof(Yes));
      if (::bind(Fd, Res->ai_addr, Res->ai_addrlen) != 0)
        Why = errno == EADDRINUSE ? "the port is in use"
                                  : std::string(std::strerror(errno));
      ::close(Fd);
    }
    freeaddrinfo(Res);
  }
  return make_error<ServeError>(
      "cannot listen on " + O.Bind + ":" + std::to_string(O.Port) + ": " + Why +
      (O.Port ? " (choose another with --port N)" : ""));
}

void Server::run() {
  {
    std::lock_guard Lock(StopMutex);
    if (Stopping)
      return;
  }
  std::thread Watcher([this] { watch(); });
  if (const auto S = Snaps->current())
    log("serve: answering from " + Snaps->source() + " (" + S->Generation +
        ") on http://" + O.Bind + ":" + std::to_string(Port) + "/v1");
  else
    log("serve: an extract (pid " + std::to_string(Snaps->writerPid()) +
        ") is writing " + Snaps->source() +
        "; answering 503 until it commits, on http://" + O.Bind + ":" +
        std::to_string(Port) + "/v1");
  Http->listen_after_bind();
  {
    std::lock_guard Lock(StopMutex);
    Stopping = true;
  }
  StopCV.notify_all();
  Watcher.join();
}

void Server::stop() {
  {
    std::lock_guard Lock(StopMutex);
    Stopping = true;
  }
  StopCV.notify_all();
  if (Http)
    Http->stop();
}

void Server::watch() {
  std::string LastFailure;
  std::unique_lock Lock(StopMutex);
  while (!StopCV.wait_for(Lock, std::chrono::milliseconds(O.PollMillis),
                          [this] { return Stopping; })) {
    Lock.unlock();
    Expected<bool> Swapped = Snaps->refresh();
    if (!Swapped) {
      std::string Msg = toString(Swapped.takeError());
      if (Msg != LastFailure)
        log("serve: cannot open the new state of the index (still "
            "answering from the previous one): " +
            Msg);
      LastFailure = Msg;
    } else if (*Swapped) {
      LastFailure.clear();
      auto S = Snaps->current();
      log("serve: now answering from snapshot " + std::to_string(S->Number) +
          " (" + S->Generation + ")");
    }
    Lock.lock();
  }
}

ServeResponse Server::handle(StringRef Path, const Params &P) {
  StringRef Rest = Path;
  if (!Rest.consume_front("/v1"))
    return fail(queryPart(Path),
                notFound("unknown_endpoint", "no endpoint '" + Path.str() +
                                                 "'; GET /v1 lists them"));
  Rest.consume_front("/");
  if (Rest.empty()) {
    auto S = Snaps->current();
    return endpoints(S.get());
  }
  if (Rest == "source")
    return source(P);
  return query(Rest, P);
}

ServeResponse Server::endpoints(const Snapshot *S) const {
  ojson Q = queryPart("");
  addSnapshot(Q, S);
  ojson L = ojson::array();
  for (const QueryCommand &C : queryCommands()) {
    ojson E;
    E["path"] = "/v1/" + C.Name.str();
    E["help"] = C.Help.str();
    E["arg"] = C.Arg.empty() ? ojson(nullptr) : ojson(C.ArgWhat.str());
    ojson Opts = ojson::array();
    for (StringRef Name : C.Options)
      for (const QueryOptionInfo &I : queryOptions())
        if (I.Name == Name) {
          ojson Oj;
          Oj["name"] = Name.str();
          Oj["value"] = I.Value.empty() ? "bool" : I.Value.str();
          Oj["help"] = I.Help.str();
          Opts.push_back(Oj);
        }
    E["options"] = Opts;
    L.push_back(E);
  }
  ojson Src;
  Src["path"] = "/v1/source";
  Src["help"] = "Lines of a source file under the indexed root";
  Src["arg"] = nullptr;
  ojson SrcOpts = ojson::array();
  for (auto [Name, Value, Help] :
       {std::tuple("file", "PATH", "root-relative path (required)"),
        std::tuple("line", "N", "first line (default 1)"),
        std::tuple("end", "N", "last line (default line + 99)")}) {
    ojson Oj;
    Oj["name"] = Name;
    Oj["value"] = Value;
    Oj["help"] = Help;
    SrcOpts.push_back(Oj);
  }
  Src["options"] = SrcOpts;
  L.push_back(Src);
  ojson D;
  D["version"] = "v1";
  D["endpoints"] = L;
  return {200, successEnvelope(Q, D)};
}

ServeResponse Server::query(StringRef Name, const Params &P) {
  ojson Q = queryPart(Name);
  const QueryCommand *Cmd = findQueryCommand(Name);
  if (!Cmd)
    return fail(Q, notFound("unknown_endpoint",
                            "no endpoint '/v1/" + Name.str() +
                                "'; endpoints: " + querySubcommandList() +
                                ", source (GET /v1 lists them)"));
  QueryOptions O;
  O.Format = OutputFormat::Json;
  std::vector<std::string> Args{Cmd->Name.str()};
  ojson Given = ojson::object();
  std::optional<std::string> Arg;
  for (auto It = P.begin(); It != P.end(); ++It) {
    const std::string &K = It->first, &V = It->second;
    if (P.count(K) > 1)
      return fail(Q, badRequest("parameter '" + K + "' is given " +
                                std::to_string(P.count(K)) + " times"));
    if (K == "arg") {
      Arg = V;
      continue;
    }
    if (K == "format") {
      if (V != "json")
        return fail(Q, badRequest("the server answers JSON only "
                                  "(format=json), not format=" +
                                  V));
      continue;
    }
    if (!isKnownOption(K))
      return fail(Q,
                  badRequest("unknown parameter '" + K + "'; /v1/" +
                             Cmd->Name.str() + " takes: " + paramList(*Cmd)));
    O.Given.push_back(K);
    if (isNumberOption(K)) {
      std::optional<unsigned> N = parseNumber(V);
      if (!N)
        return fail(Q, badRequest(K +
                                  " takes a number from 0 to 1000000, "
                                  "not '" +
                                  V + "'"));
      (K == "depth"  ? O.Depth
       : K == "hops" ? O.Hops
       : K == "top"  ? O.Top
                     : O.Tokens) = *N;
      Given[K] = *N;
    } else if (K == "external" || K == "no-self-loops" ||
               K == "include-candidates") {
      bool &Flag = K == "external"        ? O.External
                   : K == "no-self-loops" ? O.NoSelfLoops
                                          : O.IncludeCandidates;
      if (V == "" || V == "1" || V == "true")
        Flag = true;
      else if (V == "0" || V == "false")
        Flag = false;
      else
        return fail(Q, badRequest(K + " takes true or false, not '" + V + "'"));
      Given[K] = Flag;
    } else if (K == "build-dir") {
      // Mapping test cases to CTest runs `ctest` in a directory: not
      // something a loopback client may make the server do.
      return fail(Q, badRequest("build-dir runs ctest and is not served; "
                                "run `code-indexer query tests-for "
                                "--build-dir DIR` instead"));
    } else {
      (K == "kind"     ? O.Kind
       : K == "file"   ? O.File
       : K == "name"   ? O.Name
       : K == "method" ? O.Method
                       : O.Edges) = V;
      Given[K] = V;
    }
  }
  if (Arg)
    Args.push_back(*Arg);
  Q["arg"] = Arg ? ojson(*Arg) : ojson(nullptr);
  Q["options"] = Given;

  // One snapshot from here to the answer.
  std::shared_ptr<const Snapshot> S = Snaps->current();
  addSnapshot(Q, S.get());
  if (!S) {
    long Pid = Snaps->writerPid();
    return fail(Q, ApiError{503, "index_unavailable",
                            "an extract" +
                                (Pid > 0 ? " (pid " + std::to_string(Pid) + ")"
                                         : std::string()) +
                                " is writing the index; answers start once "
                                "it commits",
                            2, nullptr});
  }
  O.Source = Snaps->source();
  StoreReader Store(*S->Graph);
  auto Deadline = DeadlineReader::Clock::now() +
                  std::chrono::milliseconds(this->O.DeadlineMillis);
  DeadlineReader R(Store, Deadline, this->O.DeadlineMillis);
  std::string Out;
  raw_string_ostream OS(Out);
  if (Error E = runQuery(R, Args, O, OS))
    return fail(Q, apiError(std::move(E)));
  OS.flush();
  ojson Data = ojson::parse(Out, nullptr, /*allow_exceptions=*/false);
  if (Data.is_discarded())
    return fail(Q, ApiError{500, "internal", "the query's output is not JSON",
                            std::nullopt, nullptr});
  return {200, successEnvelope(std::move(Q), std::move(Data))};
}

ServeResponse Server::source(const Params &P) {
  ojson Q = queryPart("source");
  std::string File;
  unsigned Line = 1;
  std::optional<unsigned> End;
  ojson Given = ojson::object();
  for (const auto &[K, V] : P) {
    if (P.count(K) > 1)
      return fail(Q, badRequest("parameter '" + K + "' is given " +
                                std::to_string(P.count(K)) + " times"));
    if (K == "file") {
      File = V;
      Given[K] = V;
    } else if (K == "line" || K == "end") {
      std::optional<unsigned> N = parseNumber(V);
      if (!N)
        return fail(Q, badRequest(K + " takes a number, not '" + V + "'"));
      (K == "line" ? Line : End.emplace()) = *N;
      Given[K] = *N;
    } else {
      return fail(Q, badRequest("unknown parameter '" + K +
                                "'; /v1/source takes: file, line, end"));
    }
  }
  Q["arg"] = nullptr;
  Q["options"] = Given;
  std::shared_ptr<const Snapshot> S = Snaps->current();
  addSnapshot(Q, S.get());
  if (!S)
    return fail(Q, ApiError{503, "index_unavailable",
                            "an extract is writing the index; answers start "
                            "once it commits",
                            2, nullptr});
  std::variant<ojson, ApiError> R = readSnippet(S->Root, File, Line, End);
  if (auto *E = std::get_if<ApiError>(&R))
    return fail(Q, *E);
  return {200, successEnvelope(std::move(Q), std::get<ojson>(std::move(R)))};
}

} // namespace codeindex
