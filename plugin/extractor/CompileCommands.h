//===- CompileCommands.h - Reading and sanitising compile commands -*- C++ -*-//
//
// Turns a compile_commands.json into the list of translation units to index.
// compile_commands.json can come from anywhere, so the commands are treated
// as untrusted input: nothing in them is executed, and each command is parsed
// with Clang's own option table, in the driver mode it names (gcc, g++, or
// cl for cl.exe/clang-cl), so that flags are judged by option id whatever
// their spelling (alias, joined or separate form, "-" or "/" prefix).
// Flags that would load code into the compiler (-fplugin=, -Xclang -load,
// ...), act inside our own process (-mllvm, configuration files) or write a
// file are stripped; what reaches cc1 verbatim (-Xclang, -Xclang=,
// -Xpreprocessor, -Wp,) must be on a small allow-list. Everyday build
// outputs (-o, -MF, /Fo ...) are dropped silently, the rest is reported.
// Response files are read only inside the build and source trees. Commands
// from Windows builds ("C:\..." directories, cl.exe) are split with Windows
// quoting rules.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_COMPILECOMMANDS_H
#define CODEINDEX_PLUGIN_COMPILECOMMANDS_H

#include "codeindex/graph/Model.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace codeindex {

/// One translation unit, ready to hand to the Clang driver.
struct TuInput {
  Id Key = 0;            ///< hash of main file, directory and arguments
  size_t Index = 0;      ///< position in compile_commands.json
  std::string MainFile;  ///< absolute, normalised
  std::string Directory; ///< absolute working directory
  /// Driver command line (argv[0] is the compiler), sanitised, with our
  /// own flags appended (-fsyntax-only, -w, -resource-dir ...).
  std::vector<std::string> Args;
  uint64_t CommandHash = 0; ///< hash of the original command and directory
  uint64_t Variant = 0;     ///< hash of the preprocessor-relevant flags
  Language Lang = Language::Unknown;
  /// Flags removed for safety, e.g. "-fplugin=/x/y.so", to report.
  std::vector<std::string> Stripped;
};

/// Resolves a build directory or a path to compile_commands.json to the
/// absolute path of the file. Errors: the file does not exist.
llvm::Expected<std::string> findCompileCommands(llvm::StringRef PathOrDir);

struct LoadOptions {
  std::string ResourceDir; ///< Clang's resource directory (builtin headers)
  /// Directories (besides the one holding compile_commands.json) from which
  /// response files (@file) may be read.
  std::vector<std::string> AllowedDirs;
};

/// Loads and sanitises every entry. Entries that parse the same way (same
/// file and directory, and the same arguments once sanitised: differing
/// only in outputs such as -o, -MF, -MT, -MD, --serialize-diagnostics, /Fo,
/// or in -c) are one TU, the first of them. Errors name the file and the
/// problem (malformed JSON, not an array, an entry without "file"...).
llvm::Expected<std::vector<TuInput>>
loadCompileCommands(llvm::StringRef JsonPath, const LoadOptions &Options);

/// loadCompileCommands() on the text of a compile database; JsonPath names
/// it in messages and its directory resolves relative "directory" values
/// and bounds response files. For tests and fuzzing.
llvm::Expected<std::vector<TuInput>>
parseCompileCommands(llvm::StringRef Text, llvm::StringRef JsonPath,
                     const LoadOptions &Options);

/// The ids (clang::driver::options::ID, unaliased) of the options of
/// Clang's table, the driver's and cc1's, that make the compiler write a
/// file: outputs, dependency files, diagnostics logs, statistics, traces,
/// module caches, migrators. No spelling of any of them survives
/// loadCompileCommands(), directly or through -Xclang, -Xpreprocessor, -Wp,
/// or clang-cl's /clang:. Sorted; for tests and the fuzzer's oracle.
llvm::ArrayRef<unsigned> fileWritingOptions();
bool isFileWritingOption(unsigned OptionId);

/// The cc1 options (ids as above) that may reach the frontend through
/// -Xclang, -Xclang=, -Xpreprocessor and -Wp,: an allow-list of options
/// that only read files or change the language. Any other is stripped and
/// reported.
llvm::ArrayRef<unsigned> frontendAllowedOptions();

/// The language a file is compiled as, from the arguments (-x) or its name.
Language languageOf(llvm::StringRef File, llvm::ArrayRef<std::string> Args);

/// Whether a path lies in a system location, where distributions install
/// sources a project may compile (/usr/src/googletest/.../gtest-all.cc):
/// /usr, /opt, /nix/store, /Library, /System.
bool inSystemLocation(llvm::StringRef Path);

/// Clang's resource directory as configured at build time, overridable with
/// the CODE_INDEX_RESOURCE_DIR environment variable.
std::string defaultResourceDir();

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_COMPILECOMMANDS_H
