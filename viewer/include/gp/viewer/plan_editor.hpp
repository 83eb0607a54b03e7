#pragma once
// Editing a plan by hand: moving buildings (units) between cells of the same community,
// with the cell outlines redrawn and the plan judged exactly as the planner judges it.
//
// The plan's own rules: the editor reads the plan through the plan-file contract
// (gp/planner/plan_file.hpp) and judges it with plan_file::judge() — the function the
// planner uses for its summary — on the plan's unit adjacency, per-area bounds and
// compounds, so the figures shown equal `judge_plan(read_plan(saved file))`.
//
// Cell outlines: a cell is the union of its units' regions (the planner's Voronoi regions
// of the footprints, or the footprints themselves for tiling units). When units move from
// cell D to cell T, their regions are recomputed inside D with the planner's own region
// builder (planner::build_area_graph on D's units clipped to D: because D is the union of
// its units' regions, the Voronoi partition of D by D's units gives back exactly those
// regions), then D loses them and T gains them. Cells keep tiling the community exactly.
// Undo and redo restore the exact polygons saved with the step. Units that were
// unassigned have no region: moving them changes no outline.
//
// A move is refused (with the reason) when the target does not exist, a unit is in
// another community, a donor would be emptied or fall into more pieces on the plan's
// adjacency, or the units do not touch the target. A move that puts a compound (小区) into
// more cells than before is allowed only when confirmed, and is recorded as such.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gp/planner/plan_file.hpp"
#include "gp/viewer/map_model.hpp"

namespace gp::viewer {

namespace plan_file = gp::planner::plan_file;

/// The answer to "may these units move there?".
struct MoveCheck {
  bool allowed = false;
  std::string reason; ///< why not (English, one line), empty when allowed
  /// Compounds that would lie in more cells after the move: allowed only when confirmed.
  std::vector<std::string> splits_compounds;
};

/// One accepted edit, enough to undo and redo it exactly.
struct EditStep {
  std::vector<std::uint32_t> units;             ///< plan unit indices (= units-layer rows)
  std::vector<std::int64_t> from;               ///< previous cell index of each unit (-1: none)
  std::int64_t to = -1;                         ///< target cell index
  std::vector<std::size_t> cells;               ///< cells whose outline changed
  std::vector<geo::MultiPolygon> before, after; ///< their outlines, parallel to `cells`
  std::vector<std::string> split_compounds;     ///< compounds split further (confirmed)
  std::string description;                      ///< one line, for plan_metadata
  double milliseconds = 0;                      ///< time to compute and apply it
};

/// A rule the edited plan breaks, for the violations list.
struct Violation {
  enum class Kind { bounds, contiguity, compound, unassigned };
  Kind kind = Kind::bounds;
  std::int64_t cell = -1;          ///< cell index (-1 for unassigned units)
  std::string text;                ///< one line, English
  geo::Box box = geo::Box::none(); ///< where to zoom (map CRS)
};

/// One file opened for the desk: its layers for display and, when it is a plan the
/// contract can read, the plan itself. Both are read at the same time (gp::run_jobs).
struct OpenedFile {
  MapModel model;
  std::optional<plan_file::PlanFile> plan;
  std::string notice; ///< why the file is not an editable plan, or read_plan's notices
};
/// Reads `path` for display (MapModel::open) and through plan_file::read_plan, in
/// parallel. Throws what MapModel::open throws; read_plan's errors become the notice.
OpenedFile open_file(const std::string& path);

class PlanEditor {
public:
  /// `plan` is the plan as read by plan_file::read_plan from model.path(); `model` holds
  /// the same file's layers for display (units layer rows in unit_id order, cells layer
  /// with the plan's cell codes). Throws gp::InputError naming the file and layer when the
  /// two do not match (a units or cells layer missing, other row counts or codes).
  PlanEditor(MapModel& model, plan_file::PlanFile plan);

  /// Whether moving `units` (units-layer rows) to the cell `target_code` is allowed.
  MoveCheck check_move(const std::vector<std::uint32_t>& units,
                       const std::string& target_code) const;
  /// Moves after check_move() allows it (with confirmed compound splits); returns the
  /// step for undo, or nullopt and the refusal in `check` when not allowed. Recomputes the
  /// outlines of the cells involved, their figures, the plan's judgement and the model's
  /// cells and units layers.
  std::optional<EditStep> move(const std::vector<std::uint32_t>& units,
                               const std::string& target_code, MoveCheck* check = nullptr);
  void undo(const EditStep& step);
  void redo(const EditStep& step);

  /// Cells next to the given units on the plan's adjacency (other than their own), by code.
  std::vector<std::string> neighbour_cells(const std::vector<std::uint32_t>& units) const;

  /// The plan's judgement, live (equal to plan_file::judge of the edited plan).
  const plan_file::Judgement& judgement() const { return judgement_; }
  const plan_file::PlanFile& plan() const { return plan_; }
  /// Bounds of cell `c`'s balance (from its area).
  std::pair<double, double> bounds(std::size_t cell) const;
  /// Current outline of cell `c` (also in the model's cells layer).
  const geo::MultiPolygon& cell_geometry(std::size_t cell) const;
  std::int64_t find_cell(const std::string& code) const { return plan_.find_cell(code); }
  /// Cell index of a unit (-1 when unassigned) and its code ("" when unassigned).
  std::int64_t cell_of(std::uint32_t unit) const { return input_.unit_cell.at(unit); }
  std::string cell_code_of(std::uint32_t unit) const;
  /// Cells-layer row of plan cell `c`.
  std::uint32_t cell_row(std::size_t cell) const { return cell_row_.at(cell); }
  /// Plan cell index of a cells-layer row (-1 if none).
  std::int64_t cell_of_row(std::uint32_t row) const;
  /// Compound id of a unit ("" none).
  const std::string& compound_of(std::uint32_t unit) const { return input_.unit_compound.at(unit); }

  /// The rules the edited plan breaks, cells in plan order.
  std::vector<Violation> violations() const;
  /// One line per accepted edit still applied, for plan_metadata.
  const std::vector<std::string>& edit_log() const { return log_; }

  /// The plan as layers to write: every model layer (roads and rivers merged back into
  /// barriers), tables kept (unit_adjacency, plan_metadata ...), plan_metadata extended
  /// with the edit log and the file it was edited from.
  std::vector<geo::Layer> to_layers() const;
  /// Writes the edited plan to a NEW file (gp::OutputError if `path` exists unless
  /// overwrite, or is the source plan).
  void save_as(const std::string& path, bool overwrite = false) const;

private:
  void apply(const std::vector<std::uint32_t>& units, const std::vector<std::int64_t>& cells,
             const std::vector<std::size_t>& touched,
             const std::vector<geo::MultiPolygon>& outlines);
  void rejudge(const std::vector<std::size_t>& touched);
  std::size_t pieces(const std::vector<std::uint32_t>& members) const;
  std::vector<std::string> compounds_split_by(const std::vector<std::uint32_t>& units,
                                              std::int64_t target) const;

  MapModel& model_;
  MapLayer* units_ = nullptr;
  MapLayer* cells_ = nullptr;
  plan_file::PlanFile plan_;
  plan_file::JudgeInput input_;
  plan_file::Judgement judgement_;
  std::vector<std::uint32_t> cell_row_; ///< plan cell -> cells-layer row
  std::vector<double> target_;          ///< per cell: the planner's balance target (0 unknown)
  std::vector<std::vector<std::uint32_t>> members_; ///< units of each cell
  std::size_t cut_edges_at(const std::vector<std::uint32_t>& units) const;
  static bool is_split(const std::unordered_map<std::int64_t, std::size_t>& per_cell);

  std::vector<std::uint32_t> adj_offsets_, adj_edges_; ///< CSR: per unit, adjacency edge ids
  std::size_t split_count_ = 0;                        ///< compounds in more than one cell
  /// Per compound: cell -> number of its units there.
  std::unordered_map<std::string, std::unordered_map<std::int64_t, std::size_t>> compound_cells_;
  int unit_cell_field_ = -1;
  std::vector<std::string> log_;
};

} // namespace gp::viewer
