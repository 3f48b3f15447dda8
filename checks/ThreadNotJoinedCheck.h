//===- ThreadNotJoinedCheck.h -----------------------------------*- C++ -*-===//
//
// concur-thread-not-joined: a std::thread destroyed while joinable calls
// std::terminate. Two shapes:
//  - a local thread (or a local container of threads) that reaches its
//    destructor, or leaves the function by a throw, while it may still be
//    joinable: the lock-set dataflow carries each local thread's state
//    (ThreadStates) and shows the drops to this check;
//  - a thread member of a class whose destructor, and every function it
//    calls, never joins, detaches or moves it, although the class starts it.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_THREADNOTJOINEDCHECK_H
#define CONCUR_CHECKS_THREADNOTJOINEDCHECK_H

#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/MapVector.h"

namespace concur {

class ThreadNotJoinedCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-thread-not-joined";

  ThreadNotJoinedCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  void beginEntry(const clang::FunctionDecl *) override { Pending.clear(); }
  void visitThreadDrop(const ThreadDrop &Drop) override;
  /// One finding per thread and function: its first drop in the source,
  /// with the others as notes (a test's every ASSERT_* returns early).
  void endEntry(const clang::FunctionDecl *Entry,
                llvm::ArrayRef<ExitPath> Exits) override;

  /// Whether FD declares a local thread or container of threads: the
  /// functions this check needs the engine to walk.
  bool needsEntry(const clang::FunctionDecl *FD) override;
  /// The members: checked once the functions are done.
  void finish() override;

private:
  void checkRecord(const clang::CXXRecordDecl *RD);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  /// The current function's drops, by thread, in the order seen.
  llvm::MapVector<const clang::VarDecl *, std::vector<Finding>> Pending;
};

} // namespace concur

#endif
