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

#include "gp/core/error.hpp"

namespace gp::planner {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, std::int64_t,
        boost::property<boost::edge_residual_capacity_t, std::int64_t,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                        boost::property<boost::edge_weight_t, std::int64_t>>>>>;

/// Adds the arc u -> v and its residual twin, as Boost's flow algorithms require.
Traits::edge_descriptor add_arc(FlowGraph& g, std::size_t u, std::size_t v, std::int64_t capacity,
                                std::int64_t cost) {
  const auto e = boost::add_edge(u, v, g).first;
  const auto r = boost::add_edge(v, u, g).first;
  boost::put(boost::edge_capacity, g, e, capacity);
  boost::put(boost::edge_capacity, g, r, 0);
  boost::put(boost::edge_weight, g, e, cost);
  boost::put(boost::edge_weight, g, r, -cost);
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
  for (std::size_t i = 0; i < rows; ++i) {
    if (p.supply[i] <= 0) continue;
    for (std::size_t j = 0; j < cols; ++j) {
      const std::int64_t c = p.cost[i * cols + j];
      if (c < 0 || p.demand[j] <= 0) continue;
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

  // Pairings offered per organisation: an equal share of the total, at least one, the
  // remainder to the largest capacities, capped.
  const int cap =
      std::min<int>(static_cast<int>(n_targets),
                    options.max_per_org > 0 ? options.max_per_org : static_cast<int>(n_targets));
  if (n_orgs > 0) {
    const int total_demand = std::accumulate(demand.begin(), demand.end(), 0);
    const int base = total_demand / static_cast<int>(n_orgs);
    int extra = total_demand - base * static_cast<int>(n_orgs);
    std::vector<std::size_t> order(n_orgs);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return orgs[a].capacity > orgs[b].capacity;
    });
    for (const std::size_t o : order) {
      out.org_slots[o] = std::min(cap, std::max(1, base + (extra > 0 ? 1 : 0)));
      if (extra > 0) --extra;
    }
  }

  // Ideal capacity per target and per pairing.
  const double total_capacity =
      std::accumulate(orgs.begin(), orgs.end(), 0.0,
                      [](double s, const Organisation& o) { return s + o.capacity; });
  const double total_need = std::accumulate(need.begin(), need.end(), 0.0);
  const int total_slots = std::accumulate(out.org_slots.begin(), out.org_slots.end(), 0);
  const double mean_per_pairing =
      total_slots > 0 ? total_capacity / static_cast<double>(total_slots) : 0.0;
  std::vector<double> ideal_per_pairing(n_targets, 0.0);
  for (std::size_t t = 0; t < n_targets; ++t) {
    auto& b = out.targets[t];
    b.need = need[t];
    b.ideal_count = demand[t];
    b.ideal_capacity = total_need > 0 ? total_capacity * need[t] / total_need
                                      : total_capacity / static_cast<double>(n_targets);
    if (demand[t] > 0) ideal_per_pairing[t] = b.ideal_capacity / demand[t];
  }

  // Costs.
  PairingProblem problem;
  problem.supply = out.org_slots;
  problem.demand = demand;
  problem.cost.assign(n_orgs * n_targets, -1);
  std::vector<double> distance(n_orgs * n_targets);
  std::vector<int> crossings(n_orgs * n_targets);
  for (std::size_t o = 0; o < n_orgs; ++o) {
    const auto& org = orgs[o];
    const double per_pairing = out.org_slots[o] > 0 ? org.capacity / out.org_slots[o] : 0.0;
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
      if (mean_per_pairing > 0)
        c += options.capacity_weight_m * std::abs(per_pairing - ideal_per_pairing[t]) /
             mean_per_pairing;
      if (!preferred[t]) c += options.preferred_penalty_m;
      problem.cost[k] = std::llround(c);
    }
  }

  const PairingSolution solution = solve_pairing(problem);
  for (const auto& [o, t] : solution.pairs) {
    const std::size_t k = o * n_targets + t;
    Pairing p;
    p.org = o;
    p.target = t;
    p.distance_m = distance[k];
    p.crossings = crossings[k];
    p.capacity = orgs[o].capacity / out.org_slots[o];
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
