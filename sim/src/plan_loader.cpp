#include "gp/sim/plan_loader.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

namespace gp::sim {
namespace {

std::string text_of(const geo::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

std::optional<double> number_of(const geo::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    try {
      std::size_t used = 0;
      const double x = std::stod(*s, &used);
      if (used == s->size()) return x;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

int require_field(const geo::Layer& layer, const std::string& path, const std::string& name) {
  const int i = layer.table.find(name);
  if (i < 0)
    throw InputError(path, layer.name, std::nullopt, fmt::format("has no field '{}'", name));
  return i;
}

bool has_layer(const std::vector<geo::LayerSummary>& layers, const std::string& name) {
  return std::any_of(layers.begin(), layers.end(), [&](const auto& l) { return l.name == name; });
}

/// Vertex key rounded to 1 cm, for finding cells that share boundary points.
std::uint64_t vertex_key(const geo::Point& p) {
  const auto x = static_cast<std::int64_t>(std::llround(p.x * 100));
  const auto y = static_cast<std::int64_t>(std::llround(p.y * 100));
  return static_cast<std::uint64_t>(x) * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint64_t>(y);
}

/// Cells sharing at least two boundary vertices (a common edge in a noded coverage such
/// as the planner writes). Corner-only contacts (one vertex) are not neighbours.
void find_neighbours(const std::vector<geo::MultiPolygon>& polygons, std::vector<SimCell>& cells) {
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> owners;
  for (std::uint32_t c = 0; c < polygons.size(); ++c) {
    for (const auto& poly : polygons[c]) {
      auto add_ring = [&](const geo::Ring& ring) {
        for (const auto& p : ring) {
          auto& v = owners[vertex_key(p)];
          if (v.empty() || v.back() != c) v.push_back(c);
        }
      };
      add_ring(poly.outer);
      for (const auto& h : poly.holes) add_ring(h);
    }
  }
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> shared;
  for (const auto& [key, list] : owners) {
    (void)key;
    for (std::size_t i = 0; i < list.size(); ++i)
      for (std::size_t j = i + 1; j < list.size(); ++j)
        ++shared[{std::min(list[i], list[j]), std::max(list[i], list[j])}];
  }
  for (const auto& [pair, count] : shared) {
    if (count < 2) continue;
    cells[pair.first].neighbours.push_back(pair.second);
    cells[pair.second].neighbours.push_back(pair.first);
  }
  for (auto& c : cells) std::sort(c.neighbours.begin(), c.neighbours.end());
}

std::string plan_work_crs(const std::string& path, const std::vector<geo::LayerSummary>& layers) {
  if (!has_layer(layers, "plan_metadata")) return {};
  const geo::Layer meta = geo::read_layer(path, "plan_metadata");
  const int k = meta.table.find("key"), v = meta.table.find("value");
  if (k < 0 || v < 0) return {};
  for (const auto& row : meta.table.rows)
    if (text_of(row[static_cast<std::size_t>(k)]) == "work_crs")
      return text_of(row[static_cast<std::size_t>(v)]);
  return {};
}

} // namespace

SimPlan load_plan(const std::string& path) {
  const auto layers = geo::list_layers(path, {});
  if (!has_layer(layers, "cells"))
    throw InputError(path, "no layer 'cells': not a plan written by `gridplan plan`");
  const std::string crs = plan_work_crs(path, layers);
  const geo::Layer cells = geo::read_layer(path, "cells", crs);
  if (cells.kind != geo::GeometryKind::polygon)
    throw InputError(path, "cells", std::nullopt, "must be a polygon layer");
  const int f_code = require_field(cells, path, "cell_code");
  const int f_area = require_field(cells, path, "area_code");
  const int f_hh = require_field(cells, path, "households");
  SimPlan plan;
  std::map<std::string, std::uint32_t> index;
  for (std::size_t i = 0; i < cells.table.rows.size(); ++i) {
    const auto& row = cells.table.rows[i];
    SimCell c;
    c.code = text_of(row[static_cast<std::size_t>(f_code)]);
    c.area_code = text_of(row[static_cast<std::size_t>(f_area)]);
    const auto hh = number_of(row[static_cast<std::size_t>(f_hh)]);
    if (c.code.empty())
      throw InputError(path, "cells", static_cast<long long>(i + 1), "empty cell_code");
    if (!hh || *hh < 0)
      throw InputError(path, "cells", static_cast<long long>(i + 1),
                       "households must be a number >= 0");
    c.households = *hh;
    c.centroid = geo::centroid(cells.polygons[i]);
    if (!index.emplace(c.code, static_cast<std::uint32_t>(i)).second)
      throw InputError(path, "cells", static_cast<long long>(i + 1),
                       fmt::format("duplicate cell_code '{}'", c.code));
    plan.cells.push_back(std::move(c));
  }
  find_neighbours(cells.polygons, plan.cells);

  if (has_layer(layers, "units")) {
    const geo::Layer units = geo::read_layer(path, "units", crs);
    const int u_cell = require_field(units, path, "cell_code");
    const int u_hh = require_field(units, path, "households");
    for (std::size_t i = 0; i < units.table.rows.size(); ++i) {
      const auto& row = units.table.rows[i];
      const std::string code = text_of(row[static_cast<std::size_t>(u_cell)]);
      const auto hh = number_of(row[static_cast<std::size_t>(u_hh)]);
      if (!hh || *hh <= 0) continue; // non-residential units get no requests
      const auto it = index.find(code);
      if (it == index.end())
        throw InputError(path, "units", static_cast<long long>(i + 1),
                         fmt::format("cell_code '{}' is not in layer 'cells'", code));
      SimBuilding b;
      b.households = *hh;
      b.cell = it->second;
      if (units.kind == geo::GeometryKind::polygon)
        b.position = geo::centroid(units.polygons[i]);
      else if (units.kind == geo::GeometryKind::point)
        b.position = units.points[i];
      else
        b.position = plan.cells[b.cell].centroid;
      plan.buildings.push_back(b);
    }
  }
  if (has_layer(layers, "facilities")) {
    const geo::Layer fac = geo::read_layer(path, "facilities", crs);
    const int f_name = fac.table.find("name");
    const int f_area_m2 = fac.table.find("floor_area_m2");
    for (std::size_t i = 0; i < fac.table.rows.size(); ++i) {
      SimFacility f;
      if (f_name >= 0) f.name = text_of(fac.table.rows[i][static_cast<std::size_t>(f_name)]);
      if (f_area_m2 >= 0)
        f.floor_area_m2 =
            number_of(fac.table.rows[i][static_cast<std::size_t>(f_area_m2)]).value_or(0);
      if (fac.kind == geo::GeometryKind::point)
        f.location = fac.points[i];
      else if (fac.kind == geo::GeometryKind::polygon)
        f.location = geo::centroid(fac.polygons[i]);
      else
        continue;
      plan.facilities.push_back(f);
    }
  }
  if (has_layer(layers, "barriers")) {
    // Road centre lines for the road travel model; other barrier kinds (rivers,
    // railways) are not travelled on.
    const geo::Layer bar = geo::read_layer(path, "barriers", crs);
    const int f_kind = bar.table.find("kind");
    if (bar.kind == geo::GeometryKind::line && f_kind >= 0) {
      for (std::size_t i = 0; i < bar.table.rows.size() && i < bar.lines.size(); ++i) {
        if (text_of(bar.table.rows[i][static_cast<std::size_t>(f_kind)]) != "road") continue;
        for (const auto& line : bar.lines[i])
          if (line.size() >= 2) plan.roads.push_back(line);
      }
    }
  }
  plan.validate();
  return plan;
}

void write_result(const std::string& out_path, const SimulationResult& result,
                  const ResultWriteOptions& options) {
  const auto layers = geo::list_layers(options.plan_path, {});
  const std::string crs = plan_work_crs(options.plan_path, layers);
  const geo::Layer cells = geo::read_layer(options.plan_path, "cells", crs);
  const int f_code = require_field(cells, options.plan_path, "cell_code");
  std::map<std::string, const CellResult*> by_code;
  for (const auto& c : result.cells) by_code[c.cell_code] = &c;

  std::vector<geo::Layer> out;
  {
    geo::Layer layer;
    layer.name = "cells";
    layer.kind = geo::GeometryKind::polygon;
    auto& f = layer.table.fields;
    f.push_back({"cell_code", geo::FieldType::text});
    f.push_back({"area_code", geo::FieldType::text});
    f.push_back({"households", geo::FieldType::real});
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
    for (std::size_t i = 0; i < cells.table.rows.size(); ++i) {
      const std::string code = text_of(cells.table.rows[i][static_cast<std::size_t>(f_code)]);
      const auto it = by_code.find(code);
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
      layer.polygons.push_back(cells.polygons[i]);
    }
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
  wo.geometry_crs = crs;
  if (wo.geometry_crs.empty()) {
    for (const auto& l : layers)
      if (l.name == "cells") wo.geometry_crs = l.crs;
  }
  wo.overwrite = options.overwrite;
  wo.inputs = {options.plan_path};
  geo::write_layers(out_path, out, wo);
}

} // namespace gp::sim
