#pragma once
// Internal pieces of make_plan shared by plan.cpp and cells.cpp.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gp/planner/graph_builder.hpp"
#include "gp/planner/plan.hpp"

namespace gp::planner::detail {

/// One area to plan: its code, name, polygon (null = derive) and units.
struct AreaJob {
  std::string code;
  std::string name;
  const geo::MultiPolygon* geometry = nullptr;
  std::vector<std::uint32_t> units;
  const geo::Area* area = nullptr; ///< the dataset's area (null when derived)
};

/// The result of planning one area, before cells are numbered across the plan.
struct AreaOutcome {
  PlanArea area;
  std::vector<Cell> cells; ///< numbered (codes set), in numbering order
  std::vector<PlanViolation> violations;
  std::vector<Edge> adjacency; ///< over dataset unit indices, a < b
  std::vector<std::uint8_t> adjacency_bridge;
  double graph_seconds = 0, partition_seconds = 0, geometry_seconds = 0;
};

/// Which areas to plan and which units each holds; fills `unassigned` with dataset unit
/// indices that lie in no planned area.
std::vector<AreaJob> area_jobs(const geo::Dataset& dataset, std::vector<std::uint32_t>& unassigned);

/// Sorts dataset unit indices by a key that does not depend on the input order: anchor x,
/// anchor y, footprint area, households, population, vertex count (then index, for units
/// identical in all of these).
void sort_units_canonically(const geo::Dataset& dataset, std::vector<std::uint32_t>& units);

/// The unit graph of one area as make_plan builds it (barriers, component joining).
AreaGraph area_graph(const geo::Dataset& dataset, const AreaJob& job, const UnitValues& values,
                     const PlanOptions& options);

/// Cells of one area from its graph and partition: geometry (union of regions), metrics,
/// numbering, violations. `values` are the dataset-wide unit values.
void build_cells(const geo::Dataset& dataset, const AreaGraph& graph, const PartitionResult& result,
                 const UnitValues& values, const std::vector<double>& households,
                 const std::vector<double>& population, const PlanOptions& options,
                 AreaOutcome& outcome);

/// Records what the plan file stores of an area besides its cells: the unit adjacency of
/// `graph` (dataset unit indices; bridges = edges between pre-join components) and the
/// area's cell bounds under `options`. Call after build_cells.
void record_area(const AreaGraph& graph, const PlanOptions& options, AreaOutcome& outcome);

/// Adds each floor's field (options.floors) to options.secondary with weight 0 when it is
/// not there yet, and returns per secondary index the highest floor on that field (0 =
/// none): PartitionSpec/RebalanceSpec::secondary_floors. Throws UsageError for a floor
/// that is not a finite number >= 0. Called by make_plan and redraw_plan.
std::vector<double> add_floor_fields(PlanOptions& options);

/// Appends the "floor" violations of the planned cells (check_floors on options.floors).
void add_floor_violations(const geo::Dataset& dataset, Plan& plan);

/// Per-area seed from the user's seed and the area code (independent of area order).
std::uint64_t area_seed(std::uint64_t seed, const std::string& area_code);

/// Cells numbered west->east, north->south: rows of height sqrt(area/cells) from the area's
/// northern edge by centroid y, then centroid x ascending. Returns the order.
std::vector<std::size_t> numbering_order(const std::vector<geo::Point>& centroids, double top_y,
                                         double row_height);

/// The summary object (PlanSummary keys) as one-line JSON, for plan_metadata.
std::string summary_compact_json(const Plan& plan);

/// Formats a number for messages: integers without decimals, else one decimal.
std::string format_value(double v);

/// Judges the plan with plan_file::judge_plan (sets each cell's within_bounds and
/// contiguous from it) and fills plan.summary (counts, balance min/mean/max, deviations,
/// shares within bounds and contiguous, mean Polsby-Popper, cut edges); not the timing.
void summarize(const geo::Dataset& dataset, Plan& plan, std::size_t units, std::size_t unassigned,
               const std::string& balance_field);

/// Runs run(i) for every job, largest area first, on `threads` threads (0 = all cores).
/// Each call must depend only on its own job, so results do not depend on the thread count.
/// Rethrows the first exception after stopping the remaining work.
void run_area_jobs(const std::vector<AreaJob>& jobs, unsigned threads,
                   const std::function<void(std::size_t)>& run);

/// run_area_jobs over the jobs listed in `subset` only (largest first among them).
void run_area_jobs(const std::vector<AreaJob>& jobs, const std::vector<std::size_t>& subset,
                   unsigned threads, const std::function<void(std::size_t)>& run);

/// One area's outcome as bytes for another rank of a distributed run (gp/core/bytes.hpp,
/// same architecture only), and back: every field, bit for bit. plan_pack.cpp.
std::string pack_outcome(const AreaOutcome& outcome);
/// Throws gp::Error when the bytes are not one packed outcome.
AreaOutcome unpack_outcome(std::string_view bytes);

/// An outcome's unit references (cells' units, adjacency) from dataset unit indices to
/// positions in `job_units` (the area's units in canonical order), so that a rank that
/// read other units than the root can send it; and back to the indices of the root's
/// dataset (cells' units ascending, edges a < b). Throws gp::Error for a unit outside
/// the area.
void to_job_positions(AreaOutcome& outcome, const std::vector<std::uint32_t>& job_units);
void to_dataset_indices(AreaOutcome& outcome, const std::vector<std::uint32_t>& job_units);

/// Moves one area's cells and violations into `plan` (cells numbered after those already
/// there; plan.unit_cell must be sized to the dataset's units). Leaves `outcome` moved-from.
void append_area(Plan& plan, AreaOutcome& outcome);

} // namespace gp::planner::detail
