// Graph coarsening for the multilevel solver: heavy-edge matching contracts pairs of
// adjacent vertices into one (weights, secondary fields and parallel edge costs summed), as
// in METIS and KaHIP. Every coarse vertex is one vertex or two adjacent ones, so a connected
// set of coarse vertices stands for a connected set of fine vertices.

#include <algorithm>
#include <numeric>

#include "gp/core/random.hpp"
#include "partition_detail.hpp"

namespace gp::planner::detail {

namespace {

constexpr std::uint32_t unmatched = ~0u;

// Visiting order of the matching: a seeded random permutation, stably sorted by degree
// (lowest first, as METIS' SHEM: low-degree vertices have the fewest chances to be matched).
std::vector<std::uint32_t> matching_order(const WorkGraph& g, std::uint64_t seed) {
  const std::uint32_t n = g.size();
  std::vector<std::uint32_t> random_order(n);
  std::iota(random_order.begin(), random_order.end(), 0u);
  Rng rng(seed);
  rng.shuffle(random_order.begin(), random_order.end());
  std::uint32_t max_degree = 0;
  for (std::uint32_t v = 0; v < n; ++v)
    max_degree = std::max(max_degree, g.xadj[v + 1] - g.xadj[v]);
  std::vector<std::uint32_t> start(static_cast<std::size_t>(max_degree) + 2, 0);
  for (auto v : random_order) ++start[g.xadj[v + 1] - g.xadj[v] + 1];
  for (std::size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
  std::vector<std::uint32_t> order(n);
  for (auto v : random_order) order[start[g.xadj[v + 1] - g.xadj[v]]++] = v;
  return order;
}

} // namespace

CoarseLevel coarsen(const WorkGraph& g, double max_weight, std::uint64_t seed) {
  const std::uint32_t n = g.size();
  CoarseLevel level;
  // 1. Matching: each vertex, in the visiting order, takes the unmatched neighbour joined by
  //    the costliest edge (ties: the lighter neighbour, then adjacency order) whose combined
  //    weight stays within max_weight; a vertex without one stays alone.
  std::vector<std::uint32_t> mate(n, unmatched);
  for (const auto v : matching_order(g, seed)) {
    if (mate[v] != unmatched) continue;
    std::uint32_t best = v;
    double best_cost = -1, best_weight = 0;
    for (auto k = g.xadj[v]; k < g.xadj[v + 1]; ++k) {
      const auto u = g.adj[k];
      if (mate[u] != unmatched || u == v) continue;
      const double w = g.weight[u];
      if (g.weight[v] + w > max_weight) continue;
      if (g.cost[k] > best_cost || (g.cost[k] == best_cost && w < best_weight)) {
        best = u;
        best_cost = g.cost[k];
        best_weight = w;
      }
    }
    mate[v] = best;
    mate[best] = v;
  }
  // 2. Coarse ids in ascending order of each pair's lower vertex.
  level.coarse_of.assign(n, unmatched);
  std::vector<std::uint32_t> first_member; // per coarse vertex: its lower fine vertex
  first_member.reserve(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (level.coarse_of[v] != unmatched) continue;
    const auto c = static_cast<std::uint32_t>(first_member.size());
    level.coarse_of[v] = c;
    level.coarse_of[mate[v]] = c;
    first_member.push_back(v);
  }
  const auto coarse_n = static_cast<std::uint32_t>(first_member.size());
  // 3. The contracted graph: adjacency of both members merged, parallel edge costs summed.
  WorkGraph& cg = level.graph;
  cg.xadj.assign(coarse_n + 1, 0);
  cg.weight.assign(coarse_n, 0.0);
  cg.adj.reserve(g.adj.size());
  cg.cost.reserve(g.adj.size());
  std::vector<std::uint32_t> slot(coarse_n, unmatched); // position of a neighbour in this row
  for (std::uint32_t c = 0; c < coarse_n; ++c) {
    const auto row = static_cast<std::uint32_t>(cg.adj.size());
    const std::uint32_t members[2] = {first_member[c], mate[first_member[c]]};
    const int count = members[0] == members[1] ? 1 : 2;
    for (int m = 0; m < count; ++m) {
      const auto v = members[m];
      cg.weight[c] += g.weight[v];
      for (auto k = g.xadj[v]; k < g.xadj[v + 1]; ++k) {
        const auto t = level.coarse_of[g.adj[k]];
        if (t == c) continue;
        if (slot[t] != unmatched && slot[t] >= row) {
          cg.cost[slot[t]] += g.cost[k];
        } else {
          slot[t] = static_cast<std::uint32_t>(cg.adj.size());
          cg.adj.push_back(t);
          cg.cost.push_back(g.cost[k]);
        }
      }
    }
    cg.xadj[c + 1] = static_cast<std::uint32_t>(cg.adj.size());
  }
  auto sum_field = [&](const std::vector<double>& fine) {
    std::vector<double> coarse(coarse_n, 0.0);
    for (std::uint32_t v = 0; v < n; ++v) coarse[level.coarse_of[v]] += fine[v];
    return coarse;
  };
  for (const auto& field : g.secondary) cg.secondary.push_back(sum_field(field));
  cg.secondary_cost = g.secondary_cost;
  for (const auto& field : g.floor_values) cg.floor_values.push_back(sum_field(field));
  cg.floor_minimum = g.floor_minimum;
  return level;
}

} // namespace gp::planner::detail
