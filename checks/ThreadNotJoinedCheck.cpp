//===- ThreadNotJoinedCheck.cpp -------------------------------------------===//

#include "checks/ThreadNotJoinedCheck.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

static const char *Consequence =
    "destroying a joinable std::thread calls std::terminate";

void ThreadNotJoinedCheck::visitThreadDrop(const ThreadDrop &Drop) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Drop.Loc)))
    return;
  std::string Name = quoted(Drop.Var->getName());
  bool Surely = Drop.Fact.Possible == ThreadFact::Joinable;
  std::string What = Drop.Fact.Container
                         ? Name + " holds a std::thread that " +
                               (Surely ? "is still" : "may still be") + " joinable"
                         : "std::thread " + Name + " " +
                               (Surely ? "is still" : "may still be") + " joinable";
  std::string When;
  if (Drop.ByThrow)
    When = "when the exception thrown here leaves the function";
  else if (Drop.LeavesAt && isa<ReturnStmt>(Drop.LeavesAt))
    When = "when the function returns here";
  else if (Drop.LeavesAt)
    When = "when control leaves its scope here";
  else
    When = "when it goes out of scope here";
  Finding F;
  F.CheckId = Id;
  F.Loc = Drop.Loc;
  F.Message = What + " " + When + ": " + Consequence;
  std::string NotJoined =
      "not joined or detached on this path; join it on every path (or use "
      "std::jthread)";
  SourceLocation Declared = Drop.Var->getLocation();
  if (Drop.Fact.StartedAt.isValid()) {
    std::string Started = Drop.Fact.Container
                              ? "a thread is added to " + Name + " here"
                              : "the thread of " + Name + " is started here";
    if (Drop.Fact.StartedAt == Declared)
      Started = Name + " is started here, and " + NotJoined;
    F.Notes.push_back({Drop.Fact.StartedAt, Started});
    F.FlowStartNote = 0;
  }
  if (Drop.Fact.StartedAt != Declared)
    F.Notes.push_back({Declared, Name + " is " + NotJoined});
  Pending[Drop.Var].push_back(std::move(F));
}

void ThreadNotJoinedCheck::endEntry(const FunctionDecl *,
                                    llvm::ArrayRef<ExitPath>) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  // Threads dropped at the same place share one finding.
  llvm::DenseMap<unsigned, size_t> AtLoc;
  for (auto &[Var, Drops] : Pending) {
    llvm::stable_sort(Drops, [&](const Finding &A, const Finding &B) {
      return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
    });
    Finding F = std::move(Drops.front());
    for (unsigned I = 1; I < Drops.size(); ++I)
      if (Drops[I].Loc != F.Loc)
        F.Notes.push_back({Drops[I].Loc, "'" + Var->getName().str() +
                                             "' may also be dropped joinable here"});
    auto [It, New] = AtLoc.try_emplace(F.Loc.getRawEncoding(), Out.size());
    if (!New) {
      Finding &First = Out[It->second];
      std::string Also = "'" + Var->getName().str() + "' is also still joinable there";
      First.Notes.push_back(
          {F.Notes.empty() ? Var->getLocation() : F.Notes.front().Loc,
           Also + "; it is started here"});
      continue;
    }
    Out.push_back(std::move(F));
  }
  Pending.clear();
}

namespace {

/// Whether a body declares a local thread object, outside nested lambdas
/// (a lambda is its own entry).
class LocalThreadFinder : public RecursiveASTVisitor<LocalThreadFinder> {
public:
  bool Found = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
        threadObjectKind(VD->getType()) != ThreadObject::None) {
      Found = true;
      return false;
    }
    return true;
  }
};

bool isMember(const Expr *E, const FieldDecl *F) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return ME && ME->getMemberDecl() == F &&
         isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
}

/// A started thread: a construction with a callable, or a call's result.
bool startsThread(const Expr *E) {
  if (!E)
    return false;
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
    E = FC->getSubExpr()->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (CE->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(CE->getArg(0)))
      return false;
    if (CE->getConstructor() && CE->getConstructor()->isCopyOrMoveConstructor())
      return startsThread(CE->getArg(0));
    return true;
  }
  if (const auto *C = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = C->getDirectCallee();
    // std::move(other): whatever other was; count it as started.
    (void)FD;
    return true;
  }
  return false;
}

/// Where a class starts a member thread (or adds one to a member container),
/// and which of its functions join, detach or move it.
class MemberUses : public RecursiveASTVisitor<MemberUses> {
public:
  explicit MemberUses(const FieldDecl *F) : F(F) {}
  SourceLocation StartedAt;
  /// A use other than joinable() / get_id(): join, detach, a move, a
  /// helper given it.
  SourceLocation HandledAt;

  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    if (C->getOperator() == OO_Equal && C->getNumArgs() == 2 &&
        (isMember(C->getArg(0), F) || elementOf(C->getArg(0))) &&
        startsThread(C->getArg(1)))
      started(C->getExprLoc());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    const CXXMethodDecl *MD = C->getMethodDecl();
    if (!MD || !MD->getIdentifier() || !isMember(C->getImplicitObjectArgument(), F))
      return true;
    if (llvm::is_contained({"push_back", "emplace_back", "emplace", "insert",
                            "push_front", "emplace_front"},
                           MD->getName()))
      started(C->getExprLoc());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    if (ME->getMemberDecl() != F || HandledAt.isValid() || Passive.count(ME))
      return true;
    HandledAt = ME->getExprLoc();
    return true;
  }
  /// Uses that do not end the thread: the receiver of joinable(),
  /// get_id(), native_handle(), size(), empty(), push_back(), ...
  bool TraverseCXXMemberCallExpr(CXXMemberCallExpr *C) {
    const CXXMethodDecl *MD = C->getMethodDecl();
    if (MD && MD->getIdentifier() &&
        llvm::is_contained({"joinable", "get_id", "native_handle", "size",
                            "empty", "push_back", "emplace_back", "emplace",
                            "insert", "reserve", "push_front", "emplace_front"},
                           MD->getName()))
      if (const auto *ME = dyn_cast<MemberExpr>(
              C->getImplicitObjectArgument()->IgnoreParenImpCasts()))
        Passive.insert(ME);
    return RecursiveASTVisitor::TraverseCXXMemberCallExpr(C);
  }
  bool TraverseCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    // Assigning a new thread is a start, not an end.
    if (C->getOperator() == OO_Equal && C->getNumArgs() == 2 &&
        startsThread(C->getArg(1)))
      if (const auto *ME = dyn_cast<MemberExpr>(C->getArg(0)->IgnoreParenImpCasts()))
        Passive.insert(ME);
    return RecursiveASTVisitor::TraverseCXXOperatorCallExpr(C);
  }

private:
  void started(SourceLocation Loc) {
    if (StartedAt.isInvalid())
      StartedAt = Loc;
  }
  bool elementOf(const Expr *E) const {
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E->IgnoreParenImpCasts()))
      return Op->getOperator() == OO_Subscript && isMember(Op->getArg(0), F);
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E->IgnoreParenImpCasts()))
      return isMember(AS->getBase(), F);
    return false;
  }
  const FieldDecl *F;
  llvm::SmallPtrSet<const MemberExpr *, 4> Passive;
};

/// The functions a destructor runs (itself and what it calls, a few levels
/// deep), and whether one of the class's own methods it calls has no body
/// here (then concur cannot tell).
struct DestructorClosure {
  llvm::SmallVector<const FunctionDecl *, 8> Functions;
  bool Unknown = false;
};

class CalleeCollector : public RecursiveASTVisitor<CalleeCollector> {
public:
  llvm::SmallVector<const FunctionDecl *, 8> Callees;
  bool VisitCallExpr(CallExpr *C) {
    if (const FunctionDecl *FD = C->getDirectCallee())
      Callees.push_back(FD);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    if (C->getConstructor())
      Callees.push_back(C->getConstructor());
    return true;
  }
};

DestructorClosure closureOf(const CXXDestructorDecl *Dtor,
                            const CXXRecordDecl *RD, const SourceManager &SM) {
  DestructorClosure Out;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
  llvm::SmallVector<std::pair<const FunctionDecl *, unsigned>, 8> Work{{Dtor, 0}};
  while (!Work.empty()) {
    auto [FD, Depth] = Work.pop_back_val();
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def) {
      const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      if (MD && (MD->getParent() == RD || RD->isDerivedFrom(MD->getParent())))
        Out.Unknown = true;
      continue;
    }
    if (!Seen.insert(Def).second || SM.isInSystemHeader(Def->getLocation()))
      continue;
    Out.Functions.push_back(Def);
    if (Depth >= 4)
      continue;
    CalleeCollector C;
    C.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    for (const FunctionDecl *Callee : C.Callees)
      Work.push_back({Callee, Depth + 1});
  }
  return Out;
}

class RecordCollector : public RecursiveASTVisitor<RecordCollector> {
public:
  explicit RecordCollector(const SourceManager &SM) : SM(SM) {}
  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (RD->isThisDeclarationADefinition() && !RD->isLambda() &&
        !RD->isDependentContext() && RD->getLocation().isValid() &&
        !SM.isInSystemHeader(RD->getLocation()))
      Records.push_back(RD);
    return true;
  }
  std::vector<const CXXRecordDecl *> Records;

private:
  const SourceManager &SM;
};

} // namespace

bool ThreadNotJoinedCheck::needsEntry(const FunctionDecl *FD) {
  if (!FD->hasBody())
    return false;
  LocalThreadFinder Finder;
  Finder.TraverseStmt(FD->getBody());
  return Finder.Found;
}

void ThreadNotJoinedCheck::finish() {
  RecordCollector Records(Ctx.AST.getSourceManager());
  Records.TraverseAST(Ctx.AST);
  for (const CXXRecordDecl *RD : Records.Records)
    checkRecord(RD);
}

/// Runs a visitor over a function's body and, for a constructor, its
/// member initialisers.
template <typename V> static void traverseFunction(V &Visitor, const FunctionDecl *FD) {
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten())
        Visitor.TraverseStmt(Init->getInit());
  Visitor.TraverseStmt(const_cast<Stmt *>(FD->getBody()));
}

void ThreadNotJoinedCheck::checkRecord(const CXXRecordDecl *RD) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const FieldDecl *Field : RD->fields()) {
    if (threadObjectKind(Field->getType()) == ThreadObject::None)
      continue;
    bool Container =
        threadObjectKind(Field->getType()) == ThreadObject::Container;
    // Where the class starts it: an initialiser or one of its methods.
    SourceLocation StartedAt;
    if (const Expr *Init = Field->getInClassInitializer();
        Init && !Container && startsThread(Init))
      StartedAt = Init->getBeginLoc();
    llvm::SmallVector<const FunctionDecl *, 8> Methods;
    for (const Decl *D : RD->decls()) {
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        FD = FT->getTemplatedDecl();
      const FunctionDecl *Def = nullptr;
      if (FD && FD->hasBody(Def) && Def)
        Methods.push_back(Def);
    }
    for (const FunctionDecl *FD : Methods) {
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
        for (const CXXCtorInitializer *Init : Ctor->inits())
          if (Init->getMember() == Field && Init->isWritten() && !Container &&
              startsThread(Init->getInit()) && StartedAt.isInvalid())
            StartedAt = Init->getSourceLocation();
      if (StartedAt.isValid())
        break;
      MemberUses Uses(Field);
      traverseFunction(Uses, FD);
      StartedAt = Uses.StartedAt;
      if (StartedAt.isValid())
        break;
    }
    if (StartedAt.isInvalid())
      continue; // concur cannot see it started: nothing to say

    const CXXDestructorDecl *Dtor = RD->getDestructor();
    bool UserDtor = Dtor && Dtor->isUserProvided();
    llvm::SmallVector<const FunctionDecl *, 8> Closure;
    if (UserDtor) {
      DestructorClosure C = closureOf(Dtor, RD, SM);
      if (C.Unknown || C.Functions.empty())
        continue; // defined or helped elsewhere: concur cannot tell
      Closure = std::move(C.Functions);
    }
    bool Handled = false;
    for (const FunctionDecl *FD : Closure) {
      MemberUses Uses(Field);
      traverseFunction(Uses, FD);
      if (Uses.HandledAt.isValid()) {
        Handled = true;
        break;
      }
    }
    if (Handled)
      continue;
    // Some other method joins it: the owner must call that one first.
    const FunctionDecl *JoinedIn = nullptr;
    for (const FunctionDecl *FD : Methods) {
      if (isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD))
        continue;
      MemberUses Uses(Field);
      traverseFunction(Uses, FD);
      if (Uses.HandledAt.isValid()) {
        JoinedIn = FD;
        break;
      }
    }

    std::string Name = quoted(Field->getName());
    std::string Class = quoted(RD->getName());
    Finding F;
    F.CheckId = Id;
    F.Loc = UserDtor ? Dtor->getLocation() : Field->getLocation();
    std::string Dying = UserDtor ? quoted("~" + RD->getName().str()) +
                                       " never joins or detaches it"
                                 : "the class has no destructor that joins "
                                   "or detaches it";
    F.Message = std::string(Container ? "threads in member " : "thread member ") +
                Name + " of " + Class +
                " may still be joinable when the object is destroyed: " +
                Dying + ", and " + Consequence;
    F.Notes.push_back({StartedAt, Container ? "a thread is added to " + Name + " here"
                                            : Name + " is started here"});
    F.FlowStartNote = 0;
    if (UserDtor)
      F.Notes.push_back({Field->getLocation(), Name + " is declared here"});
    if (JoinedIn)
      F.Notes.push_back({JoinedIn->getLocation(),
                         quoted(JoinedIn->getNameAsString()) +
                             " joins it, but the destructor does not call it"});
    Out.push_back(std::move(F));
  }
}

} // namespace concur
