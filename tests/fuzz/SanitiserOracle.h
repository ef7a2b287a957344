//===- SanitiserOracle.h - What a sanitised command must not hold -*- C++ -*-//
//
// The promise of loadCompileCommands(), checked from outside: parse a
// sanitised command line the way Clang's driver will (in the mode it names),
// and what reaches cc1 verbatim (-Xclang, -Xpreprocessor, -Wp,, clang-cl's
// /clang:) the way cc1 will, then look at the option ids. Shared by the
// compile-commands fuzzer and CompileCommandsTest; the lists it relies on
// (fileWritingOptions(), frontendAllowedOptions()) are checked against
// Clang's option table by CompileCommands.OptionTableReview.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_TESTS_FUZZ_SANITISERORACLE_H
#define CODEINDEX_TESTS_FUZZ_SANITISERORACLE_H

#include "extractor/CompileCommands.h"

#include "clang/Driver/Options.h"
#include "clang/Driver/ToolChain.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"

#include <algorithm>
#include <string>
#include <vector>

namespace codeindex::oracle {

namespace opts = clang::driver::options;

/// Options that load code or act inside the indexer's process.
inline bool loadsCodeOrActsInProcess(const llvm::opt::Option &O) {
  // The driver's mode is one of its internal options, and harmless.
  if (O.matches(opts::OPT_driver_mode))
    return false;
  for (unsigned Id :
       {opts::OPT_fplugin_EQ, opts::OPT_fpass_plugin_EQ, opts::OPT_fplugin_arg,
        opts::OPT_hipspv_pass_plugin_EQ, opts::OPT_load, opts::OPT_add_plugin,
        opts::OPT_plugin, opts::OPT_plugin_arg, opts::OPT_mllvm,
        opts::OPT_config, opts::OPT_config_system_dir_EQ,
        opts::OPT_config_user_dir_EQ, opts::OPT_internal_driver_Group})
    if (O.matches(Id))
      return true;
  return false;
}

inline void checkFrontend(const std::vector<std::string> &Values,
                          std::vector<std::string> &Bad) {
  if (Values.empty())
    return;
  std::vector<const char *> Ptrs;
  for (const std::string &V : Values)
    Ptrs.push_back(V.c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed = clang::driver::getDriverOptTable().ParseArgs(
      Ptrs, MissingIndex, MissingCount, llvm::opt::Visibility(opts::CC1Option));
  if (MissingCount)
    Bad.push_back("cc1 option without its value: " + Values[MissingIndex]);
  llvm::ArrayRef<unsigned> Allowed = frontendAllowedOptions();
  for (const llvm::opt::Arg *A : Parsed) {
    const llvm::opt::Option &O = A->getOption();
    bool IsAllowed = std::any_of(Allowed.begin(), Allowed.end(),
                                 [&](unsigned Id) { return O.matches(Id); });
    if (!IsAllowed || isFileWritingOption(O.getID()) ||
        loadsCodeOrActsInProcess(O))
      Bad.push_back("cc1 " + A->getAsString(Parsed));
  }
}

/// The arguments of Args (a sanitised driver command, argv[0] first) that
/// would write a file, load code, act in our process, or reach cc1 without
/// being on the allow-list; empty when the command keeps the promise.
inline std::vector<std::string>
unsafeArguments(const std::vector<std::string> &Args, bool ClMode = false) {
  std::vector<std::string> Bad;
  // The mode as Clang's driver finds it: the last string starting with
  // --driver-mode=, else the program's name.
  if (!Args.empty() && !ClMode) {
    llvm::StringRef Mode;
    if (const char *ByName =
            clang::driver::ToolChain::getTargetAndModeFromProgramName(Args[0])
                .DriverMode)
      Mode = ByName;
    for (size_t I = 1; I < Args.size(); ++I)
      if (llvm::StringRef(Args[I]).starts_with("--driver-mode="))
        Mode = Args[I];
    ClMode = Mode == "--driver-mode=cl";
  }
  std::vector<const char *> Ptrs;
  for (size_t I = 1; I < Args.size(); ++I) {
    Ptrs.push_back(Args[I].c_str());
    if (llvm::StringRef(Args[I]).starts_with("@"))
      Bad.push_back("response file left: " + Args[I]);
  }
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed = clang::driver::getDriverOptTable().ParseArgs(
      Ptrs, MissingIndex, MissingCount,
      llvm::opt::Visibility(ClMode ? opts::CLOption : opts::ClangOption));
  std::vector<std::string> ToClang, ToPreprocessor, PassThrough;
  for (const llvm::opt::Arg *A : Parsed) {
    const llvm::opt::Option &O = A->getOption();
    if (isFileWritingOption(O.getID()) || loadsCodeOrActsInProcess(O)) {
      Bad.push_back(A->getAsString(Parsed));
    } else if (O.matches(opts::OPT_Xclang)) {
      ToClang.push_back(A->getValue());
    } else if (O.matches(opts::OPT_Xpreprocessor) ||
               O.matches(opts::OPT_Wp_COMMA)) {
      for (const char *V : A->getValues())
        ToPreprocessor.push_back(V);
      // The driver turns -Wp,-MD,F into -MD -MF F.
      if (O.matches(opts::OPT_Wp_COMMA) &&
          (llvm::StringRef(A->getValue(0)) == "-MD" ||
           llvm::StringRef(A->getValue(0)) == "-MMD"))
        Bad.push_back(A->getAsString(Parsed));
    } else if (O.matches(opts::OPT__SLASH_clang)) {
      PassThrough.push_back(A->getValue());
    }
  }
  checkFrontend(ToClang, Bad);
  checkFrontend(ToPreprocessor, Bad);
  if (!PassThrough.empty()) {
    PassThrough.insert(PassThrough.begin(), "clang");
    for (std::string &B : unsafeArguments(PassThrough, /*ClMode=*/false))
      Bad.push_back("/clang: " + B);
  }
  return Bad;
}

} // namespace codeindex::oracle

#endif // CODEINDEX_TESTS_FUZZ_SANITISERORACLE_H
