#pragma once
// Builds the simulator's model from a plan file and writes simulation results next to the
// plan's cell geometry.

#include <string>
#include <vector>

#include "gp/sim/engine.hpp"
#include "gp/sim/model.hpp"

namespace gp::sim {

/// Reads a plan through the plan-file contract (planner::plan_file::read_plan): cells,
/// units with households (their anchor points are the demand points), facilities and
/// roads. Neighbouring cells are cells whose units share an edge of the plan's unit
/// adjacency. Units in no cell are left out, and said so in `notices` (with other things
/// the user should know, e.g. cells without geometry). Throws gp::InputError naming file,
/// layer and feature.
SimPlan load_plan(const std::string& path, std::vector<std::string>* notices = nullptr);

struct ResultWriteOptions {
  bool overwrite = false;
  std::string plan_path; ///< source of the cell geometry (never written)
};

/// Field of the `units` layer write_result writes: expected yearly workload in worker
/// hours (SimulationResult::building_workload_h; 0 for units without households). The
/// layer can be given to `plan`/`rebalance --units ... --balance-field workload_h`.
inline constexpr const char* workload_field = "workload_h";

/// Writes `cells` (cell polygons with per-cell metrics: mean and 95 % CI bounds), `units`
/// (the plan's units layer, every attribute kept, plus workload_field; only when the
/// result's buildings come from plan units) and tables `summary`, `backlog`,
/// `utilisation_by_type`, `run_metadata` to a GeoPackage, atomically. Throws
/// gp::OutputError when the file exists without overwrite.
void write_result(const std::string& out_path, const SimulationResult& result,
                  const ResultWriteOptions& options);

} // namespace gp::sim
