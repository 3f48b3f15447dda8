//===- TranslationUnitFacts.cpp -------------------------------------------===//

#include "checks/engine/facts/TranslationUnitFacts.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>

using namespace clang;

namespace concur {

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (!D || index::generateUSRForDecl(D, Buf))
    return "";
  return Buf.str().str();
}

/// Library code is modelled, not followed (as BlockingSummaries does).
static bool isLibraryFunction(const FunctionDecl *FD, const SourceManager &SM) {
  const FunctionDecl *Def = nullptr;
  FD->hasBody(Def);
  SourceLocation Loc = (Def ? Def : FD->getCanonicalDecl())->getLocation();
  return Loc.isValid() && SM.isInSystemHeader(Loc);
}

static bool isLambdaCallOperator(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}

namespace {

class ExternalCallRecorder : public LockSetObserver {
public:
  ExternalCallRecorder(AnalysisContext &Ctx, TranslationUnitFacts &Out)
      : Ctx(Ctx), Out(Out) {}

  void beginEntry(const FunctionDecl *Entry) override { CallerUsr = usrOf(Entry); }

  void visitCall(const CallSite &Site) override {
    const auto *Call = dyn_cast<CallExpr>(Site.E);
    if (Site.Held.isEmpty() || Site.Model || !Call || !Site.Callee ||
        isLambdaCallOperator(Site.Callee))
      return;
    // A callee with a body here that blocks was decided by the check; one
    // that does not may still block through a callee of another file.
    if (Site.Callee->hasBody() && Ctx.Blocking.summaryOf(Site.Callee).Blocks)
      return;
    const SourceManager &SM = Ctx.AST.getSourceManager();
    if (isLibraryFunction(Site.Callee, SM))
      return;
    // A lambda replayed in its caller is seen again alone: the first (the
    // replay, which knows the caller's locks) wins, as for findings.
    if (!Seen.insert(Call->getExprLoc().getRawEncoding()).second)
      return;
    ExternalCallFact F;
    F.CalleeUsr = usrOf(Site.Callee);
    if (F.CalleeUsr.empty())
      return;
    F.CallerUsr = CallerUsr;
    F.CalleeName = ModelMatcher::calleeName(Call, Site.Callee);
    F.Loc = Call->getExprLoc();
    F.EndLoc = ModelMatcher::calleeNameEnd(Call);
    // Held on every path: not a lock taken only when a condition holds.
    std::vector<std::pair<LockId, LockFact>> Held;
    for (auto &KV : Site.Held)
      if (KV.second.held() && !llvm::is_contained(Site.ReleasedWhileBlocked, KV.first) &&
          !Ctx.Locks.isConditional(KV.first))
        Held.push_back({KV.first, KV.second});
    if (Held.empty())
      return;
    std::stable_sort(Held.begin(), Held.end(), [&](auto &A, auto &B) {
      return SM.isBeforeInTranslationUnit(A.second.Acquired, B.second.Acquired);
    });
    for (auto &[Id, Fact] : Held)
      F.Held.push_back({Ctx.Locks.displayName(Id).str(), Ctx.Locks.path(Id).str(),
                        Fact.Acquired, Fact.Mode == LockMode::Shared,
                        Fact.Asserted});
    CallParts Parts = splitCall(Call);
    for (unsigned I = 0; I < Parts.Args.size(); ++I) {
      std::vector<unsigned> Denoted;
      for (LockId L : Ctx.LockFlow.locksOfArgument(Parts.Args[I]))
        for (unsigned H = 0; H < Held.size(); ++H)
          if (Held[H].first == L)
            Denoted.push_back(H);
      if (!Denoted.empty())
        F.ArgumentLocks.push_back({I, std::move(Denoted)});
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *Receiver = MC->getImplicitObjectArgument())
        F.ReceiverPath = Receiver->getType()->isPointerType()
                             ? pointeePath(Receiver)
                             : objectPath(Receiver);
    for (const Expr *Via : Site.InlinedVia)
      F.InlinedVia.push_back(Via->getExprLoc());
    Out.Calls.push_back(std::move(F));
  }

private:
  AnalysisContext &Ctx;
  TranslationUnitFacts &Out;
  std::string CallerUsr;
  llvm::DenseSet<SourceLocation::UIntTy> Seen;
};

/// Every function with a body in the user's code, template instantiations
/// rather than their patterns, and every lambda's call operator.
class DefinitionCollector : public RecursiveASTVisitor<DefinitionCollector> {
public:
  explicit DefinitionCollector(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->isImplicit() && FD->doesThisDeclarationHaveABody())
      add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    add(L->getCallOperator());
    return true;
  }
  std::vector<const FunctionDecl *> Definitions;

private:
  void add(const FunctionDecl *FD) {
    if (FD->isDependentContext() || FD->isInvalidDecl() || !FD->hasBody())
      return;
    if (Seen.insert(FD).second)
      Definitions.push_back(FD);
  }
  const SourceManager &SM;
  llvm::DenseSet<const FunctionDecl *> Seen;
};

FunctionFact functionFact(AnalysisContext &Ctx, const FunctionDecl *FD) {
  FunctionFact F;
  F.Usr = usrOf(FD);
  F.Name = ModelMatcher::matchName(FD);
  F.Internal = !FD->isExternallyVisible();
  BlockSummary S = Ctx.Blocking.summaryOf(FD);
  F.UnlocksCallersLock = S.UnlocksCallersLock;
  if (S.Blocks && S.Direct) {
    F.BlocksDirectly = true;
    F.Kind = S.Kind;
    F.Operation = ModelMatcher::calleeName(S.Site, S.Callee);
    F.OperationLoc = S.Site->getExprLoc();
    F.ReleasesParam = S.ReleasesParam;
    F.ReleasesMemberPath = S.ReleasesMemberPath;
    F.ReleasesUnknownLock = S.ReleasesUnknownLock;
    return F; // a direct block is the best explanation, as per TU
  }
  const SourceManager &SM = Ctx.AST.getSourceManager();
  const FunctionDecl *Def = nullptr;
  FD->hasBody(Def);
  for (const CallExpr *C : directCalls(Def->getBody())) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee || Ctx.Models.effectOfCall(C) ||
        Callee->getCanonicalDecl() == FD->getCanonicalDecl() ||
        isLibraryFunction(Callee, SM))
      continue;
    std::string Usr = usrOf(Callee);
    if (!Usr.empty())
      F.Calls.push_back({std::move(Usr), ModelMatcher::calleeName(C, Callee),
                         C->getExprLoc(), Callee});
  }
  return F;
}

} // namespace

std::unique_ptr<LockSetObserver> makeExternalCallRecorder(AnalysisContext &Ctx,
                                                          TranslationUnitFacts &Out) {
  return std::make_unique<ExternalCallRecorder>(Ctx, Out);
}

void recordFunctionFacts(AnalysisContext &Ctx, TranslationUnitFacts &Out) {
  DefinitionCollector Collector(Ctx.AST.getSourceManager());
  Collector.TraverseAST(Ctx.AST);
  std::vector<FunctionFact> All;
  llvm::DenseMap<const FunctionDecl *, unsigned> IndexOf; // canonical decls
  for (const FunctionDecl *FD : Collector.Definitions) {
    FunctionFact F = functionFact(Ctx, FD);
    if (F.Usr.empty())
      continue;
    IndexOf.try_emplace(FD->getCanonicalDecl(), All.size());
    All.push_back(std::move(F));
  }

  // The link needs only the functions that may block in some TU: those
  // that block themselves, or call, directly or through functions defined
  // here, one whose body this TU does not have. The others cannot block
  // anywhere (a definition is the same in every TU that has one), and a
  // callee the link finds no facts for counts as not blocking, as they
  // would; on RocksDB they are most of the inline functions of the headers
  // every file includes. A callee with a body here that is not collected
  // (implicit, or a library's) is never in any TU's facts: no edge either.
  auto CalleeIndex = [&](const CalleeFact &C) -> std::optional<unsigned> {
    auto It = IndexOf.find(C.Callee->getCanonicalDecl());
    if (It == IndexOf.end())
      return std::nullopt;
    return It->second;
  };
  std::vector<bool> Open(All.size(), false);
  std::vector<std::vector<unsigned>> Callers(All.size());
  std::vector<unsigned> Work;
  for (unsigned I = 0; I < All.size(); ++I) {
    bool Seed = All[I].BlocksDirectly;
    for (const CalleeFact &C : All[I].Calls) {
      if (std::optional<unsigned> J = CalleeIndex(C))
        Callers[*J].push_back(I);
      else if (!C.Callee->hasBody())
        Seed = true; // defined in another TU, or nowhere we can see
    }
    if (Seed) {
      Open[I] = true;
      Work.push_back(I);
    }
  }
  while (!Work.empty()) {
    unsigned J = Work.back();
    Work.pop_back();
    for (unsigned I : Callers[J])
      if (!Open[I]) {
        Open[I] = true;
        Work.push_back(I);
      }
  }
  for (unsigned I = 0; I < All.size(); ++I) {
    if (!Open[I])
      continue;
    FunctionFact &F = All[I];
    llvm::erase_if(F.Calls, [&](const CalleeFact &C) {
      if (std::optional<unsigned> J = CalleeIndex(C))
        return !Open[*J];
      return C.Callee->hasBody();
    });
    Out.Functions.push_back(std::move(F));
  }
}

} // namespace concur
