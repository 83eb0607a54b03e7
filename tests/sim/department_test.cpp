// Departments (职能部门) as a capacity-limited pool: with no grid workers every request is
// escalated at a fixed fraction of its deadline, so departments see Poisson arrivals and
// behave as an M/G/c_d queue — checked against Erlang C (exponential times) and the
// Pollaczek-Khinchine formula (M/G/1, lognormal times), with seed-robust standard-error
// bounds. 吹哨报到 is joint handling: the worker's part, then the department's.

#include <gtest/gtest.h>

#include <cmath>

#include "gp/core/error.hpp"
#include "gp/sim/analytic.hpp"
#include "gp/sim/engine.hpp"
#include "single_queue.hpp"
#include "stat_bounds.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

/// One cell, `workers` always-on workers, one category with flat demand of `rate` per
/// hour, no travel, visits or patrols.
Scenario dept_scenario(double rate, int workers) {
  Scenario s = testing::single_queue(rate, workers);
  s.categories[0].deadline_hours = 2;
  s.categories[0].department_hours = 1;
  s.escalate_at_fraction = 0.5;
  return s;
}

using testing::one_cell;

RunOptions options(double days, int replications) {
  RunOptions o;
  o.days = days;
  o.warmup_days = 10;
  o.replications = replications;
  o.seed = ::gp::testing::test_seed(5);
  o.threads = 2;
  return o;
}

TEST(Departments, NoGridWorkersIsErlangC) {
  const int c = 3;
  const double load = 1.5; // lambda = 1.5 per hour, mean department time 1 h
  Scenario s = dept_scenario(load, 0);
  s.department_capacity = c;
  s.department_distribution = HandlingDistribution::exponential;
  const SimulationResult r = simulate(one_cell(), s, options(1000, 20));
  const ErlangC exact = erlang_c(c, load);
  const testing::Bonferroni b{1e-3, 4};
  EXPECT_TRUE(testing::within_se(r.metric("department_p_wait").samples, exact.p_wait, b))
      << r.metric("department_p_wait").value.mean << " vs " << exact.p_wait;
  EXPECT_TRUE(testing::within_se(r.metric("department_wait_h").samples, exact.wq, b))
      << r.metric("department_wait_h").value.mean << " vs " << exact.wq;
  EXPECT_TRUE(testing::within_se(r.metric("department_busy").samples, load, b))
      << r.metric("department_busy").value.mean;
  EXPECT_TRUE(testing::within_se(r.metric("department_utilisation").samples, load / c, b));
  // Every request was escalated by the deadline rule (nobody else could take it).
  for (double x : r.metric("deadline_share_of_escalations").samples) EXPECT_EQ(x, 1.0);
  // All but those arriving in the last hour of the window (escalated after its end).
  for (double x : r.metric("escalation_rate").samples) EXPECT_GT(x, 0.999);
}

// Two departments of their own: the categories' cases split by department, each an
// M/M/c_d queue of its own (Erlang C with its own arrivals), so the share that waits is
// the arrival-weighted mix of the two Erlang C values, and each department's
// utilisation its own offered load / places.
TEST(Departments, EachDepartmentIsItsOwnErlangCQueue) {
  const double rate = 2.0; // per hour, split 0.6 / 0.4
  Scenario s = dept_scenario(rate, 0);
  s.categories.push_back(s.categories[0]);
  s.categories[0].name = "roads";
  s.categories[0].share = 0.6;
  s.categories[0].department = "城管";
  s.categories[1].name = "housing";
  s.categories[1].share = 0.4;
  s.categories[1].department = "住建";
  s.categories[1].department_hours = 2;
  s.department_capacities = {{"城管", 2}, {"住建", 3}};
  s.department_capacity = 1; // the pool: no category uses it
  s.department_distribution = HandlingDistribution::exponential;
  const SimulationResult r = simulate(one_cell(), s, options(1000, 20));
  const double load_roads = 0.6 * rate * 1, load_housing = 0.4 * rate * 2;
  const ErlangC roads = erlang_c(2, load_roads), housing = erlang_c(3, load_housing);
  const double p_wait = 0.6 * roads.p_wait + 0.4 * housing.p_wait;
  const testing::Bonferroni b{1e-3, 4};
  EXPECT_TRUE(testing::within_se(r.metric("department_p_wait").samples, p_wait, b))
      << r.metric("department_p_wait").value.mean << " vs " << p_wait;
  EXPECT_TRUE(
      testing::within_se(r.metric("department_busy").samples, load_roads + load_housing, b));
  // Departments of finite capacity in order: the pool (idle), then by name.
  ASSERT_EQ(r.utilisation_by_department.size(), 3u);
  EXPECT_EQ(r.utilisation_by_department[0].name, "pool");
  for (double x : r.utilisation_by_department[0].samples) EXPECT_EQ(x, 0.0);
  for (const auto& m : r.utilisation_by_department) {
    if (m.name == "城管") {
      EXPECT_TRUE(testing::within_se(m.samples, load_roads / 2, b));
    } else if (m.name == "住建") {
      EXPECT_TRUE(testing::within_se(m.samples, load_housing / 3, b));
    }
  }
}

TEST(Departments, AnUnknownDepartmentIsRefused) {
  Scenario s = dept_scenario(1, 0);
  s.categories[0].department = "nowhere";
  EXPECT_THROW(s.validate(), gp::InputError);
}

TEST(Departments, OnePlaceWithLognormalTimesIsPollaczekKhinchine) {
  // M/G/1: Wq = lambda E[S^2] / (2 (1 - rho)), E[S^2] = (1 + cv^2) E[S]^2.
  const double lambda = 0.6, cv = 0.5;
  Scenario s = dept_scenario(lambda, 0);
  s.department_capacity = 1;
  s.department_distribution = HandlingDistribution::lognormal;
  s.department_cv = cv;
  const SimulationResult r = simulate(one_cell(), s, options(2000, 20));
  const double wq = lambda * (1 + cv * cv) / (2 * (1 - lambda));
  const double p_wait = lambda; // M/G/1: P(server busy) = rho, PASTA
  const testing::Bonferroni b{1e-3, 2};
  EXPECT_TRUE(testing::within_se(r.metric("department_wait_h").samples, wq, b))
      << r.metric("department_wait_h").value.mean << " vs " << wq;
  EXPECT_TRUE(testing::within_se(r.metric("department_p_wait").samples, p_wait, b))
      << r.metric("department_p_wait").value.mean << " vs " << p_wait;
}

TEST(Departments, UnlimitedCapacityNeverWaits) {
  Scenario s = dept_scenario(1.5, 0);
  s.department_capacity = 0;
  const SimulationResult r = simulate(one_cell(), s, options(100, 3));
  for (double x : r.metric("department_wait_h").samples) EXPECT_EQ(x, 0.0);
  for (double x : r.metric("department_p_wait").samples) EXPECT_EQ(x, 0.0);
  EXPECT_TRUE(std::isnan(r.metric("department_utilisation").value.mean));
}

TEST(Departments, WhistleIsJointHandlingWorkerPartThenDepartmentPart) {
  // Plenty of workers (no queue), every request needs a department: fixed 1 h on site,
  // then a fixed 5 h department part with no limit on cases: response exactly 6 h.
  Scenario s = dept_scenario(0.5, 20);
  s.categories[0].department_probability = 1;
  s.categories[0].department_hours = 5;
  s.categories[0].deadline_hours = 100;
  s.department_distribution = HandlingDistribution::fixed;
  const SimulationResult r = simulate(one_cell(), s, options(60, 2));
  for (double x : r.metric("mean_response_h").samples) EXPECT_NEAR(x, 6.0, 1e-9);
  for (double x : r.metric("deadline_share_of_escalations").samples) EXPECT_EQ(x, 0.0);
  // Every request reaches a department 1 h after it arrives: the counts in the window
  // differ only by requests within an hour of its ends (a few in 60 days).
  for (std::size_t i = 0; i < 2; ++i)
    EXPECT_NEAR(r.metric("department_requests_per_day").samples[i],
                r.metric("requests_per_day").samples[i], 5.0 / 60);
}

} // namespace
} // namespace gp::sim
