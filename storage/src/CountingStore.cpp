//===- CountingStore.cpp - A Store that counts what is read ---------------===//

#include "codeindex/storage/CountingStore.h"

namespace codeindex::storage {

class CountingStore::CountingIterator final : public Iterator {
public:
  CountingIterator(std::unique_ptr<Iterator> Inner, CountingStore &Owner)
      : Inner(std::move(Inner)), Owner(Owner) {
    count();
  }
  bool valid() const override { return Inner->valid(); }
  void next() override {
    Inner->next();
    count();
  }
  std::string_view key() const override { return Inner->key(); }
  std::string_view value() const override { return Inner->value(); }
  Status status() const override { return Inner->status(); }

private:
  void count() {
    if (!Inner->valid())
      return;
    Owner.Records.fetch_add(1, std::memory_order_relaxed);
    Owner.Bytes.fetch_add(Inner->key().size() + Inner->value().size(),
                          std::memory_order_relaxed);
  }

  std::unique_ptr<Iterator> Inner;
  CountingStore &Owner;
};

ReadStats CountingStore::readStats() const {
  ReadStats R;
  R.Gets = Gets.load();
  R.Scans = Scans.load();
  R.Records = Records.load();
  R.Bytes = Bytes.load();
  return R;
}

void CountingStore::resetReadStats() {
  Gets = 0;
  Scans = 0;
  Records = 0;
  Bytes = 0;
}

Status CountingStore::get(Table T, std::string_view Key, std::string *Value) {
  Gets.fetch_add(1, std::memory_order_relaxed);
  Status St = Inner.get(T, Key, Value);
  if (St.isOk()) {
    Records.fetch_add(1, std::memory_order_relaxed);
    Bytes.fetch_add(Key.size() + Value->size(), std::memory_order_relaxed);
  }
  return St;
}

std::unique_ptr<Iterator> CountingStore::scan(Table T,
                                              std::string_view Prefix) {
  Scans.fetch_add(1, std::memory_order_relaxed);
  return std::make_unique<CountingIterator>(Inner.scan(T, Prefix), *this);
}

std::unique_ptr<Iterator> CountingStore::scanShare(Table T, unsigned Share,
                                                   unsigned Shares) {
  Scans.fetch_add(1, std::memory_order_relaxed);
  return std::make_unique<CountingIterator>(Inner.scanShare(T, Share, Shares),
                                            *this);
}

} // namespace codeindex::storage
