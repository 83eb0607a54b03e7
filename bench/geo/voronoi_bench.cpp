// Voronoi partition and shared-boundary timings (Google Benchmark).
//   cmake --preset bench && cmake --build --preset bench --target geo_bench
//   build/bench/bench/geo/geo_bench --benchmark_filter=Voronoi
// Sites: random "buildings" (a centre plus 2 points within 3 m) in a square of side
// 25 m * sqrt(sites) (about one building per 625 m2, a dense city), clipped to the square.

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "gp/geo/ops.hpp"

namespace {

using gp::geo::MultiPolygon;
using gp::geo::Point;

struct Scene {
  std::vector<std::vector<Point>> seeds;
  MultiPolygon clip;
};

Scene make_scene(std::size_t sites, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  const double side = 25.0 * std::sqrt(static_cast<double>(sites));
  std::uniform_real_distribution<double> u(0, side), off(-3, 3);
  Scene s;
  s.seeds.resize(sites);
  for (auto& site : s.seeds) {
    const Point c{500000 + u(rng), 4400000 + u(rng)};
    site = {c, {c.x + off(rng), c.y + off(rng)}, {c.x + off(rng), c.y + off(rng)}};
  }
  const double x0 = 500000, y0 = 4400000;
  s.clip = {gp::geo::Polygon{
      {{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}, {}}};
  return s;
}

void BM_VoronoiPartition(benchmark::State& state) {
  const Scene s = make_scene(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto regions = gp::geo::voronoi_partition(s.seeds, s.clip);
    benchmark::DoNotOptimize(regions.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_VoronoiPartition)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_SharedBoundaries(benchmark::State& state) {
  const Scene s = make_scene(static_cast<std::size_t>(state.range(0)));
  const auto regions = gp::geo::voronoi_partition(s.seeds, s.clip);
  for (auto _ : state) {
    auto edges = gp::geo::shared_boundaries(regions);
    benchmark::DoNotOptimize(edges.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SharedBoundaries)
    ->Arg(10000)
    ->Arg(50000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_UnionCoverage(benchmark::State& state) {
  const Scene s = make_scene(static_cast<std::size_t>(state.range(0)));
  const auto regions = gp::geo::voronoi_partition(s.seeds, s.clip);
  std::vector<const MultiPolygon*> parts;
  for (const auto& r : regions) parts.push_back(&r);
  for (auto _ : state) {
    auto u = gp::geo::union_coverage(parts);
    benchmark::DoNotOptimize(u.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UnionCoverage)->Arg(10000)->Arg(50000)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_PolygonIndexContaining(benchmark::State& state) {
  const Scene s = make_scene(static_cast<std::size_t>(state.range(0)));
  const auto regions = gp::geo::voronoi_partition(s.seeds, s.clip);
  std::vector<const MultiPolygon*> parts;
  for (const auto& r : regions) parts.push_back(&r);
  const gp::geo::PolygonIndex index(parts);
  for (auto _ : state) {
    long found = 0;
    for (const auto& site : s.seeds) found += index.containing(site[0]) >= 0 ? 1 : 0;
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PolygonIndexContaining)->Arg(50000)->Unit(benchmark::kMillisecond)->Iterations(1);

} // namespace

BENCHMARK_MAIN();
