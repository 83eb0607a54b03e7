#include "gp/planner/graph.hpp"

#include <algorithm>
#include <numeric>

namespace gp::planner {

double UnitGraph::total_weight() const {
  return std::accumulate(weight.begin(), weight.end(), 0.0);
}

UnitGraph graph_from_edges(std::size_t n, const std::vector<Edge>& edges) {
  std::vector<Edge> sorted;
  sorted.reserve(edges.size() * 2);
  for (const auto& e : edges) {
    if (e.a == e.b) continue;
    sorted.push_back(e);
    sorted.push_back(Edge{e.b, e.a, e.length, e.barrier});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Edge& l, const Edge& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });

  UnitGraph g;
  g.offsets.assign(n + 1, 0);
  for (std::size_t i = 0; i < sorted.size();) {
    Edge merged = sorted[i];
    std::size_t j = i + 1;
    for (; j < sorted.size() && sorted[j].a == merged.a && sorted[j].b == merged.b; ++j) {
      merged.length += sorted[j].length;
      merged.barrier = merged.barrier || sorted[j].barrier;
    }
    g.targets.push_back(merged.b);
    g.edge_length.push_back(merged.length);
    g.edge_barrier.push_back(merged.barrier ? 1 : 0);
    ++g.offsets[merged.a + 1];
    i = j;
  }
  for (std::size_t v = 0; v < n; ++v) g.offsets[v + 1] += g.offsets[v];
  g.weight.assign(n, 0.0);
  g.position.assign(n, geo::Point{});
  g.group.assign(n, -1);
  return g;
}

std::vector<std::uint32_t> connected_components(const UnitGraph& g, std::uint32_t& count) {
  const std::size_t n = g.vertex_count();
  constexpr std::uint32_t unseen = ~std::uint32_t{0};
  std::vector<std::uint32_t> comp(n, unseen);
  std::vector<std::uint32_t> stack;
  count = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (comp[s] != unseen) continue;
    comp[s] = count;
    stack.push_back(s);
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
        const auto w = g.targets[k];
        if (comp[w] == unseen) {
          comp[w] = count;
          stack.push_back(w);
        }
      }
    }
    ++count;
  }
  return comp;
}

} // namespace gp::planner
