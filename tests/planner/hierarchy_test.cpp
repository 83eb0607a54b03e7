// The administrative hierarchy: totals roll up community -> street -> district; streets and
// districts are derived from codes when not given; nesting defects (a community outside its
// street, a gap between streets, no parent) are reported with their areas.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gp/planner/hierarchy.hpp"
#include "gp/planner/plan.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

geo::Area area(const std::string& code, const std::string& parent, geo::AreaLevel level, double x0,
               double y0, double x1, double y1) {
  geo::Area a;
  a.code = code;
  a.name = "n" + code;
  a.parent_code = parent;
  a.level = level;
  a.geometry = {testing::rect_polygon(x0, y0, x1, y1)};
  return a;
}

void add_unit(geo::Dataset& ds, const std::string& area_code, double households) {
  geo::Unit u;
  u.area_code = area_code;
  u.households = households;
  u.population = 2.5 * households;
  ds.units.push_back(u);
}

// District 110101 (0..400 x 0..200); streets 110101001 (0..200) and 110101002 (200..400);
// two communities of 100 x 200 in each street.
geo::Dataset city() {
  geo::Dataset ds;
  const std::string s1 = "110101001", s2 = "110101002";
  ds.areas.push_back(area(s1 + "001", s1, geo::AreaLevel::community, 0, 0, 100, 200));
  ds.areas.push_back(area(s1 + "002", s1, geo::AreaLevel::community, 100, 0, 200, 200));
  ds.areas.push_back(area(s2 + "001", s2, geo::AreaLevel::community, 200, 0, 300, 200));
  ds.areas.push_back(area(s2 + "002", s2, geo::AreaLevel::community, 300, 0, 400, 200));
  const double hh[4] = {300, 450, 800, 120};
  for (std::size_t i = 0; i < 4; ++i) {
    add_unit(ds, ds.areas[i].code, hh[i]);
    add_unit(ds, ds.areas[i].code, 10);
  }
  return ds;
}

std::vector<geo::Area> parents(double district_x1 = 400) {
  return {area("110101001", "110101", geo::AreaLevel::street, 0, 0, 200, 200),
          area("110101002", "110101", geo::AreaLevel::street, 200, 0, 400, 200),
          area("110101", "", geo::AreaLevel::district, 0, 0, district_x1, 200)};
}

TEST(Hierarchy, TotalsRollUpFromCommunitiesToDistricts) {
  const auto ds = city();
  const auto h = build_hierarchy(ds, nullptr, parents());
  ASSERT_EQ(h.communities.size(), 4U);
  ASSERT_EQ(h.streets.size(), 2U);
  ASSERT_EQ(h.districts.size(), 1U);
  EXPECT_TRUE(h.issues.empty());
  EXPECT_DOUBLE_EQ(h.streets[0].households, 300 + 10 + 450 + 10);
  EXPECT_DOUBLE_EQ(h.streets[1].households, 800 + 10 + 120 + 10);
  EXPECT_DOUBLE_EQ(h.streets[1].population, 2.5 * (800 + 10 + 120 + 10));
  EXPECT_EQ(h.streets[0].communities, 2U);
  EXPECT_EQ(h.streets[0].units, 4U);
  const auto& d = h.districts[0];
  EXPECT_DOUBLE_EQ(d.households, h.streets[0].households + h.streets[1].households);
  EXPECT_EQ(d.streets, 2U);
  EXPECT_EQ(d.communities, 4U);
  EXPECT_FALSE(d.derived);
  EXPECT_NEAR(d.area_m2, 400.0 * 200.0, 1e-6);
  EXPECT_LT(d.on_time_share(), 0); // no service figures
}

TEST(Hierarchy, CellsAndServiceComeFromThePlan) {
  const auto ds = city();
  Plan plan;
  plan.areas.resize(1);
  plan.areas[0].code = "110101001001";
  plan.areas[0].cells = {0, 1};
  plan.cells.resize(2);
  plan.cells[0].code = "110101001001001";
  plan.cells[1].code = "110101001001002";
  for (auto& c : plan.cells) c.area_code = "110101001001";
  const std::vector<CellService> service{{"110101001001001", 2, 100, 90},
                                         {"110101001001002", 1, 50, 30}};
  const auto h = build_hierarchy(ds, &plan, parents(), service);
  EXPECT_EQ(h.streets[0].cells, 2U);
  EXPECT_DOUBLE_EQ(h.streets[0].workers, 3);
  EXPECT_DOUBLE_EQ(h.districts[0].on_time_share(), 120.0 / 150.0);
  const auto j = nlohmann::json::parse(hierarchy_json(h));
  EXPECT_DOUBLE_EQ(j["districts"][0]["on_time_share"].get<double>(), 0.8);
  EXPECT_TRUE(j["streets"][1]["on_time_share"].is_null());
}

TEST(Hierarchy, StreetsAndDistrictsDerivedFromCodes) {
  auto ds = city();
  for (auto& a : ds.areas) a.parent_code.clear(); // codes only
  const auto h = build_hierarchy(ds, nullptr, {});
  ASSERT_EQ(h.streets.size(), 2U);
  EXPECT_EQ(h.streets[0].code, "110101001");
  EXPECT_TRUE(h.streets[0].derived);
  EXPECT_NEAR(h.streets[0].area_m2, 200.0 * 200.0, 1e-6); // union of its two communities
  ASSERT_EQ(h.districts.size(), 1U);
  EXPECT_EQ(h.districts[0].code, "110101");
  EXPECT_NEAR(h.districts[0].area_m2, 400.0 * 200.0, 1e-6);
  EXPECT_TRUE(h.issues.empty());
}

TEST(Hierarchy, CommunityOutsideItsStreetIsReported) {
  auto ds = city();
  // Community 110101001002 stretched 50 m into the second street: 50 x 200 outside.
  ds.areas[1].geometry = {testing::rect_polygon(100, 0, 250, 200)};
  const auto h = build_hierarchy(ds, nullptr, parents());
  ASSERT_EQ(h.issues.size(), 1U);
  EXPECT_EQ(h.issues[0].kind, "outside_parent");
  EXPECT_EQ(h.issues[0].code, "110101001002");
  EXPECT_EQ(h.issues[0].parent_code, "110101001");
  EXPECT_NEAR(h.issues[0].area_m2, 50.0 * 200.0, 1e-6);
}

TEST(Hierarchy, GapBetweenStreetsIsReported) {
  // The district reaches 100 m beyond its streets: a 100 x 200 gap.
  const auto h = build_hierarchy(city(), nullptr, parents(500));
  ASSERT_EQ(h.issues.size(), 1U);
  EXPECT_EQ(h.issues[0].kind, "gap");
  EXPECT_EQ(h.issues[0].code, "110101");
  EXPECT_NEAR(h.issues[0].area_m2, 100.0 * 200.0, 1e-6);
}

TEST(Hierarchy, CommunityWithoutParentIsReported) {
  auto ds = city();
  ds.areas.push_back(area("C7", "", geo::AreaLevel::community, 0, 300, 10, 310));
  const auto h = build_hierarchy(ds, nullptr, parents());
  ASSERT_EQ(h.issues.size(), 1U);
  EXPECT_EQ(h.issues[0].kind, "no_parent");
  EXPECT_EQ(h.issues[0].code, "C7");
}

} // namespace
} // namespace gp::planner
