//===- TuThread.h - Running one TU's frontend so a crash stays in it -*- C++
//-*-===//
//
// A translation unit's Clang frontend runs on a thread of its own with a
// large stack, inside llvm::CrashRecoveryContext, with an alternate signal
// stack, so that what kills a frontend (a stack overflow from a 25,000-arm
// ?: chain, 1,000 nested parentheses, deep constexpr recursion; an abort)
// fails that TU and not the process. Clang's own stack checks
// (clang::runWithSufficientStackSpace) are active on that thread.
//
// What this cannot promise: a crash while the frontend held a lock another
// thread needs (e.g. inside malloc), or heap corruption that surfaces later
// in another thread, is not contained; see docs/reliability.md.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PIPELINE_TUTHREAD_H
#define CODEINDEX_PIPELINE_TUTHREAD_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>

namespace codeindex {

/// Stack of a TU's frontend thread: Clang needs 8 MB for its own limits
/// (clang::DesiredStackSize); inputs built to exhaust the stack need far
/// more. Only the pages a frontend touches are committed.
inline constexpr size_t TuStackBytes = size_t(64) << 20;

/// Installs the crash handlers of llvm::CrashRecoveryContext, made to run
/// on the alternate signal stack (a stack overflow leaves no room on the
/// thread's own stack for the handler). Process-wide; idempotent.
void enableTuCrashRecovery();

/// Runs Fn on a new thread with StackBytes of stack, inside a
/// CrashRecoveryContext unless Recover is false (a worker process, which a
/// crash may end: see WorkerProtocol.h). Returns false if Fn crashed (the
/// context unwound it; whatever it allocated is leaked). Blocks until Fn is
/// done.
bool runTuFrontend(llvm::function_ref<void()> Fn,
                   size_t StackBytes = TuStackBytes, bool Recover = true);

} // namespace codeindex

#endif // CODEINDEX_PIPELINE_TUTHREAD_H
