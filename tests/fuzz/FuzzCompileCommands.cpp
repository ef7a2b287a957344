//===- FuzzCompileCommands.cpp - libFuzzer target: compile databases ------===//
//
// Feeds arbitrary bytes to parseCompileCommands() and checks, besides "no
// crash, no sanitizer report", the sanitiser's promise: no flag that loads
// code, runs inside our process or names an output survives.
//
//===----------------------------------------------------------------------===//

#include "extractor/CompileCommands.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace codeindex;

static void fail(const std::string &Arg) {
  std::fprintf(stderr, "unsafe argument survived: '%s'\n", Arg.c_str());
  std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  LoadOptions O;
  O.ResourceDir = "/nonexistent-resource-dir";
  // Response files resolve against this directory; it does not exist, so
  // no file is read.
  auto R = parseCompileCommands(
      llvm::StringRef(reinterpret_cast<const char *>(Data), Size),
      "/nonexistent-fuzz-dir/compile_commands.json", O);
  if (!R) {
    llvm::consumeError(R.takeError());
    return 0;
  }
  for (const TuInput &T : *R) {
    if (T.Args.empty() || T.MainFile.empty())
      std::abort();
    for (size_t I = 1; I < T.Args.size(); ++I) {
      llvm::StringRef A = T.Args[I];
      // Exact spellings: "-load@x" is the driver's -l (a library to link,
      // unused with -fsyntax-only), not the frontend's -load.
      if (A.starts_with("-fplugin=") || A.starts_with("-fpass-plugin=") ||
          A.starts_with("-fplugin-arg-") || A == "-load" ||
          A.starts_with("-load=") || A == "-add-plugin" ||
          A.starts_with("-add-plugin=") || A == "--config" ||
          A.starts_with("--config=") || A.starts_with("--config-") ||
          A == "-mllvm" || A == "-o" || A == "-MF" || A.starts_with("@") ||
          (A.starts_with("-Wp,") && A.contains(",-load")))
        fail(T.Args[I]);
    }
  }
  return 0;
}
