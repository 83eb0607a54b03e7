// Merging several divisions of one graph (多网合一): repair each with rebalance() and keep
// the candidate closest to all inputs. See docs/user/merge.md.

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/core.h>

#include "gp/core/error.hpp"
#include "gp/planner/rebalance.hpp"

namespace gp::planner {

double changed_weight(const UnitGraph& g, const std::vector<std::int32_t>& input,
                      const std::vector<std::int32_t>& result) {
  // Match each result part to the input part sharing most weight (then most vertices,
  // then the lowest input id; std::map iterates ids in ascending order).
  std::map<std::int32_t, std::map<std::int32_t, std::pair<double, std::size_t>>> shared;
  for (std::size_t v = 0; v < g.vertex_count(); ++v)
    if (input[v] >= 0) {
      auto& s = shared[result[v]][input[v]];
      s.first += g.weight[v];
      ++s.second;
    }
  std::map<std::int32_t, std::int32_t> match;
  for (const auto& [r, inputs] : shared) {
    std::pair<double, std::size_t> best{-1.0, 0};
    for (const auto& [i, s] : inputs)
      if (s.first > best.first + 1e-9 || (s.first >= best.first - 1e-9 && s.second > best.second)) {
        best = s;
        match[r] = i;
      }
  }
  double changed = 0;
  for (std::size_t v = 0; v < g.vertex_count(); ++v)
    if (input[v] >= 0 && match[result[v]] != input[v]) changed += g.weight[v];
  return changed;
}

namespace {

void boundary(const UnitGraph& g, const std::vector<std::int32_t>& input,
              const std::vector<std::int32_t>& result, double& kept, double& total) {
  kept = total = 0;
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v || input[v] < 0 || input[u] < 0 || input[v] == input[u]) continue;
      const double len = k < g.edge_length.size() ? g.edge_length[k] : 1.0;
      total += len;
      if (result[v] != result[u]) kept += len;
    }
}

double cut_length(const UnitGraph& g, const std::vector<std::int32_t>& part) {
  double cut = 0;
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
      if (g.targets[k] > v && part[v] != part[g.targets[k]])
        cut += k < g.edge_length.size() ? g.edge_length[k] : 1.0;
  return cut;
}

} // namespace

MergeResult merge_assignments(const UnitGraph& g,
                              const std::vector<std::vector<std::int32_t>>& inputs,
                              const std::vector<std::int32_t>& input_parts,
                              const RebalanceSpec& spec) {
  if (inputs.empty()) throw UsageError("merge: no input divisions");
  if (input_parts.size() != inputs.size())
    throw UsageError(
        fmt::format("merge: {} inputs but {} part counts", inputs.size(), input_parts.size()));
  MergeResult best;
  double best_score = std::numeric_limits<double>::infinity();
  double best_cut = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    RebalanceSpec sk = spec;
    // Locked parts are the first input's ids: they apply to that input only.
    if (k > 0) sk.locked_parts.clear();
    RebalanceResult candidate = rebalance(g, inputs[k], input_parts[k], sk);
    double score = 0;
    for (const auto& input : inputs) score += changed_weight(g, input, candidate.part);
    const double cut = cut_length(g, candidate.part);
    if (score < best_score - 1e-9 || (score <= best_score + 1e-9 && cut < best_cut - 1e-9)) {
      best_score = score;
      best_cut = cut;
      best.result = std::move(candidate);
      best.chosen_input = k;
    }
  }
  for (const auto& input : inputs) {
    best.changed_weight.push_back(changed_weight(g, input, best.result.part));
    double kept = 0, total = 0;
    boundary(g, input, best.result.part, kept, total);
    best.boundary_kept.push_back(kept);
    best.boundary_total.push_back(total);
  }
  return best;
}

} // namespace gp::planner
