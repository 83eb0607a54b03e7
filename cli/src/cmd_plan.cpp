// `gridplan plan`: read units (and areas, compounds, barriers), divide every community
// into grid cells, write the plan (cells, units, areas, plan_metadata) and print a summary.

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/bytes.hpp"
#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/codes.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "hierarchy_inputs.hpp"
#include "output.hpp"
#include "output_flags.hpp"
#include "plan_inputs.hpp"
#include "progress.hpp"
#include "warnings.hpp"

namespace gp::cli {
namespace {

struct PlanFlags {
  PlanInputFlags inputs;
  std::string out;
  LayerOutputFlags output;
  std::string out_crs;
  bool overwrite = false;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// What the root's full read tells the other ranks: whether they may read only their own
/// communities (the areas layer gave communities; an area derived from all the units
/// needs them all), the planned areas with their units (to deal them), and what
/// geo::AreaSubset needs.
struct RootRead {
  bool by_communities = false;
  planner::PlannedAreas areas;
  std::string work_crs;
  bool units_name_compounds = false;
};

/// Collective: the root's RootRead of `dataset` (its full read) on every rank.
RootRead share_root_read(const Ranks& ranks, const geo::Dataset& dataset) {
  std::string bytes;
  if (ranks.is_root()) {
    ByteWriter w;
    const bool read_communities =
        std::any_of(dataset.areas.begin(), dataset.areas.end(), [](const geo::Area& a) {
          return a.level == geo::AreaLevel::community && a.source_fid >= 0;
        });
    w.put(static_cast<std::uint8_t>(read_communities ? 1 : 0));
    w.put(planner::planned_areas(dataset).to_bytes());
    w.put(dataset.work_crs);
    w.put(static_cast<std::uint8_t>(dataset.report.units_name_compounds ? 1 : 0));
    bytes = w.take();
  }
  ranks.broadcast(bytes);
  ByteReader r(bytes);
  RootRead root;
  root.by_communities = r.get<std::uint8_t>() != 0;
  root.areas = planner::PlannedAreas::from_bytes(r.get_string());
  root.work_crs = r.get_string();
  root.units_name_compounds = r.get<std::uint8_t>() != 0;
  return root;
}

void run_plan(const PlanFlags& flags, const GlobalOptions& global) {
  const auto start = std::chrono::steady_clock::now();
  const Ranks& ranks = *global.ranks;
  ProgressBar bar(global.quiet || global.json);
  planner::PlanOptions plan_options;
  geo::WriteOptions write;
  std::string target;
  geo::Dataset dataset;
  double read_s = 0;
  geo::DatasetSources sources;
  geo::ReadOptions read_options;
  // Several ranks and an areas layer: the root reads the whole dataset (it writes every
  // unit); the others read their own communities' units once it has said which
  // (docs/design/scale.md), or everything when it found no communities in the areas
  // layer. Every rank checks the flags; a failure on any rank ends them all with its
  // message (gp::agree).
  bool root_first = false;
  auto read = [&] {
    const auto t = std::chrono::steady_clock::now();
    dataset = geo::read_dataset(sources, read_options);
    read_s = seconds_since(t);
  };
  agree(ranks, [&] {
    sources = flags.inputs.sources();
    plan_options = flags.inputs.plan_options();
    write = flags.output.write_options(flags.out, plan_formats(), "plan");
    target = flags.output.target(flags.out);
    write.overwrite = flags.overwrite;
    write.inputs = flags.inputs.input_paths();
    // Fail before the heavy work when the output cannot be written.
    check_layers_output(target, write.format, several_layers, write.inputs, flags.overwrite);

    plan_options.threads = global.threads(plan_options.threads);
    read_options = flags.inputs.read_options();
    read_options.threads = plan_options.threads;
    read_options.progress = [&bar](double f, const std::string& label) {
      bar.update(0.25 * f, label);
    };
    root_first = ranks.size() > 1 && sources.areas.has_value();
    if (root_first && !ranks.is_root()) return;
    read();
  });
  RootRead root_read;
  if (root_first) {
    root_read = share_root_read(ranks, dataset);
    const auto owner = deal_jobs(root_read.areas.units, ranks.size()); // as make_plan deals
    agree(ranks, [&] {
      if (ranks.is_root()) return;
      if (root_read.by_communities) {
        geo::AreaSubset mine;
        for (std::size_t j = 0; j < owner.size(); ++j)
          if (owner[j] == ranks.rank()) mine.codes.push_back(root_read.areas.codes[j]);
        mine.work_crs = root_read.work_crs;
        mine.units_name_compounds = root_read.units_name_compounds;
        read_options.only_areas = std::move(mine);
      }
      read();
    });
  }

  plan_options.progress = [&bar](double f, const std::string& label) {
    bar.update(0.25 + 0.55 * f, label);
  };
  plan_options.ranks = &ranks;
  if (root_read.by_communities) plan_options.whole = &root_read.areas;
  auto plan = planner::make_plan(dataset, plan_options);

  // The root alone finishes and writes the plan; the other ranks wait for its verdict.
  std::vector<geo::Layer> layers;
  double write_s = 0;
  agree(ranks, [&] {
    if (!ranks.is_root()) return;
    if (!flags.inputs.code_scheme.empty())
      planner::codes::apply_scheme(plan, planner::codes::parse_scheme(flags.inputs.code_scheme),
                                   flags.inputs.areas.empty() ? flags.inputs.city
                                                              : flags.inputs.areas);

    auto metadata = flags.inputs.input_metadata();
    metadata.emplace_back("units_read", std::to_string(dataset.units.size()));
    metadata.emplace_back("households_estimated",
                          std::to_string(dataset.report.households_estimated));
    metadata.emplace_back("out_crs", flags.out_crs.empty() ? "source" : flags.out_crs);
    metadata.emplace_back("units_non_residential",
                          std::to_string(dataset.report.units_non_residential));
    metadata.emplace_back("units_untyped", std::to_string(dataset.report.units_untyped));
    metadata.emplace_back("untyped_floor_area_share",
                          fmt::format("{:.4f}", dataset.report.untyped_floor_area_share));
    for (const auto& a : plan.areas) {
      if (a.households_total < 0 && a.population_total < 0) continue;
      std::string flags_text;
      for (const auto& f : a.flags) flags_text += (flags_text.empty() ? "" : ",") + f;
      metadata.emplace_back(
          "calibration:" + a.code,
          fmt::format(
              "total {} (source {}); given {:.1f}, estimated {:.1f} -> {:.1f}, factor "
              "{:.4f}{}",
              a.households_total >= 0 ? fmt::format("{:.1f}", a.households_total)
                                      : fmt::format("population {:.1f}", a.population_total),
              a.totals_source, a.households_given, a.households_estimated, a.households_scaled,
              a.scale_factor, flags_text.empty() ? "" : "; flags " + flags_text));
    }
    layers = planner::plan_file::plan_layers(dataset, plan, metadata);

    write.geometry_crs = dataset.work_crs;
    write.out_crs = flags.out_crs.empty() ? dataset.source_crs : flags.out_crs;
    write.progress = [&bar](double f, const std::string& label) {
      bar.update(0.8 + 0.2 * f, label);
    };
    const auto t = std::chrono::steady_clock::now();
    geo::write_layers(target, layers, write);
    write_s = seconds_since(t);
  });
  bar.finish();
  if (!ranks.is_root()) return;
  const double total_s = seconds_since(start);

  const auto& sum = plan.summary;
  if (global.json) {
    auto j = nlohmann::ordered_json::parse(planner::summary_json(plan));
    if (j.contains("violation_list") && j["violation_list"].size() == plan.violations.size())
      for (std::size_t k = 0; k < plan.violations.size(); ++k)
        if (!plan.violations[k].cause.empty())
          j["violation_list"][k]["cause"] = plan.violations[k].cause;
    j["cells_oversized"] = sum.cells_oversized;
    j["share_within_bounds_regular"] = sum.share_within_bounds_regular;
    j["empty_cells"] = sum.empty_cells;
    j["households"] = sum.households;
    j["households_given"] = sum.households_given;
    j["households_estimated"] = sum.households_estimated;
    j["units_non_residential"] = dataset.report.units_non_residential;
    j["units_untyped"] = dataset.report.units_untyped;
    j["untyped_floor_area_share"] = sum.untyped_floor_area_share;
    j["areas_with_totals"] = sum.areas_with_totals;
    j["areas_flagged"] = sum.areas_flagged;
    auto areas = nlohmann::ordered_json::array();
    for (const auto& a : plan.areas) {
      nlohmann::ordered_json x;
      x["area_code"] = a.code;
      x["cells"] = a.cells.size();
      x["cells_oversized"] = a.cells_oversized;
      x["households"] = a.households;
      x["households_total"] =
          a.households_total >= 0 ? nlohmann::ordered_json(a.households_total) : nullptr;
      x["population_total"] =
          a.population_total >= 0 ? nlohmann::ordered_json(a.population_total) : nullptr;
      x["totals_source"] = a.totals_source;
      x["households_given"] = a.households_given;
      x["households_estimated"] = a.households_estimated;
      x["households_scaled"] = a.households_scaled;
      x["scale_factor"] = a.scale_factor;
      x["untyped_floor_area_share"] = a.untyped_floor_area_share;
      x["flags"] = a.flags;
      areas.push_back(std::move(x));
    }
    j["area_households"] = std::move(areas);
    j["hierarchy"] = nlohmann::ordered_json::parse(
        planner::hierarchy_json(hierarchy_report(flags.inputs, dataset, &plan)));
    j["output"] = shown(target);
    j["seconds_read"] = read_s;
    j["seconds_write"] = write_s;
    j["seconds_total"] = total_s;
    add_ranks_json(j, plan.rank_shares, "communities", "units", "units_read");
    fmt::print("{}\n", json_with_warnings(j.dump(), dataset.report.warnings));
    return;
  }
  print_warnings(dataset.report.warnings);
  if (global.quiet) return;
  fmt::print("{}", planner::summary_text(plan));
  fmt::print("households {:.0f} ({:.0f} given, {:.0f} estimated); {} non-residential units "
             "(0 households), untyped floor area {:.1f}%\n",
             sum.households, sum.households_given, sum.households_estimated,
             dataset.report.units_non_residential, 100 * sum.untyped_floor_area_share);
  if (sum.areas_with_totals > 0)
    fmt::print("known totals in {} area(s): estimates scaled to them, {} flagged (see "
               "warnings)\n",
               sum.areas_with_totals, sum.areas_flagged);
  fmt::print("{} cell(s) hold a unit above the maximum (cells of their own); the other cells "
             "{:.1f}% within bounds; {} empty cell(s)\n",
             sum.cells_oversized, 100 * sum.share_within_bounds_regular, sum.empty_cells);
  fmt::print("{}", planner::hierarchy_text(hierarchy_report(flags.inputs, dataset, &plan)));
  fmt::print("read {:.2f} s, plan {:.2f} s, write {:.2f} s, total {:.2f} s\n", read_s,
             plan.summary.seconds, write_s, total_s);
  fmt::print("{}", ranks_text(plan.rank_shares, "communities", "units", "read"));
  fmt::print("plan written to {} (layers:", shown(target));
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
  cmd->add_option("-o,--out", flags->out,
                  "Output plan: a GeoPackage (default), .shp directory, .geojson, .fgb, or "
                  "PG:\"dbname=...\" (PostGIS)")
      ->required();
  flags->output.add_to(*cmd);
  cmd->add_option("--out-crs", flags->out_crs,
                  "CRS of the output (default: the source CRS); may be GCJ-02 or BD-09");
  cmd->add_flag("--overwrite", flags->overwrite, "Replace an existing output");
  cmd->callback([flags, &global] { run_plan(*flags, global); });
}

} // namespace gp::cli
