//===- SpawnSites.cpp -----------------------------------------------------===//

#include "checks/engine/SpawnSites.h"
#include "checks/engine/LockDataflow.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace concur {

/// `std::ref(x)` and `std::cref(x)` pass x itself.
static const Expr *unwrapReference(const Expr *E) {
  const Expr *S = stripExpr(E);
  if (const auto *C = dyn_cast_or_null<CallExpr>(S))
    if (const FunctionDecl *FD = C->getDirectCallee())
      if (C->getNumArgs() == 1 && FD->isInStdNamespace() &&
          (FD->getName() == "ref" || FD->getName() == "cref"))
        return C->getArg(0);
  return E;
}

/// The function a callable argument names: `f`, `&f`, `&C::m`.
static const FunctionDecl *functionOf(const Expr *E) {
  E = stripExpr(E);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = stripExpr(U->getSubExpr());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(DRE->getDecl());
  return nullptr;
}

/// The lambda of a callable argument, also through the type-erasing
/// wrapper a parameter converts it to (`std::function<void()>` made from a
/// lambda, as a pool's submit() takes it).
static const LambdaExpr *spawnedLambda(const Expr *E) {
  if (const LambdaExpr *L = lambdaOf(E))
    return L;
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(stripExpr(E));
  if (!CE || CE->getNumArgs() != 1 || CE->getConstructor()->isCopyOrMoveConstructor())
    return nullptr;
  return lambdaOf(CE->getArg(0));
}

/// `threads.emplace_back(f, args...)` on a container whose element type is
/// a thread constructs that thread from the arguments.
static bool emplacesThread(const CXXMemberCallExpr *MC,
                           const ModelMatcher &Models) {
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!MD || !MD->getIdentifier() ||
      !llvm::is_contained({"emplace_back", "emplace_front", "emplace"},
                          MD->getName()))
    return false;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      MC->getRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  const TypeModel *TM =
      Models.modelForType(Spec->getTemplateArgs()[0].getAsType());
  return TM && TM->Kind == TypeKind::Thread;
}

/// The method a spawned object runs: `run` of `Worker` for
/// `thread.start(worker)`, the most derived definition that the argument's
/// static type sees (its own, else a base's).
static const FunctionDecl *methodOf(const Expr *E, llvm::StringRef Name) {
  const CXXRecordDecl *RD = stripExpr(E)->getType()->getAsCXXRecordDecl();
  llvm::SmallVector<const CXXRecordDecl *, 4> Work;
  if (RD)
    Work.push_back(RD);
  while (!Work.empty()) {
    const CXXRecordDecl *R = Work.pop_back_val();
    if (!R->hasDefinition())
      continue;
    R = R->getDefinition();
    for (const CXXMethodDecl *MD : R->methods())
      if (MD->getIdentifier() && MD->getName() == Name && MD->param_empty()) {
        const FunctionDecl *Def = MD->getDefinition();
        return Def ? Def : MD;
      }
    for (const CXXBaseSpecifier &B : R->bases())
      if (const CXXRecordDecl *BR = B.getType()->getAsCXXRecordDecl())
        Work.insert(Work.begin(), BR); // breadth first: nearer bases win
  }
  return nullptr;
}

std::optional<SpawnedTask> spawnedTask(const Expr *Site,
                                       const ModelMatcher &Models) {
  llvm::SmallVector<const Expr *, 4> Args;
  MatchedEffect M;
  bool Emplace = false;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Site)) {
    M = Models.effectOfConstruct(CE);
    Args.append(CE->arg_begin(), CE->arg_end());
  } else if (const auto *C = dyn_cast<CallExpr>(Site)) {
    M = Models.effectOfCall(C);
    CallParts Parts = splitCall(C);
    Args.append(Parts.Args.begin(), Parts.Args.end());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
      Emplace = !M && emplacesThread(MC, Models);
  }
  std::optional<unsigned> Index;
  if (Emplace) {
    Index = 0;
  } else if (M && M.Fx->SpawnArg) {
    Index = *M.Fx->SpawnArg;
  } else if (M && M.Fx->SpawnFirstCallable) {
    for (unsigned I = 0; I < Args.size() && !Index; ++I)
      if (spawnedLambda(Args[I]) || functionOf(Args[I]))
        Index = I;
  }
  if (!Index || *Index >= Args.size())
    return std::nullopt;

  SpawnedTask T;
  T.Site = Site;
  T.Callable = Args[*Index];
  T.Deferred = M && M.Fx->Deferred;
  if ((T.Lambda = spawnedLambda(T.Callable)))
    T.Body = T.Lambda->getCallOperator();
  else
    T.Body = functionOf(T.Callable);
  if (!T.Body && M && !M.Fx->SpawnMethod.empty()) {
    // The object's method runs on the thread, with the object as `this`.
    T.Body = methodOf(T.Callable, M.Fx->SpawnMethod);
    if (T.Body) {
      T.BoundArgs.push_back(T.Callable);
      return T;
    }
  }
  if (!T.Body)
    return std::nullopt;
  for (unsigned I = *Index + 1; I < Args.size(); ++I)
    T.BoundArgs.push_back(unwrapReference(Args[I]));
  return T;
}

const Expr *SpawnedTask::argumentFor(const ParmVarDecl *P) const {
  if (Lambda || P->getDeclContext() != Body)
    return nullptr;
  unsigned I = P->getFunctionScopeIndex();
  // A member function's object comes first.
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Body); MD && MD->isInstance())
    ++I;
  return I < BoundArgs.size() ? BoundArgs[I] : nullptr;
}

} // namespace concur
