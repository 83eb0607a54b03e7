#include "gp/sim/plan_loader.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/plan_file.hpp"

namespace gp::sim {
namespace plan_file = planner::plan_file;

SimPlan load_plan(const std::string& path, std::vector<std::string>* notices) {
  const auto file = plan_file::read_plan(path);
  auto tell = [&](std::string text) {
    if (notices) notices->push_back(std::move(text));
  };
  for (const auto& n : file.notices) tell(n);
  SimPlan plan;
  plan.cells.resize(file.cells.size());
  // Cell stations: the polygon's centroid; a cell without geometry (NULL in the file)
  // uses the mean of its units' anchors.
  std::vector<geo::Point> anchor_sum(file.cells.size());
  std::vector<std::size_t> anchor_count(file.cells.size(), 0);
  for (const auto& u : file.units) {
    if (u.cell < 0) continue;
    const auto c = static_cast<std::size_t>(u.cell);
    anchor_sum[c].x += u.anchor.x;
    anchor_sum[c].y += u.anchor.y;
    ++anchor_count[c];
  }
  std::size_t without_geometry = 0;
  for (std::size_t i = 0; i < file.cells.size(); ++i) {
    auto& c = plan.cells[i];
    c.code = file.cells[i].code;
    c.area_code = file.cells[i].area_code;
    c.households = file.cells[i].households;
    if (!file.cells[i].geometry.empty()) {
      c.centroid = geo::centroid(file.cells[i].geometry);
    } else if (anchor_count[i] > 0) {
      ++without_geometry;
      const auto n = static_cast<double>(anchor_count[i]);
      c.centroid = {anchor_sum[i].x / n, anchor_sum[i].y / n};
    } else {
      throw InputError(path, plan_file::layer::cells, static_cast<long long>(i + 1),
                       fmt::format("cell '{}' has no geometry and no units: cannot place its "
                                   "workers",
                                   c.code));
    }
  }
  if (without_geometry > 0)
    tell(fmt::format("{}: {} cell(s) have no geometry; their workers start at the mean of their "
                     "buildings",
                     path, without_geometry));

  // Neighbouring cells: cells whose units share an edge of the plan's unit adjacency
  // (the planner's own notion of touching; bridges joining islands do not count).
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t k = 0; k < file.adjacency.size(); ++k) {
    if (k < file.bridge.size() && file.bridge[k]) continue;
    const auto ca = file.units[file.adjacency[k].a].cell;
    const auto cb = file.units[file.adjacency[k].b].cell;
    if (ca < 0 || cb < 0 || ca == cb) continue;
    pairs.emplace(static_cast<std::uint32_t>(std::min(ca, cb)),
                  static_cast<std::uint32_t>(std::max(ca, cb)));
  }
  for (const auto& [a, b] : pairs) {
    plan.cells[a].neighbours.push_back(b);
    plan.cells[b].neighbours.push_back(a);
  }
  for (auto& c : plan.cells) std::sort(c.neighbours.begin(), c.neighbours.end());

  // Buildings with households: the demand points. Units in no cell are not simulated.
  std::size_t unassigned = 0;
  double unassigned_households = 0;
  for (std::size_t i = 0; i < file.units.size(); ++i) {
    const auto& u = file.units[i];
    if (!(u.households > 0)) continue; // non-residential units get no requests
    if (u.cell < 0) {
      ++unassigned;
      unassigned_households += u.households;
      continue;
    }
    SimBuilding b;
    b.households = u.households;
    b.cell = static_cast<std::uint32_t>(u.cell);
    b.position = u.anchor;
    b.unit = static_cast<std::int64_t>(i);
    plan.buildings.push_back(b);
  }
  if (unassigned > 0)
    tell(fmt::format("{}: {} unit(s) with {:.0f} households are in no cell (unassigned in the "
                     "plan) and are not simulated",
                     path, unassigned, unassigned_households));
  for (const auto& f : file.facilities) {
    SimFacility sf;
    sf.name = f.name;
    sf.floor_area_m2 = f.floor_area_m2;
    sf.location = f.location;
    plan.facilities.push_back(std::move(sf));
  }
  plan.roads = file.roads;
  plan.validate();
  return plan;
}

void write_result(const std::string& out_path, const SimulationResult& result,
                  const ResultWriteOptions& options) {
  // The plan's cell polygons, in its work CRS (the contract's read_plan, cells only).
  const auto file = plan_file::read_plan(options.plan_path, /*with_units=*/false);
  std::map<std::string, const CellResult*> by_code;
  for (const auto& c : result.cells) by_code[c.cell_code] = &c;

  std::vector<geo::Layer> out;
  {
    geo::Layer layer;
    layer.name = plan_file::layer::cells;
    layer.kind = geo::GeometryKind::polygon;
    layer.style = {geo::StyleHint::Kind::classes,
                   "on_time_share",
                   "",
                   "",
                   "",
                   "gridplan: on-time share",
                   "cells by the share of requests closed on time (5 quantile classes, viridis)"};
    auto& f = layer.table.fields;
    f.push_back({plan_file::field::cell_code, geo::FieldType::text});
    f.push_back({plan_file::field::area_code, geo::FieldType::text});
    f.push_back({plan_file::field::households, geo::FieldType::real});
    f.push_back({"workers", geo::FieldType::integer});
    f.push_back({"staff_cost_yuan", geo::FieldType::real});
    f.push_back({"within_walk_share", geo::FieldType::real});
    for (const auto& name : cell_metric_names()) {
      f.push_back({name, geo::FieldType::real});
      f.push_back({name + "_lo", geo::FieldType::real});
      f.push_back({name + "_hi", geo::FieldType::real});
    }
    auto num = [](double x) -> geo::Value {
      if (std::isnan(x)) return std::monostate{};
      return x;
    };
    for (const auto& cell : file.cells) {
      const auto it = by_code.find(cell.code);
      if (it == by_code.end()) continue;
      const CellResult& c = *it->second;
      std::vector<geo::Value> row{c.cell_code,       c.area_code,
                                  c.households,      static_cast<std::int64_t>(c.workers),
                                  c.staff_cost_yuan, c.households_within_walk};
      for (const auto& m : c.metrics) {
        row.push_back(num(m.value.mean));
        row.push_back(num(m.value.low()));
        row.push_back(num(m.value.high()));
      }
      layer.table.rows.push_back(std::move(row));
      layer.polygons.push_back(cell.geometry);
    }
    out.push_back(std::move(layer));
  }
  const bool from_units = std::any_of(result.building_unit.begin(), result.building_unit.end(),
                                      [](std::int64_t u) { return u >= 0; });
  if (from_units) {
    // The plan's units with every attribute, plus each one's yearly workload.
    geo::Layer layer = geo::read_layer(options.plan_path, plan_file::layer::units, file.work_crs);
    layer.style = {geo::StyleHint::Kind::classes,
                   workload_field,
                   "",
                   "",
                   "",
                   "gridplan: workload",
                   "buildings by expected yearly workload (worker hours)"};
    auto& t = layer.table;
    int column = t.find(workload_field); // a plan made from an earlier simulation's units
    if (column < 0) {
      t.fields.push_back({workload_field, geo::FieldType::real});
      for (auto& row : t.rows) row.emplace_back();
      column = static_cast<int>(t.fields.size()) - 1;
    } else {
      t.fields[static_cast<std::size_t>(column)].type = geo::FieldType::real;
    }
    std::vector<double> hours(t.rows.size(), 0.0);
    for (std::size_t b = 0; b < result.building_unit.size(); ++b) {
      const auto u = result.building_unit[b];
      if (u >= 0 && static_cast<std::size_t>(u) < hours.size() &&
          b < result.building_workload_h.size())
        hours[static_cast<std::size_t>(u)] += result.building_workload_h[b];
    }
    for (std::size_t i = 0; i < t.rows.size(); ++i)
      t.rows[i][static_cast<std::size_t>(column)] = hours[i];
    out.push_back(std::move(layer));
  }
  auto table_layer = [](const char* name, std::vector<geo::Field> fields) {
    geo::Layer l;
    l.name = name;
    l.kind = geo::GeometryKind::none;
    l.table.fields = std::move(fields);
    return l;
  };
  auto num = [](double x) -> geo::Value {
    if (std::isnan(x)) return std::monostate{};
    return x;
  };
  {
    geo::Layer l = table_layer("summary", {{"metric", geo::FieldType::text},
                                           {"unit", geo::FieldType::text},
                                           {"mean", geo::FieldType::real},
                                           {"ci_low", geo::FieldType::real},
                                           {"ci_high", geo::FieldType::real},
                                           {"replications", geo::FieldType::integer}});
    for (const auto& m : result.overall)
      l.table.rows.push_back({m.name, m.unit, num(m.value.mean), num(m.value.low()),
                              num(m.value.high()), static_cast<std::int64_t>(m.value.n)});
    auto fixed = [&](const char* name, const char* unit, double v) {
      l.table.rows.push_back({std::string(name), std::string(unit), v, v, v, std::int64_t{0}});
    };
    fixed("annual_staff_cost_yuan", "yuan/year", result.annual_staff_cost_yuan);
    fixed("cost_per_household_yuan", "yuan/year", result.cost_per_household_yuan);
    fixed("workers", "workers", result.workers);
    fixed("households", "households", result.households);
    fixed("walk_coverage_share", "share", result.walk_coverage_share);
    fixed("station_floor_area_m2", "m2", result.station_floor_area_m2);
    fixed("station_floor_area_norm_m2", "m2", result.station_floor_area_norm_m2);
    out.push_back(std::move(l));
  }
  {
    geo::Layer l = table_layer("backlog", {{"day", geo::FieldType::integer},
                                           {"open_requests", geo::FieldType::real},
                                           {"ci_low", geo::FieldType::real},
                                           {"ci_high", geo::FieldType::real}});
    for (std::size_t d = 0; d < result.backlog_by_day.size(); ++d) {
      const auto& e = result.backlog_by_day[d];
      l.table.rows.push_back(
          {static_cast<std::int64_t>(d + 1), num(e.mean), num(e.low()), num(e.high())});
    }
    out.push_back(std::move(l));
  }
  {
    geo::Layer l = table_layer("utilisation_by_type", {{"worker_type", geo::FieldType::text},
                                                       {"utilisation", geo::FieldType::real},
                                                       {"ci_low", geo::FieldType::real},
                                                       {"ci_high", geo::FieldType::real}});
    for (const auto& m : result.utilisation_by_type)
      l.table.rows.push_back({m.name, num(m.value.mean), num(m.value.low()), num(m.value.high())});
    out.push_back(std::move(l));
  }
  {
    geo::Layer l = table_layer("run_metadata",
                               {{"key", geo::FieldType::text}, {"value", geo::FieldType::text}});
    auto add = [&](const char* k, std::string v) {
      l.table.rows.push_back({std::string(k), std::move(v)});
    };
    add("scenario", result.scenario_name);
    add("plan", options.plan_path);
    add("days", fmt::format("{}", result.options.days));
    add("warmup_days", fmt::format("{}", result.options.warmup_days));
    add("replications", std::to_string(result.options.replications));
    add("seed", std::to_string(result.options.seed));
    add("events", std::to_string(result.events));
    out.push_back(std::move(l));
  }
  geo::WriteOptions wo;
  wo.format = geo::OutputFormat::gpkg;
  wo.geometry_crs = file.work_crs;
  wo.overwrite = options.overwrite;
  wo.inputs = {options.plan_path};
  geo::write_layers(out_path, out, wo);
}

} // namespace gp::sim
