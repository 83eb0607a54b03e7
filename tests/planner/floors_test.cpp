// Hard floors on secondary fields: parsing, and the check of a plan against them (every
// cell below a floor is reported with its shortfall, none other).

#include "gp/planner/floors.hpp"

#include <gtest/gtest.h>

#include <map>

#include "gp/core/error.hpp"
#include "gp/core/random.hpp"
#include "support.hpp"
#include "synthetic_city.hpp"

namespace {
using namespace gp::planner;

TEST(Floors, ParsesFieldColonNumber) {
  const auto f = parse_floor("party_members:3");
  EXPECT_EQ(f.field, "party_members");
  EXPECT_EQ(f.minimum, 3);
  EXPECT_EQ(parse_floor("a:b:2.5").field, "a:b"); // the last colon splits
  EXPECT_THROW(parse_floor("party_members"), gp::UsageError);
  EXPECT_THROW(parse_floor("party_members:"), gp::UsageError);
  EXPECT_THROW(parse_floor(":3"), gp::UsageError);
  EXPECT_THROW(parse_floor("party_members:-1"), gp::UsageError);
  EXPECT_THROW(parse_floor("party_members:three"), gp::UsageError);
}

/// A planned square city whose units carry a party_members attribute (0..2 each).
struct FloorCity {
  gp::geo::Dataset dataset;
  Plan plan;
  FloorCity() : dataset(gp::testing::square_city(800, 3)) {
    gp::Rng rng(gp::testing::test_seed(7));
    dataset.unit_attributes.fields.push_back({"party_members", gp::geo::FieldType::integer});
    for (auto& row : dataset.unit_attributes.rows) row.emplace_back(rng.integer(0, 2));
    PlanOptions o;
    o.threads = 1;
    plan = make_plan(dataset, o);
  }
};

/// Planned once for the suite (planning takes seconds).
const FloorCity& floor_city() {
  static const FloorCity city;
  return city;
}

TEST(Floors, ReportsExactlyTheCellsBelowTheFloorWithTheirShortfall) {
  const FloorCity& city = floor_city();
  ASSERT_GE(city.plan.cells.size(), 2u);
  // Sums per cell through the plan's unit -> cell map (not the cells' unit lists).
  const int col = city.dataset.unit_attributes.find("party_members");
  std::map<std::int64_t, double> sum;
  for (std::size_t u = 0; u < city.dataset.units.size(); ++u)
    if (city.plan.unit_cell[u] >= 0)
      sum[city.plan.unit_cell[u]] += static_cast<double>(std::get<std::int64_t>(
          city.dataset.unit_attributes.rows[u][static_cast<std::size_t>(col)]));
  double lowest = 1e300, highest = 0;
  for (const auto& [c, s] : sum) {
    lowest = std::min(lowest, s);
    highest = std::max(highest, s);
  }
  ASSERT_LT(lowest, highest); // the floor below splits the cells
  const double floor = (lowest + highest) / 2;
  const auto v = check_floors(city.dataset, city.plan, {{"party_members", floor}});
  std::size_t expected = 0;
  for (const auto& [c, s] : sum) expected += s < floor ? 1 : 0;
  ASSERT_EQ(v.size(), expected);
  for (const auto& x : v) {
    std::size_t c = 0;
    while (c < city.plan.cells.size() && city.plan.cells[c].code != x.cell_code) ++c;
    ASSERT_LT(c, city.plan.cells.size()) << x.cell_code;
    const double s = sum[static_cast<std::int64_t>(c)];
    EXPECT_EQ(x.field, "party_members");
    EXPECT_EQ(x.value, s);
    EXPECT_EQ(x.minimum, floor);
    EXPECT_EQ(x.shortfall, floor - s);
    EXPECT_GT(x.shortfall, 0);
    EXPECT_EQ(x.area_code, city.plan.cells[c].area_code);
    const auto p = to_plan_violation(x);
    EXPECT_EQ(p.rule, "floor");
    EXPECT_EQ(p.cell_code, x.cell_code);
    EXPECT_NE(p.reason.find("party_members"), std::string::npos) << p.reason;
  }
  // The community holds enough for the floor in every cell on average: not infeasible.
  double total = 0;
  for (const auto& [c, s] : sum) total += s;
  for (const auto& x : v)
    EXPECT_EQ(x.area_infeasible, total < floor * static_cast<double>(city.plan.cells.size()));
}

TEST(Floors, NoneBelowAZeroFloorAndEveryCellBelowAnImpossibleOne) {
  const FloorCity& city = floor_city();
  EXPECT_TRUE(check_floors(city.dataset, city.plan, {{"party_members", 0}}).empty());
  const double total_hh = city.dataset.units.size() * 1000.0;
  const auto v = check_floors(city.dataset, city.plan, {{"households", total_hh}});
  ASSERT_EQ(v.size(), city.plan.cells.size());
  for (const auto& x : v) {
    EXPECT_TRUE(x.area_infeasible);
    EXPECT_NE(to_plan_violation(x).reason.find("too little households"), std::string::npos);
  }
  EXPECT_THROW(check_floors(city.dataset, city.plan, {{"no_such_field", 1}}), gp::UsageError);
}

} // namespace
