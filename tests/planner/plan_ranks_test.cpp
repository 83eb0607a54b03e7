// make_plan spread over ranks (PlanOptions::ranks), the ranks played by threads
// (tests/support/thread_ranks.hpp): the root's plan is the single-process plan field for
// field, whatever the number of ranks; a community failing on any rank ends every rank
// with an error naming it. `mpirun` itself is exercised in tests/cli/mpi_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>

#include "gp/core/error.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "synthetic_city.hpp"
#include "thread_ranks.hpp"

namespace gp::planner {
namespace {

PlanOptions options() {
  PlanOptions o;
  o.restarts = 2;
  o.seed = 5;
  o.threads = 1;
  return o;
}

/// The layers with every row stored (plan_layers' units and adjacency are views).
std::vector<geo::Layer> stored(std::vector<geo::Layer> layers) {
  for (auto& l : layers) geo::materialize(l);
  return layers;
}

void expect_same_layers(const std::vector<geo::Layer>& a, const std::vector<geo::Layer>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].table.fields.size(), b[i].table.fields.size());
    EXPECT_TRUE(a[i].table.rows == b[i].table.rows) << a[i].name;
    EXPECT_TRUE(a[i].polygons == b[i].polygons) << a[i].name;
    EXPECT_TRUE(a[i].points == b[i].points) << a[i].name;
    EXPECT_TRUE(a[i].lines == b[i].lines) << a[i].name;
  }
}

TEST(PlanRanks, TheRootsPlanIsTheSingleProcessPlanWhateverTheRankCount) {
  const auto ds = ::gp::testing::mixed_city(3);
  const auto alone = make_plan(ds, options());
  ASSERT_GT(alone.areas.size(), 3u);
  ASSERT_EQ(alone.rank_shares.size(), 1u);
  EXPECT_EQ(alone.rank_shares[0].jobs, alone.areas.size());
  const auto expected = stored(plan_file::plan_layers(ds, alone, {}));
  for (const int n : {2, 3, 5}) {
    std::optional<Plan> root;
    std::vector<std::size_t> areas_seen(static_cast<std::size_t>(n));
    std::mutex mutex;
    const auto failures = ::gp::testing::on_thread_ranks(n, [&](const Ranks& ranks) {
      PlanOptions o = options();
      o.ranks = &ranks;
      auto plan = make_plan(ds, o);
      std::lock_guard lock(mutex);
      areas_seen[static_cast<std::size_t>(ranks.rank())] = plan.areas.size();
      EXPECT_EQ(plan.rank_shares.size(), static_cast<std::size_t>(n));
      if (ranks.is_root()) root = std::move(plan);
    });
    for (const auto& f : failures) ASSERT_FALSE(f) << n << " ranks";
    ASSERT_TRUE(root.has_value());
    // Only the root holds the plan.
    for (int k = 1; k < n; ++k) EXPECT_EQ(areas_seen[static_cast<std::size_t>(k)], 0u);
    std::size_t jobs = 0;
    double units = 0;
    for (const auto& s : root->rank_shares) {
      jobs += s.jobs;
      units += s.size;
    }
    EXPECT_EQ(jobs, alone.areas.size());
    EXPECT_EQ(units, static_cast<double>(alone.summary.units_planned));
    expect_same_layers(stored(plan_file::plan_layers(ds, *root, {})), expected);
    EXPECT_EQ(root->unit_cell, alone.unit_cell);
    EXPECT_EQ(root->adjacency_bridge, alone.adjacency_bridge);
    EXPECT_EQ(root->summary.cells, alone.summary.cells);
    EXPECT_EQ(root->summary.balance_mean, alone.summary.balance_mean);
    EXPECT_EQ(root->summary.mean_polsby_popper, alone.summary.mean_polsby_popper);
    EXPECT_EQ(root->violations.size(), alone.violations.size());
  }
}

TEST(PlanRanks, ACommunityFailingOnOneRankEndsEveryRankNamingIt) {
  const auto ds = ::gp::testing::mixed_city(3);
  const int n = 3;
  const auto failures = ::gp::testing::on_thread_ranks(n, [&](const Ranks& ranks) {
    PlanOptions o = options();
    o.ranks = &ranks;
    // Rank 1's progress callback fails once its first community is being partitioned:
    // a failure inside that community's work, on that rank only.
    if (ranks.rank() == 1)
      o.progress = [](double, const std::string& label) {
        if (label == "partitioning") throw Error("disk quota exceeded");
      };
    make_plan(ds, o);
  });
  std::optional<std::string> message;
  for (int k = 0; k < n; ++k) {
    ASSERT_TRUE(failures[static_cast<std::size_t>(k)]) << "rank " << k << " did not fail";
    try {
      std::rethrow_exception(failures[static_cast<std::size_t>(k)]);
    } catch (const Error& e) {
      if (!message) message = e.what();
      EXPECT_EQ(e.what(), *message) << "rank " << k;
    }
  }
  // "community <12-digit code>: disk quota exceeded", and the code is one of the
  // communities the deal gave rank 1.
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->rfind("community ", 0), 0u) << *message;
  EXPECT_NE(message->find(": disk quota exceeded"), std::string::npos) << *message;
  const std::string code = message->substr(10, message->find(':') - 10);
  std::vector<double> sizes;
  std::vector<std::string> codes;
  for (const auto& a : make_plan(ds, options()).areas) {
    codes.push_back(a.code);
    sizes.push_back(static_cast<double>(a.units));
  }
  const auto owner = deal_jobs(sizes, n);
  const auto it = std::find(codes.begin(), codes.end(), code);
  ASSERT_NE(it, codes.end()) << code;
  EXPECT_EQ(owner[static_cast<std::size_t>(it - codes.begin())], 1) << code;
}

/// `ds` as a rank that read only the units of the areas in `codes` sees it (the other
/// units gone, the kept ones in their order, as geo::AreaSubset reads them), less the
/// first `missing` of them.
geo::Dataset as_read_by_communities(const geo::Dataset& ds, const std::set<std::string>& codes,
                                    std::size_t missing = 0) {
  geo::Dataset part = ds;
  part.units.clear();
  part.unit_attributes.rows.clear();
  for (std::size_t i = 0; i < ds.units.size(); ++i) {
    if (codes.count(ds.units[i].area_code) == 0) continue;
    if (missing > 0) {
      --missing;
      continue;
    }
    part.units.push_back(ds.units[i]);
    if (i < ds.unit_attributes.rows.size())
      part.unit_attributes.rows.push_back(ds.unit_attributes.rows[i]);
  }
  part.report.features_read = part.units.size();
  return part;
}

/// The codes of the areas deal_jobs gives each of `n` ranks under `whole`.
std::vector<std::set<std::string>> dealt_codes(const PlannedAreas& whole, int n) {
  std::vector<std::set<std::string>> codes(static_cast<std::size_t>(n));
  const auto owner = deal_jobs(whole.units, n);
  for (std::size_t j = 0; j < owner.size(); ++j)
    codes[static_cast<std::size_t>(owner[j])].insert(whole.codes[j]);
  return codes;
}

TEST(PlanRanks, RanksThatReadOnlyTheirOwnCommunitiesGiveTheSinglePlan) {
  auto ds = ::gp::testing::mixed_city(3);
  ds.report.features_read = ds.units.size();
  const auto alone = make_plan(ds, options());
  const auto expected = plan_file::plan_layers(ds, alone, {});
  const PlannedAreas whole = planned_areas(ds);
  EXPECT_EQ(whole.dataset_units, ds.units.size());
  EXPECT_EQ(PlannedAreas::from_bytes(whole.to_bytes()).codes, whole.codes);
  for (const int n : {2, 3}) {
    const auto codes = dealt_codes(whole, n);
    std::vector<geo::Dataset> read(static_cast<std::size_t>(n));
    read[0] = ds; // the root reads everything: it writes every unit
    for (int k = 1; k < n; ++k)
      read[static_cast<std::size_t>(k)] =
          as_read_by_communities(ds, codes[static_cast<std::size_t>(k)]);
    std::optional<Plan> root;
    std::mutex mutex;
    const auto failures = ::gp::testing::on_thread_ranks(n, [&](const Ranks& ranks) {
      PlanOptions o = options();
      o.ranks = &ranks;
      o.whole = &whole;
      auto plan = make_plan(read[static_cast<std::size_t>(ranks.rank())], o);
      std::lock_guard lock(mutex);
      if (ranks.is_root()) root = std::move(plan);
    });
    for (const auto& f : failures) ASSERT_FALSE(f) << n << " ranks";
    ASSERT_TRUE(root.has_value());
    expect_same_layers(plan_file::plan_layers(ds, *root, {}), expected);
    EXPECT_EQ(root->unit_cell, alone.unit_cell);
    EXPECT_EQ(root->adjacency_bridge, alone.adjacency_bridge);
    ASSERT_EQ(root->adjacency.size(), alone.adjacency.size());
    for (std::size_t e = 0; e < alone.adjacency.size(); ++e) {
      EXPECT_EQ(root->adjacency[e].a, alone.adjacency[e].a);
      EXPECT_EQ(root->adjacency[e].b, alone.adjacency[e].b);
    }
    // Each rank's share: what it read, and no other rank than the root read units it
    // does not plan.
    ASSERT_EQ(root->rank_shares.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(root->rank_shares[0].read, static_cast<double>(ds.units.size()));
    for (int k = 1; k < n; ++k) {
      const auto& s = root->rank_shares[static_cast<std::size_t>(k)];
      EXPECT_EQ(s.read, s.size) << "rank " << k;
      EXPECT_EQ(s.jobs, codes[static_cast<std::size_t>(k)].size()) << "rank " << k;
    }
  }
}

TEST(PlanRanks, ARankWhoseReadMissesAUnitEndsEveryRankNamingTheCommunity) {
  const auto ds = ::gp::testing::mixed_city(3);
  const PlannedAreas whole = planned_areas(ds);
  const int n = 2;
  const auto codes = dealt_codes(whole, n);
  const auto short_read = as_read_by_communities(ds, codes[1], 1);
  const auto failures = ::gp::testing::on_thread_ranks(n, [&](const Ranks& ranks) {
    PlanOptions o = options();
    o.ranks = &ranks;
    o.whole = &whole;
    make_plan(ranks.is_root() ? ds : short_read, o);
  });
  for (int k = 0; k < n; ++k) {
    ASSERT_TRUE(failures[static_cast<std::size_t>(k)]) << "rank " << k << " did not fail";
    try {
      std::rethrow_exception(failures[static_cast<std::size_t>(k)]);
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.rfind("community ", 0), 0u) << m;
      EXPECT_NE(m.find("the two reads differ"), std::string::npos) << m;
    }
  }
}

} // namespace
} // namespace gp::planner
