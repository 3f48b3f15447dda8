//===- SpawnSites.h - Callables handed to another thread --------*- C++ -*-===//
//
// A spawn point (a std::thread constructor, std::async, a pool's submit, as
// the rules say, or emplace_back on a container of threads) runs a callable
// elsewhere. The checks need that callable's body and the arguments it will
// be called with: a worker function's parameters are the spawner's
// arguments.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_SPAWNSITES_H
#define CONCUR_ENGINE_SPAWNSITES_H

#include "checks/engine/ApiModels.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace concur {

struct SpawnedTask {
  const clang::Expr *Site = nullptr;     ///< the spawning call or construction
  const clang::Expr *Callable = nullptr; ///< the argument that is run
  const clang::LambdaExpr *Lambda = nullptr;
  /// The code that runs: a lambda's call operator or a function.
  const clang::FunctionDecl *Body = nullptr;
  /// The arguments after the callable (std::thread(f, a, b)), with
  /// std::ref / std::cref unwrapped; for a member function, the object first.
  llvm::SmallVector<const clang::Expr *, 4> BoundArgs;
  /// The spawn point runs the callable later and does not wait for it
  /// (the rules' "deferred" mark).
  bool Deferred = false;

  /// The argument a parameter of Body receives, if known.
  const clang::Expr *argumentFor(const clang::ParmVarDecl *P) const;
};

/// The task a call or construction spawns, if it is a spawn point and the
/// callable can be followed (a lambda, a function, a member function).
std::optional<SpawnedTask> spawnedTask(const clang::Expr *Site,
                                       const ModelMatcher &Models);

} // namespace concur

#endif
