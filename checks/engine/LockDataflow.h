//===- LockDataflow.h - Lock-set dataflow over the CFG ----------*- C++ -*-===//
//
// Computes, for every point of a function's CFG, the locks held on every
// path to it and the channels closed on some path to it (FlowState).
// Transfer functions come from the API models, Clang's thread-safety
// attributes and the close summaries: a guard's construction and
// destructor, lock()/unlock() on a mutex or a guard, a try-lock whose result
// is tested by a branch, a close(). The analysis then replays the function
// once with the converged states and shows each call and statement to an
// observer: the checks are observers and never walk the CFG themselves.
//
// Lambdas run where they run: a lambda invoked in place (`[&]{...}()`, or a
// local lambda called later in the same function) and a condition-variable
// wait predicate are replayed with the caller's locks held; any other lambda
// is its own entry point with no lock held (see TranslationUnitAnalysis).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_LOCKDATAFLOW_H
#define CONCUR_ENGINE_LOCKDATAFLOW_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/LockIdentity.h"
#include "checks/engine/LockSet.h"
#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <memory>
#include <vector>

namespace concur {

/// A call (or constructor call) as a check sees it.
struct CallSite {
  CallSite(LockSet Held, ChannelSet Closed) : Held(Held), Closed(Closed) {}
  const clang::Expr *E = nullptr;             ///< CallExpr or CXXConstructExpr
  const clang::FunctionDecl *Callee = nullptr;
  MatchedEffect Model;
  LockSet Held;                               ///< locks held before the call
  ChannelSet Closed;                          ///< channels closed before it
  /// Locks the call itself releases while it waits (a condition wait's own
  /// lock); they do not count as held across it.
  llvm::SmallVector<LockId, 2> ReleasedWhileBlocked;
  /// The call releases a lock while it waits but concur cannot tell which
  /// (a condition variable bound in a constructor it cannot see).
  bool ReleasesUnknownLock = false;
  /// The locks the call gives back by hand (`mu.unlock()`,
  /// `pthread_mutex_unlock(&m)`; not a guard's unlock), whether held here
  /// or by the function's callers.
  llvm::SmallVector<LockId, 1> Unlocks;
  /// The lambdas replayed in place on the way here, outermost first.
  llvm::SmallVector<const clang::Expr *, 2> InlinedVia;
  /// The model says the call may block, but not here: its descriptor is
  /// non-blocking or -1, or its flags say MSG_DONTWAIT.
  bool CannotBlock = false;
};

/// One way out of a function, and the state on it.
struct ExitPath {
  /// The return statement (or, when Throws, the throw expression), or null
  /// when the path reaches the closing brace.
  const clang::Stmt *LeavesAt = nullptr;
  clang::SourceLocation Loc; ///< where it leaves
  FlowState State;
  /// The path leaves by an exception thrown in the function and not caught.
  bool Throws = false;
};

/// A lock acquisition as a check sees it: a lock call, a guard's
/// construction or lock(), a call to an ACQUIRE-annotated function. A
/// guard or call that takes several locks is one AcquireSite per lock.
struct AcquireSite {
  AcquireSite(const LockSet &Held) : Held(Held) {}
  const clang::Stmt *S = nullptr; ///< the call, or the guard's declaration
  clang::SourceLocation Loc;      ///< as LockFact::Acquired records it
  LockId Lock = 0;
  LockMode Mode = LockMode::Exclusive;
  /// A try-lock (tested or not): it fails rather than waits.
  bool Try = false;
  /// The lock is of a recursive mutex type.
  bool Recursive = false;
  const LockSet &Held; ///< the locks held just before it
  llvm::ArrayRef<const clang::Expr *> InlinedVia;
};

class LockSetObserver {
public:
  virtual ~LockSetObserver();
  /// Before the analysis of each entry point.
  virtual void beginEntry(const clang::FunctionDecl *Entry) {}
  virtual void visitCall(const CallSite &Site) {}
  /// Every statement of the CFG (field accesses, ...), with the locks held
  /// before it and the lambdas replayed in place on the way.
  virtual void visitStmt(const clang::Stmt *S, const LockSet &Held,
                         llvm::ArrayRef<const clang::Expr *> InlinedVia) {}
  /// Every lock acquisition, with the locks held before it.
  virtual void visitAcquire(const AcquireSite &Site) {}
  /// After each entry point: the state on each way out of it, the paths
  /// that throw out of it included.
  virtual void endEntry(const clang::FunctionDecl *Entry,
                        llvm::ArrayRef<ExitPath> Exits) {}
  /// A local std::thread (or container of them) that reaches its
  /// destructor, or leaves the function by a throw, while it may be
  /// joinable.
  virtual void visitThreadDrop(const ThreadDrop &Drop) {}
};

/// Builds and caches CFGs of the functions of one translation unit.
class CFGCache {
public:
  explicit CFGCache(clang::ASTContext &Ctx) : Ctx(Ctx) {}
  const clang::CFG *get(const clang::FunctionDecl *FD);

private:
  clang::ASTContext &Ctx;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<clang::CFG>> CFGs;
};

class CloseSummaries;
class DoneSummaries;

class LockSetAnalysis {
public:
  LockSetAnalysis(clang::ASTContext &Ctx, const ModelMatcher &Models,
                  LockTable &Locks, CFGCache &CFGs)
      : Ctx(Ctx), Models(Models), Locks(Locks), CFGs(CFGs) {}

  /// Analyses FD as an entry point (no lock held on entry) and shows every
  /// call to Obs with the locks held on all paths to it.
  void analyze(const clang::FunctionDecl *FD, LockSetObserver &Obs);

  /// Whether FD's body (outside nested lambdas) takes any lock. A function
  /// that takes none cannot hold one, so the checks skip its CFG entirely.
  bool mayAcquireLocks(const clang::FunctionDecl *FD) const;

  /// The locks a call's argument denotes: a guard variable's locks, or the
  /// mutex (or pointer to it) the expression names.
  llvm::SmallVector<LockId, 2> locksOfArgument(const clang::Expr *Arg);

  /// The locks a condition variable object was given at construction (a
  /// local one, or a member initialised in its class's constructor), which
  /// its wait releases.
  llvm::SmallVector<LockId, 2> associatedLocks(const clang::Expr *Object);

  /// The locks a thread-safety attribute names at a call: its arguments are
  /// written in the callee's terms (`mu_`, a parameter); no argument means
  /// the object the method is called on.
  llvm::SmallVector<LockId, 2>
  locksOfAttributeArgs(llvm::ArrayRef<clang::Expr *> AttrArgs,
                       const clang::CallExpr *Call);

  /// The lock or channel a callee calls `*this.Class::m_`, at a call whose
  /// object is Receiver.
  std::optional<LockId> memberAtReceiver(llvm::StringRef CalleePath,
                                         const clang::Expr *Receiver,
                                         llvm::StringRef Display);

  /// The channel a call closes, if any: a modelled close(), or a call to a
  /// function whose summary closes the channel passed to it or a member of
  /// the object it is called on. Direct is false for the latter.
  std::optional<LockId> channelClosedBy(const clang::CallExpr *C, bool &Direct);

  /// Lets calls to functions that close a channel they are given (or a
  /// member) close it at the call site.
  void setCloseSummaries(CloseSummaries *C) { Closes = C; }
  /// Lets calls and destructors that count a WaitGroup down do so at the
  /// call site.
  void setDoneSummaries(DoneSummaries *D) { Dones = D; }

  /// The calls of FD that a model says may block but that cannot on every
  /// path to them: I/O on a descriptor FD made non-blocking (or -1).
  llvm::SmallPtrSet<const clang::CallExpr *, 4>
  callsThatCannotBlock(const clang::FunctionDecl *FD);

  /// Runs FD with no lock held, counting WaitGroup count-downs, and returns
  /// the state on each way out that returns normally (a path that throws
  /// or calls a noreturn function is left out). Used for spawned tasks and
  /// for the summaries of the functions they call.
  std::vector<ExitPath> exitPaths(const clang::FunctionDecl *FD);

  /// The variable a counted WaitGroup path starts from (a parameter, a
  /// local, a captured or global variable); null for a member of `this`.
  const clang::VarDecl *countRoot(LockId Id) const {
    return CountRoots.lookup(Id);
  }

private:
  class FunctionRun;
  FlowState emptyState() {
    return FlowState{Factory.getEmptyMap(), ChannelFactory.getEmptyMap(),
                     CountFactory.getEmptyMap(), DescriptorFactory.getEmptyMap(),
                     ThreadFactory.getEmptyMap()};
  }
  void run(const clang::FunctionDecl *FD, FlowState Entry, LockSetObserver *Obs,
           llvm::SmallVectorImpl<const clang::Expr *> &Via);

  clang::ASTContext &Ctx;
  const ModelMatcher &Models;
  LockTable &Locks;
  CFGCache &CFGs;
  LockSet::Factory Factory;
  ChannelSet::Factory ChannelFactory;
  CountSet::Factory CountFactory;
  DescriptorSet::Factory DescriptorFactory;
  ThreadSet::Factory ThreadFactory;
  ThreadHandlerSummaries ThreadHandlers;
  CloseSummaries *Closes = nullptr;
  DoneSummaries *Dones = nullptr;
  /// Counts are followed only while computing exit paths: the lock and
  /// channel checks never pay for them.
  bool TrackCounts = false;
  llvm::DenseMap<LockId, const clang::VarDecl *> CountRoots;
  /// Guard variables and the locks they manage; a guard is bound to its
  /// locks once, at construction, whatever the path.
  llvm::DenseMap<const clang::VarDecl *, llvm::SmallVector<LockId, 2>> GuardLocks;
  llvm::DenseMap<const clang::VarDecl *, LockMode> GuardModes;
  /// Variables holding locks through the guard temporaries they extend
  /// (a C++23 range-for's range variable): released when their lifetime
  /// ends, since the CFG has no destructor for those temporaries.
  llvm::DenseSet<const clang::VarDecl *> ExtendingGuards;
  /// The locks seen to be of a recursive mutex type.
  llvm::DenseSet<LockId> RecursiveLocks;
};

/// The lock arguments of the constructions that initialise member F, one
/// list per construction (its in-class initialiser, then each constructor's
/// mem-initialiser), for those whose model binds or takes a lock:
/// `cv_(&mu_)`, `cv_{&mu_}`.
llvm::SmallVector<llvm::SmallVector<const clang::Expr *, 2>, 2>
memberInitLockArgs(const clang::FieldDecl *F, const ModelMatcher &Models);

/// The lambda an argument evaluates to: a lambda expression, or a local
/// variable initialised with one.
const clang::LambdaExpr *lambdaOf(const clang::Expr *E);
/// Whether a timeout argument is a constant zero (`0`, `0ms`, `seconds(0)`,
/// `duration::zero()`), which makes a timed wait a poll.
bool isZeroTimeout(const clang::Expr *E, const clang::ASTContext &Ctx);

/// How an expression of flags mentions a non-blocking flag (O_NONBLOCK,
/// O_NDELAY, SOCK_NONBLOCK, MSG_DONTWAIT): set, cleared (`flags &
/// ~O_NONBLOCK`), or not at all.
enum class FlagUse { None, Set, Cleared };
FlagUse nonBlockingFlag(const clang::Expr *E, const clang::ASTContext &Ctx);

/// A call a model says may block that cannot, whatever descriptor it is
/// given: MSG_DONTWAIT in its flags, or a constant -1 descriptor.
bool cannotBlockByArguments(const Effect &Fx, llvm::ArrayRef<const clang::Expr *> Args,
                            const clang::ASTContext &Ctx);

} // namespace concur

#endif
