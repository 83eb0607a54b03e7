// Reading the cadre roster and adding its cadres to a scenario (see roster.hpp).

#include "gp/sim/roster.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

namespace gp::sim {

std::vector<RosterEntry> read_roster(const std::string& path) {
  const geo::Layer layer = geo::read_layer(path, "");
  auto column = [&](const char* name, bool required) {
    const int i = layer.table.find(name);
    if (i < 0 && required)
      throw InputError(path, layer.name, std::nullopt,
                       fmt::format("roster has no column '{}'", name));
    return i;
  };
  const int c_id = column(roster_file::cadre_id, true);
  const int c_cell = column(roster_file::cell_code, true);
  const int c_name = column(roster_file::name, false);
  const int c_agency = column(roster_file::agency, false);
  const int c_type = column(roster_file::worker_type, false);
  const int c_shift = column(roster_file::shift, false);
  auto text = [&](const std::vector<geo::Value>& row, int c) {
    return c < 0 ? std::string{} : geo::value_text(row[static_cast<std::size_t>(c)]);
  };
  std::vector<RosterEntry> out;
  std::set<std::string> ids;
  for (std::size_t r = 0; r < layer.table.rows.size(); ++r) {
    const auto& row = layer.table.rows[r];
    const auto feature = static_cast<long long>(r + 1);
    RosterEntry e;
    e.cadre_id = text(row, c_id);
    e.cell_code = text(row, c_cell);
    e.name = text(row, c_name);
    e.agency = text(row, c_agency);
    if (const auto t = text(row, c_type); !t.empty()) e.worker_type = t;
    e.shift = text(row, c_shift);
    if (e.cadre_id.empty())
      throw InputError(path, layer.name, feature,
                       fmt::format("{} is empty", roster_file::cadre_id));
    if (!ids.insert(e.cadre_id).second)
      throw InputError(path, layer.name, feature,
                       fmt::format("{} '{}' appears twice", roster_file::cadre_id, e.cadre_id));
    if (e.cell_code.empty())
      throw InputError(path, layer.name, feature,
                       fmt::format("{} is empty", roster_file::cell_code));
    out.push_back(std::move(e));
  }
  return out;
}

void apply_roster(Scenario& scenario, const std::vector<RosterEntry>& roster, const SimPlan& plan,
                  const std::string& roster_path) {
  std::set<std::string> cells;
  for (const auto& c : plan.cells) cells.insert(c.code);
  std::set<std::string> shifts;
  for (const auto& s : scenario.shifts) shifts.insert(s.name);
  for (std::size_t r = 0; r < roster.size(); ++r) {
    const auto& e = roster[r];
    const auto feature = static_cast<long long>(r + 1);
    if (!cells.count(e.cell_code))
      throw InputError(roster_path, {}, feature,
                       fmt::format("cell '{}' is not in the plan", e.cell_code));
    const WorkerType* base = scenario.find_type(e.worker_type);
    if (base == nullptr)
      throw InputError(roster_path, {}, feature,
                       fmt::format("unknown worker type '{}'", e.worker_type));
    std::string type = e.worker_type;
    if (!e.shift.empty()) {
      if (!shifts.count(e.shift))
        throw InputError(roster_path, {}, feature, fmt::format("unknown shift '{}'", e.shift));
      type += "@" + e.shift;
      if (scenario.find_type(type) == nullptr) {
        WorkerType derived = *base; // copy before push_back may move the vector
        derived.name = type;
        derived.label += " (" + e.shift + ")";
        derived.per_cell = 0;
        derived.shifts = {e.shift};
        scenario.worker_types.push_back(std::move(derived));
      }
    }
    auto& counts = scenario.cell_overrides[e.cell_code];
    auto it = counts.find(type);
    if (it == counts.end()) it = counts.emplace(type, scenario.find_type(type)->per_cell).first;
    ++it->second;
  }
}

} // namespace gp::sim
