// Merging several divisions of one graph: identical inputs give that input back (both
// methods); the choose-one winner is the repaired candidate closest to all inputs;
// agreement figures are exact. The consensus method is tested in consensus_test.cpp.

#include <gtest/gtest.h>

#include "gp/core/error.hpp"
#include "gp/planner/rebalance.hpp"

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
