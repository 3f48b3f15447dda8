//===- ApiModels.h - Declarative models of concurrency APIs -----*- C++ -*-===//
//
// What a call does to the concurrency state (takes a lock, blocks, spawns a
// callable, ...), read from rules/*.json. The analyses never test names
// themselves: they ask ApiModels what a call, a constructor or a destructor
// does. docs/rules-format.md describes the file format.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_APIMODELS_H
#define CONCUR_ENGINE_APIMODELS_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concur {

enum class LockOp {
  None,
  Acquire,    ///< Takes the lock(s).
  TryAcquire, ///< Takes the lock(s) only if the result says so.
  Release,    ///< Gives the lock(s) back.
  Adopt,      ///< A guard takes ownership of an already held lock.
  Associate,  ///< A guard refers to a lock without taking it (defer_lock).
  Disown,     ///< A guard forgets its lock, which stays held (release()).
  Owns,       ///< A query: does the guard hold its lock?
  AssertHeld, ///< A runtime assertion that the lock is held (AssertHeld()).
};

enum class LockMode { Exclusive, Shared };

enum class BlockKind { None, Always, Timed, May };

/// Which arguments name the locks a lock operation acts on.
struct LockArgs {
  bool All = false;             ///< Every argument that is not a tag.
  llvm::SmallVector<unsigned, 1> Indices; ///< Empty and !All: the receiver.
  bool isReceiver() const { return !All && Indices.empty(); }
};

/// The effect of one call, constructor or destructor.
struct Effect {
  // Variant selection (constructors and overloaded methods).
  std::string WhenArgType;             ///< Applies if an argument has this type.
  std::optional<unsigned> WhenArgCount;

  LockOp Lock = LockOp::None;
  std::optional<LockMode> Mode;        ///< Overrides the type's mode.
  /// The mode is the call's: this (bool) argument chooses it, exclusive
  /// when true (Poco's `ScopedRWLock(rwl, bool write)`), or shared when
  /// true if ModeArgMeansShared. An argument whose value is not known at
  /// the call counts as exclusive: a shared hold is a claim ("written under
  /// a read lock") to prove.
  std::optional<unsigned> ModeArg;
  bool ModeArgMeansShared = false;
  LockArgs Args;
  bool SuccessIsZero = false;          ///< try_acquire: 0 means success.

  BlockKind Block = BlockKind::None;
  std::optional<unsigned> TimeoutArg;  ///< A zero timeout does not block.
  std::optional<unsigned> ReleasesArg; ///< A wait releases this arg's lock.
  bool ReleasesThis = false;           ///< A wait releases the receiver.
  std::optional<unsigned> PredicateArg; ///< Runs in place, lock held.
  std::optional<unsigned> SpawnArg;     ///< Runs on another thread.
  bool SpawnFirstCallable = false;
  /// With SpawnArg: an object argument (not a callable) runs this method of
  /// its class on the thread (`Poco::Thread::start(Runnable &)`: `run`).
  std::string SpawnMethod;
  /// The spawned callable runs later, possibly after the caller has
  /// returned (a pool's submit, a timer, an event loop's post): nothing
  /// about the call waits for it.
  bool Deferred = false;

  /// WaitGroup and latch accounting: "init" (a constructor that sets the
  /// count), "add", "done", "wait", "arrive" (done, then wait).
  std::string WaitGroupOp;
  /// The argument that holds the amount (Add(n), count_down(n)); absent or
  /// not passed, the amount is 1 (0 for "init").
  std::optional<unsigned> CountArg;
  std::string ChannelOp;   ///< "send", "receive", "close".

  /// File descriptors (POSIX I/O): the call reads or writes the descriptor
  /// in this argument, and does not block when it is non-blocking or -1.
  std::optional<unsigned> DescriptorArg;
  /// The argument whose flags may say "non-blocking" (O_NONBLOCK,
  /// SOCK_NONBLOCK, MSG_DONTWAIT): for the descriptor the call creates
  /// (NewDescriptor), for the one it sets the flags of (SetsDescriptorFlags),
  /// otherwise for this call alone.
  std::optional<unsigned> FlagsArg;
  bool NewDescriptor = false;       ///< the result is a new descriptor
  bool SetsDescriptorFlags = false; ///< fcntl(fd, F_SETFL, flags)

  std::string Origin;      ///< "rules/std.json:12", for --dump-models.
};

enum class TypeKind {
  Mutex, Guard, ConditionVariable, Thread, Future, Latch, Barrier, Semaphore,
  WaitGroup, Channel, Notification, Atomic, Executor, Other
};
/// The rules' spelling of a kind: "condition_variable".
const char *kindName(TypeKind K);

/// Where a model came from, for --dump-models. Project: inferred from
/// bodies in another translation unit of the project (the facts
/// directory's models.json), which a rule of the same name replaces.
enum class ModelSource { BuiltinRule, UserRule, Attributes, Body, Project };

struct TypeModel {
  std::vector<std::string> Names;
  ModelSource Source = ModelSource::BuiltinRule;
  TypeKind Kind = TypeKind::Other;
  LockMode Mode = LockMode::Exclusive;
  /// A mutex the same thread may lock again (std::recursive_mutex): each
  /// lock needs its own unlock.
  bool Recursive = false;
  std::vector<Effect> Constructor;
  std::vector<Effect> Destructor;
  llvm::StringMap<std::vector<Effect>> Methods;
  std::string Origin;
};

/// One type's model as a rules file's "types" entry (docs/rules-format.md),
/// named Name: what the project's models file holds of a model inferred
/// from bodies, so that other translation units read it back as a rule.
std::string typeModelAsRule(const TypeModel &M, llvm::StringRef Name,
                            llvm::StringRef Description);

struct FunctionModel {
  std::vector<std::string> Names;
  /// A C library function: matches a declaration in the global namespace
  /// or in std, whatever its linkage, never a member or another namespace's.
  bool CFunction = false;
  Effect Fx;
};

/// A call split into the object it is called on (for a member call or a
/// member operator) and its remaining arguments, as rules count them.
struct CallParts {
  const clang::Expr *Receiver = nullptr;
  llvm::SmallVector<const clang::Expr *, 4> Args;
  unsigned FirstArg = 0; ///< index in CallExpr::arguments() of Args[0]
};
CallParts splitCall(const clang::CallExpr *C);

/// A model matched to one call site: the effect that applies and the type
/// it came from (null for free functions).
struct MatchedEffect {
  const Effect *Fx = nullptr;
  const TypeModel *Type = nullptr;
  explicit operator bool() const { return Fx != nullptr; }
  LockMode mode() const {
    if (Fx && Fx->Mode)
      return *Fx->Mode;
    return Type ? Type->Mode : LockMode::Exclusive;
  }
  /// The mode of this call or construction, given its arguments (a default
  /// argument is a CXXDefaultArgExpr, whose value is the default's).
  LockMode modeAt(llvm::ArrayRef<const clang::Expr *> Args,
                  const clang::ASTContext &Ctx) const;
};

/// The loaded models: immutable once built, shared by all worker threads.
class ApiModels {
public:
  /// Parses one rules file. On error, returns a message naming the file and
  /// line: "rules.json:12: 'lock' must be one of ...".
  llvm::Error addRulesText(llvm::StringRef Name, llvm::StringRef Text,
                           ModelSource Source = ModelSource::UserRule);
  llvm::Error addRulesFile(llvm::StringRef Path);
  /// The rules compiled into the binary plus the user's files, over the
  /// models a project's other translation units inferred (ProjectModels, a
  /// rules text named ProjectModelsName; any rule replaces one of them).
  static llvm::Expected<std::shared_ptr<const ApiModels>>
  load(llvm::ArrayRef<std::string> ExtraFiles,
       llvm::StringRef ProjectModelsName = "",
       llvm::StringRef ProjectModels = "");

  /// Leaves the built-in rules files of these names ("rocksdb.json") out
  /// of every later load(), process-wide: to measure what concur infers
  /// without them.
  static void excludeBuiltinRules(std::vector<std::string> FileNames);

  const TypeModel *lookupTypeName(llvm::StringRef QualifiedName) const;
  const FunctionModel *lookupFunctionName(llvm::StringRef QualifiedName) const;
  /// Whether a type is a tag that selects a variant (`when_arg_type`:
  /// std::adopt_lock_t, std::defer_lock_t, std::try_to_lock_t).
  bool isTagTypeName(llvm::StringRef QualifiedName) const {
    return TagTypeNames.count(QualifiedName);
  }

private:
  llvm::Error parseRulesText(llvm::StringRef Name, llvm::StringRef Text);
  std::vector<std::unique_ptr<TypeModel>> Types;
  std::vector<std::unique_ptr<FunctionModel>> Functions;
  llvm::StringMap<const TypeModel *> TypesByName;      ///< "std::mutex"
  llvm::StringMap<const TypeModel *> TypesByAnyNsName; ///< "*::WaitGroup"
  llvm::StringMap<const FunctionModel *> FunctionsByName;
  llvm::StringSet<> TagTypeNames;
};

class ModelInference;

/// Matches declarations and call sites of one translation unit against the
/// models, caching per declaration; a class no rule names gets a model
/// inferred from its attributes or bodies (ModelInference). One per
/// analysis: not thread-safe.
class ModelMatcher {
public:
  explicit ModelMatcher(const ApiModels &Models);
  ~ModelMatcher();

  /// The model of a record type (through pointers and references), or of
  /// its nearest modelled base class.
  const TypeModel *modelForType(clang::QualType T) const;
  const TypeModel *modelForRecord(const clang::CXXRecordDecl *RD) const;
  /// Every class matched so far and its model, for --dump-models.
  std::vector<std::pair<const clang::CXXRecordDecl *, const TypeModel *>>
  matchedRecords() const;
  /// Every class asked about so far, with its model or null.
  std::vector<std::pair<const clang::CXXRecordDecl *, const TypeModel *>>
  queriedRecords() const;

  /// What a call does: member calls are matched by the receiver's type,
  /// free functions by name.
  MatchedEffect effectOfCall(const clang::CallExpr *Call) const;
  MatchedEffect effectOfConstruct(const clang::CXXConstructExpr *E) const;
  /// Whether a lock expression (a mutex object or a pointer to one) is of
  /// a recursive mutex type.
  bool isRecursiveLock(const clang::Expr *E) const;
  /// Whether a call argument is a tag (std::adopt_lock), not a lock: its
  /// type is one the rules select variants by.
  bool isTagArgument(const clang::Expr *E) const;
  /// The arguments a modelled call or construction acts on as locks: the
  /// ones its effect names (all of them, tags such as std::adopt_lock
  /// left out, for `"arg": "all"`).
  llvm::SmallVector<const clang::Expr *, 2>
  lockArguments(const Effect &Fx, llvm::ArrayRef<const clang::Expr *> Args) const;
  /// The lock a local guard variable was constructed on (`lk` in
  /// `std::unique_lock lk(mu); ... lk.unlock();`), if it is modelled.
  const clang::Expr *guardVariableLock(const clang::Expr *Guard) const;
  /// Whether a function is the C library's: declared in the global
  /// namespace or in std, not a member, visible outside its file (as the
  /// Clang Static Analyzer's CallDescription matches C library functions).
  static bool isCLibraryFunction(const clang::FunctionDecl *FD);
  /// The guard or lock type constructed, if the type is modelled.
  const TypeModel *constructedModel(const clang::CXXConstructExpr *E) const;

  /// "std::this_thread::sleep_for": the qualified name without inline or
  /// anonymous namespaces and without template arguments.
  static std::string matchName(const clang::NamedDecl *D);
  /// How to name a call's callee in a message: a member call by the type
  /// it is called on ("std::shared_future::wait", although libstdc++
  /// declares wait() in a base), anything else by its qualified name.
  static std::string calleeName(const clang::Expr *Call,
                                const clang::FunctionDecl *Callee);
  /// Where the callee's name as written at a call ends, when it starts at
  /// the call's location and spans more than one token (a qualified name,
  /// template arguments): a finding's region then covers all of it.
  static clang::SourceLocation calleeNameEnd(const clang::Expr *Call);

private:
  const FunctionModel *functionModel(const clang::FunctionDecl *FD) const;
  const Effect *selectVariant(const std::vector<Effect> &Variants,
                              llvm::ArrayRef<const clang::Expr *> Args) const;

  const ApiModels &Models;
  std::unique_ptr<ModelInference> Inference;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, const TypeModel *>
      RecordCache;
  mutable llvm::DenseMap<const clang::FunctionDecl *, const FunctionModel *>
      FunctionCache;
};

} // namespace concur

#endif
