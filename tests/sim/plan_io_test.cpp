// The plan loader reads cells, units and facilities through geo and finds neighbours;
// results go back out as a per-cell polygon layer with summary tables.

#include <gtest/gtest.h>

#include <filesystem>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/sim/plan_loader.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

geo::MultiPolygon square(double x, double y, double s) {
  geo::Polygon p;
  p.outer = {{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}};
  return {p};
}

/// A 3 x 2 grid of 400 m cells (two communities: columns 0-1 and column 2), one
/// building per cell, one station, and a seventh building outside every cell
/// (unassigned). The unit adjacency is the rook adjacency of the grid; with
/// `with_adjacency` false the plan looks like one from before the adjacency table.
std::string write_plan(const std::filesystem::path& dir, bool with_adjacency = true) {
  std::vector<geo::Layer> layers;
  geo::Layer cells;
  cells.name = "cells";
  cells.kind = geo::GeometryKind::polygon;
  cells.table.fields = {{"cell_code", geo::FieldType::text},
                        {"area_code", geo::FieldType::text},
                        {"households", geo::FieldType::integer}};
  geo::Layer units;
  units.name = "units";
  units.kind = geo::GeometryKind::polygon;
  units.table.fields = {{"unit_id", geo::FieldType::integer},
                        {"cell_code", geo::FieldType::text},
                        {"households", geo::FieldType::integer}};
  geo::Layer adjacency;
  adjacency.name = "unit_adjacency";
  adjacency.table.fields = {{"unit_a", geo::FieldType::integer},
                            {"unit_b", geo::FieldType::integer},
                            {"length_m", geo::FieldType::real}};
  for (int row = 0; row < 2; ++row) {
    for (int col = 0; col < 3; ++col) {
      const std::string area = col < 2 ? "110101001001" : "110101001002";
      const std::string code = area + std::to_string(100 + row * 3 + col);
      const std::int64_t id = row * 3 + col + 1;
      cells.table.rows.push_back({code, area, std::int64_t{400}});
      cells.polygons.push_back(square(col * 400.0, row * 400.0, 400));
      units.table.rows.push_back({id, code, std::int64_t{400}});
      units.polygons.push_back(square(col * 400.0 + 150, row * 400.0 + 150, 100));
      if (col < 2) adjacency.table.rows.push_back({id, id + 1, 400.0});
      if (row == 0) adjacency.table.rows.push_back({id, id + 3, 400.0});
    }
  }
  units.table.rows.push_back({std::int64_t{7}, geo::Value{}, std::int64_t{55}});
  units.polygons.push_back(square(5000, 5000, 20));
  geo::Layer fac;
  fac.name = "facilities";
  fac.kind = geo::GeometryKind::point;
  fac.table.fields = {{"name", geo::FieldType::text}, {"floor_area_m2", geo::FieldType::real}};
  fac.table.rows.push_back({std::string("station"), 300.0});
  fac.points.push_back({200, 200});
  layers = {cells, units, fac};
  if (with_adjacency) layers.push_back(adjacency);
  geo::WriteOptions o;
  o.geometry_crs = "EPSG:4548";
  const std::string path = (dir / (with_adjacency ? "plan.gpkg" : "old-plan.gpkg")).string();
  geo::write_layers(path, layers, o);
  return path;
}

TEST(PlanLoader, ReadsCellsUnitsFacilitiesAndNeighbours) {
  const auto dir = ::gp::testing::temp_dir();
  const std::string path = write_plan(dir);
  std::vector<std::string> notices;
  const SimPlan plan = load_plan(path, &notices);
  ASSERT_EQ(plan.cells.size(), 6u);
  ASSERT_EQ(plan.buildings.size(), 6u); // the unassigned building is left out, and said so
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("1 unit(s) with 55 households are in no cell"), std::string::npos)
      << notices[0];
  ASSERT_EQ(plan.facilities.size(), 1u);
  EXPECT_DOUBLE_EQ(plan.total_households(), 2400);
  // Cell 0 (col 0, row 0) touches cell 1 (right) and cell 3 (above), not cell 4 (corner).
  EXPECT_EQ(plan.cells[0].neighbours, (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(plan.cells[4].neighbours, (std::vector<std::uint32_t>{1, 3, 5}));
  EXPECT_NEAR(plan.cells[4].centroid.x, 600, 1e-6);
  EXPECT_NEAR(plan.buildings[4].position.y, 600, 1e-6);
  EXPECT_EQ(plan.buildings[4].cell, 4u);
}

TEST(PlanLoader, PlanWithoutAdjacencyStillOpensWithANotice) {
  const auto dir = ::gp::testing::temp_dir();
  std::vector<std::string> notices;
  const SimPlan plan = load_plan(write_plan(dir, false), &notices);
  ASSERT_EQ(plan.cells.size(), 6u);
  EXPECT_EQ(plan.buildings.size(), 6u);
  bool rebuilt = false;
  for (const auto& n : notices) rebuilt = rebuilt || n.find("rebuilt") != std::string::npos;
  EXPECT_TRUE(rebuilt);
}

TEST(PlanLoader, MissingLayerOrFieldIsAnInputError) {
  const auto dir = ::gp::testing::temp_dir();
  geo::Layer l;
  l.name = "cells";
  l.kind = geo::GeometryKind::polygon;
  l.table.fields = {{"cell_code", geo::FieldType::text}};
  l.table.rows.push_back({std::string("x")});
  l.polygons.push_back(square(0, 0, 10));
  geo::Layer u;
  u.name = "units";
  u.kind = geo::GeometryKind::polygon;
  u.table.fields = {{"cell_code", geo::FieldType::text}, {"households", geo::FieldType::real}};
  u.table.rows.push_back({std::string("x"), 10.0});
  u.polygons.push_back(square(2, 2, 2));
  geo::WriteOptions o;
  o.geometry_crs = "EPSG:4548";
  const std::string path = (dir / "bad.gpkg").string();
  geo::write_layers(path, {l, u}, o);
  try {
    load_plan(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("has no field 'area_code'"), std::string::npos)
        << e.what();
    EXPECT_EQ(e.layer(), "cells");
  }
}

TEST(PlanLoader, ResultLayerRoundTripsAndNeverOverwritesSilently) {
  const auto dir = ::gp::testing::temp_dir();
  const std::string path = write_plan(dir);
  const SimPlan plan = load_plan(path);
  RunOptions o;
  o.days = 30;
  o.replications = 3;
  const SimulationResult r = simulate(plan, Scenario::defaults(), o);
  // Coverage: the station at (200, 200) is within 1,000 m of the buildings at x = 200,
  // 600 and of (200, 600), (600, 600); (1000, 200) is 800 m away, (1000, 600) 894 m.
  EXPECT_DOUBLE_EQ(r.walk_coverage_share, 1.0);
  EXPECT_DOUBLE_EQ(r.station_floor_area_m2, 300);
  EXPECT_DOUBLE_EQ(r.station_floor_area_norm_m2, 480); // 2400 households / 100 x 20
  const std::string out = (dir / "result.gpkg").string();
  ResultWriteOptions wo;
  wo.plan_path = path;
  write_result(out, r, wo);
  const geo::Layer cells = geo::read_layer(out, "cells");
  ASSERT_EQ(cells.table.rows.size(), 6u);
  const int f = cells.table.find("on_time_share");
  ASSERT_GE(f, 0);
  ASSERT_GE(cells.table.find("p90_response_h_hi"), 0);
  const auto& v = cells.table.rows[0][static_cast<std::size_t>(f)];
  ASSERT_TRUE(std::holds_alternative<double>(v));
  EXPECT_DOUBLE_EQ(std::get<double>(v), r.cells[0].metric("on_time_share").value.mean);
  EXPECT_EQ(geo::read_layer(out, "summary").table.rows.size(), r.overall.size() + 7);
  EXPECT_EQ(geo::read_layer(out, "backlog").table.rows.size(), 30u); // one per measured day
  EXPECT_THROW(write_result(out, r, wo), OutputError);
  wo.overwrite = true;
  EXPECT_NO_THROW(write_result(out, r, wo));
  EXPECT_THROW(write_result(path, r, wo), OutputError); // never the plan itself
}

} // namespace
} // namespace gp::sim
