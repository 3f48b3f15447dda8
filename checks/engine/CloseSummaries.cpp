//===- CloseSummaries.cpp -------------------------------------------------===//

#include "checks/engine/CloseSummaries.h"
#include "checks/engine/BlockingSummaries.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

namespace {

/// What a channel expression in a callee refers to, in terms its callers
/// can map: one of its parameters, or a member of `this`.
struct ChannelRoot {
  std::optional<unsigned> Param;
  std::string MemberPath;
  bool known() const { return Param || !MemberPath.empty(); }
};

ChannelRoot rootOf(const Expr *E) {
  ChannelRoot R;
  E = stripExpr(E);
  if (!E)
    return R;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      R.Param = P->getFunctionScopeIndex();
      return R;
    }
  std::string Path = E->getType()->isPointerType() ? pointeePath(E) : objectPath(E);
  if (llvm::StringRef(Path).starts_with("*this."))
    R.MemberPath = Path;
  return R;
}

} // namespace

CloseSummary CloseSummaries::summaryOf(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Summaries.find(FD);
  if (It != Summaries.end())
    return It->second;
  Summaries[FD] = CloseSummary(); // in progress: closes nothing
  CloseSummary S = compute(FD);
  Summaries[FD] = S;
  return S;
}

CloseSummary CloseSummaries::compute(const FunctionDecl *FD) {
  CloseSummary Result;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def ||
      Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return Result;
  for (const CallExpr *C : directCalls(Def->getBody())) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee)
      continue;
    const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
    MatchedEffect M = Models.effectOfCall(C);
    if (M) {
      if (M.Fx->ChannelOp != "close" || !MC)
        continue;
      ChannelRoot Root = rootOf(MC->getImplicitObjectArgument());
      if (!Root.known())
        continue;
      Result = {true, Root.Param, Root.MemberPath, C, Callee, true};
      return Result;
    }
    if (Callee->getCanonicalDecl() == FD->getCanonicalDecl())
      continue;
    CloseSummary Sub = summaryOf(Callee);
    if (!Sub.Closes)
      continue;
    ChannelRoot Root;
    if (Sub.Param) {
      CallParts Parts = splitCall(C);
      if (*Sub.Param < Parts.Args.size())
        Root = rootOf(Parts.Args[*Sub.Param]);
    } else if (MC && isa<CXXThisExpr>(stripExpr(MC->getImplicitObjectArgument()))) {
      Root.MemberPath = Sub.MemberPath; // the same object: the same member
    }
    if (!Root.known())
      continue;
    Result = {true, Root.Param, Root.MemberPath, C, Callee, false};
    return Result;
  }
  return Result;
}

} // namespace concur
