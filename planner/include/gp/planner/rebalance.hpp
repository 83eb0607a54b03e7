#pragma once
// Repairing an existing division of one area's unit graph with the fewest moves.
// Pure graph algorithm: no geometry library, no I/O. The algorithm is described in
// docs/user/rebalance.md ("How it works").

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"
#include "gp/geo/model.hpp"
#include "gp/geo/table.hpp"
#include "gp/planner/codes.hpp"
#include "gp/planner/graph.hpp"
#include "gp/planner/partition.hpp"
#include "gp/planner/plan.hpp"

namespace gp::planner {

struct RebalanceSpec {
  /// Bounds on each part's total weight (same rule as PartitionSpec).
  double min_weight = 300;
  double max_weight = 500;
  /// Existing part ids that must not change: none of their vertices leaves, none joins.
  std::vector<std::int32_t> locked_parts;
  /// Metres of part boundary a move must save per unit of weight moved (households) to
  /// be worth it. Large values keep cells as they were; small values let the repair also
  /// make changed cells more compact. Only cells already changed by a repair are polished:
  /// cells that are valid stay untouched whatever the value.
  double stability = 10.0;
  /// Barrier edges: forbidden inside parts (hard) or cheaper to cut (soft: cut cost is
  /// the edge length divided by barrier_penalty).
  bool hard_barriers = false;
  double barrier_penalty = 2.0;
  /// Hard floors on secondary fields (PartitionSpec::secondary_floors): after the repair,
  /// units (whole compounds) are moved or swapped between adjacent unlocked parts to lift
  /// parts below a floor, never disconnecting a part or worsening the bounds. Parts still
  /// below are not listed in `violations` (check_floors reports them).
  std::vector<double> secondary_floors;
  /// Seed for the partitioner when a part must be split or a neighbourhood re-planned.
  std::uint64_t seed = 1;
  std::function<void(double)> progress; ///< fraction in [0,1]; may be empty
};

struct RebalanceResult {
  /// Per vertex, the part after repair. Ids below `existing_parts` are existing parts
  /// (a part keeps its id when it survives, changed or not); ids from `existing_parts`
  /// up are new parts, numbered in order of creation.
  std::vector<std::int32_t> part;
  std::int32_t parts = 0;                    ///< size of the id space: existing_parts + new parts
  std::int32_t existing_parts = 0;           ///< as given
  std::vector<std::int32_t> unchanged_parts; ///< existing ids with exactly the same vertices
  std::vector<std::int32_t> changed_parts;   ///< existing ids that survive with other vertices
  std::vector<std::int32_t> new_parts;       ///< ids >= existing_parts that hold vertices
  std::vector<std::int32_t> retired_parts;   ///< existing ids (that had vertices) now empty
  /// Weight and count of vertices that had a part and now have another one.
  double moved_weight = 0;
  std::size_t moved_vertices = 0;
  /// Vertices that had no part (gaps in the existing layer) and got one.
  double gap_weight = 0;
  std::size_t gap_vertices = 0;
  std::size_t fragments_reassigned = 0; ///< disconnected pieces of parts given to neighbours
  std::size_t groups_reunited = 0;      ///< groups (compounds) that were split and now are not
  std::size_t splits = 0;               ///< parts split because no neighbour had room
  std::size_t replans = 0;              ///< neighbourhoods re-planned as a last resort
  std::size_t vertex_moves = 0;         ///< single boundary moves made by the balancer
  /// Rules still broken at the end (an area smaller than the minimum, a locked part that
  /// breaks a rule, a group bigger than the maximum), as in PartitionResult.
  std::vector<Violation> violations;
};

/// Repairs `existing` (per vertex a part id in [0, existing_parts) or -1 for "no part")
/// so that every rule of the planner holds where it can: each part's weight within
/// [min_weight, max_weight], each part connected, each group whole (unless the group
/// alone exceeds max_weight), every vertex in a part. Moves as little weight as it can
/// from its existing part. Locked parts are never changed. Deterministic for a given seed.
/// Throws gp::UsageError when `existing` does not have one entry per vertex or an id is
/// out of range.
RebalanceResult rebalance(const UnitGraph& g, const std::vector<std::int32_t>& existing,
                          std::int32_t existing_parts, const RebalanceSpec& spec);

/// The rules an assignment breaks on g (bounds, contiguity, groups split while small
/// enough to stay whole, vertices without a part as part -1 "coverage"). Used to report
/// existing layers before repair and to check results. With hard_barriers, parts must be
/// connected without crossing barrier edges.
std::vector<Violation> check_assignment(const UnitGraph& g, const std::vector<std::int32_t>& part,
                                        double min_weight, double max_weight,
                                        bool hard_barriers = false);

/// How several divisions are merged (多网合一).
enum class MergeMethod {
  /// From the inputs' finest common refinement (a vertex's signature is the tuple of its
  /// input parts): pieces are joined where the weighted majority of inputs puts them
  /// together, boundaries most inputs share are kept, then the result is repaired with
  /// rebalance(). Minimises, approximately, the weighted sum over inputs of the boundary
  /// length that differs from each input. See docs/user/merge.md.
  consensus,
  /// Each input repaired with rebalance(); the candidate that changes the fewest households
  /// summed over all inputs wins (ties: shorter cut length, then the earlier input).
  choose_one,
};

/// Options of merge_assignments besides the rules in RebalanceSpec.
struct MergeOptions {
  MergeMethod method = MergeMethod::consensus;
  /// Per input, its weight in the vote (> 0); empty = every input weighs 1.
  std::vector<double> weights;
  /// Per input, its parts that must appear unchanged in the result (empty = none). When
  /// empty, RebalanceSpec::locked_parts lock parts of the first input. A locked part that
  /// overlaps a part locked by an earlier input is ignored (listed in
  /// MergeResult::ignored_locks).
  std::vector<std::vector<std::int32_t>> locked_parts;
};

/// Several existing divisions of one graph merged into one (多网合一).
struct MergeResult {
  /// The merged division. Ids below `result.existing_parts` are the ids of input
  /// `chosen_input` (consensus: the first input; a result part takes the id of the part
  /// of that input it shares most weight with, each id once); the others are new.
  /// unchanged/changed/new/retired parts and moved weight are relative to that input.
  RebalanceResult result;
  std::size_t chosen_input = 0;
  /// Per input: weight of vertices whose part differs from the input's part matched to
  /// theirs (each result part is matched to the input part it shares most weight with).
  std::vector<double> changed_weight;
  /// Per input: boundary length (edge_length of cut edges) of the input that is still a
  /// boundary in the result, and the input's total boundary length.
  std::vector<double> boundary_kept, boundary_total;
  /// Per input: boundary length of the result (edges both of whose ends the input places)
  /// that is not a boundary of the input. boundary_total - boundary_kept + boundary_added
  /// is the boundary length in which the result and the input differ.
  std::vector<double> boundary_added;
  /// Boundaries every input draws (both ends placed by every input, in different parts in
  /// each): total length and the length still a boundary in the result.
  double shared_boundary_total = 0, shared_boundary_kept = 0;
  /// Per input k, per result part id: the part of input k with exactly the same vertices,
  /// or -1 (the inputs the merged part agrees with).
  std::vector<std::vector<std::int32_t>> same_as;
  /// Per vertex: 1 when the inputs disagree about it: for some two inputs placing it, its
  /// cells in the two are not each other's best match (the cell of the other input sharing
  /// the most weight, then the lowest id).
  std::vector<std::uint8_t> disputed;
  /// (input, part) locks ignored because they overlap a part locked by an earlier input.
  std::vector<std::pair<std::size_t, std::int32_t>> ignored_locks;
  /// Consensus only: pieces of the refinement, and pieces joined by vote before repair.
  std::size_t pieces = 0, joins = 0;
  /// Consensus only: -1 when the vote result was kept; else the input whose repair alone
  /// disagreed less with the inputs (weighted boundary length) and was kept instead.
  std::int64_t from_input = -1;
};

/// Merges `inputs` (per vertex a part id in [0, input_parts[k]) or -1) into one division
/// that follows every rule rebalance() enforces (bounds, contiguity, groups whole, every
/// vertex in a part, locked parts unchanged). Deterministic for a given spec.seed.
/// Throws UsageError for no inputs, mismatched sizes, ids out of range or weights <= 0.
MergeResult merge_assignments(const UnitGraph& g,
                              const std::vector<std::vector<std::int32_t>>& inputs,
                              const std::vector<std::int32_t>& input_parts,
                              const RebalanceSpec& spec, const MergeOptions& options = {});

/// Weight of vertices of `result` whose part is not the `input` part matched to it
/// (largest shared weight, ties lowest id); vertices without an input part don't count.
double changed_weight(const UnitGraph& g, const std::vector<std::int32_t>& input,
                      const std::vector<std::int32_t>& result);

// --- Redrawing a dataset's existing grid layers -------------------------------------------

/// One existing grid layer, geometry in the dataset's work CRS.
struct ExistingGrid {
  std::string name; ///< for messages and reports, e.g. "grids.gpkg:cells"
  std::vector<std::string> codes;
  std::vector<geo::MultiPolygon> polygons;
  std::vector<std::uint8_t> locked; ///< per cell, 1 = locked; may be empty
  double weight = 1.0;              ///< merge: the layer's weight in the vote (> 0)
};

struct RedrawOptions {
  PlanOptions plan;        ///< balance field, --min/--max, seed, graph options, progress
  double stability = 10.0; ///< RebalanceSpec::stability
  /// Cells never changed: rebalance, of the grid; merge, of the first grid that has the
  /// code (each grid's own `locked` flags apply to that grid).
  std::vector<std::string> locked_codes;
  MergeMethod merge_method = MergeMethod::consensus; ///< merge only
  /// When set: every grid's codes are validated against the scheme on read (InputError
  /// naming the grid's file, layer and feature: wrong length, not digits, parent mismatch
  /// with the community the cell lies in, duplicates), and new cells get codes in it.
  std::optional<codes::Scheme> code_scheme;
};

/// How units were placed in one grid layer's cells, and the layer's own defects.
struct GridResolution {
  std::string name;
  std::size_t cells = 0;
  std::size_t units_contained = 0;   ///< anchor inside exactly one cell
  std::size_t units_in_overlaps = 0; ///< anchor inside several cells: largest overlap wins
  std::size_t units_by_overlap = 0;  ///< anchor in no cell, footprint overlaps one: largest
  std::size_t units_in_gaps = 0;     ///< in no cell: given to a neighbouring cell by repair
  std::size_t overlapping_pairs = 0; ///< pairs of cells overlapping by more than 1 m²
  double overlap_area_m2 = 0;
  std::size_t empty_cells = 0;        ///< cells (slivers) holding no unit: retired
  std::size_t cells_across_areas = 0; ///< cells holding units of several areas
  std::vector<std::string> duplicate_codes;
};

/// Per input grid of a merge (or the one grid of a rebalance).
struct GridAgreement {
  std::string name;
  double households_changed = 0; ///< households whose cell differs from this input's
  double households_total = 0;   ///< households in a cell of this input
  double boundary_kept_m = 0;    ///< this input's cell boundary (graph edges) still a boundary
  double boundary_total_m = 0;
  double boundary_added_m = 0; ///< output cell boundary where this input draws none
  /// Areas where the output is this input repaired alone (choose-one: the base; consensus:
  /// where that disagreed less with the inputs than the vote).
  std::size_t areas_chosen = 0;
  std::size_t cells_same = 0; ///< output cells with exactly the units of one of its cells
  double weight = 1.0;        ///< its weight in the vote
};

struct RedrawReport {
  std::vector<GridResolution> grids;
  std::vector<GridAgreement> agreement;
  double households_moved = 0; ///< households whose cell code changed (first grid)
  std::size_t units_moved = 0;
  double gap_households = 0; ///< households that had no cell and got one
  std::size_t gap_units = 0;
  std::vector<std::string> unchanged_codes, changed_codes, new_codes, retired_codes, locked_codes;
  std::size_t fragments_reassigned = 0, groups_reunited = 0, splits = 0, replans = 0;
  /// Rules broken by the existing grid (first grid) before repair, by rule.
  std::vector<std::pair<std::string, std::size_t>> violations_before;
  double seconds = 0;
  // Merge only.
  /// Per output cell (Plan::cells order): the inputs (indices into the grids) that have a
  /// cell with exactly its units.
  std::vector<std::vector<std::size_t>> cell_agrees;
  /// Dataset units the inputs disagree about (MergeResult::disputed), ascending, and per such unit
  /// the code of its cell in each input ("" none).
  std::vector<std::uint32_t> disputed_units;
  std::vector<std::vector<std::string>> disputed_codes;
  double disputed_households = 0;
  /// Boundaries every input draws: length, and length still a cell boundary.
  double shared_boundary_total_m = 0, shared_boundary_kept_m = 0;
  /// "grid name: code" of locks ignored because an earlier input locked an overlapping cell.
  std::vector<std::string> ignored_locks;
};

/// Redraws existing grid layers over a dataset: with one grid, rebalance (fix only what
/// breaks the planner's rules, moving the fewest households; locked cells never change);
/// with several, merge them (merge_assignments per area). Units are placed in cells by
/// their anchor point (overlaps and gaps resolved as in GridResolution). Cells that end
/// with exactly their units keep their code, changed cells keep theirs (merge: codes of
/// the first grid; a cell locked by another grid, or new but identical to another grid's
/// cell, keeps that grid's code when no other grid uses it), new cells get the next free
/// codes of their area, retired codes are listed. Locked cells keep their
/// polygon exactly; the other cells are unions of their units' regions minus locked
/// polygons. Throws UsageError for bad options or an empty grid list.
Plan redraw_plan(const geo::Dataset& dataset, const std::vector<ExistingGrid>& grids,
                 const RedrawOptions& options, RedrawReport& report);

/// Merge outputs added to the plan layers (a hook `gridplan merge` calls after
/// plan_layers): the field plan_file::field::agrees_with on the cells layer (names of the
/// inputs whose cell has exactly the output cell's units, "; "-separated) and the layer
/// plan_file::layer::disagreements (one feature per disputed unit: its footprint or
/// point, unit_id, area and output cell codes, and its cell code in each input).
void add_merge_layers(std::vector<geo::Layer>& layers, const geo::Dataset& dataset,
                      const Plan& plan, const std::vector<ExistingGrid>& grids,
                      const RedrawReport& report);

} // namespace gp::planner
