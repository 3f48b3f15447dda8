//===- ProjectLink.h - Findings that need the whole project ------*- C++ -*-===//
//
// The link reads the facts of every translation unit (never an AST) and
// finishes what one TU cannot: the blocking summary of each function through
// callees defined in other files, as a fixpoint over the project's call
// graph by USR, then concur-lock-across-blocking-call for each call made
// with a lock held to a function defined elsewhere that may block; and the
// project's lock graph for concur-lock-order-inversion (LockOrderLink.h). Messages,
// notes and call chains are those of the per-TU check; the chain now crosses
// files.
//
// A USR of external linkage names one function project-wide (the first
// definition in unit order is used; an ODR-abiding project defines it the
// same everywhere). One of internal linkage names a function only within its
// own TU.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_PROJECTLINK_H
#define CONCUR_DRIVER_FACTS_PROJECTLINK_H

#include "checks/CheckRegistry.h"
#include "driver/facts/UnitFacts.h"
#include <vector>

namespace concur {

struct LinkInput {
  const UnitFacts *Facts = nullptr;
  /// Whether the calls of this unit are reported; the others only lend
  /// their function summaries (files not analysed in this run).
  bool Report = true;
};

/// A finding of the link's, at its check's level.
ResolvedFinding linkFinding(const char *CheckId, const ResolvedLocation &At);

/// The findings of the link, unsorted; one per call site and unit (the
/// driver merges them with the TUs' own and de-duplicates by key()).
std::vector<ResolvedFinding> linkProject(const std::vector<LinkInput> &Units,
                                         const CheckFilter &Enabled);

} // namespace concur

#endif
