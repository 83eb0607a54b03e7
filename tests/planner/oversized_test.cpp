// Oversized buildings and the number of cells (issue 10): a building above the maximum is a
// cell of its own, the other cells are counted from the remaining weight, no cell is empty,
// and every violation names its true cause. One synthetic case per cause.

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "gp/planner/partition.hpp"
#include "gp/planner/plan.hpp"
#include "plan_checks.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

using gp::testing::BuildingGrid;
using gp::testing::rect_polygon;
using gp::testing::rect_ring;
using gp::testing::SyntheticCity;

PlanOptions options() {
  PlanOptions o;
  o.restarts = 4;
  o.seed = 3;
  o.threads = 1;
  return o;
}

const PlanViolation* bound_violation(const Plan& plan, const std::string& cell) {
  for (const auto& v : plan.violations)
    if (v.cell_code == cell && (v.rule == "min" || v.rule == "max" || v.rule == "tolerance"))
      return &v;
  return nullptr;
}

struct Tower {
  double x, y, households;
};

/// A 1.2 km square "CBD": mid-rises of 50-250 households every 40 m, and a few towers of
/// 3,000-9,000 households (each in a 60 m clearing of the grid).
geo::Dataset cbd(const std::vector<Tower>& towers, std::uint64_t seed = 5) {
  SyntheticCity city(seed);
  const auto a = city.add_area("110101001001", {rect_polygon(0, 0, 1200, 1200)}, "CBD");
  std::vector<geo::Ring> clearings;
  for (const auto& t : towers)
    clearings.push_back(rect_ring(t.x - 30, t.y - 30, t.x + 30, t.y + 30));
  const geo::MultiPolygon region{rect_polygon(0, 0, 1200, 1200, clearings)};
  BuildingGrid grid;
  grid.spacing_m = 40;
  grid.footprint_m = 18;
  grid.jitter_m = 4;
  grid.households_min = 50;
  grid.households_max = 250;
  grid.type = "residential";
  city.add_buildings(a, grid, &region);
  for (const auto& t : towers) city.add_building(a, {t.x, t.y}, 40, t.households, "", "highrise");
  return city.dataset();
}

TEST(Oversized, CbdTowersAreCellsOfTheirOwnAndTheRestIsWithinBounds) {
  const std::vector<Tower> towers{
      {200, 300, 3000}, {700, 250, 9000}, {450, 800, 5200}, {950, 950, 4100}};
  const auto ds = cbd(towers);
  const auto o = options();
  const auto plan = make_plan(ds, o);
  gp::testing::check_plan(ds, plan, o, 1e-9);
  ASSERT_EQ(plan.areas.size(), 1u);

  double rest = 0;
  std::set<std::uint32_t> tower_units;
  for (std::uint32_t u = 0; u < ds.units.size(); ++u) {
    if (ds.units[u].households > o.max_weight)
      tower_units.insert(u);
    else
      rest += ds.units[u].households;
  }
  ASSERT_EQ(tower_units.size(), towers.size());

  // Each tower in a different cell, explained as oversized, naming its feature.
  std::set<std::int64_t> tower_cells;
  for (auto u : tower_units) {
    const auto ci = plan.unit_cell[u];
    ASSERT_GE(ci, 0);
    tower_cells.insert(ci);
    const auto& cell = plan.cells[static_cast<std::size_t>(ci)];
    const auto* v = bound_violation(plan, cell.code);
    ASSERT_NE(v, nullptr) << cell.code;
    EXPECT_EQ(v->rule, "max");
    EXPECT_EQ(v->cause, "oversized") << v->reason;
    EXPECT_NE(v->reason.find("source feature " + std::to_string(ds.units[u].source_fid)),
              std::string::npos)
        << v->reason;
  }
  EXPECT_EQ(tower_cells.size(), towers.size());

  // The other cells: counted from the remaining weight, all within bounds, none empty.
  const double k = static_cast<double>(plan.cells.size() - towers.size());
  EXPECT_GE(k, std::ceil(rest / o.max_weight - 1e-9));
  EXPECT_LE(k, std::floor(rest / o.min_weight + 1e-9));
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    EXPECT_GT(plan.cells[c].households, 0) << plan.cells[c].code;
    if (tower_cells.count(static_cast<std::int64_t>(c)) != 0) continue;
    EXPECT_TRUE(plan.cells[c].within_bounds)
        << plan.cells[c].code << " " << plan.cells[c].households;
  }
  EXPECT_EQ(plan.summary.cells_oversized, towers.size());
  EXPECT_DOUBLE_EQ(plan.summary.share_within_bounds_regular, 1.0);
  EXPECT_EQ(plan.summary.empty_cells, 0u);
}

TEST(Oversized, LightBlocksBetweenTowersJoinATowerInsteadOfMakingEmptyCells) {
  // A path: tower (2000) - three empty buildings - tower (3000) - one 40-household house.
  UnitGraph g = graph_from_edges(
      6,
      {{0, 1, 1, false}, {1, 2, 1, false}, {2, 3, 1, false}, {3, 4, 1, false}, {4, 5, 1, false}});
  g.weight = {2000, 0, 0, 0, 3000, 40};
  PartitionSpec spec; // 300-500
  const auto r = partition(g, spec);
  ASSERT_EQ(r.parts, 2);
  EXPECT_NE(r.part[0], r.part[4]);
  for (double w : r.part_weight) EXPECT_GT(w, 0);
  // The empty block joins the lighter tower; the house joins the only tower it touches.
  EXPECT_EQ(r.part[1], r.part[0]);
  EXPECT_EQ(r.part[3], r.part[0]);
  EXPECT_EQ(r.part[5], r.part[4]);
  for (const auto& v : r.violations) {
    EXPECT_EQ(v.rule, "max");
    EXPECT_EQ(v.cause, "oversized") << v.reason;
  }
}

TEST(Oversized, IndivisibleTotalIsNamed) {
  // 13 houses of 40 households: 520 is more than one cell may hold and less than two need.
  SyntheticCity city(2);
  const auto a = city.add_area("110101001001", {rect_polygon(0, 0, 520, 40)});
  for (int i = 0; i < 13; ++i)
    city.add_building(a, {20.0 + 40.0 * i, 20}, 12, 40, "", "residential");
  const auto ds = city.dataset();
  const auto plan = make_plan(ds, options());
  ASSERT_FALSE(plan.cells.empty());
  std::size_t explained = 0;
  for (const auto& c : plan.cells) {
    if (c.within_bounds) continue;
    const auto* v = bound_violation(plan, c.code);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->cause, "indivisible") << v->reason;
    EXPECT_NE(v->reason.find("no whole number of cells"), std::string::npos) << v->reason;
    ++explained;
  }
  EXPECT_GT(explained, 0u);
}

TEST(Oversized, BlockCutOffByHardBarriersIsNamedAsAnIsland) {
  // A road cuts off the north-east corner (4 houses of 30 households) from the rest.
  SyntheticCity city(4);
  const auto a = city.add_area("110101001001", {rect_polygon(0, 0, 400, 400)});
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) {
      const double x = 20.0 + 40.0 * i, y = 20.0 + 40.0 * j;
      city.add_building(a, {x, y}, 12, x > 320 && y > 320 ? 30 : 12, "", "residential");
    }
  city.add_barrier({{320, 401}, {320, 320}, {401, 320}});
  const auto ds = city.dataset();
  auto o = options();
  o.hard_barriers = true;
  const auto plan = make_plan(ds, o);
  bool found = false;
  for (const auto& c : plan.cells) {
    if (c.within_bounds) continue;
    const auto* v = bound_violation(plan, c.code);
    ASSERT_NE(v, nullptr);
    if (v->rule == "min" && v->cause == "island") found = true;
    EXPECT_NE(v->cause, "search") << v->reason;
  }
  EXPECT_TRUE(found);
}

TEST(Oversized, SearchFailureIsSaidPlainly) {
  // Path 300-1-200-1-300: the total 802 allows two parts of 300-500, but no contiguous
  // split of the path gives them (prefix sums 300, 301, 501, 502).
  UnitGraph g =
      graph_from_edges(5, {{0, 1, 1, false}, {1, 2, 1, false}, {2, 3, 1, false}, {3, 4, 1, false}});
  g.weight = {300, 1, 200, 1, 300};
  PartitionSpec spec;
  const auto r = partition(g, spec);
  ASSERT_EQ(r.parts, 2);
  ASSERT_FALSE(r.violations.empty());
  for (const auto& v : r.violations) {
    EXPECT_EQ(v.cause, "search") << v.reason;
    EXPECT_NE(v.reason.find("did not find"), std::string::npos) << v.reason;
  }
}

} // namespace
} // namespace gp::planner
