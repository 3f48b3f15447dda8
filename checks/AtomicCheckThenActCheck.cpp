//===- AtomicCheckThenActCheck.cpp ----------------------------------------===//

#include "checks/AtomicCheckThenActCheck.h"
#include "checks/atomics/LoadDerivedValues.h"
#include "checks/engine/BodySites.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/Dominators.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace concur::atomics;

namespace concur {

namespace {

/// The atomic operations of a body, outside nested lambdas.
class OpWalk : public RecursiveASTVisitor<OpWalk> {
public:
  explicit OpWalk(llvm::function_ref<bool(const Stmt *, const AtomicOp &)> Visit)
      : Visit(Visit) {}
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }
  bool VisitStmt(Stmt *S) {
    if (std::optional<AtomicOp> Op = atomicOpOf(S))
      return Visit(S, *Op);
    return true;
  }

private:
  llvm::function_ref<bool(const Stmt *, const AtomicOp &)> Visit;
};

/// Every occurrence of one local in a body, nested lambdas included.
class LocalUses : public RecursiveASTVisitor<LocalUses> {
public:
  explicit LocalUses(const ValueDecl *V) : V(V) {}
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V)
      Uses.push_back(E);
    return true;
  }
  const ValueDecl *V;
  llvm::SmallVector<const DeclRefExpr *, 8> Uses;
};

const Stmt *parentOf(ASTContext &AST, const Stmt *S) {
  DynTypedNodeList Ps = AST.getParents(*S);
  return Ps.empty() ? nullptr : Ps[0].get<Stmt>();
}

/// The parent of E, parentheses and implicit casts skipped.
const Stmt *semanticParent(ASTContext &AST, const Stmt *E) {
  const Stmt *P = parentOf(AST, E);
  while (P && isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr>(P))
    P = parentOf(AST, P);
  return P;
}

bool inLoop(ASTContext &AST, const Stmt *S) {
  for (const Stmt *P = parentOf(AST, S); P; P = parentOf(AST, P)) {
    if (isa<LambdaExpr>(P))
      return false;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
      return true;
  }
  return false;
}

/// The one statement a branch runs: the statement, or a block's only one.
const Stmt *onlyStatement(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    return CS->size() == 1 ? CS->body_front() : nullptr;
  return S;
}

const Stmt *withoutCleanups(const Stmt *S) {
  if (const auto *EWC = dyn_cast_or_null<ExprWithCleanups>(S))
    return EWC->getSubExpr();
  return S;
}

/// The load that a condition tests directly: `f`, `!f`, `f.load()`,
/// `a != K`; the constant K and whether the test is a negation.
struct DirectTest {
  const Expr *Load = nullptr;
  std::optional<llvm::APSInt> Unequal; // `a != K`
  bool Negated = false;                // `!f`
};

DirectTest directTest(const Expr *Cond, const ASTContext &AST) {
  DirectTest T;
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot) {
    T.Negated = true;
    E = U->getSubExpr()->IgnoreParenImpCasts();
  }
  auto AsLoad = [](const Expr *X) -> const Expr * {
    X = X->IgnoreParenImpCasts();
    if (std::optional<AtomicOp> Op = atomicOpOf(X);
        Op && Op->Kind == AtomicOpKind::Load)
      return X;
    return nullptr;
  };
  if (!T.Negated) {
    const Expr *L = nullptr, *R = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->getOpcode() == BO_NE) {
      L = B->getLHS();
      R = B->getRHS();
    } else if (const auto *O = dyn_cast<CXXOperatorCallExpr>(E);
               O && O->getOperator() == OO_ExclaimEqual && O->getNumArgs() == 2) {
      L = O->getArg(0);
      R = O->getArg(1);
    }
    if (L) {
      Expr::EvalResult V;
      if ((T.Load = AsLoad(L)) && R->EvaluateAsInt(V, AST))
        T.Unequal = V.Val.getInt();
      else
        T.Load = nullptr;
      return T;
    }
  }
  T.Load = AsLoad(E);
  return T;
}

} // namespace

void AtomicCheckThenActCheck::beginEntry(const FunctionDecl *Entry) {
  Current = Entry;
  if (Seen.insert(Entry).second)
    AllFunctions.push_back(Entry);
}

bool AtomicCheckThenActCheck::needsEntry(const FunctionDecl *FD) {
  bool Stores = false;
  auto Visit = [&](const Stmt *, const AtomicOp &Op) {
    Stores = Op.Kind == AtomicOpKind::Store;
    return !Stores;
  };
  OpWalk Walk(Visit);
  Walk.TraverseStmt(FD->getBody());
  return Stores;
}

void AtomicCheckThenActCheck::visitStmt(const Stmt *S, const LockSet &Held,
                                        llvm::ArrayRef<const Expr *> Via) {
  // A lambda replayed in place is also an entry of its own.
  if (!Via.empty() || !Current)
    return;
  std::optional<AtomicOp> Op = atomicOpOf(S);
  if (!Op)
    return;
  llvm::SmallVector<LockId, 2> Locks;
  for (auto &KV : Held)
    if (KV.second.held())
      Locks.push_back(KV.first);
  if (Op->writes())
    Writes[Op->Object].push_back({S, Current, Locks});
  HeldAt[S] = std::move(Locks);
}

void AtomicCheckThenActCheck::endEntry(const FunctionDecl *Entry,
                                       llvm::ArrayRef<ExitPath>) {
  analyzeFunction(Entry);
}

void AtomicCheckThenActCheck::analyzeRemaining(
    llvm::ArrayRef<const FunctionDecl *> Skipped) {
  for (const FunctionDecl *FD : Skipped) {
    if (Seen.insert(FD).second)
      AllFunctions.push_back(FD);
    auto Visit = [&](const Stmt *S, const AtomicOp &Op) {
      if (Op.writes())
        Writes[Op.Object].push_back({S, FD, {}});
      return true;
    };
    OpWalk Walk(Visit);
    Walk.TraverseStmt(FD->getBody());
  }
}

llvm::SmallVector<LockId, 2>
AtomicCheckThenActCheck::locksAt(const Stmt *S) const {
  auto It = HeldAt.find(S);
  return It == HeldAt.end() ? llvm::SmallVector<LockId, 2>() : It->second;
}

void AtomicCheckThenActCheck::analyzeFunction(const FunctionDecl *FD) {
  const CFG *G = Ctx.CFGs.get(FD);
  if (!G)
    return;
  // The stores, and the atomics a compare-exchange updates (a CAS loop
  // decides its own store).
  llvm::DenseSet<const ValueDecl *> Exchanged;
  bool AnyStore = false;
  for (const CFGBlock *B : *G)
    for (const CFGElement &E : *B)
      if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
        if (std::optional<AtomicOp> Op = atomicOpOf(CS->getStmt())) {
          AnyStore |= Op->Kind == AtomicOpKind::Store;
          if (Op->Kind == AtomicOpKind::CompareExchange)
            Exchanged.insert(Op->Object);
        }
  if (!AnyStore)
    return;

  LoadDerivedValues Flow(*G);
  Flow.run();
  std::optional<ControlDependencyCalculator> Control;
  auto OriginOf = [](llvm::ArrayRef<LoadOrigin> Os,
                     const ValueDecl *A) -> const Expr * {
    for (const LoadOrigin &O : Os)
      if (O.Atomic == A)
        return O.Load;
    return nullptr;
  };

  for (const CFGBlock *B : *G) {
    DerivedLocals State = Flow.atEntry(B);
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      std::optional<AtomicOp> Op = atomicOpOf(S);
      if (Op && Op->Kind == AtomicOpKind::Store &&
          !Exchanged.count(Op->Object) && !staysInFunction(Op->Object, FD)) {
        Candidate C{FD, S, *Op, nullptr, nullptr, {}};
        llvm::SmallVector<LoadOrigin, 2> Os;
        LoadDerivedValues::originsOf(Op->Value, State, Os);
        C.Load = OriginOf(Os, Op->Object);
        if (!C.Load) {
          if (!Control)
            Control.emplace(const_cast<CFG *>(G));
          for (CFGBlock *D : Control->getControlDependencies(const_cast<CFGBlock *>(B))) {
            const auto *Cond = dyn_cast_or_null<Expr>(D->getTerminatorCondition());
            if (!Cond || guardsOnlyAFailure(D))
              continue;
            // A test written after the store decides it only by letting a
            // loop come round again (`x = 0; ...; if (x > 0) ASSERT...` in a
            // loop body): that is not a check before an act.
            if (Ctx.AST.getSourceManager().isBeforeInTranslationUnit(
                    S->getBeginLoc(), Cond->getBeginLoc()))
              continue;
            Os.clear();
            LoadDerivedValues::originsOf(Cond, Flow.atExit(D), Os);
            if (const Expr *L = OriginOf(Os, Op->Object)) {
              C.Load = L;
              C.Test = D->getTerminatorStmt();
              break;
            }
          }
        }
        if (C.Load && !(C.Test && idempotentStore(C.Test, S, *Op, C.Load)) &&
            !(explicitOrder(C.Load) && explicitOrder(S)) &&
            !otherObject(C.Load, *Op)) {
          llvm::SmallVector<LockId, 2> AtStore = locksAt(S);
          for (LockId L : locksAt(C.Load))
            if (llvm::is_contained(AtStore, L))
              C.CommonLocks.push_back(L);
          Candidates.push_back(std::move(C));
        }
      }
      LoadDerivedValues::transfer(S, State);
    }
  }
}

/// A branch one side of which only fails (`assert(a.load() <= v)`, a check
/// that aborts, a test framework's ASSERT_ macro that returns): it states an
/// invariant, it does not decide the store.
bool AtomicCheckThenActCheck::guardsOnlyAFailure(const CFGBlock *Branch) const {
  for (const CFGBlock::AdjacentBlock &Succ : Branch->succs())
    if (const CFGBlock *S = Succ.getReachableBlock(); S && S->hasNoReturnElement())
      return true;
  const Stmt *T = Branch->getTerminatorStmt();
  if (!T || !T->getBeginLoc().isMacroID())
    return false;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  // The outermost macro the branch was written by.
  SourceLocation L = T->getBeginLoc();
  llvm::StringRef Name;
  for (unsigned Depth = 0; L.isMacroID() && Depth < 32; ++Depth) {
    Name = Lexer::getImmediateMacroName(L, SM, Ctx.AST.getLangOpts());
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return Name.starts_with("ASSERT_") || Name.starts_with("EXPECT_") ||
         Name.starts_with("CHECK") || Name.starts_with("DCHECK") ||
         Name == "assert";
}

/// Whether an atomic call passes a memory order. A load feeding a store of
/// the same atomic, both with the order written out
/// (`n_.store(n_.load(std::memory_order_relaxed) + 1, relaxed)`,
/// acquire/release alike), is the single-writer idiom: one owner thread
/// updates, others read, and the author chose not to pay for fetch_add.
bool AtomicCheckThenActCheck::explicitOrder(const Stmt *Op) const {
  const auto *Call = dyn_cast_or_null<CallExpr>(Op);
  if (const auto *Cleanups = dyn_cast_or_null<ExprWithCleanups>(Op))
    Call = dyn_cast<CallExpr>(Cleanups->getSubExpr()->IgnoreImplicit());
  if (!Call)
    return false;
  for (const Expr *Arg : Call->arguments()) {
    if (isa<CXXDefaultArgExpr>(Arg))
      continue;
    const auto *TD = Arg->IgnoreParenImpCasts()->getType()->getAsTagDecl();
    if (TD && TD->getName() == "memory_order")
      return true;
  }
  return false;
}

/// The base object a member access goes through: `this` (written or not),
/// or the variable named; null otherwise.
static const Decl *baseObject(const Expr *ObjectExpr, bool &IsThis) {
  IsThis = false;
  const auto *ME = dyn_cast_or_null<MemberExpr>(ObjectExpr ? ObjectExpr->IgnoreParenImpCasts() : nullptr);
  if (!ME)
    return nullptr;
  const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(Base)) {
    IsThis = true;
    return nullptr;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
    return DRE->getDecl();
  return nullptr;
}

/// Whether the load reads the field of another object than the store
/// writes (`x_ = other.x_.load()` in a copy assignment): one field
/// declaration, two atomics.
bool AtomicCheckThenActCheck::otherObject(const Expr *Load,
                                          const atomics::AtomicOp &Store) const {
  std::optional<atomics::AtomicOp> L = atomicOpOf(Load);
  if (!L)
    return false;
  bool LoadThis, StoreThis;
  const Decl *LoadBase = baseObject(L->ObjectExpr, LoadThis);
  const Decl *StoreBase = baseObject(Store.ObjectExpr, StoreThis);
  if (LoadThis || StoreThis)
    return LoadThis != StoreThis && (LoadBase || StoreBase);
  return LoadBase && StoreBase && LoadBase != StoreBase;
}

bool AtomicCheckThenActCheck::idempotentStore(const Stmt *Test,
                                              const Stmt *Store,
                                              const AtomicOp &Op,
                                              const Expr *Load) const {
  const auto *If = dyn_cast_or_null<IfStmt>(Test);
  if (!If || If->getElse() || If->getInit() || If->getConditionVariable())
    return false;
  // The branch's only statement must be this store.
  const Stmt *Only = withoutCleanups(onlyStatement(If->getThen()));
  if (const auto *E = dyn_cast_or_null<Expr>(Only))
    Only = E->IgnoreImplicit();
  if (!Only || Only != Store)
    return false;
  DirectTest T = directTest(If->getCond(), Ctx.AST);
  if (T.Load != Load)
    return false;
  Expr::EvalResult V;
  if (!Op.Value->EvaluateAsInt(V, Ctx.AST))
    return false;
  llvm::APSInt Stored = V.Val.getInt();
  if (T.Unequal)
    return llvm::APSInt::isSameValue(*T.Unequal, Stored);
  // `if (!f) f = true;` or `if (f) f = false;`
  return T.Negated ? Stored != 0 : Stored == 0;
}

bool AtomicCheckThenActCheck::staysInFunction(const ValueDecl *A,
                                              const FunctionDecl *FD) const {
  const auto *VD = dyn_cast<VarDecl>(A);
  if (!VD || !VD->hasLocalStorage() || VD->getDeclContext() != FD ||
      isa<ParmVarDecl>(VD))
    return false;
  LocalUses Uses(VD);
  Uses.TraverseStmt(FD->getBody());
  for (const DeclRefExpr *U : Uses.Uses) {
    if (U->refersToEnclosingVariableOrCapture())
      return false; // a lambda or block captures it
    const Stmt *P = semanticParent(Ctx.AST, U);
    if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(P);
        MC && MC->getImplicitObjectArgument()->IgnoreParenImpCasts() == U)
      continue;
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(P);
        ME && !ME->isArrow() && isa_and_nonnull<CXXMemberCallExpr>(semanticParent(Ctx.AST, ME)))
      continue; // `a.load()`: the callee names the object
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
        OC && OC->getNumArgs() >= 1 && OC->getArg(0)->IgnoreParenImpCasts() == U &&
        atomicOpOf(OC))
      continue;
    if (P && atomicOpOf(P))
      continue; // C _Atomic: a read, an assignment, an increment
    return false;
  }
  return true;
}

bool AtomicCheckThenActCheck::serialisedByLock(const Candidate &C) const {
  if (C.CommonLocks.empty())
    return false;
  auto It = Writes.find(C.Op.Object);
  for (LockId L : C.CommonLocks) {
    bool All = true;
    if (It != Writes.end())
      for (const Write &W : It->second)
        if (W.S != C.Store && !llvm::is_contained(W.Locks, L)) {
          All = false;
          break;
        }
    if (All)
      return true;
  }
  return false;
}

void AtomicCheckThenActCheck::computeSpawns() {
  SpawnsComputed = true;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const FunctionDecl *, 8>> Calls;
  llvm::SmallVector<std::pair<const Expr *, const FunctionDecl *>, 8> Spawns;
  auto Scan = [&](const FunctionDecl *FD) {
    BodySites Sites = sitesOf(FD->getBody(), Ctx.Models);
    Spawns.append(Sites.Spawns.begin(), Sites.Spawns.end());
    Calls[FD] = definedCallees(Sites);
  };
  for (const FunctionDecl *FD : AllFunctions)
    Scan(FD);
  // A spawned body runs on its thread, and so do the functions it calls,
  // a few levels down (`[this] { run(); }`).
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (auto [Site, Body] : Spawns) {
    llvm::DenseSet<const FunctionDecl *> Reached;
    llvm::SmallVector<std::pair<const FunctionDecl *, unsigned>, 8> Work{{Body, 0}};
    while (!Work.empty()) {
      auto [FD, Depth] = Work.pop_back_val();
      if (!Reached.insert(FD).second)
        continue;
      SpawnsOf[FD].push_back(Site);
      if (Depth >= 3)
        continue;
      if (!Calls.count(FD) && FD->hasBody())
        Scan(FD);
      for (const FunctionDecl *C : Calls.lookup(FD))
        if (!SM.isInSystemHeader(C->getLocation()))
          Work.push_back({C, Depth + 1});
    }
  }
}

bool AtomicCheckThenActCheck::onlyWriterOnOneThread(const Candidate &C) {
  auto It = Writes.find(C.Op.Object);
  if (It != Writes.end())
    for (const Write &W : It->second)
      if (W.Fn != C.Fn)
        return false;
  if (!SpawnsComputed)
    computeSpawns();
  auto S = SpawnsOf.find(C.Fn);
  return S != SpawnsOf.end() && S->second.size() == 1 &&
         !inLoop(Ctx.AST, S->second.front());
}

void AtomicCheckThenActCheck::finish() {
  llvm::DenseSet<const Stmt *> Reported;
  for (const Candidate &C : Candidates) {
    if (!Reported.insert(C.Store).second || serialisedByLock(C) ||
        onlyWriterOnOneThread(C))
      continue;
    report(C);
  }
}

std::string AtomicCheckThenActCheck::text(const Expr *E) const {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
  if (R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return {};
  return Lexer::getSourceText(R, SM, Ctx.AST.getLangOpts()).str();
}

void AtomicCheckThenActCheck::report(const Candidate &C) {
  std::string Name = "'" + C.Op.Object->getNameAsString() + "'";
  Finding F;
  F.CheckId = Id;
  F.Loc = C.Store->getBeginLoc();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C.Store))
    F.Loc = MC->getExprLoc();
  else if (const auto *E = dyn_cast<Expr>(C.Store))
    F.Loc = E->getExprLoc();
  if (C.Test)
    F.Message = "this store to " + Name + " is decided by an earlier load of " +
                Name + ", a separate atomic step: two threads can both pass "
                "the test and both store; use compare_exchange or exchange";
  else
    F.Message = "this store to " + Name + " writes a value computed from an "
                "earlier load of " + Name + ", a separate atomic step: a "
                "concurrent update in between is lost; use a fetch_ operation "
                "or a compare_exchange loop";
  F.Notes.push_back({C.Load->getExprLoc(), Name + " is loaded here"});
  if (C.Test)
    F.Notes.push_back({C.Test->getBeginLoc(),
                       "the loaded value decides here whether the store runs"});
  if (std::optional<FindingFix> Fix = fetchFix(C))
    F.Fixes.push_back(std::move(*Fix));
  else
    for (FindingFix &X : exchangeFix(C))
      F.Fixes.push_back(std::move(X));
  Out.push_back(std::move(F));
}

std::optional<FindingFix>
AtomicCheckThenActCheck::fetchFix(const Candidate &C) const {
  const AtomicOp &Op = C.Op;
  if (C.Test || Op.ExtraArgs || !Op.Value)
    return std::nullopt;
  bool IsCall = isa<CXXMemberCallExpr>(C.Store);
  if (!IsCall) {
    // `x = x + n` has a value (the new one): only where it is discarded.
    if (!isa<CXXOperatorCallExpr>(C.Store) ||
        !isa_and_nonnull<CompoundStmt>(parentOf(Ctx.AST, C.Store)))
      return std::nullopt;
  }
  const auto *BO = dyn_cast<BinaryOperator>(Op.Value->IgnoreParenImpCasts());
  if (!BO)
    return std::nullopt;
  const char *Fetch = nullptr;
  switch (BO->getOpcode()) {
  case BO_Add: Fetch = "fetch_add"; break;
  case BO_Sub: Fetch = "fetch_sub"; break;
  case BO_Or: Fetch = "fetch_or"; break;
  case BO_And: Fetch = "fetch_and"; break;
  case BO_Xor: Fetch = "fetch_xor"; break;
  default: return std::nullopt;
  }
  QualType VT = atomicValueType(Op.ObjectExpr->getType()->isPointerType()
                                    ? Op.ObjectExpr->getType()->getPointeeType()
                                    : Op.ObjectExpr->getType());
  if (VT.isNull() || VT->isBooleanType() ||
      !(VT->isIntegerType() ||
        (VT->isPointerType() && (BO->getOpcode() == BO_Add ||
                                 BO->getOpcode() == BO_Sub))))
    return std::nullopt;
  const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
  std::optional<AtomicOp> Load = atomicOpOf(L);
  if (!Load || Load->Kind != AtomicOpKind::Load || Load->ExtraArgs ||
      Load->Object != Op.Object || Load->Arrow != Op.Arrow)
    return std::nullopt;
  // The operand must not read the atomic again.
  llvm::SmallVector<LoadOrigin, 2> Os;
  LoadDerivedValues::originsOf(BO->getRHS(), DerivedLocals(), Os);
  if (llvm::any_of(Os, [&](const LoadOrigin &O) { return O.Atomic == Op.Object; }))
    return std::nullopt;
  std::string Obj = text(Op.ObjectExpr), LoadObj = text(Load->ObjectExpr),
              N = text(BO->getRHS()->IgnoreParens()), Whole = text(cast<Expr>(C.Store));
  if (Obj.empty() || Obj != LoadObj || N.empty() || Whole.empty())
    return std::nullopt;
  return FindingFix{
      CharSourceRange::getTokenRange(C.Store->getSourceRange()),
      Obj + (Op.Arrow ? "->" : ".") + Fetch + "(" + N + ")"};
}

std::vector<FindingFix>
AtomicCheckThenActCheck::exchangeFix(const Candidate &C) const {
  const AtomicOp &Op = C.Op;
  const auto *If = dyn_cast_or_null<IfStmt>(C.Test);
  if (!If || If->getElse() || If->getInit() || If->getConditionVariable() ||
      Op.ExtraArgs || !Op.Value)
    return {};
  QualType VT = atomicValueType(Op.ObjectExpr->getType());
  if (VT.isNull() || !VT->isBooleanType())
    return {};
  const auto *TrueLit = dyn_cast<CXXBoolLiteralExpr>(Op.Value->IgnoreParenImpCasts());
  if (!TrueLit || !TrueLit->getValue())
    return {};
  // `if (!f) { f = true; ... }`: the store is the block's first statement.
  const auto *Then = dyn_cast<CompoundStmt>(If->getThen());
  if (!Then || Then->body_empty() ||
      withoutCleanups(Then->body_front()) != C.Store)
    return {};
  DirectTest T = directTest(If->getCond(), Ctx.AST);
  if (!T.Negated || T.Load != C.Load ||
      !isa<UnaryOperator>(If->getCond()->IgnoreParenImpCasts()))
    return {};
  std::optional<AtomicOp> Load = atomicOpOf(T.Load);
  if (!Load || Load->ExtraArgs || Load->Arrow != Op.Arrow)
    return {};
  std::string Obj = text(Op.ObjectExpr);
  if (Obj.empty() || Obj != text(Load->ObjectExpr) || text(T.Load).empty())
    return {};

  // Delete the store with its semicolon, and its indentation when it is
  // alone on its line (the line itself stays: the front ends apply fix-its
  // of one line).
  const SourceManager &SM = Ctx.AST.getSourceManager();
  const LangOptions &LO = Ctx.AST.getLangOpts();
  SourceLocation Begin = C.Store->getBeginLoc();
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      C.Store->getEndLoc(), tok::semi, SM, LO, /*SkipTrailingWhitespaceAndNewLine=*/false);
  if (Begin.isMacroID() || AfterSemi.isInvalid())
    return {};
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(SM.getFileID(Begin), &Invalid);
  if (Invalid)
    return {};
  unsigned B = SM.getFileOffset(Begin), E = SM.getFileOffset(AfterSemi);
  unsigned LineStart = B;
  while (LineStart > 0 && (Buf[LineStart - 1] == ' ' || Buf[LineStart - 1] == '\t'))
    --LineStart;
  unsigned LineEnd = E;
  while (LineEnd < Buf.size() && (Buf[LineEnd] == ' ' || Buf[LineEnd] == '\t'))
    ++LineEnd;
  if ((LineStart == 0 || Buf[LineStart - 1] == '\n') &&
      (LineEnd == Buf.size() || Buf[LineEnd] == '\n' || Buf[LineEnd] == '\r')) {
    B = LineStart;
    E = LineEnd;
  }
  SourceLocation FileStart = SM.getLocForStartOfFile(SM.getFileID(Begin));
  std::vector<FindingFix> Fixes;
  Fixes.push_back({CharSourceRange::getTokenRange(T.Load->getSourceRange()),
                   Obj + (Op.Arrow ? "->" : ".") + "exchange(true)"});
  Fixes.push_back({CharSourceRange::getCharRange(FileStart.getLocWithOffset(B),
                                                 FileStart.getLocWithOffset(E)),
                   ""});
  return Fixes;
}

} // namespace concur
