//===- LockOrderLink.h - The project's lock graph ----------------*- C++ -*-===//
//
// concur-lock-order-inversion over the union of every translation unit's
// lock-order edges: two locks taken in one order in one file and in the
// other order in another. A pair that one TU holds whole is that TU's own
// finding (or its own decision that the pair is serialised) and is left to
// it. Cycles of three or more locks are found per TU only.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_LOCKORDERLINK_H
#define CONCUR_DRIVER_FACTS_LOCKORDERLINK_H

#include "driver/facts/ProjectLink.h"

namespace concur {

/// The inverted pairs whose two orders come from different units.
std::vector<ResolvedFinding> linkLockOrder(const std::vector<LinkInput> &Units);

} // namespace concur

#endif
