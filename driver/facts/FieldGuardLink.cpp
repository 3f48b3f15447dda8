//===- FieldGuardLink.cpp -------------------------------------------------===//

#include "driver/facts/FieldGuardLink.h"
#include "checks/UnguardedFieldCheck.h"
#include "checks/unguarded/GuardInference.h"
#include "llvm/ADT/StringMap.h"
#include <deque>
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

/// What the callers of a private helper hold, from every file's calls to
/// it: the locks held at all of them, whether each holds some lock, the
/// unlocked calls on the way to the first that holds none.
struct HelperContext {
  bool Known = false; ///< some caller outside set-up code
  std::vector<std::pair<const LinkAccessLock *, bool>> Locks; ///< with shared-only
  bool Serialised = true;
  std::vector<LinkFieldAccess::Caller> UnlockedChain; ///< outermost first
  std::set<unsigned> Units; ///< the units whose calls it comes from
  bool Report = false;      ///< one of them is reported in this run
};

class HelperContexts {
public:
  explicit HelperContexts(const std::vector<LinkInput> &Units) : Units(Units) {
    for (unsigned U = 0; U < Units.size(); ++U)
      for (const LinkHelperCall &C : Units[U].Facts->HelperCalls)
        (C.Virtual ? VirtualCalls : Calls)[C.CalleeUsr].push_back({U, &C});
  }

  /// The context of a helper, or null when no code outside set-up calls it.
  const HelperContext *of(const std::string &Usr) { return of(Usr, 0); }

  /// What the calls that may run an override hold (CalledAs: its USR, then
  /// those of the methods it overrides, which only unqualified calls reach).
  /// Unknown: the only calls are made by template members no file
  /// instantiates a caller of (nothing is known either way).
  enum class Callers { None, Unknown, AllLock, SomeUnlocked };
  Callers ofOverride(const std::vector<std::string> &CalledAs) {
    return ofOverride(CalledAs, 0).value_or(Callers::None);
  }

private:
  struct Site {
    unsigned Unit;
    const LinkHelperCall *C;
  };
  // A helper called by a helper of another file, called by ...: a chain
  // this long is not followed further (its calls count as unseen).
  static constexpr unsigned MaxDepth = 8;

  const HelperContext *of(const std::string &Usr, unsigned Depth) {
    auto Done = Contexts.find(Usr);
    if (Done != Contexts.end())
      return Done->second.Known ? &Done->second : nullptr;
    auto It = Calls.find(Usr);
    if (It == Calls.end() || Depth > MaxDepth || !Visiting.insert(Usr).second)
      return nullptr; // no callers, or a cycle of helpers: unknown
    HelperContext H;
    for (const Site &S : It->second) {
      const LinkHelperCall &C = *S.C;
      std::vector<std::pair<const LinkAccessLock *, bool>> AtSite;
      for (const LinkAccessLock &L : C.Held)
        AtSite.push_back({&L, L.Shared});
      bool SomeLock = C.SomeLock;
      std::vector<LinkFieldAccess::Caller> Chain = C.UnlockedCallers;
      if (C.CallerElsewhere) {
        const HelperContext *Up = of(C.CallerUsr, Depth + 1);
        if (!Up)
          continue; // its callers are not seen either
        for (auto &[L, Shared] : Up->Locks)
          AtSite.push_back({L, Shared});
        SomeLock |= Up->Serialised || !Up->Locks.empty();
        Chain = Up->UnlockedChain;
        H.Units.insert(Up->Units.begin(), Up->Units.end());
        H.Report |= Up->Report;
      }
      H.Units.insert(S.Unit);
      H.Report |= Units[S.Unit].Report;
      if (!H.Known) {
        H.Known = true;
        H.Locks = AtSite;
      } else {
        std::vector<std::pair<const LinkAccessLock *, bool>> Common;
        for (auto &[L, Shared] : H.Locks)
          for (auto &[M, MShared] : AtSite)
            if (L->Path == M->Path) {
              Common.push_back({L, Shared || MShared});
              break;
            }
        H.Locks = std::move(Common);
      }
      if (!SomeLock && H.UnlockedChain.empty() && H.Serialised) {
        H.UnlockedChain = std::move(Chain);
        H.UnlockedChain.push_back({C.Loc, C.Caller, C.Callee});
      }
      H.Serialised &= SomeLock;
    }
    Visiting.erase(Usr);
    HelperContext &Stored = Contexts[Usr] = std::move(H);
    return Stored.Known ? &Stored : nullptr;
  }

  /// std::nullopt when the override is being visited further up: a cycle
  /// of overrides calling one another (Poco's Expire::equals() asks the
  /// delegate it wraps, through the method it overrides itself), which
  /// the calls that enter the cycle decide.
  std::optional<Callers> ofOverride(const std::vector<std::string> &CalledAs,
                                    unsigned Depth) {
    const std::string &Own = CalledAs.front();
    auto Done = OverrideCallers.find(Own);
    if (Done != OverrideCallers.end())
      return Done->second;
    auto Open = llvm::find(OverrideStack, Own);
    if (Open != OverrideStack.end()) {
      LowestOpen = std::min<size_t>(LowestOpen, Open - OverrideStack.begin());
      return std::nullopt;
    }
    // A chain too long: no caller is known, as for an entry point.
    if (Depth > MaxDepth)
      return Callers::None;
    const size_t Index = OverrideStack.size();
    OverrideStack.push_back(Own);
    const size_t OuterLowest = LowestOpen;
    LowestOpen = SIZE_MAX;
    bool Any = false, Unlocked = false, Unseen = false;
    auto Visit = [&](const Site &S) {
      const LinkHelperCall &C = *S.C;
      bool Locked = C.SomeLock;
      if (!Locked && !C.CallerBases.empty()) {
        // The caller is an override called elsewhere itself.
        std::vector<std::string> Up{C.CallerUsr};
        Up.insert(Up.end(), C.CallerBases.begin(), C.CallerBases.end());
        std::optional<Callers> UpCallers = ofOverride(Up, Depth + 1);
        if (!UpCallers)
          return; // a call from within the cycle: no evidence either way
        // A template's member instantiated for its vtable (Poco's
        // DefaultStrategy<void>::remove), called only by template code no
        // file instantiates (AbstractEvent<void>::operator-=).
        if (*UpCallers == Callers::Unknown ||
            (*UpCallers == Callers::None && C.CallerInstantiated)) {
          Unseen = true;
          return;
        }
        Locked = *UpCallers == Callers::AllLock;
      } else if (!Locked && C.CallerElsewhere) {
        const HelperContext *H = of(C.CallerUsr, Depth + 1);
        if (!H)
          return; // a helper whose callers are not seen: no evidence
        Locked = H->Serialised || !H->Locks.empty();
      }
      Any = true;
      Unlocked |= !Locked;
    };
    for (size_t I = 0; I < CalledAs.size(); ++I) {
      auto It = VirtualCalls.find(CalledAs[I]);
      if (It != VirtualCalls.end())
        for (const Site &S : It->second)
          if (I == 0 || S.C->Dispatched)
            Visit(S);
    }
    OverrideStack.pop_back();
    Callers R = !Any      ? (Unseen ? Callers::Unknown : Callers::None)
                : Unlocked ? Callers::SomeUnlocked
                           : Callers::AllLock;
    // A result that left out the calls of an override still open further up
    // holds only inside that visit: it is not kept.
    if (LowestOpen >= Index)
      OverrideCallers[Own] = R;
    LowestOpen = std::min(OuterLowest, LowestOpen);
    return R;
  }

  const std::vector<LinkInput> &Units;
  std::map<std::string, std::vector<Site>> Calls, VirtualCalls;
  std::map<std::string, HelperContext> Contexts;
  std::set<std::string> Visiting;
  std::vector<std::string> OverrideStack; ///< the overrides being visited
  size_t LowestOpen = SIZE_MAX; ///< the outermost of them a cycle reached
  std::map<std::string, Callers> OverrideCallers;
};

/// An access of a helper whose callers are in other files, with what they
/// hold added, as the TU adds its own callers' locks.
LinkFieldAccess withCallers(const LinkFieldAccess &A, const HelperContext &H) {
  LinkFieldAccess R = A;
  R.SerialisedByCallers = H.Serialised && H.Locks.empty() && A.Held.empty();
  for (const auto &Entry : H.Locks) {
    const LinkAccessLock *L = Entry.first;
    if (llvm::none_of(R.Held, [&](const LinkAccessLock &M) { return M.Path == L->Path; })) {
      R.Held.push_back(*L);
      R.Held.back().Shared = Entry.second;
    }
  }
  R.UnlockedCallers = H.UnlockedChain;
  return R;
}

} // namespace

std::vector<ResolvedFinding> linkFieldGuards(const std::vector<LinkInput> &Units) {
  std::map<std::string, Variable> Variables;
  std::deque<LinkFieldAccess> Resolved; // accesses given their callers' context
  // Fields some unit saw their class copy without a lock: a value's. A
  // member of such a field ("opts_.size") is the value's too.
  std::set<std::string> Confined;
  for (const LinkInput &U : Units)
    for (const LinkFieldAccess &Fact : U.Facts->FieldAccesses)
      if (Fact.Confined)
        Confined.insert(Fact.Variable);
  auto IsConfined = [&](llvm::StringRef Name) {
    for (size_t Dot = Name.find('.'); Dot != llvm::StringRef::npos;
         Dot = Name.find('.', Dot + 1))
      if (Confined.count(Name.take_front(Dot).str()))
        return true;
    return Confined.count(Name.str()) > 0;
  };
  auto Add = [&](unsigned U, const LinkFieldAccess &Fact, const HelperContext *Context) {
    if (Fact.Confined || IsConfined(Fact.Variable))
      return;
    Variable &V = Variables[Fact.Variable];
    auto [It, New] = V.Index.try_emplace(accessKey(Fact), V.Accesses.size());
    if (New) {
      ProjectAccess P;
      P.A = Context ? &Resolved.emplace_back(withCallers(Fact, *Context)) : &Fact;
      for (const LinkAccessLock &H : P.A->Held) {
        auto [L, NewLock] = V.LockIndex.try_emplace(H.Path, V.Locks.size());
        if (NewLock) {
          V.Locks.push_back(&H);
          V.Declarations.push_back(nullptr);
        }
        if (!V.Declarations[L->second] && H.Declared.valid())
          V.Declarations[L->second] = &H;
        P.Locks.push_back({L->second, H.Shared});
      }
      if (Context)
        P.Report = Context->Report;
      V.Accesses.push_back(std::move(P));
      V.SeenBy.emplace_back();
      if (Context)
        V.SeenBy.back().insert(Context->Units.begin(), Context->Units.end());
    }
    ProjectAccess &P = V.Accesses[It->second];
    P.Report |= Units[U].Report;
    P.GuardedHere |= Fact.GuardedHere;
    V.SeenBy[It->second].insert(U);
  };
  for (unsigned U = 0; U < Units.size(); ++U)
    for (const LinkFieldAccess &Fact : Units[U].Facts->FieldAccesses)
      if (!Fact.CallersElsewhere)
        Add(U, Fact, nullptr);
  // Then the accesses of helpers whose callers are in other files, with
  // what those hold; one that a TU saw with its own callers' locks (a
  // helper inline in a header, called in one file and not in another) is
  // already in. A helper no code outside set-up calls stays unseen.
  HelperContexts Helpers(Units);
  for (unsigned U = 0; U < Units.size(); ++U)
    for (const LinkFieldAccess &Fact : Units[U].Facts->FieldAccesses)
      if (Fact.CallersElsewhere)
        if (const HelperContext *Context = Helpers.of(Fact.Function))
          Add(U, Fact, Context);
  std::vector<ResolvedFinding> Out;
  for (auto &[Name, V] : Variables)
    judge(V, Out);
  // A finding of an override whose callers are in other files stands
  // unless every call that may run it holds some lock (Poco's delegates'
  // equals(), run by the event strategies' remove() under the event's
  // mutex). With no such call in the project, it is an entry point,
  // unless the only calls are made by a template's members whose callers
  // no file instantiates: then nothing is known, and nothing reported.
  for (const LinkInput &U : Units) {
    if (!U.Report)
      continue;
    for (const ResolvedFinding &F : U.Facts->ConditionalFindings) {
      bool Withdrawn = llvm::all_of(F.CalledAs, [&](const std::vector<std::string> &Root) {
        HelperContexts::Callers C = Helpers.ofOverride(Root);
        return C == HelperContexts::Callers::AllLock ||
               C == HelperContexts::Callers::Unknown;
      });
      if (Withdrawn)
        continue;
      Out.push_back(F);
      Out.back().CalledAs.clear();
    }
  }
  return Out;
}

} // namespace concur
