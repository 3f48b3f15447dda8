//===- VariableUses.h - What code does to the variables it names -*- C++ -*-===//
//
// concur-unguarded-field tracks shared variables: the fields of `this` and
// the variables with static storage (globals, static members). This file
// says which occurrences of them are accesses, whether an access reads or
// writes, and which types are synchronisation objects rather than data.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDED_VARIABLEUSES_H
#define CONCUR_CHECKS_UNGUARDED_VARIABLEUSES_H

#include "checks/engine/ApiModels.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"

namespace concur::unguarded {

/// The shared variable an occurrence names: the field of `this` of a
/// MemberExpr on `this`, or the variable with static storage of a
/// DeclRefExpr. Null for anything else (locals, members of other objects).
const clang::ValueDecl *sharedVariableOf(const clang::Expr *Occurrence);

/// Whether a type is a lock type concur can follow (modelled as a mutex,
/// or one of the C locks).
bool isLockType(clang::QualType T, const ModelMatcher &Models);

/// Whether a type is a synchronisation object rather than data a lock
/// guards: a modelled type (mutex, atomic, condition variable, channel,
/// thread), a class made only of such objects and constants, or a class
/// that owns a lock and keeps its data private (a monitor such as an
/// `Event` built from a mutex, a condition variable and a flag). A struct
/// with a condition variable next to public data (a job queue) is data.
bool isSynchronisationType(clang::QualType T, const ModelMatcher &Models);

enum class Use : uint8_t { Read, Write, None };

/// How each occurrence of a shared variable in a body is used: a write
/// (assignment, increment, a modifying member call, a non-const reference
/// handed to code that writes it), not an access at all (a reference
/// bound by a constructor that only stores it), or, by default, a read.
class UseClassifier {
public:
  explicit UseClassifier(const ModelMatcher &Models) : Models(Models) {}

  /// The uses of the occurrences in Body that are not plain reads.
  const llvm::DenseMap<const clang::Expr *, Use> &
  nonReads(const clang::FunctionDecl *Body);

  /// The member an occurrence is accessed through (`options` in
  /// `options.type` gives `type`), once its body has been classified; null
  /// when the whole variable is used.
  const clang::FieldDecl *memberOf(const clang::Expr *Occurrence) const {
    return Members.lookup(Occurrence);
  }

  /// What a callee does to the object passed as its parameter Index.
  Use parameterUse(const clang::FunctionDecl *Callee, unsigned Index);

  /// What a non-const method does to its own object, from its body when
  /// the project defines it here (`dirs_.GetDbDir()` only reads `dirs_`):
  /// Write when it may modify it, Read otherwise.
  Use receiverUse(const clang::CXXMethodDecl *Method);

  /// What a callee of the project does with the address it is given as
  /// pointer parameter Index, when all it does is hand it on (an inline
  /// hook that forwards it to a function in another file reads it).
  Use addressUse(const clang::FunctionDecl *Callee, unsigned Index);

  /// What a callee does with an address passed as its argument Index: the
  /// standard library's forwarders bind it, project code in another file
  /// only reads it, project code seen here is asked (addressUse), anything
  /// else writes.
  Use handedAddressUse(const clang::FunctionDecl *Callee, unsigned Index);

private:
  /// Summaries nest through the callees they meet; deeper than this, a
  /// callee is taken to write.
  static constexpr unsigned MaxDepth = 8;
  unsigned Depth = 0;
  const ModelMatcher &Models;
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::DenseMap<const clang::Expr *, Use>> Bodies;
  llvm::DenseMap<std::pair<const clang::FunctionDecl *, unsigned>, Use> Params;
  llvm::DenseMap<std::pair<const clang::FunctionDecl *, unsigned>, Use>
      Addresses;
  llvm::DenseMap<const clang::FunctionDecl *, Use> Receivers;
  llvm::DenseMap<const clang::Expr *, const clang::FieldDecl *> Members;
};

} // namespace concur::unguarded

#endif
