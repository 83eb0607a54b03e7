#pragma once
// Comparing two plans (before, after) unit by unit: which buildings changed cell, what each
// cell gained and lost, which old code became which new code, and the balance before and
// after. Plain values only; `gridplan diff` reads plans into these and writes the layers.
// See docs/user/diff.md.

#include <cstddef>
#include <string>
#include <vector>

namespace gp::planner {

/// One plan's units: a stable key per unit (the plan's `unit_id`, or any id field shared by
/// both plans), the cell code it belongs to ("" = none) and its households.
struct PlanAssignment {
  std::vector<std::string> unit_key;
  std::vector<std::string> cell_code;
  std::vector<double> households;
};

enum class CellStatus { unchanged, changed, added, removed };
const char* cell_status_name(CellStatus status);

/// A cell code present in either plan. Gains and losses count units (and their households)
/// that came from / went to another cell, no cell, or were absent from the other plan.
struct CellChange {
  std::string code;
  CellStatus status = CellStatus::unchanged;
  double households_before = 0, households_after = 0;
  double households_gained = 0, households_lost = 0;
  std::size_t units_before = 0, units_after = 0;
  std::size_t units_gained = 0, units_lost = 0;
  /// For a cell of the before plan: the after cell sharing most households with it (then
  /// most units, then the lowest code); "" when none of its units is in a cell after.
  std::string successor;
};

/// Old code -> new code by largest household overlap (one row per before cell).
struct CodeMapping {
  std::string before;
  std::string after; ///< "" when nothing of the old cell is in a cell after
  double households_shared = 0;
  double share = 0; ///< households_shared / households of the old cell (1 when it had none)
  std::size_t units_shared = 0;
};

/// A unit present in both plans whose cell changed.
struct MovedUnit {
  std::size_t before_index = 0; ///< index into the before assignment
  std::size_t after_index = 0;  ///< index into the after assignment
  std::string key;
  std::string from, to;  ///< "" = no cell
  double households = 0; ///< as in the after plan
};

/// Households per cell (cells holding at least one unit).
struct BalanceStats {
  std::size_t cells = 0;
  double min = 0, mean = 0, max = 0;
  double share_within_bounds = 0; ///< in [0,1]; 1 when there are no cells
};

struct PlanDiff {
  std::vector<CellChange> cells; ///< sorted by code
  std::vector<CodeMapping> mapping;
  std::vector<MovedUnit> moved;           ///< in order of the after plan
  std::vector<std::string> units_added;   ///< keys only in the after plan
  std::vector<std::string> units_removed; ///< keys only in the before plan
  double households_moved = 0;
  std::size_t cells_unchanged = 0, cells_changed = 0, cells_added = 0, cells_removed = 0;
  BalanceStats before, after;
  /// No unit moved, appeared or disappeared, and no cell changed.
  bool empty() const {
    return moved.empty() && units_added.empty() && units_removed.empty() && cells_changed == 0 &&
           cells_added == 0 && cells_removed == 0;
  }
};

struct DiffOptions {
  double min_weight = 300; ///< bounds for BalanceStats::share_within_bounds (households)
  double max_weight = 500;
};

/// Compares two plans. Units are matched by key. Throws gp::InputError when a key occurs
/// twice in one plan ("before"/"after" named as the file) and gp::UsageError when the
/// vectors of an assignment differ in size. Deterministic (output order depends only on
/// codes, keys and input order).
PlanDiff diff_plans(const PlanAssignment& before, const PlanAssignment& after,
                    const DiffOptions& options = {});

} // namespace gp::planner
