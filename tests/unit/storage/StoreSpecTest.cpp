//===- StoreSpecTest.cpp - Specs, defaults, names, Status, WriteBatch -----===//

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

using namespace codeindex::storage;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

constexpr const char *Forms = "expected rocksdb:PATH, lmdb:PATH or mem";

TEST(StoreSpec, ParsesEachForm) {
  StoreSpec S;
  ASSERT_TRUE(parseStoreSpec("mem", &S).isOk());
  EXPECT_EQ(S.Engine, "mem");
  EXPECT_EQ(S.Path, "");
  EXPECT_EQ(S.toString(), "mem");
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
  ASSERT_TRUE(parseStoreSpec("rocksdb:/tmp/x", &S).isOk());
  EXPECT_EQ(S.Engine, "rocksdb");
  EXPECT_EQ(S.Path, "/tmp/x");
  EXPECT_EQ(S.toString(), "rocksdb:/tmp/x");
  // Only the first colon separates: Windows drive letters survive.
  ASSERT_TRUE(parseStoreSpec("rocksdb:C:/idx", &S).isOk());
  EXPECT_EQ(S.Path, "C:/idx");
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  ASSERT_TRUE(parseStoreSpec("lmdb:relative/dir", &S).isOk());
  EXPECT_EQ(S.Engine, "lmdb");
  EXPECT_EQ(S.Path, "relative/dir");
#endif
}

TEST(StoreSpec, RejectsMalformedSpecsNamingTheAcceptedForms) {
  struct Case {
    const char *Spec;
    const char *Mentions;
  } Cases[] = {
      {"", "empty storage spec"},
      {"foo:bar", "unknown storage engine 'foo'"},
      {"sqlite", "unknown storage spec 'sqlite'"},
      {"/tmp/index", "unknown storage spec '/tmp/index'"},
      {"rocksdb", "needs a path"},
      {"lmdb", "needs a path"},
      {"rocksdb:", "empty path"},
      {"lmdb:", "empty path"},
      {"mem:/tmp/x", "takes no path"},
      {"MEM", "unknown storage spec 'MEM'"},
  };
  for (const Case &C : Cases) {
    StoreSpec S{"unchanged", "unchanged"};
    Status St = parseStoreSpec(C.Spec, &S);
    EXPECT_EQ(St.code(), Status::Code::InvalidArgument) << C.Spec;
    EXPECT_THAT(St.message(), HasSubstr(C.Mentions)) << C.Spec;
    EXPECT_THAT(St.message(), HasSubstr(Forms)) << C.Spec;
    EXPECT_EQ(S.Engine, "unchanged") << C.Spec;
  }
}

TEST(StoreSpec, EngineNotCompiledInIsNotSupported) {
  // Exercised for whichever engine this build leaves out; a full build
  // checks the opposite: both persistent engines parse.
  StoreSpec S;
  Status Rocks = parseStoreSpec("rocksdb:/x", &S);
  Status Lmdb = parseStoreSpec("lmdb:/x", &S);
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
  EXPECT_TRUE(Rocks.isOk());
#else
  EXPECT_EQ(Rocks.code(), Status::Code::NotSupported);
  EXPECT_THAT(Rocks.message(), HasSubstr("not compiled into this build"));
  EXPECT_THAT(Rocks.message(), HasSubstr("CODE_INDEX_WITH_ROCKSDB"));
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  EXPECT_TRUE(Lmdb.isOk());
#else
  EXPECT_EQ(Lmdb.code(), Status::Code::NotSupported);
  EXPECT_THAT(Lmdb.message(), HasSubstr("not compiled into this build"));
#endif
}

TEST(StoreSpec, OpenStoreRejectsBadSpecStructs) {
  std::unique_ptr<Store> S;
  EXPECT_EQ(openStore(StoreSpec{"bogus", "/x"}, OpenOptions(), &S).code(),
            Status::Code::InvalidArgument);
  EXPECT_EQ(openStore(StoreSpec{"rocksdb", ""}, OpenOptions(), &S).code(),
            Status::Code::InvalidArgument);
  EXPECT_EQ(openStore(StoreSpec{"mem", "/x"}, OpenOptions(), &S).code(),
            Status::Code::InvalidArgument);
  EXPECT_FALSE(S);
}

TEST(DefaultEngine, WindowsUsesLmdb) {
  EXPECT_EQ(defaultEngineFor(true), "lmdb");
}

TEST(DefaultEngine, OtherPlatformsUseRocksDB) {
  EXPECT_EQ(defaultEngineFor(false), "rocksdb");
}

TEST(DefaultEngine, ThisBuildPicksACompiledInEngine) {
  std::string_view D = defaultEngine();
  auto Available = availableEngines();
  EXPECT_NE(std::find(Available.begin(), Available.end(), D), Available.end());
#if !defined(CODEINDEX_STORAGE_DEFAULT_ENGINE) && !defined(_WIN32) &&          \
    defined(CODEINDEX_STORAGE_HAVE_ROCKSDB)
  EXPECT_EQ(D, "rocksdb");
#endif
}

TEST(DefaultEngine, AvailableEnginesMatchTheBuild) {
  std::vector<std::string_view> Expected;
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
  Expected.push_back("rocksdb");
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
  Expected.push_back("lmdb");
#endif
  Expected.push_back("mem");
  EXPECT_EQ(availableEngines(), Expected);
}

TEST(Tables, NamesAreStableAndLowerCase) {
  std::vector<std::string_view> Names;
  for (int T = 0; T < NumTables; ++T)
    Names.push_back(tableName(static_cast<Table>(T)));
  EXPECT_THAT(Names, ElementsAre("meta", "files", "entities", "out_edges",
                                 "in_edges", "names", "diagnostics",
                                 "test_files", "coverage", "ignored_files",
                                 "units", "tu_state", "entity_names"));
  EXPECT_EQ(std::set<std::string_view>(Names.begin(), Names.end()).size(),
            size_t(NumTables));
}

TEST(StatusTest, ToStringNamesTheCode) {
  EXPECT_EQ(Status::ok().toString(), "OK");
  EXPECT_EQ(Status::ioError("disk").toString(), "IO error: disk");
  EXPECT_EQ(Status::corruption("bad").toString(), "Corruption: bad");
  EXPECT_EQ(Status::busy("held").toString(), "Busy: held");
  EXPECT_EQ(Status::incompatible("v0").toString(), "Incompatible: v0");
  EXPECT_EQ(Status::notFound("k").toString(), "Not found: k");
  EXPECT_EQ(Status::invalidArgument("s").toString(), "Invalid argument: s");
  EXPECT_EQ(Status::notSupported("e").toString(), "Not supported: e");
  EXPECT_EQ(Status::aborted("c").toString(), "Aborted: c");
  EXPECT_TRUE(static_cast<bool>(Status()));
  EXPECT_FALSE(static_cast<bool>(Status::busy("x")));
}

TEST(WriteBatchTest, CountsAndAppends) {
  WriteBatch A;
  A.put(Table::Files, "ab", "cde");
  A.del(Table::Files, "x");
  EXPECT_EQ(A.count(), 2u);
  EXPECT_EQ(A.byteSize(), 6u);
  WriteBatch B;
  B.put(Table::Names, "k", "v");
  A.append(std::move(B));
  EXPECT_EQ(A.count(), 3u);
  EXPECT_EQ(A.byteSize(), 8u);
  EXPECT_TRUE(B.empty());
  EXPECT_EQ(B.byteSize(), 0u);
  EXPECT_EQ(A.ops()[1].IsDelete, true);
  EXPECT_EQ(A.ops()[2].T, Table::Names);
  WriteBatch Empty;
  Empty.append(std::move(A));
  EXPECT_EQ(Empty.count(), 3u);
  Empty.clear();
  EXPECT_TRUE(Empty.empty());
  EXPECT_EQ(Empty.byteSize(), 0u);
}

} // namespace
