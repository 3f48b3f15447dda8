//===- ValueCopies.h - Fields a class copies without a lock -----*- C++ -*-===//
//
// A class whose copy or move operations read another object's fields
// without taking any lock says, in its own code, that its objects are
// values: each belongs to one thread at a time, and a lock it holds
// serialises some operation (Poco's Data::Statement locks `_mutex` in
// execute() alone), not the fields. A thread-safe class copies under the
// other object's lock (`std::lock_guard l(other.mu_)`) and is not one.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDED_VALUECOPIES_H
#define CONCUR_CHECKS_UNGUARDED_VALUECOPIES_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace concur {
class LockSetAnalysis;
}

namespace concur::unguarded {

/// `void swap(C &other)` in class C: exchanges the whole object.
bool isMemberSwap(const clang::CXXMethodDecl *MD);

/// Where a field is copied from another object with no lock taken.
struct UnlockedCopy {
  const clang::FunctionDecl *By = nullptr; ///< the copy operation
  clang::SourceLocation At;                ///< its read of the other's field
  explicit operator bool() const { return By != nullptr; }
};

class ValueCopies {
public:
  explicit ValueCopies(const LockSetAnalysis &Locks) : Locks(Locks) {}

  /// The copy constructor, move constructor, copy or move assignment or
  /// member swap of F's class, defined in this TU, that reads F of its
  /// argument and takes no lock; none if there is no such operation.
  UnlockedCopy unlockedCopyOf(const clang::FieldDecl *F);

  /// Scans FD if it is such an operation with a body: the TU's copies are
  /// known whether or not it touches their fields otherwise (for facts).
  void noteFunction(const clang::FunctionDecl *FD);

  /// Every field found copied without a lock so far.
  const llvm::MapVector<const clang::FieldDecl *, UnlockedCopy> &copied() const {
    return Copied;
  }

private:
  void scanClass(const clang::CXXRecordDecl *RD);
  void scanOperation(const clang::FunctionDecl *FD);
  const LockSetAnalysis &Locks;
  llvm::DenseSet<const clang::CXXRecordDecl *> ScannedClasses;
  llvm::DenseSet<const clang::FunctionDecl *> ScannedOperations;
  llvm::MapVector<const clang::FieldDecl *, UnlockedCopy> Copied;
};

} // namespace concur::unguarded

#endif
