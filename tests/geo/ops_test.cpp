// Geometry operations: repair, unions, overlays, Voronoi partition tiling, shared boundaries,
// line crossing and polygon lookup. Properties are measured with areas and lengths.

#include "gp/geo/ops.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {

Ring rect_ring(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}
MultiPolygon rect(double x0, double y0, double x1, double y1) {
  return {Polygon{rect_ring(x0, y0, x1, y1), {}}};
}

std::vector<const MultiPolygon*> ptrs(const std::vector<MultiPolygon>& v) {
  std::vector<const MultiPolygon*> p;
  for (const auto& g : v) p.push_back(&g);
  return p;
}

/// The regions tile `clip`: their areas sum to the clip's, their union equals the clip
/// (symmetric difference ~0) and no two overlap (pairwise intersection areas ~0).
void expect_tiling(const std::vector<MultiPolygon>& regions, const MultiPolygon& clip) {
  const double clip_area = area(clip);
  const double tol = 1e-6 * clip_area;
  double sum = 0;
  for (const auto& r : regions) {
    sum += area(r);
    EXPECT_TRUE(is_valid(r));
  }
  EXPECT_NEAR(sum, clip_area, tol);
  const MultiPolygon u = union_all(ptrs(regions));
  EXPECT_NEAR(area(u), clip_area, tol);
  EXPECT_LT(area(difference(clip, u)) + area(difference(u, clip)), tol);
  double overlap = 0;
  for (std::size_t i = 0; i < regions.size(); ++i)
    for (std::size_t j = i + 1; j < regions.size(); ++j)
      if (bounds(regions[i]).intersects(bounds(regions[j])))
        overlap += intersection_area(regions[i], regions[j]);
  EXPECT_LT(overlap, tol);
}

double nearest_seed_distance(const std::vector<Point>& seeds, Point q) {
  double best = std::numeric_limits<double>::infinity();
  for (const Point& s : seeds) best = std::min(best, std::hypot(s.x - q.x, s.y - q.y));
  return best;
}

/// The Voronoi property: a point of the clip lies in the region of the site with the
/// nearest seed (points within 1e-6 of a tie are skipped).
void expect_nearest_site_owns(const std::vector<std::vector<Point>>& seeds,
                              const std::vector<MultiPolygon>& regions, const MultiPolygon& clip,
                              std::mt19937_64& rng) {
  const Box b = bounds(clip);
  std::uniform_real_distribution<double> ux(b.min_x, b.max_x), uy(b.min_y, b.max_y);
  int checked = 0;
  for (int k = 0; k < 400; ++k) {
    const Point q{ux(rng), uy(rng)};
    if (!contains(clip, q)) continue;
    std::vector<double> d(seeds.size());
    for (std::size_t s = 0; s < seeds.size(); ++s) d[s] = nearest_seed_distance(seeds[s], q);
    std::vector<std::size_t> order(seeds.size());
    for (std::size_t s = 0; s < order.size(); ++s) order[s] = s;
    std::sort(order.begin(), order.end(),
              [&](std::size_t x, std::size_t y) { return d[x] < d[y]; });
    if (order.size() > 1 && d[order[1]] - d[order[0]] < 1e-6) continue;
    EXPECT_TRUE(contains(regions[order[0]], q))
        << "point " << q.x << "," << q.y << " site " << order[0];
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

std::vector<std::vector<Point>> random_seeds(std::size_t sites, const Box& b,
                                             std::mt19937_64& rng) {
  std::uniform_real_distribution<double> ux(b.min_x, b.max_x), uy(b.min_y, b.max_y);
  std::uniform_int_distribution<int> count(1, 4);
  std::vector<std::vector<Point>> seeds(sites);
  for (auto& s : seeds) {
    // A "building": a centre and a few points within 3 m of it.
    const Point c{ux(rng), uy(rng)};
    s.push_back(c);
    const int extra = count(rng) - 1;
    std::uniform_real_distribution<double> off(-3, 3);
    for (int k = 0; k < extra; ++k) s.push_back({c.x + off(rng), c.y + off(rng)});
  }
  return seeds;
}

TEST(Voronoi, TilesSquareAndOwnsNearestPoints) {
  std::mt19937_64 rng(gp::testing::test_seed(7));
  const MultiPolygon clip = rect(0, 0, 1000, 1000);
  const auto seeds = random_seeds(150, bounds(clip), rng);
  const auto regions = voronoi_partition(seeds, clip);
  ASSERT_EQ(regions.size(), seeds.size());
  expect_tiling(regions, clip);
  expect_nearest_site_owns(seeds, regions, clip, rng);
  for (std::size_t s = 0; s < seeds.size(); ++s) {
    EXPECT_FALSE(regions[s].empty()) << s;
    if (contains(clip, seeds[s][0])) {
      EXPECT_TRUE(contains(regions[s], seeds[s][0])) << s;
    }
  }
}

TEST(Voronoi, TilesLShapedClip) {
  std::mt19937_64 rng(gp::testing::test_seed(11));
  const MultiPolygon clip{
      Polygon{{{0, 0}, {600, 0}, {600, 200}, {200, 200}, {200, 600}, {0, 600}, {0, 0}}, {}}};
  const auto seeds = random_seeds(80, bounds(clip), rng); // some seeds fall outside the L
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  expect_nearest_site_owns(seeds, regions, clip, rng);
}

TEST(Voronoi, TilesClipWithHole) {
  std::mt19937_64 rng(gp::testing::test_seed(13));
  const MultiPolygon clip{Polygon{rect_ring(0, 0, 500, 500), {rect_ring(150, 150, 350, 300)}}};
  const auto seeds = random_seeds(60, bounds(clip), rng);
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  expect_nearest_site_owns(seeds, regions, clip, rng);
  // Nothing inside the hole.
  for (const auto& r : regions) EXPECT_FALSE(contains(r, {250, 225}));
}

TEST(Voronoi, TilesTwoPartClipInProjectedCoordinates) {
  // Coordinates of the size of CGCS2000 GK (EPSG:4548) eastings/northings.
  const double x0 = 500000, y0 = 4400000;
  std::mt19937_64 rng(gp::testing::test_seed(17));
  MultiPolygon clip = rect(x0, y0, x0 + 300, y0 + 300);
  clip.push_back(rect(x0 + 400, y0 + 50, x0 + 700, y0 + 250)[0]);
  const auto seeds = random_seeds(70, Box{x0, y0, x0 + 700, y0 + 300}, rng);
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  expect_nearest_site_owns(seeds, regions, clip, rng);
}

TEST(Voronoi, SingleSiteGetsWholeClip) {
  const MultiPolygon clip{Polygon{rect_ring(0, 0, 10, 10), {rect_ring(4, 4, 6, 6)}}};
  for (const auto& s : {std::vector<Point>{{1, 1}}, std::vector<Point>{{1, 1}, {2, 8}, {9, 9}}}) {
    const auto regions = voronoi_partition({s}, clip);
    ASSERT_EQ(regions.size(), 1u);
    EXPECT_NEAR(area(regions[0]), 96.0, 1e-9);
  }
  // Sites without seeds get nothing, the one with seeds everything.
  const auto regions = voronoi_partition({{}, {{3, 3}}, {}}, clip);
  EXPECT_TRUE(regions[0].empty());
  EXPECT_TRUE(regions[2].empty());
  EXPECT_NEAR(area(regions[1]), 96.0, 1e-9);
}

TEST(Voronoi, CollinearSeedsGiveStrips) {
  const MultiPolygon clip = rect(0, 0, 10, 4);
  std::vector<std::vector<Point>> seeds;
  for (int i = 0; i < 5; ++i) seeds.push_back({{1.0 + 2.0 * i, 2.0}});
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(area(regions[static_cast<std::size_t>(i)]), 8.0, 1e-9) << i; // 2 wide x 4 high
    const Box b = bounds(regions[static_cast<std::size_t>(i)]);
    EXPECT_NEAR(b.min_x, 2.0 * i, 1e-9);
    EXPECT_NEAR(b.max_x, 2.0 * i + 2.0, 1e-9);
  }
}

TEST(Voronoi, DuplicateSeedsGoToLowestSiteButNoSiteStarves) {
  const MultiPolygon clip = rect(0, 0, 10, 10);
  // (5,5) is given by sites 0, 1 and 2. Site 0 has another seed, site 1 has none: site 1
  // takes (5,5). Site 2 also has only (5,5) and there is nothing left to give it.
  const std::vector<std::vector<Point>> seeds{{{5, 5}, {1, 1}}, {{5, 5}}, {{5, 5}}, {{9, 9}}};
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  EXPECT_TRUE(contains(regions[1], {5, 5}));
  EXPECT_TRUE(contains(regions[0], {1, 1}));
  EXPECT_FALSE(contains(regions[0], {5.01, 5.01}));
  EXPECT_TRUE(regions[2].empty());
  EXPECT_TRUE(contains(regions[3], {9, 9}));
  // Plain duplicates: the lowest site keeps the position.
  const auto r2 = voronoi_partition({{{2, 2}, {8, 8}}, {{8, 8}, {2, 8}}}, clip);
  expect_tiling(r2, clip);
  EXPECT_TRUE(contains(r2[0], {8, 8}) || contains(r2[0], {8.01, 8.01}));
  EXPECT_TRUE(contains(r2[1], {2, 8}));
}

TEST(Voronoi, SiteSurroundingAnotherHasAHole) {
  const MultiPolygon clip = rect(0, 0, 10, 10);
  std::vector<Point> ring;
  for (int k = 0; k < 12; ++k)
    ring.push_back({5 + 3 * std::cos(k * 0.5236), 5 + 3 * std::sin(k * 0.5236)});
  const auto regions = voronoi_partition({ring, {{5, 5}}}, clip);
  expect_tiling(regions, clip);
  ASSERT_EQ(regions[0].size(), 1u);
  EXPECT_EQ(regions[0][0].holes.size(), 1u);
  EXPECT_TRUE(contains(regions[1], {5, 5}));
  EXPECT_FALSE(contains(regions[0], {5, 5}));
}

TEST(Voronoi, CheckerboardSitesTouchingAtCorners) {
  // Cells of one site meet only at corners (pinch points): regions are multipolygons.
  const MultiPolygon clip = rect(0, 0, 4, 4);
  std::vector<std::vector<Point>> seeds(2);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      seeds[static_cast<std::size_t>((i + j) % 2)].push_back({i + 0.5, j + 0.5});
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  EXPECT_NEAR(area(regions[0]), 8.0, 1e-9);
  EXPECT_NEAR(area(regions[1]), 8.0, 1e-9);
  EXPECT_TRUE(contains(regions[0], {0.5, 0.5}));
  EXPECT_TRUE(contains(regions[1], {1.5, 0.5}));
}

TEST(Voronoi, FootprintVerticesSharedAndNearlyCoincident) {
  // Terraced buildings: a 10 x 10 block of 8 m squares in CGCS2000-sized coordinates, each
  // seeded by its centre and its corners. Neighbours share corners exactly (duplicates
  // across sites), every other row is shifted by 1e-7 m (nearly coincident positions), and
  // the lattice is fully cocircular (degenerate Delaunay).
  const double x0 = 500000, y0 = 4400000;
  std::vector<std::vector<Point>> seeds;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) {
      const double jitter = (r % 2 == 1) ? 1e-7 : 0.0;
      const double x = x0 + 8 * c + jitter, y = y0 + 8 * r;
      seeds.push_back({{x + 4, y + 4}, {x, y}, {x + 8, y}, {x + 8, y + 8}, {x, y + 8}});
    }
  const MultiPolygon clip = rect(x0 - 10, y0 - 10, x0 + 90, y0 + 90);
  const auto regions = voronoi_partition(seeds, clip);
  expect_tiling(regions, clip);
  for (std::size_t s = 0; s < seeds.size(); ++s) {
    EXPECT_TRUE(contains(regions[s], seeds[s][0])) << s;
  }
}

TEST(Voronoi, Deterministic) {
  std::mt19937_64 rng(3);
  const MultiPolygon clip = rect(0, 0, 100, 100);
  const auto seeds = random_seeds(50, bounds(clip), rng);
  EXPECT_EQ(voronoi_partition(seeds, clip), voronoi_partition(seeds, clip));
}

TEST(Voronoi, ConcurrentCallsAgreeWithSequential) {
  // One GEOS context per thread: parallel calls must not interfere.
  std::mt19937_64 rng(9);
  const MultiPolygon clip = rect(0, 0, 300, 300);
  const auto seeds_a = random_seeds(120, bounds(clip), rng);
  const auto seeds_b = random_seeds(120, bounds(clip), rng);
  const auto want_a = voronoi_partition(seeds_a, clip);
  const auto want_b = voronoi_partition(seeds_b, clip);
  std::vector<MultiPolygon> got_a, got_b;
  std::thread ta([&] {
    for (int k = 0; k < 3; ++k) got_a = voronoi_partition(seeds_a, clip);
  });
  std::thread tb([&] {
    for (int k = 0; k < 3; ++k) got_b = voronoi_partition(seeds_b, clip);
  });
  ta.join();
  tb.join();
  EXPECT_EQ(got_a, want_a);
  EXPECT_EQ(got_b, want_b);
}

TEST(MakeValid, RepairsBowTie) {
  MultiPolygon bowtie{Polygon{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}, {}}};
  EXPECT_FALSE(is_valid(bowtie));
  EXPECT_TRUE(make_valid(bowtie));
  EXPECT_TRUE(is_valid(bowtie));
  EXPECT_EQ(bowtie.size(), 2u);          // two triangles
  EXPECT_NEAR(area(bowtie), 2.0, 1e-12); // each of area 1

  MultiPolygon square = rect(0, 0, 1, 1);
  const MultiPolygon before = square;
  EXPECT_FALSE(make_valid(square));
  EXPECT_EQ(square, before);

  // A hole crossing its shell's edge is subtracted where it overlaps the shell (structure
  // method), not XOR-ed with it: 16 - 1x2.
  MultiPolygon bad_hole{Polygon{rect_ring(0, 0, 4, 4), {rect_ring(3, 1, 5, 3)}}};
  EXPECT_FALSE(is_valid(bad_hole));
  EXPECT_TRUE(make_valid(bad_hole));
  EXPECT_TRUE(is_valid(bad_hole));
  EXPECT_NEAR(area(bad_hole), 14.0, 1e-12);
  // Degenerate rings (fewer than 3 distinct points) are dropped and reported as a repair.
  MultiPolygon degenerate{Polygon{rect_ring(0, 0, 1, 1), {}},
                          Polygon{{{5, 5}, {6, 6}, {5, 5}}, {}}};
  EXPECT_TRUE(make_valid(degenerate));
  EXPECT_EQ(degenerate.size(), 1u);
  EXPECT_NEAR(area(degenerate), 1.0, 1e-12);
}

TEST(Union, CoverageOfGridIsOuterSquare) {
  std::vector<MultiPolygon> cells;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) cells.push_back(rect(i, j, i + 1, j + 1));
  const MultiPolygon u = union_coverage(ptrs(cells));
  ASSERT_EQ(u.size(), 1u);
  EXPECT_TRUE(u[0].holes.empty());
  EXPECT_NEAR(area(u), 16.0, 1e-12);
  EXPECT_NEAR(perimeter(u), 16.0, 1e-12); // no internal edges left
  // Overlapping input is not a coverage: the fallback still gives the true union.
  const std::vector<MultiPolygon> overlapping{rect(0, 0, 1, 1), rect(0.5, 0.5, 1.5, 1.5)};
  EXPECT_NEAR(area(union_coverage(ptrs(overlapping))), 1.75, 1e-12);
  EXPECT_NEAR(area(union_all(ptrs(overlapping))), 1.75, 1e-12);
}

TEST(Union, CoverageUnionIsTheTrueUnionOfRandomCoverages) {
  // Jittered grids (neighbours share exact vertices), random subsets (holes, several
  // parts, cells touching at a corner), some cells with a hole filled by another cell, some
  // split in two (T-junctions with their neighbours): union_coverage agrees with the
  // general union in area and shape, and is valid.
  std::mt19937_64 rng(gp::testing::test_seed(23));
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 2 + static_cast<int>(rng() % 5);
    std::uniform_real_distribution<double> jitter(-0.3, 0.3);
    std::vector<std::vector<Point>> grid(n + 1, std::vector<Point>(n + 1));
    for (int i = 0; i <= n; ++i)
      for (int j = 0; j <= n; ++j) {
        const bool border = i == 0 || j == 0 || i == n || j == n;
        grid[i][j] = {i + (border ? 0 : jitter(rng)), j + (border ? 0 : jitter(rng))};
      }
    std::vector<MultiPolygon> cells;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (rng() % 4 == 0) continue;
        const Point a = grid[i][j], b = grid[i + 1][j], c = grid[i + 1][j + 1], d = grid[i][j + 1];
        switch (rng() % 6) {
        case 0: { // split in two along the diagonal a-c
          cells.push_back({Polygon{{a, b, c, a}, {}}});
          cells.push_back({Polygon{{a, c, d, a}, {}}});
          break;
        }
        case 1: { // a hole, filled by a cell of its own
          const Point m{(a.x + c.x) / 2, (a.y + c.y) / 2};
          Ring hole{{m.x - 0.1, m.y - 0.1},
                    {m.x - 0.1, m.y + 0.1},
                    {m.x + 0.1, m.y + 0.1},
                    {m.x + 0.1, m.y - 0.1},
                    {m.x - 0.1, m.y - 0.1}};
          cells.push_back({Polygon{{a, b, c, d, a}, {hole}}});
          if (rng() % 2 == 0) cells.push_back({Polygon{hole, {}}});
          break;
        }
        default:
          cells.push_back({Polygon{{a, b, c, d, a}, {}}});
        }
      }
    if (cells.empty()) continue;
    std::shuffle(cells.begin(), cells.end(), rng);
    const MultiPolygon got = union_coverage(ptrs(cells));
    const MultiPolygon want = union_all(ptrs(cells));
    EXPECT_TRUE(is_valid(got)) << "trial " << trial;
    EXPECT_NEAR(area(got), area(want), 1e-9) << "trial " << trial;
    EXPECT_NEAR(area(difference(want, got)) + area(difference(got, want)), 0.0, 1e-9)
        << "trial " << trial;
  }
}

TEST(Overlay, IntersectionDifferenceDistance) {
  const MultiPolygon a = rect(0, 0, 2, 2), b = rect(1, 1, 3, 3);
  EXPECT_NEAR(area(intersection(a, b)), 1.0, 1e-12);
  EXPECT_NEAR(intersection_area(a, b), 1.0, 1e-12);
  EXPECT_NEAR(area(difference(a, b)), 3.0, 1e-12);
  EXPECT_TRUE(intersection(a, rect(5, 5, 6, 6)).empty());
  EXPECT_NEAR(distance(a, {5, 2}), 3.0, 1e-12);
  EXPECT_NEAR(distance(a, {1, 1}), 0.0, 1e-12);
  // A U shape whose centroid is outside: point_on_surface is inside.
  const MultiPolygon u{
      Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}, {}}};
  EXPECT_FALSE(contains(u, centroid(u)));
  EXPECT_TRUE(contains(u, point_on_surface(u)));
  EXPECT_THROW(point_on_surface(MultiPolygon{}), gp::Error);
}

TEST(SharedBoundaries, GridGivesRookEdgesOnly) {
  std::vector<MultiPolygon> cells; // index = 3*row + col
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) cells.push_back(rect(c, r, c + 1, r + 1));
  const auto edges = shared_boundaries(cells);
  std::set<std::pair<std::uint32_t, std::uint32_t>> expected;
  for (std::uint32_t r = 0; r < 3; ++r)
    for (std::uint32_t c = 0; c < 3; ++c) {
      if (c < 2) expected.insert({3 * r + c, 3 * r + c + 1});
      if (r < 2) expected.insert({3 * r + c, 3 * (r + 1) + c});
    }
  ASSERT_EQ(expected.size(), 12u);
  std::set<std::pair<std::uint32_t, std::uint32_t>> got;
  for (const auto& e : edges) {
    EXPECT_LT(e.a, e.b);
    EXPECT_NEAR(e.length_m, 1.0, 1e-12);
    got.insert({e.a, e.b});
  }
  EXPECT_EQ(edges.size(), 12u);
  EXPECT_EQ(got, expected);
}

TEST(SharedBoundaries, TJunctionsAndThreshold) {
  // A 2x1 rectangle below two unit squares: its top edge has no vertex at x=1.
  const std::vector<MultiPolygon> polys{rect(0, 0, 2, 1), rect(0, 1, 1, 2), rect(1, 1, 2, 2),
                                        rect(2, 2, 3, 3) /* corner contact only */};
  const auto edges = shared_boundaries(polys);
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_EQ(edges[0].a, 0u);
  EXPECT_EQ(edges[0].b, 1u);
  EXPECT_NEAR(edges[0].length_m, 1.0, 1e-12);
  EXPECT_EQ(edges[1].a, 0u);
  EXPECT_EQ(edges[1].b, 2u);
  EXPECT_NEAR(edges[1].length_m, 1.0, 1e-12);
  EXPECT_EQ(edges[2].a, 1u);
  EXPECT_EQ(edges[2].b, 2u);
  // A partial overlap of edges counts only the shared part; a threshold filters it.
  const std::vector<MultiPolygon> offset{rect(0, 0, 1, 1), rect(1, 0.75, 2, 1.75)};
  const auto e2 = shared_boundaries(offset);
  ASSERT_EQ(e2.size(), 1u);
  EXPECT_NEAR(e2[0].length_m, 0.25, 1e-12);
  EXPECT_TRUE(shared_boundaries(offset, 0.5).empty());
}

TEST(SharedBoundaries, VoronoiRegionsNeighbours) {
  // Regions of a Voronoi partition: every pair sharing an edge is found, with lengths that
  // add up to the internal boundary (total perimeter minus clip perimeter, halved).
  std::mt19937_64 rng(gp::testing::test_seed(5));
  const MultiPolygon clip = rect(0, 0, 200, 200);
  const auto regions = voronoi_partition(random_seeds(40, bounds(clip), rng), clip);
  const auto edges = shared_boundaries(regions);
  double shared = 0;
  for (const auto& e : edges) shared += e.length_m;
  double total = 0;
  for (const auto& r : regions) total += perimeter(r);
  EXPECT_NEAR(shared, (total - perimeter(clip)) / 2, 1e-6 * total);
}

// Real data: the 295 New Hampshire census tracts (NAD83) and their published rook adjacency
// graph (GerryChain dual graph, 786 edges). shared_boundaries on the tracts projected to
// UTM 19N must find the same pairs.
TEST(SharedBoundaries, NewHampshireTractsMatchPublishedDualGraph) {
  GP_REQUIRE_SHARED_DATA(shp, "us-tracts/NH_tract.shp");
  GP_REQUIRE_SHARED_DATA(graph_path, "us-tracts/NH_tract_dual_graph.json");
  const Layer tracts = read_layer(shp.string(), "NH_tract", "EPSG:32619");
  ASSERT_EQ(tracts.polygons.size(), 295u);
  const int geoid_field = tracts.table.find("GEOID10");
  ASSERT_GE(geoid_field, 0);
  std::map<std::string, std::uint32_t> index_of;
  for (std::uint32_t i = 0; i < tracts.table.rows.size(); ++i)
    index_of[std::get<std::string>(tracts.table.rows[i][static_cast<std::size_t>(geoid_field)])] =
        i;

  std::ifstream in(graph_path);
  const auto graph = nlohmann::json::parse(in);
  std::map<long, std::uint32_t> tract_of_node;
  for (const auto& node : graph["nodes"])
    tract_of_node[node["id"].get<long>()] = index_of.at(node["GEOID10"].get<std::string>());
  std::set<std::pair<std::uint32_t, std::uint32_t>> expected;
  const auto& nodes = graph["nodes"];
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const std::uint32_t a = tract_of_node.at(nodes[k]["id"].get<long>());
    for (const auto& nb : graph["adjacency"][k]) {
      const std::uint32_t b = tract_of_node.at(nb["id"].get<long>());
      expected.insert({std::min(a, b), std::max(a, b)});
    }
  }
  ASSERT_EQ(expected.size(), 786u);

  const auto edges = shared_boundaries(tracts.polygons);
  std::set<std::pair<std::uint32_t, std::uint32_t>> got;
  for (const auto& e : edges) got.insert({e.a, e.b});
  std::vector<std::pair<std::uint32_t, std::uint32_t>> missing, extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  EXPECT_TRUE(missing.empty()) << missing.size() << " published pairs not found";
  EXPECT_TRUE(extra.empty()) << extra.size() << " pairs not in the published graph";
}

TEST(LineIndex, CrossingCases) {
  const LineIndex idx({{{0, 0}, {5, 0}, {10, 0}}, {{20, -5}, {20, 5}}});
  EXPECT_TRUE(idx.crosses({3, -1}, {3, 1}));    // proper crossing
  EXPECT_TRUE(idx.crosses({5, -1}, {5, 1}));    // through a vertex of the line
  EXPECT_TRUE(idx.crosses({15, 0}, {25, 1}));   // second line
  EXPECT_TRUE(idx.crosses({2, 0}, {3, 0}));     // running along the line
  EXPECT_FALSE(idx.crosses({3, 1}, {4, 2}));    // above
  EXPECT_FALSE(idx.crosses({3, 1}, {3, 0}));    // ends on the line
  EXPECT_FALSE(idx.crosses({11, -1}, {11, 1})); // beyond its end
  EXPECT_FALSE(idx.crosses({10, 0}, {11, 0}));  // collinear, touching the end only
  EXPECT_TRUE(idx.crosses({9, -1}, {11, 1}));   // passes through the end point (10,0)
  EXPECT_FALSE(LineIndex({}).crosses({0, 0}, {1, 1}));
}

TEST(PolygonIndex, ContainmentNearestAndBoxes) {
  std::vector<MultiPolygon> cells; // index = 3*row + col, unit squares
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) cells.push_back(rect(c, r, c + 1, r + 1));
  MultiPolygon empty;
  auto p = ptrs(cells);
  p.push_back(&empty); // index 9: never found
  const PolygonIndex idx(p);
  for (long r = 0; r < 3; ++r)
    for (long c = 0; c < 3; ++c)
      EXPECT_EQ(idx.containing({static_cast<double>(c) + 0.5, static_cast<double>(r) + 0.5}),
                3 * r + c);
  EXPECT_EQ(idx.containing({1.0, 0.5}), 0); // on the edge between 0 and 1: lowest
  EXPECT_EQ(idx.containing({1.0, 1.0}), 0); // corner of 0,1,3,4
  EXPECT_EQ(idx.containing({-0.5, 0.5}), -1);
  EXPECT_EQ(idx.nearest({3.4, 1.5}, 1.0), 5);  // right of cell 5
  EXPECT_EQ(idx.nearest({3.4, 1.5}, 0.3), -1); // too far
  EXPECT_EQ(idx.nearest({3.5, 3.5}, 1.0), 8);  // diagonal distance 0.707
  EXPECT_EQ(idx.nearest({1.5, 1.5}, 0.0), 4);  // inside
  const auto q = idx.query(Box{0.2, 0.2, 1.5, 0.8});
  EXPECT_EQ(q, (std::vector<std::size_t>{0, 1}));
}

} // namespace
} // namespace gp::geo
