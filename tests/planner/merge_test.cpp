// Merging several divisions of one graph: identical inputs give that input back (both
// methods); the choose-one winner is the repaired candidate closest to all inputs;
// agreement figures are exact. The consensus method is tested in consensus_test.cpp.

#include <gtest/gtest.h>

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/plan_file.hpp"
#include "gp/planner/rebalance.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

UnitGraph path_graph(std::size_t n, double w) {
  std::vector<Edge> edges;
  for (std::uint32_t i = 0; i + 1 < n; ++i) edges.push_back(Edge{i, i + 1, 2.0, false});
  UnitGraph g = graph_from_edges(n, edges);
  std::fill(g.weight.begin(), g.weight.end(), w);
  for (std::size_t i = 0; i < n; ++i) g.position[i] = geo::Point{static_cast<double>(i), 0};
  return g;
}

RebalanceSpec bounds(double lo, double hi) {
  RebalanceSpec s;
  s.min_weight = lo;
  s.max_weight = hi;
  return s;
}

TEST(Merge, TwoIdenticalInputsGiveThatInput) {
  const UnitGraph g = path_graph(9, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 1, 1, 1, 2, 2, 2};
  const auto m = merge_assignments(g, {a, a}, {3, 3}, bounds(200, 400));
  EXPECT_EQ(m.result.part, a);
  EXPECT_EQ(m.chosen_input, 0U);
  ASSERT_EQ(m.changed_weight.size(), 2U);
  EXPECT_DOUBLE_EQ(m.changed_weight[0], 0);
  EXPECT_DOUBLE_EQ(m.changed_weight[1], 0);
  EXPECT_DOUBLE_EQ(m.boundary_total[0], 4); // two cut edges of length 2
  EXPECT_DOUBLE_EQ(m.boundary_kept[0], 4);
}

TEST(Merge, ChooseOneIdenticalInputsGiveThatInput) {
  const UnitGraph g = path_graph(9, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 1, 1, 1, 2, 2, 2};
  MergeOptions o;
  o.method = MergeMethod::choose_one;
  const auto m = merge_assignments(g, {a, a}, {3, 3}, bounds(200, 400), o);
  EXPECT_EQ(m.result.part, a);
  EXPECT_DOUBLE_EQ(m.changed_weight[1], 0);
}

TEST(Merge, ChooseOnePicksTheCandidateClosestToAllInputs) {
  // Three valid divisions of a path of 8 (bounds 300..500): b and c agree, a differs.
  // The winner must be b (or c, identical): it changes 0 + 0 + (a vs b) households.
  const UnitGraph g = path_graph(8, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<std::int32_t> b{0, 0, 0, 0, 1, 1, 1, 1};
  MergeOptions o;
  o.method = MergeMethod::choose_one;
  const auto m = merge_assignments(g, {a, b, b}, {2, 2, 2}, bounds(300, 500), o);
  EXPECT_EQ(m.chosen_input, 1U);
  EXPECT_EQ(m.result.part, b);
  EXPECT_DOUBLE_EQ(m.changed_weight[0], 100); // vertex 3 changed for input a
  EXPECT_DOUBLE_EQ(m.changed_weight[1], 0);
  EXPECT_DOUBLE_EQ(m.boundary_kept[0], 0); // a's boundary (2-3) is gone
  EXPECT_DOUBLE_EQ(m.boundary_total[0], 2);
}

TEST(Merge, InvalidInputIsRepairedOrOutvoted) {
  // Input a breaks the maximum (part 0 = 600); input b is valid. The result is valid.
  const UnitGraph g = path_graph(8, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 0, 0, 0, 1, 1};
  const std::vector<std::int32_t> b{0, 0, 0, 0, 1, 1, 1, 1};
  const auto m = merge_assignments(g, {a, b}, {2, 2}, bounds(300, 500));
  EXPECT_TRUE(check_assignment(g, m.result.part, 300, 500).empty());
  // The pieces {0-3} {4,5} {6,7}: no edge has a majority either way; {4,5} is below the
  // minimum and joins {6,7} ({0-3} has no room), which is b: a changes 200, b nothing.
  EXPECT_DOUBLE_EQ(m.changed_weight[0], 200);
  EXPECT_DOUBLE_EQ(m.changed_weight[1], 0);
}

TEST(ChangedWeight, MatchesPartsByLargestShare) {
  const UnitGraph g = path_graph(6, 100);
  // Result relabels the input's parts (ids differ) and moves vertex 2.
  EXPECT_DOUBLE_EQ(changed_weight(g, {0, 0, 0, 1, 1, 1}, {5, 5, 7, 7, 7, 7}), 100);
  EXPECT_DOUBLE_EQ(changed_weight(g, {0, 0, 0, 1, 1, 1}, {1, 1, 1, 0, 0, 0}), 0);
  // Vertices without an input part do not count.
  EXPECT_DOUBLE_EQ(changed_weight(g, {-1, 0, 0, 1, 1, 1}, {9, 0, 0, 1, 1, 1}), 0);
}

TEST(Merge, RejectsEmptyInput) {
  const UnitGraph g = path_graph(3, 1);
  EXPECT_THROW(merge_assignments(g, {}, {}, bounds(1, 2)), UsageError);
  EXPECT_THROW(merge_assignments(g, {{0, 0}}, {1}, bounds(1, 2)), UsageError);    // 2 of 3
  EXPECT_THROW(merge_assignments(g, {{0, 0, 1}}, {1}, bounds(1, 2)), UsageError); // id 1
}

} // namespace
} // namespace gp::planner

// --- redraw_plan with several grids: codes, agreement, disputes, code schemes -----------------

namespace gp::planner {
namespace {

// Grid over the square city's bounds: columns of width (x1-x0)/n; columns from `split` on
// are cut in two rows. Codes: area code + 3 digits from `first`.
ExistingGrid columns(const geo::Dataset& city, int n, int split, int first,
                     const std::string& name) {
  geo::Box box = geo::Box::none();
  for (const auto& a : city.areas) box.expand(geo::bounds(a.geometry));
  const double w = (box.max_x - box.min_x) / n, mid = (box.min_y + box.max_y) / 2;
  ExistingGrid g;
  g.name = name;
  int serial = first;
  auto add = [&](double x0, double y0, double x1, double y1) {
    g.codes.push_back(fmt::format("{}{:03}", city.areas[0].code, serial++));
    g.polygons.push_back({testing::rect_polygon(x0, y0, x1, y1)});
  };
  for (int i = 0; i < n; ++i) {
    const double x0 = box.min_x + w * i, x1 = x0 + w;
    if (i < split) {
      add(x0, box.min_y, x1, box.max_y);
    } else {
      add(x0, box.min_y, x1, mid);
      add(x0, mid, x1, box.max_y);
    }
  }
  return g;
}

TEST(RedrawMerge, SharedCellsKeepTheirCodesAndOnlyDisputedUnitsAreListed) {
  const auto city = testing::square_city(800, 3);
  // a: 8 columns; b: the same first 6 columns (codes 001-006), the last two cut in rows.
  const auto a = columns(city, 8, 8, 1, "a");
  const auto b = columns(city, 8, 6, 1, "b");
  RedrawOptions o;
  o.plan.min_weight = 100;
  o.plan.max_weight = 3000;
  o.plan.threads = 1;
  RedrawReport report;
  const Plan plan = redraw_plan(city, {a, b}, o, report);
  ASSERT_EQ(report.cell_agrees.size(), plan.cells.size());
  // The six columns both grids draw are cells of the result with their codes, agreeing
  // with both inputs.
  std::set<std::string> agreed;
  for (std::size_t c = 0; c < plan.cells.size(); ++c)
    if (report.cell_agrees[c] == std::vector<std::size_t>{0, 1}) agreed.insert(plan.cells[c].code);
  for (int i = 1; i <= 6; ++i)
    EXPECT_TRUE(agreed.count(fmt::format("{}{:03}", city.areas[0].code, i))) << i;
  // Disputed units lie only in the last two columns (b's codes 007-010 there).
  EXPECT_FALSE(report.disputed_units.empty());
  for (std::size_t i = 0; i < report.disputed_units.size(); ++i) {
    const auto& codes = report.disputed_codes[i];
    ASSERT_EQ(codes.size(), 2U);
    EXPECT_GE(codes[1], fmt::format("{}{:03}", city.areas[0].code, 7));
  }
  // Every boundary both draw is kept.
  EXPECT_NEAR(report.shared_boundary_kept_m, report.shared_boundary_total_m, 1e-6);
  // The layers: agrees_with on cells, one disagreement feature per disputed unit.
  auto layers = plan_file::plan_layers(city, plan, {});
  add_merge_layers(layers, city, plan, {a, b}, report);
  const auto it = std::find_if(layers.begin(), layers.end(), [](const geo::Layer& l) {
    return l.name == plan_file::layer::disagreements;
  });
  ASSERT_NE(it, layers.end());
  EXPECT_EQ(it->table.rows.size(), report.disputed_units.size());
}

TEST(RedrawMerge, CodeSchemeValidatesGridsAndNamesTheFeature) {
  const auto city = testing::square_city(800, 3);
  auto a = columns(city, 8, 8, 1, "a.gpkg:cells");
  auto b = columns(city, 8, 6, 1, "b.gpkg:cells");
  RedrawOptions o;
  o.plan.min_weight = 100;
  o.plan.max_weight = 3000;
  o.plan.threads = 1;
  o.code_scheme = codes::Scheme::beijing15;
  RedrawReport report;
  EXPECT_NO_THROW(redraw_plan(city, {a, b}, o, report));
  b.codes[3] = "1101010010010"; // 13 digits
  try {
    redraw_plan(city, {a, b}, o, report);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "b.gpkg");
    EXPECT_EQ(e.layer(), "cells");
    EXPECT_EQ(e.feature(), 3);
  }
  // cjt349 rejects the 15-digit codes of the first grid.
  o.code_scheme = codes::Scheme::cjt349;
  EXPECT_THROW(redraw_plan(city, {a, a}, o, report), InputError);
}

} // namespace
} // namespace gp::planner
