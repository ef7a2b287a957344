//===- StoreReader.cpp - The read model over an index, by key -------------===//

#include "query/StoreReader.h"
#include "query/QueryError.h"

#include "codeindex/graph/GraphJson.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include "codeindex/graph/Keys.h"

#include <algorithm>

using namespace llvm;

namespace codeindex {

bool StoreReader::check(const Status &St) const {
  if (St.isOk())
    return true;
  if (!Failure)
    Failure = St.message();
  return false;
}

Error StoreReader::takeError() const {
  if (!Failure)
    return Error::success();
  std::string Msg = "reading the index failed: " + *Failure;
  Failure.reset();
  return indexError(Msg);
}

std::string StoreReader::projectRoot() const {
  std::string V;
  if (!GS.getMeta(meta::Project, &V).isOk())
    return {};
  nlohmann::json J =
      nlohmann::json::parse(V, nullptr, /*allow_exceptions=*/false);
  if (J.is_object() && J.contains("root") && J["root"].is_string())
    return J["root"].get<std::string>();
  return {};
}

bool StoreReader::loadFiles() const {
  if (FilesLoaded)
    return true;
  FilesLoaded = true;
  return check(GS.forEachFile([&](const FileInfo &F) {
    FileIdx[F.ID] = Files.size();
    PathIdx[F.Path] = Files.size();
    Files.push_back(F);
    return true;
  }));
}

bool StoreReader::hasEntity(Id I) const {
  if (KnownLoaded)
    return std::binary_search(EntityIds.begin(), EntityIds.end(), I);
  auto [It, New] = HasEntity.try_emplace(I, false);
  if (!New)
    return It->second;
  // An entity exists when a unit has a record for it (getEntity merges
  // them): one key read, nothing decoded.
  std::unique_ptr<storage::Iterator> Facts =
      GS.store().scan(storage::Table::Entities, keys::idKey(I));
  if (!check(Facts->status()))
    return false;
  return It->second = Facts->valid();
}

const std::vector<GraphStore::NamedId> *
StoreReader::namedIds(StringRef Name) const {
  std::string Key =
      keys::exactNamePrefix(std::string_view(Name.data(), Name.size()));
  auto [It, New] = NamedIds.try_emplace(Key);
  if (New && !check(GS.namedIds(std::string_view(Name.data(), Name.size()),
                                It->second))) {
    NamedIds.erase(It);
    return nullptr;
  }
  return &It->second;
}

const FileInfo *StoreReader::fileNamed(StringRef Path) const {
  if (FilesLoaded) {
    auto It = PathIdx.find(Path);
    return It == PathIdx.end() ? nullptr : &Files[It->second];
  }
  auto [It, New] = FileByPath.try_emplace(Path, nullptr);
  if (!New)
    return It->second;
  FileInfo F;
  Status St = GS.getFile(std::string_view(Path.data(), Path.size()), F);
  if (St.isNotFound() || !check(St))
    return nullptr;
  const FileInfo *Kept = &KeptFiles.emplace_back(std::move(F));
  FileById[Kept->ID] = Kept;
  return It->second = Kept;
}

const FileInfo *StoreReader::file(Id I) const {
  if (FilesLoaded) {
    auto It = FileIdx.find(I);
    return It == FileIdx.end() ? nullptr : &Files[It->second];
  }
  if (auto It = FileById.find(I); It != FileById.end())
    return It->second;
  // A file's units are keyed by its id, and their manifest names the path,
  // which keys the files table: two point reads, not the table.
  std::string Path;
  Status St = Status::notFound("no unit");
  {
    std::unique_ptr<storage::Iterator> Units =
        GS.store().scan(storage::Table::Units, keys::idKey(I));
    UnitKey U;
    if (Units->valid() && keys::parseUnitKey(Units->key(), U))
      St = GS.unitPath(U, Path);
    else if (!Units->status().isOk())
      St = Units->status();
  }
  if (St.isNotFound()) {
    // No unit of that id: not a file with facts of its own, or no file at
    // all (an edge to an entity no unit declares). Only the whole files
    // table can tell; it is small (one record per file and variant).
    if (!loadFiles())
      return nullptr;
    auto It = FileIdx.find(I);
    return It == FileIdx.end() ? nullptr : &Files[It->second];
  }
  if (!check(St))
    return nullptr;
  const FileInfo *F = fileNamed(Path);
  if (!F || F->ID != I) {
    FileById[I] = nullptr;
    return nullptr;
  }
  return F;
}

bool StoreReader::exists(Id I) const {
  if (KnownLoaded)
    return std::binary_search(Known.begin(), Known.end(), I);
  // Entities first: a file is looked up only when an edge ends at
  // something that is not an entity (include edges).
  return hasEntity(I) || file(I);
}

void StoreReader::lookup(Id I, function_ref<void(const Entity &)> Fn) const {
  // Not kept: GraphView keeps what a command asks for, and a second copy
  // here doubled the memory of a hub's callers.
  Entity E;
  Status St = GS.getEntity(I, E);
  if (St.isNotFound() || !check(St))
    return;
  HasEntity[I] = true;
  Fn(E);
}

void StoreReader::lookupFile(Id I,
                             function_ref<void(const FileInfo &)> Fn) const {
  if (const FileInfo *F = file(I))
    Fn(*F);
}

void StoreReader::fileByPath(StringRef Path,
                             function_ref<void(const FileInfo &)> Fn) const {
  if (const FileInfo *F = fileNamed(Path))
    Fn(*F);
}

void StoreReader::edges(EdgeKind K, Id Node, Direction D,
                        function_ref<void(const Edge &)> Fn) const {
  std::vector<Edge> Found;
  if (!check(D == Direction::Out ? GS.outEdges(K, Node, Found)
                                 : GS.inEdges(K, Node, Found)))
    return;
  // A hub's edges: one scan of the entities table's keys rather than a key
  // read per other end.
  if (!KnownLoaded && HasEntity.size() + Found.size() >= LoadKnownAfter)
    loadKnown();
  for (const Edge &E : Found)
    if (exists(D == Direction::Out ? E.To : E.From) && exists(Node))
      Fn(E);
}

size_t StoreReader::countEdges(EdgeKind K, Id Node, Direction D,
                               size_t Limit) const {
  // One key per (edge, unit), the other end in the key: count the distinct
  // ends without reading a value (in_edges has none).
  std::unique_ptr<storage::Iterator> It = GS.store().scan(
      D == Direction::In ? storage::Table::InEdges : storage::Table::OutEdges,
      keys::edgeEndpointPrefix(K, Node));
  size_t N = 0;
  std::optional<Id> Last;
  for (; It->valid() && N < Limit; It->next()) {
    EdgeKind Kind;
    Id A, B;
    UnitKey U;
    if (!keys::parseEdgeKey(It->key(), Kind, A, B, U)) {
      check(Status::corruption("an edge key of the wrong shape; the index is "
                               "damaged: rebuild it with `code-indexer "
                               "extract --full`"));
      return N;
    }
    if (Last != B) {
      Last = B;
      ++N;
    }
  }
  check(It->status());
  return N;
}

void StoreReader::findByName(StringRef Text, NameMatch M, size_t Limit,
                             function_ref<void(Id)> Fn) const {
  // Names are keyed lower(name) \0 id | unit: an exact name is the prefix
  // "name\0".
  std::string Prefix = Text.lower();
  if (M == NameMatch::Exact)
    Prefix.push_back('\0');
  std::vector<Id> Ids;
  if (!check(GS.findByNamePrefix(Prefix, Ids)))
    return;
  size_t N = 0;
  for (Id I : Ids) {
    // The names index may hold ids the merged graph has no entity for.
    if (!hasEntity(I))
      continue;
    if (Limit && N++ == Limit)
      break;
    Fn(I);
  }
}

namespace {

/// The short name a qualified name ends with: "area" for
/// "geo::Circle::area", "Box" for "ns::Box<a::B>" ("::" inside template
/// arguments does not count; an operator's name is kept whole).
StringRef shortName(StringRef QN) {
  size_t Start = 0;
  int Depth = 0;
  for (size_t I = 0; I < QN.size(); ++I) {
    if (QN.substr(I).starts_with("operator"))
      break;
    if (QN[I] == '<')
      ++Depth;
    else if (QN[I] == '>' && Depth)
      --Depth;
    else if (!Depth && QN.substr(I).starts_with("::"))
      Start = I + 2;
  }
  StringRef Name = QN.substr(Start);
  if (!Name.starts_with("operator"))
    Name = Name.take_until([](char C) { return C == '<'; });
  return Name;
}

} // namespace

void StoreReader::findByQualifiedName(StringRef QualifiedName,
                                      function_ref<void(Id)> Fn) const {
  // The store's own resolution (GraphStore::findByQualifiedName) looks the
  // last component up in the names index ("Box<a::B>" for "ns::Box<a::B>")
  // and compares qualified names. The candidates of a component are kept:
  // a walk asks for the qualified name of every node it prints (is it
  // overloaded?), and thousands of methods share a name like "area", so
  // reading the candidates again for each cost a walk quadratic time.
  std::string_view QN(QualifiedName.data(), QualifiedName.size());
  std::string_view Last = GraphStore::lastComponent(QN);
  std::vector<Id> Candidates;
  const auto *Named = namedIds(StringRef(Last.data(), Last.size()));
  if (!Named)
    return;
  for (const GraphStore::NamedId &N : *Named) {
    if (N.Missing) {
      check(Status::corruption(
          "the name index lists " + formatId(N.ID) +
          ", which has no entity record; the index is damaged: rebuild it "
          "with `code-indexer extract --full`"));
      return;
    }
    if (N.QualifiedName == QN)
      Candidates.push_back(N.ID);
  }
  // A template's entity may be named without its arguments ("Box" for
  // "ns::Box<int>"): the names index has it under the bare name.
  StringRef Name = shortName(QualifiedName);
  if (QualifiedName.ends_with(">") && !Name.empty() &&
      Name.size() < QualifiedName.size())
    if (const auto *Bare = namedIds(Name))
      for (const GraphStore::NamedId &N : *Bare)
        if (!N.Missing && N.QualifiedName == QN)
          Candidates.push_back(N.ID);
  llvm::sort(Candidates);
  Candidates.erase(std::unique(Candidates.begin(), Candidates.end()),
                   Candidates.end());
  for (Id I : Candidates)
    Fn(I);
}

void StoreReader::entitiesOfFile(StringRef Path,
                                 function_ref<void(Id)> Fn) const {
  // The file's units list what they declare (GraphStore::entitiesInFile):
  // reads the file's records, manifests and those entities, not the graph.
  std::vector<Id> Ids;
  Status St = GS.entitiesInFile(Path, Ids);
  if (St.isNotFound())
    return;
  if (!check(St))
    return;
  for (Id I : Ids)
    if (hasEntity(I))
      Fn(I);
}

void StoreReader::forEachEntity(function_ref<bool(const Entity &)> Fn) const {
  check(GS.forEachEntity([&](const Entity &E) { return Fn(E); }));
}

void StoreReader::forEachEntityName(EntityNameFn Fn, unsigned Shards) const {
  check(GS.forEachEntityName(
      [&](unsigned Shard, Id I, std::string_view Name, std::string_view QN,
          bool External) {
        return Fn(Shard, I, StringRef(Name.data(), Name.size()),
                  StringRef(QN.data(), QN.size()), External);
      },
      Shards));
}

void StoreReader::forEachEdge(std::optional<EdgeKind> K,
                              function_ref<bool(const Edge &)> Fn) const {
  if (!loadKnown())
    return;
  auto Has = [&](Id I) {
    return std::binary_search(Known.begin(), Known.end(), I);
  };
  check(GS.forEachEdge(
      [&](const Edge &E) {
        if (!Has(E.From) || !Has(E.To))
          return true;
        return Fn(E);
      },
      K));
}

bool StoreReader::loadKnown() const {
  if (KnownLoaded)
    return true;
  KnownLoaded = true;
  if (!loadFiles())
    return false;
  for (const FileInfo &F : Files)
    Known.push_back(F.ID);
  // An id is an entity when a unit has a record for it (what
  // forEachEntity() merges): the keys say so, without decoding a value
  // (at 1 M entities 0.1-0.3 s against 1.2-1.7 s for the merged records).
  std::unique_ptr<storage::Iterator> It =
      GS.store().scan(storage::Table::Entities, "");
  for (; It->valid(); It->next()) {
    Id I;
    UnitKey U;
    if (!keys::parseEntityKey(It->key(), I, U))
      return check(Status::corruption(
          "an entity key of the wrong shape; the index is damaged: rebuild "
          "it with `code-indexer extract --full`"));
    if (EntityIds.empty() || EntityIds.back() != I)
      EntityIds.push_back(I); // keys are in id order
  }
  if (!check(It->status()))
    return false;
  llvm::append_range(Known, EntityIds);
  llvm::sort(Known);
  Known.erase(std::unique(Known.begin(), Known.end()), Known.end());
  return true;
}

void StoreReader::forEachFile(function_ref<bool(const FileInfo &)> Fn) const {
  if (!loadFiles())
    return;
  for (const FileInfo &F : Files)
    if (!Fn(F))
      return;
}

void StoreReader::forEachTestFile(
    function_ref<bool(const TestFile &)> Fn) const {
  check(GS.forEachTestFile([&](const TestFile &T) { return Fn(T); }));
}

void StoreReader::forEachCoverage(
    function_ref<bool(const Coverage &)> Fn) const {
  check(GS.forEachCoverage([&](const Coverage &C) { return Fn(C); }));
}

void StoreReader::forEachTranslationUnit(
    function_ref<bool(const TranslationUnitInfo &)> Fn) const {
  check(GS.forEachTranslationUnit(
      [&](const TranslationUnitInfo &T) { return Fn(T); }));
}

namespace {

/// A StoreReader that owns its store.
class OpenedStoreReader final : public GraphReader {
public:
  explicit OpenedStoreReader(std::unique_ptr<storage::Store> S)
      : S(std::move(S)), GS(*this->S), R(GS) {}
  GraphStore &graphStore() { return GS; }

  void lookup(Id I, function_ref<void(const Entity &)> Fn) const override {
    R.lookup(I, Fn);
  }
  void lookupFile(Id I,
                  function_ref<void(const FileInfo &)> Fn) const override {
    R.lookupFile(I, Fn);
  }
  void fileByPath(StringRef Path,
                  function_ref<void(const FileInfo &)> Fn) const override {
    R.fileByPath(Path, Fn);
  }
  void edges(EdgeKind K, Id Node, Direction D,
             function_ref<void(const Edge &)> Fn) const override {
    R.edges(K, Node, D, Fn);
  }
  size_t countEdges(EdgeKind K, Id Node, Direction D,
                    size_t Limit) const override {
    return R.countEdges(K, Node, D, Limit);
  }
  void findByName(StringRef Text, NameMatch M, size_t Limit,
                  function_ref<void(Id)> Fn) const override {
    R.findByName(Text, M, Limit, Fn);
  }
  void findByQualifiedName(StringRef QualifiedName,
                           function_ref<void(Id)> Fn) const override {
    R.findByQualifiedName(QualifiedName, Fn);
  }
  void entitiesOfFile(StringRef Path,
                      function_ref<void(Id)> Fn) const override {
    R.entitiesOfFile(Path, Fn);
  }
  void forEachEntity(function_ref<bool(const Entity &)> Fn) const override {
    R.forEachEntity(Fn);
  }
  void forEachEntityName(EntityNameFn Fn, unsigned Shards) const override {
    R.forEachEntityName(Fn, Shards);
  }
  void forEachEdge(std::optional<EdgeKind> K,
                   function_ref<bool(const Edge &)> Fn) const override {
    R.forEachEdge(K, Fn);
  }
  void forEachFile(function_ref<bool(const FileInfo &)> Fn) const override {
    R.forEachFile(Fn);
  }
  void forEachTestFile(function_ref<bool(const TestFile &)> Fn) const override {
    R.forEachTestFile(Fn);
  }
  void forEachCoverage(function_ref<bool(const Coverage &)> Fn) const override {
    R.forEachCoverage(Fn);
  }
  void forEachTranslationUnit(
      function_ref<bool(const TranslationUnitInfo &)> Fn) const override {
    R.forEachTranslationUnit(Fn);
  }
  Error takeError() const override { return R.takeError(); }
  std::string projectRoot() const override { return R.projectRoot(); }

private:
  std::unique_ptr<storage::Store> S;
  GraphStore GS;
  StoreReader R;
};

} // namespace

Expected<std::unique_ptr<GraphReader>> openStoreReader(const std::string &Db,
                                                       std::string &Source) {
  storage::StoreSpec Spec;
  if (Status St = storage::parseStoreSpec(Db, &Spec); !St.isOk())
    return usageError(St.message());
  if (Spec.Engine == "mem")
    return usageError("an in-memory index (mem) does not outlive `extract`; "
                      "query an export with --json FILE, or use rocksdb:PATH "
                      "or lmdb:PATH");
  Source = Spec.toString();
  // ReadOnly pins the live generation without taking the writer lock, so a
  // query never blocks (or is blocked by) a running `extract`.
  storage::OpenOptions OO;
  OO.Mode = storage::OpenMode::ReadOnly;
  std::unique_ptr<storage::Store> S;
  if (Status St = storage::openStore(Spec, OO, &S); !St.isOk())
    return indexError("cannot open the index " + Spec.toString() + ": " +
                      St.message());
  auto R = std::make_unique<OpenedStoreReader>(std::move(S));
  if (Status St = R->graphStore().initSchema(false); !St.isOk())
    return indexError(St.message());
  return R;
}

} // namespace codeindex
