//===- Deadline.cpp - A time limit on one query ---------------------------===//

#include "serve/Deadline.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace codeindex {

char DeadlineExceeded::ID = 0;

void DeadlineExceeded::log(raw_ostream &OS) const {
  OS << "the query ran longer than its limit of " << Millis
     << " ms (serve --deadline-ms) and was stopped";
}

std::error_code DeadlineExceeded::convertToErrorCode() const {
  return inconvertibleErrorCode();
}

bool DeadlineReader::expired() const {
  if (!Expired && Clock::now() >= Deadline)
    Expired = true;
  return Expired;
}

Error DeadlineReader::takeError() const {
  Error Inner = R.takeError();
  if (!Expired)
    return Inner;
  consumeError(std::move(Inner));
  return make_error<DeadlineExceeded>(Millis);
}

void DeadlineReader::lookup(Id I, function_ref<void(const Entity &)> Fn) const {
  if (!expired())
    R.lookup(I, Fn);
}

void DeadlineReader::lookupFile(Id I,
                                function_ref<void(const FileInfo &)> Fn) const {
  if (!expired())
    R.lookupFile(I, Fn);
}

void DeadlineReader::fileByPath(StringRef Path,
                                function_ref<void(const FileInfo &)> Fn) const {
  if (!expired())
    R.fileByPath(Path, Fn);
}

void DeadlineReader::edges(EdgeKind K, Id Node, Direction D,
                           function_ref<void(const Edge &)> Fn) const {
  if (!expired())
    R.edges(K, Node, D, Fn);
}

size_t DeadlineReader::countEdges(EdgeKind K, Id Node, Direction D,
                                  size_t Limit) const {
  // The reader's own count (keys only): the default would read the edges.
  return expired() ? 0 : R.countEdges(K, Node, D, Limit);
}

void DeadlineReader::findByName(StringRef Text, NameMatch M, size_t Limit,
                                function_ref<void(Id)> Fn) const {
  if (!expired())
    R.findByName(Text, M, Limit, Fn);
}

void DeadlineReader::findByQualifiedName(StringRef QualifiedName,
                                         function_ref<void(Id)> Fn) const {
  if (!expired())
    R.findByQualifiedName(QualifiedName, Fn);
}

void DeadlineReader::entitiesOfFile(StringRef Path,
                                    function_ref<void(Id)> Fn) const {
  // A scan underneath: stop calling back once the time is up (the scan
  // itself then runs to its end without work; StoreReader's has no stop).
  if (!expired())
    R.entitiesOfFile(Path, [&](Id I) {
      if (!expired())
        Fn(I);
    });
}

void DeadlineReader::forEachEntity(
    function_ref<bool(const Entity &)> Fn) const {
  if (!expired())
    R.forEachEntity([&](const Entity &E) { return !expired() && Fn(E); });
}

void DeadlineReader::forEachEntityName(EntityNameFn Fn, unsigned Shards) const {
  if (!expired())
    R.forEachEntityName(
        [&](unsigned Shard, Id I, StringRef Name, StringRef QN, bool Ext) {
          return !expired() && Fn(Shard, I, Name, QN, Ext);
        },
        Shards);
}

void DeadlineReader::forEachEdge(std::optional<EdgeKind> K,
                                 function_ref<bool(const Edge &)> Fn) const {
  if (!expired())
    R.forEachEdge(K, [&](const Edge &E) { return !expired() && Fn(E); });
}

void DeadlineReader::forEachFile(
    function_ref<bool(const FileInfo &)> Fn) const {
  if (!expired())
    R.forEachFile([&](const FileInfo &F) { return !expired() && Fn(F); });
}

void DeadlineReader::forEachTestFile(
    function_ref<bool(const TestFile &)> Fn) const {
  if (!expired())
    R.forEachTestFile([&](const TestFile &T) { return !expired() && Fn(T); });
}

void DeadlineReader::forEachCoverage(
    function_ref<bool(const Coverage &)> Fn) const {
  if (!expired())
    R.forEachCoverage([&](const Coverage &C) { return !expired() && Fn(C); });
}

void DeadlineReader::forEachTranslationUnit(
    function_ref<bool(const TranslationUnitInfo &)> Fn) const {
  if (!expired())
    R.forEachTranslationUnit(
        [&](const TranslationUnitInfo &T) { return !expired() && Fn(T); });
}

} // namespace codeindex
