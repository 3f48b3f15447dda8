//===- TranslationUnitAnalysis.cpp ----------------------------------------===//

#include "checks/engine/TranslationUnitAnalysis.h"
#include "checks/engine/ModelInference.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>
#include <set>

using namespace clang;

namespace concur {

AnalysisContext::AnalysisContext(ASTContext &AST, const ApiModels &M)
    : AST(AST), Models(M), CFGs(AST), LockFlow(AST, Models, Locks, CFGs),
      Blocking(AST, Models), Closes(AST, Models), Dones(AST, Models, Locks) {
  Locks.setContext(AST);
  LockFlow.setCloseSummaries(&Closes);
  LockFlow.setDoneSummaries(&Dones);
  Blocking.setLockFlow(&LockFlow);
  Dones.setAnalysis(&LockFlow);
}

namespace {

/// A walk over the user's code, template instantiations included. Library
/// code is modelled, not analysed: skipping whole declarations in system
/// headers (namespace std, its template instantiations) keeps the walk
/// proportional to the user's code rather than to what it includes.
template <typename Derived>
class UserCodeVisitor : public RecursiveASTVisitor<Derived> {
public:
  explicit UserCodeVisitor(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }

protected:
  const SourceManager &SM;
};

/// Collects the functions to analyse as entry points: every function with a
/// body outside system headers (template instantiations rather than their
/// patterns), and every lambda's call operator.
class EntryCollector : public UserCodeVisitor<EntryCollector> {
public:
  EntryCollector(const SourceManager &SM, const ModelMatcher &Models)
      : UserCodeVisitor(SM), Models(Models) {}


  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->isImplicit() || !FD->doesThisDeclarationHaveABody())
      return true;
    add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    add(L->getCallOperator());
    return true;
  }

  std::vector<const FunctionDecl *> Entries;

private:
  void add(const FunctionDecl *FD) {
    if (FD->isDependentContext() || FD->isInvalidDecl() || !FD->hasBody())
      return;
    if (SM.isInSystemHeader(FD->getLocation()) || implementsLockType(FD))
      return;
    if (Seen.insert(FD).second)
      Entries.push_back(FD);
  }
  /// The methods of a lock, guard or condition variable type (modelled, or
  /// annotated as a capability) are that type's implementation: checking
  /// them against their own model would report absl::Mutex's slow paths.
  bool implementsLockType(const FunctionDecl *FD) const {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || MD->getParent()->isLambda())
      return false;
    const CXXRecordDecl *RD = MD->getParent();
    if (RD->hasAttr<CapabilityAttr>() || RD->hasAttr<ScopedLockableAttr>())
      return true;
    const TypeModel *TM = Models.modelForRecord(RD);
    return TM && (TM->Kind == TypeKind::Mutex || TM->Kind == TypeKind::Guard ||
                  TM->Kind == TypeKind::ConditionVariable);
  }
  const ModelMatcher &Models;
  llvm::DenseSet<const FunctionDecl *> Seen;
};

/// Shows each entry, call and statement to every enabled check.
class ObserverList : public LockSetObserver {
public:
  std::vector<LockSetObserver *> Observers;
  void beginEntry(const FunctionDecl *Entry) override {
    for (auto &O : Observers)
      O->beginEntry(Entry);
  }
  void visitCall(const CallSite &Site) override {
    for (auto &O : Observers)
      O->visitCall(Site);
  }
  void visitStmt(const Stmt *S, const LockSet &Held,
                 llvm::ArrayRef<const Expr *> Via) override {
    for (auto &O : Observers)
      O->visitStmt(S, Held, Via);
  }
  void visitAcquire(const AcquireSite &Site) override {
    for (auto &O : Observers)
      O->visitAcquire(Site);
  }
  void endEntry(const FunctionDecl *Entry,
                llvm::ArrayRef<ExitPath> Exits) override {
    for (auto &O : Observers)
      O->endEntry(Entry, Exits);
  }
  void visitThreadDrop(const ThreadDrop &Drop) override {
    for (auto &O : Observers)
      O->visitThreadDrop(Drop);
  }
};

/// Every record and every object type of the user's code, so that the
/// model dump covers what the TU uses even where no check asked.
class ModelQuery : public UserCodeVisitor<ModelQuery> {
public:
  ModelQuery(const SourceManager &SM, const ModelMatcher &Models)
      : UserCodeVisitor(SM), Models(Models) {}
  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (RD->isThisDeclarationADefinition() && !RD->isLambda() &&
        !RD->isDependentContext()) {
      Models.modelForRecord(RD);
      Records.push_back(RD);
    }
    return true;
  }
  bool VisitValueDecl(ValueDecl *D) {
    if (isa<FieldDecl, VarDecl>(D) && !D->getType()->isDependentType())
      Models.modelForType(D->getType());
    return true;
  }
  std::vector<const CXXRecordDecl *> Records;

private:
  const ModelMatcher &Models;
};

/// The lock acquisitions of the user's code, and how each is known.
class AcquisitionCounter : public UserCodeVisitor<AcquisitionCounter> {
public:
  AcquisitionCounter(const SourceManager &SM, const ModelMatcher &Models,
                     std::vector<AcquisitionSite> &Out)
      : UserCodeVisitor(SM), Models(Models), Out(Out) {}
  bool VisitCallExpr(CallExpr *C) {
    MatchedEffect M = Models.effectOfCall(C);
    if (M) {
      if (acquires(*M.Fx))
        add(C->getExprLoc(), M.Type);
    } else if (const FunctionDecl *FD = C->getDirectCallee();
               FD && FD->hasAttr<AcquireCapabilityAttr>()) {
      Out.push_back({C->getExprLoc(), "attributes"});
    }
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    MatchedEffect M = Models.effectOfConstruct(E);
    if (M && M.Type && M.Type->Kind == TypeKind::Guard && acquires(*M.Fx))
      add(E->getBeginLoc(), M.Type);
    return true;
  }

private:
  static bool acquires(const Effect &E) {
    return E.Lock == LockOp::Acquire || E.Lock == LockOp::TryAcquire;
  }
  void add(SourceLocation Loc, const TypeModel *TM) {
    const char *How = "rule";
    if (TM && TM->Source == ModelSource::Attributes)
      How = "attributes";
    else if (TM && (TM->Source == ModelSource::Body ||
                    TM->Source == ModelSource::Project))
      How = "body";
    Out.push_back({Loc, How});
  }
  const ModelMatcher &Models;
  std::vector<AcquisitionSite> &Out;
};

std::string describeEffect(const Effect &E) {
  std::string Out;
  auto Add = [&](const std::string &S) { Out += (Out.empty() ? "" : " ") + S; };
  switch (E.Lock) {
  case LockOp::Acquire: Add("acquire"); break;
  case LockOp::TryAcquire: Add(E.SuccessIsZero ? "try_acquire(0 = taken)" : "try_acquire"); break;
  case LockOp::Release: Add("release"); break;
  case LockOp::Associate: Add("associate"); break;
  case LockOp::AssertHeld: Add("assert_held"); break;
  default: break;
  }
  if (E.Mode == LockMode::Shared)
    Out += "(shared)";
  if (E.ModeArg)
    Out += std::string(E.ModeArgMeansShared ? "(shared" : "(exclusive") +
           " if arg " + std::to_string(*E.ModeArg) + ")";
  if (!E.Args.isReceiver()) {
    std::string Args;
    for (unsigned I : E.Args.Indices)
      Args += (Args.empty() ? "" : ",") + std::to_string(I);
    Add("arg " + (E.Args.All ? std::string("all") : Args));
  }
  if (E.Block != BlockKind::None)
    Add(E.Block == BlockKind::Timed ? "blocks(timed)" : "blocks");
  if (E.ReleasesArg)
    Add("releasing arg " + std::to_string(*E.ReleasesArg));
  if (E.ReleasesThis)
    Add("releasing its lock");
  return Out;
}

std::vector<ModelReport> reportModels(ASTContext &AST, const ModelMatcher &Models) {
  ModelQuery Query(AST.getSourceManager(), Models);
  Query.TraverseAST(AST);
  std::vector<ModelReport> Out;
  for (auto [RD, TM] : Models.matchedRecords()) {
    ModelReport R;
    const CXXRecordDecl *Def = RD->getDefinition() ? RD->getDefinition() : RD;
    R.Loc = Def->getLocation();
    R.Type = ModelMatcher::matchName(Def);
    R.Kind = kindName(TM->Kind);
    switch (TM->Source) {
    case ModelSource::BuiltinRule: R.How = "built-in rule " + TM->Origin; break;
    case ModelSource::UserRule: R.How = "user rule " + TM->Origin; break;
    case ModelSource::Attributes: R.How = "thread-safety attributes"; break;
    case ModelSource::Body: R.How = "inferred from its body"; break;
    case ModelSource::Project:
      R.How = "inferred from its body in another translation unit (" +
              TM->Origin + ")";
      break;
    }
    if (TM->Names.size() == 1 && TM->Names[0] != R.Type)
      R.How += " for " + TM->Names[0]; // a derived class
    if (TM->Source == ModelSource::Attributes || TM->Source == ModelSource::Body ||
        TM->Source == ModelSource::Project) {
      std::vector<std::string> Parts;
      for (const Effect &E : TM->Constructor)
        Parts.push_back("constructor " + describeEffect(E));
      for (auto &KV : TM->Methods)
        for (const Effect &E : KV.second)
          Parts.push_back(KV.first().str() + " " + describeEffect(E));
      // One line per effect, not per variant of the argument count.
      std::sort(Parts.begin(), Parts.end());
      Parts.erase(std::unique(Parts.begin(), Parts.end()), Parts.end());
      for (const std::string &P : Parts)
        R.Detail += (R.Detail.empty() ? "" : ", ") + P;
    }
    Out.push_back(std::move(R));
  }
  // Lock-like classes left without a model: their bodies are elsewhere.
  for (const CXXRecordDecl *RD : Query.Records) {
    if (Models.modelForRecord(RD))
      continue;
    llvm::SmallVector<std::string, 4> Unseen;
    LockLikeInterface I = lockLikeInterface(RD);
    for (const CXXMethodDecl *MD : I.Operations)
      if (!MD->hasBody())
        Unseen.push_back(MD->getNameAsString());
    if (!I.lockLike() || Unseen.empty())
      continue;
    ModelReport R;
    R.Loc = RD->getLocation();
    R.Type = ModelMatcher::matchName(RD);
    for (const std::string &N : Unseen)
      R.Detail += (R.Detail.empty() ? "" : ", ") + N;
    R.Detail += Unseen.size() == 1 ? " has" : " have";
    R.Detail += " no body in this translation unit and no thread-safety "
                "attributes; add a rule (docs/rules-format.md)";
    Out.push_back(std::move(R));
  }
  return Out;
}

} // namespace

std::vector<Finding>
runTranslationUnitChecks(AnalysisContext &Ctx,
                         llvm::ArrayRef<TranslationUnitCheck *> Checks,
                         std::vector<Finding> &Findings,
                         const EngineOptions &Options) {
  ASTContext &AST = Ctx.AST;
  ObserverList Observers;
  Observers.Observers.assign(Checks.begin(), Checks.end());
  std::unique_ptr<LockSetObserver> CallRecorder;
  if (Options.Facts) {
    CallRecorder = makeExternalCallRecorder(Ctx, *Options.Facts);
    Observers.Observers.push_back(CallRecorder.get());
  }

  if (!Observers.Observers.empty()) {
    EntryCollector Collector(AST.getSourceManager(), Ctx.Models);
    Collector.TraverseAST(AST);
    // A function that takes no lock holds none: only a check that asks for
    // it (channels, threads, condition waits in lock-free code) needs its
    // CFG walked.
    auto Stale = [&] {
      return Options.Cancelled &&
             Options.Cancelled->load(std::memory_order_relaxed);
    };
    auto Needed = [&](const FunctionDecl *FD) {
      return llvm::any_of(Checks, [&](TranslationUnitCheck *C) {
        return C->needsEntry(FD);
      });
    };
    std::vector<const FunctionDecl *> Skipped;
    for (const FunctionDecl *FD : Collector.Entries) {
      if (Stale())
        return {};
      if (Ctx.LockFlow.mayAcquireLocks(FD) || Needed(FD))
        Ctx.LockFlow.analyze(FD, Observers);
      else
        Skipped.push_back(FD);
    }
    if (Stale())
      return {};
    for (TranslationUnitCheck *C : Checks) {
      C->analyzeRemaining(Skipped);
      C->finish();
      if (Options.Facts)
        C->recordFacts(*Options.Facts);
    }
  }

  if (Options.Facts) {
    recordFunctionFacts(Ctx, *Options.Facts);
    recordModelFacts(Ctx, *Options.Facts);
  }
  if (Options.Models)
    *Options.Models = reportModels(AST, Ctx.Models);
  if (Options.Acquisitions) {
    AcquisitionCounter Counter(AST.getSourceManager(), Ctx.Models,
                               *Options.Acquisitions);
    Counter.TraverseAST(AST);
  }

  // One finding per check and location: a call in a lambda replayed in its
  // caller is also seen when the lambda is analysed alone; the first (the
  // replay, which knows the caller's locks) wins.
  const SourceManager &SM = AST.getSourceManager();
  std::set<std::pair<std::string, unsigned>> Seen;
  std::vector<Finding> Unique;
  for (Finding &F : Findings)
    if (Seen.insert({F.CheckId, F.Loc.getRawEncoding()}).second)
      Unique.push_back(std::move(F));
  std::stable_sort(Unique.begin(), Unique.end(),
                   [&](const Finding &A, const Finding &B) {
                     if (A.Loc == B.Loc)
                       return A.CheckId < B.CheckId;
                     return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
                   });
  return Unique;
}

} // namespace concur
