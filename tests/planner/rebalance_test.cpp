// Rebalance: repairs of existing divisions on graphs whose optimum is known, locked parts,
// gaps, fragments, groups, and a randomised property test against planning from scratch.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "gp/core/error.hpp"
#include "gp/planner/partition.hpp"
#include "gp/planner/rebalance.hpp"
#include "support.hpp"

namespace gp::planner {
namespace {

UnitGraph path_graph(std::size_t n, double w) {
  std::vector<Edge> edges;
  for (std::uint32_t i = 0; i + 1 < n; ++i) edges.push_back(Edge{i, i + 1, 1.0, false});
  UnitGraph g = graph_from_edges(n, edges);
  std::fill(g.weight.begin(), g.weight.end(), w);
  for (std::size_t i = 0; i < n; ++i) g.position[i] = geo::Point{static_cast<double>(i), 0};
  return g;
}

/// rows x cols grid, vertex r*cols+c, unit weights and unit edge lengths.
UnitGraph grid_graph(std::uint32_t rows, std::uint32_t cols, double w) {
  std::vector<Edge> edges;
  for (std::uint32_t r = 0; r < rows; ++r)
    for (std::uint32_t c = 0; c < cols; ++c) {
      const std::uint32_t v = r * cols + c;
      if (c + 1 < cols) edges.push_back(Edge{v, v + 1, 1.0, false});
      if (r + 1 < rows) edges.push_back(Edge{v, v + cols, 1.0, false});
    }
  UnitGraph g = graph_from_edges(std::size_t{rows} * cols, edges);
  std::fill(g.weight.begin(), g.weight.end(), w);
  for (std::uint32_t r = 0; r < rows; ++r)
    for (std::uint32_t c = 0; c < cols; ++c)
      g.position[r * cols + c] = geo::Point{static_cast<double>(c), -static_cast<double>(r)};
  return g;
}

RebalanceSpec bounds(double lo, double hi) {
  RebalanceSpec s;
  s.min_weight = lo;
  s.max_weight = hi;
  return s;
}

TEST(Rebalance, ValidInputIsReturnedUnchanged) {
  const UnitGraph g = path_graph(6, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, 1, 1, 1};
  const auto r = rebalance(g, existing, 2, bounds(200, 300));
  EXPECT_EQ(r.part, existing);
  EXPECT_EQ(r.moved_vertices, 0U);
  EXPECT_EQ(r.unchanged_parts, (std::vector<std::int32_t>{0, 1}));
  EXPECT_TRUE(r.changed_parts.empty());
  EXPECT_TRUE(r.violations.empty());
}

TEST(Rebalance, PathMovesExactlyTheOneBoundaryVertex) {
  // 0-1-2-3 | 4-5: part 0 weighs 400 > 300; the optimum moves vertex 3 only.
  const UnitGraph g = path_graph(6, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, 0, 1, 1};
  const auto r = rebalance(g, existing, 2, bounds(200, 300));
  EXPECT_EQ(r.part, (std::vector<std::int32_t>{0, 0, 0, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(r.moved_weight, 100);
  EXPECT_EQ(r.moved_vertices, 1U);
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.changed_parts, (std::vector<std::int32_t>{0, 1}));
  EXPECT_TRUE(r.new_parts.empty());
  EXPECT_TRUE(r.retired_parts.empty());
}

TEST(Rebalance, GridMovesOneVertexOfTheRightWeight) {
  // 4x4 grid, columns 0-1 part 0, columns 2-3 part 1. One vertex of column 0 weighs 30,
  // so part 0 = 100 and part 1 = 80; bounds [85, 95]. Moving one weight-10 vertex of
  // column 1 across gives 90/90: the optimum is exactly 10 moved.
  UnitGraph g = grid_graph(4, 4, 10);
  g.weight[0] = 30;
  std::vector<std::int32_t> existing(16);
  for (std::uint32_t v = 0; v < 16; ++v) existing[v] = (v % 4) < 2 ? 0 : 1;
  const auto r = rebalance(g, existing, 2, bounds(85, 95));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_DOUBLE_EQ(r.moved_weight, 10);
  ASSERT_EQ(r.moved_vertices, 1U);
  for (std::uint32_t v = 0; v < 16; ++v)
    if (r.part[v] != existing[v]) {
      EXPECT_EQ(v % 4, 1U) << "the moved vertex must lie on the boundary column";
      EXPECT_EQ(r.part[v], 1);
    }
}

TEST(Rebalance, ExcessTravelsThroughAValidNeighbour) {
  // Parts A={0..3} (400) B={4,5,6} (300) C={7,8} (200) on a path, bounds exactly 300:
  // A must give one vertex to B, and B one to C. Optimum: 200 moved, 2 vertices.
  const UnitGraph g = path_graph(9, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, 0, 1, 1, 1, 2, 2};
  const auto r = rebalance(g, existing, 3, bounds(300, 300));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_DOUBLE_EQ(r.moved_weight, 200);
  EXPECT_EQ(r.part, (std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 2, 2, 2}));
}

TEST(Rebalance, UntouchedPartsKeepTheirIdsAndVertices) {
  // Two independent stripes of a 2x12 grid: the right half is valid and must not change.
  UnitGraph g = grid_graph(2, 12, 50);
  std::vector<std::int32_t> existing(24);
  for (std::uint32_t v = 0; v < 24; ++v) {
    const auto c = v % 12;
    existing[v] = c < 4 ? 0 : c < 6 ? 1 : c < 9 ? 2 : 3; // 400, 200, 300, 300
  }
  const auto r = rebalance(g, existing, 4, bounds(250, 350));
  EXPECT_TRUE(r.violations.empty());
  for (std::uint32_t v = 0; v < 24; ++v)
    if (existing[v] >= 2) {
      EXPECT_EQ(r.part[v], existing[v]) << "vertex " << v;
    }
  EXPECT_EQ(r.unchanged_parts, (std::vector<std::int32_t>{2, 3}));
  // Optimum: one vertex (50) moves from part 0 (400 -> 350) to part 1 (200 -> 250).
  EXPECT_DOUBLE_EQ(r.moved_weight, 50);
  EXPECT_EQ(r.moved_vertices, 1U);
}

TEST(Rebalance, LockedPartsNeverChange) {
  // Part 1 is under the minimum but locked; part 0 is over and may not push into it,
  // so part 0 has to be split (new part) and part 1 stays as it was, reported.
  const UnitGraph g = path_graph(10, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, 0, 0, 0, 1, 2, 2, 2};
  RebalanceSpec spec = bounds(200, 300);
  spec.locked_parts = {1};
  const auto r = rebalance(g, existing, 3, spec);
  EXPECT_EQ(r.part[6], 1);
  for (std::uint32_t v = 0; v < 10; ++v)
    if (v != 6) {
      EXPECT_NE(r.part[v], 1);
    }
  EXPECT_EQ(r.new_parts.size(), 1U);
  EXPECT_EQ(r.splits, 1U);
  // The only violation left is the locked part's own.
  ASSERT_EQ(r.violations.size(), 1U);
  EXPECT_EQ(r.violations[0].part, 1);
  EXPECT_EQ(r.violations[0].rule, "min");
  // Parts 0 and the new part: each 300.
  std::map<std::int32_t, int> size;
  for (const auto p : r.part) ++size[p];
  EXPECT_EQ(size[0], 3);
  EXPECT_EQ(size[r.new_parts[0]], 3);
}

TEST(Rebalance, DisconnectedFragmentGoesToItsNeighbour) {
  // Path 0..7: part 0 = {0,1,2,6}, part 1 = {3,4,5,7}. {6} is a stray piece of part 0 and
  // {7} one of part 1; together they join part 1 (500): only vertex 6 changes part.
  const UnitGraph g = path_graph(8, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, 1, 1, 1, 0, 1};
  const auto r = rebalance(g, existing, 2, bounds(300, 500));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.fragments_reassigned, 2U); // {6} of part 0 and {7} of part 1
  // Vertex 6 and 7 end in one part with 3..5; parts are contiguous (no violation above).
  EXPECT_EQ(r.part[6], r.part[5]);
  EXPECT_EQ(r.part[7], r.part[6]);
  EXPECT_EQ(r.moved_vertices, 1U);
  EXPECT_EQ(r.part[6], 1);
}

TEST(Rebalance, GapsAreFilledAndCounted) {
  const UnitGraph g = path_graph(8, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, -1, -1, 1, 1, 1};
  const auto r = rebalance(g, existing, 2, bounds(300, 500));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.gap_vertices, 2U);
  EXPECT_DOUBLE_EQ(r.gap_weight, 200);
  EXPECT_EQ(r.moved_vertices, 0U);
  for (const auto p : r.part) EXPECT_GE(p, 0);
}

TEST(Rebalance, LargeGapBecomesANewPart) {
  const UnitGraph g = path_graph(9, 100);
  const std::vector<std::int32_t> existing{0, 0, 0, -1, -1, -1, 1, 1, 1};
  const auto r = rebalance(g, existing, 2, bounds(300, 300));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.new_parts, (std::vector<std::int32_t>{2}));
  EXPECT_EQ(r.part[4], 2);
  EXPECT_EQ(r.moved_vertices, 0U);
}

TEST(Rebalance, SplitGroupsAreReunited) {
  // Path 0..5, group {2,3} split between parts 0 and 1. Reuniting it moves one vertex.
  UnitGraph g = path_graph(6, 100);
  g.group[2] = 0;
  g.group[3] = 0;
  const std::vector<std::int32_t> existing{0, 0, 0, 1, 1, 1};
  const auto r = rebalance(g, existing, 2, bounds(200, 400));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.part[2], r.part[3]);
  EXPECT_EQ(r.moved_vertices, 1U);
  EXPECT_EQ(r.groups_reunited, 1U);
}

TEST(Rebalance, TooSmallAreaIsReportedNotHidden) {
  const UnitGraph g = path_graph(3, 50);
  const std::vector<std::int32_t> existing{0, 0, 1};
  const auto r = rebalance(g, existing, 2, bounds(300, 500));
  // Everything fits in one part that is still under the minimum: reported.
  ASSERT_FALSE(r.violations.empty());
  EXPECT_EQ(r.violations[0].rule, "min");
  for (const auto p : r.part) EXPECT_EQ(p, r.part[0]);
}

TEST(Rebalance, RejectsMismatchedInput) {
  const UnitGraph g = path_graph(3, 50);
  EXPECT_THROW(rebalance(g, {0, 0}, 1, bounds(1, 2)), UsageError);
  EXPECT_THROW(rebalance(g, {0, 0, 5}, 2, bounds(1, 2)), UsageError);
}

TEST(CheckAssignment, FindsEachKindOfViolation) {
  UnitGraph g = path_graph(6, 100);
  g.group[0] = 7;
  g.group[5] = 7;
  const auto v = check_assignment(g, {0, 1, 0, 1, 1, -1}, 150, 250);
  std::set<std::string> rules;
  for (const auto& x : v) rules.insert(x.rule);
  EXPECT_TRUE(rules.count("coverage"));
  EXPECT_TRUE(rules.count("contiguity"));
  EXPECT_TRUE(rules.count("max")); // part 1 = 300
  EXPECT_TRUE(rules.count("compound"));
  EXPECT_TRUE(check_assignment(g, {0, 0, 1, 1, 2, 2}, 150, 250).size() == 1); // compound
}

// Property test: plan a random grid from scratch, perturb a quarter of the weights by
// +15 %, then rebalance. Every rule must hold, and the repair must move far less weight
// than planning again from scratch (matching new parts to old ones by overlap).
TEST(Rebalance, PerturbedPlanIsRepairedWithFewMoves) {
  std::mt19937_64 rng(gp::testing::test_seed(42));
  // Plan with the perturbed bounds' own partitioner, then perturb and repair.
  UnitGraph g = grid_graph(30, 30, 0);
  std::uniform_real_distribution<double> hh(5, 25);
  for (auto& w : g.weight) w = std::round(hh(rng));
  PartitionSpec ps;
  ps.min_weight = 350;
  ps.max_weight = 450;
  ps.seed = 3;
  const auto base = partition(g, ps);
  ASSERT_TRUE(check_assignment(g, base.part, 350, 450).empty());

  // A quarter of the vertices (the north-west quadrant) gain 15 %.
  for (std::uint32_t r = 0; r < 15; ++r)
    for (std::uint32_t c = 0; c < 15; ++c)
      g.weight[r * 30 + c] = std::round(g.weight[r * 30 + c] * 1.15);
  ASSERT_FALSE(check_assignment(g, base.part, 350, 450).empty())
      << "the perturbation must break a rule";

  RebalanceSpec spec = bounds(350, 450);
  const auto r1 = rebalance(g, base.part, base.parts, spec);
  const auto r2 = rebalance(g, base.part, base.parts, spec);
  EXPECT_EQ(r1.part, r2.part) << "deterministic";
  EXPECT_TRUE(check_assignment(g, r1.part, 350, 450).empty());
  EXPECT_GT(r1.moved_weight, 0);
  EXPECT_FALSE(r1.unchanged_parts.empty()) << "cells far from the change stay as they were";
  EXPECT_TRUE(r1.violations.empty());

  // From scratch: best matching of new parts to old by overlap weight.
  const auto fresh = partition(g, ps);
  std::map<std::pair<std::int32_t, std::int32_t>, double> overlap;
  for (std::size_t v = 0; v < g.vertex_count(); ++v)
    overlap[{fresh.part[v], base.part[v]}] += g.weight[v];
  std::vector<std::tuple<double, std::int32_t, std::int32_t>> pairs;
  for (const auto& [k, w] : overlap) pairs.emplace_back(-w, k.first, k.second);
  std::sort(pairs.begin(), pairs.end());
  std::set<std::int32_t> used_new, used_old;
  double kept = 0;
  for (const auto& [negw, n, o] : pairs)
    if (!used_new.count(n) && !used_old.count(o)) {
      used_new.insert(n);
      used_old.insert(o);
      kept -= negw;
    }
  const double scratch_moved = g.total_weight() - kept;
  RecordProperty("rebalance_moved", std::to_string(r1.moved_weight));
  RecordProperty("scratch_moved", std::to_string(scratch_moved));
  EXPECT_LT(r1.moved_weight, 0.5 * scratch_moved)
      << "rebalance moved " << r1.moved_weight << ", from scratch " << scratch_moved;
}

} // namespace
} // namespace gp::planner
