#pragma once
// Shared by `gridplan rebalance` and `gridplan merge` (cmd_rebalance.cpp, cmd_merge.cpp):
// reading existing grid layers and running planner::redraw_plan end to end.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "commands.hpp"
#include "gp/planner/rebalance.hpp"
#include "plan_inputs.hpp"

namespace gp::cli {

struct RedrawFlags {
  PlanInputFlags inputs;
  std::string input;              ///< positional INPUT: the city (as --city) when given
  std::string existing;           ///< rebalance: --existing SRC[:LAYER]
  std::vector<std::string> grids; ///< merge: existing grid layers, SRC[:LAYER]
  std::string code_field;         ///< "" = detect (cell_code, grid_code, code, 网格编码, ...)
  std::string lock_field;         ///< cells whose value is true/1/yes are locked
  std::vector<std::string> lock;  ///< --lock CODE,...
  double stability = 10.0;
  std::string out, format, out_crs;
  bool overwrite = false;
};

/// Registers --code-field, --stability, --out, --format, --out-crs, --overwrite and the
/// planner's input flags.
void add_redraw_flags(CLI::App& cmd, RedrawFlags& flags);

/// Reads, redraws (rebalance with one grid, merge with several), writes and prints.
void run_redraw(const RedrawFlags& flags, bool merge, const GlobalOptions& global);

} // namespace gp::cli
