//===- ValueCopies.cpp ----------------------------------------------------===//

#include "checks/unguarded/ValueCopies.h"
#include "checks/engine/LockDataflow.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace concur::unguarded {

bool isMemberSwap(const CXXMethodDecl *MD) {
  if (!MD->getIdentifier() || MD->getName() != "swap" || MD->getNumParams() != 1)
    return false;
  QualType T = MD->getParamDecl(0)->getType();
  const CXXRecordDecl *Other =
      T->isReferenceType() ? T.getNonReferenceType()->getAsCXXRecordDecl() : nullptr;
  return Other && Other->getCanonicalDecl() == MD->getParent()->getCanonicalDecl();
}

namespace {

/// Whether E names the parameter P, through parentheses, conversions,
/// `std::move` / `std::forward` and `&`.
bool namesParameter(const Expr *E, const ParmVarDecl *P) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl() == P;
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf) {
      E = UO->getSubExpr();
      continue;
    }
    const auto *CE = dyn_cast<CallExpr>(E);
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    if (!FD || CE->getNumArgs() != 1 || !FD->isInStdNamespace() ||
        !FD->getIdentifier() ||
        (FD->getName() != "move" && FD->getName() != "forward"))
      return false;
    E = CE->getArg(0);
  }
  return false;
}

/// The fields of the argument a copy operation reads.
class SourceFieldReads : public RecursiveASTVisitor<SourceFieldReads> {
public:
  explicit SourceFieldReads(const ParmVarDecl *Source) : Source(Source) {}
  bool VisitMemberExpr(MemberExpr *ME) {
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      if (namesParameter(ME->getBase(), Source))
        Reads.push_back({F, ME->getMemberLoc()});
    return true;
  }
  const ParmVarDecl *Source;
  llvm::SmallVector<std::pair<const FieldDecl *, SourceLocation>, 8> Reads;
};

/// A user-written copy or move of the whole object from another of its
/// class: the constructors, the assignments, a member swap.
bool isCopyOperation(const CXXMethodDecl *MD) {
  if (!MD->isUserProvided() || MD->getNumParams() < 1)
    return false;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(MD))
    return Ctor->isCopyOrMoveConstructor();
  return MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator() ||
         isMemberSwap(MD);
}

} // namespace

void ValueCopies::scanOperation(const FunctionDecl *FD) {
  if (!ScannedOperations.insert(FD->getCanonicalDecl()).second)
    return;
  // Any lock taken (the other's, one's own, a global one) makes the copy
  // a synchronised one: no claim about the fields.
  if (Locks.mayAcquireLocks(FD))
    return;
  SourceFieldReads V(FD->getParamDecl(0));
  V.TraverseStmt(FD->getBody());
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->getInit())
        V.TraverseStmt(Init->getInit());
  for (auto &[F, Loc] : V.Reads)
    Copied.try_emplace(F->getCanonicalDecl(), UnlockedCopy{FD, Loc});
}

void ValueCopies::scanClass(const CXXRecordDecl *RD) {
  if (!ScannedClasses.insert(RD).second || !RD->hasDefinition())
    return;
  for (const CXXMethodDecl *MD : RD->getDefinition()->methods()) {
    if (!isCopyOperation(MD))
      continue;
    const FunctionDecl *Def = nullptr;
    if (MD->hasBody(Def) && Def)
      scanOperation(Def);
  }
}

void ValueCopies::noteFunction(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  const FunctionDecl *Def = nullptr;
  if (MD && isCopyOperation(MD) && MD->hasBody(Def) && Def)
    scanOperation(Def);
}

UnlockedCopy ValueCopies::unlockedCopyOf(const FieldDecl *F) {
  const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
  if (!RD)
    return {};
  scanClass(RD->getCanonicalDecl());
  return Copied.lookup(F->getCanonicalDecl());
}

} // namespace concur::unguarded
