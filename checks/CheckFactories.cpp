//===- CheckFactories.cpp -------------------------------------------------===//

#include "checks/CheckFactories.h"
#include "checks/AtomicCheckThenActCheck.h"
#include "checks/ChannelCloseChecks.h"
#include "checks/CvWaitWithoutPredicateCheck.h"
#include "checks/DetachedCaptureCheck.h"
#include "checks/DoubleLockCheck.h"
#include "checks/LockAcrossBlockingCallCheck.h"
#include "checks/LockNotReleasedCheck.h"
#include "checks/LockOrderInversionCheck.h"
#include "checks/NonatomicFlagCheck.h"
#include "checks/StopIgnoredCheck.h"
#include "checks/ThreadNotJoinedCheck.h"
#include "checks/UnguardedFieldCheck.h"
#include "checks/WaitGroupUnpairedCheck.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include <memory>

namespace concur {

namespace {

using CheckPtr = std::unique_ptr<TranslationUnitCheck>;
using Factory = CheckPtr (*)(AnalysisContext &, std::vector<Finding> &,
                             const EngineOptions &);

template <typename C>
CheckPtr make(AnalysisContext &Ctx, std::vector<Finding> &Out,
              const EngineOptions &) {
  return std::make_unique<C>(Ctx, Out);
}

/// A check that reads the engine's options (annotations as ground truth,
/// the guard dump) as well.
template <typename C>
CheckPtr makeWithOptions(AnalysisContext &Ctx, std::vector<Finding> &Out,
                         const EngineOptions &Options) {
  return std::make_unique<C>(Ctx, Out, Options);
}

struct Registration {
  const char *Id;
  Factory Make;
};

const Registration Factories[] = {
    {LockAcrossBlockingCallCheck::Id, make<LockAcrossBlockingCallCheck>},
    {UnguardedFieldCheck::Id, makeWithOptions<UnguardedFieldCheck>},
    {SendOnClosedChannelCheck::Id, make<SendOnClosedChannelCheck>},
    {ChannelDoubleCloseCheck::Id, make<ChannelDoubleCloseCheck>},
    {WaitGroupUnpairedCheck::Id, make<WaitGroupUnpairedCheck>},
    {DoubleLockCheck::Id, make<DoubleLockCheck>},
    {LockNotReleasedCheck::Id, make<LockNotReleasedCheck>},
    {LockOrderInversionCheck::Id, make<LockOrderInversionCheck>},
    {CvWaitWithoutPredicateCheck::Id, make<CvWaitWithoutPredicateCheck>},
    {NonatomicFlagCheck::Id, make<NonatomicFlagCheck>},
    {AtomicCheckThenActCheck::Id, make<AtomicCheckThenActCheck>},
    {ThreadNotJoinedCheck::Id, make<ThreadNotJoinedCheck>},
    {DetachedCaptureCheck::Id, make<DetachedCaptureCheck>},
    {StopIgnoredCheck::Id, make<StopIgnoredCheck>},
};

Factory factoryFor(llvm::StringRef Id) {
  for (const Registration &R : Factories)
    if (Id == R.Id)
      return R.Make;
  return nullptr;
}

} // namespace

std::vector<Finding> analyzeTranslationUnit(clang::ASTContext &AST,
                                            const ApiModels &Models,
                                            const CheckFilter &Enabled,
                                            const EngineOptions &Options) {
  std::vector<Finding> Findings;
  AnalysisContext Ctx(AST, Models);
  // Built in the registry's order, which is also the order in which they
  // see each statement and finish.
  std::vector<CheckPtr> Owned;
  std::vector<TranslationUnitCheck *> Checks;
  for (const CheckInfo &Info : allChecks()) {
    if (!Enabled.enabled(Info.Id))
      continue;
    Factory Make = factoryFor(Info.Id);
    if (!Make)
      llvm::report_fatal_error(llvm::Twine("concur: check '") + Info.Id +
                               "' is registered without a factory");
    Owned.push_back(Make(Ctx, Findings, Options));
    Checks.push_back(Owned.back().get());
  }
  return runTranslationUnitChecks(Ctx, Checks, Findings, Options);
}

} // namespace concur
