// `gridplan generate`: write the seeded synthetic demo city (GeoPackage, EPSG:4548) and
// print a short summary. See docs/user/generate.md.

#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/demo_city.hpp"
#include "gp/geo/io.hpp"
#include "output.hpp"
#include "output_flags.hpp"
#include "progress.hpp"

namespace gp::cli {
namespace {

struct GenerateFlags {
  std::string out;
  LayerOutputFlags output;
  std::uint64_t seed = 1;
  std::int64_t households = 0; // 0: not given
  std::int64_t buildings = 0;  // 0: not given
  std::string format;
  bool overwrite = false;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// 1234567 -> "1,234,567".
std::string grouped(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return v < 0 ? "-" + out : out;
}

void run_generate(const GenerateFlags& flags, const GlobalOptions& global) {
  geo::CityParams params;
  params.seed = flags.seed;
  if (flags.households > 0) params.households = flags.households;
  params.buildings = flags.buildings;

  geo::WriteOptions write = flags.output.write_options(flags.out, plan_formats(), "generate");
  const std::string target = flags.output.target(flags.out);
  write.geometry_crs = geo::demo_city_crs;
  write.overwrite = flags.overwrite;
  // Fail before generating when the output cannot be written (write_layers checks again).
  check_layers_output(target, write.format, several_layers, {}, flags.overwrite);

  ProgressBar bar(global.quiet || global.json);
  const auto start = std::chrono::steady_clock::now();
  const geo::GeneratedCity city = geo::generate_city(
      params, [&bar](double f, const std::string& label) { bar.update(0.3 * f, label); });
  const double generate_s = seconds_since(start);
  write.progress = [&bar](double f, const std::string& label) { bar.update(0.3 + 0.7 * f, label); };
  const auto write_start = std::chrono::steady_clock::now();
  geo::write_layers(target, city.layers, write);
  const double write_s = seconds_since(write_start);
  bar.finish();

  const geo::CityStats& st = city.stats;
  if (global.json) {
    nlohmann::ordered_json j;
    j["output"] = shown(target);
    j["crs"] = geo::demo_city_crs;
    j["seed"] = flags.seed;
    j["district"] = {{"code", st.district_code}, {"name", st.district_name}};
    j["area_km2"] = st.area_km2;
    j["streets"] = st.streets;
    j["communities"] = st.communities;
    j["old_quarter_communities"] = st.old_quarter_communities;
    j["community_with_hole"] = st.hole_community;
    j["multipart_community"] = st.multipart_community;
    j["compounds"] = st.compounds;
    j["buildings"] = st.buildings;
    j["residential_buildings"] = st.residential_buildings;
    j["households"] = st.households;
    j["households_given"] = st.households_given;
    j["buildings_with_null_households"] = st.null_household_buildings;
    j["roads_km"] = st.roads_km;
    j["river_km"] = st.river_km;
    j["rail_km"] = st.rail_km;
    j["facilities"] = st.facilities;
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const auto& l : city.layers)
      layers.push_back({{"name", l.name}, {"features", l.table.rows.size()}});
    j["layers"] = layers;
    j["seconds_generate"] = generate_s;
    j["seconds_write"] = write_s;
    fmt::print("{}\n", j.dump(2));
    return;
  }
  if (global.quiet) return;
  fmt::print("demo city (seed {}):\n", flags.seed);
  fmt::print("  district     {} ({}), {:.1f} km2\n", st.district_name, st.district_code,
             st.area_km2);
  fmt::print("  streets      {}\n", grouped(static_cast<long long>(st.streets)));
  fmt::print("  communities  {} ({} old 平房 quarter",
             grouped(static_cast<long long>(st.communities)), st.old_quarter_communities);
  if (!st.hole_community.empty())
    fmt::print("; {} has a hole, {} is multipart", st.hole_community, st.multipart_community);
  fmt::print(")\n");
  fmt::print("  compounds    {}\n", grouped(static_cast<long long>(st.compounds)));
  fmt::print("  buildings    {} ({} residential, {} with households left NULL to estimate)\n",
             grouped(static_cast<long long>(st.buildings)),
             grouped(static_cast<long long>(st.residential_buildings)),
             grouped(static_cast<long long>(st.null_household_buildings)));
  fmt::print("  households   {} ({} given in the households field)\n", grouped(st.households),
             grouped(st.households_given));
  fmt::print("  roads        {:.1f} km; river {:.1f} km; rail {:.1f} km\n", st.roads_km,
             st.river_km, st.rail_km);
  fmt::print("  facilities   {}\n", grouped(static_cast<long long>(st.facilities)));
  fmt::print("generated in {:.2f} s, written in {:.2f} s\n", generate_s, write_s);
  fmt::print("city written to {} ({}; layers:", shown(target), geo::demo_city_crs);
  for (const auto& l : city.layers) fmt::print(" {}", l.name);
  fmt::print(")\n");
}

} // namespace

void add_generate(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<GenerateFlags>();
  auto* cmd = app.add_subcommand(
      "generate", "Write a seeded synthetic demo city (district, streets, communities, buildings, "
                  "roads, river, rail, service stations) to a GeoPackage in EPSG:4548");
  cmd->footer("Examples:\n"
              "  gridplan generate --out city.gpkg\n"
              "  gridplan generate --out big.gpkg --buildings 1000000 --seed 7\n"
              "See docs/user/generate.md for the layers and fields.");
  cmd->add_option("-o,--out", flags->out,
                  "Output file (GeoPackage; .shp/.geojson/.fgb also work) or PG:... (PostGIS)")
      ->required();
  flags->output.add_to(*cmd);
  cmd->add_option("--seed", flags->seed, "Random seed: the same seed gives the same city")
      ->check(non_negative())
      ->capture_default_str();
  auto* households =
      cmd->add_option("--households", flags->households,
                      "About this many households (default 60000)")
          ->check(CLI::Range(geo::demo_city_min_households, geo::demo_city_max_households));
  auto* buildings =
      cmd->add_option("--buildings", flags->buildings,
                      "Exactly this many buildings; communities scale to keep their size")
          ->check(CLI::Range(geo::demo_city_min_buildings, geo::demo_city_max_buildings));
  households->excludes(buildings);
  cmd->add_flag("--overwrite", flags->overwrite, "Replace an existing output");
  cmd->callback([flags, &global] { run_generate(*flags, global); });
}

} // namespace gp::cli
