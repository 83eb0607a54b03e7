// The simulator against closed-form queueing results: Erlang C (M/M/c), Little's law,
// mean busy servers = lambda E[S], and Larson's hypercube model. Each test is a real
// simulation run whose replication mean must lie within t x standard error of the exact
// value, t set for a family-wise false-alarm rate of 0.001 per test split over its checks
// (Bonferroni, stat_bounds.hpp), so the suite holds for any seed (GP_TEST_SEED) rather
// than failing 5 % of the time per check. The exact value is computed here from
// gridplan's own Erlang C formula and hypercube solver and checked against the published
// numbers.

#include <gtest/gtest.h>

#include <cmath>

#include "gp/sim/analytic.hpp"
#include "gp/sim/engine.hpp"
#include "single_queue.hpp"
#include "stat_bounds.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

/// One worker type, always on duty, exponential handling of mean 1 hour, no travel,
/// no visits, no patrols, no departments, no escalation, flat arrival profile, FCFS
/// (one category, so earliest-deadline-first is first come, first served).
Scenario queueing_scenario() {
  Scenario s = ::gp::testing::single_queue(1, 1);
  s.categories[0].distribution = HandlingDistribution::exponential;
  s.worker_types[0].name = "server";
  s.own_cell_first = false; // one shared FCFS queue (hypercube)
  return s;
}

/// Demand of `rate_per_h` requests per hour from a plan where households == rate, so
/// requests_per_household_year = 8760 gives exactly that rate.
constexpr double kPerHourPerHousehold = 8760;

RunOptions run_options(double days, int replications) {
  RunOptions o;
  o.days = days;
  o.warmup_days = 20;
  o.replications = replications;
  o.seed = ::gp::testing::test_seed(42);
  o.threads = 2;
  return o;
}

/// At most this many statistical checks in one test: the false-alarm rate is split over
/// them.
constexpr int kChecksPerTest = 6;

void expect_in_ci(const Metric& m, double exact, const char* what) {
  EXPECT_TRUE(::gp::testing::within_se(m.samples, exact, {1e-3, kChecksPerTest}))
      << what << ": exact " << exact << " too far from " << m.value.mean << " (95 % CI ± "
      << m.value.half_width << ", n=" << m.value.n << ")";
  EXPECT_LT(m.value.half_width, 0.1 * std::max(exact, 0.05))
      << what << ": CI too wide to mean anything";
}

void expect_laws(const SimulationResult& r) {
  // Little's law L = lambda W and busy = lambda E[S] on every replication (edge effects
  // of a finite horizon only: requests still open at the end).
  for (double gap : r.metric("littles_law_gap").samples) EXPECT_NEAR(gap, 0, 0.01);
  for (double gap : r.metric("busy_law_gap").samples) EXPECT_NEAR(gap, 0, 0.01);
}

struct ErlangCase {
  int servers;
  double load;
  double book_p_wait;
  double book_wq; // or NaN
  double book_lq;
};

class ErlangC_Simulation : public ::testing::TestWithParam<ErlangCase> {};

TEST_P(ErlangC_Simulation, WaitingProbabilityAndQueueMatchClosedForm) {
  const ErlangCase ec = GetParam();
  const ErlangC exact = erlang_c(ec.servers, ec.load);
  // Our formula reproduces the published values.
  EXPECT_NEAR(exact.p_wait, ec.book_p_wait, 5e-7);
  EXPECT_NEAR(exact.lq, ec.book_lq, 5e-7);
  if (!std::isnan(ec.book_wq)) {
    EXPECT_NEAR(exact.wq, ec.book_wq, 5e-7);
  }

  SimPlan plan;
  SimCell cell;
  cell.code = "c";
  cell.area_code = "a";
  cell.households = ec.load; // mu = 1 per hour, so lambda = load per hour
  plan.cells.push_back(cell);
  Scenario s = queueing_scenario();
  s.requests_per_household_year = kPerHourPerHousehold;
  s.worker_types[0].per_cell = ec.servers;
  const SimulationResult r = simulate(plan, s, run_options(1000, 20));

  expect_in_ci(r.metric("p_wait"), exact.p_wait, "P(wait)");
  expect_in_ci(r.metric("mean_wait_h"), exact.wq, "Wq");
  expect_in_ci(r.metric("mean_queue"), exact.lq, "Lq");
  expect_in_ci(r.metric("mean_in_system"), exact.l, "L");
  expect_in_ci(r.metric("mean_busy_workers"), ec.load, "busy workers");
  expect_laws(r);
}

INSTANTIATE_TEST_SUITE_P(Published, ErlangC_Simulation,
                         ::testing::Values(ErlangCase{3, 1.5, 0.236842, 0.157895, 0.236842},
                                           ErlangCase{10, 8.0, 0.409180, std::nan(""), 1.636721}));

TEST(ErlangC, OneQueuePerGroupOfWorkers) {
  // Four cells of c = 3 workers each, no neighbour help: each cell is its own M/M/3,
  // so the whole plan shows the same P(wait) as one group.
  SimPlan plan;
  for (int i = 0; i < 4; ++i) {
    SimCell cell;
    cell.code = std::to_string(i);
    cell.area_code = "a";
    cell.households = 1.5;
    cell.centroid = {i * 100.0, 0};
    plan.cells.push_back(cell);
  }
  for (std::uint32_t i = 0; i + 1 < 4; ++i) {
    plan.cells[i].neighbours.push_back(i + 1);
    plan.cells[i + 1].neighbours.push_back(i);
  }
  Scenario s = queueing_scenario();
  s.requests_per_household_year = kPerHourPerHousehold;
  s.worker_types[0].per_cell = 3;
  const SimulationResult r = simulate(plan, s, run_options(400, 20));
  const ErlangC exact = erlang_c(3, 1.5);
  expect_in_ci(r.metric("p_wait"), exact.p_wait, "P(wait)");
  expect_in_ci(r.metric("mean_queue"), 4 * exact.lq, "Lq of four groups");
  EXPECT_EQ(r.metric("served_outside_share").value.mean, 0.0);
  for (const auto& c : r.cells) expect_in_ci(c.metric("utilisation"), 0.5, "utilisation a/c");
  expect_laws(r);
}

TEST(Hypercube, LarsonOdoniExample) {
  // Larson & Odoni §5.4: 3 servers, exp(1) service, infinite FCFS queue.
  const std::vector<HypercubeClass> classes = {
      {0.50, {0, 1, 2}}, {0.25, {0, 2, 1}}, {0.35, {1, 0, 2}}, {0.40, {2, 0, 1}}};
  const HypercubeSolution exact = solve_hypercube(3, classes);
  EXPECT_NEAR(exact.workload[0], 0.5574, 5e-5);
  EXPECT_NEAR(exact.workload[1], 0.4734, 5e-5);
  EXPECT_NEAR(exact.workload[2], 0.4693, 5e-5);
  EXPECT_NEAR(exact.p_queued, 0.23684, 5e-6);
  EXPECT_NEAR(exact.outside_share, 0.43529, 5e-5);
  double total = 0;
  for (double p : exact.state_probability) total += p;
  EXPECT_NEAR(total, 1.0, 1e-12);

  // The same system in the simulator: three cells with one worker each, four demand
  // points with explicit dispatch orders (most preferred free worker first).
  SimPlan plan;
  for (int i = 0; i < 3; ++i) {
    SimCell cell;
    cell.code = std::to_string(i + 1);
    cell.area_code = "a";
    plan.cells.push_back(cell);
  }
  for (const auto& c : classes) {
    SimBuilding b;
    b.households = c.rate;
    b.cell = static_cast<std::uint32_t>(c.preference.front());
    for (int w : c.preference) b.dispatch_order.push_back(static_cast<std::uint32_t>(w));
    plan.cells[b.cell].households += c.rate;
    plan.buildings.push_back(b);
  }
  Scenario s = queueing_scenario();
  s.requests_per_household_year = kPerHourPerHousehold;
  const SimulationResult r = simulate(plan, s, run_options(1000, 20));
  for (std::size_t i = 0; i < 3; ++i)
    expect_in_ci(r.cells[i].metric("utilisation"), exact.workload[i], "workload");
  expect_in_ci(r.metric("p_wait"), exact.p_queued, "P(queued)");
  expect_in_ci(r.metric("served_outside_share"), exact.outside_share, "served outside own area");
  expect_laws(r);
}

TEST(Determinism, SameSeedSameResultsAnyThreadCount) {
  SimPlan plan;
  for (int i = 0; i < 6; ++i) {
    SimCell cell;
    cell.code = std::to_string(i);
    cell.area_code = i < 3 ? "a" : "b";
    cell.households = 400;
    cell.centroid = {i * 300.0, 0};
    if (i > 0) cell.neighbours.push_back(static_cast<std::uint32_t>(i - 1));
    if (i < 5) cell.neighbours.push_back(static_cast<std::uint32_t>(i + 1));
    plan.cells.push_back(cell);
  }
  const Scenario s = Scenario::defaults(); // shifts, visits, travel, escalation: everything on
  RunOptions o;
  o.days = 240;
  o.warmup_days = 30;
  o.replications = 6;
  o.seed = 7;
  o.threads = 1;
  const SimulationResult a = simulate(plan, s, o);
  o.threads = 3;
  const SimulationResult b = simulate(plan, s, o);
  ASSERT_EQ(a.overall.size(), b.overall.size());
  for (std::size_t k = 0; k < a.overall.size(); ++k) {
    for (std::size_t r = 0; r < a.overall[k].samples.size(); ++r) {
      const double x = a.overall[k].samples[r], y = b.overall[k].samples[r];
      if (std::isnan(x)) {
        EXPECT_TRUE(std::isnan(y));
      } else {
        EXPECT_EQ(x, y) << a.overall[k].name << " replication " << r;
      }
    }
  }
  for (std::size_t c = 0; c < a.cells.size(); ++c)
    for (std::size_t k = 0; k < a.cells[c].metrics.size(); ++k)
      EXPECT_EQ(a.cells[c].metrics[k].value.mean, b.cells[c].metrics[k].value.mean);
  EXPECT_EQ(a.events, b.events);

  // A different seed: different numbers, but the estimates agree within their CIs.
  o.seed = 8;
  const SimulationResult c = simulate(plan, s, o);
  EXPECT_NE(a.metric("events").value.mean, c.metric("events").value.mean);
  for (const char* name : {"requests_per_day", "on_time_share", "utilisation", "mean_response_h"}) {
    const Estimate x = a.metric(name).value, y = c.metric(name).value;
    EXPECT_LE(std::fabs(x.mean - y.mean), x.half_width + y.half_width) << name;
  }
  // Little's law on a realistic run (weekly shifts, multi-day department times). The
  // measured L also counts requests that arrived before the window, which lambda W over
  // the window's arrivals cannot see: a positive bias of order W / T, nothing more.
  const Estimate gap = a.metric("littles_law_gap").value;
  const double w_over_t = a.metric("mean_response_h").value.mean / (o.days * 24);
  EXPECT_GT(gap.mean, -0.01);
  EXPECT_LT(gap.mean, 3 * w_over_t) << "W/T = " << w_over_t;
}

} // namespace
} // namespace gp::sim

namespace gp::sim {
namespace {

// Regression: workers once started at (0, 0) instead of their cell's centroid, so plans in
// real projected coordinates (x ~ 500,000 m) began with a 500 km walk. Results must not
// depend on where the plan lies: translating every coordinate changes nothing.
TEST(Travel, TranslationInvariant) {
  auto make = [](double dx, double dy) {
    SimPlan plan;
    for (int i = 0; i < 4; ++i) {
      SimCell c;
      c.code = std::to_string(i);
      c.area_code = "a";
      c.households = 400;
      c.centroid = {dx + (i % 2) * 400.0 + 200, dy + (i / 2) * 400.0 + 200};
      plan.cells.push_back(c);
      for (int b = 0; b < 4; ++b) {
        SimBuilding bl;
        bl.cell = static_cast<std::uint32_t>(i);
        bl.households = 100;
        bl.position = {c.centroid.x + (b % 2) * 200.0 - 100, c.centroid.y + (b / 2) * 200.0 - 100};
        plan.buildings.push_back(bl);
      }
    }
    plan.cells[0].neighbours = {1, 2};
    plan.cells[1].neighbours = {0, 3};
    plan.cells[2].neighbours = {0, 3};
    plan.cells[3].neighbours = {1, 2};
    return plan;
  };
  RunOptions o;
  o.days = 60;
  o.replications = 3;
  const SimulationResult near = simulate(make(0, 0), Scenario::defaults(), o);
  const SimulationResult far = simulate(make(500000, 4400000), Scenario::defaults(), o);
  for (const char* name : {"utilisation", "on_time_share", "mean_response_h"})
    EXPECT_NEAR(near.metric(name).value.mean, far.metric(name).value.mean,
                1e-6 * std::max(1.0, std::fabs(near.metric(name).value.mean)))
        << name;
  EXPECT_LT(far.metric("utilisation").value.mean, 0.9);
}

} // namespace
} // namespace gp::sim
