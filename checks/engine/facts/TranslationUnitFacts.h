//===- TranslationUnitFacts.h - What one TU tells the project ---*- C++ -*-===//
//
// The facts of one translation unit that a project-wide link needs, named by
// Clang USRs so that they mean the same in every TU: each function's own
// blocking behaviour and the calls it makes (its summary is finished at the
// link, once every callee's body is known), each call made with locks
// held to a function that does not block as far as this TU can tell, the
// TU's lock-order edges between locks that every TU names alike, and the
// accesses to variables declared in headers with the locks held at them.
//
// Locations are still SourceLocations: the front end resolves them to files
// before the TU goes away. The engine knows neither files nor the link.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_FACTS_TRANSLATIONUNITFACTS_H
#define CONCUR_ENGINE_FACTS_TRANSLATIONUNITFACTS_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/Finding.h"
#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace concur {

struct AnalysisContext;
class LockSetObserver;

/// A call a function body makes to a function that is not a modelled API.
struct CalleeFact {
  std::string Usr;
  std::string Name; ///< as the check names a callee: "Worker::stop"
  clang::SourceLocation Loc;
  const clang::FunctionDecl *Callee = nullptr; ///< within the TU only
};

/// A function with a body in this TU.
struct FunctionFact {
  std::string Usr;
  std::string Name;
  /// Internal linkage: its USR names it only within this TU.
  bool Internal = false;
  /// A modelled blocking operation it calls itself (the first one).
  bool BlocksDirectly = false;
  BlockKind Kind = BlockKind::None;
  std::string Operation; ///< "std::thread::join"
  clang::SourceLocation OperationLoc;
  /// What that operation releases while it waits (see BlockSummary).
  std::optional<unsigned> ReleasesParam;
  std::string ReleasesMemberPath;
  bool ReleasesUnknownLock = false;
  /// It unlocks a lock it did not take (one of its caller's).
  bool UnlocksCallersLock = false;
  /// Its other calls, in source order: a blocking summary through callees
  /// follows the first one that blocks.
  std::vector<CalleeFact> Calls;
};

struct HeldLockFact {
  std::string Display; ///< "mu_"
  std::string Path;    ///< "*this.Server::mu_", to match a callee's release
  clang::SourceLocation Acquired;
  bool Shared = false;
  bool Asserted = false;
};

/// A call, made with locks held, to a function that does not block as far
/// as this TU can tell: its body is elsewhere, or its callees' bodies are.
struct ExternalCallFact {
  std::string CallerUsr;
  std::string CalleeUsr;
  std::string CalleeName;
  clang::SourceLocation Loc, EndLoc;
  /// Held across the call, oldest acquisition first.
  std::vector<HeldLockFact> Held;
  /// For each argument that denotes held locks: its index and theirs.
  std::vector<std::pair<unsigned, std::vector<unsigned>>> ArgumentLocks;
  /// The path of the object a member function is called on ("*this"), to
  /// relate a callee's member lock to the caller's.
  std::string ReceiverPath;
  /// The lambdas replayed in place on the way, outermost first.
  std::vector<clang::SourceLocation> InlinedVia;
};

/// A lock taken while another is held, between locks that name one lock in
/// every TU: a member by its class ("Server::mu_", whichever object: the
/// project's lock graph is per class, as the kernel's lockdep keys it), a
/// global by its name. Locals and parameters have no such name.
struct LockOrderFact {
  std::string First, Second;               ///< the keys
  std::string FirstDisplay, SecondDisplay; ///< as this TU's messages name them
  clang::SourceLocation FirstAt, SecondAt;
  std::string Via; ///< the callee that takes Second, when through a call
  std::vector<FindingNote> Chain; ///< callee steps down to the acquisition
  /// The keys of other locks held at every acquisition of this edge in the
  /// TU: one common to both edges of a pair serialises them.
  std::vector<std::string> Outer;
};

/// A lock held at an access to a shared variable, named so that every TU
/// names it alike: a member of the object by its path from `this`
/// ("*this.DBImpl::mutex_"), a global or static member by its own.
struct AccessLockFact {
  std::string Path;
  std::string Name;  ///< as messages name it: "mutex_"
  std::string Where; ///< relative to the variable: "member", "global", ...
  clang::SourceLocation Declared;
  bool Shared = false;
};

/// A caller on the way to an access that holds none of the locks.
struct UnlockedCallerFact {
  clang::SourceLocation Loc;
  std::string Caller; ///< "'Server::poll'" or "a lambda"
  std::string Callee;
};

/// An access to a variable declared in a header (its other accesses may be
/// in other files), as concur-unguarded-field judged it in this TU: after
/// set-up code is left out and callers' locks are added. The variable is
/// named by its USR, so a field of a base class is one variable whichever
/// derived class's file touches it.
struct FieldAccessFact {
  std::string Variable; ///< USR, with ".member" for a struct's member
  std::string Name;     ///< "stats_" or "options.type"
  std::string Kind;     ///< "field ", "static field ", "variable "
  std::string Function; ///< USR of the function the access is in
  clang::SourceLocation Loc;
  bool IsWrite = false;
  bool Note = false;          ///< reported as a note (a scalar read, a test hook)
  bool OnOtherThread = false; ///< in a lambda that runs on another thread
  /// Not to be reported, but evidence: its callers all hold some lock
  /// concur cannot name, an optional lock of its object covers it, or its
  /// function has let go of a lock it holds around it
  /// (unguarded/ReleaseWindows.h).
  bool SerialisedByCallers = false;
  /// In a private or protected method that no code of this TU calls (its
  /// callers are in other files): Held is what it holds itself, and the
  /// link adds what its callers (HelperCallFact) hold.
  bool CallersElsewhere = false;
  /// This TU inferred a guard for the variable itself, and so reported
  /// what breaks it: the link leaves the access to the TU.
  bool GuardedHere = false;
  /// Not an access: its class copies the variable from another object
  /// without a lock (Loc is that read), so its objects are values each
  /// thread owns, and the link judges none of its accesses.
  bool Confined = false;
  std::vector<AccessLockFact> Held;
  std::vector<UnlockedCallerFact> UnlockedCallers; ///< outermost first
};

/// A call to a private or protected method whose body is in another file,
/// with what is held there, the caller's own callers included: the link
/// gives that method's accesses (FieldAccessFact::CallersElsewhere) the
/// context of its callers in every file.
struct HelperCallFact {
  std::string CalleeUsr, CallerUsr;
  std::string Caller; ///< "'Store::Reset'" or "a lambda"
  std::string Callee; ///< "apply"
  clang::SourceLocation Loc;
  /// In the callee's terms: a lock of the caller's object only when the
  /// method is called on `this`.
  std::vector<AccessLockFact> Held;
  /// Some lock is held (one of another object's included), or every
  /// caller of the caller holds one: the call runs serialised.
  bool SomeLock = false;
  /// The caller is such a method itself: its callers' context adds to Held.
  bool CallerElsewhere = false;
  std::vector<UnlockedCallerFact> UnlockedCallers; ///< of the caller, outermost first
  /// A call of a virtual method (CalleeUsr names the method as called, a
  /// template's member by its pattern): the calls that may run an override
  /// no code of its own file calls. Dispatched: not qualified, so it may
  /// run any override; a qualified call runs the method it names.
  bool Virtual = false, Dispatched = false;
  /// The caller is an override no code of its file calls: the methods it
  /// overrides, whose calls may run it (the link looks for them; with
  /// none in the project, the caller is an entry point).
  std::vector<std::string> CallerBases;
  /// That caller is a member of a class template instantiated here (for
  /// its vtable, say): its callers may be in templates no file
  /// instantiates, so no call of it in the project says nothing of them.
  bool CallerInstantiated = false;
};

/// A lock, guard or condition-variable model inferred in this TU from
/// bodies outside its class's own file (port::Mutex's Lock() in
/// port_posix.cc), which the TUs that see only its declarations cannot infer.
struct ModelFact {
  std::string Type; ///< "rocksdb::port::Mutex"
  std::string Rule; ///< the model as a rules file's "types" entry
};

struct TranslationUnitFacts {
  std::vector<FunctionFact> Functions;
  std::vector<ModelFact> Models;
  /// The lock-like types this TU left without a model and those it took
  /// from the project's models: what its facts depend on besides its files.
  std::vector<std::string> ModelDependencies;
  /// It infers a model for the others, or defines out of line a method of
  /// a lock-like type that the project's models may let it infer (a wrapper
  /// of another file's wrapper).
  bool DefinesLockBodies = false;
  std::vector<ExternalCallFact> Calls;
  std::vector<LockOrderFact> LockOrder;
  std::vector<FieldAccessFact> FieldAccesses;
  std::vector<HelperCallFact> HelperCalls;
  /// Findings the link confirms: those with Finding::CalledAs.
  std::vector<Finding> ConditionalFindings;
};

/// The USR of a declaration, or "" when it has none.
std::string usrOf(const clang::Decl *D);

/// An observer of the lock dataflow that records ExternalCallFacts.
std::unique_ptr<LockSetObserver> makeExternalCallRecorder(AnalysisContext &Ctx,
                                                          TranslationUnitFacts &Out);

/// Records a FunctionFact for every function with a body in the user's code.
void recordFunctionFacts(AnalysisContext &Ctx, TranslationUnitFacts &Out);

/// Records the ModelFacts of the TU and what its models depend on.
void recordModelFacts(AnalysisContext &Ctx, TranslationUnitFacts &Out);

} // namespace concur

#endif
