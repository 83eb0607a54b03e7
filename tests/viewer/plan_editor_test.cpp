// Hand editing on a real plan made by the planner: the editor's figures are the plan-file
// contract's judgement (before and after edits, checked against judge_plan of the saved
// file), cell outlines are redrawn and keep tiling the community, undo/redo restore them
// exactly, refused moves, compound splits flagged.
#include <algorithm>
#include <cmath>
#include <random>

#include "gp/geo/ops.hpp"
#include "gp/viewer/plan_editor.hpp"
#include "plan_fixture.hpp"
#include "support.hpp"

namespace gp::viewer {
namespace {

namespace pf = gp::planner::plan_file;

struct Opened {
  explicit Opened(const std::string& path)
      : model(MapModel::open(path)), editor(model, pf::read_plan(path)) {}
  MapModel model;
  PlanEditor editor;
};

/// The planned city, made once per test program (planning takes seconds).
std::string planned() {
  static const std::string path = [] {
    const auto p = (gp::testing::temp_dir() / "plan.gpkg").string();
    gp::testing::write_planned_plan(p);
    return p;
  }();
  return path;
}

void expect_same(const pf::Judgement& a, const pf::Judgement& b, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (std::size_t c = 0; c < a.cells.size(); ++c) {
    EXPECT_NEAR(a.cells[c].balance, b.cells[c].balance, 1e-9) << c;
    EXPECT_EQ(a.cells[c].units, b.cells[c].units) << c;
    EXPECT_EQ(a.cells[c].within_bounds, b.cells[c].within_bounds) << c;
    EXPECT_EQ(a.cells[c].contiguous, b.cells[c].contiguous) << c;
    EXPECT_EQ(a.cells[c].pieces, b.cells[c].pieces) << c;
    EXPECT_NEAR(a.cells[c].polsby_popper, b.cells[c].polsby_popper, 1e-9) << c;
  }
  EXPECT_EQ(a.cells_within_bounds, b.cells_within_bounds);
  EXPECT_EQ(a.cells_contiguous, b.cells_contiguous);
  EXPECT_NEAR(a.balance_min, b.balance_min, 1e-9);
  EXPECT_NEAR(a.balance_mean, b.balance_mean, 1e-9);
  EXPECT_NEAR(a.balance_max, b.balance_max, 1e-9);
  EXPECT_NEAR(a.mean_polsby_popper, b.mean_polsby_popper, 1e-9);
  EXPECT_EQ(a.cut_edges, b.cut_edges);
  EXPECT_EQ(a.split_compounds, b.split_compounds);
  EXPECT_EQ(a.unassigned_units, b.unassigned_units);
}

/// A single unit and a neighbouring cell it may move to (allowed, splitting no compound
/// unless `split_compound`).
std::optional<std::pair<std::uint32_t, std::string>> find_move(const PlanEditor& e,
                                                               bool split_compound) {
  for (std::uint32_t u = 0; u < e.plan().units.size(); ++u) {
    if (split_compound && e.compound_of(u).empty()) continue;
    for (const auto& t : e.neighbour_cells({u})) {
      const auto check = e.check_move({u}, t);
      if (check.allowed && check.splits_compounds.empty() != split_compound)
        return std::make_pair(u, t);
    }
  }
  return std::nullopt;
}

TEST(PlanEditor, OpensWithTheContractsJudgement) {
  const auto path = planned();
  Opened o(path);
  expect_same(o.editor.judgement(), pf::judge_plan(pf::read_plan(path)), "as opened");
  // The judgement is about the planner's own bounds.
  EXPECT_GT(o.editor.judgement().cells.size(), 2u);
  EXPECT_EQ(o.editor.edit_log().size(), 0u);
}

TEST(PlanEditor, MovingABorderBuildingRedrawsBothCellsAndMatchesTheSavedPlan) {
  const auto path = planned();
  Opened o(path);
  auto& e = o.editor;
  const auto found = find_move(e, false);
  ASSERT_TRUE(found) << "no allowed border move in the planned city";
  const auto [u, target_code] = *found;
  const auto donor = static_cast<std::size_t>(e.cell_of(u));
  const auto target = static_cast<std::size_t>(e.find_cell(target_code));
  const auto donor_before = e.cell_geometry(donor), target_before = e.cell_geometry(target);
  const double total_before = geo::area(donor_before) + geo::area(target_before);
  const auto anchor = e.plan().units[u].anchor;
  ASSERT_TRUE(geo::contains(donor_before, anchor));

  MoveCheck check;
  const auto step = e.move({u}, target_code, &check);
  ASSERT_TRUE(step) << check.reason;
  EXPECT_EQ(e.cell_of(u), static_cast<std::int64_t>(target));
  // Outlines: the unit's region went from the donor to the target; together they cover
  // the same ground as before and do not overlap.
  const auto& donor_after = e.cell_geometry(donor);
  const auto& target_after = e.cell_geometry(target);
  EXPECT_LT(geo::area(donor_after), geo::area(donor_before));
  EXPECT_GT(geo::area(target_after), geo::area(target_before));
  EXPECT_NEAR(geo::area(donor_after) + geo::area(target_after), total_before, 1e-6 * total_before);
  EXPECT_LT(geo::intersection_area(donor_after, target_after), 1e-6 * total_before);
  EXPECT_TRUE(geo::contains(target_after, anchor));
  EXPECT_FALSE(geo::contains(donor_after, anchor));
  // The model's cells layer shows the new outlines.
  EXPECT_EQ(o.model.find(pf::layer::cells)->data.polygons[e.cell_row(target)].size(),
            target_after.size());

  // Saved and read back through the contract: the same judgement as shown.
  const auto out = (gp::testing::temp_dir() / "edited.gpkg").string();
  e.save_as(out);
  const auto reread = pf::read_plan(out);
  expect_same(e.judgement(), pf::judge_plan(reread), "after one move");
  EXPECT_EQ(reread.units[u].cell, static_cast<std::int64_t>(target));
  EXPECT_NEAR(geo::area(reread.cells[target].geometry), geo::area(target_after),
              1e-9 * total_before);
  ASSERT_TRUE(reread.meta("manual_edits"));
  EXPECT_EQ(*reread.meta("manual_edits"), "1");
}

TEST(PlanEditor, UndoAndRedoRestoreExactOutlinesAndFigures) {
  const auto path = planned();
  Opened o(path);
  auto& e = o.editor;
  const auto original = e.judgement();
  std::vector<geo::MultiPolygon> outlines;
  for (std::size_t c = 0; c < e.plan().cells.size(); ++c) outlines.push_back(e.cell_geometry(c));
  const auto found = find_move(e, false);
  ASSERT_TRUE(found);
  auto step = e.move({found->first}, found->second);
  ASSERT_TRUE(step);
  const auto after = e.judgement();
  std::vector<geo::MultiPolygon> moved;
  for (std::size_t c = 0; c < e.plan().cells.size(); ++c) moved.push_back(e.cell_geometry(c));
  e.undo(*step);
  expect_same(e.judgement(), original, "after undo");
  for (std::size_t c = 0; c < outlines.size(); ++c) EXPECT_EQ(e.cell_geometry(c), outlines[c]) << c;
  EXPECT_TRUE(e.edit_log().empty());
  e.redo(*step);
  expect_same(e.judgement(), after, "after redo");
  for (std::size_t c = 0; c < moved.size(); ++c) EXPECT_EQ(e.cell_geometry(c), moved[c]) << c;
}

TEST(PlanEditor, RefusesMovesThatBreakThePlan) {
  const auto path = planned();
  Opened o(path);
  auto& e = o.editor;
  // A unit none of whose neighbours is in the target cell does not touch it.
  const auto& cells = e.plan().cells;
  bool tested_far = false;
  for (std::uint32_t u = 0; u < e.plan().units.size() && !tested_far; ++u) {
    const auto own = e.cell_of(u);
    if (!e.neighbour_cells({u}).empty() || own < 0) continue;
    for (std::size_t t = 0; t < cells.size(); ++t)
      if (static_cast<std::int64_t>(t) != own &&
          cells[t].area_code == e.plan().units[u].area_code) {
        const auto r = e.check_move({u}, cells[t].code);
        EXPECT_FALSE(r.allowed);
        EXPECT_NE(r.reason.find("do not touch"), std::string::npos) << r.reason;
        tested_far = true;
        break;
      }
  }
  EXPECT_TRUE(tested_far);
  // Every unit of a cell: the donor would be emptied.
  const auto donor = e.cell_of(0);
  std::vector<std::uint32_t> all;
  for (std::uint32_t u = 0; u < e.plan().units.size(); ++u)
    if (e.cell_of(u) == donor) all.push_back(u);
  std::string other;
  for (const auto& c : cells)
    if (c.code != cells[static_cast<std::size_t>(donor)].code) other = c.code;
  auto r = e.check_move(all, other);
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("without buildings"), std::string::npos) << r.reason;
  r = e.check_move({0}, "999999999999001");
  EXPECT_FALSE(r.allowed);
  EXPECT_NE(r.reason.find("does not exist"), std::string::npos) << r.reason;
  EXPECT_FALSE(e.check_move({}, other).allowed);
  const auto before = e.judgement();
  EXPECT_FALSE(e.move(all, other));
  expect_same(e.judgement(), before, "refused move changes nothing");
}

TEST(PlanEditor, AMoveThatSplitsACompoundIsFlaggedAndRecorded) {
  const auto path = planned();
  Opened o(path);
  auto& e = o.editor;
  const auto found = find_move(e, true);
  ASSERT_TRUE(found) << "no compound-splitting border move";
  const auto [u, target] = *found;
  const auto check = e.check_move({u}, target);
  ASSERT_EQ(check.splits_compounds.size(), 1u);
  EXPECT_EQ(check.splits_compounds.front(), e.compound_of(u));
  // Independently: the compound's cells before and after.
  std::set<std::int64_t> before, after;
  for (std::uint32_t v = 0; v < e.plan().units.size(); ++v)
    if (e.compound_of(v) == e.compound_of(u)) before.insert(e.cell_of(v));
  const auto step = e.move({u}, target);
  ASSERT_TRUE(step);
  for (std::uint32_t v = 0; v < e.plan().units.size(); ++v)
    if (e.compound_of(v) == e.compound_of(u)) after.insert(e.cell_of(v));
  EXPECT_EQ(after.size(), before.size() + 1);
  EXPECT_NE(step->description.find("splits compound"), std::string::npos) << step->description;
  EXPECT_NE(e.edit_log().back().find("confirmed"), std::string::npos);
  // The violations list names it.
  bool listed = false;
  for (const auto& v : e.violations())
    if (v.kind == Violation::Kind::compound && v.text.find(e.compound_of(u)) != std::string::npos)
      listed = true;
  EXPECT_TRUE(listed);
}

TEST(PlanEditor, ManyRandomMovesKeepTheJudgementOfTheSavedPlanAndTheTiling) {
  const auto path = planned();
  Opened o(path);
  auto& e = o.editor;
  std::mt19937_64 rng(gp::testing::test_seed(7));
  double community = 0;
  for (std::size_t c = 0; c < e.plan().cells.size(); ++c)
    community += geo::area(e.cell_geometry(c));
  std::vector<EditStep> steps;
  for (int k = 0; k < 400 && steps.size() < 25; ++k) {
    const auto u = static_cast<std::uint32_t>(rng() % e.plan().units.size());
    const auto targets = e.neighbour_cells({u});
    if (targets.empty()) continue;
    MoveCheck check;
    if (auto s = e.move({u}, targets[rng() % targets.size()], &check)) steps.push_back(*s);
  }
  ASSERT_GE(steps.size(), 5u);
  double total = 0;
  for (std::size_t c = 0; c < e.plan().cells.size(); ++c) total += geo::area(e.cell_geometry(c));
  EXPECT_NEAR(total, community, 1e-6 * community);
  // Violations: one per cell out of bounds, per cell in pieces, per split compound.
  std::size_t bounds = 0, pieces = 0, compounds = 0;
  for (const auto& v : e.violations()) {
    bounds += v.kind == Violation::Kind::bounds;
    pieces += v.kind == Violation::Kind::contiguity;
    compounds += v.kind == Violation::Kind::compound;
  }
  EXPECT_EQ(bounds, e.judgement().cells.size() - e.judgement().cells_within_bounds);
  EXPECT_EQ(compounds, e.judgement().split_compounds);
  const auto out = (gp::testing::temp_dir() / "random-edits.gpkg").string();
  e.save_as(out);
  expect_same(e.judgement(), pf::judge_plan(pf::read_plan(out)), "after random moves");
  (void)pieces;
}

} // namespace
} // namespace gp::viewer
