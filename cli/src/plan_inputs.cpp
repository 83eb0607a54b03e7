#include "plan_inputs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "gp/planner/floors.hpp"

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
  cmd.add_option("--effort", effort,
                 "Partition effort: multiplies the automatic number of attempts per area "
                 "(0.1-100; default 1)")
      ->check(CLI::Range(0.1, 100.0))
      ->capture_default_str();
  cmd.add_option("--time-limit", time_limit,
                 "Seconds of partition search per area: attempts continue until spent or no "
                 "longer improving (0 = by attempt counts only; results then depend on speed)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--fields", fields_file,
                 "Field mapping file for the units (TOML: households = \"HU\", type = "
                 "\"用途\", ...; see docs/user/inspect.md)");
  cmd.add_option("--field", field_roles,
                 "One field mapping, ROLE=NAME (households, population, floors, height, "
                 "compound, code, name, type); repeatable, overrides --fields");
  cmd.add_option("--area-households", area_households,
                 "Field of the area layer with each community's known household total "
                 "(default: detect households/户数/总户数)");
  cmd.add_option("--area-population", area_population,
                 "Field of the area layer with each community's known population "
                 "(default: detect population/人口/常住人口)");
  cmd.add_option("--area-totals", area_totals,
                 "Table of known totals (CSV or TOML) keyed by area code or name, with "
                 "households and/or population; estimated buildings are scaled to them");
  cmd.add_flag("--no-calibration", no_calibration,
               "Do not scale estimated households to known area totals");
  cmd.add_option("--building-types", building_types,
                 "Building-type table (TOML, as data/building_types.toml) replacing the lists "
                 "it names");
  cmd.add_option("--untyped", untyped,
                 "Use of buildings without a recognised type: residential (default) or "
                 "non-residential")
      ->check(CLI::IsMember({"residential", "non-residential", "non_residential"}));
  cmd.add_option("--code-scheme", code_scheme,
                 "Cell codes: beijing15 (12-digit community + 3) or cjt349 (01 + community + 6); "
                 "existing codes are validated against it (docs/user/hierarchy.md)")
      ->check(CLI::IsMember({"beijing15", "cjt349"}));
  cmd.add_option("--streets", streets,
                 "Street (街道) polygons for the hierarchy report: SRC[:LAYER] (default: the "
                 "city's streets layer when present; else derived from codes)");
  cmd.add_option("--districts", districts,
                 "District polygons for the hierarchy report: SRC[:LAYER] (default: the city's "
                 "district layer when present)");
  cmd.add_option("--at-least", at_least,
                 "FIELD:N (repeatable): every cell must hold at least N of FIELD, e.g. "
                 "party_members:3; a constraint of the partitioner, cells still below are "
                 "reported as violations");
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
  if (!fields_file.empty()) o.fields = geo::FieldMapping::from_file(fields_file);
  for (const auto& text : field_roles) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
      throw UsageError(fmt::format("--field '{}': expected ROLE=NAME", text));
    if (!o.fields.set(text.substr(0, eq), text.substr(eq + 1)))
      throw UsageError(fmt::format("--field '{}': unknown role '{}'", text, text.substr(0, eq)));
  }
  o.area_households = area_households;
  o.area_population = area_population;
  o.area_totals = area_totals;
  o.calibrate = !no_calibration;
  o.threads = threads;
  if (!building_types.empty()) o.estimation.types = geo::BuildingTypes::from_file(building_types);
  if (!untyped.empty()) o.estimation.types.untyped = geo::parse_building_use(untyped);
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
  o.effort = effort;
  o.time_limit_s = time_limit;
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
  for (const auto& text : at_least) o.floors.push_back(planner::parse_floor(text));
  return o;
}

std::vector<std::string> PlanInputFlags::input_paths() const {
  std::vector<std::string> paths;
  const auto s = sources();
  for (const auto* spec : {&s.units, &s.areas, &s.compounds, &s.barriers, &s.facilities})
    if (*spec) paths.push_back((*spec)->path);
  for (const auto* extra : {&fields_file, &area_totals, &building_types})
    if (!extra->empty()) paths.push_back(*extra);
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
    rows.emplace_back(std::string("input_") + role, mask_secrets((*spec)->to_string()));
  }
  // Connection strings carry passwords: metadata names the source, never the secret.
  for (const auto& path : input_paths())
    rows.emplace_back(mask_secrets("sha256:" + path), geo::file_checksum(path));
  if (!where.empty()) rows.emplace_back("where", where);
  if (!fields_file.empty()) rows.emplace_back("fields", fields_file);
  for (const auto& f : field_roles) rows.emplace_back("field", f);
  if (!area_households.empty()) rows.emplace_back("area_households", area_households);
  if (!area_population.empty()) rows.emplace_back("area_population", area_population);
  if (!area_totals.empty()) rows.emplace_back("area_totals", area_totals);
  if (no_calibration) rows.emplace_back("calibration", "off");
  if (!building_types.empty()) rows.emplace_back("building_types", building_types);
  if (!untyped.empty()) rows.emplace_back("untyped", untyped);
  if (!src_crs.empty()) rows.emplace_back("src_crs", src_crs);
  if (!work_crs.empty()) rows.emplace_back("work_crs_requested", work_crs);
  return rows;
}

} // namespace gp::cli
