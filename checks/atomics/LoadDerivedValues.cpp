//===- LoadDerivedValues.cpp ----------------------------------------------===//

#include "checks/atomics/LoadDerivedValues.h"
#include "checks/atomics/AtomicOps.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace concur::atomics {

namespace {

void addUnique(llvm::SmallVectorImpl<LoadOrigin> &To, const LoadOrigin &O) {
  if (!llvm::is_contained(To, O))
    To.push_back(O);
}

/// A local that can hold a loaded value: not a reference, not atomic.
const VarDecl *trackedLocal(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!DRE)
    return nullptr;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
      isAtomicType(VD->getType()))
    return nullptr;
  return VD;
}

void set(DerivedLocals &State, const VarDecl *V,
         llvm::ArrayRef<LoadOrigin> Origins, bool Add) {
  if (!Add)
    State.Vars.erase(V);
  if (Origins.empty())
    return;
  auto &To = State.Vars[V];
  for (const LoadOrigin &O : Origins)
    addUnique(To, O);
}

} // namespace

bool DerivedLocals::join(const DerivedLocals &Other) {
  bool Changed = false;
  for (auto &[V, Origins] : Other.Vars) {
    auto &To = Vars[V];
    for (const LoadOrigin &O : Origins)
      if (!llvm::is_contained(To, O)) {
        To.push_back(O);
        Changed = true;
      }
  }
  return Changed;
}

bool DerivedLocals::operator==(const DerivedLocals &O) const {
  if (Vars.size() != O.Vars.size())
    return false;
  for (auto &[V, Origins] : Vars) {
    auto It = O.Vars.find(V);
    if (It == O.Vars.end() || It->second.size() != Origins.size())
      return false;
    for (const LoadOrigin &X : Origins)
      if (!llvm::is_contained(It->second, X))
        return false;
  }
  return true;
}

void LoadDerivedValues::originsOf(const Expr *E, const DerivedLocals &State,
                                  llvm::SmallVectorImpl<LoadOrigin> &Out) {
  if (!E)
    return;
  llvm::SmallVector<const Stmt *, 16> Work{E};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue; // a lambda's body runs later, elsewhere
    if (std::optional<AtomicOp> Op = atomicOpOf(S);
        Op && Op->Kind == AtomicOpKind::Load) {
      addUnique(Out, {Op->Object, cast<Expr>(S)});
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (const VarDecl *V = trackedLocal(DRE); V) {
        auto It = State.Vars.find(V);
        if (It != State.Vars.end())
          for (const LoadOrigin &O : It->second)
            addUnique(Out, O);
      }
      continue;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
}

void LoadDerivedValues::transfer(const Stmt *S, DerivedLocals &State) {
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType())
        continue;
      llvm::SmallVector<LoadOrigin, 2> Origins;
      originsOf(VD->getInit(), State, Origins);
      set(State, VD, Origins, /*Add=*/false);
    }
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp()) {
    if (const VarDecl *V = trackedLocal(BO->getLHS())) {
      llvm::SmallVector<LoadOrigin, 2> Origins;
      originsOf(BO->getRHS(), State, Origins);
      set(State, V, Origins, /*Add=*/BO->isCompoundAssignmentOp());
    }
  }
}

void LoadDerivedValues::run() {
  In.assign(G.getNumBlockIDs(), DerivedLocals());
  Out.assign(G.getNumBlockIDs(), DerivedLocals());
  // Forward: blocks in reverse post-order reach the fixpoint in a few
  // passes; the lattice is finite (locals x loads of this function).
  llvm::SmallVector<const CFGBlock *, 32> RPO;
  {
    llvm::DenseSet<const CFGBlock *> Visited;
    llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 32> Stack;
    llvm::SmallVector<const CFGBlock *, 32> Post;
    Stack.push_back({&G.getEntry(), 0});
    Visited.insert(&G.getEntry());
    while (!Stack.empty()) {
      auto &[B, I] = Stack.back();
      if (I < B->succ_size()) {
        const CFGBlock *Succ = *(B->succ_begin() + I++);
        if (Succ && Visited.insert(Succ).second)
          Stack.push_back({Succ, 0});
        continue;
      }
      Post.push_back(B);
      Stack.pop_back();
    }
    RPO.assign(Post.rbegin(), Post.rend());
  }
  for (unsigned Pass = 0, Changed = 1; Changed && Pass < 32; ++Pass) {
    Changed = 0;
    for (const CFGBlock *B : RPO) {
      DerivedLocals State;
      for (const CFGBlock *P : B->preds())
        if (P)
          State.join(Out[P->getBlockID()]);
      In[B->getBlockID()] = State;
      for (const CFGElement &E : *B)
        if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
          transfer(CS->getStmt(), State);
      if (!(State == Out[B->getBlockID()])) {
        Out[B->getBlockID()] = std::move(State);
        Changed = 1;
      }
    }
  }
}

} // namespace concur::atomics
