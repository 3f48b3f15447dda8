//===- LockOrderLink.h - The project's lock graph ----------------*- C++ -*-===//
//
// concur-lock-order-inversion over the union of every translation unit's
// lock-order edges: two locks taken in one order in one file and in the
// other order in another, or a cycle of three or more locks spread over
// files. A pair or a cycle that one TU holds whole is that TU's own finding
// (or its own decision that it is serialised) and is left to it.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_LOCKORDERLINK_H
#define CONCUR_DRIVER_FACTS_LOCKORDERLINK_H

#include "driver/facts/ProjectLink.h"

namespace concur {

/// The inverted pairs whose two orders come from different units, and the
/// cycles no one unit holds whole.
std::vector<ResolvedFinding> linkLockOrder(const std::vector<LinkInput> &Units);

} // namespace concur

#endif
