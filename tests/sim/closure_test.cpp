// Closure by rating or return visit (评单, 回访) and rework of badly rated cases, on a cell
// with so many workers that nobody waits: every expectation follows from the rules alone.

#include <gtest/gtest.h>

#include "gp/sim/engine.hpp"
#include "single_queue.hpp"
#include "stat_bounds.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

/// 20 always-on workers, fixed 1 h jobs, deadline 1.5 h, no travel, visits, patrols,
/// departments or escalation; 0.5 requests per hour.
Scenario closure_scenario() {
  Scenario s = testing::single_queue(0.5, 20);
  s.categories[0].deadline_hours = 1.5;
  s.patrol_cases_per_hour = 0;
  s.visit_case_probability = 0;
  return s;
}

using testing::one_cell;

RunOptions options() {
  RunOptions o;
  o.days = 200;
  o.warmup_days = 2;
  o.replications = 20;
  o.seed = ::gp::testing::test_seed(9);
  o.threads = 2;
  return o;
}

TEST(Closure, DefaultsCloseAtOnce) {
  const SimulationResult r = simulate(one_cell(), closure_scenario(), options());
  for (double x : r.metric("mean_response_h").samples) EXPECT_NEAR(x, 1.0, 1e-9);
  for (double x : r.metric("rework_rate").samples) EXPECT_EQ(x, 0.0);
  for (double x : r.metric("return_visit_share").samples) EXPECT_EQ(x, 0.0);
}

TEST(Closure, UnratedCasesNeedAReturnVisit) {
  // Half the residents rate; the others get a 30-minute return visit: mean response
  // 1 + 0.5 x 0.5 = 1.25 h.
  Scenario s = closure_scenario();
  s.rated_share = 0.5;
  s.return_visit_minutes = 30;
  const SimulationResult r = simulate(one_cell(), s, options());
  const testing::Bonferroni b{1e-3, 2};
  EXPECT_TRUE(testing::within_se(r.metric("return_visit_share").samples, 0.5, b))
      << r.metric("return_visit_share").value.mean;
  EXPECT_TRUE(testing::within_se(r.metric("mean_response_h").samples, 1.25, b))
      << r.metric("mean_response_h").value.mean;
}

TEST(Closure, BadRatingSendsBackForRework) {
  // A response of 1 h against a 1.5 h deadline rates 1 - 0.4 x (2/3 - 1/2) / (1/2) = 0.867;
  // with rework_below = 0.9 every rating is bad and 30 % of cases go back: rework rate
  // 0.3. The rework (half of the 1 h) ends at the deadline (rating 0.6, bad again):
  // another 30 % go back for half of that (0.25 h), and once more (0.125 h), at most
  // three times, so the mean response is 1 + 0.3 x 0.5 + 0.3^2 x 0.25 + 0.3^3 x 0.125.
  Scenario s = closure_scenario();
  s.rework_below = 0.9;
  s.rework_probability = 0.3;
  s.rework_fraction = 0.5;
  const SimulationResult r = simulate(one_cell(), s, options());
  const testing::Bonferroni b{1e-3, 2};
  EXPECT_TRUE(testing::within_se(r.metric("rework_rate").samples, 0.3, b))
      << r.metric("rework_rate").value.mean;
  const double mean = 1 + 0.3 * 0.5 + 0.09 * 0.25 + 0.027 * 0.125;
  EXPECT_TRUE(testing::within_se(r.metric("mean_response_h").samples, mean, b))
      << r.metric("mean_response_h").value.mean << " vs " << mean;
}

} // namespace
} // namespace gp::sim
