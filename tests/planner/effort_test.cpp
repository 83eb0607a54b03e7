// Effort control (issue 10): more effort never gives a worse best (the attempts of a smaller
// effort are a prefix of those of a larger one), a time limit ends with a valid partition,
// and bad values are usage errors.

#include <gtest/gtest.h>

#include <set>

#include "gp/core/error.hpp"
#include "gp/core/random.hpp"
#include "gp/planner/partition.hpp"
#include "gp/planner/plan.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

/// A 24 x 24 triangulated grid with weights 1..10 (seeded).
UnitGraph grid(std::uint64_t seed) {
  constexpr int side = 24;
  Rng rng(seed);
  std::vector<Edge> edges;
  auto id = [](int r, int c) { return static_cast<std::uint32_t>(r * side + c); };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      if (c + 1 < side) edges.push_back({id(r, c), id(r, c + 1), 1.0, false});
      if (r + 1 < side) edges.push_back({id(r, c), id(r + 1, c), 1.0, false});
      if (r + 1 < side && c + 1 < side) edges.push_back({id(r, c), id(r + 1, c + 1), 1.0, false});
    }
  UnitGraph g = graph_from_edges(side * side, edges);
  for (auto& w : g.weight) w = static_cast<double>(1 + rng.below(10));
  return g;
}

TEST(Effort, MoreEffortNeverGivesAWorseCut) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto g = grid(seed);
    PartitionSpec spec;
    spec.parts = 7;
    spec.tolerance = 0.01;
    spec.objective = Objective::cut_edges;
    spec.seed = seed;
    spec.effort = 0.1; // 10 attempts
    const auto low = partition(g, spec);
    spec.effort = 1; // 100 attempts (early stop allowed)
    const auto high = partition(g, spec);
    const bool low_ok = low.violations.empty();
    const bool high_ok = high.violations.empty();
    EXPECT_TRUE(high_ok || !low_ok);
    if (low_ok && high_ok) {
      EXPECT_LE(high.cut_edges, low.cut_edges) << "seed " << seed;
    }
  }
}

TEST(Effort, TimeLimitEndsWithAValidPartition) {
  const auto g = grid(5);
  PartitionSpec spec;
  spec.parts = 5;
  spec.tolerance = 0.02;
  spec.time_limit_s = 0.2;
  const auto r = partition(g, spec);
  ASSERT_EQ(r.part.size(), g.vertex_count());
  std::set<std::int32_t> parts(r.part.begin(), r.part.end());
  EXPECT_EQ(parts.size(), 5u);
  for (const auto& v : r.violations) EXPECT_NE(v.rule, "contiguity") << v.reason;
}

TEST(Effort, BadEffortOrTimeLimitIsAUsageError) {
  const auto ds = ::gp::testing::square_city(400, 1);
  PlanOptions o;
  o.effort = 0;
  EXPECT_THROW(make_plan(ds, o), UsageError);
  o.effort = 1;
  o.time_limit_s = -1;
  EXPECT_THROW(make_plan(ds, o), UsageError);
}

} // namespace
} // namespace gp::planner
