//===- AcquireSummaries.cpp -----------------------------------------------===//

#include "checks/engine/AcquireSummaries.h"
#include "checks/engine/LockDataflow.h"
#include "clang/AST/ASTTypeTraits.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

/// Enough to explain a double lock; a summary is not an inventory.
static constexpr unsigned MaxAcquiresPerSummary = 8;

static const Expr *withoutAddressOf(const Expr *E) {
  E = stripExpr(E);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    return stripExpr(U->getSubExpr());
  return E;
}

static std::string displayOf(const Expr *E) {
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl()->getNameAsString();
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl()->getNameAsString();
  return "";
}

std::optional<SummaryLock> AcquireSummaries::nameForCallers(const Expr *Lock) {
  const Expr *E = withoutAddressOf(Lock);
  if (!E)
    return std::nullopt;
  SummaryLock L;
  L.Display = displayOf(E);
  // The parameter itself (a reference or pointer), or what it points to.
  const Expr *Param = E;
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref)
    Param = stripExpr(U->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Param))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      if (!P->getType()->isPointerType() && !P->getType()->isReferenceType())
        return std::nullopt;
      L.Param = P->getFunctionScopeIndex();
      L.Display = P->getNameAsString();
      return L;
    }
  L.Path = E->getType()->isPointerType() ? pointeePath(E) : objectPath(E);
  if (L.Path.empty())
    return std::nullopt;
  if (llvm::StringRef(L.Path).starts_with("*this"))
    return L;
  // A global (or static) lock is the same object in every function; a
  // local one is not the caller's, nor one reached from a local pointer.
  const VarDecl *Root = rootVariable(E);
  if (Root && Root->hasGlobalStorage())
    return L;
  return std::nullopt;
}

/// A callee's lock, named in the terms of the function making Call.
static std::optional<SummaryLock> throughCall(const SummaryLock &L,
                                              const CallExpr *Call) {
  CallParts Parts = splitCall(Call);
  if (L.Param) {
    if (*L.Param >= Parts.Args.size())
      return std::nullopt;
    std::optional<SummaryLock> R =
        AcquireSummaries::nameForCallers(Parts.Args[*L.Param]);
    if (R && R->Display.empty())
      R->Display = L.Display;
    return R;
  }
  llvm::StringRef Rest(L.Path);
  if (!Rest.consume_front("*this"))
    return L; // a global
  if (!Parts.Receiver)
    return std::nullopt;
  const Expr *R = stripExpr(Parts.Receiver);
  std::string Base =
      R->getType()->isPointerType() ? pointeePath(R) : objectPath(R);
  if (Base.empty())
    return std::nullopt;
  SummaryLock Out;
  Out.Display = L.Display;
  Out.Path = Base + Rest.str();
  if (llvm::StringRef(Base).starts_with("*this"))
    return Out;
  const VarDecl *Root = rootVariable(R);
  if (Root && Root->hasGlobalStorage())
    return Out;
  return std::nullopt; // a local object, or one a parameter points to
}

/// Whether S runs only on some paths of Body: it is under a branch, a
/// loop, a conditional operator or a short-circuit operand.
static bool underCondition(const Stmt *S, const Stmt *Body, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P && Parents[0].get<VarDecl>()) {
      Node = Parents[0]; // a guard's construction: on to its DeclStmt
      continue;
    }
    if (!P || P == Body)
      return false;
    if (isa<IfStmt, SwitchStmt, ConditionalOperator, BinaryConditionalOperator,
            ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, CXXCatchStmt>(P))
      return true;
    if (const auto *B = dyn_cast<BinaryOperator>(P); B && B->isLogicalOp())
      return true;
    Node = Parents[0];
  }
  return false;
}

/// The boolean parameter of Fn whose value decides whether S runs, and
/// that value: S in a branch of the innermost `if (p)` / `if (!p)` on it.
static std::optional<std::pair<unsigned, bool>>
parameterGuard(const Stmt *S, const FunctionDecl *Fn, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*S);
  const Stmt *From = S;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return std::nullopt;
    Node = Parents[0];
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P) {
      if (Parents[0].get<VarDecl>())
        continue;
      return std::nullopt;
    }
    if (P == Fn->getBody() || isa<LambdaExpr>(P))
      return std::nullopt;
    if (const auto *If = dyn_cast<IfStmt>(P);
        If && (From == If->getThen() || From == If->getElse())) {
      bool Negated;
      if (const ParmVarDecl *Param = testedBoolParameter(If->getCond(), Fn, Negated))
        return std::make_pair(Param->getFunctionScopeIndex(),
                              (From == If->getThen()) != Negated);
    }
    From = P;
  }
  return std::nullopt;
}

bool AcquireSummaries::ruledOutAt(const SummaryAcquire &A, const CallExpr *Call,
                                  const ASTContext &Ctx) {
  if (!A.OnlyIfParam)
    return false;
  CallParts Parts = splitCall(Call);
  if (*A.OnlyIfParam >= Parts.Args.size())
    return false;
  const Expr *Arg = Parts.Args[*A.OnlyIfParam];
  bool Value;
  if (Arg->isValueDependent() || !Arg->EvaluateAsBooleanCondition(Value, Ctx))
    return false;
  return Value != A.OnlyIfValue;
}

namespace {

/// One lock event of a body, in source order.
struct LockEvent {
  SourceLocation Loc;
  bool Acquire = true;
  SummaryAcquire What; ///< for a release, only What.Lock counts
};

/// Collects the lock events of a body, outside lambdas (they run
/// elsewhere, or are replayed by the dataflow).
class EventCollector : public RecursiveASTVisitor<EventCollector> {
public:
  EventCollector(AcquireSummaries &Summaries, const ModelMatcher &Models,
                 const FunctionDecl *Self, ASTContext &Ctx)
      : Summaries(Summaries), Models(Models), Self(Self), Ctx(Ctx) {}

  llvm::SmallVector<LockEvent, 8> Events;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }

  bool VisitCallExpr(CallExpr *C) {
    MatchedEffect M = Models.effectOfCall(C);
    if (M) {
      modelled(C, M);
      return true;
    }
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee || Callee->getCanonicalDecl() == Self->getCanonicalDecl())
      return true;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
        MD && MD->getParent()->isLambda())
      return true;
    if (Callee->hasAttrs() && annotated(C, Callee))
      return true;
    const AcquireSummary &S = Summaries.summaryOf(Callee);
    for (unsigned I = 0; I < S.Acquires.size(); ++I) {
      if (AcquireSummaries::ruledOutAt(S.Acquires[I], C, Ctx))
        continue; // the call passes the flag that skips it
      if (std::optional<SummaryLock> L = throughCall(S.Acquires[I].Lock, C)) {
        SummaryAcquire A{*L, S.Acquires[I].Mode, C, Callee, I};
        A.Conditional = S.Acquires[I].Conditional ||
                        underCondition(C, Self->getBody(), Ctx);
        guardedBy(A, C);
        if (!A.OnlyIfParam)
          passedOn(A, S.Acquires[I], C);
        Events.push_back({C->getExprLoc(), true, A});
      }
    }
    for (const SummaryLock &R : S.Releases)
      if (std::optional<SummaryLock> L = throughCall(R, C))
        Events.push_back({C->getExprLoc(), false, {*L}});
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    MatchedEffect M = Models.effectOfConstruct(CE);
    if (!M || !M.Type || M.Type->Kind != TypeKind::Guard ||
        M.Fx->Lock != LockOp::Acquire)
      return true;
    llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
    LockMode Mode = M.modeAt(Args, Ctx);
    for (const Expr *Lock : Models.lockArguments(*M.Fx, Args))
      direct(Lock, CE, Mode, true);
    return true;
  }

private:
  void modelled(const CallExpr *C, const MatchedEffect &M) {
    bool Acquire = M.Fx->Lock == LockOp::Acquire;
    if (!Acquire && M.Fx->Lock != LockOp::Release)
      return; // try-locks fail instead of waiting
    CallParts Parts = splitCall(C);
    if (M.Type && M.Type->Kind == TypeKind::Guard) {
      if (const Expr *Locked = Models.guardVariableLock(Parts.Receiver))
        direct(Locked, C, M.mode(), Acquire);
      return;
    }
    if (M.Fx->Args.isReceiver()) {
      if (Parts.Receiver)
        direct(Parts.Receiver, C, M.mode(), Acquire);
      return;
    }
    for (const Expr *Lock : Models.lockArguments(*M.Fx, Parts.Args))
      direct(Lock, C, M.mode(), Acquire);
  }

  /// A callee without a rule but with ACQUIRE / RELEASE attributes: their
  /// arguments are in its terms; none means the object itself.
  bool annotated(const CallExpr *C, const FunctionDecl *Callee) {
    bool Any = false;
    auto Each = [&](auto *Attr, bool Acquire, LockMode Mode) {
      Any = true;
      llvm::SmallVector<SummaryLock, 2> Named;
      if (Attr->args_size() == 0)
        Named.push_back({"*this", std::nullopt, ""});
      for (const Expr *Arg : Attr->args())
        if (std::optional<SummaryLock> L = nameForCallee(Arg, Callee))
          Named.push_back(*L);
      for (const SummaryLock &L : Named)
        if (std::optional<SummaryLock> Here = throughCall(L, C)) {
          SummaryAcquire A{*Here, Mode, C, nullptr, 0};
          Events.push_back({C->getExprLoc(), Acquire, A});
        }
    };
    for (const auto *Attr : Callee->specific_attrs<AcquireCapabilityAttr>())
      Each(Attr, true, Attr->isShared() ? LockMode::Shared : LockMode::Exclusive);
    for (const auto *Attr : Callee->specific_attrs<ReleaseCapabilityAttr>())
      Each(Attr, false, LockMode::Exclusive);
    return Any;
  }

  static std::optional<SummaryLock> nameForCallee(const Expr *Arg,
                                                  const FunctionDecl *Callee) {
    const Expr *E = withoutAddressOf(Arg);
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        return SummaryLock{"", P->getFunctionScopeIndex(), P->getNameAsString()};
    return AcquireSummaries::nameForCallers(Arg);
  }

  void direct(const Expr *Lock, const Expr *Site, LockMode Mode, bool Acquire) {
    if (Acquire && Models.isRecursiveLock(Lock))
      return; // taking a recursive mutex again is allowed
    std::optional<SummaryLock> L = AcquireSummaries::nameForCallers(Lock);
    if (!L)
      return;
    SummaryAcquire A{*L, Mode, Site, nullptr, 0};
    A.Conditional = Acquire && underCondition(Site, Self->getBody(), Ctx);
    if (Acquire)
      guardedBy(A, Site);
    SourceLocation Loc = isa<CXXConstructExpr>(Site) ? Site->getBeginLoc()
                                                     : Site->getExprLoc();
    Events.push_back({Loc, Acquire, A});
  }

  void guardedBy(SummaryAcquire &A, const Stmt *Site) {
    if (auto G = parameterGuard(Site, Self, Ctx)) {
      A.OnlyIfParam = G->first;
      A.OnlyIfValue = G->second;
    }
  }

  /// The callee's flag is this function's own bool parameter, passed on.
  void passedOn(SummaryAcquire &A, const SummaryAcquire &Inner,
                const CallExpr *C) {
    if (!Inner.OnlyIfParam)
      return;
    CallParts Parts = splitCall(C);
    if (*Inner.OnlyIfParam >= Parts.Args.size())
      return;
    const auto *DRE = dyn_cast<DeclRefExpr>(
        Parts.Args[*Inner.OnlyIfParam]->IgnoreParenImpCasts());
    const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (P && P->getType()->isBooleanType() && P->getDeclContext() == Self) {
      A.OnlyIfParam = P->getFunctionScopeIndex();
      A.OnlyIfValue = Inner.OnlyIfValue;
    }
  }


  AcquireSummaries &Summaries;
  const ModelMatcher &Models;
  const FunctionDecl *Self;
  ASTContext &Ctx;
};

} // namespace

const AcquireSummary &AcquireSummaries::summaryOf(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Summaries.find(FD);
  if (It != Summaries.end())
    return *It->second;
  // In progress: takes nothing, for the calls that reach it again.
  Summaries[FD] = std::make_unique<AcquireSummary>();
  AcquireSummary S = compute(FD);
  AcquireSummary &Slot = *Summaries[FD];
  Slot = std::move(S);
  return Slot;
}

/// Whether the function is annotated as called with L held (REQUIRES).
static bool requires_(const FunctionDecl *FD, const SummaryLock &L) {
  for (const auto *Attr : FD->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr *Arg : Attr->args()) {
      const Expr *E = withoutAddressOf(Arg);
      if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
        if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
          if (L.Param == P->getFunctionScopeIndex())
            return true;
          continue;
        }
      std::optional<SummaryLock> N = AcquireSummaries::nameForCallers(Arg);
      if (N && N->sameAs(L))
        return true;
    }
  return false;
}

AcquireSummary AcquireSummaries::compute(const FunctionDecl *FD) {
  AcquireSummary Result;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return Result;
  const SourceManager &SM = Ctx.getSourceManager();
  // Library internals are modelled, not followed.
  if (SM.isInSystemHeader(Def->getLocation()))
    return Result;
  EventCollector Collector(*this, Models, Def, Ctx);
  Collector.TraverseStmt(Def->getBody());
  auto Before = [&](const LockEvent &A, const LockEvent &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  };
  for (const LockEvent &E : Collector.Events) {
    // An acquisition after a release of the same lock re-takes what the
    // function gave back (a wait's unlock-relock), not a second hold; a
    // release after an acquisition gives back what it took.
    bool Earlier = llvm::any_of(Collector.Events, [&](const LockEvent &O) {
      return O.Acquire != E.Acquire && O.What.Lock.sameAs(E.What.Lock) &&
             Before(O, E);
    });
    // A function annotated as called with the lock held does not take it
    // (its release, though, is of its caller's lock).
    if (Earlier || (E.Acquire && requires_(Def, E.What.Lock)))
      continue;
    if (!E.Acquire) {
      if (llvm::none_of(Result.Releases, [&](const SummaryLock &R) {
            return R.sameAs(E.What.Lock);
          }))
        Result.Releases.push_back(E.What.Lock);
      continue;
    }
    bool Known = llvm::any_of(Result.Acquires, [&](const SummaryAcquire &A) {
      return A.Lock.sameAs(E.What.Lock) && A.Mode == E.What.Mode;
    });
    if (!Known && Result.Acquires.size() < MaxAcquiresPerSummary)
      Result.Acquires.push_back(E.What);
  }
  return Result;
}

std::optional<LockId> AcquireSummaries::atCall(const SummaryLock &L,
                                               const CallExpr *Call,
                                               LockSetAnalysis &Flow,
                                               LockTable &Locks) {
  CallParts Parts = splitCall(Call);
  if (L.Param) {
    if (*L.Param >= Parts.Args.size())
      return std::nullopt;
    llvm::SmallVector<LockId, 2> Ids = Flow.locksOfArgument(Parts.Args[*L.Param]);
    if (Ids.size() != 1)
      return std::nullopt;
    return Ids[0];
  }
  if (llvm::StringRef(L.Path).starts_with("*this"))
    return Flow.memberAtReceiver(L.Path, Parts.Receiver, L.Display);
  return Locks.intern(L.Path, L.Display);
}

std::vector<FindingNote> AcquireSummaries::chainTo(const clang::FunctionDecl *Callee,
                                                   unsigned Index,
                                                   std::string *Innermost) {
  auto Quoted = [](llvm::StringRef S) { return "'" + S.str() + "'"; };
  std::vector<FindingNote> Chain;
  const clang::FunctionDecl *Fn = Callee;
  for (unsigned Depth = 0; Fn && Depth < 16; ++Depth) {
    const AcquireSummary &S = summaryOf(Fn);
    if (Index >= S.Acquires.size())
      break;
    const SummaryAcquire &A = S.Acquires[Index];
    std::string Who = Quoted(ModelMatcher::matchName(Fn));
    if (!A.Callee) {
      Chain.push_back({A.Site->getExprLoc(),
                       Who + " acquires " + Quoted(A.Lock.Display) + " here"});
      break;
    }
    Chain.push_back({A.Site->getExprLoc(),
                     Who + " calls " + Quoted(ModelMatcher::matchName(A.Callee))});
    if (Innermost)
      *Innermost = ModelMatcher::matchName(A.Callee);
    Fn = A.Callee;
    Index = A.Next;
  }
  return Chain;
}

} // namespace concur
