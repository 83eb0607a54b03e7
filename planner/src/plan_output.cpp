// The plan as layers (the plan GeoPackage contract), summary JSON/text, dataset graph.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/plan.hpp"
#include "plan_internal.hpp"

namespace gp::planner {
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
      return i;
    }
  }
  t.fields.push_back(Field{name, type});
  for (auto& row : t.rows) row.emplace_back();
  return t.fields.size() - 1;
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

std::string number_text(double v) {
  if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{}", v);
}

nlohmann::ordered_json summary_object(const Plan& plan) {
  const auto& s = plan.summary;
  nlohmann::ordered_json j;
  j["areas"] = s.areas;
  j["cells"] = s.cells;
  j["units"] = s.units;
  j["units_planned"] = s.units_planned;
  j["balance_field"] = s.balance_field;
  j["balance_min"] = s.balance_min;
  j["balance_mean"] = s.balance_mean;
  j["balance_max"] = s.balance_max;
  j["max_abs_deviation_pct"] = s.max_abs_deviation_pct;
  j["share_within_bounds"] = s.share_within_bounds;
  j["share_contiguous"] = s.share_contiguous;
  j["mean_polsby_popper"] = s.mean_polsby_popper;
  j["cut_edges"] = s.cut_edges;
  j["violations"] = s.violations;
  j["seconds"] = s.seconds;
  return j;
}

nlohmann::ordered_json violations_array(const Plan& plan) {
  auto arr = nlohmann::ordered_json::array();
  for (const auto& v : plan.violations)
    arr.push_back({{"cell_code", v.cell_code},
                   {"area_code", v.area_code},
                   {"rule", v.rule},
                   {"reason", v.reason}});
  return arr;
}

} // namespace

std::string summary_json(const Plan& plan) {
  auto j = summary_object(plan);
  j["violation_list"] = violations_array(plan);
  auto timings = nlohmann::ordered_json::object();
  for (const auto& [k, v] : plan.timings) timings[k] = v;
  j["timings"] = timings;
  return j.dump(2);
}

std::string summary_text(const Plan& plan) {
  const auto& s = plan.summary;
  std::string text = fmt::format(
      "{} cells in {} areas from {} units ({} planned)\n"
      "{} per cell: min {} / mean {:.1f} / max {}; max deviation {:.1f}%\n"
      "within bounds: {:.1f}% of cells; contiguous: {:.1f}%; mean Polsby-Popper {:.3f}\n"
      "violations: {}; planning time {:.2f} s\n",
      s.cells, s.areas, s.units, s.units_planned, s.balance_field,
      detail::format_value(s.balance_min), s.balance_mean, detail::format_value(s.balance_max),
      s.max_abs_deviation_pct, 100 * s.share_within_bounds, 100 * s.share_contiguous,
      s.mean_polsby_popper, s.violations, s.seconds);
  const std::size_t shown = std::min<std::size_t>(plan.violations.size(), 10);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& v = plan.violations[i];
    text += fmt::format("  {} {}: {}\n", v.cell_code.empty() ? v.area_code : v.cell_code, v.rule,
                        v.reason);
  }
  if (plan.violations.size() > shown)
    text += fmt::format("  ... and {} more (see plan_metadata)\n", plan.violations.size() - shown);
  return text;
}

std::vector<geo::Layer> plan_layers(const geo::Dataset& dataset, const Plan& plan,
                                    const MetadataRows& extra_metadata) {
  std::vector<geo::Layer> layers;
  const auto& options = plan.options;
  const std::string& field = options.balance_field;
  const bool extra_balance = field != "households" && field != "population";

  // --- cells -----------------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = "cells";
    layer.kind = geo::GeometryKind::polygon;
    auto& t = layer.table;
    t.fields = {{"cell_code", FieldType::text},     {"area_code", FieldType::text},
                {"households", FieldType::real},    {"population", FieldType::real},
                {"units", FieldType::integer},      {"area_m2", FieldType::real},
                {"perimeter_m", FieldType::real},   {"polsby_popper", FieldType::real},
                {"deviation_pct", FieldType::real}, {"within_bounds", FieldType::integer},
                {"contiguous", FieldType::integer}, {"parts", FieldType::integer}};
    if (extra_balance) t.fields.push_back({field, FieldType::real});
    std::vector<std::size_t> secondary_columns;
    for (std::size_t k = 0; k < options.secondary.size(); ++k) {
      const auto& name = options.secondary[k].name;
      if (name == "households" || name == "population" || name == field) {
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
    layer.name = "units";
    bool any_footprint = false;
    for (const auto& u : dataset.units) any_footprint = any_footprint || !u.geometry.empty();
    layer.kind = any_footprint ? geo::GeometryKind::polygon : geo::GeometryKind::point;
    layer.table = dataset.unit_attributes;
    auto& t = layer.table;
    t.rows.resize(dataset.units.size(), std::vector<Value>(t.fields.size()));
    const auto c_id = ensure_field(t, "unit_id", FieldType::integer);
    const auto c_cell = ensure_field(t, "cell_code", FieldType::text);
    const auto c_hh = ensure_field(t, "households", FieldType::real);
    const auto c_pop = ensure_field(t, "population", FieldType::real);
    const auto c_src = ensure_field(t, "hh_source", FieldType::text);
    for (std::size_t i = 0; i < dataset.units.size(); ++i) {
      const auto& u = dataset.units[i];
      auto& row = t.rows[i];
      row[c_id] = static_cast<std::int64_t>(i + 1);
      row[c_cell] = plan.unit_cell[i] >= 0
                        ? Value{plan.cells[static_cast<std::size_t>(plan.unit_cell[i])].code}
                        : Value{};
      row[c_hh] = u.households;
      row[c_pop] = u.population;
      row[c_src] = std::string(source_name(u.households_source));
      if (any_footprint) {
        layer.polygons.push_back(u.geometry);
      } else {
        layer.points.push_back(u.anchor);
      }
    }
    layers.push_back(std::move(layer));
  }

  // --- areas -----------------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = "areas";
    layer.kind = geo::GeometryKind::polygon;
    auto& t = layer.table;
    t.fields = {{"area_code", FieldType::text},   {"name", FieldType::text},
                {"cells", FieldType::integer},    {"households", FieldType::real},
                {"population", FieldType::real},  {"units", FieldType::integer},
                {"area_m2", FieldType::real},     {"derived", FieldType::integer},
                {"cut_edges", FieldType::integer}};
    if (extra_balance) t.fields.push_back({field, FieldType::real});
    for (const auto& a : plan.areas) {
      std::vector<Value> row{a.code,
                             a.name,
                             static_cast<std::int64_t>(a.cells.size()),
                             a.households,
                             a.population,
                             static_cast<std::int64_t>(a.units),
                             a.area_m2,
                             std::int64_t{a.derived ? 1 : 0},
                             static_cast<std::int64_t>(a.cut_edges)};
      if (extra_balance) row.emplace_back(a.balance);
      t.rows.push_back(std::move(row));
      layer.polygons.push_back(a.geometry);
    }
    layers.push_back(std::move(layer));
  }

  // --- plan_metadata ---------------------------------------------------------------------
  {
    geo::Layer layer;
    layer.name = "plan_metadata";
    layer.kind = geo::GeometryKind::none;
    layer.table.fields = {{"key", FieldType::text}, {"value", FieldType::text}};
    auto add = [&](const std::string& k, const std::string& v) {
      layer.table.rows.push_back({Value{k}, Value{v}});
    };
    add("version", plan_version);
    add("balance_field", field);
    if (options.cells_per_area > 0) {
      add("cells_per_area", std::to_string(options.cells_per_area));
      add("tolerance", number_text(options.tolerance));
    } else {
      add("min", number_text(options.min_weight));
      add("max", number_text(options.max_weight));
    }
    std::string secondary;
    for (const auto& s : options.secondary)
      secondary += (secondary.empty() ? "" : ",") + s.name + ":" + number_text(s.weight);
    add("secondary", secondary);
    add("objective", objective_name(options.objective));
    add("hard_barriers", options.hard_barriers ? "1" : "0");
    add("seed", std::to_string(options.seed));
    add("restarts", std::to_string(options.restarts));
    add("unit_kind", unit_kind_name(options.graph.kind));
    add("boundary_seeds", std::to_string(options.graph.boundary_seeds));
    add("work_crs", dataset.work_crs);
    for (const auto& [k, v] : extra_metadata) add(k, v);
    for (const auto& [k, v] : plan.timings) add("time_" + k + "_s", fmt::format("{:.3f}", v));
    add("time_plan_s", fmt::format("{:.3f}", plan.summary.seconds));
    add("summary", summary_object(plan).dump());
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
    layer.name = "barriers";
    layer.kind = geo::GeometryKind::line;
    layer.table.fields = {{"kind", FieldType::text}, {"name", FieldType::text}};
    for (const auto& b : dataset.barriers) {
      layer.table.rows.push_back({Value{std::string(barrier_kind_name(b.kind))}, Value{b.name}});
      layer.lines.push_back(geo::MultiLineString{b.geometry});
    }
    layers.push_back(std::move(layer));
  }
  if (!dataset.facilities.empty()) {
    geo::Layer layer;
    layer.name = "facilities";
    layer.kind = geo::GeometryKind::point;
    layer.table.fields = {{"name", FieldType::text}, {"floor_area_m2", FieldType::real}};
    for (const auto& f : dataset.facilities) {
      layer.table.rows.push_back({Value{f.name}, Value{f.floor_area_m2}});
      layer.points.push_back(f.location);
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

DatasetGraph build_dataset_graph(const geo::Dataset& dataset, const PlanOptions& options,
                                 const std::string& area_code) {
  UnitValues values;
  values.balance = unit_field_values(dataset, options.balance_field);
  std::vector<std::uint32_t> unassigned;
  auto jobs = detail::area_jobs(dataset, unassigned);
  if (!area_code.empty()) {
    std::erase_if(jobs, [&](const detail::AreaJob& j) { return j.code != area_code; });
    if (jobs.empty()) throw UsageError(fmt::format("no area with code '{}'", area_code));
  }
  DatasetGraph out;
  auto& g = out.graph;
  g.offsets = {0};
  std::size_t done = 0, total = 0;
  for (const auto& j : jobs) total += j.units.size();
  for (const auto& job : jobs) {
    out.area_codes.push_back(job.code);
    out.area_first.push_back(static_cast<std::uint32_t>(out.units.size()));
    if (job.units.empty()) continue;
    const auto ag = detail::area_graph(dataset, job, values, options);
    const auto base = static_cast<std::uint32_t>(out.units.size());
    const auto& a = ag.graph;
    for (std::size_t v = 0; v < a.vertex_count(); ++v) {
      for (auto k = a.offsets[v]; k < a.offsets[v + 1]; ++k) {
        g.targets.push_back(a.targets[k] + base);
        g.edge_length.push_back(a.edge_length[k]);
        g.edge_barrier.push_back(a.edge_barrier[k]);
      }
      g.offsets.push_back(static_cast<std::uint32_t>(g.targets.size()));
      g.weight.push_back(a.weight[v]);
      g.position.push_back(a.position[v]);
      g.group.push_back(a.group[v]);
    }
    for (auto u : ag.units) out.units.push_back(u);
    done += job.units.size();
    if (options.progress)
      options.progress(static_cast<double>(done) /
                           static_cast<double>(std::max<std::size_t>(total, 1)),
                       "building unit graph");
  }
  out.area_first.push_back(static_cast<std::uint32_t>(out.units.size()));
  return out;
}

} // namespace gp::planner
