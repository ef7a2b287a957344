//===- IdsAndPaths.cpp - Entity ids, file ids and display paths -----------===//

#include "extractor/IdsAndPaths.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

namespace codeindex {

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

std::string rerootUsr(llvm::StringRef Usr, llvm::StringRef FileAbs,
                      llvm::StringRef DisplayPath) {
  std::string Prefix = "c:" + llvm::sys::path::filename(FileAbs).str() + "@";
  if (!Usr.starts_with(Prefix))
    return Usr.str();
  return "c:" + DisplayPath.str() + Usr.substr(Prefix.size() - 1).str();
}

Id UsrRegistry::idFor(const std::string &Usr) {
  Id I = Hash(Usr);
  std::lock_guard<std::mutex> L(M);
  auto [It, Inserted] = Seen.try_emplace(I, Usr);
  if (Inserted && Journal)
    Journal->push_back(Usr);
  if (Inserted || It->second == Usr)
    return I;
  if (auto S = Salted.find(Usr); S != Salted.end())
    return S->second;
  if (Journal)
    Journal->push_back(Usr);
  Collisions.push_back(formatId(I) + ": " + It->second + " vs " + Usr);
  for (unsigned Salt = 1;; ++Salt) {
    Id J = Hash(Usr + "#" + std::to_string(Salt));
    auto [SIt, SInserted] = Seen.try_emplace(J, Usr);
    if (SInserted || SIt->second == Usr)
      return Salted[Usr] = J;
  }
}

std::vector<std::string> UsrRegistry::takeJournal() {
  std::lock_guard<std::mutex> L(M);
  std::vector<std::string> Out;
  if (Journal)
    Out.swap(*Journal);
  return Out;
}

std::vector<std::string> UsrRegistry::collisions() const {
  std::lock_guard<std::mutex> L(M);
  return Collisions;
}

} // namespace codeindex
