// simulate spread over ranks (RunOptions::ranks), the ranks played by threads
// (tests/support/thread_ranks.hpp): every rank gets the single-process result, sample for
// sample, whatever the number of ranks; staff follows the same steps on every rank.
// `mpirun` itself is exercised in tests/cli/mpi_test.cpp.

#include <gtest/gtest.h>

#include <cstring>
#include <mutex>

#include "gp/sim/engine.hpp"
#include "gp/sim/staffing.hpp"
#include "thread_ranks.hpp"

namespace gp::sim {
namespace {

/// Four cells of 200-500 households under the default scenario without travel.
SimPlan four_cells() {
  SimPlan plan;
  for (int i = 0; i < 4; ++i) {
    SimCell c;
    c.code = "cell" + std::to_string(i);
    c.area_code = i < 2 ? "a" : "b";
    c.households = 200 + 100 * i;
    plan.cells.push_back(c);
  }
  return plan;
}

Scenario scenario() {
  Scenario s = Scenario::defaults();
  s.travel = false;
  return s;
}

/// Bit-for-bit equality of doubles (NaN samples included).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expect_same(const SimulationResult& a, const SimulationResult& b) {
  EXPECT_EQ(a.events, b.events);
  ASSERT_EQ(a.overall.size(), b.overall.size());
  for (std::size_t k = 0; k < a.overall.size(); ++k)
    EXPECT_TRUE(same_bits(a.overall[k].samples, b.overall[k].samples)) << a.overall[k].name;
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (std::size_t c = 0; c < a.cells.size(); ++c)
    for (std::size_t k = 0; k < a.cells[c].metrics.size(); ++k)
      EXPECT_TRUE(same_bits(a.cells[c].metrics[k].samples, b.cells[c].metrics[k].samples))
          << a.cells[c].cell_code << " " << a.cells[c].metrics[k].name;
  ASSERT_EQ(a.backlog_by_day.size(), b.backlog_by_day.size());
  for (std::size_t d = 0; d < a.backlog_by_day.size(); ++d)
    EXPECT_EQ(a.backlog_by_day[d].mean, b.backlog_by_day[d].mean) << "day " << d;
  ASSERT_EQ(a.utilisation_by_type.size(), b.utilisation_by_type.size());
  for (std::size_t t = 0; t < a.utilisation_by_type.size(); ++t)
    EXPECT_TRUE(same_bits(a.utilisation_by_type[t].samples, b.utilisation_by_type[t].samples));
}

TEST(SimRanks, EveryRankGetsTheSingleProcessResult) {
  const auto plan = four_cells();
  const auto s = scenario();
  RunOptions o;
  o.days = 30;
  o.warmup_days = 2;
  o.replications = 7;
  o.seed = 9;
  o.threads = 1;
  const auto alone = simulate(plan, s, o);
  ASSERT_EQ(alone.rank_shares.size(), 1u);
  EXPECT_EQ(alone.rank_shares[0].jobs, 7u);
  for (const int n : {2, 3, 8}) { // 8 ranks: one has no replication at all
    std::mutex mutex;
    std::vector<SimulationResult> results(static_cast<std::size_t>(n));
    const auto failures = ::gp::testing::on_thread_ranks(n, [&](const Ranks& ranks) {
      RunOptions mine = o;
      mine.ranks = &ranks;
      auto r = simulate(plan, s, mine);
      std::lock_guard lock(mutex);
      results[static_cast<std::size_t>(ranks.rank())] = std::move(r);
    });
    for (const auto& f : failures) ASSERT_FALSE(f) << n << " ranks";
    for (int k = 0; k < n; ++k) {
      SCOPED_TRACE(::testing::Message() << n << " ranks, rank " << k);
      const auto& r = results[static_cast<std::size_t>(k)];
      expect_same(r, alone);
      ASSERT_EQ(r.rank_shares.size(), static_cast<std::size_t>(n));
      std::size_t reps = 0;
      for (const auto& share : r.rank_shares) reps += share.jobs;
      EXPECT_EQ(reps, 7u);
    }
  }
}

TEST(SimRanks, StaffTakesTheSameStepsOnEveryRank) {
  const auto plan = four_cells();
  const auto s = scenario();
  StaffOptions o;
  o.worker_type = s.worker_types.front().name;
  o.max_per_cell = 4;
  o.run.days = 20;
  o.run.warmup_days = 2;
  o.run.replications = 3;
  o.run.threads = 1;
  const StaffTarget target = parse_staff_target("on-time=0.9");
  const auto alone = find_staffing(plan, s, target, o);
  std::mutex mutex;
  std::vector<StaffResult> results(2);
  const auto failures = ::gp::testing::on_thread_ranks(2, [&](const Ranks& ranks) {
    StaffOptions mine = o;
    mine.run.ranks = &ranks;
    auto r = find_staffing(plan, s, target, mine);
    std::lock_guard lock(mutex);
    results[static_cast<std::size_t>(ranks.rank())] = std::move(r);
  });
  for (const auto& f : failures) ASSERT_FALSE(f);
  for (const auto& r : results) {
    EXPECT_EQ(r.simulation_runs, alone.simulation_runs);
    EXPECT_EQ(r.total_required, alone.total_required);
    ASSERT_EQ(r.cells.size(), alone.cells.size());
    for (std::size_t c = 0; c < r.cells.size(); ++c) {
      EXPECT_EQ(r.cells[c].required, alone.cells[c].required);
      EXPECT_EQ(r.cells[c].achieved, alone.cells[c].achieved);
    }
    // Summed over every run: each run's replications once.
    std::size_t reps = 0;
    for (const auto& share : r.rank_shares) reps += share.jobs;
    EXPECT_EQ(reps, static_cast<std::size_t>(3 * alone.simulation_runs));
  }
}

} // namespace
} // namespace gp::sim
