#pragma once
// "How many do we need": the fewest workers of one type per cell meeting a target.

#include <functional>
#include <string>
#include <vector>

#include "gp/sim/engine.hpp"

namespace gp::sim {

struct StaffTarget {
  std::string metric = "on_time_share"; ///< a per-cell metric (higher is better)
  double value = 0.95;
};
/// Parses "on-time=0.95" or "satisfaction=0.8" (also metric names with underscores).
/// Throws gp::UsageError.
StaffTarget parse_staff_target(const std::string& text);

/// Largest `--max` (workers of one type per cell) the search accepts.
inline constexpr int kMaxStaffPerCell = 100;

struct StaffOptions {
  std::string worker_type = "full_time";
  int max_per_cell = 12;
  RunOptions run;
};

struct StaffCell {
  std::string cell_code;
  int baseline = 0; ///< the scenario's count
  int required = 0; ///< fewest meeting the target (max_per_cell when never met)
  bool met = false;
  double achieved = 0; ///< the target metric's mean at `required`
};

struct StaffResult {
  StaffTarget target;
  std::string worker_type;
  std::vector<StaffCell> cells;
  int total_baseline = 0;
  int total_required = 0;
  double annual_cost_change_yuan = 0;
  int simulation_runs = 0;
  SimulationResult final_run; ///< the run with the required counts
  /// Each rank's share of the replications, summed over every run (options.run.ranks).
  std::vector<RankShare> rank_shares;
};

/// Per-cell bisection run on all cells at once (one simulation per step, each cell
/// moving its own bracket), then a confirmation run; cells still missing the target
/// (neighbour help couples cells) step up until met or max_per_cell. The target is met
/// when the replication mean reaches the value.
StaffResult find_staffing(const SimPlan& plan, const Scenario& scenario, const StaffTarget& target,
                          const StaffOptions& options);

} // namespace gp::sim
