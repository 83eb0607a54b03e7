// redraw_plan on a small in-memory city: locked cells keep their polygon byte for byte,
// untouched cells keep their codes, merging a layer with itself returns it.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "gp/core/error.hpp"
#include "gp/planner/rebalance.hpp"

namespace gp::planner {
namespace {

const std::string kArea = "110101001001";

geo::MultiPolygon rect(double x0, double y0, double x1, double y1) {
  return {geo::Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
}

/// A 100 x 60 m community with 10 columns x 6 rows of 6 x 6 m buildings, 10 households each
/// (60 per column).
geo::Dataset small_city() {
  geo::Dataset d;
  geo::Area a;
  a.code = kArea;
  a.name = "test";
  a.geometry = rect(0, 0, 100, 60);
  d.areas.push_back(a);
  for (int c = 0; c < 10; ++c)
    for (int r = 0; r < 6; ++r) {
      geo::Unit u;
      u.source_fid = c * 6 + r;
      const double x = 10.0 * c + 5, y = 10.0 * r + 5;
      u.geometry = rect(x - 3, y - 3, x + 3, y + 3);
      u.anchor = geo::Point{x, y};
      u.households = 10;
      u.households_source = geo::ValueSource::given;
      u.population = 26;
      u.area_code = kArea;
      u.type = "lowrise";
      d.units.push_back(u);
    }
  return d;
}

/// Vertical strips [x0, x1) with codes kArea + "001"...
ExistingGrid strips(const std::vector<double>& edges) {
  ExistingGrid g;
  g.name = "strips";
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    g.codes.push_back(kArea + (i + 1 < 10 ? "00" : "0") + std::to_string(i + 1));
    g.polygons.push_back(rect(edges[i], 0, edges[i + 1], 60));
  }
  return g;
}

RedrawOptions bounds(double lo, double hi) {
  RedrawOptions o;
  o.plan.min_weight = lo;
  o.plan.max_weight = hi;
  o.plan.threads = 1;
  return o;
}

std::map<std::string, std::set<std::uint32_t>> units_by_code(const Plan& plan) {
  std::map<std::string, std::set<std::uint32_t>> out;
  for (const auto& c : plan.cells) out[c.code].insert(c.units.begin(), c.units.end());
  return out;
}

TEST(RedrawPlan, LockedCellKeepsItsPolygonAndTheRestIsRepaired) {
  const auto city = small_city();
  // 240 | 240 | 120 households; bounds 150..250: the right strip is too small.
  auto grid = strips({0, 40, 80, 100});
  const auto left_polygon = grid.polygons[0];
  auto options = bounds(150, 250);
  options.locked_codes = {kArea + "001"};
  RedrawReport report;
  const Plan plan = redraw_plan(city, {grid}, options, report);

  ASSERT_EQ(plan.cells.size(), 3U);
  const Cell* left = nullptr;
  for (const auto& c : plan.cells) {
    EXPECT_TRUE(c.within_bounds) << c.code << " " << c.households;
    EXPECT_TRUE(c.contiguous) << c.code;
    if (c.code == kArea + "001") left = &c;
  }
  ASSERT_NE(left, nullptr);
  EXPECT_EQ(left->geometry, left_polygon) << "locked cell polygon unchanged";
  EXPECT_EQ(left->units.size(), 24U);
  for (const auto u : left->units) EXPECT_LT(city.units[u].anchor.x, 40);
  // The right strip needs 30 households; the middle (the only unlocked neighbour) gives
  // three buildings: 30 households is the optimum.
  EXPECT_DOUBLE_EQ(report.households_moved, 30);
  EXPECT_EQ(report.units_moved, 3U);
  EXPECT_EQ(report.unchanged_codes, (std::vector<std::string>{kArea + "001"}));
  EXPECT_EQ(report.changed_codes.size(), 2U);
  EXPECT_TRUE(report.new_codes.empty());
  EXPECT_TRUE(report.retired_codes.empty());
  EXPECT_EQ(report.locked_codes, (std::vector<std::string>{kArea + "001"}));
  // The cells tile the community: no other cell overlaps the locked polygon.
  double total_area = 0;
  for (const auto& c : plan.cells) total_area += geo::area(c.geometry);
  EXPECT_NEAR(total_area, 6000, 0.5);
}

TEST(RedrawPlan, MergingALayerWithItselfReturnsIt) {
  const auto city = small_city();
  const auto grid = strips({0, 40, 70, 100}); // 240, 180, 180
  RedrawReport report;
  const Plan plan = redraw_plan(city, {grid, grid}, bounds(150, 250), report);
  const auto got = units_by_code(plan);
  ASSERT_EQ(got.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& units = got.at(grid.codes[i]);
    for (const auto u : units) {
      EXPECT_GE(city.units[u].anchor.x, i == 0 ? 0 : i == 1 ? 40 : 70);
      EXPECT_LT(city.units[u].anchor.x, i == 0 ? 40 : i == 1 ? 70 : 100);
    }
  }
  EXPECT_DOUBLE_EQ(report.households_moved, 0);
  ASSERT_EQ(report.agreement.size(), 2U);
  EXPECT_DOUBLE_EQ(report.agreement[0].households_changed, 0);
  EXPECT_DOUBLE_EQ(report.agreement[1].households_changed, 0);
  EXPECT_DOUBLE_EQ(report.agreement[0].boundary_kept_m, report.agreement[0].boundary_total_m);
  EXPECT_EQ(report.unchanged_codes.size(), 3U);
}

TEST(RedrawPlan, GapsAndOverlapsAreResolvedAndReported) {
  const auto city = small_city();
  ExistingGrid grid;
  grid.name = "hand-drawn";
  // Cell 1 covers x<52 (overlapping cell 2 between 48 and 52), cell 2 covers 48..78, and
  // nothing covers x > 78 (a gap of two columns, 120 households).
  grid.codes = {kArea + "001", kArea + "002"};
  grid.polygons = {rect(0, 0, 52, 60), rect(48, 0, 78, 60)};
  RedrawReport report;
  const Plan plan = redraw_plan(city, {grid}, bounds(150, 350), report);
  ASSERT_EQ(report.grids.size(), 1U);
  EXPECT_EQ(report.grids[0].overlapping_pairs, 1U);
  EXPECT_NEAR(report.grids[0].overlap_area_m2, 4 * 60, 1e-6);
  EXPECT_EQ(report.grids[0].units_in_gaps, 12U); // columns x=85 and x=95
  EXPECT_EQ(report.gap_units, 12U);
  // Every unit is in a cell, every cell within bounds and in one piece.
  for (const auto uc : plan.unit_cell) EXPECT_GE(uc, 0);
  for (const auto& c : plan.cells) {
    EXPECT_TRUE(c.within_bounds) << c.code << " " << c.households;
    EXPECT_TRUE(c.contiguous) << c.code;
  }
}

TEST(RedrawPlan, UnknownLockedCodeIsAUsageError) {
  const auto city = small_city();
  auto options = bounds(150, 250);
  options.locked_codes = {"nope"};
  RedrawReport report;
  EXPECT_THROW(redraw_plan(city, {strips({0, 50, 100})}, options, report), UsageError);
}

} // namespace
} // namespace gp::planner
