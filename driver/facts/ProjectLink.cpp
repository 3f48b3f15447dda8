//===- ProjectLink.cpp ----------------------------------------------------===//

#include "driver/facts/ProjectLink.h"
#include "checks/LockAcrossBlockingCallCheck.h"
#include "checks/LockOrderInversionCheck.h"
#include "checks/UnguardedFieldCheck.h"
#include "driver/facts/FieldGuardLink.h"
#include "driver/facts/LockOrderLink.h"
#include "llvm/ADT/StringMap.h"

namespace concur {

namespace {

std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

/// A function of the project: its facts and the unit that defines it.
struct Node {
  const LinkFunction *Fn = nullptr;
  unsigned Unit = 0;
};

/// A project-wide blocking summary (BlockSummary without the AST).
struct Summary {
  bool Blocks = false;
  BlockKind Kind = BlockKind::None;
  /// Through which call of the function (an index into its Calls), when it
  /// does not block directly.
  std::optional<unsigned> Via;
  bool ReleasesUnknownLock = false;
  bool releasesSomething(const LinkFunction &F) const {
    return ReleasesUnknownLock ||
           (!Via && (F.ReleasesParam || !F.ReleasesMemberPath.empty()));
  }
};

class ProjectGraph {
public:
  explicit ProjectGraph(const std::vector<LinkInput> &Units) {
    for (unsigned U = 0; U < Units.size(); ++U)
      for (const LinkFunction &F : Units[U].Facts->Functions) {
        std::string Key = F.Internal ? localKey(U, F.Usr) : F.Usr;
        if (Index.try_emplace(Key, Nodes.size()).second)
          Nodes.push_back({&F, U});
      }
    States.assign(Nodes.size(), State::Unvisited);
    Summaries.resize(Nodes.size());
  }

  /// The function a USR names as seen from a unit: its own internal one
  /// first, else the project's.
  std::optional<unsigned> resolve(unsigned Unit, llvm::StringRef Usr) const {
    auto It = Index.find(localKey(Unit, Usr));
    if (It == Index.end())
      It = Index.find(Usr);
    if (It == Index.end())
      return std::nullopt;
    return It->second;
  }

  const Node &node(unsigned N) const { return Nodes[N]; }

  /// Memoised; a function being summarised counts as non-blocking for the
  /// calls that reach it again, so recursion terminates.
  Summary summaryOf(unsigned N) {
    if (States[N] == State::Done)
      return Summaries[N];
    if (States[N] == State::InProgress)
      return Summary();
    States[N] = State::InProgress;
    Summary S = compute(N);
    Summaries[N] = S;
    States[N] = State::Done;
    return S;
  }

private:
  enum class State : uint8_t { Unvisited, InProgress, Done };

  static std::string localKey(unsigned Unit, llvm::StringRef Usr) {
    return std::to_string(Unit) + '\0' + Usr.str();
  }

  /// As BlockingSummaries::compute: a direct block wins; else the first
  /// callee that blocks without releasing a lock of its own caller's.
  Summary compute(unsigned N) {
    const LinkFunction &F = *Nodes[N].Fn;
    Summary S;
    if (F.BlocksDirectly) {
      S.Blocks = true;
      S.Kind = F.Kind;
      S.ReleasesUnknownLock = F.ReleasesUnknownLock;
      return S;
    }
    for (unsigned I = 0; I < F.Calls.size(); ++I) {
      std::optional<unsigned> Callee = resolve(Nodes[N].Unit, F.Calls[I].Usr);
      if (!Callee || *Callee == N)
        continue;
      Summary Sub = summaryOf(*Callee);
      if (Sub.Blocks && !Sub.releasesSomething(*Nodes[*Callee].Fn)) {
        S.Blocks = true;
        S.Kind = Sub.Kind;
        S.Via = I;
        S.ReleasesUnknownLock = F.UnlocksCallersLock;
        return S;
      }
    }
    return S;
  }

  std::vector<Node> Nodes;
  llvm::StringMap<unsigned> Index;
  std::vector<State> States;
  std::vector<Summary> Summaries;
};

/// The held locks (by index) the callee's wait gives back: the lock passed
/// as its parameter, or its member (or global) lock as the caller names it.
std::vector<unsigned> releasedLocks(const LinkCall &C, const LinkFunction &Callee) {
  std::vector<unsigned> Out;
  if (Callee.ReleasesParam)
    for (auto &[Index, Locks] : C.ArgumentLocks)
      if (Index == *Callee.ReleasesParam)
        Out.insert(Out.end(), Locks.begin(), Locks.end());
  llvm::StringRef Member = Callee.ReleasesMemberPath;
  if (!Member.empty()) {
    std::string CallerPath;
    if (Member.consume_front("*this")) {
      if (!C.ReceiverPath.empty())
        CallerPath = C.ReceiverPath + Member.str();
    } else {
      CallerPath = Member.str(); // a global lock
    }
    for (unsigned H = 0; H < C.Held.size(); ++H)
      if (!CallerPath.empty() && C.Held[H].Path == CallerPath)
        Out.push_back(H);
  }
  return Out;
}

std::optional<ResolvedFinding> reportCall(ProjectGraph &G, unsigned Unit,
                                          const LinkCall &C) {
  std::optional<unsigned> Callee = G.resolve(Unit, C.CalleeUsr);
  if (!Callee)
    return std::nullopt; // no body anywhere in the project
  Summary S = G.summaryOf(*Callee);
  if (!S.Blocks)
    return std::nullopt;
  const LinkFunction &CalleeFn = *G.node(*Callee).Fn;
  std::vector<unsigned> Released;
  if (!S.Via)
    Released = releasedLocks(C, CalleeFn);
  std::vector<const LinkHeldLock *> Held;
  for (unsigned H = 0; H < C.Held.size(); ++H)
    if (!llvm::is_contained(Released, H))
      Held.push_back(&C.Held[H]);
  if (Held.empty() || (S.ReleasesUnknownLock && Held.size() < 2))
    return std::nullopt;

  ResolvedFinding F = linkFinding(LockAcrossBlockingCallCheck::Id, C.Loc);

  // The chain: each call from the callee down to the blocking operation.
  std::string Operation;
  unsigned N = *Callee;
  for (unsigned Depth = 0; Depth < 16; ++Depth) {
    const LinkFunction &Fn = *G.node(N).Fn;
    Summary Step = G.summaryOf(N);
    if (!Step.Blocks)
      break;
    if (!Step.Via) {
      F.CallChain.push_back(
          {Fn.OperationLoc, quoted(Fn.Name) + " calls " + quoted(Fn.Operation) +
                                ", which " +
                                LockAcrossBlockingCallCheck::verb(Step.Kind)});
      Operation = Fn.Operation;
      break;
    }
    const LinkCallee &Next = Fn.Calls[*Step.Via];
    F.CallChain.push_back({Next.Loc, quoted(Fn.Name) + " calls " + quoted(Next.Name)});
    std::optional<unsigned> NextNode = G.resolve(G.node(N).Unit, Next.Usr);
    if (!NextNode)
      break;
    N = *NextNode;
  }

  std::string Locks;
  for (size_t I = 0; I < Held.size(); ++I) {
    if (I)
      Locks += I + 1 == Held.size() ? " and " : ", ";
    Locks += quoted(Held[I]->Display);
  }
  F.Message = "call to " + quoted(C.CalleeName) + " " +
              LockAcrossBlockingCallCheck::verb(S.Kind) + " while holding " +
              (Held.size() == 1 ? "lock " : "locks ") + Locks;
  if (!Operation.empty())
    F.Message += " (it calls " + quoted(Operation) + ")";
  if (S.ReleasesUnknownLock)
    F.Message += "; the callee may release one of them while it blocks";

  for (const LinkHeldLock *H : Held)
    F.Notes.push_back({H->Acquired, std::string(H->Shared ? "shared " : "") +
                                        "lock " + quoted(H->Display) +
                                        (H->Asserted ? " asserted held here"
                                                     : " acquired here")});
  F.FlowStartNote = 0;
  for (const ResolvedLocation &Via : C.InlinedVia)
    F.Notes.push_back({Via, "the lambda runs here, with the caller's locks held"});
  if (C.Nolint)
    F.Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
  return F;
}

} // namespace

ResolvedFinding linkFinding(const char *CheckId, const ResolvedLocation &At) {
  ResolvedFinding F;
  F.CheckId = CheckId;
  Finding Plain;
  Plain.CheckId = CheckId;
  F.Level = findingLevel(Plain); // the check's own level
  F.Loc = At;
  return F;
}

std::vector<ResolvedFinding> linkProject(const std::vector<LinkInput> &Units,
                                         const CheckFilter &Enabled) {
  std::vector<ResolvedFinding> Out;
  if (Enabled.enabled(LockOrderInversionCheck::Id))
    Out = linkLockOrder(Units);
  if (Enabled.enabled(UnguardedFieldCheck::Id))
    for (ResolvedFinding &F : linkFieldGuards(Units))
      Out.push_back(std::move(F));
  if (!Enabled.enabled(LockAcrossBlockingCallCheck::Id))
    return Out;
  ProjectGraph G(Units);
  for (unsigned U = 0; U < Units.size(); ++U) {
    if (!Units[U].Report)
      continue;
    for (const LinkCall &C : Units[U].Facts->Calls)
      if (std::optional<ResolvedFinding> F = reportCall(G, U, C))
        Out.push_back(std::move(*F));
  }
  return Out;
}

} // namespace concur
