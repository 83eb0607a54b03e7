// Regressions of the plan-contract issue: rebalance and merge gave a different plan on every
// run with more than one thread (libmetis' process-global generator), and a lock that did
// not match its buildings' regions left a hole in the community with no violation.

#include <gtest/gtest.h>

#include <string>

#include "gp/geo/ops.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "gp/planner/rebalance.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

geo::MultiPolygon rect(double x0, double y0, double x1, double y1) {
  return {geo::Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
}

std::string area_code(int k) {
  return "11010100100" + std::to_string(k);
}

/// Four 440 x 440 m communities side by side, full of buildings (~25 households each).
geo::Dataset four_communities() {
  gp::testing::SyntheticCity city(5);
  for (int k = 0; k < 4; ++k) {
    const auto a = city.add_area(area_code(k), rect(500.0 * k, 0, 500.0 * k + 440, 440));
    city.add_buildings(a, gp::testing::BuildingGrid{});
  }
  return city.dataset();
}

/// An existing grid of two vertical halves per community: far above 500 households each,
/// so redraw has to split them (partition calls, which use libmetis).
ExistingGrid halves(double split = 0.5) {
  ExistingGrid g;
  g.name = "halves";
  for (int k = 0; k < 4; ++k) {
    const double x0 = 500.0 * k, xm = x0 + 440 * split, x1 = x0 + 440;
    g.codes.push_back(area_code(k) + "001");
    g.polygons.push_back(rect(x0, 0, xm, 440));
    g.codes.push_back(area_code(k) + "002");
    g.polygons.push_back(rect(xm, 0, x1, 440));
  }
  return g;
}

Plan redraw(const geo::Dataset& ds, const std::vector<ExistingGrid>& grids, unsigned threads) {
  RedrawOptions o;
  o.plan.threads = threads;
  o.plan.seed = 17;
  RedrawReport report;
  return redraw_plan(ds, grids, o, report);
}

void expect_identical(const Plan& a, const Plan& b) {
  EXPECT_EQ(a.unit_cell, b.unit_cell);
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (std::size_t c = 0; c < a.cells.size(); ++c) {
    EXPECT_EQ(a.cells[c].code, b.cells[c].code);
    EXPECT_TRUE(a.cells[c].geometry == b.cells[c].geometry) << a.cells[c].code;
  }
}

TEST(PlanContractRegression, RebalanceIsTheSameAtOneAndFourThreads) {
  const auto ds = four_communities();
  const auto one = redraw(ds, {halves()}, 1);
  expect_identical(one, redraw(ds, {halves()}, 4));
  expect_identical(one, redraw(ds, {halves()}, 4));
  EXPECT_GT(one.cells.size(), 8u); // the halves really were split
}

TEST(PlanContractRegression, MergeIsTheSameAtOneAndFourThreads) {
  const auto ds = four_communities();
  const std::vector<ExistingGrid> grids{halves(0.5), halves(0.4)};
  expect_identical(redraw(ds, grids, 1), redraw(ds, grids, 4));
}

TEST(PlanContractRegression, LockNotMatchingItsBuildingsLeavesNoGapAndIsReported) {
  const auto ds = four_communities();
  // A lock whose edge runs through the open space between building rows: the region
  // boundary of its buildings is elsewhere.
  auto grid = halves(0.47);
  RedrawOptions o;
  o.plan.threads = 1;
  o.plan.min_weight = 100;
  o.plan.max_weight = 10000; // keeps the halves valid: only the lock is at stake
  o.locked_codes = {area_code(0) + "001"};
  RedrawReport report;
  const auto plan = redraw_plan(ds, {grid}, o, report);
  // Exact tiling of every community, locked one included.
  for (const auto& area : plan.areas) {
    double sum = 0;
    std::vector<const geo::MultiPolygon*> parts;
    for (auto ci : area.cells) {
      sum += geo::area(plan.cells[ci].geometry);
      parts.push_back(&plan.cells[ci].geometry);
    }
    const double a = geo::area(area.geometry);
    EXPECT_NEAR(sum, a, 1e-9 * a) << area.code;
    EXPECT_NEAR(geo::area(geo::union_all(parts)), a, 1e-9 * a) << area.code;
  }
  bool reported = false;
  for (const auto& v : plan.violations)
    reported = reported || (v.rule == "lock" && v.cell_code == area_code(0) + "001");
  EXPECT_TRUE(reported);
  // The locked cell kept exactly its buildings.
  const auto j = plan_file::judge_plan(ds, plan);
  EXPECT_EQ(j.unassigned_units, 0u);
  for (const auto& c : plan.cells) {
    if (c.code != area_code(0) + "001") continue;
    for (auto u : c.units) EXPECT_LT(ds.units[u].anchor.x, 440 * 0.47);
  }
}

} // namespace
} // namespace gp::planner
