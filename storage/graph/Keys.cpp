//===- Keys.cpp - The key layout of every graph table ---------------------===//

#include "codeindex/graph/Keys.h"

#include "codeindex/storage/Coding.h"

namespace codeindex::keys {

using coding::getFixed64BE;
using coding::putFixed32BE;
using coding::putFixed64BE;

std::string idKey(Id I) {
  std::string K;
  putFixed64BE(K, I);
  return K;
}

void appendUnit(std::string &K, const UnitKey &U) {
  putFixed64BE(K, U.File);
  putFixed64BE(K, U.Variant);
}

std::string unitKey(const UnitKey &U) {
  std::string K;
  K.reserve(UnitBytes);
  appendUnit(K, U);
  return K;
}

std::string entityKey(Id I, const UnitKey &U) {
  std::string K;
  K.reserve(EntityKeyBytes);
  putFixed64BE(K, I);
  appendUnit(K, U);
  return K;
}

std::string edgeEndpointPrefix(EdgeKind Kind, Id A) {
  std::string K;
  K.reserve(EdgeEndpointBytes);
  K.push_back(static_cast<char>(Kind));
  putFixed64BE(K, A);
  return K;
}

std::string edgePairPrefix(EdgeKind Kind, Id A, Id B) {
  std::string K = edgeEndpointPrefix(Kind, A);
  putFixed64BE(K, B);
  return K;
}

std::string edgeKey(EdgeKind Kind, Id A, Id B, const UnitKey &U) {
  std::string K;
  K.reserve(EdgeKeyBytes);
  K.push_back(static_cast<char>(Kind));
  putFixed64BE(K, A);
  putFixed64BE(K, B);
  appendUnit(K, U);
  return K;
}

std::string lowerName(std::string_view S) {
  std::string L(S);
  for (char &C : L)
    if (C >= 'A' && C <= 'Z')
      C = static_cast<char>(C - 'A' + 'a');
  return L;
}

std::string namePrefix(std::string_view Prefix) {
  return lowerName(Prefix.substr(0, MaxNameKeyBytes));
}

std::string exactNamePrefix(std::string_view Name) {
  std::string K = namePrefix(Name);
  K.push_back('\0');
  return K;
}

std::string nameKey(std::string_view Name, Id I, const UnitKey &U) {
  std::string K = exactNamePrefix(Name);
  putFixed64BE(K, I);
  appendUnit(K, U);
  return K;
}

std::string pathPrefix(std::string_view Path) {
  std::string K(Path);
  K.push_back('\0');
  return K;
}

std::string pathKey(std::string_view Path, uint64_t Variant) {
  std::string K = pathPrefix(Path);
  putFixed64BE(K, Variant);
  return K;
}

std::string diagnosticKey(Id Tu, uint32_t Seq) {
  std::string K = idKey(Tu);
  putFixed32BE(K, Seq);
  return K;
}

UnitKey unitAtEnd(std::string_view K) {
  std::string_view U = K.substr(K.size() - UnitBytes);
  return UnitKey{getFixed64BE(U), getFixed64BE(U.substr(IdBytes))};
}

bool parseUnitKey(std::string_view K, UnitKey &U) {
  if (K.size() != UnitBytes)
    return false;
  U = unitAtEnd(K);
  return true;
}

bool parseIdKey(std::string_view K, Id &I) {
  if (K.size() != IdBytes)
    return false;
  I = getFixed64BE(K);
  return true;
}

bool parseEntityKey(std::string_view K, Id &I, UnitKey &U) {
  if (K.size() != EntityKeyBytes)
    return false;
  I = getFixed64BE(K);
  U = unitAtEnd(K);
  return true;
}

bool parseEdgeKey(std::string_view K, EdgeKind &Kind, Id &A, Id &B,
                  UnitKey &U) {
  if (K.size() != EdgeKeyBytes ||
      static_cast<uint8_t>(K[0]) >= static_cast<uint8_t>(NumEdgeKinds))
    return false;
  Kind = static_cast<EdgeKind>(K[0]);
  A = getFixed64BE(K.substr(1));
  B = getFixed64BE(K.substr(1 + IdBytes));
  U = unitAtEnd(K);
  return true;
}

bool parseNameKey(std::string_view K, std::string_view &LowerName, Id &I,
                  UnitKey &U) {
  if (K.size() < NameSuffixBytes || K[K.size() - NameSuffixBytes] != '\0')
    return false;
  LowerName = K.substr(0, K.size() - NameSuffixBytes);
  I = getFixed64BE(K.substr(K.size() - NameSuffixBytes + 1));
  U = unitAtEnd(K);
  return true;
}

bool parsePathKey(std::string_view K, std::string_view &Path,
                  uint64_t &Variant) {
  if (K.size() < PathSuffixBytes || K[K.size() - PathSuffixBytes] != '\0')
    return false;
  Path = K.substr(0, K.size() - PathSuffixBytes);
  Variant = getFixed64BE(K.substr(K.size() - IdBytes));
  return true;
}

} // namespace codeindex::keys
