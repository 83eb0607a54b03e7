// `gridplan merge`: several agencies' grid layers -> one grid system that follows the
// rules and keeps the boundaries most of them share (多网合一). See docs/user/merge.md.

#include <cmath>
#include <filesystem>
#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "redraw_common.hpp"

namespace gp::cli {

void apply_merge_flags(const RedrawFlags& flags, std::vector<planner::ExistingGrid>& grids,
                       planner::RedrawOptions& options) {
  if (flags.method == "consensus")
    options.merge_method = planner::MergeMethod::consensus;
  else if (flags.method == "choose-one")
    options.merge_method = planner::MergeMethod::choose_one;
  else
    throw UsageError(
        fmt::format("--method must be consensus or choose-one (got '{}')", flags.method));
  for (const auto& text : flags.weights) {
    const auto eq = text.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("--weight '{}': expected NAME=WEIGHT", text));
    const auto name = text.substr(0, eq);
    double w = 0;
    try {
      std::size_t used = 0;
      w = std::stod(text.substr(eq + 1), &used);
      if (used != text.size() - eq - 1) w = 0;
    } catch (const std::exception&) {
      w = 0;
    }
    if (!(w > 0) || !std::isfinite(w))
      throw UsageError(fmt::format("--weight '{}': the weight must be a positive number", text));
    // NAME: the grid as given, its SRC:LAYER name, its file name without extension, or its
    // 1-based position.
    bool found = false;
    for (std::size_t k = 0; k < grids.size(); ++k) {
      const auto path = flags.grids[k].substr(0, flags.grids[k].find(':'));
      if (name == flags.grids[k] || name == grids[k].name ||
          name == std::filesystem::path(path).stem().string() || name == std::to_string(k + 1)) {
        grids[k].weight = w;
        found = true;
      }
    }
    if (!found)
      throw UsageError(fmt::format("--weight '{}': no grid layer named '{}'", text, name));
  }
}

void add_merge_json(nlohmann::ordered_json& r, const planner::RedrawReport& report) {
  auto& grids = r["grids"];
  for (std::size_t k = 0; k < report.agreement.size() && k < grids.size(); ++k) {
    grids[k]["weight"] = report.agreement[k].weight;
    grids[k]["cells_same"] = report.agreement[k].cells_same;
    grids[k]["boundary_added_m"] = report.agreement[k].boundary_added_m;
  }
  r["shared_boundary_m"] = report.shared_boundary_total_m;
  r["shared_boundary_kept_m"] = report.shared_boundary_kept_m;
  r["shared_boundary_kept_share"] =
      report.shared_boundary_total_m > 0
          ? report.shared_boundary_kept_m / report.shared_boundary_total_m
          : 1.0;
  r["disputed_units"] = report.disputed_units.size();
  r["disputed_households"] = report.disputed_households;
  r["ignored_locks"] = report.ignored_locks;
}

void print_merge_text(const planner::RedrawReport& report) {
  for (const auto& a : report.agreement)
    fmt::print("{} (weight {}): households whose cell changed {:.2f}%, boundary kept {:.2f}% "
               "({:.0f} of {:.0f} m), boundary added {:.0f} m, {} output cells the same as its "
               "cells, kept whole (repaired) in {} area(s)\n",
               a.name, a.weight,
               a.households_total > 0 ? 100.0 * a.households_changed / a.households_total : 0.0,
               a.boundary_total_m > 0 ? 100.0 * a.boundary_kept_m / a.boundary_total_m : 100.0,
               a.boundary_kept_m, a.boundary_total_m, a.boundary_added_m, a.cells_same,
               a.areas_chosen);
  fmt::print("boundaries all inputs share: {:.0f} m, kept {:.2f}%; units the inputs disagree "
             "about: {} ({:.0f} households, layer merge_disagreements)\n",
             report.shared_boundary_total_m,
             report.shared_boundary_total_m > 0
                 ? 100.0 * report.shared_boundary_kept_m / report.shared_boundary_total_m
                 : 100.0,
             report.disputed_units.size(), report.disputed_households);
  for (const auto& lock : report.ignored_locks)
    fmt::print("lock ignored (overlaps a cell locked by an earlier input): {}\n", lock);
}

void add_merge(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<RedrawFlags>();
  auto* cmd = app.add_subcommand(
      "merge", "Merge several grid layers into one grid system that follows the rules and keeps "
               "the boundaries most of them share (多网合一)");
  cmd->footer("Example: gridplan merge zongzhi.gpkg chengguan.gpkg:cells --city city.gpkg "
              "--weight zongzhi=2 --out merged.gpkg\nSee docs/user/merge.md.");
  cmd->add_option("grids", flags->grids, "Grid layers to merge: SRC[:LAYER] (two or more)")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--lock", flags->lock,
                  "Cell codes never changed (comma-separated; the cell of the first grid that "
                  "has the code)")
      ->delimiter(',');
  cmd->add_option("--lock-field", flags->lock_field,
                  "Field of every grid: cells where it is 1/true/yes are locked (locks of "
                  "later grids overlapping earlier locks are ignored and reported)");
  cmd->add_option("--weight", flags->weights,
                  "NAME=W: weight of a grid in the vote (NAME: file name without extension, "
                  "SRC[:LAYER] as given, or position 1, 2, ...); default 1")
      ->delimiter(',');
  cmd->add_option("--method", flags->method,
                  "consensus (default: from the overlay of all grids) or choose-one (the "
                  "repaired grid closest to the others, per community)")
      ->check(CLI::IsMember({"consensus", "choose-one"}))
      ->capture_default_str();
  add_redraw_flags(*cmd, *flags);
  cmd->callback([flags, &global] { run_redraw(*flags, true, global); });
}

} // namespace gp::cli
