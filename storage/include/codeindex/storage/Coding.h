//===- Coding.h - The one byte codec of the storage layer -------*- C++ -*-===//
//
// Every byte layout in storage/ is written with these functions: the graph
// layer's keys and values (codeindex/graph/Keys.h, GraphStore.cpp), the
// LMDB engine's long-key values, the sorted-run files of bulk loads and the
// storage benchmark.
//
//  * Varints (LevelDB's): 7 bits a byte, least significant group first, the
//    high bit set on every byte but the last. At most MaxVarint64Bytes.
//  * Fixed widths big-endian, so that byte order of keys is numeric order.
//  * Strings: varint length, then the bytes.
//
// Decoding never reads past its input: every get*() returns false on
// truncated or malformed bytes (callers turn that into Status::corruption or
// an I/O error naming the file).
//
// Thread-safety: free functions are pure; a Decoder is a cursor over a view
// and belongs to one thread. Nothing here allocates except when appending to
// a caller's std::string.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_CODING_H
#define CODEINDEX_STORAGE_CODING_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace codeindex::coding {

/// Longest varint encoding of a 64-bit value.
inline constexpr size_t MaxVarint64Bytes = 10;

// ---- fixed widths, big-endian -----------------------------------------------

inline void putFixed64BE(std::string &Out, uint64_t V) {
  for (int I = 7; I >= 0; --I)
    Out.push_back(static_cast<char>((V >> (I * 8)) & 0xff));
}

/// Reads 8 bytes; In must hold at least 8 (callers check the size first).
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

/// Reads 4 bytes; In must hold at least 4.
inline uint32_t getFixed32BE(std::string_view In) {
  uint32_t V = 0;
  for (int I = 0; I < 4; ++I)
    V = (V << 8) | static_cast<unsigned char>(In[I]);
  return V;
}

// ---- varints ----------------------------------------------------------------

/// Bytes putVarint() writes for V.
inline size_t varintLength(uint64_t V) {
  size_t N = 1;
  while (V >= 0x80) {
    V >>= 7;
    ++N;
  }
  return N;
}

/// Writes V at P (which must have varintLength(V) bytes of room); returns
/// the byte after it. For callers that fill memory they do not own as a
/// std::string (an LMDB MDB_RESERVE value).
inline char *encodeVarint(char *P, uint64_t V) {
  while (V >= 0x80) {
    *P++ = static_cast<char>((V & 0x7f) | 0x80);
    V >>= 7;
  }
  *P++ = static_cast<char>(V);
  return P;
}

inline void putVarint(std::string &Out, uint64_t V) {
  char Buf[MaxVarint64Bytes];
  Out.append(Buf, static_cast<size_t>(encodeVarint(Buf, V) - Buf));
}

/// Reads a varint from the front of In and removes it. False (In unchanged
/// in content, possibly shortened) if In ends inside the varint or the
/// encoding is longer than MaxVarint64Bytes.
inline bool getVarint(std::string_view &In, uint64_t &V) {
  uint64_t Result = 0;
  for (int Shift = 0; Shift <= 63 && !In.empty(); Shift += 7) {
    auto B = static_cast<unsigned char>(In.front());
    In.remove_prefix(1);
    Result |= static_cast<uint64_t>(B & 0x7f) << Shift;
    if (!(B & 0x80)) {
      V = Result;
      return true;
    }
  }
  return false;
}

inline void putString(std::string &Out, std::string_view S) {
  putVarint(Out, S.size());
  Out.append(S);
}

/// A cursor decoding values written with the put*() functions above.
class Decoder {
public:
  explicit Decoder(std::string_view In) : In(In) {}

  bool getVarint(uint64_t &V) { return coding::getVarint(In, V); }
  /// A varint that must fit T.
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
    std::string_view V;
    if (!getStringView(V))
      return false;
    S.assign(V);
    return true;
  }
  /// A length-prefixed string as a view into the input.
  bool getStringView(std::string_view &S) {
    uint64_t N;
    if (!getVarint(N) || N > In.size())
      return false;
    S = In.substr(0, N);
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

#endif // CODEINDEX_STORAGE_CODING_H
