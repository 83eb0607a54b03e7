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

#include "gp/core/error.hpp"
#include "gp/core/random.hpp"
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

/// The cost assign() documents, computed here from the inputs.
std::int64_t documented_cost(const Organisation& o, int slots, const AssignTarget& t,
                             std::size_t ti, double ideal_capacity, int demand,
                             double mean_per_pairing, const AssignOptions& opt) {
  const double d = std::hypot(o.location.x - t.location.x, o.location.y - t.location.y);
  if (opt.max_distance_m > 0 && d > opt.max_distance_m) return -1;
  double c = d + opt.boundary_penalty_m *
                     boundary_crossings(o.area_code, t.area_code, opt.boundary_levels);
  c += opt.capacity_weight_m * std::abs(o.capacity / slots - ideal_capacity / demand) /
       mean_per_pairing;
  if (!o.preferred.empty() &&
      std::find(o.preferred.begin(), o.preferred.end(), ti) == o.preferred.end())
    c += opt.preferred_penalty_m;
  return std::llround(c);
}

TEST(Assign, OptimalOnRandomSmallCitiesByBruteForce) {
  gp::Rng rng(gp::testing::test_seed(61));
  const std::vector<std::string> codes = {"110199001001", "110199001002", "110199002001",
                                          "110105001001"};
  for (int round = 0; round < 60; ++round) {
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
    const double total_cap = std::accumulate(
        orgs.begin(), orgs.end(), 0.0, [](double s, const auto& o) { return s + o.capacity; });
    const int slots = std::accumulate(a.org_slots.begin(), a.org_slots.end(), 0);
    for (std::size_t i = 0; i < n_orgs; ++i)
      for (std::size_t j = 0; j < n_targets; ++j)
        p.cost.push_back(documented_cost(orgs[i], a.org_slots[i], targets[j], j,
                                         a.targets[j].ideal_capacity, a.targets[j].ideal_count,
                                         total_cap / slots, opt));
    const Best b = brute_force(p);
    ASSERT_EQ(static_cast<std::int64_t>(a.pairings.size()), b.flow) << "round " << round;
    ASSERT_EQ(a.summary.cost, b.cost) << "round " << round;

    // The rules of the count and the offers.
    const int total_demand = static_cast<int>(std::llround(opt.per_target * n_targets));
    int sum_demand = 0;
    for (const auto& t : a.targets) sum_demand += t.ideal_count;
    EXPECT_EQ(sum_demand, total_demand);
    for (std::size_t i = 0; i < n_orgs; ++i) {
      EXPECT_GE(a.org_slots[i], 1);
      EXPECT_LE(a.org_slots[i], static_cast<int>(n_targets));
      EXPECT_LE(a.org_pairings[i], a.org_slots[i]);
    }
    double ideal_sum = 0;
    for (const auto& t : a.targets) ideal_sum += t.ideal_capacity;
    EXPECT_NEAR(ideal_sum, total_cap, 1e-9 * total_cap);
  }
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

} // namespace
