//===- OutOfResources.h - Running out of memory or threads ------*- C++ -*-===//
//
// LLVM treats a failed allocation and a failed pthread_create as fatal
// errors: it prints "LLVM ERROR: ...", asks for a bug report and aborts
// (exit 134, perhaps a core dump); std::thread throws std::system_error,
// which ends in std::terminate, the same way. Under a memory or thread limit
// (`ulimit -v`, `ulimit -u`, a container's cgroup) neither is a bug. These
// handlers say what ran out and what to do, and end the process with the exit
// code of a run that could not write its index. What the run had not committed
// is not in the index; what was committed stays (see docs/reliability.md).
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_TOOLS_OUTOFRESOURCES_H
#define CODEINDEX_TOOLS_OUTOFRESOURCES_H

namespace codeindex {

/// Installs LLVM's fatal-error and bad-alloc handlers and a terminate
/// handler (process-wide; call
/// once from main, after llvm::InitLLVM, which installs the new-handler
/// that reports failed allocations through the bad-alloc handler).
void installOutOfResourcesHandlers();

} // namespace codeindex

#endif // CODEINDEX_TOOLS_OUTOFRESOURCES_H
