// Duty hours at every hour of the week: shifts that cross midnight, run from Sunday into
// Monday, or make up a 24/7 roster must give the same results as the same duty hours laid
// out without wrapping; utilisation counts busy time within duty only, overtime apart.
//
// Regression (issue 12): a Sun 20:00-08:00 shift lost its Monday part every week after
// the first, so 28 days gave a mean wait of 160 h.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "gp/sim/engine.hpp"
#include "single_queue.hpp"
#include "stat_bounds.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

constexpr int kMonday = 0, kWednesday = 2, kThursday = 3, kSunday = 6;

Shift shift(const std::string& name, std::vector<int> days, double start, double end) {
  Shift s;
  s.name = name;
  for (int d : days) s.days[static_cast<std::size_t>(d)] = true;
  s.start_hour = start;
  s.end_hour = end;
  return s;
}

/// One cell, one worker on the given shifts, flat demand of `rate` per hour, exponential
/// handling of 1 h, no travel, visits, patrols, departments or escalation.
Scenario duty_scenario(std::vector<Shift> shifts, double rate) {
  Scenario s = testing::single_queue(rate, 1);
  s.categories[0].distribution = HandlingDistribution::exponential;
  for (const auto& sh : shifts) s.worker_types[0].shifts.push_back(sh.name);
  s.shifts = std::move(shifts);
  return s;
}

using testing::one_cell;

RunOptions options(double days, int replications) {
  RunOptions o;
  o.days = days;
  o.warmup_days = 14;
  o.replications = replications;
  o.seed = ::gp::testing::test_seed(11);
  o.threads = 2;
  return o;
}

void expect_identical(const SimulationResult& a, const SimulationResult& b) {
  ASSERT_EQ(a.overall.size(), b.overall.size());
  for (std::size_t k = 0; k < a.overall.size(); ++k) {
    if (a.overall[k].name == "events") continue; // shift events differ in number
    for (std::size_t r = 0; r < a.overall[k].samples.size(); ++r) {
      const double x = a.overall[k].samples[r], y = b.overall[k].samples[r];
      if (std::isnan(x))
        EXPECT_TRUE(std::isnan(y)) << a.overall[k].name;
      else
        EXPECT_EQ(x, y) << a.overall[k].name << " replication " << r;
    }
  }
}

TEST(DutyTime, SundayToMondayNightEqualsSameHoursSplitAtMidnight) {
  const double rate = 0.02;
  const auto wrapped =
      simulate(one_cell(), duty_scenario({shift("night", {kSunday}, 20, 8)}, rate), options(84, 4));
  const auto split = simulate(
      one_cell(),
      duty_scenario({shift("sun", {kSunday}, 20, 24), shift("mon", {kMonday}, 0, 8)}, rate),
      options(84, 4));
  expect_identical(wrapped, split);
}

TEST(DutyTime, ShiftCrossingMidnightEqualsSameHoursSplitAtMidnight) {
  const double rate = 0.02;
  const auto wrapped = simulate(
      one_cell(), duty_scenario({shift("night", {kWednesday}, 20, 8)}, rate), options(84, 4));
  const auto split = simulate(
      one_cell(),
      duty_scenario({shift("wed", {kWednesday}, 20, 24), shift("thu", {kThursday}, 0, 8)}, rate),
      options(84, 4));
  expect_identical(wrapped, split);
}

TEST(DutyTime, RosterCoveringEveryHourEqualsAlwaysOnDuty) {
  const std::vector<int> all = {0, 1, 2, 3, 4, 5, 6};
  const double rate = 0.6;
  const auto roster = simulate(one_cell(),
                               duty_scenario({shift("night", all, 22, 6), shift("day", all, 6, 14),
                                              shift("evening", all, 14, 22)},
                                             rate),
                               options(120, 4));
  const auto always = simulate(one_cell(), duty_scenario({}, rate), options(120, 4));
  expect_identical(roster, always);
  // And both are an M/M/1 queue: utilisation = rho exactly in expectation.
  EXPECT_TRUE(testing::within_se(always.metric("utilisation").samples, rate))
      << always.metric("utilisation").value.mean;
}

// The same twelve duty hours once a week, placed where they wrap the week, cross midnight
// or do neither. With flat demand the system does not know what day it is, so all three
// have the same long-run behaviour (checked with standard-error bounds, Bonferroni over
// the 2 x 3 comparisons and one exact value). Before the fix the wrapped shift waited about 160 h.
TEST(DutyTime, TwelveWeeklyHoursBehaveAlikeWhereverTheyFall) {
  const double rate = 0.02;
  const RunOptions o = options(700, 20);
  const auto sun_mon = simulate(one_cell(), duty_scenario({shift("s", {kSunday}, 20, 8)}, rate), o);
  const auto wed_thu =
      simulate(one_cell(), duty_scenario({shift("s", {kWednesday}, 20, 8)}, rate), o);
  const auto monday = simulate(one_cell(), duty_scenario({shift("s", {kMonday}, 0, 12)}, rate), o);
  const testing::Bonferroni z{1e-3, 7};
  for (const char* name : {"mean_wait_h", "utilisation", "p_wait"}) {
    EXPECT_TRUE(testing::same_mean(sun_mon.metric(name).samples, monday.metric(name).samples, z))
        << name << ": Sun-Mon " << sun_mon.metric(name).value.mean << ", Monday "
        << monday.metric(name).value.mean;
    EXPECT_TRUE(testing::same_mean(wed_thu.metric(name).samples, monday.metric(name).samples, z))
        << name << ": Wed-Thu " << wed_thu.metric(name).value.mean << ", Monday "
        << monday.metric(name).value.mean;
  }
  // Offered work 0.02 h per hour over 12 duty hours of 168: utilisation 0.28.
  EXPECT_TRUE(testing::within_se(monday.metric("utilisation").samples, rate * 168 / 12, z));
}

// A worker on 08:00-17:00 every day with an endless queue of fixed two-hour jobs starts
// jobs at 8, 10, 12, 14 and 16 h; the last ends at 18 h. Busy within duty = the full 9 h
// (utilisation exactly 1, not 10/9) and 1 h a day is overtime (1/9 of duty).
TEST(DutyTime, UtilisationCountsDutyOnlyAndOvertimeApart) {
  const std::vector<int> all = {0, 1, 2, 3, 4, 5, 6};
  Scenario s = duty_scenario({shift("day", all, 8, 17)}, 2.0);
  s.categories[0].distribution = HandlingDistribution::fixed;
  s.categories[0].handling_minutes = 120;
  const auto r = simulate(one_cell(), s, options(30, 2));
  for (double u : r.metric("utilisation").samples) EXPECT_NEAR(u, 1.0, 1e-9);
  for (double o : r.metric("overtime_share").samples) EXPECT_NEAR(o, 1.0 / 9.0, 1e-9);
  for (const auto& m : r.utilisation_by_type)
    for (double u : m.samples) EXPECT_LE(u, 1.0 + 1e-12);
}

} // namespace
} // namespace gp::sim
