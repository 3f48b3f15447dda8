//===- VariableUses.cpp ---------------------------------------------------===//

#include "checks/unguarded/VariableUses.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace concur::unguarded {

const ValueDecl *sharedVariableOf(const Expr *E) {
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E)) {
    if (isa<CXXThisExpr>(stripExpr(ME->getBase())))
      return dyn_cast<FieldDecl>(ME->getMemberDecl());
    return nullptr;
  }
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !VD->hasGlobalStorage() || VD->isLocalVarDeclOrParm() ||
        VD->getTLSKind() != VarDecl::TLS_None || VD->isConstexpr())
      return nullptr;
    const SourceManager &SM = VD->getASTContext().getSourceManager();
    if (SM.isInSystemHeader(VD->getLocation()))
      return nullptr;
    return VD;
  }
  return nullptr;
}

bool isLockType(QualType T, const ModelMatcher &Models) {
  if (T.isNull() || T->isPointerType() || T->isReferenceType())
    return false;
  for (QualType Cur = T; !Cur.isNull();) {
    const auto *TT = Cur->getAs<TypedefType>();
    if (!TT)
      break;
    llvm::StringRef Name = TT->getDecl()->getName();
    if (Name == "pthread_mutex_t" || Name == "pthread_rwlock_t" ||
        Name == "pthread_spinlock_t" || Name == "mtx_t")
      return true;
    Cur = TT->getDecl()->getUnderlyingType();
  }
  const TypeModel *TM = Models.modelForType(T);
  return TM && TM->Kind == TypeKind::Mutex;
}

/// The C library's synchronisation objects other than mutexes, which are
/// handed to their functions by address (`cnd_wait(&cond, &mu)`).
static bool isCSynchronisationType(QualType T) {
  for (QualType Cur = T; !Cur.isNull();) {
    const auto *TT = Cur->getAs<TypedefType>();
    if (!TT)
      return false;
    if (llvm::StringSwitch<bool>(TT->getDecl()->getName())
            .Cases("pthread_cond_t", "pthread_barrier_t", "pthread_once_t", true)
            .Cases("cnd_t", "once_flag", "sem_t", true)
            .Default(false))
      return true;
    Cur = TT->getDecl()->getUnderlyingType();
  }
  return false;
}

static bool isSynchronisationType(QualType T, const ModelMatcher &Models,
                                  unsigned Depth) {
  T = QualType(T->getBaseElementTypeUnsafe(), 0);
  if (Models.modelForType(T) || isLockType(T, Models) || isCSynchronisationType(T))
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || Depth >= 3)
    return false;
  RD = RD->getDefinition();
  bool AllSync = true, SyncsItself = false, PublicData = false, Any = false;
  auto Visit = [&](const FieldDecl *F) {
    Any = true;
    QualType FT = F->getType();
    // A pointer or reference to a lock the object is handed (ErrorHandler's
    // `InstrumentedMutex *db_mutex_`) is a lock it synchronises with.
    if (FT->isPointerType() || FT->isReferenceType())
      SyncsItself |= isLockType(FT->getPointeeType(), Models);
    if (FT.isConstQualified() || FT->isReferenceType())
      return; // neither data that changes nor an object of its own
    if (FT->isPointerType() && isLockType(FT->getPointeeType(), Models))
      return;
    if (isSynchronisationType(FT, Models, Depth + 1)) {
      // A lock, or atomics a lock-free structure publishes with (zeromq's
      // ypipe_t and its atomic_ptr_t): the class synchronises itself.
      SyncsItself = true;
      return;
    }
    AllSync = false;
    PublicData |= F->getAccess() == AS_public;
  };
  for (const FieldDecl *F : RD->fields())
    Visit(F);
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const auto *Base = B.getType()->getAsCXXRecordDecl())
      if (Base->hasDefinition())
        for (const FieldDecl *F : Base->getDefinition()->fields())
          Visit(F);
  if (!Any)
    return false;
  return AllSync || (SyncsItself && !PublicData);
}

bool isSynchronisationType(QualType T, const ModelMatcher &Models) {
  return isSynchronisationType(T, Models, 0);
}

namespace {

/// Non-const member functions that only look: a container's lookups and
/// iterators, a smart pointer's get() and dereference. Their results may
/// be written through (`v.at(i) = x`), which the assignment sees.
bool onlyLooks(const CXXMethodDecl *MD) {
  if (isa<CXXConversionDecl>(MD))
    return true;
  if (MD->getOverloadedOperator() == OO_Arrow ||
      (MD->getOverloadedOperator() == OO_Star && MD->getNumParams() == 0))
    return true;
  if (!MD->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(MD->getName())
      .Cases("find", "count", "contains", "at", "size", "empty", true)
      .Cases("begin", "end", "cbegin", "cend", "rbegin", "rend", true)
      .Cases("get", "length", "capacity", "data", "c_str", "front", "back", true)
      .Cases("lower_bound", "upper_bound", "equal_range", "use_count", true)
      .Default(false);
}

/// Whether calling this non-const method may modify the object: not when
/// it only looks, nor when the class offers a const overload (the
/// non-const one was chosen only because the object is non-const).
/// map::operator[] has none: it inserts.
bool mayModify(const CXXMethodDecl *MD) {
  if (MD->isConst() || MD->isStatic() || onlyLooks(MD))
    return false;
  for (const NamedDecl *ND : MD->getParent()->lookup(MD->getDeclName())) {
    const auto *Other = dyn_cast<CXXMethodDecl>(ND->getUnderlyingDecl());
    if (const auto *T = dyn_cast<FunctionTemplateDecl>(ND->getUnderlyingDecl()))
      Other = dyn_cast<CXXMethodDecl>(T->getTemplatedDecl());
    if (Other && Other != MD && Other->isConst() &&
        Other->getNumParams() == MD->getNumParams())
      return false;
  }
  return true;
}

/// Member calls whose result is part of the object: writing the result
/// writes the object (`v.at(i) = x`, `v.front() = x`).
bool yieldsPart(const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!MD || !MD->getIdentifier() || !MD->getReturnType()->isReferenceType())
    return false;
  return llvm::StringSwitch<bool>(MD->getName())
      .Cases("at", "front", "back", true)
      .Default(false);
}

/// A function of the project whose body is in another file: what it
/// does with an address it is given are its own accesses (RocksDB's
/// TEST_SYNC_POINT_CALLBACK hands `&periodic_task_scheduler_` to a test
/// hook); the call itself only reads the variable.
bool isUnseenProjectCode(const FunctionDecl *FD) {
  if (!FD || FD->isDefined() || FD->getTemplateInstantiationPattern())
    return false;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  return !SM.isInSystemHeader(FD->getLocation());
}
/// The standard library's functions that hand their arguments to a
/// constructor (`jobs.emplace_back(&dirs_)`).
bool forwardsToConstructor(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return false;
  const Decl *Owner = FD;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    Owner = MD->getParent();
  if (!Owner->isInStdNamespace())
    return false;
  return llvm::StringSwitch<bool>(FD->getName())
      .Cases("emplace", "emplace_back", "emplace_front", "emplace_hint", true)
      .Cases("try_emplace", "make_unique", "make_shared", true)
      .Cases("allocate_shared", "construct_at", true)
      .Default(false);
}

/// Walks the uses in one body of the roots it is given: the shared
/// variables, or one parameter.
class UseWalker : public RecursiveASTVisitor<UseWalker> {
public:
  UseWalker(UseClassifier &Classifier, const ModelMatcher &Models,
            const ParmVarDecl *Param)
      : Classifier(Classifier), Models(Models), Param(Param) {}

  llvm::DenseMap<const Expr *, Use> Uses;
  /// For a parameter: whether it is used other than bound to a member.
  bool UsedOtherwise = false;

  /// The occurrence of a root an lvalue is part of: `a_`, `a_.b[2]`,
  /// `a_.at(i)`; null through a pointer (another object).
  const Expr *rootOf(const Expr *E) const {
    while (E) {
      E = stripExpr(E);
      if (isRoot(E))
        return E;
      if (const auto *ME = dyn_cast<MemberExpr>(E)) {
        if (ME->isArrow() || isSynchronisationMember(ME))
          return nullptr; // another object, or not data
        E = ME->getBase();
      } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
        const Expr *Base = AS->getBase()->IgnoreParens();
        const auto *Decay = dyn_cast<ImplicitCastExpr>(Base);
        if (!Decay || Decay->getCastKind() != CK_ArrayToPointerDecay)
          return nullptr; // `p_[i] = x` writes what p_ points to
        E = Decay->getSubExpr();
      } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
                 Op && Op->getOperator() == OO_Subscript && Op->getNumArgs()) {
        E = Op->getArg(0); // `vec_[i] = x` writes vec_
      } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
                 MC && yieldsPart(MC)) {
        E = MC->getImplicitObjectArgument();
      } else {
        return nullptr;
      }
    }
    return nullptr;
  }

  void mark(const Expr *E, Use U) {
    const Expr *Root = rootOf(E);
    if (!Root)
      return;
    Use &Slot = Uses.try_emplace(Root, Use::Read).first->second;
    if (U == Use::Write || (U == Use::None && Slot == Use::Read))
      Slot = U;
  }

  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp())
      mark(B->getLHS(), Use::Write);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp())
      mark(U->getSubExpr(), Use::Write);
    else if (U->getOpcode() == UO_AddrOf)
      mark(U->getSubExpr(), Handed.lookup_or(U, Use::Write));
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    // `ptr_->f()` reads the pointer; only `obj_.f()` can modify obj_.
    const auto *Callee = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens());
    if (Callee && Callee->isArrow())
      return true;
    if (const auto *MD = C->getMethodDecl())
      if (mayModify(MD))
        mark(C->getImplicitObjectArgument(),
             bodyUnknown(MD) ? Use::Read : Classifier.receiverUse(MD));
    return true;
  }
  /// A method of the project's whose body is in another file may lock
  /// before it writes (RocksDB's PeriodicTaskScheduler::Register takes a
  /// static mutex of its .cc): the call reads the object, whatever the
  /// callee does with it is its own access.
  static bool bodyUnknown(const CXXMethodDecl *MD) {
    if (MD->isDefined() || MD->isPureVirtual() ||
        MD->getTemplateInstantiationPattern())
      return false;
    const SourceManager &SM = MD->getASTContext().getSourceManager();
    return !SM.isInSystemHeader(MD->getLocation());
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(C->getDirectCallee())) {
      if (mayModify(MD) && C->getNumArgs() > 0)
        mark(C->getArg(0), Classifier.receiverUse(MD));
      return true;
    }
    // A free operator (`os_ << x`): its reference parameters.
    markArguments(C->getDirectCallee(), C->arguments());
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    if (!isa<CXXOperatorCallExpr>(C)) // those are seen above
      markArguments(C->getDirectCallee(), C->arguments());
    // `jobs.emplace_back(&dirs_)`, `std::make_unique<Job>(&dirs_)`: the
    // standard library forwards the address to a constructor, which binds it.
    // A function of the project seen here is asked what it does with the
    // address.
    unsigned Index = 0;
    for (const Expr *Arg : C->arguments()) {
      const auto *U = dyn_cast<UnaryOperator>(stripExpr(Arg));
      if (U && U->getOpcode() == UO_AddrOf)
        Handed[U] = Classifier.handedAddressUse(C->getDirectCallee(), Index);
      ++Index;
    }
    return true;
  }
  /// What the callee an address is handed to does with it.
  llvm::DenseMap<const UnaryOperator *, Use> Handed;
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    const CXXConstructorDecl *Ctor = C->getConstructor();
    if (!Ctor || Ctor->isCopyOrMoveConstructor())
      return true;
    markArguments(Ctor, C->arguments());
    // `View(&items_)`: a constructor given an address binds it.
    for (const Expr *Arg : C->arguments())
      if (const auto *U = dyn_cast<UnaryOperator>(stripExpr(Arg));
          U && U->getOpcode() == UO_AddrOf)
        Handed[U] = Use::None;
    return true;
  }
  /// `jobs_.cv.notify_one()`: a synchronisation object inside a shared
  /// variable is used, not the variable's data.
  llvm::DenseMap<const Expr *, const FieldDecl *> Members;
  bool VisitMemberExpr(MemberExpr *ME) {
    if (!Param && !ME->isArrow())
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        if (const Expr *Base = stripExpr(ME->getBase()); sharedVariableOf(Base))
          Members[Base] = F;
    if (Param || ME->isArrow() || !isSynchronisationMember(ME))
      return true;
    if (const Expr *Root = rootOf(ME->getBase()))
      Uses.try_emplace(Root, Use::None);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (Param && DRE->getDecl() == Param && !Bound.count(DRE))
      UsedOtherwise = true;
    return true;
  }

  /// The member initialisers of a constructor: a reference parameter that
  /// initialises a reference (or pointer) member is bound, not touched.
  void traverseInitializers(const CXXConstructorDecl *Ctor) {
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      const Expr *E = Init->getInit();
      if (!E)
        continue;
      const FieldDecl *M = Init->getMember();
      const Expr *S = stripExpr(E);
      if (const auto *U = dyn_cast<UnaryOperator>(S);
          U && U->getOpcode() == UO_AddrOf)
        S = stripExpr(U->getSubExpr());
      if (M && (M->getType()->isReferenceType() || M->getType()->isPointerType()))
        if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
          if (Param && DRE->getDecl() == Param)
            Bound.insert(DRE);
      TraverseStmt(const_cast<Expr *>(E));
    }
  }

private:
  bool isSynchronisationMember(const MemberExpr *ME) const {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    return F && isSynchronisationType(F->getType(), Models);
  }
  bool isRoot(const Expr *E) const {
    if (Param) {
      const auto *DRE = dyn_cast<DeclRefExpr>(E);
      return DRE && DRE->getDecl() == Param;
    }
    return sharedVariableOf(E) != nullptr;
  }

  template <typename Range>
  void markArguments(const FunctionDecl *FD, Range Args) {
    if (!FD)
      return;
    unsigned I = 0;
    for (const Expr *Arg : Args) {
      if (I >= FD->getNumParams())
        break;
      if (FD->getParamDecl(I)->getType()->isReferenceType() && rootOf(Arg))
        mark(Arg, Classifier.parameterUse(FD, I));
      ++I;
    }
  }

  UseClassifier &Classifier;
  const ModelMatcher &Models;
  const ParmVarDecl *Param;
  llvm::DenseSet<const DeclRefExpr *> Bound;
};

/// The uses of `this` in a method's body that may modify the object
/// beyond what its fields' own occurrences say: `this` handed on, `*this`
/// assigned, one of its own modifying methods called.
class ThisWalker : public RecursiveASTVisitor<ThisWalker> {
public:
  explicit ThisWalker(UseClassifier &Classifier) : Classifier(Classifier) {}

  bool VisitMemberExpr(MemberExpr *ME) {
    const auto *This = dyn_cast<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
    if (!This)
      return true;
    // A field's occurrence is classified with the others.
    if (isa<FieldDecl>(ME->getMemberDecl()))
      Accounted.insert(This);
    else if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
             MD && (!mayModify(MD) || Classifier.receiverUse(MD) != Use::Write))
      Accounted.insert(This);
    return true;
  }
  bool VisitCXXThisExpr(CXXThisExpr *T) {
    All.push_back(T);
    return true;
  }
  bool handsOn() const {
    return llvm::any_of(All, [&](const CXXThisExpr *T) {
      return !Accounted.count(T);
    });
  }

private:
  UseClassifier &Classifier;
  llvm::DenseSet<const CXXThisExpr *> Accounted;
  llvm::SmallVector<const CXXThisExpr *, 8> All;
};

/// Whether a pointer parameter is only handed on: each of its occurrences
/// is an argument of a call, whose callee then decides.
class AddressWalker : public RecursiveASTVisitor<AddressWalker> {
public:
  AddressWalker(UseClassifier &Classifier, const ParmVarDecl *Param)
      : Classifier(Classifier), Param(Param) {}

  Use Result = Use::None;

  bool VisitCallExpr(CallExpr *C) {
    unsigned Index = 0;
    for (const Expr *Arg : C->arguments()) {
      const auto *DRE = dyn_cast<DeclRefExpr>(stripExpr(Arg));
      if (DRE && DRE->getDecl() == Param) {
        Passed.insert(DRE);
        join(Classifier.handedAddressUse(C->getDirectCallee(), Index));
      }
      ++Index;
    }
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (DRE->getDecl() == Param)
      All.push_back(DRE);
    return true;
  }
  Use result() {
    for (const DeclRefExpr *DRE : All)
      if (!Passed.count(DRE))
        join(Use::Write);
    return Result;
  }

private:
  void join(Use U) {
    if (U == Use::Write || (U == Use::Read && Result == Use::None))
      Result = U;
  }
  UseClassifier &Classifier;
  const ParmVarDecl *Param;
  llvm::DenseSet<const DeclRefExpr *> Passed;
  llvm::SmallVector<const DeclRefExpr *, 4> All;
};

/// The definition of a function of the project this file sees, or null
/// (no body here, or the library's).
const FunctionDecl *projectDefinition(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->hasBody())
    return nullptr;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  return SM.isInSystemHeader(Def->getLocation()) ? nullptr : Def;
}

} // namespace

Use UseClassifier::receiverUse(const CXXMethodDecl *Method) {
  // A virtual call may run another override; a non-const reference
  // returned may be written through.
  QualType Ret = Method->getReturnType();
  if ((Method->isVirtual() && !Method->hasAttr<FinalAttr>() &&
       !Method->getParent()->hasAttr<FinalAttr>()) ||
      (Ret->isReferenceType() && !Ret.getNonReferenceType().isConstQualified()))
    return Use::Write;
  const FunctionDecl *Def = projectDefinition(Method);
  if (!Def || Depth >= MaxDepth)
    return Use::Write;
  auto [It, Inserted] = Receivers.try_emplace(Def, Use::Write);
  if (!Inserted)
    return It->second; // computed, or in progress (recursion): a write
  ++Depth;
  Use Result = Use::Read;
  for (const auto &KV : nonReads(Def))
    if (KV.second == Use::Write && isa_and_nonnull<FieldDecl>(sharedVariableOf(KV.first)))
      Result = Use::Write;
  if (Result == Use::Read) {
    ThisWalker W(*this);
    W.TraverseStmt(Def->getBody());
    if (W.handsOn())
      Result = Use::Write;
  }
  --Depth;
  Receivers[Def] = Result;
  return Result;
}

Use UseClassifier::handedAddressUse(const FunctionDecl *Callee,
                                   unsigned Index) {
  if (forwardsToConstructor(Callee))
    return Use::None;
  if (isUnseenProjectCode(Callee))
    return Use::Read;
  return Callee ? addressUse(Callee, Index) : Use::Write;
}

Use UseClassifier::addressUse(const FunctionDecl *Callee, unsigned Index) {
  const FunctionDecl *Def = projectDefinition(Callee);
  if (!Def || Depth >= MaxDepth || Index >= Def->getNumParams())
    return Use::Write;
  const ParmVarDecl *P = Def->getParamDecl(Index);
  if (!P->getType()->isPointerType())
    return Use::Write;
  auto Key = std::make_pair(Def, Index);
  auto [It, Inserted] = Addresses.try_emplace(Key, Use::Write);
  if (!Inserted)
    return It->second;
  ++Depth;
  AddressWalker W(*this, P);
  W.TraverseStmt(Def->getBody());
  Use Result = W.result();
  --Depth;
  Addresses[Key] = Result;
  return Result;
}

const llvm::DenseMap<const Expr *, Use> &
UseClassifier::nonReads(const FunctionDecl *Body) {
  auto It = Bodies.find(Body);
  if (It != Bodies.end())
    return It->second;
  UseWalker W(*this, Models, nullptr);
  if (Body->getBody())
    W.TraverseStmt(Body->getBody());
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Body))
    W.traverseInitializers(Ctor);
  Members.insert(W.Members.begin(), W.Members.end());
  llvm::DenseMap<const Expr *, Use> Out;
  for (auto &KV : W.Uses)
    if (KV.second != Use::Read)
      Out.insert(KV);
  return Bodies[Body] = std::move(Out);
}

Use UseClassifier::parameterUse(const FunctionDecl *Callee, unsigned Index) {
  const ParmVarDecl *P = Callee->getParamDecl(Index);
  QualType T = P->getType();
  if (!T->isReferenceType())
    return Use::Read;
  bool Const = T.getNonReferenceType().isConstQualified();
  const FunctionDecl *Def = Callee->getDefinition();
  const SourceManager &SM = Callee->getASTContext().getSourceManager();
  if (!Def || !Def->hasBody() || SM.isInSystemHeader(Def->getLocation())) {
    // Library code does what its signature says. Unseen project code
    // (its body in another file) may lock before it touches what it is
    // given: passing reads a variable it may write, and leaves alone one
    // it may only read.
    if (!Def || !Def->hasBody())
      return Const ? Use::None : Use::Read;
    return Const ? Use::Read : Use::Write;
  }
  if (Depth >= MaxDepth)
    return Const ? Use::Read : Use::Write;
  auto Key = std::make_pair(Def, Index);
  auto [It, Inserted] = Params.try_emplace(Key, Const ? Use::Read : Use::Write);
  if (!Inserted)
    return It->second; // computed, or in progress (recursion): the signature
  const ParmVarDecl *DefParam = Def->getParamDecl(Index);
  UseWalker W(*this, Models, DefParam);
  ++Depth;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    W.traverseInitializers(Ctor);
  W.TraverseStmt(Def->getBody());
  --Depth;
  Use Result = Use::Read;
  if (llvm::any_of(W.Uses, [](auto &KV) { return KV.second == Use::Write; }))
    Result = Use::Write;
  else if (!W.UsedOtherwise)
    Result = Use::None; // only bound to a member, or not used at all
  Params[Key] = Result;
  return Result;
}

} // namespace concur::unguarded
