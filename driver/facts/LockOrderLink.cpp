//===- LockOrderLink.cpp --------------------------------------------------===//

#include "driver/facts/LockOrderLink.h"
#include "checks/LockGraph.h"
#include "checks/LockOrderInversionCheck.h"
#include "llvm/ADT/STLExtras.h"
#include <map>
#include <tuple>

namespace concur {

namespace {

/// One edge of the project graph: its evidence (from the first unit, in
/// unit order, that has it) and every unit that has it.
struct ProjectEdge {
  const LinkLockOrder *Evidence = nullptr;
  std::vector<unsigned> Units;
  /// Other locks held at every acquisition, in every unit.
  std::vector<std::string> Outer;
  bool Reportable = false;
};

auto position(const ResolvedLocation &L) {
  return std::tie(L.File, L.Line, L.Column);
}

/// "lock 'b' acquired here" or "'f' acquires lock 'b' here", then its chain.
void addSecondNotes(ResolvedFinding &F, const LinkLockOrder &E,
                    llvm::StringRef Prefix) {
  F.Notes.push_back({E.SecondAt, LockOrderInversionCheck::secondNote(
                                     Prefix, E.SecondDisplay, E.Via)});
  F.Notes.insert(F.Notes.end(), E.Chain.begin(), E.Chain.end());
}

/// Notes[From..] as one thread's path; with Primary, the finding's own
/// location follows the first step.
void addThreadPath(ResolvedFinding &F, unsigned From, bool Primary) {
  F.ThreadPaths.push_back(threadPath(From, F.Notes.size(), Primary));
}

/// The finding at Here's second acquisition, as the per-TU check words it,
/// with its first note (where Here's first lock was taken) and chain as the
/// first thread's path.
ResolvedFinding acquisitionFinding(const LinkLockOrder &Here,
                                   const std::string &Why) {
  ResolvedFinding F = linkFinding(LockOrderInversionCheck::Id, Here.SecondAt);
  F.Message = LockOrderInversionCheck::acquisitionMessage(
                  Here.FirstDisplay, Here.SecondDisplay, Here.Via) +
              Why;
  F.Notes.push_back(
      {Here.FirstAt, LockOrderInversionCheck::acquiredNote("", Here.FirstDisplay)});
  F.FlowStartNote = 0;
  F.Notes.insert(F.Notes.end(), Here.Chain.begin(), Here.Chain.end());
  addThreadPath(F, 0, /*Primary=*/true);
  if (Here.Nolint)
    F.Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
  return F;
}

using EdgeKey = std::pair<std::string, std::string>;
using ProjectGraph = std::map<EdgeKey, ProjectEdge>;

/// The project's cycles of three or more locks among the edges that are in
/// no pair, where no one unit holds the whole cycle (that unit reports it).
void reportCycles(const ProjectGraph &Graph, std::vector<ResolvedFinding> &Out) {
  std::map<std::string, unsigned> Ids;
  std::vector<std::string> Keys;
  auto IdOf = [&](const std::string &K) {
    auto [It, New] = Ids.try_emplace(K, Keys.size());
    if (New)
      Keys.push_back(K);
    return It->second;
  };
  std::map<unsigned, std::vector<unsigned>> Succ;
  for (auto &[Key, E] : Graph)
    if (!Graph.count({Key.second, Key.first}))
      Succ[IdOf(Key.first)].push_back(IdOf(Key.second));

  for (const std::vector<unsigned> &Cycle : shortestCycles(Succ)) {
    unsigned N = Cycle.size();
    std::vector<const ProjectEdge *> Path;
    for (unsigned I = 0; I < N; ++I)
      Path.push_back(&Graph.at({Keys[Cycle[I]], Keys[Cycle[(I + 1) % N]]}));
    std::vector<unsigned> Common = Path[0]->Units;
    for (const ProjectEdge *E : Path)
      llvm::erase_if(Common, [&](unsigned U) { return !llvm::is_contained(E->Units, U); });
    if (!Common.empty())
      continue;
    if (llvm::none_of(Path, [](const ProjectEdge *E) { return E->Reportable; }))
      continue;
    if (llvm::any_of(Path[0]->Outer, [&](const std::string &K) {
          auto Id = Ids.find(K);
          bool InCycle = Id != Ids.end() && llvm::is_contained(Cycle, Id->second);
          return !InCycle &&
                 llvm::all_of(Path, [&](const ProjectEdge *E) {
                   return llvm::is_contained(E->Outer, K);
                 });
        }))
      continue; // serialised by a lock held around every edge
    // Reported at the last acquisition that closes the cycle (among the
    // files analysed in this run).
    bool Partial = llvm::any_of(Path, [](const ProjectEdge *E) { return !E->Reportable; });
    std::optional<unsigned> Last;
    for (unsigned I = 0; I < N; ++I) {
      if (Partial && !Path[I]->Reportable)
        continue;
      if (!Last || position(Path[*Last]->Evidence->SecondAt) <
                       position(Path[I]->Evidence->SecondAt))
        Last = I;
    }
    const LinkLockOrder &Here = *Path[*Last]->Evidence;
    llvm::SmallVector<llvm::StringRef, 8> Round;
    for (unsigned I = 1; I <= N; ++I)
      Round.push_back(Path[(*Last + I) % N]->Evidence->FirstDisplay);
    Round.push_back(Here.SecondDisplay);
    ResolvedFinding F = acquisitionFinding(
        Here, LockOrderInversionCheck::cycleReason(Round));
    for (unsigned I = 1; I < N; ++I) {
      const LinkLockOrder &E = *Path[(*Last + I) % N]->Evidence;
      unsigned From = F.Notes.size();
      F.Notes.push_back({E.FirstAt, LockOrderInversionCheck::acquiredNote(
                                        "next in the cycle: ", E.FirstDisplay)});
      addSecondNotes(F, E, "then ");
      addThreadPath(F, From, /*Primary=*/false);
    }
    Out.push_back(std::move(F));
  }
}

} // namespace

std::vector<ResolvedFinding> linkLockOrder(const std::vector<LinkInput> &Units) {
  ProjectGraph Graph;
  for (unsigned U = 0; U < Units.size(); ++U)
    for (const LinkLockOrder &E : Units[U].Facts->LockOrder) {
      auto [It, New] = Graph.try_emplace({E.First, E.Second});
      ProjectEdge &P = It->second;
      if (New) {
        P.Evidence = &E;
        P.Outer = E.Outer;
      } else {
        llvm::erase_if(P.Outer, [&](const std::string &K) {
          return !llvm::is_contained(E.Outer, K);
        });
      }
      if (P.Units.empty() || P.Units.back() != U)
        P.Units.push_back(U);
      P.Reportable |= Units[U].Report;
    }

  std::vector<ResolvedFinding> Out;
  for (auto &[Key, Forward] : Graph) {
    const std::string &A = Key.first, &B = Key.second;
    if (!(A < B))
      continue; // each pair once
    auto Back = Graph.find({B, A});
    if (Back == Graph.end())
      continue;
    const ProjectEdge &Reverse = Back->second;
    // A unit with both orders saw the pair itself.
    if (llvm::any_of(Forward.Units, [&](unsigned U) {
          return llvm::is_contained(Reverse.Units, U);
        }))
      continue;
    if (!Forward.Reportable && !Reverse.Reportable)
      continue;
    // A lock held around both orders lets only one of them run at a time.
    if (llvm::any_of(Forward.Outer, [&](const std::string &K) {
          return K != A && K != B && llvm::is_contained(Reverse.Outer, K);
        }))
      continue;
    // Reported at the later of the two second acquisitions, as one TU does;
    // when only one side's files are analysed in this run, on that side.
    bool ForwardLater = Forward.Reportable != Reverse.Reportable
                            ? Forward.Reportable
                            : position(Reverse.Evidence->SecondAt) <
                                  position(Forward.Evidence->SecondAt);
    const LinkLockOrder &Here =
        *(ForwardLater ? Forward.Evidence : Reverse.Evidence);
    const LinkLockOrder &There =
        *(ForwardLater ? Reverse.Evidence : Forward.Evidence);
    ResolvedFinding F = acquisitionFinding(
        Here, LockOrderInversionCheck::pairReason(Here.FirstDisplay,
                                                  Here.SecondDisplay));
    // Then the other order's thread, as one TU gives it.
    unsigned Other = F.Notes.size();
    F.Notes.push_back({There.FirstAt, LockOrderInversionCheck::acquiredNote(
                                          "the other order: ", There.FirstDisplay)});
    addSecondNotes(F, There, "then ");
    addThreadPath(F, Other, /*Primary=*/false);
    Out.push_back(std::move(F));
  }
  reportCycles(Graph, Out);
  return Out;
}

} // namespace concur
