#pragma once
// A small synthetic plan in memory for the viewer's rendering tests, a real plan made by
// the planner for the editing tests (planned_plan_file), and the Qt application every
// viewer test needs (offscreen platform when no other is set).
//
// One community 110101001001 (300 m x 200 m at x0,y0 in EPSG:4548 metres) split in two
// cells: ...001 (west half) and ...002 (east half). Buildings: 12 columns x 8 rows of
// 10 m squares on a 25 m lattice, 10 households each, so each cell has 48 buildings and
// 480 households. plan_metadata bounds: 300..500 households.

#include <QApplication>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include <cstdlib>

#include "gp/geo/crs.hpp"
#include "gp/geo/demo_city.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "synthetic_city.hpp"

namespace gp::testing {

constexpr double kX0 = 500000, kY0 = 4400000;
inline const std::string kArea = "110101001001";
inline const std::string kWest = "110101001001001";
inline const std::string kEast = "110101001001002";

/// The units-layer index of the building in column `col` (0..11), row `row` (0..7).
inline std::uint32_t unit_at(int col, int row) {
  return static_cast<std::uint32_t>(row * 12 + col);
}

namespace fixture_detail {

inline geo::MultiPolygon box(double x0, double y0, double x1, double y1) {
  geo::Polygon p;
  p.outer = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  return {p};
}

} // namespace fixture_detail
using fixture_detail::box;

inline std::vector<geo::Layer> synthetic_plan_layers() {
  using geo::FieldType;
  geo::Layer areas;
  areas.name = "areas";
  areas.kind = geo::GeometryKind::polygon;
  areas.table.fields = {{"area_code", FieldType::text},
                        {"name", FieldType::text},
                        {"cells", FieldType::integer},
                        {"households", FieldType::integer}};
  areas.table.rows.push_back({kArea, std::string("测试社区"), std::int64_t{2}, std::int64_t{960}});
  areas.polygons.push_back(box(kX0, kY0, kX0 + 300, kY0 + 200));

  geo::Layer cells;
  cells.name = "cells";
  cells.kind = geo::GeometryKind::polygon;
  cells.table.fields = {{"cell_code", FieldType::text},     {"area_code", FieldType::text},
                        {"households", FieldType::integer}, {"units", FieldType::integer},
                        {"deviation_pct", FieldType::real}, {"within_bounds", FieldType::integer}};
  cells.table.rows.push_back(
      {kWest, kArea, std::int64_t{480}, std::int64_t{48}, 0.0, std::int64_t{1}});
  cells.table.rows.push_back(
      {kEast, kArea, std::int64_t{480}, std::int64_t{48}, 0.0, std::int64_t{1}});
  cells.polygons.push_back(box(kX0, kY0, kX0 + 150, kY0 + 200));
  cells.polygons.push_back(box(kX0 + 150, kY0, kX0 + 300, kY0 + 200));

  geo::Layer units;
  units.name = "units";
  units.kind = geo::GeometryKind::polygon;
  units.table.fields = {{"unit_id", FieldType::integer},    {"building_id", FieldType::text},
                        {"cell_code", FieldType::text},     {"area_code", FieldType::text},
                        {"households", FieldType::integer}, {"hh_source", FieldType::text}};
  for (int row = 0; row < 8; ++row)
    for (int col = 0; col < 12; ++col) {
      const double cx = kX0 + 12.5 + 25 * col, cy = kY0 + 12.5 + 25 * row;
      units.table.rows.push_back({std::int64_t{row * 12 + col},
                                  fmt::format("B{:03}", row * 12 + col), col < 6 ? kWest : kEast,
                                  kArea, std::int64_t{10}, std::string("given")});
      units.polygons.push_back(box(cx - 5, cy - 5, cx + 5, cy + 5));
    }

  geo::Layer barriers;
  barriers.name = "barriers";
  barriers.kind = geo::GeometryKind::line;
  barriers.table.fields = {
      {"kind", FieldType::text}, {"name", FieldType::text}, {"width_m", FieldType::real}};
  barriers.table.rows.push_back({std::string("road"), std::string("中街"), 8.0});
  barriers.lines.push_back({{{kX0 - 20, kY0 + 212}, {kX0 + 320, kY0 + 212}}});

  geo::Layer facilities;
  facilities.name = "facilities";
  facilities.kind = geo::GeometryKind::point;
  facilities.table.fields = {{"name", FieldType::text}, {"kind", FieldType::text}};
  facilities.table.rows.push_back({std::string("党群服务站"), std::string("station")});
  facilities.points.push_back({kX0 + 150, kY0 + 210});

  geo::Layer meta;
  meta.name = "plan_metadata";
  meta.kind = geo::GeometryKind::none;
  meta.table.fields = {{"key", FieldType::text}, {"value", FieldType::text}};
  meta.table.rows.push_back({std::string("min_households"), std::string("300")});
  meta.table.rows.push_back({std::string("max_households"), std::string("500")});
  return {areas, cells, units, barriers, facilities, meta};
}

inline std::string plan_crs_wkt() {
  return geo::crs_to_wkt("EPSG:4548");
}

inline void write_synthetic_plan(const std::string& path) {
  geo::WriteOptions options;
  options.geometry_crs = plan_crs_wkt();
  geo::write_layers(path, synthetic_plan_layers(), options);
}

inline geo::Layer grid_cells(int n, double side) {
  geo::Layer cells;
  cells.name = "cells";
  cells.kind = geo::GeometryKind::polygon;
  cells.table.fields = {{"cell_code", geo::FieldType::text},
                        {"households", geo::FieldType::integer}};
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      cells.table.rows.push_back({fmt::format("110101001{:03}{:03}", j, i + 1),
                                  std::int64_t{300 + (i * 7 + j * 3) % 200}});
      cells.polygons.push_back(
          box(kX0 + i * side, kY0 + j * side, kX0 + (i + 1) * side, kY0 + (j + 1) * side));
    }
  return cells;
}

/// A plan made by the planner (300..500 households) of one community with a compound
/// larger than a cell and ordinary compounds (gp::testing::big_compound_city), written
/// through the plan-file contract to `path`.
inline void write_planned_plan(const std::string& path, std::uint64_t seed = 1) {
  const auto dataset = gp::testing::big_compound_city(seed);
  planner::PlanOptions options;
  options.seed = seed;
  options.threads = 1;
  const auto plan = planner::make_plan(dataset, options);
  geo::WriteOptions write;
  write.geometry_crs = dataset.work_crs;
  planner::plan_file::write_plan(path, dataset, plan, {}, write);
}

/// The demo plan, as `gridplan generate --seed 1` then `gridplan plan --seed 1` make it:
/// the demo city written to `dir`/city.gpkg, read back, planned and written to
/// `dir`/plan.gpkg. Returns the plan's path.
inline std::string write_demo_plan(const std::filesystem::path& dir) {
  const auto city_path = (dir / "city.gpkg").string();
  const auto city = geo::generate_city(geo::CityParams{});
  geo::WriteOptions write;
  write.geometry_crs = geo::demo_city_crs;
  geo::write_layers(city_path, city.layers, write);
  const auto dataset = geo::read_dataset(geo::DatasetSources::city(city_path), geo::ReadOptions{});
  planner::PlanOptions options;
  options.seed = 1;
  const auto plan = planner::make_plan(dataset, options);
  const auto plan_path = (dir / "plan.gpkg").string();
  geo::WriteOptions out;
  out.geometry_crs = dataset.work_crs;
  planner::plan_file::write_plan(plan_path, dataset, plan, {}, out);
  return plan_path;
}

inline QApplication& qt_app() {
  static int argc = 1;
  static char name[] = "viewer_tests";
  static char* argv[] = {name, nullptr};
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  // Never destroyed: tearing a QApplication down during static destruction (after Qt's
  // own statics) crashes at exit.
  static QApplication* app = new QApplication(argc, argv);
  return *app;
}

} // namespace gp::testing
