//===- ModelInference.h - Models of a project's own lock types --*- C++ -*-===//
//
// Real code bases lock through their own wrappers (port::Mutex, MutexLock,
// CondVar, ScopedLock, ...), not std::mutex. When no rule names a class,
// its model is inferred, in this order:
//
//  - from Clang's thread-safety attributes: a `capability` / `lockable`
//    class whose methods are ACQUIRE / RELEASE / TRY_ACQUIRE /
//    ASSERT_CAPABILITY (and shared forms) is a lock; a `scoped_lockable`
//    class whose constructor ACQUIREs a parameter is a guard;
//  - from a base class that is a mutex (std::mutex, a modelled wrapper):
//    the base's model, plus the class's own methods that lock or unlock
//    the inherited lock (`void Lock() { lock(); }`); attributes of a
//    capability derived from a mutex add to the inherited model;
//  - from its bodies: a class whose methods acquire, release or try a
//    member that is a lock (std::mutex, pthread_mutex_t, a lock inferred
//    before: wrappers of wrappers) is a lock; a class whose constructor
//    acquires a lock it stores from a parameter and whose destructor
//    releases it is a guard (its own Lock()/Unlock() too); a class whose
//    methods wait on a condition variable with a lock it was given (at
//    construction, or as an argument) is a condition variable whose wait
//    releases that lock.
//
// A class whose bodies are not visible and that has no attributes keeps
// no model: rules files cover it, and --dump-models lists what was found.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_MODELINFERENCE_H
#define CONCUR_ENGINE_MODELINFERENCE_H

#include "checks/engine/ApiModels.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <vector>

namespace concur {

/// The methods of a class whose names say lock operations (Lock/Unlock,
/// Acquire/Release, ReadLock/WriteUnlock, ...) or condition waits (Wait with
/// Signal or Notify). A class with both sides of either pair and no model is
/// a lock type whose bodies are elsewhere: its model may come from the
/// translation unit that defines them.
struct LockLikeInterface {
  bool Locks = false, Unlocks = false, Waits = false, Signals = false;
  llvm::SmallVector<const clang::CXXMethodDecl *, 4> Operations;
  bool lockLike() const { return (Locks && Unlocks) || (Waits && Signals); }
};
LockLikeInterface lockLikeInterface(const clang::CXXRecordDecl *Def);

/// A lock that does nothing: a class without data whose lock and unlock
/// methods are defined empty (Poco's NullMutex, spdlog's null_mutex,
/// Boost.Signals2's dummy_mutex). Code passes one as a lock policy to say
/// that the object it parameterises is used by one thread only.
bool isNullLock(const clang::CXXRecordDecl *RD);

/// A function of a class template (or a function template) instantiated
/// with a null lock as a template argument: single-threaded by its
/// contract.
bool hasNullLockPolicy(const clang::FunctionDecl *FD);

class ModelInference {
public:
  explicit ModelInference(const ModelMatcher &Models) : Models(Models) {}

  /// The model of a class no rule names, or null. Def is a definition.
  const TypeModel *infer(const clang::CXXRecordDecl *Def);

  /// Whether a type is a lock object (not a pointer or reference to one).
  bool isLockType(clang::QualType T) const;

private:
  std::unique_ptr<TypeModel> fromAttributes(const clang::CXXRecordDecl *Def);
  std::unique_ptr<TypeModel> fromBodies(const clang::CXXRecordDecl *Def);
  const TypeModel *inheritedMutexModel(const clang::CXXRecordDecl *Def) const;
  std::unique_ptr<TypeModel> fromMutexBase(const clang::CXXRecordDecl *Def,
                                           const TypeModel &Base);
  const TypeModel *own(std::unique_ptr<TypeModel> M);

  const ModelMatcher &Models;
  std::vector<std::unique_ptr<TypeModel>> Owned;
};

} // namespace concur

#endif
