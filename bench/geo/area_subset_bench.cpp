// What reading units by community costs (geo::AreaSubset, the ranks of `mpirun gridplan
// plan`): the full read; one rank's communities read at once (as ranks read today); and
// the same communities read one job at a time (what a dynamic, ask-for-the-next-community
// deal would need), sampled. Figures in docs/design/scale.md.
//
// Usage: area_subset_bench CITY.gpkg [RANKS (default 2)] [SAMPLE (default 64)]
// (a city from `gridplan generate`; rank 1 of RANKS is measured).

#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>

#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "gp/geo/io.hpp"

namespace {
using namespace gp::geo;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

Dataset read_subset(const DatasetSources& sources, const Dataset& full,
                    std::vector<std::string> codes) {
  ReadOptions o;
  o.only_areas = AreaSubset{std::move(codes), full.work_crs, full.report.units_name_compounds};
  return read_dataset(sources, o);
}

} // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    fmt::print(stderr, "usage: area_subset_bench CITY.gpkg [RANKS] [SAMPLE]\n");
    return 1;
  }
  const auto sources = DatasetSources::city(argv[1]);
  const int ranks = argc > 2 ? std::atoi(argv[2]) : 2;
  const std::size_t sample = argc > 3 ? static_cast<std::size_t>(std::atol(argv[3])) : 64;

  auto t = Clock::now();
  const Dataset full = read_dataset(sources, {});
  const double full_s = seconds_since(t);
  std::map<std::string, double> units;
  for (const auto& u : full.units) units[u.area_code] += 1;
  std::vector<std::string> codes;
  std::vector<double> sizes;
  for (const auto& a : full.areas)
    if (a.level == AreaLevel::community) {
      codes.push_back(a.code);
      sizes.push_back(units[a.code]);
    }
  const auto owner = gp::deal_jobs(sizes, ranks);
  std::vector<std::string> mine;
  for (std::size_t j = 0; j < codes.size(); ++j)
    if (owner[j] == 1 % ranks) mine.push_back(codes[j]);
  if (mine.empty() || sample == 0) throw gp::Error("nothing to measure");

  t = Clock::now();
  const Dataset batch = read_subset(sources, full, mine);
  const double batch_s = seconds_since(t);
  // What every subset read costs besides its units: areas, compounds, barriers,
  // facilities, assignment index, calibration.
  const int fixed_runs = 5;
  t = Clock::now();
  for (int k = 0; k < fixed_runs; ++k) read_subset(sources, full, {});
  const double fixed_s = seconds_since(t) / fixed_runs;
  double one_s = 0, one_read = 0, one_kept = 0;
  const std::size_t n = std::min(sample, mine.size());
  for (std::size_t k = 0; k < n; ++k) {
    t = Clock::now();
    const Dataset d = read_subset(sources, full, {mine[k * mine.size() / n]});
    one_s += seconds_since(t);
    one_read += static_cast<double>(d.report.features_read);
    one_kept += static_cast<double>(d.units.size());
  }
  const auto per_community_ms = [&](double s, double count) { return 1000 * s / count; };
  fmt::print("full read: {:.3f} s, {} unit features\n", full_s, full.report.features_read);
  fmt::print("rank 1 of {}: {} communities, {} units\n", ranks, mine.size(), batch.units.size());
  fmt::print("  at once:        {:.3f} s = {:.2f} ms a community; {} features read for {} units "
             "({:.1f} % more)\n",
             batch_s, per_community_ms(batch_s, static_cast<double>(mine.size())),
             batch.report.features_read, batch.units.size(),
             100.0 * (static_cast<double>(batch.report.features_read) /
                          static_cast<double>(batch.units.size()) -
                      1));
  fmt::print("  one at a time:  {:.2f} ms a community ({} sampled), of which {:.2f} ms reading "
             "areas, compounds, barriers, facilities; {:.0f} features read for {:.0f} units "
             "({:.1f} % more)\n",
             per_community_ms(one_s, static_cast<double>(n)), n, 1000 * fixed_s, one_read, one_kept,
             100.0 * (one_read / one_kept - 1));
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "area_subset_bench: {}\n", e.what());
  return 2;
}
