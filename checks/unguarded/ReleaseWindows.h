//===- ReleaseWindows.h - Where a function lets go of its lock --*- C++ -*-===//
//
// A function that holds a lock, unlocks it (the mutex's unlock(), or its
// guard's) and takes it back later opens a window in which it works
// without the lock, by protocol:
//
//   mutex_.Unlock();                       // leveldb's DBImpl::Write():
//   status = log_->AddRecord(...);         // "&w is currently responsible
//   mutex_.Lock();                         // for logging"
//
// The function keeps the role the lock gave it (the front writer of a
// queue, the owner of a slot): concur cannot see that role, and the author
// released the lock knowing what the window touches. An access is in a
// window of L when an unlock of L the function made with L held reaches it
// in the function's CFG and it reaches an acquisition of L that does not
// lead back to that unlock. An unlock never followed by the lock again
// (`unlock(); return field_;`) opens no window, nor does a loop that takes
// the lock for a moment each round (`lock(); pop(); unlock(); n_++;`): the
// rest of its round is no window but where the work is done unlocked.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDED_RELEASEWINDOWS_H
#define CONCUR_CHECKS_UNGUARDED_RELEASEWINDOWS_H

#include "checks/engine/LockDataflow.h"
#include "clang/Analysis/Analyses/CFGReachabilityAnalysis.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>

namespace concur::unguarded {

class ReleaseWindows {
public:
  explicit ReleaseWindows(CFGCache &CFGs) : CFGs(CFGs) {}

  /// FD unlocks L at S while it holds L (by hand, or through its guard).
  void noteRelease(const clang::FunctionDecl *FD, const clang::Stmt *S, LockId L);
  /// FD acquires L at S (a call, or a guard's declaration).
  void noteAcquire(const clang::FunctionDecl *FD, const clang::Stmt *S, LockId L);

  /// The locks FD has released around Access, in its own body (not in a
  /// lambda's), and takes back after it.
  llvm::SmallVector<LockId, 1> around(const clang::FunctionDecl *FD,
                                      const clang::Stmt *Access);

private:
  struct Site {
    const clang::Stmt *S;
    LockId Lock;
  };
  /// Where each statement of a function's CFG sits: its block and index.
  struct Position {
    const clang::CFGBlock *Block = nullptr;
    unsigned Index = 0;
  };
  struct FunctionWindows {
    llvm::SmallVector<Site, 2> Releases, Acquires;
    const clang::CFG *G = nullptr;
    bool Indexed = false;
    /// The release and re-acquisition pairs that can bound a window: same
    /// lock, and the acquisition does not lead back to the release. Found
    /// once, when the function is indexed; an access then only has to lie
    /// between the two.
    llvm::SmallVector<std::pair<Site, Site>, 2> Bounds;
    llvm::DenseMap<const clang::Stmt *, Position> Positions;
    std::unique_ptr<clang::CFGReverseBlockReachabilityAnalysis> Reach;
  };
  bool reaches(FunctionWindows &W, const clang::Stmt *From, const clang::Stmt *To);
  void index(const clang::FunctionDecl *FD, FunctionWindows &W);

  CFGCache &CFGs;
  llvm::DenseMap<const clang::FunctionDecl *, FunctionWindows> Functions;
};

} // namespace concur::unguarded

#endif
