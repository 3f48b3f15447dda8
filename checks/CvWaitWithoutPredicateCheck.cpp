//===- CvWaitWithoutPredicateCheck.cpp ------------------------------------===//

#include "checks/CvWaitWithoutPredicateCheck.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace concur {

namespace {

/// Whether a body makes a call that a model says is a condition wait.
class ConditionWaitFinder : public RecursiveASTVisitor<ConditionWaitFinder> {
public:
  explicit ConditionWaitFinder(const ModelMatcher &Models) : Models(Models) {}
  bool VisitCallExpr(CallExpr *C) {
    Found = CvWaitWithoutPredicateCheck::isConditionWait(Models.effectOfCall(C));
    return !Found; // stop at the first
  }
  bool Found = false;

private:
  const ModelMatcher &Models;
};

/// The blocks reachable from Start's successors (Start itself included:
/// its terminator runs after its statements), or, Backward, the blocks
/// from which Start is reachable (Start included).
llvm::BitVector reachable(const CFG &G, const CFGBlock *Start, bool Backward) {
  llvm::BitVector Seen(G.getNumBlockIDs());
  llvm::SmallVector<const CFGBlock *, 16> Work{Start};
  Seen.set(Start->getBlockID());
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    auto Visit = [&](const CFGBlock *N) {
      if (N && !Seen.test(N->getBlockID())) {
        Seen.set(N->getBlockID());
        Work.push_back(N);
      }
    };
    if (Backward)
      for (const CFGBlock *P : B->preds())
        Visit(P);
    else
      for (const CFGBlock *S : B->succs())
        Visit(S);
  }
  return Seen;
}

/// The block whose statements include S.
const CFGBlock *blockOf(const CFG &G, const Stmt *S) {
  for (const CFGBlock *B : G)
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>(); CS && CS->getStmt() == S)
        return B;
  return nullptr;
}

/// A terminator that decides on a condition the code computes: a loop's,
/// an `if`'s, a `switch`'s or a short-circuit's (not a `break`, a `goto`
/// or a `try`).
bool isConditionalBranch(const CFGBlock &B) {
  const Stmt *T = B.getTerminatorStmt();
  if (!T || B.succ_size() < 2)
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(T))
    return BO->isLogicalOp();
  return isa<IfStmt, WhileStmt, DoStmt, ForStmt, CXXForRangeStmt, SwitchStmt,
             ConditionalOperator, BinaryConditionalOperator>(T);
}

std::string sourceText(const Expr *E, const ASTContext &AST) {
  const SourceManager &SM = AST.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(
      SM.getExpansionRange(E->getSourceRange()).getAsRange());
  return Lexer::getSourceText(R, SM, AST.getLangOpts()).str();
}

} // namespace

bool CvWaitWithoutPredicateCheck::isConditionWait(const MatchedEffect &M) {
  if (!M || M.Fx->Block == BlockKind::None)
    return false;
  if (!M.Fx->ReleasesArg && !M.Fx->ReleasesThis)
    return false;
  // A free function (pthread_cond_wait, cnd_wait) or a condition variable's
  // method; a mutex that waits for its own condition (Await) re-checks it.
  return !M.Type || M.Type->Kind == TypeKind::ConditionVariable;
}

bool CvWaitWithoutPredicateCheck::needsEntry(const FunctionDecl *FD) {
  if (!FD->hasBody())
    return false;
  ConditionWaitFinder Finder(Ctx.Models);
  Finder.TraverseStmt(FD->getBody());
  return Finder.Found;
}

bool CvWaitWithoutPredicateCheck::hasPredicate(const CallSite &Site) const {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (!Call || !Site.Model.Fx->PredicateArg)
    return false;
  return splitCall(Call).Args.size() > *Site.Model.Fx->PredicateArg;
}

bool CvWaitWithoutPredicateCheck::recheckedByLoop(const CFG &G,
                                                  const Stmt *Wait) const {
  const CFGBlock *W = blockOf(G, Wait);
  if (!W)
    return true; // not in this CFG: nothing to say
  llvm::BitVector After = reachable(G, W, /*Backward=*/false);
  llvm::BitVector ReachesWait = reachable(G, W, /*Backward=*/true);
  for (const CFGBlock *C : G) {
    if (!After.test(C->getBlockID()) || !isConditionalBranch(*C))
      continue;
    // On a cycle through the wait, with a way off it: a loop condition
    // or an exit test evaluated after the wait. A branch the CFG found
    // constant (`while (true)`) has an unreachable successor, not an exit.
    bool Back = false, Leaves = false;
    for (const CFGBlock *S : C->succs()) {
      if (!S)
        continue;
      if (ReachesWait.test(S->getBlockID()))
        Back = true;
      else
        Leaves = true;
    }
    if (Back && Leaves)
      return true;
  }
  return false;
}

const Expr *
CvWaitWithoutPredicateCheck::guardingIfCondition(const Expr *Wait) const {
  const Stmt *Child = Wait;
  DynTypedNodeList Parents = Ctx.AST.getParents(*Wait);
  while (!Parents.empty()) {
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P || isa<LambdaExpr>(P))
      return nullptr;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      // The wait in the branch taken when the condition holds, not in the
      // condition itself (`if (cv.wait_for(...) == timeout)`).
      if (If->getThen() == Child && !If->isConsteval())
        return If->getCond();
      return nullptr;
    }
    if (isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt, SwitchStmt>(P))
      return nullptr;
    Child = P;
    Parents = Ctx.AST.getParents(*P);
  }
  return nullptr;
}

void CvWaitWithoutPredicateCheck::visitCall(const CallSite &Site) {
  // A lambda replayed in its caller is also analysed alone, where its own
  // CFG says whether it loops.
  if (!Site.InlinedVia.empty() || !CurrentEntry)
    return;
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (!Call || !isConditionWait(Site.Model) || hasPredicate(Site))
    return;
  if (Site.Model.Fx->TimeoutArg) {
    CallParts Parts = splitCall(Call);
    if (*Site.Model.Fx->TimeoutArg < Parts.Args.size() &&
        isZeroTimeout(Parts.Args[*Site.Model.Fx->TimeoutArg], Ctx.AST))
      return; // a poll, not a wait
  }
  const CFG *G = Ctx.CFGs.get(CurrentEntry);
  if (!G || recheckedByLoop(*G, Call))
    return;

  Finding F;
  F.CheckId = Id;
  F.Loc = Call->getExprLoc();
  F.EndLoc = ModelMatcher::calleeNameEnd(Call);
  std::string Callee = ModelMatcher::calleeName(Call, Site.Callee);
  F.Message = "'" + Callee +
              "' without a predicate is not in a loop that re-checks a "
              "condition after it: a spurious or stolen wakeup goes on as if "
              "the condition held";
  if (const Expr *Cond = guardingIfCondition(Call)) {
    std::string Text = sourceText(Cond, Ctx.AST);
    if (!Text.empty()) {
      F.Message += "; wait in 'while (" + Text + ")' rather than 'if'";
      F.Notes.push_back({Cond->getBeginLoc(),
                         "the condition to re-check after each wakeup"});
    }
  }
  Out.push_back(std::move(F));
}

} // namespace concur
