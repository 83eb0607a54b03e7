// `gridplan assign`: pair organisations (驻区单位, 机关) with the communities or cells of a
// plan as an exact min-cost flow, write the pairing layer and the balance table, and
// optionally place individual cadres (下沉干部) into cells and write their roster for
// `gridplan simulate --roster`. See docs/user/assign.md.

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/assign.hpp"
#include "gp/planner/plan_file.hpp"
#include "gp/sim/roster.hpp"
#include "output.hpp"

namespace gp::cli {
namespace {

namespace pf = planner::plan_file;

struct AssignFlags {
  std::string plan;
  std::string level = "communities";
  std::string need = "population";
  std::string need_from;
  std::string orgs, capacity, org_id, org_name;
  double per_target = 6;
  std::string count = "equal";
  int max_per_org = 0;
  double boundary_penalty = 1500, capacity_weight = 1000, max_distance = 0;
  std::vector<std::size_t> boundary_levels = {6, 9};
  std::string cadres;
  int cadres_per_org = 0;
  std::string cadre_type = sim::roster_file::default_worker_type;
  std::string cadre_shift;
  std::string roster;
  std::string out, table;
  bool overwrite = false;
  bool per_target_json = false;
};

struct Targets {
  std::vector<planner::AssignTarget> items;
  std::vector<geo::MultiPolygon> polygons;
};

/// The first of `names` that is a field of `t`, or -1.
int find_any(const geo::Table& t, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (const int i = t.find(n); i >= 0) return i;
  return -1;
}

int require(const geo::Layer& l, const std::string& path, const std::string& field) {
  const int i = l.table.find(field);
  if (i < 0) throw InputError(path, l.name, std::nullopt, fmt::format("has no field '{}'", field));
  return i;
}

double number(const geo::Layer& l, std::size_t row, int column, const std::string& path) {
  const auto& v = l.table.rows[row][static_cast<std::size_t>(column)];
  if (std::holds_alternative<std::monostate>(v)) return 0; // NULL counts as nothing
  const auto x = geo::value_number(v);
  const auto& field = l.table.fields[static_cast<std::size_t>(column)].name;
  if (!x)
    throw InputError(path, l.name, static_cast<long long>(row + 1),
                     fmt::format("field '{}' is not numeric ('{}')", field, geo::value_text(v)));
  if (!std::isfinite(*x) || *x < 0)
    throw InputError(path, l.name, static_cast<long long>(row + 1),
                     fmt::format("field '{}' must be a finite number >= 0 (is {})", field, *x));
  return *x;
}

/// Adds to each target the sum of `field` over the rows of SRC[:LAYER] whose `join` field
/// is the target's code.
void add_need_from(const std::string& source, const std::string& join, const std::string& field,
                   const std::map<std::string, std::size_t>& index, Targets& targets) {
  const auto spec = geo::SourceSpec::parse(source);
  const geo::Layer n = geo::read_layer(spec.path, spec.layer);
  const int c_join = require(n, spec.path, join);
  const int c_value = require(n, spec.path, field);
  for (std::size_t r = 0; r < n.table.rows.size(); ++r) {
    const auto code = geo::value_text(n.table.rows[r][static_cast<std::size_t>(c_join)]);
    const auto it = index.find(code);
    if (it == index.end())
      throw InputError(spec.path, n.name, static_cast<long long>(r + 1),
                       fmt::format("{} '{}' is not in the plan", join, code));
    targets.items[it->second].need += number(n, r, c_value, spec.path);
  }
}

/// Communities (the plan's areas) or cells, with their need: households and population
/// from the plan (a community's summed over its cells), area from the geometry, any other
/// field from the plan's layer or `need_from`, summed per target by cell_code (cells) or
/// area_code (communities).
Targets read_targets(const pf::PlanFile& plan, bool cells, const std::string& need,
                     const std::string& need_from) {
  Targets out;
  std::map<std::string, std::size_t> index;
  const char* layer = cells ? pf::layer::cells : pf::layer::areas;
  auto add = [&](const std::string& code, const std::string& area_code, const std::string& name,
                 const geo::MultiPolygon& g, std::size_t row) {
    if (g.empty())
      throw InputError(plan.path, layer, static_cast<long long>(row + 1), "has no polygon");
    planner::AssignTarget t;
    t.code = code;
    t.area_code = area_code;
    t.name = name;
    t.location = geo::point_on_surface(g);
    index.emplace(code, out.items.size());
    out.items.push_back(std::move(t));
    out.polygons.push_back(g);
  };
  if (cells) {
    for (std::size_t i = 0; i < plan.cells.size(); ++i)
      add(plan.cells[i].code, plan.cells[i].area_code, plan.cells[i].code, plan.cells[i].geometry,
          i);
  } else {
    for (std::size_t i = 0; i < plan.areas.size(); ++i)
      add(plan.areas[i].code, plan.areas[i].code, plan.areas[i].name, plan.areas[i].geometry, i);
  }
  const bool builtin = need == pf::field::households || need == pf::field::population;
  if (need == "area") {
    for (std::size_t i = 0; i < out.items.size(); ++i)
      out.items[i].need = geo::area(out.polygons[i]);
  } else if (builtin && need_from.empty()) {
    for (const auto& c : plan.cells) {
      const auto it = index.find(cells ? c.code : c.area_code);
      if (it == index.end()) continue;
      out.items[it->second].need += need == pf::field::households ? c.households : c.population;
    }
  } else {
    add_need_from(need_from.empty() ? plan.path + ":" + layer : need_from,
                  cells ? pf::field::cell_code : pf::field::area_code, need, index, out);
  }
  return out;
}

/// Code of the community containing `p`, "" when none does.
std::string community_of(const geo::Point& p, const Targets& communities) {
  for (std::size_t i = 0; i < communities.items.size(); ++i)
    if (geo::contains(communities.polygons[i], p)) return communities.items[i].code;
  return {};
}

std::vector<planner::Organisation> read_orgs(const AssignFlags& flags, const std::string& work_crs,
                                             const Targets& communities) {
  const auto spec = geo::SourceSpec::parse(flags.orgs);
  const geo::Layer l = geo::read_layer(spec.path, spec.layer, work_crs);
  if (l.kind != geo::GeometryKind::point && l.kind != geo::GeometryKind::polygon)
    throw InputError(spec.path, l.name, std::nullopt, "organisations must be points or polygons");
  const int c_cap = require(l, spec.path, flags.capacity);
  const int c_id = flags.org_id.empty() ? find_any(l.table, {"org_id", "id", "code", "编码"})
                                        : require(l, spec.path, flags.org_id);
  const int c_name = flags.org_name.empty() ? find_any(l.table, {"name", "名称"})
                                            : require(l, spec.path, flags.org_name);
  std::vector<planner::Organisation> out;
  for (std::size_t r = 0; r < l.table.rows.size(); ++r) {
    const auto& row = l.table.rows[r];
    planner::Organisation o;
    o.id = c_id >= 0 ? geo::value_text(row[static_cast<std::size_t>(c_id)]) : std::to_string(r + 1);
    o.name = c_name >= 0 ? geo::value_text(row[static_cast<std::size_t>(c_name)]) : o.id;
    if (l.kind == geo::GeometryKind::point) {
      o.location = l.points[r];
    } else {
      if (l.polygons[r].empty())
        throw InputError(spec.path, l.name, static_cast<long long>(r + 1), "has no geometry");
      o.location = geo::point_on_surface(l.polygons[r]);
    }
    o.capacity = number(l, r, c_cap, spec.path);
    o.area_code = community_of(o.location, communities);
    out.push_back(std::move(o));
  }
  return out;
}

struct Cadre {
  planner::Organisation org; ///< capacity 1, location = home or agency
  std::string agency;        ///< id of the sending organisation, "" when none
};

std::vector<Cadre> read_cadres(const AssignFlags& flags, const std::string& work_crs,
                               const std::vector<planner::Organisation>& orgs,
                               const Targets& communities) {
  std::map<std::string, std::size_t> org_index;
  for (std::size_t i = 0; i < orgs.size(); ++i) org_index.emplace(orgs[i].id, i);
  std::vector<Cadre> out;
  for (const auto& o : orgs)
    for (int k = 1; k <= flags.cadres_per_org; ++k) {
      Cadre c;
      c.org.id = fmt::format("{}-{}", o.id, k);
      c.org.name = fmt::format("{} {}", o.name, k);
      c.org.location = o.location;
      c.org.area_code = o.area_code;
      c.org.capacity = 1;
      c.agency = o.id;
      out.push_back(std::move(c));
    }
  if (flags.cadres.empty()) return out;
  const auto spec = geo::SourceSpec::parse(flags.cadres);
  const geo::Layer l = geo::read_layer(spec.path, spec.layer, work_crs);
  const int c_id = find_any(l.table, {sim::roster_file::cadre_id, "id"});
  const int c_name = find_any(l.table, {sim::roster_file::name, "姓名"});
  const int c_agency = find_any(l.table, {sim::roster_file::agency, "单位"});
  const int c_x = l.table.find("x"), c_y = l.table.find("y");
  for (std::size_t r = 0; r < l.table.rows.size(); ++r) {
    const auto& row = l.table.rows[r];
    const auto feature = static_cast<long long>(r + 1);
    Cadre c;
    c.org.capacity = 1;
    c.org.id =
        c_id >= 0 ? geo::value_text(row[static_cast<std::size_t>(c_id)]) : std::to_string(r + 1);
    c.org.name = c_name >= 0 ? geo::value_text(row[static_cast<std::size_t>(c_name)]) : c.org.id;
    c.agency = c_agency >= 0 ? geo::value_text(row[static_cast<std::size_t>(c_agency)]) : "";
    bool located = false;
    if (l.kind == geo::GeometryKind::point && !(l.points[r] == geo::Point{})) {
      c.org.location = l.points[r];
      located = true;
    } else if (c_x >= 0 && c_y >= 0) {
      const auto x = geo::value_number(row[static_cast<std::size_t>(c_x)]);
      const auto y = geo::value_number(row[static_cast<std::size_t>(c_y)]);
      if (x && y) {
        c.org.location = {*x, *y}; // in the plan's work CRS
        located = true;
      }
    }
    if (!c.agency.empty() && !org_index.count(c.agency))
      throw InputError(spec.path, l.name, feature,
                       fmt::format("agency '{}' is not among the organisations", c.agency));
    if (!located) {
      if (c.agency.empty())
        throw InputError(spec.path, l.name, feature, "has neither a home point nor an agency");
      c.org.location = orgs[org_index.at(c.agency)].location;
    }
    c.org.area_code = community_of(c.org.location, communities);
    out.push_back(std::move(c));
  }
  return out;
}

void run_assign(const AssignFlags& flags, const GlobalOptions& global) {
  const bool cells = flags.level == "cells";
  const bool with_cadres = flags.cadres_per_org > 0 || !flags.cadres.empty();
  if (with_cadres && flags.roster.empty())
    throw UsageError("--cadres and --cadres-per-org need --roster FILE for the cadres' roster");
  if (!with_cadres && !flags.roster.empty())
    throw UsageError("--roster needs --cadres or --cadres-per-org");
  std::vector<std::string> inputs = {flags.plan, geo::SourceSpec::parse(flags.orgs).path};
  if (!flags.cadres.empty()) inputs.push_back(geo::SourceSpec::parse(flags.cadres).path);
  if (!flags.need_from.empty()) inputs.push_back(geo::SourceSpec::parse(flags.need_from).path);
  const auto out_format = output_format(flags.out, "",
                                        {geo::OutputFormat::gpkg, geo::OutputFormat::geojson,
                                         geo::OutputFormat::shp, geo::OutputFormat::fgb},
                                        "assign");
  check_layers_output(flags.out, out_format, 2, inputs, flags.overwrite);
  if (!flags.table.empty()) {
    require_extension("--table", flags.table, {".csv"});
    check_layers_output(flags.table, geo::OutputFormat::csv, 1, inputs, flags.overwrite);
  }
  if (!flags.roster.empty()) {
    require_extension("--roster", flags.roster, {".csv"});
    check_layers_output(flags.roster, geo::OutputFormat::csv, 1, inputs, flags.overwrite);
  }

  const pf::PlanFile plan = pf::read_plan(flags.plan, false);
  const std::string& work_crs = plan.work_crs;
  const Targets communities = read_targets(plan, false, cells ? pf::field::households : flags.need,
                                           cells ? "" : flags.need_from);
  const Targets cell_targets =
      cells || with_cadres ? read_targets(plan, true, cells ? flags.need : pf::field::households,
                                          cells ? flags.need_from : "")
                           : Targets{};
  const Targets& targets = cells ? cell_targets : communities;
  const auto orgs = read_orgs(flags, work_crs, communities);

  planner::AssignOptions options;
  options.per_target = flags.per_target;
  options.count_rule = flags.count == "need" ? planner::CountRule::need : planner::CountRule::equal;
  options.max_per_org = flags.max_per_org;
  options.boundary_penalty_m = flags.boundary_penalty;
  options.capacity_weight_m = flags.capacity_weight;
  options.max_distance_m = flags.max_distance;
  options.boundary_levels = flags.boundary_levels;
  const auto result = planner::assign(orgs, targets.items, options);

  geo::WriteOptions write;
  write.format = out_format;
  write.geometry_crs = work_crs;
  write.overwrite = flags.overwrite;
  write.inputs = inputs;
  geo::WriteOptions csv = write;
  csv.format = geo::OutputFormat::csv;

  nlohmann::ordered_json cadre_json;
  geo::Layer roster_layer;
  std::string cadre_text;
  if (with_cadres) {
    // Cadres go to cells, in proportion to households, nearest first; a cadre of an agency
    // prefers the cells of the communities (or the cells) its agency is paired with.
    auto cadres = read_cadres(flags, work_crs, orgs, communities);
    std::map<std::string, std::vector<std::size_t>> agency_cells;
    std::map<std::string, std::size_t> org_index;
    for (std::size_t i = 0; i < orgs.size(); ++i) org_index.emplace(orgs[i].id, i);
    for (const auto& p : result.pairings) {
      auto& list = agency_cells[orgs[p.org].id];
      if (cells) {
        list.push_back(p.target);
      } else {
        for (std::size_t c = 0; c < cell_targets.items.size(); ++c)
          if (cell_targets.items[c].area_code == communities.items[p.target].code)
            list.push_back(c);
      }
    }
    std::vector<planner::Organisation> people;
    for (auto& c : cadres) {
      if (const auto it = agency_cells.find(c.agency); it != agency_cells.end())
        c.org.preferred = it->second;
      people.push_back(c.org);
    }
    planner::AssignOptions placing = options;
    placing.count_rule = planner::CountRule::need;
    placing.per_target =
        cell_targets.items.empty()
            ? 1.0
            : static_cast<double>(people.size()) / static_cast<double>(cell_targets.items.size());
    placing.capacity_weight_m = 0;
    placing.max_per_org = 1;
    placing.max_distance_m = 0;
    if (people.empty()) throw UsageError("no cadres to place");
    const auto placed = planner::assign(people, cell_targets.items, placing);

    geo::Layer roster;
    roster.name = "roster";
    roster.kind = geo::GeometryKind::none;
    namespace rf = sim::roster_file;
    roster.table.fields = {
        {rf::cadre_id, geo::FieldType::text},    {rf::name, geo::FieldType::text},
        {rf::agency, geo::FieldType::text},      {rf::cell_code, geo::FieldType::text},
        {rf::worker_type, geo::FieldType::text}, {rf::shift, geo::FieldType::text}};
    for (const auto& p : placed.pairings)
      roster.table.rows.push_back({geo::Value{people[p.org].id}, geo::Value{people[p.org].name},
                                   geo::Value{cadres[p.org].agency},
                                   geo::Value{cell_targets.items[p.target].code},
                                   geo::Value{flags.cadre_type}, geo::Value{flags.cadre_shift}});
    roster_layer = std::move(roster);
    cadre_json =
        nlohmann::ordered_json::parse(planner::assignment_json(cell_targets.items, placed, false));
    cadre_json["roster"] = flags.roster;
    cadre_text = "cadres placed in cells:\n" + planner::assignment_text(placed) +
                 fmt::format("roster written to {}\n", flags.roster);
  }

  // Everything is computed: write the outputs (each atomically).
  const auto layers = planner::assignment_layers(orgs, targets.items, result);
  geo::write_layers(flags.out, layers, write);
  if (!flags.table.empty()) {
    geo::Layer table = layers[0];
    table.kind = geo::GeometryKind::none;
    table.lines.clear();
    geo::write_layers(flags.table, {table}, csv);
  }
  if (with_cadres) geo::write_layers(flags.roster, {roster_layer}, csv);

  if (global.json) {
    auto j = nlohmann::ordered_json::parse(
        planner::assignment_json(targets.items, result, flags.per_target_json));
    j["level"] = flags.level;
    j["need"] = flags.need;
    j["output"] = flags.out;
    if (with_cadres) j["cadres"] = cadre_json;
    fmt::print("{}\n", j.dump(2));
    return;
  }
  if (global.quiet) return;
  fmt::print("{}", planner::assignment_text(result));
  fmt::print("pairings written to {} (layers: {} {})\n", flags.out,
             planner::assign_file::layer::pairings, planner::assign_file::layer::balance);
  if (!flags.table.empty()) fmt::print("pairing table written to {}\n", flags.table);
  fmt::print("{}", cadre_text);
}

} // namespace

void add_assign(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<AssignFlags>();
  auto* cmd = app.add_subcommand(
      "assign",
      "Pair organisations with communities or cells (对口联系) and place cadres in cells");
  cmd->footer("Example: gridplan assign --plan plan.gpkg --orgs agencies.gpkg --capacity staff "
              "--out pairing.gpkg\nSee docs/user/assign.md for the model and every flag.");
  cmd->add_option("--plan", flags->plan, "Plan written by `gridplan plan`")->required();
  cmd->add_option("--orgs", flags->orgs, "Organisations, SRC[:LAYER] (points or polygons)")
      ->required();
  cmd->add_option("--capacity", flags->capacity,
                  "Numeric field of the organisations: their help capacity (staff, members ...)")
      ->required();
  cmd->add_option("--org-id", flags->org_id,
                  "Field with the organisations' ids (default: org_id, "
                  "id, code or 编码; else the row number)");
  cmd->add_option("--org-name", flags->org_name, "Field with their names (default: name or 名称)");
  cmd->add_option("--level", flags->level, "Pair with communities (default) or cells")
      ->check(CLI::IsMember({"communities", "cells"}));
  cmd->add_option("--need", flags->need,
                  "What capacity follows: population (default), households, area, or a numeric "
                  "field of the targets (or of --need-from)");
  cmd->add_option("--need-from", flags->need_from,
                  "Take --need from this layer, SRC[:LAYER], summed by cell_code (cells) or "
                  "area_code (communities), e.g. simulate's output");
  cmd->add_option("--per-target", flags->per_target, "Organisations per target (default 6)");
  cmd->add_option("--count", flags->count,
                  "equal: per-target each (default); need: in proportion to need")
      ->check(CLI::IsMember({"equal", "need"}));
  cmd->add_option("--max-per-org", flags->max_per_org,
                  "Most targets one organisation pairs with (default: no limit)");
  cmd->add_option("--boundary-penalty", flags->boundary_penalty,
                  "Cost of crossing one street or district boundary, in metres (default 1500)");
  cmd->add_option("--boundary-levels", flags->boundary_levels,
                  "Code prefix lengths whose boundaries count (default 6,9: district, street)")
      ->delimiter(',');
  cmd->add_option("--capacity-weight", flags->capacity_weight,
                  "Metres of travel one mean pairing of capacity imbalance is worth (default "
                  "1000; 0 = nearest first, exact)");
  cmd->add_option("--max-distance", flags->max_distance,
                  "Never pair farther than this many metres (default: no limit)");
  cmd->add_option("--cadres", flags->cadres,
                  "Cadres to place in cells, SRC[:LAYER]: points (home) or a table with "
                  "cadre_id, name, agency and optionally x, y in the plan's CRS");
  cmd->add_option("--cadres-per-org", flags->cadres_per_org,
                  "Every organisation sends this many cadres (placed from its location)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--cadre-type", flags->cadre_type,
                  "Scenario worker type of the cadres in the roster (default cadre)");
  cmd->add_option("--cadre-shift", flags->cadre_shift,
                  "Scenario shift the cadres serve (default: the worker type's shifts)");
  cmd->add_option("--roster", flags->roster, "Write the cadres' roster here (CSV)");
  cmd->add_option("-o,--out", flags->out, "Pairing layer and balance table (GeoPackage)")
      ->required();
  cmd->add_option("--table", flags->table, "Also write the pairings as a CSV table here");
  cmd->add_flag("--overwrite", flags->overwrite, "Replace existing outputs");
  cmd->add_flag("--balance-json", flags->per_target_json,
                "With --json: include the balance of every target");
  cmd->callback([flags, &global] { run_assign(*flags, global); });
}

} // namespace gp::cli
