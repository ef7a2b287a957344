//===- WindowsSharingTest.cpp - Other programs holding the index's files --===//
//
// Windows only (built where _WIN32 is defined). An open file there excludes
// what its share mode does not allow: a backup tool, an editor or an
// on-access virus scanner that opens data.mdb, CURRENT or a fresh file
// without FILE_SHARE_DELETE or FILE_SHARE_WRITE makes deletes, renames or
// writable opens fail while it holds it. The store must report that as
// "in use", never crash or call the index damaged, and a commit must either
// succeed once the holder lets go or fail keeping the old index.
//
// Scanner imitates an on-access scanner: a thread that opens every file
// that appears (or changes) under the index, including those present when
// it starts, and holds each for a few hundred milliseconds.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "Platform.h"

#include "codeindex/storage/Store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

using namespace codeindex::storage;
using namespace codeindex::storage::testing;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

/// Opens Path for reading with Share, as another program would; closes it
/// on destruction.
class Hold {
public:
  Hold(const std::string &Path, DWORD Share) {
    H = CreateFileW(detail::toWidePath(Path).c_str(), GENERIC_READ, Share,
                    nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  }
  ~Hold() { release(); }
  Hold(const Hold &) = delete;
  Hold &operator=(const Hold &) = delete;
  bool held() const { return H != INVALID_HANDLE_VALUE; }
  void release() {
    if (held())
      CloseHandle(H);
    H = INVALID_HANDLE_VALUE;
  }

private:
  HANDLE H = INVALID_HANDLE_VALUE;
};

class Scanner {
public:
  Scanner(std::string Root, DWORD Share, std::chrono::milliseconds HoldFor)
      : Root(std::move(Root)), Share(Share), HoldFor(HoldFor),
        Thread([this] { run(); }) {}
  ~Scanner() { stop(); }
  Scanner(const Scanner &) = delete;
  Scanner &operator=(const Scanner &) = delete;

  void stop() {
    Stop = true;
    if (Thread.joinable())
      Thread.join();
  }
  /// Files opened so far (a file that changed counts again).
  int held() const { return Held.load(); }
  /// The names of the files held so far, relative to Root.
  std::set<std::string> names() const {
    std::lock_guard Lock(NamesMutex);
    return Names;
  }

private:
  void run() {
    struct Open {
      HANDLE H;
      std::chrono::steady_clock::time_point Until;
    };
    std::vector<Open> Opens;
    // A file is "new" while its (name, size, write time) is unseen.
    std::set<std::tuple<std::string, uintmax_t, int64_t>> Seen;
    while (!Stop.load()) {
      std::error_code Ec;
      std::filesystem::recursive_directory_iterator It(
          Root, std::filesystem::directory_options::skip_permission_denied, Ec);
      for (; !Ec && It != std::filesystem::recursive_directory_iterator();
           It.increment(Ec)) {
        std::error_code E2;
        if (!It->is_regular_file(E2))
          continue;
        std::string Path = It->path().string();
        uintmax_t Size = It->file_size(E2);
        int64_t Time = It->last_write_time(E2).time_since_epoch().count();
        if (!Seen.insert({Path, Size, Time}).second)
          continue;
        HANDLE H = CreateFileW(It->path().c_str(), GENERIC_READ, Share, nullptr,
                               OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
        if (H == INVALID_HANDLE_VALUE)
          continue; // gone already, or held in a way that excludes us
        Opens.push_back({H, std::chrono::steady_clock::now() + HoldFor});
        ++Held;
        std::lock_guard Lock(NamesMutex);
        Names.insert(Path.substr(std::min(Path.size(), Root.size() + 1)));
      }
      auto Now = std::chrono::steady_clock::now();
      for (size_t I = 0; I < Opens.size();) {
        if (Opens[I].Until <= Now) {
          CloseHandle(Opens[I].H);
          Opens[I] = Opens.back();
          Opens.pop_back();
        } else {
          ++I;
        }
      }
      std::this_thread::sleep_for(2ms);
    }
    for (const Open &O : Opens)
      CloseHandle(O.H);
  }

  std::string Root;
  DWORD Share;
  std::chrono::milliseconds HoldFor;
  std::atomic<bool> Stop{false};
  std::atomic<int> Held{0};
  mutable std::mutex NamesMutex;
  std::set<std::string> Names;
  std::thread Thread; ///< last: starts once the rest is initialised
};

class WindowsSharingTest : public ::testing::Test {
protected:
  std::string indexPath() const { return Dir.path() + "\\index"; }

  Status open(OpenMode Mode, std::unique_ptr<Store> *Out) {
    OpenOptions O;
    O.Mode = Mode;
    O.LmdbInitialMapBytes = 4 << 20;
    return openStore(StoreSpec{"lmdb", indexPath()}, O, Out);
  }

  /// Writes Count records "<Tag>/<i>" and commits.
  void build(OpenMode Mode, const std::string &Tag, int Count) {
    std::unique_ptr<Store> S;
    Status St = open(Mode, &S);
    ASSERT_TRUE(St.isOk()) << St.toString();
    WriteBatch B;
    for (int I = 0; I < Count; ++I)
      B.put(Table::Entities, Tag + "/" + std::to_string(I),
            std::string(200, 'v'));
    ASSERT_TRUE(S->write(B).isOk());
    St = S->commit();
    ASSERT_TRUE(St.isOk()) << St.toString();
  }

  /// Records under Tag/ in the committed index.
  size_t count(const std::string &Tag) {
    std::unique_ptr<Store> S;
    Status St = open(OpenMode::ReadOnly, &S);
    EXPECT_TRUE(St.isOk()) << St.toString();
    return S ? scanAll(*S, Table::Entities, Tag + "/").size() : 0;
  }

  std::string liveDataFile() const {
    auto Gens = generations(indexPath());
    EXPECT_EQ(Gens.size(), 1u);
    return indexPath() + "\\" + (Gens.empty() ? "" : Gens.back()) +
           "\\data.mdb";
  }

  TempDir Dir;
};

// Issue: LMDB's Windows mdb_strerror() returned NULL for Win32 codes (GCC
// proves it returns a local's address), and the open appended it to a
// std::string: an update-mode open of an index whose data.mdb another
// program held without write sharing killed the process.
TEST_F(WindowsSharingTest, DataFileHeldWithoutWriteSharingIsAStatus) {
  build(OpenMode::Update, "old", 100);
  Hold Backup(liveDataFile(), FILE_SHARE_READ);
  ASSERT_TRUE(Backup.held());
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::Update, &S);
  ASSERT_FALSE(St.isOk());
  EXPECT_FALSE(S);
  EXPECT_THAT(St.message(),
              HasSubstr(detail::systemErrorText(ERROR_SHARING_VIOLATION)));
}

// A sharing violation is "in use, retry", not "damaged, rebuild", and the
// message is one line (no FormatMessage CRLF).
TEST_F(WindowsSharingTest, HeldFilesAreBusyNotCorruption) {
  build(OpenMode::Update, "old", 100);
  std::string Data = liveDataFile();
  std::string Lock = Data.substr(0, Data.size() - 8) + "lock.mdb";
  for (const std::string &File : {Data, Lock}) {
    SCOPED_TRACE(File);
    Hold Editor(File, FILE_SHARE_READ);
    ASSERT_TRUE(Editor.held());
    std::unique_ptr<Store> S;
    Status St = open(OpenMode::Update, &S);
    EXPECT_TRUE(St.isBusy()) << St.toString();
    EXPECT_FALSE(St.isCorruption()) << St.toString();
    EXPECT_THAT(St.message(), HasSubstr("in use by another program"));
    EXPECT_THAT(St.message(), Not(HasSubstr("extract --full")));
    EXPECT_EQ(St.message().find_first_of("\r\n"), std::string::npos)
        << St.toString();
  }
  // Once it lets go, nothing was harmed.
  EXPECT_EQ(count("old"), 100u);
}

// A reader only needs read access: a holder that shares reading does not
// stop it.
TEST_F(WindowsSharingTest, ReaderOpensWhileDataFileIsHeldForReading) {
  build(OpenMode::Update, "old", 100);
  Hold Backup(liveDataFile(), FILE_SHARE_READ);
  ASSERT_TRUE(Backup.held());
  EXPECT_EQ(count("old"), 100u);
}

// A holder that lets go within the retry window: the writer gets in.
TEST_F(WindowsSharingTest, WriterWaitsForABriefHolder) {
  build(OpenMode::Update, "old", 100);
  auto Backup = std::make_unique<Hold>(liveDataFile(), FILE_SHARE_READ);
  ASSERT_TRUE(Backup->held());
  std::thread Release([&] {
    std::this_thread::sleep_for(300ms);
    Backup->release();
  });
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::Update, &S);
  Release.join();
  ASSERT_TRUE(St.isOk()) << St.toString();
  WriteBatch B;
  B.put(Table::Entities, "new/0", "x");
  ASSERT_TRUE(S->write(B).isOk());
  ASSERT_TRUE(S->commit().isOk());
  S.reset();
  EXPECT_EQ(count("old"), 100u);
  EXPECT_EQ(count("new"), 1u);
}

struct ScannerKind {
  const char *Name;
  DWORD Share;
};

// Names the parameter in test names (instead of its bytes).
void PrintTo(const ScannerKind &K, std::ostream *OS) { *OS << K.Name; }

class ScannerTest : public WindowsSharingTest,
                    public ::testing::WithParamInterface<ScannerKind> {
protected:
  /// How long the scanner holds each file; longer than the store's
  /// per-step retries would be unfair, shorter would prove little.
  static constexpr auto HoldFor = 300ms;

  /// After the scanner let go: the committed index holds exactly Tag's
  /// records, and the next writer leaves one generation.
  void expectOnly(const std::string &Tag, const std::string &Gone) {
    EXPECT_EQ(count(Tag), 3000u) << Tag;
    EXPECT_EQ(count(Gone), 0u) << Gone;
    std::unique_ptr<Store> W;
    Status St = open(OpenMode::Update, &W);
    ASSERT_TRUE(St.isOk()) << St.toString();
    EXPECT_EQ(generations(indexPath()).size(), 1u)
        << "the next writer removes what the scanner kept alive";
  }
};

// The scanner is there from the start: it holds the old generation's files,
// then every file of the rebuild as it appears (runs, data.mdb, lock.mdb,
// READERS, the compacted copy, CURRENT.tmp, CURRENT) while the rebuild
// writes, compacts, renames and deletes the old generation.
TEST_P(ScannerTest, RebuildCommitsOrFailsCleanly) {
  build(OpenMode::Update, "old", 3000);
  Status Committed;
  {
    Scanner Scan(indexPath(), GetParam().Share, HoldFor);
    std::unique_ptr<Store> S;
    Status St = open(OpenMode::Rebuild, &S);
    ASSERT_TRUE(St.isOk()) << St.toString();
    for (int Part = 0; Part < 3; ++Part) {
      WriteBatch B;
      for (int I = Part * 1000; I < (Part + 1) * 1000; ++I)
        B.put(Table::Entities, "new/" + std::to_string(I),
              std::string(200, 'n'));
      ASSERT_TRUE(S->write(B).isOk());
      std::this_thread::sleep_for(50ms); // let the scanner see the runs
    }
    Committed = S->commit();
    S.reset();
    EXPECT_GT(Scan.held(), 0);
  }
  if (Committed.isOk()) {
    expectOnly("new", "old");
  } else {
    // A clean failure: not "damaged", and the old index is whole.
    EXPECT_FALSE(Committed.isCorruption()) << Committed.toString();
    expectOnly("old", "new");
  }
}

// The scanner starts just before commit(): it holds the old generation's
// files (present at its start) while commit() deletes that generation, and
// the new CURRENT as it appears.
TEST_P(ScannerTest, GenerationCleanUpLosesNothing) {
  build(OpenMode::Update, "old", 3000);
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::Rebuild, &S);
  ASSERT_TRUE(St.isOk()) << St.toString();
  WriteBatch B;
  for (int I = 0; I < 3000; ++I)
    B.put(Table::Entities, "new/" + std::to_string(I), std::string(200, 'n'));
  ASSERT_TRUE(S->write(B).isOk());
  {
    Scanner Scan(indexPath(), GetParam().Share, HoldFor);
    while (Scan.held() == 0)
      std::this_thread::sleep_for(1ms);
    St = S->commit();
    S.reset();
    // Readers during the hold see the new index.
    if (St.isOk()) {
      EXPECT_EQ(count("new"), 3000u);
    }
  }
  ASSERT_TRUE(St.isOk()) << St.toString();
  expectOnly("new", "old");
}

// An Update run starts while the scanner holds the live data.mdb (it just
// appeared in the scanner's view) and commits while it holds what changed.
TEST_P(ScannerTest, UpdateRunCommits) {
  build(OpenMode::Update, "old", 3000);
  Scanner Scan(indexPath(), GetParam().Share, HoldFor);
  while (Scan.held() == 0)
    std::this_thread::sleep_for(1ms);
  std::unique_ptr<Store> S;
  Status St = open(OpenMode::Update, &S);
  ASSERT_TRUE(St.isOk()) << St.toString();
  for (int Part = 0; Part < 3; ++Part) {
    WriteBatch B;
    for (int I = Part * 100; I < (Part + 1) * 100; ++I)
      B.put(Table::Entities, "more/" + std::to_string(I), "m");
    ASSERT_TRUE(S->write(B).isOk());
  }
  St = S->commit();
  ASSERT_TRUE(St.isOk()) << St.toString();
  S.reset();
  Scan.stop();
  EXPECT_EQ(count("old"), 3000u);
  EXPECT_EQ(count("more"), 300u);
}

INSTANTIATE_TEST_SUITE_P(
    Windows, ScannerTest,
    ::testing::Values(
        ScannerKind{"NoShareDelete", FILE_SHARE_READ | FILE_SHARE_WRITE},
        ScannerKind{"NoShareWrite", FILE_SHARE_READ | FILE_SHARE_DELETE}),
    [](const ::testing::TestParamInfo<ScannerKind> &I) {
      return std::string(I.param.Name);
    });

} // namespace
