//===- TranslationUnitAnalysis.h - Run the checks on one TU -----*- C++ -*-===//
//
// The engine's entry point, shared by the driver, the clang-tidy plugin and
// the LSP server: given a parsed translation unit, the API models and the
// enabled checks, return the findings, sorted and de-duplicated.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_TRANSLATIONUNITANALYSIS_H
#define CONCUR_ENGINE_TRANSLATIONUNITANALYSIS_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/BlockingSummaries.h"
#include "checks/engine/CheckRegistry.h"
#include "checks/engine/Finding.h"
#include "checks/engine/LockDataflow.h"
#include "checks/engine/LockIdentity.h"
#include <vector>

namespace concur {

/// Per-translation-unit state that the checks share.
struct AnalysisContext {
  AnalysisContext(clang::ASTContext &AST, const ApiModels &Models);

  clang::ASTContext &AST;
  ModelMatcher Models;
  LockTable Locks;
  CFGCache CFGs;
  LockSetAnalysis LockFlow;
  BlockingSummaries Blocking;
};

std::vector<Finding> analyzeTranslationUnit(clang::ASTContext &AST,
                                            const ApiModels &Models,
                                            const CheckFilter &Enabled);

} // namespace concur

#endif
