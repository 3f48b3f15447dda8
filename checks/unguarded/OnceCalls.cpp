//===- OnceCalls.cpp ------------------------------------------------------===//

#include "checks/unguarded/OnceCalls.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace concur::unguarded {

namespace {

/// The bool field of `this` a condition tests, and the value it tests for:
/// `flag`, `!flag`, through parentheses, conversions and
/// `__builtin_expect` (the likely/unlikely macros).
const FieldDecl *testedFlag(const Expr *Cond, bool &Value) {
  Value = true;
  for (unsigned Depth = 0; Cond && Depth < 8; ++Depth) {
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
        UO && UO->getOpcode() == UO_LNot) {
      Value = !Value;
      Cond = UO->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<CallExpr>(Cond)) {
      if (CE->getBuiltinCallee() != Builtin::BI__builtin_expect || CE->getNumArgs() < 1)
        return nullptr;
      Cond = CE->getArg(0);
      continue;
    }
    const auto *ME = dyn_cast<MemberExpr>(Cond);
    if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return nullptr;
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    return F && F->getType()->isBooleanType() ? F : nullptr;
  }
  return nullptr;
}

/// Whether a body assigns the flag the literal Value.
class LatchFinder : public RecursiveASTVisitor<LatchFinder> {
public:
  LatchFinder(const FieldDecl *Flag, bool Value) : Flag(Flag), Value(Value) {}
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() != BO_Assign)
      return true;
    const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
    const auto *B = dyn_cast<CXXBoolLiteralExpr>(BO->getRHS()->IgnoreParenImpCasts());
    if (ME && B && ME->getMemberDecl() == Flag && B->getValue() == Value &&
        isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      Found = true;
    return !Found;
  }
  const FieldDecl *Flag;
  bool Value;
  bool Found = false;
};

bool assigns(const Stmt *Body, const FieldDecl *Flag, bool Value) {
  if (!Body)
    return false;
  LatchFinder F(Flag, Value);
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Found;
}

} // namespace

const FieldDecl *onceFlagOf(const CallExpr *Call, const FunctionDecl *Callee,
                            ASTContext &AST) {
  DynTypedNode Child = DynTypedNode::create(*Call);
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    DynTypedNodeList Parents = AST.getParents(Child);
    if (Parents.empty() || Parents[0].get<Decl>())
      return nullptr;
    const DynTypedNode &P = Parents[0];
    if (P.get<LambdaExpr>())
      return nullptr;
    const auto *If = P.get<IfStmt>();
    if (If && Child.get<Stmt>() == If->getThen()) {
      bool Pending;
      if (const FieldDecl *Flag = testedFlag(If->getCond(), Pending)) {
        const FunctionDecl *Def = nullptr;
        bool Latched = assigns(If->getThen(), Flag, !Pending) ||
                       (Callee && Callee->hasBody(Def) && Def &&
                        assigns(Def->getBody(), Flag, !Pending));
        return Latched ? Flag : nullptr;
      }
    }
    Child = P;
  }
  return nullptr;
}

} // namespace concur::unguarded
