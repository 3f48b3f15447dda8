//===- UnguardedFieldCheck.h ------------------------------------*- C++ -*-===//
//
// concur-unguarded-field: a shared variable (a field of `this`, a global, a
// static member) touched without the locks that guard it elsewhere. The
// lock-set dataflow shows every access with the locks held there; at the end
// of the translation unit the check works out what each function's callers
// hold, infers each variable's guard set from its writes (or takes Clang's
// GUARDED_BY), then reports the accesses that break the discipline.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDEDFIELDCHECK_H
#define CONCUR_CHECKS_UNGUARDEDFIELDCHECK_H

#include "checks/engine/TranslationUnitAnalysis.h"
#include "checks/unguarded/ReleaseWindows.h"
#include "checks/unguarded/ValueCopies.h"
#include "checks/unguarded/VariableUses.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"
#include <optional>

namespace concur {

class UnguardedFieldCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-unguarded-field";

  UnguardedFieldCheck(AnalysisContext &Ctx, std::vector<Finding> &Out,
                      const EngineOptions &Options)
      : Ctx(Ctx), Out(Out), Options(Options), Uses(Ctx.Models),
        Copies(Ctx.LockFlow), Windows(Ctx.CFGs) {}

  /// The functions that take no lock are not analysed up front; once the
  /// others have been, this analyses those among them that touch a
  /// variable seen under a lock or are called with a lock held, to a
  /// fixpoint, and notes the calls and spawns of the rest.
  void analyzeRemaining(llvm::ArrayRef<const clang::FunctionDecl *> Skipped) override;

  void beginEntry(const clang::FunctionDecl *Entry) override;
  void visitCall(const CallSite &Site) override;
  void visitAcquire(const AcquireSite &Site) override;
  void visitStmt(const clang::Stmt *S, const LockSet &Held,
                 llvm::ArrayRef<const clang::Expr *> Via) override;
  /// Infers the guards and reports, once every entry has been analysed.
  void finish() override;
  /// The accesses to variables declared in headers, for the project link
  /// (driver/facts/FieldGuardLink) to judge with every file's accesses.
  void recordFacts(TranslationUnitFacts &Out) override;

  /// The wording of findings and notes, shared with the project link so
  /// that both say the same. Lock lists arrive quoted and joined.
  static std::string heldReason(llvm::StringRef Guard, unsigned Held,
                                unsigned Accesses, unsigned HeldWrites);
  static std::string allHeldReason(llvm::StringRef Guard, unsigned WritesUnderGuard,
                                   unsigned Writes);
  static std::string accessMessage(llvm::StringRef Kind, llvm::StringRef What,
                                   bool IsWrite, llvm::StringRef Locks,
                                   bool OnOtherThread, llvm::StringRef Why);
  static std::string sharedWriteMessage(llvm::StringRef Kind, llvm::StringRef What,
                                        llvm::StringRef Shared, size_t Count,
                                        llvm::StringRef Why);
  static std::string guardedNote(llvm::StringRef What, bool IsWrite,
                                 llvm::StringRef Locks);
  static std::string declaredNote(llvm::StringRef Lock, llvm::StringRef Where);
  static std::string unlockedCallNote(llvm::StringRef Caller, llvm::StringRef Callee,
                                      llvm::StringRef Guard);

  /// A lock held at a point, as the check compares them across functions.
  struct HeldLock {
    LockId Lock;
    LockMode Mode;
    clang::SourceLocation Acquired;
  };
  using HeldLocks = llvm::SmallVector<HeldLock, 2>;

  struct Access {
    const clang::Expr *E; ///< MemberExpr on `this`, or DeclRefExpr
    const clang::ValueDecl *Var;
    bool IsWrite;
    HeldLocks Held;            ///< comparable locks held here
    bool HoldsOtherLock;       ///< a lock of a local or parameter is held
    bool InLambdaAlone;        ///< in a lambda analysed on its own
    const clang::FunctionDecl *Entry;
    /// Under a lock taken only when the object is shared: serialised.
    bool UnderOptionalLock = false;
  };
  struct Call {
    const clang::Expr *E;
    const clang::FunctionDecl *Callee; ///< canonical
    const clang::FunctionDecl *Caller; ///< the analysed function
    HeldLocks Held;
    bool HoldsOtherLock;
    bool OnThis; ///< a method called on `this`
    /// The locks of the object the method is called on that are held, in
    /// the callee's terms (`b.mu_` around `b.used()` is its `this->mu_`).
    HeldLocks ReceiverHeld = {};
  };
  /// What every caller of a function holds.
  struct CallerContext {
    llvm::SmallVector<LockId, 2> Locks; ///< in the callee's terms
    bool Serialised = false; ///< every caller holds some lock
    bool SetupOnly = false;  ///< every caller runs before sharing
    const Call *Unlocked = nullptr; ///< a caller that holds nothing
    /// Unless Genuine, the callers that hold nothing are all overrides no
    /// code of this file calls: these.
    llvm::SmallVector<const clang::FunctionDecl *, 2> Roots;
    bool Genuine = true;
  };

private:
  HeldLocks receiverLocks(const clang::CXXMemberCallExpr *MC, const LockSet &Held);
  /// The locks each function releases by hand (`mu_.unlock()` for slow
  /// work): a caller's hold of its receiver's lock is not passed to it.
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<LockId, 2>> Releases;
  bool releases(const clang::FunctionDecl *FD, LockId L) const;
  struct Effective;
  bool inWindow(const Effective &E);
  bool isCandidate(const clang::ValueDecl *V);
  HeldLocks comparableLocks(const LockSet &Held, bool &Other);
  bool holdsOptionalLock(const LockSet &Held) const;
  void noteGuardRelease(const CallSite &Site);
  void noteLockDecl(const clang::Expr *E);
  bool inSetupRegion(const clang::FunctionDecl *Entry,
                     clang::SourceLocation Loc) const;
  bool isSetup(const clang::FunctionDecl *FD) const;
  bool callersUnseen(const clang::FunctionDecl *FD) const;
  bool isInitializer(const clang::FunctionDecl *FD) const;
  bool definedElsewhere(const clang::FunctionDecl *FD) const;
  bool uncalledOverride(const clang::FunctionDecl *FD) const;
  bool overridesProjectMethod(const clang::FunctionDecl *FD) const;
  /// Overrides that only they themselves call, through the methods they
  /// override (Poco's Expire::equals() asks the delegate it wraps): as for
  /// an uncalled override, their callers are where those methods are called.
  llvm::DenseSet<const clang::FunctionDecl *> CycleOverrides;
  std::vector<std::string> calledAs(const clang::FunctionDecl *FD) const;
  bool followsCallsTo(const clang::FunctionDecl *Callee) const;
  bool isSetupCall(const Call &C);
  bool isOnceCall(const Call &C);
  llvm::DenseMap<const clang::Expr *, bool> OnceCalls;
  bool onFreshObject(const clang::Expr *Call);
  void computeCallerContexts();
  void addVirtualCallers(
      llvm::DenseMap<const clang::FunctionDecl *,
                     llvm::SmallVector<const Call *, 4>> &CallersOf);
  CallerContext contextOf(const clang::FunctionDecl *FD) const;
  llvm::SmallVector<LockId, 2> annotatedGuards(const clang::ValueDecl *V,
                                               bool &Unfollowable);
  std::string where(LockId L, const clang::ValueDecl *V) const;
  std::string lockNames(llvm::ArrayRef<LockId> Locks, const char *Conj) const;
  std::string lockName(LockId L) const;
  void decideAndReport(const clang::ValueDecl *V, std::vector<Access> &Accs);
  bool confinedByCopies(const clang::ValueDecl *V, size_t Accesses);
  bool isExported(const clang::ValueDecl *V);
  void recordAccesses(const clang::ValueDecl *V, llvm::ArrayRef<Effective> Evs,
                      bool GuardedHere, bool CallersElsewhere);
  AccessLockFact accessLockFact(LockId Lock, LockMode Mode,
                                const clang::ValueDecl *V) const;
  UnlockedCallerFact unlockedCallerFact(const Call &C) const;
  llvm::SmallVector<const Call *, 4> unlockedChain(const Call *Innermost) const;
  void report(const clang::ValueDecl *V, const Access &A, const Effective &E,
              llvm::ArrayRef<LockId> Guard, llvm::ArrayRef<LockId> Missing,
              bool SharedOnly, bool Annotated, const std::string &Why,
              llvm::ArrayRef<const Access *> Guarded);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const EngineOptions &Options;
  const clang::FunctionDecl *CurrentEntry = nullptr;
  unguarded::UseClassifier Uses;
  unguarded::ValueCopies Copies;
  unguarded::ReleaseWindows Windows;

  llvm::DenseMap<const clang::ValueDecl *, bool> Candidates;
  /// Where each occurrence was recorded: a lambda replayed in its caller,
  /// which knows the caller's locks, wins over the lambda on its own.
  llvm::DenseMap<const clang::Expr *, std::pair<const clang::ValueDecl *, size_t>> SeenAccesses;
  llvm::MapVector<const clang::ValueDecl *, std::vector<Access>> Accesses;
  llvm::DenseMap<const clang::Expr *, size_t> SeenCalls;
  std::vector<Call> Calls;
  /// Variables accessed with a lock held, and functions called with one:
  /// what makes a lock-free function worth analysing.
  llvm::DenseSet<const clang::ValueDecl *> SeenUnderLock;
  llvm::DenseSet<const clang::FunctionDecl *> CalledUnderLock;
  llvm::DenseSet<const clang::FunctionDecl *> Analysed;
  /// Functions whose address escapes: their callers are unknown.
  llvm::DenseSet<const clang::FunctionDecl *> Escaped;
  /// Lambdas handed to a thread-spawn point: they run concurrently.
  llvm::DenseSet<const clang::FunctionDecl *> SpawnedLambdas;
  /// Per function: its first thread spawn (if not in a loop) and its last
  /// join; before the one and after the other, its threads do not run.
  struct ThreadEvents {
    clang::SourceLocation FirstSpawn, LastJoin, LastSpawn;
    bool SpawnInLoop = false;
    /// Every start and join, to find the windows between a join that ends
    /// all the threads started so far and the next start.
    struct Event {
      const clang::Expr *E;
      clang::SourceLocation Loc;
      bool Start;
      bool JoinsAll; ///< an executor's join, or a join in a loop
    };
    llvm::SmallVector<Event, 4> Events; ///< in source order
    llvm::SmallPtrSet<const clang::Expr *, 4> Recorded;
  };
  void addThreadEvent(ThreadEvents &TE, ThreadEvents::Event Ev);
  bool betweenJoinAndStart(const ThreadEvents &TE, clang::SourceLocation Loc) const;
  llvm::DenseMap<const clang::FunctionDecl *, ThreadEvents> Threads;
  void noteThreadStart(const clang::FunctionDecl *Entry, const clang::Expr *E);
  void noteThreadsJoined(const clang::FunctionDecl *Entry, const clang::Expr *E,
                         bool JoinsAll);
  /// Functions that start a thread (analysed or not).
  llvm::DenseSet<const clang::FunctionDecl *> Spawners;
  /// The declaration of each lock seen, by its path.
  llvm::StringMap<const clang::ValueDecl *> LockDecls;
  llvm::DenseMap<const clang::FunctionDecl *, CallerContext> Contexts;
  /// What each local a member call is made on does before it escapes.
  struct FreshObject {
    bool Known = false;
    clang::SourceLocation FirstEscape;
    llvm::SmallVector<const clang::CXXMemberCallExpr *, 8> Calls;
  };
  llvm::DenseMap<const clang::VarDecl *, FreshObject> FreshUses;
  /// Functions this file calls.
  llvm::DenseSet<const clang::FunctionDecl *> Called;
  /// Functions the destructor calls on its object: teardown, like it.
  llvm::DenseSet<const clang::FunctionDecl *> Teardown;
  /// Whether a function is instantiated with a null lock as its lock
  /// policy (hasNullLockPolicy), by entry. Its object is used by one
  /// thread: its accesses are neither races nor evidence, and what it calls
  /// runs serialised, as under a lock of its own (the
  /// DefaultStrategy<int>::remove() that Poco's BasicEvent<int, NullMutex>
  /// shares with the thread-safe events keeps the mutex they hold).
  llvm::DenseMap<const clang::FunctionDecl *, bool> NullPolicy;
  bool singleThreadedByPolicy(const clang::FunctionDecl *Entry);
  /// Variables whose accesses go into the facts for the project link.
  llvm::DenseMap<const clang::ValueDecl *, bool> Exported;
  std::vector<FieldAccessFact> FieldFacts;
  /// Findings in overrides whose callers are in other files.
  std::vector<Finding> Conditional;
  /// The virtual calls recorded in the facts, one per callee and answer.
  llvm::StringSet<> VirtualCallsSeen;
  /// The member of a struct variable being decided (`options.type`).
  const clang::FieldDecl *CurrentMember = nullptr;
};

} // namespace concur

#endif
