//===- ModelFacts.cpp - Models a TU infers for the rest of the project -----===//
//
// A lock wrapper declared in a header with its bodies in one .cc file can be
// inferred only there. That TU records the model (as a rules entry); every
// TU records the lock-like types it could not model and the ones it took from
// the project's models, so that the driver knows which TUs a new or changed
// model concerns.
//
//===----------------------------------------------------------------------===//

#include "checks/engine/ModelInference.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "checks/engine/facts/TranslationUnitFacts.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace concur {

namespace {

FileID fileOf(const SourceManager &SM, const Decl *D) {
  return SM.getFileID(SM.getExpansionLoc(D->getLocation()));
}

/// Whether this TU has the body of a method of Def in another file than
/// Def's own: what the TUs that include only Def's header cannot see.
bool definesBodiesElsewhere(const SourceManager &SM, const CXXRecordDecl *Def) {
  FileID Home = fileOf(SM, Def);
  for (const CXXMethodDecl *MD : Def->methods()) {
    const FunctionDecl *Body = nullptr;
    if (MD->isImplicit() || !MD->hasBody(Body) || !Body)
      continue;
    if (fileOf(SM, Body) != Home)
      return true;
  }
  return false;
}

/// Classes that name one type in every TU: not local, not in an anonymous
/// namespace, not a template pattern, not the library's.
bool hasProjectName(const SourceManager &SM, const CXXRecordDecl *Def) {
  return !Def->isLambda() && !Def->isDependentContext() &&
         !Def->isInvalidDecl() && !Def->isInAnonymousNamespace() &&
         !Def->getParentFunctionOrMethod() && Def->getIdentifier() &&
         !SM.isInSystemHeader(Def->getLocation());
}

} // namespace

void recordModelFacts(AnalysisContext &Ctx, TranslationUnitFacts &Out) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  llvm::SmallPtrSet<const CXXRecordDecl *, 32> Seen;
  std::vector<const CXXRecordDecl *> Records;
  auto Add = [&](const CXXRecordDecl *RD) {
    if (RD && (RD = RD->getDefinition()) && Seen.insert(RD).second)
      Records.push_back(RD);
  };
  // What the analysis asked about, and the classes whose methods this TU
  // defines out of line (the wrapper's own .cc may never use it).
  for (auto [RD, TM] : Ctx.Models.queriedRecords())
    Add(RD);
  llvm::SmallVector<const DeclContext *, 16> Scopes{
      Ctx.AST.getTranslationUnitDecl()};
  while (!Scopes.empty()) {
    const DeclContext *DC = Scopes.pop_back_val();
    for (const Decl *D : DC->decls()) {
      if (isa<NamespaceDecl, LinkageSpecDecl>(D))
        Scopes.push_back(cast<DeclContext>(D));
      else if (const auto *MD = dyn_cast<CXXMethodDecl>(D);
               MD && MD->isOutOfLine() && MD->doesThisDeclarationHaveABody())
        Add(MD->getParent());
    }
  }

  // Named by its main file's name alone: the same in every checkout, as
  // the rule text is part of other units' keys.
  std::string Where;
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Where = "inferred from the bodies in " +
            llvm::sys::path::filename(Main->getName()).str();
  for (const CXXRecordDecl *Def : Records) {
    if (!hasProjectName(SM, Def))
      continue;
    const TypeModel *TM = Ctx.Models.modelForRecord(Def);
    std::string Name = ModelMatcher::matchName(Def);
    // A unit that infers a model for others, or may once its own
    // dependencies are modelled, is re-extracted first when models change.
    if (TM && TM->Source == ModelSource::Project) {
      Out.ModelDependencies.push_back(TM->Names.front());
      Out.DefinesLockBodies |= definesBodiesElsewhere(SM, Def);
      continue;
    }
    if (TM) {
      if (TM->Source == ModelSource::Body && TM->Names.size() == 1 &&
          TM->Names.front() == Name && definesBodiesElsewhere(SM, Def)) {
        Out.Models.push_back({Name, typeModelAsRule(*TM, Name, Where)});
        Out.DefinesLockBodies = true;
      }
      continue;
    }
    if (!lockLikeInterface(Def).lockLike())
      continue;
    Out.ModelDependencies.push_back(Name);
    Out.DefinesLockBodies |= definesBodiesElsewhere(SM, Def);
  }
  llvm::sort(Out.ModelDependencies);
  Out.ModelDependencies.erase(llvm::unique(Out.ModelDependencies),
                              Out.ModelDependencies.end());
  llvm::sort(Out.Models, [](const ModelFact &A, const ModelFact &B) {
    return A.Type < B.Type;
  });
}

} // namespace concur
