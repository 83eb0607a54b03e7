// Input-order independence and units inside their own cells (issue 10): the same buildings
// in another order give the same cells; a unit whose anchor falls in another unit's region
// (stacked or duplicate-anchor footprints) shares that unit's cell.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "gp/core/random.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/plan.hpp"
#include "plan_checks.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

PlanOptions options() {
  PlanOptions o;
  o.restarts = 3;
  o.seed = 11;
  o.threads = 2;
  return o;
}

/// The dataset with its units (and attribute rows) in a seeded random order.
geo::Dataset shuffled(geo::Dataset ds, std::uint64_t seed) {
  std::vector<std::size_t> order(ds.units.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng rng(seed);
  rng.shuffle(order.begin(), order.end());
  std::vector<geo::Unit> units;
  std::vector<std::vector<geo::Value>> rows;
  for (auto i : order) {
    units.push_back(ds.units[i]);
    rows.push_back(ds.unit_attributes.rows[i]);
  }
  ds.units = std::move(units);
  ds.unit_attributes.rows = std::move(rows);
  return ds;
}

/// Cell code -> source feature ids of its units.
std::map<std::string, std::set<std::int64_t>> cells_by_fid(const geo::Dataset& ds,
                                                           const Plan& plan) {
  std::map<std::string, std::set<std::int64_t>> out;
  for (const auto& c : plan.cells)
    for (auto u : c.units) out[c.code].insert(ds.units[u].source_fid);
  return out;
}

TEST(InputOrder, ShuffledUnitsGiveTheSameCells) {
  for (const auto& ds : {::gp::testing::square_city(900, 3), ::gp::testing::mixed_city(2)}) {
    const auto o = options();
    const auto a = make_plan(ds, o);
    for (std::uint64_t seed : {1u, 2u}) {
      const auto other = shuffled(ds, seed);
      const auto b = make_plan(other, o);
      ASSERT_EQ(a.cells.size(), b.cells.size());
      EXPECT_EQ(cells_by_fid(ds, a), cells_by_fid(other, b));
      for (std::size_t c = 0; c < a.cells.size(); ++c) {
        EXPECT_EQ(a.cells[c].code, b.cells[c].code);
        EXPECT_NEAR(a.cells[c].area_m2, b.cells[c].area_m2, 1e-9 * a.cells[c].area_m2);
      }
      EXPECT_EQ(a.summary.cut_edges, b.summary.cut_edges);
    }
  }
}

TEST(InputOrder, StackedFootprintsShareTheCellTheirAnchorLiesIn) {
  // A grid of buildings, every third with a smaller one stacked on the same centre (a
  // podium and its tower in separate features): the stacked one gets no region of its own.
  ::gp::testing::SyntheticCity city(7);
  const auto a =
      city.add_area("110101001001", {::gp::testing::rect_polygon(0, 0, 600, 600)}, "stacked");
  int k = 0;
  for (int i = 0; i < 15; ++i)
    for (int j = 0; j < 15; ++j) {
      const geo::Point p{20.0 + 40.0 * i, 20.0 + 40.0 * j};
      city.add_building(a, p, 16, 20, "", "residential");
      if (++k % 3 == 0) city.add_building(a, p, 8, 15, "", "residential");
    }
  const auto ds = city.dataset();
  const auto o = options();
  const auto plan = make_plan(ds, o);
  ::gp::testing::check_plan(ds, plan, o, 1e-9);
  for (std::size_t u = 0; u < ds.units.size(); ++u) {
    const auto ci = plan.unit_cell[u];
    ASSERT_GE(ci, 0);
    EXPECT_TRUE(
        geo::contains(plan.cells[static_cast<std::size_t>(ci)].geometry, ds.units[u].anchor))
        << "unit " << u << " outside its cell " << plan.cells[static_cast<std::size_t>(ci)].code;
  }
}

} // namespace
} // namespace gp::planner
