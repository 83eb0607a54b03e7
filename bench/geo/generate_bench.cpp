// Demo city generation (and GeoPackage writing) timings (Google Benchmark).
//   cmake --preset bench && cmake --build --preset bench --target generate_bench
//   build/bench/bench/geo/generate_bench
// BM_GenerateCity/N: generate_city with --buildings N (in memory, layers freed each time).
// BM_GenerateAndWriteCity/N: the same plus write_layers to a GeoPackage in /tmp.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "gp/geo/demo_city.hpp"
#include "gp/geo/io.hpp"

namespace {

void BM_GenerateCity(benchmark::State& state) {
  gp::geo::CityParams params;
  params.buildings = state.range(0);
  std::size_t households = 0;
  for (auto _ : state) {
    const auto city = gp::geo::generate_city(params);
    households = static_cast<std::size_t>(city.stats.households);
    benchmark::DoNotOptimize(city.layers.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["households"] = static_cast<double>(households);
}
BENCHMARK(BM_GenerateCity)
    ->RangeMultiplier(4)
    ->Range(1 << 12, 1 << 20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_GenerateAndWriteCity(benchmark::State& state) {
  gp::geo::CityParams params;
  params.buildings = state.range(0);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("gp_generate_bench_" + std::to_string(::getpid()) + ".gpkg"))
                               .string();
  gp::geo::WriteOptions write;
  write.geometry_crs = gp::geo::demo_city_crs;
  write.overwrite = true;
  for (auto _ : state) {
    const auto city = gp::geo::generate_city(params);
    gp::geo::write_layers(path, city.layers, write);
  }
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GenerateAndWriteCity)
    ->RangeMultiplier(8)
    ->Range(1 << 14, 1 << 20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

} // namespace

BENCHMARK_MAIN();
