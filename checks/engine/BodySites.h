//===- BodySites.h - What a body does where it stands ------------*- C++ -*-===//
//
// Several checks start from the same inventory of a function body: its calls
// and constructions (spawn points, joins, WaitGroup operations, callees),
// its loops and its early exits. A nested lambda's body is not part of it: it
// is a function of its own and runs wherever the lambda is sent; only the
// lambda's capture initialisers are evaluated here.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_BODYSITES_H
#define CONCUR_ENGINE_BODYSITES_H

#include "llvm/ADT/SmallVector.h"

namespace clang {
class Expr;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace concur {

class ModelMatcher;

struct BodySites {
  /// Calls and constructions, in source order.
  llvm::SmallVector<const clang::Expr *, 16> Calls;
  /// Loops, outermost first.
  llvm::SmallVector<const clang::Stmt *, 4> Loops;
  /// `return`, `goto`, `break`, `continue`, `throw`, `co_return`.
  llvm::SmallVector<const clang::Stmt *, 4> Exits;
  /// Spawn points among Calls whose task can be followed, with the body the
  /// task runs (filled by sitesOf's overload that takes the models).
  llvm::SmallVector<std::pair<const clang::Expr *, const clang::FunctionDecl *>, 2>
      Spawns;
};

/// The inventory of Body (empty for a null body).
BodySites sitesOf(const clang::Stmt *Body);
/// The same, with the spawn points the models name.
BodySites sitesOf(const clang::Stmt *Body, const ModelMatcher &Models);
/// The inventory of a function's body and, for a constructor, of its
/// written member and base initialisers, which run before the body
/// (`Pump() : thread_([this] { loop(); }) {}` spawns there).
BodySites sitesOfFunction(const clang::FunctionDecl *FD);

/// The functions called directly from Calls that have a definition in this
/// translation unit.
llvm::SmallVector<const clang::FunctionDecl *, 8>
definedCallees(const BodySites &Sites);

} // namespace concur

#endif
