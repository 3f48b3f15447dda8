//===- LockOrderInversionCheck.cpp ----------------------------------------===//

#include "checks/LockOrderInversionCheck.h"
#include "checks/LockGraph.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

/// A lock path split into the object it belongs to ("*this", "" for a
/// global) and the key of its declaration ("Class::mu_", a global's name).
static std::pair<llvm::StringRef, llvm::StringRef> splitPath(llvm::StringRef P) {
  size_t Dot = P.rfind('.');
  if (Dot == llvm::StringRef::npos)
    return {"", P};
  return {P.take_front(Dot), P.drop_front(Dot + 1)};
}

void LockOrderInversionCheck::addEdges(LockId Second, const LockSet &Held,
                                       SourceLocation At,
                                       const std::vector<FindingNote> &Chain,
                                       llvm::StringRef Via) {
  for (auto &KV : Held) {
    if (KV.first == Second || !KV.second.held())
      continue;
    llvm::SmallVector<LockId, 2> Outer;
    for (auto &Other : Held)
      if (Other.first != KV.first && Other.second.held())
        Outer.push_back(Other.first);
    auto [It, New] = Edges.try_emplace({KV.first, Second});
    Edge &E = It->second;
    if (!New) {
      // Serialised only by a lock held at every acquisition of the edge;
      // the evidence shown is one with as few other locks as possible.
      bool Fewer = Outer.size() < E.Outer.size();
      llvm::erase_if(E.Outer,
                     [&](LockId L) { return !llvm::is_contained(Outer, L); });
      if (!Fewer)
        continue;
    } else {
      E.Outer = Outer;
    }
    E.FirstAt = KV.second.Acquired;
    E.SecondAt = At;
    E.Chain = Chain;
    E.Via = Via.str();
  }
}

void LockOrderInversionCheck::visitAcquire(const AcquireSite &Site) {
  if (Site.Try || Site.Held.isEmpty())
    return; // a try-lock backs off instead of waiting: no deadlock
  addEdges(Site.Lock, Site.Held, Site.Loc, {}, "");
}

void LockOrderInversionCheck::visitCall(const CallSite &Site) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (Site.Held.isEmpty() || Site.Model || !Call || !Site.Callee)
    return;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Site.Callee);
      MD && MD->getParent()->isLambda())
    return;
  if (Site.Callee->hasAttr<AcquireCapabilityAttr>())
    return; // seen by visitAcquire
  const AcquireSummary &S = Summaries.summaryOf(Site.Callee);
  for (unsigned I = 0; I < S.Acquires.size(); ++I) {
    if (AcquireSummaries::ruledOutAt(S.Acquires[I], Call, Ctx.AST))
      continue; // the call passes the flag that makes the callee skip it
    std::optional<LockId> Lock = AcquireSummaries::atCall(
        S.Acquires[I].Lock, Call, Ctx.LockFlow, Ctx.Locks);
    if (!Lock)
      continue;
    addEdges(*Lock, Site.Held, Site.E->getExprLoc(),
             Summaries.chainTo(Site.Callee, I),
             ModelMatcher::calleeName(Site.E, Site.Callee));
  }
}

namespace {

/// Collects the ACQUIRED_BEFORE / ACQUIRED_AFTER attributes of the TU's
/// fields and globals; function bodies are not entered.
class DeclaredOrderReader : public RecursiveASTVisitor<DeclaredOrderReader> {
public:
  using Order = llvm::StringMap<llvm::SmallVector<std::string, 2>>;
  Order &Before;
  llvm::StringMap<SourceLocation> &Where;
  const SourceManager &SM;
  DeclaredOrderReader(Order &Before, llvm::StringMap<SourceLocation> &Where,
                      const SourceManager &SM)
      : Before(Before), Where(Where), SM(SM) {}

  bool TraverseStmt(Stmt *) { return true; }
  bool VisitFieldDecl(FieldDecl *D) { return visit(D); }
  bool VisitVarDecl(VarDecl *D) {
    return D->hasGlobalStorage() ? visit(D) : true;
  }

private:
  static std::string keyOfArgument(const Expr *Arg) {
    std::string P = objectPath(Arg);
    return splitPath(P).second.str();
  }
  void add(const std::string &First, const std::string &Second,
           SourceLocation At) {
    if (First.empty() || Second.empty() || First == Second)
      return;
    // Where the macro that spells the attribute is used, if one does.
    if (Where.try_emplace(First + ">" + Second, SM.getExpansionLoc(At)).second)
      Before[First].push_back(Second);
  }
  bool visit(ValueDecl *D) {
    if (!D->hasAttrs())
      return true;
    std::string Self = variablePath(D);
    for (const auto *A : D->specific_attrs<AcquiredAfterAttr>())
      for (const Expr *Arg : A->args())
        add(keyOfArgument(Arg), Self, A->getLocation());
    for (const auto *A : D->specific_attrs<AcquiredBeforeAttr>())
      for (const Expr *Arg : A->args())
        add(Self, keyOfArgument(Arg), A->getLocation());
    return true;
  }
};

} // namespace

LockOrderInversionCheck::DeclaredOrder
LockOrderInversionCheck::readDeclaredOrder() const {
  DeclaredOrder D;
  DeclaredOrderReader Reader(D.Before, D.Where, Ctx.AST.getSourceManager());
  Reader.TraverseDecl(Ctx.AST.getTranslationUnitDecl());
  return D;
}

std::optional<SourceLocation>
LockOrderInversionCheck::declaredBefore(const DeclaredOrder &D, LockId Second,
                                        LockId First) const {
  auto [SecondBase, SecondKey] = splitPath(Ctx.Locks.path(Second));
  auto [FirstBase, FirstKey] = splitPath(Ctx.Locks.path(First));
  // Members' orders hold within one object; a global is ordered with all.
  if (SecondBase != FirstBase && !SecondBase.empty() && !FirstBase.empty())
    return std::nullopt;
  auto Start = D.Before.find(SecondKey);
  if (Start == D.Before.end())
    return std::nullopt;
  // Breadth-first over the declared order: it is transitive.
  llvm::StringSet<> Seen{SecondKey};
  std::deque<std::string> Work{SecondKey.str()};
  while (!Work.empty()) {
    std::string Key = Work.front();
    Work.pop_front();
    auto It = D.Before.find(Key);
    if (It == D.Before.end())
      continue;
    for (const std::string &Next : It->second) {
      if (Next == FirstKey)
        // Cite the declaration of the first step out of Second.
        return D.Where.lookup(SecondKey.str() + ">" + Start->second.front());
      if (Seen.insert(Next).second)
        Work.push_back(Next);
    }
  }
  return std::nullopt;
}

std::string LockOrderInversionCheck::acquisitionMessage(llvm::StringRef Held,
                                                        llvm::StringRef Taken,
                                                        llvm::StringRef Via) {
  return (Via.empty() ? "lock " + quoted(Taken) + " acquired"
                      : "call to " + quoted(Via) + " acquires lock " +
                            quoted(Taken)) +
         " while holding " + quoted(Held);
}

std::string LockOrderInversionCheck::pairReason(llvm::StringRef Held,
                                                llvm::StringRef Taken) {
  return ", but elsewhere " + quoted(Held) + " is acquired while holding " +
         quoted(Taken) + "; two threads taking them in these orders deadlock";
}

std::string
LockOrderInversionCheck::cycleReason(llvm::ArrayRef<llvm::StringRef> Round) {
  std::string Names;
  for (llvm::StringRef Name : Round)
    Names += (Names.empty() ? "" : " -> ") + quoted(Name);
  return " closes a cycle of " + std::to_string(Round.size() - 1) +
         " locks (" + Names + "); threads taking them in these orders deadlock";
}

std::string LockOrderInversionCheck::acquiredNote(llvm::StringRef Prefix,
                                                  llvm::StringRef Lock) {
  return Prefix.str() + "lock " + quoted(Lock) + " acquired here";
}

std::string LockOrderInversionCheck::secondNote(llvm::StringRef Prefix,
                                                llvm::StringRef Lock,
                                                llvm::StringRef Via) {
  return Via.empty() ? acquiredNote(Prefix, Lock)
                     : Prefix.str() + quoted(Via) + " acquires lock " +
                           quoted(Lock) + " here";
}

void LockOrderInversionCheck::addSecondNotes(Finding &F, const Edge &E,
                                             LockId Second,
                                             llvm::StringRef Prefix) const {
  F.Notes.push_back(
      {E.SecondAt, secondNote(Prefix, Ctx.Locks.displayName(Second), E.Via)});
  for (const FindingNote &N : E.Chain)
    F.Notes.push_back(N);
}

/// Notes[From..] as the path of one thread, for SARIF's thread flows;
/// with Primary, the finding's own location follows the path's first step
/// (the acquisition it starts from).
static void addThreadPath(Finding &F, unsigned From, bool Primary) {
  F.ThreadPaths.push_back(threadPath(From, F.Notes.size(), Primary));
}

/// The finding at Here's second acquisition: "lock 'T' acquired while holding
/// 'H'" (or "call to 'f' acquires lock 'T' ..."), then Why; its first note,
/// where the code flow starts, is where 'H' was taken.
Finding LockOrderInversionCheck::acquisitionFinding(const Edge &Here,
                                                    LockId Held, LockId Taken,
                                                    llvm::StringRef Why) const {
  llvm::StringRef HeldName = Ctx.Locks.displayName(Held);
  Finding F;
  F.CheckId = Id;
  F.Loc = Here.SecondAt;
  F.Message =
      acquisitionMessage(HeldName, Ctx.Locks.displayName(Taken), Here.Via) +
      Why.str();
  F.Notes.push_back({Here.FirstAt, acquiredNote("", HeldName)});
  F.FlowStartNote = 0;
  return F;
}

void LockOrderInversionCheck::reportAgainstDeclared(const EdgeKey &K,
                                                    const Edge &E,
                                                    SourceLocation DeclaredAt) {
  std::string Held = quoted(Ctx.Locks.displayName(K.first));
  std::string Taken = quoted(Ctx.Locks.displayName(K.second));
  Finding F = acquisitionFinding(
      E, K.first, K.second,
      ", against the declared order (" + Taken + " before " + Held +
          "); a thread taking them in the declared order deadlocks with "
          "this one");
  for (const FindingNote &N : E.Chain)
    F.Notes.push_back(N);
  addThreadPath(F, 0, /*Primary=*/true);
  F.Notes.push_back({DeclaredAt, "the order is declared here"});
  Out.push_back(std::move(F));
}

bool LockOrderInversionCheck::serialised(llvm::ArrayRef<const Edge *> Path,
                                         llvm::ArrayRef<LockId> Locks) const {
  // A lock held around every edge lets only one of them run at a time.
  return llvm::any_of(Path.front()->Outer, [&](LockId L) {
    return !llvm::is_contained(Locks, L) &&
           llvm::all_of(Path.drop_front(), [&](const Edge *E) {
             return llvm::is_contained(E->Outer, L);
           });
  });
}

std::set<LockOrderInversionCheck::EdgeKey>
LockOrderInversionCheck::reportPairs(const std::set<EdgeKey> &Live) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  std::set<EdgeKey> Paired;
  for (const EdgeKey &Key : Live) {
    LockId A = Key.first, B = Key.second;
    if (A > B || !Live.count({B, A}))
      continue; // each pair once, from its smaller id
    Paired.insert(Key);
    Paired.insert({B, A});
    const Edge &E = Edges.at(Key), &R = Edges.at({B, A});
    if (serialised({&E, &R}, {A, B}))
      continue;
    // Report at the later of the two second acquisitions, citing the other.
    bool ForwardLater = SM.isBeforeInTranslationUnit(R.SecondAt, E.SecondAt);
    const Edge &Here = ForwardLater ? E : R;
    const Edge &There = ForwardLater ? R : E;
    LockId HeldHere = ForwardLater ? A : B, TakenHere = ForwardLater ? B : A;
    llvm::StringRef Taken = Ctx.Locks.displayName(TakenHere);
    Finding F = acquisitionFinding(
        Here, HeldHere, TakenHere,
        pairReason(Ctx.Locks.displayName(HeldHere), Taken));
    for (const FindingNote &N : Here.Chain)
      F.Notes.push_back(N);
    addThreadPath(F, 0, /*Primary=*/true);
    unsigned Other = F.Notes.size();
    F.Notes.push_back({There.FirstAt, acquiredNote("the other order: ", Taken)});
    addSecondNotes(F, There, HeldHere, "then ");
    addThreadPath(F, Other, /*Primary=*/false);
    Out.push_back(std::move(F));
  }
  return Paired;
}

void LockOrderInversionCheck::reportCycles(const std::set<EdgeKey> &Live) {
  std::map<LockId, std::vector<LockId>> Succ;
  for (const EdgeKey &K : Live)
    Succ[K.first].push_back(K.second);
  // A pair is two edges both ways, and those are not here: every cycle
  // found has three locks or more.
  for (const std::vector<LockId> &Cycle : shortestCycles(Succ))
    reportCycle(Cycle);
}

void LockOrderInversionCheck::reportCycle(llvm::ArrayRef<LockId> Cycle) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  unsigned N = Cycle.size();
  llvm::SmallVector<const Edge *, 4> Path;
  for (unsigned I = 0; I < N; ++I)
    Path.push_back(&Edges.at({Cycle[I], Cycle[(I + 1) % N]}));
  if (serialised(Path, Cycle))
    return;
  // Report at the last acquisition in the TU that closes the cycle; the
  // story starts at the lock it takes and goes round back to it.
  unsigned Last = 0;
  for (unsigned I = 1; I < N; ++I)
    if (SM.isBeforeInTranslationUnit(Path[Last]->SecondAt, Path[I]->SecondAt))
      Last = I;
  const Edge &Here = *Path[Last];
  LockId HeldHere = Cycle[Last], TakenHere = Cycle[(Last + 1) % N];
  llvm::SmallVector<llvm::StringRef, 8> Round;
  for (unsigned I = 1; I <= N + 1; ++I)
    Round.push_back(Ctx.Locks.displayName(Cycle[(Last + I) % N]));
  Finding F = acquisitionFinding(Here, HeldHere, TakenHere, cycleReason(Round));
  for (const FindingNote &Note : Here.Chain)
    F.Notes.push_back(Note);
  addThreadPath(F, 0, /*Primary=*/true);
  for (unsigned I = 1; I < N; ++I) {
    unsigned At = (Last + I) % N;
    const Edge &E = *Path[At];
    unsigned From = F.Notes.size();
    F.Notes.push_back({E.FirstAt, acquiredNote("next in the cycle: ",
                                               Ctx.Locks.displayName(Cycle[At]))});
    addSecondNotes(F, E, Cycle[(At + 1) % N], "then ");
    addThreadPath(F, From, /*Primary=*/false);
  }
  Out.push_back(std::move(F));
}

void LockOrderInversionCheck::finish() {
  if (Edges.empty())
    return;
  std::set<EdgeKey> Live;
  DeclaredOrder Declared = readDeclaredOrder();
  for (auto &[Key, E] : Edges) {
    std::optional<SourceLocation> At =
        Declared.Before.empty() ? std::nullopt
                                : declaredBefore(Declared, Key.second, Key.first);
    if (!At) {
      Live.insert(Key);
      continue;
    }
    // Against the declaration: reported by itself, and out of the graph,
    // so the edge that follows the declared order pairs with nothing.
    reportAgainstDeclared(Key, E, *At);
  }
  Undeclared = Live;
  std::set<EdgeKey> Paired = reportPairs(Live);
  for (const EdgeKey &K : Paired)
    Live.erase(K);
  reportCycles(Live);
}

/// The name of a lock in every translation unit: a member's "Class::mu_",
/// a global's name; "" for a local, a parameter or a lock reached through a
/// call or an index (their paths hold an address or an operator).
static std::string projectKey(llvm::StringRef Path) {
  llvm::StringRef Key = splitPath(Path).second;
  if (Key.empty() || Key.find_first_of("@()[]*") != llvm::StringRef::npos)
    return "";
  return Key.str();
}

void LockOrderInversionCheck::recordFacts(TranslationUnitFacts &Out) {
  for (const EdgeKey &K : Undeclared) {
    std::string First = projectKey(Ctx.Locks.path(K.first));
    std::string Second = projectKey(Ctx.Locks.path(K.second));
    if (First.empty() || Second.empty() || First == Second)
      continue;
    const Edge &E = Edges.at(K);
    LockOrderFact F;
    F.First = std::move(First);
    F.Second = std::move(Second);
    F.FirstDisplay = Ctx.Locks.displayName(K.first).str();
    F.SecondDisplay = Ctx.Locks.displayName(K.second).str();
    F.FirstAt = E.FirstAt;
    F.SecondAt = E.SecondAt;
    F.Via = E.Via;
    F.Chain = E.Chain;
    for (LockId L : E.Outer)
      if (std::string Key = projectKey(Ctx.Locks.path(L)); !Key.empty())
        F.Outer.push_back(std::move(Key));
    Out.LockOrder.push_back(std::move(F));
  }
}

} // namespace concur
