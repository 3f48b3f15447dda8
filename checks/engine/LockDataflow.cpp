//===- LockDataflow.cpp - Lock-set dataflow over the CFG ------------------===//

#include "checks/engine/LockDataflow.h"
#include "checks/engine/AcquireSummaries.h"
#include "checks/engine/CloseSummaries.h"
#include "checks/engine/DoneSummaries.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/FlowSensitive/DataflowWorklist.h"
#include <optional>

using namespace clang;

namespace concur {

LockSetObserver::~LockSetObserver() = default;

const CFG *CFGCache::get(const FunctionDecl *FD) {
  auto [It, Inserted] = CFGs.try_emplace(FD);
  if (Inserted && FD->hasBody()) {
    CFG::BuildOptions Opts;
    Opts.AddImplicitDtors = true;
    Opts.AddTemporaryDtors = true;
    Opts.AddScopes = true;
    Opts.AddLifetime = true;
    Opts.AddInitializers = true;
    Opts.AddCXXDefaultInitExprInCtors = true;
    Opts.setAllAlwaysAdd();
    It->second = CFG::buildCFG(FD, FD->getBody(), &Ctx, Opts);
  }
  return It->second.get();
}

const LambdaExpr *lambdaOf(const Expr *E) {
  E = stripExpr(E);
  if (!E)
    return nullptr;
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->isLocalVarDecl() && VD->getInit())
        if (const auto *L = dyn_cast<LambdaExpr>(stripExpr(VD->getInit())))
          return L;
  return nullptr;
}

/// Whether a constant is zero: an integer, or a class (a std::chrono
/// duration) whose only field is zero.
static bool isZeroValue(const APValue &V) {
  if (V.isInt())
    return V.getInt().isZero();
  if (V.isFloat())
    return V.getFloat().isZero();
  if (V.isStruct() && V.getStructNumFields() == 1 && V.getStructNumBases() == 0)
    return isZeroValue(V.getStructField(0));
  return false;
}

bool isZeroTimeout(const Expr *E, const ASTContext &Ctx) {
  E = stripExpr(E);
  if (!E || E->isValueDependent())
    return false;
  // Constant evaluation covers `0`, `0ms`, `milliseconds(0)` and
  // `duration::zero()` alike.
  Expr::EvalResult R;
  if (E->isPRValue() ? E->EvaluateAsRValue(R, Ctx)
                     : E->EvaluateAsConstantExpr(R, Ctx))
    return isZeroValue(R.Val);
  return false;
}

/// The flags that make a descriptor, or one call on it, non-blocking: macros
/// (O_NONBLOCK expands to a number) or enumerators (glibc's SOCK_NONBLOCK,
/// MSG_DONTWAIT).
static bool isNonBlockingFlagName(llvm::StringRef Name) {
  return Name == "O_NONBLOCK" || Name == "O_NDELAY" ||
         Name == "SOCK_NONBLOCK" || Name == "MSG_DONTWAIT";
}

/// Whether a token comes from the expansion of a non-blocking flag macro.
static bool expandsNonBlockingFlag(SourceLocation Loc, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 8; ++Depth) {
    if (isNonBlockingFlagName(
            Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts())))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

static FlagUse nonBlockingFlagIn(const Expr *E, const ASTContext &Ctx,
                                 bool Negated) {
  if (!E)
    return FlagUse::None;
  E = E->IgnoreParenImpCasts();
  FlagUse Found = Negated ? FlagUse::Cleared : FlagUse::Set;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (isa<EnumConstantDecl>(DRE->getDecl()) &&
        isNonBlockingFlagName(DRE->getDecl()->getName()))
      return Found;
  if (isa<IntegerLiteral>(E) && expandsNonBlockingFlag(E->getBeginLoc(), Ctx))
    return Found;
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Not)
    return nonBlockingFlagIn(U->getSubExpr(), Ctx, !Negated);
  for (const Stmt *Child : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(Child))
      if (FlagUse U = nonBlockingFlagIn(CE, Ctx, Negated); U != FlagUse::None)
        return U;
  return FlagUse::None;
}

FlagUse nonBlockingFlag(const Expr *E, const ASTContext &Ctx) {
  return nonBlockingFlagIn(E, Ctx, /*Negated=*/false);
}

/// Whether an expression is the constant -1 (an invalid descriptor).
static bool isMinusOne(const Expr *E, const ASTContext &Ctx) {
  E = stripExpr(E);
  Expr::EvalResult R;
  return E && !E->isValueDependent() && E->getType()->isIntegerType() &&
         E->EvaluateAsInt(R, Ctx) && R.Val.getInt() == -1;
}

bool cannotBlockByArguments(const Effect &Fx, llvm::ArrayRef<const Expr *> Args,
                            const ASTContext &Ctx) {
  if (Fx.FlagsArg && *Fx.FlagsArg < Args.size() && !Fx.NewDescriptor &&
      !Fx.SetsDescriptorFlags &&
      nonBlockingFlag(Args[*Fx.FlagsArg], Ctx) == FlagUse::Set)
    return true;
  return Fx.DescriptorArg && *Fx.DescriptorArg < Args.size() &&
         isMinusOne(Args[*Fx.DescriptorArg], Ctx);
}

namespace {

/// Finds lock acquisitions in a body, not descending into lambdas (they are
/// entry points of their own, or replayed from their caller).
class AcquisitionFinder : public RecursiveASTVisitor<AcquisitionFinder> {
public:
  explicit AcquisitionFinder(const ModelMatcher &M) : Models(M) {}
  bool Found = false;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *C) {
    MatchedEffect M = Models.effectOfCall(C);
    if (M && (M.Fx->Lock == LockOp::Acquire ||
              M.Fx->Lock == LockOp::TryAcquire ||
              M.Fx->Lock == LockOp::AssertHeld))
      Found = true;
    if (const FunctionDecl *FD = C->getDirectCallee();
        !M && FD && FD->hasAttrs() &&
        (FD->hasAttr<AcquireCapabilityAttr>() ||
         FD->hasAttr<AssertCapabilityAttr>()))
      Found = true;
    return !Found;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    if (const TypeModel *TM = Models.constructedModel(C))
      if (TM->Kind == TypeKind::Guard)
        Found = true;
    return !Found;
  }
  /// A guard returned by a call, which a range-for's range variable may
  /// keep alive for the loop (C++23).
  bool VisitMaterializeTemporaryExpr(MaterializeTemporaryExpr *MTE) {
    if (MTE->getExtendingDecl() && isa<CallExpr>(MTE->getSubExpr()->IgnoreImplicit()))
      if (const TypeModel *TM = Models.modelForType(MTE->getType()))
        if (TM->Kind == TypeKind::Guard)
          Found = true;
    return !Found;
  }

private:
  const ModelMatcher &Models;
};

} // namespace

bool LockSetAnalysis::mayAcquireLocks(const FunctionDecl *FD) const {
  if (!FD->hasBody())
    return false;
  AcquisitionFinder F(Models);
  F.TraverseStmt(FD->getBody());
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (!F.Found && Init->getInit())
        F.TraverseStmt(Init->getInit());
  return F.Found;
}

llvm::SmallVector<LockId, 2>
LockSetAnalysis::locksOfArgument(const Expr *Arg) {
  llvm::SmallVector<LockId, 2> Out;
  const Expr *S = stripExpr(Arg);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      auto It = GuardLocks.find(VD);
      if (It != GuardLocks.end())
        return It->second;
    }
  if (std::optional<LockId> L = Locks.lockOf(Arg))
    Out.push_back(*L);
  return Out;
}

llvm::SmallVector<llvm::SmallVector<const Expr *, 2>, 2>
memberInitLockArgs(const FieldDecl *F, const ModelMatcher &Models) {
  llvm::SmallVector<llvm::SmallVector<const Expr *, 2>, 2> Out;
  const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
  if (!RD)
    return Out;
  llvm::SmallVector<const Expr *, 2> Inits;
  if (const Expr *InClass = F->getInClassInitializer())
    Inits.push_back(InClass);
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    if (const auto *Def = dyn_cast_or_null<CXXConstructorDecl>(Ctor->getDefinition()))
      for (const CXXCtorInitializer *Init : Def->inits())
        if (Init->getMember() == F && Init->getInit() &&
            !isa<CXXDefaultInitExpr>(Init->getInit()))
          Inits.push_back(Init->getInit());
  for (const Expr *InitExpr : Inits) {
    const auto *CE = dyn_cast<CXXConstructExpr>(InitExpr->IgnoreImplicit());
    MatchedEffect M = CE ? Models.effectOfConstruct(CE) : MatchedEffect();
    if (!M || (M.Fx->Lock != LockOp::Associate && M.Fx->Lock != LockOp::Acquire))
      continue;
    llvm::SmallVector<const Expr *, 2> Args;
    for (unsigned I : M.Fx->Args.Indices)
      if (I < CE->getNumArgs())
        Args.push_back(CE->getArg(I));
    Out.push_back(std::move(Args));
  }
  return Out;
}

llvm::SmallVector<LockId, 2>
LockSetAnalysis::associatedLocks(const Expr *Object) {
  const Expr *S = stripExpr(Object);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      auto It = GuardLocks.find(VD);
      if (It != GuardLocks.end())
        return It->second;
      // A global (or a local seen before this function): its initialiser.
      llvm::SmallVector<LockId, 2> Out;
      const auto *CE = VD->getInit() ? dyn_cast<CXXConstructExpr>(
                                           VD->getInit()->IgnoreImplicit())
                                     : nullptr;
      MatchedEffect M = CE ? Models.effectOfConstruct(CE) : MatchedEffect();
      if (M && (M.Fx->Lock == LockOp::Associate || M.Fx->Lock == LockOp::Acquire))
        for (unsigned I : M.Fx->Args.Indices)
          if (I < CE->getNumArgs())
            if (std::optional<LockId> L = Locks.lockOf(CE->getArg(I)))
              Out.push_back(*L);
      return Out;
    }
  llvm::SmallVector<LockId, 2> Out;
  const auto *ME = dyn_cast_or_null<MemberExpr>(S);
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  const auto *RD = F ? dyn_cast<CXXRecordDecl>(F->getParent()) : nullptr;
  if (!RD)
    return Out;
  // `bg_cv_(&mutex_)` in the class's constructor, or `cv_{&mu_}` at the
  // member: the lock, in the class's terms, moved onto the object the
  // member is reached from. When that object is a variable constructed
  // here (`Writer w(&mutex_)` with `cv(mu)`), its constructor's parameters
  // are that construction's arguments.
  const CXXConstructExpr *OwnerInit = nullptr;
  if (const auto *Base = dyn_cast<DeclRefExpr>(stripExpr(ME->getBase())))
    if (const auto *V = dyn_cast<VarDecl>(Base->getDecl()); V && V->getInit())
      OwnerInit = dyn_cast<CXXConstructExpr>(V->getInit()->IgnoreImplicit());
  auto ThroughOwner = [&](const Expr *Arg) -> std::optional<LockId> {
    const auto *P = dyn_cast_or_null<ParmVarDecl>(rootVariable(Arg));
    if (!P || !OwnerInit)
      return std::nullopt;
    const FunctionDecl *Owner = OwnerInit->getConstructor()->getDefinition();
    if (!Owner || P->getDeclContext() != Owner ||
        P->getFunctionScopeIndex() >= OwnerInit->getNumArgs() ||
        !isa<DeclRefExpr>(stripExpr(Arg)))
      return std::nullopt;
    return Locks.lockOf(OwnerInit->getArg(P->getFunctionScopeIndex()));
  };
  for (const auto &Args : memberInitLockArgs(F, Models)) {
    for (const Expr *LockArg : Args) {
      const Expr *Arg = stripExpr(LockArg);
      if (std::optional<LockId> L = ThroughOwner(Arg)) {
        Out.push_back(*L);
        continue;
      }
      std::string Path =
          Arg->getType()->isPointerType() ? pointeePath(Arg) : objectPath(Arg);
      if (std::optional<LockId> L = memberAtReceiver(
              Path, ME->getBase(), llvm::StringRef(Path).rsplit("::").second))
        Out.push_back(*L);
    }
    if (!Out.empty())
      return Out;
  }
  return Out;
}

std::optional<LockId>
LockSetAnalysis::memberAtReceiver(llvm::StringRef CalleePath,
                                  const clang::Expr *Receiver,
                                  llvm::StringRef Display) {
  if (!Receiver || !CalleePath.consume_front("*this"))
    return std::nullopt;
  std::string Base = Receiver->getType()->isPointerType()
                         ? pointeePath(Receiver)
                         : objectPath(Receiver);
  if (Base.empty())
    return std::nullopt;
  return Locks.intern(Base + CalleePath.str(), Display);
}

llvm::SmallVector<LockId, 2>
LockSetAnalysis::locksOfAttributeArgs(llvm::ArrayRef<Expr *> AttrArgs,
                                      const CallExpr *Call) {
  llvm::SmallVector<LockId, 2> Out;
  // The receiver stands for `*this` in the callee's terms.
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  if (AttrArgs.empty()) {
    if (MC)
      if (std::optional<LockId> L = Locks.lockOf(MC->getImplicitObjectArgument()))
        Out.push_back(*L);
    return Out;
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  for (const Expr *A : AttrArgs) {
    const Expr *S = stripExpr(A);
    if (const auto *U = dyn_cast<UnaryOperator>(S); U && U->getOpcode() == UO_AddrOf)
      S = stripExpr(U->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
        unsigned Idx = P->getFunctionScopeIndex();
        if (Callee && Idx < Call->getNumArgs())
          if (std::optional<LockId> L = Locks.lockOf(Call->getArg(Idx)))
            Out.push_back(*L);
        continue;
      }
    std::string Path = objectPath(S);
    std::string Display =
        isa<MemberExpr>(S)
            ? cast<MemberExpr>(S)->getMemberDecl()->getNameAsString()
            : Path;
    if (std::optional<LockId> L = memberAtReceiver(
            Path, MC ? MC->getImplicitObjectArgument() : nullptr, Display)) {
      Out.push_back(*L);
    } else if (!Path.empty() && !llvm::StringRef(Path).starts_with("*this")) {
      if (std::optional<LockId> L = Locks.lockOf(S)) // a global lock
        Out.push_back(*L);
    }
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// One function
//===----------------------------------------------------------------------===//

class LockSetAnalysis::FunctionRun {
public:
  FunctionRun(LockSetAnalysis &A, const CFG &G, LockSetObserver *Obs,
              llvm::SmallVectorImpl<const Expr *> &Via)
      : A(A), F(A.Factory), CF(A.ChannelFactory), NF(A.CountFactory), G(G),
        Obs(Obs), Via(Via), Threads(A.Ctx, A.ThreadFactory, A.ThreadHandlers) {}

  void solve(FlowState Entry);
  void replay();
  /// Replay without an observer, collecting the calls that cannot block.
  void collectCallsThatCannotBlock(llvm::SmallPtrSetImpl<const CallExpr *> &Out) {
    CannotBlockOut = &Out;
    replay();
    CannotBlockOut = nullptr;
  }
  std::vector<ExitPath> exits(bool IncludeThrows = false);

private:
  using Effects = llvm::SmallVector<LockId, 2>;

  FlowState transferBlock(const CFGBlock *B, FlowState S, bool Report);
  FlowState transferStmt(const Stmt *St, FlowState S, bool Report);
  FlowState transferCall(const CallExpr *C, FlowState S, bool Report);
  LockSet transferLocks(const CallExpr *C, const FunctionDecl *Callee,
                        MatchedEffect M, const Expr *Receiver,
                        llvm::ArrayRef<const Expr *> Args, LockSet S);
  ChannelSet transferChannels(const CallExpr *C, ChannelSet S);
  ChannelSet forgetObject(llvm::StringRef Path, ChannelSet S);
  CountSet transferCounts(const CallExpr *C, const FunctionDecl *Callee,
                          MatchedEffect M, const Expr *Receiver,
                          llvm::ArrayRef<const Expr *> Args, CountSet S);
  CountSet transferDestructor(const VarDecl *VD, SourceLocation Loc,
                              CountSet S);
  CountSet countDown(CountSet S, LockId Id, uint8_t Amount, SourceLocation Loc,
                     const FunctionDecl *Via);
  std::optional<LockId> countedObject(const Expr *E);
  std::optional<LockId> flagSetWithClose() const;
  LockSet transferAttributes(const CallExpr *C, const FunctionDecl *Callee,
                             LockSet S);
  LockSet transferGuardDecl(const VarDecl *VD, const CXXConstructExpr *CE,
                            LockSet S);
  LockSet releaseGuard(const VarDecl *Guard, LockSet S);
  LockSet transferExtendedGuards(const VarDecl *VD, const Expr *Init,
                                 LockSet S);
  llvm::SmallVector<LockId, 2> locksOfReturnedGuard(const CallExpr *C,
                                                    MatchedEffect &M);
  LockSet releaseByHand(LockSet S, llvm::ArrayRef<LockId> Ids);
  LockSet joinLocks(LockSet A, LockSet B);
  bool isUncheckedTry(const CallExpr *C, llvm::ArrayRef<LockId> Ids);
  bool releasesAny(const Stmt *St, llvm::ArrayRef<LockId> Ids);
  bool releasedAfter(const CallExpr *C, llvm::ArrayRef<LockId> Ids);
  LockSet assertHeld(LockSet S, llvm::ArrayRef<LockId> Ids, LockMode Mode,
                     SourceLocation Loc);
  LockSet acquire(LockSet S, llvm::ArrayRef<LockId> Ids, LockMode Mode,
                  SourceLocation Loc, const VarDecl *Guard, bool Tried,
                  bool IsTry = false);
  void reportAcquire(const LockSet &Before, LockId Id, LockMode Mode,
                     SourceLocation Loc, bool IsTry);
  FlowState edgeState(const CFGBlock *Pred, const CFGBlock *Succ);
  FlowState refine(const Expr *Cond, bool Value, FlowState S);
  LockSet refineLocks(const Expr *Cond, bool Value, LockSet S);
  ChannelSet refineChannels(const Expr *Cond, bool Value, ChannelSet S);
  std::optional<FlowState> join(std::optional<FlowState> A, const FlowState &B);
  void inlineLambda(const LambdaExpr *L, const Expr *Via, const FlowState &S);
  void report(const Expr *E, const FunctionDecl *Callee, MatchedEffect M,
              const FlowState &S, Effects Released,
              bool ReleasesUnknown = false, bool CannotBlock = false,
              Effects Unlocks = {});
  DescriptorSet transferDescriptors(const Stmt *St, DescriptorSet S);
  std::optional<DescriptorFact> descriptorValue(const Expr *RHS,
                                                const DescriptorSet &S);
  DescriptorSet joinDescriptors(DescriptorSet A, const DescriptorSet &B);
  bool cannotBlock(MatchedEffect M, llvm::ArrayRef<const Expr *> Args,
                   const DescriptorSet &S);
  const VarDecl *guardVar(const Expr *E) const;
  llvm::SmallVector<LockId, 2> lockArgs(const LockArgs &Args,
                                        llvm::ArrayRef<const Expr *> CallArgs,
                                        const Expr *Receiver);

  LockSetAnalysis &A;
  LockSet::Factory &F;
  ChannelSet::Factory &CF;
  CountSet::Factory &NF;
  const CFG &G;
  LockSetObserver *Obs;
  llvm::SmallVectorImpl<const Expr *> &Via;
  ThreadTransfer Threads;
  llvm::DenseMap<const CFGBlock *, FlowState> In, Out;
  const CFGBlock *CurrentBlock = nullptr;
  /// Calls whose result says whether they took their locks: try-locks, and
  /// C lock functions that report a failure (`pthread_mutex_lock`); which
  /// locks, and whether 0 means success.
  llvm::DenseMap<const Expr *, std::pair<Effects, bool>> TryCalls;
  /// owns_lock() / operator bool calls, by the guard they query.
  llvm::DenseMap<const Expr *, const VarDecl *> OwnsQueries;
  /// Try-lock calls whose result nobody tests, and whether an unlock of
  /// their lock follows them (then the code assumes the lock is held).
  llvm::DenseMap<const CallExpr *, bool> UncheckedTries;
  llvm::SmallPtrSetImpl<const CallExpr *> *CannotBlockOut = nullptr;
  /// While replaying for the observer: the statement being transferred,
  /// for the acquisitions it makes.
  bool Reporting = false;
  const Stmt *CurrentStmt = nullptr;
};

LockSet LockSetAnalysis::FunctionRun::acquire(LockSet S,
                                              llvm::ArrayRef<LockId> Ids,
                                              LockMode Mode, SourceLocation Loc,
                                              const VarDecl *Guard,
                                              bool Tried, bool IsTry) {
  if (Reporting && Obs)
    for (LockId Id : Ids)
      reportAcquire(S, Id, Mode, Loc, Tried || IsTry);
  for (LockId Id : Ids) {
    // A recursive mutex the thread holds already: one more hold.
    if (const LockFact *Old = S.lookup(Id);
        Old && Old->held() && A.RecursiveLocks.count(Id)) {
      S = F.add(S, Id, Old->reacquired(Guard));
      continue;
    }
    LockFact Fact;
    Fact.Mode = Mode;
    Fact.Acquired = Loc;
    Fact.Guard = Guard;
    Fact.Tried = Tried;
    S = F.add(S, Id, Fact);
  }
  return S;
}

void LockSetAnalysis::FunctionRun::reportAcquire(const LockSet &Before,
                                                 LockId Id, LockMode Mode,
                                                 SourceLocation Loc,
                                                 bool IsTry) {
  AcquireSite Site(Before);
  Site.S = CurrentStmt;
  Site.Loc = Loc;
  Site.Lock = Id;
  Site.Mode = Mode;
  Site.Try = IsTry;
  Site.Recursive = A.RecursiveLocks.count(Id);
  Site.InlinedVia = Via;
  Obs->visitAcquire(Site);
}

LockSet LockSetAnalysis::FunctionRun::releaseByHand(LockSet S,
                                                    llvm::ArrayRef<LockId> Ids) {
  for (LockId Id : Ids)
    if (const LockFact *Fact = S.lookup(Id)) {
      if (std::optional<LockFact> Left = Fact->releasedBy(nullptr))
        S = F.add(S, Id, *Left);
      else
        S = F.remove(S, Id);
    }
  return S;
}

LockSet LockSetAnalysis::FunctionRun::assertHeld(LockSet S,
                                                 llvm::ArrayRef<LockId> Ids,
                                                 LockMode Mode,
                                                 SourceLocation Loc) {
  // Held from here on, as the assertion says; an existing fact (where the
  // lock was really taken) is kept.
  for (LockId Id : Ids)
    if (!S.lookup(Id)) {
      LockFact Fact;
      Fact.Mode = Mode;
      Fact.Acquired = Loc;
      Fact.Asserted = true;
      S = F.add(S, Id, Fact);
    }
  return S;
}

namespace {
/// The guard temporaries whose lifetime a variable extends beyond its
/// initialiser's full-expression, other than the one it binds directly: in
/// C++23 every temporary of a range-for's range expression (P2718), as
/// Sema records it on each MaterializeTemporaryExpr.
void extendedTemporaries(const Stmt *S, const VarDecl *VD,
                         llvm::SmallVectorImpl<const Expr *> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(S);
      MTE && MTE->getExtendingDecl() == VD)
    Out.push_back(MTE->getSubExpr()->IgnoreImplicit());
  for (const Stmt *Child : S->children())
    extendedTemporaries(Child, VD, Out);
}
} // namespace

LockSet LockSetAnalysis::FunctionRun::transferExtendedGuards(const VarDecl *VD,
                                                             const Expr *Init,
                                                             LockSet S) {
  llvm::SmallVector<const Expr *, 2> Temps;
  extendedTemporaries(Init, VD, Temps);
  for (const Expr *T : Temps) {
    // The one bound directly (`for (x : Guard(mu))`) is handled as any
    // guard variable; a temporary inside the expression is not.
    if (T == Init->IgnoreImplicit())
      continue;
    MatchedEffect M;
    Effects Ids;
    SourceLocation Loc = T->getBeginLoc();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(T)) {
      const TypeModel *TM = A.Models.constructedModel(CE);
      if (!TM || TM->Kind != TypeKind::Guard)
        continue;
      M = A.Models.effectOfConstruct(CE);
      if (!M)
        continue;
      llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
      Ids = lockArgs(M.Fx->Args, Args, nullptr);
    } else if (const auto *C = dyn_cast<CallExpr>(T)) {
      Ids = locksOfReturnedGuard(C, M); // a locking accessor
      Loc = C->getExprLoc();
    }
    if (Ids.empty() || !M || M.Fx->Lock != LockOp::Acquire)
      continue;
    A.GuardLocks[VD].append(Ids.begin(), Ids.end());
    A.GuardModes[VD] = M.mode();
    A.ExtendingGuards.insert(VD);
    S = acquire(S, Ids, M.mode(), Loc, VD, /*Tried=*/false);
  }
  return S;
}

/// The locks held by the guard a call returns by value: the callee's
/// `return Guard(args)` with its lock arguments in the caller's terms (a
/// member of the object it is called on, a global, a parameter).
llvm::SmallVector<LockId, 2>
LockSetAnalysis::FunctionRun::locksOfReturnedGuard(const CallExpr *C,
                                                   MatchedEffect &M) {
  llvm::SmallVector<LockId, 2> Ids;
  const FunctionDecl *Callee = C->getDirectCallee();
  const FunctionDecl *Def = nullptr;
  const TypeModel *TM = A.Models.modelForType(C->getType());
  if (!Callee || !TM || TM->Kind != TypeKind::Guard ||
      !Callee->hasBody(Def) || !Def)
    return Ids;
  const auto *Body = dyn_cast<CompoundStmt>(Def->getBody());
  if (!Body)
    return Ids;
  // One return of a guard constructed in place, the accessor's whole job.
  for (const Stmt *St : Body->body()) {
    const auto *Ret = dyn_cast<ReturnStmt>(St);
    const Expr *Value = Ret ? Ret->getRetValue() : nullptr;
    const auto *CE =
        Value ? dyn_cast<CXXConstructExpr>(stripExpr(Value)) : nullptr;
    if (!CE)
      continue;
    M = A.Models.effectOfConstruct(CE);
    if (!M)
      return Ids;
    for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
      if (!(M.Fx->Args.All && !A.Models.isTagArgument(CE->getArg(I))) &&
          !llvm::is_contained(M.Fx->Args.Indices, I))
        continue;
      if (std::optional<SummaryLock> L =
              AcquireSummaries::nameForCallers(CE->getArg(I)))
        if (std::optional<LockId> Id =
                AcquireSummaries::atCall(*L, C, A, A.Locks))
          Ids.push_back(*Id);
    }
    return Ids;
  }
  return Ids;
}

LockSet LockSetAnalysis::FunctionRun::releaseGuard(const VarDecl *Guard,
                                                   LockSet S) {
  LockSet Before = S; // iterate a snapshot: S's old tree may be recycled
  for (auto &KV : Before)
    if (KV.second.heldBy(Guard)) {
      if (std::optional<LockFact> Left = KV.second.releasedBy(Guard))
        S = F.add(S, KV.first, *Left);
      else
        S = F.remove(S, KV.first);
    }
  return S;
}

const VarDecl *LockSetAnalysis::FunctionRun::guardVar(const Expr *E) const {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripExpr(E)))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (A.GuardLocks.count(VD))
        return VD;
  return nullptr;
}

llvm::SmallVector<LockId, 2> LockSetAnalysis::FunctionRun::lockArgs(
    const LockArgs &Args, llvm::ArrayRef<const Expr *> CallArgs,
    const Expr *Receiver) {
  llvm::SmallVector<LockId, 2> Ids;
  auto Add = [&](const Expr *E) {
    if (std::optional<LockId> L = A.Locks.lockOf(E)) {
      Ids.push_back(*L);
      if (A.Models.isRecursiveLock(E))
        A.RecursiveLocks.insert(*L);
    }
  };
  if (Args.isReceiver()) {
    if (Receiver)
      Add(Receiver);
  } else if (Args.All) {
    for (const Expr *E : CallArgs)
      if (!A.Models.isTagArgument(E)) // std::adopt_lock is not a lock
        Add(E);
  } else {
    for (unsigned I : Args.Indices)
      if (I < CallArgs.size())
        Add(CallArgs[I]);
  }
  return Ids;
}

LockSet LockSetAnalysis::FunctionRun::transferGuardDecl(
    const VarDecl *VD, const CXXConstructExpr *CE, LockSet S) {
  if (CE->getConstructor()->isCopyOrMoveConstructor() &&
      CE->getNumArgs() == 1) {
    // `unique_lock b(std::move(a))`: b takes over a's locks.
    const Expr *Arg = CE->getArg(0);
    if (const auto *Move = dyn_cast<CallExpr>(stripExpr(Arg)))
      if (Move->getNumArgs() == 1 && Move->getDirectCallee() &&
          Move->getDirectCallee()->getName() == "move")
        Arg = Move->getArg(0);
    if (const VarDecl *From = guardVar(Arg)) {
      A.GuardLocks[VD] = A.GuardLocks[From];
      A.GuardModes[VD] = A.GuardModes[From];
      LockSet Before = S;
      for (auto &KV : Before)
        if (KV.second.heldBy(From))
          S = F.add(S, KV.first, KV.second.handedOver(From, VD));
    }
    return S;
  }
  MatchedEffect M = A.Models.effectOfConstruct(CE);
  if (!M)
    return S;
  llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
  Effects Ids = lockArgs(M.Fx->Args, Args, nullptr);
  A.GuardLocks[VD] = Ids;
  LockMode Mode = M.modeAt(Args, A.Ctx);
  A.GuardModes[VD] = Mode;
  SourceLocation Loc = VD->getLocation();
  switch (M.Fx->Lock) {
  case LockOp::Acquire:
    return acquire(S, Ids, Mode, Loc, VD, /*Tried=*/false);
  case LockOp::TryAcquire:
    return acquire(S, Ids, Mode, Loc, VD, /*Tried=*/true);
  case LockOp::Adopt:
    for (LockId Id : Ids) {
      const LockFact *Old = S.lookup(Id);
      LockFact Fact = Old ? *Old : LockFact{Mode, Loc, VD, false};
      Fact.Guard = VD;
      S = F.add(S, Id, Fact);
    }
    return S;
  default:
    return S;
  }
}

void LockSetAnalysis::FunctionRun::report(const Expr *E,
                                          const FunctionDecl *Callee,
                                          MatchedEffect M, const FlowState &S,
                                          Effects Released,
                                          bool ReleasesUnknown,
                                          bool CannotBlock, Effects Unlocks) {
  if (CannotBlock && CannotBlockOut)
    if (const auto *Call = dyn_cast<CallExpr>(E))
      CannotBlockOut->insert(Call);
  if (!Obs)
    return;
  CallSite Site(S.Held, S.Closed);
  Site.E = E;
  Site.Callee = Callee;
  Site.Model = M;
  Site.ReleasedWhileBlocked = std::move(Released);
  Site.ReleasesUnknownLock = ReleasesUnknown;
  Site.Unlocks.assign(Unlocks.begin(), Unlocks.end());
  Site.CannotBlock = CannotBlock;
  Site.InlinedVia.append(Via.begin(), Via.end());
  Obs->visitCall(Site);
}

/// Lambdas called in place are followed as deep as they nest (clang's
/// bracket depth bounds that); this bounds only the stack, should a lambda
/// re-enter itself by a path the cycle check below misses.
static constexpr unsigned MaxInlinedLambdas = 64;
/// Runs replayed under one outermost call of a lambda: a lambda called
/// twice by one called twice by ... would otherwise cost 2^depth.
static constexpr unsigned MaxInlinedRuns = 1024;

void LockSetAnalysis::FunctionRun::inlineLambda(const LambdaExpr *L,
                                                const Expr *At,
                                                const FlowState &S) {
  // Per thread: the driver analyses files in parallel.
  static thread_local unsigned InlinedRuns = 0;
  if (Via.empty())
    InlinedRuns = 0;
  if (!Obs || Via.size() >= MaxInlinedLambdas || ++InlinedRuns > MaxInlinedRuns)
    return;
  for (const Expr *V : Via)
    if (V == At)
      return; // a lambda that calls itself through a capture
  Via.push_back(At);
  A.run(L->getCallOperator(), S, Obs, Via);
  Via.pop_back();
}

FlowState LockSetAnalysis::FunctionRun::transferCall(const CallExpr *C,
                                                     FlowState S, bool Report) {
  const FunctionDecl *Callee = C->getDirectCallee();

  // A lambda called in place runs with the caller's locks.
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee))
    if (MD->getParent()->isLambda()) {
      if (Report) {
        const Expr *Obj = nullptr;
        if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C))
          Obj = Op->getArg(0);
        else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
          Obj = MC->getImplicitObjectArgument();
        if (const LambdaExpr *L = lambdaOf(Obj))
          inlineLambda(L, C, S);
      }
      if (A.TrackCounts)
        S.Counts = transferCounts(C, Callee, {}, nullptr, {}, S.Counts);
      return S;
    }

  MatchedEffect M = A.Models.effectOfCall(C);
  CallParts Parts = splitCall(C);
  const Expr *Receiver = Parts.Receiver;
  llvm::ArrayRef<const Expr *> Args = Parts.Args;

  if (Report) {
    Effects Released;
    bool ReleasesUnknown = false;
    if (M) {
      if (M.Fx->ReleasesArg && *M.Fx->ReleasesArg < Args.size())
        Released = A.locksOfArgument(Args[*M.Fx->ReleasesArg]);
      // A condition variable releases the lock it was given; a lock's own
      // wait (absl::Mutex::Await) releases the lock itself.
      if (M.Fx->ReleasesThis && Receiver) {
        if (M.Type && M.Type->Kind == TypeKind::ConditionVariable) {
          Released = A.associatedLocks(Receiver);
          ReleasesUnknown = Released.empty();
        } else if (std::optional<LockId> L = A.Locks.lockOf(Receiver))
          Released.push_back(*L);
      }
    }
    Effects Unlocks;
    if (M && M.Fx->Lock == LockOp::Release &&
        !(M.Type && M.Type->Kind == TypeKind::Guard))
      Unlocks = lockArgs(M.Fx->Args, Args, Receiver);
    report(C, Callee, M, S, Released, ReleasesUnknown,
           cannotBlock(M, Args, S.Descriptors), Unlocks);
    // A wait predicate runs with the wait's lock held.
    if (M && M.Fx->PredicateArg && *M.Fx->PredicateArg < Args.size())
      if (const LambdaExpr *L = lambdaOf(Args[*M.Fx->PredicateArg]))
        inlineLambda(L, C, S);
  }
  S.Held = transferLocks(C, Callee, M, Receiver, Args, S.Held);
  S.Closed = transferChannels(C, S.Closed);
  S.Descriptors = transferDescriptors(C, S.Descriptors);
  if (A.TrackCounts)
    S.Counts = transferCounts(C, Callee, M, Receiver, Args, S.Counts);
  return S;
}

/// The interned WaitGroup an expression names, remembering the variable
/// its path starts from (for summaries: a parameter, a local, a capture).
std::optional<LockId>
LockSetAnalysis::FunctionRun::countedObject(const Expr *E) {
  std::optional<LockId> Id = A.Locks.lockOf(E);
  if (Id)
    if (const VarDecl *Root = rootVariable(E))
      A.CountRoots.try_emplace(*Id, Root);
  return Id;
}

CountSet LockSetAnalysis::FunctionRun::countDown(CountSet S, LockId Id,
                                                 uint8_t Amount,
                                                 SourceLocation Loc,
                                                 const FunctionDecl *Via) {
  CountFact Fact;
  if (const CountFact *Old = S.lookup(Id))
    Fact = *Old;
  uint8_t Before = Fact.Possible;
  Fact.Possible = addCounts(Before, Amount);
  if (Fact.FirstAt.isInvalid() && (Amount & ~CountFact::Zero)) {
    Fact.FirstAt = Loc;
    Fact.FirstVia = Via;
  }
  if ((Fact.Possible & CountFact::Many) && Fact.ExtraAt.isInvalid()) {
    Fact.ExtraAt = Loc;
    Fact.ExtraVia = Via;
  }
  return NF.add(S, Id, Fact);
}

/// The amount a count-down takes off: 1, a constant argument, or unknown.
static uint8_t amountOf(const Effect &Fx, llvm::ArrayRef<const Expr *> Args,
                        const ASTContext &Ctx) {
  if (!Fx.CountArg || *Fx.CountArg >= Args.size())
    return CountFact::One;
  const Expr *E = Args[*Fx.CountArg];
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->EvaluateAsInt(R, Ctx))
    return CountFact::One | CountFact::Unknown;
  int64_t N = R.Val.getInt().getExtValue();
  if (N <= 0)
    return N == 0 ? CountFact::Zero : CountFact::Zero | CountFact::Unknown;
  return N == 1 ? CountFact::One : CountFact::Many;
}

CountSet LockSetAnalysis::FunctionRun::transferCounts(
    const CallExpr *C, const FunctionDecl *Callee, MatchedEffect M,
    const Expr *Receiver, llvm::ArrayRef<const Expr *> Args, CountSet S) {
  SourceLocation Loc = C->getExprLoc();
  if (M) {
    if ((M.Fx->WaitGroupOp == "done" || M.Fx->WaitGroupOp == "arrive") &&
        Receiver)
      if (std::optional<LockId> Id = countedObject(Receiver))
        return countDown(S, *Id, amountOf(*M.Fx, Args, A.Ctx), Loc, nullptr);
    return S;
  }
  if (!Callee || !A.Dones)
    return S;
  const DoneSummary &Sum = A.Dones->summaryOf(Callee);
  for (const DoneEffect &Fx : Sum.Effects) {
    std::optional<LockId> Target;
    switch (Fx.Owner) {
    case CountOwner::Param:
      if (Fx.Param < Args.size())
        Target = countedObject(Args[Fx.Param]);
      break;
    case CountOwner::Member: {
      llvm::StringRef Path = Fx.Path;
      bool Deref = Path.consume_front("*");
      if (std::optional<LockId> Base =
              A.memberAtReceiver(Path, Receiver,
                                 Path.rsplit("::").second.split('@').first)) {
        Target = Deref ? A.Locks.intern("*" + A.Locks.path(*Base).str(),
                                        A.Locks.displayName(*Base))
                       : *Base;
        if (const VarDecl *Root = rootVariable(Receiver))
          A.CountRoots.try_emplace(*Target, Root);
      }
      break;
    }
    case CountOwner::Outside:
      Target = Fx.Id;
      break;
    case CountOwner::Local:
      break;
    }
    if (Target)
      S = countDown(S, *Target, Fx.Possible, Loc, Callee);
  }
  return S;
}

/// The object a field of a local variable refers to, for the fields its
/// constructor binds to an argument (`DoneGuard g(wg)` with
/// `wg_(wg)` or `wg_(&wg)`) or that aggregate initialisation sets.
static std::string boundFieldObject(const VarDecl *VD, const FieldDecl *Field) {
  const Expr *Init = VD->getInit() ? stripExpr(VD->getInit()) : nullptr;
  auto ObjectOf = [](const Expr *E, bool ThroughPointer) {
    return ThroughPointer ? pointeePath(E) : objectPath(E);
  };
  if (const auto *IL = dyn_cast_or_null<InitListExpr>(Init)) {
    unsigned I = Field->getFieldIndex();
    if (I < IL->getNumInits())
      return ObjectOf(IL->getInit(I), Field->getType()->isPointerType());
    return "";
  }
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init);
  if (!CE)
    return "";
  for (const CXXCtorInitializer *CI : CE->getConstructor()->inits()) {
    if (CI->getMember() != Field || !CI->getInit())
      continue;
    const Expr *E = stripExpr(CI->getInit());
    bool ThroughPointer = Field->getType()->isPointerType();
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf) {
      E = stripExpr(U->getSubExpr());
      ThroughPointer = false;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!P || P->getFunctionScopeIndex() >= CE->getNumArgs())
      return "";
    return ObjectOf(CE->getArg(P->getFunctionScopeIndex()), ThroughPointer);
  }
  return "";
}

/// A local object's destructor: an RAII guard that calls Done, or a scope
/// guard that runs a lambda calling it. A destructor that counts down on
/// some of its paths is taken to count down: those paths are a guard
/// dismissed on purpose (`if (active_) f_();`).
CountSet LockSetAnalysis::FunctionRun::transferDestructor(const VarDecl *VD,
                                                          SourceLocation Loc,
                                                          CountSet S) {
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || !A.Dones || VD->getType()->isReferenceType())
    return S;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor)
    return S;
  const DoneSummary &Sum = A.Dones->summaryOf(Dtor);
  for (const DoneEffect &Fx : Sum.Effects) {
    uint8_t Amount = Fx.Possible;
    if (Amount & (CountFact::One | CountFact::Many))
      Amount &= ~CountFact::Zero;
    std::optional<LockId> Target;
    if (Fx.Owner == CountOwner::Outside) {
      Target = Fx.Id;
    } else if (Fx.Owner == CountOwner::Member) {
      // "*this.C::wg_" or "**this.C::wg_" (through a pointer member).
      llvm::StringRef Path = Fx.Path;
      if (Path.starts_with("**"))
        Path = Path.drop_front(1);
      Path.consume_front("*this.");
      auto [Head, Rest] = Path.split('.');
      std::string Object;
      for (const FieldDecl *FD : RD->fields())
        if (variablePath(FD) == Head) {
          bool Indirect = FD->getType()->isReferenceType() ||
                          FD->getType()->isPointerType();
          Object = Indirect ? boundFieldObject(VD, FD)
                            : variablePath(VD) + "." + Head.str();
        }
      if (!Object.empty()) {
        std::string Full = Rest.empty() ? Object : Object + "." + Rest.str();
        Target = A.Locks.intern(Full, Head.rsplit("::").second);
        A.CountRoots.try_emplace(*Target, VD);
      }
    }
    if (Target)
      S = countDown(S, *Target, Amount, Loc, Dtor);
  }
  return S;
}

LockSet LockSetAnalysis::FunctionRun::transferLocks(
    const CallExpr *C, const FunctionDecl *Callee, MatchedEffect M,
    const Expr *Receiver, llvm::ArrayRef<const Expr *> Args, LockSet S) {
  if (!M && Callee)
    return transferAttributes(C, Callee, S);
  if (!M || M.Fx->Lock == LockOp::None)
    return S;

  const Effect &Fx = *M.Fx;
  LockMode Mode = M.mode();
  SourceLocation Loc = C->getExprLoc();
  const VarDecl *Guard =
      (M.Type && M.Type->Kind == TypeKind::Guard) ? guardVar(Receiver) : nullptr;
  if (Guard) {
    // An operation on a guard acts on the locks it was constructed with.
    Effects Ids = A.GuardLocks.lookup(Guard);
    LockMode GMode = A.GuardModes.lookup(Guard);
    switch (Fx.Lock) {
    case LockOp::Acquire:
      return acquire(S, Ids, GMode, Loc, Guard, false);
    case LockOp::TryAcquire:
      if (isUncheckedTry(C, Ids))
        return acquire(S, Ids, GMode, Loc, Guard, false, /*IsTry=*/true);
      TryCalls[C] = {Ids, Fx.SuccessIsZero};
      return acquire(S, Ids, GMode, Loc, Guard, true);
    case LockOp::Release:
      return releaseGuard(Guard, S);
    case LockOp::Disown: {
      LockSet Before = S;
      for (auto &KV : Before)
        if (KV.second.heldBy(Guard))
          S = F.add(S, KV.first, KV.second.handedOver(Guard, nullptr));
      return S;
    }
    case LockOp::Owns:
      OwnsQueries[C] = Guard;
      return S;
    default:
      return S;
    }
  }
  if (M.Type && M.Type->Kind == TypeKind::Guard)
    return S; // a guard we cannot follow (a parameter, a member)

  Effects Ids = lockArgs(Fx.Args, Args, Receiver);
  switch (Fx.Lock) {
  case LockOp::Acquire:
    // A C lock function reports failure by a nonzero result (an error
    // number, or not thrd_success): after `if (pthread_mutex_lock(&m))
    // throw ...;` the branch that throws does not hold the lock. The
    // acquisition itself still blocks: it is not a try.
    if (!isa<CXXMemberCallExpr>(C) && C->getType()->isIntegerType() &&
        !C->getType()->isBooleanType())
      TryCalls[C] = {Ids, /*SuccessIsZero=*/true};
    return acquire(S, Ids, Mode, Loc, nullptr, false);
  case LockOp::AssertHeld:
    return assertHeld(S, Ids, Mode, Loc);
  case LockOp::TryAcquire:
    if (isUncheckedTry(C, Ids))
      return acquire(S, Ids, Mode, Loc, nullptr, false, /*IsTry=*/true);
    TryCalls[C] = {Ids, Fx.SuccessIsZero};
    return acquire(S, Ids, Mode, Loc, nullptr, true);
  case LockOp::Release:
    return releaseByHand(S, Ids);
  default:
    return S;
  }
}

//===----------------------------------------------------------------------===//
// Descriptors
//===----------------------------------------------------------------------===//

/// What assigning RHS makes a descriptor variable: -1, a new descriptor
/// opened non-blocking (open, socket, accept4 with the flag), or a copy of
/// another known descriptor; std::nullopt for anything else.
std::optional<DescriptorFact>
LockSetAnalysis::FunctionRun::descriptorValue(const Expr *RHS,
                                              const DescriptorSet &S) {
  if (!RHS)
    return std::nullopt;
  if (isMinusOne(RHS, A.Ctx))
    return DescriptorFact{DescriptorFact::Invalid};
  const Expr *E = stripExpr(RHS);
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E)) {
    MatchedEffect M = A.Models.effectOfCall(Call);
    if (!M || !M.Fx->NewDescriptor || !M.Fx->FlagsArg)
      return std::nullopt;
    CallParts Parts = splitCall(Call);
    if (*M.Fx->FlagsArg < Parts.Args.size() &&
        nonBlockingFlag(Parts.Args[*M.Fx->FlagsArg], A.Ctx) == FlagUse::Set)
      return DescriptorFact{DescriptorFact::NonBlocking};
    return std::nullopt;
  }
  if (isa_and_nonnull<DeclRefExpr>(E) || isa_and_nonnull<MemberExpr>(E))
    if (std::optional<LockId> Id = A.Locks.lockOf(E))
      if (const DescriptorFact *Known = S.lookup(*Id))
        return *Known;
  return std::nullopt;
}

/// Declarations and assignments of integer variables, and fcntl(F_SETFL).
DescriptorSet
LockSetAnalysis::FunctionRun::transferDescriptors(const Stmt *St,
                                                  DescriptorSet S) {
  DescriptorSet::Factory &DF = A.DescriptorFactory;
  auto Assign = [&](std::optional<LockId> Id, const Expr *RHS) {
    if (!Id)
      return;
    if (std::optional<DescriptorFact> V = descriptorValue(RHS, S))
      S = DF.add(S, *Id, *V);
    else
      S = DF.remove(S, *Id);
  };
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D);
          VD && VD->getInit() && VD->getType()->isIntegerType())
        Assign(A.Locks.intern(variablePath(VD), VD->getName()), VD->getInit());
    return S;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->isAssignmentOp() && BO->getLHS()->getType()->isIntegerType()) {
      if (BO->getOpcode() == BO_Assign)
        Assign(A.Locks.lockOf(BO->getLHS()), BO->getRHS());
      else if (!S.isEmpty())
        Assign(A.Locks.lockOf(BO->getLHS()), nullptr);
    }
    return S;
  }
  const auto *Call = dyn_cast<CallExpr>(St);
  MatchedEffect M = Call ? A.Models.effectOfCall(Call) : MatchedEffect();
  if (!M || !M.Fx->SetsDescriptorFlags || !M.Fx->FlagsArg ||
      !M.Fx->DescriptorArg)
    return S;
  CallParts Parts = splitCall(Call);
  if (*M.Fx->DescriptorArg >= Parts.Args.size() ||
      *M.Fx->FlagsArg >= Parts.Args.size())
    return S;
  std::optional<LockId> Fd = A.Locks.lockOf(Parts.Args[*M.Fx->DescriptorArg]);
  if (!Fd)
    return S;
  switch (nonBlockingFlag(Parts.Args[*M.Fx->FlagsArg], A.Ctx)) {
  case FlagUse::Set:
    return DF.add(S, *Fd, DescriptorFact{DescriptorFact::NonBlocking});
  case FlagUse::Cleared:
    return DF.remove(S, *Fd);
  case FlagUse::None:
    return S;
  }
  return S;
}

/// Descriptors: known on every path, the same way (intersection).
DescriptorSet
LockSetAnalysis::FunctionRun::joinDescriptors(DescriptorSet X,
                                              const DescriptorSet &Y) {
  DescriptorSet R = X;
  for (auto &KV : X)
    if (const DescriptorFact *Other = Y.lookup(KV.first);
        !Other || !(*Other == KV.second))
      R = A.DescriptorFactory.remove(R, KV.first);
  return R;
}

/// A call that may block by its model but not here: its flags or its
/// descriptor say it returns at once.
bool LockSetAnalysis::FunctionRun::cannotBlock(MatchedEffect M,
                                               llvm::ArrayRef<const Expr *> Args,
                                               const DescriptorSet &S) {
  if (!M || M.Fx->Block == BlockKind::None)
    return false;
  if (cannotBlockByArguments(*M.Fx, Args, A.Ctx))
    return true;
  if (!M.Fx->DescriptorArg || *M.Fx->DescriptorArg >= Args.size() ||
      S.isEmpty())
    return false;
  std::optional<LockId> Fd = A.Locks.lockOf(Args[*M.Fx->DescriptorArg]);
  return Fd && S.lookup(*Fd);
}

/// Whether an expression's value is thrown away: a statement of its own, or
/// cast to void.
static bool resultDiscarded(const Expr *E, ASTContext &Ctx) {
  const Stmt *Cur = E;
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Cur);
    if (Parents.size() != 1)
      return false;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P)
      return false;
    if (const auto *Cast = dyn_cast<CastExpr>(P)) {
      if (Cast->getType()->isVoidType())
        return true;
      if (isa<ImplicitCastExpr>(Cast)) {
        Cur = P;
        continue;
      }
      return false;
    }
    if (isa<ExprWithCleanups>(P) || isa<ParenExpr>(P)) {
      Cur = P;
      continue;
    }
    return isa<CompoundStmt>(P) || isa<LabelStmt>(P) || isa<SwitchCase>(P);
  }
  return false;
}

/// Whether a statement is a call that releases one of Ids by hand (an
/// unlock of the lock, or of the guard that holds it).
bool LockSetAnalysis::FunctionRun::releasesAny(const Stmt *St,
                                               llvm::ArrayRef<LockId> Ids) {
  const auto *Call = dyn_cast<CallExpr>(St);
  MatchedEffect M = Call ? A.Models.effectOfCall(Call) : MatchedEffect();
  if (!M || M.Fx->Lock != LockOp::Release)
    return false;
  CallParts Parts = splitCall(Call);
  Effects Released;
  if (M.Type && M.Type->Kind == TypeKind::Guard) {
    if (const VarDecl *G = guardVar(Parts.Receiver))
      Released = A.GuardLocks.lookup(G);
  } else {
    Released = lockArgs(M.Fx->Args, Parts.Args, Parts.Receiver);
  }
  return llvm::any_of(Released,
                      [&](LockId L) { return llvm::is_contained(Ids, L); });
}

/// Whether some path from C reaches an unlock of one of Ids.
bool LockSetAnalysis::FunctionRun::releasedAfter(const CallExpr *C,
                                                 llvm::ArrayRef<LockId> Ids) {
  if (!CurrentBlock)
    return false;
  llvm::SmallPtrSet<const CFGBlock *, 16> Seen;
  llvm::SmallVector<const CFGBlock *, 16> Work;
  bool After = false;
  for (const CFGElement &El : *CurrentBlock)
    if (auto CS = El.getAs<CFGStmt>()) {
      if (After && releasesAny(CS->getStmt(), Ids))
        return true;
      After |= CS->getStmt() == C;
    }
  for (const CFGBlock *Succ : CurrentBlock->succs())
    if (Succ)
      Work.push_back(Succ);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (!Seen.insert(B).second)
      continue;
    for (const CFGElement &El : *B)
      if (auto CS = El.getAs<CFGStmt>())
        if (releasesAny(CS->getStmt(), Ids))
          return true;
    for (const CFGBlock *Succ : B->succs())
      if (Succ)
        Work.push_back(Succ);
  }
  return false;
}

/// A try-lock whose result is never tested, followed on some path by an
/// unlock of its lock: code written as if the try always succeeded. It is
/// taken as held (a tested try keeps its exact branch handling).
bool LockSetAnalysis::FunctionRun::isUncheckedTry(const CallExpr *C,
                                                  llvm::ArrayRef<LockId> Ids) {
  auto [It, Inserted] = UncheckedTries.try_emplace(C, false);
  if (Inserted)
    It->second = !Ids.empty() && resultDiscarded(C, A.Ctx) &&
                 releasedAfter(C, Ids);
  return It->second;
}

/// `closed_ = true` in the block of a close: the flag that says the channel
/// is closed, for `if (!closed_) ch.send(v)`.
std::optional<LockId> LockSetAnalysis::FunctionRun::flagSetWithClose() const {
  if (!CurrentBlock)
    return std::nullopt;
  for (const CFGElement &El : *CurrentBlock)
    if (auto CS = El.getAs<CFGStmt>())
      if (const auto *BO = dyn_cast<BinaryOperator>(CS->getStmt());
          BO && BO->getOpcode() == BO_Assign &&
          BO->getLHS()->getType()->isBooleanType()) {
        bool Value = false;
        if (BO->getRHS()->EvaluateAsBooleanCondition(Value, A.Ctx) && Value)
          return A.Locks.lockOf(BO->getLHS());
      }
  return std::nullopt;
}

std::optional<LockId> LockSetAnalysis::channelClosedBy(const CallExpr *C,
                                                       bool &Direct) {
  const FunctionDecl *Callee = C->getDirectCallee();
  CallParts Parts = splitCall(C);
  const Expr *Receiver = Parts.Receiver;
  MatchedEffect M = Models.effectOfCall(C);
  if (M) {
    Direct = true;
    if (M.Fx->ChannelOp == "close" && Receiver)
      return Locks.lockOf(Receiver);
    return std::nullopt;
  }
  if (!Callee || !Closes)
    return std::nullopt;
  Direct = false;
  CloseSummary Sum = Closes->summaryOf(Callee);
  if (!Sum.Closes)
    return std::nullopt;
  if (Sum.Param)
    return *Sum.Param < Parts.Args.size() ? Locks.lockOf(Parts.Args[*Sum.Param])
                                          : std::nullopt;
  return memberAtReceiver(Sum.MemberPath, Receiver,
                          llvm::StringRef(Sum.MemberPath).rsplit("::").second);
}

/// A declaration creates a new object (a channel declared in a loop body is
/// a new channel each iteration), and an assignment replaces one: what was
/// known about the old object and its members no longer holds.
ChannelSet LockSetAnalysis::FunctionRun::forgetObject(llvm::StringRef Path,
                                                      ChannelSet S) {
  if (Path.empty() || S.isEmpty())
    return S;
  ChannelSet Before = S;
  for (auto &KV : Before) {
    llvm::StringRef P = A.Locks.path(KV.first);
    if (P == Path || (P.starts_with(Path) && P.drop_front(Path.size()).starts_with(".")))
      S = CF.remove(S, KV.first);
  }
  return S;
}

ChannelSet LockSetAnalysis::FunctionRun::transferChannels(const CallExpr *C,
                                                          ChannelSet S) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C);
      Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
    if (std::optional<LockId> Target = A.Locks.lockOf(Op->getArg(0)))
      return forgetObject(A.Locks.path(*Target), S);
  bool Direct = true;
  std::optional<LockId> Channel = A.channelClosedBy(C, Direct);
  if (!Channel)
    return S;
  ChannelFact Fact;
  Fact.ClosedAt = C->getExprLoc();
  Fact.ClosedVia = Direct ? nullptr : C;
  Fact.Flag = flagSetWithClose();
  return CF.add(S, *Channel, Fact);
}

/// A function without a rule but with Clang's thread-safety attributes:
/// ACQUIRE / RELEASE / ASSERT_CAPABILITY say what it does to which lock.
LockSet LockSetAnalysis::FunctionRun::transferAttributes(const CallExpr *C,
                                                         const FunctionDecl *Callee,
                                                         LockSet S) {
  if (!Callee->hasAttrs())
    return S;
  SourceLocation Loc = C->getExprLoc();
  auto Args = [](auto *Attr) {
    return llvm::ArrayRef<Expr *>(Attr->args_begin(), Attr->args_size());
  };
  for (const auto *Attr : Callee->specific_attrs<ReleaseCapabilityAttr>())
    S = releaseByHand(S, A.locksOfAttributeArgs(Args(Attr), C));
  for (const auto *Attr : Callee->specific_attrs<AcquireCapabilityAttr>())
    S = acquire(S, A.locksOfAttributeArgs(Args(Attr), C),
                Attr->isShared() ? LockMode::Shared : LockMode::Exclusive, Loc,
                nullptr, /*Tried=*/false);
  for (const auto *Attr : Callee->specific_attrs<AssertCapabilityAttr>())
    S = assertHeld(S, A.locksOfAttributeArgs(Args(Attr), C),
                   Attr->isShared() ? LockMode::Shared : LockMode::Exclusive,
                   Loc);
  return S;
}

FlowState LockSetAnalysis::FunctionRun::transferStmt(const Stmt *St,
                                                     FlowState S, bool Report) {
  if (Report && Obs)
    Obs->visitStmt(St, S.Held, Via);
  CurrentStmt = St;
  if (isa<DeclStmt>(St) || isa<BinaryOperator>(St))
    S.Descriptors = transferDescriptors(St, S.Descriptors);
  S.Threads = Threads.transferStmt(St, S.Threads);
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        S.Closed = forgetObject(variablePath(VD), S.Closed);
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (const Expr *Init = VD->getInit())
          if (const auto *CE = dyn_cast<CXXConstructExpr>(
                  Init->IgnoreImplicit()->IgnoreParens()))
            if (const TypeModel *TM = A.Models.constructedModel(CE);
                TM && (TM->Kind == TypeKind::Guard ||
                       TM->Kind == TypeKind::ConditionVariable))
              S.Held = transferGuardDecl(VD, CE, S.Held);
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D);
          VD && VD->getInit() && !A.GuardLocks.count(VD))
        S.Held = transferExtendedGuards(VD, VD->getInit(), S.Held);
    return S;
  }
  if (const auto *C = dyn_cast<CallExpr>(St))
    return transferCall(C, S, Report);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(St)) {
    if (Report) {
      const TypeModel *TM = A.Models.constructedModel(CE);
      if (!TM || TM->Kind != TypeKind::Guard)
        report(CE, CE->getConstructor(), A.Models.effectOfConstruct(CE), S, {});
    }
    return S;
  }
  return S;
}

FlowState LockSetAnalysis::FunctionRun::transferBlock(const CFGBlock *B,
                                                      FlowState S, bool Report) {
  CurrentBlock = B;
  Reporting = Report;
  for (const CFGElement &El : *B) {
    if (auto CS = El.getAs<CFGStmt>()) {
      S = transferStmt(CS->getStmt(), S, Report);
    } else if (auto L = El.getAs<CFGLifetimeEnds>()) {
      // Clang's CFG has no destructor for the temporaries a range-for's
      // range variable extends (C++23, P2718): they end with the variable.
      if (A.ExtendingGuards.count(L->getVarDecl()))
        S.Held = releaseGuard(L->getVarDecl(), S.Held);
    } else if (auto D = El.getAs<CFGAutomaticObjDtor>()) {
      if (A.GuardLocks.count(D->getVarDecl()))
        S.Held = releaseGuard(D->getVarDecl(), S.Held);
      if (A.TrackCounts)
        S.Counts = transferDestructor(
            D->getVarDecl(),
            D->getTriggerStmt() ? D->getTriggerStmt()->getEndLoc()
                                : D->getVarDecl()->getLocation(),
            S.Counts);
      std::optional<ThreadDrop> Drop;
      S.Threads = Threads.destroy(D->getVarDecl(), D->getTriggerStmt(),
                                  S.Threads, Drop);
      if (Drop && Report && Obs)
        Obs->visitThreadDrop(*Drop);
    }
  }
  if (Report && Obs && !S.Threads.isEmpty()) {
    llvm::SmallVector<ThreadDrop, 1> Thrown;
    Threads.droppedByThrow(B, S.Threads, Thrown);
    for (const ThreadDrop &Drop : Thrown)
      Obs->visitThreadDrop(Drop);
  }
  return S;
}

/// Narrows the state on a branch whose condition tests a try-lock, a C lock
/// call's result or a guard's owns_lock(): on the success edge the lock is
/// held, on the other it is not.
LockSet LockSetAnalysis::FunctionRun::refineLocks(const Expr *Cond,
                                                  bool Value, LockSet S) {
  const Expr *E = stripExpr(Cond);
  if (!E)
    return S;
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot)
    return refineLocks(U->getSubExpr(), !Value, S);
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    auto IsZero = [&](const Expr *X) {
      Expr::EvalResult R;
      X = stripExpr(X);
      return !X->isValueDependent() && X->getType()->isIntegerType() &&
             X->EvaluateAsInt(R, A.Ctx) && R.Val.getInt().isZero();
    };
    // `r == 0` is true exactly when r is false.
    bool Flip = BO->getOpcode() == BO_EQ;
    if (IsZero(BO->getRHS()))
      return refineLocks(BO->getLHS(), Flip ? !Value : Value, S);
    if (IsZero(BO->getLHS()))
      return refineLocks(BO->getRHS(), Flip ? !Value : Value, S);
    return S;
  }
  auto Settle = [&](LockId Id, bool Held) {
    const LockFact *Fact = S.lookup(Id);
    if (!Fact)
      return;
    if (!Held) {
      S = F.remove(S, Id);
    } else if (Fact->Tried) {
      LockFact Confirmed = *Fact;
      Confirmed.Tried = false;
      S = F.add(S, Id, Confirmed);
    }
  };
  auto Try = TryCalls.find(E);
  if (Try != TryCalls.end()) {
    bool Held = Try->second.second ? !Value : Value;
    for (LockId Id : Try->second.first)
      Settle(Id, Held);
    return S;
  }
  auto Owns = OwnsQueries.find(E);
  if (Owns != OwnsQueries.end())
    for (LockId Id : A.GuardLocks.lookup(Owns->second))
      if (const LockFact *Fact = S.lookup(Id); Fact && Fact->heldBy(Owns->second))
        Settle(Id, Value);
  return S;
}

/// A branch on a flag set together with a close (`if (!closed_)`): on the
/// edge where the flag is false, the channel is still open.
ChannelSet LockSetAnalysis::FunctionRun::refineChannels(const Expr *Cond,
                                                        bool Value,
                                                        ChannelSet S) {
  const Expr *E = stripExpr(Cond);
  if (!E || S.isEmpty())
    return S;
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot)
    return refineChannels(U->getSubExpr(), !Value, S);
  if (Value || !(isa<DeclRefExpr>(E) || isa<MemberExpr>(E)))
    return S;
  std::optional<LockId> Flag = A.Locks.lockOf(E);
  if (!Flag)
    return S;
  ChannelSet Before = S;
  for (auto &KV : Before)
    if (KV.second.Flag == Flag)
      S = CF.remove(S, KV.first);
  return S;
}

FlowState LockSetAnalysis::FunctionRun::refine(const Expr *Cond, bool Value,
                                               FlowState S) {
  S.Held = refineLocks(Cond, Value, S.Held);
  S.Closed = refineChannels(Cond, Value, S.Closed);
  return S;
}

FlowState LockSetAnalysis::FunctionRun::edgeState(const CFGBlock *Pred,
                                                  const CFGBlock *Succ) {
  FlowState S = Out.find(Pred)->second;
  S.Threads = Threads.refineEdge(Pred, Succ, S.Threads);
  const Stmt *Term = Pred->getTerminatorStmt();
  const auto *Cond = dyn_cast_or_null<Expr>(Pred->getTerminatorCondition());
  if (!Term || !Cond || Pred->succ_size() != 2)
    return S;
  // Switch and other multi-way terminators are not refined.
  if (isa<SwitchStmt>(Term))
    return S;
  auto It = Pred->succ_begin();
  if (*It == Succ)
    return refine(Cond, true, S);
  if (*(It + 1) == Succ)
    return refine(Cond, false, S);
  return S;
}

/// Locks: held on every path (intersection), each as surely as on the
/// weaker path (LockFact::join).
LockSet LockSetAnalysis::FunctionRun::joinLocks(LockSet A, LockSet B) {
  LockSet R = A;
  for (auto &KV : A) {
    const LockFact *Other = B.lookup(KV.first);
    if (!Other) {
      R = F.remove(R, KV.first);
      continue;
    }
    LockFact Merged = LockFact::join(KV.second, *Other);
    if (!(Merged == KV.second))
      R = F.add(R, KV.first, Merged);
  }
  return R;
}

std::optional<FlowState>
LockSetAnalysis::FunctionRun::join(std::optional<FlowState> A,
                                   const FlowState &B) {
  if (!A)
    return B;
  LockSet R = joinLocks(A->Held, B.Held);
  // Channels: closed on some path (union), on every path only if both say so.
  ChannelSet C = A->Closed;
  for (auto &KV : A->Closed)
    if (!B.Closed.lookup(KV.first) && KV.second.AllPaths) {
      ChannelFact Some = KV.second;
      Some.AllPaths = false;
      C = CF.add(C, KV.first, Some);
    }
  for (auto &KV : B.Closed) {
    const ChannelFact *Mine = A->Closed.lookup(KV.first);
    if (!Mine) {
      ChannelFact Some = KV.second;
      Some.AllPaths = false;
      C = CF.add(C, KV.first, Some);
    } else if (Mine->AllPaths && !KV.second.AllPaths) {
      ChannelFact Some = *Mine;
      Some.AllPaths = false;
      C = CF.add(C, KV.first, Some);
    }
  }
  // Count-downs: every possibility of either side; a WaitGroup absent on
  // one side was not counted down there.
  CountSet N = A->Counts;
  auto Merge = [&](LockId Id, const CountFact *X, const CountFact *Y) {
    CountFact M = X ? *X : *Y;
    M.Possible = (X ? X->Possible : CountFact::Zero) |
                 (Y ? Y->Possible : CountFact::Zero);
    if (M.FirstAt.isInvalid() && Y) {
      M.FirstAt = Y->FirstAt;
      M.FirstVia = Y->FirstVia;
    }
    if (M.ExtraAt.isInvalid() && Y) {
      M.ExtraAt = Y->ExtraAt;
      M.ExtraVia = Y->ExtraVia;
    }
    if (!X || !(M == *X))
      N = NF.add(N, Id, M);
  };
  for (auto &KV : A->Counts)
    Merge(KV.first, &KV.second, B.Counts.lookup(KV.first));
  for (auto &KV : B.Counts)
    if (!A->Counts.lookup(KV.first))
      Merge(KV.first, nullptr, &KV.second);
  return FlowState{R, C, N, joinDescriptors(A->Descriptors, B.Descriptors),
                   Threads.join(A->Threads, B.Threads)};
}

void LockSetAnalysis::FunctionRun::solve(FlowState Entry) {
  PostOrderCFGView POV(&G);
  ForwardDataflowWorklist Worklist(G, &POV);
  const CFGBlock *EntryBlock = &G.getEntry();
  Worklist.enqueueBlock(EntryBlock);
  // The lattice has finite height (facts only disappear or become tried),
  // but Acquired locations may be re-picked; bound the work regardless.
  unsigned Budget = 8 * G.getNumBlockIDs() + 64;
  while (const CFGBlock *B = Worklist.dequeue()) {
    if (Budget-- == 0)
      break;
    std::optional<FlowState> InState;
    if (B == EntryBlock)
      InState = Entry;
    for (const CFGBlock *P : B->preds())
      if (P && Out.count(P))
        InState = join(InState, edgeState(P, B));
    if (!InState)
      continue;
    FlowState NewOut = transferBlock(B, *InState, /*Report=*/false);
    In.insert_or_assign(B, *InState);
    auto Old = Out.find(B);
    if (Old != Out.end() && Old->second == NewOut)
      continue;
    Out.insert_or_assign(B, NewOut);
    Worklist.enqueueSuccessors(B);
  }
}

void LockSetAnalysis::FunctionRun::replay() {
  for (const CFGBlock *B : G) {
    auto It = In.find(B);
    if (It == In.end())
      continue; // unreachable
    transferBlock(B, It->second, /*Report=*/true);
  }
}

std::vector<ExitPath>
LockSetAnalysis::FunctionRun::exits(bool IncludeThrows) {
  std::vector<ExitPath> Paths;
  const CFGBlock &Exit = G.getExit();
  for (const CFGBlock *P : Exit.preds()) {
    if (!P)
      continue;
    auto It = Out.find(P);
    if (It == Out.end() || P->hasNoReturnElement())
      continue;
    // As the edge has it: `if (pthread_mutex_lock(&m) == 0) {...}` leaves
    // by its false edge without the lock.
    ExitPath Path{nullptr, SourceLocation(), edgeState(P, &Exit)};
    bool Throws = false;
    for (const CFGElement &El : *P)
      if (auto CS = El.getAs<CFGStmt>()) {
        if (isa<ReturnStmt>(CS->getStmt()))
          Path.LeavesAt = CS->getStmt();
        if (isa<CXXThrowExpr>(CS->getStmt())) {
          Throws = true;
          Path.LeavesAt = CS->getStmt();
        }
      }
    if (const Stmt *T = P->getTerminatorStmt(); T && isa<CXXThrowExpr>(T)) {
      Throws = true;
      Path.LeavesAt = T;
    }
    if (Throws && !IncludeThrows)
      continue;
    Path.Throws = Throws;
    if (Path.LeavesAt)
      Path.Loc = Path.LeavesAt->getBeginLoc(); // else: the closing brace
    Paths.push_back(std::move(Path));
  }
  return Paths;
}

std::vector<ExitPath> LockSetAnalysis::exitPaths(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return {};
  const CFG *G = CFGs.get(Def);
  if (!G)
    return {};
  bool Was = TrackCounts;
  TrackCounts = true;
  llvm::SmallVector<const Expr *, 2> Via;
  FunctionRun Run(*this, *G, nullptr, Via);
  Run.solve(emptyState());
  TrackCounts = Was;
  std::vector<ExitPath> Paths = Run.exits();
  SourceLocation End = Def->getBody()->getEndLoc();
  for (ExitPath &P : Paths)
    if (P.Loc.isInvalid())
      P.Loc = End;
  return Paths;
}

llvm::SmallPtrSet<const CallExpr *, 4>
LockSetAnalysis::callsThatCannotBlock(const FunctionDecl *FD) {
  llvm::SmallPtrSet<const CallExpr *, 4> Out;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return Out;
  const CFG *G = CFGs.get(Def);
  if (!G)
    return Out;
  llvm::SmallVector<const Expr *, 2> Via;
  FunctionRun Run(*this, *G, nullptr, Via);
  Run.solve(emptyState());
  Run.collectCallsThatCannotBlock(Out);
  return Out;
}

void LockSetAnalysis::run(const FunctionDecl *FD, FlowState Entry,
                          LockSetObserver *Obs,
                          llvm::SmallVectorImpl<const Expr *> &Via) {
  const CFG *G = CFGs.get(FD);
  if (!G)
    return;
  FunctionRun Run(*this, *G, Obs, Via);
  Run.solve(Entry);
  Run.replay();
  if (Obs && Via.empty()) {
    std::vector<ExitPath> Exits = Run.exits(/*IncludeThrows=*/true);
    SourceLocation End = FD->getBody() ? FD->getBody()->getEndLoc()
                                       : FD->getLocation();
    for (ExitPath &P : Exits)
      if (P.Loc.isInvalid())
        P.Loc = End;
    Obs->endEntry(FD, Exits);
  }
}

void LockSetAnalysis::analyze(const FunctionDecl *FD, LockSetObserver &Obs) {
  Obs.beginEntry(FD);
  llvm::SmallVector<const Expr *, 2> Via;
  run(FD,
      emptyState(),
      &Obs, Via);
}

} // namespace concur
