// The plan file: schema, writing, reading and judging (contract in plan_file.hpp).

#include "gp/planner/plan_file.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/floors.hpp"
#include "plan_internal.hpp"

namespace gp::planner::plan_file {
namespace {

using geo::Field;
using geo::FieldType;
using geo::Value;

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// Adds a field (or takes over an existing one of the same name, case-insensitively, so
/// GeoPackage never sees two columns that differ only by case). Returns its index.
std::size_t ensure_field(geo::Table& t, const std::string& name, FieldType type) {
  for (std::size_t i = 0; i < t.fields.size(); ++i) {
    if (same_name(t.fields[i].name, name)) {
      t.fields[i] = Field{name, type};
      for (auto& row : t.rows) row[i] = Value{};
      return i;
    }
  }
  t.fields.push_back(Field{name, type});
  for (auto& row : t.rows) row.emplace_back();
  return t.fields.size() - 1;
}

/// Column of a schema field as written: the exact name, else case-insensitively, else
/// the name cut to a Shapefile's 10 characters as write_layers cuts it. -1 when absent.
int find_field(const geo::Table& t, const std::string& name) {
  if (const int i = t.find(name); i >= 0) return i;
  const std::string cut = geo::shapefile_field_names({name}, "UTF-8").front();
  for (std::size_t i = 0; i < t.fields.size(); ++i)
    if (same_name(t.fields[i].name, name) || same_name(t.fields[i].name, cut))
      return static_cast<int>(i);
  return -1;
}

int require_field(const geo::Layer& layer, const std::string& path, const std::string& name) {
  const int i = find_field(layer.table, name);
  if (i < 0)
    throw InputError(path, layer.name, std::nullopt, fmt::format("has no field '{}'", name));
  return i;
}

const Value& cell_of(const geo::Table& t, std::size_t row, int column) {
  return t.rows[row][static_cast<std::size_t>(column)];
}

std::string number_text(double v) {
  if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{}", v);
}

const char* objective_name(Objective o) {
  return o == Objective::cut_edges ? "cut-edges" : "compact";
}

const char* source_name(geo::ValueSource s) {
  switch (s) {
  case geo::ValueSource::given:
    return "given";
  case geo::ValueSource::estimated:
    return "estimated";
  case geo::ValueSource::none:
    return "none";
  }
  return "none";
}

const char* barrier_kind_name(geo::BarrierKind k) {
  switch (k) {
  case geo::BarrierKind::road:
    return "road";
  case geo::BarrierKind::river:
    return "river";
  case geo::BarrierKind::rail:
    return "rail";
  case geo::BarrierKind::other:
    return "other";
  }
  return "other";
}

} // namespace

// --- Writing ---------------------------------------------------------------------------------

std::vector<geo::Layer> plan_layers(const geo::Dataset& dataset, const Plan& plan,
                                    const MetadataRows& extra_metadata) {
  std::vector<geo::Layer> layers;
  const auto& options = plan.options;
  const std::string& balance = options.balance_field;
  const bool extra_balance = balance != field::households && balance != field::population;

  // --- cells -----------------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = layer::cells;
    layer.kind = geo::GeometryKind::polygon;
    layer.style = {geo::StyleHint::Kind::classes,
                   field::households,
                   field::within_bounds,
                   "outside the household bounds",
                   "",
                   "gridplan: households",
                   "cells by households (the classes of gridplan render), cells outside the "
                   "bounds outlined"};
    auto& t = layer.table;
    t.fields = {{field::cell_code, FieldType::text},     {field::area_code, FieldType::text},
                {field::households, FieldType::real},    {field::population, FieldType::real},
                {field::units, FieldType::integer},      {field::area_m2, FieldType::real},
                {field::perimeter_m, FieldType::real},   {field::polsby_popper, FieldType::real},
                {field::deviation_pct, FieldType::real}, {field::within_bounds, FieldType::integer},
                {field::contiguous, FieldType::integer}, {field::parts, FieldType::integer}};
    if (extra_balance) t.fields.push_back({balance, FieldType::real});
    std::vector<std::size_t> secondary_columns;
    for (std::size_t k = 0; k < options.secondary.size(); ++k) {
      const auto& name = options.secondary[k].name;
      if (name == field::households || name == field::population || name == balance) {
        secondary_columns.push_back(~std::size_t{0});
        continue;
      }
      secondary_columns.push_back(t.fields.size());
      t.fields.push_back({name, FieldType::real});
    }
    for (const auto& c : plan.cells) {
      std::vector<Value> row{c.code,
                             c.area_code,
                             c.households,
                             c.population,
                             static_cast<std::int64_t>(c.units.size()),
                             c.area_m2,
                             c.perimeter_m,
                             c.polsby_popper,
                             c.deviation_pct,
                             std::int64_t{c.within_bounds ? 1 : 0},
                             std::int64_t{c.contiguous ? 1 : 0},
                             static_cast<std::int64_t>(c.parts)};
      if (extra_balance) row.emplace_back(c.balance);
      row.resize(t.fields.size());
      for (std::size_t k = 0; k < secondary_columns.size(); ++k)
        if (secondary_columns[k] != ~std::size_t{0}) row[secondary_columns[k]] = c.secondary[k];
      t.rows.push_back(std::move(row));
      layer.polygons.push_back(c.geometry);
    }
    layers.push_back(std::move(layer));
  }

  // --- units -----------------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = layer::units;
    bool any_footprint = false;
    for (const auto& u : dataset.units) any_footprint = any_footprint || !u.geometry.empty();
    layer.kind = any_footprint ? geo::GeometryKind::polygon : geo::GeometryKind::point;
    layer.style = {
        geo::StyleHint::Kind::categories,  field::cell_code, "", "", "", "gridplan: units by cell",
        "buildings coloured by their cell"};
    // The rows are made while the layer is written (geo::RowSource): at a million units a
    // second copy of every attribute would cost more memory than the plan itself.
    auto& t = layer.table;
    t.fields = dataset.unit_attributes.fields;
    const auto c_id = ensure_field(t, field::unit_id, FieldType::integer);
    const auto c_cell = ensure_field(t, field::cell_code, FieldType::text);
    const auto c_area = ensure_field(t, field::area_code, FieldType::text);
    const auto c_hh = ensure_field(t, field::households, FieldType::real);
    const auto c_pop = ensure_field(t, field::population, FieldType::real);
    const auto c_src = ensure_field(t, field::hh_source, FieldType::text);
    const auto c_compound = ensure_field(t, field::compound, FieldType::text);
    geo::RowSource source;
    source.rows = dataset.units.size();
    source.fill = [&dataset, &plan, columns = t.fields.size(), c_id, c_cell, c_area, c_hh, c_pop,
                   c_src, c_compound](std::size_t i, std::vector<Value>& row) {
      const auto& attributes = dataset.unit_attributes.rows;
      if (i < attributes.size()) {
        row.assign(attributes[i].begin(), attributes[i].end());
        row.resize(columns);
      } else {
        row.assign(columns, Value{});
      }
      const auto& u = dataset.units[i];
      row[c_id] = static_cast<std::int64_t>(i + 1);
      const auto cell = i < plan.unit_cell.size() ? plan.unit_cell[i] : -1;
      if (cell >= 0) {
        const auto& c = plan.cells[static_cast<std::size_t>(cell)];
        row[c_cell] = c.code;
        row[c_area] = c.area_code;
      } else {
        row[c_cell] = Value{};
        row[c_area] = u.area_code.empty() ? Value{} : Value{u.area_code};
      }
      row[c_hh] = u.households;
      row[c_pop] = u.population;
      row[c_src] = std::string(source_name(u.households_source));
      row[c_compound] = u.compound_id.empty() ? Value{} : Value{u.compound_id};
    };
    if (any_footprint)
      source.polygon = [&dataset](std::size_t i) -> const geo::MultiPolygon& {
        return dataset.units[i].geometry;
      };
    else
      source.point = [&dataset](std::size_t i) { return dataset.units[i].anchor; };
    layer.source = std::move(source);
    layers.push_back(std::move(layer));
  }

  // --- areas -----------------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = layer::areas;
    layer.kind = geo::GeometryKind::polygon;
    layer.style = {geo::StyleHint::Kind::outline,
                   "",
                   "",
                   "",
                   field::name,
                   "gridplan: areas",
                   "communities as outlines labelled with their names"};
    auto& t = layer.table;
    t.fields = {{field::area_code, FieldType::text},    {field::name, FieldType::text},
                {field::cells, FieldType::integer},     {field::households, FieldType::real},
                {field::population, FieldType::real},   {field::units, FieldType::integer},
                {field::area_m2, FieldType::real},      {field::derived, FieldType::integer},
                {field::cut_edges, FieldType::integer}, {field::lower_bound, FieldType::real},
                {field::upper_bound, FieldType::real}};
    if (extra_balance) t.fields.push_back({balance, FieldType::real});
    for (const auto& a : plan.areas) {
      std::vector<Value> row{a.code,
                             a.name,
                             static_cast<std::int64_t>(a.cells.size()),
                             a.households,
                             a.population,
                             static_cast<std::int64_t>(a.units),
                             a.area_m2,
                             std::int64_t{a.derived ? 1 : 0},
                             static_cast<std::int64_t>(a.cut_edges),
                             a.lower_bound,
                             a.upper_bound};
      if (extra_balance) row.emplace_back(a.balance);
      t.rows.push_back(std::move(row));
      layer.polygons.push_back(a.geometry);
    }
    layers.push_back(std::move(layer));
  }

  // --- unit_adjacency --------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = layer::adjacency;
    layer.kind = geo::GeometryKind::none;
    layer.table.fields = {{field::unit_a, FieldType::integer},
                          {field::unit_b, FieldType::integer},
                          {field::length_m, FieldType::real},
                          {field::barrier, FieldType::integer},
                          {field::bridge, FieldType::integer}};
    geo::RowSource source;
    source.rows = plan.adjacency.size();
    source.fill = [&plan](std::size_t k, std::vector<Value>& row) {
      const auto& e = plan.adjacency[k];
      const bool bridge = k < plan.adjacency_bridge.size() && plan.adjacency_bridge[k] != 0;
      row.resize(5);
      row[0] = static_cast<std::int64_t>(e.a) + 1;
      row[1] = static_cast<std::int64_t>(e.b) + 1;
      row[2] = e.length;
      row[3] = std::int64_t{e.barrier ? 1 : 0};
      row[4] = std::int64_t{bridge ? 1 : 0};
    };
    layer.source = std::move(source);
    layers.push_back(std::move(layer));
  }

  // --- plan_metadata ---------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = layer::metadata;
    layer.kind = geo::GeometryKind::none;
    layer.table.fields = {{field::key, FieldType::text}, {field::value, FieldType::text}};
    auto add = [&](const std::string& k, const std::string& v) {
      layer.table.rows.push_back({Value{k}, Value{v}});
    };
    add(key::version, plan_version);
    add(key::balance_field, balance);
    if (options.cells_per_area > 0) {
      add(key::cells_per_area, std::to_string(options.cells_per_area));
      add(key::tolerance, number_text(options.tolerance));
    } else {
      add(key::min, number_text(options.min_weight));
      add(key::max, number_text(options.max_weight));
    }
    std::string secondary;
    for (const auto& s : options.secondary)
      secondary += (secondary.empty() ? "" : ",") + s.name + ":" + number_text(s.weight);
    add("secondary", secondary);
    add("objective", objective_name(options.objective));
    std::string floors;
    for (const auto& f : options.floors)
      floors += (floors.empty() ? "" : ",") + f.field + ":" + number_text(f.minimum);
    if (!floors.empty()) add(key::floors, floors);
    add(key::hard_barriers, options.hard_barriers ? "1" : "0");
    add(key::seed, std::to_string(options.seed));
    add("restarts", std::to_string(options.restarts));
    add("unit_kind", unit_kind_name(options.graph.kind));
    add("boundary_seeds", std::to_string(options.graph.boundary_seeds));
    add(key::work_crs, dataset.work_crs);
    for (const auto& [k, v] : extra_metadata) add(k, v);
    // No wall-clock timings here: the file is a function of the inputs and the seed (the
    // timings are in the command's summary, text and --json).
    add(key::summary, detail::summary_compact_json(plan));
    add("violation_count", std::to_string(plan.violations.size()));
    for (std::size_t i = 0; i < plan.violations.size(); ++i) {
      const auto& v = plan.violations[i];
      add(fmt::format("violation.{:04}", i + 1),
          fmt::format("{} {}: {}", v.cell_code.empty() ? v.area_code : v.cell_code, v.rule,
                      v.reason));
    }
    layers.push_back(std::move(layer));
  }

  // --- pass-through ----------------------------------------------------------------------
  if (!dataset.barriers.empty()) {
    geo::Layer layer;
    layer.name = layer::barriers;
    layer.kind = geo::GeometryKind::line;
    layer.table.fields = {{field::kind, FieldType::text}, {field::name, FieldType::text}};
    for (const auto& b : dataset.barriers) {
      layer.table.rows.push_back({Value{std::string(barrier_kind_name(b.kind))}, Value{b.name}});
      layer.lines.push_back(geo::MultiLineString{b.geometry});
    }
    layers.push_back(std::move(layer));
  }
  if (!dataset.facilities.empty()) {
    geo::Layer layer;
    layer.name = layer::facilities;
    layer.kind = geo::GeometryKind::point;
    layer.table.fields = {{field::name, FieldType::text}, {field::floor_area_m2, FieldType::real}};
    for (const auto& f : dataset.facilities) {
      layer.table.rows.push_back({Value{f.name}, Value{f.floor_area_m2}});
      layer.points.push_back(f.location);
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

void write_plan(const std::string& path, const geo::Dataset& dataset, const Plan& plan,
                const MetadataRows& extra_metadata, const geo::WriteOptions& options) {
  auto write_options = options;
  if (write_options.geometry_crs.empty()) write_options.geometry_crs = dataset.work_crs;
  geo::write_layers(path, plan_layers(dataset, plan, extra_metadata), write_options);
}

// --- Reading ---------------------------------------------------------------------------------

std::int64_t PlanFile::find_cell(const std::string& code) const {
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (cells[i].code == code) return static_cast<std::int64_t>(i);
  return -1;
}

std::optional<std::string> PlanFile::meta(const std::string& k) const {
  for (const auto& [mk, mv] : metadata)
    if (mk == k) return mv;
  return std::nullopt;
}

namespace {

bool has_layer(const std::vector<geo::LayerSummary>& layers, const std::string& name) {
  return std::any_of(layers.begin(), layers.end(), [&](const auto& l) { return l.name == name; });
}

double meta_number(const PlanFile& plan, const std::string& k, double fallback) {
  const auto v = plan.meta(k);
  if (!v) return fallback;
  const auto x = geo::value_number(Value{*v});
  if (!x || !std::isfinite(*x))
    throw InputError(plan.path, layer::metadata, std::nullopt,
                     fmt::format("key '{}' is not a number ('{}')", k, *v));
  return *x;
}

void read_rules(PlanFile& plan) {
  auto& r = plan.rules;
  r.balance_field = plan.meta(key::balance_field).value_or(field::households);
  r.cells_per_area = static_cast<int>(meta_number(plan, key::cells_per_area, 0));
  r.tolerance = meta_number(plan, key::tolerance, r.tolerance);
  r.min_weight = meta_number(plan, key::min, r.min_weight);
  r.max_weight = meta_number(plan, key::max, r.max_weight);
  r.hard_barriers = plan.meta(key::hard_barriers).value_or("0") == "1";
  r.seed = static_cast<std::uint64_t>(meta_number(plan, key::seed, 1));
  const std::string floors = plan.meta(key::floors).value_or("");
  for (std::size_t begin = 0; begin < floors.size();) {
    auto end = floors.find(',', begin);
    if (end == std::string::npos) end = floors.size();
    try {
      r.floors.push_back(parse_floor(floors.substr(begin, end - begin)));
    } catch (const UsageError& e) {
      throw InputError(plan.path, layer::metadata, std::nullopt,
                       fmt::format("key '{}': {}", key::floors, e.what()));
    }
    begin = end + 1;
  }
}

/// Rebuilds the unit adjacency of a plan written before the adjacency table, the way the
/// planner builds it (area by area, unit regions from the units' geometry).
void rebuild_adjacency(PlanFile& plan) {
  geo::Dataset dataset;
  dataset.units_source = plan.path + ":" + layer::units;
  dataset.units.resize(plan.units.size());
  for (std::size_t i = 0; i < plan.units.size(); ++i) {
    const auto& fu = plan.units[i];
    auto& u = dataset.units[i];
    u.source_fid = fu.id;
    u.geometry = fu.footprint;
    u.anchor = fu.anchor;
    u.households = fu.households;
    u.population = fu.population;
    u.compound_id = fu.compound;
    u.area_code = fu.area_code;
  }
  for (const auto& a : plan.areas) {
    geo::Area area;
    area.code = a.code;
    area.name = a.name;
    area.geometry = a.geometry;
    dataset.areas.push_back(std::move(area));
  }
  PlanOptions options;
  options.min_weight = plan.rules.min_weight;
  options.max_weight = plan.rules.max_weight;
  options.cells_per_area = plan.rules.cells_per_area;
  options.tolerance = plan.rules.tolerance;
  UnitValues values;
  for (const auto& u : plan.units) values.balance.push_back(u.balance);
  std::vector<std::uint32_t> unassigned;
  for (const auto& job : detail::area_jobs(dataset, unassigned)) {
    if (job.units.empty()) continue;
    detail::AreaOutcome outcome;
    detail::record_area(detail::area_graph(dataset, job, values, options), options, outcome);
    plan.adjacency.insert(plan.adjacency.end(), outcome.adjacency.begin(), outcome.adjacency.end());
    plan.bridge.insert(plan.bridge.end(), outcome.adjacency_bridge.begin(),
                       outcome.adjacency_bridge.end());
  }
  plan.adjacency_rebuilt = true;
  plan.notices.push_back(fmt::format(
      "{}: no layer '{}' (a plan from an older gridplan): the unit adjacency was rebuilt from "
      "the units' geometry ({} edges)",
      plan.path, layer::adjacency, plan.adjacency.size()));
}

} // namespace

PlanFile read_plan(const std::string& path, bool with_units) {
  PlanFile plan;
  plan.path = path;
  const auto layers = geo::list_layers(path, {});
  for (const char* name : {layer::cells, layer::units})
    if (!has_layer(layers, name))
      throw InputError(path,
                       fmt::format("no layer '{}': not a plan written by `gridplan plan`", name));

  // plan_metadata: rules and the work CRS.
  if (has_layer(layers, layer::metadata)) {
    const geo::Layer meta = geo::read_layer(path, layer::metadata);
    const int k = require_field(meta, path, field::key);
    const int v = require_field(meta, path, field::value);
    for (std::size_t i = 0; i < meta.table.rows.size(); ++i)
      plan.metadata.emplace_back(geo::value_text(cell_of(meta.table, i, k)),
                                 geo::value_text(cell_of(meta.table, i, v)));
  }
  plan.work_crs = plan.meta(key::work_crs).value_or("");
  read_rules(plan);

  // cells
  std::map<std::string, std::int64_t> cell_index;
  {
    const geo::Layer cells = geo::read_layer(path, layer::cells, plan.work_crs);
    if (cells.kind != geo::GeometryKind::polygon)
      throw InputError(path, layer::cells, std::nullopt, "must be a polygon layer");
    const int f_code = require_field(cells, path, field::cell_code);
    const int f_area = require_field(cells, path, field::area_code);
    const int f_hh = require_field(cells, path, field::households);
    const int f_pop = find_field(cells.table, field::population);
    for (std::size_t i = 0; i < cells.table.rows.size(); ++i) {
      const auto feature = static_cast<long long>(i + 1);
      FileCell c;
      c.code = geo::value_text(cell_of(cells.table, i, f_code));
      c.area_code = geo::value_text(cell_of(cells.table, i, f_area));
      if (c.code.empty()) throw InputError(path, layer::cells, feature, "empty cell_code");
      const auto hh = geo::value_number(cell_of(cells.table, i, f_hh));
      if (!hh || !std::isfinite(*hh) || *hh < 0)
        throw InputError(path, layer::cells, feature,
                         fmt::format("{} must be a finite number >= 0", field::households));
      c.households = *hh;
      if (f_pop >= 0) c.population = geo::value_number(cell_of(cells.table, i, f_pop)).value_or(0);
      c.geometry = cells.polygons[i];
      if (!cell_index.emplace(c.code, static_cast<std::int64_t>(plan.cells.size())).second)
        throw InputError(path, layer::cells, feature,
                         fmt::format("duplicate {} '{}'", field::cell_code, c.code));
      plan.cells.push_back(std::move(c));
    }
  }

  // areas
  std::map<std::string, std::size_t> area_index;
  if (has_layer(layers, layer::areas)) {
    const geo::Layer areas = geo::read_layer(path, layer::areas, plan.work_crs);
    const int f_code = require_field(areas, path, field::area_code);
    const int f_name = find_field(areas.table, field::name);
    const int f_lo = find_field(areas.table, field::lower_bound);
    const int f_hi = find_field(areas.table, field::upper_bound);
    for (std::size_t i = 0; i < areas.table.rows.size(); ++i) {
      FileArea a;
      a.code = geo::value_text(cell_of(areas.table, i, f_code));
      if (f_name >= 0) a.name = geo::value_text(cell_of(areas.table, i, f_name));
      if (areas.kind == geo::GeometryKind::polygon) a.geometry = areas.polygons[i];
      a.lower_bound = plan.rules.min_weight;
      a.upper_bound = plan.rules.max_weight;
      if (f_lo >= 0 && f_hi >= 0) {
        const auto lo = geo::value_number(cell_of(areas.table, i, f_lo));
        const auto hi = geo::value_number(cell_of(areas.table, i, f_hi));
        if (lo && hi) {
          a.lower_bound = *lo;
          a.upper_bound = *hi;
        }
      }
      area_index.emplace(a.code, plan.areas.size());
      plan.areas.push_back(std::move(a));
    }
  }

  if (!with_units) return plan;

  // units
  {
    const geo::Layer units = geo::read_layer(path, layer::units, plan.work_crs);
    const int f_id = find_field(units.table, field::unit_id);
    const int f_cell = require_field(units, path, field::cell_code);
    const int f_hh = require_field(units, path, field::households);
    const int f_pop = find_field(units.table, field::population);
    const int f_area = find_field(units.table, field::area_code);
    const int f_compound = find_field(units.table, field::compound);
    const int f_balance = find_field(units.table, plan.rules.balance_field);
    // Floor fields: households and population from their own columns, others as written.
    std::vector<int> f_floor;
    for (const auto& fl : plan.rules.floors) {
      if (fl.field == field::households || fl.field == field::population) {
        f_floor.push_back(-1);
        continue;
      }
      f_floor.push_back(find_field(units.table, fl.field));
      if (f_floor.back() < 0)
        throw InputError(path, layer::units, std::nullopt,
                         fmt::format("has no field '{}', which the plan's floor '{}:{}' needs",
                                     fl.field, fl.field, number_text(fl.minimum)));
    }
    for (std::size_t i = 0; i < units.table.rows.size(); ++i) {
      const auto feature = static_cast<long long>(i + 1);
      FileUnit u;
      u.id = f_id >= 0 ? static_cast<std::int64_t>(
                             geo::value_number(cell_of(units.table, i, f_id)).value_or(0))
                       : static_cast<std::int64_t>(i + 1);
      if (u.id != static_cast<std::int64_t>(i + 1))
        throw InputError(path, layer::units, feature,
                         fmt::format("{} is {}, expected {} (units must be in unit_id order)",
                                     field::unit_id, u.id, i + 1));
      const std::string code = geo::value_text(cell_of(units.table, i, f_cell));
      if (!code.empty()) {
        const auto it = cell_index.find(code);
        if (it == cell_index.end())
          throw InputError(
              path, layer::units, feature,
              fmt::format("{} '{}' is not in layer '{}'", field::cell_code, code, layer::cells));
        u.cell = it->second;
      }
      const auto hh = geo::value_number(cell_of(units.table, i, f_hh));
      if (hh && (!std::isfinite(*hh) || *hh < 0))
        throw InputError(path, layer::units, feature,
                         fmt::format("{} must be a finite number >= 0", field::households));
      u.households = hh.value_or(0);
      if (f_pop >= 0) u.population = geo::value_number(cell_of(units.table, i, f_pop)).value_or(0);
      u.balance = plan.rules.balance_field == field::households   ? u.households
                  : plan.rules.balance_field == field::population ? u.population
                  : f_balance >= 0
                      ? geo::value_number(cell_of(units.table, i, f_balance)).value_or(0)
                      : 0;
      for (std::size_t k = 0; k < f_floor.size(); ++k) {
        const auto& name = plan.rules.floors[k].field;
        u.floor_values.push_back(
            name == field::households ? u.households
            : name == field::population
                ? u.population
                : geo::value_number(cell_of(units.table, i, f_floor[k])).value_or(0));
      }
      if (u.cell >= 0)
        u.area_code = plan.cells[static_cast<std::size_t>(u.cell)].area_code;
      else if (f_area >= 0)
        u.area_code = geo::value_text(cell_of(units.table, i, f_area));
      if (f_compound >= 0) u.compound = geo::value_text(cell_of(units.table, i, f_compound));
      if (units.kind == geo::GeometryKind::polygon) {
        u.footprint = units.polygons[i];
        u.anchor = u.footprint.empty() ? geo::Point{} : geo::point_on_surface(u.footprint);
      } else if (units.kind == geo::GeometryKind::point) {
        u.anchor = units.points[i];
      }
      plan.units.push_back(std::move(u));
    }
  }

  // unit_adjacency (or rebuilt for older plans)
  if (has_layer(layers, layer::adjacency)) {
    const geo::Layer adj = geo::read_layer(path, layer::adjacency);
    const int f_a = require_field(adj, path, field::unit_a);
    const int f_b = require_field(adj, path, field::unit_b);
    const int f_len = find_field(adj.table, field::length_m);
    const int f_bar = find_field(adj.table, field::barrier);
    const int f_bridge = find_field(adj.table, field::bridge);
    const auto n = static_cast<double>(plan.units.size());
    for (std::size_t i = 0; i < adj.table.rows.size(); ++i) {
      const auto a = geo::value_number(cell_of(adj.table, i, f_a));
      const auto b = geo::value_number(cell_of(adj.table, i, f_b));
      if (!a || !b || *a < 1 || *b < 1 || *a > n || *b > n || *a == *b)
        throw InputError(path, layer::adjacency, static_cast<long long>(i + 1),
                         fmt::format("{}/{} must be two different unit_id values in 1..{}",
                                     field::unit_a, field::unit_b, plan.units.size()));
      Edge e;
      e.a = static_cast<std::uint32_t>(std::min(*a, *b) - 1);
      e.b = static_cast<std::uint32_t>(std::max(*a, *b) - 1);
      e.length = f_len >= 0 ? geo::value_number(cell_of(adj.table, i, f_len)).value_or(1) : 1;
      e.barrier = f_bar >= 0 && geo::value_number(cell_of(adj.table, i, f_bar)).value_or(0) != 0;
      plan.adjacency.push_back(e);
      plan.bridge.push_back(
          f_bridge >= 0 && geo::value_number(cell_of(adj.table, i, f_bridge)).value_or(0) != 0 ? 1
                                                                                               : 0);
    }
  } else {
    rebuild_adjacency(plan);
  }

  // pass-through layers the simulator uses
  if (has_layer(layers, layer::facilities)) {
    const geo::Layer fac = geo::read_layer(path, layer::facilities, plan.work_crs);
    const int f_name = find_field(fac.table, field::name);
    const int f_area = find_field(fac.table, field::floor_area_m2);
    for (std::size_t i = 0; i < fac.table.rows.size(); ++i) {
      geo::Facility f;
      if (f_name >= 0) f.name = geo::value_text(cell_of(fac.table, i, f_name));
      if (f_area >= 0)
        f.floor_area_m2 = geo::value_number(cell_of(fac.table, i, f_area)).value_or(0);
      if (fac.kind == geo::GeometryKind::point)
        f.location = fac.points[i];
      else if (fac.kind == geo::GeometryKind::polygon && !fac.polygons[i].empty())
        f.location = geo::centroid(fac.polygons[i]);
      else
        continue;
      plan.facilities.push_back(std::move(f));
    }
  }
  if (has_layer(layers, layer::barriers)) {
    // Road centre lines (other barrier kinds are not travelled on).
    const geo::Layer bar = geo::read_layer(path, layer::barriers, plan.work_crs);
    const int f_kind = find_field(bar.table, field::kind);
    if (bar.kind == geo::GeometryKind::line && f_kind >= 0)
      for (std::size_t i = 0; i < bar.table.rows.size() && i < bar.lines.size(); ++i)
        if (geo::value_text(cell_of(bar.table, i, f_kind)) == "road")
          for (const auto& line : bar.lines[i])
            if (line.size() >= 2) plan.roads.push_back(line);
  }
  return plan;
}

namespace {

/// The first of `names` that is a field of t (case-insensitive), or -1.
int find_any_field(const geo::Table& t, const std::vector<std::string>& names) {
  for (const auto& name : names)
    for (std::size_t i = 0; i < t.fields.size(); ++i)
      if (same_name(t.fields[i].name, name)) return static_cast<int>(i);
  return -1;
}

/// A lock flag: non-zero numbers, or 1/true/yes/y/t/是.
bool truthy(const geo::Value& v) {
  if (const auto x = geo::value_number(v)) return *x != 0;
  auto t = geo::value_text(v);
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return t == "true" || t == "yes" || t == "y" || t == "t" || t == "是";
}

} // namespace

ExistingGrid read_grid(const std::string& text, const std::string& code_field,
                       const std::string& lock_field, const std::string& work_crs) {
  const auto spec = geo::SourceSpec::parse(text);
  std::string layer_name = spec.layer;
  if (layer_name.empty()) {
    // A plan's cells, else the first polygon layer.
    const auto layers = geo::list_layers(spec.path, geo::ReadOptions{});
    for (const auto& l : layers)
      if (l.name == layer::cells) layer_name = l.name;
    if (layer_name.empty())
      for (const auto& l : layers)
        if (layer_name.empty() && l.geometry_type.find("olygon") != std::string::npos)
          layer_name = l.name;
    if (layer_name.empty())
      throw InputError(spec.path, "has no polygon layer to read existing grid cells from");
  }
  geo::Layer layer = geo::read_layer(spec.path, layer_name, work_crs);
  if (layer.kind != geo::GeometryKind::polygon)
    throw InputError(spec.path, layer.name, std::nullopt,
                     "is not a polygon layer; existing grid cells must be polygons");
  const int code =
      code_field.empty()
          ? find_any_field(layer.table, {field::cell_code, "grid_code", "gridcode", "grid_id",
                                         "网格编码", "网格代码", "wgbm", "code", "编码"})
          : find_any_field(layer.table, {code_field});
  if (code < 0)
    throw InputError(spec.path, layer.name, std::nullopt,
                     code_field.empty()
                         ? "no cell code field found (looked for cell_code, grid_code, code, "
                           "网格编码, ...); name it with --code-field"
                         : fmt::format("has no field '{}' (--code-field)", code_field));
  int lock = -1;
  if (!lock_field.empty()) {
    lock = find_any_field(layer.table, {lock_field});
    if (lock < 0)
      throw InputError(spec.path, layer.name, std::nullopt,
                       fmt::format("has no field '{}' (--lock-field)", lock_field));
  }
  ExistingGrid grid;
  grid.name = mask_secrets(geo::SourceSpec{spec.path, layer.name}.to_string()); // no passwords
  for (std::size_t f = 0; f < layer.table.rows.size(); ++f) {
    const auto& row = layer.table.rows[f];
    auto c = geo::value_text(row[static_cast<std::size_t>(code)]);
    if (c.empty())
      throw InputError(spec.path, layer.name, static_cast<long long>(f),
                       fmt::format("cell has no code in field '{}'",
                                   layer.table.fields[static_cast<std::size_t>(code)].name));
    grid.codes.push_back(std::move(c));
    grid.polygons.push_back(std::move(layer.polygons[f]));
    grid.locked.push_back(lock >= 0 && truthy(row[static_cast<std::size_t>(lock)]) ? 1 : 0);
  }
  return grid;
}

// --- Judging ---------------------------------------------------------------------------------

Judgement judge(const JudgeInput& in) {
  Judgement j;
  const std::size_t n_cells = in.cell_area.size();
  const std::size_t n_units = in.unit_cell.size();
  j.cells.resize(n_cells);
  for (std::size_t u = 0; u < n_units; ++u) {
    const auto c = in.unit_cell[u];
    if (c < 0) {
      ++j.unassigned_units;
      continue;
    }
    auto& cj = j.cells[static_cast<std::size_t>(c)];
    cj.balance += u < in.unit_balance.size() ? in.unit_balance[u] : 0.0;
    if (cj.floor_values.size() != in.floors.size()) cj.floor_values.assign(in.floors.size(), 0.0);
    for (std::size_t k = 0; k < in.floors.size(); ++k)
      cj.floor_values[k] += u < in.unit_floor[k].size() ? in.unit_floor[k][u] : 0.0;
    ++cj.units;
  }
  // Components of each cell's units over the adjacency (union-find on edges inside cells).
  std::vector<std::uint32_t> parent(n_units);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& e : in.adjacency) {
    if (e.a >= n_units || e.b >= n_units) continue;
    const auto ca = in.unit_cell[e.a], cb = in.unit_cell[e.b];
    if (ca < 0 || cb < 0) continue;
    if (ca != cb) {
      ++j.cut_edges;
      continue;
    }
    if (in.hard_barriers && e.barrier) continue;
    const auto ra = find(e.a), rb = find(e.b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  for (std::size_t u = 0; u < n_units; ++u)
    if (in.unit_cell[u] >= 0 && find(static_cast<std::uint32_t>(u)) == u)
      ++j.cells[static_cast<std::size_t>(in.unit_cell[u])].pieces;

  double pp_sum = 0;
  j.balance_min = n_cells ? std::numeric_limits<double>::infinity() : 0;
  j.balance_max = n_cells ? -std::numeric_limits<double>::infinity() : 0;
  double sum = 0;
  for (std::size_t c = 0; c < n_cells; ++c) {
    auto& cj = j.cells[c];
    const auto [lo, hi] = in.area_bounds.at(in.cell_area[c]);
    cj.within_bounds = cj.balance >= lo - 1e-9 && cj.balance <= hi + 1e-9;
    cj.contiguous = cj.pieces <= 1;
    cj.floor_values.resize(in.floors.size(), 0.0); // an empty cell sums to 0
    for (std::size_t k = 0; k < in.floors.size(); ++k)
      cj.below_floor = cj.below_floor || cj.floor_values[k] < in.floors[k].minimum;
    j.cells_below_floor += cj.below_floor ? 1 : 0;
    if (c < in.cell_polsby_popper.size()) cj.polsby_popper = in.cell_polsby_popper[c];
    j.cells_within_bounds += cj.within_bounds ? 1 : 0;
    j.cells_contiguous += cj.contiguous ? 1 : 0;
    j.balance_min = std::min(j.balance_min, cj.balance);
    j.balance_max = std::max(j.balance_max, cj.balance);
    sum += cj.balance;
    pp_sum += cj.polsby_popper;
  }
  if (n_cells) {
    const auto n = static_cast<double>(n_cells);
    j.share_within_bounds = static_cast<double>(j.cells_within_bounds) / n;
    j.share_contiguous = static_cast<double>(j.cells_contiguous) / n;
    j.balance_mean = sum / n;
    j.mean_polsby_popper = pp_sum / n;
  } else {
    j.share_within_bounds = j.share_contiguous = 1;
  }
  // Compounds split: a compound whose assigned units lie in more than one cell.
  std::map<std::string, std::int64_t> compound_cell;
  std::map<std::string, bool> split;
  for (std::size_t u = 0; u < n_units && u < in.unit_compound.size(); ++u) {
    const auto& id = in.unit_compound[u];
    if (id.empty() || in.unit_cell[u] < 0) continue;
    const auto [it, fresh] = compound_cell.emplace(id, in.unit_cell[u]);
    if (!fresh && it->second != in.unit_cell[u]) split[id] = true;
  }
  j.split_compounds = split.size();
  return j;
}

JudgeInput judge_input(const PlanFile& plan) {
  JudgeInput in;
  in.hard_barriers = plan.rules.hard_barriers;
  in.adjacency = plan.adjacency;
  std::map<std::string, std::size_t> area_index;
  for (std::size_t a = 0; a < plan.areas.size(); ++a) {
    area_index.emplace(plan.areas[a].code, a);
    in.area_bounds.emplace_back(plan.areas[a].lower_bound, plan.areas[a].upper_bound);
  }
  for (const auto& c : plan.cells) {
    auto it = area_index.find(c.area_code);
    if (it == area_index.end()) {
      // A cell of an area the areas layer lacks: judged against the plan's own rules.
      it = area_index.emplace(c.area_code, in.area_bounds.size()).first;
      in.area_bounds.emplace_back(plan.rules.min_weight, plan.rules.max_weight);
    }
    in.cell_area.push_back(it->second);
    in.cell_polsby_popper.push_back(geo::polsby_popper(c.geometry));
  }
  in.floors = plan.rules.floors;
  in.unit_floor.assign(in.floors.size(), {});
  for (const auto& u : plan.units) {
    in.unit_cell.push_back(u.cell);
    in.unit_balance.push_back(u.balance);
    in.unit_compound.push_back(u.compound);
    for (std::size_t k = 0; k < in.floors.size() && k < u.floor_values.size(); ++k)
      in.unit_floor[k].push_back(u.floor_values[k]);
  }
  return in;
}

Judgement judge_plan(const PlanFile& plan) {
  return judge(judge_input(plan));
}

JudgeInput judge_input(const geo::Dataset& dataset, const Plan& plan) {
  JudgeInput in;
  in.hard_barriers = plan.options.hard_barriers;
  in.adjacency = plan.adjacency;
  for (const auto& a : plan.areas) in.area_bounds.emplace_back(a.lower_bound, a.upper_bound);
  for (const auto& c : plan.cells) {
    in.cell_area.push_back(c.area_index);
    in.cell_polsby_popper.push_back(c.polsby_popper);
  }
  const auto balance = unit_field_values(dataset, plan.options.balance_field);
  in.unit_cell = plan.unit_cell;
  in.unit_balance = balance;
  for (const auto& u : dataset.units) in.unit_compound.push_back(u.compound_id);
  in.floors = plan.options.floors;
  for (const auto& f : in.floors) in.unit_floor.push_back(unit_field_values(dataset, f.field));
  return in;
}

Judgement judge_plan(const geo::Dataset& dataset, const Plan& plan) {
  return judge(judge_input(dataset, plan));
}

} // namespace gp::planner::plan_file
