//===- NonatomicFlagCheck.cpp ---------------------------------------------===//

#include "checks/NonatomicFlagCheck.h"
#include "checks/engine/BodySites.h"
#include "checks/unguarded/VariableUses.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

namespace {

const Expr *stripParens(const Expr *E) {
  return E ? E->IgnoreParenImpCasts() : nullptr;
}

/// Whether a call joins a thread: `t.join()` on a modelled thread type,
/// pthread_join, thrd_join.
bool isJoin(const CallExpr *C, const ModelMatcher &Models) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  if (Name == "pthread_join" || Name == "thrd_join")
    return true;
  if (Name != "join")
    return false;
  MatchedEffect M = Models.effectOfCall(C);
  return M && M.Type && M.Type->Kind == TypeKind::Thread;
}

/// A scalar a thread can poll: a bool, an integer or an enumeration that is
/// neither atomic nor const.
bool isFlagType(QualType T) {
  if (T.isNull() || T->isReferenceType() || T.isConstQualified() ||
      T->isAtomicType() || T->isDependentType())
    return false;
  return T->isBooleanType() || T->isIntegerType() || T->isEnumeralType();
}

/// Whether a statement leaves the loop around it: a break or a return,
/// alone or as the last statement of a block.
bool exitsLoop(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  return isa_and_nonnull<BreakStmt, ReturnStmt>(S);
}

/// The occurrences of variables in a body that takes no lock.
class OccurrenceWalk : public RecursiveASTVisitor<OccurrenceWalk> {
public:
  explicit OccurrenceWalk(llvm::function_ref<void(const Expr *)> Visit)
      : Visit(Visit) {}
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitMemberExpr(MemberExpr *E) {
    Visit(E);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Visit(E);
    return true;
  }

private:
  llvm::function_ref<void(const Expr *)> Visit;
};

/// Whether a lambda's body names a local of its enclosing function by
/// reference (a write there is seen here).
bool capturedByReference(const FunctionDecl *LambdaBody, const VarDecl *VD) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(LambdaBody);
  if (!MD || !MD->getParent()->isLambda())
    return false;
  for (const LambdaCapture &C : MD->getParent()->captures())
    if (C.capturesVariable() && C.getCapturedVar() == VD)
      return C.getCaptureKind() == LCK_ByRef;
  return false;
}

} // namespace

const ValueDecl *NonatomicFlagCheck::flagOf(const Expr *E) const {
  const ValueDecl *V = unguarded::sharedVariableOf(E);
  if (!V)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD))
        V = VD;
  if (!V || !isFlagType(V->getType()))
    return nullptr;
  return V;
}

bool NonatomicFlagCheck::isWrite(const Expr *E) const {
  const Expr *Child = E;
  DynTypedNodeList Parents = Ctx.AST.getParents(*E);
  while (!Parents.empty()) {
    const Expr *P = Parents[0].get<Expr>();
    if (!P)
      return false;
    if (isa<ParenExpr>(P)) {
      Child = P;
      Parents = Ctx.AST.getParents(*P);
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      return BO->isAssignmentOp() && stripParens(BO->getLHS()) == stripParens(Child);
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->isIncrementDecrementOp();
    return false;
  }
  return false;
}

bool NonatomicFlagCheck::isLoopExitTest(const Expr *E) const {
  const Stmt *Child = E;
  DynTypedNodeList Parents = Ctx.AST.getParents(*E);
  const IfStmt *ExitIf = nullptr;
  for (unsigned Depth = 0; !Parents.empty() && Depth < 64; ++Depth) {
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P || isa<LambdaExpr>(P))
      return false;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      return ExitIf || W->getCond() == Child;
    if (const auto *D = dyn_cast<DoStmt>(P))
      return ExitIf || D->getCond() == Child;
    if (const auto *F = dyn_cast<ForStmt>(P))
      return ExitIf || F->getCond() == Child;
    if (isa<CXXForRangeStmt>(P))
      return ExitIf != nullptr;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (!ExitIf && If->getCond() == Child && exitsLoop(If->getThen()))
        ExitIf = If; // keep looking for the loop it leaves
      else if (!ExitIf)
        return false;
    } else if (!isa<Expr>(P) && !ExitIf) {
      return false; // a statement of its own, not a condition
    }
    Child = P;
    Parents = Ctx.AST.getParents(*P);
  }
  return false;
}

void NonatomicFlagCheck::record(const Expr *E, const FunctionDecl *Fn,
                                const LockSet *Held) {
  if (!Fn || !isa<MemberExpr, DeclRefExpr>(E) || !Seen.insert(E).second)
    return;
  const ValueDecl *V = flagOf(E);
  if (!V)
    return;
  bool Write = isWrite(E);
  const auto *Local = dyn_cast<VarDecl>(V);
  if (Local && !Local->hasLocalStorage())
    Local = nullptr;
  if (!Write) {
    if (!isLoopExitTest(E))
      return;
    // A local is shared only with a lambda that captures it by reference.
    if (Local && !capturedByReference(Fn, Local))
      return;
  }
  Access A{E, Fn, {}};
  if (Held)
    for (auto &KV : *Held)
      if (KV.second.held())
        A.Locks.push_back(KV.first);
  (Write ? Writes[V] : Reads[V]).push_back(std::move(A));
}

void NonatomicFlagCheck::noteSpawn(const Expr *Site, const FunctionDecl *Fn) {
  ThreadEvents &T = Threads[Fn];
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (T.FirstSpawn.isInvalid() ||
      SM.isBeforeInTranslationUnit(Site->getBeginLoc(), T.FirstSpawn))
    T.FirstSpawn = Site->getBeginLoc();
}

void NonatomicFlagCheck::noteJoin(const Expr *Call, const FunctionDecl *Fn) {
  ThreadEvents &T = Threads[Fn];
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (T.LastJoin.isInvalid() ||
      SM.isBeforeInTranslationUnit(T.LastJoin, Call->getBeginLoc()))
    T.LastJoin = Call->getBeginLoc();
}

void NonatomicFlagCheck::visitCall(const CallSite &Site) {}

void NonatomicFlagCheck::visitStmt(const Stmt *S, const LockSet &Held,
                                   llvm::ArrayRef<const Expr *> Via) {
  // A lambda replayed in place is also an entry of its own.
  if (!Via.empty())
    return;
  if (const auto *E = dyn_cast<Expr>(S))
    record(E, CurrentEntry, &Held);
}

void NonatomicFlagCheck::analyzeRemaining(
    llvm::ArrayRef<const FunctionDecl *> Skipped) {
  for (const FunctionDecl *FD : Skipped) {
    if (Entries.insert(FD).second)
      AllEntries.push_back(FD);
    auto Record = [&](const Expr *E) { record(E, FD, nullptr); };
    OccurrenceWalk Walk(Record);
    Walk.TraverseStmt(FD->getBody());
  }
}

void NonatomicFlagCheck::computeThreadFunctions() {
  // Every function with a body: where it spawns and joins, and what it calls.
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const FunctionDecl *, 8>>
      Calls;
  auto Scan = [&](const FunctionDecl *FD) {
    BodySites Sites = sitesOf(FD->getBody(), Ctx.Models);
    for (auto [Site, Body] : Sites.Spawns) {
      noteSpawn(Site, FD);
      Spawned.insert({Body, Site});
    }
    for (const Expr *E : Sites.Calls)
      if (const auto *C = dyn_cast<CallExpr>(E); C && isJoin(C, Ctx.Models))
        noteJoin(C, FD);
    Calls[FD] = definedCallees(Sites);
  };
  llvm::DenseSet<const FunctionDecl *> Scanned;
  for (const FunctionDecl *FD : AllEntries)
    if (Scanned.insert(FD).second)
      Scan(FD);

  // A spawned body runs on its thread, and so do the functions it calls
  // (a few levels down: `[this] { run(); }`).
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (auto [Body, Site] : Spawned) {
    llvm::SmallVector<std::pair<const FunctionDecl *, unsigned>, 8> Work{{Body, 0}};
    while (!Work.empty()) {
      auto [FD, Depth] = Work.pop_back_val();
      if (!OnThread.try_emplace(FD, Site).second || Depth >= 3)
        continue;
      if (!Scanned.count(FD) && FD->hasBody()) {
        Scanned.insert(FD);
        Scan(FD);
      }
      for (const FunctionDecl *C : Calls.lookup(FD))
        if (!SM.isInSystemHeader(C->getLocation()))
          Work.push_back({C, Depth + 1});
    }
  }
}

bool NonatomicFlagCheck::outsideThreadLifetime(const Access &W) const {
  if (isa<CXXConstructorDecl>(W.Fn))
    return true;
  auto It = Threads.find(W.Fn);
  if (It == Threads.end())
    return false;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  SourceLocation Loc = W.E->getBeginLoc();
  const ThreadEvents &T = It->second;
  if (T.FirstSpawn.isValid() && SM.isBeforeInTranslationUnit(Loc, T.FirstSpawn))
    return true;
  return T.LastJoin.isValid() && SM.isBeforeInTranslationUnit(T.LastJoin, Loc);
}

void NonatomicFlagCheck::finish() {
  if (Reads.empty())
    return;
  computeThreadFunctions();
  struct Pending {
    const ValueDecl *V;
    const Access *R, *W;
    const Expr *Spawn;
  };
  std::vector<Pending> Found;
  for (auto &[V, VarReads] : Reads) {
    auto WIt = Writes.find(V);
    if (WIt == Writes.end())
      continue;
    for (const Access &R : VarReads) {
      auto Thread = OnThread.find(R.Fn);
      if (Thread == OnThread.end())
        continue;
      for (const Access &W : WIt->second) {
        if (W.Fn == R.Fn || outsideThreadLifetime(W))
          continue;
        // Another function of the same thread writes it: no second thread.
        if (auto WT = OnThread.find(W.Fn);
            WT != OnThread.end() && WT->second == Thread->second)
          continue;
        if (llvm::any_of(R.Locks, [&](LockId L) {
              return llvm::is_contained(W.Locks, L);
            }))
          continue;
        Found.push_back({V, &R, &W, Thread->second});
        break;
      }
    }
  }
  // The fix-its look at every use of the flags reported, in one walk.
  for (const Pending &P : Found)
    AllUses.try_emplace(P.V);
  for (const Pending &P : Found)
    report(P.V, *P.R, *P.W, P.Spawn);
}

void NonatomicFlagCheck::report(const ValueDecl *V, const Access &R,
                                const Access &W, const Expr *Spawn) {
  PrintingPolicy Policy(Ctx.AST.getLangOpts());
  Policy.SuppressTagKeyword = true;
  QualType T = V->getType();
  bool Volatile = T.isVolatileQualified();
  std::string Type = T.getUnqualifiedType().getAsString(Policy);
  std::string Name = "'" + V->getNameAsString() + "'";

  Finding F;
  F.CheckId = Id;
  F.Loc = R.E->getExprLoc();
  F.Message = Name + " decides when this loop on another thread ends, but is "
              "written elsewhere without a lock held at both: ";
  F.Message += Volatile ? "'volatile' makes every load happen but neither "
                          "atomic nor ordered with the writer's other stores"
                        : "the compiler may load it once and the loop never "
                          "see the write";
  F.Message += "; make it 'std::atomic<" + Type + ">'";
  if (std::optional<FindingFix> Fix = atomicFix(V))
    F.Fixes.push_back(std::move(*Fix));
  std::string Writer = ModelMatcher::matchName(W.Fn);
  if (const auto *MD = dyn_cast<CXXMethodDecl>(W.Fn);
      MD && MD->getParent()->isLambda())
    Writer = "a lambda";
  else
    Writer = "'" + Writer + "'";
  F.Notes.push_back({Spawn->getBeginLoc(), "the loop runs on the thread started here"});
  F.Notes.push_back({W.E->getExprLoc(), Name + " is written here, in " + Writer +
                                            (W.Locks.empty() ? ", with no lock held"
                                                             : "")});
  Out.push_back(std::move(F));
}

} // namespace concur

namespace concur {

namespace {

/// Every occurrence of a set of variables in the user's code.
class UseCollector : public RecursiveASTVisitor<UseCollector> {
public:
  UseCollector(const SourceManager &SM,
               llvm::DenseMap<const ValueDecl *, llvm::SmallVector<const Expr *, 8>> &Uses)
      : SM(SM), Uses(Uses) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitMemberExpr(MemberExpr *E) { return add(E->getMemberDecl(), E); }
  bool VisitDeclRefExpr(DeclRefExpr *E) { return add(E->getDecl(), E); }

private:
  bool add(const ValueDecl *D, const Expr *E) {
    auto It = Uses.find(D);
    if (It != Uses.end())
      It->second.push_back(E);
    return true;
  }
  const SourceManager &SM;
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<const Expr *, 8>> &Uses;
};

const Stmt *parentSkipping(ASTContext &AST, const Stmt *S, bool Casts) {
  for (;;) {
    DynTypedNodeList Parents = AST.getParents(*S);
    if (Parents.empty())
      return nullptr;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P)
      return nullptr;
    if (isa<ParenExpr>(P) || (Casts && isa<ImplicitCastExpr>(P))) {
      S = P;
      continue;
    }
    return P;
  }
}

bool isStdAtomicDeclared(ASTContext &AST) {
  for (const NamedDecl *Std :
       AST.getTranslationUnitDecl()->lookup(&AST.Idents.get("std")))
    if (const auto *NS = dyn_cast<NamespaceDecl>(Std))
      if (!NS->lookup(&AST.Idents.get("atomic")).empty())
        return true;
  return false;
}

/// Whether another declarator shares V's type specifier (`bool a, b;`).
bool sharesTypeSpecifier(const DeclaratorDecl *V) {
  SourceLocation Start = V->getTypeSpecStartLoc();
  for (const Decl *D : V->getDeclContext()->decls())
    if (const auto *Other = dyn_cast<DeclaratorDecl>(D);
        Other && Other != V && Other->getTypeSpecStartLoc() == Start)
      return true;
  return false;
}

/// Whether a class is copied or moved by an implicit member that is used:
/// std::atomic would delete it.
bool implicitlyCopied(const CXXRecordDecl *RD) {
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->isImplicit() || !M->isUsed())
      continue;
    if (const auto *C = dyn_cast<CXXConstructorDecl>(M);
        C && C->isCopyOrMoveConstructor())
      return true;
    if (M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator())
      return true;
  }
  return false;
}

} // namespace

bool NonatomicFlagCheck::atomicSupports(const Expr *Use, QualType T) const {
  bool Arithmetic = T->isIntegerType() && !T->isBooleanType() &&
                    !T->isEnumeralType();
  const Stmt *P = parentSkipping(Ctx.AST, Use, /*Casts=*/false);
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
    if (stripParens(BO->getLHS()) != Use)
      return false;
    if (BO->getOpcode() == BO_Assign)
      return true;
    return Arithmetic && (BO->getOpcode() == BO_AddAssign ||
                          BO->getOpcode() == BO_SubAssign ||
                          BO->getOpcode() == BO_AndAssign ||
                          BO->getOpcode() == BO_OrAssign ||
                          BO->getOpcode() == BO_XorAssign);
  }
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P))
    return Arithmetic && UO->isIncrementDecrementOp();
  const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(P);
  if (!Cast || Cast->getCastKind() != CK_LValueToRValue)
    return false;
  // A read: fine where it converts to T (a condition, `!`, a comparison, an
  // assignment to a scalar, a return of a declared type).
  const Stmt *C = Cast;
  const Stmt *Q = parentSkipping(Ctx.AST, Cast, /*Casts=*/true);
  if (!Q)
    return false;
  for (const Stmt *S = Cast; S != Q;) {
    C = S;
    DynTypedNodeList Ps = Ctx.AST.getParents(*S);
    S = Ps.empty() ? Q : Ps[0].get<Stmt>();
    if (!S)
      return false;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(Q))
    return U->getOpcode() == UO_LNot;
  if (const auto *B = dyn_cast<BinaryOperator>(Q))
    return B->isComparisonOp() || B->isLogicalOp() ||
           (B->getOpcode() == BO_Assign && B->getRHS() == C);
  if (const auto *If = dyn_cast<IfStmt>(Q))
    return If->getCond() == C;
  if (const auto *W = dyn_cast<WhileStmt>(Q))
    return W->getCond() == C;
  if (const auto *D = dyn_cast<DoStmt>(Q))
    return D->getCond() == C;
  if (const auto *F = dyn_cast<ForStmt>(Q))
    return F->getCond() == C;
  if (const auto *CO = dyn_cast<ConditionalOperator>(Q))
    return CO->getCond() == C;
  if (isa<ReturnStmt>(Q)) {
    // The enclosing function's declared return type must not be deduced.
    const DeclContext *DC = nullptr;
    for (DynTypedNodeList Ps = Ctx.AST.getParents(*Q); !Ps.empty();) {
      if (const auto *Fn = Ps[0].get<FunctionDecl>()) {
        DC = Fn;
        break;
      }
      if (const Stmt *S = Ps[0].get<Stmt>())
        Ps = Ctx.AST.getParents(*S);
      else
        break;
    }
    const auto *Fn = dyn_cast_or_null<FunctionDecl>(DC);
    return Fn && !Fn->getDeclaredReturnType()->getContainedAutoType();
  }
  return false;
}

std::optional<FindingFix> NonatomicFlagCheck::atomicFix(const ValueDecl *V) {
  const auto *DD = dyn_cast<DeclaratorDecl>(V);
  QualType T = V->getType();
  if (!DD || T.isVolatileQualified() || !DD->getTypeSourceInfo() ||
      !isStdAtomicDeclared(Ctx.AST))
    return std::nullopt;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  SourceRange TypeRange = DD->getTypeSourceInfo()->getTypeLoc().getSourceRange();
  if (TypeRange.isInvalid() || TypeRange.getBegin().isMacroID() ||
      TypeRange.getEnd().isMacroID() || SM.isInSystemHeader(TypeRange.getBegin()))
    return std::nullopt;

  // The declaration must change alone and keep compiling: one declarator,
  // no declaration elsewhere, an initialiser std::atomic accepts.
  bool CopyInit = false;
  if (const auto *F = dyn_cast<FieldDecl>(DD)) {
    const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    if (!RD || RD->isDependentContext() || RD->isUnion() ||
        implicitlyCopied(RD) || F->isBitField() || sharesTypeSpecifier(F))
      return std::nullopt;
    CopyInit = F->getInClassInitStyle() == ICIS_CopyInit;
  } else if (const auto *VD = dyn_cast<VarDecl>(DD)) {
    if (VD->isStaticDataMember() || VD->getPreviousDecl() ||
        (VD->hasGlobalStorage() && VD->isExternallyVisible()) ||
        VD->getDeclContext()->isDependentContext())
      return std::nullopt;
    if (VD->isLocalVarDecl()) {
      DynTypedNodeList Ps = Ctx.AST.getParents(*VD);
      const auto *DS = Ps.empty() ? nullptr : Ps[0].get<DeclStmt>();
      if (!DS || !DS->isSingleDecl())
        return std::nullopt;
    } else if (sharesTypeSpecifier(VD)) {
      return std::nullopt;
    }
    CopyInit = VD->hasInit() && VD->getInitStyle() == VarDecl::CInit;
  } else {
    return std::nullopt;
  }
  if (CopyInit && !Ctx.AST.getLangOpts().CPlusPlus17)
    return std::nullopt; // `std::atomic<bool> b = false;` needs C++17

  if (!UsesCollected) {
    UseCollector Collect(SM, AllUses);
    Collect.TraverseAST(Ctx.AST);
    UsesCollected = true;
  }
  for (const Expr *Use : AllUses.lookup(V))
    if (!atomicSupports(Use, T))
      return std::nullopt;

  PrintingPolicy Policy(Ctx.AST.getLangOpts());
  Policy.SuppressTagKeyword = true;
  std::string Text =
      "std::atomic<" + T.getUnqualifiedType().getAsString(Policy) + ">";
  return FindingFix{CharSourceRange::getTokenRange(TypeRange), Text};
}

} // namespace concur
