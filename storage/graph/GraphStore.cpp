//===- GraphStore.cpp - Graph facts in a key-value store ------------------===//

#include "codeindex/graph/GraphStore.h"

#include "codeindex/graph/FactCoding.h"

#include "codeindex/graph/Keys.h"
#include "codeindex/storage/Coding.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <set>
#include <thread>
#include <tuple>

namespace codeindex {

using namespace coding;
using namespace keys;
using storage::Table;
using storage::WriteBatch;

namespace {

constexpr uint8_t ValueFormat = 1;
constexpr std::string_view SchemaKey = "graph_schema";
// The bits of a site's flag byte.
constexpr uint8_t SiteVirtual = 1, SiteCandidate = 2;

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
  // A test case's name and framework follow, only for test cases (bit 2).
  if (F.IsTest) {
    putString(V, F.TestName);
    putString(V, F.TestFramework);
  }
  return V;
}

/// What `search` reads of an entity fact (the entity_names table): whether
/// the fact declares the entity in the project (the merge calls an entity
/// external when none does), its name and its qualified name. A few dozen
/// bytes, against a few hundred for the whole fact.
std::string encodeEntityName(const EntityFact &F) {
  std::string V;
  V.push_back(static_cast<char>(ValueFormat));
  V.push_back(static_cast<char>(!F.External && !F.Decls.empty() ? 1 : 0));
  putString(V, F.Name);
  putString(V, F.QualifiedName);
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
  if (!D.getFixed64(F.BodyHash))
    return false;
  if (F.IsTest && (!D.getString(F.TestName) || !D.getString(F.TestFramework)))
    return false;
  return D.done();
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
    V.push_back(static_cast<char>((S.Virtual ? SiteVirtual : 0) |
                                  (S.Candidate ? SiteCandidate : 0)));
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
    if (!D.getInt(S.Line) || !D.getInt(S.Column) || !D.getByte(SV) ||
        (SV & ~(SiteVirtual | SiteCandidate)))
      return false;
    S.Virtual = SV & SiteVirtual;
    S.Candidate = SV & SiteCandidate;
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
    appendUnit(V, U);
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

// Appends the deletion of TU Tu's diagnostics numbered From and above.
Status deleteDiagnosticsFrom(storage::Store &S, Id Tu, uint32_t From,
                             WriteBatch &B) {
  return scanAll(S, Table::Diagnostics, idKey(Tu),
                 [&](std::string_view K, std::string_view) {
                   if (K.size() != DiagnosticKeyBytes ||
                       getFixed32BE(K.substr(IdBytes)) >= From)
                     B.del(Table::Diagnostics, K);
                   return true;
                 });
}

// Coverage is about files the index understood, not skipped headers.
bool writesCoverage(const FileFact &F) {
  return F.Status == FileStatus::Indexed && F.Role != FileRole::System;
}

} // namespace

// ---- facts outside the store (FactCoding.h) ---------------------------------

namespace facts {

void putUnitFacts(std::string &Out, const UnitFacts &U) {
  appendUnit(Out, U.Key);
  putString(Out, encodeFile(U.Key.File, U.File));
  putString(Out, encodeCoverage(U.File.Coverage));
  putString(Out, encodeReasons(U.File.TestReasons));
  putVarint(Out, U.Entities.size());
  for (const EntityFact &E : U.Entities) {
    putFixed64BE(Out, E.ID);
    putString(Out, encodeEntity(E));
  }
  putVarint(Out, U.Edges.size());
  for (const EdgeFact &E : U.Edges) {
    Out.push_back(static_cast<char>(E.Kind));
    putFixed64BE(Out, E.From);
    putFixed64BE(Out, E.To);
    putString(Out, encodeEdge(E));
  }
}

bool getUnitFacts(Decoder &D, UnitFacts &U) {
  std::string_view V;
  FileInfo F;
  uint64_t N;
  if (!D.getFixed64(U.Key.File) || !D.getFixed64(U.Key.Variant) ||
      !D.getStringView(V) || !decodeFile(V, F) || F.ID != U.Key.File ||
      !D.getStringView(V) || !decodeCoverage(V, U.File.Coverage) ||
      !D.getStringView(V) || !decodeReasons(V, U.File.TestReasons) ||
      !D.getVarint(N) || N > D.rest().size())
    return false;
  U.File.Path = std::move(F.Path);
  U.File.Lang = F.Lang;
  U.File.Role = F.Role;
  U.File.ContentHash = F.Hash;
  U.File.Lines = F.Lines;
  U.File.Status = F.Status;
  U.Entities.resize(N);
  for (EntityFact &E : U.Entities) {
    Id I;
    if (!D.getFixed64(I) || !D.getStringView(V) || !decodeEntity(V, I, E))
      return false;
  }
  if (!D.getVarint(N) || N > D.rest().size())
    return false;
  U.Edges.resize(N);
  for (EdgeFact &E : U.Edges)
    if (!getEnum(D, E.Kind, NumEdgeKinds) || !D.getFixed64(E.From) ||
        !D.getFixed64(E.To) || !D.getStringView(V) || !decodeEdge(V, E))
      return false;
  return true;
}

void putTuRecord(std::string &Out, const TuRecord &T) {
  putFixed64BE(Out, T.Key);
  putString(Out, encodeTuRecord(T));
  putVarint(Out, T.Diagnostics.size());
  for (const DiagnosticFact &F : T.Diagnostics)
    putString(Out, encodeDiagnostic(F));
}

bool getTuRecord(Decoder &D, TuRecord &T) {
  std::string_view V;
  Id Key;
  uint64_t N;
  if (!D.getFixed64(Key) || !D.getStringView(V) || !decodeTuRecord(V, Key, T) ||
      !D.getVarint(N) || N > D.rest().size())
    return false;
  T.Diagnostics.resize(N);
  for (DiagnosticFact &F : T.Diagnostics)
    if (!D.getStringView(V) || !decodeDiagnostic(V, F))
      return false;
  return true;
}

} // namespace facts

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
  return encodeReplaceUnit(U, nullptr, B);
}

Status GraphStore::encodeReplaceUnit(const UnitKey &U, const UnitFacts *New,
                                     WriteBatch &B) {
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
  // Keys New puts again are overwritten by the put: deleting them first
  // would write each of them twice.
  std::set<Id> NewIds;
  std::set<std::string> NewNames;
  std::set<std::tuple<EdgeKind, Id, Id>> NewEdges;
  if (New) {
    for (const EntityFact &E : New->Entities) {
      NewIds.insert(E.ID);
      NewNames.insert(nameKey(E.Name, E.ID, U));
    }
    for (const EdgeFact &E : New->Edges)
      NewEdges.emplace(E.Kind, E.From, E.To);
  }
  for (const auto &[I, Name] : M.Entities) {
    if (!NewIds.count(I)) {
      std::string EK = entityKey(I, U);
      B.del(Table::Entities, EK);
      B.del(Table::EntityNames, EK);
    }
    std::string NK = nameKey(Name, I, U);
    if (!NewNames.count(NK))
      B.del(Table::Names, NK);
  }
  for (const auto &[K, From, To] : M.Edges)
    if (!NewEdges.count({K, From, To})) {
      B.del(Table::OutEdges, edgeKey(K, From, To, U));
      B.del(Table::InEdges, edgeKey(K, To, From, U));
    }
  bool SamePath = New && New->File.Path == M.Path;
  std::string PK = pathKey(M.Path, U.Variant);
  if (!SamePath)
    B.del(Table::Files, PK);
  if (!SamePath || !writesCoverage(New->File))
    B.del(Table::Coverage, PK);
  if (M.HasTestReasons && (!SamePath || New->File.TestReasons.empty()))
    B.del(Table::TestFiles, PK);
  if (!New)
    B.del(Table::Units, UK);
  return Status::ok();
}

Status GraphStore::encodeTu(const TuRecord &Tu,
                            const std::vector<UnitFacts> &Units,
                            WriteBatch &B) {
  for (const UnitFacts &U : Units) {
    if (Status St = encodeReplaceUnit(U.Key, &U, B); !St.isOk())
      return St;
    for (const EntityFact &E : U.Entities) {
      std::string EK = entityKey(E.ID, U.Key);
      B.put(Table::Entities, EK, encodeEntity(E));
      B.put(Table::EntityNames, EK, encodeEntityName(E));
      B.put(Table::Names, nameKey(E.Name, E.ID, U.Key), "");
    }
    for (const EdgeFact &E : U.Edges) {
      B.put(Table::OutEdges, edgeKey(E.Kind, E.From, E.To, U.Key),
            encodeEdge(E));
      B.put(Table::InEdges, edgeKey(E.Kind, E.To, E.From, U.Key), "");
    }
    std::string PK = pathKey(U.File.Path, U.Key.Variant);
    B.put(Table::Files, PK, encodeFile(U.Key.File, U.File));
    if (writesCoverage(U.File))
      B.put(Table::Coverage, PK, encodeCoverage(U.File.Coverage));
    if (!U.File.TestReasons.empty())
      B.put(Table::TestFiles, PK, encodeReasons(U.File.TestReasons));
    B.put(Table::Units, unitKey(U.Key), encodeManifest(U));
  }
  // Replace the TU's record and diagnostics: delete only the old
  // diagnostics the new ones do not overwrite.
  std::string TK = idKey(Tu.Key);
  if (!AssumeEmpty)
    if (Status St = deleteDiagnosticsFrom(
            S, Tu.Key, static_cast<uint32_t>(Tu.Diagnostics.size()), B);
        !St.isOk())
      return St;
  B.put(Table::TuState, TK, encodeTuRecord(Tu));
  uint32_t Seq = 0;
  for (const DiagnosticFact &D : Tu.Diagnostics)
    B.put(Table::Diagnostics, diagnosticKey(Tu.Key, Seq++),
          encodeDiagnostic(D));
  return Status::ok();
}

Status GraphStore::encodeRemoveTu(Id TuKey, WriteBatch &B) {
  if (Status St = deleteDiagnosticsFrom(S, TuKey, 0, B); !St.isOk())
    return St;
  B.del(Table::TuState, idKey(TuKey));
  return Status::ok();
}

Status GraphStore::encodeIgnoredFiles(const std::vector<IgnoredFile> &Files,
                                      WriteBatch &B) {
  // Entries already stored as they are are not written again.
  std::map<std::string_view, std::string_view> Want;
  for (const IgnoredFile &F : Files)
    Want[F.Path] = F.Reason;
  Status St = scanAll(S, Table::IgnoredFiles, "",
                      [&](std::string_view K, std::string_view V) {
                        auto It = Want.find(K);
                        if (It == Want.end())
                          B.del(Table::IgnoredFiles, K);
                        else if (It->second == V)
                          Want.erase(It);
                        return true;
                      });
  if (!St.isOk())
    return St;
  for (const auto &[Path, Reason] : Want)
    B.put(Table::IgnoredFiles, Path, Reason);
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
  Status St = scanAll(S, Table::TuState, "",
                      [&](std::string_view K, std::string_view V) {
                        TuRecord T;
                        Id Key;
                        if (!parseIdKey(K, Key) || !decodeTuRecord(V, Key, T)) {
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
                   UnitKey U;
                   if (parseUnitKey(K, U))
                     Out.push_back(U);
                   return true;
                 });
}

Status GraphStore::loadUnitPaths() {
  {
    std::lock_guard<std::mutex> L(CacheMutex);
    if (UnitPathsLoaded)
      return Status::ok();
  }
  std::map<UnitKey, std::string> Paths;
  bool Bad = false;
  Status St =
      scanAll(S, Table::Units, "", [&](std::string_view K, std::string_view V) {
        UnitManifest M;
        UnitKey U;
        if (!parseUnitKey(K, U) || !decodeManifest(V, M)) {
          Bad = true;
          return false;
        }
        Paths[U] = std::move(M.Path);
        return true;
      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("unit");
  std::lock_guard<std::mutex> L(CacheMutex);
  UnitPaths = std::move(Paths);
  UnitPathsLoaded = true;
  return Status::ok();
}

Status GraphStore::unitPath(const UnitKey &U, std::string &Out) {
  {
    std::lock_guard<std::mutex> L(CacheMutex);
    auto It = UnitPaths.find(U);
    if (It != UnitPaths.end()) {
      Out = It->second;
      return Status::ok();
    }
    if (UnitPathsLoaded)
      return Status::notFound("unit");
  }
  // One point read, outside the lock (other readers proceed meanwhile).
  std::string V;
  if (Status St = S.get(Table::Units, unitKey(U), &V); !St.isOk())
    return St.isNotFound() ? Status::notFound("unit") : St;
  UnitManifest M;
  if (!decodeManifest(V, M))
    return corrupt("unit");
  Out = M.Path;
  std::lock_guard<std::mutex> L(CacheMutex);
  UnitPaths.emplace(U, std::move(M.Path));
  return Status::ok();
}

std::vector<std::string> GraphStore::collisions() const {
  std::lock_guard<std::mutex> L(CacheMutex);
  return Collisions;
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
      std::string C = formatId(I) + ": " + First->Usr + " vs " + F.Usr;
      std::lock_guard<std::mutex> L(CacheMutex);
      // Point lookups may merge one entity many times: report it once.
      if (std::find(Collisions.begin(), Collisions.end(), C) ==
          Collisions.end())
        Collisions.push_back(std::move(C));
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
  // A test case is recognised where its registration is (the file of its
  // definition), which need not be the primary declaration's unit.
  for (auto &[U, F] : Facts)
    if (F.IsTest && !Out.IsTest) {
      Out.IsTest = true;
      Out.TestName = F.TestName;
      Out.TestFramework = F.TestFramework;
    }
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
                        Id I;
                        UnitKey U;
                        if (!parseEntityKey(K, I, U)) {
                          Bad = true;
                          return false;
                        }
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
                        Group.emplace_back(U, std::move(F));
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

namespace {
/// An entity_names value (encodeEntityName), as views into it.
struct NameFields {
  std::string_view Name, QualifiedName;
  bool Declares = false;
};

bool decodeNameFields(std::string_view In, NameFields &F) {
  Decoder D(In);
  uint8_t Bits;
  if (!getFormat(D) || !D.getByte(Bits) || Bits > 1 ||
      !D.getStringView(F.Name) || !D.getStringView(F.QualifiedName) ||
      !D.rest().empty())
    return false;
  F.Declares = Bits & 1;
  return true;
}

/// One entity_names record: the entity's id from the key (id · unit), the
/// fields from the value.
bool decodeNameRecord(std::string_view K, std::string_view V, Id &I,
                      NameFields &F) {
  UnitKey U;
  return parseEntityKey(K, I, U) && decodeNameFields(V, F);
}
} // namespace

Status GraphStore::forEachEntityName(const EntityNameFn &Fn, unsigned Shards) {
  // Facts are keyed id · unit and ids are hashes, so the table splits into
  // shares of about equal size by the first byte of the key
  // (Store::scanShare), and every fact of one entity is in one share.
  Shards = std::clamp(Shards, 1u, 256u);
  std::atomic<bool> Stop = false;
  std::vector<Status> Result(Shards);
  auto Run = [&](unsigned Shard) {
    Result[Shard] = scanEntityNames(Shard, Shards, Fn, Stop);
  };
  std::vector<std::thread> Threads;
  for (unsigned Shard = 1; Shard < Shards; ++Shard)
    Threads.emplace_back(Run, Shard);
  Run(0);
  for (std::thread &T : Threads)
    T.join();
  for (Status &St : Result)
    if (!St.isOk())
      return St;
  return Status::ok();
}

Status GraphStore::scanEntityNames(unsigned Shard, unsigned Shards,
                                   const EntityNameFn &Fn,
                                   std::atomic<bool> &Stop) {
  // mergeEntityGroup takes the name from one fact (a definition's, else a
  // declaration's, else the first external one's) and calls the entity
  // external when no non-external fact has a declaration. When every fact
  // of an id has the same name and qualified name, which fact it takes does
  // not matter: only the external bit needs the other facts.
  Id Cur = 0;
  bool Have = false, Mixed = false, Bad = false;
  std::string Name, QName;
  bool Declared = false;
  std::vector<Id> Full;
  auto Call = [&](Id I, std::string_view N, std::string_view QN, bool Ext) {
    if (Stop.load(std::memory_order_relaxed))
      return false;
    if (Fn(Shard, I, N, QN, Ext))
      return true;
    Stop = true;
    return false;
  };
  auto Flush = [&]() {
    if (!Have)
      return true;
    Have = false;
    if (Mixed) {
      Full.push_back(Cur);
      return true;
    }
    return Call(Cur, Name, QName, !Declared);
  };
  auto Visit = [&](std::string_view K, std::string_view V) {
    Id I;
    NameFields F;
    if (!decodeNameRecord(K, V, I, F)) {
      Bad = true;
      return false;
    }
    if (!Have || I != Cur) {
      if (!Flush())
        return false;
      Cur = I;
      Have = true;
      Mixed = false;
      Declared = false;
      Name.assign(F.Name);
      QName.assign(F.QualifiedName);
    } else if (F.Name != Name || F.QualifiedName != QName) {
      Mixed = true;
    }
    Declared |= F.Declares;
    return true;
  };
  // One scan for the whole table (an engine may read it faster than a
  // share), else the share.
  {
    auto It = Shards == 1 ? S.scan(Table::EntityNames, "")
                          : S.scanShare(Table::EntityNames, Shard, Shards);
    for (; It->valid(); It->next())
      if (!Visit(It->key(), It->value()))
        break;
    if (Status St = It->status(); !St.isOk())
      return St;
  }
  if (Bad)
    return corrupt("entity name");
  if (Stop)
    return Status::ok();
  if (!Flush())
    return Status::ok();
  for (Id I : Full) {
    Entity E;
    if (Status St = getEntity(I, E); !St.isOk())
      return St;
    if (!Call(I, E.Name, E.QualifiedName, E.External))
      break;
  }
  return Status::ok();
}

Status GraphStore::getEntity(Id I, Entity &Out) {
  std::vector<std::pair<UnitKey, EntityFact>> Group;
  bool Bad = false;
  Status St =
      scanAll(S, Table::Entities, idKey(I),
              [&](std::string_view K, std::string_view V) {
                EntityFact F;
                Id KeyId;
                UnitKey U;
                if (!parseEntityKey(K, KeyId, U) || !decodeEntity(V, I, F)) {
                  Bad = true;
                  return false;
                }
                Group.emplace_back(U, std::move(F));
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
    Out.Sites.push_back(
        Site{Path, SF.Line, SF.Column, SF.Virtual, SF.Candidate});
}

void finishEdge(Edge &E) {
  std::sort(E.Sites.begin(), E.Sites.end());
  E.Sites.erase(std::unique(E.Sites.begin(), E.Sites.end()), E.Sites.end());
}
} // namespace

Status GraphStore::forEachEdge(const std::function<bool(const Edge &)> &Fn,
                               std::optional<EdgeKind> Kind) {
  // A whole-graph scan: one scan of `units` is cheaper than a lookup per
  // unit.
  if (Status St = loadUnitPaths(); !St.isOk())
    return St;
  std::optional<Edge> Cur;
  std::string CurPrefix;
  std::string Path;
  bool Bad = false, Stop = false;
  // A kind is the first byte of the key.
  std::string KindPrefix;
  if (Kind)
    KindPrefix.push_back(static_cast<char>(*Kind));
  Status St = scanAll(
      S, Table::OutEdges, KindPrefix,
      [&](std::string_view K, std::string_view V) {
        EdgeKind Kind;
        Id From, To;
        UnitKey U;
        EdgeFact F;
        if (!parseEdgeKey(K, Kind, From, To, U) || !decodeEdge(V, F)) {
          Bad = true;
          return false;
        }
        std::string_view Prefix = K.substr(0, EdgePairBytes);
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
          Cur->Kind = Kind;
          Cur->From = From;
          Cur->To = To;
          CurPrefix.assign(Prefix);
        }
        if (!unitPath(U, Path).isOk())
          Path.clear(); // a unit without a manifest: sites without a file
        mergeEdgeFact(*Cur, F, Path, !Same);
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

Status GraphStore::edgesByPrefix(EdgeKind K, Id From, std::string_view Prefix,
                                 std::vector<Edge> &Out) {
  size_t Begin = Out.size();
  std::string Path;
  Status PathSt;
  bool Bad = false;
  Status St =
      scanAll(S, Table::OutEdges, Prefix,
              [&](std::string_view Key, std::string_view V) {
                EdgeKind Kind;
                Id A, To;
                UnitKey U;
                EdgeFact F;
                if (!parseEdgeKey(Key, Kind, A, To, U) || !decodeEdge(V, F)) {
                  Bad = true;
                  return false;
                }
                bool First = Out.size() == Begin || Out.back().To != To;
                if (First) {
                  Out.emplace_back();
                  Out.back().Kind = K;
                  Out.back().From = From;
                  Out.back().To = To;
                }
                if (Status P = unitPath(U, Path); !P.isOk()) {
                  if (!P.isNotFound()) {
                    PathSt = P;
                    return false;
                  }
                  Path.clear();
                }
                mergeEdgeFact(Out.back(), F, Path, First);
                return true;
              });
  if (!St.isOk())
    return St;
  if (!PathSt.isOk())
    return PathSt;
  if (Bad)
    return corrupt("edge");
  for (size_t I = Begin; I < Out.size(); ++I)
    finishEdge(Out[I]);
  return Status::ok();
}

Status GraphStore::outEdges(EdgeKind K, Id From, std::vector<Edge> &Out) {
  return edgesByPrefix(K, From, edgeEndpointPrefix(K, From), Out);
}

Status GraphStore::inEdges(EdgeKind K, Id To, std::vector<Edge> &Out) {
  std::vector<Id> Froms;
  bool Bad = false;
  Status St = scanAll(S, Table::InEdges, edgeEndpointPrefix(K, To),
                      [&](std::string_view Key, std::string_view) {
                        EdgeKind Kind;
                        Id B, F;
                        UnitKey U;
                        if (!parseEdgeKey(Key, Kind, B, F, U)) {
                          Bad = true;
                          return false;
                        }
                        if (Froms.empty() || Froms.back() != F)
                          Froms.push_back(F);
                        return true;
                      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("edge index");
  // Each edge's facts (sites, attributes) are in out_edges. An edge that
  // is gone there was removed by an update between the two scans (each
  // scan is its own snapshot): it is skipped, as a later read would.
  for (Id From : Froms)
    if (Status St2 = edgesByPrefix(K, From, edgePairPrefix(K, From, To), Out);
        !St2.isOk())
      return St2;
  return Status::ok();
}

Status GraphStore::outEdges(Id From, std::vector<Edge> &Out) {
  for (int K = 0; K < NumEdgeKinds; ++K)
    if (Status St = outEdges(static_cast<EdgeKind>(K), From, Out); !St.isOk())
      return St;
  return Status::ok();
}

Status GraphStore::inEdges(Id To, std::vector<Edge> &Out) {
  for (int K = 0; K < NumEdgeKinds; ++K)
    if (Status St = inEdges(static_cast<EdgeKind>(K), To, Out); !St.isOk())
      return St;
  return Status::ok();
}

namespace {
// Collects the ids of names keys under Prefix; Exact: the key's name part
// must equal Prefix's name (Prefix then ends with \0).
Status idsByName(storage::Store &S, std::string_view Prefix, size_t Limit,
                 std::vector<Id> &Out) {
  std::set<Id> Seen;
  bool Bad = false;
  Status St = scanAll(S, Table::Names, Prefix,
                      [&](std::string_view K, std::string_view) {
                        std::string_view Name;
                        Id I;
                        UnitKey U;
                        if (!parseNameKey(K, Name, I, U)) {
                          Bad = true;
                          return false;
                        }
                        Seen.insert(I);
                        return Seen.size() < Limit;
                      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("name index");
  Out.insert(Out.end(), Seen.begin(), Seen.end());
  return Status::ok();
}

} // namespace

std::string_view GraphStore::lastComponent(std::string_view Q) {
  int Depth = 0;
  size_t Start = 0;
  for (size_t I = 0; I < Q.size(); ++I) {
    char C = Q[I];
    if (C == '<' || C == '(')
      ++Depth;
    else if ((C == '>' || C == ')') && Depth > 0)
      --Depth;
    else if (C == ':' && Depth == 0 && I + 1 < Q.size() && Q[I + 1] == ':') {
      Start = I + 2;
      ++I;
    }
  }
  return Q.substr(Start);
}

Status GraphStore::findByNamePrefix(std::string_view Prefix,
                                    std::vector<Id> &Out, size_t Limit) {
  if (Limit == 0)
    return Status::ok();
  return idsByName(S, namePrefix(Prefix), Limit, Out);
}

Status GraphStore::findByName(std::string_view Name, std::vector<Id> &Out) {
  std::vector<Id> Candidates;
  if (Status St = idsByName(S, exactNamePrefix(Name), SIZE_MAX, Candidates);
      !St.isOk())
    return St;
  if (Name.size() < MaxNameKeyBytes) {
    Out.insert(Out.end(), Candidates.begin(), Candidates.end());
    return Status::ok();
  }
  // A truncated key: compare the full names.
  std::string Want = lowerName(Name);
  for (Id I : Candidates) {
    Entity E;
    if (Status St = getEntity(I, E); !St.isOk())
      return St.isNotFound() ? corrupt("name index") : St;
    if (lowerName(E.Name) == Want)
      Out.push_back(I);
  }
  return Status::ok();
}

Status GraphStore::qualifiedNameOf(Id I, std::string &Out) {
  // The entity_names facts of I (a few dozen bytes each), not its entity
  // facts: when they agree, the merge takes that name whichever fact it
  // picks; when they disagree, the merge decides.
  bool Have = false, Mixed = false, Bad = false;
  Status St = scanAll(S, Table::EntityNames, idKey(I),
                      [&](std::string_view K, std::string_view V) {
                        Id Got;
                        NameFields F;
                        if (!decodeNameRecord(K, V, Got, F)) {
                          Bad = true;
                          return false;
                        }
                        if (!Have)
                          Out.assign(F.QualifiedName);
                        else if (Out != F.QualifiedName)
                          Mixed = true;
                        Have = true;
                        return !Mixed;
                      });
  if (!St.isOk())
    return St;
  if (Bad)
    return corrupt("entity name");
  if (!Have)
    return Status::notFound("no entity " + formatId(I));
  if (!Mixed)
    return Status::ok();
  Entity E;
  if (Status St = getEntity(I, E); !St.isOk())
    return St;
  Out = std::move(E.QualifiedName);
  return Status::ok();
}

Status GraphStore::namedIds(std::string_view Name, std::vector<NamedId> &Out) {
  std::vector<Id> Candidates;
  if (Status St = idsByName(S, exactNamePrefix(Name), SIZE_MAX, Candidates);
      !St.isOk())
    return St;
  for (Id I : Candidates) {
    std::string QN;
    Status St = qualifiedNameOf(I, QN);
    if (!St.isOk() && !St.isNotFound())
      return St;
    Out.push_back({I, std::move(QN), St.isNotFound()});
  }
  return Status::ok();
}

Status GraphStore::findByQualifiedName(std::string_view QualifiedName,
                                       std::vector<Id> &Out) {
  std::string_view Last = lastComponent(QualifiedName);
  std::vector<Id> Candidates;
  if (Status St = idsByName(S, exactNamePrefix(Last), SIZE_MAX, Candidates);
      !St.isOk())
    return St;
  std::string QN;
  for (Id I : Candidates) {
    if (Status St = qualifiedNameOf(I, QN); !St.isOk())
      return St.isNotFound() ? corrupt("name index") : St;
    if (QN == QualifiedName)
      Out.push_back(I);
  }
  return Status::ok();
}

namespace {

/// Calls Fn with each variant's file record of Path, in key order; a record
/// that does not decode is Corruption.
Status forEachFileVariant(
    storage::Store &S, std::string_view Path,
    const std::function<void(uint64_t Variant, FileInfo &F)> &Fn) {
  bool Bad = false;
  Status St = scanAll(S, Table::Files, pathPrefix(Path),
                      [&](std::string_view K, std::string_view V) {
                        std::string_view P;
                        uint64_t Variant;
                        FileInfo F;
                        if (!parsePathKey(K, P, Variant) || !decodeFile(V, F)) {
                          Bad = true;
                          return false;
                        }
                        Fn(Variant, F);
                        return true;
                      });
  if (!St.isOk())
    return St;
  return Bad ? corrupt("file") : Status::ok();
}

} // namespace

Status GraphStore::getFile(std::string_view Path, FileInfo &Out) {
  bool Found = false;
  Status St = forEachFileVariant(S, Path, [&](uint64_t, FileInfo &F) {
    // Merged as forEachFile() merges variants.
    if (!Found)
      Out = std::move(F);
    else if (F.Status == FileStatus::Indexed)
      Out.Status = FileStatus::Indexed;
    Found = true;
  });
  if (!St.isOk())
    return St;
  if (!Found)
    return Status::notFound("no file '" + std::string(Path) + "' in the index");
  return Status::ok();
}

Status GraphStore::entitiesInFile(std::string_view Path, std::vector<Id> &Out) {
  // The file's units: one per variant, found through the files table.
  std::vector<UnitKey> Units;
  Status St = forEachFileVariant(S, Path, [&](uint64_t Variant, FileInfo &F) {
    Units.push_back(UnitKey{F.ID, Variant});
  });
  if (!St.isOk())
    return St;
  if (Units.empty())
    return Status::notFound("no file '" + std::string(Path) + "' in the index");
  std::set<Id> Ids;
  for (const UnitKey &U : Units) {
    std::string V;
    St = S.get(Table::Units, unitKey(U), &V);
    if (St.isNotFound())
      continue; // a file record without a manifest: nothing declared
    if (!St.isOk())
      return St;
    UnitManifest M;
    if (!decodeManifest(V, M))
      return corrupt("unit");
    for (const auto &[I, Name] : M.Entities) {
      if (Ids.count(I))
        continue;
      // The unit lists externals it references too: keep the entities
      // with a declaration in this file.
      std::string EV;
      St = S.get(Table::Entities, entityKey(I, U), &EV);
      if (!St.isOk())
        return St.isNotFound() ? corrupt("unit") : St;
      EntityFact F;
      if (!decodeEntity(EV, I, F))
        return corrupt("entity");
      if (!F.External && !F.Decls.empty())
        Ids.insert(I);
    }
  }
  Out.insert(Out.end(), Ids.begin(), Ids.end());
  return Status::ok();
}

Status
GraphStore::forEachTestFile(const std::function<bool(const TestFile &)> &Fn) {
  std::optional<TestFile> Cur;
  bool Bad = false, Stop = false;
  Status St = scanAll(
      S, Table::TestFiles, "", [&](std::string_view K, std::string_view V) {
        std::string_view P;
        uint64_t Variant;
        std::vector<std::string> Reasons;
        if (!parsePathKey(K, P, Variant) || !decodeReasons(V, Reasons)) {
          Bad = true;
          return false;
        }
        std::string Path(P);
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
  Status St = scanAll(
      S, Table::Coverage, "", [&](std::string_view K, std::string_view V) {
        std::string_view P;
        uint64_t Variant;
        CoverageFact C;
        if (!parsePathKey(K, P, Variant) || !decodeCoverage(V, C)) {
          Bad = true;
          return false;
        }
        std::string Path(P);
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
