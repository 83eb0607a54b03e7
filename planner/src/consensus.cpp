// The consensus merge of several divisions of one graph (多网合一). Outline (details in
// docs/user/merge.md, "How it works"):
//   1. pieces: the finest common refinement of the inputs — connected vertices with the same
//      signature (the tuple of their input parts) — with compounds that fit in a cell and
//      locked parts each kept in one piece;
//   2. votes: on every edge between pieces, each input votes "together" (same part) or
//      "apart" with its weight; joining two pieces gains sum((together - apart) * length)
//      over the edges between them;
//   3. joins by vote: the pair with the largest positive gain is joined first, while the
//      result stays within the maximum (so boundaries a weighted majority draws are kept);
//   4. pieces lighter than the minimum join the neighbour that loses the least agreed
//      boundary (and has room);
//   5. repair: rebalance() of that division fixes what is still broken (bounds, groups)
//      moving the fewest households; locked clusters are locked parts;
//   6. polish: single vertex moves between touched parts that raise the vote gain and keep
//      every rule.
// The objective is the weighted median partition under the boundary-length distance:
// sum over inputs of weight x (length of boundaries in the result and not in the input +
// length of the input's boundaries not in the result); steps 3-6 are greedy.

#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <set>
#include <tuple>
#include <utility>

#include <boost/pending/disjoint_sets.hpp>

#include "consensus.hpp"
#include "gp/planner/rebalance.hpp"

namespace gp::planner::detail {
namespace {

constexpr double kEps = 1e-9;

bool barrier_edge(const UnitGraph& g, std::size_t k) {
  return k < g.edge_barrier.size() && g.edge_barrier[k] != 0;
}

double length_of(const UnitGraph& g, std::size_t k) {
  return k < g.edge_length.size() ? g.edge_length[k] : 1.0;
}

/// Per directed edge: sum over inputs placing both ends of weight x (+1 together, -1 apart),
/// times the edge length. Positive = a weighted majority puts the ends in one part.
std::vector<double> edge_votes(const UnitGraph& g,
                               const std::vector<std::vector<std::int32_t>>& inputs,
                               const std::vector<double>& weights) {
  std::vector<double> vote(g.targets.size(), 0.0);
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      double s = 0;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto a = inputs[i][v], b = inputs[i][u];
        if (a < 0 || b < 0) continue;
        s += a == b ? weights[i] : -weights[i];
      }
      vote[k] = s * length_of(g, k);
    }
  return vote;
}

/// Clusters of pieces joined by vote (steps 3 and 4).
class Clusters {
public:
  Clusters(std::vector<double> weight, std::vector<std::uint8_t> locked,
           std::vector<std::map<std::uint32_t, double>> gain, double min_w, double max_w)
      : weight_(std::move(weight)), locked_(std::move(locked)), gain_(std::move(gain)),
        alive_(weight_.size(), 1), parent_(weight_.size()), min_(min_w), max_(max_w) {
    for (std::uint32_t c = 0; c < parent_.size(); ++c) parent_[c] = c;
  }

  /// Step 3: joins with positive gain, largest first, within the maximum.
  void join_by_vote() {
    using Item = std::tuple<double, std::uint32_t, std::uint32_t>; // gain, -a, -b via order
    auto cmp = [](const Item& x, const Item& y) {
      if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) < std::get<0>(y);
      if (std::get<1>(x) != std::get<1>(y)) return std::get<1>(x) > std::get<1>(y);
      return std::get<2>(x) > std::get<2>(y);
    };
    std::priority_queue<Item, std::vector<Item>, decltype(cmp)> queue(cmp);
    auto push_all = [&](std::uint32_t a) {
      for (const auto& [b, gain] : gain_[a])
        if (gain > kEps) queue.emplace(gain, std::min(a, b), std::max(a, b));
    };
    for (std::uint32_t a = 0; a < gain_.size(); ++a) push_all(a);
    while (!queue.empty()) {
      const auto [gain, a, b] = queue.top();
      queue.pop();
      if (!alive_[a] || !alive_[b] || locked_[a] || locked_[b]) continue;
      const auto it = gain_[a].find(b);
      if (it == gain_[a].end() || std::abs(it->second - gain) > kEps) continue; // stale
      if (weight_[a] + weight_[b] > max_ + kEps) continue;
      push_all(join(a, b));
    }
  }

  /// Step 4: clusters below the minimum join the neighbour losing the least (largest
  /// gain) with room; lightest first.
  void absorb_light() {
    std::set<std::pair<double, std::uint32_t>> light;
    for (std::uint32_t c = 0; c < weight_.size(); ++c)
      if (alive_[c] && !locked_[c] && weight_[c] < min_ - kEps) light.emplace(weight_[c], c);
    while (!light.empty()) {
      const auto c = light.begin()->second;
      light.erase(light.begin());
      if (!alive_[c]) continue;
      std::int64_t best = -1;
      double best_gain = 0;
      for (const auto& [b, gain] : gain_[c]) {
        if (!alive_[b] || locked_[b] || weight_[b] + weight_[c] > max_ + kEps) continue;
        if (best < 0 || gain > best_gain + kEps) {
          best = b;
          best_gain = gain;
        }
      }
      if (best < 0) continue; // left to the repair
      const auto other = static_cast<std::uint32_t>(best);
      light.erase({weight_[other], other});
      const auto kept = join(c, other);
      if (weight_[kept] < min_ - kEps) light.emplace(weight_[kept], kept);
    }
  }

  std::uint32_t find(std::uint32_t c) const {
    while (parent_[c] != c) c = parent_[c];
    return c;
  }
  std::size_t joins() const { return joins_; }

private:
  /// Joins the two clusters into the lower id; returns it.
  std::uint32_t join(std::uint32_t a, std::uint32_t b) {
    if (b < a) std::swap(a, b);
    ++joins_;
    weight_[a] += weight_[b];
    alive_[b] = 0;
    parent_[b] = a;
    gain_[a].erase(b);
    for (const auto& [x, gain] : gain_[b]) {
      if (x == a) continue;
      gain_[a][x] += gain;
      gain_[x].erase(b);
      gain_[x][a] += gain;
    }
    gain_[b].clear();
    return a;
  }

  std::vector<double> weight_;
  std::vector<std::uint8_t> locked_;
  std::vector<std::map<std::uint32_t, double>> gain_;
  std::vector<std::uint8_t> alive_;
  std::vector<std::uint32_t> parent_;
  double min_, max_;
  std::size_t joins_ = 0;
};

/// Whether part p (members listed by `part`) stays connected without v.
bool connected_without(const UnitGraph& g, const std::vector<std::int32_t>& part, std::uint32_t v,
                       bool hard_barriers, std::vector<std::uint32_t>& stamp,
                       std::uint32_t& clock) {
  const auto p = part[v];
  std::uint32_t start = v;
  std::size_t members = 0;
  for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
    if (part[g.targets[k]] == p) start = g.targets[k];
  if (start == v) return false; // v alone (or only joined through barriers)
  for (const auto x : part)
    if (x == p) ++members;
  ++clock;
  stamp[v] = clock;
  stamp[start] = clock;
  std::vector<std::uint32_t> queue{start};
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const auto x = queue[i];
    for (auto k = g.offsets[x]; k < g.offsets[x + 1]; ++k) {
      const auto u = g.targets[k];
      if (part[u] != p || stamp[u] == clock || (hard_barriers && barrier_edge(g, k))) continue;
      stamp[u] = clock;
      queue.push_back(u);
    }
  }
  return queue.size() == members - 1;
}

/// Step 6: single moves of ungrouped, unlocked vertices between parts, each raising the
/// vote gain and keeping both parts within bounds and connected. Two passes.
void polish(const UnitGraph& g, const std::vector<double>& vote, std::vector<std::int32_t>& part,
            const std::vector<std::uint8_t>& part_locked, const RebalanceSpec& spec) {
  std::map<std::int32_t, double> weight;
  for (std::size_t v = 0; v < part.size(); ++v)
    if (part[v] >= 0) weight[part[v]] += g.weight[v];
  auto locked = [&](std::int32_t p) {
    return p >= 0 && static_cast<std::size_t>(p) < part_locked.size() &&
           part_locked[static_cast<std::size_t>(p)] != 0;
  };
  std::vector<std::uint32_t> stamp(part.size(), 0);
  std::uint32_t clock = 0;
  for (int pass = 0; pass < 2; ++pass) {
    bool moved = false;
    for (std::uint32_t v = 0; v < part.size(); ++v) {
      const auto from = part[v];
      if (from < 0 || locked(from) || (v < g.group.size() && g.group[v] >= 0)) continue;
      const double wv = g.weight[v];
      if (weight[from] - wv < spec.min_weight - kEps) continue;
      std::map<std::int32_t, double> to_gain; // vote gain of v's edges into each part
      double own = 0;
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
        if (spec.hard_barriers && barrier_edge(g, k)) continue;
        const auto q = part[g.targets[k]];
        if (q == from)
          own += vote[k];
        else if (q >= 0)
          to_gain[q] += vote[k];
      }
      std::int32_t best = -1;
      double best_gain = kEps;
      for (const auto& [q, gq] : to_gain) {
        if (locked(q) || weight[q] + wv > spec.max_weight + kEps) continue;
        if (gq - own > best_gain) {
          best_gain = gq - own;
          best = q;
        }
      }
      if (best < 0 || !connected_without(g, part, v, spec.hard_barriers, stamp, clock)) continue;
      part[v] = best;
      weight[from] -= wv;
      weight[best] += wv;
      moved = true;
    }
    if (!moved) break;
  }
}

} // namespace

namespace {

/// Steps 1-6 on one region.
RebalanceResult vote_division(const UnitGraph& g,
                              const std::vector<std::vector<std::int32_t>>& inputs,
                              const std::vector<double>& weights, const MergeLocks& locks,
                              const RebalanceSpec& spec, std::size_t& pieces, std::size_t& joins) {
  const std::size_t n = g.vertex_count();
  const auto lock_of = [&](std::uint32_t v) {
    return v < locks.cluster_of_vertex.size() ? locks.cluster_of_vertex[v] : -1;
  };
  std::map<std::int32_t, double> group_weight;
  for (std::size_t v = 0; v < n && v < g.group.size(); ++v)
    if (g.group[v] >= 0) group_weight[g.group[v]] += g.weight[v];

  // 1. Pieces.
  std::vector<std::size_t> rank(n, 0), parent(n, 0);
  boost::disjoint_sets<std::size_t*, std::size_t*> sets(rank.data(), parent.data());
  for (std::size_t v = 0; v < n; ++v) sets.make_set(v);
  for (std::uint32_t v = 0; v < n; ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v || (spec.hard_barriers && barrier_edge(g, k))) continue;
      bool same = false;
      if (lock_of(v) >= 0 || lock_of(u) >= 0) {
        same = lock_of(v) == lock_of(u);
      } else {
        same = true;
        for (const auto& in : inputs) same = same && in[v] == in[u];
        const bool grouped = v < g.group.size() && g.group[v] >= 0 && g.group[v] == g.group[u] &&
                             group_weight[g.group[v]] <= spec.max_weight + kEps;
        same = same || grouped;
      }
      if (same) sets.union_set(v, u);
    }
  std::vector<std::uint32_t> piece_of(n, 0);
  std::map<std::size_t, std::uint32_t> id_of_root;
  for (std::size_t v = 0; v < n; ++v) {
    const auto [it, fresh] =
        id_of_root.emplace(sets.find_set(v), static_cast<std::uint32_t>(id_of_root.size()));
    piece_of[v] = it->second;
    (void)fresh;
  }
  pieces += id_of_root.size();
  const std::size_t piece_count = id_of_root.size();

  // 2. Votes between pieces.
  const auto vote = edge_votes(g, inputs, weights);
  std::vector<double> weight(piece_count, 0);
  std::vector<std::uint8_t> locked(piece_count, 0);
  std::vector<std::map<std::uint32_t, double>> gain(piece_count);
  for (std::uint32_t v = 0; v < n; ++v) {
    weight[piece_of[v]] += g.weight[v];
    if (lock_of(v) >= 0) locked[piece_of[v]] = 1;
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto a = piece_of[v], b = piece_of[g.targets[k]];
      if (a == b || (spec.hard_barriers && barrier_edge(g, k))) continue;
      gain[a][b] += vote[k];
    }
  }

  // 3-4. Joins.
  Clusters clusters(std::move(weight), locked, std::move(gain), spec.min_weight, spec.max_weight);
  clusters.join_by_vote();
  clusters.absorb_light();
  joins += clusters.joins();

  // Clusters numbered by lowest vertex; locked pieces stay locked parts.
  std::vector<std::int32_t> assignment(n, -1);
  std::map<std::uint32_t, std::int32_t> id_of_cluster;
  RebalanceSpec repair = spec;
  repair.locked_parts.clear();
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto c = clusters.find(piece_of[v]);
    const auto [it, fresh] =
        id_of_cluster.emplace(c, static_cast<std::int32_t>(id_of_cluster.size()));
    assignment[v] = it->second;
    if (fresh && locked[c]) repair.locked_parts.push_back(it->second);
  }
  const auto cluster_count = static_cast<std::int32_t>(id_of_cluster.size());

  // 5. Repair.
  RebalanceResult rr = rebalance(g, assignment, cluster_count, repair);

  // 6. Polish, then judge again.
  std::vector<std::uint8_t> part_locked(static_cast<std::size_t>(rr.parts), 0);
  for (const auto p : repair.locked_parts) part_locked[static_cast<std::size_t>(p)] = 1;
  polish(g, vote, rr.part, part_locked, spec);
  rr.violations =
      check_assignment(g, rr.part, spec.min_weight, spec.max_weight, spec.hard_barriers);
  return rr;
}

/// The subgraph induced by `verts` (ascending); local[v] = index in verts or -1.
UnitGraph induced(const UnitGraph& g, const std::vector<std::uint32_t>& verts,
                  const std::vector<std::int32_t>& local) {
  std::vector<Edge> edges;
  for (const auto v : verts)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u > v && local[u] >= 0)
        edges.push_back(Edge{static_cast<std::uint32_t>(local[v]),
                             static_cast<std::uint32_t>(local[u]), length_of(g, k),
                             barrier_edge(g, k)});
    }
  UnitGraph h = graph_from_edges(verts.size(), edges);
  for (std::size_t i = 0; i < verts.size(); ++i) {
    h.weight[i] = g.weight[verts[i]];
    if (verts[i] < g.position.size()) h.position[i] = g.position[verts[i]];
    if (verts[i] < g.group.size()) h.group[i] = g.group[verts[i]];
  }
  return h;
}

} // namespace

double boundary_disagreement(const UnitGraph& g,
                             const std::vector<std::vector<std::int32_t>>& inputs,
                             const std::vector<double>& weights,
                             const std::vector<std::int32_t>& part) {
  double d = 0;
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v) continue;
      const bool cut = part[v] != part[u];
      for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i][v] >= 0 && inputs[i][u] >= 0 && (inputs[i][v] != inputs[i][u]) != cut)
          d += weights[i] * length_of(g, k);
    }
  return d;
}

// Groups heavier than the maximum are necessarily split; check_assignment still lists them.
bool follows_rules(const UnitGraph& g, const std::vector<std::int32_t>& part,
                   const RebalanceSpec& spec) {
  for (const auto& v :
       check_assignment(g, part, spec.min_weight, spec.max_weight, spec.hard_barriers))
    if (v.rule != "compound") return false;
  std::map<std::int32_t, double> weight;
  std::map<std::int32_t, std::set<std::int32_t>> parts;
  for (std::size_t v = 0; v < part.size() && v < g.group.size(); ++v)
    if (g.group[v] >= 0) {
      weight[g.group[v]] += g.weight[v];
      parts[g.group[v]].insert(part[v]);
    }
  for (const auto& [group, ps] : parts)
    if (ps.size() > 1 && weight[group] <= spec.max_weight + kEps) return false;
  return true;
}

bool keeps_locks(const std::vector<std::int32_t>& part, const std::vector<std::int32_t>& lock) {
  std::map<std::int32_t, std::int32_t> part_of_lock, lock_of_part;
  for (std::size_t v = 0; v < part.size(); ++v) {
    if (lock[v] >= 0 && part_of_lock.emplace(lock[v], part[v]).first->second != part[v])
      return false;
    if (lock_of_part.emplace(part[v], lock[v]).first->second != lock[v]) return false;
  }
  return true;
}

// Regions: the graph cut along the boundaries every input draws. Each region is a union of
// cells of every input, so an input valid there is a valid division of it; per region the
// candidate (the vote division, or an input valid there) closest to all inputs is kept.
RebalanceResult consensus_merge(const UnitGraph& g,
                                const std::vector<std::vector<std::int32_t>>& inputs,
                                const std::vector<double>& weights, const MergeLocks& locks,
                                const RebalanceSpec& spec, std::size_t& pieces,
                                std::size_t& joins) {
  const std::size_t n = g.vertex_count();
  pieces = joins = 0;
  std::vector<std::int32_t> region(n, -1);
  std::int32_t regions = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (region[s] >= 0) continue;
    region[s] = regions;
    std::vector<std::uint32_t> queue{s};
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const auto v = queue[i];
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
        const auto u = g.targets[k];
        if (region[u] >= 0) continue;
        bool shared = true;
        for (const auto& in : inputs) shared = shared && in[v] >= 0 && in[u] >= 0 && in[v] != in[u];
        if (shared) continue;
        region[u] = regions;
        queue.push_back(u);
      }
    }
    ++regions;
  }
  std::vector<std::vector<std::uint32_t>> members(static_cast<std::size_t>(regions));
  for (std::uint32_t v = 0; v < n; ++v) members[static_cast<std::size_t>(region[v])].push_back(v);

  std::vector<std::int32_t> assembled(n, -1);
  std::int32_t next = 0;
  std::set<std::int32_t> locked_parts;
  std::vector<std::int32_t> local(n, -1);
  for (const auto& verts : members) {
    for (std::size_t i = 0; i < verts.size(); ++i) local[verts[i]] = static_cast<std::int32_t>(i);
    const UnitGraph h = induced(g, verts, local);
    std::vector<std::vector<std::int32_t>> sub(inputs.size());
    for (std::size_t k = 0; k < inputs.size(); ++k)
      for (const auto v : verts) sub[k].push_back(inputs[k][v]);
    MergeLocks sub_locks;
    sub_locks.clusters = locks.clusters;
    for (const auto v : verts)
      sub_locks.cluster_of_vertex.push_back(
          v < locks.cluster_of_vertex.size() ? locks.cluster_of_vertex[v] : -1);

    const RebalanceResult voted = vote_division(h, sub, weights, sub_locks, spec, pieces, joins);
    std::vector<std::int32_t> best = voted.part;
    bool best_valid = follows_rules(h, best, spec);
    double best_score = boundary_disagreement(h, sub, weights, best);
    for (std::size_t k = 0; k < sub.size(); ++k) {
      if (std::find(sub[k].begin(), sub[k].end(), -1) != sub[k].end()) continue;
      if (!keeps_locks(sub[k], sub_locks.cluster_of_vertex)) continue;
      if (!follows_rules(h, sub[k], spec)) continue;
      const double score = boundary_disagreement(h, sub, weights, sub[k]);
      if (!best_valid || score < best_score - kEps) {
        best = sub[k];
        best_valid = true;
        best_score = score;
      }
    }
    // Region-local ids -> area ids, in order of lowest vertex.
    std::map<std::int32_t, std::int32_t> id;
    for (std::size_t i = 0; i < verts.size(); ++i) {
      if (best[i] < 0) continue;
      const auto [it, fresh] = id.emplace(best[i], next);
      if (fresh) ++next;
      assembled[verts[i]] = it->second;
      const auto lock = sub_locks.cluster_of_vertex[i];
      if (lock >= 0) locked_parts.insert(it->second);
    }
    for (const auto v : verts) local[v] = -1;
  }

  // Whatever a region could not settle (too light alone, a rule no candidate met) is
  // repaired over the whole graph; valid regions are left as they are.
  RebalanceSpec repair = spec;
  repair.locked_parts.assign(locked_parts.begin(), locked_parts.end());
  return rebalance(g, assembled, next, repair);
}

} // namespace gp::planner::detail
