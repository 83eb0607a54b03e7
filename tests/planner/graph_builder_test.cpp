// Graph building from geometry: Voronoi regions tile the area, adjacency from shared
// boundaries, tiling detection, barriers, islands and derived areas.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/graph_builder.hpp"
#include "synthetic_city.hpp"

namespace gp::planner {
namespace {

std::vector<std::uint32_t> all_units(const geo::Dataset& ds) {
  std::vector<std::uint32_t> u(ds.units.size());
  std::iota(u.begin(), u.end(), 0u);
  return u;
}

UnitValues households_of(const geo::Dataset& ds) {
  UnitValues v;
  v.balance = unit_field_values(ds, "households");
  return v;
}

double sum_region_area(const AreaGraph& g) {
  double s = 0;
  for (const auto& r : g.regions) s += geo::area(r);
  return s;
}

TEST(GraphBuilder, VoronoiRegionsTileTheAreaAndHoldTheirBuilding) {
  const auto ds = testing::city_with_hole();
  const auto g = build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds),
                                  nullptr, GraphBuildOptions{});
  EXPECT_FALSE(g.tiling);
  ASSERT_EQ(g.regions.size(), ds.units.size());
  const double area = geo::area(ds.areas[0].geometry);
  EXPECT_NEAR(sum_region_area(g), area, 1e-6 * area);
  std::vector<const geo::MultiPolygon*> parts;
  for (const auto& r : g.regions) parts.push_back(&r);
  const auto u = geo::union_coverage(parts);
  EXPECT_NEAR(geo::area(u), area, 1e-6 * area);
  EXPECT_NEAR(geo::area(geo::difference(u, ds.areas[0].geometry)), 0.0, 1e-3);
  for (std::size_t v = 0; v < g.regions.size(); ++v) {
    const auto& unit = ds.units[g.units[v]];
    EXPECT_TRUE(geo::contains(g.regions[v], unit.anchor)) << "unit " << v;
    // The footprint lies (almost) entirely in its own region.
    EXPECT_GT(geo::intersection_area(g.regions[v], unit.geometry), 0.95 * geo::area(unit.geometry))
        << "unit " << v;
  }
  // One connected component; every edge has a positive shared length.
  EXPECT_EQ(g.components, 1u);
  for (double len : g.graph.edge_length) EXPECT_GT(len, 0.0);
  // Symmetric CSR.
  for (std::uint32_t v = 0; v < g.graph.vertex_count(); ++v)
    for (auto k = g.graph.offsets[v]; k < g.graph.offsets[v + 1]; ++k) {
      const auto w = g.graph.targets[k];
      const auto b = g.graph.targets.begin();
      EXPECT_TRUE(std::find(b + g.graph.offsets[w], b + g.graph.offsets[w + 1], v) !=
                  b + g.graph.offsets[w + 1]);
    }
}

TEST(GraphBuilder, ParcelsAreDetectedAsTilingWithRookAdjacency) {
  const auto ds = testing::tiling_city();
  const auto g = build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds),
                                  nullptr, GraphBuildOptions{});
  EXPECT_TRUE(g.tiling);
  // 24 x 16 parcels: 23*16 horizontal + 24*15 vertical neighbours; corners do not count.
  EXPECT_EQ(g.graph.edge_count(), 23u * 16u + 24u * 15u);
  const double w = 1200.0 / 24, h = 800.0 / 16;
  for (std::uint32_t v = 0; v < g.graph.vertex_count(); ++v)
    for (auto k = g.graph.offsets[v]; k < g.graph.offsets[v + 1]; ++k) {
      const double len = g.graph.edge_length[k];
      EXPECT_TRUE(std::abs(len - w) < 1e-6 || std::abs(len - h) < 1e-6) << len;
    }
  // Forcing buildings gives Voronoi regions instead, still tiling the area.
  GraphBuildOptions forced;
  forced.kind = UnitKind::buildings;
  const auto b = build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds),
                                  nullptr, forced);
  EXPECT_FALSE(b.tiling);
  EXPECT_NEAR(sum_region_area(b), geo::area(ds.areas[0].geometry), 1e-3);
}

TEST(GraphBuilder, BarrierEdgesAreThoseWhoseAnchorsAreOnBothSides) {
  const auto ds = testing::barrier_city();
  std::vector<geo::LineString> lines;
  for (const auto& b : ds.barriers) lines.push_back(b.geometry);
  const geo::LineIndex index(lines);
  const auto g = build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds),
                                  &index, GraphBuildOptions{});
  const double road_y = 4420000 + 610;
  std::size_t flagged = 0, road_crossings = 0;
  for (std::uint32_t v = 0; v < g.graph.vertex_count(); ++v)
    for (auto k = g.graph.offsets[v]; k < g.graph.offsets[v + 1]; ++k) {
      const auto w = g.graph.targets[k];
      const auto a = g.graph.position[v], b = g.graph.position[w];
      const bool crosses_road = (a.y - road_y) * (b.y - road_y) < 0;
      road_crossings += crosses_road ? 1 : 0;
      flagged += g.graph.edge_barrier[k];
      if (crosses_road) {
        EXPECT_EQ(g.graph.edge_barrier[k], 1) << v << "-" << w;
      }
      EXPECT_EQ(g.graph.edge_barrier[k], index.crosses(a, b) ? 1 : 0);
    }
  EXPECT_GT(road_crossings, 20u);
  EXPECT_GT(flagged, road_crossings); // the river adds more
}

TEST(GraphBuilder, IslandsBelowTheMinimumAreBridgedLargeOnesStayApart) {
  const auto ds = testing::multipart_city();
  GraphBuildOptions o;
  o.join_components_below = 300;
  const auto g =
      build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds), nullptr, o);
  EXPECT_EQ(g.components, 3u); // mainland, large island, small island
  EXPECT_EQ(g.bridges, 1u);
  std::uint32_t after = 0;
  connected_components(g.graph, after);
  EXPECT_EQ(after, 2u);
  // Every unit is a vertex; the regions still tile the three parts.
  EXPECT_EQ(g.graph.vertex_count(), ds.units.size());
  EXPECT_NEAR(sum_region_area(g), geo::area(ds.areas[0].geometry), 1e-3);
  // Without joining, the three components stay apart.
  const auto apart = build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds),
                                      nullptr, GraphBuildOptions{});
  connected_components(apart.graph, after);
  EXPECT_EQ(after, 3u);
}

TEST(GraphBuilder, PointBuildingsAndDuplicatePointsAllJoinTheGraph) {
  auto ds = testing::point_city();
  // A second building at exactly the position of the first one.
  auto dup = ds.units.front();
  dup.source_fid = 99999;
  ds.units.push_back(dup);
  ds.unit_attributes.rows.push_back(ds.unit_attributes.rows.front());
  const auto g = build_area_graph(ds, all_units(ds), &ds.areas[0].geometry, households_of(ds),
                                  nullptr, GraphBuildOptions{});
  EXPECT_FALSE(g.tiling);
  EXPECT_EQ(g.graph.vertex_count(), ds.units.size());
  std::uint32_t comps = 0;
  connected_components(g.graph, comps);
  EXPECT_EQ(comps, 1u);
  EXPECT_NEAR(sum_region_area(g), geo::area(ds.areas[0].geometry), 1e-3);
  const auto last = static_cast<std::uint32_t>(ds.units.size() - 1);
  EXPECT_GT(g.graph.offsets[last + 1] - g.graph.offsets[last], 0u); // linked to a neighbour
}

TEST(GraphBuilder, DerivedAreaIsTheUnionOfReachLimitedRegions) {
  auto ds = testing::square_city(400);
  const auto g =
      build_area_graph(ds, all_units(ds), nullptr, households_of(ds), nullptr, GraphBuildOptions{});
  EXPECT_TRUE(g.derived_area);
  EXPECT_NEAR(sum_region_area(g), geo::area(g.area), 1e-6 * geo::area(g.area));
  // Every footprint lies inside the derived area, which reaches no further than 50 m
  // beyond the buildings' hull.
  for (const auto& u : ds.units)
    EXPECT_NEAR(geo::intersection_area(g.area, u.geometry), geo::area(u.geometry), 1e-6);
  const auto box = geo::bounds(g.area);
  geo::Box units_box = geo::Box::none();
  for (const auto& u : ds.units) units_box.expand(geo::bounds(u.geometry));
  EXPECT_LE(box.max_x, units_box.max_x + 50 + 1e-6);
  EXPECT_GE(box.min_y, units_box.min_y - 50 - 1e-6);
  EXPECT_GT(box.max_x, units_box.max_x + 40);
}

TEST(GraphBuilder, ConvexHullOfASquareWithInteriorPoints) {
  const auto h = convex_hull({{0, 0}, {2, 0}, {2, 2}, {0, 2}, {1, 1}, {1, 0}, {0.5, 1.5}});
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h.front(), h.back());
  EXPECT_DOUBLE_EQ(geo::area(geo::Polygon{h, {}}), 4.0);
  EXPECT_TRUE(convex_hull({{0, 0}, {1, 1}, {2, 2}}).empty()); // collinear
}

TEST(GraphBuilder, FieldValuesComeFromTheModelOrTheAttributes) {
  auto ds = testing::square_city(200);
  const auto hh = unit_field_values(ds, "households");
  const auto by_attr = unit_field_values(ds, "building_id");
  ASSERT_EQ(hh.size(), ds.units.size());
  for (std::size_t i = 0; i < ds.units.size(); ++i) {
    EXPECT_EQ(hh[i], ds.units[i].households);
    EXPECT_EQ(by_attr[i], static_cast<double>(i + 1));
  }
  EXPECT_THROW(unit_field_values(ds, "no_such_field"), UsageError);
  try {
    unit_field_values(ds, "type");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not numeric"), std::string::npos) << e.what();
    EXPECT_EQ(e.feature(), ds.units[0].source_fid);
  }
}

} // namespace
} // namespace gp::planner
