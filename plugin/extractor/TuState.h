//===- TuState.h - The state of one TU being indexed -------------*- C++
//-*-===//
//
// Internal to plugin/extractor. What the pieces of one TU's indexing share:
// the Clang objects of the running frontend, each file's claim decision
// (FileState) and the units this TU emits (UnitBuilder), plus the
// --tu-timeout flag and the timer that splits parse from extract time.
//
// Ownership: extractTranslationUnit() creates one TuState on its stack; the
// frontend action, the collector, the graph builder and the preprocessor
// callbacks hold references to it and must not outlive it. The Clang
// pointers (SM, LO, AST, S, PP) belong to the CompilerInstance and are only
// valid while the frontend runs.
//
// Thread-safety: one TuState per TU, used only by the thread running that
// TU's frontend; only Expired is written by another thread (the Watchdog).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_TUSTATE_H
#define CODEINDEX_PLUGIN_EXTRACTOR_TUSTATE_H

#include "extractor/Extractor.h"
#include "extractor/TestDetection.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseMap.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace codeindex {

/// What this TU does with one file: emit its unit, record it as external,
/// or ignore it (claimed by another TU, or not a file at all).
struct FileState {
  bool Valid = false;
  bool Owned = false;    ///< this TU emits the unit's facts
  bool External = false; ///< outside the indexed set (system, outside root)
  bool Excluded = false; ///< matched --exclude
  bool Claimed = false;  ///< this TU owns the (external) unit's file record
  std::string Abs;
  std::string Path; ///< display path
  UnitKey Unit;
  size_t UnitIndex = 0; ///< into TuState::Units when Owned or Claimed
};

/// The facts of one unit this TU emits, with the indexes that deduplicate
/// them. Only GraphBuilder touches EntityIndex and EdgeIndex.
struct UnitBuilder {
  UnitFacts Facts;
  clang::FileID FID;
  std::string Abs;
  bool External = false;
  llvm::DenseMap<Id, size_t> EntityIndex;
  std::map<std::tuple<EdgeKind, Id, Id>, size_t> EdgeIndex;
  struct Expansion {
    uint32_t Line, Column;
    Id Macro;
  };
  std::vector<Expansion> Expansions;
  /// (kind, from, line, column) of each call and reference an implicit
  /// instantiation made in this unit: the candidate sites at the same place
  /// are dropped (FinishConsumer::indexInstantiations).
  std::set<std::tuple<EdgeKind, Id, uint32_t, uint32_t>> Resolved;
};

class TuState {
public:
  TuState(const TuInput &In, ExtractContext &Ctx, TuResult &Out)
      : In(In), Ctx(Ctx), Out(&Out) {}

  const TuInput &In;
  ExtractContext &Ctx;
  TuResult *Out;
  clang::SourceManager *SM = nullptr;
  const clang::LangOptions *LO = nullptr;
  clang::ASTContext *AST = nullptr;
  clang::Sema *S = nullptr;
  clang::Preprocessor *PP = nullptr;
  Language Lang = Language::Cxx;

  // Node-based containers: callers hold a FileState& or UnitBuilder& while
  // the collector meets new files (and so adds states and units). Files
  // first met during indexing are the rule, not the exception, for headers
  // read from AST files (modules, PCH), which the preprocessor never enters.
  std::deque<UnitBuilder> Units;
  struct FileIDHash {
    size_t operator()(clang::FileID F) const { return F.getHashValue(); }
  };
  std::unordered_map<clang::FileID, FileState, FileIDHash> Files;
  std::map<std::string, FileState> ByPath; // same file, several FileIDs

  /// make_unique-style calls to resolve to constructors at the end.
  struct FactoryCall {
    const clang::FunctionDecl *Callee;
    const clang::Decl *Caller;
    clang::SourceLocation Loc;
  };
  std::vector<FactoryCall> FactoryCalls;

  /// --index-instantiations: the implicit instantiations of function
  /// definitions in files this TU owns, as Sema made them.
  std::vector<const clang::Decl *> Instantiations;
  /// Test cases among the owned files' top-level declarations; made with
  /// the frontend's SourceManager.
  std::optional<TestCaseFinder> Tests;

  // --tu-timeout. The frontend runs on this thread and cannot be killed, so
  // it is stopped from the inside: the Watchdog thread sets Expired at the
  // deadline; the preprocessor's token stream, its callbacks (macro
  // expansions, directives, file changes: work that hands the parser no
  // token, such as a macro bomb in an #if) and Sema's template
  // instantiations test it (one relaxed load per event) and, once it is set,
  // stop() makes the rest of the input end.
  std::shared_ptr<std::atomic<bool>> Expired =
      std::make_shared<std::atomic<bool>>(false);

  /// Seconds spent in the extractor while the frontend runs (see
  /// ExtractTimer); the rest of the frontend's time is Clang's parsing.
  double ExtractSeconds = 0;
  unsigned TimerDepth = 0;
  bool TimedOut = false;
  bool pastDeadline() {
    if (TimedOut)
      return true;
    if (!Expired->load(std::memory_order_relaxed))
      return false;
    stop();
    return true;
  }
  void stop();
  /// Past the deadline: makes the current file's lexer reach its end, so
  /// the preprocessor reads no further directive or token of that file.
  /// Called again for the includer each time a file is left.
  void cutInput();
  /// Past the deadline: #undef II, so that it never expands again (a macro
  /// defined after stop() or read from an AST file).
  void undefineMacro(const clang::IdentifierInfo *II);

  /// The claim decision for a file, made (and the unit created) on first
  /// sight. The reference stays valid for the whole TU.
  FileState &fileState(clang::FileID FID);
  FileState *fileStateFor(clang::SourceLocation Loc) {
    if (Loc.isInvalid())
      return nullptr;
    clang::FileID FID = SM->getFileID(SM->getFileLoc(Loc));
    FileState &FS = fileState(FID);
    return FS.Valid ? &FS : nullptr;
  }
  /// The unit of an owned or claimed file; valid for the whole TU.
  UnitBuilder &unit(const FileState &FS) { return Units[FS.UnitIndex]; }

  std::pair<uint32_t, uint32_t> lineCol(clang::SourceLocation Loc) {
    Loc = SM->getFileLoc(Loc);
    std::pair<clang::FileID, unsigned> D = SM->getDecomposedLoc(Loc);
    return {SM->getLineNumber(D.first, D.second),
            SM->getColumnNumber(D.first, D.second)};
  }
};

/// Adds the time of the outermost timed scope to TuState::ExtractSeconds:
/// around the index consumer's calls, the extractor's own callbacks and the
/// finishing step. Nested scopes are not counted twice.
class ExtractTimer {
public:
  explicit ExtractTimer(TuState &T) : T(T) {
    if (T.TimerDepth++ == 0)
      Start = std::chrono::steady_clock::now();
  }
  ~ExtractTimer() {
    if (--T.TimerDepth == 0)
      T.ExtractSeconds += std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - Start)
                              .count();
  }
  ExtractTimer(const ExtractTimer &) = delete;
  ExtractTimer &operator=(const ExtractTimer &) = delete;

private:
  TuState &T;
  std::chrono::steady_clock::time_point Start;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_TUSTATE_H
