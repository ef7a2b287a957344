//===- Coding.h - Compact binary encoding of graph records ------*- C++ -*-===//
//
// LevelDB-style varints and length-prefixed strings, big-endian fixed ids in
// keys (so byte order is numeric order). A Decoder never reads past its
// input: every get*() returns false on truncated or malformed bytes, which
// callers turn into Status::corruption.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_CODING_H
#define CODEINDEX_GRAPH_CODING_H

#include <cstdint>
#include <string>
#include <string_view>

namespace codeindex::coding {

inline void putFixed64BE(std::string &Out, uint64_t V) {
  for (int I = 7; I >= 0; --I)
    Out.push_back(static_cast<char>((V >> (I * 8)) & 0xff));
}

inline uint64_t getFixed64BE(std::string_view In) {
  uint64_t V = 0;
  for (int I = 0; I < 8; ++I)
    V = (V << 8) | static_cast<unsigned char>(In[I]);
  return V;
}

inline void putFixed32BE(std::string &Out, uint32_t V) {
  for (int I = 3; I >= 0; --I)
    Out.push_back(static_cast<char>((V >> (I * 8)) & 0xff));
}

inline void putVarint(std::string &Out, uint64_t V) {
  while (V >= 0x80) {
    Out.push_back(static_cast<char>(V | 0x80));
    V >>= 7;
  }
  Out.push_back(static_cast<char>(V));
}

inline void putString(std::string &Out, std::string_view S) {
  putVarint(Out, S.size());
  Out.append(S);
}

class Decoder {
public:
  explicit Decoder(std::string_view In) : In(In) {}

  bool getVarint(uint64_t &V) {
    V = 0;
    for (int Shift = 0; Shift <= 63; Shift += 7) {
      if (In.empty())
        return false;
      auto B = static_cast<unsigned char>(In.front());
      In.remove_prefix(1);
      V |= static_cast<uint64_t>(B & 0x7f) << Shift;
      if (!(B & 0x80))
        return true;
    }
    return false;
  }
  template <typename T> bool getInt(T &V) {
    uint64_t X;
    if (!getVarint(X) || X > static_cast<uint64_t>(static_cast<T>(~T(0))))
      return false;
    V = static_cast<T>(X);
    return true;
  }
  bool getFixed64(uint64_t &V) {
    if (In.size() < 8)
      return false;
    V = getFixed64BE(In);
    In.remove_prefix(8);
    return true;
  }
  bool getString(std::string &S) {
    uint64_t N;
    if (!getVarint(N) || N > In.size())
      return false;
    S.assign(In.data(), N);
    In.remove_prefix(N);
    return true;
  }
  bool getByte(uint8_t &B) {
    if (In.empty())
      return false;
    B = static_cast<uint8_t>(In.front());
    In.remove_prefix(1);
    return true;
  }
  bool done() const { return In.empty(); }
  std::string_view rest() const { return In; }

private:
  std::string_view In;
};

} // namespace codeindex::coding

#endif // CODEINDEX_GRAPH_CODING_H
