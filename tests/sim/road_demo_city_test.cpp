// The road model on the generated demo city (`gridplan generate --seed 1`): with crossings
// noded, points snapped to segments and dead ends joined within the default gap, at least
// 95 % of the buildings reach the main part of the network. Regression (issue 12): the
// network had 57 components and 198 of 2,015 homes on the main one.

#include <gtest/gtest.h>

#include <string>

#include "../../sim/src/road_network.hpp" // private to sim/, tested directly
#include "gp/geo/demo_city.hpp"
#include "gp/sim/scenario.hpp"

namespace gp::sim {
namespace {

const geo::Layer& layer(const geo::GeneratedCity& city, const std::string& name) {
  for (const auto& l : city.layers)
    if (l.name == name) return l;
  throw std::out_of_range(name);
}

TEST(RoadDemoCity, MostBuildingsOnTheMainComponent) {
  geo::CityParams params; // the demo's defaults, seed 1
  const geo::GeneratedCity city = geo::generate_city(params);
  const geo::Layer& barriers = layer(city, "barriers");
  const int kind = barriers.table.find("kind");
  ASSERT_GE(kind, 0);
  std::vector<geo::LineString> roads;
  for (std::size_t i = 0; i < barriers.lines.size(); ++i) {
    const auto& v = barriers.table.rows[i][static_cast<std::size_t>(kind)];
    if (!std::holds_alternative<std::string>(v) || std::get<std::string>(v) != "road") continue;
    for (const auto& l : barriers.lines[i]) roads.push_back(l);
  }
  ASSERT_FALSE(roads.empty());
  const geo::Layer& units = layer(city, "units");
  ASSERT_FALSE(units.polygons.empty());
  auto share_on_main = [&](const RoadNetwork& net) {
    std::size_t on = 0;
    for (const auto& poly : units.polygons)
      on += net.on_main_component(net.snap(geo::centroid(poly)));
    return static_cast<double>(on) / static_cast<double>(units.polygons.size());
  };
  const RoadNetwork net(roads, 0.5, true, Scenario::defaults().road_connect_gap_m);
  const double share = share_on_main(net);
  EXPECT_GE(share, 0.95) << net.component_count() << " components";
  // Noding alone already joins crossing lanes; the vertex-only graph of before does not.
  const RoadNetwork raw(roads, 0.5, false, 0);
  EXPECT_GT(raw.component_count(), net.component_count());
  RecordProperty("buildings_on_main_share", std::to_string(share));
}

} // namespace
} // namespace gp::sim
