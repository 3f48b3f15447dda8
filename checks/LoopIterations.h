//===- LoopIterations.h - How often a loop runs, and how an iteration ends -*- C++ -*-===//
//
// For concur-waitgroup-unpaired's count drift: `wg.Add(items.size())` once,
// then a loop over `items` whose iterations do not all spawn the task that
// counts down. Two questions about a loop, answered here apart from the
// check:
//
// - what it runs once per (TripCount): every element of a container (a
//   range-for, an index loop up to `v.size()`, an iterator loop from
//   `v.begin()` to `v.end()`), a constant number of times, or up to an
//   opaque bound; and whether an amount computed before the loop
//   (`static_cast<int>(v.size())`, `std::distance(v.begin(), v.end())`, a
//   local initialised from one of them) is that trip count;
// - which ways one iteration can end over the function's CFG without
//   passing some blocks (LoopSkips): a `continue` or the end of the body
//   reached without a spawn, a `break` reached without an adjustment.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_LOOPITERATIONS_H
#define CONCUR_CHECKS_LOOPITERATIONS_H

#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace concur {

/// What a loop runs once per.
struct TripCount {
  /// Once per element of this container (range-for, `i < v.size()`,
  /// `it != v.end()`).
  const clang::Expr *Container = nullptr;
  /// `for (i = 0; i < Bound; ++i)` with a bound that is not a size.
  const clang::Expr *Bound = nullptr;
  /// Both bounds constant.
  std::optional<int64_t> Constant;
};

/// The trip count of a range-for, or of a `for` over an index from 0 (or a
/// constant) or an iterator from begin() to end() stepping by one.
std::optional<TripCount> tripCountOf(const clang::Stmt *Loop,
                                     clang::ASTContext &AST);

/// The number of iterations of `for (int i = a; i < b; ++i)` with constant
/// bounds (`<`, `<=`, `!=`; `++i`, `i++`, `i += 1`).
std::optional<int64_t> constantTripCount(const clang::ForStmt *For,
                                         const clang::ASTContext &AST);

/// Whether Amount, evaluated in Body before the loop, is Trip: the size of
/// the same container, the same bound, or the same constant. Locals that
/// Body never writes after their initialisation stand for their
/// initialiser.
bool isTripCount(const clang::Expr *Amount, const TripCount &Trip,
                 const clang::Stmt *Body, clang::ASTContext &AST);

/// The innermost loop around S inside Body (not crossing a lambda), when S
/// is in its body rather than its header.
const clang::Stmt *enclosingLoop(const clang::Stmt *S, const clang::Stmt *Body,
                                 clang::ASTContext &AST);

/// The CFG block of each statement of a function, for statements nested in
/// an element (a use inside a spawned lambda belongs to the lambda's block).
class CFGBlockIndex {
public:
  CFGBlockIndex(const clang::CFG &G, clang::ASTContext &AST);
  const clang::CFGBlock *blockOf(const clang::Stmt *S) const;

private:
  clang::ASTContext &AST;
  llvm::DenseMap<const clang::Stmt *, const clang::CFGBlock *> Blocks;
};

/// The ways an iteration of a loop ends without passing some blocks.
struct LoopSkips {
  /// `continue`s of the loop reached from the start of the body without
  /// passing a Spawn or an Adjust block.
  llvm::SmallVector<const clang::Stmt *, 2> Continues;
  /// `break`s of the loop reached without passing an Adjust block.
  llvm::SmallVector<const clang::Stmt *, 2> Breaks;
  /// When the end of the body is reached without a Spawn or an Adjust
  /// block and without a `continue`: the first branch that chooses between
  /// that path and one to a Spawn block.
  const clang::Stmt *SkippingBranch = nullptr;
  const clang::Expr *SkippingCondition = nullptr;
};

/// Walks the iterations of Loop (a `for` or range-for) in G. Spawn blocks
/// do what each iteration must do; Adjust blocks make up for not doing it.
LoopSkips findLoopSkips(const clang::CFG &G, const clang::Stmt *Loop,
                        const llvm::DenseSet<const clang::CFGBlock *> &Spawn,
                        const llvm::DenseSet<const clang::CFGBlock *> &Adjust,
                        clang::ASTContext &AST);

} // namespace concur

#endif
