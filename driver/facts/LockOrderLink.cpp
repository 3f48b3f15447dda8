//===- LockOrderLink.cpp --------------------------------------------------===//

#include "driver/facts/LockOrderLink.h"
#include "checks/LockOrderInversionCheck.h"
#include "llvm/ADT/STLExtras.h"
#include <map>
#include <tuple>

namespace concur {

namespace {

std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

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
  std::string Name = quoted(E.SecondDisplay);
  F.Notes.push_back({E.SecondAt, E.Via.empty()
                                     ? Prefix.str() + "lock " + Name +
                                           " acquired here"
                                     : Prefix.str() + quoted(E.Via) +
                                           " acquires lock " + Name + " here"});
  F.Notes.insert(F.Notes.end(), E.Chain.begin(), E.Chain.end());
}

} // namespace

std::vector<ResolvedFinding> linkLockOrder(const std::vector<LinkInput> &Units) {
  std::map<std::pair<std::string, std::string>, ProjectEdge> Graph;
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
    std::string Held = quoted(Here.FirstDisplay);
    std::string Taken = quoted(Here.SecondDisplay);

    ResolvedFinding F;
    F.CheckId = LockOrderInversionCheck::Id;
    Finding Plain;
    Plain.CheckId = F.CheckId;
    F.Level = findingLevel(Plain);
    F.Loc = Here.SecondAt;
    F.Message = (Here.Via.empty() ? "lock " + Taken + " acquired"
                                  : "call to " + quoted(Here.Via) +
                                        " acquires lock " + Taken) +
                " while holding " + Held + ", but elsewhere " + Held +
                " is acquired while holding " + Taken +
                "; two threads taking them in these orders deadlock";
    F.Notes.push_back({Here.FirstAt, "lock " + Held + " acquired here"});
    F.FlowStartNote = 0;
    F.Notes.insert(F.Notes.end(), Here.Chain.begin(), Here.Chain.end());
    // One thread's path, then the other's (SARIF thread flows), as one TU
    // gives them.
    std::vector<unsigned> HerePath{0, Finding::PrimaryStep};
    for (unsigned I = 1; I < F.Notes.size(); ++I)
      HerePath.push_back(I);
    unsigned Other = F.Notes.size();
    F.Notes.push_back({There.FirstAt, "the other order: lock " +
                                          quoted(There.FirstDisplay) +
                                          " acquired here"});
    addSecondNotes(F, There, "then ");
    std::vector<unsigned> TherePath;
    for (unsigned I = Other; I < F.Notes.size(); ++I)
      TherePath.push_back(I);
    F.ThreadPaths = {std::move(HerePath), std::move(TherePath)};
    if (Here.Nolint)
      F.Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
    Out.push_back(std::move(F));
  }
  return Out;
}

} // namespace concur
