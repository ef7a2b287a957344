//===- CompileCommands.cpp - Reading and sanitising compile commands ------===//

#include "extractor/CompileCommands.h"

#include "clang/Driver/Options.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <set>

namespace codeindex {

namespace {

llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

std::string normalize(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P) && !Base.empty()) {
    llvm::SmallString<256> B(Base);
    llvm::sys::path::append(B, P);
    P = B;
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  llvm::sys::path::native(P);
  return std::string(P);
}

bool startsWithAny(llvm::StringRef A,
                   std::initializer_list<llvm::StringRef> L) {
  for (llvm::StringRef P : L)
    if (A.starts_with(P))
      return true;
  return false;
}

/// Flags that make the compiler load and run code, or write files. They are
/// removed with their value; returns how many argv slots the flag uses (0 if
/// it is not such a flag).
unsigned unsafeFlagWidth(llvm::StringRef A) {
  // Every spelling of a code-loading flag, even where the driver would read
  // it as something else ("-load=x" is its -l): simple to check, and none
  // of them matters for indexing.
  if (startsWithAny(
          A, {"-fplugin", "-fpass-plugin", "-load", "-add-plugin", "-plugin"}))
    return A == "-load" || A == "-add-plugin" || A == "-plugin" ? 2 : 1;
  if (A == "-o" || A == "-MF" || A == "-MT" || A == "-MQ" || A == "-MJ" ||
      A == "--serialize-diagnostics" || A == "-include-pch" ||
      A == "-dependency-file")
    return 2;
  if ((A.starts_with("-o") && A.size() > 2) || A.starts_with("-MF") ||
      A.starts_with("-MT") || A.starts_with("-MQ") || A.starts_with("-MJ") ||
      A.starts_with("--serialize-diagnostics="))
    return 1;
  if (A == "-c" || A == "-M" || A == "-MM" || A == "-MD" || A == "-MMD" ||
      A == "-MG" || A == "-MP" || A == "-S" || A == "-E")
    return 1;
  return 0;
}

/// Whether a flag names something to report as a security strip (as opposed
/// to a harmless output flag we drop silently).
bool isCodeLoadingFlag(llvm::StringRef A) {
  return startsWithAny(
      A, {"-fplugin", "-fpass-plugin", "-load", "-add-plugin", "-plugin"});
}

/// Frontend (cc1) flags that write a file, reached through -Xclang,
/// -Xpreprocessor or -Wp,: argv slots they use (0 if not such a flag).
unsigned frontendOutputWidth(llvm::StringRef A) {
  if (A == "-dependency-dot" || A == "-header-include-file" ||
      A == "-module-dependency-dir" || A == "-diagnostic-log-file" ||
      A == "-serialize-diagnostic-file")
    return 2;
  if (A.starts_with("-stats-file=") || A.starts_with("-ftime-trace="))
    return 1;
  return unsafeFlagWidth(A);
}

/// Flags that make our own process do something on the command's behalf:
/// -mllvm sets LLVM's global options (shared by every worker thread), a
/// configuration file injects flags that would bypass this sanitiser.
/// Returns the argv slots used (0 if not such a flag).
unsigned inProcessFlagWidth(llvm::StringRef A) {
  if (A == "-mllvm" || A == "--config" || A == "-config")
    return 2;
  // Any other spelling too, wherever it stands (fuzz_compile_commands found
  // "-x --config-x.cfg"): never needed for indexing, simple to check.
  if (A.starts_with("--config"))
    return 1;
  return 0;
}

struct Sanitized {
  std::vector<std::string> Args;
  std::vector<std::string> Stripped;
};

/// Removes unsafe and output flags, including the forms forwarded to the
/// frontend (-Xclang X, -Xpreprocessor X, -Wp,X,Y).
Sanitized sanitize(const std::vector<std::string> &In) {
  Sanitized Out;
  for (size_t I = 0; I < In.size(); ++I) {
    llvm::StringRef A = In[I];
    if (I == 0) {
      Out.Args.push_back(In[I]);
      continue;
    }
    // -Xclang X / -Xpreprocessor X: X goes to the frontend as is. A flag X
    // that takes a value is followed by "-Xclang VALUE".
    if ((A == "-Xclang" || A == "-Xpreprocessor") && I + 1 < In.size()) {
      llvm::StringRef Next = In[I + 1];
      bool TakesValue = Next == "-load" || Next == "-add-plugin" ||
                        Next == "-plugin" || Next.starts_with("-plugin-arg-") ||
                        Next == "-include-pch" || Next == "-mllvm" ||
                        frontendOutputWidth(Next) == 2;
      bool Loads = isCodeLoadingFlag(Next) || Next == "-mllvm";
      if (TakesValue || Loads || frontendOutputWidth(Next)) {
        std::string Dropped = In[I] + " " + In[I + 1];
        I += 1;
        if (TakesValue && I + 2 < In.size() && In[I + 1] == A) {
          Dropped += " " + In[I + 1] + " " + In[I + 2];
          I += 2;
        } else if (TakesValue && I + 1 < In.size() && In[I + 1] != A) {
          Dropped += " " + In[I + 1];
          I += 1;
        }
        if (Loads)
          Out.Stripped.push_back(Dropped);
        continue;
      }
    }
    // -Wp,A,B,...: every comma-separated value goes to the preprocessor.
    if (A.starts_with("-Wp,")) {
      llvm::SmallVector<llvm::StringRef, 4> Values;
      A.drop_front(4).split(Values, ',');
      bool Loads = false, Writes = false;
      for (llvm::StringRef V : Values) {
        Loads |= isCodeLoadingFlag(V) || V == "-mllvm";
        Writes |= frontendOutputWidth(V) != 0;
      }
      if (Loads)
        Out.Stripped.push_back(In[I]);
      if (Loads || Writes)
        continue;
    }
    if (unsigned W = inProcessFlagWidth(A)) {
      Out.Stripped.push_back(
          W == 2 && I + 1 < In.size() ? In[I] + " " + In[I + 1] : In[I]);
      I += W - 1;
      continue;
    }
    if (unsigned W = unsafeFlagWidth(A)) {
      if (isCodeLoadingFlag(A))
        Out.Stripped.push_back(
            W == 2 && I + 1 < In.size() ? In[I] + " " + In[I + 1] : In[I]);
      I += W - 1;
      continue;
    }
    Out.Args.push_back(In[I]);
  }
  return Out;
}

/// Drops arguments Clang's driver does not know (GCC-only flags), which
/// would otherwise make the whole TU fail with "unknown argument".
void dropUnknownDriverArgs(std::vector<std::string> &Args) {
  if (Args.size() < 2)
    return;
  std::vector<const char *> Ptrs;
  for (size_t I = 1; I < Args.size(); ++I)
    Ptrs.push_back(Args[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  llvm::opt::InputArgList Parsed =
      Table.ParseArgs(Ptrs, MissingIndex, MissingCount);
  llvm::DenseSet<unsigned> Unknown;
  for (const llvm::opt::Arg *A :
       Parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    Unknown.insert(A->getIndex());
  if (Unknown.empty())
    return;
  std::vector<std::string> Kept{Args[0]};
  for (size_t I = 1; I < Args.size(); ++I)
    if (!Unknown.count(static_cast<unsigned>(I - 1)))
      Kept.push_back(Args[I]);
  Args = std::move(Kept);
}

/// Hash of the flags that change what the preprocessor produces: a header
/// parsed under two different such configurations is two different units.
uint64_t variantOf(const std::vector<std::string> &Args, Language L) {
  std::string Key(spell(L));
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    bool WithValue = A == "-D" || A == "-U" || A == "-include" ||
                     A == "-imacros" || A == "-x" || A == "-target" ||
                     A == "--target";
    if (WithValue && I + 1 < Args.size()) {
      Key += '\0';
      Key += Args[I];
      Key += Args[I + 1];
      ++I;
      continue;
    }
    if (startsWithAny(A, {"-D", "-U", "-std=", "--std=", "-include", "-imacros",
                          "--target=", "-m32", "-m64", "-x"})) {
      Key += '\0';
      Key += Args[I];
    }
  }
  return llvm::xxh3_64bits(Key);
}

/// Expands @file arguments when the file lies inside one of Allowed.
llvm::Error expandResponseFiles(std::vector<std::string> &Args,
                                llvm::StringRef Directory,
                                const std::vector<std::string> &Allowed,
                                std::vector<std::string> &Stripped) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (I == 0 || !llvm::StringRef(Args[I]).starts_with("@")) {
      Out.push_back(std::move(Args[I]));
      continue;
    }
    std::string File =
        normalize(llvm::StringRef(Args[I]).drop_front(), Directory);
    bool Inside = false;
    for (const std::string &A : Allowed)
      if (llvm::StringRef(File).starts_with(A + "/") || File == A)
        Inside = true;
    if (!Inside) {
      Stripped.push_back(Args[I] + " (response file outside the build and "
                                   "source trees)");
      continue;
    }
    auto Buf = llvm::MemoryBuffer::getFile(File);
    if (!Buf) {
      Stripped.push_back(Args[I] + " (cannot read response file)");
      continue;
    }
    llvm::BumpPtrAllocator Alloc;
    llvm::StringSaver Saver(Alloc);
    llvm::SmallVector<const char *, 64> Toks;
    llvm::cl::TokenizeGNUCommandLine((*Buf)->getBuffer(), Saver, Toks);
    for (const char *T : Toks)
      if (llvm::StringRef(T).starts_with("@"))
        Stripped.push_back(std::string(T) + " (nested response file)");
      else
        Out.emplace_back(T);
  }
  Args = std::move(Out);
  return llvm::Error::success();
}

} // namespace

std::string defaultResourceDir() {
  if (const char *Env = std::getenv("CODE_INDEX_RESOURCE_DIR"))
    return Env;
  return CODE_INDEX_CLANG_RESOURCE_DIR;
}

Language languageOf(llvm::StringRef File, llvm::ArrayRef<std::string> Args) {
  for (size_t I = 0; I + 1 < Args.size(); ++I)
    if (Args[I] == "-x") {
      llvm::StringRef X = Args[I + 1];
      if (X == "c" || X == "c-header")
        return Language::C;
      if (X.starts_with("c++"))
        return Language::Cxx;
    }
  llvm::StringRef Ext = llvm::sys::path::extension(File);
  if (Ext == ".c")
    return Language::C;
  if (Ext == ".h")
    return Language::Unknown; // depends on the including TU
  return Language::Cxx;
}

llvm::Expected<std::string> findCompileCommands(llvm::StringRef PathOrDir) {
  llvm::SmallString<256> P;
  if (auto EC = llvm::sys::fs::real_path(PathOrDir, P))
    return makeError("cannot find '" + PathOrDir + "': " + EC.message());
  if (llvm::sys::fs::is_directory(P))
    llvm::sys::path::append(P, "compile_commands.json");
  if (!llvm::sys::fs::exists(P))
    return makeError("no compile_commands.json in '" + PathOrDir +
                     "' (configure the build with "
                     "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
  if (llvm::sys::fs::is_directory(P))
    return makeError("'" + P + "' is a directory, not a compile database");
  return std::string(P);
}

llvm::Expected<std::vector<TuInput>>
loadCompileCommands(llvm::StringRef JsonPath, const LoadOptions &Options) {
  auto Buf = llvm::MemoryBuffer::getFile(JsonPath, /*IsText=*/true);
  if (!Buf)
    return makeError("cannot read '" + JsonPath +
                     "': " + Buf.getError().message());
  return parseCompileCommands((*Buf)->getBuffer(), JsonPath, Options);
}

llvm::Expected<std::vector<TuInput>>
parseCompileCommands(llvm::StringRef Text, llvm::StringRef JsonPath,
                     const LoadOptions &Options) {
  if (Text.trim().empty())
    return makeError("'" + JsonPath +
                     "' is empty (expected a JSON array of {directory, file, "
                     "arguments|command} objects)");
  nlohmann::json J;
  try {
    J = nlohmann::json::parse(Text.begin(), Text.end());
  } catch (const nlohmann::json::exception &E) {
    // parse_error, and out_of_range for numbers like 1e99999 (found by
    // fuzz_compile_commands: it escaped as an uncaught exception).
    // "[json.exception.parse_error.101] parse error at line 1, column 2:
    // ..." without the library's prefix.
    llvm::StringRef What = E.what();
    if (What.starts_with("[json.exception."))
      What = What.split("] ").second;
    return makeError("'" + JsonPath + "' is not valid JSON: " + What);
  }
  if (!J.is_array())
    return makeError("'" + JsonPath +
                     "' is not a compile database: expected a JSON array of "
                     "{directory, file, arguments|command} objects");
  if (J.empty())
    return makeError("'" + JsonPath + "' lists no translation units");

  std::string DbDir(llvm::sys::path::parent_path(JsonPath));
  std::vector<std::string> Allowed{DbDir};
  for (const std::string &A : Options.AllowedDirs)
    Allowed.push_back(A);

  std::vector<TuInput> Out;
  std::set<Id> Seen;
  for (size_t Idx = 0; Idx < J.size(); ++Idx) {
    const nlohmann::json &E = J[Idx];
    auto Where = [&]() {
      return "'" + JsonPath.str() + "' entry " + std::to_string(Idx);
    };
    if (!E.is_object())
      return makeError(Where() + " is not an object");
    auto Str = [&](const char *K) -> std::optional<std::string> {
      auto It = E.find(K);
      if (It == E.end() || !It->is_string())
        return std::nullopt;
      return It->get<std::string>();
    };
    std::optional<std::string> File = Str("file"), Dir = Str("directory");
    if (!File || File->empty())
      return makeError(Where() + " has no \"file\"");
    if (!Dir || Dir->empty())
      return makeError(Where() + " has no \"directory\"");
    std::string Directory = normalize(*Dir, DbDir);
    std::vector<std::string> Args;
    if (auto It = E.find("arguments"); It != E.end()) {
      if (!It->is_array())
        return makeError(Where() + ": \"arguments\" is not an array");
      for (const auto &A : *It) {
        if (!A.is_string())
          return makeError(Where() + ": \"arguments\" holds a non-string");
        Args.push_back(A.get<std::string>());
      }
    } else if (std::optional<std::string> Cmd = Str("command")) {
      llvm::BumpPtrAllocator Alloc;
      llvm::StringSaver Saver(Alloc);
      llvm::SmallVector<const char *, 64> Toks;
      llvm::cl::TokenizeGNUCommandLine(*Cmd, Saver, Toks);
      for (const char *T : Toks)
        Args.emplace_back(T);
    } else {
      return makeError(Where() + " has neither \"arguments\" nor \"command\"");
    }
    if (Args.empty())
      return makeError(Where() + " has an empty command");

    TuInput T;
    T.Index = Idx;
    T.Directory = Directory;
    T.MainFile = normalize(*File, Directory);
    {
      std::string H = T.Directory;
      for (const std::string &A : Args) {
        H += '\0';
        H += A;
      }
      T.CommandHash = llvm::xxh3_64bits(H);
      T.Key = llvm::xxh3_64bits(T.MainFile + '\0' + H);
    }
    if (!Seen.insert(T.Key).second)
      continue; // an identical entry: one TU
    if (llvm::Error Err =
            expandResponseFiles(Args, Directory, Allowed, T.Stripped))
      return Err;
    Sanitized S = sanitize(Args);
    T.Stripped.insert(T.Stripped.end(), S.Stripped.begin(), S.Stripped.end());
    T.Args = std::move(S.Args);
    dropUnknownDriverArgs(T.Args);
    T.Lang = languageOf(T.MainFile, T.Args);
    if (T.Lang == Language::Unknown)
      T.Lang = Language::C;
    T.Variant = variantOf(T.Args, T.Lang);
    // Clang's driver would read configuration files found next to the
    // compiler named in argv[0] (which the database chooses).
    T.Args.push_back("--no-default-config");
    T.Args.push_back("-fsyntax-only");
    T.Args.push_back("-w");
    T.Args.push_back("-Wno-error");
    T.Args.push_back("-ferror-limit=100");
    if (!Options.ResourceDir.empty())
      T.Args.push_back("-resource-dir=" + Options.ResourceDir);
    Out.push_back(std::move(T));
  }
  return Out;
}

} // namespace codeindex
