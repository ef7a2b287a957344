//===- TuState.cpp - The state of one TU being indexed --------------------===//

#include "extractor/TuState.h"

#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <vector>

namespace codeindex {

using namespace clang;

FileState &TuState::fileState(FileID FID) {
  auto It = Files.find(FID);
  if (It != Files.end())
    return It->second;
  ExtractTimer Timer(*this);
  FileState &FS = Files[FID];
  OptionalFileEntryRef FE = SM->getFileEntryRefForID(FID);
  if (!FE)
    return FS; // <built-in>, <command line>, scratch space
  llvm::StringRef Canonical = SM->getFileManager().getCanonicalName(*FE);
  std::string Abs = Canonical.str();
  auto Known = ByPath.find(Abs);
  if (Known != ByPath.end()) {
    FS = Known->second;
    return FS;
  }
  FS.Valid = true;
  FS.Abs = Abs;
  FS.Path = Ctx.Paths.display(Abs);
  bool System = SM->isInSystemHeader(SM->getLocForStartOfFile(FID));
  // Generated files live in the build directory, often outside the source
  // root: they are still the project's own files.
  bool InBuild = !Ctx.Options.BuildDir.empty() &&
                 PathMapper(Ctx.Options.BuildDir).insideRoot(Abs);
  bool Outside = !Ctx.Paths.insideRoot(Abs) && !InBuild;
  for (const llvm::GlobPattern &G : Ctx.Options.Exclude)
    if (!Outside && G.match(FS.Path))
      FS.Excluded = true;
  bool IsMain = FID == SM->getMainFileID();
  // A main file outside the project in a system location (a packaged
  // gtest-all.cc the project compiles) is a third-party file too.
  bool SystemMain = IsMain && Outside && inSystemLocation(Abs);
  FS.External =
      IsMain ? SystemMain && !Ctx.Options.IndexSystem
             : FS.Excluded || ((System || Outside) && !Ctx.Options.IndexSystem);
  FS.Unit = UnitKey{fileId(FS.Path), FS.External ? 0 : In.Variant};
  Id Owner = Ctx.Claims.claim(FS.Unit, In.Key);
  bool Mine = Owner == In.Key || !Ctx.Options.DedupHeaders;
  if (FS.External) {
    FS.Claimed = Mine;
  } else {
    FS.Owned = Mine;
  }
  if (FS.Owned || FS.Claimed) {
    FS.UnitIndex = Units.size();
    Units.emplace_back();
    UnitBuilder &U = Units.back();
    U.FID = FID;
    U.Abs = Abs;
    U.External = FS.External;
    U.Facts.Key = FS.Unit;
    FileFact &F = U.Facts.File;
    F.Path = FS.Path;
    F.Lang = Lang;
    llvm::StringRef Buf = SM->getBufferData(FID);
    F.ContentHash = llvm::xxh3_64bits(Buf);
    Ctx.Hashes.put(Abs, F.ContentHash);
    F.Lines = static_cast<uint32_t>(std::count(Buf.begin(), Buf.end(), '\n') +
                                    (!Buf.empty() && Buf.back() != '\n'));
    if (FS.External) {
      F.Role = FileRole::System;
      F.Status = FileStatus::Skipped;
    } else {
      // A build directory at or above the root (an in-source build, or a
      // compile_commands.json copied above the tree) does not make the
      // sources under the root generated files.
      PathMapper Build(Ctx.Options.BuildDir);
      bool Generated =
          !Ctx.Options.BuildDir.empty() && Build.insideRoot(Abs) &&
          !(Build.insideRoot(Ctx.Paths.root()) && Ctx.Paths.insideRoot(Abs));
      F.Role = Generated ? FileRole::Generated
               : IsMain  ? FileRole::Source
                         : FileRole::Header;
    }
  }
  ByPath[Abs] = FS;
  return FS;
}

void TuState::stop() {
  TimedOut = true;
  // A fatal error stops the preprocessor from entering further #includes,
  // Sema from starting template instantiations (InstantiatingTemplate gives
  // up after a fatal error), and silences every later diagnostic.
  DiagnosticsEngine &D = PP->getDiagnostics();
  D.Report(D.getCustomDiagID(DiagnosticsEngine::Fatal,
                             "indexing stopped by --tu-timeout"));
  // The preprocessor can run long without handing the parser a token: a
  // macro bomb in an #if, a long run of directives. With every macro
  // undefined, the expansions in progress finish over the tokens they
  // already hold and nothing expands again; with the file cut, no further
  // directive is read.
  std::vector<const IdentifierInfo *> Names;
  for (const auto &M : PP->macros(/*IncludeExternalMacros=*/false))
    Names.push_back(M.first);
  for (const IdentifierInfo *II : Names)
    undefineMacro(II);
  cutInput();
}

void TuState::cutInput() {
  // Lexer is the only PreprocessorLexer (PTHLexer went in Clang 8); seek()
  // to the end is what Lexer::cutOffLexing does for code completion.
  if (PreprocessorLexer *L = PP->getCurrentFileLexer()) {
    auto *Lex = static_cast<Lexer *>(L);
    Lex->seek(Lex->getBuffer().size(), /*IsAtStartOfLine=*/false);
  }
}

void TuState::undefineMacro(const IdentifierInfo *Name) {
  const MacroInfo *MI = PP->getMacroInfo(Name);
  if (!MI || MI->isBuiltinMacro())
    return; // builtins (__LINE__, __has_include) expand to one token
  // As Preprocessor::HandleUndefDirective, without the callbacks: nothing
  // is recorded for a TU that timed out.
  IdentifierInfo *II = PP->getIdentifierInfo(Name->getName());
  auto *Undef = new (PP->getPreprocessorAllocator())
      UndefMacroDirective(SM->getLocForEndOfFile(SM->getMainFileID()));
  PP->appendMacroDirective(II, Undef);
}

} // namespace codeindex
