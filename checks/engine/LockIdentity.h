//===- LockIdentity.h - Which lock object an expression names ---*- C++ -*-===//
//
// Two expressions name the same lock when they reach the same object through
// the same path: `mu_`, `this->mu_` and `*&mu_` are one lock; `a.mu` and
// `b.mu` are two. A path is a string over declarations ("*this.mu_"), interned
// into a small integer per analysis.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_LOCKIDENTITY_H
#define CONCUR_ENGINE_LOCKIDENTITY_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <string>
#include <vector>

namespace concur {

using LockId = unsigned;

class LockTable {
public:
  /// The lock an object expression (`mu_`, `*p`, `s.m`) or a pointer to it
  /// (`&mu_`, `p`) names; std::nullopt when the path cannot be followed
  /// (a call result, a non-constant array index).
  std::optional<LockId> lockOf(const clang::Expr *E);

  /// How to name the lock in a message: the source text of its first use.
  llvm::StringRef displayName(LockId Id) const { return Entries[Id].Display; }
  /// The path, for comparing locks across functions ("*this.mu_").
  llvm::StringRef path(LockId Id) const { return Entries[Id].Path; }
  /// A lock taken only when a condition holds (`shared ? &mu : nullptr`):
  /// it may be held, not must.
  bool isConditional(LockId Id) const {
    return path(Id).ends_with("@optional");
  }
  LockId intern(llvm::StringRef Path, llvm::StringRef Display);
  /// Named by the last member of its path ("*this.C::mu_" is "mu_").
  LockId intern(llvm::StringRef Path);

  void setContext(const clang::ASTContext &C) { Ctx = &C; }

private:
  struct Entry {
    std::string Path;
    std::string Display;
  };
  std::vector<Entry> Entries;
  llvm::StringMap<LockId> Ids;
  const clang::ASTContext *Ctx = nullptr;
};

/// Strips parentheses, implicit casts, temporaries and copies around an
/// expression, down to the object or value it is about.
const clang::Expr *stripExpr(const clang::Expr *E);

/// `nullptr`, `NULL` (GNU's `__null`) or a literal 0.
bool isNullLiteral(const clang::Expr *E);

/// The variable an object expression starts from (`wg` in `wg`, `*p`,
/// `s.inner.wg`); null for a member of `this` or when there is none.
const clang::VarDecl *rootVariable(const clang::Expr *E);

/// The bool parameter of Fn that a branch condition tests, `p` or `!p`
/// (Negated says which); null for any other condition.
const clang::ParmVarDecl *testedBoolParameter(const clang::Expr *Cond,
                                              const clang::FunctionDecl *Fn,
                                              bool &Negated);

/// The path of a variable (the root of the paths of its members).
std::string variablePath(const clang::ValueDecl *D);

/// The path of the object an lvalue expression denotes, or "" if unknown.
std::string objectPath(const clang::Expr *E);
/// The path of the object a pointer-valued expression points to.
std::string pointeePath(const clang::Expr *E);

} // namespace concur

#endif
