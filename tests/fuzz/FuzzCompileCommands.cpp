//===- FuzzCompileCommands.cpp - libFuzzer target: compile databases ------===//
//
// Feeds arbitrary bytes to parseCompileCommands() and checks, besides "no
// crash, no sanitizer report", the sanitiser's promise, by parsing every
// resulting command as Clang will (SanitiserOracle.h): no option that writes
// a file (any option of fileWritingOptions(), in any spelling), loads code
// or acts inside our process survives, nothing reaches cc1 through -Xclang,
// -Xpreprocessor, -Wp, or /clang: unless it is on the allow-list, and no
// response file is left to the driver.
//
//===----------------------------------------------------------------------===//

#include "SanitiserOracle.h"
#include "extractor/CompileCommands.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace codeindex;

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
    std::vector<std::string> Bad = oracle::unsafeArguments(T.Args);
    if (!Bad.empty()) {
      for (const std::string &B : Bad)
        std::fprintf(stderr, "unsafe argument survived: '%s'\n", B.c_str());
      std::abort();
    }
  }
  return 0;
}
