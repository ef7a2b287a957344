//===- Indexer.h - The `extract` pipeline -----------------------*- C++ -*-===//
//
// runExtract() is `code-indexer extract`: it loads the compile database,
// decides which translation units need parsing (all of them on a full
// build; those whose fingerprint changed on an incremental one), runs Clang
// on them with --jobs workers, streams each TU's facts through the bounded
// BatchWriter into the store, and writes the JSON export.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_INDEXER_H
#define CODEINDEX_PLUGIN_INDEXER_H

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace codeindex {

enum class ProgressMode { Auto, Always, Never };

struct ExtractRequest {
  std::string CompileCommands; ///< build dir or compile_commands.json
  std::string Db;              ///< store spec; empty = platform default
  std::string Json;            ///< export path; empty = none
  unsigned Jobs = 0;           ///< 0 = hardware threads
  std::string Root;            ///< empty = derived
  std::vector<std::string> Exclude;
  bool ExcludeTests = false;
  bool Full = false;
  bool IndexSystem = false;
  bool DedupHeaders = true;
  bool Strict = false;
  bool WaitForLock = false;
  std::string RocksDbOptions;
  ProgressMode Progress = ProgressMode::Auto;
  bool Quiet = false;
  unsigned TuTimeoutSeconds = 0;
};

/// Runs `extract`; returns the process exit code. Messages go to stderr.
int runExtract(const ExtractRequest &R);

/// Runs `export`: the JSON (or other format) of an existing index.
int runExport(const std::string &Db, const std::string &Json);

/// "code-indexer 0.1.0 (Clang 19.1.7)".
std::string versionString();

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_INDEXER_H
