//===- WorkerProtocol.cpp - Frames between the run and its TU workers -----===//

#include "pipeline/WorkerProtocol.h"

#include "codeindex/graph/FactCoding.h"
#include "codeindex/storage/Coding.h"

#include <bit>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace codeindex::worker {

using namespace coding;

namespace {

bool writeAll(int Fd, const char *P, size_t N) {
  while (N) {
#ifdef MSG_NOSIGNAL
    ssize_t W = ::send(Fd, P, N, MSG_NOSIGNAL);
#else
    ssize_t W = ::send(Fd, P, N, 0);
#endif
    if (W < 0 && errno == ENOTSOCK)
      W = ::write(Fd, P, N); // a pipe (tests)
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return false;
    P += W;
    N -= static_cast<size_t>(W);
  }
  return true;
}

using Clock = std::chrono::steady_clock;

/// Reads exactly N bytes. Eof if the peer closed before the first byte or
/// in the middle (both mean the peer is gone).
ReadStatus readAll(int Fd, char *P, size_t N,
                   std::optional<Clock::time_point> Deadline) {
  while (N) {
    if (Deadline) {
      auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      *Deadline - Clock::now())
                      .count();
      if (Left <= 0)
        return ReadStatus::Timeout;
      pollfd PF{Fd, POLLIN, 0};
      int R = ::poll(&PF, 1, static_cast<int>(std::min<long long>(Left, 1000)));
      if (R < 0 && errno != EINTR)
        return ReadStatus::Error;
      if (R <= 0)
        continue;
    }
    ssize_t Got = ::read(Fd, P, N);
    if (Got < 0 && errno == EINTR)
      continue;
    if (Got < 0)
      return errno == ECONNRESET ? ReadStatus::Eof : ReadStatus::Error;
    if (Got == 0)
      return ReadStatus::Eof;
    P += Got;
    N -= static_cast<size_t>(Got);
  }
  return ReadStatus::Ok;
}

void putDouble(std::string &Out, double D) {
  putFixed64BE(Out, std::bit_cast<uint64_t>(D));
}

bool getDouble(Decoder &D, double &V) {
  uint64_t Bits;
  if (!D.getFixed64(Bits))
    return false;
  V = std::bit_cast<double>(Bits);
  return true;
}

void putStrings(std::string &Out, const std::vector<std::string> &V) {
  putVarint(Out, V.size());
  for (const std::string &S : V)
    putString(Out, S);
}

bool getStrings(Decoder &D, std::vector<std::string> &V) {
  uint64_t N;
  if (!D.getVarint(N) || N > D.rest().size())
    return false;
  V.resize(N);
  for (std::string &S : V)
    if (!D.getString(S))
      return false;
  return true;
}

} // namespace

bool writeFrame(int Fd, FrameType Type, std::string_view Payload) {
  if (Payload.size() + 1 > MaxFrameBytes)
    return false;
  std::string Head;
  putFixed32BE(Head, static_cast<uint32_t>(Payload.size() + 1));
  Head.push_back(static_cast<char>(Type));
  // One buffer, one send: small frames (claims) go out in one segment.
  if (Payload.size() < 4096) {
    Head.append(Payload);
    return writeAll(Fd, Head.data(), Head.size());
  }
  return writeAll(Fd, Head.data(), Head.size()) &&
         writeAll(Fd, Payload.data(), Payload.size());
}

ReadStatus readFrame(int Fd, Frame &Out,
                     std::optional<Clock::time_point> Deadline) {
  char Head[5];
  if (ReadStatus S = readAll(Fd, Head, sizeof Head, Deadline);
      S != ReadStatus::Ok)
    return S;
  uint32_t Len = getFixed32BE(std::string_view(Head, 4));
  if (Len == 0 || Len > MaxFrameBytes)
    return ReadStatus::Error;
  Out.Type = static_cast<FrameType>(Head[4]);
  Out.Payload.resize(Len - 1);
  return readAll(Fd, Out.Payload.data(), Out.Payload.size(), Deadline);
}

llvm::Expected<ExtractOptions> extractOptions(const WorkerSetup &S) {
  ExtractOptions Opts;
  Opts.Root = S.Root;
  Opts.BuildDir = S.BuildDir;
  Opts.IndexSystem = S.IndexSystem;
  Opts.ExcludeTests = S.ExcludeTests;
  Opts.TestHeuristics = S.TestHeuristics;
  Opts.DedupHeaders = S.DedupHeaders;
  Opts.IndexInstantiations = S.IndexInstantiations;
  Opts.TuTimeoutSeconds = S.TuTimeoutSeconds;
  auto Compile = [](const std::string &G,
                    const char *Option) -> llvm::Expected<llvm::GlobPattern> {
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(G);
    if (!P)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "bad " + std::string(Option) +
                                         " pattern '" + G +
                                         "': " + llvm::toString(P.takeError()));
    return P;
  };
  for (const std::string &G : S.Exclude) {
    llvm::Expected<llvm::GlobPattern> P = Compile(G, "--exclude");
    if (!P)
      return P.takeError();
    Opts.Exclude.push_back(std::move(*P));
  }
  for (const std::string &G : S.TestFiles) {
    llvm::Expected<llvm::GlobPattern> P = Compile(G, "--test-files");
    if (!P)
      return P.takeError();
    Opts.TestFiles.emplace_back(G, std::move(*P));
  }
  return Opts;
}

std::string encodeSetup(const WorkerSetup &S) {
  std::string Out;
  putString(Out, S.Root);
  putString(Out, S.BuildDir);
  Out.push_back(
      static_cast<char>((S.IndexSystem ? 1 : 0) | (S.ExcludeTests ? 2 : 0) |
                        (S.TestHeuristics ? 4 : 0) | (S.DedupHeaders ? 8 : 0) |
                        (S.IndexInstantiations ? 16 : 0)));
  putVarint(Out, S.TuTimeoutSeconds);
  putStrings(Out, S.Exclude);
  putStrings(Out, S.TestFiles);
  putVarint(Out, S.TuMemoryMB);
  return Out;
}

bool decodeSetup(std::string_view In, WorkerSetup &S) {
  Decoder D(In);
  uint8_t Bits;
  if (!D.getString(S.Root) || !D.getString(S.BuildDir) || !D.getByte(Bits) ||
      Bits >= 32 || !D.getInt(S.TuTimeoutSeconds) ||
      !getStrings(D, S.Exclude) || !getStrings(D, S.TestFiles) ||
      !D.getVarint(S.TuMemoryMB))
    return false;
  S.IndexSystem = Bits & 1;
  S.ExcludeTests = Bits & 2;
  S.TestHeuristics = Bits & 4;
  S.DedupHeaders = Bits & 8;
  S.IndexInstantiations = Bits & 16;
  return D.done();
}

std::string encodeTuInput(const TuInput &T) {
  std::string Out;
  putFixed64BE(Out, T.Key);
  putVarint(Out, T.Index);
  putString(Out, T.MainFile);
  putString(Out, T.Directory);
  putStrings(Out, T.Args);
  putFixed64BE(Out, T.CommandHash);
  putFixed64BE(Out, T.Variant);
  Out.push_back(static_cast<char>(T.Lang));
  return Out;
}

bool decodeTuInput(std::string_view In, TuInput &T) {
  Decoder D(In);
  uint8_t Lang;
  if (!D.getFixed64(T.Key) || !D.getInt(T.Index) || !D.getString(T.MainFile) ||
      !D.getString(T.Directory) || !getStrings(D, T.Args) ||
      !D.getFixed64(T.CommandHash) || !D.getFixed64(T.Variant) ||
      !D.getByte(Lang) || Lang > static_cast<uint8_t>(Language::Cxx))
    return false;
  T.Lang = static_cast<Language>(Lang);
  return D.done();
}

std::string encodeClaim(const UnitKey &U, Id Tu) {
  std::string Out;
  putFixed64BE(Out, U.File);
  putFixed64BE(Out, U.Variant);
  putFixed64BE(Out, Tu);
  return Out;
}

bool decodeClaim(std::string_view In, UnitKey &U, Id &Tu) {
  Decoder D(In);
  return D.getFixed64(U.File) && D.getFixed64(U.Variant) && D.getFixed64(Tu) &&
         D.done();
}

std::string encodeClaimReply(Id Owner) {
  std::string Out;
  putFixed64BE(Out, Owner);
  return Out;
}

bool decodeClaimReply(std::string_view In, Id &Owner) {
  Decoder D(In);
  return D.getFixed64(Owner) && D.done();
}

std::string encodeResult(const TuResult &R,
                         const std::vector<std::string> &NewUsrs) {
  std::string Out;
  facts::putTuRecord(Out, R.Record);
  putVarint(Out, R.Units.size());
  for (const UnitFacts &U : R.Units)
    facts::putUnitFacts(Out, U);
  putDouble(Out, R.ParseSeconds);
  putDouble(Out, R.ExtractSeconds);
  putStrings(Out, NewUsrs);
  return Out;
}

bool decodeResult(std::string_view In, TuResult &R,
                  std::vector<std::string> &NewUsrs) {
  Decoder D(In);
  uint64_t N;
  if (!facts::getTuRecord(D, R.Record) || !D.getVarint(N) ||
      N > D.rest().size())
    return false;
  R.Units.resize(N);
  for (UnitFacts &U : R.Units)
    if (!facts::getUnitFacts(D, U))
      return false;
  return getDouble(D, R.ParseSeconds) && getDouble(D, R.ExtractSeconds) &&
         getStrings(D, NewUsrs) && D.done();
}

std::string signalName(int Sig) {
  switch (Sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGABRT:
    return "SIGABRT";
  case SIGBUS:
    return "SIGBUS";
  case SIGILL:
    return "SIGILL";
  case SIGFPE:
    return "SIGFPE";
  case SIGKILL:
    return "SIGKILL";
  case SIGTRAP:
    return "SIGTRAP";
  case SIGTERM:
    return "SIGTERM";
  case SIGINT:
    return "SIGINT";
  case SIGPIPE:
    return "SIGPIPE";
  case SIGXCPU:
    return "SIGXCPU";
  case SIGHUP:
    return "SIGHUP";
  case SIGQUIT:
    return "SIGQUIT";
  case SIGSYS:
    return "SIGSYS";
  default:
    return "signal " + std::to_string(Sig);
  }
}

} // namespace codeindex::worker
