//===- GraphStore.cpp - Graph facts in a key-value store ------------------===//

#include "codeindex/graph/GraphStore.h"

#include "Coding.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

namespace codeindex {

using namespace coding;
using storage::Table;
using storage::WriteBatch;

namespace {

constexpr uint8_t ValueFormat = 1;
constexpr std::string_view SchemaKey = "graph_schema";

// ---- keys -----------------------------------------------------------------

void putUnit(std::string &K, const UnitKey &U) {
  putFixed64BE(K, U.File);
  putFixed64BE(K, U.Variant);
}

UnitKey getUnit(std::string_view K) {
  return UnitKey{getFixed64BE(K), getFixed64BE(K.substr(8))};
}

std::string unitKey(const UnitKey &U) {
  std::string K;
  putUnit(K, U);
  return K;
}

std::string entityKey(Id I, const UnitKey &U) {
  std::string K;
  putFixed64BE(K, I);
  putUnit(K, U);
  return K;
}

std::string edgeKey(EdgeKind Kind, Id A, Id B, const UnitKey &U) {
  std::string K;
  K.push_back(static_cast<char>(Kind));
  putFixed64BE(K, A);
  putFixed64BE(K, B);
  putUnit(K, U);
  return K;
}

std::string lower(std::string_view S) {
  std::string L(S);
  for (char &C : L)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  return L;
}

// Names longer than this are truncated in the key (search is by prefix).
constexpr size_t MaxNameKey = 256;

std::string nameKey(std::string_view Name, Id I, const UnitKey &U) {
  std::string K = lower(Name.substr(0, MaxNameKey));
  K.push_back('\0');
  putFixed64BE(K, I);
  putUnit(K, U);
  return K;
}

std::string pathKey(std::string_view Path, uint64_t Variant) {
  std::string K(Path);
  K.push_back('\0');
  putFixed64BE(K, Variant);
  return K;
}

std::string idKey(Id I) {
  std::string K;
  putFixed64BE(K, I);
  return K;
}

// ---- values ---------------------------------------------------------------

void putExtent(std::string &V, const Extent &E) {
  putVarint(V, E.Line);
  putVarint(V, E.Column);
  putVarint(V, E.EndLine);
  putVarint(V, E.EndColumn);
}

bool getExtent(Decoder &D, Extent &E) {
  return D.getInt(E.Line) && D.getInt(E.Column) && D.getInt(E.EndLine) &&
         D.getInt(E.EndColumn);
}

template <typename E> bool getEnum(Decoder &D, E &Out, int Count) {
  uint8_t B;
  if (!D.getByte(B) || B >= Count)
    return false;
  Out = static_cast<E>(B);
  return true;
}

bool getFormat(Decoder &D) {
  uint8_t F;
  return D.getByte(F) && F == ValueFormat;
}

std::string encodeEntity(const EntityFact &F) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putString(V, F.Usr);
  V.push_back(static_cast<char>(F.Kind));
  putString(V, F.Name);
  putString(V, F.QualifiedName);
  putString(V, F.Signature);
  V.push_back(static_cast<char>(F.Lang));
  V.push_back(static_cast<char>(F.Acc));
  putVarint(V, F.Flags);
  putFixed64BE(V, F.Parent);
  V.push_back(static_cast<char>((F.External ? 1 : 0) | (F.IsTest ? 2 : 0)));
  putString(V, F.File);
  putExtent(V, F.ExternalLocation);
  putVarint(V, F.Decls.size());
  for (const DeclFact &Dc : F.Decls) {
    putExtent(V, Dc.Range);
    V.push_back(Dc.IsDefinition ? 1 : 0);
  }
  putFixed64BE(V, F.BodyHash);
  return V;
}

bool decodeEntity(std::string_view In, Id I, EntityFact &F) {
  Decoder D(In);
  F.ID = I;
  uint8_t Bits;
  uint64_t N;
  if (!getFormat(D) || !D.getString(F.Usr) ||
      !getEnum(D, F.Kind, NumEntityKinds) || !D.getString(F.Name) ||
      !D.getString(F.QualifiedName) || !D.getString(F.Signature) ||
      !getEnum(D, F.Lang, 3) || !getEnum(D, F.Acc, 4) || !D.getInt(F.Flags) ||
      !D.getFixed64(F.Parent) || !D.getByte(Bits) || !D.getString(F.File) ||
      !getExtent(D, F.ExternalLocation) || !D.getVarint(N) ||
      N > D.rest().size())
    return false;
  F.External = Bits & 1;
  F.IsTest = Bits & 2;
  F.Decls.resize(N);
  for (DeclFact &Dc : F.Decls) {
    uint8_t Def;
    if (!getExtent(D, Dc.Range) || !D.getByte(Def))
      return false;
    Dc.IsDefinition = Def;
  }
  return D.getFixed64(F.BodyHash) && D.done();
}

std::string encodeEdge(const EdgeFact &E) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  V.push_back(static_cast<char>(E.Acc));
  V.push_back(E.Virtual ? 1 : 0);
  putVarint(V, E.Sites.size());
  for (const SiteFact &S : E.Sites) {
    putVarint(V, S.Line);
    putVarint(V, S.Column);
    V.push_back(S.Virtual ? 1 : 0);
  }
  return V;
}

bool decodeEdge(std::string_view In, EdgeFact &E) {
  Decoder D(In);
  uint8_t Virt;
  uint64_t N;
  if (!getFormat(D) || !getEnum(D, E.Acc, 4) || !D.getByte(Virt) ||
      !D.getVarint(N) || N > D.rest().size())
    return false;
  E.Virtual = Virt;
  E.Sites.resize(N);
  for (SiteFact &S : E.Sites) {
    uint8_t SV;
    if (!D.getInt(S.Line) || !D.getInt(S.Column) || !D.getByte(SV))
      return false;
    S.Virtual = SV;
  }
  return D.done();
}

std::string encodeFile(Id FileId, const FileFact &F) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putFixed64BE(V, FileId);
  putString(V, F.Path);
  V.push_back(static_cast<char>(F.Lang));
  V.push_back(static_cast<char>(F.Role));
  putFixed64BE(V, F.ContentHash);
  putVarint(V, F.Lines);
  V.push_back(static_cast<char>(F.Status));
  return V;
}

bool decodeFile(std::string_view In, FileInfo &F) {
  Decoder D(In);
  return getFormat(D) && D.getFixed64(F.ID) && D.getString(F.Path) &&
         getEnum(D, F.Lang, 3) && getEnum(D, F.Role, 5) &&
         D.getFixed64(F.Hash) && D.getInt(F.Lines) && getEnum(D, F.Status, 3) &&
         D.done();
}

std::string encodeReasons(const std::vector<std::string> &Reasons) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putVarint(V, Reasons.size());
  for (const std::string &R : Reasons)
    putString(V, R);
  return V;
}

bool decodeReasons(std::string_view In, std::vector<std::string> &Out) {
  Decoder D(In);
  uint64_t N;
  if (!getFormat(D) || !D.getVarint(N) || N > D.rest().size())
    return false;
  Out.resize(N);
  for (std::string &R : Out)
    if (!D.getString(R))
      return false;
  return D.done();
}

std::string encodeCoverage(const CoverageFact &C) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putVarint(V, C.TotalLines);
  putVarint(V, C.CodeLines);
  putVarint(V, C.CommentLines);
  putVarint(V, C.EntityLines);
  return V;
}

bool decodeCoverage(std::string_view In, CoverageFact &C) {
  Decoder D(In);
  return getFormat(D) && D.getInt(C.TotalLines) && D.getInt(C.CodeLines) &&
         D.getInt(C.CommentLines) && D.getInt(C.EntityLines) && D.done();
}

// What a unit wrote, so that it can be deleted again.
struct UnitManifest {
  std::string Path;
  std::vector<std::pair<Id, std::string>> Entities; // id, name
  std::vector<std::tuple<EdgeKind, Id, Id>> Edges;
  bool HasTestReasons = false;
};

std::string encodeManifest(const UnitFacts &U) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putString(V, U.File.Path);
  V.push_back(U.File.TestReasons.empty() ? 0 : 1);
  putVarint(V, U.Entities.size());
  for (const EntityFact &E : U.Entities) {
    putFixed64BE(V, E.ID);
    putString(V, E.Name);
  }
  putVarint(V, U.Edges.size());
  for (const EdgeFact &E : U.Edges) {
    V.push_back(static_cast<char>(E.Kind));
    putFixed64BE(V, E.From);
    putFixed64BE(V, E.To);
  }
  return V;
}

bool decodeManifest(std::string_view In, UnitManifest &M) {
  Decoder D(In);
  uint8_t HasTest;
  uint64_t N;
  if (!getFormat(D) || !D.getString(M.Path) || !D.getByte(HasTest) ||
      !D.getVarint(N) || N > D.rest().size())
    return false;
  M.HasTestReasons = HasTest;
  M.Entities.resize(N);
  for (auto &[I, Name] : M.Entities)
    if (!D.getFixed64(I) || !D.getString(Name))
      return false;
  if (!D.getVarint(N) || N > D.rest().size())
    return false;
  M.Edges.resize(N);
  for (auto &[K, A, B] : M.Edges)
    if (!getEnum(D, K, NumEdgeKinds) || !D.getFixed64(A) || !D.getFixed64(B))
      return false;
  return D.done();
}

std::string encodeTuRecord(const TuRecord &T) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putString(V, T.MainFile);
  putString(V, T.Directory);
  putFixed64BE(V, T.CommandHash);
  putFixed64BE(V, T.Variant);
  V.push_back(static_cast<char>(T.Status));
  putString(V, T.FailureReason);
  putVarint(V, T.Inputs.size());
  for (const auto &[Path, Hash] : T.Inputs) {
    putString(V, Path);
    putFixed64BE(V, Hash);
  }
  putVarint(V, T.OwnedUnits.size());
  for (const UnitKey &U : T.OwnedUnits)
    putUnit(V, U);
  putVarint(V, T.Diagnostics.size());
  return V;
}

bool decodeTuRecord(std::string_view In, Id Key, TuRecord &T) {
  Decoder D(In);
  T.Key = Key;
  uint64_t N;
  if (!getFormat(D) || !D.getString(T.MainFile) || !D.getString(T.Directory) ||
      !D.getFixed64(T.CommandHash) || !D.getFixed64(T.Variant) ||
      !getEnum(D, T.Status, 6) || !D.getString(T.FailureReason) ||
      !D.getVarint(N) || N > D.rest().size())
    return false;
  T.Inputs.resize(N);
  for (auto &[Path, Hash] : T.Inputs)
    if (!D.getString(Path) || !D.getFixed64(Hash))
      return false;
  if (!D.getVarint(N) || N > D.rest().size())
    return false;
  T.OwnedUnits.resize(N);
  for (UnitKey &U : T.OwnedUnits)
    if (!D.getFixed64(U.File) || !D.getFixed64(U.Variant))
      return false;
  uint64_t NumDiags;
  return D.getVarint(NumDiags) && D.done();
}

std::string encodeDiagnostic(const DiagnosticFact &F) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  putString(V, F.File);
  putVarint(V, F.Line);
  putVarint(V, F.Column);
  V.push_back(static_cast<char>(F.Sev));
  putString(V, F.Message);
  return V;
}

bool decodeDiagnostic(std::string_view In, DiagnosticFact &F) {
  Decoder D(In);
  return getFormat(D) && D.getString(F.File) && D.getInt(F.Line) &&
         D.getInt(F.Column) && getEnum(D, F.Sev, 4) && D.getString(F.Message) &&
         D.done();
}

Status corrupt(std::string_view What) {
  return Status::corruption("cannot decode " + std::string(What) +
                            " record; the index is damaged: rebuild it with "
                            "`code-indexer extract --full`");
}

// Scans a whole table, calling Fn(key, value) until it returns false.
template <typename FnT>
Status scanAll(storage::Store &S, Table T, std::string_view Prefix, FnT Fn) {
  auto It = S.scan(T, Prefix);
  for (; It->valid(); It->next())
    if (!Fn(It->key(), It->value()))
      break;
  return It->status();
}

// Appends the deletion of every key of T starting with Prefix.
Status deleteAll(storage::Store &S, Table T, std::string_view Prefix,
                 WriteBatch &B) {
  return scanAll(S, T, Prefix, [&](std::string_view K, std::string_view) {
    B.del(T, K);
    return true;
  });
}

} // namespace

Status GraphStore::initSchema(bool Fresh) {
  std::string V;
  Status St = S.get(Table::Meta, SchemaKey, &V);
  if (St.isNotFound() || (Fresh && St.isOk())) {
    WriteBatch B;
    B.put(Table::Meta, SchemaKey, std::to_string(GraphSchemaVersion));
    return S.write(B);
  }
  if (!St.isOk())
    return St;
  if (V != std::to_string(GraphSchemaVersion))
    return Status::incompatible(
        "the index was written with graph schema version " + V +
        ", this code-indexer reads version " +
        std::to_string(GraphSchemaVersion) +
        "; rebuild it with `code-indexer extract --full`");
  return Status::ok();
}

void GraphStore::putMeta(WriteBatch &B, std::string_view Name,
                         std::string_view Value) const {
  B.put(Table::Meta, Name, Value);
}

Status GraphStore::getMeta(std::string_view Name, std::string *Value) {
  return S.get(Table::Meta, Name, Value);
}

Status GraphStore::encodeRemoveUnit(const UnitKey &U, WriteBatch &B) {
  if (AssumeEmpty)
    return Status::ok(); // a rebuild: nothing written before this run
  std::string V;
  std::string UK = unitKey(U);
  Status St = S.get(Table::Units, UK, &V);
  if (St.isNotFound())
    return Status::ok();
  if (!St.isOk())
    return St;
  UnitManifest M;
  if (!decodeManifest(V, M))
    return corrupt("unit");
  for (const auto &[I, Name] : M.Entities) {
    B.del(Table::Entities, entityKey(I, U));
    B.del(Table::Names, nameKey(Name, I, U));
  }
  for (const auto &[K, From, To] : M.Edges) {
    B.del(Table::OutEdges, edgeKey(K, From, To, U));
    B.del(Table::InEdges, edgeKey(K, To, From, U));
  }
  B.del(Table::Files, pathKey(M.Path, U.Variant));
  B.del(Table::Coverage, pathKey(M.Path, U.Variant));
  if (M.HasTestReasons)
    B.del(Table::TestFiles, pathKey(M.Path, U.Variant));
  B.del(Table::Units, UK);
  return Status::ok();
}

Status GraphStore::encodeTu(const TuRecord &Tu,
                            const std::vector<UnitFacts> &Units,
                            WriteBatch &B) {
  for (const UnitFacts &U : Units) {
    if (Status St = encodeRemoveUnit(U.Key, B); !St.isOk())
      return St;
    for (const EntityFact &E : U.Entities) {
      B.put(Table::Entities, entityKey(E.ID, U.Key), encodeEntity(E));
      B.put(Table::Names, nameKey(E.Name, E.ID, U.Key), "");
    }
    for (const EdgeFact &E : U.Edges) {
      B.put(Table::OutEdges, edgeKey(E.Kind, E.From, E.To, U.Key),
            encodeEdge(E));
      B.put(Table::InEdges, edgeKey(E.Kind, E.To, E.From, U.Key), "");
    }
    std::string PK = pathKey(U.File.Path, U.Key.Variant);
    B.put(Table::Files, PK, encodeFile(U.Key.File, U.File));
    // Coverage is about files the index understood, not skipped headers.
    if (U.File.Status == FileStatus::Indexed && U.File.Role != FileRole::System)
      B.put(Table::Coverage, PK, encodeCoverage(U.File.Coverage));
    if (!U.File.TestReasons.empty())
      B.put(Table::TestFiles, PK, encodeReasons(U.File.TestReasons));
    B.put(Table::Units, unitKey(U.Key), encodeManifest(U));
  }
  // Replace the TU's record and diagnostics.
  std::string TK = idKey(Tu.Key);
  if (!AssumeEmpty)
    if (Status St = deleteAll(S, Table::Diagnostics, TK, B); !St.isOk())
      return St;
  B.put(Table::TuState, TK, encodeTuRecord(Tu));
  uint32_t Seq = 0;
  for (const DiagnosticFact &D : Tu.Diagnostics) {
    std::string K = TK;
    putFixed32BE(K, Seq++);
    B.put(Table::Diagnostics, K, encodeDiagnostic(D));
  }
  return Status::ok();
}

Status GraphStore::encodeRemoveTu(Id TuKey, WriteBatch &B) {
  std::string TK = idKey(TuKey);
  if (Status St = deleteAll(S, Table::Diagnostics, TK, B); !St.isOk())
    return St;
  B.del(Table::TuState, TK);
  return Status::ok();
}

Status GraphStore::encodeIgnoredFiles(const std::vector<IgnoredFile> &Files,
                                      WriteBatch &B) {
  if (Status St = deleteAll(S, Table::IgnoredFiles, "", B); !St.isOk())
    return St;
  for (const IgnoredFile &F : Files)
    B.put(Table::IgnoredFiles, F.Path, F.Reason);
  return Status::ok();
}

// ---- reading ----------------------------------------------------------------

Status GraphStore::readTuRecord(Id TuKey, TuRecord &Out) {
  std::string V;
  Status St = S.get(Table::TuState, idKey(TuKey), &V);
  if (!St.isOk())
    return St;
  if (!decodeTuRecord(V, TuKey, Out))
    return corrupt("translation unit");
  return Status::ok();
}

Status GraphStore::readTuRecords(std::vector<TuRecord> &Out,
                                 bool WithDiagnostics) {
  bool Bad = false;
  Status St = scanAll(
      S, Table::TuState, "", [&](std::string_view K, std::string_view V) {
        TuRecord T;
        if (K.size() != 8 || !decodeTuRecord(V, getFixed64BE(K), T)) {
          Bad = true;
          return false;
        }
        Out.push_back(std::move(T));
        return true;
      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("translation unit");
  if (!WithDiagnostics)
    return Status::ok();
  for (TuRecord &T : Out) {
    St = scanAll(S, Table::Diagnostics, idKey(T.Key),
                 [&](std::string_view, std::string_view V) {
                   DiagnosticFact D;
                   if (!decodeDiagnostic(V, D)) {
                     Bad = true;
                     return false;
                   }
                   T.Diagnostics.push_back(std::move(D));
                   return true;
                 });
    if (!St.isOk())
      return St;
    if (Bad)
      return corrupt("diagnostic");
  }
  return Status::ok();
}

Status GraphStore::readUnitKeys(std::vector<UnitKey> &Out) {
  return scanAll(S, Table::Units, "",
                 [&](std::string_view K, std::string_view) {
                   if (K.size() == 16)
                     Out.push_back(getUnit(K));
                   return true;
                 });
}

Status GraphStore::loadUnitPaths() {
  if (UnitPathsLoaded)
    return Status::ok();
  bool Bad = false;
  Status St =
      scanAll(S, Table::Units, "", [&](std::string_view K, std::string_view V) {
        UnitManifest M;
        if (K.size() != 16 || !decodeManifest(V, M)) {
          Bad = true;
          return false;
        }
        UnitPaths[getUnit(K)] = std::move(M.Path);
        return true;
      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("unit");
  UnitPathsLoaded = true;
  return Status::ok();
}

Status GraphStore::unitPath(const UnitKey &U, std::string &Out) {
  if (Status St = loadUnitPaths(); !St.isOk())
    return St;
  auto It = UnitPaths.find(U);
  if (It == UnitPaths.end())
    return Status::notFound("unit");
  Out = It->second;
  return Status::ok();
}

Status
GraphStore::forEachFile(const std::function<bool(const FileInfo &)> &Fn) {
  // Keys are path \0 variant: all variants of a file are adjacent.
  std::optional<FileInfo> Cur;
  bool Bad = false, Stop = false;
  Status St =
      scanAll(S, Table::Files, "", [&](std::string_view, std::string_view V) {
        FileInfo F;
        if (!decodeFile(V, F)) {
          Bad = true;
          return false;
        }
        if (Cur && Cur->Path == F.Path) {
          // A file indexed under several configurations: indexed wins.
          if (F.Status == FileStatus::Indexed)
            Cur->Status = FileStatus::Indexed;
          return true;
        }
        if (Cur && !Fn(*Cur)) {
          Stop = true;
          return false;
        }
        Cur = std::move(F);
        return true;
      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("file");
  if (Cur && !Stop)
    Fn(*Cur);
  return Status::ok();
}

namespace {
bool locationLess(const Location &A, const Location &B) {
  return std::tie(A.File, A.Range) < std::tie(B.File, B.Range);
}
} // namespace

Status GraphStore::mergeEntityGroup(
    Id I, std::vector<std::pair<UnitKey, EntityFact>> &Facts, Entity &Out) {
  Out = Entity();
  Out.ID = I;
  // Declarations from every non-external fact. An entity is external only if
  // no unit of the project declares it.
  std::vector<std::pair<Location, const EntityFact *>> Locs;
  const EntityFact *First = nullptr;
  uint32_t Flags = 0;
  for (auto &[U, F] : Facts) {
    if (!First || (First->External && !F.External))
      First = &F;
    if (F.External)
      continue;
    Flags |= F.Flags;
    for (const DeclFact &D : F.Decls)
      Locs.push_back({Location{F.File, D.Range, D.IsDefinition}, &F});
  }
  for (auto &[U, F] : Facts)
    if (F.Usr != First->Usr) {
      Collisions.push_back(formatId(I) + ": " + First->Usr + " vs " + F.Usr);
      break;
    }
  std::sort(Locs.begin(), Locs.end(), [](const auto &A, const auto &B) {
    return locationLess(A.first, B.first);
  });
  Locs.erase(std::unique(Locs.begin(), Locs.end(),
                         [](const auto &A, const auto &B) {
                           return A.first.File == B.first.File &&
                                  A.first.Range == B.first.Range;
                         }),
             Locs.end());
  const EntityFact *Primary = First;
  size_t PrimaryIdx = Locs.size();
  for (size_t K = 0; K < Locs.size(); ++K)
    if (Locs[K].first.IsDefinition) {
      PrimaryIdx = K;
      break;
    }
  if (PrimaryIdx == Locs.size() && !Locs.empty())
    PrimaryIdx = 0;
  if (PrimaryIdx < Locs.size())
    Primary = Locs[PrimaryIdx].second;

  Out.Usr = Primary->Usr;
  Out.Kind = Primary->Kind;
  Out.Name = Primary->Name;
  Out.QualifiedName = Primary->QualifiedName;
  Out.Signature = Primary->Signature;
  Out.Parent = Primary->Parent;
  Out.Lang = Primary->Lang;
  Out.Acc = Primary->Acc;
  Out.IsTest = Primary->IsTest;
  if (PrimaryIdx < Locs.size()) {
    Out.External = false;
    Out.Flags = Flags;
    Out.File = Locs[PrimaryIdx].first.File;
    Out.Range = Locs[PrimaryIdx].first.Range;
    Out.IsDefinition = Locs[PrimaryIdx].first.IsDefinition;
    Out.Hash = Out.IsDefinition ? Primary->BodyHash : 0;
    for (size_t K = 0; K < Locs.size(); ++K)
      if (K != PrimaryIdx)
        Out.Declarations.push_back(std::move(Locs[K].first));
  } else {
    Out.External = true;
    Out.Flags = Primary->Flags;
    Out.File = Primary->File;
    Out.Range = Primary->ExternalLocation;
  }
  return Status::ok();
}

Status
GraphStore::forEachEntity(const std::function<bool(const Entity &)> &Fn) {
  std::vector<std::pair<UnitKey, EntityFact>> Group;
  Id Cur = 0;
  bool Bad = false, Stop = false;
  Entity E;
  auto Flush = [&]() {
    if (Group.empty())
      return true;
    mergeEntityGroup(Cur, Group, E);
    Group.clear();
    return Fn(E);
  };
  Status St = scanAll(S, Table::Entities, "",
                      [&](std::string_view K, std::string_view V) {
                        if (K.size() != 24) {
                          Bad = true;
                          return false;
                        }
                        Id I = getFixed64BE(K);
                        if (I != Cur && !Flush()) {
                          Stop = true;
                          return false;
                        }
                        Cur = I;
                        EntityFact F;
                        if (!decodeEntity(V, I, F)) {
                          Bad = true;
                          return false;
                        }
                        Group.emplace_back(getUnit(K.substr(8)), std::move(F));
                        return true;
                      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("entity");
  if (!Stop)
    Flush();
  return Status::ok();
}

Status GraphStore::getEntity(Id I, Entity &Out) {
  std::vector<std::pair<UnitKey, EntityFact>> Group;
  bool Bad = false;
  Status St = scanAll(S, Table::Entities, idKey(I),
                      [&](std::string_view K, std::string_view V) {
                        EntityFact F;
                        if (K.size() != 24 || !decodeEntity(V, I, F)) {
                          Bad = true;
                          return false;
                        }
                        Group.emplace_back(getUnit(K.substr(8)), std::move(F));
                        return true;
                      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("entity");
  if (Group.empty())
    return Status::notFound("no entity with id " + formatId(I));
  return mergeEntityGroup(I, Group, Out);
}

namespace {
// Merges one edge's per-unit facts (all with the same kind/from/to).
void mergeEdgeFact(Edge &Out, const EdgeFact &F, const std::string &Path,
                   bool FirstFact) {
  if (FirstFact) {
    Out.Acc = F.Acc;
    Out.Virtual = F.Virtual;
  }
  for (const SiteFact &SF : F.Sites)
    Out.Sites.push_back(Site{Path, SF.Line, SF.Column, SF.Virtual});
}

void finishEdge(Edge &E) {
  std::sort(E.Sites.begin(), E.Sites.end());
  E.Sites.erase(std::unique(E.Sites.begin(), E.Sites.end()), E.Sites.end());
}
} // namespace

Status GraphStore::forEachEdge(const std::function<bool(const Edge &)> &Fn) {
  if (Status St = loadUnitPaths(); !St.isOk())
    return St;
  std::optional<Edge> Cur;
  std::string CurPrefix;
  bool Bad = false, Stop = false;
  Status St = scanAll(
      S, Table::OutEdges, "", [&](std::string_view K, std::string_view V) {
        if (K.size() != 33) {
          Bad = true;
          return false;
        }
        std::string_view Prefix = K.substr(0, 17);
        bool Same = Cur && CurPrefix == Prefix;
        if (!Same) {
          if (Cur) {
            finishEdge(*Cur);
            if (!Fn(*Cur)) {
              Stop = true;
              return false;
            }
          }
          Cur = Edge();
          Cur->Kind = static_cast<EdgeKind>(K[0]);
          Cur->From = getFixed64BE(K.substr(1));
          Cur->To = getFixed64BE(K.substr(9));
          CurPrefix.assign(Prefix);
        }
        EdgeFact F;
        if (static_cast<uint8_t>(K[0]) >= NumEdgeKinds || !decodeEdge(V, F)) {
          Bad = true;
          return false;
        }
        auto P = UnitPaths.find(getUnit(K.substr(17)));
        static const std::string Unknown;
        mergeEdgeFact(*Cur, F, P == UnitPaths.end() ? Unknown : P->second,
                      !Same);
        return true;
      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("edge");
  if (Cur && !Stop) {
    finishEdge(*Cur);
    Fn(*Cur);
  }
  return Status::ok();
}

Status GraphStore::outEdges(EdgeKind K, Id From, std::vector<Edge> &Out) {
  if (Status St = loadUnitPaths(); !St.isOk())
    return St;
  std::string Prefix;
  Prefix.push_back(static_cast<char>(K));
  putFixed64BE(Prefix, From);
  bool Bad = false;
  Status St = scanAll(
      S, Table::OutEdges, Prefix,
      [&](std::string_view Key, std::string_view V) {
        EdgeFact F;
        if (Key.size() != 33 || !decodeEdge(V, F)) {
          Bad = true;
          return false;
        }
        Id To = getFixed64BE(Key.substr(9));
        bool First = Out.empty() || Out.back().To != To;
        if (First) {
          Out.emplace_back();
          Out.back().Kind = K;
          Out.back().From = From;
          Out.back().To = To;
        }
        mergeEdgeFact(Out.back(), F, UnitPaths[getUnit(Key.substr(17))], First);
        return true;
      });
  if (Bad)
    return corrupt("edge");
  for (Edge &E : Out)
    finishEdge(E);
  return St;
}

Status GraphStore::inEdges(EdgeKind K, Id To, std::vector<Edge> &Out) {
  std::string Prefix;
  Prefix.push_back(static_cast<char>(K));
  putFixed64BE(Prefix, To);
  std::vector<Id> Froms;
  Status St = scanAll(S, Table::InEdges, Prefix,
                      [&](std::string_view Key, std::string_view) {
                        if (Key.size() == 33) {
                          Id F = getFixed64BE(Key.substr(9));
                          if (Froms.empty() || Froms.back() != F)
                            Froms.push_back(F);
                        }
                        return true;
                      });
  if (!St.isOk())
    return St;
  // Fetch each edge's sites from out_edges.
  for (Id From : Froms) {
    std::vector<Edge> Outs;
    std::string P;
    P.push_back(static_cast<char>(K));
    putFixed64BE(P, From);
    putFixed64BE(P, To);
    if (Status St2 = loadUnitPaths(); !St2.isOk())
      return St2;
    Edge E;
    E.Kind = K;
    E.From = From;
    E.To = To;
    bool First = true, Bad = false;
    St = scanAll(
        S, Table::OutEdges, P, [&](std::string_view Key, std::string_view V) {
          EdgeFact F;
          if (Key.size() != 33 || !decodeEdge(V, F)) {
            Bad = true;
            return false;
          }
          mergeEdgeFact(E, F, UnitPaths[getUnit(Key.substr(17))], First);
          First = false;
          return true;
        });
    if (!St.isOk())
      return St;
    if (Bad)
      return corrupt("edge");
    finishEdge(E);
    Out.push_back(std::move(E));
  }
  return Status::ok();
}

Status GraphStore::findByNamePrefix(std::string_view Prefix,
                                    std::vector<Id> &Out) {
  std::set<Id> Seen;
  Status St = scanAll(S, Table::Names, lower(Prefix),
                      [&](std::string_view K, std::string_view) {
                        size_t Z = K.rfind('\0', K.size() - 24);
                        if (K.size() >= 25 && Z != std::string_view::npos)
                          Seen.insert(getFixed64BE(K.substr(K.size() - 24)));
                        return true;
                      });
  Out.assign(Seen.begin(), Seen.end());
  return St;
}

Status
GraphStore::forEachTestFile(const std::function<bool(const TestFile &)> &Fn) {
  std::optional<TestFile> Cur;
  bool Bad = false, Stop = false;
  Status St = scanAll(
      S, Table::TestFiles, "", [&](std::string_view K, std::string_view V) {
        std::string Path(K.substr(0, K.size() >= 9 ? K.size() - 9 : 0));
        std::vector<std::string> Reasons;
        if (K.size() < 9 || !decodeReasons(V, Reasons)) {
          Bad = true;
          return false;
        }
        if (Cur && Cur->Path == Path) {
          Cur->Reasons.insert(Cur->Reasons.end(), Reasons.begin(),
                              Reasons.end());
        } else {
          if (Cur && !Fn(*Cur)) {
            Stop = true;
            return false;
          }
          Cur = TestFile{std::move(Path), std::move(Reasons)};
        }
        std::sort(Cur->Reasons.begin(), Cur->Reasons.end());
        Cur->Reasons.erase(
            std::unique(Cur->Reasons.begin(), Cur->Reasons.end()),
            Cur->Reasons.end());
        return true;
      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("test file");
  if (Cur && !Stop)
    Fn(*Cur);
  return Status::ok();
}

Status
GraphStore::forEachCoverage(const std::function<bool(const Coverage &)> &Fn) {
  std::optional<Coverage> Cur;
  bool Bad = false, Stop = false;
  Status St = scanAll(S, Table::Coverage, "",
                      [&](std::string_view K, std::string_view V) {
                        if (K.size() < 9) {
                          Bad = true;
                          return false;
                        }
                        std::string Path(K.substr(0, K.size() - 9));
                        CoverageFact C;
                        if (!decodeCoverage(V, C)) {
                          Bad = true;
                          return false;
                        }
                        if (Cur && Cur->Path == Path) {
                          // Several configurations: keep the one that
                          // understood the most.
                          if (C.EntityLines > Cur->Lines.EntityLines)
                            Cur->Lines = C;
                          return true;
                        }
                        if (Cur && !Fn(*Cur)) {
                          Stop = true;
                          return false;
                        }
                        Cur = Coverage{std::move(Path), C};
                        return true;
                      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("coverage");
  if (Cur && !Stop)
    Fn(*Cur);
  return Status::ok();
}

Status GraphStore::forEachIgnoredFile(
    const std::function<bool(const IgnoredFile &)> &Fn) {
  return scanAll(S, Table::IgnoredFiles, "",
                 [&](std::string_view K, std::string_view V) {
                   return Fn(IgnoredFile{std::string(K), std::string(V)});
                 });
}

Status GraphStore::forEachDiagnostic(
    const std::function<bool(const Diagnostic &)> &Fn) {
  std::vector<TuRecord> Tus;
  if (Status St = readTuRecords(Tus, /*WithDiagnostics=*/true); !St.isOk())
    return St;
  std::vector<Diagnostic> All;
  for (const TuRecord &T : Tus)
    for (const DiagnosticFact &D : T.Diagnostics)
      All.push_back(
          Diagnostic{T.MainFile, D.File, D.Line, D.Column, D.Sev, D.Message});
  auto Key = [](const Diagnostic &D) {
    return std::tie(D.TranslationUnit, D.File, D.Line, D.Column, D.Sev,
                    D.Message);
  };
  std::sort(All.begin(), All.end(),
            [&](const Diagnostic &A, const Diagnostic &B) {
              return Key(A) < Key(B);
            });
  All.erase(std::unique(All.begin(), All.end(),
                        [&](const Diagnostic &A, const Diagnostic &B) {
                          return Key(A) == Key(B);
                        }),
            All.end());
  for (const Diagnostic &D : All)
    if (!Fn(D))
      break;
  return Status::ok();
}

Status GraphStore::forEachTranslationUnit(
    const std::function<bool(const TranslationUnitInfo &)> &Fn) {
  std::vector<TuRecord> Tus;
  if (Status St = readTuRecords(Tus, /*WithDiagnostics=*/true); !St.isOk())
    return St;
  std::vector<TranslationUnitInfo> All;
  for (const TuRecord &T : Tus)
    All.push_back(
        TranslationUnitInfo{T.MainFile, T.Status, T.FailureReason,
                            static_cast<uint32_t>(T.Diagnostics.size())});
  std::sort(All.begin(), All.end(), [](const auto &A, const auto &B) {
    return std::tie(A.MainFile, A.Status, A.FailureReason, A.Diagnostics) <
           std::tie(B.MainFile, B.Status, B.FailureReason, B.Diagnostics);
  });
  for (const TranslationUnitInfo &T : All)
    if (!Fn(T))
      break;
  return Status::ok();
}

} // namespace codeindex
