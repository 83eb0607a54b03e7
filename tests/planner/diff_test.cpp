// Diff of two plans: a plan against itself is empty; counts on a constructed change.

#include <gtest/gtest.h>

#include "gp/core/error.hpp"
#include "gp/planner/diff.hpp"

namespace gp::planner {
namespace {

PlanAssignment sample() {
  // Cells A (u1,u2,u3 = 300), B (u4,u5 = 250), C (u6 = 100).
  PlanAssignment p;
  p.unit_key = {"u1", "u2", "u3", "u4", "u5", "u6"};
  p.cell_code = {"A", "A", "A", "B", "B", "C"};
  p.households = {100, 100, 100, 120, 130, 100};
  return p;
}

TEST(Diff, PlanAgainstItselfIsEmpty) {
  const auto p = sample();
  const auto d = diff_plans(p, p);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.households_moved, 0);
  EXPECT_EQ(d.cells_unchanged, 3U);
  ASSERT_EQ(d.mapping.size(), 3U);
  for (const auto& m : d.mapping) {
    EXPECT_EQ(m.before, m.after);
    EXPECT_DOUBLE_EQ(m.share, 1.0);
  }
  EXPECT_EQ(d.before.cells, 3U);
  EXPECT_DOUBLE_EQ(d.before.min, d.after.min);
  EXPECT_DOUBLE_EQ(d.before.max, d.after.max);
}

TEST(Diff, CountsAConstructedChange) {
  const auto before = sample();
  PlanAssignment after;
  // u3 moves A -> B, u6 moves C -> D (C disappears, D appears), u2 leaves the plan,
  // u7 is new in B. Order is shuffled: matching is by key.
  after.unit_key = {"u6", "u1", "u3", "u4", "u5", "u7"};
  after.cell_code = {"D", "A", "B", "B", "B", "B"};
  after.households = {100, 100, 100, 120, 130, 10};
  const auto d = diff_plans(before, after, DiffOptions{200, 400});

  ASSERT_EQ(d.moved.size(), 2U);
  EXPECT_EQ(d.moved[0].key, "u6");
  EXPECT_EQ(d.moved[0].from, "C");
  EXPECT_EQ(d.moved[0].to, "D");
  EXPECT_EQ(d.moved[1].key, "u3");
  EXPECT_EQ(d.moved[1].before_index, 2U);
  EXPECT_EQ(d.moved[1].after_index, 2U);
  EXPECT_DOUBLE_EQ(d.households_moved, 200);
  EXPECT_EQ(d.units_added, (std::vector<std::string>{"u7"}));
  EXPECT_EQ(d.units_removed, (std::vector<std::string>{"u2"}));

  ASSERT_EQ(d.cells.size(), 4U); // A B C D
  const auto& a = d.cells[0];
  EXPECT_EQ(a.code, "A");
  EXPECT_EQ(a.status, CellStatus::changed);
  EXPECT_DOUBLE_EQ(a.households_before, 300);
  EXPECT_DOUBLE_EQ(a.households_after, 100);
  EXPECT_DOUBLE_EQ(a.households_lost, 200); // u3 moved, u2 removed
  EXPECT_EQ(a.units_lost, 2U);
  EXPECT_EQ(a.units_gained, 0U);
  const auto& b = d.cells[1];
  EXPECT_EQ(b.status, CellStatus::changed);
  EXPECT_DOUBLE_EQ(b.households_gained, 110); // u3 + new u7
  EXPECT_EQ(b.units_gained, 2U);
  EXPECT_DOUBLE_EQ(b.households_after, 360);
  EXPECT_EQ(d.cells[2].status, CellStatus::removed);
  EXPECT_EQ(d.cells[3].status, CellStatus::added);
  EXPECT_EQ(d.cells_changed, 2U);
  EXPECT_EQ(d.cells_added, 1U);
  EXPECT_EQ(d.cells_removed, 1U);
  EXPECT_FALSE(d.empty());

  // Mapping by largest household overlap: A -> A (100 of 300), B -> B, C -> D.
  ASSERT_EQ(d.mapping.size(), 3U);
  EXPECT_EQ(d.mapping[0].after, "A");
  EXPECT_NEAR(d.mapping[0].share, 1.0 / 3.0, 1e-12);
  EXPECT_EQ(d.mapping[1].after, "B");
  EXPECT_EQ(d.mapping[2].before, "C");
  EXPECT_EQ(d.mapping[2].after, "D");

  // Balance: before A300 B250 C100 (2 of 3 within [200,400]); after A100 B360 D100.
  EXPECT_DOUBLE_EQ(d.before.min, 100);
  EXPECT_DOUBLE_EQ(d.before.max, 300);
  EXPECT_NEAR(d.before.share_within_bounds, 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(d.after.max, 360);
  EXPECT_NEAR(d.after.share_within_bounds, 1.0 / 3.0, 1e-12);
}

TEST(Diff, MappingFollowsTheLargestHouseholdShare) {
  PlanAssignment before{{"a", "b", "c"}, {"X", "X", "X"}, {10, 10, 500}};
  PlanAssignment after{{"a", "b", "c"}, {"P", "P", "Q"}, {10, 10, 500}};
  const auto d = diff_plans(before, after);
  ASSERT_EQ(d.mapping.size(), 1U);
  EXPECT_EQ(d.mapping[0].after, "Q"); // fewer units but more households
  ASSERT_EQ(d.cells.size(), 3U);      // P Q X
  EXPECT_EQ(d.cells[2].code, "X");
  EXPECT_EQ(d.cells[2].successor, "Q");
}

TEST(Diff, RejectsDuplicateKeys) {
  PlanAssignment p{{"a", "a"}, {"X", "X"}, {1, 1}};
  EXPECT_THROW(diff_plans(p, sample()), InputError);
  PlanAssignment bad{{"a"}, {"X", "Y"}, {1}};
  EXPECT_THROW(diff_plans(bad, sample()), UsageError);
}

} // namespace
} // namespace gp::planner
