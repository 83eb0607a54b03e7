// Floors on secondary fields as constraints after a division (contract in
// partition_detail.hpp): moves and swaps of boundary items between adjacent parts.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "partition_detail.hpp"

namespace gp::planner::detail {

namespace {

constexpr double kTiny = 1e-9;

class FloorRepair {
public:
  FloorRepair(const UnitGraph& g, std::vector<std::int32_t>& part, const FloorRepairSpec& spec)
      : g_(g), part_(part), spec_(spec) {
    for (std::size_t k = 0; k < spec.minimum.size() && k < g.secondary.size(); ++k)
      if (spec.minimum[k] > 0 && g.secondary[k].size() == g.vertex_count()) fields_.push_back(k);
    std::int32_t parts = 0;
    for (const auto p : part) parts = std::max(parts, p + 1);
    parts_ = parts;
    build_items();
  }

  bool active() const { return !fields_.empty() && parts_ > 1; }

  FloorState state() {
    recount();
    FloorState st;
    for (std::int32_t p = 0; p < parts_; ++p) {
      st.shortfall += shortfall(p);
      st.bound_violation += bound_violation(weight_[static_cast<std::size_t>(p)]);
    }
    return st;
  }

  std::size_t run() {
    std::size_t changes = 0;
    const std::size_t cap = 20 * static_cast<std::size_t>(parts_) + 100;
    recount();
    while (changes < cap) {
      // Parts short of a floor, largest relative shortfall first (ties: lower id).
      std::vector<std::pair<double, std::int32_t>> short_parts;
      for (std::int32_t p = 0; p < parts_; ++p)
        if (!locked(p) && shortfall(p) > kTiny) short_parts.emplace_back(-shortfall(p), p);
      std::sort(short_parts.begin(), short_parts.end());
      bool applied = false;
      for (const auto& [neg, x] : short_parts)
        if (improve(x)) {
          applied = true;
          break;
        }
      if (!applied) break;
      ++changes;
    }
    return changes;
  }

private:
  bool locked(std::int32_t p) const {
    return p < 0 || (static_cast<std::size_t>(p) < spec_.locked.size() &&
                     spec_.locked[static_cast<std::size_t>(p)] != 0);
  }
  bool allowed(std::size_t k) const { return !(spec_.hard_barriers && g_.edge_barrier[k] != 0); }

  // Items: a unit, or the units of one compound that lie in one part (moved together). A
  // compound heavier than the maximum is split along unit lines anyway: its units are
  // items of their own, as in partition() and rebalance().
  void build_items() {
    const std::size_t n = g_.vertex_count();
    item_of_.assign(n, 0);
    std::map<std::int32_t, double> group_weight;
    for (std::size_t v = 0; v < n && v < g_.group.size(); ++v)
      if (g_.group[v] >= 0) group_weight[g_.group[v]] += g_.weight[v];
    std::map<std::pair<std::int32_t, std::int32_t>, std::uint32_t> by_group;
    for (std::size_t v = 0; v < n; ++v) {
      std::int32_t grp = v < g_.group.size() ? g_.group[v] : -1;
      if (grp >= 0 && group_weight[grp] > spec_.hi + 1e-9 * std::max(1.0, spec_.hi)) grp = -1;
      std::uint32_t id = static_cast<std::uint32_t>(items_.size());
      if (grp >= 0) {
        const auto [it, fresh] = by_group.emplace(std::make_pair(grp, part_[v]), id);
        if (!fresh) id = it->second;
      }
      if (id == items_.size()) items_.emplace_back();
      items_[id].push_back(static_cast<std::uint32_t>(v));
      item_of_[v] = id;
    }
  }

  void recount() {
    weight_.assign(static_cast<std::size_t>(parts_), 0.0);
    sum_.assign(fields_.size(), std::vector<double>(static_cast<std::size_t>(parts_), 0.0));
    members_.assign(static_cast<std::size_t>(parts_), {});
    for (std::size_t v = 0; v < g_.vertex_count(); ++v) {
      const auto p = part_[v];
      if (p < 0) continue;
      weight_[static_cast<std::size_t>(p)] += g_.weight[v];
      members_[static_cast<std::size_t>(p)].push_back(static_cast<std::uint32_t>(v));
      for (std::size_t f = 0; f < fields_.size(); ++f)
        sum_[f][static_cast<std::size_t>(p)] += g_.secondary[fields_[f]][v];
    }
  }

  double shortfall_of(const std::vector<double>& sums) const {
    double s = 0;
    for (std::size_t f = 0; f < fields_.size(); ++f) {
      const double m = spec_.minimum[fields_[f]];
      s += std::max(0.0, m - sums[f]) / m;
    }
    return s;
  }
  std::vector<double> sums_of(std::int32_t p) const {
    std::vector<double> s(fields_.size());
    for (std::size_t f = 0; f < fields_.size(); ++f) s[f] = sum_[f][static_cast<std::size_t>(p)];
    return s;
  }
  double shortfall(std::int32_t p) const { return shortfall_of(sums_of(p)); }
  double bound_violation(double w) const {
    const double tol = 1e-9 * std::max(1.0, spec_.hi);
    return std::max(0.0, w - spec_.hi - tol) + std::max(0.0, spec_.lo - tol - w);
  }

  // Weight and field sums of an item.
  struct ItemSums {
    double weight = 0;
    std::vector<double> fields;
  };
  ItemSums item_sums(std::uint32_t item) const {
    ItemSums s;
    s.fields.assign(fields_.size(), 0.0);
    for (const auto v : items_[item]) {
      s.weight += g_.weight[v];
      for (std::size_t f = 0; f < fields_.size(); ++f) s.fields[f] += g_.secondary[fields_[f]][v];
    }
    return s;
  }

  // Boundary length change when `item` moves from its part to `to` (negative = shorter).
  double delta_cut(std::uint32_t item, std::int32_t to) const {
    const auto from = part_[items_[item].front()];
    double d = 0;
    for (const auto v : items_[item])
      for (auto k = g_.offsets[v]; k < g_.offsets[v + 1]; ++k) {
        const auto u = g_.targets[k];
        if (item_of_[u] == item) continue;
        if (part_[u] == from)
          d += g_.edge_length[k];
        else if (part_[u] == to)
          d -= g_.edge_length[k];
      }
    return d;
  }

  // Connected pieces of part p over allowed edges (0 when empty).
  std::size_t pieces(std::int32_t p) {
    const auto& m = members_[static_cast<std::size_t>(p)];
    if (++stamp_ == 0) {
      std::fill(seen_.begin(), seen_.end(), 0);
      stamp_ = 1;
    }
    if (seen_.size() != g_.vertex_count()) seen_.assign(g_.vertex_count(), 0);
    std::size_t count = 0;
    std::vector<std::uint32_t> stack;
    for (const auto s : m) {
      if (part_[s] != p || seen_[s] == stamp_) continue;
      ++count;
      seen_[s] = stamp_;
      stack.push_back(s);
      while (!stack.empty()) {
        const auto v = stack.back();
        stack.pop_back();
        for (auto k = g_.offsets[v]; k < g_.offsets[v + 1]; ++k) {
          const auto u = g_.targets[k];
          if (part_[u] == p && seen_[u] != stamp_ && allowed(k)) {
            seen_[u] = stamp_;
            stack.push_back(u);
          }
        }
      }
    }
    return count;
  }

  void set_part(std::uint32_t item, std::int32_t to) {
    for (const auto v : items_[item]) part_[v] = to;
  }

  // Applies the moves (item, to), checks that neither part gains a piece; keeps them or
  // undoes them. Member lists: both parts' vertices (the scan skips those that left).
  bool try_apply(const std::vector<std::pair<std::uint32_t, std::int32_t>>& moves, std::int32_t a,
                 std::int32_t b) {
    const std::size_t before_a = pieces(a), before_b = pieces(b);
    std::vector<std::pair<std::uint32_t, std::int32_t>> undo;
    for (const auto& [item, to] : moves) {
      undo.emplace_back(item, part_[items_[item].front()]);
      set_part(item, to);
    }
    if (!no_new_pieces(a, b, before_a, before_b)) {
      for (auto it = undo.rbegin(); it != undo.rend(); ++it) set_part(it->first, it->second);
      return false;
    }
    refresh(a, b);
    return true;
  }

  // After items moved among `ps` (members_ not yet updated): true when no part has more
  // pieces than `before` and none is empty.
  bool no_new_pieces(const std::vector<std::int32_t>& ps, const std::vector<std::size_t>& before) {
    std::vector<std::uint32_t> all;
    std::vector<std::size_t> sizes;
    for (const auto p : ps) {
      const auto& m = members_[static_cast<std::size_t>(p)];
      sizes.push_back(m.size());
      all.insert(all.end(), m.begin(), m.end());
    }
    bool ok = true;
    for (std::size_t k = 0; k < ps.size() && ok; ++k) {
      auto& m = members_[static_cast<std::size_t>(ps[k])];
      m.insert(m.end(), all.begin(), all.end());
      const std::size_t now = pieces(ps[k]);
      m.resize(sizes[k]);
      ok = now > 0 && now <= before[k];
    }
    return ok;
  }
  bool no_new_pieces(std::int32_t a, std::int32_t b, std::size_t before_a, std::size_t before_b) {
    return no_new_pieces({a, b}, {before_a, before_b});
  }

  // The parts' members (their lists together hold a superset), weights and sums.
  void refresh(const std::vector<std::int32_t>& ps) {
    std::vector<std::uint32_t> all;
    for (const auto p : ps) {
      const auto& m = members_[static_cast<std::size_t>(p)];
      all.insert(all.end(), m.begin(), m.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    for (const auto p : ps) {
      auto& m = members_[static_cast<std::size_t>(p)];
      m.clear();
      double w = 0;
      for (std::size_t f = 0; f < fields_.size(); ++f) sum_[f][static_cast<std::size_t>(p)] = 0;
      for (const auto v : all) {
        if (part_[v] != p) continue;
        m.push_back(v);
        w += g_.weight[v];
        for (std::size_t f = 0; f < fields_.size(); ++f)
          sum_[f][static_cast<std::size_t>(p)] += g_.secondary[fields_[f]][v];
      }
      weight_[static_cast<std::size_t>(p)] = w;
    }
  }
  void refresh(std::int32_t a, std::int32_t b) { refresh(std::vector<std::int32_t>{a, b}); }

  struct Candidate {
    double gain; ///< shortfall reduction (> 0)
    double cut;  ///< boundary change
    std::uint32_t first, second;
    std::uint32_t i, j; ///< items (j = none for a move)
    std::int32_t from;
    bool operator<(const Candidate& o) const {
      if (std::abs(gain - o.gain) > kTiny) return gain > o.gain;
      if (std::abs(cut - o.cut) > kTiny) return cut < o.cut;
      if (first != o.first) return first < o.first;
      return second < o.second;
    }
  };

  // Best change lifting part x: a move into x, else a swap with a neighbour.
  bool improve(std::int32_t x) {
    constexpr std::uint32_t none = ~0u;
    // Items next to x in unlocked parts, and x's own items next to each such part.
    std::map<std::int32_t, std::vector<std::uint32_t>> outside, inside;
    for (const auto v : members_[static_cast<std::size_t>(x)])
      for (auto k = g_.offsets[v]; k < g_.offsets[v + 1]; ++k) {
        const auto u = g_.targets[k];
        const auto q = part_[u];
        if (q == x || locked(q) || !allowed(k)) continue;
        outside[q].push_back(item_of_[u]);
        inside[q].push_back(item_of_[v]);
      }
    for (auto* lists : {&outside, &inside})
      for (auto& [q, list] : *lists) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
      }
    const auto sx = sums_of(x);
    const double wx = weight_[static_cast<std::size_t>(x)];
    const double short_x = shortfall_of(sx);
    std::vector<Candidate> moves, swaps;
    for (const auto& [q, items] : outside) {
      const auto sq = sums_of(q);
      const double wq = weight_[static_cast<std::size_t>(q)];
      const double before = short_x + shortfall_of(sq);
      const double bv = bound_violation(wx) + bound_violation(wq);
      for (const auto i : items) {
        const auto si = item_sums(i);
        if (items_[i].size() >= members_[static_cast<std::size_t>(q)].size()) continue;
        auto sx2 = sx, sq2 = sq;
        for (std::size_t f = 0; f < fields_.size(); ++f) {
          sx2[f] += si.fields[f];
          sq2[f] -= si.fields[f];
        }
        const double gain = before - shortfall_of(sx2) - shortfall_of(sq2);
        if (gain > kTiny &&
            bound_violation(wx + si.weight) + bound_violation(wq - si.weight) <= bv + kTiny)
          moves.push_back({gain, delta_cut(i, x), items_[i].front(), 0, i, none, q});
        // Swaps: i into x, j (of x, next to q) out to q.
        for (const auto j : inside[q]) {
          if (items_[j].size() >= members_[static_cast<std::size_t>(x)].size()) continue;
          const auto sj = item_sums(j);
          auto sx3 = sx2, sq3 = sq2;
          for (std::size_t f = 0; f < fields_.size(); ++f) {
            sx3[f] -= sj.fields[f];
            sq3[f] += sj.fields[f];
          }
          const double gain2 = before - shortfall_of(sx3) - shortfall_of(sq3);
          const double dw = si.weight - sj.weight;
          if (gain2 > kTiny && bound_violation(wx + dw) + bound_violation(wq - dw) <= bv + kTiny)
            swaps.push_back({gain2, delta_cut(i, x) + delta_cut(j, q), items_[i].front(),
                             items_[j].front(), i, j, q});
        }
      }
    }
    std::sort(moves.begin(), moves.end());
    for (const auto& c : moves)
      if (try_apply({{c.i, x}}, c.from, x)) return true;
    std::sort(swaps.begin(), swaps.end());
    // Swaps cost two connectivity checks each; the best few hundred suffice.
    std::size_t tried = 0;
    for (const auto& c : swaps) {
      if (++tried > 400) break;
      if (try_apply({{c.i, x}, {c.j, c.from}}, c.from, x)) return true;
    }
    // Moves with compensation: an item too heavy for the bounds comes into x, and items of
    // x next to its old part go the other way until both parts are back within the bounds
    // (e.g. a tower with party households joins a cell of small houses, some of which
    // leave). Best few first by shortfall reduction.
    std::vector<Candidate> heavy, lifting;
    for (const auto& [q, items] : outside) {
      const double before = short_x + shortfall(q);
      for (const auto i : items) {
        if (items_[i].size() >= members_[static_cast<std::size_t>(q)].size()) continue;
        const auto si = item_sums(i);
        auto sx2 = sx;
        auto sq2 = sums_of(q);
        for (std::size_t f = 0; f < fields_.size(); ++f) {
          sx2[f] += si.fields[f];
          sq2[f] -= si.fields[f];
        }
        const double gain = before - shortfall_of(sx2) - shortfall_of(sq2);
        if (gain > kTiny)
          heavy.push_back({gain, delta_cut(i, x), items_[i].front(), 0, i, none, q});
        // For chains, what x gains is enough (q may take from a third part).
        const double gain_x = short_x - shortfall_of(sx2);
        if (gain_x > kTiny)
          lifting.push_back({gain_x, delta_cut(i, x), items_[i].front(), 0, i, none, q});
      }
    }
    std::sort(heavy.begin(), heavy.end());
    tried = 0;
    for (const auto& c : heavy) {
      if (++tried > 16) break;
      if (compensated_move(c.i, c.from, x)) return true;
    }
    // Chains of two: item i comes into x from q, and q takes an item from a third part r.
    std::sort(lifting.begin(), lifting.end());
    tried = 0;
    for (const auto& c : lifting) {
      if (++tried > 16) break;
      if (chain_move(c.i, c.from, x)) return true;
    }
    return false;
  }

  // Item i moves q -> x; then the best item j of a part r (not x, unlocked) next to q moves
  // r -> q. Kept when the three parts' shortfall fell, their bound violation did not rise,
  // and none gained a piece.
  bool chain_move(std::uint32_t i, std::int32_t q, std::int32_t x) {
    std::map<std::int32_t, std::vector<std::uint32_t>> next_to_q;
    for (const auto v : members_[static_cast<std::size_t>(q)])
      for (auto k = g_.offsets[v]; k < g_.offsets[v + 1]; ++k) {
        const auto u = g_.targets[k];
        const auto r = part_[u];
        if (r == q || r == x || locked(r) || !allowed(k)) continue;
        next_to_q[r].push_back(item_of_[u]);
      }
    const auto si = item_sums(i);
    for (auto& [r, items] : next_to_q) {
      std::sort(items.begin(), items.end());
      items.erase(std::unique(items.begin(), items.end()), items.end());
      const std::vector<std::int32_t> ps{x, q, r};
      double short_before = 0, bv_before = 0;
      for (const auto p : ps) {
        short_before += shortfall(p);
        bv_before += bound_violation(weight_[static_cast<std::size_t>(p)]);
      }
      auto sx = sums_of(x), sq = sums_of(q), sr = sums_of(r);
      for (std::size_t f = 0; f < fields_.size(); ++f) {
        sx[f] += si.fields[f];
        sq[f] -= si.fields[f];
      }
      const double wx = weight_[static_cast<std::size_t>(x)] + si.weight;
      const double wq0 = weight_[static_cast<std::size_t>(q)] - si.weight;
      const double wr0 = weight_[static_cast<std::size_t>(r)];
      std::vector<Candidate> options;
      for (const auto j : items) {
        if (items_[j].size() >= members_[static_cast<std::size_t>(r)].size()) continue;
        const auto sj = item_sums(j);
        auto sq2 = sq, sr2 = sr;
        for (std::size_t f = 0; f < fields_.size(); ++f) {
          sq2[f] += sj.fields[f];
          sr2[f] -= sj.fields[f];
        }
        const double gain = short_before - shortfall_of(sx) - shortfall_of(sq2) - shortfall_of(sr2);
        const double bv = bound_violation(wx) + bound_violation(wq0 + sj.weight) +
                          bound_violation(wr0 - sj.weight);
        if (gain > kTiny && bv <= bv_before + kTiny)
          options.push_back({gain, delta_cut(j, q), items_[j].front(), 0, j, 0, r});
      }
      std::sort(options.begin(), options.end());
      std::vector<std::size_t> before;
      for (const auto p : ps) before.push_back(pieces(p));
      for (const auto& o : options) {
        set_part(i, x);
        set_part(o.i, q);
        if (no_new_pieces(ps, before)) {
          refresh(ps);
          return true;
        }
        set_part(o.i, r);
        set_part(i, q);
      }
    }
    return false;
  }

  // Item i moves from q into x, then items of x adjacent to q move to q, each time the one
  // that leaves the pair's shortfall lowest (then the heaviest that does not overshoot),
  // until the pair's bound violation is no worse than before. Kept when the pair's
  // shortfall fell and neither part gained a piece; else undone.
  bool compensated_move(std::uint32_t i, std::int32_t q, std::int32_t x) {
    const auto qi = static_cast<std::size_t>(q), xi = static_cast<std::size_t>(x);
    const double bv_before = bound_violation(weight_[xi]) + bound_violation(weight_[qi]);
    const double short_before = shortfall(x) + shortfall(q);
    const std::size_t pieces_x = pieces(x), pieces_q = pieces(q);
    std::vector<std::pair<std::uint32_t, std::int32_t>> undo{{i, q}};
    auto sx = sums_of(x), sq = sums_of(q);
    double wx = weight_[xi], wq = weight_[qi];
    auto shift = [&](std::uint32_t item, int sign) { // sign +1: q -> x, -1: x -> q
      const auto si = item_sums(item);
      for (std::size_t f = 0; f < fields_.size(); ++f) {
        sx[f] += sign * si.fields[f];
        sq[f] -= sign * si.fields[f];
      }
      wx += sign * si.weight;
      wq -= sign * si.weight;
      set_part(item, sign > 0 ? x : q);
    };
    shift(i, +1);
    std::vector<std::uint8_t> moved_back(items_.size(), 0);
    moved_back[i] = 1; // i stays in x
    auto& mx = members_[xi];
    for (int step = 0; step < 400; ++step) {
      if (bound_violation(wx) + bound_violation(wq) <= bv_before + kTiny) break;
      const double excess = std::max(wx - spec_.hi, spec_.lo - wq);
      std::uint32_t best = ~0u;
      double best_short = 0, best_w = 0;
      for (const auto v : mx) {
        if (part_[v] != x) continue;
        const auto j = item_of_[v];
        if (moved_back[j]) continue;
        bool next_to_q = false;
        for (auto k = g_.offsets[v]; k < g_.offsets[v + 1] && !next_to_q; ++k)
          next_to_q = part_[g_.targets[k]] == q && allowed(k);
        if (!next_to_q) continue;
        const auto sj = item_sums(j);
        auto sx2 = sx, sq2 = sq;
        for (std::size_t f = 0; f < fields_.size(); ++f) {
          sx2[f] -= sj.fields[f];
          sq2[f] += sj.fields[f];
        }
        const double sh = shortfall_of(sx2) + shortfall_of(sq2);
        const bool fits = sj.weight <= excess + kTiny;
        const bool best_fits = best_w <= excess + kTiny;
        const bool better =
            best == ~0u || sh < best_short - kTiny ||
            (sh <= best_short + kTiny &&
             (fits != best_fits ? fits : (fits ? sj.weight > best_w : sj.weight < best_w)));
        if (better) {
          best = j;
          best_short = sh;
          best_w = sj.weight;
        }
      }
      if (best == ~0u || !(best_w > 0)) break;
      moved_back[best] = 1;
      undo.emplace_back(best, x);
      shift(best, -1);
    }
    const bool bounds_ok = bound_violation(wx) + bound_violation(wq) <= bv_before + kTiny;
    const bool better = shortfall_of(sx) + shortfall_of(sq) < short_before - kTiny;
    if (bounds_ok && better && no_new_pieces(q, x, pieces_q, pieces_x)) {
      refresh(q, x);
      return true;
    }
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) set_part(it->first, it->second);
    return false;
  }

  const UnitGraph& g_;
  std::vector<std::int32_t>& part_;
  const FloorRepairSpec& spec_;
  std::vector<std::size_t> fields_; ///< secondary indices with a floor
  std::int32_t parts_ = 0;
  std::vector<std::vector<std::uint32_t>> items_;
  std::vector<std::uint32_t> item_of_;
  std::vector<double> weight_;
  std::vector<std::vector<double>> sum_; ///< [field][part]
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::uint32_t> seen_;
  std::uint32_t stamp_ = 0;
};

} // namespace

std::size_t repair_floors(const UnitGraph& g, std::vector<std::int32_t>& part,
                          const FloorRepairSpec& spec) {
  FloorRepair repair(g, part, spec);
  if (!repair.active()) return 0;
  return repair.run();
}

FloorState floor_state(const UnitGraph& g, const std::vector<std::int32_t>& part,
                       const FloorRepairSpec& spec) {
  auto copy = part; // FloorRepair holds a mutable reference; state() changes nothing
  return FloorRepair(g, copy, spec).state();
}

} // namespace gp::planner::detail
