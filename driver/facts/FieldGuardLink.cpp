//===- FieldGuardLink.cpp -------------------------------------------------===//

#include "driver/facts/FieldGuardLink.h"
#include "checks/UnguardedFieldCheck.h"
#include "checks/unguarded/GuardInference.h"
#include "llvm/ADT/StringMap.h"
#include <map>
#include <set>

namespace concur {

namespace {

/// One access of the project, however many TUs saw it (an inline method of
/// a header is analysed in every TU that includes it).
struct ProjectAccess {
  const LinkFieldAccess *A = nullptr;
  bool Report = false;      ///< a unit of this run saw it
  bool GuardedHere = false; ///< a unit decided it with a guard of its own
  /// The variable's locks it holds, by index into Variable::Locks, with
  /// whether only in shared mode.
  llvm::SmallVector<std::pair<unsigned, bool>, 2> Locks;
  std::optional<bool> sharedOnly(unsigned L) const {
    std::optional<bool> Shared;
    for (auto &[I, S] : Locks)
      if (I == L)
        Shared = Shared.value_or(true) && S;
    return Shared;
  }
};

struct Variable {
  std::vector<ProjectAccess> Accesses;
  llvm::StringMap<unsigned> Index; ///< by location and function
  std::vector<std::set<unsigned>> SeenBy;
  /// The locks held at its accesses, by path; the first sighting names them.
  std::vector<const LinkAccessLock *> Locks;
  llvm::StringMap<unsigned> LockIndex;
  /// Per lock, the first sighting that saw its declaration (or null).
  std::vector<const LinkAccessLock *> Declarations;
};

std::string accessKey(const LinkFieldAccess &A) {
  return A.Loc.File + ':' + std::to_string(A.Loc.Line) + ':' +
         std::to_string(A.Loc.Column) + '\0' + A.Function + (A.IsWrite ? "w" : "r");
}

std::string quotedList(const Variable &V, llvm::ArrayRef<unsigned> Locks,
                       const char *Conj) {
  std::string S;
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (I)
      S += I + 1 == Locks.size() ? std::string(" ") + Conj + " " : ", ";
    S += "'" + V.Locks[Locks[I]]->Name + "'";
  }
  return S;
}

void judge(const Variable &V, std::vector<ResolvedFinding> &Out) {
  // One TU saw every access: it decided, alone as in the project.
  std::map<unsigned, size_t> PerUnit;
  for (const std::set<unsigned> &Units : V.SeenBy)
    for (unsigned U : Units)
      ++PerUnit[U];
  for (auto &[U, N] : PerUnit)
    if (N == V.Accesses.size())
      return;

  const std::string &Fn = V.Accesses.front().A->Function;
  bool SingleFunction = llvm::all_of(V.Accesses, [&](const ProjectAccess &P) {
    return P.A->Function == Fn && !P.A->OnOtherThread;
  });
  auto Holds = [](const ProjectAccess &P, unsigned L) {
    return P.sharedOnly(L).has_value();
  };
  unguarded::InferredGuard<unsigned> G = unguarded::inferGuard<unsigned>(
      V.Accesses, [](const ProjectAccess &P) { return P.A->IsWrite; },
      [](const ProjectAccess &P) {
        llvm::SmallVector<unsigned, 2> Ls;
        for (auto &[I, S] : P.Locks)
          if (!llvm::is_contained(Ls, I))
            Ls.push_back(I);
        return Ls;
      },
      Holds, SingleFunction);
  // The link accuses a file that had no evidence of its own: it wants the
  // guard held at two writes at least. One locked write is, in practice,
  // initialisation done under a lock taken for something else (RocksDB's
  // DBImpl::Recover sets default_cf_handle_ with mutex_ held, before the
  // database is returned to anyone).
  if (G.Guard.empty() || G.WritesUnderGuard < 2)
    return;
  llvm::ArrayRef<unsigned> Guard = G.Guard;

  std::vector<const ProjectAccess *> Guarded;
  unsigned Held = 0, HeldWrites = 0;
  for (const ProjectAccess &P : V.Accesses) {
    bool All = llvm::all_of(Guard, [&](unsigned L) { return Holds(P, L); });
    bool Any = llvm::any_of(Guard, [&](unsigned L) { return Holds(P, L); });
    if (All || (Any && !P.A->IsWrite)) {
      ++Held;
      HeldWrites += P.A->IsWrite;
      Guarded.push_back(&P);
    }
  }
  std::string GuardAnd = quotedList(V, Guard, "and");
  std::string Why = Guard.size() == 1
                        ? UnguardedFieldCheck::heldReason(GuardAnd, Held,
                                                          V.Accesses.size(), HeldWrites)
                        : UnguardedFieldCheck::allHeldReason(
                              GuardAnd, G.WritesUnderGuard, G.Writes);

  for (const ProjectAccess &P : V.Accesses) {
    const LinkFieldAccess &A = *P.A;
    if (!P.Report || P.GuardedHere || A.SerialisedByCallers)
      continue;
    llvm::SmallVector<unsigned, 2> Missing, Shared;
    for (unsigned L : Guard) {
      std::optional<bool> S = P.sharedOnly(L);
      if (!S)
        Missing.push_back(L);
      else if (*S)
        Shared.push_back(L);
    }
    bool OK = A.IsWrite ? Missing.empty() && Shared.empty()
                        : Missing.size() < Guard.size();
    if (OK)
      continue;

    ResolvedFinding F = linkFinding(UnguardedFieldCheck::Id, A.Loc);
    F.Level = A.Note ? "note" : "warning";
    std::string What = "'" + A.Name + "'";
    if (A.IsWrite && Missing.empty())
      F.Message = UnguardedFieldCheck::sharedWriteMessage(
          A.Kind, What, quotedList(V, Shared, "and"), Shared.size(), Why);
    else
      F.Message = UnguardedFieldCheck::accessMessage(
          A.Kind, What, A.IsWrite,
          A.IsWrite ? quotedList(V, Missing, "and") : quotedList(V, Guard, "or"),
          A.OnOtherThread, Why);
    // Evidence: the first few guarded accesses, a write among them.
    llvm::SmallVector<const ProjectAccess *, 3> Shown;
    for (const ProjectAccess *Q : Guarded)
      if (Q != &P && Shown.size() < 3)
        Shown.push_back(Q);
    if (llvm::none_of(Shown, [](const ProjectAccess *Q) { return Q->A->IsWrite; }))
      for (const ProjectAccess *Q : Guarded)
        if (Q->A->IsWrite && Q != &P && !Shown.empty()) {
          Shown.back() = Q;
          break;
        }
    for (const ProjectAccess *Q : Shown) {
      llvm::SmallVector<unsigned, 2> There;
      for (unsigned L : Guard)
        if (Holds(*Q, L))
          There.push_back(L);
      F.Notes.push_back({Q->A->Loc, UnguardedFieldCheck::guardedNote(
                                        What, Q->A->IsWrite,
                                        quotedList(V, There, "and"))});
    }
    for (unsigned L : Guard)
      if (const LinkAccessLock *D = V.Declarations[L])
        F.Notes.push_back({D->Declared, UnguardedFieldCheck::declaredNote(
                                            "'" + D->Name + "'", D->Where)});
    std::string GuardOr = quotedList(V, Guard, "or");
    for (const LinkFieldAccess::Caller &C : A.UnlockedCallers)
      F.CallChain.push_back(
          {C.Loc, UnguardedFieldCheck::unlockedCallNote(C.Caller, C.Callee, GuardOr)});
    if (A.Nolint)
      F.Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
    Out.push_back(std::move(F));
  }
}

} // namespace

std::vector<ResolvedFinding> linkFieldGuards(const std::vector<LinkInput> &Units) {
  std::map<std::string, Variable> Variables;
  for (unsigned U = 0; U < Units.size(); ++U)
    for (const LinkFieldAccess &A : Units[U].Facts->FieldAccesses) {
      Variable &V = Variables[A.Variable];
      auto [It, New] = V.Index.try_emplace(accessKey(A), V.Accesses.size());
      if (New) {
        ProjectAccess P;
        P.A = &A;
        for (const LinkAccessLock &H : A.Held) {
          auto [L, NewLock] = V.LockIndex.try_emplace(H.Path, V.Locks.size());
          if (NewLock) {
            V.Locks.push_back(&H);
            V.Declarations.push_back(nullptr);
          }
          if (!V.Declarations[L->second] && H.Declared.valid())
            V.Declarations[L->second] = &H;
          P.Locks.push_back({L->second, H.Shared});
        }
        V.Accesses.push_back(std::move(P));
        V.SeenBy.emplace_back();
      }
      ProjectAccess &P = V.Accesses[It->second];
      P.Report |= Units[U].Report;
      P.GuardedHere |= A.GuardedHere;
      V.SeenBy[It->second].insert(U);
    }
  std::vector<ResolvedFinding> Out;
  for (auto &[Name, V] : Variables)
    judge(V, Out);
  return Out;
}

} // namespace concur
