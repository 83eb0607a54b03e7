// The staffing search finds, per cell, the fewest full-time workers meeting a target,
// and the answer is minimal: one worker fewer misses it.

#include <gtest/gtest.h>

#include "gp/core/error.hpp"
#include "gp/sim/staffing.hpp"

namespace gp::sim {
namespace {

TEST(Staffing, TargetParsing) {
  EXPECT_EQ(parse_staff_target("on-time=0.95").metric, "on_time_share");
  EXPECT_DOUBLE_EQ(parse_staff_target("on-time=0.95").value, 0.95);
  EXPECT_EQ(parse_staff_target("satisfaction=0.8").metric, "satisfaction");
  EXPECT_THROW(parse_staff_target("on-time"), UsageError);
  EXPECT_THROW(parse_staff_target("on-time=abc"), UsageError);
  EXPECT_THROW(parse_staff_target("on-time=1.5"), UsageError);
  EXPECT_THROW(parse_staff_target("p90=3"), UsageError);
}

TEST(Staffing, FewestWorkersPerCellAndMinimal) {
  // Three independent cells (no neighbour help) with light, medium and heavy demand;
  // always-on workers, exponential one-hour jobs, 4-hour deadline, no escalation.
  SimPlan plan;
  const double loads[] = {0.5, 2.0, 4.5}; // requests per hour
  for (int i = 0; i < 3; ++i) {
    SimCell c;
    c.code = std::to_string(i);
    c.area_code = std::to_string(i);
    c.households = loads[i];
    plan.cells.push_back(c);
  }
  Scenario s = Scenario::defaults();
  s.categories.resize(1);
  s.categories[0].name = "any";
  s.categories[0].distribution = HandlingDistribution::exponential;
  s.categories[0].handling_minutes = 60;
  s.categories[0].deadline_hours = 4;
  s.categories[0].department_probability = 0;
  s.hourly_profile.fill(1);
  s.weekday_profile.fill(1);
  s.requests_per_household_year = 8760;
  for (auto& t : s.worker_types) {
    t.shifts.clear();
    t.handles.clear();
    t.does_visits = false;
    t.patrol_minutes_per_shift = 0;
  }
  s.travel = false;
  s.neighbour_help = false;
  s.escalate_at_fraction = 0;
  StaffOptions o;
  o.max_per_cell = 10;
  o.run.days = 120;
  o.run.replications = 6;
  o.run.seed = 3;
  const StaffTarget target = parse_staff_target("on-time=0.95");
  const StaffResult r = find_staffing(plan, s, target, o);
  ASSERT_EQ(r.cells.size(), 3u);
  for (const auto& c : r.cells) {
    EXPECT_TRUE(c.met) << c.cell_code;
    EXPECT_GE(c.achieved, 0.95) << c.cell_code;
  }
  // More demand needs more workers; every cell needs more than the offered load.
  EXPECT_LE(r.cells[0].required, r.cells[1].required);
  EXPECT_LT(r.cells[1].required, r.cells[2].required);
  for (int i = 0; i < 3; ++i) EXPECT_GT(r.cells[static_cast<std::size_t>(i)].required, loads[i]);
  EXPECT_EQ(r.total_baseline, 3);
  EXPECT_DOUBLE_EQ(r.annual_cost_change_yuan, (r.total_required - 3) * 96000.0);

  // Minimality: one fewer in any cell misses the target there (same seed).
  auto counts = scenario_cell_counts(plan, s);
  for (std::size_t c = 0; c < 3; ++c) counts[c][0] = r.cells[c].required;
  for (std::size_t c = 0; c < 3; ++c) {
    if (r.cells[c].required == 0) continue;
    auto fewer = counts;
    fewer[c][0] -= 1;
    const SimulationResult run = simulate(plan, s, o.run, &fewer);
    EXPECT_LT(run.cells[c].metric("on_time_share").value.mean, 0.95) << "cell " << c;
  }
}

} // namespace
} // namespace gp::sim
