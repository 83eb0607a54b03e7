// Planning real data from ../shared/data: Taipei footprints and Monaco OSM buildings into
// 300-500-household cells, New Hampshire tracts (tiling polygons) into 2 cells.

#include <gtest/gtest.h>

#include "gp/geo/io.hpp"
#include "gp/planner/plan.hpp"
#include "plan_checks.hpp"
#include "support.hpp"

namespace gp::planner {
namespace {

/// Fewer restarts than the CLI's automatic effort: the asserted properties hold for any
/// effort, and CI time stays reasonable.
PlanOptions real_options() {
  PlanOptions o;
  o.restarts = 2;
  o.seed = 1;
  return o;
}

std::size_t cells_out_of_bounds_unexplained(const Plan& plan) {
  std::size_t n = 0;
  for (const auto& c : plan.cells)
    if (!c.within_bounds && !testing::has_violation(plan, c.code, {"min", "max"})) ++n;
  return n;
}

TEST(PlanRealData, TaipeiFootprintsInto300To500HouseholdCells) {
  GP_REQUIRE_SHARED_DATA(path, "taipei/taipei-4352-buildings.geojson");
  geo::DatasetSources sources;
  sources.units = geo::SourceSpec{path.string(), ""};
  const auto ds = geo::read_dataset(sources, geo::ReadOptions{});
  // 13,268 footprints; exact duplicates are kept once (and counted by the reader).
  ASSERT_EQ(ds.units.size() + ds.report.duplicate_units, 13268u);
  const auto o = real_options();
  const auto plan = make_plan(ds, o);
  testing::check_plan(ds, plan, o, 1e-6);
  EXPECT_EQ(plan.summary.units_planned, ds.units.size());
  EXPECT_DOUBLE_EQ(plan.summary.share_contiguous, 1.0);
  double total = 0;
  for (const auto& u : ds.units) total += u.households;
  // As many cells as 300-500 households allow.
  EXPECT_GE(static_cast<double>(plan.cells.size()), total / 500);
  EXPECT_LE(static_cast<double>(plan.cells.size()), total / 300 + 1);
  EXPECT_EQ(cells_out_of_bounds_unexplained(plan), 0u);
  EXPECT_GE(plan.summary.share_within_bounds, 0.95) << summary_text(plan);
  for (const auto& c : plan.cells) EXPECT_EQ(c.parts, 1u) << c.code;
}

TEST(PlanRealData, MonacoOsmBuildingsInto300To500HouseholdCells) {
  GP_REQUIRE_SHARED_DATA(path, "osm/monaco-2016.osm.pbf");
  geo::DatasetSources sources;
  sources.units = geo::SourceSpec{path.string(), "multipolygons"};
  geo::ReadOptions read;
  read.where = "building IS NOT NULL";
  const auto ds = geo::read_dataset(sources, read);
  ASSERT_GT(ds.units.size(), 20000u);
  const auto o = real_options();
  const auto plan = make_plan(ds, o);
  testing::check_plan(ds, plan, o, 1e-6);
  EXPECT_EQ(plan.summary.units_planned, ds.units.size());
  EXPECT_DOUBLE_EQ(plan.summary.share_contiguous, 1.0);
  EXPECT_EQ(cells_out_of_bounds_unexplained(plan), 0u);
  EXPECT_GE(plan.summary.share_within_bounds, 0.95) << summary_text(plan);
}

TEST(PlanRealData, NewHampshireTractsInTwoCellsWithinHalfAPercent) {
  GP_REQUIRE_SHARED_DATA(path, "us-tracts/NH_tract.shp");
  geo::DatasetSources sources;
  sources.units = geo::SourceSpec{path.string(), ""};
  const auto ds = geo::read_dataset(sources, geo::ReadOptions{});
  ASSERT_EQ(ds.units.size(), 295u);
  PlanOptions o;
  o.balance_field = "DP0010001";
  o.cells_per_area = 2;
  o.tolerance = 0.005;
  o.objective = Objective::cut_edges;
  const auto plan = make_plan(ds, o);
  ASSERT_EQ(plan.cells.size(), 2u);
  EXPECT_TRUE(plan.areas[0].tiling);
  testing::check_plan(ds, plan, o, 1e-6);
  double total = 0;
  for (const auto& c : plan.cells) total += c.balance;
  EXPECT_DOUBLE_EQ(total, 1316470); // New Hampshire, census 2010
  for (const auto& c : plan.cells) {
    EXPECT_TRUE(c.within_bounds) << c.balance;
    EXPECT_LE(std::abs(c.deviation_pct), 0.5);
    EXPECT_EQ(c.parts, 1u);
  }
  // The proven optimum on the tracts' rook graph is 26 cut edges; our graph comes from the
  // polygons themselves (shared boundary > 1 cm).
  EXPECT_LE(plan.summary.cut_edges, 30u);
}

} // namespace
} // namespace gp::planner
