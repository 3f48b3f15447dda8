//===- ThreadStates.h - The lattice of thread object states -----*- C++ -*-===//
//
// A local std::thread (or a local container of them) is, at each program
// point, in a set of possible states: not started, joinable, finished with
// (joined, detached, or handed to something that joins it), or moved from.
// The join of two paths is the union, so a thread joinable on one path into
// its destructor stays joinable there, and the check can say so. This is one
// more fact of the lock-set dataflow's FlowState: its transfer (declarations,
// join()/detach(), moves, assignments, push_back into a container, a branch
// on joinable(), a loop that joins every element) lives here, and
// LockDataflow calls it.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_THREADSTATES_H
#define CONCUR_ENGINE_THREADSTATES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/ImmutableMap.h"
#include <tuple>

namespace concur {

struct ThreadFact {
  enum : uint8_t {
    NotStarted = 1, ///< default-constructed, or an empty container
    Joinable = 2,   ///< started and not yet joined or detached
    Finished = 4,   ///< joined, detached, or handed to code that does
    MovedFrom = 8,  ///< moved into a member, a container, a return value
  };
  uint8_t Possible = NotStarted;
  /// Where it became joinable (the first start seen on the way).
  clang::SourceLocation StartedAt;
  bool Container = false; ///< a container of threads rather than a thread

  bool mayBeJoinable() const { return Possible & Joinable; }

  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(Possible);
    ID.AddInteger(StartedAt.getRawEncoding());
    ID.AddBoolean(Container);
  }
  auto tie() const {
    return std::make_tuple(Possible, StartedAt.getRawEncoding(), Container);
  }
  bool operator==(const ThreadFact &O) const { return tie() == O.tie(); }
  bool operator<(const ThreadFact &O) const { return tie() < O.tie(); }
};

/// The local thread objects of a function, by variable.
using ThreadSet = llvm::ImmutableMap<const clang::VarDecl *, ThreadFact>;

/// A thread object that reaches its destructor (or leaves the function by a
/// throw) while it may still be joinable.
struct ThreadDrop {
  const clang::VarDecl *Var = nullptr;
  ThreadFact Fact;
  /// The return or throw that leaves the scope; null at a closing brace.
  const clang::Stmt *LeavesAt = nullptr;
  clang::SourceLocation Loc; ///< where the object dies
  bool ByThrow = false;
};

/// What kind of thread object a type is.
enum class ThreadObject { None, Thread, Container };
/// std::thread (not std::jthread, which joins itself), or a standard
/// container of them.
ThreadObject threadObjectKind(clang::QualType T);

/// Whether a function (or what it calls, a few levels deep) joins, detaches
/// or moves a thread: a helper given a thread by reference, or the
/// destructor of an RAII joiner.
class ThreadHandlerSummaries {
public:
  bool handlesThreads(const clang::FunctionDecl *FD, unsigned Depth = 0);

private:
  llvm::DenseMap<const clang::FunctionDecl *, bool> Cache;
};

/// The transfer and join of ThreadSet.
class ThreadTransfer {
public:
  ThreadTransfer(clang::ASTContext &Ctx, ThreadSet::Factory &F,
                 ThreadHandlerSummaries &Handlers)
      : Ctx(Ctx), F(F), Handlers(Handlers) {}

  ThreadSet transferStmt(const clang::Stmt *St, ThreadSet S);
  /// A local's destructor runs: Drop is set when it may still be joinable.
  ThreadSet destroy(const clang::VarDecl *VD, const clang::Stmt *Trigger,
                    ThreadSet S, std::optional<ThreadDrop> &Drop);
  /// The state on the edge from Pred to Succ: a branch on joinable(), or a
  /// loop whose body joins each element of a container.
  ThreadSet refineEdge(const clang::CFGBlock *Pred, const clang::CFGBlock *Succ,
                       ThreadSet S);
  ThreadSet join(ThreadSet A, ThreadSet B);
  /// The threads still joinable when a block leaves the function by a throw
  /// that nothing in the function catches.
  void droppedByThrow(const clang::CFGBlock *B, const ThreadSet &S,
                      llvm::SmallVectorImpl<ThreadDrop> &Out) const;

private:
  ThreadSet transferDecl(const clang::VarDecl *VD, ThreadSet S);
  ThreadSet transferCall(const clang::CallExpr *C, ThreadSet S);
  ThreadSet transferConstruct(const clang::CXXConstructExpr *CE, ThreadSet S);
  ThreadSet transferLambda(const clang::LambdaExpr *L, ThreadSet S);
  ThreadSet handArguments(const clang::FunctionDecl *Callee,
                          llvm::ArrayRef<const clang::Expr *> Args,
                          bool CalleeHandles, ThreadSet S);
  ThreadSet set(ThreadSet S, const clang::VarDecl *VD, uint8_t Possible,
                clang::SourceLocation StartedAt = {});
  /// The tracked variable an expression is, or an element of (`t`, `v[i]`,
  /// `v.back()`, the loop variable of `for (auto &t : v)`).
  const clang::VarDecl *trackedRoot(const clang::Expr *E, const ThreadSet &S,
                                    bool &Element) const;
  bool loopJoinsElements(const clang::Stmt *Loop, const clang::VarDecl *VD,
                         const ThreadSet &S) const;

  clang::ASTContext &Ctx;
  ThreadSet::Factory &F;
  ThreadHandlerSummaries &Handlers;
  /// The state of a variable just before a std::move of it, so that the
  /// declaration or assignment it initialises inherits it.
  llvm::DenseMap<const clang::Expr *, ThreadFact> MovedState;
};

} // namespace concur

#endif
