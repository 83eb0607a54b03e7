#pragma once
// The plan file: the one owner of the plan GeoPackage's schema (layer, field and metadata
// key names) and of reading and writing it. The planner, the simulator, the viewer and
// every command read and write plans only through this header, and judge a plan with
// judge_plan() — the same function the planner uses for its own summary — so they all
// give the same figures for the same plan. The schema is documented in docs/user/plan.md.
// Geometry is in the plan's work CRS (metres), stored in metadata key `work_crs`.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gp/geo/io.hpp"
#include "gp/geo/model.hpp"
#include "gp/geo/table.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/rebalance.hpp"

namespace gp::planner::plan_file {

// --- Schema: the only place these names are spelled -----------------------------------------

namespace layer {
inline constexpr const char* cells = "cells";
inline constexpr const char* units = "units";
inline constexpr const char* areas = "areas";
inline constexpr const char* adjacency = "unit_adjacency"; ///< attribute table, no geometry
inline constexpr const char* metadata = "plan_metadata";   ///< attribute table key/value
inline constexpr const char* barriers = "barriers";
inline constexpr const char* facilities = "facilities";
inline constexpr const char* retired_cells = "retired_cells"; ///< rebalance/merge: old polygons
} // namespace layer

namespace field {
// cells
inline constexpr const char* cell_code = "cell_code";
inline constexpr const char* area_code = "area_code";
inline constexpr const char* households = "households";
inline constexpr const char* population = "population";
inline constexpr const char* units = "units";
inline constexpr const char* area_m2 = "area_m2";
inline constexpr const char* perimeter_m = "perimeter_m";
inline constexpr const char* polsby_popper = "polsby_popper";
inline constexpr const char* deviation_pct = "deviation_pct";
inline constexpr const char* within_bounds = "within_bounds";
inline constexpr const char* contiguous = "contiguous";
inline constexpr const char* parts = "parts";
inline constexpr const char* status = "status"; ///< rebalance/merge: locked/unchanged/new/changed
// units (besides cell_code, area_code, households, population)
inline constexpr const char* unit_id = "unit_id"; ///< 1-based, the row order of the plan
inline constexpr const char* hh_source = "hh_source";
inline constexpr const char* compound = "compound"; ///< compound (小区) id, "" when none
// areas (besides area_code, households, population, units, area_m2)
inline constexpr const char* name = "name";
inline constexpr const char* cells = "cells";
inline constexpr const char* derived = "derived";
inline constexpr const char* cut_edges = "cut_edges";
inline constexpr const char* lower_bound = "lower_bound"; ///< the area's cell bounds as planned
inline constexpr const char* upper_bound = "upper_bound";
// unit_adjacency
inline constexpr const char* unit_a = "unit_a"; ///< unit_id, unit_a < unit_b
inline constexpr const char* unit_b = "unit_b";
inline constexpr const char* length_m = "length_m"; ///< shared boundary length
inline constexpr const char* barrier = "barrier";   ///< 1 when the edge crosses a barrier
inline constexpr const char* bridge = "bridge"; ///< 1 for an edge the planner added to join pieces
// plan_metadata
inline constexpr const char* key = "key";
inline constexpr const char* value = "value";
// barriers / facilities
inline constexpr const char* kind = "kind";
inline constexpr const char* floor_area_m2 = "floor_area_m2";
} // namespace field

namespace key {
inline constexpr const char* version = "version";
inline constexpr const char* balance_field = "balance_field";
inline constexpr const char* min = "min";
inline constexpr const char* max = "max";
inline constexpr const char* cells_per_area = "cells_per_area";
inline constexpr const char* tolerance = "tolerance";
inline constexpr const char* hard_barriers = "hard_barriers";
inline constexpr const char* seed = "seed";
/// Hard floors the plan was made under: "FIELD:N,FIELD:N" (PlanOptions::floors), absent or
/// empty when none. Every reader judges the cells against them (Judgement::cells_below_floor).
inline constexpr const char* floors = "floors";
inline constexpr const char* work_crs = "work_crs";
inline constexpr const char* summary = "summary";
} // namespace key

// Merge outputs (`gridplan merge`: planner::add_merge_layers in rebalance.hpp).
namespace layer {
inline constexpr const char* disagreements = "merge_disagreements"; ///< units inputs disagree on
} // namespace layer
namespace field {
inline constexpr const char* agrees_with = "agrees_with"; ///< cells: inputs with the same cell
inline constexpr const char* input_codes = "input_codes"; ///< disagreements: "input=code; ..."
inline constexpr const char* inputs_agreeing = "inputs_agreeing"; ///< disagreements: count
} // namespace field

// --- The plan as read back -------------------------------------------------------------------

/// The rules a plan was made under, as stored in plan_metadata.
struct Rules {
  std::string balance_field = "households";
  double min_weight = 300, max_weight = 500; ///< used when cells_per_area == 0
  int cells_per_area = 0;
  double tolerance = 0.005;
  bool hard_barriers = false;
  std::uint64_t seed = 1;
  std::vector<FieldFloor> floors; ///< key::floors, in the order given
};

struct FileCell {
  std::string code, area_code;
  geo::MultiPolygon geometry; ///< may be empty (a NULL geometry in the file)
  double households = 0, population = 0;
};

struct FileUnit {
  std::int64_t id = 0;    ///< unit_id
  std::int64_t cell = -1; ///< index into PlanFile::cells, -1 when unassigned
  std::string area_code;  ///< the unit's area (from its cell, or the areas layer)
  double households = 0, population = 0;
  double balance = 0;               ///< value of the balance field
  std::vector<double> floor_values; ///< per Rules::floors: the unit's value of its field
  std::string compound;             ///< "" when none
  geo::Point anchor;                ///< representative point (point-on-surface of the footprint)
  geo::MultiPolygon footprint;      ///< empty for point units
};

struct FileArea {
  std::string code, name;
  geo::MultiPolygon geometry;
  double lower_bound = 0, upper_bound = 0; ///< bounds on a cell's balance in this area
};

struct PlanFile {
  std::string path;
  std::string work_crs; ///< WKT
  Rules rules;
  std::vector<FileCell> cells;
  std::vector<FileUnit> units; ///< in unit_id order
  std::vector<FileArea> areas;
  std::vector<Edge> adjacency;      ///< over unit indices (not ids), a < b
  std::vector<std::uint8_t> bridge; ///< per adjacency edge: 1 = added by the planner to join pieces
  bool adjacency_rebuilt = false;   ///< old plan without unit_adjacency: rebuilt from geometry
  std::vector<std::pair<std::string, std::string>> metadata; ///< every plan_metadata row
  std::vector<geo::LineString> roads;
  std::vector<geo::Facility> facilities;
  std::vector<std::string> notices; ///< things a reader should tell the user (rebuilt adjacency…)

  /// Index of the cell with this code, or -1.
  std::int64_t find_cell(const std::string& code) const;
  /// The value of a metadata key, if present.
  std::optional<std::string> meta(const std::string& key) const;
};

/// Reads a plan written by write_plan (any format write_plan writes, or PostGIS). Plans
/// from before the adjacency table open too: the adjacency is rebuilt from the units'
/// geometry as the planner builds it, and a notice says so. Throws InputError naming file,
/// layer and feature for missing layers/fields, bad values, duplicate or unknown cell codes.
/// With `with_units` false only metadata, cells and areas are read (no units, adjacency,
/// facilities or roads).
PlanFile read_plan(const std::string& path, bool with_units = true);

/// The plan as the layers write_plan writes (cells, units, areas, unit_adjacency,
/// plan_metadata, and barriers/facilities when the dataset has them). The units and
/// unit_adjacency layers are views (geo::RowSource) of `dataset` and `plan`, made row by
/// row when written: both must outlive the layers (geo::materialize makes a stored copy).
std::vector<geo::Layer> plan_layers(const geo::Dataset& dataset, const Plan& plan,
                                    const MetadataRows& extra_metadata);

/// Writes the plan atomically (geo::write_layers).
void write_plan(const std::string& path, const geo::Dataset& dataset, const Plan& plan,
                const MetadataRows& extra_metadata, const geo::WriteOptions& options);

/// Reads one existing grid layer — a plan's cells or any agency's grid polygons
/// ("SRC[:LAYER]"; default the `cells` layer of a plan, else the first polygon layer) — into
/// `work_crs`. Codes from `code_field` (default: detect cell_code, grid_code, 网格编码, code,
/// ...), locks from `lock_field` (true/1/yes/是). Throws InputError naming file, layer, feature.
ExistingGrid read_grid(const std::string& text, const std::string& code_field,
                       const std::string& lock_field, const std::string& work_crs);

// --- Judging a plan: one function for the planner, the commands and the viewer ---------------

/// What judge() needs: per unit its cell (or -1), balance value, compound and area; per
/// cell its area; the unit adjacency; per area the bounds.
struct JudgeInput {
  std::vector<std::int64_t> unit_cell;
  std::vector<double> unit_balance;
  std::vector<std::string> unit_compound;
  std::vector<std::size_t> cell_area; ///< index into area_bounds
  std::vector<std::pair<double, double>> area_bounds;
  std::vector<Edge> adjacency; ///< a < b, unit indices
  bool hard_barriers = false;
  /// Per cell, the Polsby-Popper score of its polygon (geo::polsby_popper); may be empty.
  std::vector<double> cell_polsby_popper;
  /// Hard floors and, per floor, every unit's value of its field: unit_floor[k][unit].
  std::vector<FieldFloor> floors;
  std::vector<std::vector<double>> unit_floor;
};

struct CellJudgement {
  double balance = 0;
  std::size_t units = 0;
  bool within_bounds = false;
  /// Its units are one connected piece of the plan's unit adjacency (edges the planner
  /// added to join islands count; with hard barriers, barrier edges do not).
  bool contiguous = false;
  std::size_t pieces = 0; ///< components of its units in the adjacency (0 when empty)
  double polsby_popper = 0;
  std::vector<double> floor_values; ///< per JudgeInput::floors: the cell's sum of its field
  bool below_floor = false;         ///< some floor_values[k] < floors[k].minimum
};

struct Judgement {
  std::vector<CellJudgement> cells;
  std::size_t cells_within_bounds = 0, cells_contiguous = 0;
  double share_within_bounds = 0, share_contiguous = 0; ///< in [0,1] (1 with no cells)
  double balance_min = 0, balance_mean = 0, balance_max = 0;
  double mean_polsby_popper = 0;
  std::size_t cut_edges = 0;       ///< adjacency edges between different cells
  std::size_t split_compounds = 0; ///< compounds whose units lie in several cells
  std::size_t unassigned_units = 0;
  std::size_t cells_below_floor = 0; ///< cells with below_floor
};

Judgement judge(const JudgeInput& input);

/// The judge's input for a plan as read back: its own bounds (per area; the plan's rules
/// for a cell whose area is missing), adjacency, balance values and compounds.
JudgeInput judge_input(const PlanFile& plan);
/// judge(judge_input(plan)).
Judgement judge_plan(const PlanFile& plan);
/// The judge's input for a plan as planned (in memory): its areas' bounds, adjacency,
/// balance values (unit_field_values), compounds and floors (plan.options.floors).
JudgeInput judge_input(const geo::Dataset& dataset, const Plan& plan);
/// judge(judge_input(dataset, plan)), as make_plan does for its summary.
Judgement judge_plan(const geo::Dataset& dataset, const Plan& plan);

} // namespace gp::planner::plan_file
