//===- OnceCalls.h - Calls made once, behind a latch flag -------*- C++ -*-===//
//
// Lazy set-up by hand: a call made only while a flag of `this` says it has
// not run yet, by a callee (or a branch) that clears the flag:
//
//   if (unlikely (_starting)) { if (!start ()) return NULL; }  // zeromq
//   bool ctx_t::start () { ...; _starting = false; return true; }
//
// The call runs once per object. Whether that makes it set-up code depends
// on how the flag is shared, which the caller of onceFlagOf decides.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDED_ONCECALLS_H
#define CONCUR_CHECKS_UNGUARDED_ONCECALLS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

namespace concur::unguarded {

/// The flag of `this` that latches Call, if it is made in the branch taken
/// while the flag holds its first value and Callee's body or that branch
/// assigns it the other one; null otherwise.
const clang::FieldDecl *onceFlagOf(const clang::CallExpr *Call,
                                   const clang::FunctionDecl *Callee,
                                   clang::ASTContext &AST);

} // namespace concur::unguarded

#endif
