// `gridplan plan`: read units (and areas, compounds, barriers), divide every community
// into grid cells, write the plan (cells, units, areas, plan_metadata) and print a summary.

#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/floors.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "output.hpp"
#include "plan_inputs.hpp"
#include "progress.hpp"
#include "warnings.hpp"

namespace gp::cli {
namespace {

struct PlanFlags {
  PlanInputFlags inputs;
  std::string out;
  std::string format;
  std::string out_crs;
  bool overwrite = false;
  std::vector<std::string> at_least; ///< FIELD:N floors, checked after planning
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void run_plan(const PlanFlags& flags, const GlobalOptions& global) {
  const auto start = std::chrono::steady_clock::now();
  const auto sources = flags.inputs.sources();
  auto plan_options = flags.inputs.plan_options();
  geo::WriteOptions write;
  write.format = output_format(flags.out, flags.format, plan_formats(), "plan");
  write.overwrite = flags.overwrite;
  write.inputs = flags.inputs.input_paths();
  // Fail before the heavy work when the output cannot be written.
  check_layers_output(flags.out, write.format, several_layers, write.inputs, flags.overwrite);
  std::vector<planner::FieldFloor> floors;
  for (const auto& f : flags.at_least) floors.push_back(planner::parse_floor(f));

  ProgressBar bar(global.quiet || global.json);
  auto read_options = flags.inputs.read_options();
  read_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.25 * f, label);
  };
  auto t = std::chrono::steady_clock::now();
  const geo::Dataset dataset = geo::read_dataset(sources, read_options);
  const double read_s = seconds_since(t);

  plan_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.25 + 0.55 * f, label);
  };
  auto plan = planner::make_plan(dataset, plan_options);
  for (const auto& v : planner::check_floors(dataset, plan, floors))
    plan.violations.push_back(planner::to_plan_violation(v));
  plan.summary.violations = plan.violations.size();

  auto metadata = flags.inputs.input_metadata();
  metadata.emplace_back("time_read_s", fmt::format("{:.3f}", read_s));
  metadata.emplace_back("units_read", std::to_string(dataset.units.size()));
  metadata.emplace_back("households_estimated",
                        std::to_string(dataset.report.households_estimated));
  metadata.emplace_back("out_crs", flags.out_crs.empty() ? "source" : flags.out_crs);
  const auto layers = planner::plan_file::plan_layers(dataset, plan, metadata);

  write.geometry_crs = dataset.work_crs;
  write.out_crs = flags.out_crs.empty() ? dataset.source_crs : flags.out_crs;
  write.progress = [&bar](double f, const std::string& label) { bar.update(0.8 + 0.2 * f, label); };
  t = std::chrono::steady_clock::now();
  geo::write_layers(flags.out, layers, write);
  const double write_s = seconds_since(t);
  bar.finish();
  const double total_s = seconds_since(start);

  if (global.json) {
    auto j = nlohmann::ordered_json::parse(planner::summary_json(plan));
    j["output"] = flags.out;
    j["seconds_read"] = read_s;
    j["seconds_write"] = write_s;
    j["seconds_total"] = total_s;
    fmt::print("{}\n", json_with_warnings(j.dump(), dataset.report.warnings));
    return;
  }
  print_warnings(dataset.report.warnings);
  if (global.quiet) return;
  fmt::print("{}", planner::summary_text(plan));
  fmt::print("read {:.2f} s, plan {:.2f} s, write {:.2f} s, total {:.2f} s\n", read_s,
             plan.summary.seconds, write_s, total_s);
  fmt::print("plan written to {} (layers:", flags.out);
  for (const auto& l : layers) fmt::print(" {}", l.name);
  fmt::print(")\n");
}

} // namespace

void add_plan(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<PlanFlags>();
  auto* cmd = app.add_subcommand(
      "plan", "Divide every community into balanced, contiguous, compact grid cells that tile it");
  cmd->footer("Example: gridplan plan --city city.gpkg --out plan.gpkg\n"
              "See docs/user/plan.md for every flag, the output layers and how rule violations "
              "are reported.");
  flags->inputs.add_to(*cmd);
  cmd->add_option("-o,--out", flags->out, "Output plan (GeoPackage by default)")->required();
  cmd->add_option("--format", flags->format,
                  "gpkg, shp (a directory), geojson or fgb (a directory: one file per layer), or "
                  "pg (default: from --out's extension; PG:... is PostGIS)")
      ->check(CLI::IsMember({"gpkg", "shp", "geojson", "fgb", "pg"}));
  cmd->add_option("--out-crs", flags->out_crs,
                  "CRS of the output (default: the source CRS); may be GCJ-02 or BD-09");
  cmd->add_flag("--overwrite", flags->overwrite, "Replace an existing output");
  cmd->add_option("--at-least", flags->at_least,
                  "FIELD:N (repeatable): every cell holds at least N of FIELD, e.g. "
                  "party_members:3; cells below are reported as violations");
  cmd->callback([flags, &global] { run_plan(*flags, global); });
}

} // namespace gp::cli
