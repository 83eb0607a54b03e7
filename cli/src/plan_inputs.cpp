#include "plan_inputs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "commands.hpp"
#include "gp/core/error.hpp"

namespace gp::cli {

void PlanInputFlags::add_to(CLI::App& cmd) {
  cmd.add_option("--units", units, "Units (buildings or tiling polygons): SRC[:LAYER]");
  cmd.add_option("--areas", areas,
                 "Areas (communities): SRC[:LAYER]; derived from the units when absent");
  cmd.add_option("--compounds", compounds, "Residential compounds (小区) polygons: SRC[:LAYER]");
  cmd.add_option("--barriers", barriers, "Roads, rivers, rail (lines): SRC[:LAYER]");
  cmd.add_option("--facilities", facilities, "Service stations (points): SRC[:LAYER]");
  cmd.add_option("--city", city,
                 "A demo city GeoPackage: takes units, areas, compounds, barriers and facilities "
                 "from its layers (other flags override a role)");
  cmd.add_option("--where", where, "Attribute filter (SQL WHERE) on the units layer");
  cmd.add_option("--encoding", encoding, "Source encoding override, e.g. GBK");
  cmd.add_option("--src-crs", src_crs, "CRS of layers that declare none (EPSG:4326, GCJ-02, ...)");
  cmd.add_option("--work-crs", work_crs, "Metric CRS for the work (default: UTM zone of the data)");
  cmd.add_option("--balance-field", balance_field,
                 "Field balanced across cells: households (estimated where missing), population, "
                 "or any numeric unit field")
      ->capture_default_str();
  cmd.add_option("--min", min, "Minimum of the balance field per cell")->capture_default_str();
  cmd.add_option("--max", max, "Maximum of the balance field per cell")->capture_default_str();
  cmd.add_option("--cells", cells, "Fixed number of cells per area (instead of --min/--max)")
      ->check(CLI::Range(1, 100000));
  cmd.add_option("--tolerance", tolerance,
                 "With --cells: allowed relative deviation from the area mean (0.005 = ±0.5%)")
      ->capture_default_str();
  cmd.add_option("--secondary", secondary,
                 "Secondary field balanced softly, NAME[:WEIGHT] (weight default 1); repeatable");
  cmd.add_option("--seed", seed, "Random seed: same inputs and seed give the same plan")
      ->check(non_negative())
      ->capture_default_str();
  cmd.add_option("--objective", objective, "compact (shortest boundaries) or cut-edges")
      ->check(CLI::IsMember({"compact", "cut-edges"}))
      ->capture_default_str();
  cmd.add_flag("--hard-barriers", hard_barriers,
               "Never join units across a road, river or rail line (default: a soft penalty)");
  cmd.add_option("--unit-kind", unit_kind,
                 "auto, buildings (Voronoi cells around footprints/points) or tiling "
                 "(the unit polygons tile the area: parcels, tracts)")
      ->check(CLI::IsMember({"auto", "buildings", "tiling"}))
      ->capture_default_str();
  cmd.add_option(
         "--restarts", restarts,
         "Partition effort: restarts per area (0 = automatic by size; more = better cut, slower; "
         "at most 1000)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd.add_option("--threads", threads,
                 "Worker threads over areas (0 = all cores); the plan does not depend on it")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
}

geo::DatasetSources PlanInputFlags::sources() const {
  geo::DatasetSources s;
  if (!city.empty()) s = geo::DatasetSources::city(city);
  if (!units.empty()) s.units = geo::SourceSpec::parse(units);
  if (!areas.empty()) s.areas = geo::SourceSpec::parse(areas);
  if (!compounds.empty()) s.compounds = geo::SourceSpec::parse(compounds);
  if (!barriers.empty()) s.barriers = geo::SourceSpec::parse(barriers);
  if (!facilities.empty()) s.facilities = geo::SourceSpec::parse(facilities);
  if (!s.units) throw UsageError("--units SRC[:LAYER] is required (or --city city.gpkg)");
  return s;
}

geo::ReadOptions PlanInputFlags::read_options() const {
  geo::ReadOptions o;
  o.where = where;
  o.encoding = encoding;
  o.src_crs = src_crs;
  o.work_crs = work_crs;
  return o;
}

planner::PlanOptions PlanInputFlags::plan_options() const {
  planner::PlanOptions o;
  o.balance_field = balance_field;
  o.min_weight = min;
  o.max_weight = max;
  o.cells_per_area = cells;
  o.tolerance = tolerance;
  o.seed = seed;
  o.objective =
      objective == "cut-edges" ? planner::Objective::cut_edges : planner::Objective::compact;
  o.hard_barriers = hard_barriers;
  o.graph.kind = planner::parse_unit_kind(unit_kind);
  o.threads = threads;
  o.restarts = restarts;
  for (const auto& text : secondary) {
    planner::SecondaryField f;
    const auto colon = text.rfind(':');
    f.name = text.substr(0, colon);
    if (colon != std::string::npos) {
      const auto w = text.substr(colon + 1);
      const auto res = std::from_chars(w.data(), w.data() + w.size(), f.weight);
      if (res.ec != std::errc{} || res.ptr != w.data() + w.size() || f.weight < 0)
        throw UsageError(fmt::format("--secondary '{}': weight must be a number >= 0", text));
    }
    if (f.name.empty()) throw UsageError(fmt::format("--secondary '{}': missing field name", text));
    o.secondary.push_back(f);
  }
  return o;
}

std::vector<std::string> PlanInputFlags::input_paths() const {
  std::vector<std::string> paths;
  const auto s = sources();
  for (const auto* spec : {&s.units, &s.areas, &s.compounds, &s.barriers, &s.facilities})
    if (*spec) paths.push_back((*spec)->path);
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

planner::MetadataRows PlanInputFlags::input_metadata() const {
  planner::MetadataRows rows;
  const auto s = sources();
  const std::pair<const char*, const std::optional<geo::SourceSpec>*> roles[] = {
      {"units", &s.units},
      {"areas", &s.areas},
      {"compounds", &s.compounds},
      {"barriers", &s.barriers},
      {"facilities", &s.facilities}};
  for (const auto& [role, spec] : roles) {
    if (!*spec) continue;
    rows.emplace_back(std::string("input_") + role, (*spec)->to_string());
  }
  for (const auto& path : input_paths())
    rows.emplace_back("sha256:" + path, geo::file_checksum(path));
  if (!where.empty()) rows.emplace_back("where", where);
  if (!src_crs.empty()) rows.emplace_back("src_crs", src_crs);
  if (!work_crs.empty()) rows.emplace_back("work_crs_requested", work_crs);
  return rows;
}

} // namespace gp::cli
