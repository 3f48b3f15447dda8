//===- BodySites.cpp ------------------------------------------------------===//

#include "checks/engine/BodySites.h"
#include "checks/engine/SpawnSites.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace concur {

namespace {

class SiteCollector : public RecursiveASTVisitor<SiteCollector> {
public:
  explicit SiteCollector(BodySites &Out) : Out(Out) {}
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    Out.Calls.push_back(C);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    Out.Calls.push_back(C);
    return true;
  }
  bool VisitStmt(Stmt *S) {
    if (isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(S))
      Out.Loops.push_back(S);
    else if (isa<ReturnStmt, GotoStmt, BreakStmt, ContinueStmt, CXXThrowExpr,
                 CoreturnStmt>(S))
      Out.Exits.push_back(S);
    return true;
  }

private:
  BodySites &Out;
};

} // namespace

BodySites sitesOf(const Stmt *Body) {
  BodySites Out;
  if (Body)
    SiteCollector(Out).TraverseStmt(const_cast<Stmt *>(Body));
  return Out;
}

BodySites sitesOfFunction(const FunctionDecl *FD) {
  BodySites Out;
  if (!FD)
    return Out;
  SiteCollector C(Out);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten())
        C.TraverseStmt(Init->getInit());
  if (FD->hasBody())
    C.TraverseStmt(FD->getBody());
  return Out;
}

BodySites sitesOf(const Stmt *Body, const ModelMatcher &Models) {
  BodySites Out = sitesOf(Body);
  for (const Expr *E : Out.Calls)
    if (std::optional<SpawnedTask> T = spawnedTask(E, Models); T && T->Body)
      Out.Spawns.push_back({E, T->Body});
  return Out;
}

llvm::SmallVector<const FunctionDecl *, 8>
definedCallees(const BodySites &Sites) {
  llvm::SmallVector<const FunctionDecl *, 8> Out;
  for (const Expr *E : Sites.Calls)
    if (const auto *C = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *FD = C->getDirectCallee())
        if (const FunctionDecl *Def = FD->getDefinition())
          Out.push_back(Def);
  return Out;
}

} // namespace concur
