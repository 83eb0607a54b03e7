// Merging several divisions of one graph (多网合一): validation, locks, the choose-one
// method (repair each input, keep the candidate closest to all inputs), and the figures
// both methods report. The consensus method is in consensus.cpp. See docs/user/merge.md.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include <fmt/core.h>

#include "consensus.hpp"
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
              const std::vector<std::int32_t>& result, double& kept, double& total, double& added) {
  kept = total = added = 0;
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v || input[v] < 0 || input[u] < 0) continue;
      const double len = k < g.edge_length.size() ? g.edge_length[k] : 1.0;
      if (input[v] == input[u]) {
        if (result[v] != result[u]) added += len;
        continue;
      }
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

namespace {

MergeResult choose_one(const UnitGraph& g, const std::vector<std::vector<std::int32_t>>& inputs,
                       const std::vector<std::int32_t>& input_parts, const RebalanceSpec& spec,
                       const std::vector<std::vector<std::int32_t>>& locks) {
  MergeResult best;
  double best_score = std::numeric_limits<double>::infinity();
  double best_cut = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    RebalanceSpec sk = spec;
    sk.locked_parts = locks[k]; // each input's own locks apply to its own repair
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
  return best;
}

/// Relabels a consensus result into the id space of `base` (each result part takes the id
/// of the base part it shares most weight with, each id once, largest shares first) and
/// recomputes the change figures relative to `base`.
RebalanceResult relabel(const UnitGraph& g, RebalanceResult rr,
                        const std::vector<std::int32_t>& base, std::int32_t base_parts) {
  const std::size_t n = g.vertex_count();
  std::map<std::pair<std::int32_t, std::int32_t>, double> shared; // (result, base) -> weight
  for (std::size_t v = 0; v < n; ++v)
    if (base[v] >= 0 && rr.part[v] >= 0) shared[{rr.part[v], base[v]}] += g.weight[v] + 1e-6;
  std::vector<std::tuple<double, std::int32_t, std::int32_t>> pairs;
  for (const auto& [key, w] : shared) pairs.emplace_back(-w, key.second, key.first);
  std::sort(pairs.begin(), pairs.end());
  std::map<std::int32_t, std::int32_t> id;
  std::set<std::int32_t> used;
  for (const auto& [negw, b, r] : pairs)
    if (!id.count(r) && !used.count(b)) {
      id[r] = b;
      used.insert(b);
    }
  std::int32_t next = base_parts;
  for (auto& p : rr.part) // new ids in order of lowest vertex
    if (p >= 0 && !id.count(p)) id[p] = next++;
  for (auto& viol : rr.violations)
    if (viol.part >= 0 && id.count(viol.part)) viol.part = id[viol.part];
  for (auto& p : rr.part)
    if (p >= 0) p = id[p];

  RebalanceResult out = std::move(rr);
  out.parts = next;
  out.existing_parts = base_parts;
  out.unchanged_parts.clear();
  out.changed_parts.clear();
  out.new_parts.clear();
  out.retired_parts.clear();
  out.moved_weight = out.gap_weight = 0;
  out.moved_vertices = out.gap_vertices = 0;
  std::vector<std::uint8_t> had(static_cast<std::size_t>(base_parts), 0),
      has(static_cast<std::size_t>(next), 0), differs(static_cast<std::size_t>(next), 0);
  for (std::size_t v = 0; v < n; ++v) {
    const auto b = base[v], p = out.part[v];
    if (b >= 0) had[static_cast<std::size_t>(b)] = 1;
    if (p >= 0) has[static_cast<std::size_t>(p)] = 1;
    if (b == p) continue;
    if (b >= 0) differs[static_cast<std::size_t>(b)] = 1;
    if (p >= 0) differs[static_cast<std::size_t>(p)] = 1;
    if (b >= 0) {
      out.moved_weight += g.weight[v];
      ++out.moved_vertices;
    } else {
      out.gap_weight += g.weight[v];
      ++out.gap_vertices;
    }
  }
  for (std::int32_t p = 0; p < base_parts; ++p) {
    const auto i = static_cast<std::size_t>(p);
    if (!had[i] && !has[i]) continue;
    if (!has[i])
      out.retired_parts.push_back(p);
    else if (differs[i])
      out.changed_parts.push_back(p);
    else
      out.unchanged_parts.push_back(p);
  }
  for (std::int32_t p = base_parts; p < next; ++p) out.new_parts.push_back(p);
  return out;
}

/// Per input, per result part: the input part with exactly the same vertices, or -1.
std::vector<std::vector<std::int32_t>>
same_parts(const std::vector<std::vector<std::int32_t>>& inputs,
           const std::vector<std::int32_t>& input_parts, const std::vector<std::int32_t>& part,
           std::int32_t parts) {
  std::vector<std::size_t> size(static_cast<std::size_t>(parts), 0);
  for (const auto p : part)
    if (p >= 0) ++size[static_cast<std::size_t>(p)];
  std::vector<std::vector<std::int32_t>> same(inputs.size());
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    std::vector<std::size_t> input_size(static_cast<std::size_t>(input_parts[k]), 0);
    for (const auto p : inputs[k])
      if (p >= 0) ++input_size[static_cast<std::size_t>(p)];
    // candidate[r]: the input part of r's first vertex; -2 = none yet; -1 = no match.
    std::vector<std::int32_t> candidate(static_cast<std::size_t>(parts), -2);
    for (std::size_t v = 0; v < part.size(); ++v) {
      if (part[v] < 0) continue;
      auto& c = candidate[static_cast<std::size_t>(part[v])];
      if (c == -2)
        c = inputs[k][v];
      else if (c != inputs[k][v])
        c = -1;
    }
    same[k].assign(static_cast<std::size_t>(parts), -1);
    for (std::size_t r = 0; r < candidate.size(); ++r) {
      const auto c = candidate[r];
      if (c >= 0 && input_size[static_cast<std::size_t>(c)] == size[r]) same[k][r] = c;
    }
  }
  return same;
}

/// Per vertex: whether two inputs placing it put it in cells that are not each other's
/// best match (most shared weight, then lowest id).
std::vector<std::uint8_t> disputed_vertices(const UnitGraph& g,
                                            const std::vector<std::vector<std::int32_t>>& inputs,
                                            const std::vector<std::int32_t>& input_parts) {
  const std::size_t n = g.vertex_count();
  // best[k][l][c]: the part of input l sharing most weight with part c of input k.
  auto best_match = [&](std::size_t k, std::size_t l) {
    std::vector<std::map<std::int32_t, double>> shared(static_cast<std::size_t>(input_parts[k]));
    for (std::size_t v = 0; v < n; ++v)
      if (inputs[k][v] >= 0 && inputs[l][v] >= 0)
        shared[static_cast<std::size_t>(inputs[k][v])][inputs[l][v]] += g.weight[v] + 1e-6;
    std::vector<std::int32_t> best(shared.size(), -1);
    for (std::size_t c = 0; c < shared.size(); ++c) {
      double w = -1;
      for (const auto& [d, sw] : shared[c])
        if (sw > w + 1e-12) {
          w = sw;
          best[c] = d;
        }
    }
    return best;
  };
  std::vector<std::uint8_t> out(n, 0);
  for (std::size_t k = 0; k < inputs.size(); ++k)
    for (std::size_t l = k + 1; l < inputs.size(); ++l) {
      const auto kl = best_match(k, l), lk = best_match(l, k);
      for (std::size_t v = 0; v < n; ++v) {
        const auto a = inputs[k][v], b = inputs[l][v];
        if (a < 0 || b < 0) continue;
        if (kl[static_cast<std::size_t>(a)] != b || lk[static_cast<std::size_t>(b)] != a)
          out[v] = 1;
      }
    }
  return out;
}

} // namespace

MergeResult merge_assignments(const UnitGraph& g,
                              const std::vector<std::vector<std::int32_t>>& inputs,
                              const std::vector<std::int32_t>& input_parts,
                              const RebalanceSpec& spec, const MergeOptions& options) {
  if (inputs.empty()) throw UsageError("merge: no input divisions");
  if (input_parts.size() != inputs.size())
    throw UsageError(
        fmt::format("merge: {} inputs but {} part counts", inputs.size(), input_parts.size()));
  const std::size_t n = g.vertex_count();
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k].size() != n)
      throw UsageError(fmt::format("merge: input {} has {} entries for {} vertices", k + 1,
                                   inputs[k].size(), n));
    for (const auto p : inputs[k])
      if (p < -1 || p >= input_parts[k])
        throw UsageError(fmt::format("merge: input {} has part {} out of range [0, {})", k + 1, p,
                                     input_parts[k]));
  }
  std::vector<double> weights = options.weights;
  if (weights.empty()) weights.assign(inputs.size(), 1.0);
  if (weights.size() != inputs.size())
    throw UsageError(fmt::format("merge: {} weights for {} inputs", weights.size(), inputs.size()));
  for (const auto w : weights)
    if (!(w > 0) || !std::isfinite(w))
      throw UsageError(fmt::format("merge: input weight {} must be a positive number", w));

  // Locks per input; a lock overlapping an earlier accepted one is ignored.
  std::vector<std::vector<std::int32_t>> locks = options.locked_parts;
  if (locks.empty()) {
    locks.resize(inputs.size());
    locks[0] = spec.locked_parts;
  }
  locks.resize(inputs.size());
  MergeResult out;
  detail::MergeLocks merge_locks;
  merge_locks.cluster_of_vertex.assign(n, -1);
  std::vector<std::vector<std::int32_t>> accepted(inputs.size());
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    std::vector<std::int32_t> parts = locks[k];
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    for (const auto p : parts) {
      if (p < 0 || p >= input_parts[k]) continue;
      bool overlaps = false, present = false;
      for (std::size_t v = 0; v < n; ++v)
        if (inputs[k][v] == p) {
          present = true;
          overlaps = overlaps || merge_locks.cluster_of_vertex[v] >= 0;
        }
      if (!present) continue;
      if (overlaps) {
        out.ignored_locks.emplace_back(k, p);
        continue;
      }
      accepted[k].push_back(p);
      const auto id = static_cast<std::int32_t>(merge_locks.clusters++);
      for (std::size_t v = 0; v < n; ++v)
        if (inputs[k][v] == p) merge_locks.cluster_of_vertex[v] = id;
    }
  }

  if (options.method == MergeMethod::choose_one) {
    const auto ignored = std::move(out.ignored_locks);
    out = choose_one(g, inputs, input_parts, spec, accepted);
    out.ignored_locks = ignored;
  } else {
    RebalanceSpec s = spec;
    s.locked_parts.clear();
    RebalanceResult rr =
        detail::consensus_merge(g, inputs, weights, merge_locks, s, out.pieces, out.joins);
    // The vote result competes with each input repaired alone (the choose-one candidates)
    // on the weighted boundary disagreement; a candidate must keep every accepted lock and
    // follow the rules at least as well.
    bool rr_follows = detail::follows_rules(g, rr.part, s);
    double best = detail::boundary_disagreement(g, inputs, weights, rr.part);
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      RebalanceSpec sk = s;
      sk.locked_parts = accepted[k];
      RebalanceResult candidate = rebalance(g, inputs[k], input_parts[k], sk);
      if (!detail::keeps_locks(candidate.part, merge_locks.cluster_of_vertex)) continue;
      const bool follows = detail::follows_rules(g, candidate.part, s);
      if (rr_follows && !follows) continue;
      const double score = detail::boundary_disagreement(g, inputs, weights, candidate.part);
      if (score < best - 1e-9 || (follows && !rr_follows)) {
        best = score;
        rr = std::move(candidate);
        rr_follows = follows;
        out.from_input = static_cast<std::int64_t>(k);
      }
    }
    out.result = relabel(g, rr, inputs[0], input_parts[0]);
    out.chosen_input = 0;
  }

  const auto& part = out.result.part;
  for (const auto& input : inputs) {
    out.changed_weight.push_back(changed_weight(g, input, part));
    double kept = 0, total = 0, added = 0;
    boundary(g, input, part, kept, total, added);
    out.boundary_kept.push_back(kept);
    out.boundary_total.push_back(total);
    out.boundary_added.push_back(added);
  }
  for (std::uint32_t v = 0; v < n; ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v) continue;
      bool shared = true;
      for (const auto& in : inputs) shared = shared && in[v] >= 0 && in[u] >= 0 && in[v] != in[u];
      if (!shared) continue;
      const double len = k < g.edge_length.size() ? g.edge_length[k] : 1.0;
      out.shared_boundary_total += len;
      if (part[v] != part[u]) out.shared_boundary_kept += len;
    }
  out.same_as = same_parts(inputs, input_parts, part, out.result.parts);
  out.disputed = disputed_vertices(g, inputs, input_parts);
  return out;
}

} // namespace gp::planner
