// Checking a plan against hard floors on secondary fields (see floors.hpp).

#include "gp/planner/floors.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cmath>

#include "gp/core/error.hpp"
#include "gp/planner/graph_builder.hpp"
#include "gp/planner/plan_file.hpp"

namespace gp::planner {

FieldFloor parse_floor(const std::string& text) {
  const auto colon = text.rfind(':');
  FieldFloor f;
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw UsageError(fmt::format("--at-least '{}': expected FIELD:N, e.g. party_members:3", text));
  f.field = text.substr(0, colon);
  const char* b = text.data() + colon + 1;
  const char* e = text.data() + text.size();
  const auto r = std::from_chars(b, e, f.minimum);
  if (r.ec != std::errc{} || r.ptr != e || !std::isfinite(f.minimum) || f.minimum < 0)
    throw UsageError(fmt::format("--at-least '{}': N must be a finite number >= 0", text));
  return f;
}

std::vector<FloorViolation> check_floors(const geo::Dataset& dataset, const Plan& plan,
                                         const std::vector<FieldFloor>& floors) {
  // The cells' sums as the plan contract's judge() computes them.
  plan_file::JudgeInput in;
  in.unit_cell = plan.unit_cell;
  for (const auto& a : plan.areas) in.area_bounds.emplace_back(a.lower_bound, a.upper_bound);
  for (const auto& c : plan.cells) in.cell_area.push_back(c.area_index);
  in.floors = floors;
  for (const auto& f : floors) in.unit_floor.push_back(unit_field_values(dataset, f.field));
  const auto judgement = plan_file::judge(in);
  // Totals per area, to tell a floor no division could meet from one the partition missed.
  std::vector<std::vector<double>> area_total(floors.size(),
                                              std::vector<double>(plan.areas.size(), 0.0));
  for (std::size_t c = 0; c < plan.cells.size(); ++c)
    for (std::size_t k = 0; k < floors.size(); ++k)
      area_total[k][plan.cells[c].area_index] += judgement.cells[c].floor_values[k];
  std::vector<FloorViolation> out;
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    const auto& cell = plan.cells[c];
    for (std::size_t k = 0; k < floors.size(); ++k) {
      const double value = judgement.cells[c].floor_values[k];
      if (!(value < floors[k].minimum)) continue;
      FloorViolation v;
      v.cell_code = cell.code;
      v.area_code = cell.area_code;
      v.field = floors[k].field;
      v.value = value;
      v.minimum = floors[k].minimum;
      v.shortfall = v.minimum - v.value;
      const auto cells_in_area = static_cast<double>(plan.areas[cell.area_index].cells.size());
      v.area_infeasible = area_total[k][cell.area_index] < v.minimum * cells_in_area;
      out.push_back(std::move(v));
    }
  }
  return out;
}

PlanViolation to_plan_violation(const FloorViolation& v) {
  PlanViolation p;
  p.cell_code = v.cell_code;
  p.area_code = v.area_code;
  p.rule = "floor";
  p.reason = fmt::format("{} {:g} below the floor {:g} (short by {:g})", v.field, v.value,
                         v.minimum, v.shortfall);
  if (v.area_infeasible)
    p.reason += fmt::format("; community {} has too little {} for {:g} in every cell", v.area_code,
                            v.field, v.minimum);
  return p;
}

} // namespace gp::planner
