// Pairing organisations with targets: the min-cost flow is optimal (checked against brute
// force over every feasible pairing on small random cases), the model's rules hold, and on
// the demo city the pairing is balanced.

#include "gp/planner/assign.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>

#include "gp/core/error.hpp"
#include "gp/core/random.hpp"
#include "gp/geo/demo_city.hpp"
#include "gp/geo/ops.hpp"
#include "support.hpp"

namespace {
using namespace gp::planner;

struct Best {
  std::int64_t flow = -1;
  std::int64_t cost = std::numeric_limits<std::int64_t>::max();
};

/// Every 0/1 matrix of pairs within the arcs, row sums <= supply, column sums <= demand:
/// the largest number of pairs and the least cost among those.
Best brute_force(const PairingProblem& p) {
  const std::size_t rows = p.supply.size(), cols = p.demand.size(), n = rows * cols;
  Best best;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    std::vector<int> rs(rows, 0), cs(cols, 0);
    std::int64_t cost = 0, flow = 0;
    bool ok = true;
    for (std::size_t k = 0; k < n && ok; ++k) {
      if (!(mask >> k & 1)) continue;
      if (p.cost[k] < 0) ok = false;
      ++rs[k / cols];
      ++cs[k % cols];
      cost += p.cost[k];
      ++flow;
    }
    for (std::size_t i = 0; i < rows && ok; ++i) ok = rs[i] <= p.supply[i];
    for (std::size_t j = 0; j < cols && ok; ++j) ok = cs[j] <= p.demand[j];
    if (!ok) continue;
    if (flow > best.flow || (flow == best.flow && cost < best.cost)) best = {flow, cost};
  }
  return best;
}

TEST(SolvePairing, MatchesBruteForceOnRandomSmallCases) {
  gp::Rng rng(gp::testing::test_seed(16));
  for (int round = 0; round < 300; ++round) {
    PairingProblem p;
    const auto rows = static_cast<std::size_t>(rng.integer(1, 4));
    const auto cols = static_cast<std::size_t>(rng.integer(1, 4));
    if (rows * cols > 16) continue;
    for (std::size_t i = 0; i < rows; ++i) p.supply.push_back(static_cast<int>(rng.integer(0, 3)));
    for (std::size_t j = 0; j < cols; ++j) p.demand.push_back(static_cast<int>(rng.integer(0, 3)));
    for (std::size_t k = 0; k < rows * cols; ++k)
      p.cost.push_back(rng.uniform() < 0.15 ? -1 : static_cast<std::int64_t>(rng.integer(0, 50)));
    const PairingSolution s = solve_pairing(p);
    const Best b = brute_force(p);
    ASSERT_EQ(s.flow, b.flow) << "round " << round;
    ASSERT_EQ(s.cost, b.cost) << "round " << round;
    // The pairs are feasible and their cost is the reported cost.
    std::vector<int> rs(rows, 0), cs(cols, 0);
    std::int64_t cost = 0;
    for (std::size_t k = 0; k < s.pairs.size(); ++k) {
      const auto [i, j] = s.pairs[k];
      ++rs[i];
      ++cs[j];
      ASSERT_GE(p.cost[i * cols + j], 0);
      cost += p.cost[i * cols + j];
      if (k > 0) {
        ASSERT_NE(s.pairs[k - 1], s.pairs[k]); // each pair at most once
      }
    }
    for (std::size_t i = 0; i < rows; ++i) ASSERT_LE(rs[i], p.supply[i]);
    for (std::size_t j = 0; j < cols; ++j) ASSERT_LE(cs[j], p.demand[j]);
    ASSERT_EQ(cost, s.cost);
  }
}

// UBSan (issue 11): a vertex the source cannot reach (the row without supply, the column no
// row may serve) made Boost's potential update add two "infinite" int64 distances.
TEST(SolvePairing, UnreachableVerticesIssue11) {
  // Row 0 supplies nothing; column 2 is forbidden to every row; row 2 may serve column 1 only.
  PairingProblem p{{0, 2, 1}, {1, 1, 1}, {5, 5, -1, 7, 3, -1, -1, 4, -1}};
  const PairingSolution s = solve_pairing(p);
  // Row 1 takes column 0 (7) and column 1 (3), or row 2 takes column 1 (4): two pairs at most
  // (column 2 unreachable), the cheapest being 7 + 3 = 10 (7 + 4 = 11 otherwise).
  EXPECT_EQ(s.flow, 2);
  EXPECT_EQ(s.cost, 10);
}

TEST(SolvePairing, RejectsCostsBeyondExactDoubles) {
  const std::int64_t big = std::int64_t{1} << 52;
  PairingProblem p{{2}, {1, 1}, {big, big}};
  EXPECT_THROW(solve_pairing(p), gp::UsageError);
  p.cost = {big - 1, big - 1};
  EXPECT_EQ(solve_pairing(p).cost, 2 * (big - 1));
}

TEST(SolvePairing, RejectsMismatchedSizes) {
  PairingProblem p{{1, 1}, {1}, {0}};
  EXPECT_THROW(solve_pairing(p), gp::UsageError);
}

TEST(BoundaryCrossings, CountsLevelsWhosePrefixesDiffer) {
  const std::vector<std::size_t> levels = {6, 9};
  EXPECT_EQ(boundary_crossings("110199001001", "110199001002", levels), 0); // same street
  EXPECT_EQ(boundary_crossings("110199001001", "110199002001", levels), 1); // other street
  EXPECT_EQ(boundary_crossings("110199001001", "110105001001", levels), 2); // other district
  EXPECT_EQ(boundary_crossings("", "110199001001", levels), 2);             // outside all
}

/// The pair cost assign() documents, computed here from the inputs (-1: not allowed).
std::int64_t documented_cost(const Organisation& o, const AssignTarget& t, std::size_t ti,
                             const AssignOptions& opt) {
  const double d = std::hypot(o.location.x - t.location.x, o.location.y - t.location.y);
  if (opt.max_distance_m > 0 && d > opt.max_distance_m) return -1;
  double c = d + opt.boundary_penalty_m *
                     boundary_crossings(o.area_code, t.area_code, opt.boundary_levels);
  if (!o.preferred.empty() &&
      std::find(o.preferred.begin(), o.preferred.end(), ti) == o.preferred.end())
    c += opt.preferred_penalty_m;
  return std::llround(c);
}

struct BestObjective {
  std::int64_t flow = -1;
  double objective = std::numeric_limits<double>::infinity();
};

/// Brute force of the documented objective: pair cost + weight x sum |capacity - ideal| /
/// mean capacity per pairing, over every feasible set of pairs with the most pairs.
BestObjective brute_force_objective(const PairingProblem& p, const std::vector<double>& per_pairing,
                                    const std::vector<double>& ideal, double weight) {
  const std::size_t rows = p.supply.size(), cols = p.demand.size(), n = rows * cols;
  double total = 0;
  int slots = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    total += per_pairing[i] * p.supply[i];
    slots += p.supply[i];
  }
  const double mean = total / slots;
  BestObjective best;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    std::vector<int> rs(rows, 0), cs(cols, 0);
    std::vector<double> cap(cols, 0.0);
    double cost = 0;
    std::int64_t flow = 0;
    bool ok = true;
    for (std::size_t k = 0; k < n && ok; ++k) {
      if (!(mask >> k & 1)) continue;
      if (p.cost[k] < 0) ok = false;
      ++rs[k / cols];
      ++cs[k % cols];
      cap[k % cols] += per_pairing[k / cols];
      cost += static_cast<double>(p.cost[k]);
      ++flow;
    }
    for (std::size_t i = 0; i < rows && ok; ++i) ok = rs[i] <= p.supply[i];
    for (std::size_t j = 0; j < cols && ok; ++j) ok = cs[j] <= p.demand[j];
    if (!ok) continue;
    for (std::size_t j = 0; j < cols; ++j) cost += weight * std::abs(cap[j] - ideal[j]) / mean;
    if (flow > best.flow || (flow == best.flow && cost < best.objective)) best = {flow, cost};
  }
  return best;
}

TEST(Assign, OptimalOnRandomSmallCitiesByBruteForce) {
  gp::Rng rng(gp::testing::test_seed(61));
  const std::vector<std::string> codes = {"110199001001", "110199001002", "110199002001",
                                          "110105001001"};
  int balanced_rounds = 0;
  for (int round = 0; round < 80; ++round) {
    const auto n_orgs = static_cast<std::size_t>(rng.integer(2, 5));
    const auto n_targets = static_cast<std::size_t>(rng.integer(1, 3));
    std::vector<Organisation> orgs(n_orgs);
    std::vector<AssignTarget> targets(n_targets);
    for (std::size_t i = 0; i < n_orgs; ++i) {
      orgs[i].id = std::to_string(i);
      orgs[i].location = {rng.uniform(0, 3000), rng.uniform(0, 3000)};
      orgs[i].capacity = static_cast<double>(rng.integer(1, 60));
      orgs[i].area_code = rng.uniform() < 0.1 ? "" : codes[rng.below(codes.size())];
      if (rng.uniform() < 0.3) orgs[i].preferred = {rng.below(n_targets)};
    }
    for (std::size_t j = 0; j < n_targets; ++j) {
      targets[j].code = codes[j];
      targets[j].area_code = codes[j];
      targets[j].location = {rng.uniform(0, 3000), rng.uniform(0, 3000)};
      targets[j].need = static_cast<double>(rng.integer(100, 5000));
    }
    AssignOptions opt;
    opt.per_target = static_cast<double>(rng.integer(1, 3));
    opt.count_rule = rng.uniform() < 0.5 ? CountRule::equal : CountRule::need;
    opt.max_distance_m = rng.uniform() < 0.3 ? 2000 : 0;
    opt.capacity_weight_m = rng.uniform() < 0.5 ? 0 : 1500;
    const Assignment a = assign(orgs, targets, opt);

    // The documented model, rebuilt from the result's demands and offers, brute-forced.
    PairingProblem p;
    p.supply = a.org_slots;
    for (const auto& b : a.targets) p.demand.push_back(b.ideal_count);
    for (std::size_t i = 0; i < n_orgs; ++i)
      for (std::size_t j = 0; j < n_targets; ++j)
        p.cost.push_back(documented_cost(orgs[i], targets[j], j, opt));
    const Best b = brute_force(p);
    ASSERT_EQ(static_cast<std::int64_t>(a.pairings.size()), b.flow) << "round " << round;
    std::int64_t cost = 0;
    for (const auto& x : a.pairings) cost += p.cost[x.org * n_targets + x.target];
    EXPECT_EQ(cost, a.summary.cost);
    if (opt.capacity_weight_m == 0) {
      // Nearest first: exactly the least pair cost.
      ASSERT_EQ(a.summary.cost, b.cost) << "round " << round;
    } else {
      // Balancing: never below the true optimum of the objective (a consistency check of
      // the reported objective) and never worse than the nearest-first optimum.
      std::vector<double> per_pairing, ideal;
      for (std::size_t i = 0; i < n_orgs; ++i)
        per_pairing.push_back(orgs[i].capacity / a.org_slots[i]);
      for (const auto& t : a.targets) ideal.push_back(t.ideal_capacity);
      const auto bo = brute_force_objective(p, per_pairing, ideal, opt.capacity_weight_m);
      EXPECT_GE(a.summary.objective, bo.objective - 1e-6) << "round " << round;
      AssignOptions nearest = opt;
      nearest.capacity_weight_m = 0;
      const Assignment n = assign(orgs, targets, nearest);
      double dev = 0, mean = 0;
      int slots = 0;
      for (std::size_t i = 0; i < n_orgs; ++i) {
        mean += orgs[i].capacity;
        slots += a.org_slots[i];
      }
      mean /= slots;
      std::vector<double> cap(n_targets, 0.0);
      for (const auto& x : n.pairings) cap[x.target] += x.capacity;
      for (std::size_t j = 0; j < n_targets; ++j) dev += std::abs(cap[j] - ideal[j]);
      const double nearest_objective =
          static_cast<double>(n.summary.cost) + opt.capacity_weight_m * dev / mean;
      EXPECT_LE(a.summary.objective, nearest_objective + 1e-6) << "round " << round;
      ++balanced_rounds;
    }

    // The rules of the count and the offers.
    const int total_demand = static_cast<int>(std::llround(opt.per_target * n_targets));
    int sum_demand = 0;
    for (const auto& t : a.targets) sum_demand += t.ideal_count;
    EXPECT_EQ(sum_demand, total_demand);
    const double total_cap = std::accumulate(
        orgs.begin(), orgs.end(), 0.0, [](double s, const auto& o) { return s + o.capacity; });
    for (std::size_t i = 0; i < n_orgs; ++i) {
      EXPECT_GE(a.org_slots[i], 1);
      EXPECT_LE(a.org_slots[i], static_cast<int>(n_targets));
      EXPECT_LE(a.org_pairings[i], a.org_slots[i]);
    }
    double ideal_sum = 0;
    for (const auto& t : a.targets) ideal_sum += t.ideal_capacity;
    EXPECT_NEAR(ideal_sum, total_cap, 1e-9 * total_cap);
  }
  EXPECT_GT(balanced_rounds, 10);
}

TEST(Assign, OffersGoToTheLargestCapacityPerPairing) {
  // 5 pairings for 3 organisations of capacity 90, 40, 10: one each, then 90/1 > 40/1 -> the
  // first gets a second; 90/2 = 45 > 40 -> the first again (45 vs 40): 3, 1, 1.
  std::vector<AssignTarget> targets;
  for (int t = 0; t < 5; ++t)
    targets.push_back({std::to_string(t), "", {t * 100.0, 0}, 100, "110199001001"});
  std::vector<Organisation> orgs = {{"a", "", {0, 0}, 90, "110199001001", {}},
                                    {"b", "", {0, 0}, 40, "110199001001", {}},
                                    {"c", "", {0, 0}, 10, "110199001001", {}}};
  AssignOptions opt;
  opt.per_target = 1;
  const Assignment a = assign(orgs, targets, opt);
  EXPECT_EQ(a.org_slots, (std::vector<int>{3, 1, 1}));
  EXPECT_EQ(a.pairings.size(), 5u);
}

TEST(Assign, NearestFirstWhenCapacityDoesNotMatter) {
  // Two communities 10 km apart, two organisations beside each: with one pairing each and
  // no capacity weight, every organisation goes to its own neighbour.
  std::vector<AssignTarget> targets = {{"A", "a", {0, 0}, 100, "110199001001"},
                                       {"B", "b", {10000, 0}, 100, "110199001002"}};
  std::vector<Organisation> orgs = {{"1", "", {100, 0}, 5, "110199001001", {}},
                                    {"2", "", {9900, 0}, 5, "110199001002", {}},
                                    {"3", "", {0, 200}, 50, "110199001001", {}},
                                    {"4", "", {10000, 300}, 50, "110199001002", {}}};
  AssignOptions opt;
  opt.per_target = 2;
  opt.capacity_weight_m = 0;
  const Assignment a = assign(orgs, targets, opt);
  ASSERT_EQ(a.pairings.size(), 4u);
  for (const auto& p : a.pairings) EXPECT_EQ(p.target, p.org % 2 == 0 ? 0u : 1u);
  EXPECT_EQ(a.summary.count_min, 2);
  EXPECT_EQ(a.summary.count_max, 2);
  EXPECT_EQ(a.summary.crossing_pairings, 0u);
}

TEST(Assign, BoundaryPenaltyKeepsPairingsInTheirStreet) {
  // A (street 001) and B (street 002) want one organisation each. Organisation 1 sits in
  // street 002 1,100 m from A; organisation 2 in street 001 1,500 m from A; organisation 3
  // 500 m from B. Without a penalty A takes 1 (1,100 + 500 = 1,600 m, one crossing, less
  // than 1,500 + 500 = 2,000 m); with the 1,500 m penalty A takes its own street's 2.
  std::vector<AssignTarget> targets = {{"A", "a", {0, 0}, 100, "110199001001"},
                                       {"B", "b", {2000, 0}, 100, "110199002001"}};
  std::vector<Organisation> orgs = {{"1", "", {1100, 0}, 10, "110199002001", {}},
                                    {"2", "", {-1500, 0}, 10, "110199001001", {}},
                                    {"3", "", {2500, 0}, 10, "110199002001", {}}};
  AssignOptions opt;
  opt.per_target = 1;
  opt.capacity_weight_m = 0;
  const Assignment with = assign(orgs, targets, opt);
  ASSERT_EQ(with.pairings.size(), 2u);
  EXPECT_EQ(with.summary.crossing_pairings, 0u);
  EXPECT_EQ(with.org_pairings, (std::vector<int>{0, 1, 1}));
  EXPECT_EQ(with.summary.cost, 2000);
  opt.boundary_penalty_m = 0;
  const Assignment without = assign(orgs, targets, opt);
  EXPECT_EQ(without.summary.crossing_pairings, 1u);
  EXPECT_EQ(without.org_pairings, (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(without.summary.cost, 1600);
}

TEST(Assign, UnfilledWhenTooFewOrganisationsAndBadValuesRejected) {
  std::vector<AssignTarget> targets = {{"A", "a", {0, 0}, 100, "1"}, {"B", "b", {1, 0}, 100, "1"}};
  std::vector<Organisation> orgs = {{"1", "", {0, 0}, 1, "1", {}}};
  AssignOptions opt;
  opt.per_target = 3;
  const Assignment a = assign(orgs, targets, opt);
  // One organisation pairs with each target at most once: 2 pairings of 6 demanded.
  EXPECT_EQ(a.pairings.size(), 2u);
  EXPECT_EQ(a.summary.unfilled, 4u);
  orgs[0].capacity = -1;
  EXPECT_THROW(assign(orgs, targets, opt), gp::UsageError);
  orgs[0].capacity = 1;
  opt.per_target = 0;
  EXPECT_THROW(assign(orgs, targets, opt), gp::UsageError);
}

/// The demo city's communities (need = households of the buildings inside, the NULL ones
/// estimated by the documented formula) and organisations (capacity = staff).
struct DemoPairing {
  std::vector<AssignTarget> targets;
  std::vector<Organisation> orgs;
  DemoPairing() {
    const auto city = gp::geo::generate_city({});
    auto layer = [&](const std::string& name) -> const gp::geo::Layer& {
      for (const auto& l : city.layers)
        if (l.name == name) return l;
      throw std::runtime_error(name);
    };
    const auto& areas = layer("areas");
    const auto& units = layer("units");
    const auto& orgs_layer = layer("organisations");
    auto col = [](const gp::geo::Layer& l, const char* f) {
      return static_cast<std::size_t>(l.table.find(f));
    };
    for (std::size_t a = 0; a < areas.table.rows.size(); ++a) {
      AssignTarget t;
      t.code = std::get<std::string>(areas.table.rows[a][col(areas, "code")]);
      t.area_code = t.code;
      t.location = gp::geo::point_on_surface(areas.polygons[a]);
      targets.push_back(t);
    }
    auto community_of = [&](const gp::geo::Point& p) -> std::size_t {
      for (std::size_t a = 0; a < areas.polygons.size(); ++a)
        if (gp::geo::contains(areas.polygons[a], p)) return a;
      return areas.polygons.size();
    };
    for (std::size_t u = 0; u < units.table.rows.size(); ++u) {
      const auto& hh = units.table.rows[u][col(units, "households")];
      double h = 0;
      if (const auto* i = std::get_if<std::int64_t>(&hh)) {
        h = static_cast<double>(*i);
      } else { // NULL: footprint x floors x 0.75 / 90 (x 0.5 for mixed)
        const auto type = std::get<std::string>(units.table.rows[u][col(units, "type")]);
        const auto floors = std::get<std::int64_t>(units.table.rows[u][col(units, "floors")]);
        h = gp::geo::area(units.polygons[u]) * static_cast<double>(floors) * 0.75 / 90 *
            (type == "mixed" ? 0.5 : 1.0);
      }
      const auto a = community_of(gp::geo::centroid(units.polygons[u]));
      if (a < targets.size()) targets[a].need += h;
    }
    for (std::size_t r = 0; r < orgs_layer.table.rows.size(); ++r) {
      Organisation o;
      o.id = std::get<std::string>(orgs_layer.table.rows[r][col(orgs_layer, "org_id")]);
      o.location = orgs_layer.points[r];
      o.capacity = static_cast<double>(
          std::get<std::int64_t>(orgs_layer.table.rows[r][col(orgs_layer, "staff")]));
      const auto a = community_of(o.location);
      o.area_code = a < targets.size() ? targets[a].code : "";
      orgs.push_back(o);
    }
  }
};

double spread(const Assignment& a) {
  return a.summary.capacity_ratio_p90 - a.summary.capacity_ratio_p10;
}

TEST(Assign, BalancedOnTheDemoCity) {
  const DemoPairing demo;
  ASSERT_EQ(demo.targets.size(), 20u);
  ASSERT_GE(demo.orgs.size(), demo.targets.size());
  AssignOptions opt; // 6 per community, capacity weight 1000 m, boundary penalty 1500 m
  const Assignment balanced = assign(demo.orgs, demo.targets, opt);
  EXPECT_EQ(balanced.summary.unfilled, 0u);
  EXPECT_EQ(balanced.summary.count_min, 6);
  EXPECT_EQ(balanced.summary.count_max, 6);
  for (const auto& t : balanced.targets) EXPECT_EQ(t.count, 6);
  // Every organisation takes part (more pairings than organisations) and none twice with
  // the same community.
  EXPECT_EQ(balanced.summary.unused_orgs, 0u);
  std::set<std::pair<std::size_t, std::size_t>> pairs;
  for (const auto& p : balanced.pairings) EXPECT_TRUE(pairs.emplace(p.org, p.target).second);

  // Deterministic: the same inputs give the same pairings.
  const Assignment again = assign(demo.orgs, demo.targets, opt);
  ASSERT_EQ(again.pairings.size(), balanced.pairings.size());
  for (std::size_t i = 0; i < again.pairings.size(); ++i) {
    EXPECT_EQ(again.pairings[i].org, balanced.pairings[i].org);
    EXPECT_EQ(again.pairings[i].target, balanced.pairings[i].target);
  }

  AssignOptions near = opt;
  near.capacity_weight_m = 0;
  const Assignment nearest = assign(demo.orgs, demo.targets, near);
  // Balancing narrows the capacity / ideal spread across communities, at some distance.
  EXPECT_LT(spread(balanced), spread(nearest));
  EXPECT_GT(balanced.summary.capacity_ratio_min, nearest.summary.capacity_ratio_min);
  EXPECT_GE(balanced.summary.cost, nearest.summary.cost);

  // The boundary penalty keeps pairings in their street: no more crossings than without it.
  AssignOptions free = near;
  free.boundary_penalty_m = 0;
  const Assignment unpenalised = assign(demo.orgs, demo.targets, free);
  EXPECT_LE(nearest.summary.crossing_pairings, unpenalised.summary.crossing_pairings);
  EXPECT_LE(unpenalised.summary.mean_distance_m, nearest.summary.mean_distance_m);
}

} // namespace
