//===- UnitFacts.cpp ------------------------------------------------------===//

#include "driver/facts/UnitFacts.h"
#include "checks/LockAcrossBlockingCallCheck.h"
#include "checks/LockOrderInversionCheck.h"
#include "checks/UnguardedFieldCheck.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>

using namespace clang;

namespace concur {

uint64_t contentHash(llvm::StringRef Content) {
  return llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Content.data()),
                              Content.size()));
}

std::vector<Dependency> readDependencies(const SourceManager &SM,
                                         llvm::StringRef WorkingDir) {
  std::vector<Dependency> Out;
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    // A file looked up but never read (a failed include candidate) did not
    // shape the TU.
    std::optional<llvm::StringRef> Data = It->second->getBufferDataIfLoaded();
    if (!Data)
      continue;
    // The real path: a spelled one can hold `..` after a symbolic link
    // (a toolchain's "/usr/bin/../lib/gcc/...") that no lexical clean-up
    // resolves.
    llvm::StringRef Real = It->first.getFileEntry().tryGetRealPathName();
    std::string Name;
    if (!Real.empty()) {
      Name = Real.str();
    } else {
      llvm::SmallString<256> Abs(It->first.getName());
      if (!llvm::sys::path::is_absolute(Abs)) {
        llvm::SmallString<256> Joined(WorkingDir);
        llvm::sys::path::append(Joined, Abs);
        Abs = Joined;
      }
      Name = Abs.str().str();
    }
    Out.push_back({std::move(Name), contentHash(*Data)});
  }
  std::sort(Out.begin(), Out.end(),
            [](const Dependency &A, const Dependency &B) { return A.File < B.File; });
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const Dependency &A, const Dependency &B) {
                          return A.File == B.File;
                        }),
            Out.end());
  return Out;
}

void resolveFacts(const TranslationUnitFacts &In, const SourceManager &SM,
                  const LangOptions &LO, llvm::StringRef WorkingDir,
                  llvm::function_ref<bool(SourceLocation, llvm::StringRef)> Nolint,
                  UnitFacts &Out) {
  auto Resolve = [&](SourceLocation L) {
    return resolveLocation(SM, LO, L, WorkingDir);
  };
  Out.Models = In.Models;
  Out.ModelDependencies = In.ModelDependencies;
  Out.DefinesLockBodies = In.DefinesLockBodies;
  for (const FunctionFact &F : In.Functions) {
    LinkFunction L;
    L.Usr = F.Usr;
    L.Name = F.Name;
    L.Internal = F.Internal;
    L.BlocksDirectly = F.BlocksDirectly;
    L.Kind = F.Kind;
    L.Operation = F.Operation;
    if (F.BlocksDirectly)
      L.OperationLoc = Resolve(F.OperationLoc);
    L.ReleasesParam = F.ReleasesParam;
    L.ReleasesMemberPath = F.ReleasesMemberPath;
    L.ReleasesUnknownLock = F.ReleasesUnknownLock;
    L.UnlocksCallersLock = F.UnlocksCallersLock;
    for (const CalleeFact &C : F.Calls)
      L.Calls.push_back({C.Usr, C.Name, Resolve(C.Loc)});
    Out.Functions.push_back(std::move(L));
  }
  for (const ExternalCallFact &C : In.Calls) {
    LinkCall L;
    L.CallerUsr = C.CallerUsr;
    L.CalleeUsr = C.CalleeUsr;
    L.CalleeName = C.CalleeName;
    // The primary location as a finding at the call would have it.
    Finding AtCall;
    AtCall.Loc = C.Loc;
    AtCall.EndLoc = C.EndLoc;
    L.Loc = resolveFinding(SM, LO, AtCall, WorkingDir).Loc;
    if (!L.Loc.valid())
      continue;
    for (const HeldLockFact &H : C.Held)
      L.Held.push_back({H.Display, H.Path, Resolve(H.Acquired), H.Shared, H.Asserted});
    L.ArgumentLocks = C.ArgumentLocks;
    L.ReceiverPath = C.ReceiverPath;
    for (SourceLocation Via : C.InlinedVia)
      L.InlinedVia.push_back(Resolve(Via));
    L.Nolint = Nolint(C.Loc, LockAcrossBlockingCallCheck::Id);
    Out.Calls.push_back(std::move(L));
  }
  for (const LockOrderFact &E : In.LockOrder) {
    LinkLockOrder L;
    L.First = E.First;
    L.Second = E.Second;
    L.FirstDisplay = E.FirstDisplay;
    L.SecondDisplay = E.SecondDisplay;
    L.FirstAt = Resolve(E.FirstAt);
    L.SecondAt = Resolve(E.SecondAt);
    if (!L.FirstAt.valid() || !L.SecondAt.valid())
      continue;
    L.Via = E.Via;
    for (const FindingNote &N : E.Chain)
      L.Chain.push_back({Resolve(N.Loc), N.Message});
    L.Outer = E.Outer;
    L.Nolint = Nolint(E.SecondAt, LockOrderInversionCheck::Id);
    Out.LockOrder.push_back(std::move(L));
  }
  // What an access or a helper call holds, and the unlocked calls that
  // reach it, in the link's terms.
  auto ResolveLocks = [&](llvm::ArrayRef<AccessLockFact> Held) {
    std::vector<LinkAccessLock> Out;
    for (const AccessLockFact &H : Held)
      Out.push_back({H.Path, H.Name, H.Where, Resolve(H.Declared), H.Shared});
    return Out;
  };
  auto ResolveCallers = [&](llvm::ArrayRef<UnlockedCallerFact> Callers) {
    std::vector<LinkFieldAccess::Caller> Out;
    for (const UnlockedCallerFact &C : Callers)
      Out.push_back({Resolve(C.Loc), C.Caller, C.Callee});
    return Out;
  };
  for (const FieldAccessFact &A : In.FieldAccesses) {
    LinkFieldAccess L;
    L.Variable = A.Variable;
    L.Name = A.Name;
    L.Kind = A.Kind;
    L.Function = A.Function;
    L.Loc = Resolve(A.Loc);
    if (!L.Loc.valid())
      continue;
    L.IsWrite = A.IsWrite;
    L.Note = A.Note;
    L.OnOtherThread = A.OnOtherThread;
    L.SerialisedByCallers = A.SerialisedByCallers;
    L.GuardedHere = A.GuardedHere;
    L.Confined = A.Confined;
    L.CallersElsewhere = A.CallersElsewhere;
    L.Held = ResolveLocks(A.Held);
    L.UnlockedCallers = ResolveCallers(A.UnlockedCallers);
    L.Nolint = Nolint(A.Loc, UnguardedFieldCheck::Id);
    Out.FieldAccesses.push_back(std::move(L));
  }
  for (const HelperCallFact &C : In.HelperCalls) {
    LinkHelperCall L;
    L.CalleeUsr = C.CalleeUsr;
    L.CallerUsr = C.CallerUsr;
    L.Caller = C.Caller;
    L.Callee = C.Callee;
    L.Loc = Resolve(C.Loc);
    if (!L.Loc.valid())
      continue;
    L.Held = ResolveLocks(C.Held);
    L.SomeLock = C.SomeLock;
    L.CallerElsewhere = C.CallerElsewhere;
    L.UnlockedCallers = ResolveCallers(C.UnlockedCallers);
    L.Virtual = C.Virtual;
    L.Dispatched = C.Dispatched;
    L.CallerBases = C.CallerBases;
    L.CallerInstantiated = C.CallerInstantiated;
    Out.HelperCalls.push_back(std::move(L));
  }
  for (const Finding &F : In.ConditionalFindings) {
    SourceLocation Loc = SM.getFileLoc(F.Loc);
    if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
      continue;
    ResolvedFinding R = resolveFinding(SM, LO, F, WorkingDir);
    R.CalledAs = F.CalledAs;
    if (Nolint(F.Loc, F.CheckId))
      R.Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
    Out.ConditionalFindings.push_back(std::move(R));
  }
}

} // namespace concur
