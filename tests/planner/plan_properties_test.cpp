// Property tests of make_plan on synthetic cities of many shapes: exact coverage, nesting,
// contiguity, bounds or an explained violation, determinism, numbering.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "plan_checks.hpp"
#include "support.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

using testing::check_plan;

/// Few restarts: the properties hold for any effort; tests stay fast.
PlanOptions fast() {
  PlanOptions o;
  o.restarts = 3;
  return o;
}

struct CityCase {
  const char* name;
  std::function<geo::Dataset()> make;
};

class PlanProperties : public ::testing::TestWithParam<CityCase> {};

TEST_P(PlanProperties, CoverageNestingContiguityBoundsNumbering) {
  const auto ds = GetParam().make();
  PlanOptions o = fast();
  o.seed = ::gp::testing::test_seed(7);
  const auto plan = make_plan(ds, o);
  check_plan(ds, plan, o);
  EXPECT_GT(plan.cells.size(), 0u);
}

TEST_P(PlanProperties, SameSeedGivesIdenticalLayersWhateverTheThreadCount) {
  const auto ds = GetParam().make();
  PlanOptions a = fast();
  a.seed = 11;
  a.threads = 1;
  PlanOptions b = a;
  b.threads = 4;
  const auto plan_a = make_plan(ds, a);
  const auto plan_b = make_plan(ds, b);
  auto la = plan_file::plan_layers(ds, plan_a, {});
  auto lb = plan_file::plan_layers(ds, plan_b, {});
  ASSERT_EQ(la.size(), lb.size());
  for (std::size_t i = 0; i < la.size(); ++i) {
    geo::materialize(la[i]);
    geo::materialize(lb[i]);
  }
  for (std::size_t i = 0; i < la.size(); ++i) {
    EXPECT_EQ(la[i].table.fields.size(), lb[i].table.fields.size());
    EXPECT_TRUE(la[i].table.rows == lb[i].table.rows) << la[i].name;
    EXPECT_TRUE(la[i].polygons == lb[i].polygons) << la[i].name;
    EXPECT_TRUE(la[i].points == lb[i].points) << la[i].name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PlanProperties,
    ::testing::Values(CityCase{"square", [] { return ::gp::testing::square_city(); }},
                      CityCase{"hole", [] { return ::gp::testing::city_with_hole(); }},
                      CityCase{"multipart", [] { return ::gp::testing::multipart_city(); }},
                      CityCase{"big_compound", [] { return ::gp::testing::big_compound_city(); }},
                      CityCase{"small_area", [] { return ::gp::testing::small_area_city(); }},
                      CityCase{"barriers", [] { return ::gp::testing::barrier_city(); }},
                      CityCase{"points", [] { return ::gp::testing::point_city(); }},
                      CityCase{"tiling", [] { return ::gp::testing::tiling_city(); }},
                      CityCase{"mixed", [] { return ::gp::testing::mixed_city(3); }}),
    [](const ::testing::TestParamInfo<CityCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(PlanViolations, AnAreaBelowTheMinimumIsOneCellAndSaysWhy) {
  const auto ds = ::gp::testing::small_area_city();
  const auto plan = make_plan(ds, fast());
  const auto& small = plan.areas.at(1);
  ASSERT_EQ(small.code, "110101001006");
  ASSERT_EQ(small.cells.size(), 1u);
  const auto& cell = plan.cells[small.cells[0]];
  EXPECT_DOUBLE_EQ(cell.households, 150);
  EXPECT_FALSE(cell.within_bounds);
  bool found = false;
  for (const auto& v : plan.violations)
    if (v.cell_code == cell.code && v.rule == "min") {
      found = true;
      EXPECT_NE(v.reason.find("whole area has only 150"), std::string::npos) << v.reason;
    }
  EXPECT_TRUE(found);
}

TEST(PlanViolations, ACompoundAboveTheMaximumIsSplitAndReported) {
  const auto ds = ::gp::testing::big_compound_city();
  double big = 0;
  for (const auto& u : ds.units)
    if (u.compound_id == "BIG") big += u.households;
  ASSERT_GT(big, 500);
  const auto plan = make_plan(ds, fast());
  std::set<std::int64_t> big_cells;
  std::map<std::string, std::set<std::int64_t>> other;
  for (std::size_t i = 0; i < ds.units.size(); ++i) {
    if (ds.units[i].compound_id == "BIG")
      big_cells.insert(plan.unit_cell[i]);
    else if (!ds.units[i].compound_id.empty())
      other[ds.units[i].compound_id].insert(plan.unit_cell[i]);
  }
  EXPECT_GE(big_cells.size(), 2u);
  bool reported = false;
  for (const auto& v : plan.violations)
    if (v.rule == "compound" && v.reason.find("compound BIG") != std::string::npos) {
      reported = true;
      EXPECT_NE(v.reason.find("split along building lines"), std::string::npos) << v.reason;
    }
  EXPECT_TRUE(reported);
  // Ordinary compounds (~200 households) stay whole, or the split is reported.
  for (const auto& [id, cells] : other) {
    if (cells.size() == 1) continue;
    bool explained = false;
    for (const auto& v : plan.violations)
      explained = explained ||
                  (v.rule == "compound" && v.reason.find("compound " + id) != std::string::npos);
    EXPECT_TRUE(explained) << id;
  }
}

TEST(PlanViolations, TheSmallIslandJoinsANeighbourInsteadOfStandingAlone) {
  const auto ds = ::gp::testing::multipart_city();
  const auto plan = make_plan(ds, fast());
  // The three small-island buildings are the last three units.
  const auto n = ds.units.size();
  const auto cell = plan.unit_cell[n - 1];
  ASSERT_GE(cell, 0);
  EXPECT_EQ(plan.unit_cell[n - 2], cell);
  EXPECT_EQ(plan.unit_cell[n - 3], cell);
  const auto& c = plan.cells[static_cast<std::size_t>(cell)];
  EXPECT_GT(c.units.size(), 3u);
  EXPECT_TRUE(c.within_bounds) << c.households;
  EXPECT_EQ(c.parts, 2u);    // its own polygon plus the island's
  EXPECT_TRUE(c.contiguous); // allowed: the area itself is in three parts
}

TEST(PlanOptionsTest, FixedCellsWithinToleranceOnParcels) {
  const auto ds = ::gp::testing::tiling_city();
  PlanOptions o = fast();
  o.cells_per_area = 4;
  o.tolerance = 0.05;
  const auto plan = make_plan(ds, o);
  ASSERT_EQ(plan.cells.size(), 4u);
  check_plan(ds, plan, o);
  for (const auto& c : plan.cells) EXPECT_LE(std::abs(c.deviation_pct), 5.0 + 1e-9);
}

TEST(PlanOptionsTest, AnyNumericFieldCanBeBalanced) {
  const auto ds = ::gp::testing::square_city();
  PlanOptions o = fast();
  o.balance_field = "building_id";
  o.min_weight = 20000;
  o.max_weight = 40000;
  const auto plan = make_plan(ds, o);
  check_plan(ds, plan, o);
  const auto layers = plan_file::plan_layers(ds, plan, {});
  EXPECT_GE(layers[0].table.find("building_id"), 0); // the balance field's sum on cells
  double total = 0;
  for (const auto& c : plan.cells) total += c.balance;
  const double n = static_cast<double>(ds.units.size());
  EXPECT_DOUBLE_EQ(total, n * (n + 1) / 2);
}

TEST(PlanOptionsTest, BadOptionsAreUsageErrors) {
  const auto ds = ::gp::testing::square_city(200);
  PlanOptions o = fast();
  o.min_weight = 600;
  EXPECT_THROW(make_plan(ds, o), UsageError);
  o = fast();
  o.balance_field = "nope";
  EXPECT_THROW(make_plan(ds, o), UsageError);
}

TEST(PlanOptionsTest, HardBarriersKeepEveryCellConnectedWithoutCrossing) {
  const auto ds = ::gp::testing::barrier_city();
  PlanOptions o = fast();
  o.hard_barriers = true;
  const auto plan = make_plan(ds, o);
  check_plan(ds, plan, o);
  const auto dg = build_dataset_graph(ds, o);
  // Each cell's units are connected through edges that cross no barrier.
  std::vector<std::int64_t> cell_of_vertex(dg.units.size());
  for (std::size_t v = 0; v < dg.units.size(); ++v) cell_of_vertex[v] = plan.unit_cell[dg.units[v]];
  std::map<std::int64_t, std::vector<std::uint32_t>> members;
  for (std::uint32_t v = 0; v < dg.units.size(); ++v) members[cell_of_vertex[v]].push_back(v);
  for (const auto& [cell, vs] : members) {
    std::set<std::uint32_t> seen{vs.front()};
    std::vector<std::uint32_t> stack{vs.front()};
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      for (auto k = dg.graph.offsets[v]; k < dg.graph.offsets[v + 1]; ++k) {
        const auto w = dg.graph.targets[k];
        if (dg.graph.edge_barrier[k] == 0 && cell_of_vertex[w] == cell && seen.insert(w).second)
          stack.push_back(w);
      }
    }
    EXPECT_EQ(seen.size(), vs.size()) << plan.cells[static_cast<std::size_t>(cell)].code;
  }
}

TEST(PlanOptionsTest, DerivedAreaWhenTheDatasetHasNone) {
  auto ds = ::gp::testing::square_city(600);
  ds.areas.clear();
  for (auto& u : ds.units) u.area_code.clear();
  const auto plan = make_plan(ds, fast());
  ASSERT_EQ(plan.areas.size(), 1u);
  EXPECT_TRUE(plan.areas[0].derived);
  EXPECT_EQ(plan.areas[0].code, "000000000001");
  check_plan(ds, plan, fast());
}

TEST(PlanOutput, LayersFollowTheContract) {
  const auto ds = ::gp::testing::barrier_city();
  const auto plan = make_plan(ds, fast());
  auto layers = plan_file::plan_layers(ds, plan, {{"input_units", "synthetic"}});
  // The units and adjacency layers are made row by row when written; stored, they are the
  // same rows.
  for (auto& l : layers) {
    if (l.name == "units" || l.name == "unit_adjacency") {
      EXPECT_TRUE(l.source.has_value()) << l.name;
    }
    geo::materialize(l);
    EXPECT_FALSE(l.source.has_value());
  }
  std::map<std::string, const geo::Layer*> by_name;
  for (const auto& l : layers) by_name[l.name] = &l;
  ASSERT_TRUE(by_name.count("cells") && by_name.count("units") && by_name.count("areas") &&
              by_name.count("plan_metadata") && by_name.count("barriers") &&
              by_name.count("unit_adjacency"));
  const auto& cells = *by_name["cells"];
  for (const char* f : {"cell_code", "area_code", "households", "population", "units", "area_m2",
                        "perimeter_m", "polsby_popper", "deviation_pct", "within_bounds"})
    EXPECT_GE(cells.table.find(f), 0) << f;
  EXPECT_EQ(cells.table.rows.size(), plan.cells.size());
  const auto& units = *by_name["units"];
  ASSERT_EQ(units.table.rows.size(), ds.units.size());
  for (const char* f : {"unit_id", "cell_code", "area_code", "households", "population",
                        "hh_source", "compound", "building_id", "compound_id", "type"})
    EXPECT_GE(units.table.find(f), 0) << f;
  ASSERT_EQ(units.polygons.size(), ds.units.size());
  const auto cc = static_cast<std::size_t>(units.table.find("cell_code"));
  const auto id = static_cast<std::size_t>(units.table.find("unit_id"));
  for (std::size_t i = 0; i < ds.units.size(); ++i) {
    EXPECT_EQ(std::get<std::string>(units.table.rows[i][cc]),
              plan.cells[static_cast<std::size_t>(plan.unit_cell[i])].code);
    EXPECT_EQ(std::get<std::int64_t>(units.table.rows[i][id]), static_cast<std::int64_t>(i + 1));
    EXPECT_TRUE(units.polygons[i] == ds.units[i].geometry) << i;
  }
  const auto& adjacency = *by_name["unit_adjacency"];
  ASSERT_EQ(adjacency.table.rows.size(), plan.adjacency.size());
  for (std::size_t k = 0; k < plan.adjacency.size(); ++k) {
    EXPECT_EQ(std::get<std::int64_t>(adjacency.table.rows[k][0]),
              static_cast<std::int64_t>(plan.adjacency[k].a) + 1);
    EXPECT_EQ(std::get<std::int64_t>(adjacency.table.rows[k][1]),
              static_cast<std::int64_t>(plan.adjacency[k].b) + 1);
  }
  const auto& areas = *by_name["areas"];
  for (const char* f :
       {"area_code", "name", "cells", "households", "population", "lower_bound", "upper_bound"})
    EXPECT_GE(areas.table.find(f), 0) << f;
  const auto& meta = *by_name["plan_metadata"];
  std::map<std::string, std::string> kv;
  for (const auto& row : meta.table.rows)
    kv[std::get<std::string>(row[0])] = std::get<std::string>(row[1]);
  EXPECT_EQ(kv["seed"], "1");
  EXPECT_EQ(kv["min"], "300");
  EXPECT_EQ(kv["max"], "500");
  EXPECT_EQ(kv["input_units"], "synthetic");
  EXPECT_EQ(kv["version"], plan_version);
  EXPECT_EQ(kv["violation_count"], std::to_string(plan.violations.size()));
  // No wall-clock time in the file (same inputs and seed give the same bytes): no time_*
  // rows and no "seconds" in the stored summary.
  for (const auto& [k, v] : kv) EXPECT_NE(k.rfind("time_", 0), 0u) << k;
  EXPECT_EQ(kv["summary"].find("seconds"), std::string::npos) << kv["summary"];
}

} // namespace
} // namespace gp::planner
