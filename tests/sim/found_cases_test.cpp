// Cases found by workers (巡查发现上报, 走访发现): patrols find cases at a Poisson rate per
// hour of patrol, visits with a probability per household visited. With no resident demand
// the found cases per day follow from the duty schedule alone.

#include <gtest/gtest.h>

#include "gp/sim/engine.hpp"
#include "stat_bounds.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

Scenario found_scenario() {
  Scenario s = Scenario::defaults();
  s.requests_per_household_year = 0; // no resident requests
  s.worker_types.resize(1);
  WorkerType& t = s.worker_types[0];
  t.name = "worker";
  t.per_cell = 1;
  t.shifts = {"day"};
  t.handles.clear();
  Shift day;
  day.name = "day";
  day.days.fill(true);
  day.start_hour = 8;
  day.end_hour = 17;
  s.shifts = {day};
  s.travel = false;
  s.escalate_at_fraction = 0;
  return s;
}

SimPlan one_cell(double households) {
  SimPlan plan;
  SimCell cell;
  cell.code = "c";
  cell.area_code = "a";
  cell.households = households;
  plan.cells.push_back(cell);
  return plan;
}

RunOptions options() {
  RunOptions o;
  o.days = 400;
  o.warmup_days = 7;
  o.replications = 20;
  o.seed = ::gp::testing::test_seed(3);
  o.threads = 2;
  return o;
}

TEST(FoundCases, PatrolsFindCasesAtTheirRate) {
  // One 60-minute patrol a day at 2 cases per patrol hour: 2 cases a day.
  Scenario s = found_scenario();
  s.worker_types[0].patrol_minutes_per_shift = 60;
  s.worker_types[0].does_visits = false;
  s.patrol_cases_per_hour = 2;
  s.visit_case_probability = 0;
  const SimulationResult r = simulate(one_cell(100), s, options());
  EXPECT_TRUE(testing::within_se(r.metric("found_cases_per_day").samples, 2.0, {1e-3, 1}))
      << r.metric("found_cases_per_day").value.mean;
  for (double x : r.metric("found_share").samples) EXPECT_EQ(x, 1.0);
}

TEST(FoundCases, VisitsFindCasesPerHouseholdVisited) {
  // 90 households each visited once per 9 days (10 a day, well within the duty hours)
  // with a 10 % chance of a case each: 1 case a day.
  Scenario s = found_scenario();
  s.worker_types[0].patrol_minutes_per_shift = 0;
  s.worker_types[0].does_visits = true;
  s.visit_period_days = 9;
  s.patrol_cases_per_hour = 0;
  s.visit_case_probability = 0.1;
  // The window is exactly 44 visit periods (warm-up = the first period), so 44 x 90
  // households are visited in it.
  RunOptions o = options();
  o.warmup_days = 9;
  o.days = 44 * 9;
  const SimulationResult r = simulate(one_cell(90), s, o);
  EXPECT_TRUE(testing::within_se(r.metric("found_cases_per_day").samples, 1.0, {1e-3, 2}))
      << r.metric("found_cases_per_day").value.mean;
  for (double x : r.metric("visit_coverage").samples) EXPECT_EQ(x, 1.0);
  // Switched off: nothing is found.
  s.visit_case_probability = 0;
  const SimulationResult none = simulate(one_cell(90), s, o);
  for (double x : none.metric("found_cases_per_day").samples) EXPECT_EQ(x, 0.0);
}

} // namespace
} // namespace gp::sim
