//===- ServeTest.cpp - The parts of `serve` below HTTP --------------------===//

#include "QueryTestUtil.h"

#include "serve/Deadline.h"
#include "serve/Envelope.h"
#include "serve/Server.h"

#include "query/Context.h"
#include "query/GraphIndex.h"
#include "query/Query.h"
#include "query/QueryError.h"

#include "gtest/gtest.h"

#include <chrono>

namespace codeindex {
namespace {

TEST(ServeTest, OnlyLoopbackAddressesAreLoopback) {
  for (const char *A : {"127.0.0.1", "127.1.2.3", "localhost", "::1"})
    EXPECT_TRUE(isLoopbackAddress(A)) << A;
  for (const char *A : {"0.0.0.0", "10.0.0.1", "192.168.1.1", "::", "",
                        "example.com", "128.0.0.1"})
    EXPECT_FALSE(isLoopbackAddress(A)) << A;
}

TEST(ServeTest, ANonLoopbackBindNeedsAllowRemote) {
  ServeOptions O;
  O.Db = "rocksdb:/nonexistent/index";
  O.Bind = "0.0.0.0";
  std::string Log;
  llvm::raw_string_ostream OS(Log);
  llvm::Expected<std::unique_ptr<Server>> S = Server::create(O, OS);
  ASSERT_FALSE(bool(S));
  std::string Msg = llvm::toString(S.takeError());
  EXPECT_NE(Msg.find("not a loopback address"), std::string::npos) << Msg;
  EXPECT_TRUE(Log.empty());
  // Allowed: the warning comes first; then the missing index fails.
  O.AllowRemote = true;
  S = Server::create(O, OS);
  ASSERT_FALSE(bool(S));
  llvm::consumeError(S.takeError());
  EXPECT_NE(Log.find("warning: serving on 0.0.0.0"), std::string::npos);
}

TEST(ServeTest, ErrorsKeepTheirMeaning) {
  auto Of = [](llvm::Error E) { return apiError(std::move(E)); };
  ApiError A = Of(llvm::make_error<QueryError>(
      QueryError::Usage, "no entity named 'x'", QueryError::UnknownSymbol));
  EXPECT_EQ(A.Status, 404);
  EXPECT_EQ(A.Kind, "unknown_symbol");
  EXPECT_EQ(A.ExitCode, 1);
  A = Of(llvm::make_error<QueryError>(
      QueryError::Usage, "'a' is ambiguous", QueryError::Ambiguous,
      std::vector<QueryError::Candidate>{
          {"0000000000000001", "function", "void a()", "a.cpp:1"}}));
  EXPECT_EQ(A.Status, 409);
  EXPECT_EQ(A.Kind, "ambiguous");
  ASSERT_EQ(A.Candidates.size(), 1u);
  EXPECT_EQ(A.Candidates[0]["id"], "0000000000000001");
  A = Of(usageError("callers takes one argument"));
  EXPECT_EQ(A.Status, 400);
  EXPECT_EQ(A.Kind, "bad_argument");
  A = Of(indexError("reading the index failed"));
  EXPECT_EQ(A.Status, 503);
  EXPECT_EQ(A.Kind, "index_unavailable");
  EXPECT_EQ(A.ExitCode, 2);
  A = Of(llvm::make_error<DeadlineExceeded>(250));
  EXPECT_EQ(A.Status, 504);
  EXPECT_EQ(A.Kind, "deadline_exceeded");
  EXPECT_FALSE(A.ExitCode.has_value());
  ojson E = errorEnvelope({{"endpoint", "callers"}}, A);
  EXPECT_EQ(E["ok"], false);
  EXPECT_TRUE(E["error"]["exit_code"].is_null());
  EXPECT_FALSE(E["error"].contains("candidates"));
}

TEST(ServeTest, TheEnvelopeCountsTokensOfTheData) {
  ojson Data = {{"text", std::string(13, 'x')}};
  ojson E = successEnvelope({{"endpoint", "stats"}}, Data);
  // {"text":"xxxxxxxxxxxxx"} is 24 bytes: 6 tokens.
  EXPECT_EQ(compactJson(Data).size(), 24u);
  EXPECT_EQ(E["tokens"], 6);
  EXPECT_EQ(E["data"], Data);
  EXPECT_EQ(estimateTokensOfBytes(25), 7u);
}

TEST(ServeTest, APassedDeadlineStopsTheQueryWithoutAnAnswer) {
  GraphIndex Index(test::shapes());
  DeadlineReader Late(Index, DeadlineReader::Clock::now(), 0);
  QueryOptions O;
  O.Format = OutputFormat::Json;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::Error E = runQuery(Late, {"callers", "geo::Circle::area"}, O, OS);
  ApiError A = apiError(std::move(E));
  EXPECT_EQ(A.Status, 504);
  EXPECT_TRUE(Out.empty());
  // In time, the same query answers as through the reader itself.
  DeadlineReader InTime(
      Index, DeadlineReader::Clock::now() + std::chrono::hours(1), 3600000);
  ASSERT_FALSE(bool(runQuery(InTime, {"callers", "geo::Circle::area"}, O, OS)));
  std::string Direct;
  llvm::raw_string_ostream DOS(Direct);
  ASSERT_FALSE(bool(runQuery(Index, {"callers", "geo::Circle::area"}, O, DOS)));
  EXPECT_EQ(Out, Direct);
}

} // namespace
} // namespace codeindex
