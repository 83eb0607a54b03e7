// The pairing file's layers and the assignment summary (JSON and text).

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "gp/planner/assign.hpp"

namespace gp::planner {

std::vector<geo::Layer> assignment_layers(const std::vector<Organisation>& orgs,
                                          const std::vector<AssignTarget>& targets,
                                          const Assignment& result) {
  namespace f = assign_file::field;
  using geo::FieldType;
  using geo::Value;
  geo::Layer lines;
  lines.name = assign_file::layer::pairings;
  lines.kind = geo::GeometryKind::line;
  lines.table.fields = {{f::org_id, FieldType::text},      {f::org_name, FieldType::text},
                        {f::target_code, FieldType::text}, {f::target_name, FieldType::text},
                        {f::distance_m, FieldType::real},  {f::crossings, FieldType::integer},
                        {f::capacity, FieldType::real},    {f::cost, FieldType::integer}};
  for (const auto& p : result.pairings) {
    const auto& o = orgs[p.org];
    const auto& t = targets[p.target];
    lines.table.rows.push_back({Value{o.id}, Value{o.name}, Value{t.code}, Value{t.name},
                                Value{p.distance_m}, Value{std::int64_t{p.crossings}},
                                Value{p.capacity}, Value{p.cost}});
    lines.lines.push_back(geo::MultiLineString{geo::LineString{o.location, t.location}});
  }

  geo::Layer balance;
  balance.name = assign_file::layer::balance;
  balance.kind = geo::GeometryKind::none;
  balance.table.fields = {
      {f::target_code, FieldType::text},    {f::target_name, FieldType::text},
      {f::need, FieldType::real},           {f::count, FieldType::integer},
      {f::ideal_count, FieldType::integer}, {f::capacity, FieldType::real},
      {f::ideal_capacity, FieldType::real}, {f::capacity_ratio, FieldType::real}};
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& b = result.targets[i];
    balance.table.rows.push_back(
        {Value{targets[i].code}, Value{targets[i].name}, Value{b.need},
         Value{std::int64_t{b.count}}, Value{std::int64_t{b.ideal_count}}, Value{b.capacity},
         Value{b.ideal_capacity},
         b.ideal_capacity > 0 ? Value{b.capacity / b.ideal_capacity} : Value{}});
  }
  return {std::move(lines), std::move(balance)};
}

std::string assignment_json(const std::vector<AssignTarget>& targets, const Assignment& result,
                            bool per_target) {
  const auto& s = result.summary;
  nlohmann::ordered_json j;
  j["organisations"] = s.organisations;
  j["targets"] = s.targets;
  j["pairings"] = s.pairings;
  j["unfilled"] = s.unfilled;
  j["unused_orgs"] = s.unused_orgs;
  j["count_min"] = s.count_min;
  j["count_max"] = s.count_max;
  j["capacity_ratio_min"] = s.capacity_ratio_min;
  j["capacity_ratio_p10"] = s.capacity_ratio_p10;
  j["capacity_ratio_p90"] = s.capacity_ratio_p90;
  j["capacity_ratio_max"] = s.capacity_ratio_max;
  j["mean_distance_m"] = s.mean_distance_m;
  j["max_distance_m"] = s.max_distance_m;
  j["crossing_pairings"] = s.crossing_pairings;
  j["cost"] = s.cost;
  j["objective"] = s.objective;
  j["seconds"] = s.seconds;
  if (per_target) {
    auto rows = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const auto& b = result.targets[i];
      rows.push_back({{"code", targets[i].code},
                      {"need", b.need},
                      {"count", b.count},
                      {"ideal_count", b.ideal_count},
                      {"capacity", b.capacity},
                      {"ideal_capacity", b.ideal_capacity}});
    }
    j["balance"] = std::move(rows);
  }
  return j.dump(2);
}

std::string assignment_text(const Assignment& result) {
  const auto& s = result.summary;
  std::string out = fmt::format("{} organisations paired with {} targets: {} pairings",
                                s.organisations, s.targets, s.pairings);
  if (s.unfilled > 0) out += fmt::format(" ({} demanded pairings unfilled)", s.unfilled);
  out += "\n";
  out += fmt::format("  organisations per target  {} – {}\n", s.count_min, s.count_max);
  out += fmt::format("  capacity / ideal          min {:.2f}, p10 {:.2f}, p90 {:.2f}, max {:.2f}\n",
                     s.capacity_ratio_min, s.capacity_ratio_p10, s.capacity_ratio_p90,
                     s.capacity_ratio_max);
  out += fmt::format("  distance                  mean {:.0f} m, max {:.0f} m\n", s.mean_distance_m,
                     s.max_distance_m);
  out += fmt::format("  crossing a boundary       {} of {} pairings\n", s.crossing_pairings,
                     s.pairings);
  if (s.unused_orgs > 0) out += fmt::format("  organisations unpaired    {}\n", s.unused_orgs);
  out += fmt::format("  pair cost {} m, objective {:.0f}, solved in {:.2f} s\n", s.cost,
                     s.objective, s.seconds);
  return out;
}

} // namespace gp::planner
