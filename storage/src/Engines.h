//===- Engines.h - Engine constructors and shared helpers -------*- C++ -*-===//
//
// Private to the storage library (and its tests). openStore() dispatches to
// these after parsing the spec.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_ENGINES_H
#define CODEINDEX_STORAGE_SRC_ENGINES_H

#include "codeindex/storage/Status.h"
#include "codeindex/storage/Store.h"

#include <memory>
#include <string>
#include <string_view>

namespace codeindex::storage::detail {

Status openMemoryStore(const OpenOptions &Options, std::unique_ptr<Store> *Out);
#ifdef CODEINDEX_STORAGE_HAVE_ROCKSDB
Status openRocksDbStore(const std::string &Path, const OpenOptions &Options,
                        std::unique_ptr<Store> *Out);
#endif
#ifdef CODEINDEX_STORAGE_HAVE_LMDB
Status openLmdbStore(const std::string &Path, const OpenOptions &Options,
                     std::unique_ptr<Store> *Out);
#endif

/// InvalidArgument if a batch holds an empty key. Engines call it before
/// applying anything so that a bad batch changes nothing.
Status validateBatch(const WriteBatch &Batch);

/// Writes the storage format marker into a fresh store.
Status writeFormatMarker(Store &S);
/// Checks the marker of an existing store: Incompatible if it is missing or
/// names another format, with a message saying which and how to rebuild.
Status checkFormatMarker(Store &S, const std::string &Path);

/// The smallest string greater than every string starting with Prefix, or
/// "" if there is none (Prefix empty or all 0xff bytes).
std::string prefixSuccessor(std::string_view Prefix);

inline bool startsWith(std::string_view S, std::string_view Prefix) {
  return S.size() >= Prefix.size() && S.substr(0, Prefix.size()) == Prefix;
}

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_ENGINES_H
