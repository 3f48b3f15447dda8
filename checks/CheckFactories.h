//===- CheckFactories.h - Build and run concur's checks on one TU -*- C++ -*-===//
//
// The one place that knows every check class, as a clang-tidy module does:
// it builds the checks a CheckFilter enables and hands them to the engine,
// which runs whatever list it is given. Shared by the driver, the
// clang-tidy plugin and the LSP server, so that all three report the same.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_CHECKFACTORIES_H
#define CONCUR_CHECKS_CHECKFACTORIES_H

#include "checks/CheckRegistry.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include <vector>

namespace concur {

/// Runs the checks Enabled selects on a parsed translation unit and
/// returns their findings, sorted and de-duplicated.
std::vector<Finding> analyzeTranslationUnit(clang::ASTContext &AST,
                                            const ApiModels &Models,
                                            const CheckFilter &Enabled,
                                            const EngineOptions &Options = {});

} // namespace concur

#endif
