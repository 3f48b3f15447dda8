//===- GuardInference.h - Which locks guard a variable ----------*- C++ -*-===//
//
// The rule concur-unguarded-field infers a variable's guard by, apart from
// how locks are named: within one translation unit they are LockIds, in the
// project link they are paths that mean the same in every TU. Both decide
// with this one rule so that a variable split over files is judged as one
// seen whole.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDED_GUARDINFERENCE_H
#define CONCUR_CHECKS_UNGUARDED_GUARDINFERENCE_H

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace concur::unguarded {

/// Why no guard was inferred, or that one was.
enum class GuardVerdict {
  Inferred,
  NoWrite,        ///< no write outside set-up code
  NoLockedWrite,  ///< no write holds a lock
  NoMajority,     ///< no lock is held at most of the writes under a lock
  Disagree,       ///< the majority locks are never held together
  MostUnlocked,   ///< more writes hold no lock than hold the guard
  OneFunction,    ///< touched by one function alone, not always locked
};

template <typename LockT> struct InferredGuard {
  llvm::SmallVector<LockT, 2> Guard; ///< empty unless Verdict is Inferred
  /// The candidate locks, also when rejected (for the evidence text).
  llvm::SmallVector<LockT, 2> Majority;
  GuardVerdict Verdict = GuardVerdict::NoWrite;
  unsigned Writes = 0, LockedWrites = 0, WritesUnderGuard = 0;
};

/// Infers the guard of a variable from its accesses that can run while it
/// is shared. IsWrite(A) says whether access A writes; Holds(A, L) whether
/// it holds lock L; LocksOf(A) the locks it holds. SingleFunction: every
/// access is in one function that runs on one thread.
///
/// A lock held at more than half of the writes made under a lock is a
/// candidate; the candidates must be held together at some write, and at
/// no fewer than half of all writes. A variable touched by one function
/// alone whose writes are not all under the guard is left alone: the lock
/// it holds at some of them guards something else (RocksDB's PersistStats).
template <typename LockT, typename Range, typename IsWriteFn, typename LocksFn,
          typename HoldsFn>
InferredGuard<LockT> inferGuard(const Range &Accesses, IsWriteFn IsWrite,
                                LocksFn LocksOf, HoldsFn Holds,
                                bool SingleFunction) {
  InferredGuard<LockT> R;
  llvm::MapVector<LockT, unsigned> AtWrites;
  for (const auto &A : Accesses) {
    if (!IsWrite(A))
      continue;
    ++R.Writes;
    bool Any = false;
    for (const LockT &L : LocksOf(A)) {
      ++AtWrites[L];
      Any = true;
    }
    R.LockedWrites += Any;
  }
  for (auto &[L, N] : AtWrites)
    if (2 * N > R.LockedWrites)
      R.Majority.push_back(L);
  if (!R.Majority.empty())
    for (const auto &A : Accesses)
      R.WritesUnderGuard += IsWrite(A) && llvm::all_of(R.Majority, [&](const LockT &L) {
                              return Holds(A, L);
                            });
  if (!R.Writes)
    R.Verdict = GuardVerdict::NoWrite;
  else if (!R.LockedWrites)
    R.Verdict = GuardVerdict::NoLockedWrite;
  else if (R.Majority.empty())
    R.Verdict = GuardVerdict::NoMajority;
  else if (!R.WritesUnderGuard)
    R.Verdict = GuardVerdict::Disagree;
  else if (2 * R.WritesUnderGuard < R.Writes)
    R.Verdict = GuardVerdict::MostUnlocked;
  else if (SingleFunction && R.WritesUnderGuard < R.Writes)
    R.Verdict = GuardVerdict::OneFunction;
  else {
    R.Verdict = GuardVerdict::Inferred;
    R.Guard = R.Majority;
  }
  return R;
}

} // namespace concur::unguarded

#endif
