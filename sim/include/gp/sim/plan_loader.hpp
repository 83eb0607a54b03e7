#pragma once
// Builds the simulator's model from a plan GeoPackage (layers `cells`, `units`, and
// optional `facilities`) and writes simulation results next to the plan's cell geometry.

#include <string>

#include "gp/sim/engine.hpp"
#include "gp/sim/model.hpp"

namespace gp::sim {

/// Reads `cells` (cell_code, area_code, households, polygons), `units` (cell_code,
/// households, footprint or point) and, when present, `facilities` (points,
/// floor_area_m2). Neighbours are cells sharing boundary vertices. Throws
/// gp::InputError naming file, layer and feature on missing layers or fields.
SimPlan load_plan(const std::string& path);

struct ResultWriteOptions {
  bool overwrite = false;
  std::string plan_path; ///< source of the cell geometry (never written)
};

/// Writes `cells` (cell polygons with per-cell metrics: mean and 95 % CI bounds) and
/// tables `summary`, `backlog`, `utilisation_by_type`, `run_metadata` to a GeoPackage,
/// atomically. Throws gp::OutputError when the file exists without overwrite.
void write_result(const std::string& out_path, const SimulationResult& result,
                  const ResultWriteOptions& options);

} // namespace gp::sim
