//===- LoadDerivedValues.h - Locals that hold a loaded atomic ---*- C++ -*-===//
//
// A forward dataflow over the CFG: at each point, which locals hold a value
// derived from a load of which atomic (`int v = a.load();`, `w = v + 1;`).
// The lattice is a map from local to the loads it may derive from; the join
// is the union (a value derived on one path may reach the store), an
// assignment replaces the entry of its local (a compound assignment adds
// to it). concur-atomic-check-then-act asks, at a store, which loads of
// the same atomic the stored value and the branches deciding it come from.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_ATOMICS_LOADDERIVEDVALUES_H
#define CONCUR_CHECKS_ATOMICS_LOADDERIVEDVALUES_H

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

namespace concur::atomics {

/// A load of an atomic that a value derives from.
struct LoadOrigin {
  const clang::ValueDecl *Atomic;
  const clang::Expr *Load;
  bool operator==(const LoadOrigin &O) const {
    return Atomic == O.Atomic && Load == O.Load;
  }
};

/// The lattice element: the locals holding values derived from loads.
struct DerivedLocals {
  llvm::SmallDenseMap<const clang::VarDecl *, llvm::SmallVector<LoadOrigin, 1>, 4>
      Vars;
  /// Adds Other's origins; whether anything changed.
  bool join(const DerivedLocals &Other);
  bool operator==(const DerivedLocals &O) const;
};

class LoadDerivedValues {
public:
  explicit LoadDerivedValues(const clang::CFG &G) : G(G) {}
  /// Computes the state at each block's entry and exit.
  void run();
  const DerivedLocals &atEntry(const clang::CFGBlock *B) const {
    return In[B->getBlockID()];
  }
  const DerivedLocals &atExit(const clang::CFGBlock *B) const {
    return Out[B->getBlockID()];
  }
  /// The effect of one CFG statement on the state.
  static void transfer(const clang::Stmt *S, DerivedLocals &State);
  /// The loads E's value derives from in State: loads inside E, and the
  /// origins of the locals it reads.
  static void originsOf(const clang::Expr *E, const DerivedLocals &State,
                        llvm::SmallVectorImpl<LoadOrigin> &Out);

private:
  const clang::CFG &G;
  std::vector<DerivedLocals> In, Out;
};

} // namespace concur::atomics

#endif
