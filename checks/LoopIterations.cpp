//===- LoopIterations.cpp -------------------------------------------------===//

#include "checks/LoopIterations.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

//===----------------------------------------------------------------------===//
// Trip counts
//===----------------------------------------------------------------------===//

/// stripExpr, and explicit casts too: `static_cast<int>(v.size())` is the
/// size.
static const Expr *strip(const Expr *E) {
  while (E) {
    E = stripExpr(E);
    const auto *Cast = dyn_cast<ExplicitCastExpr>(E);
    if (!Cast)
      return E;
    E = Cast->getSubExpr();
  }
  return E;
}

static std::optional<int64_t> constantOf(const Expr *E, const ASTContext &AST) {
  Expr::EvalResult R;
  if (!E || E->isValueDependent() || !E->EvaluateAsInt(R, AST))
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

static bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? strip(E) : nullptr);
  return DRE && DRE->getDecl() == V;
}

/// The object of `X.name()` or the argument of `std::name(X)`.
static const Expr *objectOfAccessor(const Expr *E,
                                    std::initializer_list<llvm::StringRef> Names) {
  E = strip(E);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && MC->getNumArgs() == 0 && MD->getIdentifier() &&
        llvm::is_contained(Names, MD->getName()))
      return strip(MC->getImplicitObjectArgument());
    return nullptr;
  }
  if (const auto *C = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (FD && C->getNumArgs() == 1 && FD->isInStdNamespace() &&
        FD->getIdentifier() && llvm::is_contained(Names, FD->getName()))
      return strip(C->getArg(0));
  }
  return nullptr;
}

static const Expr *beginOf(const Expr *E) {
  return objectOfAccessor(E, {"begin", "cbegin"});
}
static const Expr *endOf(const Expr *E) {
  return objectOfAccessor(E, {"end", "cend"});
}

static bool sameExpr(const Expr *A, const Expr *B, const ASTContext &AST) {
  if (!A || !B)
    return false;
  llvm::FoldingSetNodeID IA, IB;
  strip(A)->Profile(IA, AST, /*Canonical=*/true);
  strip(B)->Profile(IB, AST, /*Canonical=*/true);
  return IA == IB;
}

/// The container whose element count E is: `X.size()`, `std::size(X)`,
/// `std::ssize(X)`, `std::distance(X.begin(), X.end())`,
/// `X.end() - X.begin()`.
static const Expr *sizedContainer(const Expr *E, const ASTContext &AST) {
  E = strip(E);
  if (const Expr *X = objectOfAccessor(E, {"size", "ssize"}))
    return X;
  const Expr *From = nullptr, *To = nullptr;
  if (const auto *C = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C)) {
      if (Op->getOperator() == OO_Minus && Op->getNumArgs() == 2) {
        To = Op->getArg(0);
        From = Op->getArg(1);
      }
    } else if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
               FD->getName() == "distance" && C->getNumArgs() == 2) {
      From = C->getArg(0);
      To = C->getArg(1);
    }
  } else if (const auto *BO = dyn_cast<BinaryOperator>(E);
             BO && BO->getOpcode() == BO_Sub) {
    To = BO->getLHS();
    From = BO->getRHS();
  }
  if (!From || !To)
    return nullptr;
  const Expr *X = beginOf(From);
  return X && sameExpr(X, endOf(To), AST) ? X : nullptr;
}

namespace {
/// Whether a body writes a variable after its initialisation (assigns it,
/// increments it, takes its address or binds it to a reference to non-const).
class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
public:
  explicit WriteFinder(const VarDecl *V) : V(V) {}
  bool shouldVisitLambdaBody() const { return true; }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    Written |= BO->isAssignmentOp() && refersTo(BO->getLHS(), V);
    return !Written;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    Written |= (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf) &&
               refersTo(U->getSubExpr(), V);
    return !Written;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    Written |= C->getNumArgs() > 0 && C->isAssignmentOp() &&
               refersTo(C->getArg(0), V);
    return !Written;
  }
  bool VisitVarDecl(VarDecl *D) {
    QualType T = D->getType();
    Written |= T->isReferenceType() && !T.getNonReferenceType().isConstQualified() &&
               D->getInit() && refersTo(D->getInit(), V);
    return !Written;
  }
  bool Written = false;

private:
  const VarDecl *V;
};
} // namespace

/// E, with a local that Body never writes replaced by its initialiser, a
/// few times over (`int n = items.size(); wg.Add(n);`).
static const Expr *resolve(const Expr *E, const Stmt *Body) {
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    E = strip(E);
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) || !V->getInit() ||
        V->getType()->isReferenceType())
      return E;
    if (!V->getType().isConstQualified()) {
      WriteFinder W(V);
      W.TraverseStmt(const_cast<Stmt *>(Body));
      if (W.Written)
        return E;
    }
    E = V->getInit();
  }
  return E ? strip(E) : nullptr;
}

/// `++i`, `i++`, `i += 1`, on a built-in or an iterator.
static bool stepsByOne(const Stmt *Inc, const VarDecl *I,
                       const ASTContext &AST) {
  const auto *E = dyn_cast_or_null<Expr>(Inc);
  if (!E)
    return false;
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return U->isIncrementOp() && refersTo(U->getSubExpr(), I);
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(E))
    return CA->getOpcode() == BO_AddAssign && refersTo(CA->getLHS(), I) &&
           constantOf(CA->getRHS(), AST) == 1;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    return Op->getOperator() == OO_PlusPlus && Op->getNumArgs() >= 1 &&
           refersTo(Op->getArg(0), I);
  return false;
}

/// The loop variable of a `for` and its initial value.
static std::pair<const VarDecl *, const Expr *> loopVariable(const ForStmt *For) {
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit());
      DS && DS->isSingleDecl())
    if (const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl()))
      return {V, V->getInit()};
  if (const auto *A = dyn_cast_or_null<BinaryOperator>(For->getInit());
      A && A->getOpcode() == BO_Assign)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(A->getLHS()->IgnoreParenImpCasts()))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        return {V, A->getRHS()};
  return {nullptr, nullptr};
}

/// The bound of `i < B`, `i != B` or `B > i`.
static const Expr *upperBound(const Expr *Cond, const VarDecl *I) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreParenImpCasts();
  BinaryOperatorKind Op;
  const Expr *L, *R;
  if (const auto *RW = dyn_cast<CXXRewrittenBinaryOperator>(Cond)) {
    // `it != v.end()` in C++20, rewritten from operator==.
    CXXRewrittenBinaryOperator::DecomposedForm D = RW->getDecomposedForm();
    Op = D.Opcode;
    L = D.LHS;
    R = D.RHS;
  } else if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    Op = BO->getOpcode();
    L = BO->getLHS();
    R = BO->getRHS();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cond);
             OC && OC->isInfixBinaryOp() && OC->getNumArgs() == 2) {
    switch (OC->getOperator()) {
    case OO_Less: Op = BO_LT; break;
    case OO_Greater: Op = BO_GT; break;
    case OO_ExclaimEqual: Op = BO_NE; break;
    default: return nullptr;
    }
    L = OC->getArg(0);
    R = OC->getArg(1);
  } else {
    return nullptr;
  }
  if ((Op == BO_LT || Op == BO_NE) && refersTo(L, I))
    return R;
  if ((Op == BO_GT || Op == BO_NE) && refersTo(R, I))
    return L;
  return nullptr;
}

std::optional<int64_t> constantTripCount(const ForStmt *For,
                                         const ASTContext &AST) {
  auto [I, Init] = loopVariable(For);
  std::optional<int64_t> From = constantOf(Init, AST);
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(
      For->getCond() ? For->getCond()->IgnoreParenImpCasts() : nullptr);
  if (!I || !From || !Cond || !refersTo(Cond->getLHS(), I) ||
      !stepsByOne(For->getInc(), I, AST))
    return std::nullopt;
  std::optional<int64_t> To = constantOf(Cond->getRHS(), AST);
  if (!To)
    return std::nullopt;
  switch (Cond->getOpcode()) {
  case BO_LT:
    return std::max<int64_t>(0, *To - *From);
  case BO_LE:
    return std::max<int64_t>(0, *To - *From + 1);
  case BO_NE:
    if (*To >= *From)
      return *To - *From;
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

std::optional<TripCount> tripCountOf(const Stmt *Loop, ASTContext &AST) {
  TripCount T;
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop)) {
    T.Container = strip(R->getRangeInit());
    return T;
  }
  const auto *For = dyn_cast<ForStmt>(Loop);
  if (!For)
    return std::nullopt;
  if ((T.Constant = constantTripCount(For, AST)))
    return T;
  auto [I, Init] = loopVariable(For);
  if (!I || !Init || !stepsByOne(For->getInc(), I, AST))
    return std::nullopt;
  const Expr *Bound = upperBound(For->getCond(), I);
  if (!Bound)
    return std::nullopt;
  if (const Expr *X = beginOf(Init)) { // an iterator from begin() to end()
    if (!sameExpr(X, endOf(Bound), AST))
      return std::nullopt;
    T.Container = X;
    return T;
  }
  if (constantOf(Init, AST) != 0)
    return std::nullopt;
  if ((T.Container = sizedContainer(Bound, AST)))
    return T;
  T.Bound = strip(Bound);
  return T;
}

bool isTripCount(const Expr *Amount, const TripCount &Trip, const Stmt *Body,
                 ASTContext &AST) {
  if (Trip.Constant)
    return constantOf(Amount, AST) == *Trip.Constant;
  const Expr *A = resolve(Amount, Body);
  const Expr *Sized = sizedContainer(A, AST);
  if (Trip.Container)
    return Sized && sameExpr(Sized, Trip.Container, AST);
  if (!Trip.Bound)
    return false;
  const Expr *B = resolve(Trip.Bound, Body);
  if (const Expr *BoundSized = sizedContainer(B, AST))
    return Sized && sameExpr(Sized, BoundSized, AST);
  return sameExpr(A, B, AST);
}

const Stmt *enclosingLoop(const Stmt *S, const Stmt *Body, ASTContext &AST) {
  const Stmt *Prev = S;
  DynTypedNode N = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    DynTypedNodeList Parents = AST.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    const Stmt *P = N.get<Stmt>();
    if (!P) {
      if (N.get<Decl>() && isa<FunctionDecl>(N.get<Decl>()))
        return nullptr;
      Prev = nullptr; // a declaration: its DeclStmt comes next
      continue;
    }
    if (P == Body || isa<LambdaExpr>(P))
      return nullptr;
    const Stmt *LoopBody = nullptr;
    if (const auto *F = dyn_cast<ForStmt>(P))
      LoopBody = F->getBody();
    else if (const auto *R = dyn_cast<CXXForRangeStmt>(P))
      LoopBody = R->getBody();
    else if (const auto *W = dyn_cast<WhileStmt>(P))
      LoopBody = W->getBody();
    else if (const auto *D = dyn_cast<DoStmt>(P))
      LoopBody = D->getBody();
    if (LoopBody && Prev == LoopBody)
      return P;
    Prev = P;
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Iterations over the CFG
//===----------------------------------------------------------------------===//

CFGBlockIndex::CFGBlockIndex(const CFG &G, ASTContext &AST) : AST(AST) {
  for (const CFGBlock *B : G) {
    for (const CFGElement &E : *B)
      if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
        Blocks.try_emplace(S->getStmt(), B);
    if (const Stmt *T = B->getTerminatorStmt())
      Blocks.try_emplace(T, B);
  }
}

const CFGBlock *CFGBlockIndex::blockOf(const Stmt *S) const {
  DynTypedNode N = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    if (const Stmt *St = N.get<Stmt>())
      if (const CFGBlock *B = Blocks.lookup(St))
        return B;
    DynTypedNodeList Parents = AST.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
  }
  return nullptr;
}

/// Whether a `break` or `continue` leaves (or restarts) Loop itself rather
/// than a loop or switch inside it.
static bool jumpsOf(const Stmt *Jump, const Stmt *Loop, ASTContext &AST) {
  bool IsBreak = isa<BreakStmt>(Jump);
  DynTypedNode N = DynTypedNode::create(*Jump);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    DynTypedNodeList Parents = AST.getParents(N);
    if (Parents.empty())
      return false;
    N = Parents[0];
    const Stmt *P = N.get<Stmt>();
    if (!P)
      continue;
    if (P == Loop)
      return true;
    if (isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt, LambdaExpr>(P) ||
        (IsBreak && isa<SwitchStmt>(P)))
      return false;
  }
  return false;
}

using BlockSet = llvm::DenseSet<const CFGBlock *>;

/// The blocks reached from Start without entering a block of Stop.
static BlockSet reachable(const CFGBlock *Start, const BlockSet &Stop) {
  BlockSet Seen;
  llvm::SmallVector<const CFGBlock *, 16> Work;
  if (Start && !Stop.count(Start)) {
    Seen.insert(Start);
    Work.push_back(Start);
  }
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock *S : B->succs())
      if (S && !Stop.count(S) && Seen.insert(S).second)
        Work.push_back(S);
  }
  return Seen;
}

/// The blocks of Within from which a block of Targets is reached, walking
/// back from them and through Within only.
static BlockSet reachingWithin(const BlockSet &Targets, const BlockSet &Within) {
  BlockSet Seen;
  llvm::SmallVector<const CFGBlock *, 16> Work;
  for (const CFGBlock *T : Targets)
    if (Within.count(T) && Seen.insert(T).second)
      Work.push_back(T);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock *P : B->preds())
      if (P && Within.count(P) && Seen.insert(P).second)
        Work.push_back(P);
  }
  return Seen;
}

LoopSkips findLoopSkips(const CFG &G, const Stmt *Loop, const BlockSet &Spawn,
                        const BlockSet &Adjust, ASTContext &AST) {
  LoopSkips Out;
  const CFGBlock *Head = nullptr;
  for (const CFGBlock *B : G)
    if (B->getTerminatorStmt() == Loop) {
      Head = B;
      break;
    }
  if (!Head || Head->succ_size() != 2)
    return Out;
  const CFGBlock *BodyEntry = *Head->succ_begin();
  const CFGBlock *After = *std::next(Head->succ_begin());
  if (!BodyEntry)
    return Out;
  // An iteration ends where it reaches the loop's condition again or the
  // code after the loop.
  BlockSet Ends{Head};
  if (After)
    Ends.insert(After);
  auto IsOwn = [&](const CFGBlock *B, bool Break) {
    const Stmt *T = B->getTerminatorStmt();
    return T && (Break ? isa<BreakStmt>(T) : isa<ContinueStmt>(T)) &&
           jumpsOf(T, Loop, AST);
  };

  // Iterations that neither spawn nor adjust.
  BlockSet Stop = Ends;
  Stop.insert(Spawn.begin(), Spawn.end());
  Stop.insert(Adjust.begin(), Adjust.end());
  BlockSet Skipping = reachable(BodyEntry, Stop);
  BlockSet ToHead; // the blocks of Skipping that fall through to the head
  for (const CFGBlock *B : Skipping) {
    if (IsOwn(B, /*Break=*/false))
      Out.Continues.push_back(B->getTerminatorStmt());
    if (IsOwn(B, false))
      continue;
    for (const CFGBlock *S : B->succs())
      if (S == Head)
        ToHead.insert(B);
  }
  BlockSet NoContinue = Skipping;
  for (const CFGBlock *B : Skipping)
    if (IsOwn(B, false))
      NoContinue.erase(B);
  BlockSet FallsThrough = reachingWithin(ToHead, NoContinue);

  // The first branch of those paths whose other side leads to a spawn.
  BlockSet InLoop = reachable(BodyEntry, Ends);
  BlockSet ToSpawn = reachingWithin(Spawn, InLoop);
  const SourceManager &SM = AST.getSourceManager();
  for (const CFGBlock *B : FallsThrough) {
    if (B->succ_size() < 2 || !B->getTerminatorStmt())
      continue;
    const CFGBlock *Skip = nullptr, *Spawns = nullptr;
    for (const CFGBlock *S : B->succs()) {
      if (!S)
        continue;
      if (!Spawns && ToSpawn.count(S))
        Spawns = S;
      else if (!Skip && FallsThrough.count(S) && !ToSpawn.count(S))
        Skip = S; // no spawn is reachable any more
    }
    if (!Skip || !Spawns)
      continue;
    const Stmt *T = B->getTerminatorStmt();
    if (!Out.SkippingBranch ||
        SM.isBeforeInTranslationUnit(T->getBeginLoc(),
                                     Out.SkippingBranch->getBeginLoc())) {
      Out.SkippingBranch = T;
      Out.SkippingCondition = dyn_cast_or_null<Expr>(
          B->getTerminatorCondition(/*StripParens=*/true));
    }
  }

  // Breaks not preceded by an adjustment in their iteration: the later
  // iterations never spawn.
  BlockSet StopAtAdjust = Ends;
  StopAtAdjust.insert(Adjust.begin(), Adjust.end());
  for (const CFGBlock *B : reachable(BodyEntry, StopAtAdjust))
    if (IsOwn(B, /*Break=*/true))
      Out.Breaks.push_back(B->getTerminatorStmt());

  auto BySource = [&](const Stmt *A, const Stmt *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  };
  llvm::sort(Out.Continues, BySource);
  llvm::sort(Out.Breaks, BySource);
  return Out;
}

} // namespace concur
