//===- AtomicOps.cpp ------------------------------------------------------===//

#include "checks/atomics/AtomicOps.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace concur::atomics {

namespace {

/// Whether a namespace is std (any inline version of it), boost or
/// boost::atomics.
bool isAtomicLibraryNamespace(const DeclContext *DC) {
  while (DC && DC->isInlineNamespace())
    DC = DC->getParent();
  const auto *NS = dyn_cast_or_null<NamespaceDecl>(DC);
  if (!NS || !NS->getIdentifier())
    return false;
  if (NS->isStdNamespace())
    return true;
  if (NS->getName() == "atomics")
    NS = dyn_cast_or_null<NamespaceDecl>(NS->getParent());
  return NS && NS->getIdentifier() && NS->getName() == "boost" &&
         NS->getParent()->isTranslationUnit();
}

bool isAtomicRecordItself(const CXXRecordDecl *RD) {
  if (!RD->getIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return (N == "atomic" || N == "__atomic_base" || N == "__atomic_float") &&
         isAtomicLibraryNamespace(RD->getDeclContext());
}

bool isAtomicRecord(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  RD = RD->getDefinition() ? RD->getDefinition() : RD;
  if (isAtomicRecordItself(RD))
    return true;
  if (!RD->hasDefinition())
    return false;
  return !RD->forallBases([](const CXXRecordDecl *Base) {
    return !isAtomicRecordItself(Base);
  });
}

/// The declaration an object expression names: `a`, `this->a`, `s.a`,
/// `p` for `p->load()` or `(*p).load()`.
const ValueDecl *objectDecl(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
    E = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return isa<FieldDecl, VarDecl>(ME->getMemberDecl()) ? ME->getMemberDecl()
                                                         : nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// The arguments written at the call, default arguments left out.
unsigned writtenArgs(const CallExpr *C) {
  unsigned N = 0;
  for (const Expr *A : C->arguments())
    if (!isa<CXXDefaultArgExpr>(A))
      ++N;
  return N;
}

std::optional<AtomicOp> make(AtomicOpKind K, const Expr *Object) {
  const ValueDecl *D = objectDecl(Object);
  if (!D)
    return std::nullopt;
  AtomicOp Op{K};
  Op.Object = D;
  Op.ObjectExpr = Object;
  return Op;
}

std::optional<AtomicOp> memberCall(const CXXMemberCallExpr *C) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(C->getMethodDecl());
  const Expr *Obj = C->getImplicitObjectArgument();
  if (!MD || !Obj)
    return std::nullopt;
  QualType T = Obj->getType();
  bool Arrow = false;
  if (const auto *ME = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens()))
    Arrow = ME->isArrow();
  if (Arrow && T->isPointerType())
    T = T->getPointeeType();
  if (!isAtomicType(T))
    return std::nullopt;
  std::optional<AtomicOp> Op;
  if (isa<CXXConversionDecl>(MD)) {
    Op = make(AtomicOpKind::Load, Obj);
  } else if (MD->getIdentifier()) {
    llvm::StringRef N = MD->getName();
    if (N == "load")
      Op = make(AtomicOpKind::Load, Obj);
    else if (N == "store" && C->getNumArgs() >= 1) {
      Op = make(AtomicOpKind::Store, Obj);
      if (Op)
        Op->Value = C->getArg(0);
    } else if (N.starts_with("compare_exchange"))
      Op = make(AtomicOpKind::CompareExchange, Obj);
    else if (N == "exchange" || N.starts_with("fetch_"))
      Op = make(AtomicOpKind::ReadModifyWrite, Obj);
  }
  if (Op) {
    Op->Arrow = Arrow;
    Op->MemberCall = true;
    Op->ExtraArgs = writtenArgs(C) > (Op->Kind == AtomicOpKind::Store ? 1u : 0u);
  }
  return Op;
}

std::optional<AtomicOp> operatorCall(const CXXOperatorCallExpr *C) {
  if (C->getNumArgs() < 1 || !isAtomicType(C->getArg(0)->getType()))
    return std::nullopt;
  switch (C->getOperator()) {
  case OO_Equal: {
    std::optional<AtomicOp> Op = make(AtomicOpKind::Store, C->getArg(0));
    if (Op && C->getNumArgs() == 2)
      Op->Value = C->getArg(1);
    return Op;
  }
  case OO_PlusPlus: case OO_MinusMinus: case OO_PlusEqual:
  case OO_MinusEqual: case OO_AmpEqual: case OO_PipeEqual:
  case OO_CaretEqual:
    return make(AtomicOpKind::ReadModifyWrite, C->getArg(0));
  default:
    return std::nullopt;
  }
}

std::optional<AtomicOp> builtin(const AtomicExpr *A) {
  AtomicOpKind K = AtomicOpKind::ReadModifyWrite;
  switch (A->getOp()) {
  case AtomicExpr::AO__atomic_load:
  case AtomicExpr::AO__atomic_load_n:
  case AtomicExpr::AO__c11_atomic_load:
    K = AtomicOpKind::Load;
    break;
  case AtomicExpr::AO__atomic_store:
  case AtomicExpr::AO__atomic_store_n:
  case AtomicExpr::AO__c11_atomic_store:
    K = AtomicOpKind::Store;
    break;
  case AtomicExpr::AO__atomic_compare_exchange:
  case AtomicExpr::AO__atomic_compare_exchange_n:
  case AtomicExpr::AO__c11_atomic_compare_exchange_strong:
  case AtomicExpr::AO__c11_atomic_compare_exchange_weak:
    K = AtomicOpKind::CompareExchange;
    break;
  default:
    break;
  }
  std::optional<AtomicOp> Op = make(K, A->getPtr());
  if (Op && K == AtomicOpKind::Store)
    Op->Value = A->getVal1();
  if (Op)
    Op->ExtraArgs = true; // the builtins always name an order
  return Op;
}

/// A C `_Atomic` lvalue read, assigned or updated by an operator.
std::optional<AtomicOp> cAtomic(const Stmt *S) {
  if (const auto *IC = dyn_cast<ImplicitCastExpr>(S)) {
    if (IC->getCastKind() == CK_LValueToRValue &&
        IC->getSubExpr()->getType()->isAtomicType())
      return make(AtomicOpKind::Load, IC->getSubExpr());
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (!BO->isAssignmentOp() || !BO->getLHS()->getType()->isAtomicType())
      return std::nullopt;
    if (BO->getOpcode() != BO_Assign)
      return make(AtomicOpKind::ReadModifyWrite, BO->getLHS());
    std::optional<AtomicOp> Op = make(AtomicOpKind::Store, BO->getLHS());
    if (Op)
      Op->Value = BO->getRHS();
    return Op;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && UO->isIncrementDecrementOp() &&
      UO->getSubExpr()->getType()->isAtomicType())
    return make(AtomicOpKind::ReadModifyWrite, UO->getSubExpr());
  return std::nullopt;
}

} // namespace

bool isAtomicType(QualType T) {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType();
  if (T->isAtomicType())
    return true;
  return isAtomicRecord(T->getAsCXXRecordDecl());
}

QualType atomicValueType(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *AT = T->getAs<AtomicType>())
    return AT->getValueType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  llvm::SmallVector<const CXXRecordDecl *, 4> Work;
  if (RD)
    Work.push_back(RD);
  while (!Work.empty()) {
    const CXXRecordDecl *R = Work.pop_back_val();
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(R);
        Spec && isAtomicRecordItself(Spec) && Spec->getTemplateArgs().size() >= 1 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return Spec->getTemplateArgs()[0].getAsType();
    if (R->hasDefinition())
      for (const CXXBaseSpecifier &B : R->bases())
        if (const CXXRecordDecl *BR = B.getType()->getAsCXXRecordDecl())
          Work.push_back(BR);
  }
  return QualType();
}

std::optional<AtomicOp> atomicOpOf(const Stmt *S) {
  if (!S)
    return std::nullopt;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
    return operatorCall(OC);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    return memberCall(MC);
  if (const auto *A = dyn_cast<AtomicExpr>(S))
    return builtin(A);
  return cAtomic(S);
}

} // namespace concur::atomics
