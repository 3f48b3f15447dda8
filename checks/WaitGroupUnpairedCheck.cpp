//===- WaitGroupUnpairedCheck.cpp -----------------------------------------===//

#include "checks/WaitGroupUnpairedCheck.h"
#include "checks/LoopIterations.h"
#include "checks/engine/BodySites.h"
#include "checks/engine/BlockingSummaries.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

namespace {

/// Every reference in a body (nested lambdas included) to a variable, or to
/// an expression that names the object Id.
class UseFinder : public RecursiveASTVisitor<UseFinder> {
public:
  UseFinder(LockTable &Locks, LockId Id) : Locks(Locks), Id(Id) {}
  bool shouldVisitLambdaBody() const { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) { return check(E); }
  bool VisitMemberExpr(MemberExpr *E) { return check(E); }
  llvm::SmallVector<const Expr *, 8> Uses;

private:
  bool check(const Expr *E) {
    if (!E->isTypeDependent() && Locks.lockOf(E) == Id)
      Uses.push_back(E);
    return true;
  }
  LockTable &Locks;
  LockId Id;
};

} // namespace

/// The WaitGroup operation of a call, and the WaitGroup it acts on.
static llvm::StringRef waitGroupOp(const Expr *E, AnalysisContext &Ctx,
                                   std::optional<LockId> &WaitGroup,
                                   MatchedEffect &M) {
  const auto *C = dyn_cast<CallExpr>(E);
  if (!C)
    return "";
  M = Ctx.Models.effectOfCall(C);
  if (!M || M.Fx->WaitGroupOp.empty())
    return "";
  const Expr *Receiver = splitCall(C).Receiver;
  if (!Receiver)
    return "";
  WaitGroup = Ctx.Locks.lockOf(Receiver);
  return WaitGroup ? llvm::StringRef(M.Fx->WaitGroupOp) : "";
}

/// A constant amount argument; 1 when the effect has none or it is not
/// passed (0 for an initial count).
static std::optional<int64_t> amountArg(const Effect &Fx,
                                        llvm::ArrayRef<const Expr *> Args,
                                        const ASTContext &AST, int64_t Default) {
  if (!Fx.CountArg || *Fx.CountArg >= Args.size())
    return Default;
  const Expr *E = Args[*Fx.CountArg];
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->EvaluateAsInt(R, AST))
    return std::nullopt;
  int64_t N = R.Val.getInt().getExtValue();
  return N >= 0 ? std::optional<int64_t>(N) : std::nullopt;
}

const BodySites &WaitGroupUnpairedCheck::sitesIn(const Stmt *Body) {
  std::unique_ptr<BodySites> &Slot = SitesCache[Body];
  if (!Slot)
    Slot = std::make_unique<BodySites>(sitesOf(Body));
  return *Slot;
}

bool WaitGroupUnpairedCheck::needsEntry(const FunctionDecl *FD) {
  if (!FD->hasBody())
    return false;
  for (const Expr *E : sitesIn(FD->getBody()).Calls) {
    if (spawnedTask(E, Ctx.Models))
      return true;
    if (const auto *C = dyn_cast<CallExpr>(E)) {
      MatchedEffect M = Ctx.Models.effectOfCall(C);
      if (M && !M.Fx->WaitGroupOp.empty())
        return true;
    }
  }
  return false;
}

const std::vector<ExitPath> &
WaitGroupUnpairedCheck::exitsOf(const FunctionDecl *Body) {
  auto [It, Inserted] = Exits.try_emplace(Body);
  if (Inserted)
    It->second = Ctx.LockFlow.exitPaths(Body);
  return It->second;
}

llvm::SmallVector<WaitGroupUnpairedCheck::TaskCount, 2>
WaitGroupUnpairedCheck::countsOf(const SpawnedTask &T) {
  llvm::SmallVector<TaskCount, 2> Counts;
  const std::vector<ExitPath> &Paths = exitsOf(T.Body);
  for (const ExitPath &P : Paths)
    for (auto &KV : P.State.Counts)
      if (llvm::none_of(Counts, [&](const TaskCount &C) { return C.InTask == KV.first; }))
        Counts.push_back({KV.first, 0});
  for (TaskCount &C : Counts)
    for (const ExitPath &P : Paths) {
      const CountFact *F = P.State.Counts.lookup(C.InTask);
      C.Possible |= F ? F->Possible : CountFact::Zero;
    }
  // The task's own WaitGroups are for the tasks it spawns in turn.
  llvm::erase_if(Counts, [&](const TaskCount &C) {
    return Ctx.Dones.ownerOf(C.InTask, T.Body) == CountOwner::Local;
  });
  return Counts;
}

std::optional<LockId> WaitGroupUnpairedCheck::inSpawner(const SpawnedTask &T,
                                                        LockId InTask) {
  switch (Ctx.Dones.ownerOf(InTask, T.Body)) {
  case CountOwner::Outside:
    return InTask;
  case CountOwner::Member:
    // A lambda capturing `this` names the spawner's own members.
    return T.Lambda ? std::optional<LockId>(InTask) : std::nullopt;
  case CountOwner::Param:
    if (const auto *P = dyn_cast_or_null<ParmVarDecl>(Ctx.LockFlow.countRoot(InTask)))
      if (const Expr *Arg = T.argumentFor(P))
        return Ctx.Locks.lockOf(Arg);
    return std::nullopt;
  case CountOwner::Local:
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<FindingNote>
WaitGroupUnpairedCheck::countedUpBefore(const Expr *Spawn, LockId WaitGroup) {
  if (!CurrentEntry || !CurrentEntry->hasBody())
    return std::nullopt;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  std::string Name = quoted(Ctx.Locks.displayName(WaitGroup));
  // The last Add before the spawn; else the construction that sets the
  // count of a latch or counter.
  std::optional<FindingNote> Added, Constructed;
  for (const Expr *E : sitesIn(CurrentEntry->getBody()).Calls) {
    std::optional<LockId> W;
    MatchedEffect M;
    if (waitGroupOp(E, Ctx, W, M) == "add") {
      if (W == WaitGroup &&
          SM.isBeforeInTranslationUnit(E->getBeginLoc(), Spawn->getBeginLoc()))
        Added = FindingNote{E->getExprLoc(), Name + " is counted up here for the task"};
      continue;
    }
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (!CE || Constructed)
      continue;
    M = Ctx.Models.effectOfConstruct(CE);
    if (!M || M.Fx->WaitGroupOp != "init")
      continue;
    DynTypedNodeList Ps = Ctx.AST.getParents(*CE);
    const auto *VD = Ps.empty() ? nullptr : Ps[0].get<VarDecl>();
    if (VD && variablePath(VD) == Ctx.Locks.path(WaitGroup))
      Constructed = FindingNote{VD->getLocation(), Name + " gets its count here"};
  }
  return Added ? Added : Constructed;
}

/// Steps down the callees and destructors through which a count-down
/// happens, for the finding's call chain.
static void explainVia(AnalysisContext &Ctx, Finding &F, SourceLocation At,
                       const FunctionDecl *Via, LockId WaitGroup) {
  for (unsigned Depth = 0; Via && Depth < 8; ++Depth) {
    std::string What;
    if (const auto *D = dyn_cast<CXXDestructorDecl>(Via))
      What = "the destructor of " + quoted(D->getParent()->getNameAsString());
    else if (const auto *MD = dyn_cast<CXXMethodDecl>(Via);
             MD && MD->getParent()->isLambda())
      What = "the lambda";
    else
      What = quoted(ModelMatcher::matchName(Via));
    F.CallChain.push_back(
        {At, What + " counts " + quoted(Ctx.Locks.displayName(WaitGroup)) +
                 " down"});
    const DoneSummary &Sum = Ctx.Dones.summaryOf(Via);
    const DoneEffect *Next = nullptr;
    for (const DoneEffect &Fx : Sum.Effects)
      if (Fx.At.isValid()) {
        Next = &Fx;
        break;
      }
    if (!Next)
      return;
    At = Next->At;
    Via = Next->Via;
    if (!Via)
      F.CallChain.push_back({At, "the count-down"});
  }
}

static std::optional<int64_t> timesRun(const Stmt *S, const Stmt *Body,
                                       ASTContext &AST);

bool WaitGroupUnpairedCheck::countsDownInLoop(const SpawnedTask &T,
                                              LockId InTask) {
  llvm::SmallVector<SourceLocation, 4> Sites;
  for (const ExitPath &P : exitsOf(T.Body))
    if (const CountFact *F = P.State.Counts.lookup(InTask)) {
      if (F->FirstAt.isValid() && F->FirstAt == F->ExtraAt)
        return true; // the same count-down met again through a back edge
      for (SourceLocation L : {F->FirstAt, F->ExtraAt})
        if (L.isValid())
          Sites.push_back(L);
    }
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const Stmt *L : sitesIn(T.Body->getBody()).Loops)
    for (SourceLocation At : Sites)
      if (!SM.isBeforeInTranslationUnit(At, L->getBeginLoc()) &&
          !SM.isBeforeInTranslationUnit(L->getEndLoc(), At))
        return true;
  return false;
}

void WaitGroupUnpairedCheck::checkPaths(const SpawnedTask &T) {
  for (const TaskCount &C : countsOf(T)) {
    if ((C.Possible & CountFact::Unknown) ||
        !(C.Possible & (CountFact::One | CountFact::Many)))
      continue;
    std::string Name = quoted(Ctx.Locks.displayName(C.InTask));
    // A count-down inside a loop of the task counts work items, not tasks
    // (`while (auto job = queue.pop()) { run(job); wg.Done(); }`): how many
    // there are is not decided by this task's paths.
    if (countsDownInLoop(T, C.InTask))
      continue;
    // A nested lambda that mentions the WaitGroup but is neither run in
    // place nor held by a scope guard concur follows (a std::function
    // member, a callback queue) may be where the missing Done is.
    bool Hidden = false;
    {
      UseFinder Uses(Ctx.Locks, C.InTask);
      Uses.TraverseStmt(const_cast<Stmt *>(T.Body->getBody()));
      for (const Expr *U : Uses.Uses)
        for (DynTypedNodeList Ps = Ctx.AST.getParents(*U); !Ps.empty();
             Ps = Ctx.AST.getParents(Ps[0])) {
          if (const auto *L = Ps[0].get<LambdaExpr>()) {
            Hidden |= L->getCallOperator() != T.Body;
            break;
          }
          if (Ps[0].get<Decl>() == T.Body)
            break;
        }
    }
    std::optional<LockId> Spawner = inSpawner(T, C.InTask);
    std::optional<FindingNote> Added =
        Spawner ? countedUpBefore(T.Site, *Spawner) : std::nullopt;
    // A task that counts itself up owes one count-down more per Add: judged
    // on its totals when they are known, else only a path with no
    // count-down at all is sure to be wrong.
    SelfCount Self = selfCountOf(T, C.InTask);
    if (Self.Adds && checkSelfCount(T, C.InTask, Self, Added))
      continue;
    auto AddContext = [&](Finding &F) {
      // A code flow through the task's callees starts at the spawn.
      F.FlowStartNote = F.Notes.size();
      F.Notes.push_back({T.Site->getExprLoc(), "the task is spawned here"});
      if (Added)
        F.Notes.push_back(*Added);
    };
    // Where the task does count down, for the note.
    const CountFact *Some = nullptr;
    for (const ExitPath &P : exitsOf(T.Body))
      if (const CountFact *F = P.State.Counts.lookup(C.InTask);
          F && F->FirstAt.isValid() && !Some)
        Some = F;

    for (const ExitPath &P : exitsOf(T.Body)) {
      const CountFact *Fact = P.State.Counts.lookup(C.InTask);
      uint8_t Bits = Fact ? Fact->Possible : uint8_t(CountFact::Zero);
      if ((Bits & CountFact::Zero) && !Hidden) {
        Finding F;
        F.CheckId = Id;
        F.Loc = P.Loc;
        F.Message = (P.LeavesAt ? "the spawned task returns here without "
                                  "counting down "
                                : "the spawned task can reach its end without "
                                  "counting down ") +
                    Name + "; a wait on " + Name + " then never returns";
        if (Some)
          F.Notes.push_back({Some->FirstAt, Name + " is counted down here "
                                                   "on other paths"});
        AddContext(F);
        Out.push_back(std::move(F));
      }
      if ((Bits & CountFact::Many) && Fact && Fact->ExtraAt.isValid() &&
          !Self.Adds) {
        Finding F;
        F.CheckId = Id;
        F.Loc = Fact->ExtraAt;
        F.Message = Name + " can be counted down a second time by the same "
                           "spawned task; its count goes below zero and a "
                           "wait may return before the other tasks finish";
        if (Fact->FirstAt.isValid() && Fact->FirstAt != Fact->ExtraAt)
          F.Notes.push_back({Fact->FirstAt, "first count-down of " + Name});
        AddContext(F);
        explainVia(Ctx, F, Fact->ExtraAt, Fact->ExtraVia, C.InTask);
        Out.push_back(std::move(F));
      }
    }
  }
}

void WaitGroupUnpairedCheck::checkAddInTask(const SpawnedTask &T) {
  const auto &Sites = sitesIn(T.Body->getBody()).Calls;
  // A task that spawns tasks of its own may count them up itself.
  for (const Expr *E : Sites)
    if (spawnedTask(E, Ctx.Models))
      return;
  for (const Expr *E : Sites) {
    std::optional<LockId> W;
    MatchedEffect M;
    if (waitGroupOp(E, Ctx, W, M) != "add")
      continue;
    const VarDecl *Root = rootVariable(splitCall(cast<CallExpr>(E)).Receiver);
    if (Root && Root->getParentFunctionOrMethod() == T.Body)
      continue; // the task's own WaitGroup
    // Go's mistake is a goroutine that counts itself: Add, then Done on the
    // same WaitGroup. A task that only counts up (a producer adding work
    // for other threads) is a different protocol.
    if (llvm::none_of(countsOf(T), [&](const TaskCount &C) {
          return C.InTask == *W &&
                 (C.Possible & (CountFact::One | CountFact::Many));
        }))
      continue;
    std::string Name = quoted(Ctx.Locks.displayName(*W));
    Finding F;
    F.CheckId = Id;
    F.Loc = E->getExprLoc();
    F.Message = Name + " is counted up inside the task it waits for; the wait "
                       "can run before this and return early: count up "
                       "before spawning the task";
    F.Notes.push_back({T.Site->getExprLoc(), "the task is spawned here"});
    Out.push_back(std::move(F));
  }
}

//===----------------------------------------------------------------------===//
// Totals known at compile time
//===----------------------------------------------------------------------===//

/// How many times a statement of Body runs each time Body runs: once, or
/// the product of the trip counts of the constant `for` loops around it;
/// std::nullopt under any branch or other loop.
static std::optional<int64_t> timesRun(const Stmt *S, const Stmt *Body,
                                       ASTContext &AST) {
  int64_t Times = 1;
  const Stmt *Prev = S;
  DynTypedNode N = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 128; ++Depth) {
    DynTypedNodeList Parents = AST.getParents(N);
    if (Parents.empty())
      return std::nullopt;
    N = Parents[0];
    const Stmt *P = N.get<Stmt>();
    if (!P) {
      Prev = nullptr; // a declaration: its DeclStmt comes next
      continue;
    }
    if (P == Body)
      return Times;
    if (const auto *For = dyn_cast<ForStmt>(P)) {
      std::optional<int64_t> Trip = constantTripCount(For, AST);
      if (Prev != For->getBody() || !Trip)
        return std::nullopt;
      Times *= *Trip;
    } else if (isa<IfStmt, WhileStmt, DoStmt, SwitchStmt, CXXForRangeStmt,
                   AbstractConditionalOperator, CXXTryStmt, CXXCatchStmt,
                   LambdaExpr, SwitchCase, LabelStmt, StmtExpr>(P)) {
      return std::nullopt;
    } else if (const auto *BO = dyn_cast<BinaryOperator>(P);
               BO && BO->isLogicalOp()) {
      return std::nullopt;
    }
    Prev = P;
  }
  return std::nullopt;
}

void WaitGroupUnpairedCheck::checkTotals(const CallExpr *Wait, LockId W) {
  // Only a WaitGroup that is a local variable of this function, so that
  // every use of it is in sight.
  const Expr *Receiver = splitCall(Wait).Receiver;
  const VarDecl *V = rootVariable(Receiver);
  const Stmt *Body = CurrentEntry->getBody();
  if (!V || !V->isLocalVarDecl() || V->isStaticLocal() ||
      V->getParentFunctionOrMethod() != CurrentEntry ||
      Ctx.Locks.path(W) != variablePath(V))
    return;
  if (!TotalsChecked.insert({CurrentEntry, W}).second)
    return;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  const BodySites &Inventory = sitesIn(Body);
  const auto &Sites = Inventory.Calls;
  const auto &Leaves = Inventory.Exits;
  // A return, break or throw before the wait makes what follows it
  // conditional.
  for (const Stmt *L : Leaves)
    if (SM.isBeforeInTranslationUnit(L->getBeginLoc(), Wait->getBeginLoc()))
      return;
  if (timesRun(Wait, Body, Ctx.AST) != 1)
    return;

  std::string Name = quoted(Ctx.Locks.displayName(W));
  int64_t Up = 0, Down = 0;
  // The initial count.
  const auto *Init = dyn_cast_or_null<CXXConstructExpr>(
      V->getInit() ? V->getInit()->IgnoreImplicit() : nullptr);
  if (!Init || Init->getConstructor()->isCopyOrMoveConstructor())
    return;
  SourceLocation CountedAt;
  MatchedEffect InitModel = Ctx.Models.effectOfConstruct(Init);
  if (InitModel && InitModel.Fx->WaitGroupOp == "init") {
    llvm::SmallVector<const Expr *, 2> Args(Init->arguments());
    std::optional<int64_t> N = amountArg(*InitModel.Fx, Args, Ctx.AST, 0);
    if (!N)
      return;
    Up = *N;
    if (Up > 0)
      CountedAt = V->getLocation();
  }

  llvm::DenseSet<const Stmt *> Known;
  std::vector<FindingNote> SpawnNotes;
  bool AnySpawn = false;
  for (const Expr *E : Sites) {
    std::optional<LockId> Target;
    MatchedEffect M;
    llvm::StringRef Op = waitGroupOp(E, Ctx, Target, M);
    if (!Op.empty() && Target == W) {
      Known.insert(E);
      if (Op == "wait")
        continue;
      std::optional<int64_t> Times = timesRun(E, Body, Ctx.AST);
      std::optional<int64_t> N =
          amountArg(*M.Fx, splitCall(cast<CallExpr>(E)).Args, Ctx.AST, 1);
      if (!Times || !N)
        return;
      if (Op == "add") {
        Up += *Times * *N;
        if (CountedAt.isInvalid())
          CountedAt = E->getExprLoc();
      } else {
        Down += *Times * *N; // done, arrive
      }
      continue;
    }
    std::optional<SpawnedTask> T = spawnedTask(E, Ctx.Models);
    if (!T)
      continue;
    for (const TaskCount &C : countsOf(*T)) {
      if (inSpawner(*T, C.InTask) != W)
        continue;
      std::optional<int64_t> Times = timesRun(E, Body, Ctx.AST);
      if (!Times || C.Possible != CountFact::One)
        return; // a task whose count is not exactly one: reported elsewhere
      Known.insert(E);
      AnySpawn = true;
      Down += *Times;
      SpawnNotes.push_back(
          {E->getExprLoc(),
           (*Times == 1 ? std::string("1 task spawned here counts ")
                        : std::to_string(*Times) +
                              " tasks spawned here each count ") +
               Name + " down once"});
    }
  }
  if (!AnySpawn || Up == Down || CountedAt.isInvalid())
    return;
  // Every other mention of the WaitGroup (passed to a function, captured by
  // a lambda that is not spawned here) could count it too.
  UseFinder Uses(Ctx.Locks, W);
  Uses.TraverseStmt(const_cast<Stmt *>(Body));
  for (const Expr *U : Uses.Uses) {
    bool Covered = false;
    for (DynTypedNodeList Ps = Ctx.AST.getParents(*U); !Ps.empty() && !Covered;
         Ps = Ctx.AST.getParents(Ps[0]))
      if (const Stmt *P = Ps[0].get<Stmt>()) {
        Covered = Known.count(P);
        if (P == Body)
          break;
      }
    if (!Covered)
      return;
  }

  Finding F;
  F.CheckId = Id;
  F.Loc = CountedAt;
  auto CountDowns = [](int64_t N) {
    return std::to_string(N) + (N == 1 ? " count-down" : " count-downs");
  };
  if (Up > Down)
    F.Message = Name + " is counted up to " + std::to_string(Up) +
                " but only " + CountDowns(Down) +
                " can follow; the wait on it never returns";
  else
    F.Message = Name + " is counted up to " + std::to_string(Up) + " but " +
                CountDowns(Down) + " follow; its count goes below zero";
  for (FindingNote &N : SpawnNotes)
    F.Notes.push_back(std::move(N));
  F.Notes.push_back({Wait->getExprLoc(), "the wait on " + Name});
  Out.push_back(std::move(F));
}

//===----------------------------------------------------------------------===//
// A task that counts itself up
//===----------------------------------------------------------------------===//

WaitGroupUnpairedCheck::SelfCount
WaitGroupUnpairedCheck::selfCountOf(const SpawnedTask &T, LockId InTask) {
  SelfCount S;
  const Stmt *Body = T.Body->getBody();
  const BodySites &Inventory = sitesIn(Body);
  const auto &Sites = Inventory.Calls;
  const auto &Leaves = Inventory.Exits;
  // A task that spawns tasks of its own counts them up, not itself.
  for (const Expr *E : Sites)
    if (spawnedTask(E, Ctx.Models))
      return S;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  int64_t Added = 0, Downs = 0;
  bool AddedKnown = true, DownsKnown = Leaves.empty();
  for (const Expr *E : Sites) {
    std::optional<LockId> W;
    MatchedEffect M;
    llvm::StringRef Op = waitGroupOp(E, Ctx, W, M);
    if (Op.empty()) {
      // Anything else that may count down makes the count-downs unknown.
      if (const auto *C = dyn_cast<CallExpr>(E))
        if (const FunctionDecl *Callee = C->getDirectCallee())
          DownsKnown &= !Ctx.Dones.mayCountDown(Callee);
      continue;
    }
    if (W != InTask || Op == "wait")
      continue;
    std::optional<int64_t> N =
        amountArg(*M.Fx, splitCall(cast<CallExpr>(E)).Args, Ctx.AST, 1);
    bool Once = N && timesRun(E, Body, Ctx.AST) == 1;
    if (Op == "add") {
      S.Adds = true;
      // An Add after a return may not run.
      for (const Stmt *L : Leaves)
        Once &= !SM.isBeforeInTranslationUnit(L->getBeginLoc(), E->getBeginLoc());
      AddedKnown &= Once;
      if (Once)
        Added += *N;
    } else { // done, arrive
      DownsKnown &= Once;
      if (Once) {
        Downs += *N;
        S.DownSites.push_back({E, *N});
      }
    }
  }
  if (!S.Adds)
    return S;
  // An RAII guard or scope guard may count down too.
  class GuardFinder : public RecursiveASTVisitor<GuardFinder> {
  public:
    explicit GuardFinder(DoneSummaries &D) : D(D) {}
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitVarDecl(VarDecl *VD) {
      if (const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl())
        if (RD->hasDefinition())
          if (const CXXDestructorDecl *Dtor = RD->getDestructor())
            Found |= D.mayCountDown(Dtor);
      return !Found;
    }
    DoneSummaries &D;
    bool Found = false;
  } Guards(Ctx.Dones);
  Guards.TraverseStmt(const_cast<Stmt *>(Body));
  DownsKnown &= !Guards.Found;
  if (AddedKnown)
    S.Added = Added;
  if (DownsKnown)
    S.Downs = Downs;
  else
    S.DownSites.clear();
  return S;
}

bool WaitGroupUnpairedCheck::checkSelfCount(
    const SpawnedTask &T, LockId InTask, const SelfCount &S,
    const std::optional<FindingNote> &SpawnerAdd) {
  if (!S.Added || !S.Downs)
    return false;
  // Once for the task if its spawner counted up before spawning it (Go's
  // mistake is the Add moved into the task instead), and once per own Add.
  int64_t BySpawner = SpawnerAdd ? 1 : 0;
  int64_t Owed = BySpawner + *S.Added;
  if (*S.Downs == Owed)
    return true;
  std::string Name = quoted(Ctx.Locks.displayName(InTask));
  auto Times = [](int64_t N) {
    return N == 1 ? std::string("once") : std::to_string(N) + " times";
  };
  std::string Why =
      "counted up " + Times(Owed) + " for it (" +
      (BySpawner ? std::string("once by its spawner, ") : std::string()) +
      Times(*S.Added) + " by the task itself)";
  Finding F;
  F.CheckId = Id;
  if (*S.Downs > Owed) {
    int64_t Sum = 0;
    for (auto &[E, N] : S.DownSites) {
      Sum += N;
      if (Sum > Owed) {
        F.Loc = E->getExprLoc();
        break;
      }
    }
    F.Message = Name + " is counted down " + Times(*S.Downs) +
                " by the spawned task but " + Why +
                "; its count goes below zero and a wait may return before "
                "the other tasks finish";
  } else {
    F.Loc = T.Body->getBody()->getEndLoc();
    F.Message = "the spawned task counts " + Name + " down " +
                (*S.Downs == 0 ? std::string("never") : Times(*S.Downs)) +
                " but " + Why + "; a wait on " + Name + " then never returns";
  }
  F.Notes.push_back({T.Site->getExprLoc(), "the task is spawned here"});
  if (SpawnerAdd)
    F.Notes.push_back(*SpawnerAdd);
  Out.push_back(std::move(F));
  return true;
}

//===----------------------------------------------------------------------===//
// Count drift in a loop
//===----------------------------------------------------------------------===//

std::optional<WaitGroupUnpairedCheck::CountUp>
WaitGroupUnpairedCheck::soleCountUp(LockId W) {
  std::optional<CountUp> Found;
  unsigned Seen = 0;
  for (const Expr *E : sitesIn(CurrentEntry->getBody()).Calls) {
    std::optional<LockId> Target;
    MatchedEffect M;
    if (waitGroupOp(E, Ctx, Target, M) == "add") {
      if (Target != W)
        continue;
      ++Seen;
      CallParts Parts = splitCall(cast<CallExpr>(E));
      const Expr *Amount = M.Fx->CountArg && *M.Fx->CountArg < Parts.Args.size()
                               ? Parts.Args[*M.Fx->CountArg]
                               : nullptr;
      Found = CountUp{E, Amount, nullptr};
      continue;
    }
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (!CE)
      continue;
    M = Ctx.Models.effectOfConstruct(CE);
    if (!M || M.Fx->WaitGroupOp != "init" || !M.Fx->CountArg ||
        *M.Fx->CountArg >= CE->getNumArgs())
      continue;
    DynTypedNodeList Ps = Ctx.AST.getParents(*CE);
    const auto *VD = Ps.empty() ? nullptr : Ps[0].get<VarDecl>();
    if (!VD || variablePath(VD) != Ctx.Locks.path(W))
      continue;
    const Expr *Amount = CE->getArg(*M.Fx->CountArg);
    if (isa<CXXDefaultArgExpr>(Amount))
      continue; // a WaitGroup that starts at its default count, zero
    Expr::EvalResult R;
    if (!Amount->isValueDependent() && Amount->EvaluateAsInt(R, Ctx.AST) &&
        R.Val.getInt().isZero())
      continue;
    ++Seen;
    Found = CountUp{CE, Amount, VD};
  }
  return Seen == 1 ? Found : std::nullopt;
}

void WaitGroupUnpairedCheck::checkLoopDrift(const SpawnedTask &T) {
  const Stmt *Loop = enclosingLoop(T.Site, CurrentEntry->getBody(), Ctx.AST);
  if (!Loop)
    return;
  for (const TaskCount &C : countsOf(T)) {
    if (!(C.Possible & (CountFact::One | CountFact::Many)))
      continue;
    if (std::optional<LockId> W = inSpawner(T, C.InTask);
        W && LoopsChecked.insert({Loop, *W}).second)
      checkLoopDrift(Loop, *W);
  }
}

/// Whether Inner is Outer or inside it.
static bool within(const Stmt *Inner, const Stmt *Outer, const SourceManager &SM) {
  return !SM.isBeforeInTranslationUnit(Inner->getBeginLoc(), Outer->getBeginLoc()) &&
         !SM.isBeforeInTranslationUnit(Outer->getEndLoc(), Inner->getEndLoc());
}

/// Whether an expression is one of Sites or inside one of them (a use of a
/// WaitGroup inside a spawned lambda belongs to the spawn).
static bool partOf(const Expr *U, const llvm::DenseSet<const Stmt *> &Sites,
                   const Stmt *Body, ASTContext &AST) {
  DynTypedNode N = DynTypedNode::create(*U);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    const Stmt *S = N.get<Stmt>();
    if (S && Sites.count(S))
      return true;
    if (S == Body)
      return false;
    DynTypedNodeList Ps = AST.getParents(N);
    if (Ps.empty())
      return false;
    N = Ps[0];
  }
  return false;
}

void WaitGroupUnpairedCheck::checkLoopDrift(const Stmt *Loop, LockId W) {
  const Stmt *Body = CurrentEntry->getBody();
  const SourceManager &SM = Ctx.AST.getSourceManager();
  std::optional<TripCount> Trip = tripCountOf(Loop, Ctx.AST);
  std::optional<CountUp> Up = soleCountUp(W);
  // Counted up once, before the loop and not inside another loop that the
  // spawning loop is not part of, by the loop's trip count.
  if (!Trip || !Up || !Up->Amount ||
      !SM.isBeforeInTranslationUnit(Up->At->getEndLoc(), Loop->getBeginLoc()))
    return;
  if (const Stmt *UpLoop = enclosingLoop(Up->At, Body, Ctx.AST);
      UpLoop && !within(Loop, UpLoop, SM))
    return;
  if (!isTripCount(Up->Amount, *Trip, Body, Ctx.AST))
    return;
  const CFG *G = Ctx.CFGs.get(CurrentEntry);
  if (!G)
    return;
  CFGBlockIndex Blocks(*G, Ctx.AST);

  // What the loop does with the WaitGroup: spawn tasks that count it down,
  // or adjust it itself (a Done, an Add(-1), a helper that counts down).
  llvm::DenseSet<const CFGBlock *> Spawn, Adjust;
  llvm::DenseSet<const Stmt *> Explained{Up->At};
  const Expr *FirstSpawn = nullptr;
  for (const Expr *E : sitesIn(Body).Calls) {
    bool InLoop = within(E, Loop, SM);
    std::optional<LockId> Target;
    MatchedEffect M;
    llvm::StringRef Op = waitGroupOp(E, Ctx, Target, M);
    if (!InLoop) {
      if (Op == "wait" && Target == W)
        Explained.insert(E);
      continue;
    }
    if (std::optional<SpawnedTask> Task = spawnedTask(E, Ctx.Models)) {
      if (llvm::any_of(countsOf(*Task), [&](const TaskCount &C) {
            return inSpawner(*Task, C.InTask) == W;
          })) {
        if (const CFGBlock *B = Blocks.blockOf(E))
          Spawn.insert(B);
        Explained.insert(E);
        if (!FirstSpawn)
          FirstSpawn = E;
      }
      continue;
    }
    const auto *C = dyn_cast<CallExpr>(E);
    bool Adjusts = !Op.empty() ? Target == W
                   : C && C->getDirectCallee() &&
                         !Ctx.Dones.summaryOf(C->getDirectCallee()).empty();
    if (Adjusts)
      if (const CFGBlock *B = Blocks.blockOf(E))
        Adjust.insert(B);
  }
  if (Spawn.empty())
    return;
  // Any other mention of the WaitGroup inside the loop adjusts it; outside
  // the loop, one may count it down for the skipped iterations.
  UseFinder Uses(Ctx.Locks, W);
  Uses.TraverseStmt(const_cast<Stmt *>(Body));
  for (const Expr *U : Uses.Uses) {
    if (partOf(U, Explained, Body, Ctx.AST))
      continue;
    if (!within(U, Loop, SM))
      return;
    if (const CFGBlock *B = Blocks.blockOf(U))
      Adjust.insert(B);
  }

  LoopSkips Skips = findLoopSkips(*G, Loop, Spawn, Adjust, Ctx.AST);
  std::string Name = quoted(Ctx.Locks.displayName(W));
  std::string Counted = Name + " was counted up once for every iteration of "
                               "the loop; a wait on " + Name +
                        " then never returns";
  auto Report = [&](SourceLocation At, std::string Message) {
    Finding F;
    F.CheckId = Id;
    F.Loc = At;
    F.Message = std::move(Message);
    F.Notes.push_back(
        {Up->Var ? Up->Var->getLocation() : Up->At->getExprLoc(),
         Up->Var ? Name + " gets its count here, one for each iteration"
                 : Name + " is counted up here, once for each iteration"});
    F.Notes.push_back({FirstSpawn->getExprLoc(),
                       "the task that counts " + Name + " down is spawned here"});
    Out.push_back(std::move(F));
  };
  for (const Stmt *S : Skips.Continues)
    Report(S->getBeginLoc(), "this 'continue' skips spawning the task that "
                             "counts " + Name + " down, but " + Counted);
  if (Skips.SkippingBranch)
    Report(Skips.SkippingCondition ? Skips.SkippingCondition->getBeginLoc()
                                   : Skips.SkippingBranch->getBeginLoc(),
           "when this condition skips the spawn, the iteration spawns no task "
           "to count " + Name + " down, but " + Counted);
  for (const Stmt *S : Skips.Breaks)
    Report(S->getBeginLoc(), "this 'break' leaves the loop before the "
                             "remaining iterations spawn their tasks, but " +
                                 Counted);
}

void WaitGroupUnpairedCheck::visitCall(const CallSite &Site) {
  // A lambda replayed in place is also analysed as an entry of its own.
  if (!Site.InlinedVia.empty() || !CurrentEntry)
    return;
  if (std::optional<SpawnedTask> T = spawnedTask(Site.E, Ctx.Models)) {
    if (PathsChecked.insert(T->Body).second) {
      checkPaths(*T);
      checkAddInTask(*T);
    }
    checkLoopDrift(*T);
    return;
  }
  std::optional<LockId> W;
  MatchedEffect M;
  llvm::StringRef Op = waitGroupOp(Site.E, Ctx, W, M);
  if (Op == "wait" || Op == "arrive")
    checkTotals(cast<CallExpr>(Site.E), *W);
}

} // namespace concur
