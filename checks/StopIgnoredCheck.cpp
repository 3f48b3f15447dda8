//===- StopIgnoredCheck.cpp -----------------------------------------------===//

#include "checks/StopIgnoredCheck.h"
#include "checks/engine/BodySites.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

namespace {

std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

/// Every statement of a loop that runs as part of it: its condition,
/// increment and body (not a `for`'s init, which runs once before).
class LoopStatements : public RecursiveASTVisitor<LoopStatements> {
public:
  explicit LoopStatements(const Stmt *Loop) : Loop(Loop) {}
  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    if (const auto *For = dyn_cast<ForStmt>(Loop); For && S == For->getInit())
      return true;
    if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop);
        R && (S == R->getInit() || S == R->getRangeStmt()))
      return true;
    In.insert(S);
    return RecursiveASTVisitor::TraverseStmt(S);
  }
  llvm::DenseSet<const Stmt *> In;

private:
  const Stmt *Loop;
};

/// Whether the CFG has a path from the loop to code outside it: a block
/// whose statements are not the loop's, or the exit (a return, a throw, a
/// call to a noreturn function). Blocks without statements (scope ends,
/// destructors of the loop's locals, joins) are passed through.
bool loopHasExit(const CFG &G, const Stmt *Loop) {
  LoopStatements Stmts(Loop);
  Stmts.TraverseStmt(const_cast<Stmt *>(Loop));
  enum class Place { Inside, Outside, Passing };
  auto PlaceOf = [&](const CFGBlock *B) {
    if (B == &G.getExit())
      return Place::Outside;
    bool Any = false;
    auto Inside = [&](const Stmt *S) {
      Any |= S != nullptr;
      return S && Stmts.In.count(S);
    };
    for (const CFGElement &El : *B)
      if (auto CS = El.getAs<CFGStmt>(); CS && Inside(CS->getStmt()))
        return Place::Inside;
    if (Inside(B->getTerminatorStmt()))
      return Place::Inside;
    return Any ? Place::Outside : Place::Passing;
  };
  llvm::SmallVector<const CFGBlock *, 16> Work;
  llvm::DenseSet<const CFGBlock *> Seen;
  for (const CFGBlock *B : G)
    if (PlaceOf(B) == Place::Inside) {
      Work.push_back(B);
      Seen.insert(B);
    }
  if (Work.empty())
    return true; // not in the CFG (dead code): nothing to say
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S || !Seen.insert(S).second)
        continue;
      Place P = PlaceOf(S);
      if (P == Place::Outside)
        return true;
      if (P == Place::Passing)
        Work.push_back(S);
    }
  }
  return false;
}

/// Whether S sits in a try block of Body: a callee that throws leaves the
/// loop through the handler, which the CFG does not show.
bool insideTry(const Stmt *S, const Stmt *Body, ASTContext &AST) {
  for (unsigned Depth = 0; Depth < 256 && S && S != Body; ++Depth) {
    DynTypedNodeList Ps = AST.getParents(*S);
    if (Ps.empty())
      return false;
    const Stmt *P = Ps[0].get<Stmt>();
    if (const auto *Try = dyn_cast_or_null<CXXTryStmt>(P);
        Try && Try->getTryBlock() == S)
      return true;
    if (!P || isa<LambdaExpr>(P))
      return false;
    S = P;
  }
  return false;
}

bool isStdRecord(QualType T, llvm::StringRef Name) {
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == Name &&
         RD->isInStdNamespace();
}

bool isStopToken(QualType T) {
  return isStdRecord(T.getNonReferenceType(), "stop_token");
}

/// A type a member can be a stop flag of: a bool or an enumeration, an
/// integer named like one, their std::atomic, an atomic_flag, a
/// std::stop_source, or a project's atomic wrapper.
bool isFlagType(QualType T, llvm::StringRef Name) {
  if (T.isNull() || T->isReferenceType() || T->isDependentType())
    return false;
  if (T->isBooleanType() || T->isEnumeralType())
    return true;
  if (T->isIntegerType()) {
    std::string N = Name.lower();
    return llvm::any_of(
        llvm::ArrayRef<llvm::StringRef>{"stop", "shut", "quit", "exit", "run",
                                        "alive", "done", "cancel", "state",
                                        "terminat"},
        [&](llvm::StringRef W) { return llvm::StringRef(N).contains(W); });
  }
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
      Spec && Spec->isInStdNamespace() && RD->getName() == "atomic" &&
      Spec->getTemplateArgs().size() == 1 &&
      Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
    return isFlagType(Spec->getTemplateArgs()[0].getAsType(), Name);
  if (isStdRecord(T, "atomic_flag") || isStdRecord(T, "stop_source"))
    return true;
  return RD->getName().lower().find("atomic") != std::string::npos;
}

/// Whether a method's name says it stops the object.
bool isStopPath(const CXXMethodDecl *MD) {
  if (isa<CXXDestructorDecl>(MD))
    return true;
  if (!MD->getIdentifier())
    return false;
  std::string N = MD->getName().lower();
  return llvm::any_of(
      llvm::ArrayRef<llvm::StringRef>{"stop", "shutdown", "halt", "quit",
                                      "cancel", "terminate", "exit", "close",
                                      "interrupt", "abort", "kill", "finish"},
      [&](llvm::StringRef W) { return llvm::StringRef(N).contains(W); });
}

const FieldDecl *memberOfThis(const Expr *E) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// The writes of members of `this` in a body, and the member functions of
/// the same object it calls.
class MemberWrites : public RecursiveASTVisitor<MemberWrites> {
public:
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp())
      add(BO->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp())
      add(UO->getSubExpr());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    if (C->getOperator() == OO_Equal && C->getNumArgs() == 2)
      add(C->getArg(0));
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    const CXXMethodDecl *MD = C->getMethodDecl();
    if (!MD || !MD->getIdentifier())
      return true;
    if (llvm::is_contained({"store", "exchange", "test_and_set", "request_stop",
                            "compare_exchange_strong", "compare_exchange_weak"},
                           MD->getName()))
      add(C->getImplicitObjectArgument());
    else if (isa<CXXThisExpr>(C->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      Callees.push_back(MD);
    return true;
  }
  /// Each member written, and the occurrence that writes it.
  llvm::SmallVector<std::pair<const FieldDecl *, const Expr *>, 4> Writes;
  llvm::SmallVector<const CXXMethodDecl *, 4> Callees;

private:
  void add(const Expr *Target) {
    if (const FieldDecl *F = memberOfThis(Target))
      Writes.push_back({F, Target->IgnoreParenImpCasts()});
  }
};

/// The member functions of the same object a body calls directly.
class ThisCalls : public RecursiveASTVisitor<ThisCalls> {
public:
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    if (const CXXMethodDecl *MD = C->getMethodDecl();
        MD && isa<CXXThisExpr>(C->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      Callees.push_back(MD);
    return true;
  }
  llvm::SmallVector<const CXXMethodDecl *, 4> Callees;
};

/// Whether a body names a variable (a stop token or a copy of it), or
/// declares a std::stop_callback.
class TokenUses : public RecursiveASTVisitor<TokenUses> {
public:
  explicit TokenUses(const llvm::DenseSet<const VarDecl *> &Tokens)
      : Tokens(Tokens) {}
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *VD = dyn_cast<VarDecl>(E->getDecl()); VD && Tokens.count(VD))
      Found = true;
    return !Found;
  }
  bool Found = false;

private:
  const llvm::DenseSet<const VarDecl *> &Tokens;
};

/// The locals of a body that copy a stop token, and its stop callbacks.
class TokenCopies : public RecursiveASTVisitor<TokenCopies> {
public:
  explicit TokenCopies(llvm::DenseSet<const VarDecl *> &Tokens) : Tokens(Tokens) {}
  bool VisitVarDecl(VarDecl *VD) {
    if (isStdRecord(VD->getType(), "stop_callback") ||
        (VD->getType()->getAsCXXRecordDecl() &&
         VD->getType()->getAsCXXRecordDecl()->getIdentifier() &&
         VD->getType()->getAsCXXRecordDecl()->getName() == "stop_callback"))
      Callback = true;
    if (isStopToken(VD->getType()))
      Tokens.insert(VD); // `auto st = src.get_token();` is one too
    return true;
  }
  bool Callback = false;

private:
  llvm::DenseSet<const VarDecl *> &Tokens;
};

} // namespace

bool StopIgnoredCheck::needsEntry(const FunctionDecl *FD) {
  for (const Expr *E : sitesOfFunction(FD).Calls)
    if (spawnedTask(E, Ctx.Models))
      return true;
  return false;
}

void StopIgnoredCheck::visitCall(const CallSite &Site) {
  if (!Site.InlinedVia.empty())
    return;
  if (std::optional<SpawnedTask> T = spawnedTask(Site.E, Ctx.Models))
    checkTask(*T);
}

llvm::SmallVector<const Stmt *, 2>
StopIgnoredCheck::loopsWithoutExit(const FunctionDecl *FD) {
  llvm::SmallVector<const Stmt *, 2> Found;
  const CFG *G = FD->hasBody() ? Ctx.CFGs.get(FD) : nullptr;
  if (!G)
    return Found;
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const Stmt *L : sitesOf(FD->getBody()).Loops) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(L->getBeginLoc())))
      continue;
    // A loop inside one already found: the outer one is the finding.
    if (llvm::any_of(Found, [&](const Stmt *Outer) {
          return Outer->getSourceRange().fullyContains(L->getSourceRange());
        }))
      continue;
    if (!loopHasExit(*G, L) && !insideTry(L, FD->getBody(), Ctx.AST))
      Found.push_back(L);
  }
  return Found;
}

const llvm::SmallVector<StopIgnoredCheck::StopFlag, 2> &
StopIgnoredCheck::stopFlagsOf(const CXXRecordDecl *RD) {
  auto [It, Inserted] = Flags.try_emplace(RD);
  if (!Inserted || !RD->hasDefinition())
    return It->second;
  llvm::SmallVector<StopFlag, 2> Found;
  llvm::DenseSet<const FieldDecl *> Seen;
  // The stop paths, and the member functions they call (one level down:
  // `~Pump() { shutdown(); }`).
  auto Scan = [&](const CXXMethodDecl *MD, auto &ScanRef,
                  unsigned Depth) -> void {
    const FunctionDecl *Def = nullptr;
    if (!MD || !MD->hasBody(Def) || !Def || Depth > 1)
      return;
    MemberWrites W;
    W.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    for (auto [F, E] : W.Writes)
      if (isFlagType(F->getType(), F->getName()) && Seen.insert(F).second)
        Found.push_back({F, E, Def});
    for (const CXXMethodDecl *C : W.Callees)
      ScanRef(C, ScanRef, Depth + 1);
  };
  const CXXRecordDecl *Def = RD->getDefinition();
  for (const CXXMethodDecl *MD : Def->methods())
    if (!MD->isStatic() && isStopPath(MD))
      Scan(MD, Scan, 0);
  It = Flags.find(RD);
  It->second = std::move(Found);
  return It->second;
}

namespace {
class FieldReads : public RecursiveASTVisitor<FieldReads> {
public:
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *F = dyn_cast<FieldDecl>(E->getMemberDecl()))
      Fields.insert(F);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    if (const CXXMethodDecl *MD = C->getMethodDecl())
      Methods.push_back(MD);
    return true;
  }
  llvm::DenseSet<const FieldDecl *> Fields;
  llvm::SmallVector<const CXXMethodDecl *, 4> Methods;
};
} // namespace

bool StopIgnoredCheck::readsAny(const Stmt *S, const CXXRecordDecl *RD,
                                llvm::ArrayRef<StopFlag> Flags, unsigned Depth) {
  FieldReads R;
  R.TraverseStmt(const_cast<Stmt *>(S));
  for (const StopFlag &F : Flags)
    if (R.Fields.count(F.Field))
      return true;
  if (Depth >= 2)
    return false;
  for (const CXXMethodDecl *MD : R.Methods) {
    const FunctionDecl *Def = nullptr;
    if (MD->getParent()->getCanonicalDecl() != RD->getCanonicalDecl() &&
        !RD->isDerivedFrom(MD->getParent()))
      continue;
    if (MD->hasBody(Def) && Def && readsAny(Def->getBody(), RD, Flags, Depth + 1))
      return true;
  }
  return false;
}

/// The class whose object a thread body works on: a member function's, or
/// that of the member function a lambda capturing `this` is written in.
static const CXXRecordDecl *threadClass(const SpawnedTask &T) {
  if (T.Lambda) {
    if (!T.Lambda->getLambdaClass()->isCapturelessLambda() &&
        llvm::any_of(T.Lambda->captures(),
                     [](const LambdaCapture &C) { return C.capturesThis(); }))
      if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(
              T.Lambda->getLambdaClass()->getDeclContext()))
        return MD->getParent();
    return nullptr;
  }
  if (const auto *MD = dyn_cast<CXXMethodDecl>(T.Body))
    return MD->getParent();
  return nullptr;
}

void StopIgnoredCheck::checkTask(const SpawnedTask &T) {
  if (!T.Body || !CheckedBodies.insert(T.Body).second)
    return;
  // The stop tokens the callable receives, and the copies it makes.
  llvm::DenseSet<const VarDecl *> Tokens;
  const ParmVarDecl *Token = nullptr;
  for (const ParmVarDecl *P : T.Body->parameters())
    if (isStopToken(P->getType())) {
      Tokens.insert(P);
      Token = Token ? Token : P;
    }
  if (Token) {
    TokenCopies Copies(Tokens);
    Copies.TraverseStmt(T.Body->getBody());
    if (Copies.Callback)
      return; // a stop callback can end the loop from outside
    for (const Stmt *Loop : loopsWithoutExit(T.Body)) {
      TokenUses Uses(Tokens);
      Uses.TraverseStmt(const_cast<Stmt *>(Loop));
      if (!Uses.Found)
        reportToken(T, Loop, Token);
    }
    return;
  }

  const CXXRecordDecl *RD = threadClass(T);
  if (!RD)
    return;
  const llvm::SmallVector<StopFlag, 2> &Stops = stopFlagsOf(RD);
  if (Stops.empty())
    return;
  // The body, and the member functions of the object it runs (two levels:
  // `[this] { run(); }`, `void run() { loop(); }`).
  llvm::SmallVector<const FunctionDecl *, 4> Bodies{T.Body};
  llvm::DenseSet<const FunctionDecl *> Seen{T.Body};
  for (unsigned I = 0; I < Bodies.size() && I < 8; ++I) {
    ThisCalls Calls;
    Calls.TraverseStmt(Bodies[I]->getBody());
    for (const CXXMethodDecl *MD : Calls.Callees) {
      const FunctionDecl *Def = nullptr;
      if (MD->hasBody(Def) && Def && !isStopPath(MD) &&
          (MD->getParent() == RD || RD->isDerivedFrom(MD->getParent())) &&
          Seen.insert(Def).second)
        Bodies.push_back(Def);
    }
  }
  for (const FunctionDecl *FD : Bodies)
    for (const Stmt *Loop : loopsWithoutExit(FD))
      if (!readsAny(Loop, RD, Stops))
        reportFlag(T, Loop, Stops.front());
}

void StopIgnoredCheck::reportToken(const SpawnedTask &T, const Stmt *Loop,
                                   const ParmVarDecl *Token) {
  if (!Reported.insert(Loop).second)
    return;
  Finding F;
  F.CheckId = Id;
  F.Loc = Loop->getBeginLoc();
  F.Message = "this loop never consults the thread's std::stop_token and has "
              "no other way out: request_stop() cannot end it, and the join "
              "that follows (a std::jthread's destructor) blocks forever";
  F.Notes.push_back({T.Site->getBeginLoc(), "the thread is started here"});
  F.Notes.push_back(
      {Token->getLocation(),
       "the stop token " + quoted(Token->getName()) +
           " is received here; test stop_requested() in the loop, wait "
           "with it, or register a std::stop_callback"});
  Out.push_back(std::move(F));
}

void StopIgnoredCheck::reportFlag(const SpawnedTask &T, const Stmt *Loop,
                                  const StopFlag &Flag) {
  if (!Reported.insert(Loop).second)
    return;
  std::string Name = quoted(Flag.Field->getName());
  std::string Writer = quoted(ModelMatcher::matchName(Flag.Writer));
  Finding F;
  F.CheckId = Id;
  F.Loc = Loop->getBeginLoc();
  F.Message = "this loop on a thread has no way out and never reads the "
              "stop flag " + Name + ": " + Writer +
              " cannot end it, and a join that waits for the thread blocks "
              "forever";
  F.Notes.push_back({T.Site->getBeginLoc(), "the thread is started here"});
  F.Notes.push_back({Flag.Write->getExprLoc(),
                     Name + " is set here, in " + Writer +
                         "; test it in the loop's condition or leave the loop "
                         "when it is set"});
  Out.push_back(std::move(F));
}

} // namespace concur
