// Real-data tests of the partitioner on the published benchmark graphs in ../shared/data
// (see its README.md): New Hampshire tracts and Arkansas block groups.

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "gp/planner/graph_io.hpp"
#include "gp/planner/partition.hpp"
#include "support.hpp"

namespace gp::planner {
namespace {

// Number of parts of `part` that are not connected in g (by breadth-first search).
int disconnected_parts(const UnitGraph& g, const std::vector<std::int32_t>& part, int parts) {
  std::vector<int> pieces(static_cast<std::size_t>(parts), 0);
  std::vector<char> seen(g.vertex_count(), 0);
  for (std::uint32_t s = 0; s < g.vertex_count(); ++s) {
    if (seen[s]) continue;
    ++pieces[static_cast<std::size_t>(part[s])];
    std::vector<std::uint32_t> queue{s};
    seen[s] = 1;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const auto v = queue[head];
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
        if (!seen[g.targets[k]] && part[g.targets[k]] == part[v]) {
          seen[g.targets[k]] = 1;
          queue.push_back(g.targets[k]);
        }
    }
  }
  return static_cast<int>(
      std::count_if(pieces.begin(), pieces.end(), [](int c) { return c != 1; }));
}

std::vector<double> part_weights(const UnitGraph& g, const std::vector<std::int32_t>& part,
                                 int parts) {
  std::vector<double> w(static_cast<std::size_t>(parts), 0.0);
  for (std::size_t v = 0; v < g.vertex_count(); ++v)
    w[static_cast<std::size_t>(part[v])] += g.weight[v];
  return w;
}

// Validi & Buchanan (2022) proved 26 cut edges optimal for 2 parts within ±0.5 % of the
// mean population, i.e. [654,944, 661,526]. The test asserts that optimum is reached.
TEST(RealGraphs, NewHampshireTractsReachTheProvenOptimum) {
  GP_REQUIRE_SHARED_DATA(path, "us-tracts/NH_tract_dual_graph.json");
  NetworkxReadOptions read;
  read.weight_attribute = "TOTPOP";
  const auto g = read_networkx_json(path, read).graph;
  PartitionSpec spec;
  spec.parts = 2;
  spec.tolerance = 0.005;
  spec.objective = Objective::cut_edges;
  const auto r = partition(g, spec);
  ASSERT_EQ(r.parts, 2);
  const auto w = part_weights(g, r.part, 2);
  for (double x : w) {
    EXPECT_GE(x, 654944);
    EXPECT_LE(x, 661526);
  }
  EXPECT_EQ(disconnected_parts(g, r.part, 2), 0);
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.cut_edges, 26u) << "the proven optimum is 26";
}

TEST(RealGraphs, NewHampshireOptimumForSeveralSeeds) {
  GP_REQUIRE_SHARED_DATA(path, "us-tracts/NH_tract_dual_graph.json");
  NetworkxReadOptions read;
  read.weight_attribute = "TOTPOP";
  const auto g = read_networkx_json(path, read).graph;
  for (std::uint64_t seed : {2u, 3u, 4u, 5u}) {
    PartitionSpec spec;
    spec.parts = 2;
    spec.tolerance = 0.005;
    spec.objective = Objective::cut_edges;
    spec.seed = seed;
    const auto r = partition(g, spec);
    EXPECT_EQ(r.cut_edges, 26u) << "seed " << seed;
    EXPECT_TRUE(r.violations.empty()) << "seed " << seed;
  }
}

struct ArkansasCase {
  int parts;
  double tolerance;
  /// Cut limit from gpmetis -contig -ncuts=100 on the identical graph (bench/README.md):
  /// 4 parts/1 %: METIS 110, all parts in bounds -> we must not be worse. 100 parts/5 %:
  /// METIS 1273 with one part out of bounds -> we hold every bound and must stay within
  /// 3 % of it (1311). 100 parts/2 %: METIS 1490 with 7 parts out of bounds -> 1600.
  std::size_t max_cut;
};

class Arkansas : public ::testing::TestWithParam<ArkansasCase> {};

// 2,294 block groups (the largest 5,315 people, 18 % of a part at 100 parts). Every part
// within bounds and contiguous, and a cut comparable to gpmetis' best of 100 contiguous tries.
TEST_P(Arkansas, BlockGroupsWithinBoundsAndContiguous) {
  GP_REQUIRE_SHARED_DATA(path, "graphs/arkansas-blockgroups-2020.json");
  NetworkxReadOptions read;
  read.weight_attribute = "tot_pop_20";
  const auto g = read_networkx_json(path, read).graph;
  const auto c = GetParam();
  PartitionSpec spec;
  spec.parts = c.parts;
  spec.tolerance = c.tolerance;
  spec.objective = Objective::cut_edges;
  const auto r = partition(g, spec);
  ASSERT_EQ(r.parts, c.parts);
  const double mean = g.total_weight() / c.parts;
  for (double x : part_weights(g, r.part, c.parts)) {
    EXPECT_GE(x, mean * (1 - c.tolerance) - 1e-6);
    EXPECT_LE(x, mean * (1 + c.tolerance) + 1e-6);
  }
  EXPECT_EQ(disconnected_parts(g, r.part, c.parts), 0);
  EXPECT_TRUE(r.violations.empty());
  EXPECT_LE(r.cut_edges, c.max_cut);
}

INSTANTIATE_TEST_SUITE_P(Parts, Arkansas,
                         ::testing::Values(ArkansasCase{4, 0.01, 110},
                                           ArkansasCase{100, 0.05, 1311},
                                           ArkansasCase{100, 0.02, 1600}));

} // namespace
} // namespace gp::planner
