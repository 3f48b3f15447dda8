//===- LockGraph.cpp ------------------------------------------------------===//

#include "checks/LockGraph.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <deque>

namespace concur {

static constexpr unsigned MaxCycleSearchStarts = 32;

namespace {

/// Tarjan's strongly connected components over a small adjacency list,
/// iterative so a long chain of locks cannot exhaust the stack.
class SccFinder {
public:
  explicit SccFinder(const std::map<unsigned, std::vector<unsigned>> &Succ)
      : Succ(Succ) {}

  std::vector<std::vector<unsigned>> run() {
    for (auto &KV : Succ)
      if (!Index.count(KV.first))
        visit(KV.first);
    return Components;
  }

private:
  struct Frame {
    unsigned Node;
    size_t NextChild;
  };
  const std::vector<unsigned> &succ(unsigned N) const {
    static const std::vector<unsigned> None;
    auto It = Succ.find(N);
    return It == Succ.end() ? None : It->second;
  }
  void visit(unsigned Root) {
    std::vector<Frame> Frames{{Root, 0}};
    enter(Root);
    while (!Frames.empty()) {
      Frame &F = Frames.back();
      const std::vector<unsigned> &Next = succ(F.Node);
      if (F.NextChild < Next.size()) {
        unsigned W = Next[F.NextChild++];
        if (!Index.count(W)) {
          enter(W);
          Frames.push_back({W, 0});
        } else if (OnStack.count(W)) {
          Low[F.Node] = std::min(Low[F.Node], Index[W]);
        }
        continue;
      }
      unsigned V = F.Node;
      Frames.pop_back();
      if (!Frames.empty())
        Low[Frames.back().Node] = std::min(Low[Frames.back().Node], Low[V]);
      if (Low[V] != Index[V])
        continue;
      std::vector<unsigned> Component;
      unsigned W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack.erase(W);
        Component.push_back(W);
      } while (W != V);
      Components.push_back(std::move(Component));
    }
  }
  void enter(unsigned V) {
    Index[V] = Low[V] = Counter++;
    Stack.push_back(V);
    OnStack.insert(V);
  }

  const std::map<unsigned, std::vector<unsigned>> &Succ;
  llvm::DenseMap<unsigned, unsigned> Index, Low;
  llvm::DenseSet<unsigned> OnStack;
  std::vector<unsigned> Stack;
  unsigned Counter = 0;
  std::vector<std::vector<unsigned>> Components;
};

/// The shortest cycle through Start within Members, by breadth-first search;
/// empty when there is none.
std::vector<unsigned>
shortestCycleThrough(unsigned Start,
                     const std::map<unsigned, std::vector<unsigned>> &Succ,
                     const llvm::DenseSet<unsigned> &Members) {
  llvm::DenseMap<unsigned, unsigned> Parent;
  std::deque<unsigned> Work{Start};
  Parent[Start] = Start;
  while (!Work.empty()) {
    unsigned V = Work.front();
    Work.pop_front();
    auto It = Succ.find(V);
    if (It == Succ.end())
      continue;
    for (unsigned W : It->second) {
      if (!Members.count(W))
        continue;
      if (W == Start) {
        std::vector<unsigned> Cycle;
        for (unsigned N = V; N != Start; N = Parent[N])
          Cycle.push_back(N);
        Cycle.push_back(Start);
        std::reverse(Cycle.begin(), Cycle.end());
        return Cycle;
      }
      if (Parent.try_emplace(W, V).second)
        Work.push_back(W);
    }
  }
  return {};
}

} // namespace

std::vector<std::vector<unsigned>>
shortestCycles(const std::map<unsigned, std::vector<unsigned>> &Succ) {
  std::vector<std::vector<unsigned>> Out;
  for (const std::vector<unsigned> &Component : SccFinder(Succ).run()) {
    if (Component.size() < 3)
      continue;
    llvm::DenseSet<unsigned> Members(Component.begin(), Component.end());
    std::vector<unsigned> Best;
    std::vector<unsigned> Starts(Component.begin(), Component.end());
    llvm::sort(Starts); // deterministic, whatever the traversal order
    for (unsigned I = 0; I < Starts.size() && I < MaxCycleSearchStarts; ++I) {
      std::vector<unsigned> C = shortestCycleThrough(Starts[I], Succ, Members);
      if (!C.empty() && (Best.empty() || C.size() < Best.size()))
        Best = std::move(C);
    }
    if (!Best.empty())
      Out.push_back(std::move(Best));
  }
  return Out;
}

} // namespace concur
