//===- ExitCodes.h - The exit codes of code-indexer -------------*- C++ -*-===//
//
// Part of the command-line interface (documented in docs/cli.md): scripts and
// CI branch on these values, so they never change meaning.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_TOOLS_EXITCODES_H
#define CODEINDEX_TOOLS_EXITCODES_H

namespace codeindex {

/// Exit codes of code-indexer (also documented in docs/cli.md).
namespace exitcode {
inline constexpr int Ok = 0;
inline constexpr int Usage = 1;      ///< bad option or bad input file
inline constexpr int Store = 2;      ///< cannot open/lock/write the index
inline constexpr int TuFailures = 3; ///< --strict and some TU failed
/// diff --exit-code: something changed. The same value as Usage, as in
/// `git diff --exit-code`; --fail-on any gives an unambiguous code.
inline constexpr int DiffDifferences = 1;
/// diff --fail-on: one of the conditions holds (diff never fails a TU, so
/// the value of TuFailures is free there).
inline constexpr int DiffFailOn = 3;
inline constexpr int Listen = 4; ///< serve: cannot listen (port in use, ...)
inline constexpr int Interrupted = 130;
} // namespace exitcode

} // namespace codeindex

#endif // CODEINDEX_TOOLS_EXITCODES_H
