//===- DetachedCaptureCheck.cpp -------------------------------------------===//

#include "checks/DetachedCaptureCheck.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

namespace {

/// The calls and constructions of a body, outside nested lambdas.
class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *C) {
    Sites.push_back(C);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    Sites.push_back(C);
    return true;
  }
  llvm::SmallVector<const Expr *, 16> Sites;
};

llvm::SmallVector<const Expr *, 16> callsOf(const FunctionDecl *FD) {
  CallCollector C;
  if (FD && FD->hasBody())
    C.TraverseStmt(FD->getBody());
  return std::move(C.Sites);
}

bool isDetach(const CallExpr *C) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  return MD && MD->getIdentifier() && MD->getName() == "detach";
}

/// A local (or parameter) whose storage ends with the spawner's frame.
bool isFrameVariable(const ValueDecl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType();
}

} // namespace

bool DetachedCaptureCheck::needsEntry(const FunctionDecl *FD) const {
  for (const Expr *E : callsOf(FD))
    if (spawnedTask(E, Ctx.Models))
      return true;
  return false;
}

const Expr *DetachedCaptureCheck::letGo(const SpawnedTask &T) const {
  if (T.Deferred)
    return T.Site;
  const auto *CE = dyn_cast<CXXConstructExpr>(T.Site);
  if (!CE)
    return nullptr;
  // `std::thread(f).detach()`: the temporary is the object of detach().
  DynTypedNode Node = DynTypedNode::create(*CE);
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Ps = Ctx.AST.getParents(Node);
    if (Ps.empty())
      return nullptr;
    Node = Ps[0];
    if (const auto *C = Node.get<CXXMemberCallExpr>())
      return isDetach(C) ? C : nullptr;
    if (const auto *VD = Node.get<VarDecl>()) {
      // `std::thread t(f); ... t.detach();`
      for (const Expr *E : callsOf(CurrentEntry))
        if (const auto *C = dyn_cast<CXXMemberCallExpr>(E); C && isDetach(C))
          if (const auto *DRE = dyn_cast<DeclRefExpr>(
                  C->getImplicitObjectArgument()->IgnoreParenImpCasts());
              DRE && DRE->getDecl() == VD)
            return C;
      return nullptr;
    }
    if (!Node.get<MaterializeTemporaryExpr>() && !Node.get<CXXBindTemporaryExpr>() &&
        !Node.get<ImplicitCastExpr>() && !Node.get<CXXFunctionalCastExpr>() &&
        !Node.get<MemberExpr>() && !Node.get<ParenExpr>() &&
        !Node.get<ExprWithCleanups>() && !Node.get<CXXConstructExpr>())
      return nullptr;
  }
  return nullptr;
}

const Expr *DetachedCaptureCheck::waitAfter(const Expr *Spawn) const {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const Expr *E : callsOf(CurrentEntry)) {
    const auto *C = dyn_cast<CallExpr>(E);
    if (!C || !SM.isBeforeInTranslationUnit(Spawn->getEndLoc(), C->getBeginLoc()))
      continue;
    MatchedEffect M = Ctx.Models.effectOfCall(C);
    if (M && (M.Fx->Block == BlockKind::Always || M.Fx->WaitGroupOp == "wait" ||
              M.Fx->WaitGroupOp == "arrive"))
      return C;
  }
  return nullptr;
}

void DetachedCaptureCheck::visitCall(const CallSite &Site) {
  if (!CurrentEntry || !Site.InlinedVia.empty())
    return;
  std::optional<SpawnedTask> T = spawnedTask(Site.E, Ctx.Models);
  if (!T)
    return;
  const Expr *LetGo = letGo(*T);
  if (!LetGo || waitAfter(T->Site))
    return;
  // By-reference captures of the spawner's frame.
  if (T->Lambda)
    for (const LambdaCapture &Cap : T->Lambda->captures())
      if (Cap.capturesVariable() && Cap.getCaptureKind() == LCK_ByRef &&
          isFrameVariable(Cap.getCapturedVar()))
        report(*T, LetGo, cast<VarDecl>(Cap.getCapturedVar()), Cap.getLocation(),
               "captures " + quoted(Cap.getCapturedVar()->getName()) +
                   " by reference");
  // std::ref(x) or &x among the arguments bound to the callable.
  llvm::ArrayRef<const Expr *> Args;
  llvm::SmallVector<const Expr *, 4> Storage;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(T->Site))
    Storage.append(CE->arg_begin(), CE->arg_end());
  else if (const auto *C = dyn_cast<CallExpr>(T->Site)) {
    CallParts Parts = splitCall(C);
    Storage.append(Parts.Args.begin(), Parts.Args.end());
  }
  Args = Storage;
  bool AfterCallable = false;
  for (const Expr *A : Args) {
    if (A == T->Callable) {
      AfterCallable = true;
      continue;
    }
    if (!AfterCallable)
      continue;
    const Expr *E = A->IgnoreImplicit()->IgnoreParens();
    std::string How;
    if (const auto *C = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = C->getDirectCallee();
      if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
          (FD->getName() == "ref" || FD->getName() == "cref") &&
          C->getNumArgs() == 1) {
        E = C->getArg(0)->IgnoreParenImpCasts();
        How = "std::" + FD->getName().str();
      }
    } else if (const auto *U = dyn_cast<UnaryOperator>(E);
               U && U->getOpcode() == UO_AddrOf) {
      E = U->getSubExpr()->IgnoreParenImpCasts();
      How = "a pointer";
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    if (How.empty() || !DRE || !isFrameVariable(DRE->getDecl()))
      continue;
    report(*T, LetGo, cast<VarDecl>(DRE->getDecl()), A->getBeginLoc(),
           "is given " + How + " to " + quoted(DRE->getDecl()->getName()));
  }
}

void DetachedCaptureCheck::report(const SpawnedTask &T, const Expr *LetGo,
                                  const VarDecl *Var, SourceLocation At,
                                  llvm::StringRef How) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(At)))
    return;
  std::string Name = quoted(Var->getName());
  std::string Fn = quoted(CurrentEntry->getNameAsString());
  bool Param = isa<ParmVarDecl>(Var);
  // Where the variable dies: the end of its block, or of the function.
  SourceLocation Dies = CurrentEntry->getBody()->getEndLoc();
  if (!Param)
    for (const DynTypedNode &P : Ctx.AST.getParents(*Var))
      if (const auto *DS = P.get<DeclStmt>())
        for (const DynTypedNode &PP : Ctx.AST.getParents(*DS))
          if (const auto *CS = PP.get<CompoundStmt>())
            Dies = CS->getRBracLoc();
  const char *Task = T.Deferred ? "the deferred task" : "the detached thread";
  Finding F;
  F.CheckId = Id;
  F.Loc = At;
  F.Message = std::string(Task) + " " + How.str() + ", " +
              (Param ? "a parameter of " : "a local of ") + Fn +
              " that can die while the task still runs: a use after its "
              "lifetime";
  if (T.Deferred)
    F.Notes.push_back({LetGo->getExprLoc(),
                       "the task is handed over here; it runs later and "
                       "nothing in " + Fn + " waits for it"});
  else
    F.Notes.push_back({LetGo->getExprLoc(), "the thread is detached here"});
  F.FlowStartNote = 0;
  F.Notes.push_back({Dies, Name + " dies here"});
  Out.push_back(std::move(F));
}

} // namespace concur
