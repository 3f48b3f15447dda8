//===- LockIdentity.cpp ---------------------------------------------------===//

#include "checks/engine/LockIdentity.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace concur {

static std::string declTag(const ValueDecl *D) {
  // Names alone would merge shadowing locals; the address keeps them apart.
  // Fields and globals keep only their name and owner so that the path means
  // the same in every function of the translation unit.
  std::string S = D->getNameAsString();
  if (const auto *VD = dyn_cast<VarDecl>(D))
    if (VD->isLocalVarDeclOrParm())
      S += "@" + llvm::utohexstr(reinterpret_cast<uintptr_t>(VD));
  if (isa<FieldDecl>(D))
    if (const auto *RD = dyn_cast<RecordDecl>(D->getDeclContext()))
      S = RD->getNameAsString() + "::" + S;
  return S;
}

/// A cast that names the same object as its operand: to a base class
/// (`static_cast<std::mutex &>(d)` is `d`), or adding qualifiers.
static bool isSameObjectCast(CastKind K) {
  return K == CK_DerivedToBase || K == CK_UncheckedDerivedToBase || K == CK_NoOp;
}

const Expr *stripExpr(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = C->getSubExpr();
    else if (const auto *Cl = dyn_cast<ExprWithCleanups>(Next))
      Next = Cl->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Next);
             Cast && isSameObjectCast(Cast->getCastKind()))
      Next = Cast->getSubExpr();
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(Next);
             CE && CE->getNumArgs() == 1 &&
             CE->getConstructor()->isCopyOrMoveConstructor())
      Next = CE->getArg(0);
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

static std::string deref(const std::string &Pointer) {
  if (Pointer.empty())
    return "";
  if (Pointer[0] == '&')
    return Pointer.substr(1);
  return "*" + Pointer;
}

static std::string pointerValue(const Expr *E);

/// Whether an accessor's receiver is reached from a local or parameter, or
/// from `this` through member objects only: not through a pointer member.
static bool isOwnedObject(const Expr *E, bool Arrow) {
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD && VD->isLocalVarDeclOrParm();
    }
    const auto *ME = dyn_cast<MemberExpr>(E);
    if (!ME)
      return false;
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base))
      return !Arrow; // `member_.mutex()`, not `member_->mutex()`
    if (ME->isArrow())
      return false;
    E = Base;
  }
  return false;
}

/// What an accessor call on `this` returns: the address of a member for
/// `T *mutex() const { return &mutex_; }`, the member for
/// `T &mutex() { return mutex_; }`; "" for any other call. Only a body
/// made of that one return is an accessor.
static std::string accessorResult(const CXXMemberCallExpr *MC) {
  // An accessor may return another accessor's result; not without end.
  static thread_local unsigned Depth = 0;
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!MD || MC->getNumArgs() != 0 || Depth >= 4 ||
      (MD->isVirtual() && !MD->hasAttr<FinalAttr>()))
    return "";
  const FunctionDecl *Def = MD->getDefinition();
  const auto *Body = Def ? dyn_cast_or_null<CompoundStmt>(Def->getBody()) : nullptr;
  if (!Body || Body->size() != 1)
    return "";
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  if (!Ret || !Ret->getRetValue())
    return "";
  QualType T = Def->getReturnType();
  ++Depth;
  std::string Inner = T->isPointerType()     ? pointerValue(Ret->getRetValue())
                      : T->isReferenceType() ? objectPath(Ret->getRetValue())
                                             : "";
  --Depth;
  // The callee's `*this` is the caller's receiver.
  llvm::StringRef Rest = Inner;
  bool Address = Rest.consume_front("&");
  if (!Rest.consume_front("*this") || (!Rest.empty() && Rest[0] != '.'))
    return "";
  // An accessor of the object itself, of a member object, or of a local's
  // or a parameter's (`ScopedLock l(fifoBuf.mutex())`): that object's lock,
  // named as the object is. Through a pointer member (`db_->mutex()`) it
  // stays unnamed: a per-operation visitor that asserts its database's lock
  // around one write (RocksDB's MemTableInserter) would make it the guard
  // of its own fields.
  const auto *Callee = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
  if (!Callee)
    return "";
  const Expr *Base = Callee->getBase()->IgnoreParenImpCasts();
  std::string Receiver = "*this";
  if (!isa<CXXThisExpr>(Base)) {
    if (!isOwnedObject(Base, Callee->isArrow()))
      return "";
    Receiver = Callee->isArrow() ? deref(pointerValue(Base)) : objectPath(Base);
    if (Receiver.empty())
      return "";
  }
  return std::string(Address ? "&" : "") + Receiver + Rest.str();
}

bool isNullLiteral(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return true;
  const auto *IL = dyn_cast<IntegerLiteral>(E);
  return IL && IL->getValue() == 0;
}

/// The value of a pointer expression as a path: "&X" when it is the address
/// of object X, otherwise the path of the pointer variable itself.
static std::string pointerValue(const Expr *E) {
  E = stripExpr(E);
  if (isa<CXXThisExpr>(E))
    return "this";
  // A lock taken only when the object is shared (zeromq's
  // `scoped_optional_lock_t l (_thread_safe ? &_sync : NULL)`): not the
  // lock itself, which other functions hold unconditionally, but a lock of
  // its own that no other function's can be compared with ('@', as a
  // local's): it serialises what it covers, or the object has one thread.
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    const Expr *Lock = isNullLiteral(CO->getFalseExpr())  ? CO->getTrueExpr()
                       : isNullLiteral(CO->getTrueExpr()) ? CO->getFalseExpr()
                                                          : nullptr;
    std::string P = Lock ? pointerValue(Lock) : "";
    return P.empty() ? "" : P + "@optional";
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf) {
      std::string Obj = objectPath(U->getSubExpr());
      return Obj.empty() ? "" : "&" + Obj;
    }
  // A smart pointer: `p.get()`.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const auto *MD = MC->getMethodDecl())
      if (MD->getName() == "get" && MC->getNumArgs() == 0) {
        std::string Obj = objectPath(MC->getImplicitObjectArgument());
        return Obj.empty() ? "" : "(" + Obj + ")";
      }
  // An accessor returning a member's address: `mutex()`.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return accessorResult(MC);
  return objectPath(E); // a pointer variable or field
}

std::string objectPath(const Expr *E) {
  E = stripExpr(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return declTag(DRE->getDecl());
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *Field = dyn_cast<ValueDecl>(ME->getMemberDecl());
    if (!Field || isa<CXXMethodDecl>(Field))
      return "";
    std::string Base = ME->isArrow() ? deref(pointerValue(ME->getBase()))
                                     : objectPath(ME->getBase());
    return Base.empty() ? "" : Base + "." + declTag(Field);
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_Deref)
      return deref(pointerValue(U->getSubExpr()));
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    // `*sp` and `sp->m` on a smart pointer or iterator-like object.
    if ((Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) &&
        Op->getNumArgs() == 1) {
      std::string Obj = objectPath(Op->getArg(0));
      return Obj.empty() ? "" : "*(" + Obj + ")";
    }
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    const Expr *Idx = AS->getIdx();
    std::string Base = objectPath(AS->getBase());
    if (Base.empty()) // `arr` decays: the base is a pointer
      Base = deref(pointerValue(AS->getBase()));
    if (!Base.empty() && !Idx->isValueDependent())
      if (const auto *IL = dyn_cast<IntegerLiteral>(stripExpr(Idx)))
        return Base + "[" + std::to_string(IL->getValue().getZExtValue()) + "]";
    return "";
  }
  if (isa<CXXThisExpr>(E))
    return "this";
  // An accessor returning a reference to a member.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
      MC && MC->getMethodDecl() &&
      MC->getMethodDecl()->getReturnType()->isReferenceType())
    return accessorResult(MC);
  return "";
}

const ParmVarDecl *testedBoolParameter(const Expr *Cond, const FunctionDecl *Fn,
                                      bool &Negated) {
  Cond = Cond->IgnoreParenImpCasts();
  Negated = false;
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot) {
    Negated = true;
    Cond = U->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(Cond);
  const auto *P = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  if (!P || !P->getType()->isBooleanType() || P->getDeclContext() != Fn)
    return nullptr;
  return P;
}

const VarDecl *rootVariable(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = stripExpr(E);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase();
    else if (const auto *U = dyn_cast<UnaryOperator>(E))
      E = U->getSubExpr();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getNumArgs() == 1)
      E = Op->getArg(0);
    else
      return nullptr;
  }
  return nullptr;
}

std::string pointeePath(const Expr *E) { return deref(pointerValue(E)); }

std::string variablePath(const ValueDecl *D) { return declTag(D); }

LockId LockTable::intern(llvm::StringRef Path, llvm::StringRef Display) {
  auto [It, Inserted] = Ids.try_emplace(Path, Entries.size());
  if (Inserted)
    Entries.push_back({Path.str(), Display.str()});
  return It->second;
}

/// The last member of a path, without its class or a local's address.
static std::string lastMember(llvm::StringRef Path) {
  llvm::StringRef Tail = Path.rsplit('.').second;
  if (Tail.empty())
    Tail = Path;
  std::string Name = Tail.split('@').first.rsplit("::").second.str();
  return Name.empty() ? Tail.split('@').first.str() : Name;
}

LockId LockTable::intern(llvm::StringRef Path) {
  return intern(Path, lastMember(Path));
}

static bool isAccessorCall(const Expr *E) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(stripExpr(E));
  return MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
         MC->getMethodDecl()->getName() != "get";
}

std::optional<LockId> LockTable::lockOf(const Expr *E) {
  if (!E)
    return std::nullopt;
  const Expr *S = stripExpr(E);
  std::string Path = S->getType()->isPointerType() ? pointeePath(S)
                                                    : objectPath(S);
  if (Path.empty())
    return std::nullopt;
  std::string Display;
  if (Ctx) {
    const SourceManager &SM = Ctx->getSourceManager();
    CharSourceRange R = CharSourceRange::getTokenRange(S->getSourceRange());
    Display = Lexer::getSourceText(R, SM, Ctx->getLangOpts()).str();
    if (!Display.empty() && Display[0] == '&')
      Display.erase(0, 1);
    // Through an accessor (`mutex()`), the member's name says more.
    if (Display.size() > 60 || Display.find('\n') != std::string::npos ||
        isAccessorCall(S))
      Display.clear();
  }
  if (Display.empty())
    return intern(Path); // named by the last component of the path
  return intern(Path, Display);
}

} // namespace concur
