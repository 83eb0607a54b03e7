// Hand editing: accepted and refused moves, live figures, undo by reassignment, layers
// to save with the edit recorded.
#include <algorithm>

#include "gp/viewer/plan_editor.hpp"
#include "plan_fixture.hpp"
#include "support.hpp"

namespace gp::viewer {
namespace {

using gp::testing::kEast;
using gp::testing::kWest;
using gp::testing::unit_at;

MapModel synthetic_model() {
  MapModel m;
  for (auto& l : gp::testing::synthetic_plan_layers()) m.add_layer(std::move(l));
  return m;
}

double cell_households(const MapModel& m, const std::string& code) {
  const auto* cells = m.find("cells");
  const int c = cells->data.table.find("cell_code"), h = cells->data.table.find("households");
  for (std::size_t i = 0; i < cells->size(); ++i)
    if (cells->text(i, c) == code) return cells->number(i, h).value();
  return -1;
}

TEST(PlanEditor, StartsWithThePlanFigures) {
  auto m = synthetic_model();
  PlanEditor e(m);
  const auto& f = e.figures();
  EXPECT_EQ(f.cells, 2u);
  EXPECT_EQ(f.cells_within_bounds, 2u);
  EXPECT_EQ(f.cells_split, 0u);
  EXPECT_EQ(f.units, 96u);
  EXPECT_EQ(f.units_assigned, 96u);
  EXPECT_DOUBLE_EQ(f.coverage, 1.0);
  EXPECT_DOUBLE_EQ(f.lower_bound, 300);
  EXPECT_DOUBLE_EQ(f.upper_bound, 500);
  EXPECT_DOUBLE_EQ(e.cell(kWest)->households, 480);
  EXPECT_EQ(e.cell(kWest)->pieces, 1u);
}

TEST(PlanEditor, MovingABorderBuildingUpdatesFiguresAndLayers) {
  auto m = synthetic_model();
  PlanEditor e(m);
  const std::vector<std::uint32_t> sel{unit_at(5, 3)};
  EXPECT_EQ(e.neighbour_cells(sel), std::vector<std::string>{kEast});
  std::vector<std::string> previous;
  const auto r = e.move(sel, kEast, &previous);
  ASSERT_TRUE(r.allowed) << r.reason;
  EXPECT_EQ(previous, std::vector<std::string>{kWest});
  EXPECT_EQ(e.cell_of(unit_at(5, 3)), kEast);
  EXPECT_DOUBLE_EQ(e.cell(kWest)->households, 470);
  EXPECT_DOUBLE_EQ(e.cell(kEast)->households, 490);
  EXPECT_EQ(e.cell(kEast)->units, 49u);
  // The cells layer and the unit's attribute follow.
  EXPECT_DOUBLE_EQ(cell_households(m, kWest), 470);
  EXPECT_DOUBLE_EQ(cell_households(m, kEast), 490);
  const auto* units = m.find("units");
  EXPECT_EQ(units->text(unit_at(5, 3), units->data.table.find("cell_code")), kEast);
  // Deviation against the planner's target (480): ±2.08 %.
  EXPECT_NEAR(e.cell(kEast)->deviation_pct, 100.0 * 10 / 480, 1e-9);
  EXPECT_NEAR(e.figures().max_abs_deviation_pct, 100.0 * 10 / 480, 1e-9);
  // Undo = assigning the previous cells back.
  e.assign(sel, previous);
  EXPECT_DOUBLE_EQ(e.cell(kWest)->households, 480);
  EXPECT_DOUBLE_EQ(cell_households(m, kEast), 480);
}

TEST(PlanEditor, RefusesMovesThatSplitTheDonor) {
  auto m = synthetic_model();
  PlanEditor e(m);
  // Column 3 of the west cell cuts it in two.
  std::vector<std::uint32_t> column;
  for (int row = 0; row < 8; ++row) column.push_back(unit_at(3, row));
  const auto r = e.check_move(column, kEast);
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("split"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find(kWest), std::string::npos) << r.reason;
  // Nothing changed.
  EXPECT_DOUBLE_EQ(e.cell(kWest)->households, 480);
}

TEST(PlanEditor, RefusesBuildingsThatDoNotTouchTheTarget) {
  auto m = synthetic_model();
  PlanEditor e(m);
  const auto r = e.move({unit_at(0, 0)}, kEast);
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("do not touch"), std::string::npos) << r.reason;
  EXPECT_EQ(e.cell_of(unit_at(0, 0)), kWest);
}

TEST(PlanEditor, RefusesUnassignedEmptiedOrForeignTargets) {
  auto m = synthetic_model();
  PlanEditor e(m);
  auto r = e.check_move({unit_at(5, 0)}, "");
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("unassigned"), std::string::npos) << r.reason;
  r = e.check_move({unit_at(5, 0)}, "999999999999001");
  EXPECT_FALSE(r.allowed);
  std::vector<std::uint32_t> all_west;
  for (int row = 0; row < 8; ++row)
    for (int col = 0; col < 6; ++col) all_west.push_back(unit_at(col, row));
  r = e.check_move(all_west, kEast);
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("without buildings"), std::string::npos) << r.reason;
  r = e.check_move({unit_at(6, 0)}, kEast);
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("already"), std::string::npos) << r.reason;
  EXPECT_FALSE(e.check_move({}, kEast).allowed);
}

TEST(PlanEditor, WholeBorderColumnMovesAndBreaksBounds) {
  auto m = synthetic_model();
  PlanEditor e(m);
  std::vector<std::uint32_t> cols;
  for (int row = 0; row < 8; ++row)
    cols.push_back(unit_at(5, row)), cols.push_back(unit_at(4, row));
  const auto r = e.move(cols, kEast);
  ASSERT_TRUE(r.allowed) << r.reason;
  EXPECT_DOUBLE_EQ(e.cell(kWest)->households, 320);
  EXPECT_DOUBLE_EQ(e.cell(kEast)->households, 640);
  EXPECT_FALSE(e.cell(kEast)->within_bounds);
  EXPECT_EQ(e.figures().cells_within_bounds, 1u);
  EXPECT_EQ(e.figures().units_assigned, 96u);
}

TEST(PlanEditor, LayersToSaveRecordTheEdits) {
  auto m = synthetic_model();
  PlanEditor e(m);
  ASSERT_TRUE(e.move({unit_at(5, 3)}, kEast).allowed);
  e.log_edit("moved 1 building from west to east");
  const auto layers = e.to_layers();
  std::vector<std::string> names;
  for (const auto& l : layers) names.push_back(l.name);
  for (const char* want : {"areas", "cells", "units", "barriers", "facilities", "plan_metadata"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  const auto meta = std::find_if(layers.begin(), layers.end(),
                                 [](const auto& l) { return l.name == "plan_metadata"; });
  bool edits = false, one = false;
  for (const auto& row : meta->table.rows) {
    if (std::get<std::string>(row[0]) == "manual_edits")
      edits = std::get<std::string>(row[1]) == "1";
    if (std::get<std::string>(row[0]) == "manual_edit_1")
      one = std::get<std::string>(row[1]).find("west to east") != std::string::npos;
  }
  EXPECT_TRUE(edits);
  EXPECT_TRUE(one);
}

} // namespace
} // namespace gp::viewer
