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
#include "gp/planner/plan_file.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "redraw_common.hpp"
#include "warnings.hpp"

namespace gp::cli {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

} // namespace

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
  cmd.add_option("-o,--out", flags.out,
                 "Output plan: a GeoPackage (default), .shp directory, .geojson, .fgb, or "
                 "PG:\"dbname=...\" (PostGIS)")
      ->required();
  flags.output.add_to(cmd);
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
  if (!flags.inputs.code_scheme.empty())
    options.code_scheme = planner::codes::parse_scheme(flags.inputs.code_scheme);

  geo::WriteOptions write =
      flags.output.write_options(flags.out, plan_formats(), merge ? "merge" : "rebalance");
  const std::string target = flags.output.target(flags.out);
  write.overwrite = flags.overwrite;
  write.inputs = flags.inputs.input_paths();
  for (const auto& g : flags.grids) write.inputs.push_back(geo::SourceSpec::parse(g).path);
  check_layers_output(target, write.format, several_layers, write.inputs, flags.overwrite);

  ProgressBar bar(global.quiet || global.json);
  auto read_options = flags.inputs.read_options();
  read_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.2 * f, label);
  };
  auto t = std::chrono::steady_clock::now();
  const geo::Dataset dataset = geo::read_dataset(sources, read_options);
  std::vector<planner::ExistingGrid> grids;
  for (const auto& g : flags.grids)
    grids.push_back(
        planner::plan_file::read_grid(g, flags.code_field, flags.lock_field, dataset.work_crs));
  if (merge) apply_merge_flags(flags, grids, options);
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
    metadata.emplace_back(fmt::format("grid_{}", k + 1), shown(grids[k].name));
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
  auto layers = planner::plan_file::plan_layers(dataset, plan, metadata);
  if (merge) planner::add_merge_layers(layers, dataset, plan, grids, report);

  std::set<std::string> locked(report.locked_codes.begin(), report.locked_codes.end());
  std::set<std::string> unchanged(report.unchanged_codes.begin(), report.unchanged_codes.end());
  std::set<std::string> fresh(report.new_codes.begin(), report.new_codes.end());
  for (auto& layer : layers) {
    if (layer.name != planner::plan_file::layer::cells) continue;
    const int code = layer.table.find(planner::plan_file::field::cell_code);
    if (code < 0) break;
    layer.table.fields.push_back(
        geo::Field{planner::plan_file::field::status, geo::FieldType::text});
    for (auto& row : layer.table.rows) {
      const auto c = geo::value_text(row[static_cast<std::size_t>(code)]);
      row.emplace_back(std::string(locked.count(c)      ? "locked"
                                   : unchanged.count(c) ? "unchanged"
                                   : fresh.count(c)     ? "new"
                                                        : "changed"));
    }
  }
  geo::Layer retired;
  retired.name = planner::plan_file::layer::retired_cells;
  retired.style = {geo::StyleHint::Kind::dashed,
                   "",
                   "",
                   "",
                   "",
                   "gridplan: retired cells",
                   "cells of the old grid that no longer exist, dashed"};
  retired.kind = geo::GeometryKind::polygon;
  retired.table.fields = {{planner::plan_file::field::cell_code, geo::FieldType::text}};
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
  geo::write_layers(target, layers, write);
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
    if (merge) add_merge_json(r, report);
    j[merge ? "merge" : "rebalance"] = r;
    j["output"] = shown(target);
    j["seconds_read"] = read_s;
    j["seconds_write"] = write_s;
    j["seconds_total"] = total_s;
    fmt::print("{}\n", json_with_warnings(j.dump(), dataset.report.warnings));
    return;
  }
  print_warnings(dataset.report.warnings);
  if (global.quiet) return;
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
  if (merge) print_merge_text(report);
  fmt::print("read {:.2f} s, redraw {:.2f} s, write {:.2f} s, total {:.2f} s\n", read_s,
             report.seconds, write_s, total_s);
  fmt::print("plan written to {}\n", shown(target));
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
