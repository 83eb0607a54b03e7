#pragma once
// The properties every plan must have, asserted with GoogleTest: exact coverage, nesting,
// every unit in exactly one cell, contiguity where the area is connected, bounds or an
// explained violation, numbering west->east / north->south. Used by plan_*_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gp/geo/ops.hpp"
#include "gp/planner/plan.hpp"

namespace gp::testing {

inline bool has_violation(const planner::Plan& plan, const std::string& cell_code,
                          const std::vector<std::string>& rules) {
  for (const auto& v : plan.violations)
    if (v.cell_code == cell_code && std::find(rules.begin(), rules.end(), v.rule) != rules.end())
      return true;
  return false;
}

/// Checks every property; `area_tolerance` is relative (areas of cells vs the area).
inline void check_plan(const geo::Dataset& ds, const planner::Plan& plan,
                       const planner::PlanOptions& o, double area_tolerance = 1e-6) {
  // Every unit in exactly one cell (or reported unassigned).
  std::vector<int> seen(ds.units.size(), 0);
  for (std::size_t c = 0; c < plan.cells.size(); ++c)
    for (auto u : plan.cells[c].units) {
      ++seen[u];
      EXPECT_EQ(plan.unit_cell[u], static_cast<std::int64_t>(c));
    }
  bool unassigned_reported = false;
  for (const auto& v : plan.violations)
    unassigned_reported = unassigned_reported || v.rule == "unassigned";
  for (std::size_t u = 0; u < ds.units.size(); ++u) {
    if (seen[u] == 0) {
      EXPECT_TRUE(unassigned_reported) << "unit " << u << " in no cell, not reported";
    }
    EXPECT_LE(seen[u], 1) << "unit " << u << " in several cells";
  }

  for (const auto& area : plan.areas) {
    SCOPED_TRACE("area " + area.code);
    const double a = geo::area(area.geometry);
    ASSERT_GT(a, 0);
    const double tol = area_tolerance * a + 1e-3;
    // Tiling: sum of the cells' areas == the area, and their union == the area.
    double sum = 0;
    std::vector<const geo::MultiPolygon*> parts;
    for (auto ci : area.cells) {
      const auto& cell = plan.cells[ci];
      sum += geo::area(cell.geometry);
      parts.push_back(&cell.geometry);
      // Nesting: nothing of the cell outside its area.
      EXPECT_LE(geo::area(geo::difference(cell.geometry, area.geometry)), tol) << cell.code;
      EXPECT_EQ(cell.area_code, area.code);
    }
    EXPECT_NEAR(sum, a, tol) << "sum of cell areas";
    const auto u = geo::union_all(parts);
    EXPECT_NEAR(geo::area(u), a, tol) << "union of cells";
    EXPECT_LE(geo::area(geo::difference(area.geometry, u)), tol) << "blank left";

    // Cells: sums, contiguity, bounds or explanation, codes.
    const double mean = area.balance / static_cast<double>(area.cells.size());
    const bool connected = area.geometry.size() == 1;
    for (std::size_t k = 0; k < area.cells.size(); ++k) {
      const auto& cell = plan.cells[area.cells[k]];
      double hh = 0;
      for (auto uu : cell.units) hh += ds.units[uu].households;
      EXPECT_NEAR(cell.households, hh, 1e-6);
      if (connected) {
        EXPECT_EQ(cell.geometry.size(), 1u) << cell.code << " not one polygon";
        EXPECT_TRUE(cell.contiguous) << cell.code;
      }
      if (!cell.contiguous) {
        EXPECT_TRUE(has_violation(plan, cell.code, {"contiguity"})) << cell.code;
      }
      const bool within =
          o.cells_per_area > 0
              ? std::abs(cell.balance - mean) <= o.tolerance * mean + 1e-6
              : cell.balance >= o.min_weight - 1e-6 && cell.balance <= o.max_weight + 1e-6;
      EXPECT_EQ(cell.within_bounds, within) << cell.code;
      if (!within) {
        EXPECT_TRUE(has_violation(plan, cell.code, {"min", "max", "tolerance"}))
            << cell.code << " breaks the bounds with " << cell.balance << " and no explanation";
      }
      std::string expected = std::to_string(k + 1);
      // 3 digits; more only when an area has over 999 cells (reported as "numbering").
      const std::size_t width = std::max<std::size_t>(3, std::to_string(area.cells.size()).size());
      expected.insert(0, width - expected.size(), '0');
      EXPECT_EQ(cell.code, area.code + expected);
      EXPECT_NEAR(cell.deviation_pct, mean > 0 ? 100 * (cell.balance - mean) / mean : 0, 1e-9);
    }
    // Numbering: rows of height sqrt(area/cells) from the northern edge, west to east.
    const double row_h = std::sqrt(std::max(a, 1.0) / static_cast<double>(area.cells.size()));
    const double top = geo::bounds(area.geometry).max_y;
    for (std::size_t k = 1; k < area.cells.size(); ++k) {
      const auto p = geo::centroid(plan.cells[area.cells[k - 1]].geometry);
      const auto q = geo::centroid(plan.cells[area.cells[k]].geometry);
      const auto rp = std::floor((top - p.y) / row_h), rq = std::floor((top - q.y) / row_h);
      EXPECT_TRUE(rp < rq || (rp == rq && p.x <= q.x))
          << plan.cells[area.cells[k]].code << " out of order";
    }
  }
}

} // namespace gp::testing
