//===- CompileCommands.cpp - Reading and sanitising compile commands ------===//

#include "extractor/CompileCommands.h"

#include "clang/Driver/Options.h"
#include "clang/Driver/ToolChain.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

namespace codeindex {

namespace {

llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

using llvm::sys::path::Style;

std::string normalize(llvm::StringRef Path, llvm::StringRef Base,
                      Style S = Style::native) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P, S) && !Base.empty()) {
    llvm::SmallString<256> B(Base);
    llvm::sys::path::append(B, S, P);
    P = B;
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true, S);
  llvm::sys::path::native(P, S);
  return std::string(P);
}

/// A compile database written by a Windows build: CMake and the other
/// generators write "C:/..." or "C:\..." (or "\\server\...") directories
/// there, and their "command" strings follow Windows quoting rules.
bool isWindowsPath(llvm::StringRef P) {
  return (P.size() >= 3 && llvm::isAlpha(P[0]) && P[1] == ':' &&
          (P[2] == '\\' || P[2] == '/')) ||
         P.starts_with("\\\\");
}

/// JSON text in UTF-16 or UTF-32 (with a byte order mark, or recognised by
/// its NUL bytes, as RFC 4627 describes) converted to UTF-8. Windows
/// PowerShell 5 writes UTF-16 with `>`: a valid database, "[]" included,
/// was called "not valid JSON". Returns false when Text is not such text.
bool decodeWideJson(llvm::StringRef Text, std::string &Out) {
  auto StartsWith = [&](llvm::StringRef P) { return Text.starts_with(P); };
  llvm::StringRef Utf32Le("\xFF\xFE\0\0", 4), Utf32Be("\0\0\xFE\xFF", 4);
  if (StartsWith(Utf32Le) || StartsWith(Utf32Be))
    return Text.size() % 4 == 0 &&
           llvm::convertUTF32ToUTF8String(
               llvm::ArrayRef<char>(Text.data(), Text.size()), Out);
  std::string WithBom;
  if (!StartsWith("\xFF\xFE") && !StartsWith("\xFE\xFF")) {
    // No mark: JSON starts with an ASCII character, so a NUL in the first
    // two bytes tells UTF-16 and its byte order.
    if (Text.size() < 2 || (Text[0] != '\0') == (Text[1] != '\0'))
      return false;
    WithBom = Text[1] == '\0' ? "\xFF\xFE" : "\xFE\xFF";
    WithBom += Text.str();
    Text = WithBom;
  }
  return Text.size() % 2 == 0 &&
         llvm::convertUTF16ToUTF8String(
             llvm::ArrayRef<char>(Text.data(), Text.size()), Out);
}

/// Whether a "command" string runs cl.exe or clang-cl (any case, any
/// directory, quoted or not): a Windows command line.
bool clCompilerCommand(llvm::StringRef Cmd) {
  Cmd = Cmd.ltrim();
  llvm::StringRef First;
  if (Cmd.consume_front("\""))
    First = Cmd.split('"').first;
  else
    First = Cmd.split(' ').first;
  std::string Name = llvm::sys::path::filename(First, Style::windows).lower();
  llvm::StringRef N = Name;
  N.consume_back(".exe");
  return N == "cl" || N == "clang-cl";
}

/// Why a path cannot be read as a file: it does not exist, cannot be
/// reached (EACCES...), or is not a regular file (a FIFO would block the
/// open, a device would never end). "" when it can.
std::string unreadableFileReason(llvm::StringRef Path) {
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(Path, St))
    return EC.message();
  switch (St.type()) {
  case llvm::sys::fs::file_type::regular_file:
    return "";
  case llvm::sys::fs::file_type::directory_file:
    return "it is a directory";
  case llvm::sys::fs::file_type::fifo_file:
    return "it is a FIFO, not a regular file";
  case llvm::sys::fs::file_type::socket_file:
    return "it is a socket, not a regular file";
  case llvm::sys::fs::file_type::character_file:
  case llvm::sys::fs::file_type::block_file:
    return "it is a device, not a regular file";
  default:
    return "it is not a regular file";
  }
}

bool startsWithAny(llvm::StringRef A,
                   std::initializer_list<llvm::StringRef> L) {
  for (llvm::StringRef P : L)
    if (A.starts_with(P))
      return true;
  return false;
}

namespace opts = clang::driver::options;

/// What becomes of one option of the driver's command line. Options are
/// matched by their unaliased id after Clang's own parsing, so every
/// spelling of an option (aliases, joined and separate forms, "-" and "/"
/// prefixes) gets the same treatment.
enum class Rule {
  Keep,
  /// Build outputs, actions and forwards to tools that never run here:
  /// every real build has them, they change nothing in the parse.
  Drop,
  /// Loads code, acts inside our process or injects flags: stripped and
  /// reported.
  Unsafe,
  /// -Xclang, -Xpreprocessor, -Wp,: values reach cc1 verbatim.
  Frontend,
  /// clang-cl's /clang:X: X is a driver argument in GCC syntax.
  ClangPassThrough,
};

/// Options that make Clang write a file, in the driver's and in cc1's
/// table. Matched by id; the spellings below the ids are cc1 options that
/// the table leaves without a name in clang::driver::options.
constexpr unsigned FileWritingIds[] = {
    // Object, assembly, executable, preprocessed and listing outputs.
    opts::OPT_o, opts::OPT__SLASH_o, opts::OPT__SLASH_Fo, opts::OPT__SLASH_Fe,
    opts::OPT__SLASH_Fa, opts::OPT__SLASH_FA, opts::OPT__SLASH_Fi,
    opts::OPT__SLASH_P, opts::OPT__SLASH_Fm, opts::OPT__SLASH_Fx,
    opts::OPT__SLASH_Fd, opts::OPT__SLASH_FR, opts::OPT__SLASH_Fr,
    opts::OPT__SLASH_doc, opts::OPT_dxc_Fo, opts::OPT_dxc_Fc,
    // Precompiled headers and modules.
    opts::OPT__SLASH_Fp, opts::OPT__SLASH_Yc, opts::OPT__precompile,
    opts::OPT_emit_ast, opts::OPT_fmodules_cache_path, opts::OPT_fmodule_output,
    opts::OPT_fmodule_output_EQ, opts::OPT_emit_pch, opts::OPT_emit_module,
    opts::OPT_emit_module_interface, opts::OPT_emit_header_unit,
    opts::OPT_emit_reduced_module_interface, opts::OPT_module_dependency_dir,
    // Dependency files.
    opts::OPT_M, opts::OPT_MM, opts::OPT_MD, opts::OPT_MMD, opts::OPT_MF,
    opts::OPT_MJ, opts::OPT_dependency_file, opts::OPT_dependency_dot,
    opts::OPT_header_include_file, opts::OPT__SLASH_sourceDependencies,
    opts::OPT__SLASH_sourceDependenciesDirectives,
    // Diagnostics, statistics, traces, remarks.
    opts::OPT__serialize_diags, opts::OPT_diagnostic_serialized_file,
    opts::OPT_diagnostic_log_file, opts::OPT_stats_file,
    opts::OPT_save_stats_EQ, opts::OPT_ftime_trace, opts::OPT_ftime_trace_EQ,
    opts::OPT_fproc_stat_report, opts::OPT_fproc_stat_report_EQ,
    opts::OPT_fcrash_diagnostics_dir, opts::OPT_fsave_optimization_record,
    opts::OPT_fsave_optimization_record_EQ,
    opts::OPT_foptimization_record_file_EQ, opts::OPT_opt_record_file,
    opts::OPT_stack_usage_file, opts::OPT_as_secure_log_file,
    opts::OPT_fverify_debuginfo_preserve_export, opts::OPT_analyzer_dump_egraph,
    opts::OPT__analyze,
    // Temporaries, debug info and coverage written beside the object.
    opts::OPT_save_temps_EQ, opts::OPT_gsplit_dwarf, opts::OPT_gsplit_dwarf_EQ,
    opts::OPT_split_dwarf_output, opts::OPT_dsym_dir, opts::OPT_ftest_coverage,
    opts::OPT_coverage, opts::OPT_emit_obj, opts::OPT_emit_llvm_bc,
    opts::OPT_emit_html, opts::OPT_emit_interface_stubs,
    opts::OPT_symbol_graph_dir_EQ, opts::OPT_emit_symbol_graph,
    // ARC and Objective-C migrators rewrite sources or write reports.
    opts::OPT__migrate, opts::OPT_migrate, opts::OPT_ccc_arcmt_migrate,
    opts::OPT_ccc_arcmt_modify, opts::OPT_ccc_objcmt_migrate,
    opts::OPT_arcmt_action_EQ, opts::OPT_arcmt_migrate_report_output,
    opts::OPT_mt_migrate_directory,
    // Found by CompileCommands.OptionTableReview.
    opts::OPT_gen_cdb_fragment_path, opts::OPT_fstack_usage,
    opts::OPT_fthin_link_bitcode_EQ, opts::OPT_via_file_asm,
    opts::OPT_emit_merged_ifs};
constexpr const char *UnnamedFileWritingSpellings[] = {"-coverage-notes-file=",
                                                       "-coverage-data-file="};

/// The outputs that builds ask for every day: dropped without a report.
/// Other file-writing options are reported when stripped.
constexpr unsigned EverydayOutputIds[] = {
    opts::OPT_o,
    opts::OPT__SLASH_o,
    opts::OPT__SLASH_Fo,
    opts::OPT__SLASH_Fe,
    opts::OPT__SLASH_Fa,
    opts::OPT__SLASH_FA,
    opts::OPT__SLASH_Fi,
    opts::OPT__SLASH_P,
    opts::OPT__SLASH_Fm,
    opts::OPT__SLASH_Fx,
    opts::OPT__SLASH_Fd,
    opts::OPT__SLASH_FR,
    opts::OPT__SLASH_Fr,
    opts::OPT__SLASH_doc,
    opts::OPT__SLASH_Fp,
    opts::OPT__SLASH_Yc,
    opts::OPT__precompile,
    opts::OPT_emit_ast,
    opts::OPT_fmodules_cache_path,
    opts::OPT_fmodule_output,
    opts::OPT_fmodule_output_EQ,
    opts::OPT_M,
    opts::OPT_MM,
    opts::OPT_MD,
    opts::OPT_MMD,
    opts::OPT_MF,
    opts::OPT_MJ,
    opts::OPT__SLASH_sourceDependencies,
    opts::OPT__SLASH_sourceDependenciesDirectives,
    opts::OPT__serialize_diags,
    opts::OPT_save_stats_EQ,
    opts::OPT_ftime_trace,
    opts::OPT_ftime_trace_EQ,
    opts::OPT_fproc_stat_report,
    opts::OPT_fproc_stat_report_EQ,
    opts::OPT_fcrash_diagnostics_dir,
    opts::OPT_fsave_optimization_record,
    opts::OPT_fsave_optimization_record_EQ,
    opts::OPT_foptimization_record_file_EQ,
    opts::OPT__analyze,
    opts::OPT_save_temps_EQ,
    opts::OPT_gsplit_dwarf,
    opts::OPT_gsplit_dwarf_EQ,
    opts::OPT_dsym_dir,
    opts::OPT_ftest_coverage,
    opts::OPT_coverage,
    opts::OPT_fstack_usage,
    opts::OPT_fthin_link_bitcode_EQ};

/// The only cc1 options that may reach the frontend through -Xclang,
/// -Xpreprocessor and -Wp,: what real projects pass that way and that only
/// reads files or changes the language (an allow-list: anything else there
/// is stripped and reported).
constexpr unsigned FrontendAllowedIds[] = {
    // Preprocessor: -Wp,-D_FORTIFY_SOURCE=2 (Fedora), CMake's precompiled
    // header (-Xclang -include -Xclang cmake_pch.hxx).
    opts::OPT_D, opts::OPT_U, opts::OPT_I, opts::OPT_isystem,
    opts::OPT_idirafter, opts::OPT_iquote, opts::OPT_include, opts::OPT_imacros,
    // Language and limits: -Xpreprocessor -fopenmp (Apple clang),
    // -Xclang -fno-pch-timestamp (ccache's advice).
    opts::OPT_std_EQ, opts::OPT_fopenmp, opts::OPT_fms_extensions,
    opts::OPT_fms_compatibility, opts::OPT_fdelayed_template_parsing,
    opts::OPT_fsized_deallocation, opts::OPT_fno_sized_deallocation,
    opts::OPT_ftemplate_depth_EQ, opts::OPT_fconstexpr_depth_EQ,
    opts::OPT_fconstexpr_steps_EQ, opts::OPT_fbracket_depth,
    opts::OPT_fno_pch_timestamp, opts::OPT_fno_validate_pch,
    // Diagnostics.
    opts::OPT_W_Joined, opts::OPT_w, opts::OPT_pedantic,
    opts::OPT_fcolor_diagnostics,
    // Code generation only (-Xclang -disable-O0-optnone, -target-feature).
    opts::OPT_disable_O0_optnone, opts::OPT_disable_llvm_passes,
    opts::OPT_target_feature, opts::OPT_target_cpu,
    // Debug information only (Chromium's -Xclang -fdebug-compilation-dir
    // -Xclang ., -Xclang -fuse-ctor-homing, -Xclang -debug-info-kind=...).
    opts::OPT_fdebug_compilation_dir_EQ, opts::OPT_fuse_ctor_homing,
    opts::OPT_debug_info_kind_EQ};

/// cc1 options dropped without a report when forwarded: CMake writes them
/// for precompiled headers (-Xclang -emit-pch; -Xclang -include-pch with a
/// PCH that only the real compiler can read).
constexpr unsigned FrontendDroppedIds[] = {opts::OPT_emit_pch,
                                           opts::OPT_include_pch};

bool matchesAny(const llvm::opt::Option &O, llvm::ArrayRef<unsigned> Ids) {
  for (unsigned Id : Ids)
    if (O.matches(Id))
      return true;
  return false;
}

/// Flags that make the compiler load and run code.
bool isCodeLoading(const llvm::opt::Option &O) {
  return matchesAny(O, {opts::OPT_fplugin_EQ, opts::OPT_fpass_plugin_EQ,
                        opts::OPT_fplugin_arg, opts::OPT_hipspv_pass_plugin_EQ,
                        opts::OPT_load, opts::OPT_add_plugin, opts::OPT_plugin,
                        opts::OPT_plugin_arg});
}

/// Flags that make our own process do something on the command's behalf:
/// -mllvm sets LLVM's global options (shared by every worker thread), a
/// configuration file injects flags that would bypass this sanitiser, the
/// driver's internal -ccc-* options change how it runs.
bool isInProcess(const llvm::opt::Option &O) {
  return matchesAny(O, {opts::OPT_mllvm, opts::OPT_config,
                        opts::OPT_config_system_dir_EQ,
                        opts::OPT_config_user_dir_EQ}) ||
         O.matches(opts::OPT_internal_driver_Group);
}

Rule computeDriverRule(const llvm::opt::Option &O) {
  if (O.matches(opts::OPT_INPUT))
    return Rule::Keep;
  // The mode is decided once for the whole command (see sanitize()).
  if (O.matches(opts::OPT_driver_mode) || O.matches(opts::OPT_rsp_quoting))
    return Rule::Drop;
  if (isCodeLoading(O) || isInProcess(O))
    return Rule::Unsafe;
  if (matchesAny(
          O, {opts::OPT_Xclang, opts::OPT_Xpreprocessor, opts::OPT_Wp_COMMA}))
    return Rule::Frontend;
  if (O.matches(opts::OPT__SLASH_clang))
    return Rule::ClangPassThrough;
  if (isFileWritingOption(O.getUnaliasedOption().getID()))
    return matchesAny(O, EverydayOutputIds) ? Rule::Drop : Rule::Unsafe;
  if (O.matches(opts::OPT_UNKNOWN) || O.hasFlag(opts::Unsupported))
    return Rule::Drop;
  static constexpr unsigned Dropped[] = {
      // Actions (we run -fsyntax-only) and what only shapes outputs.
      opts::OPT_c, opts::OPT_S, opts::OPT_E, opts::OPT_fsyntax_only,
      opts::OPT__SLASH_EP, opts::OPT__HASH_HASH_HASH, opts::OPT_v,
      opts::OPT_fdriver_only, opts::OPT_MT, opts::OPT_MQ, opts::OPT_MG,
      opts::OPT_MP, opts::OPT_MV, opts::OPT__SLASH_showIncludes,
      opts::OPT__SLASH_showIncludes_user, opts::OPT_driver_mode,
      opts::OPT_rsp_quoting,
      // Precompiled headers made by the real compiler.
      opts::OPT_include_pch, opts::OPT__SLASH_Yu, opts::OPT__SLASH_Y_,
      // Arguments for tools that never run here.
      opts::OPT_Xanalyzer, opts::OPT_Xassembler, opts::OPT_Wa_COMMA,
      opts::OPT_Xlinker, opts::OPT_Wl_COMMA, opts::OPT_Xarch__,
      opts::OPT_Xarch_device, opts::OPT_Xarch_host, opts::OPT_Xcuda_fatbinary,
      opts::OPT_Xcuda_ptxas, opts::OPT_Xopenmp_target,
      opts::OPT_Xopenmp_target_EQ, opts::OPT_Xoffload_linker, opts::OPT_Xflang,
      opts::OPT__SLASH_link};
  if (matchesAny(O, Dropped))
    return Rule::Drop;
  return Rule::Keep;
}

/// What may become of an option that reaches cc1 verbatim.
enum class FrontendRule { Allow, Drop, Report };

FrontendRule computeFrontendRule(const llvm::opt::Option &O) {
  if (matchesAny(O, FrontendAllowedIds) &&
      !isFileWritingOption(O.getUnaliasedOption().getID()))
    return FrontendRule::Allow;
  if (matchesAny(O, FrontendDroppedIds))
    return FrontendRule::Drop;
  return FrontendRule::Report;
}

/// The rules of every option of the table, computed once (a compile
/// database can hold tens of thousands of commands).
struct RuleTable {
  std::vector<Rule> Driver;
  std::vector<FrontendRule> Frontend;
  RuleTable() {
    const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
    Driver.resize(Table.getNumOptions() + 1, Rule::Drop);
    Frontend.resize(Table.getNumOptions() + 1, FrontendRule::Report);
    for (unsigned Id = 1; Id <= Table.getNumOptions(); ++Id) {
      llvm::opt::Option O = Table.getOption(Id);
      Driver[Id] = computeDriverRule(O);
      Frontend[Id] = computeFrontendRule(O);
    }
  }
};

const RuleTable &rules() {
  static const RuleTable Table;
  return Table;
}

Rule driverRule(const llvm::opt::Option &O) {
  return rules().Driver[O.getID()];
}

FrontendRule frontendRule(const llvm::opt::Option &O) {
  return rules().Frontend[O.getID()];
}

/// A stripped flag to report: the argv slots it used and why.
struct Report {
  std::vector<size_t> Slots;
  std::string Why;
};

/// What the sanitiser decided for one command line (argv[0] excluded):
/// which slots reach Clang, rewritten -Wp, slots, and what to report.
struct Verdict {
  std::vector<bool> Keep;
  std::map<size_t, std::string> Rewrite;
  std::vector<Report> Reports;
};

/// One value that reaches cc1 verbatim, and the driver argument (its first
/// slot) that carried it.
struct FrontendValue {
  std::string Text;
  size_t Carrier;
};

llvm::opt::InputArgList parseWith(llvm::ArrayRef<const char *> Ptrs,
                                  unsigned Visibility, size_t &End) {
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed = clang::driver::getDriverOptTable().ParseArgs(
      Ptrs, MissingIndex, MissingCount, llvm::opt::Visibility(Visibility));
  // A last option without its value is not parsed; it is dropped.
  End = MissingCount ? MissingIndex : Ptrs.size();
  return Parsed;
}

/// Checks the values that reach cc1 through one forwarding route (they are
/// contiguous in cc1's command line) against the allow-list, the way cc1
/// parses them. Sets Allowed[I] for each value that may stay.
void checkFrontendValues(const std::vector<FrontendValue> &Values,
                         const std::vector<std::vector<size_t>> &CarrierSlots,
                         std::vector<bool> &Allowed, Verdict &V) {
  Allowed.assign(Values.size(), false);
  if (Values.empty())
    return;
  std::vector<const char *> Ptrs;
  for (const FrontendValue &F : Values)
    Ptrs.push_back(F.Text.c_str());
  size_t End = 0;
  llvm::opt::InputArgList Parsed = parseWith(Ptrs, opts::CC1Option, End);
  std::vector<std::pair<const llvm::opt::Arg *, size_t>> Starts;
  for (const llvm::opt::Arg *A : Parsed)
    Starts.push_back({A, A->getIndex()});
  auto ReportRange = [&](size_t B, size_t E, const std::string &Why) {
    Report R;
    for (size_t I = B; I < E; ++I)
      for (size_t S : CarrierSlots[Values[I].Carrier])
        if (std::find(R.Slots.begin(), R.Slots.end(), S) == R.Slots.end())
          R.Slots.push_back(S);
    R.Why = Why;
    V.Reports.push_back(std::move(R));
  };
  for (size_t K = 0; K < Starts.size(); ++K) {
    const llvm::opt::Option &O = Starts[K].first->getOption();
    size_t B = Starts[K].second;
    size_t E = K + 1 < Starts.size() ? Starts[K + 1].second : End;
    FrontendRule R = frontendRule(O);
    if (R == FrontendRule::Allow)
      for (size_t I = B; I < E; ++I)
        Allowed[I] = true;
    if (R == FrontendRule::Report)
      ReportRange(B, E, "");
  }
  if (End < Values.size())
    ReportRange(End, Values.size(), " (missing its value)");
}

void sanitizeDriverArgs(llvm::ArrayRef<std::string> Argv, bool Cl, Verdict &V);

/// clang-cl's /clang:X arguments form a command line of their own, parsed
/// in GCC syntax and appended to the rest: sanitised the same way.
void sanitizePassThrough(llvm::ArrayRef<std::string> Argv,
                         llvm::ArrayRef<size_t> Slots, Verdict &V) {
  if (Slots.empty())
    return;
  std::vector<std::string> Sub;
  for (size_t S : Slots)
    Sub.push_back(llvm::StringRef(Argv[S])
                      .drop_front(llvm::StringRef(Argv[S]).find(':') + 1)
                      .str());
  Verdict SubV;
  sanitizeDriverArgs(Sub, /*Cl=*/false, SubV);
  for (size_t I = 0; I < Slots.size(); ++I) {
    V.Keep[Slots[I]] = SubV.Keep[I];
    if (auto It = SubV.Rewrite.find(I); It != SubV.Rewrite.end())
      V.Rewrite[Slots[I]] =
          Argv[Slots[I]].substr(0, Argv[Slots[I]].size() - Sub[I].size()) +
          It->second;
  }
  for (Report &R : SubV.Reports) {
    for (size_t &S : R.Slots)
      S = Slots[S];
    V.Reports.push_back(std::move(R));
  }
}

void sanitizeDriverArgs(llvm::ArrayRef<std::string> Argv, bool Cl, Verdict &V) {
  V.Keep.assign(Argv.size(), false);
  std::vector<const char *> Ptrs;
  for (const std::string &A : Argv)
    Ptrs.push_back(A.c_str());
  size_t End = 0;
  llvm::opt::InputArgList Parsed =
      parseWith(Ptrs, Cl ? opts::CLOption : opts::ClangOption, End);

  // The slots of each parsed argument: from its index to the next one's.
  std::vector<const llvm::opt::Arg *> Args(Parsed.begin(), Parsed.end());
  std::vector<std::vector<size_t>> SlotsOf(Args.size());
  for (size_t K = 0; K < Args.size(); ++K) {
    size_t E = K + 1 < Args.size() ? Args[K + 1]->getIndex() : End;
    for (size_t S = Args[K]->getIndex(); S < E; ++S)
      SlotsOf[K].push_back(S);
  }

  // Values reaching cc1: -Xclang's, and -Xpreprocessor's with -Wp,'s (the
  // driver passes each route as one contiguous run).
  std::vector<FrontendValue> ClangValues, PreprocessorValues;
  std::vector<size_t> PassThrough;
  for (size_t K = 0; K < Args.size(); ++K) {
    const llvm::opt::Arg &A = *Args[K];
    Rule R = driverRule(A.getOption());
    // Clang's driver takes its mode from the last string that starts with
    // --driver-mode=, wherever it stands (even as another option's value):
    // one kept in the command would change how the whole command is read.
    if (R != Rule::Drop &&
        std::any_of(SlotsOf[K].begin(), SlotsOf[K].end(), [&](size_t S) {
          return llvm::StringRef(Argv[S]).starts_with("--driver-mode=");
        }))
      R = Rule::Unsafe;
    switch (R) {
    case Rule::Keep:
      for (size_t S : SlotsOf[K])
        V.Keep[S] = true;
      break;
    case Rule::Drop:
      break;
    case Rule::Unsafe:
      V.Reports.push_back({SlotsOf[K], ""});
      break;
    case Rule::Frontend: {
      bool Wp = A.getOption().matches(opts::OPT_Wp_COMMA);
      // The driver turns -Wp,-MD,FILE and -Wp,-MMD,FILE (Linux kernel
      // builds) into -MD/-MMD -MF FILE: an output, dropped as such.
      if (Wp && A.getNumValues() &&
          (llvm::StringRef(A.getValue(0)) == "-MD" ||
           llvm::StringRef(A.getValue(0)) == "-MMD"))
        break;
      auto &Into = A.getOption().matches(opts::OPT_Xclang) ? ClangValues
                                                           : PreprocessorValues;
      for (const char *Val : A.getValues())
        Into.push_back({Val, K});
      break;
    }
    case Rule::ClangPassThrough:
      PassThrough.push_back(SlotsOf[K].front());
      break;
    }
  }

  for (auto *Values : {&PreprocessorValues, &ClangValues}) {
    std::vector<bool> Allowed;
    checkFrontendValues(*Values, SlotsOf, Allowed, V);
    // A carrier stays when all its values may; -Wp,A,B keeps those that may.
    std::map<size_t, std::vector<size_t>> ByCarrier;
    for (size_t I = 0; I < Values->size(); ++I)
      ByCarrier[(*Values)[I].Carrier].push_back(I);
    for (const auto &[K, Idx] : ByCarrier) {
      std::vector<std::string> Kept;
      for (size_t I : Idx)
        if (Allowed[I])
          Kept.push_back((*Values)[I].Text);
      if (Kept.empty())
        continue;
      for (size_t S : SlotsOf[K])
        V.Keep[S] = true;
      if (Kept.size() != Idx.size())
        V.Rewrite[SlotsOf[K].front()] = "-Wp," + llvm::join(Kept, ",");
    }
  }
  sanitizePassThrough(Argv, PassThrough, V);
}

/// The driver mode, as Clang's driver finds it: the last --driver-mode=,
/// else the compiler's name (cl.exe, clang-cl, g++...). Windows paths are
/// split on either separator and compared without case, as on Windows.
std::string driverModeOf(llvm::ArrayRef<std::string> Args) {
  for (size_t I = Args.size(); I-- > 1;) {
    llvm::StringRef A = Args[I];
    if (A.consume_front("--driver-mode="))
      return A.str();
  }
  if (Args.empty())
    return "";
  std::string Name =
      llvm::sys::path::filename(Args[0], llvm::sys::path::Style::windows)
          .lower();
  const char *Mode =
      clang::driver::ToolChain::getTargetAndModeFromProgramName(Name)
          .DriverMode;
  return Mode ? llvm::StringRef(Mode).drop_front(strlen("--driver-mode=")).str()
              : "";
}

struct Sanitized {
  std::vector<std::string> Args;
  std::vector<std::string> Stripped;
};

/// Removes unsafe and output flags, and what Clang's driver would reject
/// (unknown or unsupported options), deciding by option id after parsing
/// the command as the driver will, and allow-listing what reaches cc1.
Sanitized sanitize(const std::vector<std::string> &In) {
  Sanitized Out;
  if (In.empty())
    return Out;
  std::string Mode = driverModeOf(In);
  bool Cl = Mode == "cl";
  Verdict V;
  llvm::ArrayRef<std::string> Argv = llvm::ArrayRef(In).drop_front();
  sanitizeDriverArgs(Argv, Cl, V);

  Out.Args.push_back(In[0]);
  // The mode the command was judged in is the one Clang's driver will use:
  // made explicit where the driver would find another from argv[0] (it
  // does not see "CL.EXE" or "C:\...\cl.exe" as clang-cl on a POSIX
  // host) or from a --driver-mode= that was dropped. Modes other than gcc,
  // g++ and cl (cpp, flang, dxc) do not give a C/C++ parse: gcc instead.
  std::string Judged = Cl ? "cl" : Mode == "g++" ? "g++" : "gcc";
  const char *ByName =
      clang::driver::ToolChain::getTargetAndModeFromProgramName(In[0])
          .DriverMode;
  std::string DriverByName =
      ByName
          ? llvm::StringRef(ByName).drop_front(strlen("--driver-mode=")).str()
          : "gcc";
  if (DriverByName != Judged)
    Out.Args.push_back("--driver-mode=" + Judged);
  for (size_t I = 0; I < Argv.size(); ++I) {
    if (!V.Keep[I])
      continue;
    auto It = V.Rewrite.find(I);
    Out.Args.push_back(It == V.Rewrite.end() ? Argv[I] : It->second);
  }
  std::stable_sort(V.Reports.begin(), V.Reports.end(),
                   [](const Report &A, const Report &B) {
                     return A.Slots.front() < B.Slots.front();
                   });
  for (const Report &R : V.Reports) {
    std::string Text;
    for (size_t S : R.Slots)
      Text += (Text.empty() ? "" : " ") + Argv[S];
    Out.Stripped.push_back(Text + R.Why);
  }
  return Out;
}

/// Hash of the flags that change what the preprocessor produces: a header
/// parsed under two different such configurations is two different units.
uint64_t variantOf(const std::vector<std::string> &Args, Language L) {
  std::string Key(spell(L));
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    bool WithValue = A == "-D" || A == "-U" || A == "-include" ||
                     A == "-imacros" || A == "-x" || A == "-target" ||
                     A == "--target" || A == "/D" || A == "/U" || A == "/FI";
    if (WithValue && I + 1 < Args.size()) {
      Key += '\0';
      Key += Args[I];
      Key += Args[I + 1];
      ++I;
      continue;
    }
    if (startsWithAny(
            A,
            {"-D",       "-U",        "-std=", "--std=", "-include",
             "-imacros", "--target=", "-m32",  "-m64",   "-x",
             "/D",       "/U",        "/FI",   "/std:",  "-std:",
             "/TP",      "/TC",       "-TP",   "-TC",    "--driver-mode=cl"})) {
      Key += '\0';
      Key += Args[I];
    }
  }
  return llvm::xxh3_64bits(Key);
}

/// Whether response files follow Windows quoting, as Clang's driver
/// decides: --rsp-quoting= if given, else clang-cl mode (here also a
/// database from a Windows build).
bool windowsRspQuoting(llvm::ArrayRef<std::string> Args, bool WindowsBuild) {
  for (size_t I = Args.size(); I-- > 1;) {
    if (Args[I] == "--rsp-quoting=windows")
      return true;
    if (Args[I] == "--rsp-quoting=posix")
      return false;
  }
  return WindowsBuild || driverModeOf(Args) == "cl";
}

/// Expands @file arguments when the file lies inside one of Allowed.
llvm::Error expandResponseFiles(std::vector<std::string> &Args,
                                llvm::StringRef Directory,
                                const std::vector<std::string> &Allowed,
                                Style S, bool WindowsBuild,
                                std::vector<std::string> &Stripped) {
  bool WindowsQuoting = windowsRspQuoting(Args, WindowsBuild);
  std::vector<std::string> Out;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (I == 0 || !llvm::StringRef(Args[I]).starts_with("@")) {
      Out.push_back(std::move(Args[I]));
      continue;
    }
    std::string File =
        normalize(llvm::StringRef(Args[I]).drop_front(), Directory, S);
    bool Inside = false;
    for (const std::string &A : Allowed) {
      std::string Dir = normalize(A, "", S);
      llvm::StringRef F = File;
      if (is_style_windows(S) ? F.starts_with_insensitive(Dir)
                              : F.starts_with(Dir))
        Inside |= F.size() == Dir.size() ||
                  llvm::sys::path::is_separator(F[Dir.size()], S);
    }
    if (!Inside) {
      Stripped.push_back(Args[I] + " (response file outside the build and "
                                   "source trees)");
      continue;
    }
    // Not a FIFO or a device: reading one would block or never end.
    std::string Why = unreadableFileReason(File);
    auto Buf = Why.empty() ? llvm::MemoryBuffer::getFile(File)
                           : llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>(
                                 std::make_error_code(std::errc::io_error));
    if (!Buf) {
      Stripped.push_back(Args[I] + " (cannot read response file" +
                         (Why.empty() ? "" : ": " + Why) + ")");
      continue;
    }
    llvm::BumpPtrAllocator Alloc;
    llvm::StringSaver Saver(Alloc);
    llvm::SmallVector<const char *, 64> Toks;
    if (WindowsQuoting)
      llvm::cl::TokenizeWindowsCommandLine((*Buf)->getBuffer(), Saver, Toks);
    else
      llvm::cl::TokenizeGNUCommandLine((*Buf)->getBuffer(), Saver, Toks);
    for (const char *T : Toks)
      if (llvm::StringRef(T).starts_with("@"))
        Stripped.push_back(std::string(T) + " (nested response file)");
      else
        Out.emplace_back(T);
  }
  Args = std::move(Out);
  return llvm::Error::success();
}

} // namespace

llvm::ArrayRef<unsigned> fileWritingOptions() {
  static const std::vector<unsigned> Ids = [] {
    const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
    std::vector<unsigned> Out;
    for (unsigned Id : FileWritingIds)
      Out.push_back(Table.getOption(Id).getUnaliasedOption().getID());
    // The unnamed ones, found the way cc1 finds them.
    for (const char *Spelling : UnnamedFileWritingSpellings) {
      std::string Arg = std::string(Spelling) + "x";
      const char *Ptrs[] = {Arg.c_str()};
      unsigned MissingIndex = 0, MissingCount = 0;
      llvm::opt::InputArgList Parsed =
          Table.ParseArgs(Ptrs, MissingIndex, MissingCount,
                          llvm::opt::Visibility(opts::CC1Option));
      for (const llvm::opt::Arg *A : Parsed)
        if (!A->getOption().matches(opts::OPT_UNKNOWN) &&
            !A->getOption().matches(opts::OPT_INPUT))
          Out.push_back(A->getOption().getID());
    }
    std::sort(Out.begin(), Out.end());
    Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
    return Out;
  }();
  return Ids;
}

bool isFileWritingOption(unsigned OptionId) {
  llvm::ArrayRef<unsigned> Ids = fileWritingOptions();
  return std::binary_search(Ids.begin(), Ids.end(), OptionId);
}

llvm::ArrayRef<unsigned> frontendAllowedOptions() { return FrontendAllowedIds; }

bool inSystemLocation(llvm::StringRef Path) {
  for (llvm::StringRef P :
       {"/usr/", "/opt/", "/nix/store/", "/Library/", "/System/"})
    if (Path.starts_with(P))
      return true;
  return false;
}

std::string defaultResourceDir() {
  if (const char *Env = std::getenv("CODE_INDEX_RESOURCE_DIR"))
    return Env;
  return CODE_INDEX_CLANG_RESOURCE_DIR;
}

Language languageOf(llvm::StringRef File, llvm::ArrayRef<std::string> Args) {
  // clang-cl: /TP and /TC (any prefix) set the language of every input.
  for (size_t I = Args.size(); I-- > 1;) {
    llvm::StringRef A = Args[I];
    if (A == "/TP" || A == "-TP")
      return Language::Cxx;
    if (A == "/TC" || A == "-TC")
      return Language::C;
  }
  for (size_t I = 0; I + 1 < Args.size(); ++I)
    if (Args[I] == "-x") {
      llvm::StringRef X = Args[I + 1];
      if (X == "c" || X == "c-header")
        return Language::C;
      if (X.starts_with("c++"))
        return Language::Cxx;
    }
  llvm::StringRef Ext = llvm::sys::path::extension(File);
  if (Ext == ".c")
    return Language::C;
  if (Ext == ".h")
    return Language::Unknown; // depends on the including TU
  return Language::Cxx;
}

llvm::Expected<std::string> findCompileCommands(llvm::StringRef PathOrDir) {
  llvm::SmallString<256> P;
  if (auto EC = llvm::sys::fs::real_path(PathOrDir, P))
    return makeError("cannot find '" + PathOrDir + "': " + EC.message());
  if (llvm::sys::fs::is_directory(P)) {
    llvm::sys::path::append(P, "compile_commands.json");
    // Only a missing file is "no compile_commands.json": EACCES on the
    // directory and the like are reported as what they are.
    llvm::sys::fs::file_status St;
    std::error_code EC = llvm::sys::fs::status(P, St);
    if (EC == std::errc::no_such_file_or_directory)
      return makeError("no compile_commands.json in '" + PathOrDir +
                       "' (configure the build with "
                       "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
    if (EC)
      return makeError("cannot read '" + P + "': " + EC.message());
  }
  if (llvm::sys::fs::is_directory(P))
    return makeError("'" + P + "' is a directory, not a compile database");
  // A FIFO or a device would block the read or never end.
  if (std::string Why = unreadableFileReason(P); !Why.empty())
    return makeError("cannot read '" + P + "': " + Why);
  return std::string(P);
}

llvm::Expected<std::vector<TuInput>>
loadCompileCommands(llvm::StringRef JsonPath, const LoadOptions &Options) {
  if (std::string Why = unreadableFileReason(JsonPath); !Why.empty())
    return makeError("cannot read '" + JsonPath + "': " + Why);
  auto Buf = llvm::MemoryBuffer::getFile(JsonPath, /*IsText=*/true);
  if (!Buf)
    return makeError("cannot read '" + JsonPath +
                     "': " + Buf.getError().message());
  return parseCompileCommands((*Buf)->getBuffer(), JsonPath, Options);
}

llvm::Expected<std::vector<TuInput>>
parseCompileCommands(llvm::StringRef Text, llvm::StringRef JsonPath,
                     const LoadOptions &Options) {
  std::string Decoded;
  if (decodeWideJson(Text, Decoded))
    Text = Decoded;
  if (Text.trim().empty())
    return makeError("'" + JsonPath +
                     "' is empty (expected a JSON array of {directory, file, "
                     "arguments|command} objects)");
  nlohmann::json J;
  try {
    J = nlohmann::json::parse(Text.begin(), Text.end());
  } catch (const nlohmann::json::exception &E) {
    // parse_error, and out_of_range for numbers like 1e99999 (found by
    // fuzz_compile_commands: it escaped as an uncaught exception).
    // "[json.exception.parse_error.101] parse error at line 1, column 2:
    // ..." without the library's prefix.
    llvm::StringRef What = E.what();
    if (What.starts_with("[json.exception."))
      What = What.split("] ").second;
    return makeError("'" + JsonPath + "' is not valid JSON: " + What);
  }
  if (!J.is_array())
    return makeError("'" + JsonPath +
                     "' is not a compile database: expected a JSON array of "
                     "{directory, file, arguments|command} objects");
  if (J.empty())
    return makeError("'" + JsonPath +
                     "' lists no translation units: the compile database is "
                     "an empty array (was it generated before any target "
                     "was configured?)");

  std::string DbDir(llvm::sys::path::parent_path(JsonPath));
  std::vector<std::string> Allowed{DbDir};
  for (const std::string &A : Options.AllowedDirs)
    Allowed.push_back(A);

  std::vector<TuInput> Out;
  std::set<Id> Seen;
  // Sanitised commands: entries that differ only in what the compiler
  // writes (-o, -MF, -MT, -MQ, -MD, --serialize-diagnostics, /Fo ...) and
  // in the action (-c) parse the same way.
  std::set<Id> SeenParse;
  for (size_t Idx = 0; Idx < J.size(); ++Idx) {
    const nlohmann::json &E = J[Idx];
    auto Where = [&]() {
      return "'" + JsonPath.str() + "' entry " + std::to_string(Idx);
    };
    if (!E.is_object())
      return makeError(Where() + " is not an object");
    auto Str = [&](const char *K) -> std::optional<std::string> {
      auto It = E.find(K);
      if (It == E.end() || !It->is_string())
        return std::nullopt;
      return It->get<std::string>();
    };
    std::optional<std::string> File = Str("file"), Dir = Str("directory");
    if (!File || File->empty())
      return makeError(Where() + " has no \"file\"");
    if (!Dir || Dir->empty())
      return makeError(Where() + " has no \"directory\"");
    // A NUL cannot be in a path or an argument: C APIs would cut the string
    // there and read, or index, another file than the one named.
    auto HasNul = [](const std::string &V) {
      return V.find('\0') != std::string::npos;
    };
    if (HasNul(*File) || HasNul(*Dir))
      return makeError(Where() + ": \"" +
                       (HasNul(*File) ? "file" : "directory") +
                       "\" holds a NUL character (\\u0000), which no path "
                       "can contain");
    std::optional<std::string> Cmd = Str("command");
    // A Windows build: its paths and its quoting.
    bool WindowsPaths = isWindowsPath(*Dir) || isWindowsPath(*File);
    bool WindowsBuild =
        WindowsPaths ||
        (Cmd && E.find("arguments") == E.end() && clCompilerCommand(*Cmd));
    Style PathStyle = WindowsPaths ? Style::windows : Style::native;
    std::string Directory = normalize(*Dir, DbDir, PathStyle);
    std::vector<std::string> Args;
    if (auto It = E.find("arguments"); It != E.end()) {
      if (!It->is_array())
        return makeError(Where() + ": \"arguments\" is not an array");
      for (const auto &A : *It) {
        if (!A.is_string())
          return makeError(Where() + ": \"arguments\" holds a non-string");
        Args.push_back(A.get<std::string>());
      }
    } else if (Cmd) {
      llvm::BumpPtrAllocator Alloc;
      llvm::StringSaver Saver(Alloc);
      llvm::SmallVector<const char *, 64> Toks;
      if (WindowsBuild)
        llvm::cl::TokenizeWindowsCommandLine(*Cmd, Saver, Toks);
      else
        llvm::cl::TokenizeGNUCommandLine(*Cmd, Saver, Toks);
      for (const char *T : Toks)
        Args.emplace_back(T);
    } else {
      return makeError(Where() + " has neither \"arguments\" nor \"command\"");
    }
    if (Args.empty())
      return makeError(Where() + " has an empty command");
    if ((Cmd && HasNul(*Cmd)) || std::any_of(Args.begin(), Args.end(), HasNul))
      return makeError(Where() + ": the command holds a NUL character "
                                 "(\\u0000), which no argument can contain");

    TuInput T;
    T.Index = Idx;
    T.Directory = Directory;
    T.MainFile = normalize(*File, Directory, PathStyle);
    {
      std::string H = T.Directory;
      for (const std::string &A : Args) {
        H += '\0';
        H += A;
      }
      T.CommandHash = llvm::xxh3_64bits(H);
      T.Key = llvm::xxh3_64bits(T.MainFile + '\0' + H);
    }
    if (!Seen.insert(T.Key).second)
      continue; // an identical entry: one TU
    if (llvm::Error Err = expandResponseFiles(
            Args, Directory, Allowed, PathStyle, WindowsBuild, T.Stripped))
      return Err;
    Sanitized S = sanitize(Args);
    T.Stripped.insert(T.Stripped.end(), S.Stripped.begin(), S.Stripped.end());
    T.Args = std::move(S.Args);
    {
      std::string P = T.MainFile + '\0' + T.Directory;
      for (const std::string &A : T.Args) {
        P += '\0';
        P += A;
      }
      if (!SeenParse.insert(llvm::xxh3_64bits(P)).second)
        continue; // the same parse as an earlier entry: one TU
    }
    T.Lang = languageOf(T.MainFile, T.Args);
    if (T.Lang == Language::Unknown)
      T.Lang = Language::C;
    T.Variant = variantOf(T.Args, T.Lang);
    // Clang's driver would read configuration files found next to the
    // compiler named in argv[0] (which the database chooses).
    T.Args.push_back("--no-default-config");
    T.Args.push_back("-fsyntax-only");
    T.Args.push_back("-w");
    T.Args.push_back("-Wno-error");
    T.Args.push_back("-ferror-limit=100");
    if (!Options.ResourceDir.empty())
      T.Args.push_back("-resource-dir=" + Options.ResourceDir);
    Out.push_back(std::move(T));
  }
  return Out;
}

} // namespace codeindex
