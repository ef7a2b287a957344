//===- Extractor.cpp - Index one translation unit with Clang --------------===//

#include "extractor/Extractor.h"
#include "extractor/TestDetection.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Index/IndexDataConsumer.h"
#include "clang/Index/IndexingAction.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/TemplateInstCallback.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <set>
#include <thread>

namespace codeindex {

using namespace clang;
using Clock = std::chrono::steady_clock;

//===----------------------------------------------------------------------===//
// Small shared pieces.
//===----------------------------------------------------------------------===//

std::string PathMapper::display(llvm::StringRef Absolute) const {
  if (insideRoot(Absolute)) {
    if (Absolute.size() == Root.size())
      return ".";
    return Absolute.substr(Root == "/" ? 1 : Root.size() + 1).str();
  }
  return Absolute.str();
}

bool PathMapper::insideRoot(llvm::StringRef Absolute) const {
  if (Root.empty() || !Absolute.starts_with(Root))
    return false;
  return Absolute.size() == Root.size() || Absolute[Root.size()] == '/' ||
         Root == "/";
}

Id fileId(llvm::StringRef DisplayPath) {
  return llvm::xxh3_64bits(("file:" + DisplayPath).str());
}

Id usrId(llvm::StringRef Usr) { return llvm::xxh3_64bits(Usr); }

Id UnitClaims::claim(const UnitKey &U, Id Tu) {
  std::lock_guard<std::mutex> L(M);
  auto [It, Inserted] = Owners.try_emplace(U, Tu);
  return It->second;
}

void UnitClaims::assign(const UnitKey &U, Id Tu) {
  std::lock_guard<std::mutex> L(M);
  Owners[U] = Tu;
}

Id UnitClaims::owner(const UnitKey &U) const {
  std::lock_guard<std::mutex> L(M);
  auto It = Owners.find(U);
  return It == Owners.end() ? 0 : It->second;
}

std::vector<UnitKey> UnitClaims::releaseOwnedBy(Id Tu) {
  std::lock_guard<std::mutex> L(M);
  std::vector<UnitKey> Out;
  for (auto It = Owners.begin(); It != Owners.end();) {
    if (It->second == Tu) {
      Out.push_back(It->first);
      It = Owners.erase(It);
    } else {
      ++It;
    }
  }
  return Out;
}

uint64_t FileHashCache::hashOf(const std::string &AbsPath) {
  {
    std::lock_guard<std::mutex> L(M);
    auto It = Hashes.find(AbsPath);
    if (It != Hashes.end())
      return It->second;
  }
  uint64_t H = 0;
  if (auto Buf = llvm::MemoryBuffer::getFile(AbsPath, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false))
    H = llvm::xxh3_64bits((*Buf)->getBuffer());
  put(AbsPath, H);
  return H;
}

void FileHashCache::put(const std::string &AbsPath, uint64_t Hash) {
  std::lock_guard<std::mutex> L(M);
  Hashes.emplace(AbsPath, Hash);
}

Id UsrRegistry::idFor(const std::string &Usr) {
  Id I = Hash(Usr);
  std::lock_guard<std::mutex> L(M);
  auto [It, Inserted] = Seen.try_emplace(I, Usr);
  if (Inserted || It->second == Usr)
    return I;
  if (auto S = Salted.find(Usr); S != Salted.end())
    return S->second;
  Collisions.push_back(formatId(I) + ": " + It->second + " vs " + Usr);
  for (unsigned Salt = 1;; ++Salt) {
    Id J = Hash(Usr + "#" + std::to_string(Salt));
    auto [SIt, SInserted] = Seen.try_emplace(J, Usr);
    if (SInserted || SIt->second == Usr)
      return Salted[Usr] = J;
  }
}

std::vector<std::string> UsrRegistry::collisions() const {
  std::lock_guard<std::mutex> L(M);
  return Collisions;
}

namespace {

//===----------------------------------------------------------------------===//
// Per-TU state.
//===----------------------------------------------------------------------===//

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

struct UnitBuilder {
  UnitFacts Facts;
  FileID FID;
  std::string Abs;
  bool External = false;
  llvm::DenseMap<Id, size_t> EntityIndex;
  std::map<std::tuple<EdgeKind, Id, Id>, size_t> EdgeIndex;
  struct Expansion {
    uint32_t Line, Column;
    Id Macro;
  };
  std::vector<Expansion> Expansions;
  std::vector<std::string> Includes; ///< spelled, for test detection
};

/// Sets a flag when its deadline passes, for every TU being indexed with
/// --tu-timeout; one thread for the whole process. Thread-safe.
class Watchdog {
public:
  static Watchdog &get() {
    // Leaked on purpose: worker threads may still deregister while static
    // destructors run at exit.
    static Watchdog *W = new Watchdog();
    return *W;
  }
  /// Flag is shared: a TU unwound by CrashRecoveryContext never calls
  /// forget(), and its flag must stay valid until the deadline passes.
  void watch(std::shared_ptr<std::atomic<bool>> Flag, Clock::time_point At) {
    std::lock_guard<std::mutex> L(M);
    Deadlines.emplace(At, std::move(Flag));
    if (!Thread.joinable())
      Thread = std::thread([this] { run(); });
    CV.notify_one();
  }
  void forget(const std::atomic<bool> *Flag) {
    std::lock_guard<std::mutex> L(M);
    std::erase_if(Deadlines,
                  [&](const auto &P) { return P.second.get() == Flag; });
  }

private:
  Watchdog() = default;
  [[noreturn]] void run() {
    std::unique_lock<std::mutex> L(M);
    for (;;) {
      if (Deadlines.empty()) {
        CV.wait(L);
        continue;
      }
      auto First = Deadlines.begin();
      if (Clock::now() >= First->first) {
        First->second->store(true, std::memory_order_relaxed);
        Deadlines.erase(First);
        continue;
      }
      // A copy: forget() may erase the entry while this thread waits, and
      // wait_until reads its deadline again on waking (ASan found it).
      Clock::time_point Next = First->first;
      CV.wait_until(L, Next);
    }
  }
  std::mutex M;
  std::condition_variable CV;
  std::multimap<Clock::time_point, std::shared_ptr<std::atomic<bool>>>
      Deadlines;
  std::thread Thread;
};

class TuState {
public:
  TuState(const TuInput &In, ExtractContext &Ctx, TuResult &Out)
      : In(In), Ctx(Ctx), Out(&Out) {}

  const TuInput &In;
  ExtractContext &Ctx;
  TuResult *Out;
  SourceManager *SM = nullptr;
  const LangOptions *LO = nullptr;
  ASTContext *AST = nullptr;
  Sema *S = nullptr;
  Language Lang = Language::Cxx;

  std::vector<UnitBuilder> Units;
  llvm::DenseMap<FileID, FileState> Files;
  std::map<std::string, FileState> ByPath; // same file, several FileIDs

  /// make_unique-style calls to resolve to constructors at the end.
  struct FactoryCall {
    const FunctionDecl *Callee;
    const Decl *Caller;
    SourceLocation Loc;
  };
  std::vector<FactoryCall> FactoryCalls;

  llvm::DenseMap<const Decl *, std::pair<Id, std::string>> UsrCache;
  llvm::SmallPtrSet<const Decl *, 4> AnonNamespaces;

  // --tu-timeout. The frontend runs on this thread and cannot be killed, so
  // it is stopped from the inside: the Watchdog thread sets Expired at the
  // deadline; the preprocessor's token stream and Sema's template
  // instantiations test it (one relaxed load per event) and, once it is set,
  // stop() makes the rest of the input end.
  std::shared_ptr<std::atomic<bool>> Expired =
      std::make_shared<std::atomic<bool>>(false);

  /// Seconds spent in the extractor while the frontend runs (see
  /// ExtractTimer); the rest of the frontend's time is Clang's parsing.
  double ExtractSeconds = 0;
  unsigned TimerDepth = 0;
  bool TimedOut = false;
  Preprocessor *PP = nullptr;
  bool pastDeadline() {
    if (TimedOut)
      return true;
    if (!Expired->load(std::memory_order_relaxed))
      return false;
    stop();
    return true;
  }
  void stop();

  FileState &fileState(FileID FID);
  FileState *fileStateFor(SourceLocation Loc) {
    if (Loc.isInvalid())
      return nullptr;
    FileID FID = SM->getFileID(SM->getFileLoc(Loc));
    FileState &FS = fileState(FID);
    return FS.Valid ? &FS : nullptr;
  }
  UnitBuilder &unit(const FileState &FS) { return Units[FS.UnitIndex]; }

  std::pair<uint32_t, uint32_t> lineCol(SourceLocation Loc) {
    Loc = SM->getFileLoc(Loc);
    std::pair<FileID, unsigned> D = SM->getDecomposedLoc(Loc);
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
      Start = Clock::now();
  }
  ~ExtractTimer() {
    if (--T.TimerDepth == 0)
      T.ExtractSeconds +=
          std::chrono::duration<double>(Clock::now() - Start).count();
  }

private:
  TuState &T;
  Clock::time_point Start;
};

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
  FS.External = !IsMain && (FS.Excluded ||
                            ((System || Outside) && !Ctx.Options.IndexSystem));
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
      F.TestReasons = testReasonsForPath(FS.Path);
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
}

//===----------------------------------------------------------------------===//
// Entities: which declarations are entities, their ids and attributes.
//===----------------------------------------------------------------------===//

/// Unwraps templates to the declaration they describe.
const Decl *unwrapTemplate(const Decl *D) {
  if (const auto *T = dyn_cast<TemplateDecl>(D))
    if (!isa<ConceptDecl>(D) && T->getTemplatedDecl())
      return T->getTemplatedDecl();
  return D;
}

bool isFunctionLocal(const Decl *D) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isFunctionOrMethod())
      return true;
  return false;
}

/// Implicit template instantiations are not entities: map them to the
/// template they come from (the same mapping Clang's index applies to
/// references).
const Decl *fromInstantiation(const Decl *D) {
  if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    if (!CTS->isExplicitSpecialization() &&
        CTS->getSpecializationKind() == TSK_ImplicitInstantiation) {
      auto From = CTS->getSpecializedTemplateOrPartial();
      if (auto *CT = From.dyn_cast<ClassTemplateDecl *>())
        return CT->getTemplatedDecl();
      if (auto *P = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
        return P;
    }
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const CXXRecordDecl *P = RD->getInstantiatedFromMemberClass())
      return P;
  } else if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->getTemplateSpecializationKind() == TSK_ImplicitInstantiation) {
      if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
        return P;
      if (const FunctionTemplateDecl *T = FD->getPrimaryTemplate())
        return T->getTemplatedDecl();
      if (const FunctionDecl *M = FD->getInstantiatedFromMemberFunction())
        return M;
    }
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->getTemplateSpecializationKind() == TSK_ImplicitInstantiation)
      if (const VarDecl *P = VD->getInstantiatedFromStaticDataMember())
        return P;
  }
  return D;
}

/// The entity kind of D, or nullopt if D is not an entity (locals,
/// parameters, lambdas, implicit declarations, ...).
std::optional<EntityKind> entityKind(const Decl *D) {
  if (D->isImplicit() && !isa<NamespaceDecl>(D))
    return std::nullopt;
  if (isa<ParmVarDecl>(D) || isa<TemplateTypeParmDecl>(D) ||
      isa<NonTypeTemplateParmDecl>(D) || isa<TemplateTemplateParmDecl>(D))
    return std::nullopt;
  if (isFunctionLocal(D))
    return std::nullopt;
  if (const auto *N = dyn_cast<NamespaceDecl>(D))
    return N->isAnonymousNamespace() || !N->getName().empty()
               ? std::optional(EntityKind::Namespace)
               : std::nullopt;
  if (const auto *R = dyn_cast<RecordDecl>(D)) {
    if (const auto *C = dyn_cast<CXXRecordDecl>(R))
      if (C->isLambda() || C->isInjectedClassName())
        return std::nullopt;
    switch (R->getTagKind()) {
    case TagTypeKind::Class:
      return EntityKind::Class;
    case TagTypeKind::Union:
      return EntityKind::Union;
    default:
      return EntityKind::Struct;
    }
  }
  if (isa<EnumDecl>(D))
    return EntityKind::Enum;
  if (isa<EnumConstantDecl>(D))
    return EntityKind::Enumerator;
  if (isa<CXXDeductionGuideDecl>(D))
    return std::nullopt;
  if (isa<CXXConstructorDecl>(D))
    return EntityKind::Constructor;
  if (isa<CXXDestructorDecl>(D))
    return EntityKind::Destructor;
  if (isa<CXXConversionDecl>(D))
    return EntityKind::ConversionFunction;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->isOverloadedOperator())
      return EntityKind::Operator;
    return isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic()
               ? EntityKind::Method
           : isa<CXXMethodDecl>(FD) ? EntityKind::Method
                                    : EntityKind::Function;
  }
  if (isa<FieldDecl>(D))
    return EntityKind::Field;
  if (isa<VarDecl>(D))
    return EntityKind::Variable;
  if (isa<TypedefNameDecl>(D))
    return EntityKind::TypeAlias;
  if (isa<ConceptDecl>(D))
    return EntityKind::Concept;
  return std::nullopt;
}

/// The declaration standing for the entity D belongs to, or null.
const NamedDecl *asEntity(const Decl *D) {
  if (!D)
    return nullptr;
  D = unwrapTemplate(D);
  D = fromInstantiation(D);
  if (!entityKind(D))
    return nullptr;
  return dyn_cast<NamedDecl>(D);
}

/// The entity that contains a reference made inside D: D itself, or the
/// nearest enclosing entity (a lambda's calls belong to its function).
const NamedDecl *containerEntity(const Decl *D) {
  while (D) {
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->isLambda())
      if (Decl *Ctx = RD->getLambdaContextDecl())
        if (!isa<ParmVarDecl>(Ctx) &&
            !RD->getDeclContext()->isFunctionOrMethod()) {
          D = Ctx;
          continue;
        }
    if (const NamedDecl *E = asEntity(D))
      return E;
    const DeclContext *DC = D->getDeclContext();
    if (!DC || isa<TranslationUnitDecl>(DC))
      return nullptr;
    D = Decl::castFromDeclContext(DC);
  }
  return nullptr;
}

/// The semantic parent entity of an entity, or null at top level.
const NamedDecl *parentEntity(const NamedDecl *D) {
  const DeclContext *DC = D->getDeclContext();
  while (DC && !isa<TranslationUnitDecl>(DC)) {
    const Decl *P = Decl::castFromDeclContext(DC);
    if (const NamedDecl *E = asEntity(P))
      return E;
    DC = DC->getParent();
  }
  return nullptr;
}

uint32_t flagsOf(const NamedDecl *D) {
  uint32_t F = 0;
  if (D->hasAttr<FinalAttr>())
    F |= flag::Final;
  if (D->hasAttr<OverrideAttr>())
    F |= flag::Override;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->getStorageClass() == SC_Static)
      F |= flag::Static;
    if (FD->isInlineSpecified())
      F |= flag::Inline;
    if (FD->isConstexprSpecified())
      F |= flag::Constexpr;
    if (FD->isConsteval())
      F |= flag::Consteval;
    if (FD->isDeleted())
      F |= flag::Deleted;
    if (FD->isExplicitlyDefaulted())
      F |= flag::Defaulted;
    if (FD->isExternC() && D->getASTContext().getLangOpts().CPlusPlus)
      F |= flag::ExternC;
    if (FD->getDescribedFunctionTemplate())
      F |= flag::Template;
    if (FD->isFunctionTemplateSpecialization() ||
        FD->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
      F |= flag::TemplateSpecialization;
    // As written: destructors are implicitly noexcept, but not flagged.
    if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
      if (FD->getExceptionSpecSourceRange().isValid() &&
          (FPT->getExceptionSpecType() == EST_BasicNoexcept ||
           FPT->getExceptionSpecType() == EST_NoexceptTrue))
        F |= flag::Noexcept;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      if (MD->isStatic())
        F |= flag::Static;
      if (MD->isVirtual())
        F |= flag::Virtual;
      if (MD->isPureVirtual())
        F |= flag::PureVirtual;
      if (MD->isConst())
        F |= flag::Const;
      if (MD->size_overridden_methods() > 0 && !(F & flag::Override))
        F |= flag::Override;
    }
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->getStorageClass() == SC_Static || VD->isStaticDataMember())
      F |= flag::Static;
    if (VD->isInlineSpecified())
      F |= flag::Inline;
    if (VD->isConstexpr())
      F |= flag::Constexpr;
    if (VD->getType().isConstQualified())
      F |= flag::Const;
    if (VD->isExternC() && D->getASTContext().getLangOpts().CPlusPlus)
      F |= flag::ExternC;
    if (VD->getDescribedVarTemplate())
      F |= flag::Template;
    if (isa<VarTemplateSpecializationDecl>(VD))
      F |= flag::TemplateSpecialization;
  } else if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    if (FD->getType().isConstQualified())
      F |= flag::Const;
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (RD->getDescribedClassTemplate())
      F |= flag::Template;
    if (isa<ClassTemplateSpecializationDecl>(RD))
      F |= flag::TemplateSpecialization;
  } else if (const auto *TD = dyn_cast<TypedefNameDecl>(D)) {
    if (const auto *TA = dyn_cast<TypeAliasDecl>(TD))
      if (TA->getDescribedAliasTemplate())
        F |= flag::Template;
  } else if (const auto *ND = dyn_cast<NamespaceDecl>(D)) {
    if (ND->isInline())
      F |= flag::Inline;
  } else if (isa<ConceptDecl>(D)) {
    F |= flag::Template;
  }
  return F;
}

Access accessOf(const NamedDecl *D) {
  if (!isa<RecordDecl>(D->getDeclContext()) ||
      !D->getASTContext().getLangOpts().CPlusPlus)
    return Access::None;
  switch (D->getAccess()) {
  case AS_public:
    return Access::Public;
  case AS_protected:
    return Access::Protected;
  case AS_private:
    return Access::Private;
  case AS_none:
    return Access::None;
  }
  return Access::None;
}

std::string nameOf(const NamedDecl *D) {
  if (const auto *N = dyn_cast<NamespaceDecl>(D);
      N && N->isAnonymousNamespace())
    return "(anonymous namespace)";
  std::string Name = D->getNameAsString();
  if (Name.empty()) {
    if (const auto *T = dyn_cast<TagDecl>(D)) {
      if (const TypedefNameDecl *TD = T->getTypedefNameForAnonDecl())
        return TD->getNameAsString();
      return "(anonymous " + std::string(T->getKindName()) + ")";
    }
    return "(anonymous)";
  }
  return Name;
}

/// The qualified name; partial specializations print their arguments as
/// written (`Box<T *>`), not canonically (`Box<type-parameter-0-0 *>`).
std::string qualifiedNameOf(const NamedDecl *D) {
  if (const auto *P = dyn_cast<ClassTemplatePartialSpecializationDecl>(D)) {
    std::string S = P->getSpecializedTemplate()->getQualifiedNameAsString();
    llvm::raw_string_ostream OS(S);
    PrintingPolicy PP = D->getASTContext().getPrintingPolicy();
    printTemplateArgumentList(OS, P->getTemplateArgsAsWritten()->arguments(),
                              PP);
    return OS.str();
  }
  const DeclContext *DC = D->getDeclContext();
  if (const auto *NS = dyn_cast<NamespaceDecl>(D);
      NS && NS->isAnonymousNamespace()) {
    const auto *Outer = dyn_cast<NamedDecl>(Decl::castFromDeclContext(DC));
    return Outer && !isa<TranslationUnitDecl>(DC)
               ? qualifiedNameOf(Outer) + "::(anonymous namespace)"
               : "(anonymous namespace)";
  }
  if (const auto *P = dyn_cast<ClassTemplatePartialSpecializationDecl>(DC))
    return qualifiedNameOf(P) + "::" + D->getNameAsString();
  return D->getQualifiedNameAsString();
}

std::string templatePrefix(const NamedDecl *D, const PrintingPolicy &PP) {
  const TemplateParameterList *TPL = nullptr;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const auto *T = FD->getDescribedFunctionTemplate())
      TPL = T->getTemplateParameters();
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const auto *T = RD->getDescribedClassTemplate())
      TPL = T->getTemplateParameters();
    else if (const auto *P =
                 dyn_cast<ClassTemplatePartialSpecializationDecl>(RD))
      TPL = P->getTemplateParameters();
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (const auto *T = VD->getDescribedVarTemplate())
      TPL = T->getTemplateParameters();
  } else if (const auto *TA = dyn_cast<TypeAliasDecl>(D)) {
    if (const auto *T = TA->getDescribedAliasTemplate())
      TPL = T->getTemplateParameters();
  } else if (const auto *C = dyn_cast<ConceptDecl>(D)) {
    TPL = C->getTemplateParameters();
  }
  if (!TPL)
    return "";
  std::string S;
  llvm::raw_string_ostream OS(S);
  TPL->print(OS, D->getASTContext(), PP);
  OS.flush();
  while (!S.empty() && S.back() == ' ')
    S.pop_back();
  return S + " ";
}

std::string signatureOf(const NamedDecl *D, const std::string &QualName) {
  PrintingPolicy PP = D->getASTContext().getPrintingPolicy();
  PP.SuppressTagKeyword = true;
  PP.SuppressUnwrittenScope = true;
  PP.TerseOutput = true;
  PP.PolishForDeclaration = true;
  std::string Prefix = templatePrefix(D, PP);
  auto TypeStr = [&](QualType T) { return T.getAsString(PP); };
  // A declarator as written: `int buf[16]`, `int (*fn)(int)`, not
  // `int[16] buf`.
  auto Declarator = [&](QualType T, const std::string &Name) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    T.print(OS, PP, Name);
    return S;
  };
  auto Join = [](const std::string &Type, const std::string &Name) {
    if (!Type.empty() && (Type.back() == '*' || Type.back() == '&'))
      return Type + Name;
    return Type + " " + Name;
  };
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    std::string S = Prefix;
    bool NoReturn = isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD) ||
                    isa<CXXConversionDecl>(FD);
    std::string Params = "(";
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      if (I)
        Params += ", ";
      Params += TypeStr(FD->getParamDecl(I)->getType());
    }
    if (FD->isVariadic())
      Params += FD->getNumParams() ? ", ..." : "...";
    else if (FD->getNumParams() == 0 &&
             !D->getASTContext().getLangOpts().CPlusPlus &&
             FD->hasWrittenPrototype())
      Params += "void";
    Params += ")";
    std::string Head = QualName + Params;
    S += NoReturn ? Head : Join(TypeStr(FD->getReturnType()), Head);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      if (MD->isConst())
        S += " const";
      if (MD->isVolatile())
        S += " volatile";
      if (MD->getRefQualifier() == RQ_LValue)
        S += " &";
      else if (MD->getRefQualifier() == RQ_RValue)
        S += " &&";
    }
    if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
      if (FD->getExceptionSpecSourceRange().isValid() &&
          (FPT->getExceptionSpecType() == EST_BasicNoexcept ||
           FPT->getExceptionSpecType() == EST_NoexceptTrue))
        S += " noexcept";
    if (FD->isPureVirtual())
      S += " = 0";
    else if (FD->isDeleted())
      S += " = delete";
    else if (FD->isExplicitlyDefaulted())
      S += " = default";
    return S;
  }
  if (const auto *VD = dyn_cast<ValueDecl>(D)) {
    if (const auto *EC = dyn_cast<EnumConstantDecl>(D))
      return QualName + " = " + toString(EC->getInitVal(), 10);
    return Prefix + Declarator(VD->getType(), QualName);
  }
  if (const auto *TD = dyn_cast<TypedefNameDecl>(D)) {
    if (isa<TypeAliasDecl>(TD))
      return Prefix + "using " + QualName + " = " +
             TypeStr(TD->getUnderlyingType());
    return "typedef " + Declarator(TD->getUnderlyingType(), QualName);
  }
  if (const auto *ED = dyn_cast<EnumDecl>(D)) {
    std::string S =
        ED->isScoped()
            ? (ED->isScopedUsingClassTag() ? "enum class " : "enum struct ")
            : "enum ";
    S += QualName;
    if (ED->getIntegerTypeSourceInfo())
      S += " : " + TypeStr(ED->getIntegerType());
    return S;
  }
  if (const auto *RD = dyn_cast<RecordDecl>(D)) {
    std::string S = Prefix + RD->getKindName().str() + " " + QualName;
    if (isa<ClassTemplatePartialSpecializationDecl>(RD))
      return Prefix + RD->getKindName().str() + " " + QualName;
    if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
      std::string Args;
      llvm::raw_string_ostream OS(Args);
      printTemplateArgumentList(OS, CTS->getTemplateArgs().asArray(), PP);
      S += OS.str();
    }
    return S;
  }
  if (isa<NamespaceDecl>(D))
    return "namespace " + QualName;
  if (isa<ConceptDecl>(D))
    return Prefix + "concept " + QualName;
  return QualName;
}

//===----------------------------------------------------------------------===//
// The collector: Clang's index callbacks -> facts.
//===----------------------------------------------------------------------===//

/// std::make_unique / make_shared: calls resolved to the constructor.
bool isFactory(const FunctionDecl *FD) {
  if (!FD->getDeclName().isIdentifier() || !FD->isInStdNamespace())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "make_unique" || N == "make_shared" ||
         N == "make_unique_for_overwrite" || N == "allocate_shared";
}

class Collector : public index::IndexDataConsumer {
public:
  explicit Collector(TuState &T) : T(T) {}

  void initialize(ASTContext &Ctx) override {
    T.AST = &Ctx;
    // "(lambda at /abs/path/x.cpp:3:7)" would put machine-specific paths
    // into names and signatures; "(lambda)" keeps the export portable.
    PrintingPolicy PP = Ctx.getPrintingPolicy();
    PP.AnonymousTagLocations = false;
    Ctx.setPrintingPolicy(PP);
  }

  bool handleDeclOccurrence(const Decl *D, index::SymbolRoleSet Roles,
                            ArrayRef<index::SymbolRelation> Relations,
                            SourceLocation Loc, ASTNodeInfo ASTNode) override;

  bool handleMacroOccurrence(const IdentifierInfo *Name, const MacroInfo *MI,
                             index::SymbolRoleSet Roles,
                             SourceLocation Loc) override;

  /// Id and USR of an entity (the USR made unique within the project for
  /// declarations with internal linkage).
  const std::pair<Id, std::string> &idOf(const NamedDecl *D);

  /// Records that the unit of FS knows entity D (full fact if FS owns D's
  /// declaration, else a minimal external record), returning its fact.
  EntityFact &entityFact(UnitBuilder &U, const NamedDecl *D, bool External);

  void addEdge(UnitBuilder &U, EdgeKind K, Id From, Id To, SourceLocation Site,
               bool Virtual = false, Access A = Access::None,
               bool VirtualBase = false);

  /// Makes sure the target of an edge exists in the graph: its declaring
  /// unit emits it, or this unit records it as external.
  void noteTarget(UnitBuilder &U, const NamedDecl *D);

  /// The node an edge starts from when a reference sits in Site: the
  /// enclosing entity, else the file.
  Id sourceNode(UnitBuilder &U, const Decl *Container) {
    if (const NamedDecl *C = containerEntity(Container))
      return idOf(C).first;
    return U.Facts.Key.File;
  }

  void finish() override {}

private:
  void onDeclaration(const NamedDecl *D, index::SymbolRoleSet Roles,
                     SourceLocation Loc, FileState &FS);
  void onReference(const NamedDecl *D, index::SymbolRoleSet Roles,
                   ArrayRef<index::SymbolRelation> Relations,
                   SourceLocation Loc, const Decl *Parent, FileState &FS);
  Extent extentOf(const Decl *D, FileID FID, SourceLocation Fallback);

  TuState &T;
};

const std::pair<Id, std::string> &Collector::idOf(const NamedDecl *D) {
  const Decl *Key = D->getCanonicalDecl();
  auto It = T.UsrCache.find(Key);
  if (It != T.UsrCache.end())
    return It->second;
  llvm::SmallString<128> Buf;
  std::string Usr;
  if (!index::generateUSRForDecl(D, Buf))
    Usr = Buf.str().str();
  else
    Usr = "c:@codeindex@" + D->getQualifiedNameAsString();
  // Clang names a declaration with internal linkage after the *base name* of
  // its file ("c:util.cpp@F@helper#"); two files called util.cpp would
  // collide. Use the project path instead.
  SourceLocation L = T.SM->getFileLoc(D->getLocation());
  if (L.isValid()) {
    FileState &FS = T.fileState(T.SM->getFileID(L));
    if (FS.Valid) {
      std::string Base = llvm::sys::path::filename(FS.Abs).str();
      const auto *NS = dyn_cast<NamespaceDecl>(D);
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (NS && NS->isAnonymousNamespace())
        Usr = "c:" + FS.Path + "@aN";
      else if (FD && FD->isMain() && llvm::StringRef(Usr).starts_with("c:@"))
        // Every program has its own main(), and nothing can call it: one
        // entity per defining file rather than one for the whole project.
        Usr = "c:" + FS.Path + Usr.substr(2);
      else if (llvm::StringRef(Usr).starts_with("c:" + Base + "@"))
        Usr = "c:" + FS.Path + Usr.substr(2 + Base.size());
    }
  }
  Id I = T.Ctx.Usrs.idFor(Usr);
  return T.UsrCache[Key] = {I, std::move(Usr)};
}

Extent Collector::extentOf(const Decl *D, FileID FID, SourceLocation Fallback) {
  SourceManager &SM = *T.SM;
  SourceRange R = D->getSourceRange();
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const auto *FT = FD->getDescribedFunctionTemplate())
      R = FT->getSourceRange();
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const auto *CT = RD->getDescribedClassTemplate())
      R = CT->getSourceRange();
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (const auto *VT = VD->getDescribedVarTemplate())
      R = VT->getSourceRange();
  } else if (const auto *TA = dyn_cast<TypeAliasDecl>(D)) {
    if (const auto *AT = TA->getDescribedAliasTemplate())
      R = AT->getSourceRange();
  }
  auto [FL, FC] = T.lineCol(Fallback);
  Extent E{FL, FC, FL, FC};
  if (R.isInvalid())
    return E;
  CharSourceRange CR = SM.getExpansionRange(R);
  SourceLocation B = CR.getBegin(), End = CR.getEnd();
  if (CR.isTokenRange())
    End = Lexer::getLocForEndOfToken(End, 0, SM, *T.LO);
  if (SM.getFileID(B) != FID || SM.getFileID(End) != FID || End < B)
    return E;
  auto [BL, BC] = T.lineCol(B);
  auto [EL, EC] = T.lineCol(End);
  E = Extent{BL, BC, EL, EC > 1 ? EC - 1 : EC};
  return E;
}

EntityFact &Collector::entityFact(UnitBuilder &U, const NamedDecl *D,
                                  bool External) {
  const auto &[I, Usr] = idOf(D);
  auto [It, Inserted] = U.EntityIndex.try_emplace(I, U.Facts.Entities.size());
  if (!Inserted) {
    EntityFact &F = U.Facts.Entities[It->second];
    if (F.External && !External) {
      // An external record upgraded: this unit declares the entity after all.
      F.External = false;
      F.File = U.Facts.File.Path;
      F.ExternalLocation = Extent();
    }
    return F;
  }
  U.Facts.Entities.emplace_back();
  EntityFact &F = U.Facts.Entities.back();
  F.ID = I;
  F.Usr = Usr;
  F.Kind = *entityKind(D);
  F.Name = nameOf(D);
  F.QualifiedName = qualifiedNameOf(D);
  if (F.QualifiedName.empty())
    F.QualifiedName = F.Name;
  F.Signature = signatureOf(D, F.QualifiedName);
  F.Lang = T.Lang;
  F.Acc = accessOf(D);
  F.Flags = flagsOf(D);
  if (const NamedDecl *P = parentEntity(D))
    F.Parent = idOf(P).first;
  F.External = External;
  if (External) {
    SourceLocation L = T.SM->getFileLoc(D->getLocation());
    if (L.isValid()) {
      FileID FID = T.SM->getFileID(L);
      FileState &FS = T.fileState(FID);
      F.File = FS.Valid ? FS.Path : "";
      auto [Line, Col] = T.lineCol(L);
      F.ExternalLocation = Extent{Line, Col, Line, Col};
    }
  } else {
    F.File = U.Facts.File.Path;
  }
  return F;
}

void Collector::addEdge(UnitBuilder &U, EdgeKind K, Id From, Id To,
                        SourceLocation Site, bool Virtual, Access A,
                        bool VirtualBase) {
  if (!From || !To || From == To)
    return;
  auto Key = std::make_tuple(K, From, To);
  auto [It, Inserted] = U.EdgeIndex.try_emplace(Key, U.Facts.Edges.size());
  if (Inserted) {
    U.Facts.Edges.emplace_back();
    EdgeFact &E = U.Facts.Edges.back();
    E.Kind = K;
    E.From = From;
    E.To = To;
    E.Acc = A;
    E.Virtual = VirtualBase;
  }
  EdgeFact &E = U.Facts.Edges[It->second];
  if (Site.isValid()) {
    auto [Line, Col] = T.lineCol(Site);
    E.Sites.push_back(SiteFact{Line, Col, Virtual});
  }
}

void Collector::noteTarget(UnitBuilder &U, const NamedDecl *D) {
  SourceLocation L = T.SM->getFileLoc(D->getLocation());
  FileState *FS = L.isValid() ? T.fileStateFor(L) : nullptr;
  // Declared in a file of the project: that file's owner emits it.
  if (FS && !FS->External)
    return;
  // The parent chain (std, std::vector, ...) is noted too, so that every
  // entity's "parent" is an entity of the graph.
  bool Known = U.EntityIndex.count(idOf(D).first);
  entityFact(U, D, /*External=*/true);
  if (!Known)
    if (const NamedDecl *P = parentEntity(D))
      noteTarget(U, P);
}

bool Collector::handleDeclOccurrence(const Decl *D, index::SymbolRoleSet Roles,
                                     ArrayRef<index::SymbolRelation> Relations,
                                     SourceLocation Loc, ASTNodeInfo ASTNode) {
  if (Loc.isInvalid())
    return true;
  FileState *FS = T.fileStateFor(Loc);
  if (!FS || !FS->Owned)
    return true;
  using index::SymbolRole;
  bool IsDecl = Roles & (static_cast<unsigned>(SymbolRole::Declaration) |
                         static_cast<unsigned>(SymbolRole::Definition));
  if (IsDecl) {
    // Only the declaration itself, not e.g. the implicit instantiation
    // reported at the same place.
    // The index passes the canonical declaration; OrigD is this one.
    const Decl *Actual = ASTNode.OrigD ? ASTNode.OrigD : D;
    const NamedDecl *E = asEntity(Actual);
    if (E && (unwrapTemplate(Actual) == E || Actual == E))
      onDeclaration(E, Roles, Loc, *FS);
    return true;
  }
  if (!(Roles & static_cast<unsigned>(SymbolRole::Reference)))
    return true;
  // The index reports calls to a template specialization as calls to the
  // template; the expression still names the specialization.
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(ASTNode.OrigE))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
        FD && FD->getTemplateSpecializationArgs() && isFactory(FD))
      T.FactoryCalls.push_back({FD, ASTNode.Parent, Loc});
  if (const NamedDecl *E = asEntity(D))
    onReference(E, Roles, Relations, Loc, ASTNode.Parent, *FS);
  return true;
}

void Collector::onDeclaration(const NamedDecl *D, index::SymbolRoleSet Roles,
                              SourceLocation Loc, FileState &FS) {
  UnitBuilder &U = T.unit(FS);
  EntityFact &F = entityFact(U, D, /*External=*/false);
  Id Self = F.ID;
  bool IsDef = Roles & static_cast<unsigned>(index::SymbolRole::Definition);
  // Namespaces are "defined" by every block; they have no single definition.
  if (isa<NamespaceDecl>(D))
    IsDef = false;
  Extent X = extentOf(D, U.FID, Loc);
  DeclFact DF{X, IsDef};
  if (std::find(F.Decls.begin(), F.Decls.end(), DF) == F.Decls.end())
    F.Decls.push_back(DF);
  F.Flags |= flagsOf(D);
  if (IsDef && !F.BodyHash) {
    // Hash the definition's text so a reviewer can see that a body changed.
    SourceManager &SM = *T.SM;
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(U.FID, &Invalid);
    if (!Invalid) {
      unsigned B =
          SM.getFileOffset(SM.translateLineCol(U.FID, X.Line, X.Column));
      unsigned E =
          SM.getFileOffset(SM.translateLineCol(U.FID, X.EndLine, X.EndColumn));
      if (B <= E && E < Buf.size())
        F.BodyHash = llvm::xxh3_64bits(Buf.substr(B, E - B + 1));
    }
  }

  // contains: parent -> member, or file -> top-level entity.
  if (const NamedDecl *P = parentEntity(D)) {
    // Clang's index does not report anonymous namespaces themselves.
    if (const auto *NS = dyn_cast<NamespaceDecl>(P);
        NS && NS->isAnonymousNamespace() && T.AnonNamespaces.insert(NS).second)
      if (FileState *NFS = T.fileStateFor(NS->getLocation()); NFS && NFS->Owned)
        onDeclaration(NS, static_cast<unsigned>(index::SymbolRole::Declaration),
                      NS->getLocation(), *NFS);
    Id PI = idOf(P).first;
    addEdge(U, EdgeKind::Contains, PI, Self, Loc);
    noteTarget(U, P);
  } else {
    addEdge(U, EdgeKind::Contains, U.Facts.Key.File, Self, Loc);
  }

  // inherits: derived -> base, with access and virtual.
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D);
      RD && RD->isThisDeclarationADefinition()) {
    for (const CXXBaseSpecifier &B : RD->bases()) {
      QualType BT = B.getType();
      const NamedDecl *Base = nullptr;
      if (const CXXRecordDecl *BD = BT->getAsCXXRecordDecl())
        Base = asEntity(BD);
      else if (const auto *TST = BT->getAs<TemplateSpecializationType>())
        if (TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
          Base = asEntity(TD);
      if (!Base)
        continue;
      Access A = B.getAccessSpecifier() == AS_public      ? Access::Public
                 : B.getAccessSpecifier() == AS_protected ? Access::Protected
                                                          : Access::Private;
      addEdge(U, EdgeKind::Inherits, Self, idOf(Base).first, B.getBaseTypeLoc(),
              false, A, B.isVirtual());
      noteTarget(U, Base);
    }
  }

  // overrides: method -> every method it overrides, at every level.
  if (const auto *MD = dyn_cast<CXXMethodDecl>(D)) {
    llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
    llvm::SmallVector<const CXXMethodDecl *, 8> Work(
        MD->overridden_methods().begin(), MD->overridden_methods().end());
    while (!Work.empty()) {
      const CXXMethodDecl *O = Work.pop_back_val();
      if (!Seen.insert(O->getCanonicalDecl()).second)
        continue;
      if (const NamedDecl *OE = asEntity(O)) {
        addEdge(U, EdgeKind::Overrides, Self, idOf(OE).first, Loc);
        noteTarget(U, OE);
      }
      Work.append(O->overridden_methods().begin(),
                  O->overridden_methods().end());
    }
  }

  // instantiates: explicit specializations/instantiations -> template.
  const NamedDecl *Primary = nullptr;
  if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    auto From = CTS->getSpecializedTemplateOrPartial();
    if (auto *P = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>();
        P && !isa<ClassTemplatePartialSpecializationDecl>(CTS))
      Primary = P;
    else
      Primary = CTS->getSpecializedTemplate()->getTemplatedDecl();
  } else if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const FunctionTemplateDecl *FT = FD->getPrimaryTemplate())
      Primary = FT->getTemplatedDecl();
    else if (const FunctionDecl *M = FD->getInstantiatedFromMemberFunction())
      Primary = M;
  } else if (const auto *VTS = dyn_cast<VarTemplateSpecializationDecl>(D)) {
    Primary = VTS->getSpecializedTemplate()->getTemplatedDecl();
  }
  if (Primary && Primary != D) {
    if (const NamedDecl *PE = asEntity(Primary)) {
      addEdge(U, EdgeKind::Instantiates, Self, idOf(PE).first, Loc);
      noteTarget(U, PE);
    }
  }
}

void Collector::onReference(const NamedDecl *D, index::SymbolRoleSet Roles,
                            ArrayRef<index::SymbolRelation> Relations,
                            SourceLocation Loc, const Decl *Parent,
                            FileState &FS) {
  using index::SymbolRole;
  auto Has = [&](SymbolRole R) { return Roles & static_cast<unsigned>(R); };
  if (Has(SymbolRole::NameReference))
    return;
  for (const index::SymbolRelation &R : Relations)
    if (R.Roles & static_cast<unsigned>(SymbolRole::RelationBaseOf))
      return; // a base specifier: an `inherits` edge, not a type use
  UnitBuilder &U = T.unit(FS);
  EntityKind K = *entityKind(D);
  EdgeKind EK;
  bool Virtual = false;
  switch (K) {
  case EntityKind::Namespace:
  case EntityKind::Macro:
    return;
  case EntityKind::Class:
  case EntityKind::Struct:
  case EntityKind::Union:
  case EntityKind::Enum:
  case EntityKind::TypeAlias:
    EK = EdgeKind::UsesType;
    break;
  case EntityKind::Destructor:
    return; // destructor calls are not recorded
  case EntityKind::Constructor:
    EK = EdgeKind::Calls;
    break;
  case EntityKind::Function:
  case EntityKind::Method:
  case EntityKind::ConversionFunction:
  case EntityKind::Operator:
    EK = Has(SymbolRole::Call) ? EdgeKind::Calls : EdgeKind::References;
    Virtual = EK == EdgeKind::Calls && Has(SymbolRole::Dynamic);
    break;
  default:
    EK = EdgeKind::References;
    break;
  }
  const Decl *Container = Parent;
  if (!Container)
    for (const index::SymbolRelation &R : Relations)
      if (R.Roles & (static_cast<unsigned>(SymbolRole::RelationContainedBy) |
                     static_cast<unsigned>(SymbolRole::RelationCalledBy)))
        Container = R.RelatedSymbol;
  // `Account::` in `int Account::count() {...}` names the class only to
  // place the definition: not a use of the type.
  if (EK == EdgeKind::UsesType)
    if (const auto *DD = dyn_cast_or_null<DeclaratorDecl>(Container))
      if (NestedNameSpecifierLoc Q = DD->getQualifierLoc())
        if (!T.SM->isBeforeInTranslationUnit(Loc, Q.getBeginLoc()) &&
            T.SM->isBeforeInTranslationUnit(Loc, DD->getLocation()))
          return;
  Id From = sourceNode(U, Container);
  Id To = idOf(D).first;
  addEdge(U, EK, From, To, Loc, Virtual);
  noteTarget(U, D);
}

bool Collector::handleMacroOccurrence(const IdentifierInfo *Name,
                                      const MacroInfo *MI,
                                      index::SymbolRoleSet Roles,
                                      SourceLocation Loc) {
  using index::SymbolRole;
  if (!MI || MI->isBuiltinMacro() || Loc.isInvalid())
    return true;
  FileState *FS = T.fileStateFor(Loc);
  if (!FS || !FS->Owned)
    return true;
  SourceLocation DefLoc = MI->getDefinitionLoc();
  FileState *DefFS = T.fileStateFor(DefLoc);
  if (!DefFS)
    return true; // defined on the command line or built in
  llvm::SmallString<128> Buf;
  if (index::generateUSRForMacro(Name->getName(), DefLoc, *T.SM, Buf))
    return true;
  std::string Usr = Buf.str().str();
  std::string Base = llvm::sys::path::filename(DefFS->Abs).str();
  if (llvm::StringRef(Usr).starts_with("c:" + Base + "@"))
    Usr = "c:" + DefFS->Path + Usr.substr(2 + Base.size());
  Id I = T.Ctx.Usrs.idFor(Usr);
  UnitBuilder &U = T.unit(*FS);

  auto MakeFact = [&](bool External) -> EntityFact & {
    auto [It, Inserted] = U.EntityIndex.try_emplace(I, U.Facts.Entities.size());
    if (!Inserted)
      return U.Facts.Entities[It->second];
    U.Facts.Entities.emplace_back();
    EntityFact &F = U.Facts.Entities.back();
    F.ID = I;
    F.Usr = Usr;
    F.Kind = EntityKind::Macro;
    F.Name = Name->getName().str();
    F.QualifiedName = F.Name;
    std::string Sig = "#define " + F.Name;
    if (MI->isFunctionLike()) {
      Sig += "(";
      bool First = true;
      for (const IdentifierInfo *P : MI->params()) {
        if (!First)
          Sig += ", ";
        First = false;
        Sig += P->getName() == "__VA_ARGS__" ? "..." : P->getName().str();
      }
      Sig += ")";
    }
    F.Signature = Sig;
    F.Lang = T.Lang;
    F.External = External;
    F.File = DefFS->Path;
    if (External) {
      auto [L, C] = T.lineCol(DefLoc);
      F.ExternalLocation = Extent{L, C, L, C};
    }
    return F;
  };

  if (Roles & static_cast<unsigned>(SymbolRole::Definition)) {
    EntityFact &F = MakeFact(false);
    auto [L, C] = T.lineCol(DefLoc);
    SourceLocation End =
        Lexer::getLocForEndOfToken(MI->getDefinitionEndLoc(), 0, *T.SM, *T.LO);
    auto [EL, EC] = T.lineCol(End);
    Extent X{L, C, EL, EC > 1 ? EC - 1 : EC};
    if (EL < L)
      X = Extent{L, C, L, C};
    DeclFact DF{X, true};
    if (std::find(F.Decls.begin(), F.Decls.end(), DF) == F.Decls.end())
      F.Decls.push_back(DF);
    bool Invalid = false;
    llvm::StringRef Text = T.SM->getBufferData(U.FID, &Invalid);
    unsigned B = T.SM->getFileOffset(T.SM->getFileLoc(DefLoc));
    unsigned E = T.SM->getFileOffset(End);
    if (!Invalid && B <= E && E <= Text.size())
      F.BodyHash = llvm::xxh3_64bits(Text.substr(B, E - B));
    addEdge(U, EdgeKind::Contains, U.Facts.Key.File, I, DefLoc);
    return true;
  }
  if (Roles & static_cast<unsigned>(SymbolRole::Reference)) {
    if (DefFS->External)
      MakeFact(true);
    auto [L, C] = T.lineCol(Loc);
    U.Expansions.push_back({L, C, I});
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Preprocessor callbacks: includes and the file claims.
//===----------------------------------------------------------------------===//

class IncludeTracker : public PPCallbacks {
public:
  explicit IncludeTracker(TuState &T) : T(T) {}

  void FileChanged(SourceLocation Loc, FileChangeReason Reason,
                   SrcMgr::CharacteristicKind, FileID) override {
    if (Reason == EnterFile && Loc.isValid())
      T.fileState(T.SM->getFileID(Loc));
  }

  void InclusionDirective(SourceLocation HashLoc, const Token &,
                          StringRef FileName, bool /*IsAngled*/,
                          CharSourceRange, OptionalFileEntryRef File, StringRef,
                          StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    FileState *FS = T.fileStateFor(HashLoc);
    if (!FS || !FS->Owned)
      return;
    UnitBuilder &U = T.unit(*FS);
    U.Includes.push_back(FileName.str());
    if (!File)
      return;
    std::string Abs = T.SM->getFileManager().getCanonicalName(*File).str();
    Id To = fileId(T.Ctx.Paths.display(Abs));
    auto [L, C] = T.lineCol(HashLoc);
    auto Key = std::make_tuple(EdgeKind::Includes, U.Facts.Key.File, To);
    auto [It, Inserted] = U.EdgeIndex.try_emplace(Key, U.Facts.Edges.size());
    if (Inserted) {
      U.Facts.Edges.emplace_back();
      EdgeFact &E = U.Facts.Edges.back();
      E.Kind = EdgeKind::Includes;
      E.From = U.Facts.Key.File;
      E.To = To;
    }
    U.Facts.Edges[It->second].Sites.push_back(SiteFact{L, C, false});
  }

private:
  TuState &T;
};

//===----------------------------------------------------------------------===//
// The frontend action.
//===----------------------------------------------------------------------===//

/// Runs last in the consumer chain: resolves factory calls
/// (std::make_unique<T>) to the constructor they run, with Sema still alive.
class FinishConsumer : public SemaConsumer {
public:
  FinishConsumer(TuState &T, Collector &C) : T(T), C(C) {}
  void InitializeSema(Sema &S) override;
  void ForgetSema() override { T.S = nullptr; }
  // False stops ParseAST after this declaration.
  bool HandleTopLevelDecl(DeclGroupRef) override { return !T.TimedOut; }
  void HandleTranslationUnit(ASTContext &) override;

private:
  TuState &T;
  Collector &C;
};

class ConstructFinder : public RecursiveASTVisitor<ConstructFinder> {
public:
  std::vector<const CXXConstructorDecl *> Found;
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    if (const CXXConstructorDecl *Ctor = E->getConstructor())
      Found.push_back(Ctor);
    return true;
  }
};

/// Polls the --tu-timeout deadline while Sema instantiates templates, which
/// can run long without the preprocessor producing a token.
class DeadlineCallback : public TemplateInstantiationCallback {
public:
  explicit DeadlineCallback(TuState &T) : T(T) {}
  void initialize(const Sema &) override {}
  void finalize(const Sema &) override {}
  void atTemplateBegin(const Sema &,
                       const Sema::CodeSynthesisContext &) override {
    T.pastDeadline();
  }
  void atTemplateEnd(const Sema &,
                     const Sema::CodeSynthesisContext &) override {}

private:
  TuState &T;
};

void FinishConsumer::InitializeSema(Sema &S) {
  T.S = &S;
  if (T.Ctx.Options.TuTimeoutSeconds)
    S.TemplateInstCallbacks.push_back(std::make_unique<DeadlineCallback>(T));
}

void FinishConsumer::HandleTranslationUnit(ASTContext &) {
  if (!T.S || T.TimedOut)
    return;
  for (const TuState::FactoryCall &FC : T.FactoryCalls) {
    auto *FD = const_cast<FunctionDecl *>(FC.Callee);
    if (!FD->isDefined() && FD->getTemplateInstantiationPattern())
      T.S->InstantiateFunctionDefinition(FC.Loc, FD, /*Recursive=*/false,
                                         /*DefinitionRequired=*/false,
                                         /*AtEndOfTU=*/true);
    const FunctionDecl *Def = nullptr;
    if (!FD->isDefined(Def) || !Def->getBody())
      continue;
    QualType Made;
    if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs())
      if (Args->size() && Args->get(0).getKind() == TemplateArgument::Type)
        Made = Args->get(0).getAsType();
    const CXXRecordDecl *MadeRD =
        Made.isNull() ? nullptr : Made->getAsCXXRecordDecl();
    ConstructFinder F;
    F.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    FileState *FS = T.fileStateFor(FC.Loc);
    if (!FS || !FS->Owned)
      continue;
    UnitBuilder &U = T.unit(*FS);
    for (const CXXConstructorDecl *Ctor : F.Found) {
      if (MadeRD &&
          Ctor->getParent()->getCanonicalDecl() != MadeRD->getCanonicalDecl())
        continue;
      const NamedDecl *E = asEntity(Ctor);
      if (!E)
        continue;
      C.addEdge(U, EdgeKind::Calls, C.sourceNode(U, FC.Caller), C.idOf(E).first,
                FC.Loc);
      C.noteTarget(U, E);
    }
  }
}

void finishTu(TuState &T);

/// The consumer chain, timed: clang::index traverses each top-level
/// declaration and calls the Collector inside HandleTopLevelDecl.
class TimedConsumer : public MultiplexConsumer {
public:
  TimedConsumer(TuState &T, std::vector<std::unique_ptr<ASTConsumer>> C)
      : MultiplexConsumer(std::move(C)), T(T) {}
  bool HandleTopLevelDecl(DeclGroupRef D) override {
    ExtractTimer Timer(T);
    return MultiplexConsumer::HandleTopLevelDecl(D);
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    ExtractTimer Timer(T);
    MultiplexConsumer::HandleTranslationUnit(Ctx);
  }

private:
  TuState &T;
};

class IndexFrontendAction : public ASTFrontendAction {
public:
  explicit IndexFrontendAction(TuState &T) : T(T) {}

  // The SourceManager dies with the CompilerInstance: finish while it lives.
  void EndSourceFileAction() override {
    ExtractTimer Timer(T);
    finishTu(T);
  }

  // Sema skips the pending implicit instantiations at the end of a TU_Prefix
  // translation unit: the index does not record references that exist only
  // inside implicit instantiations, and this saves a large share of the time
  // on template-heavy code (docs/graph-schema.md says what the index keeps).
  TranslationUnitKind getTranslationUnitKind() override { return TU_Prefix; }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    T.SM = &CI.getSourceManager();
    T.LO = &CI.getLangOpts();
    T.Lang = CI.getLangOpts().CPlusPlus ? Language::Cxx : Language::C;
    CI.getFrontendOpts().SkipFunctionBodies = true;
    CI.getDiagnostics().setWarningsAsErrors(false);
    // No "N errors generated." on stderr: it would break the progress line,
    // and the diagnostics are in the index.
    CI.getDiagnosticOpts().ShowCarets = false;
    std::shared_ptr<Preprocessor> PP = CI.getPreprocessorPtr();
    PP->addPPCallbacks(std::make_unique<IncludeTracker>(T));
    T.PP = PP.get();
    if (T.Ctx.Options.TuTimeoutSeconds)
      PP->setTokenWatcher([this](const Token &Tok) {
        if (!T.pastDeadline())
          return;
        // Past the deadline the input ends here: every token the parser
        // receives becomes eof, so it closes what is open and stops. (Tok
        // is the caller's token, not a const object.)
        Token &Eof = const_cast<Token &>(Tok);
        SourceLocation Loc = Eof.getLocation();
        Eof.startToken();
        Eof.setKind(tok::eof);
        Eof.setLocation(Loc);
      });
    auto C = std::make_shared<Collector>(T);
    index::IndexingOptions Opts;
    Opts.SystemSymbolFilter =
        T.Ctx.Options.IndexSystem
            ? index::IndexingOptions::SystemSymbolFilterKind::All
            : index::IndexingOptions::SystemSymbolFilterKind::None;
    Opts.IndexFunctionLocals = false;
    Opts.IndexImplicitInstantiation = false;
    Opts.IndexMacros = true;
    Opts.IndexMacrosInPreprocessor = false;
    Opts.IndexTemplateParameters = false;
    Opts.ShouldTraverseDecl = [this](const Decl *D) {
      FileState *FS = T.fileStateFor(D->getLocation());
      return !FS || FS->Owned;
    };
    auto SkipBody = [this](const Decl *D) {
      if (const auto *FD = D->getAsFunction(); FD && isFactory(FD))
        return false; // needed to resolve make_unique<T> to T's constructor
      FileState *FS = T.fileStateFor(D->getLocation());
      return FS && !FS->Owned;
    };
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(
        index::createIndexingASTConsumer(C, Opts, PP, std::move(SkipBody)));
    Consumers.push_back(std::make_unique<FinishConsumer>(T, *C));
    return std::make_unique<TimedConsumer>(T, std::move(Consumers));
  }

private:
  TuState &T;
};

class DiagnosticCollector : public DiagnosticConsumer {
public:
  DiagnosticCollector(TuState &T, std::vector<DiagnosticFact> &Out)
      : T(T), Out(Out) {}

  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error)
      return;
    DiagnosticFact D;
    D.Sev =
        Level == DiagnosticsEngine::Fatal ? Severity::Fatal : Severity::Error;
    llvm::SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    D.Message = Msg.str().str();
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      SourceManager &SM = Info.getSourceManager();
      SourceLocation L = SM.getFileLoc(Info.getLocation());
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(L)))
        D.File = T.Ctx.Paths.display(
            SM.getFileManager().getCanonicalName(*FE).str());
      D.Line = SM.getSpellingLineNumber(L);
      D.Column = SM.getSpellingColumnNumber(L);
    }
    if (Out.size() < 200)
      Out.push_back(std::move(D));
  }

private:
  TuState &T;
  std::vector<DiagnosticFact> &Out;
};

//===----------------------------------------------------------------------===//
// Finishing: coverage, test detection, macro containers, sorting.
//===----------------------------------------------------------------------===//

void computeCoverage(UnitBuilder &U, SourceManager &SM, const LangOptions &LO) {
  FileFact &F = U.Facts.File;
  uint32_t N = F.Lines;
  F.Coverage.TotalLines = N;
  if (!N)
    return;
  std::vector<uint8_t> Code(N + 2, 0), Comment(N + 2, 0), InEntity(N + 2, 0);
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(U.FID, &Invalid);
  if (Invalid)
    return;
  Lexer L(SM.getLocForStartOfFile(U.FID), LO, Buf.begin(), Buf.begin(),
          Buf.end());
  L.SetCommentRetentionState(true);
  Token Tok;
  auto LineOf = [&](const char *P) {
    return static_cast<uint32_t>(
        SM.getLineNumber(U.FID, static_cast<unsigned>(P - Buf.begin())));
  };
  while (!L.LexFromRawLexer(Tok) || Tok.isNot(tok::eof)) {
    if (Tok.is(tok::eof))
      break;
    const char *Start = Buf.begin() + SM.getFileOffset(Tok.getLocation());
    uint32_t A = LineOf(Start);
    uint32_t B = Tok.getLength() ? LineOf(Start + Tok.getLength() - 1) : A;
    auto &Mark = Tok.is(tok::comment) ? Comment : Code;
    for (uint32_t I = A; I <= B && I <= N; ++I)
      Mark[I] = 1;
  }
  for (const EntityFact &E : U.Facts.Entities) {
    if (E.External || E.Kind == EntityKind::Namespace)
      continue;
    for (const DeclFact &D : E.Decls)
      for (uint32_t I = D.Range.Line; I <= D.Range.EndLine && I <= N; ++I)
        InEntity[I] = 1;
  }
  for (uint32_t I = 1; I <= N; ++I) {
    F.Coverage.CodeLines += Code[I];
    F.Coverage.CommentLines += Comment[I] && !Code[I];
    F.Coverage.EntityLines += Code[I] && InEntity[I];
  }
}

/// Attributes each macro expansion to the innermost entity around it.
void resolveExpansions(UnitBuilder &U) {
  if (U.Expansions.empty())
    return;
  struct Span {
    Extent X;
    Id I;
  };
  std::vector<Span> Spans;
  for (const EntityFact &E : U.Facts.Entities)
    if (!E.External && E.Kind != EntityKind::Macro)
      for (const DeclFact &D : E.Decls)
        Spans.push_back({D.Range, E.ID});
  auto Before = [](uint32_t L1, uint32_t C1, uint32_t L2, uint32_t C2) {
    return L1 < L2 || (L1 == L2 && C1 <= C2);
  };
  for (const UnitBuilder::Expansion &X : U.Expansions) {
    const Span *Best = nullptr;
    for (const Span &S : Spans)
      if (Before(S.X.Line, S.X.Column, X.Line, X.Column) &&
          Before(X.Line, X.Column, S.X.EndLine, S.X.EndColumn) &&
          (!Best || Before(Best->X.Line, Best->X.Column, S.X.Line, S.X.Column)))
        Best = &S;
    Id From = Best ? Best->I : U.Facts.Key.File;
    auto Key = std::make_tuple(EdgeKind::ExpandsMacro, From, X.Macro);
    auto [It, Inserted] = U.EdgeIndex.try_emplace(Key, U.Facts.Edges.size());
    if (Inserted) {
      U.Facts.Edges.emplace_back();
      EdgeFact &E = U.Facts.Edges.back();
      E.Kind = EdgeKind::ExpandsMacro;
      E.From = From;
      E.To = X.Macro;
    }
    U.Facts.Edges[It->second].Sites.push_back(
        SiteFact{X.Line, X.Column, false});
  }
}

void finishUnit(UnitBuilder &U, bool ExcludeTests) {
  for (const std::string &Inc : U.Includes)
    if (std::optional<std::string> R = testReasonForInclude(Inc))
      U.Facts.File.TestReasons.push_back(*R);
  std::sort(U.Facts.File.TestReasons.begin(), U.Facts.File.TestReasons.end());
  U.Facts.File.TestReasons.erase(std::unique(U.Facts.File.TestReasons.begin(),
                                             U.Facts.File.TestReasons.end()),
                                 U.Facts.File.TestReasons.end());
  bool IsTest = !U.Facts.File.TestReasons.empty();
  if (IsTest && U.Facts.File.Role != FileRole::Generated)
    U.Facts.File.Role = FileRole::Test;
  if (IsTest && ExcludeTests) {
    U.Facts.Entities.clear();
    std::erase_if(U.Facts.Edges, [](const EdgeFact &E) {
      return E.Kind != EdgeKind::Includes;
    });
  }
  for (EntityFact &E : U.Facts.Entities) {
    if (!E.External)
      E.IsTest = IsTest;
    std::sort(E.Decls.begin(), E.Decls.end());
  }
  std::sort(
      U.Facts.Entities.begin(), U.Facts.Entities.end(),
      [](const EntityFact &A, const EntityFact &B) { return A.ID < B.ID; });
  for (EdgeFact &E : U.Facts.Edges) {
    std::sort(E.Sites.begin(), E.Sites.end());
    E.Sites.erase(std::unique(E.Sites.begin(), E.Sites.end(),
                              [](const SiteFact &A, const SiteFact &B) {
                                return A.Line == B.Line && A.Column == B.Column;
                              }),
                  E.Sites.end());
  }
  std::sort(U.Facts.Edges.begin(), U.Facts.Edges.end(),
            [](const EdgeFact &A, const EdgeFact &B) {
              return std::tie(A.Kind, A.From, A.To) <
                     std::tie(B.Kind, B.From, B.To);
            });
}

void finishTu(TuState &T) {
  if (!T.SM)
    return;
  ExtractContext &Ctx = T.Ctx;
  // Everything read, for incremental indexing.
  for (auto It = T.SM->fileinfo_begin(); It != T.SM->fileinfo_end(); ++It) {
    const SrcMgr::ContentCache *CC = It->second;
    if (!CC || !CC->OrigEntry)
      continue;
    std::string Abs =
        T.SM->getFileManager().getCanonicalName(*CC->OrigEntry).str();
    uint64_t H;
    if (auto Buf = CC->getBufferIfLoaded()) {
      H = llvm::xxh3_64bits(Buf->getBuffer());
      Ctx.Hashes.put(Abs, H);
    } else {
      H = Ctx.Hashes.hashOf(Abs);
    }
    T.Out->Record.Inputs.emplace_back(Abs, H);
  }
  std::sort(T.Out->Record.Inputs.begin(), T.Out->Record.Inputs.end());
  T.Out->Record.Inputs.erase(
      std::unique(T.Out->Record.Inputs.begin(), T.Out->Record.Inputs.end()),
      T.Out->Record.Inputs.end());
  for (UnitBuilder &U : T.Units) {
    if (!U.External) {
      resolveExpansions(U);
      computeCoverage(U, *T.SM, *T.LO);
    }
    finishUnit(U, Ctx.Options.ExcludeTests);
  }
}

} // namespace

TuResult extractTranslationUnit(const TuInput &In, ExtractContext &Ctx) {
  TuResult R;
  R.Record.Key = In.Key;
  R.Record.MainFile = Ctx.Paths.display(In.MainFile);
  R.Record.Directory = In.Directory;
  R.Record.CommandHash = In.CommandHash;
  R.Record.Variant = In.Variant;
  auto Start = Clock::now();

  TuState T(In, Ctx, R);
  if (Ctx.Options.TuTimeoutSeconds)
    Watchdog::get().watch(
        T.Expired, Start + std::chrono::seconds(Ctx.Options.TuTimeoutSeconds));
  auto Unwatch = llvm::make_scope_exit([&] {
    if (Ctx.Options.TuTimeoutSeconds)
      Watchdog::get().forget(T.Expired.get());
  });
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS =
      llvm::vfs::createPhysicalFileSystem();
  FS->setCurrentWorkingDirectory(In.Directory);
  llvm::IntrusiveRefCntPtr<FileManager> Files(
      new FileManager(FileSystemOptions(), FS));
  DiagnosticCollector Diags(T, R.Record.Diagnostics);
  bool Ok;
  {
    tooling::ToolInvocation Inv(
        In.Args, std::make_unique<IndexFrontendAction>(T), Files.get());
    Inv.setDiagnosticConsumer(&Diags);
    Ok = Inv.run();
    R.ParseSeconds =
        std::chrono::duration<double>(Clock::now() - Start).count() -
        T.ExtractSeconds;
  }
  bool HasErrors = std::any_of(
      R.Record.Diagnostics.begin(), R.Record.Diagnostics.end(),
      [](const DiagnosticFact &D) { return D.Sev >= Severity::Error; });
  // No units is normal when every file this TU read was claimed by TUs
  // with the same preprocessor variant (the same file compiled for several
  // targets); it is a failure only when the frontend never started.
  if (T.TimedOut) {
    R.Record.Status = TuStatus::TimedOut;
    R.Record.FailureReason = "timed out after " +
                             std::to_string(Ctx.Options.TuTimeoutSeconds) +
                             " s";
  } else if (T.Units.empty() && !T.SM) {
    R.Record.Status = TuStatus::Failed;
    R.Record.FailureReason =
        R.Record.Diagnostics.empty()
            ? "the Clang frontend could not run this command"
            : R.Record.Diagnostics.front().Message;
  } else {
    R.Record.Status = HasErrors || !Ok ? TuStatus::Errors : TuStatus::Ok;
  }
  for (UnitBuilder &U : T.Units) {
    R.Record.OwnedUnits.push_back(U.Facts.Key);
    R.Units.push_back(std::move(U.Facts));
  }
  R.ExtractSeconds =
      std::chrono::duration<double>(Clock::now() - Start).count() -
      R.ParseSeconds;
  return R;
}

} // namespace codeindex
