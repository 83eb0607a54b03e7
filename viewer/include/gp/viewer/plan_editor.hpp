#pragma once
// Editing a plan by hand: moving buildings (units) between adjacent grid cells of the
// same community, with the balance, contiguity and coverage figures kept up to date and
// moves that would break the plan refused with the reason.
//
// Adjacency between units ("contiguity" of a cell): the Gabriel graph of the units'
// representative points within each community — u and v are neighbours when no other
// unit lies inside the circle whose diameter is uv — limited to each unit's 10 nearest.
// The Gabriel graph is a connected subgraph of the Delaunay triangulation, so removing a
// row of buildings across a cell really cuts it (see docs/user/viewer.md). A move is
// refused when it would split a cell into more pieces than it had, or would not touch
// the target cell (the target's pieces would grow).
//
// The editor works on the MapModel's `units` and `cells` layers in place: it rewrites
// units.cell_code and the cells' households / units / deviation_pct / within_bounds.
// Cell outlines are not redrawn by edits; the units' cell_code is authoritative.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gp/viewer/map_model.hpp"

namespace gp::viewer {

/// The live figures of one cell.
struct CellFigures {
  std::string code;
  std::string area_code;
  double households = 0;
  std::size_t units = 0;
  double target = 0;        ///< the household target its deviation is measured against
  double deviation_pct = 0; ///< 100 * (households - target) / target
  bool within_bounds = true;
  std::size_t pieces = 1; ///< connected pieces under the unit adjacency
};

/// Whole-plan figures shown in the side panel.
struct PlanFigures {
  std::size_t cells = 0;
  std::size_t cells_within_bounds = 0;
  std::size_t cells_split = 0;              ///< cells in more than one piece (of those checked)
  std::size_t cells_contiguity_checked = 0; ///< cells whose pieces are known
  std::size_t units = 0;
  std::size_t units_assigned = 0; ///< units whose cell_code names an existing cell
  double coverage = 1;            ///< units_assigned / units
  double min_households = 0, max_households = 0;
  double max_abs_deviation_pct = 0;
  double lower_bound = 300, upper_bound = 500; ///< household bounds of a cell
};

/// The answer to "may these units move there?".
struct MoveCheck {
  bool allowed = false;
  std::string reason; ///< why not (English, one line), empty when allowed
};

class PlanEditor {
public:
  /// Needs the model's `units` layer with `cell_code` and `households` fields and its
  /// `cells` layer with `cell_code`. Bounds come from plan_metadata (min/max households)
  /// when present, else 300..500. Throws gp::InputError naming what is missing.
  explicit PlanEditor(MapModel& model);

  /// Whether moving `units` (feature indices into the units layer) to `target_cell` is
  /// allowed: the target exists, is in the same community as every unit, the units are
  /// not already all in it, no donor cell is emptied or split, and the moved units touch
  /// the target (its pieces do not grow).
  MoveCheck check_move(const std::vector<std::uint32_t>& units,
                       const std::string& target_cell) const;

  /// Moves after check_move() allows it; returns the previous cell code of each unit (for
  /// undo) or the refusal. Updates figures of the cells involved only (fast on big plans).
  MoveCheck move(const std::vector<std::uint32_t>& units, const std::string& target_cell,
                 std::vector<std::string>* previous = nullptr);
  /// Sets units' cell codes without checks (undo/redo of an accepted move).
  void assign(const std::vector<std::uint32_t>& units, const std::vector<std::string>& cells);

  /// Cells next to the given units (other than their own), sorted by code.
  std::vector<std::string> neighbour_cells(const std::vector<std::uint32_t>& units) const;

  const PlanFigures& figures() const { return figures_; }
  /// Computes the pieces of every cell not yet checked (done at construction for plans
  /// of up to 200,000 units; larger plans check cells as edits or identify touch them).
  void check_contiguity();
  const CellFigures* cell(const std::string& code) const;
  /// The cell code of a unit ("" when unassigned).
  const std::string& cell_of(std::uint32_t unit) const;
  /// Number of accepted moves since opening, and a one-line description of each.
  const std::vector<std::string>& edit_log() const { return log_; }
  void log_edit(std::string description) { log_.push_back(std::move(description)); }
  void unlog_edit() {
    if (!log_.empty()) log_.pop_back();
  }

  /// The plan as layers to write: every model layer (roads and rivers merged back into
  /// `barriers`), tables kept, plan_metadata extended with the edit log and the file it
  /// was edited from.
  std::vector<geo::Layer> to_layers() const;
  /// Writes the edited plan to a NEW file (throws gp::OutputError if `path` exists
  /// unless overwrite, or is the source plan).
  void save_as(const std::string& path, bool overwrite = false) const;

private:
  std::size_t count_pieces(const std::vector<std::uint32_t>& members) const;
  void ensure_pieces(std::size_t cell) const;
  const std::vector<std::uint32_t>& neighbours(std::uint32_t unit) const;
  void refresh_cell(std::size_t cell);
  void refresh_totals();

  MapModel& model_;
  MapLayer* units_ = nullptr;
  MapLayer* cells_ = nullptr;
  int unit_cell_field_ = -1, unit_households_field_ = -1, unit_area_field_ = -1;
  int cell_code_field_ = -1;
  std::vector<std::string> unit_cell_; ///< per unit
  std::vector<std::string> unit_area_; ///< per unit
  std::unordered_map<std::string, std::size_t> cell_index_;
  mutable std::vector<CellFigures> cell_figures_;   ///< per cells-layer feature
  mutable std::vector<std::uint8_t> pieces_known_;  ///< per cell: pieces computed
  std::vector<std::vector<std::uint32_t>> members_; ///< units of each cell
  mutable std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> neighbour_cache_;
  PlanFigures figures_;
  std::vector<std::string> log_;
};

} // namespace gp::viewer
