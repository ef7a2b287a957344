//===- UnitClaims.cpp - Which TU emits each unit; file hashes -------------===//

#include "extractor/UnitClaims.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/xxhash.h"

namespace codeindex {

Id UnitClaims::claim(const UnitKey &U, Id Tu) {
  if (Remote)
    return Remote(U, Tu);
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

} // namespace codeindex
