//===- DoneSummaries.cpp --------------------------------------------------===//

#include "checks/engine/DoneSummaries.h"
#include "checks/engine/LockDataflow.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

uint8_t addCounts(uint8_t S, uint8_t T) {
  uint8_t R = (S | T) & CountFact::Unknown;
  for (unsigned A = 0; A < 3; ++A)
    if (S & (1u << A))
      for (unsigned B = 0; B < 3; ++B)
        if (T & (1u << B))
          R |= 1u << std::min(A + B, 2u);
  return R;
}

/// A class that holds a callable it was given: a scope guard
/// (gsl::final_action<F>, absl::Cleanup<Tag, F>, a project's ScopeExit<F>)
/// instantiated with a lambda. Library code is otherwise not followed.
static bool holdsLambda(const CXXRecordDecl *RD) {
  for (; RD; RD = dyn_cast_or_null<CXXRecordDecl>(RD->getDeclContext())) {
    const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
    if (!Spec)
      continue;
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
      if (Arg.getKind() == TemplateArgument::Type)
        if (const CXXRecordDecl *C = Arg.getAsType()->getAsCXXRecordDecl();
            C && C->isLambda())
          return true;
  }
  return false;
}

bool DoneSummaries::shouldFollow(const FunctionDecl *FD) const {
  if (!FD->hasBody())
    return false;
  if (!Ctx.getSourceManager().isInSystemHeader(FD->getLocation()))
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && holdsLambda(MD->getParent());
}

namespace {

/// Looks for anything that may count a WaitGroup down: a modelled Done, a
/// call to a function that may, an object whose destructor may.
class CountDownFinder : public RecursiveASTVisitor<CountDownFinder> {
public:
  CountDownFinder(DoneSummaries &S, const ModelMatcher &M) : S(S), Models(M) {}
  bool Found = false;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *C) {
    MatchedEffect M = Models.effectOfCall(C);
    if (M) {
      Found |= M.Fx->WaitGroupOp == "done" || M.Fx->WaitGroupOp == "arrive";
    } else if (const FunctionDecl *Callee = C->getDirectCallee()) {
      Found |= S.mayCountDown(Callee);
    }
    return !Found;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl())
      if (RD->hasDefinition())
        if (const CXXDestructorDecl *D = RD->getDestructor())
          Found |= S.mayCountDown(D);
    return !Found;
  }

private:
  DoneSummaries &S;
  const ModelMatcher &Models;
};

} // namespace

bool DoneSummaries::mayCountDown(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || !shouldFollow(Def))
    return false;
  auto [It, Inserted] = MayCountDown.try_emplace(Def, false);
  if (!Inserted)
    return It->second; // known, or in progress (recursion): no
  CountDownFinder F(*this, Models);
  F.TraverseStmt(Def->getBody());
  MayCountDown[Def] = F.Found;
  return F.Found;
}

CountOwner DoneSummaries::ownerOf(LockId Id, const FunctionDecl *FD) const {
  llvm::StringRef Path = Locks.path(Id);
  if (Path.ltrim('*').starts_with("this"))
    return CountOwner::Member;
  const VarDecl *V = Flow ? Flow->countRoot(Id) : nullptr;
  if (!V)
    return CountOwner::Local; // reached through something we cannot name
  const auto *Owner = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  if (isa<ParmVarDecl>(V) && Owner &&
      Owner->getCanonicalDecl() == FD->getCanonicalDecl())
    return CountOwner::Param;
  if (V->isLocalVarDeclOrParm() && !V->isStaticLocal() && Owner &&
      Owner->getCanonicalDecl() == FD->getCanonicalDecl())
    return CountOwner::Local;
  return CountOwner::Outside;
}

const DoneSummary &DoneSummaries::summaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  static const DoneSummary None;
  if (!Flow || !FD->hasBody(Def) || !Def || !mayCountDown(Def))
    return None;
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second;
  Summaries[Def] = DoneSummary(); // in progress: counts nothing
  DoneSummary S = compute(Def);
  return Summaries[Def] = std::move(S);
}

DoneSummary DoneSummaries::compute(const FunctionDecl *Def) {
  DoneSummary Sum;
  std::vector<ExitPath> Exits = Flow->exitPaths(Def);
  // The union over the ways out; absent on one of them means zero there.
  llvm::SmallVector<LockId, 4> Ids;
  for (const ExitPath &E : Exits)
    for (auto &KV : E.State.Counts)
      if (!llvm::is_contained(Ids, KV.first))
        Ids.push_back(KV.first);
  for (LockId Id : Ids) {
    DoneEffect Fx;
    for (const ExitPath &E : Exits) {
      const CountFact *F = E.State.Counts.lookup(Id);
      Fx.Possible |= F ? F->Possible : CountFact::Zero;
      if (F && Fx.At.isInvalid() && F->FirstAt.isValid()) {
        Fx.At = F->FirstAt;
        Fx.Via = F->FirstVia;
      }
    }
    Fx.Owner = ownerOf(Id, Def);
    switch (Fx.Owner) {
    case CountOwner::Local:
      continue;
    case CountOwner::Member:
      Fx.Path = Locks.path(Id).str();
      break;
    case CountOwner::Outside:
      Fx.Id = Id;
      break;
    case CountOwner::Param: {
      const auto *P = cast<ParmVarDecl>(Flow->countRoot(Id));
      llvm::StringRef Path = Locks.path(Id);
      std::string Own = variablePath(P);
      if (Path == Own)
        Fx.ThroughPointer = false;
      else if (Path == "*" + Own)
        Fx.ThroughPointer = true;
      else
        continue; // a member of a parameter: not followed
      Fx.Param = P->getFunctionScopeIndex();
      break;
    }
    }
    Sum.Effects.push_back(std::move(Fx));
  }
  return Sum;
}

} // namespace concur
