// The plan-file contract (plan_file.hpp): what the planner writes is what every reader
// reads back, and every reader judges the plan exactly as the planner did.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "support.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

namespace pf = plan_file;

PlanOptions fast() {
  PlanOptions o;
  o.restarts = 3;
  return o;
}

std::string write(const geo::Dataset& ds, const Plan& plan, const std::string& name,
                  geo::OutputFormat format = geo::OutputFormat::gpkg) {
  const auto path = (gp::testing::temp_dir() / name).string();
  geo::WriteOptions w;
  w.format = format;
  pf::write_plan(path, ds, plan, {}, w);
  return path;
}

/// The judgement as the summary reports it, field by field.
void expect_same_judgement(const pf::Judgement& a, const pf::Judgement& b) {
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (std::size_t c = 0; c < a.cells.size(); ++c) {
    SCOPED_TRACE("cell " + std::to_string(c));
    EXPECT_NEAR(a.cells[c].balance, b.cells[c].balance, 1e-6);
    EXPECT_EQ(a.cells[c].units, b.cells[c].units);
    EXPECT_EQ(a.cells[c].within_bounds, b.cells[c].within_bounds);
    EXPECT_EQ(a.cells[c].contiguous, b.cells[c].contiguous);
    EXPECT_EQ(a.cells[c].pieces, b.cells[c].pieces);
  }
  EXPECT_EQ(a.cut_edges, b.cut_edges);
  EXPECT_EQ(a.split_compounds, b.split_compounds);
  EXPECT_EQ(a.unassigned_units, b.unassigned_units);
  EXPECT_DOUBLE_EQ(a.share_within_bounds, b.share_within_bounds);
  EXPECT_DOUBLE_EQ(a.share_contiguous, b.share_contiguous);
}

TEST(PlanFile, RoundTripKeepsCellsUnitsAdjacencyAndTheJudgement) {
  const auto ds = gp::testing::big_compound_city(3);
  const auto plan = make_plan(ds, fast());
  const auto file = pf::read_plan(write(ds, plan, "roundtrip.gpkg"));

  ASSERT_EQ(file.cells.size(), plan.cells.size());
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    EXPECT_EQ(file.cells[c].code, plan.cells[c].code);
    EXPECT_NEAR(file.cells[c].households, plan.cells[c].households, 1e-9);
  }
  ASSERT_EQ(file.units.size(), ds.units.size());
  for (std::size_t u = 0; u < ds.units.size(); ++u) {
    EXPECT_EQ(file.units[u].cell, plan.unit_cell[u]) << u;
    EXPECT_EQ(file.units[u].compound, ds.units[u].compound_id) << u;
  }
  EXPECT_FALSE(file.adjacency_rebuilt);
  ASSERT_EQ(file.adjacency.size(), plan.adjacency.size());
  for (std::size_t k = 0; k < plan.adjacency.size(); ++k) {
    EXPECT_EQ(file.adjacency[k].a, plan.adjacency[k].a);
    EXPECT_EQ(file.adjacency[k].b, plan.adjacency[k].b);
    EXPECT_NEAR(file.adjacency[k].length, plan.adjacency[k].length, 1e-9);
  }
  EXPECT_EQ(file.rules.balance_field, "households");
  EXPECT_DOUBLE_EQ(file.rules.min_weight, 300);
  EXPECT_DOUBLE_EQ(file.rules.max_weight, 500);

  // The reader's judgement equals the planner's, and the planner's summary is it.
  const auto from_file = pf::judge_plan(file);
  const auto in_memory = pf::judge_plan(ds, plan);
  expect_same_judgement(from_file, in_memory);
  EXPECT_DOUBLE_EQ(plan.summary.share_within_bounds, from_file.share_within_bounds);
  EXPECT_DOUBLE_EQ(plan.summary.share_contiguous, from_file.share_contiguous);
  EXPECT_EQ(plan.summary.cut_edges, from_file.cut_edges);
  EXPECT_NEAR(plan.summary.mean_polsby_popper, from_file.mean_polsby_popper, 1e-9);
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    EXPECT_EQ(plan.cells[c].within_bounds, from_file.cells[c].within_bounds);
    EXPECT_EQ(plan.cells[c].contiguous, from_file.cells[c].contiguous);
  }
}

TEST(PlanFile, BoundsOfThePlanNotDefaultsAreUsedByReaders) {
  // Regression (viewer judged a --min 700 --max 900 plan against 300-500).
  const auto ds = gp::testing::square_city(900, 5);
  PlanOptions o = fast();
  o.min_weight = 700;
  o.max_weight = 900;
  const auto plan = make_plan(ds, o);
  const auto file = pf::read_plan(write(ds, plan, "bounds.gpkg"));
  EXPECT_DOUBLE_EQ(file.rules.min_weight, 700);
  EXPECT_DOUBLE_EQ(file.rules.max_weight, 900);
  ASSERT_FALSE(file.areas.empty());
  for (const auto& a : file.areas) {
    EXPECT_DOUBLE_EQ(a.lower_bound, 700);
    EXPECT_DOUBLE_EQ(a.upper_bound, 900);
  }
  const auto j = pf::judge_plan(file);
  for (std::size_t c = 0; c < file.cells.size(); ++c) {
    const bool within = j.cells[c].balance >= 700 - 1e-9 && j.cells[c].balance <= 900 + 1e-9;
    EXPECT_EQ(j.cells[c].within_bounds, within) << file.cells[c].code;
  }
}

TEST(PlanFile, FixedCellCountBoundsArePerAreaMeanTimesTolerance) {
  const auto ds = gp::testing::small_area_city(2);
  PlanOptions o = fast();
  o.cells_per_area = 2;
  o.tolerance = 0.05;
  const auto plan = make_plan(ds, o);
  const auto file = pf::read_plan(write(ds, plan, "cells.gpkg"));
  for (std::size_t a = 0; a < plan.areas.size(); ++a) {
    const double mean = plan.areas[a].balance / static_cast<double>(plan.areas[a].cells.size());
    EXPECT_NEAR(file.areas[a].lower_bound, mean * 0.95, 1e-6);
    EXPECT_NEAR(file.areas[a].upper_bound, mean * 1.05, 1e-6);
  }
  expect_same_judgement(pf::judge_plan(file), pf::judge_plan(ds, plan));
}

TEST(PlanFile, OldPlanWithoutAdjacencyOpensWithTheAdjacencyRebuilt) {
  const auto ds = gp::testing::city_with_hole(4);
  const auto plan = make_plan(ds, fast());
  auto layers = pf::plan_layers(ds, plan, {});
  std::erase_if(layers, [](const geo::Layer& l) { return l.name == pf::layer::adjacency; });
  const auto path = (gp::testing::temp_dir() / "old.gpkg").string();
  geo::WriteOptions w;
  w.geometry_crs = ds.work_crs;
  geo::write_layers(path, layers, w);

  const auto file = pf::read_plan(path);
  EXPECT_TRUE(file.adjacency_rebuilt);
  ASSERT_FALSE(file.notices.empty());
  EXPECT_NE(file.notices.front().find("rebuilt"), std::string::npos);
  // Rebuilt the planner's way: the same edges as the planner used.
  std::set<std::pair<std::uint32_t, std::uint32_t>> planned, rebuilt;
  for (const auto& e : plan.adjacency) planned.emplace(e.a, e.b);
  for (const auto& e : file.adjacency) rebuilt.emplace(e.a, e.b);
  EXPECT_EQ(planned, rebuilt);
  EXPECT_EQ(pf::judge_plan(file).share_contiguous, plan.summary.share_contiguous);
}

TEST(PlanFile, ShapefileRoundTripKeepsCompoundsAndCells) {
  // Regression: field names cut to 10 characters were not recognised when read back.
  const auto ds = gp::testing::big_compound_city(6);
  const auto plan = make_plan(ds, fast());
  const auto path = write(ds, plan, "plan_shp", geo::OutputFormat::shp);
  const auto file = pf::read_plan(path);
  ASSERT_EQ(file.cells.size(), plan.cells.size());
  ASSERT_EQ(file.units.size(), ds.units.size());
  for (std::size_t u = 0; u < ds.units.size(); ++u) {
    EXPECT_EQ(file.units[u].compound, ds.units[u].compound_id) << u;
    EXPECT_EQ(file.units[u].cell, plan.unit_cell[u]) << u;
  }
  expect_same_judgement(pf::judge_plan(file), pf::judge_plan(ds, plan));
}

TEST(PlanFile, UnknownCellCodeOnAUnitNamesFileLayerAndFeature) {
  const auto ds = gp::testing::square_city(600, 2);
  const auto plan = make_plan(ds, fast());
  auto layers = pf::plan_layers(ds, plan, {});
  for (auto& l : layers)
    if (l.name == pf::layer::units) {
      geo::materialize(l);
      const auto col = static_cast<std::size_t>(l.table.find(pf::field::cell_code));
      l.table.rows[2][col] = std::string("999999999999999");
    }
  const auto path = (gp::testing::temp_dir() / "badcode.gpkg").string();
  geo::WriteOptions w;
  w.geometry_crs = ds.work_crs;
  geo::write_layers(path, layers, w);
  try {
    (void)pf::read_plan(path);
    FAIL() << "accepted a unit whose cell is not in the plan";
  } catch (const InputError& e) {
    EXPECT_EQ(e.layer(), pf::layer::units);
    ASSERT_TRUE(e.feature().has_value());
    EXPECT_EQ(*e.feature(), 3);
    EXPECT_NE(std::string(e.what()).find("999999999999999"), std::string::npos);
  }
}

// --- judge() on graphs small enough to check by hand -------------------------------------------

TEST(Judge, PiecesBoundsCutsCompoundsAndUnassignedOnAPath) {
  // Path 0-1-2-3-4; cell 0 = {0, 1, 3} (two pieces), cell 1 = {2}, unit 4 unassigned.
  pf::JudgeInput in;
  in.unit_cell = {0, 0, 1, 0, -1};
  in.unit_balance = {100, 150, 400, 120, 50};
  in.unit_compound = {"A", "", "A", "B", "B"};
  in.cell_area = {0, 0};
  in.area_bounds = {{300, 500}};
  for (std::uint32_t v = 0; v + 1 < 5; ++v) in.adjacency.push_back(Edge{v, v + 1, 1, false});
  const auto j = pf::judge(in);
  ASSERT_EQ(j.cells.size(), 2u);
  EXPECT_DOUBLE_EQ(j.cells[0].balance, 370);
  EXPECT_EQ(j.cells[0].pieces, 2u);
  EXPECT_FALSE(j.cells[0].contiguous);
  EXPECT_TRUE(j.cells[0].within_bounds);
  EXPECT_EQ(j.cells[1].pieces, 1u);
  EXPECT_TRUE(j.cells[1].contiguous);
  EXPECT_TRUE(j.cells[1].within_bounds);
  EXPECT_EQ(j.cut_edges, 2u);       // 1-2 and 2-3; 3-4 touches an unassigned unit
  EXPECT_EQ(j.split_compounds, 1u); // A in cells 0 and 1; B's other unit is unassigned
  EXPECT_EQ(j.unassigned_units, 1u);
  EXPECT_DOUBLE_EQ(j.share_contiguous, 0.5);
}

TEST(Judge, HardBarriersDisconnectAndBoundsAreInclusive) {
  pf::JudgeInput in;
  in.unit_cell = {0, 0};
  in.unit_balance = {150, 150};
  in.cell_area = {0};
  in.area_bounds = {{300, 300}};
  in.adjacency = {Edge{0, 1, 5, true}};
  auto j = pf::judge(in);
  EXPECT_TRUE(j.cells[0].contiguous);
  EXPECT_TRUE(j.cells[0].within_bounds);
  in.hard_barriers = true;
  j = pf::judge(in);
  EXPECT_FALSE(j.cells[0].contiguous);
}

} // namespace
} // namespace gp::planner
