//===- ModelInference.cpp -------------------------------------------------===//

#include "checks/engine/ModelInference.h"
#include "checks/engine/BlockingSummaries.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace concur {

/// Whether a method's name says it takes a lock (lock, Lock, ReaderLock,
/// acquire, Enter): a class whose BeginUpdate() locks its member and whose
/// EndUpdate() unlocks it holds its lock across calls for its own data;
/// it is not a mutex wrapper.
static bool namesALockOperation(llvm::StringRef Name) {
  std::string N = Name.lower();
  llvm::StringRef L(N);
  return L.contains("lock") || L.contains("acquire") || L.contains("enter");
}

/// Whether a class has an interface of its own besides its lock
/// operations: RocksDB's DBImpl has LockWAL()/UnlockWAL() around its member
/// mutex, and hundreds of other methods; it is not a mutex wrapper.
static bool hasOwnInterface(const CXXRecordDecl *Def) {
  unsigned Others = 0;
  for (const CXXMethodDecl *MD : Def->methods()) {
    if (MD->getAccess() != AS_public || MD->isStatic() || !MD->getIdentifier() ||
        MD->isImplicit())
      continue;
    std::string N = MD->getName().lower();
    llvm::StringRef L(N);
    if (!namesALockOperation(L) && !L.contains("held") && !L.contains("owned") &&
        !L.contains("release") && !L.contains("native") && !L.contains("leave"))
      ++Others;
  }
  return Others > 6;
}

LockLikeInterface lockLikeInterface(const CXXRecordDecl *Def) {
  LockLikeInterface I;
  for (const CXXMethodDecl *MD : Def->methods()) {
    if (!MD->getIdentifier() || MD->isStatic())
      continue;
    std::string N = MD->getName().lower();
    bool Lock = llvm::is_contained({"lock", "acquire", "writerlock", "readerlock",
                                    "writelock", "readlock"},
                                   N);
    bool Unlock = llvm::is_contained({"unlock", "release", "writerunlock",
                                      "readerunlock", "writeunlock", "readunlock"},
                                     N);
    bool Wait = N == "wait";
    bool Signal = llvm::is_contained({"signal", "signalall", "notify", "notify_one",
                                      "notify_all", "notifyall", "broadcast"},
                                     N);
    I.Locks |= Lock;
    I.Unlocks |= Unlock;
    I.Waits |= Wait;
    I.Signals |= Signal;
    if (Lock || Unlock || Wait || Signal)
      I.Operations.push_back(MD);
  }
  return I;
}

/// A body that does nothing: `{}` or `{ return true; }`.
static bool doesNothing(const Stmt *Body) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS || CS->size() > 1)
    return false;
  if (CS->body_empty())
    return true;
  const auto *R = dyn_cast<ReturnStmt>(CS->body_front());
  const Expr *V = R && R->getRetValue() ? R->getRetValue()->IgnoreImpCasts() : nullptr;
  return V && isa<CXXBoolLiteralExpr, IntegerLiteral>(V);
}

bool isNullLock(const CXXRecordDecl *RD) {
  const CXXRecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  if (!Def || !Def->field_empty() || Def->getNumBases() != 0)
    return false;
  LockLikeInterface I = lockLikeInterface(Def);
  if (!I.Locks || !I.Unlocks)
    return false;
  for (const CXXMethodDecl *MD : I.Operations) {
    const FunctionDecl *Defined = nullptr;
    if (!MD->isDefined(Defined) || !doesNothing(Defined->getBody()))
      return false;
  }
  return true;
}

static bool nullLockAmong(llvm::ArrayRef<TemplateArgument> Args) {
  for (const TemplateArgument &A : Args) {
    if (A.getKind() == TemplateArgument::Pack) {
      if (nullLockAmong(A.pack_elements()))
        return true;
    } else if (A.getKind() == TemplateArgument::Type) {
      if (isNullLock(A.getAsType()->getAsCXXRecordDecl()))
        return true;
    }
  }
  return false;
}

bool hasNullLockPolicy(const FunctionDecl *FD) {
  if (!FD)
    return false;
  if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs();
      Args && nullLockAmong(Args->asArray()))
    return true;
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(DC);
        S && nullLockAmong(S->getTemplateArgs().asArray()))
      return true;
  return false;
}

static std::string locationOf(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  PresumedLoc P = SM.getPresumedLoc(D->getLocation());
  if (P.isInvalid())
    return "";
  return std::string(P.getFilename()) + ":" + std::to_string(P.getLine());
}

bool ModelInference::isLockType(QualType T) const {
  if (T.isNull() || T->isPointerType() || T->isReferenceType())
    return false;
  // The C locks are typedefs of anonymous records.
  if (const auto *TT = T->getAs<TypedefType>()) {
    llvm::StringRef Name = TT->getDecl()->getName();
    if (Name == "pthread_mutex_t" || Name == "pthread_rwlock_t" ||
        Name == "pthread_spinlock_t" || Name == "mtx_t")
      return true;
  }
  const TypeModel *TM = Models.modelForType(T);
  return TM && TM->Kind == TypeKind::Mutex;
}

namespace {

/// The member of `this` an expression reaches first: `mu_`, `&mu_`,
/// `*mu_`, `this->mu_->inner_` (the last through a pointer member).
const FieldDecl *rootField(const Expr *E, bool &Direct) {
  Direct = true;
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = stripExpr(E);
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
      E = U->getSubExpr();
      continue;
    }
    // An accessor of the lock object (`mu_->native()`) stands for it.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E); MC && MC->getNumArgs() == 0) {
      E = MC->getImplicitObjectArgument();
      continue;
    }
    const auto *ME = dyn_cast<MemberExpr>(E);
    if (!ME)
      return nullptr;
    if (isa<CXXThisExpr>(stripExpr(ME->getBase())))
      return dyn_cast<FieldDecl>(ME->getMemberDecl());
    Direct = false;
    E = ME->getBase();
  }
  return nullptr;
}

/// The parameter an expression names: `mu`, `&mu`, `*mu`, `mu->inner_`.
const ParmVarDecl *rootParam(const Expr *E) {
  // `mu.native()`, `mu->native()`: the accessor's object.
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(stripExpr(E));
    if (!MC || MC->getNumArgs() != 0)
      break;
    E = MC->getImplicitObjectArgument();
  }
  const VarDecl *V = rootVariable(E);
  return dyn_cast_or_null<ParmVarDecl>(V);
}

/// A lock operation found in a body, and the expression it acts on.
struct LockCall {
  const CallExpr *Call;
  const Effect *Fx;
  LockMode Mode;
  const Expr *Target;
};

llvm::SmallVector<LockCall, 4> lockCalls(const Stmt *Body,
                                         const ModelMatcher &Models) {
  llvm::SmallVector<LockCall, 4> Out;
  if (!Body)
    return Out;
  for (const CallExpr *C : directCalls(Body)) {
    MatchedEffect M = Models.effectOfCall(C);
    if (!M || M.Fx->Lock == LockOp::None)
      continue;
    CallParts Parts = splitCall(C);
    if (M.Fx->Args.isReceiver()) {
      if (Parts.Receiver)
        Out.push_back({C, M.Fx, M.mode(), Parts.Receiver});
      continue;
    }
    for (unsigned I = 0; I < Parts.Args.size(); ++I)
      if (M.Fx->Args.All || llvm::is_contained(M.Fx->Args.Indices, I))
        Out.push_back({C, M.Fx, M.mode(), Parts.Args[I]});
  }
  return Out;
}

/// A condition wait in a body: the call, and the lock it releases.
struct WaitCall {
  const CallExpr *Call;
  const Effect *Fx;
  const Expr *Released;
};

llvm::SmallVector<WaitCall, 2> waitCalls(const Stmt *Body,
                                         const ModelMatcher &Models) {
  llvm::SmallVector<WaitCall, 2> Out;
  if (!Body)
    return Out;
  for (const CallExpr *C : directCalls(Body)) {
    MatchedEffect M = Models.effectOfCall(C);
    if (!M || M.Fx->Block == BlockKind::None || !M.Fx->ReleasesArg)
      continue;
    CallParts Parts = splitCall(C);
    if (*M.Fx->ReleasesArg < Parts.Args.size())
      Out.push_back({C, M.Fx, Parts.Args[*M.Fx->ReleasesArg]});
  }
  return Out;
}

/// What a released lock expression comes from: a guard variable declared in
/// the body is followed to what it was constructed with.
const Expr *throughLocalGuard(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripExpr(E));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->isLocalVarDecl() || !VD->getInit())
    return E;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(VD->getInit()->IgnoreImplicit()))
    if (CE->getNumArgs() > 0)
      return CE->getArg(0);
  return E;
}

Effect effect(LockOp Op, const std::string &Origin) {
  Effect E;
  E.Lock = Op;
  E.Origin = Origin;
  return E;
}

/// `return pthread_mutex_trylock(&mu_) == 0;` says success is true;
/// `return pthread_mutex_trylock(&mu_);` passes the callee's convention on.
std::optional<bool> trySuccessIsZero(const Stmt *Body, const CallExpr *Try,
                                     bool TrySuccessIsZero) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    const Expr *Value = nullptr;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitReturnStmt(ReturnStmt *R) {
      if (R->getRetValue())
        Value = R->getRetValue();
      return true;
    }
  } F;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  if (!F.Value)
    return std::nullopt;
  const Expr *V = stripExpr(F.Value);
  if (V == Try)
    return TrySuccessIsZero;
  if (const auto *BO = dyn_cast<BinaryOperator>(V);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) &&
      stripExpr(BO->getLHS()) == Try) {
    // `r == 0` succeeds when r is 0: for a zero-success callee that is a
    // plain "true means taken".
    bool Eq = BO->getOpcode() == BO_EQ;
    return TrySuccessIsZero ? !Eq : Eq;
  }
  return std::nullopt;
}

bool bodyOf(const CXXMethodDecl *MD, const Stmt *&Body) {
  const FunctionDecl *Def = nullptr;
  if (!MD->hasBody(Def) || !Def)
    return false;
  Body = Def->getBody();
  return Body != nullptr;
}

/// The class's own method that C calls on `this` from MD (another one,
/// not static), which inference follows into; null for any other call.
const CXXMethodDecl *ownMethodCalled(const CallExpr *C, const CXXMethodDecl *MD) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
  const CXXMethodDecl *Callee = MC ? MC->getMethodDecl() : nullptr;
  if (!Callee || Callee == MD || Callee->isStatic() ||
      !isa<CXXThisExpr>(stripExpr(MC->getImplicitObjectArgument())))
    return nullptr;
  return Callee;
}

/// Whether a method waits on a condition-variable member that releases
/// the lock it was constructed with (RocksDB's InstrumentedCondVar::Wait ->
/// WaitInternal -> cond_.Wait()), itself or through the class's own
/// methods; how long, if so.
std::optional<BlockKind>
boundMemberWait(const CXXMethodDecl *MD,
                const llvm::DenseMap<const FieldDecl *, unsigned> &Bound,
                const ModelMatcher &Models, unsigned Depth) {
  const Stmt *Body = nullptr;
  if (!bodyOf(MD, Body))
    return std::nullopt;
  for (const CallExpr *C : directCalls(Body)) {
    MatchedEffect M = Models.effectOfCall(C);
    if (M && M.Fx->Block != BlockKind::None && M.Fx->ReleasesThis) {
      bool Direct;
      const FieldDecl *F = rootField(splitCall(C).Receiver, Direct);
      if (F && Direct && Bound.count(F))
        return M.Fx->Block == BlockKind::Timed ? BlockKind::Timed
                                               : BlockKind::Always;
      continue;
    }
    const CXXMethodDecl *Callee = ownMethodCalled(C, MD);
    if (M || Depth >= 3 || !Callee)
      continue;
    if (std::optional<BlockKind> K = boundMemberWait(Callee, Bound, Models, Depth + 1))
      return K;
  }
  return std::nullopt;
}

void collectBases(const CXXRecordDecl *RD,
                  llvm::SmallVectorImpl<const CXXRecordDecl *> &Out) {
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
      if ((Base = Base->getDefinition()) && !llvm::is_contained(Out, Base)) {
        Out.push_back(Base);
        collectBases(Base, Out);
      }
}

/// E as the effect of constructing with Ctor, once for each number of
/// arguments a construction may write: variants are told apart by the
/// arguments written, and defaulted parameters may be left out.
static void addConstructorVariants(const CXXConstructorDecl *Ctor,
                                   const Effect &E, std::vector<Effect> &Out) {
  for (unsigned N = Ctor->getMinRequiredArguments(); N <= Ctor->getNumParams();
       ++N) {
    Out.push_back(E);
    Out.back().WhenArgCount = N;
  }
}

/// Whether S is, or contains, Needle (a walk with its own stack: bodies
/// can nest deeper than the native one should go).
static bool contains(const Stmt *S, const Stmt *Needle) {
  llvm::SmallVector<const Stmt *, 16> Work{S};
  while (!Work.empty()) {
    const Stmt *T = Work.pop_back_val();
    if (T == Needle)
      return true;
    if (T)
      Work.append(T->child_begin(), T->child_end());
  }
  return false;
}

/// The bool parameter of Ctor that chooses between an exclusive and a
/// shared acquisition (`if (write) x.writeLock(); else x.readLock();`),
/// into E. A choice the code does not state plainly leaves E's mode
/// parameter out of range: every construction is then exclusive.
static void chooseModeByParameter(const CXXConstructorDecl *Ctor,
                                  const CallExpr *Exclusive,
                                  const CallExpr *Shared, Effect &E) {
  E.ModeArg = Ctor->getNumParams();
  llvm::SmallVector<const Stmt *, 16> Work{Ctor->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    Work.append(S->child_begin(), S->child_end());
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If)
      continue;
    bool Negated;
    const ParmVarDecl *P = testedBoolParameter(If->getCond(), Ctor, Negated);
    if (!P)
      continue;
    // Which acquisition runs when the parameter is true.
    const Stmt *WhenTrue = Negated ? If->getElse() : If->getThen();
    const Stmt *WhenFalse = Negated ? If->getThen() : If->getElse();
    if (contains(WhenTrue, Exclusive) && contains(WhenFalse, Shared)) {
      E.ModeArg = P->getFunctionScopeIndex();
      E.ModeArgMeansShared = false;
      return;
    }
    if (contains(WhenTrue, Shared) && contains(WhenFalse, Exclusive)) {
      E.ModeArg = P->getFunctionScopeIndex();
      E.ModeArgMeansShared = true;
      return;
    }
  }
}

/// What a method does to its class's lock members: directly, or through
/// another method called on `this` (Poco's Mutex::lock() calls its base's
/// lockImpl()).
struct FieldOp {
  std::optional<LockOp> Op;
  LockMode Mode = LockMode::Exclusive;
  bool Mixed = false;
  std::optional<bool> TrySuccessIsZero; ///< a try whose result is returned
};

FieldOp fieldOp(const CXXMethodDecl *MD,
                const llvm::SmallPtrSetImpl<const FieldDecl *> &LockFields,
                const ModelMatcher &Models, unsigned Depth) {
  FieldOp R;
  const Stmt *Body = nullptr;
  if (!bodyOf(MD, Body))
    return R;
  auto Merge = [&](LockOp Op, LockMode Mode) {
    R.Mixed |= R.Op && *R.Op != Op;
    R.Op = Op;
    R.Mode = Mode;
  };
  for (const LockCall &LC : lockCalls(Body, Models)) {
    bool Direct;
    const FieldDecl *F = rootField(LC.Target, Direct);
    if (!F || !Direct || !LockFields.count(F))
      continue;
    Merge(LC.Fx->Lock, LC.Mode);
    if (LC.Fx->Lock == LockOp::TryAcquire)
      R.TrySuccessIsZero = trySuccessIsZero(Body, LC.Call, LC.Fx->SuccessIsZero);
  }
  if (Depth >= 3)
    return R;
  for (const CallExpr *C : directCalls(Body)) {
    const CXXMethodDecl *Callee = ownMethodCalled(C, MD);
    if (!Callee || Models.effectOfCall(C))
      continue;
    FieldOp Sub = fieldOp(Callee, LockFields, Models, Depth + 1);
    if (!Sub.Op)
      continue;
    if (Sub.Mixed) {
      R.Mixed = true;
      continue;
    }
    Merge(*Sub.Op, Sub.Mode);
    if (*Sub.Op == LockOp::TryAcquire) {
      // `return tryLockImpl();` passes the inner convention on.
      R.TrySuccessIsZero = Sub.TrySuccessIsZero
                               ? trySuccessIsZero(Body, C, *Sub.TrySuccessIsZero)
                               : std::nullopt;
    }
  }
  return R;
}

/// What a method does to the lock its class is by inheritance: a call of an
/// inherited lock operation on `this` (`void Lock() { lock(); }`).
FieldOp inheritedOp(const CXXMethodDecl *MD, const ModelMatcher &Models) {
  FieldOp R;
  const Stmt *Body = nullptr;
  if (!bodyOf(MD, Body))
    return R;
  for (const LockCall &LC : lockCalls(Body, Models)) {
    if (!isa<CXXThisExpr>(stripExpr(LC.Target)))
      continue;
    R.Mixed |= R.Op && *R.Op != LC.Fx->Lock;
    R.Op = LC.Fx->Lock;
    R.Mode = LC.Mode;
    if (LC.Fx->Lock == LockOp::TryAcquire)
      R.TrySuccessIsZero = trySuccessIsZero(Body, LC.Call, LC.Fx->SuccessIsZero);
  }
  return R;
}

} // namespace

/// The model of the nearest base class that is a mutex (std::mutex, or a
/// modelled wrapper): a class derived from it is a mutex too.
const TypeModel *
ModelInference::inheritedMutexModel(const CXXRecordDecl *Def) const {
  for (const CXXBaseSpecifier &B : Def->bases())
    if (const auto *Base = B.getType()->getAsCXXRecordDecl())
      if (const TypeModel *TM = Models.modelForRecord(Base);
          TM && TM->Kind == TypeKind::Mutex)
        return TM;
  return nullptr;
}

/// A class derived from a mutex whose own methods lock and unlock it
/// (`void Lock() { lock(); }`): the base's model plus those methods.
std::unique_ptr<TypeModel>
ModelInference::fromMutexBase(const CXXRecordDecl *Def, const TypeModel &Base) {
  std::string Name = ModelMatcher::matchName(Def);
  std::string Origin = "inferred from the body of " + Name + " (" +
                       locationOf(Def) + ") and its base " + Base.Names[0];
  auto M = std::make_unique<TypeModel>(Base);
  M->Names = {Name};
  M->Origin = Origin;
  M->Source = ModelSource::Body;
  bool Added = false;
  for (const CXXMethodDecl *MD : Def->methods()) {
    if (MD->isStatic() || !MD->getIdentifier() || MD->getAccess() != AS_public)
      continue;
    FieldOp R = inheritedOp(MD, Models);
    if (!R.Op || R.Mixed)
      continue;
    Effect E = effect(*R.Op, Origin);
    if (R.Mode == LockMode::Shared)
      E.Mode = LockMode::Shared;
    if (*R.Op == LockOp::TryAcquire) {
      if (!R.TrySuccessIsZero && MD->getReturnType()->isBooleanType())
        R.TrySuccessIsZero = false;
      if (!R.TrySuccessIsZero)
        continue;
      E.SuccessIsZero = *R.TrySuccessIsZero;
    }
    M->Methods[MD->getNameAsString()] = {E};
    Added = true;
  }
  if (!Added)
    return nullptr; // the base's model applies as it is
  return M;
}

std::unique_ptr<TypeModel>
ModelInference::fromAttributes(const CXXRecordDecl *Def) {
  bool Capability = Def->hasAttr<CapabilityAttr>();
  bool Scoped = Def->hasAttr<ScopedLockableAttr>();
  if (!Capability && !Scoped)
    return nullptr;
  // Attributes add to what a capability inherits (a CAPABILITY class
  // derived from std::mutex keeps lock() and unlock()).
  const TypeModel *Base = Capability ? inheritedMutexModel(Def) : nullptr;
  auto M = Base ? std::make_unique<TypeModel>(*Base)
                : std::make_unique<TypeModel>();
  M->Names = {ModelMatcher::matchName(Def)};
  M->Kind = Capability ? TypeKind::Mutex : TypeKind::Guard;
  M->Source = ModelSource::Attributes;
  std::string Origin = "thread-safety attributes of " + M->Names[0] + " (" +
                       locationOf(Def) + ")";
  M->Origin = Origin;
  auto ParamIndex = [](const FunctionDecl *FD, const Expr *Arg) -> std::optional<unsigned> {
    if (const ParmVarDecl *P = rootParam(Arg))
      if (P->getDeclContext() == FD)
        return P->getFunctionScopeIndex();
    return std::nullopt;
  };
  for (const CXXMethodDecl *MD : Def->methods()) {
    if (MD->isStatic() || !MD->getIdentifier()) {
      // Constructors of a scoped guard name the lock they take.
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(MD);
          Ctor && Scoped && !Ctor->isCopyOrMoveConstructor())
        for (const auto *A : Ctor->specific_attrs<AcquireCapabilityAttr>()) {
          Effect E = effect(LockOp::Acquire, Origin);
          if (A->isShared())
            E.Mode = LockMode::Shared;
          for (const Expr *Arg : A->args())
            if (std::optional<unsigned> I = ParamIndex(Ctor, Arg))
              E.Args.Indices.push_back(*I);
          if (!E.Args.Indices.empty())
            addConstructorVariants(Ctor, E, M->Constructor);
        }
      continue;
    }
    std::string Name = MD->getNameAsString();
    if (MD->hasAttr<AcquireCapabilityAttr>() ||
        MD->hasAttr<TryAcquireCapabilityAttr>() ||
        MD->hasAttr<ReleaseCapabilityAttr>() ||
        MD->hasAttr<AssertCapabilityAttr>())
      M->Methods.erase(Name); // the attributes say it here
    // On a capability the attributes name the object itself (no argument);
    // on a guard, the guard's own lock.
    for (const auto *A : MD->specific_attrs<AcquireCapabilityAttr>()) {
      Effect E = effect(LockOp::Acquire, Origin);
      if (A->isShared())
        E.Mode = LockMode::Shared;
      M->Methods[Name].push_back(E);
    }
    for (const auto *A : MD->specific_attrs<TryAcquireCapabilityAttr>()) {
      Effect E = effect(LockOp::TryAcquire, Origin);
      if (A->isShared())
        E.Mode = LockMode::Shared;
      bool Success = true;
      if (const Expr *V = A->getSuccessValue())
        if (!V->isValueDependent())
          V->EvaluateAsBooleanCondition(Success, Def->getASTContext());
      E.SuccessIsZero = !Success;
      M->Methods[Name].push_back(E);
    }
    for (const auto *A : MD->specific_attrs<ReleaseCapabilityAttr>()) {
      (void)A;
      M->Methods[Name].push_back(effect(LockOp::Release, Origin));
    }
    for (const auto *A : MD->specific_attrs<AssertCapabilityAttr>()) {
      Effect E = effect(LockOp::AssertHeld, Origin);
      if (A->isShared())
        E.Mode = LockMode::Shared;
      M->Methods[Name].push_back(E);
    }
  }
  if (M->Kind == TypeKind::Guard && M->Constructor.empty())
    return nullptr; // a scoped type that takes nothing we can name
  if (M->Kind == TypeKind::Mutex && M->Methods.empty())
    return nullptr;
  return M;
}

/// Whether a lock wrapper's own lock is recursive: a recursive lock member
/// (std::recursive_mutex, a recursive wrapper), or a pthread mutex its
/// constructor makes recursive (pthread_mutexattr_settype with
/// PTHREAD_MUTEX_RECURSIVE, as zeromq's mutex_t does).
static bool wrapsRecursiveLock(const CXXRecordDecl *Def,
                               const llvm::SmallPtrSetImpl<const FieldDecl *> &LockFields,
                               const ModelMatcher &Models) {
  for (const FieldDecl *F : LockFields)
    if (const TypeModel *TM = Models.modelForType(F->getType());
        TM && TM->Recursive)
      return true;
  class RecursiveKind : public RecursiveASTVisitor<RecursiveKind> {
  public:
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (const auto *EC = dyn_cast<EnumConstantDecl>(E->getDecl()))
        Found |= EC->getName().contains("MUTEX_RECURSIVE");
      return !Found;
    }
  };
  for (const CXXConstructorDecl *Ctor : Def->ctors()) {
    const FunctionDecl *CtorDef = nullptr;
    if (!Ctor->hasBody(CtorDef) || !CtorDef)
      continue;
    RecursiveKind Finder;
    Finder.TraverseStmt(CtorDef->getBody());
    if (Finder.Found)
      return true;
  }
  return false;
}

std::unique_ptr<TypeModel>
ModelInference::fromBodies(const CXXRecordDecl *Def) {
  std::string Name = ModelMatcher::matchName(Def);
  std::string Origin = "inferred from the body of " + Name + " (" +
                       locationOf(Def) + ")";
  // Members that are locks, and members that refer to a lock (a guard's or
  // a condition variable's pointer to the caller's mutex).
  llvm::SmallPtrSet<const FieldDecl *, 4> LockFields, HandleFields;
  bool HasCondition = false;
  // Condition-variable members that wait with a lock given to their
  // constructor, by that argument's index (port::CondVar(Mutex *)).
  llvm::DenseMap<const FieldDecl *, unsigned> ConditionArg;
  // Lock members of private bases count (Poco::Mutex : MutexImpl).
  llvm::SmallVector<const CXXRecordDecl *, 4> Bases;
  collectBases(Def, Bases);
  for (const CXXRecordDecl *B : Bases)
    for (const FieldDecl *F : B->fields())
      if (isLockType(F->getType()))
        LockFields.insert(F);
  for (const FieldDecl *F : Def->fields()) {
    QualType T = F->getType();
    if (isLockType(T))
      LockFields.insert(F);
    else if ((T->isPointerType() || T->isReferenceType()) &&
             isLockType(T->getPointeeType()))
      HandleFields.insert(F);
    else if (const TypeModel *TM = Models.modelForType(T);
             (TM && TM->Kind == TypeKind::ConditionVariable &&
              !T->isPointerType() && !T->isReferenceType()) ||
             (T->getAs<TypedefType>() &&
              T->getAs<TypedefType>()->getDecl()->getName() == "pthread_cond_t")) {
      HasCondition = true;
      if (TM)
        for (const Effect &E : TM->Constructor)
          if (E.Lock == LockOp::Associate && E.Args.Indices.size() == 1) {
            ConditionArg.try_emplace(F, E.Args.Indices.front());
            break;
          }
    }
  }
  if (LockFields.empty() && HandleFields.empty() && !HasCondition)
    return nullptr;

  auto M = std::make_unique<TypeModel>();
  M->Names.push_back(Name);
  M->Origin = Origin;
  M->Source = ModelSource::Body;

  // A lock: methods that acquire, release or try one of its lock members,
  // and nothing else.
  if (!LockFields.empty()) {
    bool Acquires = false, Releases = false;
    for (const CXXMethodDecl *MD : Def->methods()) {
      const Stmt *Body = nullptr;
      if (MD->isStatic() || !MD->getIdentifier() || !bodyOf(MD, Body))
        continue;
      // A lock offers its operations; a class whose private helpers lock
      // its member (Table::lockAll()) does its own work under it. A method
      // whose attributes say which lock it takes is read from them.
      if (MD->getAccess() != AS_public || MD->hasAttr<AcquireCapabilityAttr>() ||
          MD->hasAttr<ReleaseCapabilityAttr>() ||
          MD->hasAttr<TryAcquireCapabilityAttr>())
        continue;
      FieldOp R = fieldOp(MD, LockFields, Models, 0);
      if (!R.Op || R.Mixed)
        continue; // no lock member touched, or locked and unlocked inside
      LockOp Op = *R.Op;
      if (Op != LockOp::Acquire && Op != LockOp::TryAcquire &&
          Op != LockOp::Release && Op != LockOp::AssertHeld)
        continue;
      Effect E = effect(Op, Origin);
      if (R.Mode == LockMode::Shared)
        E.Mode = LockMode::Shared;
      if (Op == LockOp::TryAcquire) {
        // A bool result that is not the try's own (zeromq's try_lock tests
        // for EBUSY and returns false, else true) means "taken".
        if (!R.TrySuccessIsZero && MD->getReturnType()->isBooleanType())
          R.TrySuccessIsZero = false;
        if (!R.TrySuccessIsZero)
          continue; // the result is not returned: the caller cannot know
        E.SuccessIsZero = *R.TrySuccessIsZero;
      }
      Acquires |= (Op == LockOp::Acquire || Op == LockOp::TryAcquire) &&
                  namesALockOperation(MD->getName());
      Releases |= Op == LockOp::Release;
      M->Methods[MD->getNameAsString()].push_back(E);
    }
    if (Acquires && Releases && !hasOwnInterface(Def)) {
      // An assertion compiled out of release builds (`void AssertHeld() {
      // #ifndef NDEBUG ... }`, RocksDB's port::Mutex) leaves no body to read:
      // its name says what it claims.
      for (const CXXMethodDecl *MD : Def->methods()) {
        if (!MD->getIdentifier()) // constructors, operators
          continue;
        std::string N = MD->getName().lower();
        if ((N == "assertheld" || N == "assert_held" || N == "assertlockheld") &&
            MD->getAccess() == AS_public && !MD->isStatic() &&
            MD->getNumParams() == 0 && !M->Methods.count(MD->getName()))
          M->Methods[MD->getName()].push_back(effect(LockOp::AssertHeld, Origin));
      }
      M->Kind = TypeKind::Mutex;
      M->Recursive = wrapsRecursiveLock(Def, LockFields, Models);
      return M;
    }
    M->Methods.clear();
  }
  if (HandleFields.empty() && !HasCondition)
    return nullptr;

  // A guard or a condition variable: a constructor that stores a lock
  // given as a parameter into a member.
  llvm::DenseMap<const FieldDecl *, unsigned> BoundParam;
  // Condition members constructed with a lock from a parameter
  // (`cond_(&mu->mutex_)`), by that parameter's index.
  llvm::DenseMap<const FieldDecl *, unsigned> BoundCondition;
  for (const CXXConstructorDecl *Ctor : Def->ctors()) {
    if (Ctor->isCopyOrMoveConstructor() || !Ctor->hasBody())
      continue;
    const CXXConstructorDecl *CtorDef =
        cast<CXXConstructorDecl>(Ctor->getDefinition());
    for (const CXXCtorInitializer *Init : CtorDef->inits()) {
      const FieldDecl *F = Init->getMember();
      if (!F || !Init->getInit())
        continue;
      if (HandleFields.count(F)) {
        if (const ParmVarDecl *P = rootParam(Init->getInit()))
          BoundParam.try_emplace(F, P->getFunctionScopeIndex());
      } else if (auto It = ConditionArg.find(F); It != ConditionArg.end()) {
        const auto *CE =
            dyn_cast<CXXConstructExpr>(Init->getInit()->IgnoreImplicit());
        if (CE && It->second < CE->getNumArgs())
          if (const ParmVarDecl *P = rootParam(CE->getArg(It->second)))
            BoundCondition.try_emplace(F, P->getFunctionScopeIndex());
      }
    }
    bool Acquires = false;
    std::optional<LockMode> Mode;
    std::optional<unsigned> Param;
    const CallExpr *ExclusiveCall = nullptr, *SharedCall = nullptr;
    for (const LockCall &LC : lockCalls(CtorDef->getBody(), Models)) {
      if (LC.Fx->Lock != LockOp::Acquire)
        continue;
      bool Direct;
      const FieldDecl *F = rootField(LC.Target, Direct);
      const ParmVarDecl *P = rootParam(LC.Target);
      if (F && Direct && BoundParam.count(F))
        Param = BoundParam[F];
      else if (P && P->getDeclContext() == CtorDef)
        Param = P->getFunctionScopeIndex();
      else
        continue;
      Acquires = true;
      Mode = LC.Mode;
      (LC.Mode == LockMode::Shared ? SharedCall : ExclusiveCall) = LC.Call;
    }
    if (Acquires && Param) {
      Effect E = effect(LockOp::Acquire, Origin);
      if (ExclusiveCall && SharedCall)
        // Both modes: which one a construction takes is its argument's to
        // say (`if (write) writeLock(); else readLock();`), or else
        // exclusive, the mode that claims nothing against the code.
        chooseModeByParameter(CtorDef, ExclusiveCall, SharedCall, E);
      else if (Mode == LockMode::Shared)
        E.Mode = LockMode::Shared;
      E.Args.Indices.push_back(*Param);
      addConstructorVariants(Ctor, E, M->Constructor);
    }
  }
  if (BoundParam.empty() && !HasCondition)
    return nullptr;

  auto TouchesHandle = [&](const Expr *E) {
    bool Direct;
    const FieldDecl *F = rootField(E, Direct);
    return F && HandleFields.count(F);
  };
  if (!M->Constructor.empty() && !BoundParam.empty()) {
    // A guard if its destructor gives the lock back, itself or through
    // its own unlock() (Poco's ScopedLockWithUnlock).
    const CXXDestructorDecl *D = Def->getDestructor();
    FieldOp Dtor = D ? fieldOp(D, HandleFields, Models, 0) : FieldOp();
    if (Dtor.Op != LockOp::Release || Dtor.Mixed)
      return nullptr;
    M->Kind = TypeKind::Guard;
    for (const CXXMethodDecl *MD : Def->methods()) {
      const Stmt *Body = nullptr;
      if (MD->isStatic() || !MD->getIdentifier() || !bodyOf(MD, Body))
        continue;
      FieldOp R = fieldOp(MD, HandleFields, Models, 0);
      if (R.Op && !R.Mixed &&
          (*R.Op == LockOp::Acquire || *R.Op == LockOp::Release))
        M->Methods[MD->getNameAsString()].push_back(effect(*R.Op, Origin));
    }
    return M;
  }

  // A condition variable: methods that wait releasing the lock it was
  // given, or a lock passed to the method itself.
  bool Waits = false;
  for (const CXXMethodDecl *MD : Def->methods()) {
    const Stmt *Body = nullptr;
    if (MD->isStatic() || !MD->getIdentifier() || !bodyOf(MD, Body))
      continue;
    for (const WaitCall &W : waitCalls(Body, Models)) {
      const Expr *Released = throughLocalGuard(W.Released);
      Effect E = effect(LockOp::None, Origin);
      E.Block = W.Fx->Block == BlockKind::Timed ? BlockKind::Timed
                                                : BlockKind::Always;
      if (const ParmVarDecl *P = rootParam(Released);
          P && P->getDeclContext() == MD->getDefinition())
        E.ReleasesArg = P->getFunctionScopeIndex();
      else if (!BoundParam.empty() && TouchesHandle(Released))
        E.ReleasesThis = true; // the lock bound at construction
      else
        continue;
      M->Methods[MD->getNameAsString()].push_back(E);
      Waits = true;
      break;
    }
    if (M->Methods.count(MD->getNameAsString()) || BoundCondition.empty())
      continue;
    // A wrapper of a condition variable bound to the caller's lock waits
    // with that lock too.
    if (std::optional<BlockKind> K =
            boundMemberWait(MD, BoundCondition, Models, 0)) {
      Effect E = effect(LockOp::None, Origin);
      E.Block = *K;
      E.ReleasesThis = true;
      M->Methods[MD->getNameAsString()].push_back(E);
      Waits = true;
    }
  }
  if (!Waits)
    return nullptr;
  M->Kind = TypeKind::ConditionVariable;
  // The lock the object waits with, bound like a guard's, but not taken:
  // its own handle's, or else its condition member's.
  std::optional<unsigned> WaitsWith;
  if (!BoundParam.empty())
    WaitsWith = BoundParam.begin()->second;
  else if (!BoundCondition.empty())
    WaitsWith = BoundCondition.begin()->second;
  if (WaitsWith) {
    Effect E = effect(LockOp::Associate, Origin);
    E.Args.Indices.push_back(*WaitsWith);
    M->Constructor.push_back(E);
  }
  return M;
}

const TypeModel *ModelInference::infer(const CXXRecordDecl *Def) {
  if (!Def || Def->isLambda() || Def->isDependentContext() ||
      Def->isInvalidDecl())
    return nullptr;
  std::unique_ptr<TypeModel> M = fromAttributes(Def);
  // Library code is modelled by rules; its bodies are not read.
  bool System = Def->getASTContext().getSourceManager().isInSystemHeader(
      Def->getLocation());
  if (!M && !System)
    if (const TypeModel *Base = inheritedMutexModel(Def))
      return own(fromMutexBase(Def, *Base)); // else the base's model applies
  if (!M && !System)
    M = fromBodies(Def);
  return own(std::move(M));
}

const TypeModel *ModelInference::own(std::unique_ptr<TypeModel> M) {
  if (!M)
    return nullptr;
  Owned.push_back(std::move(M));
  return Owned.back().get();
}

} // namespace concur
