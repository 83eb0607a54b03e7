// Pairing organisations with targets as an exact min-cost max-flow (see assign.hpp and
// docs/user/assign.md).

#include "gp/planner/assign.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <chrono>
#include <cmath>
#include <numeric>
#include <queue>

#include "gp/core/error.hpp"

namespace gp::planner {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
// Arc costs are integers held as doubles: Boost's successive shortest path adds the
// "infinite" distance of a vertex the source cannot reach to that vertex's potential, which
// overflows a signed integer (undefined behaviour, found by UBSan) but is harmless in
// floating point (such a vertex is never reached again, so its potential is never used).
// solve_pairing keeps every sum of costs below 2^53, where doubles hold integers exactly.
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, std::int64_t,
        boost::property<boost::edge_residual_capacity_t, std::int64_t,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                        boost::property<boost::edge_weight_t, double>>>>>;

/// Adds the arc u -> v and its residual twin, as Boost's flow algorithms require.
Traits::edge_descriptor add_arc(FlowGraph& g, std::size_t u, std::size_t v, std::int64_t capacity,
                                std::int64_t cost) {
  const auto e = boost::add_edge(u, v, g).first;
  const auto r = boost::add_edge(v, u, g).first;
  boost::put(boost::edge_capacity, g, e, capacity);
  boost::put(boost::edge_capacity, g, r, 0);
  boost::put(boost::edge_weight, g, e, static_cast<double>(cost));
  boost::put(boost::edge_weight, g, r, -static_cast<double>(cost));
  boost::put(boost::edge_reverse, g, e, r);
  boost::put(boost::edge_reverse, g, r, e);
  return e;
}

/// Splits `total` into integer shares proportional to `weights` (largest remainder; ties to
/// the lower index). All weights zero: equal shares.
std::vector<int> apportion(const std::vector<double>& weights, int total) {
  std::vector<int> out(weights.size(), 0);
  if (weights.empty() || total <= 0) return out;
  double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> w = weights;
  if (!(sum > 0)) {
    std::fill(w.begin(), w.end(), 1.0);
    sum = static_cast<double>(w.size());
  }
  std::vector<std::pair<double, std::size_t>> rest;
  int given = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double exact = total * w[i] / sum;
    out[i] = static_cast<int>(std::floor(exact));
    given += out[i];
    rest.emplace_back(exact - out[i], i);
  }
  std::stable_sort(rest.begin(), rest.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total && k < rest.size(); ++k, ++given) ++out[rest[k].second];
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank.
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

void check_finite_nonnegative(double v, const std::string& what) {
  if (!std::isfinite(v) || v < 0)
    throw UsageError(fmt::format("{} must be a finite number >= 0 (is {})", what, v));
}

/// Local improvement of a balanced pairing: exchanges the targets of two pairings, or hands a
/// pairing to an organisation with an unused offer, while that lowers the objective (pair
/// cost + weight x sum |capacity - ideal| / mean). Counts and offers stay within bounds,
/// each pair at most once. First improvement in a fixed order: deterministic.
void improve_by_exchange(const PairingProblem& problem, const std::vector<double>& per_pairing,
                         const std::vector<TargetBalance>& targets, double weight, double mean,
                         PairingSolution& solution, double& objective) {
  const std::size_t rows = problem.supply.size(), cols = problem.demand.size();
  std::vector<double> cap(cols, 0.0);
  std::vector<int> used(rows, 0);
  std::vector<char> paired(rows * cols, 0);
  for (const auto& [o, t] : solution.pairs) {
    cap[t] += per_pairing[o];
    ++used[o];
    paired[o * cols + t] = 1;
  }
  auto dev = [&](std::size_t t, double c) { return std::abs(c - targets[t].ideal_capacity); };
  auto cost = [&](std::size_t o, std::size_t t) { return problem.cost[o * cols + t]; };
  const double scale = weight / mean;
  auto& pairs = solution.pairs;
  for (int pass = 0; pass < 50; ++pass) {
    bool improved = false;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      for (std::size_t j = i + 1; j < pairs.size(); ++j) {
        const auto [a, t1] = pairs[i];
        const auto [b, t2] = pairs[j];
        if (t1 == t2 || a == b || paired[a * cols + t2] || paired[b * cols + t1]) continue;
        if (cost(a, t2) < 0 || cost(b, t1) < 0) continue;
        const double d_cost =
            static_cast<double>(cost(a, t2) + cost(b, t1) - cost(a, t1) - cost(b, t2));
        const double c1 = cap[t1] - per_pairing[a] + per_pairing[b];
        const double c2 = cap[t2] - per_pairing[b] + per_pairing[a];
        const double d_dev = dev(t1, c1) + dev(t2, c2) - dev(t1, cap[t1]) - dev(t2, cap[t2]);
        const double delta = d_cost + scale * d_dev;
        if (!(delta < -1e-9)) continue;
        paired[a * cols + t1] = paired[b * cols + t2] = 0;
        paired[a * cols + t2] = paired[b * cols + t1] = 1;
        cap[t1] = c1;
        cap[t2] = c2;
        pairs[i].second = t2;
        pairs[j].second = t1;
        objective += delta;
        solution.cost += static_cast<std::int64_t>(d_cost);
        improved = true;
      }
      // Hand pairing i to an organisation with an unused offer.
      for (std::size_t c = 0; c < rows; ++c) {
        const auto [a, t] = pairs[i];
        if (c == a || used[c] >= problem.supply[c] || paired[c * cols + t] || cost(c, t) < 0)
          continue;
        const double d_cost = static_cast<double>(cost(c, t) - cost(a, t));
        const double ct = cap[t] - per_pairing[a] + per_pairing[c];
        const double delta = d_cost + scale * (dev(t, ct) - dev(t, cap[t]));
        if (!(delta < -1e-9)) continue;
        paired[a * cols + t] = 0;
        paired[c * cols + t] = 1;
        --used[a];
        ++used[c];
        cap[t] = ct;
        pairs[i].first = c;
        objective += delta;
        solution.cost += static_cast<std::int64_t>(d_cost);
        improved = true;
      }
    }
    if (!improved) break;
  }
  std::sort(pairs.begin(), pairs.end());
}

} // namespace

int boundary_crossings(const std::string& a, const std::string& b,
                       const std::vector<std::size_t>& levels) {
  if (a.empty() || b.empty()) return static_cast<int>(levels.size());
  int n = 0;
  for (const std::size_t len : levels)
    if (a.substr(0, len) != b.substr(0, len)) ++n;
  return n;
}

PairingSolution solve_pairing(const PairingProblem& p) {
  const std::size_t rows = p.supply.size(), cols = p.demand.size();
  if (p.cost.size() != rows * cols)
    throw UsageError(
        fmt::format("pairing problem: {} costs for {} x {} pairs", p.cost.size(), rows, cols));
  for (const int s : p.supply)
    if (s < 0) throw UsageError("pairing problem: negative supply");
  for (const int d : p.demand)
    if (d < 0) throw UsageError("pairing problem: negative demand");

  // Vertices: source, rows, columns, sink.
  const std::size_t source = 0, first_row = 1, first_col = 1 + rows, sink = 1 + rows + cols;
  FlowGraph g(sink + 1);
  for (std::size_t i = 0; i < rows; ++i)
    if (p.supply[i] > 0) add_arc(g, source, first_row + i, p.supply[i], 0);
  for (std::size_t j = 0; j < cols; ++j)
    if (p.demand[j] > 0) add_arc(g, first_col + j, sink, p.demand[j], 0);
  std::vector<std::pair<Traits::edge_descriptor, std::pair<std::size_t, std::size_t>>> arcs;
  // Every potential is a path cost, at most the sum of all arc costs: kept exact in a double.
  constexpr std::int64_t exact_limit = std::int64_t{1} << 53;
  std::int64_t cost_sum = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    if (p.supply[i] <= 0) continue;
    for (std::size_t j = 0; j < cols; ++j) {
      const std::int64_t c = p.cost[i * cols + j];
      if (c < 0 || p.demand[j] <= 0) continue;
      if (c >= exact_limit - cost_sum)
        throw UsageError(fmt::format("pairing problem: costs add up to more than {}", exact_limit));
      cost_sum += c;
      arcs.emplace_back(add_arc(g, first_row + i, first_col + j, 1, c), std::pair{i, j});
    }
  }
  PairingSolution out;
  if (arcs.empty()) return out;
  boost::successive_shortest_path_nonnegative_weights(g, source, sink);
  const auto residual = boost::get(boost::edge_residual_capacity, g);
  for (const auto& [e, ij] : arcs) {
    if (residual[e] == 0) {
      out.pairs.push_back(ij);
      out.cost += p.cost[ij.first * cols + ij.second];
    }
  }
  std::sort(out.pairs.begin(), out.pairs.end());
  out.flow = static_cast<std::int64_t>(out.pairs.size());
  return out;
}

Assignment assign(const std::vector<Organisation>& orgs, const std::vector<AssignTarget>& targets,
                  const AssignOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (!std::isfinite(options.per_target) || options.per_target <= 0)
    throw UsageError(fmt::format("--per-target must be > 0 (is {})", options.per_target));
  if (options.max_per_org < 0) throw UsageError("--max-per-org must be >= 0");
  check_finite_nonnegative(options.boundary_penalty_m, "--boundary-penalty");
  check_finite_nonnegative(options.capacity_weight_m, "--capacity-weight");
  check_finite_nonnegative(options.max_distance_m, "--max-distance");
  check_finite_nonnegative(options.preferred_penalty_m, "preferred penalty");
  for (const auto& o : orgs)
    check_finite_nonnegative(o.capacity, fmt::format("capacity of organisation '{}'", o.id));
  for (const auto& t : targets)
    check_finite_nonnegative(t.need, fmt::format("need of target '{}'", t.code));

  const std::size_t n_orgs = orgs.size(), n_targets = targets.size();
  Assignment out;
  out.targets.resize(n_targets);
  out.org_slots.assign(n_orgs, 0);
  out.org_pairings.assign(n_orgs, 0);

  // Demand per target.
  std::vector<double> need(n_targets);
  for (std::size_t t = 0; t < n_targets; ++t) need[t] = targets[t].need;
  const int total_pairings =
      static_cast<int>(std::llround(options.per_target * static_cast<double>(n_targets)));
  std::vector<int> demand;
  if (options.count_rule == CountRule::need) {
    demand = apportion(need, total_pairings);
  } else {
    // Equal shares; when per_target is not whole the extra pairings go to the neediest.
    const int base = static_cast<int>(std::floor(options.per_target));
    demand.assign(n_targets, base);
    std::vector<std::size_t> order(n_targets);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return need[a] > need[b]; });
    int extra = total_pairings - base * static_cast<int>(n_targets);
    for (std::size_t k = 0; extra > 0 && k < n_targets; ++k, --extra) ++demand[order[k]];
  }

  // Pairings offered per organisation: one each, then the rest one at a time to the
  // organisation bringing the most capacity per pairing (highest averages, D'Hondt), so that
  // a large organisation spreads its help over several targets instead of swamping one.
  const int cap =
      std::min<int>(static_cast<int>(n_targets),
                    options.max_per_org > 0 ? options.max_per_org : static_cast<int>(n_targets));
  if (n_orgs > 0 && cap > 0) {
    const int total_demand = std::accumulate(demand.begin(), demand.end(), 0);
    std::fill(out.org_slots.begin(), out.org_slots.end(), 1);
    auto before = [&](std::size_t a, std::size_t b) { // a ranks before b
      const double qa = orgs[a].capacity / out.org_slots[a];
      const double qb = orgs[b].capacity / out.org_slots[b];
      return qa != qb ? qa > qb : a < b;
    };
    auto cmp = [&](std::size_t a, std::size_t b) { return before(b, a); };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(cmp)> queue(cmp);
    for (std::size_t o = 0; o < n_orgs; ++o)
      if (out.org_slots[o] < cap) queue.push(o);
    for (int given = static_cast<int>(n_orgs); given < total_demand && !queue.empty(); ++given) {
      const std::size_t o = queue.top();
      queue.pop();
      ++out.org_slots[o];
      if (out.org_slots[o] < cap) queue.push(o);
    }
  }

  // Ideal capacity per target.
  const double total_capacity =
      std::accumulate(orgs.begin(), orgs.end(), 0.0,
                      [](double s, const Organisation& o) { return s + o.capacity; });
  const double total_need = std::accumulate(need.begin(), need.end(), 0.0);
  const int total_slots = std::accumulate(out.org_slots.begin(), out.org_slots.end(), 0);
  const double mean_per_pairing =
      total_slots > 0 ? total_capacity / static_cast<double>(total_slots) : 0.0;
  for (std::size_t t = 0; t < n_targets; ++t) {
    auto& b = out.targets[t];
    b.need = need[t];
    b.ideal_count = demand[t];
    b.ideal_capacity = total_need > 0 ? total_capacity * need[t] / total_need
                                      : total_capacity / static_cast<double>(n_targets);
  }

  // Pair costs: distance, boundaries, preference.
  PairingProblem problem;
  problem.supply = out.org_slots;
  problem.demand = demand;
  problem.cost.assign(n_orgs * n_targets, -1);
  std::vector<double> distance(n_orgs * n_targets);
  std::vector<int> crossings(n_orgs * n_targets);
  std::vector<double> per_pairing(n_orgs, 0.0);
  for (std::size_t o = 0; o < n_orgs; ++o) {
    const auto& org = orgs[o];
    per_pairing[o] = out.org_slots[o] > 0 ? org.capacity / out.org_slots[o] : 0.0;
    std::vector<char> preferred(n_targets, org.preferred.empty() ? 1 : 0);
    for (const std::size_t t : org.preferred)
      if (t < n_targets) preferred[t] = 1;
    for (std::size_t t = 0; t < n_targets; ++t) {
      const std::size_t k = o * n_targets + t;
      distance[k] = std::hypot(org.location.x - targets[t].location.x,
                               org.location.y - targets[t].location.y);
      crossings[k] =
          boundary_crossings(org.area_code, targets[t].area_code, options.boundary_levels);
      if (options.max_distance_m > 0 && distance[k] > options.max_distance_m) continue;
      double c = distance[k] + options.boundary_penalty_m * crossings[k];
      if (!preferred[t]) c += options.preferred_penalty_m;
      problem.cost[k] = std::llround(c);
    }
  }

  // The objective: pair costs + capacity_weight x sum over targets of |capacity - ideal| in
  // mean pairings. Step 0 is the exact min-cost flow of the pair costs alone. Further steps
  // price capacity at each target (Lagrangian relaxation of "capacity = ideal", prices moved
  // by the subgradient), each an exact min-cost flow of pair cost + price x capacity; the
  // best objective seen wins, so the result is never worse than nearest first.
  auto objective_of = [&](const PairingSolution& sol, std::vector<double>& capacity) {
    std::fill(capacity.begin(), capacity.end(), 0.0);
    for (const auto& [o, t] : sol.pairs) capacity[t] += per_pairing[o];
    double dev = 0;
    for (std::size_t t = 0; t < n_targets; ++t)
      dev += std::abs(capacity[t] - out.targets[t].ideal_capacity);
    return static_cast<double>(sol.cost) +
           (mean_per_pairing > 0 ? options.capacity_weight_m * dev / mean_per_pairing : 0.0);
  };
  PairingSolution solution = solve_pairing(problem);
  std::vector<double> capacity(n_targets), best_capacity(n_targets);
  double best = objective_of(solution, best_capacity);
  const int steps =
      options.capacity_weight_m > 0 && mean_per_pairing > 0 ? options.balance_steps : 0;
  std::vector<double> price(n_targets, 0.0);
  const double scale = solution.flow > 0
                           ? static_cast<double>(solution.cost) / static_cast<double>(solution.flow)
                           : 0.0;
  capacity = best_capacity;
  PairingProblem priced = problem;
  for (int step = 1; step <= steps; ++step) {
    // The optimal prices of an L1 penalty lie within +-capacity_weight_m: clamp there.
    const double w = options.capacity_weight_m;
    // Steps on the scale of a pair's cost (a price moves a pairing by about a distance).
    const double rate = 0.2 * std::min(w, scale) / (1.0 + step / 10.0);
    for (std::size_t t = 0; t < n_targets; ++t)
      price[t] = std::clamp(price[t] + rate * (capacity[t] - out.targets[t].ideal_capacity) /
                                           mean_per_pairing,
                            -w, w);
    // Shift every arc by the same amount so costs are >= 0: with the number of pairs fixed
    // (a max flow), that changes no choice.
    std::vector<double> c(problem.cost.size(), 0.0);
    double lowest = 0;
    for (std::size_t o = 0; o < n_orgs; ++o)
      for (std::size_t t = 0; t < n_targets; ++t) {
        const std::size_t k = o * n_targets + t;
        if (problem.cost[k] < 0) continue;
        c[k] = static_cast<double>(problem.cost[k]) + price[t] * per_pairing[o] / mean_per_pairing;
        lowest = std::min(lowest, c[k]);
      }
    for (std::size_t k = 0; k < c.size(); ++k)
      priced.cost[k] = problem.cost[k] < 0 ? -1 : std::llround(c[k] - lowest);
    PairingSolution trial = solve_pairing(priced);
    trial.cost = 0;
    for (const auto& [o, t] : trial.pairs) trial.cost += problem.cost[o * n_targets + t];
    const double value = objective_of(trial, capacity);
    if (trial.flow == solution.flow && value < best) {
      best = value;
      solution = std::move(trial);
    }
  }

  if (steps > 0)
    improve_by_exchange(problem, per_pairing, out.targets, options.capacity_weight_m,
                        mean_per_pairing, solution, best);
  if (steps > 0) best = objective_of(solution, capacity); // exact, without rounding drift

  for (const auto& [o, t] : solution.pairs) {
    const std::size_t k = o * n_targets + t;
    Pairing p;
    p.org = o;
    p.target = t;
    p.distance_m = distance[k];
    p.crossings = crossings[k];
    p.capacity = per_pairing[o];
    p.cost = problem.cost[k];
    out.pairings.push_back(p);
  }
  std::sort(out.pairings.begin(), out.pairings.end(), [](const Pairing& a, const Pairing& b) {
    return std::pair{a.target, a.org} < std::pair{b.target, b.org};
  });

  // Balance.
  auto& s = out.summary;
  s.organisations = n_orgs;
  s.targets = n_targets;
  s.pairings = out.pairings.size();
  s.cost = solution.cost;
  s.objective = best;
  for (const auto& p : out.pairings) {
    ++out.org_pairings[p.org];
    auto& b = out.targets[p.target];
    ++b.count;
    b.capacity += p.capacity;
    s.mean_distance_m += p.distance_m;
    s.max_distance_m = std::max(s.max_distance_m, p.distance_m);
    if (p.crossings > 0) ++s.crossing_pairings;
  }
  if (s.pairings > 0) s.mean_distance_m /= static_cast<double>(s.pairings);
  const int total_demand = std::accumulate(demand.begin(), demand.end(), 0);
  s.unfilled = static_cast<std::size_t>(total_demand) - s.pairings;
  s.unused_orgs =
      static_cast<std::size_t>(std::count(out.org_pairings.begin(), out.org_pairings.end(), 0));
  std::vector<double> ratios;
  for (std::size_t t = 0; t < n_targets; ++t) {
    const auto& b = out.targets[t];
    s.count_min = t == 0 ? b.count : std::min(s.count_min, b.count);
    s.count_max = t == 0 ? b.count : std::max(s.count_max, b.count);
    if (b.ideal_capacity > 0) ratios.push_back(b.capacity / b.ideal_capacity);
  }
  if (!ratios.empty()) {
    s.capacity_ratio_min = *std::min_element(ratios.begin(), ratios.end());
    s.capacity_ratio_max = *std::max_element(ratios.begin(), ratios.end());
    s.capacity_ratio_p10 = percentile(ratios, 0.1);
    s.capacity_ratio_p90 = percentile(ratios, 0.9);
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

} // namespace gp::planner
