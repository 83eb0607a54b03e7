#pragma once
// The cadre roster (下沉干部, 双报到): who serves in which cell, as `gridplan assign` writes it
// and `gridplan simulate --roster` reads it. This header owns the roster file's column names.
// A roster is a table (CSV, or any table GDAL reads) with one row per cadre.

#include <string>
#include <vector>

#include "gp/planner/plan_file.hpp"
#include "gp/sim/model.hpp"
#include "gp/sim/scenario.hpp"

namespace gp::sim {

namespace roster_file {
inline constexpr const char* cadre_id = "cadre_id"; ///< required, unique
inline constexpr const char* name = "name";         ///< optional
inline constexpr const char* agency = "agency";     ///< optional: the sending agency
inline constexpr const char* cell_code = planner::plan_file::field::cell_code; ///< required
inline constexpr const char* worker_type = "worker_type"; ///< optional, default "cadre"
inline constexpr const char* shift = "shift";             ///< optional: a scenario shift name
inline constexpr const char* default_worker_type = "cadre";
} // namespace roster_file

struct RosterEntry {
  std::string cadre_id, name, agency, cell_code;
  std::string worker_type = roster_file::default_worker_type;
  std::string shift; ///< "" = the worker type's own shifts
};

/// Reads a roster. Throws InputError naming the file, the layer and the row (1-based) for a
/// missing column, an empty or duplicate cadre_id or an empty cell_code.
std::vector<RosterEntry> read_roster(const std::string& path);

/// Adds the roster's cadres to the scenario as extra workers of their cells: each row adds
/// one worker of its type to its cell (on top of the type's per_cell or the cell's override).
/// A row with a shift serves that shift only: it becomes a worker of a derived type named
/// "<type>@<shift>" (a copy of the type with shifts = {shift}). Throws InputError naming
/// `roster_path` and the row for a cell not in `plan`, an unknown worker type or shift.
void apply_roster(Scenario& scenario, const std::vector<RosterEntry>& roster, const SimPlan& plan,
                  const std::string& roster_path);

} // namespace gp::sim
