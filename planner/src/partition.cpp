// partition(): splits the unit graph into islands, contracts compounds, chooses the number
// of parts per island, runs the solver (partition_solve.cpp) on each and judges the result.

#include "gp/planner/partition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <queue>

#include <fmt/format.h>

#include "gp/core/error.hpp"
#include "gp/core/random.hpp"
#include "partition_detail.hpp"

namespace gp::planner {

namespace {

using detail::Bounds;
using detail::WorkGraph;

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b); // lowest vertex is the root
  }
};

void validate(const UnitGraph& g, const PartitionSpec& spec) {
  if (spec.parts < 0)
    throw UsageError(fmt::format("number of parts must be >= 0 (got {})", spec.parts));
  if (spec.parts == 0) {
    if (!(spec.min_weight >= 0) || !(spec.max_weight > 0) || spec.min_weight > spec.max_weight)
      throw UsageError(
          fmt::format("bounds must satisfy 0 <= min <= max and max > 0 (got min {}, max {})",
                      spec.min_weight, spec.max_weight));
  } else if (!(spec.tolerance >= 0) || spec.tolerance >= 1) {
    throw UsageError(fmt::format("tolerance must be in [0, 1) (got {})", spec.tolerance));
  }
  if (!(spec.barrier_penalty > 0))
    throw UsageError(fmt::format("barrier penalty must be > 0 (got {})", spec.barrier_penalty));
  const std::size_t n = g.vertex_count();
  const std::size_t arcs = g.targets.size();
  if (g.offsets.size() != n + 1 || g.offsets.back() != arcs || g.edge_length.size() != arcs ||
      g.edge_barrier.size() != arcs || (!g.group.empty() && g.group.size() != n))
    throw Error(
        "unit graph is malformed: offsets, targets, edge and vertex arrays disagree in size");
  for (auto t : g.targets)
    if (t >= n) throw Error("unit graph is malformed: a neighbour index is out of range");
  for (std::size_t k = 0; k < spec.secondary_weights.size(); ++k) {
    if (!(spec.secondary_weights[k] >= 0))
      throw UsageError(
          fmt::format("secondary weight {} must be >= 0 (got {})", k, spec.secondary_weights[k]));
    if (spec.secondary_weights[k] > 0 && (k >= g.secondary.size() || g.secondary[k].size() != n))
      throw Error(fmt::format(
          "unit graph: secondary field {} is weighted but missing or of the wrong size", k));
  }
  for (std::size_t k = 0; k < spec.secondary_floors.size(); ++k) {
    const double m = spec.secondary_floors[k];
    if (!(m >= 0) || !std::isfinite(m))
      throw UsageError(fmt::format("floor on secondary field {} must be a finite number >= 0 "
                                   "(got {})",
                                   k, m));
    if (m > 0 && (k >= g.secondary.size() || g.secondary[k].size() != n))
      throw Error(fmt::format(
          "unit graph: secondary field {} has a floor but is missing or of the wrong size", k));
  }
  for (double w : g.weight)
    if (!(w >= 0) || !std::isfinite(w))
      throw Error(fmt::format("unit graph: vertex weights must be finite and >= 0 (found {})", w));
}

// Number of parts for an island of weight w with `units` indivisible pieces.
std::int32_t choose_parts(double w, std::uint32_t units, double lo, double hi, bool& feasible) {
  const double ideal = w / ((lo + hi) / 2);
  const double kmin = std::max(1.0, std::ceil(w / hi - 1e-9));
  const double kmax =
      std::min(static_cast<double>(units), lo > 0 ? std::floor(w / lo + 1e-9) : 1e18);
  const double nearest = std::max(1.0, std::round(ideal));
  feasible = kmin <= kmax;
  const double k = feasible ? std::clamp(nearest, kmin, kmax)
                            : std::clamp(nearest, 1.0, std::max(1.0, static_cast<double>(units)));
  return static_cast<std::int32_t>(k);
}

std::string weight_text(double w) {
  return fmt::format("{:.6g}", w);
}

} // namespace

PartitionResult partition(const UnitGraph& g, const PartitionSpec& spec) {
  validate(g, spec);
  const std::size_t n = g.vertex_count();
  PartitionResult result;
  result.part.assign(n, -1);
  if (n == 0) return result;
  auto report = [&](double f) {
    if (spec.progress) spec.progress(std::clamp(f, 0.0, 1.0));
  };
  report(0);

  const double total = g.total_weight();
  const bool fixed = spec.parts > 0;
  const double mean_fixed = fixed ? total / spec.parts : 0;
  const double lo = fixed ? mean_fixed * (1 - spec.tolerance) : spec.min_weight;
  const double hi = fixed ? mean_fixed * (1 + spec.tolerance) : spec.max_weight;
  result.min_weight = lo;
  result.max_weight = hi;

  auto allowed = [&](std::size_t k) { return !(spec.hard_barriers && g.edge_barrier[k]); };
  // Cost of cutting an edge. compact: boundary length plus a small per-edge term so that, at
  // equal length, fewer cut edges win.
  double mean_length = 0;
  for (double l : g.edge_length) mean_length += l;
  mean_length =
      g.edge_length.empty() ? 1.0 : mean_length / static_cast<double>(g.edge_length.size());
  if (!(mean_length > 0)) mean_length = 1.0;
  auto cost_of = [&](std::size_t k) {
    double c = spec.objective == Objective::cut_edges
                   ? 1.0
                   : std::max(0.0, g.edge_length[k]) + 1e-3 * mean_length;
    if (g.edge_barrier[k] && !spec.hard_barriers) c /= spec.barrier_penalty;
    return c;
  };

  // 1. Compounds: groups no heavier than the upper bound are contracted (each connected piece
  //    of a group, through allowed edges, becomes one super-vertex).
  const bool has_groups = !g.group.empty() && std::any_of(g.group.begin(), g.group.end(),
                                                          [](auto x) { return x >= 0; });
  std::vector<double> group_weight;
  if (has_groups) {
    const auto max_group = *std::max_element(g.group.begin(), g.group.end());
    group_weight.assign(static_cast<std::size_t>(max_group) + 1, 0.0);
    for (std::size_t v = 0; v < n; ++v)
      if (g.group[v] >= 0) group_weight[static_cast<std::size_t>(g.group[v])] += g.weight[v];
  }
  auto contracted_group = [&](std::size_t v) {
    return has_groups && g.group[v] >= 0 &&
           group_weight[static_cast<std::size_t>(g.group[v])] <= hi;
  };
  std::vector<std::uint32_t> super(n);
  std::uint32_t supers = 0;
  if (has_groups) {
    UnionFind uf(n);
    for (std::size_t v = 0; v < n; ++v) {
      if (!contracted_group(v)) continue;
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
        if (allowed(k) && g.group[g.targets[k]] == g.group[v])
          uf.unite(static_cast<std::uint32_t>(v), g.targets[k]);
    }
    std::vector<std::uint32_t> id(n, ~0u);
    for (std::size_t v = 0; v < n; ++v) {
      const auto r = uf.find(static_cast<std::uint32_t>(v));
      if (id[r] == ~0u) id[r] = supers++;
      super[v] = id[r];
    }
  } else {
    std::iota(super.begin(), super.end(), 0u);
    supers = static_cast<std::uint32_t>(n);
  }

  // 2. The contracted graph (CSR, costs summed over parallel edges).
  std::vector<std::uint32_t> member_offset(supers + 1, 0), members(n);
  for (std::size_t v = 0; v < n; ++v) ++member_offset[super[v] + 1];
  for (std::uint32_t s = 0; s < supers; ++s) member_offset[s + 1] += member_offset[s];
  {
    auto fill = member_offset;
    for (std::size_t v = 0; v < n; ++v) members[fill[super[v]]++] = static_cast<std::uint32_t>(v);
  }
  WorkGraph coarse;
  coarse.xadj.assign(supers + 1, 0);
  coarse.weight.assign(supers, 0.0);
  // Secondary fields with a positive weight, summed per super-vertex.
  std::vector<std::size_t> fields;
  for (std::size_t k = 0; k < spec.secondary_weights.size(); ++k)
    if (spec.secondary_weights[k] > 0) fields.push_back(k);
  std::vector<std::vector<double>> coarse_secondary(fields.size(),
                                                    std::vector<double>(supers, 0.0));
  for (std::size_t f = 0; f < fields.size(); ++f)
    for (std::size_t v = 0; v < n; ++v) coarse_secondary[f][super[v]] += g.secondary[fields[f]][v];
  // Secondary fields with a floor, summed per super-vertex (indexed by field number).
  std::vector<std::size_t> floor_fields;
  std::vector<std::vector<double>> coarse_floor(spec.secondary_floors.size());
  for (std::size_t k = 0; k < spec.secondary_floors.size(); ++k) {
    if (!(spec.secondary_floors[k] > 0)) continue;
    floor_fields.push_back(k);
    coarse_floor[k].assign(supers, 0.0);
    for (std::size_t v = 0; v < n; ++v) coarse_floor[k][super[v]] += g.secondary[k][v];
  }
  coarse.adj.reserve(g.targets.size());
  coarse.cost.reserve(g.targets.size());
  {
    std::vector<std::uint32_t> slot(supers, ~0u); // position of neighbour t in the current row
    for (std::uint32_t s = 0; s < supers; ++s) {
      const auto row = static_cast<std::uint32_t>(coarse.adj.size());
      for (auto i = member_offset[s]; i < member_offset[s + 1]; ++i) {
        const auto v = members[i];
        coarse.weight[s] += g.weight[v];
        for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
          if (!allowed(k)) continue;
          const auto t = super[g.targets[k]];
          if (t == s) continue;
          if (slot[t] != ~0u && slot[t] >= row) {
            coarse.cost[slot[t]] += cost_of(k);
          } else {
            slot[t] = static_cast<std::uint32_t>(coarse.adj.size());
            coarse.adj.push_back(t);
            coarse.cost.push_back(cost_of(k));
          }
        }
      }
      coarse.xadj[s + 1] = static_cast<std::uint32_t>(coarse.adj.size());
    }
  }

  // 3. Blocks: the islands of the contracted graph, with every oversized super-vertex
  //    (heavier than the maximum; bounds mode only) cut out as a part of its own. The
  //    blocks the rest falls into are split by their own weight; a block lighter than the
  //    minimum that touches an oversized vertex joins the lightest such vertex (no empty or
  //    needlessly light part next to a tower).
  const double wtol = 1e-9 * std::max(1.0, total);
  std::vector<std::uint8_t> oversized(supers, 0);
  if (!fixed)
    for (std::uint32_t s = 0; s < supers; ++s) oversized[s] = coarse.weight[s] > hi + wtol ? 1 : 0;
  std::vector<std::uint32_t> island_of(supers, ~0u); // connected piece of the whole graph
  std::uint32_t islands = 0;
  {
    std::vector<std::uint32_t> stack;
    for (std::uint32_t s = 0; s < supers; ++s) {
      if (island_of[s] != ~0u) continue;
      island_of[s] = islands;
      stack.push_back(s);
      while (!stack.empty()) {
        const auto x = stack.back();
        stack.pop_back();
        for (auto k = coarse.xadj[x]; k < coarse.xadj[x + 1]; ++k)
          if (island_of[coarse.adj[k]] == ~0u) {
            island_of[coarse.adj[k]] = islands;
            stack.push_back(coarse.adj[k]);
          }
      }
      ++islands;
    }
  }
  std::vector<std::uint32_t> block(supers, ~0u);
  std::vector<double> block_weight;
  {
    std::vector<std::uint32_t> stack;
    for (std::uint32_t s = 0; s < supers; ++s) {
      if (block[s] != ~0u) continue;
      const auto id = static_cast<std::uint32_t>(block_weight.size());
      block[s] = id;
      double w = 0;
      stack.push_back(s);
      while (!stack.empty()) {
        const auto x = stack.back();
        stack.pop_back();
        w += coarse.weight[x];
        if (oversized[x]) continue; // an oversized vertex is a block of its own
        for (auto k = coarse.xadj[x]; k < coarse.xadj[x + 1]; ++k) {
          const auto t = coarse.adj[k];
          if (block[t] == ~0u && !oversized[t]) {
            block[t] = id;
            stack.push_back(t);
          }
        }
      }
      block_weight.push_back(w);
    }
  }
  // Light blocks join their lightest adjacent oversized vertex (ties: lowest index).
  std::vector<std::uint32_t> block_target(block_weight.size());
  std::iota(block_target.begin(), block_target.end(), 0u);
  {
    std::vector<std::uint32_t> best(block_weight.size(), ~0u);
    for (std::uint32_t s = 0; s < supers; ++s) {
      if (oversized[s]) continue;
      const auto b = block[s];
      if (!(block_weight[b] < lo - wtol)) continue;
      for (auto k = coarse.xadj[s]; k < coarse.xadj[s + 1]; ++k) {
        const auto t = coarse.adj[k];
        if (!oversized[t]) continue;
        if (best[b] == ~0u || coarse.weight[t] < coarse.weight[best[b]] ||
            (coarse.weight[t] == coarse.weight[best[b]] && t < best[b]))
          best[b] = t;
      }
    }
    for (std::size_t b = 0; b < best.size(); ++b)
      if (best[b] != ~0u) block_target[b] = block[best[b]];
  }
  // Components to solve: merged blocks, numbered by their lowest super-vertex.
  std::vector<std::uint32_t> comp(supers, ~0u);
  std::vector<std::uint32_t> comp_of_block(block_weight.size(), ~0u);
  std::vector<double> comp_weight;
  std::vector<std::uint8_t> comp_oversized;
  std::vector<std::uint32_t> comp_island;
  for (std::uint32_t s = 0; s < supers; ++s) {
    auto& c = comp_of_block[block_target[block[s]]];
    if (c == ~0u) {
      c = static_cast<std::uint32_t>(comp_weight.size());
      comp_weight.push_back(0.0);
      comp_oversized.push_back(0);
      comp_island.push_back(island_of[s]);
    }
    comp[s] = c;
    comp_weight[c] += coarse.weight[s];
    if (oversized[s]) comp_oversized[c] = 1;
  }
  const auto components = static_cast<std::uint32_t>(comp_weight.size());
  std::vector<std::uint32_t> comp_offset(components + 1, 0);
  std::vector<std::uint32_t> order(supers); // super-vertices grouped by component, ascending
  for (std::uint32_t s = 0; s < supers; ++s) ++comp_offset[comp[s] + 1];
  for (std::uint32_t c = 0; c < components; ++c) comp_offset[c + 1] += comp_offset[c];
  {
    auto fill = comp_offset;
    for (std::uint32_t s = 0; s < supers; ++s) order[fill[comp[s]]++] = s;
  }
  std::vector<double> island_weight(islands, 0.0);
  for (std::uint32_t s = 0; s < supers; ++s) island_weight[island_of[s]] += coarse.weight[s];
  result.components = static_cast<std::int32_t>(islands);
  auto comp_size = [&](std::uint32_t c) { return comp_offset[c + 1] - comp_offset[c]; };

  // 4. Parts per island.
  std::vector<std::int32_t> comp_parts(components, 1);
  std::vector<std::uint8_t> comp_feasible(components, 1);
  if (!fixed) {
    // Floor totals per component: fewer parts when the field cannot give every part its
    // floor, as long as the weight still fits (k >= W / max).
    std::vector<std::vector<double>> floor_total;
    for (std::size_t k = 0; k < spec.secondary_floors.size(); ++k) {
      if (!(spec.secondary_floors[k] > 0)) continue;
      std::vector<double> total_k(components, 0.0);
      for (std::size_t v = 0; v < n; ++v) total_k[comp[super[v]]] += g.secondary[k][v];
      floor_total.push_back(std::move(total_k));
    }
    for (std::uint32_t c = 0; c < components; ++c) {
      if (comp_oversized[c]) continue; // one part: the oversized unit and what joined it
      bool feasible = false;
      comp_parts[c] = choose_parts(comp_weight[c], comp_size(c), lo, hi, feasible);
      comp_feasible[c] = feasible ? 1 : 0;
      const double kmin = std::max(1.0, std::ceil(comp_weight[c] / hi - 1e-9));
      auto short_of_floor = [&](std::int32_t k) {
        std::size_t f = 0;
        for (std::size_t j = 0; j < spec.secondary_floors.size(); ++j) {
          if (!(spec.secondary_floors[j] > 0)) continue;
          if (floor_total[f++][c] < spec.secondary_floors[j] * k - 1e-9) return true;
        }
        return false;
      };
      while (comp_parts[c] > kmin && short_of_floor(comp_parts[c])) --comp_parts[c];
    }
  } else if (static_cast<std::uint32_t>(spec.parts) >= components) {
    // Sainte-Laguë: each further part goes to the island with the largest w / (k + 0.5).
    using Entry = std::pair<double, std::uint32_t>;
    auto priority = [&](std::uint32_t c) { return comp_weight[c] / (comp_parts[c] + 0.5); };
    auto less = [](const Entry& a, const Entry& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(less)> queue(less);
    for (std::uint32_t c = 0; c < components; ++c)
      if (comp_size(c) > 1) queue.emplace(priority(c), c);
    for (std::int32_t left = spec.parts - static_cast<std::int32_t>(components);
         left > 0 && !queue.empty(); --left) {
      const auto c = queue.top().second;
      queue.pop();
      ++comp_parts[c];
      if (static_cast<std::uint32_t>(comp_parts[c]) < comp_size(c)) queue.emplace(priority(c), c);
    }
  } else {
    result.violations.push_back(
        Violation{-1, "parts",
                  fmt::format("{} parts were requested but the graph has {} disconnected pieces "
                              "(islands); each piece "
                              "is at least one part, so the plan has {} parts",
                              spec.parts, components, components)});
  }

  // 5. Solve each island.
  const double half_width = (hi - lo) / 2;
  std::int32_t next_part = 0;
  std::vector<std::int32_t> super_part(supers, -1);
  std::size_t done = 0;
  for (std::uint32_t c = 0; c < components; ++c) {
    const std::uint32_t size = comp_size(c);
    const std::int32_t k = comp_parts[c];
    if (k <= 1) {
      for (auto i = comp_offset[c]; i < comp_offset[c + 1]; ++i) super_part[order[i]] = next_part;
      ++next_part;
      done += size;
      report(static_cast<double>(done) / static_cast<double>(supers));
      continue;
    }
    WorkGraph island;
    // super_part temporarily holds each super-vertex's local index in the island (ascending
    // super-vertex order, which keeps the result deterministic).
    for (auto i = comp_offset[c]; i < comp_offset[c + 1]; ++i) {
      const auto s = order[i];
      super_part[s] = static_cast<std::int32_t>(i - comp_offset[c]); // temporary: local id
    }
    if (components == 1) {
      // The whole contracted graph is the island, in the same order: no copy (the
      // contracted graph is not used after this point).
      island.xadj = std::move(coarse.xadj);
      island.adj = std::move(coarse.adj);
      island.cost = std::move(coarse.cost);
      island.weight = std::move(coarse.weight);
    }
    if (components != 1) {
      island.weight.reserve(size);
      island.xadj.reserve(size + 1);
    }
    for (auto i = comp_offset[c]; i < comp_offset[c + 1] && components != 1; ++i) {
      const auto s = order[i];
      island.weight.push_back(coarse.weight[s]);
      for (auto e = coarse.xadj[s]; e < coarse.xadj[s + 1]; ++e) {
        if (comp[coarse.adj[e]] != c) continue; // an edge to an oversized unit's part
        island.adj.push_back(static_cast<std::uint32_t>(super_part[coarse.adj[e]]));
        island.cost.push_back(coarse.cost[e]);
      }
      island.xadj.push_back(static_cast<std::uint32_t>(island.adj.size()));
    }
    if (!fields.empty()) {
      // Weight w of a field: a part whose sum deviates by 1 % of the island's mean part sum
      // costs w average cut edges.
      double cost_sum = 0;
      for (double x : island.cost) cost_sum += x;
      const double mean_cost =
          island.cost.empty() ? 1.0 : cost_sum / static_cast<double>(island.cost.size());
      for (std::size_t f = 0; f < fields.size(); ++f) {
        std::vector<double> values;
        values.reserve(size);
        double sum = 0;
        for (auto i = comp_offset[c]; i < comp_offset[c + 1]; ++i) {
          values.push_back(coarse_secondary[f][order[i]]);
          sum += values.back();
        }
        const double mean_part = sum / k;
        island.secondary.push_back(std::move(values));
        island.secondary_cost.push_back(mean_part > 0 ? spec.secondary_weights[fields[f]] *
                                                            mean_cost * 100.0 / mean_part
                                                      : 0.0);
      }
    }
    for (const auto f : floor_fields) {
      std::vector<double> values;
      values.reserve(size);
      for (auto i = comp_offset[c]; i < comp_offset[c + 1]; ++i)
        values.push_back(coarse_floor[f][order[i]]);
      island.floor_values.push_back(std::move(values));
      island.floor_minimum.push_back(spec.secondary_floors[f]);
    }
    detail::SolveOptions options;
    options.parts = k;
    const double mean_c = comp_weight[c] / k;
    options.bounds = (mean_c >= lo && mean_c <= hi)
                         ? Bounds{lo, hi}
                         : Bounds{mean_c - half_width, mean_c + half_width};
    options.seed = spec.seed * 0x100000001b3ULL + c;
    // Attempts by the size of the whole graph (not the island), so that many small islands
    // do not multiply the work.
    // Small graphs (a community of up to 2,000 units) get many attempts: each costs
    // milliseconds, and early stopping ends them once they no longer improve.
    const int base_tries = spec.restarts > 0  ? spec.restarts
                           : supers <= 2000   ? 100
                           : supers <= 5000   ? 24
                           : supers <= 50000  ? 6
                           : supers <= 200000 ? 2
                                              : 1;
    options.tries =
        std::max(1, static_cast<int>(std::lround(base_tries * std::max(0.0, spec.effort))));
    options.stall_tries = options.tries >= 16 ? std::max(8, options.tries / 2) : 0;
    options.time_limit_s = spec.time_limit_s;
    options.use_metis = spec.multilevel_initial;
    // Effort by size: a small graph (a community) can afford long searches; a large one,
    // whether one island or many small ones, gets one round (by the whole graph, like the
    // attempts, so that many islands do not multiply the work; bench/README.md).
    const std::uint32_t effort_size = std::max(size, supers);
    options.greedy_passes = effort_size <= 200000 ? 30 : 4;
    options.search_rounds = effort_size <= 50000 ? 4 : 1;
    options.patience = effort_size <= 50000 ? 20 : 8;
    // Large graphs (by the whole graph, like the attempts): a large island is divided by
    // the multilevel scheme (METIS' k-way partitioner spends most of its time on four
    // recursive bisections of its coarsest graph; one on ours does), small islands start
    // from one recursive bisection, and the FM searches start only at promising vertices.
    options.coarsen_per_part = size > 50000 ? 20 : 0;
    options.recursive_initial = supers > 50000;
    options.search_seed_loss = supers > 50000 ? 1.5 : 0;
    const std::size_t before = done;
    if (spec.progress)
      options.progress = [&](double f) {
        report((static_cast<double>(before) + f * size) / static_cast<double>(supers));
      };
    auto local_part = detail::solve_component(island, options);
    if (!floor_fields.empty() && !fixed) {
      // Floors: the division is repaired on the island (compounds contracted); when a part
      // is still short and one part fewer still fits the maximum, the island is divided
      // again into k - 1 parts, kept while that lowers the shortfall without worsening the
      // bounds (a cell of small houses without party members merges into its neighbours).
      UnitGraph ug;
      ug.offsets = island.xadj;
      ug.targets = island.adj;
      ug.edge_length = island.cost;
      ug.edge_barrier.assign(island.adj.size(), 0);
      ug.weight = island.weight;
      detail::FloorRepairSpec floors;
      floors.lo = lo;
      floors.hi = hi;
      ug.secondary = island.floor_values;
      floors.minimum = island.floor_minimum;
      auto judged = [&](std::vector<std::int32_t>& part) {
        detail::repair_floors(ug, part, floors);
        return detail::floor_state(ug, part, floors);
      };
      auto best = judged(local_part);
      // Further divisions while a part is short: fresh seeds with few tries each (diverse
      // divisions rather than the best cut), first with k parts, then with fewer.
      const double kmin = std::max(1.0, std::ceil(comp_weight[c] / hi - 1e-9));
      const int attempts = size <= 2000 ? 24 : 2;
      for (std::int32_t parts = k; best.shortfall > 1e-9 && parts >= kmin; --parts) {
        for (int a = 0; a < attempts && best.shortfall > 1e-9; ++a) {
          auto again = options;
          again.parts = parts;
          const double mean_p = comp_weight[c] / parts;
          again.bounds = (mean_p >= lo && mean_p <= hi)
                             ? Bounds{lo, hi}
                             : Bounds{mean_p - half_width, mean_p + half_width};
          again.seed = splitmix64(options.seed ^
                                  splitmix64(static_cast<std::uint64_t>(1000 * parts + a + 1)));
          again.tries = 2;
          again.stall_tries = 0;
          again.time_limit_s = 0;
          again.progress = nullptr;
          auto part = detail::solve_component(island, again);
          const auto state = judged(part);
          if (state.bound_violation <= best.bound_violation + 1e-9 * std::max(1.0, hi) &&
              state.shortfall < best.shortfall - 1e-9) {
            best = state;
            local_part = std::move(part);
          }
        }
      }
    }
    std::int32_t used = 0;
    for (auto i = comp_offset[c]; i < comp_offset[c + 1]; ++i) {
      const auto p = local_part[i - comp_offset[c]];
      super_part[order[i]] = next_part + p;
      used = std::max(used, p + 1);
    }
    next_part += used;
    done += size;
    report(static_cast<double>(done) / static_cast<double>(supers));
  }

  // 6. Result and judgement.
  result.parts = next_part;
  if (fixed && next_part < spec.parts)
    result.violations.push_back(
        Violation{-1, "parts",
                  fmt::format("{} parts were requested but the graph has only {} indivisible units "
                              "(units or whole compounds), so the plan has {} parts",
                              spec.parts, supers, next_part)});
  for (std::size_t v = 0; v < n; ++v) result.part[v] = super_part[super[v]];
  if (!spec.secondary_floors.empty()) {
    detail::FloorRepairSpec floors;
    floors.minimum = spec.secondary_floors;
    floors.lo = lo;
    floors.hi = hi;
    floors.hard_barriers = spec.hard_barriers;
    detail::repair_floors(g, result.part, floors);
  }
  result.part_weight.assign(static_cast<std::size_t>(result.parts), 0.0);
  for (std::size_t v = 0; v < n; ++v)
    result.part_weight[static_cast<std::size_t>(result.part[v])] += g.weight[v];
  for (std::size_t v = 0; v < n; ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
      if (g.targets[k] > v && result.part[g.targets[k]] != result.part[v]) {
        ++result.cut_edges;
        result.cut_length += g.edge_length[k];
      }

  // Which block each part lies in, its units and its heaviest unit, for the explanations.
  std::vector<std::uint32_t> part_comp(static_cast<std::size_t>(result.parts), 0);
  std::vector<std::int64_t> part_heavy(static_cast<std::size_t>(result.parts), -1);
  for (std::size_t v = 0; v < n; ++v) {
    const auto p = static_cast<std::size_t>(result.part[v]);
    part_comp[p] = comp[super[v]];
    if (part_heavy[p] < 0 || g.weight[v] > g.weight[static_cast<std::size_t>(part_heavy[p])])
      part_heavy[p] = static_cast<std::int64_t>(v);
  }
  const double tol = 1e-9 * std::max(1.0, total);
  for (std::int32_t p = 0; p < result.parts; ++p) {
    const double w = result.part_weight[static_cast<std::size_t>(p)];
    if (!(w > hi + tol) && !(w < lo - tol)) continue;
    const auto c = part_comp[static_cast<std::size_t>(p)];
    const auto heavy = part_heavy[static_cast<std::size_t>(p)];
    const double heavy_w = heavy >= 0 ? g.weight[static_cast<std::size_t>(heavy)] : 0.0;
    Violation viol(p, w > hi + tol ? "max" : "min", "");
    viol.block_weight = comp_weight[c];
    std::string why;
    if (heavy >= 0 && heavy_w > hi + tol) {
      viol.cause = "oversized";
      viol.vertex = heavy;
      viol.vertex_weight = heavy_w;
      why = fmt::format(": vertex {} alone weighs {}, more than the maximum; it is a part of its "
                        "own",
                        heavy, weight_text(heavy_w));
    } else if (comp_parts[c] == 1 && comp_weight[c] < lo - tol) {
      viol.cause = "island";
      why = islands == 1 ? fmt::format(": the whole graph weighs only {}", weight_text(total))
                         : fmt::format(": it is a separate island (not adjacent to the rest) "
                                       "weighing {} in all",
                                       weight_text(comp_weight[c]));
    } else if (!comp_feasible[c]) {
      viol.cause = "indivisible";
      why = fmt::format(
          ": its block weighs {}, which no whole number of parts within [{}, {}] can add up to",
          weight_text(comp_weight[c]), weight_text(lo), weight_text(hi));
    } else {
      viol.cause = "search";
      why = fmt::format(": a division of its block ({} in {} parts) within bounds may exist, "
                        "but the search did not find one",
                        weight_text(comp_weight[c]), comp_parts[c]);
    }
    viol.reason = fmt::format("part {} weighs {}, {} the {} {}{}", p, weight_text(w),
                              viol.rule == "max" ? "above" : "below",
                              viol.rule == "max" ? "maximum" : "minimum",
                              weight_text(viol.rule == "max" ? hi : lo), why);
    result.violations.push_back(std::move(viol));
  }
  // Contiguity, checked on the graph itself (through allowed edges).
  {
    std::vector<std::uint8_t> seen(n, 0), part_seen(static_cast<std::size_t>(result.parts), 0);
    std::vector<std::uint32_t> stack;
    for (std::size_t s = 0; s < n; ++s) {
      if (seen[s]) continue;
      const auto p = result.part[s];
      if (part_seen[static_cast<std::size_t>(p)]++ == 1)
        result.violations.push_back(Violation{
            p, "contiguity",
            fmt::format(
                "part {} is not connected: its units are in disconnected groups (a compound whose "
                "units are not adjacent to each other)",
                p)});
      seen[s] = 1;
      stack.push_back(static_cast<std::uint32_t>(s));
      while (!stack.empty()) {
        const auto v = stack.back();
        stack.pop_back();
        for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
          const auto u = g.targets[k];
          if (!seen[u] && allowed(k) && result.part[u] == p) {
            seen[u] = 1;
            stack.push_back(u);
          }
        }
      }
    }
  }
  // Compounds split over several parts.
  if (has_groups) {
    std::vector<std::int32_t> first_part(group_weight.size(), -1);
    std::vector<std::uint32_t> spread(group_weight.size(), 0);
    std::vector<std::uint8_t> reported(group_weight.size(), 0);
    for (std::size_t v = 0; v < n; ++v) {
      if (g.group[v] < 0) continue;
      const auto gi = static_cast<std::size_t>(g.group[v]);
      if (first_part[gi] == -1)
        first_part[gi] = result.part[v];
      else if (first_part[gi] != result.part[v])
        spread[gi] = 1;
    }
    for (std::size_t v = 0; v < n; ++v) {
      if (g.group[v] < 0) continue;
      const auto gi = static_cast<std::size_t>(g.group[v]);
      if (!spread[gi] || reported[gi]) continue;
      reported[gi] = 1;
      const std::string why =
          group_weight[gi] > hi
              ? fmt::format("weighs {}, more than the maximum {}, so it is split along unit lines",
                            weight_text(group_weight[gi]), weight_text(hi))
              : "has units that are not adjacent to each other (or only across a hard barrier), so "
                "its pieces were placed separately";
      result.violations.push_back(
          Violation{first_part[gi], "compound",
                    fmt::format("compound {} is split over several parts: it {}", gi, why)});
    }
  }
  report(1);
  return result;
}

} // namespace gp::planner
