// `gridplan diff A.gpkg B.gpkg`: what changed between two plans, per cell and per building,
// with a summary; `--out diff.gpkg` writes layers for the viewer and QGIS. See
// docs/user/diff.md.

#include <fmt/core.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/diff.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace gp::cli {
namespace {

struct DiffFlags {
  std::string before, after;
  std::string out;
  std::string key = "unit_id";
  double min = 300, max = 500;
  bool overwrite = false;
  std::size_t list = 20;
};

std::string value_text(const geo::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::abs(*d - std::round(*d)) < 1e-9 && std::abs(*d) < 1e17)
      return fmt::format("{:.0f}", *d);
    return fmt::format("{}", *d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

double value_number(const geo::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    try {
      return std::stod(*s);
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

/// The CRS of a plan's layer as a user string ("EPSG:4548"), "" when unknown.
std::string layer_crs(const std::string& path, const std::string& layer) {
  for (const auto& l : geo::list_layers(path, geo::ReadOptions{}))
    if (l.name == layer) return l.crs.find(':') != std::string::npos ? l.crs : std::string{};
  throw InputError(path, layer, std::nullopt, "layer not found: is this a gridplan plan?");
}

struct LoadedPlan {
  planner::PlanAssignment assignment;
  geo::Layer units;
  geo::Layer cells;
};

LoadedPlan load(const std::string& path, const std::string& key, const std::string& crs) {
  if (!std::filesystem::exists(path)) throw InputError(path, "no such file");
  LoadedPlan p;
  p.units = geo::read_layer(path, "units", crs);
  p.cells = geo::read_layer(path, "cells", crs);
  const auto& t = p.units.table;
  const int k = t.find(key), code = t.find("cell_code"), hh = t.find("households");
  if (k < 0)
    throw InputError(path, "units", std::nullopt,
                     fmt::format("has no field '{}' to match units by (--key)", key));
  if (code < 0) throw InputError(path, "units", std::nullopt, "has no field 'cell_code'");
  if (hh < 0) throw InputError(path, "units", std::nullopt, "has no field 'households'");
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    auto id = value_text(t.rows[i][static_cast<std::size_t>(k)]);
    if (id.empty())
      throw InputError(path, "units", static_cast<long long>(i),
                       fmt::format("unit has no value in '{}'", key));
    p.assignment.unit_key.push_back(std::move(id));
    p.assignment.cell_code.push_back(value_text(t.rows[i][static_cast<std::size_t>(code)]));
    p.assignment.households.push_back(value_number(t.rows[i][static_cast<std::size_t>(hh)]));
  }
  return p;
}

std::map<std::string, std::size_t> cell_rows(const geo::Layer& cells) {
  std::map<std::string, std::size_t> rows;
  const int code = cells.table.find("cell_code");
  if (code < 0) return rows;
  for (std::size_t i = 0; i < cells.table.rows.size(); ++i)
    rows.emplace(value_text(cells.table.rows[i][static_cast<std::size_t>(code)]), i);
  return rows;
}

void run_diff(const DiffFlags& flags, const GlobalOptions& global) {
  if (!(flags.min >= 0) || !(flags.max > 0) || flags.min > flags.max)
    throw UsageError(
        fmt::format("--min {} --max {}: need 0 <= min <= max and max > 0", flags.min, flags.max));
  if (!flags.out.empty()) {
    check_output_writable(flags.out, {flags.before, flags.after}, flags.overwrite);
    output_format(flags.out, "", {geo::OutputFormat::gpkg}, "diff");
  }
  ProgressBar bar(global.quiet || global.json);
  bar.update(0, "reading plans");
  if (!std::filesystem::exists(flags.before)) throw InputError(flags.before, "no such file");
  const std::string crs = layer_crs(flags.before, "units");
  const auto a = load(flags.before, flags.key, crs);
  bar.update(0.4, "reading plans");
  const auto b = load(flags.after, flags.key, crs);
  bar.update(0.8, "comparing");
  const auto d =
      planner::diff_plans(a.assignment, b.assignment, planner::DiffOptions{flags.min, flags.max});

  if (!flags.out.empty()) {
    using geo::Field;
    using geo::FieldType;
    std::vector<geo::Layer> layers;
    // Cells: geometry from the after plan (the before plan for removed cells).
    geo::Layer cells;
    cells.name = "cell_changes";
    cells.kind = geo::GeometryKind::polygon;
    cells.table.fields = {
        {"cell_code", FieldType::text},         {"status", FieldType::text},
        {"households_before", FieldType::real}, {"households_after", FieldType::real},
        {"households_gained", FieldType::real}, {"households_lost", FieldType::real},
        {"units_before", FieldType::integer},   {"units_after", FieldType::integer},
        {"units_gained", FieldType::integer},   {"units_lost", FieldType::integer},
        {"successor", FieldType::text}};
    const auto rows_a = cell_rows(a.cells), rows_b = cell_rows(b.cells);
    for (const auto& c : d.cells) {
      geo::MultiPolygon g;
      if (const auto it = rows_b.find(c.code); it != rows_b.end())
        g = b.cells.polygons[it->second];
      else if (const auto ia = rows_a.find(c.code); ia != rows_a.end())
        g = a.cells.polygons[ia->second];
      cells.polygons.push_back(std::move(g));
      cells.table.rows.push_back({c.code, std::string(planner::cell_status_name(c.status)),
                                  c.households_before, c.households_after, c.households_gained,
                                  c.households_lost, static_cast<std::int64_t>(c.units_before),
                                  static_cast<std::int64_t>(c.units_after),
                                  static_cast<std::int64_t>(c.units_gained),
                                  static_cast<std::int64_t>(c.units_lost), c.successor});
    }
    layers.push_back(std::move(cells));

    geo::Layer moved;
    moved.name = "moved_units";
    moved.kind = b.units.kind == geo::GeometryKind::point ? geo::GeometryKind::point
                                                          : geo::GeometryKind::polygon;
    moved.table.fields = {{flags.key, FieldType::text},
                          {"from_cell", FieldType::text},
                          {"to_cell", FieldType::text},
                          {"households", FieldType::real}};
    for (const auto& m : d.moved) {
      if (moved.kind == geo::GeometryKind::point)
        moved.points.push_back(b.units.points[m.after_index]);
      else
        moved.polygons.push_back(b.units.kind == geo::GeometryKind::polygon
                                     ? b.units.polygons[m.after_index]
                                     : geo::MultiPolygon{});
      moved.table.rows.push_back({m.key, m.from, m.to, m.households});
    }
    layers.push_back(std::move(moved));

    geo::Layer mapping;
    mapping.name = "code_mapping";
    mapping.table.fields = {{"before_code", FieldType::text},
                            {"after_code", FieldType::text},
                            {"households_shared", FieldType::real},
                            {"share", FieldType::real},
                            {"units_shared", FieldType::integer}};
    for (const auto& m : d.mapping)
      mapping.table.rows.push_back({m.before, m.after, m.households_shared, m.share,
                                    static_cast<std::int64_t>(m.units_shared)});
    layers.push_back(std::move(mapping));

    geo::Layer summary;
    summary.name = "diff_summary";
    summary.table.fields = {{"key", FieldType::text}, {"value", FieldType::text}};
    auto row = [&](const std::string& k, const std::string& v) {
      summary.table.rows.push_back({k, v});
    };
    row("before", flags.before);
    row("after", flags.after);
    row("key", flags.key);
    row("households_moved", fmt::format("{}", d.households_moved));
    row("units_moved", std::to_string(d.moved.size()));
    row("units_added", std::to_string(d.units_added.size()));
    row("units_removed", std::to_string(d.units_removed.size()));
    row("cells_unchanged", std::to_string(d.cells_unchanged));
    row("cells_changed", std::to_string(d.cells_changed));
    row("cells_added", std::to_string(d.cells_added));
    row("cells_removed", std::to_string(d.cells_removed));
    row("share_within_bounds_before", fmt::format("{}", d.before.share_within_bounds));
    row("share_within_bounds_after", fmt::format("{}", d.after.share_within_bounds));
    layers.push_back(std::move(summary));

    geo::WriteOptions write;
    write.format = geo::OutputFormat::gpkg;
    write.overwrite = flags.overwrite;
    write.inputs = {flags.before, flags.after};
    write.geometry_crs = crs;
    geo::write_layers(flags.out, layers, write);
  }
  bar.finish();

  if (global.json) {
    nlohmann::ordered_json j;
    j["before"] = flags.before;
    j["after"] = flags.after;
    j["empty"] = d.empty();
    j["households_moved"] = d.households_moved;
    j["units_moved"] = d.moved.size();
    j["units_added"] = d.units_added.size();
    j["units_removed"] = d.units_removed.size();
    j["cells_unchanged"] = d.cells_unchanged;
    j["cells_changed"] = d.cells_changed;
    j["cells_added"] = d.cells_added;
    j["cells_removed"] = d.cells_removed;
    for (const auto& [name, s] :
         {std::pair{"balance_before", d.before}, std::pair{"balance_after", d.after}})
      j[name] = {{"cells", s.cells},
                 {"min", s.min},
                 {"mean", s.mean},
                 {"max", s.max},
                 {"share_within_bounds", s.share_within_bounds}};
    nlohmann::ordered_json mapping = nlohmann::ordered_json::array();
    for (const auto& m : d.mapping)
      if (m.before != m.after)
        mapping.push_back({{"before", m.before}, {"after", m.after}, {"share", m.share}});
    j["codes_remapped"] = mapping;
    if (!flags.out.empty()) j["output"] = flags.out;
    fmt::print("{}\n", j.dump(2));
    return;
  }
  if (global.quiet) return;
  if (d.empty()) {
    fmt::print("no difference: every unit is in a cell of the same code\n");
  } else {
    fmt::print("households moved {:.0f} ({} units); units added {}, removed {}\n",
               d.households_moved, d.moved.size(), d.units_added.size(), d.units_removed.size());
    fmt::print("cells: {} unchanged, {} changed, {} added, {} removed\n", d.cells_unchanged,
               d.cells_changed, d.cells_added, d.cells_removed);
    std::size_t shown = 0;
    for (const auto& c : d.cells) {
      if (c.status == planner::CellStatus::unchanged) continue;
      if (shown++ == flags.list) {
        fmt::print("  ... (--list N shows more)\n");
        break;
      }
      fmt::print(
          "  {} {:<9} households {:.0f} -> {:.0f} (+{:.0f} -{:.0f}), units +{} -{}{}\n", c.code,
          planner::cell_status_name(c.status), c.households_before, c.households_after,
          c.households_gained, c.households_lost, c.units_gained, c.units_lost,
          c.successor.empty() || c.successor == c.code ? std::string{} : " -> " + c.successor);
    }
  }
  for (const auto& [name, s] : {std::pair{"before", d.before}, std::pair{"after", d.after}})
    fmt::print("balance {}: {} cells, households min {:.0f} mean {:.0f} max {:.0f}, within "
               "[{:.0f}, {:.0f}] {:.1f}%\n",
               name, s.cells, s.min, s.mean, s.max, flags.min, flags.max,
               100.0 * s.share_within_bounds);
  if (!flags.out.empty())
    fmt::print("diff written to {} (layers: cell_changes moved_units code_mapping diff_summary)\n",
               flags.out);
}

} // namespace

void add_diff(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<DiffFlags>();
  auto* cmd = app.add_subcommand(
      "diff", "Compare two plans: households and buildings each cell gained and lost, old -> new "
              "codes, moved buildings");
  cmd->footer("Example: gridplan diff old.gpkg new.gpkg --out diff.gpkg\nSee docs/user/diff.md.");
  cmd->add_option("before", flags->before, "The earlier plan (GeoPackage)")->required();
  cmd->add_option("after", flags->after, "The later plan (GeoPackage)")->required();
  cmd->add_option("-o,--out", flags->out,
                  "Write cell_changes, moved_units, code_mapping and diff_summary layers here");
  cmd->add_option("--key", flags->key, "Unit field matching units of the two plans")
      ->capture_default_str();
  cmd->add_option("--min", flags->min, "Lower bound for the balance summary")
      ->capture_default_str();
  cmd->add_option("--max", flags->max, "Upper bound for the balance summary")
      ->capture_default_str();
  cmd->add_option("--list", flags->list, "Changed cells listed in the text output")
      ->capture_default_str();
  cmd->add_flag("--overwrite", flags->overwrite, "Replace an existing --out");
  cmd->callback([flags, &global] { run_diff(*flags, global); });
}

} // namespace gp::cli
