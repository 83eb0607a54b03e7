// The consensus merge (多网合一): identical inputs give that division; boundaries every input
// draws are kept; the result never breaks a rule; weights break ties; locks hold per input;
// disputed vertices and exact agreement are what the inputs imply.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/core/random.hpp"
#include "gp/planner/partition.hpp"
#include "gp/planner/rebalance.hpp"
#include "support.hpp"

namespace gp::planner {
namespace {

// A w x h lattice (4-neighbour, edge length 10 m), every vertex weight `weight`; vertex
// r*w + c is at (10c, -10r).
UnitGraph lattice(int w, int h, double weight) {
  std::vector<Edge> edges;
  auto id = [w](int r, int c) { return static_cast<std::uint32_t>(r * w + c); };
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      if (c + 1 < w) edges.push_back(Edge{id(r, c), id(r, c + 1), 10.0, false});
      if (r + 1 < h) edges.push_back(Edge{id(r, c), id(r + 1, c), 10.0, false});
    }
  UnitGraph g = graph_from_edges(static_cast<std::size_t>(w * h), edges);
  std::fill(g.weight.begin(), g.weight.end(), weight);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) g.position[id(r, c)] = geo::Point{10.0 * c, -10.0 * r};
  return g;
}

UnitGraph path(std::size_t n, double weight) {
  std::vector<Edge> edges;
  for (std::uint32_t i = 0; i + 1 < n; ++i) edges.push_back(Edge{i, i + 1, 2.0, false});
  UnitGraph g = graph_from_edges(n, edges);
  std::fill(g.weight.begin(), g.weight.end(), weight);
  for (std::size_t i = 0; i < n; ++i) g.position[i] = geo::Point{static_cast<double>(i), 0};
  return g;
}

RebalanceSpec bounds(double lo, double hi) {
  RebalanceSpec s;
  s.min_weight = lo;
  s.max_weight = hi;
  return s;
}

std::int32_t count_parts(const std::vector<std::int32_t>& part) {
  std::int32_t n = 0;
  for (const auto p : part) n = std::max(n, p + 1);
  return n;
}

/// Every edge cut by all inputs (each placing both ends) that the result does not cut.
std::size_t shared_boundaries_lost(const UnitGraph& g,
                                   const std::vector<std::vector<std::int32_t>>& inputs,
                                   const std::vector<std::int32_t>& result) {
  std::size_t lost = 0;
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto u = g.targets[k];
      bool shared = u > v;
      for (const auto& in : inputs) shared = shared && in[v] >= 0 && in[u] >= 0 && in[v] != in[u];
      if (shared && result[v] == result[u]) ++lost;
    }
  return lost;
}

/// Whether two divisions put the same vertices together (ids may differ).
bool same_division(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  std::map<std::int32_t, std::int32_t> ab, ba;
  for (std::size_t v = 0; v < a.size(); ++v) {
    if (ab.emplace(a[v], b[v]).first->second != b[v]) return false;
    if (ba.emplace(b[v], a[v]).first->second != a[v]) return false;
  }
  return true;
}

TEST(Consensus, IdenticalInputsGiveThatGrid) {
  const UnitGraph g = lattice(12, 10, 25); // 3,000 households
  PartitionSpec ps;
  ps.min_weight = 300;
  ps.max_weight = 500;
  ps.restarts = 1;
  const auto input = partition(g, ps).part;
  ASSERT_TRUE(check_assignment(g, input, 300, 500).empty());
  const auto parts = count_parts(input);
  const auto m =
      merge_assignments(g, {input, input, input}, {parts, parts, parts}, bounds(300, 500));
  EXPECT_EQ(m.result.part, input);
  EXPECT_EQ(m.result.unchanged_parts.size(), static_cast<std::size_t>(parts));
  EXPECT_TRUE(m.result.changed_parts.empty());
  EXPECT_TRUE(m.result.new_parts.empty());
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_DOUBLE_EQ(m.changed_weight[k], 0);
    EXPECT_DOUBLE_EQ(m.boundary_kept[k], m.boundary_total[k]);
    EXPECT_DOUBLE_EQ(m.boundary_added[k], 0);
    for (std::int32_t p = 0; p < parts; ++p)
      EXPECT_EQ(m.same_as[k][static_cast<std::size_t>(p)], p);
  }
  for (const auto d : m.disputed) EXPECT_EQ(d, 0);
}

TEST(Consensus, TwoValidSplitsKeepEveryBoundaryTheyShare) {
  // 8 x 3 lattice of 100 each, bounds [300, 800]. Both inputs cut between columns 1|2 and
  // 3|4; a cuts columns 4-7 at 5|6, b cuts them between rows 1|2.
  const UnitGraph g = lattice(8, 3, 100);
  std::vector<std::int32_t> a(24), b(24);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 8; ++c) {
      const auto v = static_cast<std::size_t>(r * 8 + c);
      a[v] = c / 2;
      b[v] = c < 4 ? c / 2 : (r < 2 ? 2 : 3);
    }
  ASSERT_TRUE(check_assignment(g, a, 300, 800).empty());
  ASSERT_TRUE(check_assignment(g, b, 300, 800).empty());
  const auto m = merge_assignments(g, {a, b}, {4, 4}, bounds(300, 800));
  EXPECT_TRUE(check_assignment(g, m.result.part, 300, 800).empty());
  EXPECT_EQ(shared_boundaries_lost(g, {a, b}, m.result.part), 0U);
  EXPECT_DOUBLE_EQ(m.shared_boundary_total, 60); // 2 columns of 3 edges of 10 m
  EXPECT_DOUBLE_EQ(m.shared_boundary_kept, 60);
  // The two cells both inputs draw (columns 0-1, 2-3) survive with their ids.
  EXPECT_EQ(m.same_as[0][0], 0);
  EXPECT_EQ(m.same_as[1][1], 1);
}

TEST(Consensus, RandomValidPairsKeepEverySharedBoundary) {
  // Two partitions of the same lattice by different seeds (both valid): a division that
  // keeps all their shared boundaries exists (each region they enclose is a union of
  // valid cells of either), and the merge finds one.
  const unsigned seed = testing::test_seed(7);
  int checked = 0;
  for (unsigned trial = 0; trial < 6; ++trial) {
    const UnitGraph g = lattice(14, 11, 20);
    PartitionSpec ps;
    ps.min_weight = 300;
    ps.max_weight = 500;
    ps.restarts = 1;
    ps.seed = derive_seed(seed, trial, 1);
    const auto a = partition(g, ps).part;
    ps.seed = derive_seed(seed, trial, 2);
    const auto b = partition(g, ps).part;
    if (!check_assignment(g, a, 300, 500).empty() || !check_assignment(g, b, 300, 500).empty())
      continue;
    ++checked;
    const auto m = merge_assignments(g, {a, b}, {count_parts(a), count_parts(b)}, bounds(300, 500));
    EXPECT_TRUE(check_assignment(g, m.result.part, 300, 500).empty()) << "trial " << trial;
    EXPECT_EQ(shared_boundaries_lost(g, {a, b}, m.result.part), 0U) << "trial " << trial;
  }
  EXPECT_GE(checked, 3) << "too few valid input pairs to test";
}

TEST(Consensus, ResultNeverBreaksARule) {
  // Three noisy versions of one division (random vertices moved to a random neighbour's
  // part or dropped), with compounds; whatever the inputs, the result follows every rule.
  Rng rng(testing::test_seed(11));
  for (int trial = 0; trial < 8; ++trial) {
    UnitGraph g = lattice(12, 12, 0);
    for (auto& w : g.weight) w = static_cast<double>(5 + rng.below(30));
    for (std::size_t v = 0; v < g.vertex_count(); v += 13) { // a few two-vertex compounds
      if (v + 1 < g.vertex_count() && (v + 1) % 12 != 0) {
        g.group[v] = static_cast<std::int32_t>(v);
        g.group[v + 1] = static_cast<std::int32_t>(v);
      }
    }
    PartitionSpec ps;
    ps.min_weight = 300;
    ps.max_weight = 500;
    ps.restarts = 1;
    ps.seed = static_cast<std::uint64_t>(trial) + 1;
    const auto base = partition(g, ps).part;
    std::vector<std::vector<std::int32_t>> inputs;
    std::vector<std::int32_t> parts;
    for (int k = 0; k < 3; ++k) {
      auto in = base;
      for (std::uint32_t v = 0; v < g.vertex_count(); ++v) {
        const auto r = rng.below(10);
        if (r == 0) in[v] = -1;
        if (r == 1) {
          const auto deg = g.offsets[v + 1] - g.offsets[v];
          in[v] = base[g.targets[g.offsets[v] + rng.below(deg)]];
        }
      }
      inputs.push_back(in);
      parts.push_back(count_parts(base));
    }
    MergeOptions o;
    o.weights = {1, 2, 1.5};
    const auto m = merge_assignments(g, inputs, parts, bounds(300, 500), o);
    EXPECT_TRUE(check_assignment(g, m.result.part, 300, 500).empty()) << "trial " << trial;
    // Deterministic.
    const auto again = merge_assignments(g, inputs, parts, bounds(300, 500), o);
    EXPECT_EQ(again.result.part, m.result.part);
  }
}

TEST(Consensus, WeightsBreakTies) {
  // a = {0-2}{3-7}, b = {0-3}{4-7}: they disagree only about vertex 3.
  const UnitGraph g = path(8, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<std::int32_t> b{0, 0, 0, 0, 1, 1, 1, 1};
  MergeOptions o;
  o.weights = {1, 2};
  EXPECT_TRUE(
      same_division(merge_assignments(g, {a, b}, {2, 2}, bounds(300, 500), o).result.part, b));
  o.weights = {2, 1};
  EXPECT_TRUE(
      same_division(merge_assignments(g, {a, b}, {2, 2}, bounds(300, 500), o).result.part, a));
  o.weights = {1, 0};
  EXPECT_THROW(merge_assignments(g, {a, b}, {2, 2}, bounds(300, 500), o), UsageError);
}

TEST(Consensus, MajorityWinsAndLocksHoldPerInput) {
  const UnitGraph g = path(8, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<std::int32_t> b{0, 0, 0, 0, 1, 1, 1, 1};
  // Two inputs say a, one says b: the majority wins...
  auto m = merge_assignments(g, {a, a, b}, {2, 2, 2}, bounds(300, 500));
  EXPECT_TRUE(same_division(m.result.part, a));
  // ...unless b's first cell is locked (a lock of the third input).
  MergeOptions o;
  o.locked_parts = {{}, {}, {0}};
  m = merge_assignments(g, {a, a, b}, {2, 2, 2}, bounds(300, 500), o);
  EXPECT_TRUE(same_division(m.result.part, b));
  EXPECT_TRUE(check_assignment(g, m.result.part, 300, 500).empty());
  // A lock overlapping an earlier input's lock is ignored and reported.
  o.locked_parts = {{0}, {}, {0}};
  m = merge_assignments(g, {a, a, b}, {2, 2, 2}, bounds(300, 500), o);
  EXPECT_TRUE(same_division(m.result.part, a));
  ASSERT_EQ(m.ignored_locks.size(), 1U);
  EXPECT_EQ(m.ignored_locks[0], (std::pair<std::size_t, std::int32_t>{2, 0}));
}

TEST(Consensus, DisputedVerticesAreThoseTheInputsPlaceInUnmatchedCells) {
  const UnitGraph g = path(12, 100);
  const std::vector<std::int32_t> a{0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2};
  const std::vector<std::int32_t> b{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
  const auto m = merge_assignments(g, {a, b}, {3, 3}, bounds(300, 500));
  // a's {4-6} and b's {4-7} match each other, as do {7-11} and {8-11}: only vertex 7 is in
  // cells that do not match (a's third cell, b's second).
  for (std::size_t v = 0; v < 12; ++v) EXPECT_EQ(m.disputed[v], v == 7 ? 1 : 0) << v;
  // The first cell is the same in both inputs and in the result.
  EXPECT_EQ(m.same_as[0][0], 0);
  EXPECT_EQ(m.same_as[1][0], 0);
  EXPECT_TRUE(check_assignment(g, m.result.part, 300, 500).empty());
  EXPECT_EQ(shared_boundaries_lost(g, {a, b}, m.result.part), 0U);
}

TEST(Consensus, CompoundsStayWhole) {
  // Inputs cut through a compound (vertices 3, 4); the result does not.
  UnitGraph g = path(8, 100);
  g.group[3] = g.group[4] = 0;
  const std::vector<std::int32_t> a{0, 0, 0, 0, 1, 1, 1, 1};
  const auto m = merge_assignments(g, {a, a}, {2, 2}, bounds(300, 500));
  EXPECT_EQ(m.result.part[3], m.result.part[4]);
  EXPECT_TRUE(check_assignment(g, m.result.part, 300, 500).empty());
}

} // namespace
} // namespace gp::planner
