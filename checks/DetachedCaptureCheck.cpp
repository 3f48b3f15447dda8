//===- DetachedCaptureCheck.cpp -------------------------------------------===//

#include "checks/DetachedCaptureCheck.h"
#include "checks/engine/BodySites.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

namespace {

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

const DetachedCaptureCheck::FunctionCalls &
DetachedCaptureCheck::callsIn(const FunctionDecl *Fn) const {
  std::unique_ptr<FunctionCalls> &Slot = CallCache[Fn];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<FunctionCalls>();
  if (!Fn)
    return *Slot;
  Slot->Calls = sitesOf(Fn->getBody()).Calls;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const Expr *E : Slot->Calls) {
    const auto *C = dyn_cast<CallExpr>(E);
    if (!C)
      continue;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C); MC && isDetach(MC))
      if (const auto *DRE = dyn_cast<DeclRefExpr>(
              MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          Slot->Detaches.try_emplace(VD, MC);
    MatchedEffect M = Ctx.Models.effectOfCall(C);
    if (M && (M.Fx->Block == BlockKind::Always || M.Fx->WaitGroupOp == "wait" ||
              M.Fx->WaitGroupOp == "arrive") &&
        (!Slot->LastWait ||
         SM.isBeforeInTranslationUnit(Slot->LastWait->getBeginLoc(), C->getBeginLoc())))
      Slot->LastWait = C;
  }
  return *Slot;
}

bool DetachedCaptureCheck::needsEntry(const FunctionDecl *FD) {
  const VarDecl *Object = nullptr;
  for (const Expr *E : callsIn(FD).Calls)
    if (spawnedTask(E, Ctx.Models) || localObjectEscape(E, Object))
      return true;
  return false;
}

const Expr *DetachedCaptureCheck::letGo(const SpawnedTask &T,
                                        const FunctionDecl *Fn) const {
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
      return callsIn(Fn).Detaches.lookup(VD);
    }
    if (!Node.get<MaterializeTemporaryExpr>() && !Node.get<CXXBindTemporaryExpr>() &&
        !Node.get<ImplicitCastExpr>() && !Node.get<CXXFunctionalCastExpr>() &&
        !Node.get<MemberExpr>() && !Node.get<ParenExpr>() &&
        !Node.get<ExprWithCleanups>() && !Node.get<CXXConstructExpr>())
      return nullptr;
  }
  return nullptr;
}

const Expr *DetachedCaptureCheck::waitAfter(const Expr *Spawn,
                                            const FunctionDecl *Fn) const {
  const CallExpr *Last = callsIn(Fn).LastWait;
  if (Last && Ctx.AST.getSourceManager().isBeforeInTranslationUnit(
                  Spawn->getEndLoc(), Last->getBeginLoc()))
    return Last;
  return nullptr;
}

void DetachedCaptureCheck::visitCall(const CallSite &Site) {
  if (!CurrentEntry || !Site.InlinedVia.empty())
    return;
  const VarDecl *Object = nullptr;
  if (const ThisEscape *Escape = localObjectEscape(Site.E, Object))
    if (!waitsForObject(Site.E, Object))
      reportThis(Site.E, Object, *Escape);
  std::optional<SpawnedTask> T = spawnedTask(Site.E, Ctx.Models);
  if (!T)
    return;
  const Expr *LetGo = letGo(*T, CurrentEntry);
  if (!LetGo || waitAfter(T->Site, CurrentEntry))
    return;
  // By-reference captures of the spawner's frame.
  if (T->Lambda)
    for (const LambdaCapture &Cap : T->Lambda->captures())
      if (Cap.capturesVariable() && Cap.getCaptureKind() == LCK_ByRef &&
          isFrameVariable(Cap.getCapturedVar()))
        report(*T, LetGo, cast<VarDecl>(Cap.getCapturedVar()), Cap.getLocation(),
               "captures " + quoted(Cap.getCapturedVar()->getName()) +
                   " by reference");
  // An object whose method the task runs (`pool.start(job)` runs
  // job.run(), rules' "spawn_method"): the task keeps a reference to it.
  if (!T->Lambda && !T->BoundArgs.empty() && T->BoundArgs[0] == T->Callable)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(stripExpr(T->Callable));
        DRE && isFrameVariable(DRE->getDecl()))
      report(*T, LetGo, cast<VarDecl>(DRE->getDecl()),
             T->Callable->getBeginLoc(),
             "runs " + quoted(T->Body->getQualifiedNameAsString()) + " on " +
                 quoted(DRE->getDecl()->getName()));
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
  SourceLocation Dies = diesAt(Var);
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

SourceLocation DetachedCaptureCheck::diesAt(const VarDecl *Var) const {
  // The end of its block, or of the function.
  SourceLocation Dies = CurrentEntry->getBody()->getEndLoc();
  if (!isa<ParmVarDecl>(Var))
    for (const DynTypedNode &P : Ctx.AST.getParents(*Var))
      if (const auto *DS = P.get<DeclStmt>())
        for (const DynTypedNode &PP : Ctx.AST.getParents(*DS))
          if (const auto *CS = PP.get<CompoundStmt>())
            Dies = CS->getRBracLoc();
  return Dies;
}

/// Where a task is given `this`: a lambda's capture of it, or `this` bound
/// as the object of a member function (`std::thread(&C::run, this)`).
static SourceLocation thisCapture(const SpawnedTask &T) {
  if (T.Lambda) {
    for (const LambdaCapture &Cap : T.Lambda->captures())
      if (Cap.capturesThis())
        return Cap.getLocation();
    return {};
  }
  const auto *MD = dyn_cast<CXXMethodDecl>(T.Body);
  if (MD && MD->isInstance() && !T.BoundArgs.empty() &&
      isa<CXXThisExpr>(T.BoundArgs[0]->IgnoreParenImpCasts()))
    return T.BoundArgs[0]->getBeginLoc();
  return {};
}

const DetachedCaptureCheck::ThisEscape *
DetachedCaptureCheck::escapesThis(const FunctionDecl *Method) {
  const FunctionDecl *Def = nullptr;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Method);
  if (!MD || !MD->isInstance() || !MD->hasBody(Def) || !Def)
    return nullptr;
  auto [It, Inserted] = Escapes.try_emplace(Def);
  if (!Inserted)
    return It->second ? &*It->second : nullptr;
  std::optional<ThisEscape> Found;
  for (const Expr *E : callsIn(Def).Calls) {
    std::optional<SpawnedTask> T = spawnedTask(E, Ctx.Models);
    if (!T)
      continue;
    SourceLocation Capture = thisCapture(*T);
    if (Capture.isInvalid())
      continue;
    const Expr *LetGo = letGo(*T, Def);
    if (!LetGo || waitAfter(T->Site, Def))
      continue;
    Found = ThisEscape{*T, LetGo, Capture};
    break;
  }
  It = Escapes.find(Def);
  It->second = std::move(Found);
  return It->second ? &*It->second : nullptr;
}

const DetachedCaptureCheck::ThisEscape *
DetachedCaptureCheck::localObjectEscape(const Expr *Call, const VarDecl *&Object) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  if (!MC)
    return nullptr;
  // `session.start()` on the object itself, not through a pointer.
  const auto *DRE = dyn_cast<DeclRefExpr>(
      MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !isFrameVariable(VD) || !VD->getType()->isRecordType())
    return nullptr;
  const ThisEscape *Escape = escapesThis(MC->getMethodDecl());
  if (Escape)
    Object = VD;
  return Escape;
}

bool DetachedCaptureCheck::waitsForObject(const Expr *Call,
                                          const VarDecl *Object) {
  if (waitAfter(Call, CurrentEntry))
    return true;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const Expr *E : callsIn(CurrentEntry).Calls) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
    if (!MC || !SM.isBeforeInTranslationUnit(Call->getEndLoc(), MC->getBeginLoc()))
      continue;
    const auto *DRE = dyn_cast<DeclRefExpr>(
        MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
    if (DRE && DRE->getDecl() == Object && MC->getMethodDecl() &&
        Ctx.Blocking.summaryOf(MC->getMethodDecl()).Blocks)
      return true; // `session.wait()` joins what start() let go
  }
  return false;
}

void DetachedCaptureCheck::reportThis(const Expr *Call, const VarDecl *Object,
                                      const ThisEscape &Escape) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getExprLoc())))
    return;
  const auto *MC = cast<CXXMemberCallExpr>(Call);
  std::string Name = quoted(Object->getName());
  std::string Method = quoted(ModelMatcher::matchName(MC->getMethodDecl()));
  std::string Fn = quoted(CurrentEntry->getNameAsString());
  const char *Task = Escape.Task.Deferred ? "a deferred task" : "a detached thread";
  Finding F;
  F.CheckId = Id;
  F.Loc = Call->getExprLoc();
  F.Message = Method + " gives 'this' to " + Task + ", and " + Name + " is " +
              (isa<ParmVarDecl>(Object) ? "a parameter of " : "a local of ") +
              Fn + " that can die while the task still runs: a use after "
              "its lifetime";
  F.Notes.push_back({Escape.Capture, "the task captures 'this' here"});
  F.Notes.push_back({Escape.LetGo->getExprLoc(),
                     Escape.Task.Deferred
                         ? "the task is handed over here; it runs later and "
                           "nothing waits for it"
                         : "the thread is detached here"});
  F.FlowStartNote = 0;
  F.Notes.push_back({diesAt(Object), Name + " dies here"});
  Out.push_back(std::move(F));
}

} // namespace concur
