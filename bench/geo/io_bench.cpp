// geo I/O throughput: write_layers (GeoPackage, one transaction per layer, spatial index)
// and read_dataset (read, reproject, repair check, anchors, assignment, estimation) on N
// square buildings in a grid, CGCS2000 GK coordinates.

#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"

namespace {
namespace fs = std::filesystem;
using namespace gp::geo;

Layer buildings(long n) {
  Layer l;
  l.name = "units";
  l.kind = GeometryKind::polygon;
  l.table.fields = {{"building_id", FieldType::text},
                    {"type", FieldType::text},
                    {"floors", FieldType::integer},
                    {"households", FieldType::integer}};
  const long side = static_cast<long>(std::ceil(std::sqrt(static_cast<double>(n))));
  for (long i = 0; i < n; ++i) {
    const double x = 500000 + static_cast<double>(i % side) * 25;
    const double y = 4400000 + static_cast<double>(i / side) * 25;
    l.polygons.push_back(
        {Polygon{{{x, y}, {x + 15, y}, {x + 15, y + 12}, {x, y + 12}, {x, y}}, {}}});
    l.table.rows.push_back({std::string("B") + std::to_string(i), std::string("lowrise"),
                            std::int64_t{6},
                            i % 4 == 0 ? Value{} : Value{static_cast<std::int64_t>(i % 50)}});
  }
  return l;
}

fs::path scratch(const std::string& name) {
  const auto dir = fs::temp_directory_path() / "gridplan-io-bench";
  fs::create_directories(dir);
  return dir / name;
}

void BM_WriteGpkg(benchmark::State& state) {
  const Layer l = buildings(state.range(0));
  WriteOptions o;
  o.geometry_crs = crs_to_wkt("EPSG:4548");
  o.overwrite = true;
  const auto path = scratch("write.gpkg");
  for (auto _ : state) write_layers(path.string(), {l}, o);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  fs::remove(path);
}
BENCHMARK(BM_WriteGpkg)->RangeMultiplier(10)->Range(10000, 1000000)->Unit(benchmark::kMillisecond);

void BM_ReadDataset(benchmark::State& state) {
  const Layer l = buildings(state.range(0));
  WriteOptions o;
  o.geometry_crs = crs_to_wkt("EPSG:4548");
  o.overwrite = true;
  const auto path = scratch("read.gpkg");
  write_layers(path.string(), {l}, o);
  DatasetSources src;
  src.units = SourceSpec{path.string(), "units"};
  for (auto _ : state) benchmark::DoNotOptimize(read_dataset(src, {}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  fs::remove(path);
}
BENCHMARK(BM_ReadDataset)
    ->RangeMultiplier(10)
    ->Range(10000, 1000000)
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
