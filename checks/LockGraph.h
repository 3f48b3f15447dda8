//===- LockGraph.h - Cycles of a lock-order graph ----------------*- C++ -*-===//
//
// concur-lock-order-inversion looks for cycles in two graphs: one
// translation unit's (nodes are its lock ids) and, at the project-wide
// link, the project's (nodes numbered from the locks' keys). Both use this.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_LOCKGRAPH_H
#define CONCUR_CHECKS_LOCKGRAPH_H

#include <map>
#include <vector>

namespace concur {

/// For each strongly connected component of the graph with three nodes or
/// more (Tarjan's algorithm, iterative), the shortest cycle found by a
/// breadth-first search from each of its nodes in increasing order, from
/// at most 32 of them: past that a cycle is still found, but it may not be
/// the shortest, which keeps the cost linear on huge components. Each cycle
/// starts at one of its nodes and follows the edges.
std::vector<std::vector<unsigned>>
shortestCycles(const std::map<unsigned, std::vector<unsigned>> &Succ);

} // namespace concur

#endif
