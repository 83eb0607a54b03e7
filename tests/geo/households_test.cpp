// Household estimation: the documented formula, floors from levels/height/type, types.

#include <gtest/gtest.h>

#include "gp/geo/households.hpp"

namespace gp::geo {
namespace {

TEST(Households, FormulaFromLevels) {
  const EstimationParams p;
  const Estimate e = estimate_households({500, 12, 0, "apartments"}, p);
  EXPECT_DOUBLE_EQ(e.floors, 12);
  EXPECT_DOUBLE_EQ(e.households, 500.0 * 12 * 0.75 / 90.0); // 50
}

TEST(Households, FloorsFromHeightRounded) {
  const EstimationParams p;
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 19.7, ""}, p), 7); // 6.57 -> 7
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 3.5, ""}, p), 1);  // 1.17 -> 1
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 1.0, ""}, p), 1);  // at least one floor
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 98, ""}, p), 33);  // 32.67 -> 33
  // Levels beat height.
  EXPECT_DOUBLE_EQ(floors_for({100, 5, 98, ""}, p), 5);
}

TEST(Households, DefaultFloorsByType) {
  const EstimationParams p;
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "highrise"}, p), 18);
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "pingfang"}, p), 1);
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "house"}, p), 2);
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "unknown_type"}, p), 3); // the "" default
}

TEST(Households, OnlyResidentialTypes) {
  const EstimationParams p;
  EXPECT_GT(estimate_households({100, 3, 0, "residential"}, p).households, 0);
  EXPECT_GT(estimate_households({100, 3, 0, "yes"}, p).households, 0);
  EXPECT_EQ(estimate_households({100, 3, 0, "school"}, p).households, 0);
  EXPECT_EQ(estimate_households({100, 3, 0, "commercial"}, p).households, 0);
  EXPECT_EQ(estimate_households({100, 3, 0, "industrial"}, p).households, 0);
  EXPECT_EQ(estimate_households({0, 3, 0, "residential"}, p).households, 0);
  // Mixed use: half the floor area is homes.
  EXPECT_DOUBLE_EQ(estimate_households({100, 4, 0, "mixed"}, p).households,
                   100.0 * 4 * 0.75 * 0.5 / 90.0);
}

TEST(Households, ParametersAreOverridable) {
  EstimationParams p;
  p.dwelling_m2 = 60;
  p.usable_ratio = 0.8;
  p.residential_types.push_back("school"); // a boarding school, say
  EXPECT_DOUBLE_EQ(estimate_households({300, 2, 0, "school"}, p).households, 300.0 * 2 * 0.8 / 60);
  p.storey_height_m = 4;
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 12, ""}, p), 3);
}

} // namespace
} // namespace gp::geo
