//===- IncrementalPlan.cpp - Which TUs an incremental run parses ----------===//

#include "pipeline/IncrementalPlan.h"

#include <map>

namespace codeindex {

bool failedTu(TuStatus S) {
  return S == TuStatus::Failed || S == TuStatus::Crashed ||
         S == TuStatus::TimedOut;
}

IncrementalPlan planIncrementalRun(const IncrementalInputs &In) {
  static const std::vector<TuRecord> NoRecords;
  static const std::vector<UnitKey> NoUnits;
  static const std::vector<TuInput> NoInputs;
  const std::vector<TuRecord> &Old = In.OldTus ? *In.OldTus : NoRecords;
  const std::vector<UnitKey> &Stored =
      In.StoredUnits ? *In.StoredUnits : NoUnits;
  const std::vector<TuInput> &Tus = In.NewTus ? *In.NewTus : NoInputs;

  IncrementalPlan P;
  P.OptionsChanged = In.OldOptionsFingerprint != In.NewOptionsFingerprint;

  std::map<Id, const TuRecord *> OldByKey;
  for (const TuRecord &T : Old)
    OldByKey.emplace(T.Key, &T);
  std::set<Id> NewKeys;
  for (const TuInput &T : Tus)
    NewKeys.insert(T.Key);

  for (size_t I = 0; I < Tus.size(); ++I) {
    auto It = OldByKey.find(Tus[I].Key);
    const TuRecord *Rec = It == OldByKey.end() ? nullptr : It->second;
    bool Same = Rec && !P.OptionsChanged && !failedTu(Rec->Status) &&
                Rec->CommandHash == Tus[I].CommandHash;
    if (Same)
      for (const auto &[Path, Hash] : Rec->Inputs)
        if (In.HashOf(Path) != Hash) {
          Same = false;
          break;
        }
    if (Same) {
      P.Clean.insert(Tus[I].Key);
      for (const UnitKey &U : Rec->OwnedUnits)
        P.PreAssigned.emplace_back(U, Tus[I].Key);
    } else {
      P.Dirty.push_back(I);
      if (Rec)
        P.Released.insert(P.Released.end(), Rec->OwnedUnits.begin(),
                          Rec->OwnedUnits.end());
    }
  }
  for (const auto &[K, T] : OldByKey)
    if (!NewKeys.count(K)) {
      P.Removed.push_back(K);
      P.Released.insert(P.Released.end(), T->OwnedUnits.begin(),
                        T->OwnedUnits.end());
    }

  std::set<UnitKey> Owned;
  for (const TuRecord &T : Old)
    Owned.insert(T.OwnedUnits.begin(), T.OwnedUnits.end());
  for (const UnitKey &U : Stored)
    if (!Owned.count(U))
      P.Unowned.push_back(U);
  return P;
}

std::vector<size_t>
tusReadingOrphans(const std::set<UnitKey> &Orphans,
                  const std::vector<TuInput> &Tus,
                  llvm::function_ref<const TuRecord *(size_t)> RecordOf,
                  llvm::function_ref<Id(const std::string &AbsPath)> FileIdOf) {
  std::vector<size_t> Again;
  if (Orphans.empty())
    return Again;
  for (size_t I = 0; I < Tus.size(); ++I) {
    const TuRecord *Rec = RecordOf(I);
    if (!Rec)
      continue;
    for (const auto &[Path, Hash] : Rec->Inputs) {
      Id F = FileIdOf(Path);
      if (Orphans.count(UnitKey{F, Tus[I].Variant}) ||
          Orphans.count(UnitKey{F, 0})) {
        Again.push_back(I);
        break;
      }
    }
  }
  return Again;
}

} // namespace codeindex
