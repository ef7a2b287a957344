//===- SortedRunsTest.cpp - The external sort behind bulk loads -----------===//

#include "TestUtil.h"

#include "SortedRuns.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <tuple>

using namespace codeindex::storage;
using namespace codeindex::storage::testing;

namespace {

using Row = std::tuple<Table, std::string, std::string, bool>;

std::vector<Row> drainAll(detail::SortedRuns &R) {
  std::vector<Row> Out;
  Status S = R.drain(
      [&](Table T, std::string_view K, std::string_view V, bool IsDelete) {
        Out.emplace_back(T, std::string(K), std::string(V), IsDelete);
        return Status::ok();
      });
  EXPECT_TRUE(S.isOk()) << S.toString();
  return Out;
}

TEST(SortedRuns, MergesRunsInKeyOrderAndKeepsTheLastOperation) {
  TempDir Dir;
  std::string RunDir = Dir.path() + "/runs";
  detail::SortedRuns R(RunDir, 1 << 16); // tiny: many runs
  std::map<std::pair<Table, std::string>, std::pair<std::string, bool>> Model;
  std::mt19937 Rng(3);
  for (int B = 0; B < 300; ++B) {
    WriteBatch W;
    for (int I = 0; I < 50; ++I) {
      Table T = static_cast<Table>(Rng() % 3);
      // Keys sharing long prefixes and differing after byte 16 as well.
      std::string K = std::string(Rng() % 3 * 9, '\0') + "key" +
                      std::to_string(Rng() % 400);
      if (Rng() % 4 == 0) {
        W.del(T, K);
        Model[{T, K}] = {"", true};
      } else {
        std::string V = "v" + std::to_string(B) + "." + std::to_string(I);
        W.put(T, K, V);
        Model[{T, K}] = {V, false};
      }
    }
    ASSERT_TRUE(R.add(W).isOk());
  }
  EXPECT_TRUE(std::filesystem::exists(RunDir)) << "expected spilled runs";
  EXPECT_GT(R.pendingOps(), 0u);
  std::vector<Row> Got = drainAll(R);
  std::vector<Row> Expected;
  for (const auto &[TK, VD] : Model)
    Expected.emplace_back(TK.first, TK.second, VD.first, VD.second);
  EXPECT_EQ(Got, Expected);
  EXPECT_TRUE(R.empty());
  EXPECT_EQ(R.pendingBytes(), 0u);
  EXPECT_FALSE(std::filesystem::exists(RunDir)) << "runs are removed";
  // Usable again after a drain.
  WriteBatch W;
  W.put(Table::Files, "again", "1");
  ASSERT_TRUE(R.add(W).isOk());
  EXPECT_EQ(drainAll(R).size(), 1u);
}

TEST(SortedRuns, InMemoryOnlyWhenSmall) {
  TempDir Dir;
  detail::SortedRuns R(Dir.path() + "/runs", 1 << 20);
  WriteBatch W;
  W.put(Table::Names, "b", "2");
  W.put(Table::Names, "a", "1");
  W.put(Table::Meta, "z", "0");
  W.put(Table::Names, "a", "one");
  ASSERT_TRUE(R.add(W).isOk());
  EXPECT_FALSE(std::filesystem::exists(Dir.path() + "/runs"));
  EXPECT_EQ(drainAll(R), (std::vector<Row>{{Table::Meta, "z", "0", false},
                                           {Table::Names, "a", "one", false},
                                           {Table::Names, "b", "2", false}}));
}

TEST(SortedRuns, StopsAtTheSinksError) {
  TempDir Dir;
  detail::SortedRuns R(Dir.path() + "/runs", 1 << 16);
  for (int B = 0; B < 50; ++B) {
    WriteBatch W;
    for (int I = 0; I < 100; ++I)
      W.put(Table::Files, "k" + std::to_string(B * 100 + I),
            std::string(20, 'x'));
    ASSERT_TRUE(R.add(W).isOk());
  }
  int Calls = 0;
  Status S = R.drain([&](Table, std::string_view, std::string_view, bool) {
    return ++Calls == 10 ? Status::ioError("sink failed") : Status::ok();
  });
  EXPECT_EQ(S.code(), Status::Code::IOError);
  EXPECT_EQ(Calls, 10);
}

} // namespace
