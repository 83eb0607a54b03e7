// `gridplan rebalance`: repair an existing grid layer with the fewest moves (and the code
// shared with `gridplan merge`: reading grid layers, writing and reporting the result).

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/plan.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "redraw_common.hpp"

namespace gp::cli {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

int find_field(const geo::Table& t, const std::vector<std::string>& names) {
  for (const auto& name : names)
    for (std::size_t i = 0; i < t.fields.size(); ++i)
      if (lower(t.fields[i].name) == lower(name)) return static_cast<int>(i);
  return -1;
}

/// Text of a value, integers without decimals; "" for NULL.
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

bool truthy(const geo::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
  if (const auto* d = std::get_if<double>(&v)) return *d != 0;
  if (const auto* s = std::get_if<std::string>(&v)) {
    const auto t = lower(*s);
    return t == "1" || t == "true" || t == "yes" || t == "y" || t == "t" || *s == "是";
  }
  return false;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

} // namespace

planner::ExistingGrid read_grid(const std::string& text, const std::string& code_field,
                                const std::string& lock_field, const std::string& work_crs) {
  const auto spec = geo::SourceSpec::parse(text);
  std::string layer_name = spec.layer;
  if (layer_name.empty()) {
    // A plan's cells, else the first polygon layer.
    const auto layers = geo::list_layers(spec.path, geo::ReadOptions{});
    for (const auto& l : layers)
      if (l.name == "cells") layer_name = l.name;
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
  const int code = code_field.empty()
                       ? find_field(layer.table, {"cell_code", "grid_code", "gridcode", "grid_id",
                                                  "网格编码", "网格代码", "wgbm", "code", "编码"})
                       : find_field(layer.table, {code_field});
  if (code < 0)
    throw InputError(spec.path, layer.name, std::nullopt,
                     code_field.empty()
                         ? "no cell code field found (looked for cell_code, grid_code, code, "
                           "网格编码, ...); name it with --code-field"
                         : fmt::format("has no field '{}' (--code-field)", code_field));
  int lock = -1;
  if (!lock_field.empty()) {
    lock = find_field(layer.table, {lock_field});
    if (lock < 0)
      throw InputError(spec.path, layer.name, std::nullopt,
                       fmt::format("has no field '{}' (--lock-field)", lock_field));
  }
  planner::ExistingGrid grid;
  grid.name = spec.path + ":" + layer.name;
  for (std::size_t f = 0; f < layer.table.rows.size(); ++f) {
    const auto& row = layer.table.rows[f];
    auto c = value_text(row[static_cast<std::size_t>(code)]);
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

void add_redraw_flags(CLI::App& cmd, RedrawFlags& flags) {
  flags.inputs.add_to(cmd);
  cmd.add_option("--code-field", flags.code_field,
                 "Field holding each existing cell's code (default: detect cell_code, grid_code, "
                 "code, 网格编码, ...)");
  cmd.add_option("--stability", flags.stability,
                 "Metres of cell boundary a move must save per household moved; larger keeps "
                 "cells as they were, smaller also smooths changed cells")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  cmd.add_option("-o,--out", flags.out, "Output plan (GeoPackage by default)")->required();
  cmd.add_option("--format", flags.format,
                 "gpkg, shp (a directory), geojson or fgb (a directory: one file per layer), or "
                 "pg (default: from --out)")
      ->check(CLI::IsMember({"gpkg", "shp", "geojson", "fgb", "pg"}));
  cmd.add_option("--out-crs", flags.out_crs, "CRS of the output (default: the source CRS)");
  cmd.add_flag("--overwrite", flags.overwrite, "Replace an existing output");
}

void run_redraw(const RedrawFlags& flags_in, bool merge, const GlobalOptions& global) {
  const auto start = std::chrono::steady_clock::now();
  RedrawFlags flags = flags_in;
  if (!flags.input.empty() && flags.inputs.city.empty() && flags.inputs.units.empty())
    flags.inputs.city = flags.input;
  if (!flags.existing.empty()) flags.grids.insert(flags.grids.begin(), flags.existing);
  if (flags.grids.empty()) throw UsageError("no existing grid layer given");
  if (merge && flags.grids.size() < 2) throw UsageError("merge needs at least two grid layers");
  const auto sources = flags.inputs.sources();
  auto options = planner::RedrawOptions{};
  options.plan = flags.inputs.plan_options();
  options.stability = flags.stability;
  options.locked_codes = flags.lock;

  geo::WriteOptions write;
  write.format =
      output_format(flags.out, flags.format, plan_formats(), merge ? "merge" : "rebalance");
  write.overwrite = flags.overwrite;
  write.inputs = flags.inputs.input_paths();
  for (const auto& g : flags.grids) write.inputs.push_back(geo::SourceSpec::parse(g).path);
  check_layers_output(flags.out, write.format, several_layers, write.inputs, flags.overwrite);

  ProgressBar bar(global.quiet || global.json);
  auto read_options = flags.inputs.read_options();
  read_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.2 * f, label);
  };
  auto t = std::chrono::steady_clock::now();
  const geo::Dataset dataset = geo::read_dataset(sources, read_options);
  std::vector<planner::ExistingGrid> grids;
  for (const auto& g : flags.grids)
    grids.push_back(read_grid(g, flags.code_field, flags.lock_field, dataset.work_crs));
  const double read_s = seconds_since(t);

  options.plan.progress = [&bar](double f, const std::string& label) {
    bar.update(0.2 + 0.6 * f, label);
  };
  planner::RedrawReport report;
  const auto plan = planner::redraw_plan(dataset, grids, options, report);

  // Output: the plan layers, a status per cell, the retired cells' old polygons.
  auto metadata = flags.inputs.input_metadata();
  metadata.emplace_back("command", merge ? "merge" : "rebalance");
  for (std::size_t k = 0; k < grids.size(); ++k) {
    metadata.emplace_back(fmt::format("grid_{}", k + 1), grids[k].name);
    metadata.emplace_back(fmt::format("grid_{}_checksum", k + 1),
                          geo::file_checksum(geo::SourceSpec::parse(flags.grids[k]).path));
  }
  metadata.emplace_back("stability", fmt::format("{}", flags.stability));
  metadata.emplace_back("households_moved", fmt::format("{:.0f}", report.households_moved));
  metadata.emplace_back("units_moved", std::to_string(report.units_moved));
  metadata.emplace_back("gap_units", std::to_string(report.gap_units));
  metadata.emplace_back("cells_unchanged", std::to_string(report.unchanged_codes.size()));
  metadata.emplace_back("cells_changed", std::to_string(report.changed_codes.size()));
  metadata.emplace_back("cells_new", std::to_string(report.new_codes.size()));
  metadata.emplace_back("retired_codes", join(report.retired_codes));
  metadata.emplace_back("locked_codes", join(report.locked_codes));
  metadata.emplace_back("time_read_s", fmt::format("{:.3f}", read_s));
  auto layers = planner::plan_layers(dataset, plan, metadata);

  std::set<std::string> locked(report.locked_codes.begin(), report.locked_codes.end());
  std::set<std::string> unchanged(report.unchanged_codes.begin(), report.unchanged_codes.end());
  std::set<std::string> fresh(report.new_codes.begin(), report.new_codes.end());
  for (auto& layer : layers) {
    if (layer.name != "cells") continue;
    const int code = layer.table.find("cell_code");
    if (code < 0) break;
    layer.table.fields.push_back(geo::Field{"status", geo::FieldType::text});
    for (auto& row : layer.table.rows) {
      const auto c = value_text(row[static_cast<std::size_t>(code)]);
      row.emplace_back(std::string(locked.count(c)      ? "locked"
                                   : unchanged.count(c) ? "unchanged"
                                   : fresh.count(c)     ? "new"
                                                        : "changed"));
    }
  }
  geo::Layer retired;
  retired.name = "retired_cells";
  retired.kind = geo::GeometryKind::polygon;
  retired.table.fields = {{"cell_code", geo::FieldType::text}};
  {
    const std::set<std::string> codes(report.retired_codes.begin(), report.retired_codes.end());
    for (std::size_t f = 0; f < grids.front().codes.size(); ++f)
      if (codes.count(grids.front().codes[f])) {
        retired.table.rows.push_back({grids.front().codes[f]});
        retired.polygons.push_back(grids.front().polygons[f]);
      }
  }
  layers.push_back(std::move(retired));

  write.geometry_crs = dataset.work_crs;
  write.out_crs = flags.out_crs.empty() ? dataset.source_crs : flags.out_crs;
  write.progress = [&bar](double f, const std::string& label) { bar.update(0.8 + 0.2 * f, label); };
  t = std::chrono::steady_clock::now();
  geo::write_layers(flags.out, layers, write);
  const double write_s = seconds_since(t);
  bar.finish();
  const double total_s = seconds_since(start);

  double households_total = 0;
  for (const auto& c : plan.cells) households_total += c.households;
  if (global.json) {
    auto j = nlohmann::ordered_json::parse(planner::summary_json(plan));
    nlohmann::ordered_json r;
    r["households_moved"] = report.households_moved;
    r["units_moved"] = report.units_moved;
    r["households_total"] = households_total;
    r["gap_households"] = report.gap_households;
    r["gap_units"] = report.gap_units;
    r["cells_unchanged"] = report.unchanged_codes.size();
    r["cells_changed"] = report.changed_codes;
    r["cells_new"] = report.new_codes;
    r["retired_codes"] = report.retired_codes;
    r["locked_codes"] = report.locked_codes;
    r["fragments_reassigned"] = report.fragments_reassigned;
    r["groups_reunited"] = report.groups_reunited;
    r["splits"] = report.splits;
    r["replans"] = report.replans;
    nlohmann::ordered_json before = nlohmann::ordered_json::object();
    for (const auto& [rule, count] : report.violations_before) before[rule] = count;
    r["violations_before"] = before;
    nlohmann::ordered_json gj = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < report.grids.size(); ++k) {
      const auto& g = report.grids[k];
      const auto& a = report.agreement[k];
      gj.push_back({{"name", g.name},
                    {"cells", g.cells},
                    {"units_contained", g.units_contained},
                    {"units_in_overlaps", g.units_in_overlaps},
                    {"units_by_overlap", g.units_by_overlap},
                    {"units_in_gaps", g.units_in_gaps},
                    {"overlapping_pairs", g.overlapping_pairs},
                    {"overlap_area_m2", g.overlap_area_m2},
                    {"empty_cells", g.empty_cells},
                    {"cells_across_areas", g.cells_across_areas},
                    {"duplicate_codes", g.duplicate_codes},
                    {"households_changed", a.households_changed},
                    {"households_changed_share",
                     a.households_total > 0 ? a.households_changed / a.households_total : 0.0},
                    {"boundary_kept_m", a.boundary_kept_m},
                    {"boundary_total_m", a.boundary_total_m},
                    {"boundary_kept_share",
                     a.boundary_total_m > 0 ? a.boundary_kept_m / a.boundary_total_m : 1.0},
                    {"areas_chosen", a.areas_chosen}});
    }
    r["grids"] = gj;
    j[merge ? "merge" : "rebalance"] = r;
    j["output"] = flags.out;
    j["seconds_read"] = read_s;
    j["seconds_write"] = write_s;
    j["seconds_total"] = total_s;
    fmt::print("{}\n", j.dump(2));
    return;
  }
  if (global.quiet) return;
  for (const auto& w : dataset.report.warnings) fmt::print(stderr, "warning: {}\n", w);
  for (std::size_t k = 0; k < report.grids.size(); ++k) {
    const auto& g = report.grids[k];
    fmt::print("{}: {} cells; units in one cell {}, in overlapping cells {}, by footprint "
               "overlap {}, in gaps {}; {} overlapping cell pairs ({:.0f} m²), {} empty cells, "
               "{} cells across areas\n",
               g.name, g.cells, g.units_contained, g.units_in_overlaps, g.units_by_overlap,
               g.units_in_gaps, g.overlapping_pairs, g.overlap_area_m2, g.empty_cells,
               g.cells_across_areas);
  }
  if (!report.violations_before.empty()) {
    fmt::print("rules broken before:");
    for (const auto& [rule, count] : report.violations_before) fmt::print(" {} {}", rule, count);
    fmt::print("\n");
  }
  fmt::print("{}", planner::summary_text(plan));
  fmt::print("households moved {:.0f} of {:.0f} ({:.2f}%), units moved {}, gap units placed {}\n",
             report.households_moved, households_total,
             households_total > 0 ? 100.0 * report.households_moved / households_total : 0.0,
             report.units_moved, report.gap_units);
  fmt::print("cells: {} unchanged, {} changed, {} new, {} retired, {} locked\n",
             report.unchanged_codes.size(), report.changed_codes.size(), report.new_codes.size(),
             report.retired_codes.size(), report.locked_codes.size());
  if (!report.retired_codes.empty()) fmt::print("retired codes: {}\n", join(report.retired_codes));
  if (merge)
    for (const auto& a : report.agreement)
      fmt::print("{}: households whose cell changed {:.2f}%, boundary kept {:.2f}%, base of {} "
                 "area(s)\n",
                 a.name,
                 a.households_total > 0 ? 100.0 * a.households_changed / a.households_total : 0.0,
                 a.boundary_total_m > 0 ? 100.0 * a.boundary_kept_m / a.boundary_total_m : 100.0,
                 a.areas_chosen);
  fmt::print("read {:.2f} s, redraw {:.2f} s, write {:.2f} s, total {:.2f} s\n", read_s,
             report.seconds, write_s, total_s);
  fmt::print("plan written to {}\n", flags.out);
}

void add_rebalance(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<RedrawFlags>();
  auto* cmd = app.add_subcommand(
      "rebalance", "Repair an existing grid layer so every cell follows the rules, moving as "
                   "few households as possible");
  cmd->footer("Example: gridplan rebalance --existing old.gpkg:cells --city city.gpkg "
              "--lock 110101001001003 --out plan.gpkg\nSee docs/user/rebalance.md.");
  cmd->add_option("input", flags->input, "The city (same as --city) when --units is not given");
  cmd->add_option("--existing", flags->existing, "Existing grid cells: SRC[:LAYER] (polygons)")
      ->required();
  cmd->add_option("--lock", flags->lock, "Cell codes never changed (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--lock-field", flags->lock_field,
                  "Field of the existing layer: cells where it is 1/true/yes are locked");
  add_redraw_flags(*cmd, *flags);
  cmd->callback([flags, &global] { run_redraw(*flags, false, global); });
}

} // namespace gp::cli
