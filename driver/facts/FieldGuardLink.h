//===- FieldGuardLink.h - Guards of variables split over files ---*- C++ -*-===//
//
// concur-unguarded-field over the union of every translation unit's
// accesses to variables declared in headers: a class whose methods are
// spread over several files (RocksDB's DBImpl over a dozen db_impl_*.cc)
// has its guard evidence spread too. The link infers each variable's guard
// from all of its accesses, by the rule one TU uses, and reports the
// accesses that break it, with the guarded accesses of other files as
// notes.
//
// A TU that inferred a guard for a variable itself has reported what
// breaks it: the link leaves its accesses alone, so that a file analysed
// alone and the project say the same about it. So does a variable whose
// accesses one TU saw all.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_FIELDGUARDLINK_H
#define CONCUR_DRIVER_FACTS_FIELDGUARDLINK_H

#include "driver/facts/ProjectLink.h"

namespace concur {

std::vector<ResolvedFinding> linkFieldGuards(const std::vector<LinkInput> &Units);

} // namespace concur

#endif
