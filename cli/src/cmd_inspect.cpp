// `gridplan inspect SRC...`: what a source holds and how gridplan reads it — layers, CRS,
// feature counts, recognised fields, repair counts, household/population totals with the
// estimated share, and a per-area summary. `--json` prints the same as one JSON document.

#include <fmt/core.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"
#include "hierarchy_inputs.hpp"
#include "progress.hpp"

namespace gp::cli {
namespace {

using nlohmann::json;

struct InspectFlags {
  std::vector<std::string> sources;
  std::string layer, where, encoding, src_crs, work_crs, fields_file;
  std::string areas, compounds, barriers, facilities;
  geo::FieldMapping fields;
  double tolerance = 20;
  int admin_level = 0;
  bool layers_only = false;
  std::size_t max_areas = 50;
};

std::string thousands(double v) {
  const long long n = std::llround(v);
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string percent(double part, double whole) {
  if (whole <= 0) return "0%";
  return fmt::format("{:.1f}%", 100.0 * part / whole);
}

const char* level_name(geo::AreaLevel l) {
  switch (l) {
  case geo::AreaLevel::district:
    return "district";
  case geo::AreaLevel::street:
    return "street";
  case geo::AreaLevel::community:
    return "community";
  }
  return "community";
}

const char* type_name(geo::FieldType t) {
  switch (t) {
  case geo::FieldType::integer:
    return "integer";
  case geo::FieldType::real:
    return "real";
  case geo::FieldType::text:
    return "text";
  }
  return "text";
}

/// A short CRS label for people; never throws (inspect must describe odd data too).
std::string crs_label(const std::string& definition) {
  if (definition.empty()) return "(none)";
  try {
    return geo::crs_short_name(definition);
  } catch (const gp::Error&) {
    return "(unrecognised CRS)";
  }
}

// ------------------------------------------------------------------ graphs (JSON)

/// networkx node-link/adjacency JSON: not a GIS layer, but a source users hand us.
std::optional<json> inspect_graph(const std::string& path) {
  // Only regular files: opening a FIFO would block, a device never end.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array())
    return std::nullopt;
  const auto& nodes = doc["nodes"];
  std::size_t edges = 0;
  if (doc.contains("links") && doc["links"].is_array())
    edges = doc["links"].size();
  else if (doc.contains("edges") && doc["edges"].is_array())
    edges = doc["edges"].size();
  else if (doc.contains("adjacency") && doc["adjacency"].is_array()) {
    for (const auto& a : doc["adjacency"]) edges += a.size();
    if (!doc.value("directed", false)) edges /= 2;
  } else {
    return std::nullopt;
  }
  json out{{"source", path}, {"kind", "graph"}, {"nodes", nodes.size()}, {"edges", edges}};
  // Population-like attributes by the same names the GIS reader recognises.
  if (!nodes.empty() && nodes[0].is_object()) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : nodes[0].items())
      if (v.is_number() || v.is_string()) keys.push_back(k);
    geo::FieldMapping m = geo::detect_fields(keys);
    if (m.population.empty())
      for (const auto& k : keys)
        if (k == "TOTPOP" || k == "tot_pop_20" || k == "POP100") m.population = k;
    for (const auto& [role, field] : m.entries()) {
      if (role != "population" && role != "households") continue;
      double sum = 0;
      std::size_t counted = 0;
      for (const auto& n : nodes) {
        const auto it = n.find(field);
        if (it == n.end()) continue;
        if (it->is_number())
          sum += it->get<double>(), ++counted;
        else if (it->is_string()) {
          try {
            sum += std::stod(it->get<std::string>());
            ++counted;
          } catch (const std::exception&) {
          }
        }
      }
      out[role] = {{"field", field}, {"total", sum}, {"nodes_with_value", counted}};
    }
  }
  return out;
}

void print_graph(const json& g) {
  fmt::print("{}\n  adjacency graph (networkx JSON), not a GIS layer: {} nodes, {} edges\n",
             g["source"].get<std::string>(), thousands(g["nodes"].get<double>()),
             thousands(g["edges"].get<double>()));
  for (const char* role : {"population", "households"}) {
    if (!g.contains(role)) continue;
    fmt::print("  {}: {} (field '{}', {} nodes)\n", role, thousands(g[role]["total"].get<double>()),
               g[role]["field"].get<std::string>(),
               thousands(g[role]["nodes_with_value"].get<double>()));
  }
  fmt::print("  plan it with `gridplan graph`/`plan` tools that take graphs; `inspect` reads "
             "GIS layers\n");
}

// ------------------------------------------------------------------ GIS sources

/// Every string in `j` (keys too) with passwords masked: a source given as a connection
/// string must not reach stdout or --json with its password.
json masked(const json& j) {
  if (j.is_string()) return mask_secrets(j.get<std::string>());
  if (j.is_array()) {
    json out = json::array();
    for (const auto& v : j) out.push_back(masked(v));
    return out;
  }
  if (j.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : j.items()) out[mask_secrets(k)] = masked(v);
    return out;
  }
  return j;
}

geo::ReadOptions read_options(const InspectFlags& f) {
  geo::ReadOptions o;
  o.where = f.where;
  o.encoding = f.encoding;
  o.src_crs = f.src_crs;
  o.work_crs = f.work_crs;
  o.assign_tolerance_m = f.tolerance;
  o.admin_level = f.admin_level;
  if (!f.fields_file.empty()) o.fields = geo::FieldMapping::from_file(f.fields_file);
  for (const auto& [role, field] : f.fields.entries()) o.fields.set(role, field);
  return o;
}

json layers_json(const std::vector<geo::LayerSummary>& layers) {
  json arr = json::array();
  for (const auto& l : layers) {
    json fields = json::array();
    for (const auto& f : l.fields)
      fields.push_back({{"name", f.name}, {"type", type_name(f.type)}});
    json rec = json::object();
    for (const auto& [role, field] : l.recognised) rec[role] = field;
    arr.push_back({{"name", l.name},
                   {"geometry_type", l.geometry_type},
                   {"crs", l.crs},
                   {"features", l.feature_count},
                   {"encoding", l.encoding},
                   {"fields", fields},
                   {"recognised", rec}});
  }
  return arr;
}

json sources_json(const geo::DatasetSources& s) {
  json out = json::object();
  auto put = [&](const char* role, const std::optional<geo::SourceSpec>& spec) {
    if (spec) out[role] = spec->to_string();
  };
  put("units", s.units);
  put("areas", s.areas);
  put("compounds", s.compounds);
  put("barriers", s.barriers);
  put("facilities", s.facilities);
  return out;
}

json dataset_json(const geo::Dataset& ds) {
  const auto& r = ds.report;
  double hh = 0, hh_est = 0, pop = 0, pop_est = 0;
  struct AreaSum {
    std::size_t units = 0;
    double hh = 0, hh_est = 0, pop = 0;
  };
  std::map<std::string, AreaSum> per;
  for (const auto& u : ds.units) {
    hh += u.households;
    pop += u.population;
    if (u.households_source == geo::ValueSource::estimated) hh_est += u.households;
    if (u.population_source == geo::ValueSource::estimated) pop_est += u.population;
    auto& a = per[u.area_code];
    ++a.units;
    a.hh += u.households;
    a.pop += u.population;
    if (u.households_source == geo::ValueSource::estimated) a.hh_est += u.households;
  }
  json areas = json::array();
  for (const auto& a : ds.areas) {
    const AreaSum s = a.level == geo::AreaLevel::community ? per[a.code] : AreaSum{};
    areas.push_back({{"code", a.code},
                     {"name", a.name},
                     {"level", level_name(a.level)},
                     {"parent_code", a.parent_code},
                     {"units", s.units},
                     {"households", s.hh},
                     {"population", s.pop},
                     {"households_estimated_share", s.hh > 0 ? s.hh_est / s.hh : 0.0},
                     {"area_km2", geo::area(a.geometry) / 1e6},
                     {"parts", a.geometry.size()}});
  }
  json overlaps = json::array();
  for (const auto& [a, b] : r.overlapping_areas) overlaps.push_back({a, b});
  return {
      {"units_source", ds.units_source},
      {"source_crs", crs_label(ds.source_crs)},
      {"work_crs", crs_label(ds.work_crs)},
      {"counts",
       {{"units", ds.units.size()},
        {"areas", ds.areas.size()},
        {"compounds", ds.compounds.size()},
        {"barriers", ds.barriers.size()},
        {"facilities", ds.facilities.size()}}},
      {"report",
       {{"features_read", r.features_read},
        {"repaired_invalid", r.repaired_invalid},
        {"dropped_empty", r.dropped_empty},
        {"duplicate_units", r.duplicate_units},
        {"assigned_by_tolerance", r.assigned_by_tolerance},
        {"unassigned", r.unassigned.size()},
        {"unassigned_fids", r.unassigned},
        {"overlapping_areas", overlaps},
        {"households_estimated", r.households_estimated},
        {"population_estimated", r.population_estimated},
        {"warnings", r.warnings}}},
      {"totals",
       {{"households", hh},
        {"population", pop},
        {"households_estimated", hh_est},
        {"households_estimated_share", hh > 0 ? hh_est / hh : 0.0},
        {"population_estimated_share", pop > 0 ? pop_est / pop : 0.0}}},
      {"areas", areas},
  };
}

void print_layers(const std::string& path, const json& layers) {
  fmt::print("{}\n", path);
  for (const auto& l : layers) {
    fmt::print("  layer '{}': {}, {}, {} features{}\n", l["name"].get<std::string>(),
               l["geometry_type"].get<std::string>(),
               l["crs"].get<std::string>().empty() ? "no CRS" : l["crs"].get<std::string>(),
               thousands(l["features"].get<double>()),
               l["encoding"].get<std::string>().empty()
                   ? ""
                   : ", encoding " + l["encoding"].get<std::string>());
    std::string rec;
    for (const auto& [role, field] : l["recognised"].items())
      rec += (rec.empty() ? "" : ", ") + role + "=" + field.get<std::string>();
    fmt::print("    {} fields; recognised: {}\n", l["fields"].size(), rec.empty() ? "none" : rec);
  }
}

void print_dataset(const json& d, const json& sources, std::size_t max_areas) {
  std::string roles;
  for (const auto& [role, spec] : sources.items())
    roles += (roles.empty() ? "" : ", ") + role + "=" + spec.get<std::string>();
  fmt::print("  read as: {}\n", roles);
  fmt::print("  CRS: source {}, work {}\n", d["source_crs"].get<std::string>(),
             d["work_crs"].get<std::string>());
  const auto& c = d["counts"];
  const auto& r = d["report"];
  fmt::print("  units: {} read, {} kept; areas {}, compounds {}, barriers {}, facilities {}\n",
             thousands(r["features_read"].get<double>()), thousands(c["units"].get<double>()),
             c["areas"].get<std::size_t>(), c["compounds"].get<std::size_t>(),
             c["barriers"].get<std::size_t>(), c["facilities"].get<std::size_t>());
  fmt::print("  repairs: {} invalid repaired, {} empty dropped, {} duplicates kept once, {} "
             "assigned within tolerance, {} unassigned, {} overlapping area pairs\n",
             r["repaired_invalid"].get<std::size_t>(), r["dropped_empty"].get<std::size_t>(),
             r["duplicate_units"].get<std::size_t>(), r["assigned_by_tolerance"].get<std::size_t>(),
             r["unassigned"].get<std::size_t>(), r["overlapping_areas"].size());
  const auto& t = d["totals"];
  fmt::print("  totals: households {} ({} estimated), population {} ({} estimated)\n",
             thousands(t["households"].get<double>()),
             percent(t["households_estimated_share"].get<double>(), 1),
             thousands(t["population"].get<double>()),
             percent(t["population_estimated_share"].get<double>(), 1));
  const auto& areas = d["areas"];
  fmt::print("  areas ({}):\n", areas.size());
  fmt::print("    {:<13} {:>7} {:>11} {:>11} {:>6} {:>9}  {}\n", "code", "units", "households",
             "population", "est.", "km2", "name");
  std::size_t shown = 0;
  for (const auto& a : areas) {
    if (shown++ == max_areas) {
      fmt::print("    ... {} more (all in --json)\n", areas.size() - max_areas);
      break;
    }
    fmt::print("    {:<13} {:>7} {:>11} {:>11} {:>6} {:>9.3f}  {}\n", a["code"].get<std::string>(),
               thousands(a["units"].get<double>()), thousands(a["households"].get<double>()),
               thousands(a["population"].get<double>()),
               percent(a["households_estimated_share"].get<double>(), 1),
               a["area_km2"].get<double>(), a["name"].get<std::string>());
  }
  const auto& w = r["warnings"];
  if (!w.empty()) {
    fmt::print("  notes ({}):\n", w.size());
    for (const auto& m : w) fmt::print("    - {}\n", m.get<std::string>());
  }
}

void run_inspect(const InspectFlags& flags, const GlobalOptions& global) {
  const bool roles_given = !flags.areas.empty() || !flags.compounds.empty() ||
                           !flags.barriers.empty() || !flags.facilities.empty();
  if (roles_given && flags.sources.size() != 1)
    throw UsageError("--areas/--compounds/--barriers/--facilities pair with exactly one units SRC");
  const geo::ReadOptions base = read_options(flags);
  json all = json::array();
  for (const auto& text : flags.sources) {
    geo::SourceSpec spec = geo::SourceSpec::parse(text);
    if (spec.layer.empty()) spec.layer = flags.layer;
    std::vector<geo::LayerSummary> layers;
    try {
      layers = geo::list_layers(spec.path, base);
    } catch (const InputError&) {
      if (auto g = inspect_graph(spec.path)) {
        if (!global.json) print_graph(*g);
        all.push_back(*g);
        continue;
      }
      throw;
    }
    json entry = masked(json{{"source", text},
                             {"kind", "gis"},
                             {"driver", layers.empty() ? "" : layers[0].driver},
                             {"layers", layers_json(layers)}});
    if (!global.json) print_layers(entry["source"].get<std::string>(), entry["layers"]);
    if (!flags.layers_only) {
      geo::DatasetSources sources;
      if (roles_given) {
        sources.units = spec;
        auto opt = [](const std::string& s) {
          return s.empty() ? std::nullopt : std::optional(geo::SourceSpec::parse(s));
        };
        sources.areas = opt(flags.areas);
        sources.compounds = opt(flags.compounds);
        sources.barriers = opt(flags.barriers);
        sources.facilities = opt(flags.facilities);
      } else {
        sources = geo::DatasetSources::detect(spec);
      }
      ProgressBar bar(global.quiet);
      geo::ReadOptions opt = base;
      opt.progress = bar.callback();
      const geo::Dataset ds = geo::read_dataset(sources, opt);
      bar.finish();
      entry["roles"] = masked(sources_json(sources));
      entry["dataset"] = masked(dataset_json(ds));
      PlanInputFlags parents; // the source's own streets/district layers, when present
      parents.city = spec.path;
      const auto hierarchy = hierarchy_report(parents, ds, nullptr);
      entry["hierarchy"] = json::parse(planner::hierarchy_json(hierarchy));
      if (!global.json) print_dataset(entry["dataset"], entry["roles"], flags.max_areas);
      if (!global.json) fmt::print("{}", planner::hierarchy_text(hierarchy));
    }
    all.push_back(std::move(entry));
  }
  if (global.json) fmt::print("{}\n", json{{"sources", all}}.dump(2));
}

} // namespace

void add_inspect(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<InspectFlags>();
  auto* cmd = app.add_subcommand(
      "inspect", "Show what GIS sources hold and how gridplan reads them: layers, CRS, counts, "
                 "recognised fields, repairs, household/population totals, per-area summary");
  cmd->add_option("SRC", flags->sources,
                  "Sources: FILE[:LAYER] (Shapefile, GeoPackage, GeoJSON, FlatGeobuf, CSV with "
                  "WKT, OSM .pbf/.osm), a PG: connection string; graph JSON is recognised")
      ->required();
  cmd->add_option("--layer", flags->layer, "Layer to read as units (when SRC has no :LAYER)");
  cmd->add_option("--areas", flags->areas, "Area (community) polygons FILE[:LAYER]");
  cmd->add_option("--compounds", flags->compounds, "Compound (小区) polygons FILE[:LAYER]");
  cmd->add_option("--barriers", flags->barriers, "Barrier lines FILE[:LAYER]");
  cmd->add_option("--facilities", flags->facilities, "Facility points FILE[:LAYER]");
  cmd->add_option("--where", flags->where, "Attribute filter on the units (OGR SQL WHERE)");
  cmd->add_option("--encoding", flags->encoding,
                  "Shapefile text encoding, e.g. GBK or GB18030 (default: .cpg, else guessed)");
  cmd->add_option("--src-crs", flags->src_crs,
                  "CRS of layers without one, or GCJ-02/BD-09 for offset data (e.g. EPSG:4326)");
  cmd->add_option("--work-crs", flags->work_crs,
                  "Metric CRS for measurements (default: source if metric, else UTM zone)");
  cmd->add_option("--tolerance", flags->tolerance,
                  "Units outside every area join the nearest within this many metres")
      ->capture_default_str();
  cmd->add_option("--admin-level", flags->admin_level,
                  "OSM: admin_level of the community boundaries (default: finest present)");
  cmd->add_option("--fields", flags->fields_file,
                  "Field mapping file (TOML: households = \"HU\", ...; see docs/user/inspect.md)");
  cmd->add_option("--households-field", flags->fields.households, "Field with household counts");
  cmd->add_option("--population-field", flags->fields.population, "Field with population");
  cmd->add_option("--floors-field", flags->fields.floors, "Field with floors/levels");
  cmd->add_option("--height-field", flags->fields.height, "Field with height in metres");
  cmd->add_option("--compound-field", flags->fields.compound, "Field with the compound id");
  cmd->add_option("--code-field", flags->fields.code, "Field with the unit/area code");
  cmd->add_option("--name-field", flags->fields.name, "Field with the name");
  cmd->add_option("--type-field", flags->fields.type, "Field with the building type");
  cmd->add_flag("--layers-only", flags->layers_only, "List layers and fields; read no features");
  cmd->add_option("--max-areas", flags->max_areas, "Areas listed in the text summary")
      ->capture_default_str();
  cmd->callback([flags, &global] { run_inspect(*flags, global); });
}

} // namespace gp::cli
