#pragma once
// Hard floors on secondary fields (`--at-least party_members:3`): every cell must hold at
// least so much of a field, e.g. enough party members to form a branch (党支部建在网格上:
// a branch needs at least 3 full members). This header checks a plan against its floors and
// reports each cell below a floor as a violation naming the field, the cell and the
// shortfall; make_plan and redraw_plan call it after partitioning (the partitioner and
// rebalance have already tried to meet the floors: partition.hpp, rebalance.hpp). FieldFloor
// itself is declared in plan.hpp (PlanOptions::floors).

#include <string>
#include <vector>

#include "gp/geo/model.hpp"
#include "gp/planner/plan.hpp"

namespace gp::planner {

/// Parses "FIELD:N" (N a finite number >= 0). Throws UsageError naming the text otherwise.
FieldFloor parse_floor(const std::string& text);

/// A cell below a floor.
struct FloorViolation {
  std::string cell_code, area_code, field;
  double value = 0;     ///< the cell's sum of the field
  double minimum = 0;   ///< the floor
  double shortfall = 0; ///< minimum - value (> 0)
  /// The cell's community holds less than minimum x its number of cells in total, so no
  /// division of it can meet the floor.
  bool area_infeasible = false;
};

/// Every (cell, floor) pair with the cell's sum of the field below the floor, in cell then
/// floor order. Field values as the planner reads them (unit_field_values: households and
/// population from the model, any other name from the units' attributes, NULL = 0). Throws
/// UsageError for an unknown field and InputError for a non-numeric value.
std::vector<FloorViolation> check_floors(const geo::Dataset& dataset, const Plan& plan,
                                         const std::vector<FieldFloor>& floors);

/// The violation as the plan reports it: rule "floor", the reason naming the field, the
/// value, the floor and the shortfall (and when the community cannot meet it at all).
PlanViolation to_plan_violation(const FloorViolation& v);

} // namespace gp::planner
