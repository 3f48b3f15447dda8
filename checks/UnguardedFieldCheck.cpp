//===- UnguardedFieldCheck.cpp --------------------------------------------===//
//
// The inference rule (docs/checks/unguarded-field.md explains it to users):
//
// - Only accesses that can run while the object is shared count: not those
//   in constructors and destructors, in functions called only from them,
//   nor those before a function starts its threads or after it joins them.
// - A function whose every call site holds a lock runs holding it: the locks
//   its callers hold on `this` (or globals) are held in it, and if they
//   hold a lock concur cannot name in its terms (another object's), it is
//   serialised by that lock (a caller-context fixpoint).
// - The guard of a variable is a set of locks decided from its writes: the
//   locks held at the greatest number of writes, all of them held together
//   at one write at least. No write under a lock, no guard: reads under a
//   lock are no evidence. A GUARDED_BY attribute gives the set instead.
// - A read must hold one lock of the set, a write all of them, exclusively.
//   Any access that does not, outside set-up code, is reported, however
//   many guarded accesses there are.
//
//===----------------------------------------------------------------------===//

#include "checks/UnguardedFieldCheck.h"
#include "checks/engine/ModelInference.h"
#include "checks/engine/SpawnSites.h"
#include "checks/unguarded/GuardInference.h"
#include "checks/unguarded/OnceCalls.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace concur::unguarded;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

static bool isCtorOrDtor(const FunctionDecl *FD) {
  return isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD);
}

/// Code that runs while the object belongs to one thread: its constructors
/// and destructor, a test fixture's set-up and tear-down, and what replaces
/// its whole state, copy and move assignment and a member swap with
/// another of its class (Poco's delegates and Statement). Assigning an
/// object other threads use is a race on the whole object that its fields'
/// locks do not address.
static bool isLifecycle(const FunctionDecl *FD) {
  if (isCtorOrDtor(FD))
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD)
    return false;
  if (MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator())
    return true;
  // A test fixture's set-up and tear-down (gtest's SetUp/TearDown,
  // CppUnit's setUp/tearDown) run on the test's thread around its body.
  if (MD->getIdentifier() && MD->size_overridden_methods() > 0 &&
      llvm::is_contained({"SetUp", "TearDown", "setUp", "tearDown"},
                         MD->getName()))
    return true;
  return unguarded::isMemberSwap(MD);
}

/// Hooks for tests (RocksDB's TEST_ methods, ...ForTesting) are called by
/// tests, on the tests' terms (mostly from one thread, between operations):
/// like set-up code, what they touch is neither evidence nor reported, and
/// their calls are no callers' context (leveldb's TEST_CompactMemTable()
/// calls Write() with no batch).
static bool isTestHook(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N.starts_with("TEST_") || N.ends_with("ForTesting") ||
         N.ends_with("ForTest") || N.ends_with("_for_testing") ||
         N.ends_with("_for_test");
}

/// A lock path that means the same object in every function: it goes
/// through no local variable or parameter.
static bool isComparable(llvm::StringRef Path) { return !Path.contains('@'); }
static bool isRelativeToThis(llvm::StringRef Path) {
  return Path.contains("this");
}

static const FunctionDecl *canonical(const FunctionDecl *FD) {
  return FD ? FD->getCanonicalDecl() : nullptr;
}

static bool isVirtual(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->isVirtual();
}

static bool isLambdaBody(const FunctionDecl *FD) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}

/// A call that waits for threads to end: pthread_join, thrd_join, or a
/// method of a thread or executor object that always blocks (every such
/// model is a join: std::thread::join, Poco's ThreadPool::joinAll,
/// boost::thread_group::join_all); a timed or tried join may return first.
static bool isJoin(const FunctionDecl *FD, MatchedEffect M) {
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  if (Name == "pthread_join" || Name == "thrd_join")
    return true;
  return M && M.Type &&
         (M.Type->Kind == TypeKind::Thread || M.Type->Kind == TypeKind::Executor) &&
         M.Fx->Block == BlockKind::Always;
}

/// Whether a join (isJoin) waits for every task its object ran: an
/// executor's (ThreadPool::joinAll), not one thread's.
static bool joinsAll(MatchedEffect M) {
  return M && M.Type && M.Type->Kind == TypeKind::Executor;
}

static bool isInLoop(const Expr *E, ASTContext &AST) {
  DynTypedNodeList Parents = AST.getParents(*E);
  for (unsigned Depth = 0; !Parents.empty() && Depth < 64; ++Depth) {
    const DynTypedNode &P = Parents[0];
    if (P.get<ForStmt>() || P.get<WhileStmt>() || P.get<DoStmt>() ||
        P.get<CXXForRangeStmt>())
      return true;
    if (P.get<Decl>())
      return false;
    Parents = AST.getParents(P);
  }
  return false;
}

bool UnguardedFieldCheck::isCandidate(const ValueDecl *V) {
  auto [It, Inserted] = Candidates.try_emplace(V, false);
  if (!Inserted)
    return It->second;
  QualType T = V->getType();
  bool OK = !T.isConstQualified() && !T->isReferenceType() &&
            !T->isDependentType() &&
            !Ctx.AST.getSourceManager().isInSystemHeader(V->getLocation()) &&
            !isSynchronisationType(T, Ctx.Models);
  if (const auto *F = dyn_cast<FieldDecl>(V)) {
    const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    OK &= RD && !RD->isLambda();
  }
  Candidates[V] = OK;
  return OK;
}

UnguardedFieldCheck::HeldLocks
UnguardedFieldCheck::comparableLocks(const LockSet &Held, bool &Other) {
  HeldLocks Out;
  Other = false;
  for (auto &KV : Held) {
    if (!KV.second.held())
      continue;
    if (isComparable(Ctx.Locks.path(KV.first)))
      Out.push_back({KV.first, KV.second.Mode, KV.second.Acquired});
    else
      Other = true;
  }
  return Out;
}

/// A lock taken only when the object is shared (LockIdentity's
/// "@optional"): what it covers runs serialised, by a lock other
/// functions' cannot be compared with, or on the object's one thread.
bool UnguardedFieldCheck::holdsOptionalLock(const LockSet &Held) const {
  return llvm::any_of(Held, [&](const auto &KV) {
    return KV.second.held() && Ctx.Locks.isConditional(KV.first);
  });
}

/// A caller that holds the lock of the object it calls a method on
/// (`ScopedLock l(buf.mutex()); buf.used();`) serialises that call with the
/// object's own locked methods: the lock, seen from the callee, is its own.
UnguardedFieldCheck::HeldLocks
UnguardedFieldCheck::receiverLocks(const CXXMemberCallExpr *MC, const LockSet &Held) {
  HeldLocks Out;
  const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
  if (!ME)
    return Out;
  std::string Receiver =
      ME->isArrow() ? pointeePath(ME->getBase()) : objectPath(ME->getBase());
  if (Receiver.empty())
    return Out;
  for (auto &KV : Held) {
    llvm::StringRef Path = Ctx.Locks.path(KV.first);
    if (!KV.second.held() || !Path.consume_front(Receiver) || !Path.starts_with("."))
      continue;
    LockId L = Ctx.Locks.intern(("*this" + Path).str());
    Out.push_back({L, KV.second.Mode, KV.second.Acquired});
  }
  return Out;
}

void UnguardedFieldCheck::noteLockDecl(const Expr *E) {
  const ValueDecl *D = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    D = ME->getMemberDecl();
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    D = DRE->getDecl();
  if (!D || !isa<FieldDecl, VarDecl>(D) || !isLockType(D->getType(), Ctx.Models))
    return;
  std::string Path = objectPath(E);
  if (!Path.empty() && isComparable(Path))
    LockDecls.try_emplace(Path, D);
}

bool UnguardedFieldCheck::singleThreadedByPolicy(const FunctionDecl *Entry) {
  auto [It, New] = NullPolicy.try_emplace(Entry, false);
  if (New)
    It->second = hasNullLockPolicy(Entry);
  return It->second;
}

void UnguardedFieldCheck::beginEntry(const FunctionDecl *Entry) {
  CurrentEntry = Entry;
  Analysed.insert(Entry);
  Copies.noteFunction(Entry);
}

bool UnguardedFieldCheck::releases(const FunctionDecl *FD, LockId L) const {
  auto It = Releases.find(canonical(FD));
  return It != Releases.end() && llvm::is_contained(It->second, L);
}

void UnguardedFieldCheck::visitAcquire(const AcquireSite &Site) {
  if (Site.InlinedVia.empty() && Site.S && !Site.Held.lookup(Site.Lock))
    Windows.noteAcquire(canonical(CurrentEntry), Site.S, Site.Lock);
}

/// `lk.unlock()` on a guard of this function that holds a lock: a window
/// opens as for the mutex's own unlock (`lk.unlock(); work(); lk.lock();`).
void UnguardedFieldCheck::noteGuardRelease(const CallSite &Site) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (!Call || !Site.Model || !Site.InlinedVia.empty() ||
      Site.Model.Fx->Lock != LockOp::Release || !Site.Model.Type ||
      Site.Model.Type->Kind != TypeKind::Guard)
    return;
  const Expr *Receiver = splitCall(Call).Receiver;
  const auto *DRE = Receiver ? dyn_cast<DeclRefExpr>(stripExpr(Receiver)) : nullptr;
  const auto *Guard = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!Guard)
    return;
  for (auto &KV : Site.Held)
    if (KV.second.held() && KV.second.heldBy(Guard))
      Windows.noteRelease(canonical(CurrentEntry), Site.E, KV.first);
}

void UnguardedFieldCheck::visitCall(const CallSite &Site) {
  if (!Site.Unlocks.empty()) {
    auto &Out = Releases[canonical(CurrentEntry)];
    for (LockId L : Site.Unlocks) {
      if (!llvm::is_contained(Out, L))
        Out.push_back(L);
      if (const LockFact *F = Site.Held.lookup(L);
          F && F->held() && Site.InlinedVia.empty())
        Windows.noteRelease(canonical(CurrentEntry), Site.E, L);
    }
  }
  noteGuardRelease(Site);
  if (std::optional<SpawnedTask> T = spawnedTask(Site.E, Ctx.Models)) {
    Spawners.insert(canonical(CurrentEntry));
    if (T->Lambda)
      SpawnedLambdas.insert(T->Body);
    else if (T->Body)
      Escaped.insert(canonical(T->Body)); // runs with nothing held
    noteThreadStart(CurrentEntry, Site.E);
  }
  if (isJoin(Site.Callee, Site.Model))
    noteThreadsJoined(CurrentEntry, Site.E, joinsAll(Site.Model));
  // Calls to the functions of the TU, for the caller contexts.
  const auto *CE = dyn_cast<CallExpr>(Site.E);
  const FunctionDecl *Callee = canonical(Site.Callee);
  if (!CE || !followsCallsTo(Callee))
    return;
  bool Other = false;
  Call C{CE, Callee, CurrentEntry, comparableLocks(Site.Held, Other), Other, false};
  C.HoldsOtherLock |= singleThreadedByPolicy(CurrentEntry);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    C.OnThis = isa<CXXThisExpr>(stripExpr(MC->getImplicitObjectArgument()));
    if (!C.OnThis)
      C.ReceiverHeld = receiverLocks(MC, Site.Held);
  }
  // A helper of a function that runs with a lock held is worth analysing.
  if (!C.Held.empty() || C.HoldsOtherLock ||
      CalledUnderLock.count(canonical(CurrentEntry)))
    CalledUnderLock.insert(Callee);
  auto [It, Inserted] = SeenCalls.try_emplace(CE, Calls.size());
  if (Inserted)
    Calls.push_back(std::move(C));
  else if (!Site.InlinedVia.empty())
    Calls[It->second] = std::move(C); // the replay knows the caller's locks
}

void UnguardedFieldCheck::noteThreadStart(const FunctionDecl *Entry, const Expr *E) {
  ThreadEvents &TE = Threads[Entry];
  const SourceManager &SM = Ctx.AST.getSourceManager();
  SourceLocation Loc = E->getBeginLoc();
  if (TE.FirstSpawn.isInvalid() || SM.isBeforeInTranslationUnit(Loc, TE.FirstSpawn))
    TE.FirstSpawn = Loc;
  if (TE.LastSpawn.isInvalid() || SM.isBeforeInTranslationUnit(TE.LastSpawn, Loc))
    TE.LastSpawn = Loc;
  TE.SpawnInLoop |= isInLoop(E, Ctx.AST);
  addThreadEvent(TE, {E, Loc, /*Start=*/true, /*JoinsAll=*/false});
}

void UnguardedFieldCheck::noteThreadsJoined(const FunctionDecl *Entry, const Expr *E,
                                            bool JoinsAll) {
  ThreadEvents &TE = Threads[Entry];
  SourceLocation Loc = E->getEndLoc();
  if (TE.LastJoin.isInvalid() ||
      Ctx.AST.getSourceManager().isBeforeInTranslationUnit(TE.LastJoin, Loc))
    TE.LastJoin = Loc;
  // A join in a loop is taken to join them all (`for (auto &t : ts) t.join()`).
  JoinsAll |= isInLoop(E, Ctx.AST);
  addThreadEvent(TE, {E, Loc, /*Start=*/false, JoinsAll});
}

/// Keeps the events in source order as they arrive (each once: replays of
/// a function see its calls again), so a query is one scan.
void UnguardedFieldCheck::addThreadEvent(ThreadEvents &TE, ThreadEvents::Event Ev) {
  if (!TE.Recorded.insert(Ev.E).second)
    return;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  auto *Pos = llvm::upper_bound(TE.Events, Ev, [&](const auto &A, const auto &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  TE.Events.insert(Pos, Ev);
}

/// Whether, at Loc, the function has started threads and every one of them
/// has been joined: a count over its starts and joins in source order, where an
/// executor's join ends them all and a thread's join one. Starts in a loop
/// may run again after a later join: then no window is claimed.
bool UnguardedFieldCheck::betweenJoinAndStart(const ThreadEvents &TE,
                                              SourceLocation Loc) const {
  if (TE.SpawnInLoop || TE.Events.empty())
    return false;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  unsigned Running = 0;
  bool Started = false, Joined = false;
  for (const auto &Ev : TE.Events) { // in source order
    if (!SM.isBeforeInTranslationUnit(Ev.Loc, Loc))
      break;
    if (Ev.Start) {
      ++Running;
      Started = true;
    } else {
      Running = Ev.JoinsAll || Running == 0 ? 0 : Running - 1;
      Joined = true;
    }
  }
  // Only the threads it started itself: a function that joins another's
  // (ThreadPoolImpl::JoinThreads in RocksDB) may run beside its callers.
  return Started && Joined && Running == 0;
}

void UnguardedFieldCheck::visitStmt(const Stmt *S, const LockSet &Held,
                                    llvm::ArrayRef<const Expr *> Via) {
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return;
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(stripExpr(U->getSubExpr())))
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
        Escaped.insert(canonical(FD)); // `&C::run` handed on: unknown callers
  if (isa<MemberExpr>(E) || isa<DeclRefExpr>(E))
    noteLockDecl(E);
  const ValueDecl *V = sharedVariableOf(E);
  if (!V || !isCandidate(V))
    return;
  // NO_THREAD_SAFETY_ANALYSIS opts a function out.
  if (Options.UseThreadSafetyAnnotations)
    for (const DeclContext *DC = CurrentEntry; DC; DC = DC->getParent())
      if (const auto *FD = dyn_cast<FunctionDecl>(DC))
        if (FD->hasAttr<NoThreadSafetyAnalysisAttr>())
          return;
  auto Seen = SeenAccesses.find(E);
  if (Seen != SeenAccesses.end() &&
      (Via.empty() || !Accesses[Seen->second.first][Seen->second.second].InLambdaAlone))
    return; // the first sighting wins, unless this is the replay of a lambda
  Use U = Uses.nonReads(CurrentEntry).lookup(E);
  if (U == Use::None)
    return; // bound by reference, not touched
  if (singleThreadedByPolicy(CurrentEntry))
    return; // neither a race nor evidence: its object has one thread
  bool Other = false;
  Access A{E, V, U == Use::Write, comparableLocks(Held, Other), Other,
           Via.empty() && isLambdaBody(CurrentEntry), CurrentEntry};
  A.UnderOptionalLock = Other && holdsOptionalLock(Held);
  if (!A.Held.empty() || Other)
    SeenUnderLock.insert(V);
  if (Seen != SeenAccesses.end()) {
    Accesses[Seen->second.first][Seen->second.second] = std::move(A);
    return;
  }
  std::vector<Access> &List = Accesses[V];
  SeenAccesses[E] = {V, List.size()};
  List.push_back(std::move(A));
}

namespace {

/// What a function that is not analysed does: the shared variables it
/// names, the functions it calls, the lambdas it spawns.
class BodyScan : public RecursiveASTVisitor<BodyScan> {
public:
  explicit BodyScan(const ModelMatcher &Models) : Models(Models) {}
  llvm::SmallVector<const ValueDecl *, 8> Variables;
  llvm::SmallVector<const CallExpr *, 8> Calls;
  llvm::SmallVector<const FunctionDecl *, 2> Spawned, Escaped;
  /// Thread starts and joins, which order its calls (inSetupRegion).
  llvm::SmallVector<const Expr *, 2> Starts, Joins;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; } // its own entry
  bool VisitMemberExpr(MemberExpr *ME) { return note(ME); }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) { return note(DRE); }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->getOpcode() == UO_AddrOf)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(stripExpr(U->getSubExpr())))
        if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
          Escaped.push_back(FD);
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    Calls.push_back(C);
    spawn(C);
    if (isJoin(C->getDirectCallee(), Models.effectOfCall(C)))
      Joins.push_back(C);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    spawn(C);
    return true;
  }

private:
  bool note(const Expr *E) {
    if (const ValueDecl *V = sharedVariableOf(E))
      Variables.push_back(V);
    return true;
  }
  void spawn(const Expr *E) {
    if (std::optional<SpawnedTask> T = spawnedTask(E, Models)) {
      Starts.push_back(E);
      if (T->Lambda)
        Spawned.push_back(T->Body);
      else if (T->Body)
        Escaped.push_back(T->Body);
    }
  }
  const ModelMatcher &Models;
};

} // namespace

void UnguardedFieldCheck::analyzeRemaining(
    llvm::ArrayRef<const FunctionDecl *> Skipped) {
  struct Pending {
    const FunctionDecl *FD;
    BodyScan Scan;
  };
  std::vector<Pending> Todo;
  for (const FunctionDecl *FD : Skipped) {
    if (Analysed.count(FD) || !FD->getBody())
      continue;
    Copies.noteFunction(FD);
    Todo.push_back({FD, BodyScan(Ctx.Models)});
    Todo.back().Scan.TraverseStmt(FD->getBody());
    for (const FunctionDecl *L : Todo.back().Scan.Spawned)
      SpawnedLambdas.insert(L);
    for (const FunctionDecl *F : Todo.back().Scan.Escaped)
      Escaped.insert(canonical(F));
    if (!Todo.back().Scan.Starts.empty())
      Spawners.insert(canonical(FD));
    for (const Expr *E : Todo.back().Scan.Starts)
      noteThreadStart(FD, E);
    for (const Expr *E : Todo.back().Scan.Joins)
      noteThreadsJoined(FD, E,
                        joinsAll(Ctx.Models.effectOfCall(cast<CallExpr>(E))));
  }
  auto Worth = [&](const Pending &P) {
    if (CalledUnderLock.count(canonical(P.FD)))
      return true;
    if (P.FD->hasAttr<RequiresCapabilityAttr>() ||
        P.FD->hasAttr<ReleaseCapabilityAttr>())
      return true;
    // With facts kept, a header's variable this file touches only without
    // a lock still counts: other files may lock it (the link decides).
    return llvm::any_of(P.Scan.Variables, [&](const ValueDecl *V) {
      return SeenUnderLock.count(V) || V->hasAttr<GuardedByAttr>() ||
             (Options.Facts && isExported(V));
    });
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (Pending &P : Todo)
      if (!Analysed.count(P.FD) && Worth(P)) {
        Ctx.LockFlow.analyze(P.FD, *this);
        Changed = true;
      }
  }
  // The rest hold no lock: their calls are calls with nothing held.
  for (Pending &P : Todo) {
    if (Analysed.count(P.FD))
      continue;
    for (const CallExpr *CE : P.Scan.Calls) {
      const FunctionDecl *Callee = canonical(CE->getDirectCallee());
      if (!followsCallsTo(Callee) || SeenCalls.count(CE))
        continue;
      Call C{CE, Callee, P.FD, {}, singleThreadedByPolicy(P.FD), false};
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
        C.OnThis = isa<CXXThisExpr>(stripExpr(MC->getImplicitObjectArgument()));
      SeenCalls[CE] = Calls.size();
      Calls.push_back(std::move(C));
    }
  }
}

bool UnguardedFieldCheck::inSetupRegion(const FunctionDecl *Entry,
                                        SourceLocation Loc) const {
  auto It = Threads.find(Entry);
  if (It == Threads.end() || Loc.isInvalid())
    return false;
  const ThreadEvents &TE = It->second;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (TE.FirstSpawn.isValid() && !TE.SpawnInLoop &&
      SM.isBeforeInTranslationUnit(Loc, TE.FirstSpawn))
    return true; // before its threads start
  if (TE.LastJoin.isValid() && TE.LastSpawn.isValid() &&
      SM.isBeforeInTranslationUnit(TE.LastSpawn, TE.LastJoin) &&
      SM.isBeforeInTranslationUnit(TE.LastJoin, Loc))
    return true; // after they end
  return betweenJoinAndStart(TE, Loc); // before they start again
}

/// A private or protected method that no code of this file calls runs
/// only where its callers are, which this file does not show: a member
/// template not instantiated here (Poco's Condition::wait calls enqueue()
/// under its mutex), another file of the class (RocksDB's DBImpl), a
/// derived class's code, or none. What holds there is unknown, so its
/// accesses are neither evidence nor reported, as in set-up code. A
/// virtual one may be called through its base, and a method whose address
/// escapes has callers anywhere.
bool UnguardedFieldCheck::callersUnseen(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!MD || MD->getAccess() == AS_public || MD->isVirtual() ||
      isLifecycle(MD) || MD->getParent()->isLambda())
    return false;
  const FunctionDecl *C = canonical(FD);
  return !Called.count(C) && !Escaped.count(C);
}

/// The other side of callersUnseen: a private or protected method this file
/// calls but whose body is in another file. With facts kept, its calls tell
/// the link what its callers hold.
bool UnguardedFieldCheck::definedElsewhere(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  return Options.Facts && MD && MD->getAccess() != AS_public && !MD->isVirtual() &&
         !MD->isDefined() && !isLifecycle(MD) && !MD->getParent()->isLambda();
}

/// An override no code of this file calls, with facts kept: it runs where
/// its callers are, through the methods it overrides (Poco's delegates'
/// equals(), which the event strategies call, under the event's mutex, in
/// other files). Its findings are the link's to confirm. Without facts it
/// is an entry point, as a public method with no caller is; so is one that
/// overrides a library's method (a streambuf's overflow()), which the
/// library calls where no facts are kept.
bool UnguardedFieldCheck::uncalledOverride(const FunctionDecl *FD) const {
  const FunctionDecl *C = canonical(FD);
  if (CycleOverrides.count(C))
    return true;
  if (!C || Called.count(C) || Escaped.count(C))
    return false;
  return overridesProjectMethod(FD);
}

/// An override of a method of the project (not of a system header's), so
/// that other files may call it through that method.
bool UnguardedFieldCheck::overridesProjectMethod(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!Options.Facts || !MD || MD->size_overridden_methods() == 0 ||
      isLifecycle(MD) || MD->getParent()->isLambda())
    return false;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  llvm::SmallVector<const CXXMethodDecl *, 4> Work(MD->overridden_methods());
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const CXXMethodDecl *O = Work.pop_back_val();
    if (SM.isInSystemHeader(O->getLocation()))
      return false;
    Work.append(O->overridden_methods().begin(), O->overridden_methods().end());
  }
  return true;
}

/// A method as calls name it in every file: a member of a class template
/// by its pattern, which all instantiations share.
static std::string calleeUsr(const FunctionDecl *FD) {
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  return usrOf(FD->getCanonicalDecl());
}

/// The calls that may run an override: of itself, then of the methods it
/// overrides, directly or through others.
std::vector<std::string> UnguardedFieldCheck::calledAs(const FunctionDecl *FD) const {
  std::vector<std::string> Out{calleeUsr(FD)};
  llvm::SmallVector<const CXXMethodDecl *, 4> Work;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    Work.append(MD->overridden_methods().begin(), MD->overridden_methods().end());
  llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
  while (!Work.empty()) {
    const CXXMethodDecl *O = Work.pop_back_val();
    if (!Seen.insert(O).second)
      continue;
    std::string Usr = calleeUsr(O);
    if (!Usr.empty() && !llvm::is_contained(Out, Usr))
      Out.push_back(Usr);
    Work.append(O->overridden_methods().begin(), O->overridden_methods().end());
  }
  return Out;
}

/// The calls that make caller contexts: to project code with a body here,
/// an override, or a helper whose body is in another file.
bool UnguardedFieldCheck::followsCallsTo(const FunctionDecl *Callee) const {
  return Callee && !isCtorOrDtor(Callee) &&
         (Callee->isDefined() || isVirtual(Callee) || definedElsewhere(Callee)) &&
         !Ctx.AST.getSourceManager().isInSystemHeader(Callee->getLocation());
}

bool UnguardedFieldCheck::isSetupCall(const Call &C) {
  return isLifecycle(C.Caller) || onFreshObject(C.E) ||
         Teardown.count(canonical(C.Caller)) ||
         inSetupRegion(C.Caller, C.E->getBeginLoc()) || isTestHook(C.Caller) ||
         isOnceCall(C);
}

/// A call made once per object behind a latch flag (unguarded/OnceCalls.h),
/// with a lock held that every other access of the flag holds too (the
/// callee's run under the call's): the flag is read and cleared only under
/// that lock and set again nowhere else, so whatever the callee
/// writes is set up once and published by the lock (zeromq's
/// ctx_t::start(), run by the first create_socket() under _slot_sync, fills
/// _io_threads that only sockets, made after it, read). A flag read
/// without a lock is double-checked locking, not this.
bool UnguardedFieldCheck::isOnceCall(const Call &C) {
  if (!C.OnThis || C.Held.empty() || !C.Callee)
    return false;
  auto [It, New] = OnceCalls.try_emplace(C.E, false);
  if (!New)
    return It->second;
  const auto *CE = dyn_cast<CallExpr>(C.E);
  const FieldDecl *Flag = CE ? unguarded::onceFlagOf(CE, C.Callee, Ctx.AST) : nullptr;
  auto Accs = Flag ? Accesses.find(Flag) : Accesses.end();
  if (Accs == Accesses.end())
    return false;
  // Re-armed elsewhere (`reset() { fresh_ = true; }`), it runs again.
  if (llvm::any_of(Accs->second, [&](const Access &A) {
        return A.IsWrite && !isLifecycle(A.Entry) && canonical(A.Entry) != C.Callee &&
               canonical(A.Entry) != canonical(C.Caller);
      }))
    return false;
  bool Locked = llvm::any_of(C.Held, [&](const HeldLock &L) {
    return llvm::all_of(Accs->second, [&](const Access &A) {
      return isLifecycle(A.Entry) || canonical(A.Entry) == C.Callee ||
             llvm::any_of(A.Held, [&](const HeldLock &H) { return H.Lock == L.Lock; });
    });
  });
  return It->second = Locked;
}

/// Two-phase initialisation: a method named for it (init(), Initialize(),
/// initializeClient(), Init_tables()) that takes no lock and that no code
/// of this file calls is the application's to call before it shares the
/// object (Poco's SSLManager::initializeClient(): "manual initialization
/// must happen very early"). A lazy init() the class calls itself, or one
/// that locks, is not this.
bool UnguardedFieldCheck::isInitializer(const FunctionDecl *FD) const {
  if (!isa<CXXMethodDecl>(FD) || !FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  bool Named = llvm::any_of(
      std::initializer_list<llvm::StringRef>{"initialize", "Initialize", "initialise",
                                             "Initialise", "init", "Init"},
      [&](llvm::StringRef P) {
        if (!N.starts_with(P))
          return false;
        llvm::StringRef Rest = N.substr(P.size());
        return Rest.empty() || Rest[0] == '_' || isUppercase(Rest[0]);
      });
  const FunctionDecl *C = canonical(FD);
  return Named && !Called.count(C) && !Escaped.count(C) &&
         !Ctx.LockFlow.mayAcquireLocks(FD);
}

bool UnguardedFieldCheck::isSetup(const FunctionDecl *FD) const {
  if (!FD)
    return false;
  if (isLifecycle(FD) || Teardown.count(canonical(FD)) || callersUnseen(FD) ||
      isTestHook(FD) || isInitializer(FD))
    return true;
  auto It = Contexts.find(canonical(FD));
  return It != Contexts.end() && It->second.SetupOnly;
}

/// The locks a function's thread-safety attributes say it starts with:
/// REQUIRES(mu_), and RELEASE(mu_) on an unlock function.
static void addRequiredLocks(const FunctionDecl *FD, LockTable &Locks,
                             llvm::SmallVectorImpl<LockId> &Out) {
  auto Add = [&](auto *A) {
    for (const Expr *Arg : A->args())
      if (std::optional<LockId> L = Locks.lockOf(Arg))
        if (isComparable(Locks.path(*L)) && !llvm::is_contained(Out, *L))
          Out.push_back(*L);
  };
  for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
    Add(A);
  for (const auto *A : FD->specific_attrs<ReleaseCapabilityAttr>())
    Add(A);
}

namespace {
/// What a function does with a local object before others can see it: the
/// member calls made on it, in source order, and its first use that is not
/// a member access (it is passed, stored, returned, captured: it escapes).
class LocalObjectUses : public RecursiveASTVisitor<LocalObjectUses> {
public:
  LocalObjectUses(const VarDecl *V, const SourceManager &SM) : V(V), SM(SM) {}
  SourceLocation FirstEscape;
  llvm::SmallVector<const CXXMemberCallExpr *, 8> Calls;

  /// A lambda that captures the object lets it escape; its body runs
  /// apart (on another thread, perhaps) and is not the caller's set-up.
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == V)
        Escapes.push_back(L->getBeginLoc());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    if (const DeclRefExpr *D = objectOf(ME->getBase()))
      Bases.insert(D);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    if (objectOf(MC->getImplicitObjectArgument()))
      Calls.push_back(MC);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (DRE->getDecl() == V)
      Uses.push_back(DRE);
    return true;
  }
  /// Once the body is traversed: the first use that is no member's base.
  void finish() {
    for (const DeclRefExpr *D : Uses)
      if (!Bases.count(D))
        Escapes.push_back(D->getBeginLoc());
    for (SourceLocation L : Escapes)
      if (FirstEscape.isInvalid() || SM.isBeforeInTranslationUnit(L, FirstEscape))
        FirstEscape = L;
    llvm::sort(Calls, [&](const CXXMemberCallExpr *A, const CXXMemberCallExpr *B) {
      return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
    });
  }

private:
  /// The variable an object expression names: `v`, `p` in `p->`, a smart
  /// pointer's `p` in `p->` (operator->).
  const DeclRefExpr *objectOf(const Expr *E) const {
    E = E->IgnoreParenImpCasts();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
        Op && (Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star) &&
        Op->getNumArgs() >= 1)
      E = Op->getArg(0)->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref)
      E = U->getSubExpr()->IgnoreParenImpCasts();
    const auto *D = dyn_cast<DeclRefExpr>(E);
    return D && D->getDecl() == V ? D : nullptr;
  }
  const VarDecl *V;
  const SourceManager &SM;
  llvm::SmallVector<const DeclRefExpr *, 16> Uses;
  llvm::DenseSet<const DeclRefExpr *> Bases;
  /// Where the object escapes: a use that is no member's base, a capture.
  llvm::SmallVector<SourceLocation, 4> Escapes;
};
} // namespace

/// Whether a member call is made on an object its caller has just created
/// (a local object, or one a local pointer got from `new` or make_unique)
/// before anything else can see it: before the object is passed, stored,
/// returned or captured, and before a call that starts threads. RocksDB's
/// DBImpl::Open creates the DBImpl and calls Recover() on it with its mutex
/// held; CompactedDBImpl::Open calls db->Init(). Such a call is set-up code.
/// A callee that hands `this` on itself is not seen: the calls after it are
/// taken for set-up too, so a race through them is missed, never invented.
bool UnguardedFieldCheck::onFreshObject(const Expr *Call) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const VarDecl *V = MC ? rootVariable(MC->getImplicitObjectArgument()) : nullptr;
  if (!V || !V->isLocalVarDecl() || V->isStaticLocal() ||
      V->getType()->isReferenceType() || !V->getInit())
    return false;
  auto [It, Inserted] = FreshUses.try_emplace(V);
  if (Inserted) {
    const auto *Fn = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
    if (Fn && Fn->getBody()) {
      LocalObjectUses W(V, Ctx.AST.getSourceManager());
      W.TraverseStmt(Fn->getBody());
      W.finish();
      It->second.FirstEscape = W.FirstEscape;
      It->second.Calls.assign(W.Calls.begin(), W.Calls.end());
      It->second.Known = true;
    }
  }
  const FreshObject &O = It->second;
  if (!O.Known || !llvm::is_contained(O.Calls, MC))
    return false;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (O.FirstEscape.isValid() &&
      !SM.isBeforeInTranslationUnit(MC->getBeginLoc(), O.FirstEscape))
    return false;
  // A call that starts threads shares the object, from that call on.
  for (const CXXMemberCallExpr *Earlier : O.Calls) {
    if (const FunctionDecl *Def = Earlier->getMethodDecl()->getDefinition();
        Def && Spawners.count(canonical(Def)))
      return false;
    if (Earlier == MC)
      break;
  }
  const Expr *Init = stripExpr(V->getInit());
  if (isa<CXXNewExpr>(Init))
    return true;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
    if (!V->getType()->isRecordType())
      return false;
    // A smart pointer made from `new`, or an object built in place.
    if (CE->getNumArgs() == 1 && isa<CXXNewExpr>(stripExpr(CE->getArg(0))))
      return true;
    return !CE->getConstructor()->isCopyOrMoveConstructor() &&
           !V->getType()->getAsCXXRecordDecl()->isInStdNamespace();
  }
  if (const auto *CE = dyn_cast<CallExpr>(Init))
    if (const FunctionDecl *FD = CE->getDirectCallee();
        FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        (FD->getName() == "make_unique" || FD->getName() == "make_shared"))
      return true;
  return false;
}

/// A member call that may run an override: `Base::f()` names the function
/// it calls, and no override runs.
static bool isDispatched(const Expr *Call) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const auto *ME = MC ? dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()) : nullptr;
  return ME && !ME->hasQualifier();
}

/// A virtual call may run any override: the callers of an override
/// include the calls made through the methods it overrides (Poco's event
/// strategies call AbstractDelegate::equals() while their event's mutex is
/// held).
void UnguardedFieldCheck::addVirtualCallers(
    llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const Call *, 4>>
        &CallersOf) {
  llvm::SetVector<const CXXMethodDecl *> Overriders;
  auto Consider = [&](const FunctionDecl *FD) {
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(canonical(FD));
        MD && MD->size_overridden_methods() > 0)
      Overriders.insert(MD);
  };
  for (const auto &KV : Accesses)
    for (const Access &A : KV.second)
      Consider(A.Entry);
  // An override that only calls (Poco's Expire<int>::equals() forwards to
  // the delegate it wraps) passes its callers' context on: it needs them.
  for (const Call &C : Calls) {
    Consider(C.Callee);
    Consider(C.Caller);
  }
  auto Dispatched = [](const Call *C) { return isDispatched(C->E); };
  for (const CXXMethodDecl *M : Overriders) {
    llvm::SmallVector<const CXXMethodDecl *, 4> Work(M->overridden_methods());
    llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
    llvm::SmallVector<const Call *, 4> Through;
    while (!Work.empty()) {
      const CXXMethodDecl *O = Work.pop_back_val();
      if (!Seen.insert(O).second)
        continue;
      auto It = CallersOf.find(canonical(O));
      if (It != CallersOf.end())
        for (const Call *C : It->second)
          if (Dispatched(C))
            Through.push_back(C);
      Work.append(O->overridden_methods().begin(), O->overridden_methods().end());
    }
    if (Through.empty())
      continue;
    auto &Mine = CallersOf[M];
    Mine.append(Through.begin(), Through.end());
    Called.insert(M);
  }
}

/// Of a set of functions, the members of the cycles (strongly connected
/// components, found by Tarjan's algorithm without recursion) that no
/// other member calls into.
static llvm::SmallVector<const FunctionDecl *, 8> uncalledCycles(
    const llvm::SetVector<const FunctionDecl *> &Set,
    llvm::function_ref<llvm::ArrayRef<const FunctionDecl *>(const FunctionDecl *)>
        Callees) {
  llvm::DenseMap<const FunctionDecl *, unsigned> Index, Low, Component;
  llvm::SmallVector<const FunctionDecl *, 16> Stack;
  llvm::DenseSet<const FunctionDecl *> OnStack;
  unsigned Next = 0, Components = 0;
  struct Frame {
    const FunctionDecl *F;
    llvm::ArrayRef<const FunctionDecl *> Succ;
    size_t I = 0;
  };
  for (const FunctionDecl *Root : Set) {
    if (Index.count(Root))
      continue;
    llvm::SmallVector<Frame, 16> Dfs;
    auto Enter = [&](const FunctionDecl *F) {
      Index[F] = Low[F] = Next++;
      Stack.push_back(F);
      OnStack.insert(F);
      Dfs.push_back({F, Callees(F)});
    };
    Enter(Root);
    while (!Dfs.empty()) {
      Frame &Top = Dfs.back();
      if (Top.I < Top.Succ.size()) {
        const FunctionDecl *G = Top.Succ[Top.I++];
        if (!Set.count(G))
          continue;
        if (!Index.count(G))
          Enter(G); // Top is not used after this
        else if (OnStack.count(G))
          Low[Top.F] = std::min(Low[Top.F], Index[G]);
        continue;
      }
      const FunctionDecl *F = Top.F;
      Dfs.pop_back();
      if (!Dfs.empty())
        Low[Dfs.back().F] = std::min(Low[Dfs.back().F], Low[F]);
      if (Low[F] != Index[F])
        continue;
      const FunctionDecl *M;
      do {
        M = Stack.pop_back_val();
        OnStack.erase(M);
        Component[M] = Components;
      } while (M != F);
      ++Components;
    }
  }
  llvm::BitVector CalledInto(Components);
  for (const FunctionDecl *F : Set)
    for (const FunctionDecl *G : Callees(F))
      if (Set.count(G) && Component[F] != Component[G])
        CalledInto.set(Component[G]);
  llvm::SmallVector<const FunctionDecl *, 8> Out;
  for (const FunctionDecl *F : Set)
    if (!CalledInto.test(Component[F]))
      Out.push_back(F);
  return Out;
}

void UnguardedFieldCheck::computeCallerContexts() {
  // A receiver's lock is not passed to a callee that gives it back for a
  // while (RocksDB's PersistentStatsProcessFormatVersion(), called by
  // DB::Open with impl->mutex_ held, unlocks it for slow work): it does not
  // hold it throughout.
  for (Call &C : Calls)
    llvm::erase_if(C.ReceiverHeld,
                   [&](const HeldLock &L) { return releases(C.Callee, L.Lock); });
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const Call *, 4>> CallersOf;
  for (const Call &C : Calls) {
    CallersOf[C.Callee].push_back(&C);
    Called.insert(C.Callee);
  }
  addVirtualCallers(CallersOf);
  // What the destructor calls on its own object, directly or through its
  // own methods, tears it down (RocksDB's ~DBImpl -> CloseImpl ->
  // CloseHelper, also reached from Close()): like the destructor, it runs
  // once the object is no longer shared, so its accesses are neither
  // evidence nor reported.
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const FunctionDecl *, 4>>
      OnThisCallees;
  llvm::SmallVector<const FunctionDecl *, 16> Work;
  for (const Call &C : Calls) {
    if (!C.OnThis)
      continue;
    OnThisCallees[canonical(C.Caller)].push_back(C.Callee);
    if (isa<CXXDestructorDecl>(C.Caller) && Teardown.insert(C.Callee).second)
      Work.push_back(C.Callee);
  }
  while (!Work.empty())
    for (const FunctionDecl *Callee : OnThisCallees.lookup(Work.pop_back_val()))
      if (Teardown.insert(Callee).second)
        Work.push_back(Callee);
  struct State {
    bool Top = true; ///< no non-set-up caller seen yet: every lock
    llvm::SmallVector<LockId, 2> Locks;
    bool Serialised = true, SetupOnly = true;
    const Call *Unlocked = nullptr;
    /// The callers without a lock are all overrides called in other files
    /// (Roots), or some are not (Genuine).
    llvm::SmallVector<const FunctionDecl *, 2> Roots;
    bool Genuine = false;
    bool operator==(const State &O) const {
      return Top == O.Top && Locks == O.Locks && Serialised == O.Serialised &&
             SetupOnly == O.SetupOnly && Unlocked == O.Unlocked &&
             Roots == O.Roots && Genuine == O.Genuine;
    }
  };
  llvm::DenseMap<const FunctionDecl *, State> States;
  llvm::SmallVector<const FunctionDecl *, 16> Helpers;
  for (auto &KV : CallersOf) {
    const FunctionDecl *FD = KV.first;
    if (Escaped.count(FD) || isLambdaBody(FD))
      continue;
    States[FD] = State();
    Helpers.push_back(FD);
  }
  auto StateOf = [&](const FunctionDecl *FD) {
    auto It = States.find(canonical(FD));
    State S;
    if (It != States.end())
      S = It->second;
    else {
      S.Top = false;
      S.Serialised = false;
      S.SetupOnly = isLifecycle(FD) || callersUnseen(FD);
    }
    if (Options.UseThreadSafetyAnnotations && !S.Top)
      addRequiredLocks(FD, Ctx.Locks, S.Locks);
    return S;
  };
  auto SetupCall = [&](const Call *C) { return isSetupCall(*C); };
  // Helpers found to be entry points below keep that state, and the
  // fixpoint runs again from them: what they call was skipped as set-up
  // code while they looked like set-up code themselves.
  llvm::DenseSet<const FunctionDecl *> Entries;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const FunctionDecl *, 4>> CalleesIn;
  for (const FunctionDecl *H : Helpers)
    for (const Call *C : CallersOf[H])
      CalleesIn[canonical(C->Caller)].push_back(H);
  for (bool Pinned = true; Pinned;) {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const FunctionDecl *H : Helpers) {
        if (Entries.count(H))
          continue;
        State New;
        for (const Call *C : CallersOf[H]) {
          State Caller = StateOf(C->Caller);
          // A call made before the object is shared does not say what the
          // function's other callers hold.
          if (Caller.SetupOnly || SetupCall(C))
            continue;
          New.SetupOnly = false;
          bool SomeLock = Caller.Top || !C->Held.empty() || C->HoldsOtherLock ||
                          Caller.Serialised || !Caller.Locks.empty();
          if (!Caller.Top) {
            llvm::SmallVector<LockId, 2> AtSite(Caller.Locks);
            for (const HeldLock &L : C->Held)
              AtSite.push_back(L.Lock);
            llvm::erase_if(AtSite, [&](LockId L) {
              return !C->OnThis && isRelativeToThis(Ctx.Locks.path(L));
            });
            for (const HeldLock &L : C->ReceiverHeld)
              AtSite.push_back(L.Lock);
            if (New.Top) {
              New.Locks.clear();
              for (LockId L : AtSite)
                if (!llvm::is_contained(New.Locks, L))
                  New.Locks.push_back(L);
              New.Top = false;
            } else {
              llvm::erase_if(New.Locks, [&](LockId L) {
                return !llvm::is_contained(AtSite, L);
              });
            }
          }
          if (!SomeLock && !New.Unlocked)
            New.Unlocked = C;
          if (!SomeLock) {
            auto AddRoot = [&](const FunctionDecl *R) {
              if (!llvm::is_contained(New.Roots, R))
                New.Roots.push_back(R);
            };
            const FunctionDecl *By = canonical(C->Caller);
            if (!States.count(By) && uncalledOverride(By))
              AddRoot(By);
            else if (!Caller.Genuine && !Caller.Roots.empty())
              llvm::for_each(Caller.Roots, AddRoot);
            else
              New.Genuine = true;
          }
          New.Serialised &= SomeLock;
        }
        State &Old = States[H];
        if (!(New == Old)) {
          Old = New;
          Changed = true;
        }
      }
    }
    // Set-up-only must come from set-up code: a helper whose only callers
    // are itself, or a cycle of helpers no other code enters (an override
    // that calls its base version, which its own callers reach), stays
    // set-up-only in the fixpoint above without any set-up code calling it.
    // Such a helper is an entry point.
    llvm::DenseSet<const FunctionDecl *> FromSetup;
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const FunctionDecl *H : Helpers) {
        if (!States[H].SetupOnly || FromSetup.count(H))
          continue;
        for (const Call *C : CallersOf[H]) {
          const FunctionDecl *Caller = canonical(C->Caller);
          bool Helper = States.count(Caller);
          if (SetupCall(C) || (Helper ? FromSetup.count(Caller) != 0
                                      : StateOf(C->Caller).SetupOnly)) {
            FromSetup.insert(H);
            Changed = true;
            break;
          }
        }
      }
    }
    // Such helpers' callers are all such helpers. The entry points among
    // them are the cycles no other one calls into (FileSystemWrapper and
    // MockFileSystem overrides calling each other through their base); the
    // rest are called from those, and get their context from them in the
    // next round.
    llvm::SetVector<const FunctionDecl *> Unentered;
    for (const FunctionDecl *H : Helpers)
      if (States[H].SetupOnly && !FromSetup.count(H))
        Unentered.insert(H);
    llvm::SmallVector<const FunctionDecl *, 8> NewEntries =
        uncalledCycles(Unentered, [&](const FunctionDecl *F) {
          auto It = CalleesIn.find(F);
          return It == CalleesIn.end()
                     ? llvm::ArrayRef<const FunctionDecl *>()
                     : llvm::ArrayRef<const FunctionDecl *>(It->second);
        });
    Pinned = false;
    for (const FunctionDecl *H : NewEntries) {
      // An override is called where the methods it overrides are, in
      // other files too: the link decides from those calls.
      bool Override = overridesProjectMethod(H);
      if (Override)
        CycleOverrides.insert(H);
      States[H] = State{/*Top=*/false, {}, /*Serialised=*/false,
                        /*SetupOnly=*/false, nullptr,
                        Override ? llvm::SmallVector<const FunctionDecl *, 2>{H}
                                 : llvm::SmallVector<const FunctionDecl *, 2>{},
                        /*Genuine=*/!Override};
      Pinned |= Entries.insert(H).second;
    }
  }
  for (auto &KV : States) {
    CallerContext &C = Contexts[KV.first];
    const State &S = KV.second;
    C.SetupOnly = S.SetupOnly;
    if (S.Top) // only callers in cycles of helpers: nothing is known
      continue;
    C.Locks = S.Locks;
    C.Serialised = S.Serialised;
    C.Unlocked = S.Unlocked;
    C.Roots.assign(S.Roots.begin(), S.Roots.end());
    C.Genuine = S.Genuine;
  }
}

UnguardedFieldCheck::CallerContext
UnguardedFieldCheck::contextOf(const FunctionDecl *FD) const {
  CallerContext C;
  if (!FD)
    return C;
  auto It = Contexts.find(canonical(FD));
  if (It != Contexts.end())
    C = It->second;
  if (Options.UseThreadSafetyAnnotations)
    addRequiredLocks(FD, Ctx.Locks, C.Locks);
  return C;
}

llvm::SmallVector<LockId, 2>
UnguardedFieldCheck::annotatedGuards(const ValueDecl *V, bool &Unfollowable) {
  llvm::SmallVector<LockId, 2> Out;
  Unfollowable = false;
  if (!Options.UseThreadSafetyAnnotations)
    return Out;
  for (const auto *GB : V->specific_attrs<GuardedByAttr>()) {
    const Expr *Arg = stripExpr(GB->getArg());
    const ValueDecl *D = nullptr;
    if (const auto *ME = dyn_cast<MemberExpr>(Arg))
      D = ME->getMemberDecl();
    else if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg))
      D = DRE->getDecl();
    std::optional<LockId> L = Ctx.Locks.lockOf(Arg);
    // Only a lock concur can follow can be checked: GUARDED_BY(mu_) on a
    // mutex type that no rule models would make every access look
    // unguarded. Such a variable is left alone.
    if (!D || !L || !isLockType(D->getType(), Ctx.Models)) {
      Unfollowable = true;
      return {};
    }
    LockDecls.try_emplace(Ctx.Locks.path(*L), D);
    Out.push_back(*L);
  }
  return Out;
}

/// Where a lock lives, relative to the variable it guards.
std::string UnguardedFieldCheck::where(LockId L, const ValueDecl *V) const {
  llvm::StringRef Path = Ctx.Locks.path(L);
  const ValueDecl *D = LockDecls.lookup(Path);
  if (const auto *VD = dyn_cast_or_null<VarDecl>(D)) {
    if (VD->isStaticDataMember())
      return "static member of " +
             quoted(cast<RecordDecl>(VD->getDeclContext())->getName());
    return "global";
  }
  const auto *LF = dyn_cast_or_null<FieldDecl>(D);
  if (!LF || Path != "*this." + variablePath(LF))
    return isRelativeToThis(Path) ? "lock of another object" : "global";
  const auto *Owner = dyn_cast<CXXRecordDecl>(LF->getParent());
  const auto *F = dyn_cast_or_null<FieldDecl>(V);
  const auto *Of = F ? dyn_cast<CXXRecordDecl>(F->getParent()) : nullptr;
  if (!Owner || !Of || Owner->getCanonicalDecl() == Of->getCanonicalDecl())
    return "member";
  if (Of->hasDefinition() && Of->isDerivedFrom(Owner))
    return "member of base class " + quoted(Owner->getName());
  if (Owner->hasDefinition() && Owner->isDerivedFrom(Of))
    return "member of derived class " + quoted(Owner->getName());
  return "member of " + quoted(Owner->getName());
}

std::string UnguardedFieldCheck::lockNames(llvm::ArrayRef<LockId> Locks,
                                           const char *Conj) const {
  std::string S;
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (I)
      S += I + 1 == Locks.size() ? std::string(" ") + Conj + " " : ", ";
    S += quoted(lockName(Locks[I]));
  }
  return S;
}

/// A lock as messages name it: its declaration's name when concur saw it.
std::string UnguardedFieldCheck::lockName(LockId L) const {
  if (const ValueDecl *D = LockDecls.lookup(Ctx.Locks.path(L)))
    return D->getNameAsString();
  return Ctx.Locks.displayName(L).str();
}

struct UnguardedFieldCheck::Effective {
  const Access *A;
  HeldLocks Locks;       ///< own and callers' comparable locks
  /// Runs serialised by a lock concur cannot name: every caller holds
  /// one, or an optional lock of its object covers it. Not reported.
  bool Serialised;
  const Call *Unlocked;  ///< a caller that holds nothing
  bool InWindow = false; ///< where its function has let go of a lock it holds
  std::optional<LockMode> modeOf(LockId L) const {
    std::optional<LockMode> M;
    for (const HeldLock &H : Locks)
      if (H.Lock == L && (!M || H.Mode == LockMode::Exclusive))
        M = H.Mode;
    return M;
  }
};

void UnguardedFieldCheck::finish() {
  computeCallerContexts();
  // The members of a struct are separate variables: `options.type` and
  // `options.monitor_version` are guarded (or not) each on its own.
  for (auto &KV : Accesses) {
    llvm::MapVector<const FieldDecl *, std::vector<Access>> ByMember;
    for (Access &A : KV.second)
      ByMember[Uses.memberOf(A.E)].push_back(A);
    for (auto &[Member, List] : ByMember) {
      CurrentMember = Member;
      decideAndReport(KV.first, List);
    }
  }
  CurrentMember = nullptr;
}

static std::string variableName(const ValueDecl *V, const FieldDecl *Member) {
  std::string Tail = Member ? "." + Member->getNameAsString() : "";
  if (const auto *F = dyn_cast<FieldDecl>(V))
    return F->getParent()->getNameAsString() + "::" + F->getNameAsString() + Tail;
  return V->getQualifiedNameAsString() + Tail;
}

bool UnguardedFieldCheck::inWindow(const Effective &E) {
  return llvm::any_of(Windows.around(canonical(E.A->Entry), E.A->E),
                      [&](LockId L) { return !E.modeOf(L); });
}

void UnguardedFieldCheck::decideAndReport(const ValueDecl *V,
                                          std::vector<Access> &Accs) {
  // The accesses that can run while the variable is shared.
  std::vector<Effective> Evs;
  // Those of methods whose callers are all in other files, with the locks
  // they take themselves: the link adds their callers' (with facts kept).
  std::vector<Effective> Open;
  bool Recorded = Options.Facts && isExported(V);
  for (const Access &A : Accs) {
    if (A.InLambdaAlone && !SpawnedLambdas.count(A.Entry))
      continue; // runs where concur cannot see: no evidence either way
    if (inSetupRegion(A.Entry, A.E->getBeginLoc()) || isTestHook(A.Entry))
      continue;
    if (Recorded && !isLifecycle(A.Entry) && !Teardown.count(canonical(A.Entry)) &&
        callersUnseen(A.Entry)) {
      Open.push_back(Effective{&A, A.Held, false, nullptr});
      Open.back().InWindow = inWindow(Open.back());
      continue;
    }
    if (isSetup(A.Entry))
      continue;
    CallerContext C = contextOf(A.Entry);
    Effective E{&A, A.Held,
                (C.Serialised && C.Locks.empty() && A.Held.empty()) ||
                    A.UnderOptionalLock,
                C.Unlocked};
    for (LockId L : C.Locks)
      if (!E.modeOf(L))
        E.Locks.push_back({L, LockMode::Exclusive, SourceLocation()});
    // Let go of on purpose and taken back (unguarded/ReleaseWindows.h): the
    // function keeps the role the lock gave it. Not reported, but evidence
    // as it is: the lock is not held there, and a window opened for a
    // callee that takes the lock itself says nothing of the field.
    E.InWindow = inWindow(E);
    Evs.push_back(std::move(E));
  }
  bool Unfollowable = false;
  llvm::SmallVector<LockId, 2> Guard = annotatedGuards(V, Unfollowable);
  if (Unfollowable)
    return;
  bool Annotated = !Guard.empty();
  if (!Annotated && confinedByCopies(V, Evs.size()))
    return;
  if (!Open.empty() && !Annotated)
    recordAccesses(V, Open, /*GuardedHere=*/false, /*CallersElsewhere=*/true);
  if (Evs.empty())
    return;
  // Touched by one function alone: a lock it holds at some accesses and
  // not at others guards something else (RocksDB's PersistStats and its
  // stats_slice_, run by one periodic task).
  const FunctionDecl *Only = canonical(Evs.front().A->Entry);
  bool SingleFunction = Only && !SpawnedLambdas.count(Only) &&
                        llvm::all_of(Evs, [&](const Effective &E) {
                          return canonical(E.A->Entry) == Only;
                        });

  unsigned Writes = 0, WritesUnderMost = 0;
  std::string Evidence;
  if (!Annotated) {
    unguarded::InferredGuard<LockId> G = unguarded::inferGuard<LockId>(
        Evs, [](const Effective &E) { return E.A->IsWrite; },
        [](const Effective &E) {
          llvm::SmallVector<LockId, 2> Ls;
          for (const HeldLock &H : E.Locks)
            Ls.push_back(H.Lock);
          return Ls;
        },
        [](const Effective &E, LockId L) { return E.modeOf(L).has_value(); },
        SingleFunction);
    Guard = G.Guard;
    Writes = G.Writes;
    WritesUnderMost = G.WritesUnderGuard;
    switch (G.Verdict) {
    case unguarded::GuardVerdict::NoWrite:
      Evidence = "no write outside set-up code";
      break;
    case unguarded::GuardVerdict::NoLockedWrite:
      Evidence = "no write holds a lock";
      break;
    case unguarded::GuardVerdict::NoMajority:
      Evidence = "no lock is held at most of the " + std::to_string(G.LockedWrites) +
                 " writes under a lock";
      break;
    case unguarded::GuardVerdict::Disagree:
      Evidence = "writes hold different locks (" + lockNames(G.Majority, "and") + ")";
      break;
    case unguarded::GuardVerdict::MostUnlocked:
      // More unlocked writes than locked ones: the lock was held for
      // something else (RocksDB's Repairer calls LogAndApply, which wants
      // mutex_, on a VersionSet it otherwise uses alone).
      Evidence = "most of the " + std::to_string(Writes) + " writes hold no lock";
      break;
    case unguarded::GuardVerdict::OneFunction:
      Evidence = "touched by '" + Only->getNameAsString() + "' alone";
      break;
    case unguarded::GuardVerdict::Inferred:
      break;
    }
  }

  // Which accesses keep the discipline.
  auto Satisfies = [&](const Effective &E, llvm::SmallVectorImpl<LockId> &Missing,
                       bool &SharedOnly) {
    SharedOnly = false;
    if (!E.A->IsWrite)
      return llvm::any_of(Guard, [&](LockId L) { return E.modeOf(L).has_value(); });
    for (LockId L : Guard) {
      std::optional<LockMode> M = E.modeOf(L);
      if (!M)
        Missing.push_back(L);
      else if (*M == LockMode::Shared)
        SharedOnly = true;
    }
    return Missing.empty() && !SharedOnly;
  };
  std::vector<const Access *> Guarded;
  unsigned Held = 0, HeldWrites = 0, Broken = 0;
  for (const Effective &E : Evs) {
    llvm::SmallVector<LockId, 2> Missing;
    bool SharedOnly;
    bool OK = !Guard.empty() && Satisfies(E, Missing, SharedOnly);
    bool HoldsAll = !Guard.empty() && llvm::all_of(Guard, [&](LockId L) {
      return E.modeOf(L).has_value();
    });
    bool HoldsAny = llvm::any_of(Guard, [&](LockId L) { return E.modeOf(L).has_value(); });
    if (HoldsAll || (HoldsAny && !E.A->IsWrite)) {
      ++Held;
      HeldWrites += E.A->IsWrite;
      Guarded.push_back(E.A);
    }
    Broken += !OK && !E.Serialised && !E.InWindow;
  }
  if (!Guard.empty() && !Annotated)
    Evidence = std::to_string(WritesUnderMost) + " of " + std::to_string(Writes) +
               " writes hold it; " + std::to_string(Held) + " of " +
               std::to_string(Evs.size()) + " accesses hold it; unguarded: " +
               std::to_string(Broken);

  if (Options.Guards) {
    GuardDecision D;
    D.FieldLoc = V->getLocation();
    D.Field = variableName(V, CurrentMember);
    for (LockId L : Guard)
      D.Guard += (D.Guard.empty() ? "" : ", ") + lockNames(L, "and") + " (" +
                 where(L, V) + ")";
    D.Annotated = Annotated;
    D.Evidence = Evidence;
    D.Accesses = Evs.size();
    Options.Guards->push_back(std::move(D));
  }
  if (Options.Facts && !Annotated && isExported(V))
    recordAccesses(V, Evs, !Guard.empty(), /*CallersElsewhere=*/false);
  if (Guard.empty())
    return;

  std::string Why;
  if (Annotated) {
    Why = "it is declared GUARDED_BY(";
    for (size_t I = 0; I < Guard.size(); ++I) {
      std::string N = lockNames(Guard[I], "and");
      Why += (I ? ", " : "") + N.substr(1, N.size() - 2);
    }
    Why += ")";
  } else if (Guard.size() == 1) {
    Why = heldReason(lockNames(Guard, "and"), Held, Evs.size(), HeldWrites);
  } else {
    Why = allHeldReason(lockNames(Guard, "and"), WritesUnderMost, Writes);
  }

  for (const Effective &E : Evs) {
    llvm::SmallVector<LockId, 2> Missing;
    bool SharedOnly;
    if (E.Serialised || E.InWindow || Satisfies(E, Missing, SharedOnly))
      continue;
    report(V, *E.A, E, Guard, Missing, SharedOnly, Annotated, Why, Guarded);
  }
}

/// A field its class copies from another object without any lock is a
/// value's (unguarded/ValueCopies.h): neither evidence nor reported. The
/// project link learns it from recordFacts.
bool UnguardedFieldCheck::confinedByCopies(const ValueDecl *V, size_t Accesses) {
  const auto *F = dyn_cast<FieldDecl>(V);
  unguarded::UnlockedCopy Copy = F ? Copies.unlockedCopyOf(F) : unguarded::UnlockedCopy();
  if (!Copy)
    return false;
  if (Options.Guards) {
    GuardDecision D;
    D.FieldLoc = V->getLocation();
    D.Field = variableName(V, CurrentMember);
    const SourceManager &SM = Ctx.AST.getSourceManager();
    PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Copy.At));
    D.Evidence = "copied without a lock by '" + Copy.By->getQualifiedNameAsString() +
                 "'" +
                 (P.isValid() ? " at " + llvm::sys::path::filename(P.getFilename()).str() +
                                    ":" + std::to_string(P.getLine())
                              : std::string()) +
                 ": a value, owned by one thread";
    D.Accesses = Accesses;
    Options.Guards->push_back(std::move(D));
  }
  return true;
}

std::string UnguardedFieldCheck::heldReason(llvm::StringRef Guard, unsigned Held,
                                            unsigned Accesses, unsigned HeldWrites) {
  return Guard.str() + " is held at " + std::to_string(Held) + " of its " +
         std::to_string(Accesses) + " accesses (" + std::to_string(HeldWrites) +
         (HeldWrites == 1 ? " write)" : " writes)");
}

std::string UnguardedFieldCheck::allHeldReason(llvm::StringRef Guard,
                                               unsigned WritesUnderGuard,
                                               unsigned Writes) {
  return Guard.str() + " are all held at " + std::to_string(WritesUnderGuard) +
         " of its " + std::to_string(Writes) + (Writes == 1 ? " write" : " writes");
}

std::string UnguardedFieldCheck::accessMessage(llvm::StringRef Kind,
                                               llvm::StringRef What, bool IsWrite,
                                               llvm::StringRef Locks,
                                               bool OnOtherThread,
                                               llvm::StringRef Why) {
  return (Kind + What + " is " + (IsWrite ? "written" : "read") +
          " without holding " + Locks +
          (OnOtherThread ? " in a lambda that runs on another thread" : "") + "; " +
          Why)
      .str();
}

std::string UnguardedFieldCheck::sharedWriteMessage(llvm::StringRef Kind,
                                                    llvm::StringRef What,
                                                    llvm::StringRef Shared,
                                                    size_t Count, llvm::StringRef Why) {
  return (Kind + What + " is written while " + Shared + (Count == 1 ? " is" : " are") +
          " held only in shared mode; " + Why)
      .str();
}

std::string UnguardedFieldCheck::guardedNote(llvm::StringRef What, bool IsWrite,
                                             llvm::StringRef Locks) {
  return (What + (IsWrite ? " written" : " read") + " with " + Locks + " held here").str();
}

std::string UnguardedFieldCheck::declaredNote(llvm::StringRef Lock,
                                              llvm::StringRef Where) {
  return (Lock + " declared here" +
          (Where == "member" ? std::string() : " (" + Where.str() + ")"))
      .str();
}

std::string UnguardedFieldCheck::unlockedCallNote(llvm::StringRef Caller,
                                                  llvm::StringRef Callee,
                                                  llvm::StringRef Guard) {
  return (Caller + " calls " + quoted(Callee) + " without holding " + Guard).str();
}

/// Whether a read of a pointer (raw or smart) only tests it for null:
/// `if (p)`, `!p`, `p && ...`, `p != nullptr`. Its value is not followed,
/// so a race makes the answer stale, as a scalar's (RocksDB's unlocked
/// `if (tracer_)` before taking trace_mutex_ and testing again).
static bool isNullTest(const Expr *E, ASTContext &AST) {
  const Expr *Value = E;
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = AST.getParents(*Value);
    if (Parents.size() != 1)
      return false;
    const auto *P = Parents[0].get<Stmt>();
    if (!P)
      return false;
    // The value itself, or its conversion to bool: `operator bool` is a
    // member call whose callee (a MemberExpr) has the pointer as its base.
    if (isa<ImplicitCastExpr, ParenExpr>(P)) {
      Value = cast<Expr>(P);
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      DynTypedNodeList Up = AST.getParents(*ME);
      const auto *MC = Up.size() == 1 ? Up[0].get<CXXMemberCallExpr>() : nullptr;
      if (!MC || MC->getCallee()->IgnoreParens() != ME ||
          !isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
        return false;
      Value = MC;
      continue;
    }
    bool AsBool = Value->getType()->isBooleanType();
    if (const auto *If = dyn_cast<IfStmt>(P))
      return AsBool && If->getCond() == Value;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      return AsBool && W->getCond() == Value;
    if (const auto *C = dyn_cast<ConditionalOperator>(P))
      return AsBool && C->getCond() == Value;
    if (const auto *U = dyn_cast<UnaryOperator>(P))
      return AsBool && U->getOpcode() == UO_LNot;
    if (const auto *B = dyn_cast<BinaryOperator>(P)) {
      if (B->isLogicalOp())
        return AsBool;
      return B->isEqualityOp() &&
             isNullLiteral(B->getLHS() == Value ? B->getRHS() : B->getLHS());
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P))
      return (Op->getOperator() == OO_EqualEqual ||
              Op->getOperator() == OO_ExclaimEqual) &&
             Op->getNumArgs() == 2 &&
             isNullLiteral(Op->getArg(0)->IgnoreParenImpCasts() == Value
                               ? Op->getArg(1)
                               : Op->getArg(0));
    return false;
  }
  return false;
}

/// A read of a scalar may merely see a stale value; a container, a string,
/// a smart or raw pointer raced can corrupt memory or be used after it is
/// freed, and a write without the guard can lose the other writers' work.
static FindingLevel levelOf(const UnguardedFieldCheck::Access &A, ASTContext &AST) {
  if (A.IsWrite)
    return FindingLevel::Warning;
  const Type *T = A.Var->getType()->getBaseElementTypeUnsafe();
  T = T->getCanonicalTypeInternal().getTypePtr();
  if (T->isArithmeticType() || T->isEnumeralType())
    return FindingLevel::Note;
  if (isNullTest(A.E, AST))
    return FindingLevel::Note;
  return FindingLevel::Warning;
}

/// A class that holds a lock of its own (or through a base): its fields
/// may be guarded by it in files this TU does not see.
static bool hasLockMember(const CXXRecordDecl *RD, const ModelMatcher &Models,
                          unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 8)
    return false;
  RD = RD->getDefinition();
  for (const FieldDecl *F : RD->fields())
    if (isLockType(F->getType(), Models))
      return true;
  for (const Decl *D : RD->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D);
        VD && VD->isStaticDataMember() && isLockType(VD->getType(), Models))
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasLockMember(B.getType()->getAsCXXRecordDecl(), Models, Depth + 1))
      return true;
  return false;
}

bool UnguardedFieldCheck::isExported(const ValueDecl *V) {
  auto [It, Inserted] = Exported.try_emplace(V, false);
  if (!Inserted)
    return It->second;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  SourceLocation Loc = SM.getExpansionLoc(V->getLocation());
  // Declared in the main file: every access is in this TU, which decided.
  if (SM.isInMainFile(Loc) || SM.isInSystemHeader(Loc) || !V->isExternallyVisible() ||
      !isCandidate(V))
    return false;
  const auto *Owner = dyn_cast<CXXRecordDecl>(V->getDeclContext());
  It->second = Owner && hasLockMember(Owner, Ctx.Models);
  return It->second;
}

AccessLockFact UnguardedFieldCheck::accessLockFact(LockId Lock, LockMode Mode,
                                                  const ValueDecl *V) const {
  AccessLockFact L;
  L.Path = Ctx.Locks.path(Lock).str();
  L.Name = lockName(Lock);
  L.Where = where(Lock, V);
  if (const ValueDecl *D = LockDecls.lookup(L.Path))
    L.Declared = D->getLocation();
  L.Shared = Mode == LockMode::Shared;
  return L;
}

UnlockedCallerFact UnguardedFieldCheck::unlockedCallerFact(const Call &C) const {
  return {C.E->getExprLoc(),
          isLambdaBody(C.Caller) ? "a lambda" : quoted(C.Caller->getNameAsString()),
          C.Callee->getNameAsString()};
}

void UnguardedFieldCheck::recordAccesses(const ValueDecl *V,
                                         llvm::ArrayRef<Effective> Evs,
                                         bool GuardedHere, bool CallersElsewhere) {
  std::string Usr = usrOf(V);
  if (Usr.empty())
    return;
  std::string Tail = CurrentMember ? "." + CurrentMember->getNameAsString() : "";
  std::string Kind = isa<FieldDecl>(V) ? "field " : "static field ";
  for (const Effective &E : Evs) {
    FieldAccessFact F;
    F.Variable = Usr + Tail;
    F.Name = V->getNameAsString() + Tail;
    F.Kind = Kind;
    F.Function = usrOf(canonical(E.A->Entry));
    F.Loc = E.A->E->getExprLoc();
    F.IsWrite = E.A->IsWrite;
    F.Note = levelOf(*E.A, Ctx.AST) == FindingLevel::Note;
    F.OnOtherThread = SpawnedLambdas.count(E.A->Entry);
    F.SerialisedByCallers = E.Serialised || E.InWindow;
    F.GuardedHere = GuardedHere;
    F.CallersElsewhere = CallersElsewhere;
    for (const HeldLock &H : E.Locks)
      F.Held.push_back(accessLockFact(H.Lock, H.Mode, V));
    for (const Call *C : unlockedChain(E.Unlocked))
      F.UnlockedCallers.push_back(unlockedCallerFact(*C));
    FieldFacts.push_back(std::move(F));
  }
}

void UnguardedFieldCheck::recordFacts(TranslationUnitFacts &Out) {
  // The fields this TU's copy operations read unlocked, touched here or not
  // (a copy constructor alone in its file): not accesses, markers.
  for (auto &[F, Copy] : Copies.copied()) {
    std::string Usr = isExported(F) ? usrOf(F) : "";
    if (Usr.empty())
      continue;
    FieldAccessFact Fact;
    Fact.Variable = Usr;
    Fact.Name = F->getNameAsString();
    Fact.Kind = "field ";
    Fact.Function = usrOf(canonical(Copy.By));
    Fact.Loc = Copy.At;
    Fact.Confined = true;
    Out.FieldAccesses.push_back(std::move(Fact));
  }
  for (FieldAccessFact &F : FieldFacts)
    Out.FieldAccesses.push_back(std::move(F));
  FieldFacts.clear();
  for (Finding &F : Conditional)
    Out.ConditionalFindings.push_back(std::move(F));
  Conditional.clear();
  // What the callers of this file hold when they call a private helper
  // defined in another file.
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const Call &C : Calls) {
    // And the calls that may run an override of another file: of a
    // virtual method declared in a header (another file sees no other).
    const auto *Virtual = dyn_cast<CXXMethodDecl>(C.Callee);
    if (Virtual && (!Virtual->isVirtual() ||
                    SM.isInMainFile(SM.getExpansionLoc(Virtual->getLocation()))))
      Virtual = nullptr;
    if (!definedElsewhere(C.Callee) && !Virtual)
      continue;
    HelperCallFact H;
    H.CallerElsewhere = callersUnseen(C.Caller);
    if (Virtual) {
      H.Virtual = true;
      H.Dispatched = isDispatched(C.E);
      if (uncalledOverride(C.Caller)) {
        std::vector<std::string> Keys = calledAs(C.Caller);
        H.CallerBases.assign(Keys.begin() + 1, Keys.end());
        H.CallerInstantiated = C.Caller->getTemplateSpecializationKind() ==
                               TSK_ImplicitInstantiation;
      }
    }
    // The link gives such a caller its own callers' locks, which are its
    // object's: they say nothing of another object's helper. (Of a virtual
    // call, the link asks only whether some lock is held.)
    if (H.CallerElsewhere && !C.OnThis && !Virtual)
      continue;
    if (!H.CallerElsewhere && (isSetup(C.Caller) || isSetupCall(C)))
      continue; // before the object is shared: says nothing of the others
    H.CalleeUsr = Virtual ? calleeUsr(C.Callee) : usrOf(C.Callee);
    H.CallerUsr = H.CallerBases.empty() ? usrOf(canonical(C.Caller)) : calleeUsr(C.Caller);
    if (H.CalleeUsr.empty() || H.CallerUsr.empty())
      continue;
    const UnlockedCallerFact Step = unlockedCallerFact(C);
    H.Caller = Step.Caller;
    H.Callee = Step.Callee;
    H.Loc = Step.Loc;
    CallerContext Context;
    if (!H.CallerElsewhere)
      Context = contextOf(C.Caller);
    llvm::SmallVector<std::pair<LockId, LockMode>, 4> AtSite;
    for (LockId L : Context.Locks)
      AtSite.push_back({L, LockMode::Exclusive});
    for (const HeldLock &L : C.Held)
      AtSite.push_back({L.Lock, L.Mode});
    for (auto &[L, Mode] : AtSite)
      if (C.OnThis || !isRelativeToThis(Ctx.Locks.path(L)))
        H.Held.push_back(accessLockFact(L, Mode, nullptr));
    for (const HeldLock &L : C.ReceiverHeld)
      H.Held.push_back(accessLockFact(L.Lock, L.Mode, nullptr));
    H.SomeLock = !C.Held.empty() || C.HoldsOtherLock || Context.Serialised ||
                 !Context.Locks.empty();
    for (const Call *Up : unlockedChain(Context.Unlocked))
      H.UnlockedCallers.push_back(unlockedCallerFact(*Up));
    if (Virtual) {
      // The link asks of a virtual call only whether it holds some lock,
      // and who made it when that caller's own callers decide: one record
      // per callee and answer. (RocksDB makes 100,000 virtual calls.)
      if (!H.CallerElsewhere && H.CallerBases.empty())
        H.CallerUsr.clear();
      std::string Key = H.CalleeUsr + '\0' + H.CallerUsr + '\0' +
                        char('0' + H.SomeLock + 2 * H.CallerElsewhere + 4 * H.Dispatched +
                             8 * H.CallerInstantiated);
      for (const std::string &B : H.CallerBases)
        Key += '\0' + B;
      if (!VirtualCallsSeen.insert(Key).second)
        continue;
    }
    Out.HelperCalls.push_back(std::move(H));
  }
}

/// The unlocked callers on the way to an access, outermost first.
llvm::SmallVector<const UnguardedFieldCheck::Call *, 4>
UnguardedFieldCheck::unlockedChain(const Call *Innermost) const {
  llvm::SmallVector<const Call *, 4> Chain;
  llvm::DenseSet<const FunctionDecl *> Visited;
  for (const Call *C = Innermost; C && Chain.size() < 4 &&
                                   Visited.insert(C->Caller).second;
       C = contextOf(C->Caller).Unlocked)
    Chain.push_back(C);
  std::reverse(Chain.begin(), Chain.end());
  return Chain;
}

void UnguardedFieldCheck::report(const ValueDecl *V, const Access &A,
                                 const Effective &E, llvm::ArrayRef<LockId> Guard,
                                 llvm::ArrayRef<LockId> Missing, bool SharedOnly,
                                 bool Annotated, const std::string &Why,
                                 llvm::ArrayRef<const Access *> Guarded) {
  Finding F;
  F.CheckId = Id;
  F.Level = levelOf(A, Ctx.AST);
  F.Loc = A.E->getExprLoc();
  std::string What = quoted(V->getNameAsString() +
                            (CurrentMember ? "." + CurrentMember->getNameAsString() : ""));
  std::string Kind = isa<FieldDecl>(V) ? "field " : "variable ";
  if (const auto *VD = dyn_cast<VarDecl>(V); VD && VD->isStaticDataMember())
    Kind = "static field ";
  if (A.IsWrite && Missing.empty() && SharedOnly) {
    llvm::SmallVector<LockId, 2> Shared;
    for (LockId L : Guard)
      if (E.modeOf(L) == LockMode::Shared)
        Shared.push_back(L);
    F.Message = sharedWriteMessage(Kind, What, lockNames(Shared, "and"),
                                   Shared.size(), Why);
  } else {
    F.Message = accessMessage(
        Kind, What, A.IsWrite,
        A.IsWrite ? lockNames(Missing, "and") : lockNames(Guard, "or"),
        SpawnedLambdas.count(A.Entry), Why);
  }
  // Evidence: the first few accesses made with the guard held, one write
  // among them at least.
  llvm::SmallVector<const Access *, 3> Shown;
  for (const Access *G : Guarded)
    if (G != &A && Shown.size() < 3)
      Shown.push_back(G);
  if (llvm::none_of(Shown, [](const Access *G) { return G->IsWrite; }))
    for (const Access *G : Guarded)
      if (G->IsWrite && G != &A && !Shown.empty()) {
        Shown.back() = G;
        break;
      }
  for (const Access *G : Shown) {
    llvm::SmallVector<LockId, 2> HeldThere;
    llvm::SmallVector<LockId, 2> Context = contextOf(G->Entry).Locks;
    for (LockId L : Guard)
      if (llvm::any_of(G->Held, [&](const HeldLock &H) { return H.Lock == L; }) ||
          llvm::is_contained(Context, L))
        HeldThere.push_back(L);
    F.Notes.push_back({G->E->getExprLoc(),
                       guardedNote(What, G->IsWrite,
                                   lockNames(HeldThere.empty() ? Guard : HeldThere, "and"))});
  }
  if (Annotated) {
    // Why is "it is declared GUARDED_BY(...)".
    F.Notes.push_back(
        {V->getLocation(), What + " is declared " + Why.substr(15) + " here"});
  } else {
    for (LockId L : Guard) {
      const ValueDecl *D = LockDecls.lookup(Ctx.Locks.path(L));
      if (!D)
        continue;
      std::string W = where(L, V);
      F.Notes.push_back({D->getLocation(), declaredNote(lockNames(L, "and"), W)});
    }
  }
  for (const Call *C : unlockedChain(E.Unlocked)) {
    std::string Caller = C->Caller->getNameAsString();
    if (isLambdaBody(C->Caller))
      Caller = "a lambda";
    else
      Caller = quoted(Caller);
    F.CallChain.push_back({C->E->getExprLoc(),
                           unlockedCallNote(Caller, C->Callee->getNameAsString(),
                                            lockNames(Guard, "or"))});
  }
  // It runs unlocked only where overrides are called in other files: the
  // link looks at those calls. (Holding some lock but not the guard, it
  // is reported whatever the callers hold.)
  if (A.Held.empty()) {
    if (uncalledOverride(A.Entry)) {
      F.CalledAs.push_back(calledAs(A.Entry));
    } else {
      CallerContext C = contextOf(A.Entry);
      if (!C.Serialised && !C.Genuine)
        for (const FunctionDecl *Root : C.Roots)
          F.CalledAs.push_back(calledAs(Root));
    }
  }
  if (!F.CalledAs.empty()) {
    Conditional.push_back(std::move(F));
    return;
  }
  Out.push_back(std::move(F));
}

} // namespace concur
