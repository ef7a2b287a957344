//===- IncrementalPlanTest.cpp - planIncrementalRun, tusReadingOrphans ----===//
//
// Every case of lit-tests/incremental.test, on the planning functions alone:
// a project of a.cpp, b.cpp (both include common.h), c.cpp (includes old.h),
// d.cpp, and later e.cpp (includes common.h); a.cpp owns common.h's unit.
//
//===----------------------------------------------------------------------===//

#include "pipeline/IncrementalPlan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <map>

namespace codeindex {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr uint64_t Variant = 7;

// Units: one per file, in the TUs' configuration.
const UnitKey AUnit{101, Variant}, BUnit{102, Variant}, CUnit{103, Variant},
    DUnit{104, Variant}, EUnit{105, Variant}, CommonUnit{110, Variant},
    OldUnit{111, Variant};

std::map<std::string, Id> FileIds = {{"/p/a.cpp", 101}, {"/p/b.cpp", 102},
                                     {"/p/c.cpp", 103}, {"/p/d.cpp", 104},
                                     {"/p/e.cpp", 105}, {"/p/common.h", 110},
                                     {"/p/old.h", 111}};

TuInput input(Id Key, const std::string &Main, uint64_t Command = 1) {
  TuInput T;
  T.Key = Key;
  T.MainFile = Main;
  T.CommandHash = Command;
  T.Variant = Variant;
  return T;
}

TuRecord record(Id Key, std::vector<std::pair<std::string, uint64_t>> Inputs,
                std::vector<UnitKey> Owned, uint64_t Command = 1) {
  TuRecord R;
  R.Key = Key;
  R.CommandHash = Command;
  R.Variant = Variant;
  R.Inputs = std::move(Inputs);
  R.OwnedUnits = std::move(Owned);
  return R;
}

class IncrementalPlanTest : public ::testing::Test {
protected:
  // The index after the first run of the lit test.
  std::vector<TuRecord> Old = {
      record(1, {{"/p/a.cpp", 1}, {"/p/common.h", 10}}, {AUnit, CommonUnit}),
      record(2, {{"/p/b.cpp", 2}, {"/p/common.h", 10}}, {BUnit}),
      record(3, {{"/p/c.cpp", 3}, {"/p/old.h", 11}}, {CUnit, OldUnit}),
      record(4, {{"/p/d.cpp", 4}}, {DUnit})};
  std::vector<UnitKey> Stored = {AUnit, BUnit,      CUnit,
                                 DUnit, CommonUnit, OldUnit};
  std::vector<TuInput> New = {input(1, "/p/a.cpp"), input(2, "/p/b.cpp"),
                              input(3, "/p/c.cpp"), input(4, "/p/d.cpp")};
  std::map<std::string, uint64_t> Hashes = {
      {"/p/a.cpp", 1}, {"/p/b.cpp", 2},     {"/p/c.cpp", 3},
      {"/p/d.cpp", 4}, {"/p/common.h", 10}, {"/p/old.h", 11}};
  std::string OldOptions = "opts", NewOptions = "opts";

  IncrementalPlan plan() {
    IncrementalInputs In;
    In.OldTus = &Old;
    In.StoredUnits = &Stored;
    In.NewTus = &New;
    In.HashOf = [this](const std::string &P) {
      auto It = Hashes.find(P);
      return It == Hashes.end() ? uint64_t(0) : It->second;
    };
    In.OldOptionsFingerprint = OldOptions;
    In.NewOptionsFingerprint = NewOptions;
    return planIncrementalRun(In);
  }

  /// tusReadingOrphans over New, with Records[Key] as what each TU read.
  std::vector<size_t> reading(const std::set<UnitKey> &Orphans,
                              const std::map<Id, TuRecord> &Records) {
    return tusReadingOrphans(
        Orphans, New,
        [&](size_t I) -> const TuRecord * {
          auto It = Records.find(New[I].Key);
          return It == Records.end() ? nullptr : &It->second;
        },
        [](const std::string &P) { return FileIds.at(P); });
  }
};

TEST_F(IncrementalPlanTest, FullBuildParsesEverything) {
  Old.clear();
  Stored.clear();
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(P.Clean, IsEmpty());
  EXPECT_THAT(P.Removed, IsEmpty());
  EXPECT_THAT(P.Released, IsEmpty());
  EXPECT_THAT(P.Unowned, IsEmpty());
  EXPECT_THAT(P.PreAssigned, IsEmpty());
}

TEST_F(IncrementalPlanTest, NoChangeParsesNothing) {
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, IsEmpty());
  EXPECT_THAT(P.Clean, UnorderedElementsAre(1, 2, 3, 4));
  EXPECT_THAT(P.Removed, IsEmpty());
  EXPECT_THAT(P.Released, IsEmpty());
  EXPECT_THAT(P.Unowned, IsEmpty());
  EXPECT_FALSE(P.OptionsChanged);
  EXPECT_THAT(P.PreAssigned,
              UnorderedElementsAre(Pair(AUnit, 1), Pair(CommonUnit, 1),
                                   Pair(BUnit, 2), Pair(CUnit, 3),
                                   Pair(OldUnit, 3), Pair(DUnit, 4)));
}

TEST_F(IncrementalPlanTest, EditedSourceParsesOnlyIt) {
  Hashes["/p/a.cpp"] = 99;
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(0));
  EXPECT_THAT(P.Clean, UnorderedElementsAre(2, 3, 4));
  // a.cpp re-parsed: what it owned is released; it claims it again.
  EXPECT_THAT(P.Released, UnorderedElementsAre(AUnit, CommonUnit));
  EXPECT_THAT(P.PreAssigned,
              UnorderedElementsAre(Pair(BUnit, 2), Pair(CUnit, 3),
                                   Pair(OldUnit, 3), Pair(DUnit, 4)));
}

TEST_F(IncrementalPlanTest, EditedSharedHeaderParsesEveryReader) {
  Hashes["/p/common.h"] = 99;
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(0, 1));
  EXPECT_THAT(P.Clean, UnorderedElementsAre(3, 4));
  EXPECT_THAT(P.Released, UnorderedElementsAre(AUnit, CommonUnit, BUnit));
}

TEST_F(IncrementalPlanTest, UnreadableInputMakesTheTuDirty) {
  Hashes.erase("/p/old.h");
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(2));
}

TEST_F(IncrementalPlanTest, ChangedDefineIsANewTuReplacingTheOld) {
  // -DUSE_EXTRA changes the TU's key (main file, directory, arguments).
  New[2] = input(33, "/p/c.cpp", 2);
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(2));
  EXPECT_THAT(P.Clean, UnorderedElementsAre(1, 2, 4));
  EXPECT_THAT(P.Removed, ElementsAre(3));
  EXPECT_THAT(P.Released, UnorderedElementsAre(CUnit, OldUnit));
}

TEST_F(IncrementalPlanTest, ChangedCommandOfTheSameKeyIsDirty) {
  New[3].CommandHash = 2;
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(3));
  EXPECT_THAT(P.Released, ElementsAre(DUnit));
  EXPECT_THAT(P.Removed, IsEmpty());
}

TEST_F(IncrementalPlanTest, RemovedTuReleasesItsUnits) {
  New.pop_back();
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, IsEmpty());
  EXPECT_THAT(P.Clean, UnorderedElementsAre(1, 2, 3));
  EXPECT_THAT(P.Removed, ElementsAre(4));
  EXPECT_THAT(P.Released, ElementsAre(DUnit));
  // Nobody reads d.cpp: nothing to parse again, the unit is removed.
  std::map<Id, TuRecord> Records = {{1, Old[0]}, {2, Old[1]}, {3, Old[2]}};
  EXPECT_THAT(reading({DUnit}, Records), IsEmpty());
}

TEST_F(IncrementalPlanTest, AddedTuIsTheOnlyOneParsed) {
  New.push_back(input(5, "/p/e.cpp"));
  Hashes["/p/e.cpp"] = 5;
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(4));
  EXPECT_THAT(P.Clean, UnorderedElementsAre(1, 2, 3, 4));
  EXPECT_THAT(P.Released, IsEmpty());
  EXPECT_THAT(P.Removed, IsEmpty());
}

TEST_F(IncrementalPlanTest, HeaderNoLongerIncludedIsNotReadAgain) {
  Hashes["/p/c.cpp"] = 98; // c.cpp no longer includes old.h
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(2));
  EXPECT_THAT(P.Released, UnorderedElementsAre(CUnit, OldUnit));
  // After the pass c.cpp claimed only itself: old.h is an orphan that no
  // TU reads, so no TU is parsed again (and the run removes the unit).
  std::map<Id, TuRecord> Records = {{1, Old[0]},
                                    {2, Old[1]},
                                    {3, record(3, {{"/p/c.cpp", 98}}, {CUnit})},
                                    {4, Old[3]}};
  EXPECT_THAT(reading({OldUnit}, Records), IsEmpty());
}

TEST_F(IncrementalPlanTest, RenamedFunctionInHeaderParsesItsReaders) {
  // State of the lit test before step 7: e.cpp added, d.cpp removed.
  New = {input(1, "/p/a.cpp"), input(2, "/p/b.cpp"), input(3, "/p/c.cpp"),
         input(5, "/p/e.cpp")};
  Old[3] = record(5, {{"/p/e.cpp", 5}, {"/p/common.h", 10}}, {EUnit});
  Stored = {AUnit, BUnit, CUnit, EUnit, CommonUnit, OldUnit};
  Hashes["/p/e.cpp"] = 5;
  // common.h renames shared() to common(); a.cpp and b.cpp call it.
  Hashes["/p/common.h"] = 30;
  Hashes["/p/a.cpp"] = 31;
  Hashes["/p/b.cpp"] = 32;
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, ElementsAre(0, 1, 3));
  EXPECT_THAT(P.Clean, UnorderedElementsAre(3));
  EXPECT_THAT(P.Released,
              UnorderedElementsAre(AUnit, CommonUnit, BUnit, EUnit));
  EXPECT_THAT(P.Removed, IsEmpty());
}

TEST_F(IncrementalPlanTest,
       RemovingTheOwnersOfAHeaderStillReadReparsesAReader) {
  // cc5.json: only c.cpp and e.cpp remain; a.cpp owned common.h.
  Old.push_back(record(5, {{"/p/e.cpp", 5}, {"/p/common.h", 10}}, {EUnit}));
  Stored.push_back(EUnit);
  Hashes["/p/e.cpp"] = 5;
  New = {input(3, "/p/c.cpp"), input(5, "/p/e.cpp")};
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, IsEmpty());
  EXPECT_THAT(P.Clean, UnorderedElementsAre(3, 5));
  EXPECT_THAT(P.Removed, UnorderedElementsAre(1, 2, 4));
  EXPECT_THAT(P.Released,
              UnorderedElementsAre(AUnit, CommonUnit, BUnit, DUnit));
  // e.cpp (clean, old record) still reads common.h: it is parsed again so
  // that the header's facts come back.
  std::map<Id, TuRecord> Records = {{3, Old[2]}, {5, Old[4]}};
  EXPECT_THAT(reading({AUnit, CommonUnit, BUnit, DUnit}, Records),
              ElementsAre(1));
}

TEST_F(IncrementalPlanTest, OrphanOfTheConfigurationIndependentVariant) {
  std::map<Id, TuRecord> Records = {{1, Old[0]}, {2, Old[1]}};
  EXPECT_THAT(reading({UnitKey{110, 0}}, Records), ElementsAre(0, 1));
  EXPECT_THAT(reading({UnitKey{110, Variant + 1}}, Records), IsEmpty());
}

TEST_F(IncrementalPlanTest, FailedTuIsNeverAReader) {
  // RecordOf gives null for a TU that failed this run: it read nothing.
  std::map<Id, TuRecord> Records = {{2, Old[1]}};
  EXPECT_THAT(reading({CommonUnit}, Records), ElementsAre(1));
}

TEST_F(IncrementalPlanTest, UnitsLeftUnownedByAnInterruptedRun) {
  // The interrupted run committed a.cpp without common.h (it let it go)
  // but not the removal of common.h's unit.
  Old[0].OwnedUnits = {AUnit};
  IncrementalPlan P = plan();
  EXPECT_THAT(P.Dirty, IsEmpty());
  EXPECT_THAT(P.Unowned, ElementsAre(CommonUnit));
  EXPECT_THAT(P.Released, IsEmpty());
  // b.cpp reads it: it is parsed again to own it.
  std::map<Id, TuRecord> Records = {{1, Old[0]}, {2, Old[1]}};
  EXPECT_THAT(reading({CommonUnit}, Records), ElementsAre(0, 1));
}

TEST_F(IncrementalPlanTest, FailedTuIsAlwaysParsedAgain) {
  for (TuStatus S : {TuStatus::Failed, TuStatus::Crashed, TuStatus::TimedOut}) {
    Old[3].Status = S;
    IncrementalPlan P = plan();
    EXPECT_THAT(P.Dirty, ElementsAre(3)) << spell(S);
  }
  Old[3].Status = TuStatus::Errors; // indexed, with compile errors
  EXPECT_THAT(plan().Dirty, IsEmpty());
}

TEST_F(IncrementalPlanTest, ChangedOptionsMakeEveryTuDirty) {
  NewOptions = "other";
  IncrementalPlan P = plan();
  EXPECT_TRUE(P.OptionsChanged);
  EXPECT_THAT(P.Dirty, ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(P.Clean, IsEmpty());
  EXPECT_THAT(P.PreAssigned, IsEmpty());
  EXPECT_THAT(P.Released, UnorderedElementsAre(AUnit, CommonUnit, BUnit, CUnit,
                                               OldUnit, DUnit));
}

} // namespace
} // namespace codeindex
