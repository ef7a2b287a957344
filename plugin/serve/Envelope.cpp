//===- Envelope.cpp - The JSON every `serve` response is ------------------===//

#include "serve/Envelope.h"
#include "serve/Deadline.h"

#include "query/Context.h"
#include "query/QueryError.h"
#include "tools/code-indexer/ExitCodes.h"

using namespace llvm;

namespace codeindex {

ojson successEnvelope(ojson Query, ojson Data) {
  ojson J;
  J["ok"] = true;
  J["query"] = std::move(Query);
  size_t Tokens = estimateTokens(Data);
  J["data"] = std::move(Data);
  J["tokens"] = Tokens;
  return J;
}

ojson errorEnvelope(ojson Query, const ApiError &E) {
  ojson Err;
  Err["kind"] = E.Kind;
  Err["message"] = E.Message;
  Err["exit_code"] = E.ExitCode ? ojson(*E.ExitCode) : ojson(nullptr);
  if (!E.Candidates.is_null())
    Err["candidates"] = E.Candidates;
  ojson J;
  J["ok"] = false;
  J["query"] = std::move(Query);
  J["error"] = std::move(Err);
  return J;
}

ApiError apiError(Error E) {
  ApiError A;
  handleAllErrors(
      std::move(E),
      [&](const QueryError &Q) {
        A.Message = Q.message();
        // The same codes as the command line's report() in main.cpp.
        if (Q.kind() == QueryError::Index) {
          A.Status = 503;
          A.Kind = "index_unavailable";
          A.ExitCode = exitcode::Store;
          return;
        }
        A.ExitCode = exitcode::Usage;
        switch (Q.reason()) {
        case QueryError::UnknownSymbol:
          A.Status = 404;
          A.Kind = "unknown_symbol";
          break;
        case QueryError::Ambiguous: {
          A.Status = 409;
          A.Kind = "ambiguous";
          A.Candidates = ojson::array();
          for (const QueryError::Candidate &C : Q.candidates()) {
            ojson J;
            J["id"] = C.Id.empty() ? ojson(nullptr) : ojson(C.Id);
            J["kind"] = C.Kind;
            J["name"] = C.Name;
            J["location"] = C.Location;
            A.Candidates.push_back(J);
          }
          break;
        }
        case QueryError::General:
          A.Status = 400;
          A.Kind = "bad_argument";
          break;
        }
      },
      [&](const DeadlineExceeded &D) {
        A.Status = 504;
        A.Kind = "deadline_exceeded";
        A.Message = D.message();
      },
      [&](const ErrorInfoBase &B) {
        A.Status = 500;
        A.Kind = "internal";
        A.Message = B.message();
      });
  return A;
}

ApiError badRequest(std::string Message) {
  return ApiError{400, "bad_argument", std::move(Message), exitcode::Usage,
                  nullptr};
}

ApiError notFound(std::string Kind, std::string Message) {
  return ApiError{404, std::move(Kind), std::move(Message), exitcode::Usage,
                  nullptr};
}

ApiError forbidden(std::string Message) {
  return ApiError{403, "forbidden", std::move(Message), std::nullopt, nullptr};
}

} // namespace codeindex
