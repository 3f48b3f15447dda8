//===- UnguardedFieldCheck.cpp --------------------------------------------===//
//
// The inference rule (docs/checks/unguarded-field.md explains it to users):
// over the accesses to a field outside constructors and destructors, weigh
// each access 2 if it writes and 1 if it reads. The member mutex held at the
// greatest weight guards the field if that weight is at least 2 and greater
// than the weight of the accesses made without it. A GUARDED_BY attribute
// replaces the inference for its field.
//
//===----------------------------------------------------------------------===//

#include "checks/UnguardedFieldCheck.h"
#include "checks/engine/SpawnSites.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

const CXXRecordDecl *UnguardedFieldCheck::classOf(const FunctionDecl *FD) const {
  // A lambda belongs to the class of the method it is written in.
  const DeclContext *DC = FD;
  while (DC) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(DC)) {
      if (!MD->getParent()->isLambda())
        return MD->getParent();
      DC = MD->getParent()->getDeclContext();
      continue;
    }
    if (isa<FunctionDecl>(DC) || isa<RecordDecl>(DC)) {
      DC = DC->getParent();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool UnguardedFieldCheck::isTracked(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  auto [It, Inserted] = Tracked.try_emplace(RD, false);
  if (!Inserted)
    return It->second;
  bool Any = false;
  for (const FieldDecl *F : RD->fields()) {
    const TypeModel *TM = Ctx.Models.modelForType(F->getType());
    if (TM && TM->Kind == TypeKind::Mutex && !F->getType()->isPointerType()) {
      Mutexes[RD].push_back(F);
      // Its lock id: a member mutex of `this` has the path "*this." plus
      // the field's own path (LockIdentity), the same in every method.
      MutexIds[F] = Ctx.Locks.intern("*this." + variablePath(F),
                                     F->getNameAsString());
      Any = true;
    }
    Any |= F->hasAttr<GuardedByAttr>();
  }
  Tracked[RD] = Any;
  return Any;
}

bool UnguardedFieldCheck::needsEntry(const FunctionDecl *FD) {
  return isTracked(classOf(FD));
}

/// Whether a type is a synchronisation object rather than data a lock
/// guards: a modelled type (a mutex, an atomic, a condition variable, a
/// channel), or a class wrapping one (leveldb's port::CondVar holds a
/// std::condition_variable).
static bool isSynchronisationType(QualType T, const ModelMatcher &Models,
                                  unsigned Depth = 0) {
  if (Models.modelForType(T))
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || Depth >= 2)
    return false;
  // A class made only of atomics is thread-safe by construction.
  bool AllAtomic = !RD->getDefinition()->field_empty();
  for (const FieldDecl *F : RD->getDefinition()->fields()) {
    const Type *Elem = F->getType()->getBaseElementTypeUnsafe();
    const TypeModel *TM = Models.modelForType(QualType(Elem, 0));
    AllAtomic &= TM && TM->Kind == TypeKind::Atomic;
  }
  if (AllAtomic)
    return true;
  for (const FieldDecl *F : RD->getDefinition()->fields()) {
    QualType FT = F->getType();
    if (FT->isPointerType() || FT->isReferenceType())
      continue;
    if (const TypeModel *TM = Models.modelForType(FT)) {
      switch (TM->Kind) {
      case TypeKind::Mutex:
      case TypeKind::ConditionVariable:
      case TypeKind::Semaphore:
      case TypeKind::Latch:
      case TypeKind::Barrier:
      case TypeKind::Notification:
      case TypeKind::WaitGroup:
      case TypeKind::Channel:
        return true;
      default:
        continue;
      }
    }
    if (isSynchronisationType(FT, Models, Depth + 1))
      return true;
  }
  return false;
}

bool UnguardedFieldCheck::isCandidateField(const FieldDecl *F) {
  auto [It, Inserted] = Candidates.try_emplace(F, false);
  if (Inserted) {
    QualType T = F->getType();
    It->second = !T.isConstQualified() && !T->isReferenceType() &&
                 !isSynchronisationType(T, Ctx.Models);
  }
  return It->second;
}

const FieldDecl *UnguardedFieldCheck::mutexField(const CXXRecordDecl *RD,
                                                 LockId Lock) const {
  auto It = Mutexes.find(RD);
  if (It == Mutexes.end())
    return nullptr;
  for (const FieldDecl *F : It->second)
    if (MutexIds.lookup(F) == Lock)
      return F;
  return nullptr;
}

UnguardedFieldCheck::HeldMutexes
UnguardedFieldCheck::heldMutexes(const CXXRecordDecl *RD, const LockSet &Held) {
  HeldMutexes Out;
  for (auto &KV : Held)
    if (KV.second.held())
      if (const FieldDecl *F = mutexField(RD, KV.first))
        Out.push_back({F, KV.second.Mode});
  return Out;
}

namespace {

/// The member of `this` an lvalue is part of: `this->a`, `this->a.b[2]`.
const MemberExpr *thisMemberOf(const Expr *E) {
  while (E) {
    E = stripExpr(E);
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(stripExpr(ME->getBase())))
        return ME;
      if (ME->isArrow())
        return nullptr; // through a pointer: another object
      E = ME->getBase();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
               Op && Op->getOperator() == OO_Subscript && Op->getNumArgs()) {
      E = Op->getArg(0); // `vec_[i] = x` writes vec_
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// Whether calling this non-const method may modify the object: not when
/// the class offers a const overload (vector::operator[], begin(), find()),
/// which means the non-const one was chosen only because the object is
/// non-const. map::operator[] has none: it inserts.
bool mayModify(const CXXMethodDecl *MD) {
  if (MD->isConst())
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

/// The field accesses of a body that modify the field.
class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
public:
  llvm::DenseSet<const Expr *> Writes;
  void mark(const Expr *E) {
    if (const MemberExpr *ME = thisMemberOf(E))
      Writes.insert(ME);
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp())
      mark(B->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf)
      mark(U->getSubExpr());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    // `ptr_->f()` reads the pointer field; only `obj_.f()` can modify it.
    const auto *Callee = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens());
    if (Callee && Callee->isArrow())
      return true;
    if (const auto *MD = C->getMethodDecl())
      if (mayModify(MD))
        mark(C->getImplicitObjectArgument());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(C->getDirectCallee()))
      if (mayModify(MD) && C->getNumArgs() > 0)
        mark(C->getArg(0));
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD || isa<CXXOperatorCallExpr>(C))
      return true;
    for (unsigned I = 0; I < C->getNumArgs() && I < FD->getNumParams(); ++I) {
      QualType T = FD->getParamDecl(I)->getType();
      if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified())
        mark(C->getArg(I));
    }
    return true;
  }
};

} // namespace

const llvm::DenseSet<const Expr *> &
UnguardedFieldCheck::writesIn(const FunctionDecl *Entry) {
  auto [It, Inserted] = Writes.try_emplace(Entry);
  if (Inserted && Entry->getBody()) {
    WriteFinder W;
    W.TraverseStmt(Entry->getBody());
    It->second = std::move(W.Writes);
  }
  return It->second;
}

void UnguardedFieldCheck::beginEntry(const FunctionDecl *Entry) {
  CurrentEntry = Entry;
}

void UnguardedFieldCheck::visitCall(const CallSite &Site) {
  // Lambdas handed to std::thread, std::async, a pool: they run elsewhere.
  if (std::optional<SpawnedTask> T = spawnedTask(Site.E, Ctx.Models))
    if (T->Lambda)
      SpawnedLambdas.insert(T->Body);
  // Calls to the class's own methods, for the caller-context summary.
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Site.E);
  if (!MC || !Site.InlinedVia.empty())
    return;
  const CXXMethodDecl *Callee = MC->getMethodDecl();
  if (!Callee || !isa<CXXThisExpr>(stripExpr(MC->getImplicitObjectArgument())))
    return;
  const CXXRecordDecl *RD = classOf(CurrentEntry);
  if (!RD || Callee->getParent()->getCanonicalDecl() != RD->getCanonicalDecl())
    return;
  Calls.push_back({Callee->getCanonicalDecl(), CurrentEntry, heldMutexes(RD, Site.Held)});
}

void UnguardedFieldCheck::visitStmt(const Stmt *S, const LockSet &Held,
                                    llvm::ArrayRef<const Expr *> Via) {
  const auto *ME = dyn_cast<MemberExpr>(S);
  if (!ME || !isa<CXXThisExpr>(stripExpr(ME->getBase())))
    return;
  const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!F)
    return;
  // The first sighting wins: a lambda replayed in its caller, which knows
  // the caller's locks, comes before the lambda analysed on its own.
  if (!SeenAccesses.insert(ME).second)
    return;
  const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
  if (!RD || !isTracked(RD) || !isCandidateField(F))
    return;
  // A lambda analysed on its own that was neither spawned nor called in
  // place runs somewhere we cannot see (absl::Mutex::Await runs one under
  // the lock through an absl::Condition): its accesses are no evidence.
  const auto *EntryMD = dyn_cast<CXXMethodDecl>(CurrentEntry);
  if (Via.empty() && EntryMD && EntryMD->getParent()->isLambda() &&
      !SpawnedLambdas.count(CurrentEntry))
    return;
  // NO_THREAD_SAFETY_ANALYSIS opts a function out.
  if (Options.UseThreadSafetyAnnotations)
    for (const DeclContext *DC = CurrentEntry; DC; DC = DC->getParent())
      if (const auto *FD = dyn_cast<FunctionDecl>(DC))
        if (FD->hasAttr<NoThreadSafetyAnalysisAttr>())
          return;
  RD = RD->getDefinition();
  bool IsWrite = writesIn(CurrentEntry).count(ME);
  Accesses[RD].push_back({ME, F, IsWrite, heldMutexes(RD, Held), CurrentEntry});
}

void UnguardedFieldCheck::finish() {
  for (auto &KV : Accesses)
    reportClass(KV.first);
}

void UnguardedFieldCheck::reportClass(const CXXRecordDecl *RD) {
  auto MutexesIt = Mutexes.find(RD);
  llvm::ArrayRef<const FieldDecl *> ClassMutexes;
  if (MutexesIt != Mutexes.end())
    ClassMutexes = MutexesIt->second;

  // Methods that run before the object is shared or after it no longer is:
  // constructors, destructors, and private helpers called only from them.
  // Methods whose every call site holds a mutex run holding it (a
  // caller-context summary, computed to a fixpoint over helper chains).
  auto IsCtorOrDtor = [](const FunctionDecl *FD) {
    return isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD);
  };
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const MethodCall *, 4>> CallersOf;
  for (const MethodCall &C : Calls)
    CallersOf[C.Callee].push_back(&C);
  auto IsPrivateHelper = [&](const FunctionDecl *FD) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    return MD && MD->getAccess() != AS_public && !IsCtorOrDtor(MD) &&
           CallersOf.count(MD->getCanonicalDecl());
  };
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const FieldDecl *, 2>> Context;
  llvm::DenseMap<const FunctionDecl *, bool> SetupOnly;
  // Start from "everything" for private helpers and narrow down.
  llvm::SmallVector<const FunctionDecl *, 16> Helpers;
  for (auto &KV : CallersOf)
    if (IsPrivateHelper(KV.first)) {
      Helpers.push_back(KV.first);
      Context[KV.first].assign(ClassMutexes.begin(), ClassMutexes.end());
      SetupOnly[KV.first] = true;
    }
  auto ContextOf = [&](const FunctionDecl *FD) {
    llvm::SmallVector<const FieldDecl *, 2> Out;
    if (!FD)
      return Out;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      auto It = Context.find(MD->getCanonicalDecl());
      if (It != Context.end())
        Out = It->second;
      // REQUIRES(mu_) says the caller holds mu_.
      // REQUIRES(mu_), and RELEASE(mu_) on an unlock function: the
      // caller holds mu_ when the method starts.
      auto AddArgs = [&](auto *A) {
        for (const Expr *Arg : A->args())
          if (const auto *ME = dyn_cast<MemberExpr>(stripExpr(Arg)))
            if (const auto *MF = dyn_cast<FieldDecl>(ME->getMemberDecl()))
              Out.push_back(MF);
      };
      if (Options.UseThreadSafetyAnnotations) {
        for (const auto *A : MD->specific_attrs<RequiresCapabilityAttr>())
          AddArgs(A);
        for (const auto *A : MD->specific_attrs<ReleaseCapabilityAttr>())
          AddArgs(A);
      }
    }
    return Out;
  };
  auto IsSetup = [&](const FunctionDecl *FD) {
    if (!FD)
      return false;
    if (IsCtorOrDtor(FD))
      return true;
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    auto It = MD ? SetupOnly.find(MD->getCanonicalDecl()) : SetupOnly.end();
    return It != SetupOnly.end() && It->second;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *H : Helpers) {
      llvm::SmallVector<const FieldDecl *, 2> Meet = Context[H];
      bool Setup = true;
      for (const MethodCall *C : CallersOf[H]) {
        // A call from a constructor or destructor runs before the object
        // is shared: it does not say what the helper's other callers hold.
        if (IsSetup(C->Entry))
          continue;
        Setup = false;
        llvm::SmallVector<const FieldDecl *, 2> AtSite = ContextOf(C->Entry);
        for (auto &[M, Mode] : C->Held)
          AtSite.push_back(M);
        llvm::erase_if(Meet, [&](const FieldDecl *M) {
          return !llvm::is_contained(AtSite, M);
        });
      }
      if (Meet.size() != Context[H].size() || Setup != SetupOnly[H]) {
        Context[H] = Meet;
        SetupOnly[H] = Setup;
        Changed = true;
      }
    }
  }

  // The accesses that count, with everything held at them.
  struct Evidence {
    const Access *A;
    HeldMutexes Held;
  };
  llvm::MapVector<const FieldDecl *, std::vector<Evidence>> ByField;
  for (const Access &A : Accesses[RD]) {
    if (IsSetup(A.Entry))
      continue;
    Evidence E{&A, A.Held};
    for (const FieldDecl *M : ContextOf(A.Entry))
      if (llvm::none_of(E.Held, [&](auto &P) { return P.first == M; }))
        E.Held.push_back({M, LockMode::Exclusive});
    ByField[A.Field].push_back(std::move(E));
  }

  for (auto &[Field, Evs] : ByField) {
    auto HeldMode = [](const Evidence &E, const FieldDecl *M) -> std::optional<LockMode> {
      for (auto &[F, Mode] : E.Held)
        if (F == M)
          return Mode;
      return std::nullopt;
    };
    // The guard: annotated, or inferred from the weights.
    const FieldDecl *Guard = nullptr;
    bool Annotated = false;
    if (const auto *GB = Options.UseThreadSafetyAnnotations
                              ? Field->getAttr<GuardedByAttr>()
                              : nullptr)
      if (const auto *ME = dyn_cast<MemberExpr>(stripExpr(GB->getArg()))) {
        Guard = dyn_cast<FieldDecl>(ME->getMemberDecl());
        // Only a lock concur can follow can be checked: GUARDED_BY(mu_) on
        // a mutex type that no rule models would make every access look
        // unguarded. Such a field is left alone.
        if (!Guard || !llvm::is_contained(ClassMutexes, Guard))
          continue;
        Annotated = true;
      }
    unsigned BestWeight = 0, BestUnguarded = 0;
    bool Tie = false;
    if (!Guard) {
      for (const FieldDecl *M : ClassMutexes) {
        unsigned With = 0, Without = 0;
        for (const Evidence &E : Evs)
          (HeldMode(E, M) ? With : Without) += E.A->IsWrite ? 2 : 1;
        if (With > BestWeight) {
          BestWeight = With;
          BestUnguarded = Without;
          Guard = M;
          Tie = false;
        } else if (With == BestWeight && With) {
          Tie = true;
        }
      }
      if (!Guard || Tie || BestWeight < 2 || BestWeight <= BestUnguarded)
        Guard = nullptr; // no evidence, or not enough to tell
      // A field that nothing writes once constructed cannot race, however
      // often it is read under a lock (RocksDB's DBImpl::versions_).
      if (llvm::none_of(Evs, [](const Evidence &E) { return E.A->IsWrite; }))
        Guard = nullptr;
    }
    if (Options.Guards)
      Options.Guards->push_back(
          {Field->getLocation(),
           RD->getNameAsString() + "::" + Field->getNameAsString(),
           Guard ? Guard->getNameAsString() : std::string(), Annotated,
           BestWeight, BestUnguarded, static_cast<unsigned>(Evs.size())});
    if (!Guard)
      continue;

    unsigned Guarded = 0, GuardedWrites = 0;
    for (const Evidence &E : Evs)
      if (HeldMode(E, Guard)) {
        ++Guarded;
        GuardedWrites += E.A->IsWrite;
      }
    std::string Why;
    if (Annotated)
      Why = "it is declared GUARDED_BY(" + Guard->getNameAsString() + ")";
    else
      Why = quoted(Guard->getNameAsString()) + " is held at " +
            std::to_string(Guarded) + " of its " + std::to_string(Evs.size()) +
            " accesses (" + std::to_string(GuardedWrites) +
            (GuardedWrites == 1 ? " write)" : " writes)");

    for (const Evidence &E : Evs) {
      std::optional<LockMode> Mode = HeldMode(E, Guard);
      bool SharedWrite = Mode && *Mode == LockMode::Shared && E.A->IsWrite;
      if (Mode && !SharedWrite)
        continue;
      Finding F;
      F.CheckId = Id;
      F.Loc = E.A->E->getMemberLoc();
      std::string What = quoted(Field->getNameAsString());
      if (SharedWrite) {
        F.Message = "field " + What + " is written while " +
                    quoted(Guard->getNameAsString()) +
                    " is held only in shared mode; " + Why;
      } else {
        F.Message = "field " + What + " is " +
                    (E.A->IsWrite ? "written" : "read") + " without holding " +
                    quoted(Guard->getNameAsString());
        if (SpawnedLambdas.count(E.A->Entry))
          F.Message += " in a lambda that runs on another thread";
        F.Message += "; " + Why;
      }
      // Evidence: a few accesses made with the guard held, and the guard.
      unsigned Shown = 0;
      for (const Evidence &G : Evs)
        if (Shown < 3 && HeldMode(G, Guard) && &G != &E) {
          F.Notes.push_back({G.A->E->getMemberLoc(),
                             What + (G.A->IsWrite ? " written" : " read") +
                                 " with " + quoted(Guard->getNameAsString()) +
                                 " held here"});
          ++Shown;
        }
      if (Annotated)
        F.Notes.push_back({Field->getLocation(),
                           What + " is declared GUARDED_BY(" +
                               Guard->getNameAsString() + ") here"});
      else
        F.Notes.push_back({Guard->getLocation(),
                           quoted(Guard->getNameAsString()) + " declared here"});
      Out.push_back(std::move(F));
    }
  }
}

} // namespace concur
