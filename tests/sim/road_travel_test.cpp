// The road-network travel model: shortest paths on constructed road networks equal their
// closed-form lengths (plus the straight access distances at both ends), disconnected
// networks fall back to straight line x detour, and a simulation on the road model agrees
// with the travel time it implies and is deterministic.

#include <gtest/gtest.h>

#include <cmath>

#include "../../sim/src/road_network.hpp" // private to sim/, tested directly
#include "gp/core/error.hpp"
#include "gp/sim/engine.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

using geo::Point;

TEST(RoadNetwork, LShapedRoadGivesPathLengthPlusAccess) {
  // Two lines meeting at the corner (1000, 0); the second starts 0.36 m away from it
  // (within the 0.5 m merge tolerance), so they form one L of length 1000 + 600.
  const std::vector<geo::LineString> roads = {
      {{0, 0}, {500, 0}, {1000, 0}},
      {{1000.3, 0.2}, {1000, 300}, {1000, 600}},
  };
  const RoadNetwork net(roads);
  EXPECT_EQ(net.node_count(), 5u);
  EXPECT_EQ(net.edge_count(), 4u);
  const Point a{-3, 4};     // 5 m from (0, 0)
  const Point b{1006, 608}; // 10 m from (1000, 600)
  const RoadSnap sa = net.snap(a), sb = net.snap(b);
  EXPECT_DOUBLE_EQ(sa.access_m, 5);
  EXPECT_DOUBLE_EQ(sb.access_m, 10);
  // Edge (500,0)-(1000,0) is 500, corner-(1000,300) is 300 (the merged node keeps the
  // first vertex's position): 1600 along the road.
  const auto d = net.distance(a, b);
  ASSERT_TRUE(d.has_value());
  EXPECT_NEAR(*d, 5 + 1600 + 10, 1e-9);
  EXPECT_NEAR(*net.distance(b, a), *d, 1e-9); // undirected
  // The road is much longer than the straight line (the model is not straight x detour).
  EXPECT_GT(*d, 1.3 * std::hypot(b.x - a.x, b.y - a.y));
}

TEST(RoadNetwork, GridOfStreetsGivesManhattanDistance) {
  // A 5 x 5 grid of streets, 100 m apart, each street one line through all crossings.
  std::vector<geo::LineString> roads;
  for (int i = 0; i < 5; ++i) {
    geo::LineString h, v;
    for (int j = 0; j < 5; ++j) {
      h.push_back({100.0 * j, 100.0 * i});
      v.push_back({100.0 * i, 100.0 * j});
    }
    roads.push_back(h);
    roads.push_back(v);
  }
  const RoadNetwork net(roads);
  EXPECT_EQ(net.node_count(), 25u);
  EXPECT_EQ(net.edge_count(), 2u * 5u * 4u); // shared segments are not merged
  for (int x0 = 0; x0 < 5; ++x0)
    for (int y0 = 0; y0 < 5; ++y0)
      for (int x1 = 0; x1 < 5; ++x1)
        for (int y1 = 0; y1 < 5; ++y1) {
          const auto d = net.distance(Point{100.0 * x0, 100.0 * y0}, Point{100.0 * x1, 100.0 * y1});
          ASSERT_TRUE(d.has_value());
          EXPECT_NEAR(*d, 100.0 * (std::abs(x1 - x0) + std::abs(y1 - y0)), 1e-9);
        }
}

TEST(RoadNetwork, DisconnectedOrEmptyNetworkHasNoRoadDistance) {
  const RoadNetwork net({{{0, 0}, {100, 0}}, {{0, 50}, {100, 50}}});
  EXPECT_TRUE(net.distance(Point{0, 0}, Point{100, 0}).has_value());
  EXPECT_FALSE(net.distance(Point{0, 0}, Point{100, 50}).has_value());
  EXPECT_TRUE(std::isinf(net.path_m(0, 3)));
  const RoadNetwork none({});
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.snap(Point{1, 2}).node, -1);
  EXPECT_FALSE(none.distance(Point{0, 0}, Point{1, 1}).has_value());
}

TEST(RoadNetwork, CrossingWithoutCommonVertexIsAJunction) {
  // Regression (issue 12): lines crossing without a shared vertex were not connected.
  const std::vector<geo::LineString> x = {{{0, 0}, {100, 100}}, {{0, 100}, {100, 0}}};
  const RoadNetwork noded(x);
  EXPECT_EQ(noded.component_count(), 1u);
  const auto d = noded.distance(Point{0, 0}, Point{0, 100});
  ASSERT_TRUE(d.has_value());
  EXPECT_NEAR(*d, 2 * std::hypot(50.0, 50.0), 1e-9);
  const RoadNetwork raw(x, 0.5, /*node_crossings=*/false);
  EXPECT_EQ(raw.component_count(), 2u);
  EXPECT_FALSE(raw.distance(Point{0, 0}, Point{0, 100}).has_value());
}

TEST(RoadNetwork, SnapsToNearestPointOnSegment) {
  // One 1 km segment: points beside its middle attach to their feet on it, not to its
  // far-away end vertices.
  const RoadNetwork net({{{0, 0}, {1000, 0}}});
  const RoadSnap s = net.snap(Point{400, 30});
  EXPECT_DOUBLE_EQ(s.access_m, 30);
  EXPECT_DOUBLE_EQ(s.along_m, 400);
  const auto d = net.distance(Point{400, 30}, Point{700, -40});
  ASSERT_TRUE(d.has_value());
  EXPECT_NEAR(*d, 30 + 300 + 40, 1e-9);
  // Beyond the end: the foot is the end vertex.
  EXPECT_DOUBLE_EQ(net.snap(Point{-30, 40}).access_m, 50);
}

TEST(RoadNetwork, DeadEndJoinsAnotherComponentWithinGap) {
  // A main road along y = 0 and a lane x = 500 stopping 60 m short of it.
  const std::vector<geo::LineString> roads = {{{0, 0}, {1000, 0}}, {{500, 60}, {500, 400}}};
  const RoadNetwork apart(roads, 0.5, true, 0);
  EXPECT_EQ(apart.component_count(), 2u);
  EXPECT_FALSE(apart.distance(Point{500, 400}, Point{0, 0}).has_value());
  const RoadNetwork joined(roads, 0.5, true, 100);
  EXPECT_EQ(joined.component_count(), 1u);
  const auto d = joined.distance(Point{500, 400}, Point{0, 0});
  ASSERT_TRUE(d.has_value());
  EXPECT_NEAR(*d, 340 + 60 + 500, 1e-9);                              // lane, connector, main road
  EXPECT_EQ(RoadNetwork(roads, 0.5, true, 50).component_count(), 2u); // gap too short
  // A dead end near its own component is not short-cut: a U whose arm ends 20 m from
  // its other arm keeps the path around.
  const RoadNetwork u({{{0, 0}, {0, 100}, {20, 100}, {20, 0}}}, 0.5, true, 100);
  EXPECT_NEAR(*u.distance(Point{0, 0}, Point{20, 0}), 220, 1e-9);
}

TEST(RoadNetwork, BoundedCacheGivesTheSameDistances) {
  std::vector<geo::LineString> roads;
  for (int i = 0; i < 8; ++i) {
    roads.push_back({{0, 100.0 * i}, {700, 100.0 * i}});
    roads.push_back({{100.0 * i, 0}, {100.0 * i, 700}});
  }
  const RoadNetwork big(roads);
  const RoadNetwork small(roads, 0.5, true, 0, /*cache_bytes=*/1);
  EXPECT_EQ(small.cache_stats().capacity, 4u);
  for (int a = 0; a < 64; ++a)
    for (int b = 0; b < 64; b += 7) {
      const Point p{100.0 * (a % 8) + 3, 100.0 * (a / 8) + 40};
      const Point q{100.0 * (b % 8) + 60, 100.0 * (b / 8) - 2};
      ASSERT_EQ(small.distance(p, q), big.distance(p, q));
    }
  EXPECT_LE(small.cache_stats().size, 4u);
  EXPECT_GT(small.cache_stats().misses, 64u);
}

// --- simulation ---------------------------------------------------------------------

constexpr double kHandlingH = 0.25;
constexpr double kSpeedKmh = 15;

/// One cell, one always-on worker, fixed handling, no visits/patrols/departments/
/// escalation; buildings A (0,-5) and B (100,-5) with one household each, 0.25 requests
/// per household and hour. The worker starts at A (the cell centroid).
SimPlan two_building_plan(std::vector<geo::LineString> roads) {
  SimPlan plan;
  SimCell cell;
  cell.code = "c";
  cell.area_code = "a";
  cell.households = 2;
  cell.centroid = {0, -5};
  plan.cells.push_back(cell);
  SimBuilding a, b;
  a.position = {0, -5};
  a.households = 1;
  b.position = {100, -5};
  b.households = 1;
  plan.buildings = {a, b};
  plan.roads = std::move(roads);
  return plan;
}

Scenario travel_scenario() {
  Scenario s = Scenario::defaults();
  s.categories.resize(1);
  Category& c = s.categories[0];
  c.name = "any";
  c.share = 1;
  c.distribution = HandlingDistribution::fixed;
  c.handling_minutes = kHandlingH * 60;
  c.deadline_hours = 1e5;
  c.department_probability = 0;
  s.hourly_profile.fill(1);
  s.weekday_profile.fill(1);
  s.worker_types.resize(1);
  WorkerType& t = s.worker_types[0];
  t.name = "worker";
  t.per_cell = 1;
  t.shifts.clear();
  t.handles.clear();
  t.does_visits = false;
  t.patrol_minutes_per_shift = 0;
  t.speed_kmh = kSpeedKmh;
  s.travel = true;
  s.detour_factor = 1.3;
  s.neighbour_help = false;
  s.escalate_at_fraction = 0;
  s.visit_minutes_per_household = 0;
  s.requests_per_household_year = 0.25 * 8760;
  return s;
}

RunOptions travel_options(int threads) {
  RunOptions o;
  o.days = 120;
  o.warmup_days = 5;
  o.replications = 20;
  o.seed = ::gp::testing::test_seed(7);
  o.threads = threads;
  return o;
}

// A U-shaped road: down from A's corner (0,0) to (0,1000), across, back to (100,0) by B.
const std::vector<geo::LineString> kUShapedRoad = {{{0, 0}, {0, 1000}, {100, 1000}, {100, 0}}};

TEST(RoadTravelSimulation, MeanServiceTimeIncludesRoadDistance) {
  // Successive requests come from independently drawn buildings, so half of them make
  // the worker switch buildings: E[S] = handling + 0.5 x distance / speed.
  const double road_m = 5 + 2100 + 5;
  const double straight_m = 100 * 1.3;
  const double v = kSpeedKmh * 1000;
  const double exact_road = kHandlingH + 0.5 * road_m / v;
  const double exact_straight = kHandlingH + 0.5 * straight_m / v;

  const Scenario s = travel_scenario();
  const SimulationResult road = simulate(two_building_plan(kUShapedRoad), s, travel_options(2));
  const Metric& m = road.metric("mean_service_h");
  EXPECT_TRUE(m.value.contains(exact_road))
      << "exact " << exact_road << " outside " << m.value.mean << " ± " << m.value.half_width;
  EXPECT_LT(m.value.half_width, 0.01);

  Scenario straight = s;
  straight.travel_model = Scenario::TravelModel::straight;
  const SimulationResult st =
      simulate(two_building_plan(kUShapedRoad), straight, travel_options(2));
  const Metric& ms = st.metric("mean_service_h");
  EXPECT_TRUE(ms.value.contains(exact_straight))
      << "exact " << exact_straight << " outside " << ms.value.mean << " ± " << ms.value.half_width;
  EXPECT_GT(m.value.mean, ms.value.mean + 0.05);
}

TEST(RoadTravelSimulation, DisconnectedRoadsFallBackToStraightLine) {
  // Two separate stubs, one at each building: no road path between A and B.
  const std::vector<geo::LineString> stubs = {{{0, 0}, {0, 1000}}, {{100, 0}, {100, 1000}}};
  Scenario s = travel_scenario();
  s.road_connect_gap_m = 0; // the stub ends are 100 m apart: keep them apart
  {
    const SimulationResult r = simulate(two_building_plan(stubs), s, travel_options(2));
    EXPECT_EQ(r.roads.components, 2u);
    for (double x : r.metric("road_routed_share").samples) EXPECT_EQ(x, 0.0);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("only 0.0 % of trips were routed"), std::string::npos)
        << r.warnings[0];
  }
  const SimulationResult road = simulate(two_building_plan(stubs), s, travel_options(2));
  s.travel_model = Scenario::TravelModel::straight;
  const SimulationResult straight = simulate(two_building_plan(stubs), s, travel_options(2));
  EXPECT_EQ(road.metric("mean_service_h").samples, straight.metric("mean_service_h").samples);
  EXPECT_EQ(road.metric("utilisation").samples, straight.metric("utilisation").samples);
}

TEST(RoadTravelSimulation, RoutedShareReported) {
  const SimulationResult u =
      simulate(two_building_plan(kUShapedRoad), travel_scenario(), travel_options(2));
  EXPECT_TRUE(u.roads.used);
  EXPECT_EQ(u.roads.components, 1u);
  EXPECT_EQ(u.roads.buildings_on_main_share, 1.0);
  for (double x : u.metric("road_routed_share").samples) EXPECT_EQ(x, 1.0);
  EXPECT_TRUE(u.warnings.empty());
  const SimulationResult none =
      simulate(two_building_plan({}), travel_scenario(), travel_options(2));
  EXPECT_FALSE(none.roads.used);
  EXPECT_TRUE(std::isnan(none.metric("road_routed_share").value.mean));
  EXPECT_TRUE(none.warnings.empty());
}

TEST(RoadTravelSimulation, IsDeterministicWhateverTheThreadCount) {
  const Scenario s = travel_scenario();
  const SimulationResult one = simulate(two_building_plan(kUShapedRoad), s, travel_options(1));
  const SimulationResult two = simulate(two_building_plan(kUShapedRoad), s, travel_options(2));
  ASSERT_EQ(one.overall.size(), two.overall.size());
  for (std::size_t i = 0; i < one.overall.size(); ++i) {
    const auto& a = one.overall[i].samples;
    const auto& b = two.overall[i].samples;
    ASSERT_EQ(a.size(), b.size()) << one.overall[i].name;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (std::isnan(a[k]) && std::isnan(b[k])) continue;
      EXPECT_EQ(a[k], b[k]) << one.overall[i].name << " replication " << k;
    }
  }
  EXPECT_EQ(one.events, two.events);
}

TEST(RoadTravelScenario, ModelKeyIsParsedAndChecked) {
  EXPECT_EQ(Scenario::defaults().travel_model, Scenario::TravelModel::road);
  const Scenario st = parse_scenario("[travel]\nmodel = \"straight\"\n", "t.toml", ".");
  EXPECT_EQ(st.travel_model, Scenario::TravelModel::straight);
  EXPECT_THROW(parse_scenario("[travel]\nmodel = \"air\"\n", "t.toml", "."), InputError);
}

} // namespace
} // namespace gp::sim
