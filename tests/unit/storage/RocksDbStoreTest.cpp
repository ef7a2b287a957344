//===- RocksDbStoreTest.cpp - RocksDB-specific behaviour ------------------===//
//
// The options file, damage inside SST files, and the generation's files.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "RocksDbStore.h"
#include "codeindex/storage/Store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/table_properties.h>
#include <rocksdb/utilities/options_util.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

using namespace codeindex::storage;
using namespace codeindex::storage::testing;
using ::testing::HasSubstr;

namespace {

/// Opens the store at Path with Tuning instead of the default tuning.
Status openTuned(const std::string &Path, OpenMode Mode,
                 const detail::RocksDbTuning &Tuning,
                 std::unique_ptr<Store> *S) {
  OpenOptions O;
  O.Mode = Mode;
  return detail::openRocksDbStore(Path, O,
                                  detail::RocksDbHooks{nullptr, &Tuning}, S);
}

class RocksDbStoreTest : public ::testing::Test {
protected:
  std::string indexPath() const { return Dir.path() + "/index"; }

  Status open(OpenMode Mode, std::unique_ptr<Store> *S,
              std::string OptionsFile = "") {
    OpenOptions O;
    O.Mode = Mode;
    O.RocksDbOptionsFile = std::move(OptionsFile);
    return openStore(StoreSpec{"rocksdb", indexPath()}, O, S);
  }

  std::string liveGeneration() const {
    auto Gens = generations(indexPath());
    EXPECT_EQ(Gens.size(), 1u);
    return indexPath() + "/" + (Gens.empty() ? "" : Gens.back());
  }

  std::string writeFile(const std::string &Name, const std::string &Text) {
    std::string P = Dir.path() + "/" + Name;
    std::ofstream(P) << Text;
    return P;
  }

  TempDir Dir;
};

TEST_F(RocksDbStoreTest, LoadsAnOptionsFileWithRocksDBsLoader) {
  std::string File = writeFile("tuned.ini", R"([Version]
  rocksdb_version=7.8.3
  options_file_version=1.1
[DBOptions]
  max_background_jobs=3
[CFOptions "default"]
  write_buffer_size=1234567
[CFOptions "entities"]
  write_buffer_size=7654321
)");
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::Rebuild, &S, File);
  ASSERT_TRUE(St.isOk()) << St.toString();
  WriteBatch B;
  B.put(Table::Entities, "e", "1");
  ASSERT_TRUE(S->write(B).isOk());
  ASSERT_TRUE(S->commit().isOk());
  S.reset();

  // RocksDB persists the options it ran with next to the data.
  rocksdb::ConfigOptions Cfg;
  rocksdb::DBOptions Db;
  std::vector<rocksdb::ColumnFamilyDescriptor> Cfs;
  ASSERT_TRUE(
      rocksdb::LoadLatestOptions(Cfg, liveGeneration(), &Db, &Cfs).ok());
  EXPECT_EQ(Db.max_background_jobs, 3);
  int Checked = 0;
  for (const auto &D : Cfs) {
    if (D.name == "entities") {
      EXPECT_EQ(D.options.write_buffer_size, 7654321u);
      ++Checked;
    } else if (D.name == "names" || D.name == "out_edges") {
      EXPECT_EQ(D.options.write_buffer_size, 1234567u) << D.name;
      ++Checked;
    }
  }
  EXPECT_EQ(Checked, 3);
}

TEST_F(RocksDbStoreTest, UnloadableOptionsFilesAreInvalidArguments) {
  std::string Garbage =
      writeFile("bad.ini", "[DBOptions]\n  no_such_option=1\n");
  std::string Missing = Dir.path() + "/missing.ini";
  for (const std::string &File : {Garbage, Missing}) {
    std::unique_ptr<Store> S;
    Status St = open(OpenMode::Rebuild, &S, File);
    EXPECT_EQ(St.code(), Status::Code::InvalidArgument) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("RocksDB options file"));
    EXPECT_THAT(St.message(), HasSubstr(File));
    EXPECT_FALSE(S);
  }
}

TEST_F(RocksDbStoreTest, DefaultTuningIsApplied) {
  std::unique_ptr<Store> S;
  ASSERT_TRUE(open(OpenMode::Rebuild, &S).isOk());
  ASSERT_TRUE(S->commit().isOk());
  S.reset();
  rocksdb::ConfigOptions Cfg;
  rocksdb::DBOptions Db;
  std::vector<rocksdb::ColumnFamilyDescriptor> Cfs;
  ASSERT_TRUE(
      rocksdb::LoadLatestOptions(Cfg, liveGeneration(), &Db, &Cfs).ok());
  detail::RocksDbTuning Defaults;
  EXPECT_EQ(Db.max_background_jobs, Defaults.MaxBackgroundJobs);
  EXPECT_EQ(Db.db_write_buffer_size, Defaults.DbWriteBufferBytes);
  // RocksDB's default (16) starts 15 threads per column family at open.
  EXPECT_EQ(Db.max_file_opening_threads, 1);
  ASSERT_EQ(Cfs.size(), size_t(NumTables) + 1);
  for (const auto &D : Cfs) {
    if (D.name == "default")
      continue;
    EXPECT_EQ(D.options.write_buffer_size, Defaults.WriteBufferBytes);
    EXPECT_EQ(D.options.compression, Defaults.Compression);
  }
}

/// The index partitions of each table's SST files in Generation (0 for a
/// one-level index), by column family.
std::map<std::string, std::vector<uint64_t>>
indexPartitions(const std::string &Generation) {
  std::map<std::string, std::vector<uint64_t>> Out;
  for (const auto &E : std::filesystem::directory_iterator(Generation)) {
    if (E.path().extension() != ".sst")
      continue;
    rocksdb::Options O;
    rocksdb::SstFileReader R(O);
    EXPECT_TRUE(R.Open(E.path().string()).ok()) << E.path();
    auto Props = R.GetTableProperties();
    if (Props)
      Out[Props->column_family_name].push_back(Props->index_partitions);
  }
  return Out;
}

/// 5,000 incompressible 200-byte values: about 250 data blocks, so the
/// index of out_edges is larger than one 4 KiB partition.
WriteBatch bigOutEdges() {
  WriteBatch B;
  std::mt19937_64 Rng(7);
  for (int I = 0; I < 5000; ++I) {
    std::string V(200, '\0');
    for (char &C : V)
      C = static_cast<char>(Rng());
    char Key[16];
    std::snprintf(Key, sizeof(Key), "e%06d", I);
    B.put(Table::OutEdges, Key, V);
  }
  return B;
}

/// Writes bigOutEdges() through a Rebuild with Tuning and returns it.
WriteBatch rebuildWith(const std::string &Path,
                       const detail::RocksDbTuning &Tuning) {
  detail::RocksDbHooks Hooks;
  Hooks.Tuning = &Tuning;
  OpenOptions O;
  O.Mode = OpenMode::Rebuild;
  std::unique_ptr<Store> S;
  WriteBatch B = bigOutEdges();
  EXPECT_TRUE(detail::openRocksDbStore(Path, O, Hooks, &S).isOk());
  EXPECT_TRUE(S->write(B).isOk());
  EXPECT_TRUE(S->commit().isOk());
  return B;
}

// With RocksDbTuning::PartitionedIndex a rebuild writes two-level indexes
// (a read-only open then reads only their top level); without it, the
// default, one-level index blocks. A default store reads both: the index
// type is recorded in each file, so an index written either way stays
// readable whatever the tuning of the reader.
TEST_F(RocksDbStoreTest, IndexesOfEitherTypeAreWrittenAndRead) {
  for (bool Partitioned : {false, true}) {
    SCOPED_TRACE(Partitioned ? "partitioned" : "one-level");
    detail::RocksDbTuning Tuning;
    EXPECT_FALSE(Tuning.PartitionedIndex) << "the default is one level";
    Tuning.PartitionedIndex = Partitioned;
    WriteBatch B = rebuildWith(indexPath(), Tuning);
    auto Partitions = indexPartitions(liveGeneration());
    ASSERT_EQ(Partitions["out_edges"].size(), 1u);
    if (Partitioned)
      EXPECT_GE(Partitions["out_edges"][0], 2u);
    else
      EXPECT_EQ(Partitions["out_edges"][0], 0u);

    std::unique_ptr<Store> S;
    ASSERT_TRUE(open(OpenMode::ReadOnly, &S).isOk());
    auto All = scanAll(*S, Table::OutEdges, "");
    ASSERT_EQ(All.size(), B.ops().size());
    for (size_t I = 0; I < All.size(); ++I) {
      ASSERT_EQ(All[I].first, B.ops()[I].Key);
      ASSERT_EQ(All[I].second, B.ops()[I].Value);
    }
    std::string V;
    ASSERT_TRUE(S->get(Table::OutEdges, "e004321", &V).isOk());
    EXPECT_EQ(V, B.ops()[4321].Value);
    EXPECT_EQ(scanAll(*S, Table::OutEdges, "e0042").size(), 100u);
  }
}

// docs/storage.md: how a user who prefers faster leaf lookups to faster
// walks of hubs gets partitioned indexes without a build of their own.
TEST_F(RocksDbStoreTest, AnOptionsFileCanAskForPartitionedIndexes) {
  std::string File = writeFile("partitioned.ini", R"([Version]
  rocksdb_version=7.8.3
  options_file_version=1.1
[DBOptions]
  max_file_opening_threads=1
[CFOptions "default"]
  compression=kLZ4Compression
[TableOptions/BlockBasedTable "default"]
  index_type=kTwoLevelIndexSearch
  metadata_block_size=4096
)");
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::Rebuild, &S, File);
  ASSERT_TRUE(St.isOk()) << St.toString();
  ASSERT_TRUE(S->write(bigOutEdges()).isOk());
  ASSERT_TRUE(S->commit().isOk());
  S.reset();
  auto Partitions = indexPartitions(liveGeneration());
  ASSERT_EQ(Partitions["out_edges"].size(), 1u);
  EXPECT_GE(Partitions["out_edges"][0], 2u);
}

TEST_F(RocksDbStoreTest, DamagedSstIsCorruptionNotACrash) {
  {
    std::unique_ptr<Store> S;
    ASSERT_TRUE(open(OpenMode::Rebuild, &S).isOk());
    WriteBatch B;
    for (int I = 0; I < 20000; ++I)
      B.put(Table::Entities, "key" + std::to_string(100000 + I),
            std::string(100, static_cast<char>('a' + I % 26)));
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  // Scribble over the middle of every SST file: data blocks, not the footer.
  int Damaged = 0;
  for (const auto &E : std::filesystem::directory_iterator(liveGeneration())) {
    if (E.path().extension() != ".sst" || E.file_size() < 8192)
      continue;
    std::fstream F(E.path(), std::ios::in | std::ios::out | std::ios::binary);
    F.seekp(static_cast<std::streamoff>(E.file_size() / 4));
    std::string Junk(E.file_size() / 4, '\x5a');
    F.write(Junk.data(), static_cast<std::streamsize>(Junk.size()));
    ++Damaged;
  }
  ASSERT_GT(Damaged, 0);
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::ReadOnly, &S);
  if (St.isOk()) {
    // Open succeeded (only data blocks are damaged): reads must fail.
    auto It = S->scan(Table::Entities, "");
    size_t Seen = 0;
    for (; It->valid(); It->next())
      ++Seen;
    St = It->status();
    EXPECT_LT(Seen, 20000u);
  }
  EXPECT_TRUE(St.isCorruption()) << St.toString();
  EXPECT_THAT(St.message(), HasSubstr("extract --full"));
}

TEST_F(RocksDbStoreTest, RebuildWritesNoWalAndLeavesCompactedFiles) {
  std::unique_ptr<Store> S;
  ASSERT_TRUE(open(OpenMode::Rebuild, &S).isOk());
  WriteBatch B;
  for (int I = 0; I < 5000; ++I)
    B.put(Table::OutEdges, "k" + std::to_string(I), std::string(50, 'x'));
  ASSERT_TRUE(S->write(B).isOk());
  ASSERT_TRUE(S->commit().isOk());
  uint64_t WalBytes = 0;
  for (const auto &E : std::filesystem::directory_iterator(liveGeneration()))
    if (E.path().extension() == ".log")
      WalBytes += E.file_size();
  EXPECT_LT(WalBytes, 4096u) << "a rebuild must not pay for a WAL";
}

/// Bytes of WAL a read-only open of the live generation would replay (the
/// logs RocksDB keeps after closing are the live ones).
uint64_t walBytes(const std::string &Generation) {
  uint64_t Bytes = 0;
  for (const auto &E : std::filesystem::directory_iterator(Generation))
    if (E.path().extension() == ".log")
      Bytes += E.file_size();
  return Bytes;
}

TEST_F(RocksDbStoreTest, UpdateCommitLeavesNoWalToReplay) {
  std::unique_ptr<Store> S;
  ASSERT_TRUE(open(OpenMode::Update, &S).isOk());
  for (int Round = 0; Round < 4; ++Round) {
    WriteBatch B;
    for (int I = 0; I < 5000; ++I)
      B.put(static_cast<Table>(I % 4 + 1),
            "r" + std::to_string(Round) + "k" + std::to_string(I),
            std::string(50, 'x'));
    ASSERT_TRUE(S->write(B).isOk());
  }
  uint64_t Before = walBytes(liveGeneration());
  EXPECT_GT(Before, 1'000'000u) << "the writes go through the WAL";
  ASSERT_TRUE(S->commit().isOk());
  S.reset();
  EXPECT_LT(walBytes(liveGeneration()), 4096u)
      << "every read-only open would replay the WAL";

  // And the data is all there for a reader.
  ASSERT_TRUE(open(OpenMode::ReadOnly, &S).isOk());
  std::string V;
  ASSERT_TRUE(S->get(static_cast<Table>(2), "r3k4997", &V).isOk());
  EXPECT_EQ(V, std::string(50, 'x'));
}

/// The Rebuild ingestion path with tiny runs: many spills, overwrites and
/// deletes across runs, reads in the middle (which ingest into a database
/// that already holds the same keys), several SST files per table.
TEST_F(RocksDbStoreTest, BulkRebuildMatchesAModel) {
  detail::RocksDbTuning Tuning;
  Tuning.BulkRunBytes = 64 << 10;
  Tuning.IngestFileBytes = 32 << 10;
  std::unique_ptr<Store> S;
  ASSERT_TRUE(openTuned(indexPath(), OpenMode::Rebuild, Tuning, &S).isOk());
  std::map<std::string, std::string> Model;
  std::mt19937 Rng(9);
  for (int Round = 0; Round < 3; ++Round) {
    for (int B = 0; B < 40; ++B) {
      WriteBatch W;
      for (int I = 0; I < 200; ++I) {
        std::string K = "k" + std::to_string(Rng() % 5000);
        if (Rng() % 20 == 0)
          K = std::string(600, 'L') + K;
        if (Rng() % 5 == 0) {
          W.del(Table::Names, K);
          Model.erase(K);
        } else {
          std::string V(50 + Rng() % 300, static_cast<char>('a' + Rng() % 26));
          W.put(Table::Names, K, V);
          Model[K] = V;
        }
      }
      ASSERT_TRUE(S->write(W).isOk());
    }
    EXPECT_EQ(scanAll(*S, Table::Names, ""), expectedScan(Model, ""));
  }
  ASSERT_TRUE(S->commit().isOk());
  EXPECT_EQ(scanAll(*S, Table::Names, ""), expectedScan(Model, ""));
  EXPECT_FALSE(std::filesystem::exists(liveGeneration() + "/bulk.tmp"));
  EXPECT_FALSE(std::filesystem::exists(liveGeneration() + "/ingest.tmp"));
  S.reset();
  std::unique_ptr<Store> R;
  ASSERT_TRUE(open(OpenMode::ReadOnly, &R).isOk());
  EXPECT_EQ(scanAll(*R, Table::Names, ""), expectedScan(Model, ""));
  std::string V;
  EXPECT_TRUE(R->get(Table::Meta, StorageFormatKey, &V).isOk());
}

// An index of an older version lacks a table added since: that is an
// incompatible index to rebuild, not a damaged one.
TEST_F(RocksDbStoreTest, AMissingNewerTableIsAnOlderIndex) {
  {
    std::unique_ptr<Store> S;
    ASSERT_TRUE(open(OpenMode::Rebuild, &S).isOk());
    WriteBatch B;
    B.put(Table::Entities, "k", "v");
    ASSERT_TRUE(S->write(B).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  // Drop the last table, as an index written before it existed lacks it.
  std::string Last(tableName(static_cast<Table>(NumTables - 1)));
  {
    std::vector<std::string> Names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(),
                                                liveGeneration(), &Names)
                    .ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> Cfs;
    for (const std::string &N : Names)
      Cfs.emplace_back(N, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle *> Handles;
    rocksdb::DB *Db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), liveGeneration(), Cfs,
                                  &Handles, &Db)
                    .ok());
    for (rocksdb::ColumnFamilyHandle *H : Handles) {
      if (H->GetName() == Last) {
        EXPECT_TRUE(Db->DropColumnFamily(H).ok());
      }
    }
    for (rocksdb::ColumnFamilyHandle *H : Handles)
      EXPECT_TRUE(Db->DestroyColumnFamilyHandle(H).ok());
    delete Db;
  }
  for (OpenMode Mode : {OpenMode::ReadOnly, OpenMode::Update}) {
    std::unique_ptr<Store> S;
    Status St = open(Mode, &S);
    EXPECT_TRUE(St.isIncompatible()) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("has no table '" + Last +
                                        "': it was written by an older"));
    EXPECT_THAT(St.message(), HasSubstr("extract --full"));
  }
  // A rebuild replaces it.
  std::unique_ptr<Store> S;
  ASSERT_TRUE(open(OpenMode::Rebuild, &S).isOk());
  ASSERT_TRUE(S->commit().isOk());
}

/// Every table of a read-only store, scanned whole, with the direct SST
/// scans of RocksDbTuning::DirectWholeTableScans on or off.
std::vector<std::vector<std::pair<std::string, std::string>>>
scanEveryTable(const std::string &Path, bool Direct) {
  detail::RocksDbTuning Tuning;
  Tuning.DirectWholeTableScans = Direct;
  std::unique_ptr<Store> S;
  std::vector<std::vector<std::pair<std::string, std::string>>> Out;
  Status St = openTuned(Path, OpenMode::ReadOnly, Tuning, &S);
  EXPECT_TRUE(St.isOk()) << St.toString();
  if (S)
    for (int T = 0; T < NumTables; ++T)
      Out.push_back(scanAll(*S, static_cast<Table>(T), ""));
  return Out;
}

// A whole-table scan of a read-only store reads a table that is one sorted
// run of SST files directly (SstFileReader): it must return exactly what
// the DB iterator returns, with the deletes the files hold applied, for a
// rebuilt index (several files per table in one level), after an update
// (a second level: the DB iterator then reads it) and for an index an
// update created (one L0 file).
TEST_F(RocksDbStoreTest, DirectWholeTableScansMatchTheDbIterator) {
  std::map<std::string, std::string> Model;
  std::mt19937 Rng(11);
  auto RandomBatch = [&](int Records) {
    WriteBatch W;
    for (int I = 0; I < Records; ++I) {
      char K[16];
      std::snprintf(K, sizeof(K), "k%05u", static_cast<unsigned>(Rng() % 6000));
      if (Rng() % 4 == 0) {
        W.del(Table::InEdges, K);
        Model.erase(K);
      } else {
        std::string V(20 + Rng() % 200, '\0');
        for (char &C : V) // incompressible: several files
          C = static_cast<char>(Rng());
        W.put(Table::InEdges, K, V);
        Model[K] = V;
      }
    }
    return W;
  };
  auto Check = [&](const char *When) {
    SCOPED_TRACE(When);
    auto Direct = scanEveryTable(indexPath(), true);
    auto Merged = scanEveryTable(indexPath(), false);
    ASSERT_EQ(Direct.size(), size_t(NumTables));
    EXPECT_EQ(Direct, Merged);
    EXPECT_EQ(Direct[static_cast<size_t>(Table::InEdges)],
              expectedScan(Model, ""));
  };

  {
    // A rebuild in several sorted runs and ingested files, no reads in the
    // middle: deletes of keys an earlier run put become tombstones in the
    // files.
    detail::RocksDbTuning Tuning;
    Tuning.BulkRunBytes = 32 << 10;
    Tuning.IngestFileBytes = 16 << 10;
    std::unique_ptr<Store> S;
    ASSERT_TRUE(openTuned(indexPath(), OpenMode::Rebuild, Tuning, &S).isOk());
    for (int B = 0; B < 30; ++B)
      ASSERT_TRUE(S->write(RandomBatch(200)).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  size_t Files = 0;
  for (const auto &E : std::filesystem::directory_iterator(liveGeneration()))
    Files += E.path().extension() == ".sst";
  EXPECT_GT(Files, 5u) << "in_edges should be several files";
  Check("rebuilt");

  {
    std::unique_ptr<Store> S;
    ASSERT_TRUE(open(OpenMode::Update, &S).isOk());
    ASSERT_TRUE(S->write(RandomBatch(300)).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  Check("updated");

  std::filesystem::remove_all(indexPath());
  Model.clear();
  {
    std::unique_ptr<Store> S;
    ASSERT_TRUE(open(OpenMode::Update, &S).isOk());
    ASSERT_TRUE(S->write(RandomBatch(300)).isOk());
    ASSERT_TRUE(S->write(RandomBatch(300)).isOk());
    ASSERT_TRUE(S->commit().isOk());
  }
  Check("created by an update");
}

} // namespace
