//===- CTest.cpp - Test cases to CTest test names -------------------------===//

#include "query/CTest.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace codeindex {

namespace {

llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

std::optional<nlohmann::json> parseJson(llvm::StringRef Text) {
  nlohmann::json J = nlohmann::json::parse(Text.begin(), Text.end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (J.is_discarded())
    return std::nullopt;
  return J;
}

llvm::Expected<nlohmann::json> readJsonFile(const llvm::Twine &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return makeError("cannot read '" + Path + "': " + Buf.getError().message());
  std::optional<nlohmann::json> J = parseJson((*Buf)->getBuffer());
  if (!J || !J->is_object())
    return makeError("'" + Path + "' is not a JSON object");
  return std::move(*J);
}

std::string str(const nlohmann::json &J, const char *Key) {
  auto It = J.find(Key);
  return It != J.end() && It->is_string() ? It->get<std::string>() : "";
}

std::string absolute(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P)) {
    P = Base;
    llvm::sys::path::append(P, Path);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// Whether glob A matches text B or glob B matches text A: a filter such
/// as `Suite.*` selects the test case `Suite.Name`; the test case
/// `*/Suite.Name/*` (TEST_P) is selected by the filter `Inst/Suite.Name/0`.
bool globsMeet(llvm::StringRef A, llvm::StringRef B) {
  auto Match = [](llvm::StringRef Pattern, llvm::StringRef Text) {
    llvm::Expected<llvm::GlobPattern> G = llvm::GlobPattern::create(Pattern);
    if (!G) {
      llvm::consumeError(G.takeError());
      return Pattern == Text;
    }
    return G->match(Text);
  };
  return A == B || Match(A, B) || Match(B, A);
}

/// Catch2's test spec as catch_discover_tests writes it: `,`, `[`, `]` and
/// `\` escaped with a backslash.
std::string unescapeCatchSpec(llvm::StringRef S) {
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '\\' && I + 1 < S.size())
      ++I;
    Out += S[I];
  }
  return Out;
}

/// What a CTest test's command selects, by framework; empty Selects means
/// the command runs the whole executable.
struct Selection {
  std::string Framework;
  std::vector<std::string> Patterns;
};

Selection selectionOf(const CTestTest &T) {
  Selection S;
  for (size_t I = 1; I < T.Command.size(); ++I) {
    llvm::StringRef A = T.Command[I];
    if (A.consume_front("--gtest_filter=")) {
      S.Framework = "gtest";
      // POSITIVE[-NEGATIVE]: the negative patterns only narrow it.
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      A.split('-').first.split(Parts, ':', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef P : Parts)
        S.Patterns.push_back(P.str());
      if (S.Patterns.empty())
        S.Patterns.push_back("*");
    } else if (A.consume_front("--test-case=") || A.consume_front("-tc=")) {
      S.Framework = "doctest";
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      A.split(Parts, ',', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef P : Parts)
        S.Patterns.push_back(P.str());
    } else if (A.consume_front("--run_test=") || A.consume_front("-t=")) {
      S.Framework = "boost.test";
      S.Patterns.push_back(A.str());
    }
  }
  // catch_discover_tests: EXECUTABLE SPEC [extra arguments]; a spec is
  // never an option.
  if (S.Framework.empty() && T.Command.size() > 1 &&
      !llvm::StringRef(T.Command[1]).starts_with("-")) {
    S.Framework = "catch2";
    S.Patterns.push_back(unescapeCatchSpec(T.Command[1]));
  }
  return S;
}

bool selects(const Selection &S, const TestCaseRef &C) {
  if (S.Framework != C.Framework)
    return false;
  for (const std::string &P : S.Patterns) {
    if (C.Framework == "catch2" ? P == C.Name : globsMeet(P, C.Name))
      return true;
  }
  return false;
}

/// Whether the absolute source path names the test case's file (given
/// root-relative, or absolute).
bool sameFile(llvm::StringRef Source, llvm::StringRef CaseFile) {
  if (llvm::sys::path::is_absolute(CaseFile))
    return Source == CaseFile;
  return Source.ends_with(CaseFile) &&
         (Source.size() == CaseFile.size() ||
          Source[Source.size() - CaseFile.size() - 1] == '/');
}

std::string shellQuote(llvm::StringRef S) {
  if (!S.empty() && llvm::all_of(S, [](char C) {
        return llvm::isAlnum(C) || llvm::StringRef("/._-+=:,@%").contains(C);
      }))
    return S.str();
  std::string Out = "'";
  for (char C : S)
    Out += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Out + "'";
}

} // namespace

llvm::Expected<std::vector<CTestTest>> parseCTestJson(llvm::StringRef Text) {
  std::optional<nlohmann::json> J = parseJson(Text);
  if (!J || !J->is_object())
    return makeError("ctest --show-only=json-v1 gave no JSON object");
  auto Kind = J->find("kind");
  if (Kind == J->end() || *Kind != "ctestInfo")
    return makeError("ctest --show-only=json-v1 gave a document of another "
                     "kind (expected \"kind\": \"ctestInfo\")");
  std::vector<CTestTest> Out;
  auto Tests = J->find("tests");
  if (Tests == J->end())
    return Out;
  if (!Tests->is_array())
    return makeError("ctest --show-only=json-v1: \"tests\" is not an array");
  for (const nlohmann::json &T : *Tests) {
    if (!T.is_object())
      return makeError("ctest --show-only=json-v1: a test is not an object");
    CTestTest C;
    C.Name = str(T, "name");
    if (auto Cmd = T.find("command"); Cmd != T.end() && Cmd->is_array())
      for (const nlohmann::json &A : *Cmd)
        if (A.is_string())
          C.Command.push_back(A.get<std::string>());
    if (!C.Name.empty())
      Out.push_back(std::move(C));
  }
  return Out;
}

llvm::Expected<std::vector<CTestTest>>
listCTestTests(llvm::StringRef BuildDir) {
  llvm::ErrorOr<std::string> Ctest = llvm::sys::findProgramByName("ctest");
  if (!Ctest)
    return makeError("cannot find ctest on PATH to list the tests of '" +
                     BuildDir + "'");
  llvm::SmallString<128> Out, Err;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("code-indexer-ctest", "json", Out))
    return makeError("cannot create a temporary file: " + EC.message());
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("code-indexer-ctest", "err", Err))
    return makeError("cannot create a temporary file: " + EC.message());
  llvm::FileRemover RemoveOut(Out), RemoveErr(Err);
  llvm::StringRef Argv[] = {*Ctest, "--show-only=json-v1", "--test-dir",
                            BuildDir};
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(Out), llvm::StringRef(Err)};
  std::string Message;
  int Rc = llvm::sys::ExecuteAndWait(*Ctest, Argv, /*Env=*/std::nullopt,
                                     Redirects, /*SecondsToWait=*/120,
                                     /*MemoryLimit=*/0, &Message);
  if (Rc != 0) {
    std::string Why = Message;
    if (auto E = llvm::MemoryBuffer::getFile(Err))
      Why += llvm::StringRef((*E)->getBuffer()).trim().str();
    return makeError("ctest --show-only=json-v1 --test-dir " + BuildDir +
                     " failed" + (Why.empty() ? "" : ": " + Why));
  }
  auto Buf = llvm::MemoryBuffer::getFile(Out, /*IsText=*/true);
  if (!Buf)
    return makeError("cannot read ctest's output: " + Buf.getError().message());
  return parseCTestJson((*Buf)->getBuffer());
}

llvm::Expected<CodeModel> readCodeModel(llvm::StringRef BuildDir) {
  llvm::SmallString<256> Reply(BuildDir);
  llvm::sys::path::append(Reply, ".cmake", "api", "v1", "reply");
  // The newest index file names the current reply files.
  std::string Index;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Reply, EC), End; !EC && It != End;
       It.increment(EC)) {
    std::string Name = llvm::sys::path::filename(It->path()).str();
    if (llvm::StringRef(Name).starts_with("index-") &&
        llvm::StringRef(Name).ends_with(".json") && Name > Index)
      Index = Name;
  }
  if (Index.empty()) {
    llvm::SmallString<256> Query(BuildDir);
    llvm::sys::path::append(Query, ".cmake", "api", "v1", "query");
    std::string Asked;
    if (!llvm::sys::fs::create_directories(Query)) {
      llvm::sys::path::append(Query, "codemodel-v2");
      std::error_code WEC;
      llvm::raw_fd_ostream(Query, WEC);
      if (!WEC)
        Asked = "; asked for one in '" + std::string(Query) +
                "': configure the build again (cmake " + BuildDir.str() +
                ") to get it";
    }
    return makeError("no CMake file API codemodel reply in '" + BuildDir + "'" +
                     Asked);
  }
  llvm::Expected<nlohmann::json> IndexJ = readJsonFile(Reply + "/" + Index);
  if (!IndexJ)
    return IndexJ.takeError();
  std::string CodeModelFile;
  if (auto R = IndexJ->find("reply"); R != IndexJ->end() && R->is_object())
    if (auto C = R->find("codemodel-v2"); C != R->end() && C->is_object())
      CodeModelFile = str(*C, "jsonFile");
  if (CodeModelFile.empty())
    return makeError("the CMake file API reply in '" + BuildDir +
                     "' has no codemodel-v2 (no query asked for it)");
  llvm::Expected<nlohmann::json> CM = readJsonFile(Reply + "/" + CodeModelFile);
  if (!CM)
    return CM.takeError();
  std::string SourceDir, BuildTop;
  if (auto P = CM->find("paths"); P != CM->end() && P->is_object()) {
    SourceDir = str(*P, "source");
    BuildTop = str(*P, "build");
  }
  if (BuildTop.empty())
    BuildTop = BuildDir.str();
  CodeModel Out;
  auto Configs = CM->find("configurations");
  if (Configs == CM->end() || !Configs->is_array() || Configs->empty())
    return Out;
  // One configuration is enough to know which sources an executable has.
  const nlohmann::json &Config = (*Configs)[0];
  auto Targets = Config.find("targets");
  if (Targets == Config.end() || !Targets->is_array())
    return Out;
  for (const nlohmann::json &T : *Targets) {
    std::string File = T.is_object() ? str(T, "jsonFile") : "";
    if (File.empty())
      continue;
    llvm::Expected<nlohmann::json> TJ = readJsonFile(Reply + "/" + File);
    if (!TJ)
      return TJ.takeError();
    if (str(*TJ, "type") != "EXECUTABLE")
      continue;
    std::vector<std::string> Sources;
    if (auto S = TJ->find("sources"); S != TJ->end() && S->is_array())
      for (const nlohmann::json &Src : *S)
        if (Src.is_object() && !str(Src, "path").empty())
          Sources.push_back(absolute(str(Src, "path"), SourceDir));
    if (auto A = TJ->find("artifacts"); A != TJ->end() && A->is_array())
      for (const nlohmann::json &Art : *A)
        if (Art.is_object() && !str(Art, "path").empty())
          Out.Sources[absolute(str(Art, "path"), BuildTop)] = Sources;
  }
  return Out;
}

CTestMapping mapTestCases(const std::vector<CTestTest> &Tests,
                          const std::vector<TestCaseRef> &Cases,
                          const CodeModel *Model) {
  CTestMapping M;
  M.PerCase.resize(Cases.size());
  std::vector<Selection> Sel;
  for (const CTestTest &T : Tests)
    Sel.push_back(selectionOf(T));
  bool GuessedByStem = false;
  for (size_t C = 0; C < Cases.size(); ++C) {
    for (size_t I = 0; I < Tests.size(); ++I) {
      const CTestTest &T = Tests[I];
      bool Runs = false;
      if (!Sel[I].Framework.empty()) {
        Runs = selects(Sel[I], Cases[C]);
      } else if (!T.Command.empty()) {
        // The whole executable runs: does it hold the test case?
        if (Model) {
          auto It = Model->Sources.find(T.Command[0]);
          Runs = It != Model->Sources.end() &&
                 llvm::any_of(It->second, [&](const std::string &S) {
                   return sameFile(S, Cases[C].File);
                 });
        } else {
          Runs = llvm::sys::path::stem(T.Command[0]) ==
                 llvm::sys::path::stem(Cases[C].File);
          GuessedByStem |= Runs;
        }
      }
      if (Runs)
        M.PerCase[C].push_back(T.Name);
    }
    if (M.PerCase[C].empty())
      M.Notes.push_back("no CTest test runs " + Cases[C].Name + " (" +
                        Cases[C].File + ")");
    M.Tests.insert(M.Tests.end(), M.PerCase[C].begin(), M.PerCase[C].end());
  }
  if (GuessedByStem)
    M.Notes.push_back("without a CMake file API codemodel reply, test "
                      "executables were matched to test files by name");
  std::sort(M.Tests.begin(), M.Tests.end());
  M.Tests.erase(std::unique(M.Tests.begin(), M.Tests.end()), M.Tests.end());
  return M;
}

std::string ctestRegex(const std::vector<std::string> &Names) {
  std::string R = "^(";
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I)
      R += '|';
    for (char C : Names[I]) {
      if (llvm::StringRef("\\^$.|?*+()[]{}").contains(C))
        R += '\\';
      R += C;
    }
  }
  return R + ")$";
}

std::string ctestCommandLine(llvm::StringRef BuildDir,
                             const std::vector<std::string> &Names) {
  return "ctest --test-dir " + shellQuote(BuildDir) + " -R " +
         shellQuote(ctestRegex(Names));
}

llvm::Expected<std::string>
ctestCommandFor(llvm::StringRef BuildDir,
                const std::vector<TestCaseRef> &Cases) {
  llvm::Expected<std::vector<CTestTest>> Tests = listCTestTests(BuildDir);
  if (!Tests)
    return Tests.takeError();
  llvm::Expected<CodeModel> Model = readCodeModel(BuildDir);
  std::optional<CodeModel> Have;
  if (Model)
    Have = std::move(*Model);
  else
    llvm::consumeError(Model.takeError());
  CTestMapping M = mapTestCases(*Tests, Cases, Have ? &*Have : nullptr);
  if (M.Tests.empty())
    return makeError("no CTest test of '" + BuildDir +
                     "' runs any of the test cases");
  return ctestCommandLine(BuildDir, M.Tests);
}

} // namespace codeindex
