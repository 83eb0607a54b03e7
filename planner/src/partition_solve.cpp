// The solver of one connected component: initial partition -> contiguity repair -> empty
// parts filled -> balance repair -> greedy refinement of the cut, every move after the
// repair keeping each part connected (a move is allowed only when a bounded search proves
// that the vertex's remaining neighbours in its part stay connected without it). Large
// components get a multilevel initial partition (multilevel_initial below), repaired and
// refined level by level with the same solver.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>

#include "gp/core/random.hpp"
#include "partition_detail.hpp"

namespace gp::planner::detail {

namespace {

constexpr double eps = 1e-9;

class Solver {
public:
  Solver(const WorkGraph& g, std::vector<std::int32_t>& part, std::int32_t parts, Bounds bounds)
      : g_(g), part_(part), parts_(parts), bounds_(bounds),
        weight_(static_cast<std::size_t>(parts), 0.0), count_(static_cast<std::size_t>(parts), 0),
        seen_(g.size(), 0), target_(g.size(), 0) {
    for (const auto& field : g_.secondary) {
      double sum = 0;
      for (double x : field) sum += x;
      secondary_target_.push_back(sum / parts);
    }
    secondary_sum_.assign(g_.secondary.size(),
                          std::vector<double>(static_cast<std::size_t>(parts), 0.0));
    floor_sum_.assign(g_.floor_values.size(),
                      std::vector<double>(static_cast<std::size_t>(parts), 0.0));
    recount();
    // Tolerance for comparing weights: a relative epsilon of the total.
    double total = 0;
    for (double w : g_.weight) total += w;
    wtol_ = 1e-12 * std::max(1.0, total);
    // Violation dominates the search score: a vertex's worth of violation outweighs a
    // thousand average edges.
    double cost_sum = 0;
    for (double c : g_.cost) cost_sum += c;
    const double mean_cost = g_.cost.empty() ? 1.0 : cost_sum / static_cast<double>(g_.cost.size());
    mean_cost_ = mean_cost;
    const double mean_weight = total / std::max<std::size_t>(1, g_.weight.size());
    penalty_ = mean_weight > 0 ? 1000.0 * mean_cost / mean_weight : 1.0;
    // A floor's shortfall counts as violation in weight units: one average vertex's worth
    // of the field short weighs as much as one average vertex's weight out of bounds.
    for (const auto& field : g_.floor_values) {
      double sum = 0;
      for (double x : field) sum += x;
      const double mean_field = sum / std::max<std::size_t>(1, field.size());
      floor_scale_.push_back(mean_field > 0 ? std::max(mean_weight, 1e-9) / mean_field : 1.0);
    }
  }

  void make_contiguous();
  void fill_empty_parts();
  /// Moves vertices until every part is within bounds or no progress is possible. by_cost:
  /// each round applies the violation-reducing moves in order of cut gain per unit of
  /// violation removed (cheapest first) instead of in vertex order.
  void balance(int max_rounds, bool by_cost = false);
  /// Greedy passes; plateau: a vertex may also move once at zero gain (a walk along
  /// plateaus of equal cut, as METIS' greedy refinement).
  void refine(int max_passes, bool plateau = false);
  /// Rounds of localized FM searches from boundary vertices in a seeded order; with
  /// seed_loss > 0 only from vertices whose best move scores at least -seed_loss mean edge
  /// costs (cheaper on large graphs: most improvements start at such vertices).
  double local_search(int rounds, std::uint64_t seed, int patience, double seed_loss = 0);

  double violation() const {
    double sum = 0;
    for (std::int32_t p = 0; p < parts_; ++p) sum += part_violation(p);
    return sum;
  }
  /// Total soft penalty of the secondary fields' deviations (cut-cost units).
  double secondary_penalty() const {
    double sum = 0;
    for (std::size_t k = 0; k < secondary_sum_.size(); ++k)
      for (double x : secondary_sum_[k])
        sum += g_.secondary_cost[k] * std::abs(x - secondary_target_[k]);
    return sum;
  }

private:
  double violation_of(double w) const {
    return std::max(0.0, w - bounds_.hi - wtol_) + std::max(0.0, bounds_.lo - wtol_ - w);
  }
  // Floors (WorkGraph::floor_values): scaled shortfall of a part holding `sum` of field f.
  double floor_short(std::size_t f, double sum) const {
    return floor_scale_[f] * std::max(0.0, g_.floor_minimum[f] - sum);
  }
  /// Bound violation plus scaled floor shortfalls of part p.
  double part_violation(std::int32_t p) const {
    const auto i = static_cast<std::size_t>(p);
    double v = violation_of(weight_[i]);
    for (std::size_t f = 0; f < floor_sum_.size(); ++f) v += floor_short(f, floor_sum_[f][i]);
    return v;
  }
  /// Change of the total violation (bounds and floors) if v moved from its part to b.
  double move_delta(std::uint32_t v, std::int32_t b) const {
    const auto a = static_cast<std::size_t>(part_[v]);
    const auto bi = static_cast<std::size_t>(b);
    const double w = g_.weight[v];
    double d = violation_of(weight_[a] - w) + violation_of(weight_[bi] + w) -
               violation_of(weight_[a]) - violation_of(weight_[bi]);
    for (std::size_t f = 0; f < floor_sum_.size(); ++f) {
      const double x = g_.floor_values[f][v];
      if (x == 0) continue;
      const double sa = floor_sum_[f][a], sb = floor_sum_[f][bi];
      d +=
          floor_short(f, sa - x) + floor_short(f, sb + x) - floor_short(f, sa) - floor_short(f, sb);
    }
    return d;
  }
  bool carries_floor(std::uint32_t v) const {
    for (const auto& field : g_.floor_values)
      if (field[v] != 0) return true;
    return false;
  }
  void recount() {
    std::fill(weight_.begin(), weight_.end(), 0.0);
    std::fill(count_.begin(), count_.end(), 0);
    for (auto& sums : secondary_sum_) std::fill(sums.begin(), sums.end(), 0.0);
    for (auto& sums : floor_sum_) std::fill(sums.begin(), sums.end(), 0.0);
    for (std::uint32_t v = 0; v < g_.size(); ++v) {
      if (part_[v] < 0) continue;
      for (std::size_t f = 0; f < floor_sum_.size(); ++f)
        floor_sum_[f][static_cast<std::size_t>(part_[v])] += g_.floor_values[f][v];
      weight_[static_cast<std::size_t>(part_[v])] += g_.weight[v];
      ++count_[static_cast<std::size_t>(part_[v])];
      for (std::size_t k = 0; k < secondary_sum_.size(); ++k)
        secondary_sum_[k][static_cast<std::size_t>(part_[v])] += g_.secondary[k][v];
    }
  }
  // Change of the secondary penalty if v moved from its part to b (0 without fields).
  double secondary_delta(std::uint32_t v, std::int32_t b) const {
    double delta = 0;
    const auto a = static_cast<std::size_t>(part_[v]);
    const auto bi = static_cast<std::size_t>(b);
    for (std::size_t k = 0; k < secondary_sum_.size(); ++k) {
      const double x = g_.secondary[k][v];
      const double t = secondary_target_[k];
      const double sa = secondary_sum_[k][a], sb = secondary_sum_[k][bi];
      delta += g_.secondary_cost[k] *
               (std::abs(sa - x - t) + std::abs(sb + x - t) - std::abs(sa - t) - std::abs(sb - t));
    }
    return delta;
  }
  void move(std::uint32_t v, std::int32_t to) {
    const auto from = part_[v];
    for (std::size_t k = 0; k < secondary_sum_.size(); ++k) {
      secondary_sum_[k][static_cast<std::size_t>(from)] -= g_.secondary[k][v];
      secondary_sum_[k][static_cast<std::size_t>(to)] += g_.secondary[k][v];
    }
    for (std::size_t f = 0; f < floor_sum_.size(); ++f) {
      floor_sum_[f][static_cast<std::size_t>(from)] -= g_.floor_values[f][v];
      floor_sum_[f][static_cast<std::size_t>(to)] += g_.floor_values[f][v];
    }
    weight_[static_cast<std::size_t>(from)] -= g_.weight[v];
    --count_[static_cast<std::size_t>(from)];
    weight_[static_cast<std::size_t>(to)] += g_.weight[v];
    ++count_[static_cast<std::size_t>(to)];
    part_[v] = to;
  }
  // Cut cost from v to each adjacent part (including its own), in conn_ (small list).
  void connections(std::uint32_t v) {
    conn_.clear();
    for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k) {
      const auto p = part_[g_.adj[k]];
      auto it =
          std::find_if(conn_.begin(), conn_.end(), [p](const auto& c) { return c.first == p; });
      if (it == conn_.end())
        conn_.emplace_back(p, g_.cost[k]);
      else
        it->second += g_.cost[k];
    }
  }
  double connection_to(std::int32_t p) const {
    for (const auto& c : conn_)
      if (c.first == p) return c.second;
    return 0.0;
  }
  bool can_leave(std::uint32_t v);
  // Best admissible move of v: target part (or -1) and its gain.
  struct Move {
    std::int32_t target = -1;
    double score = 0; ///< gain - penalty_ * delta
    double gain = 0;  ///< cut cost saved
    double delta = 0; ///< change of the total bound violation
  };
  Move best_move(std::uint32_t v);
  double penalty_ = 1;   ///< cost units per unit of bound violation in search scores
  double mean_cost_ = 1; ///< mean cost of an arc
  double search_from(std::uint32_t seed_vertex, int patience);
  std::vector<std::uint32_t> locked_;
  std::vector<std::uint8_t> touched_; ///< moved in a search of the current round
  std::uint32_t search_stamp_ = 0;

  const WorkGraph& g_;
  std::vector<std::int32_t>& part_;
  std::int32_t parts_;
  Bounds bounds_;
  std::vector<double> weight_;
  std::vector<std::uint32_t> count_;
  std::vector<std::vector<double>> secondary_sum_; ///< [field][part]
  std::vector<double> secondary_target_;           ///< per field: mean part sum
  std::vector<std::vector<double>> floor_sum_;     ///< [floor field][part]
  std::vector<double> floor_scale_;                ///< weight units per field unit
  double wtol_ = 0;
  // Scratch for can_leave: generation stamps avoid clearing arrays.
  std::vector<std::uint32_t> seen_, target_;
  std::uint32_t stamp_ = 0;
  std::vector<std::uint32_t> queue_;
  std::vector<std::pair<std::int32_t, double>> conn_;
  struct HeapEntry {
    double gain;
    std::uint32_t v;
    bool operator<(const HeapEntry& o) const { return gain != o.gain ? gain < o.gain : v > o.v; }
  };
  std::vector<HeapEntry> heap_;
  struct BalanceMove {
    double gain;  ///< cut cost saved by the move (negative: the cut grows)
    double delta; ///< change of the total violation (< 0)
    std::uint32_t v;
    std::int32_t target;
  };
  std::vector<BalanceMove> balance_moves_;
  std::vector<std::uint8_t> part_bad_;
  /// bad: per part, 1 = out of bounds (a snapshot; nullptr: judged now).
  bool balance_candidate(std::uint32_t v, BalanceMove& m, const std::uint8_t* bad = nullptr);
  std::vector<std::pair<std::uint32_t, std::int32_t>> log_;
};

// True when v may leave its part: the part keeps another vertex and stays connected.
// Proof by a breadth-first search inside the part, without v, from one of v's neighbours
// in the part until all of them are reached; the search is bounded (a part connected only
// through a long detour is treated as "would disconnect"), which is conservative: a move
// is never allowed unless connectivity is proven.
bool Solver::can_leave(std::uint32_t v) {
  const auto p = part_[v];
  if (count_[static_cast<std::size_t>(p)] <= 1) return false;
  if (++stamp_ == 0) { // wrapped: reset
    std::fill(seen_.begin(), seen_.end(), 0);
    std::fill(target_.begin(), target_.end(), 0);
    stamp_ = 1;
  }
  std::uint32_t remaining = 0;
  std::uint32_t first = 0;
  for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k) {
    const auto u = g_.adj[k];
    if (part_[u] != p) continue;
    if (remaining == 0) first = u;
    target_[u] = stamp_;
    ++remaining;
  }
  if (remaining == 0) return false; // v alone would be a disconnected part: keep it
  if (remaining == 1) return true;
  constexpr std::size_t limit = 400;
  queue_.clear();
  seen_[v] = stamp_;
  seen_[first] = stamp_;
  --remaining;
  queue_.push_back(first);
  for (std::size_t head = 0; head < queue_.size() && head < limit; ++head) {
    const auto x = queue_[head];
    for (auto k = g_.xadj[x]; k < g_.xadj[x + 1]; ++k) {
      const auto y = g_.adj[k];
      if (part_[y] != p || seen_[y] == stamp_) continue;
      seen_[y] = stamp_;
      if (target_[y] == stamp_ && --remaining == 0) return true;
      queue_.push_back(y);
    }
  }
  return false;
}

// Keeps the heaviest connected piece of every part; the other pieces' vertices are handed,
// one by one in breadth-first order, to the adjacent part they are most connected to. Each
// vertex joins a part it touches, so every part ends up connected.
void Solver::make_contiguous() {
  const std::uint32_t n = g_.size();
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> piece(n, none);
  std::vector<double> piece_weight;
  std::vector<std::uint32_t> best_piece(static_cast<std::size_t>(parts_), none);
  std::vector<std::uint32_t> stack;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (piece[s] != none) continue;
    const auto id = static_cast<std::uint32_t>(piece_weight.size());
    const auto p = part_[s];
    double w = 0;
    piece[s] = id;
    stack.push_back(s);
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      w += g_.weight[v];
      for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k) {
        const auto u = g_.adj[k];
        if (piece[u] == none && part_[u] == p) {
          piece[u] = id;
          stack.push_back(u);
        }
      }
    }
    piece_weight.push_back(w);
    auto& best = best_piece[static_cast<std::size_t>(p)];
    if (best == none || w > piece_weight[best] + wtol_) best = id;
  }
  if (piece_weight.size() ==
      static_cast<std::size_t>(
          std::count_if(best_piece.begin(), best_piece.end(), [&](auto b) { return b != none; })))
    return; // already one piece per part
  for (std::uint32_t v = 0; v < n; ++v)
    if (best_piece[static_cast<std::size_t>(part_[v])] != piece[v]) part_[v] = -1;
  std::vector<std::uint32_t> queue;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (part_[v] != -1) continue;
    for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k)
      if (part_[g_.adj[k]] != -1) {
        queue.push_back(v);
        break;
      }
  }
  recount(); // weights of the assigned vertices only
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const auto v = queue[head];
    if (part_[v] != -1) continue;
    connections(v);
    std::int32_t best = -1;
    double best_conn = -1;
    for (const auto& [p, c] : conn_) {
      if (p == -1) continue;
      const double wp = weight_[static_cast<std::size_t>(p)];
      if (best == -1 || c > best_conn + eps ||
          (c > best_conn - eps && wp < weight_[static_cast<std::size_t>(best)])) {
        best = p;
        best_conn = c;
      }
    }
    part_[v] = best; // best != -1: v was queued next to an assigned vertex
    weight_[static_cast<std::size_t>(best)] += g_.weight[v];
    for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k)
      if (part_[g_.adj[k]] == -1) queue.push_back(g_.adj[k]);
  }
  recount();
}

// A part left empty by the initial partition (or the repair) receives one vertex of the
// heaviest part with at least two: the last vertex a breadth-first search of that part
// reaches is a leaf of its search tree, so removing it keeps the part connected.
void Solver::fill_empty_parts() {
  const std::uint32_t n = g_.size();
  for (std::int32_t e = 0; e < parts_; ++e) {
    if (count_[static_cast<std::size_t>(e)] != 0) continue;
    std::int32_t heavy = -1;
    for (std::int32_t p = 0; p < parts_; ++p)
      if (count_[static_cast<std::size_t>(p)] >= 2 &&
          (heavy == -1 ||
           weight_[static_cast<std::size_t>(p)] > weight_[static_cast<std::size_t>(heavy)]))
        heavy = p;
    if (heavy == -1) return; // fewer vertices than parts: cannot happen (parts is clamped)
    std::uint32_t start = 0;
    while (part_[start] != heavy) ++start;
    if (++stamp_ == 0) {
      std::fill(seen_.begin(), seen_.end(), 0);
      stamp_ = 1;
    }
    queue_.clear();
    queue_.push_back(start);
    seen_[start] = stamp_;
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      const auto x = queue_[head];
      for (auto k = g_.xadj[x]; k < g_.xadj[x + 1]; ++k) {
        const auto y = g_.adj[k];
        if (part_[y] == heavy && seen_[y] != stamp_) {
          seen_[y] = stamp_;
          queue_.push_back(y);
        }
      }
    }
    move(queue_.back(), e);
  }
  (void)n;
}

// A balancing move of v: when v's part or an adjacent part breaks its bounds (or floors),
// the adjacent part whose taking v lowers the total violation most (ties: larger cut gain).
bool Solver::balance_candidate(std::uint32_t v, BalanceMove& m, const std::uint8_t* bad) {
  const auto a = part_[v];
  const double w = g_.weight[v];
  if (w <= 0 && !carries_floor(v)) return false;
  auto violating = [&](std::int32_t p) {
    return bad != nullptr ? bad[static_cast<std::size_t>(p)] != 0 : part_violation(p) > 0;
  };
  bool touches = violating(a);
  for (auto k = g_.xadj[v]; k < g_.xadj[v + 1] && !touches; ++k)
    touches = part_[g_.adj[k]] != a && violating(part_[g_.adj[k]]);
  if (!touches) return false;
  connections(v);
  const double ca = connection_to(a);
  std::int32_t best = -1;
  double best_delta = -eps * std::max(1.0, w), best_gain = 0;
  for (const auto& [b, c] : conn_) {
    if (b == a) continue;
    const double delta = move_delta(v, b);
    const double gain = c - ca;
    if (delta < best_delta - eps || (best != -1 && delta <= best_delta + eps && gain > best_gain)) {
      best = b;
      best_delta = delta;
      best_gain = gain;
    }
  }
  if (best == -1) return false;
  m = BalanceMove{best_gain, best_delta, v, best};
  return true;
}

// Moves vertices until every part is within bounds or no progress is possible.
// First, moves that strictly reduce the total bound violation (best reduction first, ties
// by cut gain), between a violating part and its neighbours. When none exists (a chain of
// full parts separates an overweight part from one with room), diffusion: inside the parts
// within `radius` quotient-graph steps of a violating part, a vertex moves from a heavier
// to a lighter adjacent part when that lowers the sum of squared part weights; the radius
// grows while nothing moves. Every move keeps both parts connected (can_leave). Each
// round strictly lowers the violation or the sum of squares, so it terminates; rounds are
// capped anyway.
void Solver::balance(int max_rounds, bool by_cost) {
  const std::uint32_t n = g_.size();
  std::vector<std::uint8_t> in_region(static_cast<std::size_t>(parts_));
  std::vector<std::int32_t> distance(static_cast<std::size_t>(parts_));
  std::vector<std::vector<std::int32_t>> quotient;
  int radius = 0;
  // Infeasible bounds (units too coarse) must not cost max_rounds full sweeps: stop when the
  // violation has not improved for `stall_limit` rounds; the FM search continues from here.
  constexpr int stall_limit = 12;
  double best_violation = violation();
  int stalled = 0;
  for (int round = 0; round < max_rounds; ++round) {
    const double now = violation();
    if (now <= 0) return;
    if (now < best_violation - 1e3 * wtol_) {
      best_violation = now;
      stalled = 0;
    } else if (++stalled > stall_limit) {
      return;
    }
    bool moved = false;
    if (radius == 0 && !by_cost) {
      // In vertex order, each vertex judged against the weights as they are.
      BalanceMove m;
      for (std::uint32_t v = 0; v < n; ++v)
        if (balance_candidate(v, m) && can_leave(v)) {
          move(v, m.target);
          moved = true;
        }
    }
    if (radius == 0 && by_cost) {
      // All candidates first, applied in order of cut gain per unit of violation removed
      // (ties: larger reduction, lower vertex), so that balance is bought with the cheapest
      // moves; each is re-checked against the weights as they are when its turn comes.
      balance_moves_.clear();
      part_bad_.resize(static_cast<std::size_t>(parts_));
      for (std::int32_t p = 0; p < parts_; ++p)
        part_bad_[static_cast<std::size_t>(p)] = part_violation(p) > 0 ? 1 : 0;
      BalanceMove m;
      for (std::uint32_t v = 0; v < n; ++v)
        if (balance_candidate(v, m, part_bad_.data())) balance_moves_.push_back(m);
      std::sort(balance_moves_.begin(), balance_moves_.end(),
                [](const BalanceMove& x, const BalanceMove& y) {
                  const double rx = x.gain / -x.delta, ry = y.gain / -y.delta;
                  if (rx != ry) return rx > ry;
                  if (x.delta != y.delta) return x.delta < y.delta;
                  return x.v < y.v;
                });
      for (const auto& c : balance_moves_) {
        if (part_[c.v] == c.target) continue;
        if (!(move_delta(c.v, c.target) < -eps * std::max(1.0, g_.weight[c.v]))) continue;
        bool adjacent = false; // an earlier move may have taken v's last neighbour in target
        for (auto k = g_.xadj[c.v]; k < g_.xadj[c.v + 1] && !adjacent; ++k)
          adjacent = part_[g_.adj[k]] == c.target;
        if (!adjacent || !can_leave(c.v)) continue;
        move(c.v, c.target);
        moved = true;
      }
    }
    if (radius == 0) {
      if (moved) continue;
      radius = 1;
    }
    // Diffusion inside the region around the violating parts.
    quotient.assign(static_cast<std::size_t>(parts_), {});
    for (std::uint32_t v = 0; v < n; ++v)
      for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k)
        if (part_[g_.adj[k]] != part_[v])
          quotient[static_cast<std::size_t>(part_[v])].push_back(part_[g_.adj[k]]);
    std::vector<std::int32_t> frontier;
    for (std::int32_t p = 0; p < parts_; ++p) {
      auto& q = quotient[static_cast<std::size_t>(p)];
      std::sort(q.begin(), q.end());
      q.erase(std::unique(q.begin(), q.end()), q.end());
      const bool violating = violation_of(weight_[static_cast<std::size_t>(p)]) > 0;
      distance[static_cast<std::size_t>(p)] = violating ? 0 : -1;
      if (violating) frontier.push_back(p);
    }
    for (std::size_t head = 0; head < frontier.size(); ++head) {
      const auto p = frontier[head];
      if (distance[static_cast<std::size_t>(p)] >= radius) continue;
      for (auto q : quotient[static_cast<std::size_t>(p)])
        if (distance[static_cast<std::size_t>(q)] == -1) {
          distance[static_cast<std::size_t>(q)] = distance[static_cast<std::size_t>(p)] + 1;
          frontier.push_back(q);
        }
    }
    for (std::int32_t p = 0; p < parts_; ++p)
      in_region[static_cast<std::size_t>(p)] = distance[static_cast<std::size_t>(p)] >= 0 ? 1 : 0;
    for (std::uint32_t v = 0; v < n; ++v) {
      const auto a = part_[v];
      const double w = g_.weight[v];
      if (!in_region[static_cast<std::size_t>(a)] || w <= 0) continue;
      const double wa = weight_[static_cast<std::size_t>(a)];
      connections(v);
      const double ca = connection_to(a);
      std::int32_t best = -1;
      double best_gain = 0, best_diff = 0;
      for (const auto& [b, c] : conn_) {
        if (b == a || !in_region[static_cast<std::size_t>(b)]) continue;
        const double diff = wa - weight_[static_cast<std::size_t>(b)] - w;
        if (diff <= wtol_) continue;
        const double gain = c - ca;
        if (best == -1 || gain > best_gain + eps || (gain > best_gain - eps && diff > best_diff)) {
          best = b;
          best_gain = gain;
          best_diff = diff;
        }
      }
      if (best != -1 && can_leave(v)) {
        move(v, best);
        moved = true;
      }
    }
    if (moved)
      radius = 0; // try targeted moves again
    else if (++radius > parts_)
      return;
  }
}

// Greedy boundary refinement: a vertex moves to the adjacent part it is most connected to
// when that lowers the cut (or, at equal cut, evens out the two parts' weights), never
// increasing the bound violation and never disconnecting its part.
void Solver::refine(int max_passes, bool plateau) {
  const std::uint32_t n = g_.size();
  // Work lists: the first pass visits every vertex, later passes only the vertices next to
  // a move of the pass before (nothing else changed around the others), in ascending order.
  std::vector<std::uint32_t> current, next;
  std::vector<std::uint32_t> listed(n, 0); // pass number + 1 in which v is already listed
  std::vector<std::uint8_t> walked(plateau ? n : 0, 0); // moved at zero gain once already
  current.resize(n);
  std::iota(current.begin(), current.end(), 0u);
  for (int pass = 0; pass < max_passes && !current.empty(); ++pass) {
    next.clear();
    const auto stamp = static_cast<std::uint32_t>(pass) + 1;
    auto list = [&](std::uint32_t u) {
      if (listed[u] != stamp) {
        listed[u] = stamp;
        next.push_back(u);
      }
    };
    for (const auto v : current) {
      const auto a = part_[v];
      bool boundary = false;
      for (auto k = g_.xadj[v]; k < g_.xadj[v + 1] && !boundary; ++k)
        boundary = part_[g_.adj[k]] != a;
      if (!boundary) continue;
      connections(v);
      const double ca = connection_to(a);
      const double w = g_.weight[v];
      const double wa = weight_[static_cast<std::size_t>(a)];
      std::int32_t best = -1;
      double best_gain = 0;
      for (const auto& [b, c] : conn_) {
        if (b == a) continue;
        const double wb = weight_[static_cast<std::size_t>(b)];
        const double delta = move_delta(v, b);
        if (delta > eps * std::max(1.0, w)) continue;
        const double gain = c - ca - secondary_delta(v, b);
        const bool better_cut = gain > eps;
        const bool evener = gain > -eps && w > 0 && wa - wb - w > wtol_;
        const bool walk = plateau && gain > -eps && !walked[v];
        if (!(better_cut || evener || walk)) continue;
        if (best == -1 || gain > best_gain + eps) {
          best = b;
          best_gain = gain;
        }
      }
      if (best != -1 && can_leave(v)) {
        if (plateau && best_gain <= eps) walked[v] = 1;
        move(v, best);
        list(v);
        for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k) list(g_.adj[k]);
      }
    }
    std::sort(next.begin(), next.end());
    std::swap(current, next);
  }
}

Solver::Move Solver::best_move(std::uint32_t v) {
  const auto a = part_[v];
  connections(v);
  Move best;
  if (conn_.size() == 1 && conn_.front().first == a) return best;
  const double ca = connection_to(a);
  for (const auto& [b, c] : conn_) {
    if (b == a) continue;
    const double delta = move_delta(v, b);
    const double gain = c - ca - secondary_delta(v, b);
    const double score = gain - penalty_ * delta;
    if (best.target == -1 || score > best.score + eps ||
        (score > best.score - eps && b < best.target))
      best = Move{b, score, gain, delta};
  }
  return best;
}

// One localized Fiduccia–Mattheyses search (as in KaHIP's k-way local search): starting at
// one boundary vertex, repeatedly make the best move among the vertices next to the moves
// so far (each vertex once; moves may worsen the cut or the balance), stop after `patience`
// moves without a new best state, and roll back to the best state. States are compared by
// bound violation first, then cut; moves are ranked by cut gain minus a large penalty per
// unit of violation, so a search can carry surplus weight through a chain of full parts.
// Every move is checked by can_leave, so every intermediate state, and therefore the one
// rolled back to, has connected parts. Returns the cut improvement kept.
double Solver::search_from(std::uint32_t seed_vertex, int patience) {
  if (++search_stamp_ == 0) {
    std::fill(locked_.begin(), locked_.end(), 0);
    search_stamp_ = 1;
  }
  auto& heap = heap_;
  heap.clear();
  log_.clear();
  auto push = [&](std::uint32_t v) {
    const auto m = best_move(v);
    if (m.target < 0) return;
    heap.push_back({m.score, v});
    std::push_heap(heap.begin(), heap.end());
  };
  push(seed_vertex);
  double gain_total = 0, delta_total = 0, best_gain = 0, best_delta = 0;
  const double delta_eps = 1e3 * wtol_;
  std::size_t best_length = 0;
  int since_best = 0;
  while (!heap.empty() && since_best < patience) {
    std::pop_heap(heap.begin(), heap.end());
    const auto entry = heap.back();
    heap.pop_back();
    const auto v = entry.v;
    if (locked_[v] == search_stamp_) continue;
    const auto m = best_move(v);
    if (m.target < 0) continue;
    if (m.score < entry.gain - eps) { // stale: re-queue with the current score
      heap.push_back({m.score, v});
      std::push_heap(heap.begin(), heap.end());
      continue;
    }
    if (!can_leave(v)) {
      locked_[v] = search_stamp_;
      continue;
    }
    log_.emplace_back(v, part_[v]);
    touched_[v] = 1;
    move(v, m.target);
    locked_[v] = search_stamp_;
    gain_total += m.gain;
    delta_total += m.delta;
    if (delta_total < best_delta - delta_eps ||
        (delta_total <= best_delta + delta_eps && gain_total > best_gain + eps)) {
      best_gain = gain_total;
      best_delta = delta_total;
      best_length = log_.size();
      since_best = 0;
    } else {
      ++since_best;
    }
    for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k) {
      const auto u = g_.adj[k];
      if (locked_[u] != search_stamp_) push(u);
    }
  }
  while (log_.size() > best_length) {
    move(log_.back().first, log_.back().second);
    log_.pop_back();
  }
  return best_gain;
}

// Rounds of localized searches from every boundary vertex (or the promising ones, see
// seed_loss), in a seeded random order.
double Solver::local_search(int rounds, std::uint64_t seed, int patience, double seed_loss) {
  const std::uint32_t n = g_.size();
  seed_loss *= mean_cost_;
  locked_.assign(n, 0);
  search_stamp_ = 0;
  Rng rng(seed);
  std::vector<std::uint32_t> order;
  double improvement = 0;
  for (int round = 0; round < rounds; ++round) {
    order.clear();
    for (std::uint32_t v = 0; v < n; ++v) {
      const auto a = part_[v];
      for (auto k = g_.xadj[v]; k < g_.xadj[v + 1]; ++k)
        if (part_[g_.adj[k]] != a) {
          order.push_back(v);
          break;
        }
    }
    rng.shuffle(order.begin(), order.end());
    touched_.assign(n, 0);
    const double violation_before = violation();
    double gained = 0;
    // A vertex already moved by an earlier search of this round seeds no new search.
    for (auto v : order) {
      if (touched_[v]) continue;
      if (seed_loss > 0 && part_violation(part_[v]) <= 0) {
        // A seed whose best move loses more rarely starts an improvement of the cut; seeds in
        // a part out of bounds are always tried (their searches lower the violation).
        const auto m = best_move(v);
        if (m.target < 0 || m.score < -seed_loss) continue;
      }
      gained += search_from(v, patience);
    }
    improvement += gained;
    if (gained <= eps && violation() >= violation_before - 1e3 * wtol_) break;
  }
  return improvement;
}

std::uint64_t mix(std::uint64_t x) {
  return splitmix64(x);
}

// Multilevel initial partition (options.coarsen_per_part > 0): coarsen g by heavy-edge
// matching to about coarsen_per_part vertices per part (no coarse vertex heavier than 1.5
// times the coarsest graph's mean vertex, as METIS), divide the coarsest graph once with
// METIS' recursive bisection, make its parts connected and non-empty, then on the way back
// to g balance and refine every level. A connected coarse part projects onto a connected
// fine part (each coarse vertex is one vertex or two adjacent ones), so the result is
// connected and needs only the finest level's refinement. ok = false when METIS failed.
std::vector<std::int32_t> multilevel_initial(const WorkGraph& g, std::int32_t parts,
                                             const SolveOptions& options, std::uint64_t seed,
                                             bool& ok) {
  const double coarsen_to = static_cast<double>(options.coarsen_per_part) * parts;
  double total = 0;
  for (double w : g.weight) total += w;
  const double max_weight = 1.5 * total / coarsen_to;
  std::vector<CoarseLevel> levels;
  const WorkGraph* current = &g;
  while (current->size() > coarsen_to) {
    auto level = coarsen(*current, max_weight, derive_seed(seed, levels.size()));
    // Stop when matching no longer shrinks the graph (a star, or every pair too heavy).
    if (static_cast<double>(level.graph.size()) > 0.95 * current->size()) break;
    levels.push_back(std::move(level));
    current = &levels.back().graph;
  }
  auto part = metis_initial(*current, parts, options.bounds, seed, true, ok);
  if (!ok) return part;
  for (std::size_t i = levels.size(); i-- > 0;) {
    {
      // Coarse vertices are too heavy for the final bounds: each level allows twice its
      // mean vertex weight either side, so balance is tightened gradually (as METIS' coarse
      // levels tolerate imbalance) instead of bought with cut at the coarsest level.
      const auto& level_graph = levels[i].graph;
      const double slack = 2.0 * total / std::max<std::uint32_t>(1, level_graph.size());
      const Bounds relaxed{std::max(0.0, options.bounds.lo - slack), options.bounds.hi + slack};
      Solver solver(level_graph, part, parts, relaxed);
      if (i + 1 == levels.size()) {
        solver.make_contiguous();
        solver.fill_empty_parts();
      }
      solver.balance(400, true);
      solver.refine(std::max(8, options.greedy_passes), true);
    }
    const auto& coarse_of = levels[i].coarse_of;
    std::vector<std::int32_t> finer(coarse_of.size());
    for (std::size_t v = 0; v < coarse_of.size(); ++v) finer[v] = part[coarse_of[v]];
    part = std::move(finer);
  }
  return part;
}

} // namespace

double cut_cost(const WorkGraph& g, const std::vector<std::int32_t>& part) {
  double sum = 0;
  for (std::uint32_t v = 0; v < g.size(); ++v)
    for (auto k = g.xadj[v]; k < g.xadj[v + 1]; ++k)
      if (g.adj[k] > v && part[g.adj[k]] != part[v]) sum += g.cost[k];
  return sum;
}

double total_violation(const WorkGraph& g, const std::vector<std::int32_t>& part,
                       std::int32_t parts, Bounds bounds) {
  std::vector<double> w(static_cast<std::size_t>(parts), 0.0);
  for (std::uint32_t v = 0; v < g.size(); ++v) w[static_cast<std::size_t>(part[v])] += g.weight[v];
  double sum = 0;
  for (double x : w) sum += std::max(0.0, x - bounds.hi) + std::max(0.0, bounds.lo - x);
  return sum;
}

std::vector<std::int32_t> solve_component(const WorkGraph& g, const SolveOptions& options) {
  const std::uint32_t n = g.size();
  const std::int32_t parts =
      std::clamp<std::int32_t>(options.parts, 1, static_cast<std::int32_t>(std::max(1u, n)));
  std::vector<std::int32_t> best(n, 0);
  if (parts == 1 || n == 0) return best;
  double best_violation = std::numeric_limits<double>::infinity();
  double best_cost = std::numeric_limits<double>::infinity();
  const int tries = std::max(1, options.tries);
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const bool timed = options.time_limit_s > 0;
  int since_best = 0;
  for (int t = 0; timed ? elapsed() < options.time_limit_s : t < tries; ++t) {
    const std::uint64_t seed = mix(options.seed ^ mix(static_cast<std::uint64_t>(t)));
    bool ok = false;
    std::vector<std::int32_t> part;
    if (options.use_metis && options.coarsen_per_part > 0)
      part = multilevel_initial(g, parts, options, seed, ok);
    else if (options.use_metis)
      part = metis_initial(g, parts, options.bounds, seed, options.recursive_initial, ok);
    if (!ok) part = grow_initial(g, parts, seed);
    Solver solver(g, part, parts, options.bounds);
    solver.make_contiguous();
    solver.fill_empty_parts();
    solver.balance(400, options.coarsen_per_part > 0 || options.recursive_initial);
    solver.refine(options.greedy_passes, options.coarsen_per_part > 0);
    solver.local_search(options.search_rounds, seed, options.patience, options.search_seed_loss);
    const double violation = solver.violation();
    const double cost = cut_cost(g, part) + solver.secondary_penalty();
    // Lexicographic: feasibility (less violation) first, then the cut.
    const bool better = violation < best_violation - 1e-9 ||
                        (violation <= best_violation + 1e-9 && cost < best_cost - 1e-9);
    if (better) {
      best_violation = violation;
      best_cost = cost;
      best = std::move(part);
      since_best = 0;
    } else {
      ++since_best;
    }
    if (options.progress)
      options.progress(timed ? std::min(1.0, elapsed() / options.time_limit_s)
                             : static_cast<double>(t + 1) / tries);
    // Early stop: the attempts have stopped improving (a feasible best is required).
    if (options.stall_tries > 0 && since_best >= options.stall_tries && best_violation <= 1e-9)
      break;
  }
  return best;
}

} // namespace gp::planner::detail
