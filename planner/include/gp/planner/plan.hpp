#pragma once
// Planning a whole dataset: every community (area) divided into grid cells that tile it
// exactly, balanced, contiguous and compact; the result as output layers and a summary.
// Geometry is in the dataset's metric work CRS (metres). See docs/design/planner.md and
// docs/user/plan.md.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gp/core/progress.hpp"
#include "gp/core/ranks.hpp"
#include "gp/geo/model.hpp"
#include "gp/geo/table.hpp"
#include "gp/planner/graph_builder.hpp"
#include "gp/planner/partition.hpp"

namespace gp::planner {

/// The planner's version, written to plan_metadata.
inline constexpr const char* plan_version = "gridplan 0.1.0";

struct SecondaryField {
  std::string name;    ///< numeric unit field (households, population or any attribute)
  double weight = 1.0; ///< weight of its relative deviation in the partition cost
};

/// A hard floor on a numeric unit field (`--at-least FIELD:N`): every cell holds at least
/// `minimum` of `field` (e.g. party_members:3, enough full members for a party branch).
struct FieldFloor {
  std::string field;
  double minimum = 0;
};

/// The areas make_plan plans, in its order, with their units in the whole dataset: what
/// the root of a distributed run finds in its full read and tells the ranks that read
/// only their own communities' units (geo::AreaSubset).
struct PlannedAreas {
  std::vector<std::string> codes; ///< area codes, in planning order
  std::vector<double> units;      ///< units of each area (its size for gp::deal_jobs)
  std::size_t dataset_units = 0;  ///< units of the whole dataset (planned or not)
  /// As bytes for Ranks::broadcast (gp/core/bytes.hpp) and back; from_bytes throws
  /// gp::Error when the bytes are not one.
  std::string to_bytes() const;
  static PlannedAreas from_bytes(std::string_view bytes);
};

/// The areas make_plan would plan on `dataset`, with their units.
PlannedAreas planned_areas(const geo::Dataset& dataset);

struct PlanOptions {
  /// Field balanced across cells: "households" (estimated where missing), "population",
  /// or any numeric attribute of the units.
  std::string balance_field = "households";
  /// Bounds on each cell's balance value (used when cells_per_area is 0).
  double min_weight = 300;
  double max_weight = 500;
  /// Fixed number of cells per area (--cells N); bounds are then mean*(1±tolerance).
  int cells_per_area = 0;
  double tolerance = 0.005;
  std::vector<SecondaryField> secondary;
  /// Hard floors (see FieldFloor): the partitioner (and rebalance) treat them as constraints
  /// together with contiguity and the bounds (docs/user/plan.md, "Floors"); cells that
  /// still miss one are reported as "floor" violations (floors.hpp). A floor's field is
  /// summed per cell like a secondary field of weight 0 (and written as a cell column).
  std::vector<FieldFloor> floors;
  Objective objective = Objective::compact;
  bool hard_barriers = false;
  std::uint64_t seed = 1;
  /// Partition effort: restarts per area. 0 = automatic: 1 for datasets of more than 50
  /// areas or 200,000 units; else the partitioner's choice by graph size (partition.hpp)
  /// up to 20,000 units, and 2 above.
  int restarts = 0;
  /// Effort multiplier on the automatic attempts (1 = default, 0.1-100); with a time
  /// limit, attempts continue until it is spent or they stop improving.
  double effort = 1;
  /// Seconds of partition search allowed per area (0 = automatic: up to 1 s for areas of
  /// at most 2,000 units, none beyond the attempts above for larger ones). Results then
  /// depend on the machine's speed; without it they do not.
  double time_limit_s = 0;
  GraphBuildOptions graph;
  /// Worker threads over areas (0 = hardware concurrency). Results do not depend on it.
  unsigned threads = 0;
  /// The processes sharing the work (not owned; null = this process alone). With several
  /// ranks every rank must call make_plan with the same options and the same dataset (or,
  /// with `whole`, the root the whole dataset and each other rank one holding every area
  /// and at least its own areas' units, as geo::AreaSubset reads them): communities
  /// are dealt to the ranks by units (gp::deal_jobs), each rank plans its own, and the
  /// root (rank 0) assembles the plan — the same plan as one process makes. A community
  /// that fails on any rank ends every rank with its error (gp::spread_jobs).
  const Ranks* ranks = nullptr;
  /// With ranks that read only their own communities' units (not owned; null = every
  /// rank read the whole dataset): planned_areas() of the root's full read, on every
  /// rank. Areas are then dealt by these sizes, the automatic effort follows the whole
  /// dataset's size, and an area of this rank holding another number of units than the
  /// full read found ends the run (gp::Error naming it): its read was not the full read's.
  const PlannedAreas* whole = nullptr;
  /// Progress: fraction in [0,1] and a stage label. Called from one thread at a time.
  ProgressFn progress;
};

/// One grid cell.
struct Cell {
  std::string code; ///< area code + 3 digits (001...), numbered as in docs/user/plan.md
  std::string area_code;
  std::size_t area_index = 0; ///< index into Plan::areas
  geo::MultiPolygon geometry;
  std::vector<std::uint32_t> units; ///< dataset unit indices, ascending
  double households = 0;
  double population = 0;
  double balance = 0;            ///< sum of the balance field
  std::vector<double> secondary; ///< sums of the secondary fields
  double area_m2 = 0;
  double perimeter_m = 0;
  double polsby_popper = 0;
  double deviation_pct = 0; ///< 100*(balance - area mean)/area mean
  bool within_bounds = false;
  bool contiguous = false; ///< polygon is one part (or its area is not connected and
                           ///< its units are one graph component)
  std::size_t parts = 0;   ///< polygon parts
  bool oversized = false;  ///< holds a unit heavier than the maximum (a cell of its own)
};

/// One planned area (community).
struct PlanArea {
  std::string code;
  std::string name;
  geo::MultiPolygon geometry; ///< as planned (derived when no area polygon was given)
  bool derived = false;
  bool tiling = false;
  std::vector<std::size_t> cells; ///< indices into Plan::cells, in numbering order
  std::size_t units = 0;
  double households = 0;
  double population = 0;
  double balance = 0;
  double area_m2 = 0;
  double cells_area_m2 = 0;     ///< sum of its cells' areas
  std::uint32_t components = 0; ///< connected components of its unit graph
  std::size_t bridges = 0;      ///< components joined because too light for a cell
  std::size_t graph_edges = 0;
  std::size_t cut_edges = 0;
  double cut_length_m = 0;
  /// Bounds on a cell's balance value in this area, as planned (--min/--max, or the area
  /// mean × (1 ± tolerance) with --cells).
  double lower_bound = 0, upper_bound = 0;
  /// Households: the known total (-1 = none) and where it came from; its units' given
  /// counts, their estimates before and after scaling to the total, the factor applied
  /// (1 without a total) and calibration flags ("scale_far_from_1", "given_exceed_total",
  /// "nothing_to_scale"); see geo::calibrate.
  double households_total = -1;
  double population_total = -1;
  std::string totals_source;
  double households_given = 0;
  double households_estimated = 0;
  double households_scaled = 0;
  double scale_factor = 1;
  std::vector<std::string> flags;
  double untyped_floor_area_share = 0; ///< share of floor area with no recognised type
  std::size_t cells_oversized = 0;     ///< cells holding a unit above the maximum
};

/// A rule that a cell (or an area, or a unit) breaks, and why.
struct PlanViolation {
  PlanViolation() = default;
  PlanViolation(std::string cell_code_, std::string area_code_, std::string rule_,
                std::string reason_, std::string cause_ = {})
      : cell_code(std::move(cell_code_)), area_code(std::move(area_code_)), rule(std::move(rule_)),
        reason(std::move(reason_)), cause(std::move(cause_)) {}
  std::string cell_code; ///< empty when the violation is not about one cell
  std::string area_code;
  std::string rule;   ///< "min", "max", "tolerance", "contiguity", "compound", "unassigned"
  std::string reason; ///< human-readable, names the values
  /// For "min"/"max"/"tolerance": the true cause — "oversized" (a unit above the maximum:
  /// a cell of its own), "empty_area", "small_area" (the whole area is below the minimum),
  /// "island" (an island or block below the minimum), "indivisible" (a total no whole
  /// number of cells within bounds adds up to), "compound" (an oversized compound split
  /// along building lines), "search" (the search found no division although one may exist).
  std::string cause;
};

struct PlanSummary {
  std::size_t areas = 0;
  std::size_t cells = 0;
  std::size_t units = 0;
  std::size_t units_planned = 0;
  std::string balance_field;
  double balance_min = 0, balance_mean = 0, balance_max = 0;
  double max_abs_deviation_pct = 0;
  double share_within_bounds = 0; ///< in [0,1]
  double share_contiguous = 0;    ///< in [0,1]
  double mean_polsby_popper = 0;
  std::size_t cut_edges = 0;
  std::size_t violations = 0;
  double seconds = 0; ///< make_plan wall time
  /// Cells holding a unit heavier than the maximum (a cell of its own, "oversized").
  std::size_t cells_oversized = 0;
  /// Share within bounds of the other cells (1 when there are none).
  double share_within_bounds_regular = 1;
  /// Cells with no household although their area has some (0 is the promise).
  std::size_t empty_cells = 0;
  /// Households over all planned areas: total, given, estimated (after scaling to known
  /// totals), and the areas with a known total and with a flagged calibration.
  double households = 0;
  double households_given = 0;
  double households_estimated = 0;
  std::size_t areas_with_totals = 0;
  std::size_t areas_flagged = 0;
  double untyped_floor_area_share = 0; ///< of the dataset's units (geo::ReadReport)
  /// Partition effort as used: "auto", or the --effort / --time-limit given.
  double effort = 0;
  double time_limit_s = 0;
};

struct Plan {
  std::vector<PlanArea> areas;
  std::vector<Cell> cells;
  /// Per dataset unit: index into cells, or -1 when the unit lies in no planned area.
  std::vector<std::int64_t> unit_cell;
  std::vector<PlanViolation> violations;
  PlanSummary summary;
  /// Stage timings in seconds ("graph", "partition", "geometry"), summed over areas.
  std::vector<std::pair<std::string, double>> timings;
  PlanOptions options; ///< as used (progress and ranks cleared)
  /// Each rank's share of the communities (one row when planned by this process alone).
  /// On ranks other than the root, make_plan returns a plan holding only this: the root
  /// alone has the areas and cells, and alone writes them.
  std::vector<RankShare> rank_shares;
  /// The unit adjacency the plan was made on, over dataset unit indices (a < b), area by
  /// area; bridge[k] = 1 for an edge the planner added to join pieces of an area.
  std::vector<Edge> adjacency;
  std::vector<std::uint8_t> adjacency_bridge;
};

/// Plans every community of the dataset (areas of level community; all areas when none
/// is; one derived area for all units when there are no areas). Units outside every
/// planned area are listed as "unassigned" violations. Deterministic for given options
/// (independent of `threads`). Throws UsageError for bad options (unknown field,
/// min > max, cells < 0) and InputError for non-numeric field values.
Plan make_plan(const geo::Dataset& dataset, const PlanOptions& options);

/// Extra key/value rows for plan_metadata (inputs, checksums, timings of reading...).
using MetadataRows = std::vector<std::pair<std::string, std::string>>;

/// The summary as pretty JSON (keys as in PlanSummary, plus violations).
std::string summary_json(const Plan& plan);
/// The summary as a few lines for a terminal.
std::string summary_text(const Plan& plan);

/// The METIS graph file of the planned graph of the whole dataset (or of one area when
/// `area_code` is not empty): vertex weights = balance field rounded to integers, edge
/// weights = 1 (edge_weights "unit") or shared boundary length in whole metres, at
/// least 1 ("length"). Vertices are the dataset's units in area order then unit order.
/// Also returns the vertex -> dataset unit map.
struct DatasetGraph {
  UnitGraph graph;                       ///< block-diagonal over areas
  std::vector<std::uint32_t> units;      ///< vertex -> dataset unit index
  std::vector<std::string> area_codes;   ///< per area, in vertex order
  std::vector<std::uint32_t> area_first; ///< first vertex of each area (+ end)
};
DatasetGraph build_dataset_graph(const geo::Dataset& dataset, const PlanOptions& options,
                                 const std::string& area_code = "");

} // namespace gp::planner
