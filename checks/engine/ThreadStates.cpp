//===- ThreadStates.cpp ---------------------------------------------------===//

#include "checks/engine/ThreadStates.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace concur {

static bool isStdThreadRecord(const CXXRecordDecl *RD) {
  return RD && RD->getIdentifier() && RD->getName() == "thread" &&
         RD->isInStdNamespace();
}

ThreadObject threadObjectKind(QualType T) {
  if (T.isNull() || T->isDependentType() || T->isReferenceType() ||
      T->isPointerType())
    return ThreadObject::None;
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getCanonicalType()))
    return threadObjectKind(AT->getElementType()) == ThreadObject::Thread
               ? ThreadObject::Container
               : ThreadObject::None;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return ThreadObject::None;
  if (isStdThreadRecord(RD))
    return ThreadObject::Thread;
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier())
    return ThreadObject::None;
  if (!llvm::is_contained({"vector", "deque", "list", "forward_list", "array"},
                          Spec->getName()))
    return ThreadObject::None;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  if (Args.size() == 0 || Args[0].getKind() != TemplateArgument::Type)
    return ThreadObject::None;
  return threadObjectKind(Args[0].getAsType()) == ThreadObject::Thread
             ? ThreadObject::Container
             : ThreadObject::None;
}

/// The expression without the wrappers of a copy or move: implicit casts,
/// temporaries, functional casts, elidable or copy/move constructions.
static const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
        CE->getConstructor()->isCopyOrMoveConstructor())
      E = CE->getArg(0);
    if (E == Before)
      return E;
  }
  return E;
}

static bool isStdFunction(const FunctionDecl *FD,
                          std::initializer_list<llvm::StringRef> Names) {
  return FD && FD->getIdentifier() && FD->isInStdNamespace() &&
         llvm::is_contained(Names, FD->getName());
}

static bool isMove(const CallExpr *C) {
  return C->getNumArgs() == 1 &&
         isStdFunction(C->getDirectCallee(), {"move", "forward"});
}

static llvm::StringRef methodName(const CallExpr *C) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || !isa<CXXMethodDecl>(FD))
    return "";
  if (FD->getIdentifier())
    return FD->getName();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C)) {
    if (Op->getOperator() == OO_Equal)
      return "operator=";
    if (Op->getOperator() == OO_Subscript)
      return "operator[]";
  }
  return "";
}

/// The object a member call is made on (the first argument of a member
/// operator).
static const Expr *receiverOf(const CallExpr *C) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    return MC->getImplicitObjectArgument();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C))
    if (isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()) &&
        Op->getNumArgs() > 0)
      return Op->getArg(0);
  return nullptr;
}

/// The arguments of a call after its receiver.
static llvm::SmallVector<const Expr *, 4> argumentsOf(const CallExpr *C) {
  llvm::SmallVector<const Expr *, 4> Out;
  unsigned First = isa<CXXOperatorCallExpr>(C) && receiverOf(C) ? 1 : 0;
  for (unsigned I = First; I < C->getNumArgs(); ++I)
    Out.push_back(C->getArg(I));
  return Out;
}

//===----------------------------------------------------------------------===//
// Summaries: does a function join, detach or move a thread?
//===----------------------------------------------------------------------===//

namespace {
class HandlerFinder : public RecursiveASTVisitor<HandlerFinder> {
public:
  HandlerFinder(ThreadHandlerSummaries &S, unsigned Depth) : S(S), Depth(Depth) {}
  bool Found = false;

  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD)
      return true;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
        MD && isStdThreadRecord(MD->getParent()) && MD->getIdentifier() &&
        llvm::is_contained({"join", "detach", "swap"}, MD->getName())) {
      Found = true;
      return false;
    }
    if (isMove(C) &&
        threadObjectKind(C->getArg(0)->getType()) != ThreadObject::None) {
      Found = true;
      return false;
    }
    if (S.handlesThreads(FD, Depth + 1)) {
      Found = true;
      return false;
    }
    return true;
  }

private:
  ThreadHandlerSummaries &S;
  unsigned Depth;
};
} // namespace

bool ThreadHandlerSummaries::handlesThreads(const FunctionDecl *FD,
                                            unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (!FD || Depth > 3 || !FD->hasBody(Def) || !Def)
    return false;
  auto [It, Inserted] = Cache.try_emplace(Def, false);
  if (!Inserted)
    return It->second;
  HandlerFinder Finder(*this, Depth);
  Finder.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (!Finder.Found && Init->isWritten())
        Finder.TraverseStmt(Init->getInit());
  Cache[Def] = Finder.Found;
  return Finder.Found;
}

//===----------------------------------------------------------------------===//
// Transfer
//===----------------------------------------------------------------------===//

ThreadSet ThreadTransfer::set(ThreadSet S, const VarDecl *VD, uint8_t Possible,
                              SourceLocation StartedAt) {
  ThreadFact Fact;
  if (const ThreadFact *Old = S.lookup(VD))
    Fact = *Old;
  else
    Fact.Container = threadObjectKind(VD->getType()) == ThreadObject::Container;
  Fact.Possible = Possible;
  if (StartedAt.isValid())
    Fact.StartedAt = StartedAt;
  return F.add(S, VD, Fact);
}

const VarDecl *ThreadTransfer::trackedRoot(const Expr *E, const ThreadSet &S,
                                           bool &Element) const {
  Element = false;
  E = strip(E);
  if (!E)
    return nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    E = strip(U->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return nullptr;
    if (S.lookup(VD))
      return VD;
    // The loop variable of `for (auto &t : threads)` is an element.
    if (!VD->getType()->isReferenceType())
      return nullptr;
    for (const DynTypedNode &P : Ctx.getParents(*VD))
      if (const auto *DS = P.get<DeclStmt>())
        for (const DynTypedNode &PP : Ctx.getParents(*DS))
          if (const auto *For = PP.get<CXXForRangeStmt>();
              For && For->getLoopVariable() == VD) {
            bool Inner = false;
            const VarDecl *Root = trackedRoot(For->getRangeInit(), S, Inner);
            if (Root && !Inner) {
              Element = true;
              return Root;
            }
          }
    return nullptr;
  }
  const Expr *Base = nullptr;
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    Base = AS->getBase();
  else if (const auto *C = dyn_cast<CallExpr>(E))
    if (llvm::is_contained({"operator[]", "at", "front", "back"}, methodName(C)))
      Base = receiverOf(C);
  if (!Base)
    return nullptr;
  bool Inner = false;
  const VarDecl *Root = trackedRoot(Base, S, Inner);
  if (!Root || Inner || !S.lookup(Root)->Container)
    return nullptr;
  Element = true;
  return Root;
}

ThreadSet ThreadTransfer::transferStmt(const Stmt *St, ThreadSet S) {
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        S = transferDecl(VD, S);
    return S;
  }
  if (S.isEmpty())
    return S;
  if (const auto *C = dyn_cast<CallExpr>(St))
    return transferCall(C, S);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(St))
    return transferConstruct(CE, S);
  if (const auto *L = dyn_cast<LambdaExpr>(St))
    return transferLambda(L, S);
  if (const auto *R = dyn_cast<ReturnStmt>(St)) {
    bool Element = false;
    if (const Expr *V = R->getRetValue())
      if (const VarDecl *VD = trackedRoot(V, S, Element); VD && !Element)
        return set(S, VD, ThreadFact::MovedFrom);
  }
  return S;
}

ThreadSet ThreadTransfer::transferDecl(const VarDecl *VD, ThreadSet S) {
  if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
    return S;
  ThreadObject Kind = threadObjectKind(VD->getType());
  if (Kind == ThreadObject::None)
    return S;
  // A declaration in a loop is a new object each time round.
  S = F.remove(S, VD);
  const Expr *Init = VD->getInit();
  const Expr *E = Init ? strip(Init) : nullptr;
  bool IsThread = Kind == ThreadObject::Thread;
  if (!E)
    return set(S, VD, ThreadFact::NotStarted);
  if (const auto *C = dyn_cast<CallExpr>(E)) {
    if (isMove(C)) {
      auto It = MovedState.find(C);
      if (It != MovedState.end())
        return F.add(S, VD, It->second);
      return set(S, VD, IsThread ? ThreadFact::Joinable : ThreadFact::NotStarted,
                 IsThread ? E->getBeginLoc() : SourceLocation());
    }
    // A thread made by a factory function is running.
    return set(S, VD, ThreadFact::Joinable, E->getBeginLoc());
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *From = dyn_cast<VarDecl>(DRE->getDecl()))
      if (const ThreadFact *Fact = S.lookup(From))
        return F.add(S, VD, *Fact); // a copy of a container
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (!IsThread || CE->getNumArgs() == 0 ||
        isa<CXXDefaultArgExpr>(CE->getArg(0)))
      return set(S, VD, ThreadFact::NotStarted);
    return set(S, VD, ThreadFact::Joinable, CE->getBeginLoc());
  }
  return set(S, VD, IsThread ? ThreadFact::Joinable : ThreadFact::NotStarted,
             IsThread ? E->getBeginLoc() : SourceLocation());
}

/// What a thread or container is given by an assignment or a push: the
/// moved variable's state, nothing (a default thread), or a started one.
static std::optional<ThreadFact>
assignedState(const Expr *RHS, const llvm::DenseMap<const Expr *, ThreadFact> &Moved) {
  const Expr *E = strip(RHS);
  if (const auto *C = dyn_cast_or_null<CallExpr>(E); C && isMove(C)) {
    auto It = Moved.find(C);
    if (It != Moved.end())
      return It->second;
  }
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
      CE && (CE->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(CE->getArg(0)))) {
    ThreadFact Idle;
    Idle.Possible = ThreadFact::NotStarted;
    return Idle;
  }
  return std::nullopt; // a started thread
}

ThreadSet ThreadTransfer::transferCall(const CallExpr *C, ThreadSet S) {
  const FunctionDecl *Callee = C->getDirectCallee();
  bool Element = false;
  if (isMove(C)) {
    if (const VarDecl *VD = trackedRoot(C->getArg(0), S, Element);
        VD && !Element) {
      MovedState[C] = *S.lookup(VD);
      return set(S, VD, ThreadFact::MovedFrom);
    }
    return S;
  }
  llvm::SmallVector<const Expr *, 4> Args = argumentsOf(C);
  if (const Expr *Receiver = receiverOf(C))
    if (const VarDecl *VD = trackedRoot(Receiver, S, Element)) {
      llvm::StringRef Name = methodName(C);
      const ThreadFact &Fact = *S.lookup(VD);
      if (Name == "join" || Name == "detach" || Name == "swap")
        return set(S, VD, ThreadFact::Finished);
      if (Name == "operator=" && Args.size() == 1) {
        std::optional<ThreadFact> Given = assignedState(Args[0], MovedState);
        if (Element) // one element of the container now runs a thread
          return Given ? S : set(S, VD, ThreadFact::Joinable, C->getExprLoc());
        if (Given && !Fact.Container)
          return set(S, VD, Given->Possible, Given->StartedAt);
        return set(S, VD, Fact.Container ? ThreadFact::Finished
                                         : ThreadFact::Joinable,
                   C->getExprLoc());
      }
      if (Fact.Container && !Element &&
          llvm::is_contained({"push_back", "emplace_back", "emplace",
                              "push_front", "emplace_front", "insert"},
                             Name)) {
        if (Fact.mayBeJoinable() && Fact.Possible == ThreadFact::Joinable)
          return S;
        return set(S, VD, ThreadFact::Joinable, C->getExprLoc());
      }
      return S;
    }
  bool LambdaHandles = false;
  for (const Expr *A : Args)
    if (const auto *L = dyn_cast_or_null<LambdaExpr>(strip(A)))
      LambdaHandles |= Handlers.handlesThreads(L->getCallOperator());
  return handArguments(Callee, Args,
                       LambdaHandles || Handlers.handlesThreads(Callee), S);
}

ThreadSet ThreadTransfer::transferConstruct(const CXXConstructExpr *CE,
                                            ThreadSet S) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor || threadObjectKind(CE->getType()) != ThreadObject::None)
    return S;
  // An RAII joiner: its destructor (or its constructor) joins what it holds.
  const CXXRecordDecl *RD = Ctor->getParent();
  bool Handles = Handlers.handlesThreads(Ctor) ||
                 (RD->hasDefinition() && RD->getDestructor() &&
                  Handlers.handlesThreads(RD->getDestructor()));
  llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
  return handArguments(Ctor, Args, Handles, S);
}

ThreadSet ThreadTransfer::handArguments(const FunctionDecl *Callee,
                                        llvm::ArrayRef<const Expr *> Args,
                                        bool CalleeHandles, ThreadSet S) {
  for (unsigned I = 0; I < Args.size(); ++I) {
    const Expr *A = strip(Args[I]);
    bool Iterator = false;
    if (const auto *C = dyn_cast_or_null<CallExpr>(A)) {
      if (isStdFunction(C->getDirectCallee(), {"ref"}) && C->getNumArgs() == 1)
        A = C->getArg(0);
      else if (llvm::is_contained({"begin", "end", "data"}, methodName(C))) {
        A = receiverOf(C);
        Iterator = true;
      }
    }
    bool Element = false;
    const VarDecl *VD = trackedRoot(A, S, Element);
    if (!VD || Element)
      continue;
    // Given by value or by const reference, it cannot be joined there (an
    // iterator by value reaches the elements all the same).
    if (Callee && I < Callee->getNumParams() && !Iterator) {
      QualType P = Callee->getParamDecl(I)->getType();
      if (!P->isPointerType() && !P->isReferenceType())
        continue;
      if (P->getPointeeType().isConstQualified())
        continue;
    }
    // A callee concur cannot see may join it: stay silent.
    const FunctionDecl *Def = nullptr;
    bool Unknown = !Callee || !Callee->hasBody(Def);
    if (Unknown || CalleeHandles)
      S = set(S, VD, ThreadFact::Finished);
  }
  return S;
}

ThreadSet ThreadTransfer::transferLambda(const LambdaExpr *L, ThreadSet S) {
  bool Handles = Handlers.handlesThreads(L->getCallOperator());
  if (!Handles)
    return S;
  // A scope guard or cleanup lambda that joins what it captures.
  for (const LambdaCapture &Cap : L->captures())
    if (Cap.capturesVariable() && Cap.getCaptureKind() == LCK_ByRef)
      if (const auto *VD = dyn_cast<VarDecl>(Cap.getCapturedVar());
          VD && S.lookup(VD))
        S = set(S, VD, ThreadFact::Finished);
  return S;
}

ThreadSet ThreadTransfer::destroy(const VarDecl *VD, const Stmt *Trigger,
                                  ThreadSet S, std::optional<ThreadDrop> &Drop) {
  const ThreadFact *Fact = S.lookup(VD);
  if (!Fact)
    return S;
  if (Fact->mayBeJoinable()) {
    ThreadDrop D;
    D.Var = VD;
    D.Fact = *Fact;
    if (Trigger && !isa<CompoundStmt>(Trigger)) {
      D.LeavesAt = Trigger;
      D.Loc = Trigger->getBeginLoc();
    } else {
      D.Loc = Trigger ? Trigger->getEndLoc() : VD->getLocation();
    }
    Drop = D;
  }
  return F.remove(S, VD);
}

namespace {
/// Whether a loop body joins or detaches the elements of a container: the
/// loop variable of a range-for over it, or `v[i]` / `v.at(i)`.
class ElementJoinFinder : public RecursiveASTVisitor<ElementJoinFinder> {
public:
  ElementJoinFinder(std::function<bool(const Expr *)> IsElement)
      : IsElement(std::move(IsElement)) {}
  bool Found = false;
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    const CXXMethodDecl *MD = C->getMethodDecl();
    if (MD && isStdThreadRecord(MD->getParent()) && MD->getIdentifier() &&
        llvm::is_contained({"join", "detach"}, MD->getName()) &&
        IsElement(C->getImplicitObjectArgument())) {
      Found = true;
      return false;
    }
    return true;
  }

private:
  std::function<bool(const Expr *)> IsElement;
};
} // namespace

bool ThreadTransfer::loopJoinsElements(const Stmt *Loop, const VarDecl *VD,
                                       const ThreadSet &S) const {
  const Stmt *Body = nullptr;
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    Body = For->getBody();
  else if (const auto *W = dyn_cast<WhileStmt>(Loop))
    Body = W->getBody();
  else if (const auto *D = dyn_cast<DoStmt>(Loop))
    Body = D->getBody();
  else if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    Body = R->getBody();
  if (!Body)
    return false;
  ElementJoinFinder Finder([&](const Expr *E) {
    bool Element = false;
    return trackedRoot(E, S, Element) == VD && Element;
  });
  Finder.TraverseStmt(const_cast<Stmt *>(Body));
  return Finder.Found;
}

/// The variable whose joinable() a condition tests, and whether the
/// condition is true when it is joinable.
static const Expr *joinableTested(const Expr *Cond, bool &Positive) {
  Positive = true;
  const Expr *E = Cond ? Cond->IgnoreParenImpCasts() : nullptr;
  while (const auto *U = dyn_cast_or_null<UnaryOperator>(E)) {
    if (U->getOpcode() != UO_LNot)
      return nullptr;
    Positive = !Positive;
    E = U->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
  if (!MC || methodName(MC) != "joinable")
    return nullptr;
  return MC->getImplicitObjectArgument();
}

ThreadSet ThreadTransfer::refineEdge(const CFGBlock *Pred, const CFGBlock *Succ,
                                     ThreadSet S) {
  if (S.isEmpty())
    return S;
  const Stmt *Term = Pred->getTerminatorStmt();
  if (!Term)
    return S;
  if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(Term)) {
    for (auto &KV : ThreadSet(S))
      if (KV.second.Container && KV.second.mayBeJoinable() &&
          loopJoinsElements(Term, KV.first, S))
        S = set(S, KV.first, ThreadFact::Finished);
  }
  if (Pred->succ_size() != 2)
    return S;
  bool Positive = true;
  const Expr *Tested =
      joinableTested(dyn_cast_or_null<Expr>(Pred->getTerminatorCondition()),
                     Positive);
  if (!Tested)
    return S;
  bool Element = false;
  const VarDecl *VD = trackedRoot(Tested, S, Element);
  if (!VD || Element)
    return S;
  bool TrueEdge = *Pred->succ_begin() == Succ;
  bool Joinable = TrueEdge == Positive;
  const ThreadFact &Fact = *S.lookup(VD);
  uint8_t P = Joinable ? (Fact.Possible & ThreadFact::Joinable)
                       : (Fact.Possible & ~ThreadFact::Joinable);
  if (!P)
    P = Joinable ? ThreadFact::Joinable : ThreadFact::Finished;
  return set(S, VD, P);
}

ThreadSet ThreadTransfer::join(ThreadSet A, ThreadSet B) {
  if (A == B)
    return A;
  ThreadSet R = A;
  for (auto &KV : B) {
    const ThreadFact *Mine = A.lookup(KV.first);
    if (!Mine) {
      R = F.add(R, KV.first, KV.second);
      continue;
    }
    ThreadFact M = *Mine;
    M.Possible |= KV.second.Possible;
    if (M.StartedAt.isInvalid())
      M.StartedAt = KV.second.StartedAt;
    if (!(M == *Mine))
      R = F.add(R, KV.first, M);
  }
  return R;
}

void ThreadTransfer::droppedByThrow(const CFGBlock *B, const ThreadSet &S,
                                    llvm::SmallVectorImpl<ThreadDrop> &Out) const {
  if (S.isEmpty() || !B->getParent())
    return;
  const CFGBlock *Exit = &B->getParent()->getExit();
  if (llvm::none_of(B->succs(), [&](const CFGBlock::AdjacentBlock &Succ) {
        return Succ.getReachableBlock() == Exit;
      }))
    return;
  const Stmt *Throw = nullptr;
  for (const CFGElement &El : *B)
    if (auto CS = El.getAs<CFGStmt>())
      if (isa<CXXThrowExpr>(CS->getStmt()))
        Throw = CS->getStmt();
  if (!Throw)
    return;
  for (auto &KV : S)
    if (KV.second.mayBeJoinable()) {
      ThreadDrop D;
      D.Var = KV.first;
      D.Fact = KV.second;
      D.LeavesAt = Throw;
      D.Loc = Throw->getBeginLoc();
      D.ByThrow = true;
      Out.push_back(D);
    }
}

} // namespace concur
