// Rebalancing an existing division with the fewest moves. Outline (details in
// docs/user/rebalance.md):
//   0. contract each group (compound) into one super-vertex, so groups stay whole by
//      construction; locked parts' vertices are fixed singletons;
//   1. contiguity: each unlocked part keeps its heaviest connected piece, the other pieces
//      become unassigned;
//   2. gaps: each connected region of unassigned vertices joins the adjacent part that has
//      room and the longest shared boundary, or becomes a new part when it is big enough;
//   3. balance: while a part is out of bounds, move one boundary vertex one hop along a
//      shortest path (in the graph of adjacent parts) towards a part with room (over-full)
//      or from a part with surplus (under-full); a move never disconnects the part it
//      leaves (articulation-point test) and picks the vertex that fixes the excess with
//      the least weight; when no path exists the part is split (too big) or its
//      neighbourhood re-planned with partition() (last resort);
//   4. polish: only among changed parts, moves that save more boundary than
//      `stability` metres per household moved.

#include "gp/planner/rebalance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/core.h>

#include "gp/core/error.hpp"
#include "partition_detail.hpp"

namespace gp::planner {
namespace {

constexpr std::int32_t kNoPart = -1;
constexpr double kEps = 1e-9;

double edge_cost(const UnitGraph& g, std::size_t k, const RebalanceSpec& spec) {
  const double len = k < g.edge_length.size() ? g.edge_length[k] : 1.0;
  const bool barrier = k < g.edge_barrier.size() && g.edge_barrier[k] != 0;
  return barrier && spec.barrier_penalty > 0 ? len / spec.barrier_penalty : len;
}

/// Groups contracted into super-vertices; the repair runs on `h`.
struct Contraction {
  UnitGraph h;
  std::vector<std::uint32_t> super_of; ///< per original vertex
  std::vector<std::int32_t> existing;  ///< per super-vertex
  std::vector<std::uint8_t> locked;    ///< per super-vertex: belongs to a locked part
};

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0U); }
  std::uint32_t find(std::uint32_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

Contraction contract(const UnitGraph& g, const std::vector<std::int32_t>& existing,
                     const std::vector<std::uint8_t>& part_locked, const RebalanceSpec& spec) {
  const std::size_t n = g.vertex_count();
  auto is_locked = [&](std::uint32_t v) {
    return existing[v] != kNoPart && part_locked[static_cast<std::size_t>(existing[v])] != 0;
  };
  std::map<std::int32_t, double> group_weight;
  for (std::size_t v = 0; v < n; ++v)
    if (v < g.group.size() && g.group[v] >= 0) group_weight[g.group[v]] += g.weight[v];

  UnionFind uf(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (v >= g.group.size() || g.group[v] < 0 || is_locked(v)) continue;
    if (group_weight[g.group[v]] > spec.max_weight + kEps) continue; // may be split
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v || g.group[u] != g.group[v] || is_locked(u)) continue;
      if (spec.hard_barriers && g.edge_barrier[k] != 0) continue;
      uf.unite(v, u);
    }
  }

  Contraction c;
  c.super_of.assign(n, 0);
  std::vector<std::uint32_t> id_of_root(n, std::numeric_limits<std::uint32_t>::max());
  std::uint32_t count = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto r = uf.find(v);
    if (id_of_root[r] == std::numeric_limits<std::uint32_t>::max()) id_of_root[r] = count++;
    c.super_of[v] = id_of_root[r];
  }

  std::vector<Edge> edges;
  for (std::uint32_t v = 0; v < n; ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      if (u <= v || c.super_of[u] == c.super_of[v]) continue;
      if (spec.hard_barriers && g.edge_barrier[k] != 0) continue;
      edges.push_back(Edge{c.super_of[v], c.super_of[u], edge_cost(g, k, spec), false});
    }
  c.h = graph_from_edges(count, edges);

  // Weights, positions, and the existing part of each super-vertex: the part holding most
  // of its weight (then most members, then lowest id).
  std::vector<std::map<std::int32_t, std::pair<double, int>>> share(count);
  std::vector<double> px(count, 0), py(count, 0), pw(count, 0);
  std::vector<int> members(count, 0);
  c.locked.assign(count, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto s = c.super_of[v];
    c.h.weight[s] += g.weight[v];
    const double wv = std::max(g.weight[v], 0.0) + 1e-6;
    if (v < g.position.size()) {
      px[s] += g.position[v].x * wv;
      py[s] += g.position[v].y * wv;
    }
    pw[s] += wv;
    ++members[s];
    if (existing[v] != kNoPart) {
      auto& e = share[s][existing[v]];
      e.first += g.weight[v];
      e.second += 1;
    }
    if (is_locked(v)) c.locked[s] = 1;
  }
  c.existing.assign(count, kNoPart);
  for (std::uint32_t s = 0; s < count; ++s) {
    c.h.position[s] = geo::Point{px[s] / pw[s], py[s] / pw[s]};
    std::pair<double, int> best{-1.0, -1};
    for (const auto& [p, sh] : share[s])
      if (sh.first > best.first + kEps ||
          (std::abs(sh.first - best.first) <= kEps && sh.second > best.second)) {
        best = sh;
        c.existing[s] = p;
      }
  }
  return c;
}

/// Mutable assignment on the contracted graph, with per-part weights, member lists and
/// counts of edges between parts (the quotient graph), all updated per move.
class State {
public:
  State(const UnitGraph& h, std::vector<std::int32_t> a, std::int32_t parts)
      : h_(h), a_(std::move(a)), pos_(h.vertex_count(), 0) {
    for (std::int32_t p = 0; p < parts; ++p) add_part(false);
    for (std::uint32_t v = 0; v < a_.size(); ++v) {
      const auto p = a_[v];
      if (p == kNoPart) continue;
      pos_[v] = static_cast<std::uint32_t>(members_[idx(p)].size());
      members_[idx(p)].push_back(v);
      weight_[idx(p)] += h_.weight[v];
    }
    for (std::uint32_t v = 0; v < a_.size(); ++v)
      for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
        const auto c = a_[h_.targets[k]];
        if (a_[v] != kNoPart && c != kNoPart && c != a_[v]) ++quotient_[idx(a_[v])][c];
      }
  }

  static std::size_t idx(std::int32_t p) { return static_cast<std::size_t>(p); }

  std::int32_t add_part(bool touched) {
    weight_.push_back(0);
    members_.emplace_back();
    quotient_.emplace_back();
    locked_.push_back(0);
    touched_.push_back(touched ? 1 : 0);
    given_up_.push_back(0);
    return static_cast<std::int32_t>(weight_.size() - 1);
  }

  void assign(std::uint32_t v, std::int32_t to) {
    const auto from = a_[v];
    if (from == to) return;
    if (from != kNoPart) {
      auto& m = members_[idx(from)];
      const auto last = m.back();
      m[pos_[v]] = last;
      pos_[last] = pos_[v];
      m.pop_back();
      weight_[idx(from)] -= h_.weight[v];
      touched_[idx(from)] = 1;
      for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
        const auto c = a_[h_.targets[k]];
        if (c != kNoPart && c != from) {
          decrement(from, c);
          decrement(c, from);
        }
      }
    }
    a_[v] = to;
    if (to != kNoPart) {
      pos_[v] = static_cast<std::uint32_t>(members_[idx(to)].size());
      members_[idx(to)].push_back(v);
      weight_[idx(to)] += h_.weight[v];
      touched_[idx(to)] = 1;
      for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
        const auto c = a_[h_.targets[k]];
        if (c != kNoPart && c != to) {
          ++quotient_[idx(to)][c];
          ++quotient_[idx(c)][to];
        }
      }
    }
  }

  /// Flags (in `art`, indexed by vertex) the articulation points of part p's subgraph.
  /// Iterative Tarjan; `art` must be all zero for p's members on entry.
  void articulation_points(std::int32_t p, std::vector<std::uint8_t>& art) {
    const auto& m = members_[idx(p)];
    ++stamp_;
    struct Frame {
      std::uint32_t v;
      std::uint32_t parent;
      std::uint32_t next_edge;
      int children;
    };
    std::vector<Frame> stack;
    std::uint32_t time = 0;
    if (disc_.size() != a_.size()) {
      disc_.assign(a_.size(), 0);
      low_.assign(a_.size(), 0);
      seen_.assign(a_.size(), 0);
    }
    for (const auto root : m) {
      if (seen_[root] == stamp_) continue;
      seen_[root] = stamp_;
      disc_[root] = low_[root] = ++time;
      stack.push_back(Frame{root, root, h_.offsets[root], 0});
      while (!stack.empty()) {
        auto& f = stack.back();
        if (f.next_edge < h_.offsets[f.v + 1]) {
          const auto u = h_.targets[f.next_edge++];
          if (a_[u] != p) continue;
          if (seen_[u] != stamp_) {
            seen_[u] = stamp_;
            disc_[u] = low_[u] = ++time;
            ++f.children;
            stack.push_back(Frame{u, f.v, h_.offsets[u], 0});
          } else if (u != f.parent) {
            low_[f.v] = std::min(low_[f.v], disc_[u]);
          }
        } else {
          const Frame done = f;
          stack.pop_back();
          if (stack.empty()) {
            if (done.children > 1) art[done.v] = 1;
          } else {
            auto& parent = stack.back();
            low_[parent.v] = std::min(low_[parent.v], low_[done.v]);
            if (parent.v != root && low_[done.v] >= disc_[parent.v]) art[parent.v] = 1;
          }
        }
      }
    }
  }

  /// Connected pieces of part p (vertex lists, each sorted).
  std::vector<std::vector<std::uint32_t>> pieces(std::int32_t p) {
    std::vector<std::uint32_t> m = members_[idx(p)];
    std::sort(m.begin(), m.end());
    ++stamp_;
    if (seen_.size() != a_.size()) {
      disc_.assign(a_.size(), 0);
      low_.assign(a_.size(), 0);
      seen_.assign(a_.size(), 0);
    }
    std::vector<std::vector<std::uint32_t>> out;
    for (const auto s : m) {
      if (seen_[s] == stamp_) continue;
      seen_[s] = stamp_;
      std::vector<std::uint32_t> piece{s};
      for (std::size_t i = 0; i < piece.size(); ++i) {
        const auto v = piece[i];
        for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
          const auto u = h_.targets[k];
          if (a_[u] == p && seen_[u] != stamp_) {
            seen_[u] = stamp_;
            piece.push_back(u);
          }
        }
      }
      std::sort(piece.begin(), piece.end());
      out.push_back(std::move(piece));
    }
    return out;
  }

  /// Whether part p stays connected without v (v a member of p).
  bool connected_without(std::int32_t p, std::uint32_t v) {
    const auto& m = members_[idx(p)];
    if (m.size() <= 1) return false;
    ++stamp_;
    if (seen_.size() != a_.size()) seen_.assign(a_.size(), 0);
    seen_[v] = stamp_;
    std::uint32_t start = m[0] == v ? m[1] : m[0];
    std::vector<std::uint32_t> queue{start};
    seen_[start] = stamp_;
    std::size_t reached = 1;
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const auto x = queue[i];
      for (auto k = h_.offsets[x]; k < h_.offsets[x + 1]; ++k) {
        const auto u = h_.targets[k];
        if (a_[u] == p && seen_[u] != stamp_) {
          seen_[u] = stamp_;
          queue.push_back(u);
          ++reached;
        }
      }
    }
    return reached == m.size() - 1;
  }

  const std::vector<std::int32_t>& assignment() const { return a_; }
  std::int32_t part_of(std::uint32_t v) const { return a_[v]; }
  double weight(std::int32_t p) const { return weight_[idx(p)]; }
  const std::vector<std::uint32_t>& members(std::int32_t p) const { return members_[idx(p)]; }
  const std::map<std::int32_t, int>& neighbours(std::int32_t p) const { return quotient_[idx(p)]; }
  std::int32_t part_count() const { return static_cast<std::int32_t>(weight_.size()); }
  bool locked(std::int32_t p) const { return locked_[idx(p)] != 0; }
  void set_locked(std::int32_t p) { locked_[idx(p)] = 1; }
  bool touched(std::int32_t p) const { return touched_[idx(p)] != 0; }
  bool given_up(std::int32_t p) const { return given_up_[idx(p)] != 0; }
  void give_up(std::int32_t p) { given_up_[idx(p)] = 1; }
  bool active(std::int32_t p) const { return !locked(p) && !members(p).empty(); }

private:
  void decrement(std::int32_t p, std::int32_t c) {
    auto& q = quotient_[idx(p)];
    auto it = q.find(c);
    if (it != q.end() && --it->second <= 0) q.erase(it);
  }

  const UnitGraph& h_;
  std::vector<std::int32_t> a_;
  std::vector<std::uint32_t> pos_;
  std::vector<double> weight_;
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::map<std::int32_t, int>> quotient_;
  std::vector<std::uint8_t> locked_, touched_, given_up_;
  std::vector<std::uint32_t> disc_, low_, seen_;
  std::uint32_t stamp_ = 0;
};

class Repairer {
public:
  Repairer(const Contraction& c, std::int32_t existing_parts,
           const std::vector<std::uint8_t>& part_locked, const RebalanceSpec& spec,
           RebalanceResult& result)
      : c_(c), h_(c.h), spec_(spec), result_(result), state_(c.h, c.existing, existing_parts) {
    for (std::int32_t p = 0; p < existing_parts; ++p)
      if (part_locked[State::idx(p)]) state_.set_locked(p);
    art_.assign(h_.vertex_count(), 0);
    move_count_.assign(h_.vertex_count(), 0);
  }

  std::vector<std::int32_t> run() {
    repair_contiguity();
    attach_unassigned();
    balance();
    polish();
    return state_.assignment();
  }

private:
  double violation(std::int32_t p) const {
    if (!state_.active(p) || state_.given_up(p)) return 0;
    const double w = state_.weight(p);
    if (w > spec_.max_weight + kEps) return w - spec_.max_weight;
    if (w < spec_.min_weight - kEps) return spec_.min_weight - w;
    return 0;
  }

  /// Change in boundary cost when v moves from its part to `to` (negative = shorter).
  double delta_cut(std::uint32_t v, std::int32_t to) const {
    const auto from = state_.part_of(v);
    double d = 0;
    for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
      const auto c = state_.part_of(h_.targets[k]);
      if (c == from)
        d += h_.edge_length[k];
      else if (c == to)
        d -= h_.edge_length[k];
    }
    return d;
  }

  /// Change in moved weight (relative to the existing assignment) when v moves to `to`.
  double delta_moved(std::uint32_t v, std::int32_t to) const {
    const auto e = c_.existing[v];
    if (e == kNoPart) return 0;
    const auto from = state_.part_of(v);
    const double wv = h_.weight[v];
    return wv * ((to != e ? 1.0 : 0.0) - (from != e ? 1.0 : 0.0));
  }

  void repair_contiguity() {
    for (std::int32_t p = 0; p < state_.part_count(); ++p) {
      if (!state_.active(p)) continue;
      auto pieces = state_.pieces(p);
      if (pieces.size() <= 1) continue;
      auto weight_of = [&](const std::vector<std::uint32_t>& piece) {
        double w = 0;
        for (const auto v : piece) w += h_.weight[v];
        return w;
      };
      std::size_t keep = 0;
      for (std::size_t i = 1; i < pieces.size(); ++i) {
        const double wi = weight_of(pieces[i]), wk = weight_of(pieces[keep]);
        if (wi > wk + kEps || (std::abs(wi - wk) <= kEps && pieces[i].size() > pieces[keep].size()))
          keep = i;
      }
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (i == keep) continue;
        ++result_.fragments_reassigned;
        for (const auto v : pieces[i]) state_.assign(v, kNoPart);
      }
    }
  }

  void attach_unassigned() {
    const std::size_t n = h_.vertex_count();
    std::vector<std::uint8_t> seen(n, 0);
    for (std::uint32_t s = 0; s < n; ++s) {
      if (state_.part_of(s) != kNoPart || seen[s]) continue;
      std::vector<std::uint32_t> region{s};
      seen[s] = 1;
      double region_weight = 0;
      std::map<std::int32_t, double> shared;
      for (std::size_t i = 0; i < region.size(); ++i) {
        const auto v = region[i];
        region_weight += h_.weight[v];
        for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
          const auto u = h_.targets[k];
          const auto c = state_.part_of(u);
          if (c == kNoPart) {
            if (!seen[u]) {
              seen[u] = 1;
              region.push_back(u);
            }
          } else if (!state_.locked(c)) {
            shared[c] += h_.edge_length[k];
          }
        }
      }
      std::int32_t target = kNoPart;
      if (region_weight < spec_.min_weight - kEps && !shared.empty()) {
        // Prefer a neighbour with room, then the longest shared boundary; else the lightest.
        double best_len = -1;
        for (const auto& [p, len] : shared)
          if (state_.weight(p) + region_weight <= spec_.max_weight + kEps && len > best_len) {
            best_len = len;
            target = p;
          }
        if (target == kNoPart)
          for (const auto& [p, len] : shared)
            if (target == kNoPart || state_.weight(p) < state_.weight(target)) target = p;
      }
      if (target == kNoPart) target = state_.add_part(true);
      for (const auto v : region) state_.assign(v, target);
    }
  }

  enum class Outcome { moved, no_path, stuck };

  /// Multi-source BFS over active parts from the parts satisfying `is_source`.
  std::vector<int> distances(const std::set<std::pair<std::int32_t, std::int32_t>>& blocked,
                             bool over, std::int32_t x) const {
    const auto parts = state_.part_count();
    std::vector<int> dist(State::idx(parts), -1);
    std::vector<std::int32_t> queue;
    for (std::int32_t p = 0; p < parts; ++p) {
      if (p == x || !state_.active(p)) continue;
      const double w = state_.weight(p);
      const bool source = over ? w < spec_.max_weight - kEps : w > spec_.min_weight + kEps;
      if (source) {
        dist[State::idx(p)] = 0;
        queue.push_back(p);
      }
    }
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const auto p = queue[i];
      for (const auto& [q, count] : state_.neighbours(p)) {
        if (!state_.active(q) || dist[State::idx(q)] >= 0) continue;
        if (blocked.count({std::min(p, q), std::max(p, q)})) continue;
        dist[State::idx(q)] = dist[State::idx(p)] + 1;
        queue.push_back(q);
      }
    }
    return dist;
  }

  struct Candidate {
    std::tuple<int, int, double, double, std::uint32_t, std::int32_t> key;
    std::uint32_t v = 0;
    std::int32_t to = kNoPart;
  };

  /// One move of part x's violation one hop downhill; see the file comment.
  Outcome fix_once(std::int32_t x) {
    const bool over = state_.weight(x) > spec_.max_weight;
    const double excess =
        over ? state_.weight(x) - spec_.max_weight : spec_.min_weight - state_.weight(x);
    std::set<std::pair<std::int32_t, std::int32_t>> blocked;
    for (int attempt = 0; attempt < 8; ++attempt) {
      const auto dist = distances(blocked, over, x);
      int dx = -1;
      for (const auto& [q, count] : state_.neighbours(x))
        if (state_.active(q) && dist[State::idx(q)] >= 0 &&
            !blocked.count({std::min(x, q), std::max(x, q)}))
          dx = dx < 0 ? dist[State::idx(q)] : std::min(dx, dist[State::idx(q)]);
      if (dx < 0) return attempt == 0 ? Outcome::no_path : Outcome::stuck;
      std::vector<std::int32_t> downhill;
      for (const auto& [q, count] : state_.neighbours(x))
        if (state_.active(q) && dist[State::idx(q)] == dx &&
            !blocked.count({std::min(x, q), std::max(x, q)}))
          downhill.push_back(q);
      const bool to_source = dx == 0;

      std::optional<Candidate> best;
      auto consider = [&](std::uint32_t v, std::int32_t from, std::int32_t to) {
        const double wv = h_.weight[v];
        const bool fixes = wv >= excess - kEps;
        // How far the move pushes x past its other bound (a building too big to move without
        // that): allowed, but only when nothing better exists, least overshoot first.
        const double overshoot = over ? std::max(0.0, spec_.min_weight - (state_.weight(x) - wv))
                                      : std::max(0.0, state_.weight(x) + wv - spec_.max_weight);
        bool lands = true;
        if (to_source)
          lands = over ? state_.weight(to) + wv <= spec_.max_weight + kEps
                       : state_.weight(from) - wv >= spec_.min_weight - kEps;
        const double moved = delta_moved(v, to);
        const double third = overshoot > kEps ? overshoot
                             : fixes          ? moved
                                              : (moved < 0 ? -1e18 + moved : -wv);
        const double fourth = spec_.stability * moved + delta_cut(v, to);
        const int cls = overshoot > kEps ? 2 : fixes ? 0 : 1;
        Candidate cand{{cls, lands ? 0 : 1, third, fourth, v, to}, v, to};
        if (!best || cand.key < best->key) best = cand;
      };

      if (over) {
        if (state_.members(x).size() > 1) {
          state_.articulation_points(x, art_);
          for (const auto v : state_.members(x)) {
            const double wv = h_.weight[v];
            if (art_[v] || wv <= 0 || move_count_[v] >= kMaxMovesPerVertex) continue;
            for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
              const auto c = state_.part_of(h_.targets[k]);
              if (std::find(downhill.begin(), downhill.end(), c) != downhill.end())
                consider(v, x, c);
            }
          }
          for (const auto v : state_.members(x)) art_[v] = 0;
        }
      } else {
        for (const auto q : downhill) {
          if (state_.members(q).size() <= 1) continue;
          state_.articulation_points(q, art_);
          for (const auto v : state_.members(q)) {
            const double wv = h_.weight[v];
            if (art_[v] || wv <= 0 || move_count_[v] >= kMaxMovesPerVertex) continue;
            bool touches_x = false;
            for (auto k = h_.offsets[v]; k < h_.offsets[v + 1] && !touches_x; ++k)
              touches_x = state_.part_of(h_.targets[k]) == x;
            if (touches_x) consider(v, q, x);
          }
          for (const auto v : state_.members(q)) art_[v] = 0;
        }
      }
      if (best) {
        state_.assign(best->v, best->to);
        ++move_count_[best->v];
        ++result_.vertex_moves;
        return Outcome::moved;
      }
      for (const auto q : downhill) blocked.insert({std::min(x, q), std::max(x, q)});
    }
    return Outcome::stuck;
  }

  /// Re-plans the union of `parts` with partition(). Result parts take the id of the
  /// existing part they share most weight with (each id once); the others get new ids.
  void replan(std::vector<std::int32_t> parts) {
    std::sort(parts.begin(), parts.end());
    std::vector<std::uint32_t> verts;
    for (const auto p : parts)
      verts.insert(verts.end(), state_.members(p).begin(), state_.members(p).end());
    std::sort(verts.begin(), verts.end());
    if (verts.empty()) return;
    std::vector<std::int32_t> local(h_.vertex_count(), -1);
    for (std::size_t i = 0; i < verts.size(); ++i) local[verts[i]] = static_cast<std::int32_t>(i);
    std::vector<Edge> edges;
    for (const auto v : verts)
      for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
        const auto u = h_.targets[k];
        if (u > v && local[u] >= 0)
          edges.push_back(Edge{static_cast<std::uint32_t>(local[v]),
                               static_cast<std::uint32_t>(local[u]), h_.edge_length[k], false});
      }
    UnitGraph sub = graph_from_edges(verts.size(), edges);
    for (std::size_t i = 0; i < verts.size(); ++i) {
      sub.weight[i] = h_.weight[verts[i]];
      sub.position[i] = h_.position[verts[i]];
    }
    PartitionSpec ps;
    ps.min_weight = spec_.min_weight;
    ps.max_weight = spec_.max_weight;
    ps.objective = Objective::compact;
    ps.seed = spec_.seed;
    const PartitionResult pr = partition(sub, ps);

    // Greedy matching of result parts to the ids in `parts` by existing weight shared.
    std::map<std::pair<std::int32_t, std::int32_t>, double> overlap; // (result, old) -> w
    for (std::size_t i = 0; i < verts.size(); ++i) {
      const auto e = c_.existing[verts[i]];
      if (std::binary_search(parts.begin(), parts.end(), e))
        overlap[{pr.part[i], e}] += h_.weight[verts[i]] + 1e-6;
    }
    std::vector<std::tuple<double, std::int32_t, std::int32_t>> pairs;
    for (const auto& [key, w] : overlap) pairs.emplace_back(-w, key.second, key.first);
    std::sort(pairs.begin(), pairs.end());
    std::map<std::int32_t, std::int32_t> id_of_result;
    std::set<std::int32_t> used;
    for (const auto& [negw, old_id, r] : pairs)
      if (!id_of_result.count(r) && !used.count(old_id)) {
        id_of_result[r] = old_id;
        used.insert(old_id);
      }
    // Parts created during this repair (not existing) may be reused before new ids.
    std::vector<std::int32_t> spare;
    for (const auto p : parts)
      if (!used.count(p) && p >= existing_parts_) spare.push_back(p);
    std::size_t next_spare = 0;
    for (std::int32_t r = 0; r < pr.parts; ++r)
      if (!id_of_result.count(r))
        id_of_result[r] = next_spare < spare.size() ? spare[next_spare++] : state_.add_part(true);
    for (std::size_t i = 0; i < verts.size(); ++i) state_.assign(verts[i], kNoPart);
    for (std::size_t i = 0; i < verts.size(); ++i)
      state_.assign(verts[i], id_of_result[pr.part[i]]);
  }

  void balance() {
    double initial = 0;
    for (std::int32_t p = 0; p < state_.part_count(); ++p) initial += violation(p);
    const std::size_t max_moves = 20 * h_.vertex_count() + 1000;
    std::size_t moves = 0;
    std::map<std::int32_t, int> replans_of;
    const std::size_t max_replans = 4 * static_cast<std::size_t>(state_.part_count()) + 16;
    while (true) {
      std::int32_t x = kNoPart;
      double worst = 0, total = 0;
      for (std::int32_t p = 0; p < state_.part_count(); ++p) {
        const double v = violation(p);
        total += v;
        if (v > worst + kEps) {
          worst = v;
          x = p;
        }
      }
      if (spec_.progress && initial > 0) spec_.progress(std::clamp(1 - total / initial, 0.0, 1.0));
      if (x == kNoPart) break;
      const bool over = state_.weight(x) > spec_.max_weight;
      if (over) {
        double heaviest = 0;
        for (const auto v : state_.members(x)) heaviest = std::max(heaviest, h_.weight[v]);
        if (heaviest > spec_.max_weight + kEps) { // a building (or compound) alone too heavy
          state_.give_up(x);
          continue;
        }
      }
      const Outcome out = moves < max_moves ? fix_once(x) : Outcome::stuck;
      if (out == Outcome::moved) {
        ++moves;
        continue;
      }
      std::vector<std::int32_t> hood{x};
      for (const auto& [q, count] : state_.neighbours(x))
        if (state_.active(q)) hood.push_back(q);
      if (result_.splits + result_.replans > max_replans) {
        state_.give_up(x);
        continue;
      }
      if (over && (out == Outcome::no_path || hood.size() == 1)) {
        ++result_.splits;
        replan({x});
      } else if (hood.size() == 1 || replans_of[x] >= 2) {
        state_.give_up(x);
        continue;
      } else {
        ++result_.replans;
        ++replans_of[x];
        replan(hood);
      }
      // Parts of a re-planned neighbourhood that still break a bound cannot be fixed by
      // partition() either (e.g. the neighbourhood is lighter than the minimum).
      for (const auto p : hood)
        if (violation(p) > 0 && replans_of[p] >= 2) state_.give_up(p);
      if (moves >= max_moves) {
        for (std::int32_t p = 0; p < state_.part_count(); ++p)
          if (violation(p) > 0) state_.give_up(p);
      }
    }
  }

  void polish() {
    if (!std::isfinite(spec_.stability)) return;
    for (int pass = 0; pass < 2; ++pass) {
      bool changed = false;
      for (std::uint32_t v = 0; v < h_.vertex_count(); ++v) {
        const auto from = state_.part_of(v);
        if (from == kNoPart || !state_.active(from) || !state_.touched(from)) continue;
        const double wv = h_.weight[v];
        if (state_.weight(from) - wv < spec_.min_weight - kEps) continue;
        std::int32_t best_to = kNoPart;
        double best_gain = -1e-9;
        for (auto k = h_.offsets[v]; k < h_.offsets[v + 1]; ++k) {
          const auto to = state_.part_of(h_.targets[k]);
          if (to == kNoPart || to == from || !state_.active(to) || !state_.touched(to)) continue;
          if (state_.weight(to) + wv > spec_.max_weight + kEps) continue;
          const double gain = delta_cut(v, to) + spec_.stability * delta_moved(v, to);
          if (gain < best_gain) {
            best_gain = gain;
            best_to = to;
          }
        }
        if (best_to != kNoPart && state_.connected_without(from, v)) {
          state_.assign(v, best_to);
          changed = true;
        }
      }
      if (!changed) break;
    }
  }

public:
  std::int32_t existing_parts_ = 0;

private:
  const Contraction& c_;
  const UnitGraph& h_;
  const RebalanceSpec& spec_;
  RebalanceResult& result_;
  State state_;
  std::vector<std::uint8_t> art_;
  /// Balancing moves per vertex: a vertex moves at most kMaxMovesPerVertex times, which
  /// rules out cycles (a building handed back and forth) and bounds the work.
  std::vector<std::uint8_t> move_count_;
  static constexpr std::uint8_t kMaxMovesPerVertex = 3;
};

} // namespace

std::vector<Violation> check_assignment(const UnitGraph& g, const std::vector<std::int32_t>& part,
                                        double min_weight, double max_weight, bool hard_barriers) {
  std::vector<Violation> out;
  const std::size_t n = g.vertex_count();
  if (part.size() != n) throw UsageError("check_assignment: one part per vertex expected");
  std::int32_t parts = 0;
  std::size_t uncovered = 0;
  for (const auto p : part) {
    if (p < 0) ++uncovered;
    parts = std::max(parts, p + 1);
  }
  if (uncovered > 0)
    out.push_back(Violation{kNoPart, "coverage", fmt::format("{} units have no cell", uncovered)});
  std::vector<double> w(static_cast<std::size_t>(parts), 0);
  std::vector<std::size_t> count(static_cast<std::size_t>(parts), 0);
  for (std::size_t v = 0; v < n; ++v)
    if (part[v] >= 0) {
      w[static_cast<std::size_t>(part[v])] += g.weight[v];
      ++count[static_cast<std::size_t>(part[v])];
    }
  // Pieces per part (BFS within parts).
  std::vector<int> pieces(static_cast<std::size_t>(parts), 0);
  std::vector<std::uint8_t> seen(n, 0);
  for (std::uint32_t s = 0; s < n; ++s) {
    if (part[s] < 0 || seen[s]) continue;
    ++pieces[static_cast<std::size_t>(part[s])];
    std::vector<std::uint32_t> queue{s};
    seen[s] = 1;
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const auto v = queue[i];
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
        const auto u = g.targets[k];
        if (hard_barriers && g.edge_barrier[k] != 0) continue;
        if (part[u] == part[s] && !seen[u]) {
          seen[u] = 1;
          queue.push_back(u);
        }
      }
    }
  }
  for (std::int32_t p = 0; p < parts; ++p) {
    const auto i = static_cast<std::size_t>(p);
    if (count[i] == 0) continue;
    if (w[i] > max_weight + kEps)
      out.push_back(
          Violation{p, "max", fmt::format("weight {:.0f} above maximum {:.0f}", w[i], max_weight)});
    if (w[i] < min_weight - kEps)
      out.push_back(
          Violation{p, "min", fmt::format("weight {:.0f} below minimum {:.0f}", w[i], min_weight)});
    if (pieces[i] > 1)
      out.push_back(
          Violation{p, "contiguity", fmt::format("cell is in {} disconnected pieces", pieces[i])});
  }
  // Groups split across parts.
  std::map<std::int32_t, std::map<std::int32_t, double>> group_parts;
  std::map<std::int32_t, double> group_weight;
  for (std::size_t v = 0; v < n && v < g.group.size(); ++v)
    if (g.group[v] >= 0) {
      group_parts[g.group[v]][part[v]] += g.weight[v];
      group_weight[g.group[v]] += g.weight[v];
    }
  for (const auto& [group, shares] : group_parts) {
    if (shares.size() <= 1) continue;
    std::int32_t main_part = shares.begin()->first;
    for (const auto& [p, sw] : shares)
      if (sw > shares.at(main_part)) main_part = p;
    const bool too_big = group_weight[group] > max_weight + kEps;
    out.push_back(Violation{
        main_part, "compound",
        too_big ? fmt::format("compound {} ({:.0f}) exceeds the maximum alone; split over {} "
                              "cells along building lines",
                              group, group_weight[group], shares.size())
                : fmt::format("compound {} is split over {} cells", group, shares.size())});
  }
  return out;
}

RebalanceResult rebalance(const UnitGraph& g, const std::vector<std::int32_t>& existing,
                          std::int32_t existing_parts, const RebalanceSpec& spec) {
  const std::size_t n = g.vertex_count();
  if (existing.size() != n)
    throw UsageError(
        fmt::format("rebalance: {} existing parts given for {} units", existing.size(), n));
  if (existing_parts < 0) throw UsageError("rebalance: negative number of existing parts");
  for (const auto p : existing)
    if (p < kNoPart || p >= existing_parts)
      throw UsageError(
          fmt::format("rebalance: existing part {} out of range [0, {})", p, existing_parts));
  if (!(spec.min_weight <= spec.max_weight))
    throw UsageError(
        fmt::format("rebalance: minimum {} above maximum {}", spec.min_weight, spec.max_weight));
  std::vector<std::uint8_t> part_locked(static_cast<std::size_t>(existing_parts), 0);
  for (const auto p : spec.locked_parts)
    if (p >= 0 && p < existing_parts) part_locked[static_cast<std::size_t>(p)] = 1;

  RebalanceResult result;
  result.existing_parts = existing_parts;

  // Groups split in the input that the contraction reunites.
  {
    std::map<std::int32_t, std::set<std::int32_t>> parts_of_group;
    for (std::size_t v = 0; v < n && v < g.group.size(); ++v)
      if (g.group[v] >= 0) parts_of_group[g.group[v]].insert(existing[v]);
    for (const auto& [grp, ps] : parts_of_group)
      if (ps.size() > 1) ++result.groups_reunited; // corrected below if still split
  }

  const Contraction c = contract(g, existing, part_locked, spec);
  Repairer repairer(c, existing_parts, part_locked, spec, result);
  repairer.existing_parts_ = existing_parts;
  const auto super_part = repairer.run();

  // Expand, then number new parts densely in order of creation.
  std::vector<std::int32_t> part(n, kNoPart);
  for (std::size_t v = 0; v < n; ++v) part[v] = super_part[c.super_of[v]];
  std::map<std::int32_t, std::int32_t> renumber;
  for (std::size_t v = 0; v < n; ++v)
    if (part[v] >= existing_parts) renumber[part[v]] = 0;
  std::int32_t next = existing_parts;
  for (auto& [old_id, new_id] : renumber) new_id = next++;
  for (auto& p : part)
    if (p >= existing_parts) p = renumber[p];
  result.parts = next;
  if (!spec.secondary_floors.empty()) {
    detail::FloorRepairSpec floors;
    floors.minimum = spec.secondary_floors;
    floors.lo = spec.min_weight;
    floors.hi = spec.max_weight;
    floors.hard_barriers = spec.hard_barriers;
    floors.locked = part_locked;
    detail::repair_floors(g, part, floors);
  }

  std::vector<std::uint8_t> had(static_cast<std::size_t>(existing_parts), 0),
      has(static_cast<std::size_t>(next), 0), differs(static_cast<std::size_t>(next), 0);
  for (std::size_t v = 0; v < n; ++v) {
    if (existing[v] >= 0) had[static_cast<std::size_t>(existing[v])] = 1;
    if (part[v] >= 0) has[static_cast<std::size_t>(part[v])] = 1;
    if (existing[v] != part[v]) {
      if (existing[v] >= 0) differs[static_cast<std::size_t>(existing[v])] = 1;
      if (part[v] >= 0) differs[static_cast<std::size_t>(part[v])] = 1;
      if (existing[v] >= 0) {
        result.moved_weight += g.weight[v];
        ++result.moved_vertices;
      } else {
        result.gap_weight += g.weight[v];
        ++result.gap_vertices;
      }
    }
  }
  for (std::int32_t p = 0; p < existing_parts; ++p) {
    const auto i = static_cast<std::size_t>(p);
    if (!had[i] && !has[i]) continue;
    if (!has[i])
      result.retired_parts.push_back(p);
    else if (differs[i])
      result.changed_parts.push_back(p);
    else
      result.unchanged_parts.push_back(p);
  }
  for (std::int32_t p = existing_parts; p < next; ++p) result.new_parts.push_back(p);

  result.violations =
      check_assignment(g, part, spec.min_weight, spec.max_weight, spec.hard_barriers);
  std::size_t still_split = 0;
  for (const auto& viol : result.violations)
    if (viol.rule == "compound") ++still_split;
  result.groups_reunited -= std::min(result.groups_reunited, still_split);
  for (auto& viol : result.violations)
    if (viol.part >= 0 && viol.part < existing_parts &&
        part_locked[static_cast<std::size_t>(viol.part)])
      viol.reason += " (locked cell, left as it was)";
  result.part = std::move(part);
  if (spec.progress) spec.progress(1.0);
  return result;
}

} // namespace gp::planner
