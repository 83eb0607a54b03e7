// `gridplan diff A.gpkg B.gpkg`: what changed between two plans, per cell and per building,
// with a summary; `--out diff.gpkg` writes layers for the viewer and QGIS. See
// docs/user/diff.md.

#include <fmt/core.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/diff.hpp"
#include "gp/planner/plan_file.hpp"
#include "output.hpp"
#include "output_flags.hpp"
#include "progress.hpp"

namespace gp::cli {
namespace {

namespace pf = planner::plan_file;

struct DiffFlags {
  std::string before, after;
  std::string out;
  LayerOutputFlags output;
  std::string key = pf::field::unit_id;
  std::optional<double> min, max; ///< default: the after plan's own bounds
  bool overwrite = false;
  std::size_t list = 20;
};

struct LoadedPlan {
  planner::PlanAssignment assignment;
  pf::PlanFile file;
};

/// A plan through the plan-file contract; units matched by `key` (unit_id, or any field of
/// the units layer).
LoadedPlan load(const std::string& path, const std::string& key) {
  LoadedPlan p;
  p.file = pf::read_plan(path);
  std::vector<std::string> keys;
  if (key != pf::field::unit_id) {
    const auto units = geo::read_layer(path, pf::layer::units);
    const int k = units.table.find(key);
    if (k < 0)
      throw InputError(path, pf::layer::units, std::nullopt,
                       fmt::format("has no field '{}' to match units by (--key)", key));
    for (const auto& row : units.table.rows)
      keys.push_back(geo::value_text(row[static_cast<std::size_t>(k)]));
  }
  for (std::size_t i = 0; i < p.file.units.size(); ++i) {
    const auto& u = p.file.units[i];
    auto id = keys.empty() ? std::to_string(u.id) : keys[i];
    if (id.empty())
      throw InputError(path, pf::layer::units, static_cast<long long>(i + 1),
                       fmt::format("unit has no value in '{}'", key));
    p.assignment.unit_key.push_back(std::move(id));
    p.assignment.cell_code.push_back(
        u.cell >= 0 ? p.file.cells[static_cast<std::size_t>(u.cell)].code : std::string{});
    p.assignment.households.push_back(u.households);
  }
  return p;
}

std::map<std::string, std::size_t> cell_rows(const pf::PlanFile& plan) {
  std::map<std::string, std::size_t> rows;
  for (std::size_t i = 0; i < plan.cells.size(); ++i) rows.emplace(plan.cells[i].code, i);
  return rows;
}

/// The plan's own judgement (its bounds and adjacency), as the planner reported it.
nlohmann::ordered_json judgement_json(const pf::PlanFile& plan) {
  const auto j = pf::judge_plan(plan);
  return {{"cells", plan.cells.size()},
          {"share_within_bounds", j.share_within_bounds},
          {"share_contiguous", j.share_contiguous},
          {"cut_edges", j.cut_edges},
          {"split_compounds", j.split_compounds},
          {"unassigned_units", j.unassigned_units},
          {"cells_below_floor", j.cells_below_floor}};
}

void run_diff(const DiffFlags& flags, const GlobalOptions& global) {
  const std::string target = flags.out.empty() ? flags.out : flags.output.target(flags.out);
  if (!flags.out.empty()) {
    (void)flags.output.write_options(flags.out,
                                     {geo::OutputFormat::gpkg, geo::OutputFormat::postgis}, "diff");
    check_output_writable(flags.output.target(flags.out), {flags.before, flags.after},
                          flags.overwrite);
  }
  ProgressBar bar(global.quiet || global.json);
  bar.update(0, "reading plans");
  const auto a = load(flags.before, flags.key);
  bar.update(0.4, "reading plans");
  const auto b = load(flags.after, flags.key);
  bar.update(0.8, "comparing");
  const double min = flags.min.value_or(b.file.rules.min_weight);
  const double max = flags.max.value_or(b.file.rules.max_weight);
  if (!(min >= 0) || !(max >= min))
    throw UsageError(
        fmt::format("--min ({}) and --max ({}) must satisfy 0 <= min <= max", min, max));
  const auto d = planner::diff_plans(a.assignment, b.assignment, planner::DiffOptions{min, max});

  if (!flags.out.empty()) {
    using geo::Field;
    using geo::FieldType;
    std::vector<geo::Layer> layers;
    // Cells: geometry from the after plan (the before plan for removed cells).
    geo::Layer cells;
    cells.name = "cell_changes";
    cells.kind = geo::GeometryKind::polygon;
    cells.table.fields = {
        {pf::field::cell_code, FieldType::text}, {"status", FieldType::text},
        {"households_before", FieldType::real},  {"households_after", FieldType::real},
        {"households_gained", FieldType::real},  {"households_lost", FieldType::real},
        {"units_before", FieldType::integer},    {"units_after", FieldType::integer},
        {"units_gained", FieldType::integer},    {"units_lost", FieldType::integer},
        {"successor", FieldType::text}};
    const auto rows_a = cell_rows(a.file), rows_b = cell_rows(b.file);
    for (const auto& c : d.cells) {
      geo::MultiPolygon g;
      if (const auto it = rows_b.find(c.code); it != rows_b.end())
        g = b.file.cells[it->second].geometry;
      else if (const auto ia = rows_a.find(c.code); ia != rows_a.end())
        g = a.file.cells[ia->second].geometry;
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
    bool footprints = false;
    for (const auto& u : b.file.units) footprints = footprints || !u.footprint.empty();
    moved.kind = footprints ? geo::GeometryKind::polygon : geo::GeometryKind::point;
    moved.table.fields = {{flags.key, FieldType::text},
                          {"from_cell", FieldType::text},
                          {"to_cell", FieldType::text},
                          {"households", FieldType::real}};
    for (const auto& m : d.moved) {
      if (moved.kind == geo::GeometryKind::point)
        moved.points.push_back(b.file.units[m.after_index].anchor);
      else
        moved.polygons.push_back(b.file.units[m.after_index].footprint);
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

    geo::WriteOptions write = flags.output.write_options(
        flags.out, {geo::OutputFormat::gpkg, geo::OutputFormat::postgis}, "diff");
    write.overwrite = flags.overwrite;
    write.inputs = {flags.before, flags.after};
    write.geometry_crs = b.file.work_crs;
    geo::write_layers(target, layers, write);
  }
  bar.finish();

  if (global.json) {
    nlohmann::ordered_json j;
    j["before"] = shown(flags.before);
    j["after"] = shown(flags.after);
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
    j["judgement_before"] = judgement_json(a.file);
    j["judgement_after"] = judgement_json(b.file);
    if (!flags.out.empty()) j["output"] = shown(target);
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
               name, s.cells, s.min, s.mean, s.max, min, max, 100.0 * s.share_within_bounds);
  if (!flags.out.empty())
    fmt::print("diff written to {} (layers: cell_changes moved_units code_mapping diff_summary)\n",
               shown(target));
}

} // namespace

void add_diff(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<DiffFlags>();
  auto* cmd = app.add_subcommand(
      "diff", "Compare two plans: households and buildings each cell gained and lost, old -> new "
              "codes, moved buildings");
  cmd->footer("Example: gridplan diff old.gpkg new.gpkg --out diff.gpkg\nSee docs/user/diff.md.");
  cmd->add_option("before", flags->before,
                  "The earlier plan (GeoPackage, or PG:... [|prefix=P] in PostGIS)")
      ->required();
  cmd->add_option("after", flags->after, "The later plan (GeoPackage, or PostGIS)")->required();
  cmd->add_option("-o,--out", flags->out,
                  "Write cell_changes, moved_units, code_mapping and diff_summary layers here "
                  "(GeoPackage by default, or PG:...)");
  flags->output.add_to(*cmd);
  cmd->add_option("--key", flags->key, "Unit field matching units of the two plans")
      ->capture_default_str();
  cmd->add_option("--min", flags->min,
                  "Lower bound for the balance summary (default: the after plan's own)");
  cmd->add_option("--max", flags->max,
                  "Upper bound for the balance summary (default: the after plan's own)");
  cmd->add_option("--list", flags->list, "Changed cells listed in the text output")
      ->capture_default_str();
  cmd->add_flag("--overwrite", flags->overwrite, "Replace an existing --out");
  cmd->callback([flags, &global] { run_diff(*flags, global); });
}

} // namespace gp::cli
