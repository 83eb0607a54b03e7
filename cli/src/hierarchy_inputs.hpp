#pragma once
// The administrative hierarchy for command reports (`plan`, `inspect`): street and district
// polygons read from their own layers (--streets, --districts, or the city's `streets` and
// `district` layers when present), then planner::build_hierarchy.

#include <string>
#include <vector>

#include "gp/geo/model.hpp"
#include "gp/planner/hierarchy.hpp"
#include "plan_inputs.hpp"

namespace gp::cli {

/// Street and district areas: from `inputs.streets` / `inputs.districts` (SRC[:LAYER]), else
/// the layers `streets` / `district` (or `districts`) of `inputs.city` when it has them; none
/// otherwise. Fields: code (code, 编码), name (name, 名称), parent_code (parent_code,
/// 上级编码). Throws InputError naming file, layer and feature (missing code field, empty
/// code).
std::vector<geo::Area> read_parent_areas(const PlanInputFlags& inputs, const std::string& work_crs);

/// build_hierarchy of the dataset and plan (may be null) with read_parent_areas.
planner::Hierarchy hierarchy_report(const PlanInputFlags& inputs, const geo::Dataset& dataset,
                                    const planner::Plan* plan);

} // namespace gp::cli
