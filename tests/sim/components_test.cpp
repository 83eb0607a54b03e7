// Communities that share no workers and no department capacity are simulated as
// independent event streams keyed by their cells' codes: a community's results do not
// depend on which other communities are simulated with it.

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "gp/sim/engine.hpp"
#include "support.hpp"

namespace {

using gp::sim::SimCell;
using gp::sim::SimPlan;

SimPlan two_communities(bool with_b) {
  SimPlan plan;
  auto add = [&](const char* code, const char* area, double x, double households) {
    SimCell c;
    c.code = code;
    c.area_code = area;
    c.centroid = {x, 0};
    c.households = households;
    plan.cells.push_back(c);
  };
  if (with_b) {
    add("b1", "B", 2000, 400); // the same size as A
    add("b2", "B", 2400, 350);
  }
  add("a1", "A", 0, 400);
  add("a2", "A", 400, 350);
  const auto n = static_cast<std::uint32_t>(plan.cells.size());
  // Neighbours within each community (cells of one community are consecutive).
  for (std::uint32_t i = 0; i + 1 < n; i += 2) {
    plan.cells[i].neighbours = {i + 1};
    plan.cells[i + 1].neighbours = {i};
  }
  return plan;
}

gp::sim::Scenario full_model(int department_capacity) {
  auto s = gp::sim::Scenario::defaults();
  s.department_capacity = department_capacity;
  s.neighbour_help = true;
  return s;
}

const gp::sim::CellResult& cell(const gp::sim::SimulationResult& r, const std::string& code) {
  for (const auto& c : r.cells)
    if (c.cell_code == code) return c;
  throw std::out_of_range(code);
}

gp::sim::RunOptions options() {
  gp::sim::RunOptions o;
  o.days = 60;
  o.replications = 3;
  o.seed = gp::testing::test_seed(11);
  o.threads = 2;
  return o;
}

TEST(Components, ACommunityGivesTheSameResultsAloneOrWithOthers) {
  const auto s = full_model(0);
  const auto together = gp::sim::simulate(two_communities(true), s, options());
  const auto alone = gp::sim::simulate(two_communities(false), s, options());
  for (const char* code : {"a1", "a2"}) {
    const auto& a = cell(alone, code);
    const auto& b = cell(together, code);
    ASSERT_EQ(a.metrics.size(), b.metrics.size());
    for (std::size_t k = 0; k < a.metrics.size(); ++k)
      for (std::size_t r = 0; r < a.metrics[k].samples.size(); ++r) {
        const double x = a.metrics[k].samples[r], y = b.metrics[k].samples[r];
        if (std::isnan(x)) {
          EXPECT_TRUE(std::isnan(y)) << code << " " << a.metrics[k].name;
        } else {
          EXPECT_EQ(x, y) << code << " " << a.metrics[k].name << " replication " << r;
        }
      }
  }
  // Requests of community A really were simulated in both runs.
  EXPECT_GT(cell(alone, "a1").metric("requests_per_day").value.mean, 0);
}

// A department pool of finite capacity is shared: the communities compete for it. With
// one place, the pool is an M/G/1 queue whose probability of waiting is its load, and B
// (as large as A) doubles that load: were the pool split per community, it would not.
TEST(Components, AFiniteDepartmentPoolIsShared) {
  auto s = full_model(1);
  // Requests in a Poisson stream (flat over the day and week, no deadline escalation)
  // handled by workers always on duty: then the department's arrivals are nearly Poisson
  // and P(wait) is close to the load.
  s.hourly_profile.fill(1);
  s.weekday_profile.fill(1);
  s.escalate_at_fraction = 0;
  for (auto& t : s.worker_types) t.shifts.clear(); // always on: no morning bursts
  for (auto& c : s.categories) {
    c.department_probability = 0.5;
    c.department_hours = 2;
  }
  auto o = options();
  o.days = 600;
  const auto together = gp::sim::simulate(two_communities(true), s, o);
  const auto alone = gp::sim::simulate(two_communities(false), s, o);
  const double load_alone = alone.metric("department_utilisation").value.mean;
  ASSERT_GT(load_alone, 0.02);
  ASSERT_LT(load_alone, 0.3);
  EXPECT_GT(together.metric("department_p_wait").value.mean,
            1.5 * alone.metric("department_p_wait").value.mean)
      << "load alone " << load_alone << " together "
      << together.metric("department_utilisation").value.mean << " arrivals/day "
      << alone.metric("department_requests_per_day").value.mean << " wait "
      << alone.metric("department_wait_h").value.mean;
}

} // namespace
