//===- CodingTest.cpp - The storage layer's byte codec --------------------===//

#include "codeindex/storage/Coding.h"
#include "codeindex/storage/CountingStore.h"

#include <gtest/gtest.h>

#include <limits>

using namespace codeindex;
using namespace codeindex::coding;

namespace {

TEST(Coding, VarintsRoundTripAtEveryLengthBoundary) {
  std::vector<uint64_t> Values = {0, 1, 127, 128, 16383, 16384};
  for (int Bits = 21; Bits <= 63; Bits += 7) {
    Values.push_back((1ull << Bits) - 1);
    Values.push_back(1ull << Bits);
  }
  Values.push_back(std::numeric_limits<uint64_t>::max());
  for (uint64_t V : Values) {
    std::string S;
    putVarint(S, V);
    EXPECT_EQ(S.size(), varintLength(V)) << V;
    char Buf[MaxVarint64Bytes];
    EXPECT_EQ(std::string(Buf, encodeVarint(Buf, V)), S) << V;
    std::string_view In = S;
    uint64_t Got = 0;
    ASSERT_TRUE(getVarint(In, Got)) << V;
    EXPECT_EQ(Got, V);
    EXPECT_TRUE(In.empty());
  }
  EXPECT_EQ(varintLength(std::numeric_limits<uint64_t>::max()),
            MaxVarint64Bytes);
}

TEST(Coding, TruncatedAndOverlongVarintsAreRejected) {
  std::string S;
  putVarint(S, 300);
  std::string_view Cut = std::string_view(S).substr(0, 1);
  uint64_t V;
  EXPECT_FALSE(getVarint(Cut, V));
  std::string_view Empty;
  EXPECT_FALSE(getVarint(Empty, V));
  std::string Overlong(MaxVarint64Bytes + 1, '\x80');
  Overlong.back() = '\x01';
  std::string_view In = Overlong;
  EXPECT_FALSE(getVarint(In, V)) << "more than 10 bytes";
}

TEST(Coding, FixedWidthsAreBigEndianSoByteOrderIsNumericOrder) {
  std::string A, B;
  putFixed64BE(A, 0x0102030405060708ull);
  EXPECT_EQ(A, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(getFixed64BE(A), 0x0102030405060708ull);
  A.clear();
  putFixed64BE(A, 255);
  putFixed64BE(B, 256);
  EXPECT_LT(A, B);
  std::string C;
  putFixed32BE(C, 0xdeadbeef);
  EXPECT_EQ(getFixed32BE(C), 0xdeadbeefu);
}

TEST(Coding, DecoderStopsAtTheEndAndChecksIntegerWidths) {
  std::string S;
  putString(S, "hello");
  putVarint(S, 70000);
  S.push_back('\x07');
  Decoder D(S);
  std::string Str;
  uint16_t Small;
  ASSERT_TRUE(D.getString(Str));
  EXPECT_EQ(Str, "hello");
  EXPECT_FALSE(D.getInt(Small)) << "70000 does not fit 16 bits";
  Decoder D2(std::string_view(S).substr(6));
  uint32_t Wide;
  uint8_t Byte;
  ASSERT_TRUE(D2.getInt(Wide));
  EXPECT_EQ(Wide, 70000u);
  ASSERT_TRUE(D2.getByte(Byte));
  EXPECT_EQ(Byte, 7);
  EXPECT_TRUE(D2.done());
  EXPECT_FALSE(D2.getByte(Byte));
  std::string Lying;
  putVarint(Lying, 100); // a string length past the end
  Lying += "abc";
  Decoder D3(Lying);
  EXPECT_FALSE(D3.getString(Str));
}

TEST(CountingStore, CountsWhatIsReadIncludingScansStoppedEarly) {
  std::unique_ptr<storage::Store> Mem;
  ASSERT_TRUE(storage::openStore(storage::StoreSpec{"mem", ""}, {}, &Mem));
  storage::WriteBatch B;
  for (char C = 'a'; C <= 'e'; ++C)
    B.put(storage::Table::Names, std::string("k") + C, "vv");
  ASSERT_TRUE(Mem->write(B));
  storage::CountingStore S(*Mem);
  std::string V;
  EXPECT_TRUE(S.get(storage::Table::Names, "kc", &V));
  EXPECT_TRUE(S.get(storage::Table::Names, "zz", &V).isNotFound());
  {
    auto It = S.scan(storage::Table::Names, "k");
    ASSERT_TRUE(It->valid());
    It->next(); // two records visited, then abandoned
  }
  storage::ReadStats R = S.readStats();
  EXPECT_EQ(R.Gets, 2u);
  EXPECT_EQ(R.Scans, 1u);
  EXPECT_EQ(R.Records, 3u) << "one found get and two scanned records";
  EXPECT_EQ(R.Bytes, 3u * 4u);
  S.resetReadStats();
  EXPECT_EQ(S.readStats().Records, 0u);
}

} // namespace
