#include "gp/planner/diff.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

#include <fmt/core.h>

#include "gp/core/error.hpp"

namespace gp::planner {
namespace {

void check_sizes(const PlanAssignment& a, const char* which) {
  if (a.cell_code.size() != a.unit_key.size() || a.households.size() != a.unit_key.size())
    throw UsageError(fmt::format("diff: the {} plan has {} keys, {} codes and {} household "
                                 "values; one of each per unit expected",
                                 which, a.unit_key.size(), a.cell_code.size(),
                                 a.households.size()));
}

std::unordered_map<std::string, std::size_t> index_keys(const PlanAssignment& a,
                                                        const char* which) {
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(a.unit_key.size());
  for (std::size_t i = 0; i < a.unit_key.size(); ++i)
    if (!index.emplace(a.unit_key[i], i).second)
      throw InputError(which, "units", static_cast<long long>(i),
                       fmt::format("unit key '{}' occurs more than once", a.unit_key[i]));
  return index;
}

BalanceStats balance_of(const PlanAssignment& a, const DiffOptions& options) {
  std::map<std::string, double> per_cell;
  for (std::size_t i = 0; i < a.unit_key.size(); ++i)
    if (!a.cell_code[i].empty()) per_cell[a.cell_code[i]] += a.households[i];
  BalanceStats s;
  s.cells = per_cell.size();
  if (per_cell.empty()) {
    s.share_within_bounds = 1;
    return s;
  }
  s.min = std::numeric_limits<double>::infinity();
  s.max = -std::numeric_limits<double>::infinity();
  double sum = 0;
  std::size_t within = 0;
  for (const auto& [code, hh] : per_cell) {
    s.min = std::min(s.min, hh);
    s.max = std::max(s.max, hh);
    sum += hh;
    if (hh >= options.min_weight - 1e-9 && hh <= options.max_weight + 1e-9) ++within;
  }
  s.mean = sum / static_cast<double>(per_cell.size());
  s.share_within_bounds = static_cast<double>(within) / static_cast<double>(per_cell.size());
  return s;
}

} // namespace

const char* cell_status_name(CellStatus status) {
  switch (status) {
  case CellStatus::unchanged:
    return "unchanged";
  case CellStatus::changed:
    return "changed";
  case CellStatus::added:
    return "added";
  case CellStatus::removed:
    return "removed";
  }
  return "unknown";
}

PlanDiff diff_plans(const PlanAssignment& before, const PlanAssignment& after,
                    const DiffOptions& options) {
  check_sizes(before, "before");
  check_sizes(after, "after");
  const auto before_index = index_keys(before, "before");
  const auto after_index = index_keys(after, "after");

  PlanDiff d;
  std::map<std::string, CellChange> cells;
  auto cell = [&](const std::string& code) -> CellChange& {
    auto& c = cells[code];
    c.code = code;
    return c;
  };
  for (std::size_t i = 0; i < before.unit_key.size(); ++i)
    if (!before.cell_code[i].empty()) {
      auto& c = cell(before.cell_code[i]);
      c.households_before += before.households[i];
      ++c.units_before;
    }
  for (std::size_t j = 0; j < after.unit_key.size(); ++j)
    if (!after.cell_code[j].empty()) {
      auto& c = cell(after.cell_code[j]);
      c.households_after += after.households[j];
      ++c.units_after;
    }

  // (before code, after code) -> (households, units) shared, for the code mapping.
  std::map<std::pair<std::string, std::string>, std::pair<double, std::size_t>> shared;
  for (std::size_t j = 0; j < after.unit_key.size(); ++j) {
    const auto& to = after.cell_code[j];
    const double hh = after.households[j];
    const auto it = before_index.find(after.unit_key[j]);
    if (it == before_index.end()) {
      d.units_added.push_back(after.unit_key[j]);
      if (!to.empty()) {
        cell(to).households_gained += hh;
        ++cell(to).units_gained;
      }
      continue;
    }
    const std::size_t i = it->second;
    const auto& from = before.cell_code[i];
    if (!from.empty()) {
      auto& s = shared[{from, to}];
      s.first += hh;
      ++s.second;
    }
    if (from == to) continue;
    d.moved.push_back(MovedUnit{i, j, after.unit_key[j], from, to, hh});
    d.households_moved += hh;
    if (!to.empty()) {
      cell(to).households_gained += hh;
      ++cell(to).units_gained;
    }
    if (!from.empty()) {
      cell(from).households_lost += before.households[i];
      ++cell(from).units_lost;
    }
  }
  for (std::size_t i = 0; i < before.unit_key.size(); ++i) {
    if (after_index.count(before.unit_key[i])) continue;
    d.units_removed.push_back(before.unit_key[i]);
    if (!before.cell_code[i].empty()) {
      cell(before.cell_code[i]).households_lost += before.households[i];
      ++cell(before.cell_code[i]).units_lost;
    }
  }

  // Successor of each before cell: largest shared households, then units, then lowest code
  // (std::map iterates codes in ascending order, so the first best wins ties).
  std::map<std::string, std::tuple<double, std::size_t, std::string>> best;
  for (const auto& [codes, s] : shared) {
    if (codes.second.empty()) continue;
    auto [it, inserted] = best.try_emplace(codes.first, s.first, s.second, codes.second);
    if (!inserted) {
      auto& [hh, units, code] = it->second;
      if (s.first > hh + 1e-9 || (s.first >= hh - 1e-9 && s.second > units)) {
        hh = s.first;
        units = s.second;
        code = codes.second;
      }
    }
  }

  for (auto& [code, c] : cells) {
    if (c.units_before == 0 && c.units_after > 0)
      c.status = CellStatus::added;
    else if (c.units_after == 0 && c.units_before > 0)
      c.status = CellStatus::removed;
    else if (c.units_gained > 0 || c.units_lost > 0)
      c.status = CellStatus::changed;
    else
      c.status = CellStatus::unchanged;
    switch (c.status) {
    case CellStatus::unchanged:
      ++d.cells_unchanged;
      break;
    case CellStatus::changed:
      ++d.cells_changed;
      break;
    case CellStatus::added:
      ++d.cells_added;
      break;
    case CellStatus::removed:
      ++d.cells_removed;
      break;
    }
    if (c.units_before > 0) {
      CodeMapping m;
      m.before = code;
      if (const auto it = best.find(code); it != best.end()) {
        m.after = std::get<2>(it->second);
        m.households_shared = std::get<0>(it->second);
        m.units_shared = std::get<1>(it->second);
        c.successor = m.after;
      }
      m.share = c.households_before > 0 ? m.households_shared / c.households_before
                                        : (m.after.empty() ? 0.0 : 1.0);
      d.mapping.push_back(m);
    }
    d.cells.push_back(c);
  }
  d.before = balance_of(before, options);
  d.after = balance_of(after, options);
  return d;
}

} // namespace gp::planner
