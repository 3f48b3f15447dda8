//===- AtomicOps.h - Operations on one atomic object ------------*- C++ -*-===//
//
// Recognises the operations on an atomic object that concur-atomic-check-
// then-act reasons about: a load (`a.load()`, the implicit `operator T()`,
// the read of a C `_Atomic` lvalue, `__atomic_load_n`), a store
// (`a.store(v)`, `a = v`, `__atomic_store_n`), a read-modify-write
// (`fetch_add` and friends, `exchange`, `++a`, `a += n`) and a
// compare-exchange. The object is named by its declaration (a field, a
// global, a local): one field stands for that field of every object.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_ATOMICS_ATOMICOPS_H
#define CONCUR_CHECKS_ATOMICS_ATOMICOPS_H

#include "clang/AST/Expr.h"
#include <optional>

namespace concur::atomics {

enum class AtomicOpKind { Load, Store, ReadModifyWrite, CompareExchange };

struct AtomicOp {
  AtomicOpKind Kind;
  /// The atomic variable or field.
  const clang::ValueDecl *Object = nullptr;
  /// The expression that names the object (`a`, `this->a`, `*p`'s `p`...).
  const clang::Expr *ObjectExpr = nullptr;
  /// A store's value (null for the others).
  const clang::Expr *Value = nullptr;
  /// Whether the operation passes a memory order (or other extra argument):
  /// a fix-it rewriting it would have to carry it over.
  bool ExtraArgs = false;
  /// `->` rather than `.` between object and member.
  bool Arrow = false;
  /// The written form is a member call (`a.load()`), not an operator.
  bool MemberCall = false;

  bool writes() const { return Kind != AtomicOpKind::Load; }
};

/// Whether T is std::atomic<U>, boost::atomic<U> (or a class derived from
/// one), or a C `_Atomic` type.
bool isAtomicType(clang::QualType T);

/// The atomic operation S performs itself (not its subexpressions), if any.
std::optional<AtomicOp> atomicOpOf(const clang::Stmt *S);

/// The value type of an atomic type (`int` for std::atomic<int>).
clang::QualType atomicValueType(clang::QualType T);

} // namespace concur::atomics

#endif
