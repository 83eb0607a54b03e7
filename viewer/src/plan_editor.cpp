#include "gp/viewer/plan_editor.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "gp/core/error.hpp"
#include "gp/core/thread_pool.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/graph_builder.hpp"

namespace gp::viewer {

namespace field = planner::plan_file::field;
namespace layer_name = planner::plan_file::layer;

namespace {

void set_number(geo::Layer& layer, std::size_t row, int f, double value) {
  if (f < 0) return;
  auto& cell = layer.table.rows[row][static_cast<std::size_t>(f)];
  if (layer.table.fields[static_cast<std::size_t>(f)].type == geo::FieldType::integer)
    cell = static_cast<std::int64_t>(std::llround(value));
  else
    cell = value;
}

/// The outline pieces of `units` (all in cell `cell_units`' cell, whose outline is
/// `outline`) as the planner draws them: planner::build_area_graph over the cell's units
/// clipped to the cell. Returns one region per entry of `units`.
std::vector<geo::MultiPolygon> regions_in_cell(const plan_file::PlanFile& plan,
                                               const std::vector<std::uint32_t>& cell_units,
                                               const geo::MultiPolygon& outline,
                                               const std::vector<std::uint32_t>& units) {
  geo::Dataset dataset;
  dataset.units.reserve(cell_units.size());
  planner::UnitValues values;
  std::vector<std::uint32_t> local(cell_units.size());
  for (std::size_t k = 0; k < cell_units.size(); ++k) {
    const auto& u = plan.units[cell_units[k]];
    geo::Unit unit;
    unit.geometry = u.footprint;
    unit.anchor = u.anchor;
    unit.households = u.households;
    dataset.units.push_back(std::move(unit));
    values.balance.push_back(u.balance);
    local[k] = static_cast<std::uint32_t>(k);
  }
  // Tiling units (parcels) are their own regions; buildings get Voronoi regions. The cell
  // tells which: tiling units cover it.
  double footprints = 0;
  for (const auto& u : dataset.units) footprints += geo::area(u.geometry);
  planner::GraphBuildOptions options;
  options.kind = footprints >= 0.95 * geo::area(outline) ? planner::UnitKind::tiling
                                                         : planner::UnitKind::buildings;
  const auto graph = planner::build_area_graph(dataset, local, &outline, values, nullptr, options);
  std::vector<geo::MultiPolygon> out;
  for (auto u : units) {
    const auto it = std::find(cell_units.begin(), cell_units.end(), u);
    out.push_back(it == cell_units.end()
                      ? geo::MultiPolygon{}
                      : graph.regions[static_cast<std::size_t>(it - cell_units.begin())]);
  }
  return out;
}

} // namespace

OpenedFile open_file(const std::string& path) {
  OpenedFile out;
  std::exception_ptr model_error;
  gp::run_jobs(2, 2, [&](std::size_t job) {
    if (job == 0) {
      try {
        out.model = MapModel::open(path);
      } catch (...) {
        model_error = std::current_exception();
      }
      return;
    }
    try {
      out.plan = plan_file::read_plan(path);
      for (const auto& n : out.plan->notices) out.notice += (out.notice.empty() ? "" : " ") + n;
    } catch (const gp::Error& e) {
      out.notice = e.what();
    }
  });
  if (model_error) std::rethrow_exception(model_error);
  return out;
}

PlanEditor::PlanEditor(MapModel& model, plan_file::PlanFile plan)
    : model_(model), plan_(std::move(plan)) {
  units_ = model.find(layer_name::units);
  cells_ = model.find(layer_name::cells);
  const std::string file = plan_.path.empty() ? model.path() : plan_.path;
  if (!units_) throw InputError(file, layer_name::units, std::nullopt, "layer missing");
  if (!cells_) throw InputError(file, layer_name::cells, std::nullopt, "layer missing");
  if (units_->size() != plan_.units.size() || units_->data.polygons.size() != units_->size())
    throw InputError(
        file, layer_name::units, std::nullopt,
        fmt::format("{} rows shown but {} units in the plan", units_->size(), plan_.units.size()));
  unit_cell_field_ = units_->data.table.find(field::cell_code);
  if (unit_cell_field_ < 0)
    throw InputError(file, layer_name::units, std::nullopt,
                     fmt::format("field '{}' missing", field::cell_code));
  const int unit_id = units_->data.table.find(field::unit_id);
  for (std::size_t i = 0; i < plan_.units.size() && unit_id >= 0; ++i)
    if (units_->number(i, unit_id).value_or(-1) != static_cast<double>(plan_.units[i].id))
      throw InputError(file, layer_name::units, static_cast<std::int64_t>(i),
                       "units not in unit_id order");

  // Cells-layer rows of the plan's cells, by code.
  const int code_field = cells_->data.table.find(field::cell_code);
  std::unordered_map<std::string, std::uint32_t> row_of;
  for (std::uint32_t r = 0; r < cells_->size(); ++r) row_of.emplace(cells_->text(r, code_field), r);
  cell_row_.resize(plan_.cells.size());
  for (std::size_t c = 0; c < plan_.cells.size(); ++c) {
    auto it = row_of.find(plan_.cells[c].code);
    if (it == row_of.end())
      throw InputError(file, layer_name::cells, static_cast<std::int64_t>(c),
                       fmt::format("cell {} not shown", plan_.cells[c].code));
    cell_row_[c] = it->second;
  }
  // The planner's own target, recovered from the deviation it wrote.
  target_.assign(plan_.cells.size(), 0);
  {
    const int balance_col = cells_->data.table.find(plan_.rules.balance_field);
    const int dev_col = cells_->data.table.find(field::deviation_pct);
    for (std::size_t c = 0; c < plan_.cells.size(); ++c) {
      const auto b = cells_->number(cell_row_[c], balance_col);
      const auto d = cells_->number(cell_row_[c], dev_col);
      if (b && d && *d > -99.9) target_[c] = *b / (1 + *d / 100);
    }
  }

  // The judge's input, exactly as judge_plan() builds it from the file.
  input_ = plan_file::judge_input(plan_);
  members_.resize(plan_.cells.size());
  for (std::uint32_t u = 0; u < plan_.units.size(); ++u) {
    const auto& unit = plan_.units[u];
    if (unit.cell >= 0) members_[static_cast<std::size_t>(unit.cell)].push_back(u);
    if (!unit.compound.empty()) ++compound_cells_[unit.compound][unit.cell];
  }
  // CSR of the adjacency: per unit its edges (index into input_.adjacency).
  const std::size_t n = plan_.units.size();
  adj_offsets_.assign(n + 1, 0);
  for (const auto& e : input_.adjacency)
    if (e.a < n && e.b < n) ++adj_offsets_[e.a + 1], ++adj_offsets_[e.b + 1];
  for (std::size_t i = 0; i < n; ++i) adj_offsets_[i + 1] += adj_offsets_[i];
  adj_edges_.resize(adj_offsets_[n]);
  auto fill = std::vector<std::uint32_t>(adj_offsets_.begin(), adj_offsets_.end() - 1);
  for (std::uint32_t k = 0; k < input_.adjacency.size(); ++k) {
    const auto& e = input_.adjacency[k];
    if (e.a < n && e.b < n) adj_edges_[fill[e.a]++] = k, adj_edges_[fill[e.b]++] = k;
  }
  for (const auto& [compound, per_cell] : compound_cells_) split_count_ += is_split(per_cell);

  judgement_ = plan_file::judge(input_);
}

std::pair<double, double> PlanEditor::bounds(std::size_t cell) const {
  return input_.area_bounds.at(input_.cell_area.at(cell));
}

const geo::MultiPolygon& PlanEditor::cell_geometry(std::size_t cell) const {
  return cells_->data.polygons.at(cell_row_.at(cell));
}

std::string PlanEditor::cell_code_of(std::uint32_t unit) const {
  const auto c = cell_of(unit);
  return c < 0 ? std::string() : plan_.cells[static_cast<std::size_t>(c)].code;
}

std::int64_t PlanEditor::cell_of_row(std::uint32_t row) const {
  for (std::size_t c = 0; c < cell_row_.size(); ++c)
    if (cell_row_[c] == row) return static_cast<std::int64_t>(c);
  return -1;
}

std::size_t PlanEditor::pieces(const std::vector<std::uint32_t>& members) const {
  if (members.empty()) return 0;
  std::unordered_map<std::uint32_t, std::uint32_t> pos;
  pos.reserve(members.size() * 2);
  for (std::uint32_t k = 0; k < members.size(); ++k) pos.emplace(members[k], k);
  std::vector<std::uint8_t> seen(members.size(), 0);
  std::vector<std::uint32_t> stack;
  std::size_t count = 0;
  for (std::uint32_t s = 0; s < members.size(); ++s) {
    if (seen[s]) continue;
    ++count;
    seen[s] = 1;
    stack.push_back(s);
    while (!stack.empty()) {
      const auto k = stack.back();
      stack.pop_back();
      const auto u = members[k];
      for (auto j = adj_offsets_[u]; j < adj_offsets_[u + 1]; ++j) {
        const auto& e = input_.adjacency[adj_edges_[j]];
        if (input_.hard_barriers && e.barrier) continue;
        auto it = pos.find(e.a == u ? e.b : e.a);
        if (it != pos.end() && !seen[it->second]) {
          seen[it->second] = 1;
          stack.push_back(it->second);
        }
      }
    }
  }
  return count;
}

std::vector<std::string> PlanEditor::compounds_split_by(const std::vector<std::uint32_t>& units,
                                                        std::int64_t target) const {
  // Per compound touched: cells it lies in before and after the move.
  std::map<std::string, std::unordered_map<std::int64_t, long>> change;
  for (auto u : units) {
    const auto& c = input_.unit_compound[u];
    if (c.empty() || input_.unit_cell[u] == target) continue;
    --change[c][input_.unit_cell[u]];
    ++change[c][target];
  }
  std::vector<std::string> out;
  for (const auto& [compound, delta] : change) {
    const auto& now = compound_cells_.at(compound);
    std::size_t before = 0, after = 0;
    std::set<std::int64_t> cells;
    for (const auto& [cell, n] : now)
      if (n > 0) cells.insert(cell);
    for (const auto& [cell, d] : delta) cells.insert(cell);
    for (auto cell : cells) {
      const auto it = now.find(cell);
      const long have = it == now.end() ? 0 : static_cast<long>(it->second);
      const auto dit = delta.find(cell);
      const long will = have + (dit == delta.end() ? 0 : dit->second);
      before += have > 0 && cell >= 0;
      after += will > 0 && cell >= 0;
    }
    if (after > before) out.push_back(compound);
  }
  return out;
}

MoveCheck PlanEditor::check_move(const std::vector<std::uint32_t>& units,
                                 const std::string& target_code) const {
  if (units.empty()) return {false, "no buildings selected", {}};
  const auto target = plan_.find_cell(target_code);
  if (target_code.empty() || target < 0)
    return {false,
            fmt::format("cell '{}' does not exist: the buildings would be left unassigned",
                        target_code),
            {}};
  const auto t = static_cast<std::size_t>(target);
  const auto& area = plan_.cells[t].area_code;
  std::map<std::size_t, std::set<std::uint32_t>> by_donor;
  for (auto u : units) {
    if (u >= plan_.units.size()) return {false, fmt::format("no building #{}", u), {}};
    if (plan_.units[u].area_code != area)
      return {false,
              fmt::format("building #{} is in community {} but cell {} is in community {}",
                          plan_.units[u].id, plan_.units[u].area_code, target_code, area),
              {}};
    const auto from = input_.unit_cell[u];
    if (from == target || from < 0) continue;
    by_donor[static_cast<std::size_t>(from)].insert(u);
  }
  const bool any_unassigned =
      std::any_of(units.begin(), units.end(), [&](auto u) { return input_.unit_cell[u] < 0; });
  if (by_donor.empty() && !any_unassigned)
    return {false, fmt::format("the buildings are already in cell {}", target_code), {}};
  for (const auto& [donor, moved] : by_donor) {
    const auto& code = plan_.cells[donor].code;
    std::vector<std::uint32_t> rest;
    for (auto u : members_[donor])
      if (!moved.count(u)) rest.push_back(u);
    if (rest.empty())
      return {false, fmt::format("cell {} would be left without buildings", code), {}};
    const auto before = judgement_.cells[donor].pieces, after = pieces(rest);
    if (after > before)
      return {false,
              fmt::format("cell {} would be split into {} pieces (contiguity)", code, after),
              {}};
  }
  std::vector<std::uint32_t> grown = members_[t];
  for (auto u : units)
    if (input_.unit_cell[u] != target) grown.push_back(u);
  const auto after = pieces(grown);
  if (after > std::max<std::size_t>(judgement_.cells[t].pieces, 1))
    return {false,
            fmt::format("the buildings do not touch cell {} (it would have {} pieces)", target_code,
                        after),
            {}};
  return {true, {}, compounds_split_by(units, target)};
}

std::optional<EditStep> PlanEditor::move(const std::vector<std::uint32_t>& units,
                                         const std::string& target_code, MoveCheck* check_out) {
  const auto start = std::chrono::steady_clock::now();
  auto check = check_move(units, target_code);
  if (check_out) *check_out = check;
  if (!check.allowed) return std::nullopt;
  EditStep step;
  step.to = plan_.find_cell(target_code);
  step.split_compounds = check.splits_compounds;
  std::map<std::size_t, std::vector<std::uint32_t>> by_donor;
  std::set<std::string> donors;
  for (auto u : units) {
    const auto from = input_.unit_cell[u];
    if (from == step.to) continue;
    step.units.push_back(u);
    step.from.push_back(from);
    if (from >= 0) {
      by_donor[static_cast<std::size_t>(from)].push_back(u);
      donors.insert(plan_.cells[static_cast<std::size_t>(from)].code);
    }
  }
  // New outlines: each donor loses its moved units' regions, the target gains them.
  const auto t = static_cast<std::size_t>(step.to);
  std::vector<geo::MultiPolygon> gained;
  for (const auto& [donor, moved] : by_donor) {
    const auto& outline = cell_geometry(donor);
    step.cells.push_back(donor);
    step.before.push_back(outline);
    if (outline.empty()) {
      step.after.push_back(outline);
      continue;
    }
    auto regions = regions_in_cell(plan_, members_[donor], outline, moved);
    std::vector<const geo::MultiPolygon*> parts;
    for (const auto& r : regions)
      if (!r.empty()) parts.push_back(&r);
    auto lost = parts.empty()       ? geo::MultiPolygon{}
                : parts.size() == 1 ? *parts.front()
                                    : geo::union_coverage(parts);
    step.after.push_back(geo::difference(outline, lost));
    gained.push_back(std::move(lost));
  }
  step.cells.push_back(t);
  step.before.push_back(cell_geometry(t));
  {
    std::vector<const geo::MultiPolygon*> parts;
    if (!cell_geometry(t).empty()) parts.push_back(&cell_geometry(t));
    for (const auto& g : gained)
      if (!g.empty()) parts.push_back(&g);
    step.after.push_back(parts.size() == 1 ? *parts.front() : geo::union_all(parts));
  }
  std::string ids;
  for (std::size_t k = 0; k < step.units.size() && k < 20; ++k)
    ids += (k ? "," : "") + std::to_string(plan_.units[step.units[k]].id);
  if (step.units.size() > 20) ids += ",...";
  std::string from_text;
  for (const auto& d : donors) from_text += (from_text.empty() ? "" : ",") + d;
  step.description =
      fmt::format("moved {} building(s) [unit_id {}] from cell {} to cell {}", step.units.size(),
                  ids, from_text.empty() ? "(unassigned)" : from_text, target_code);
  if (!step.split_compounds.empty()) {
    std::string c;
    for (const auto& s : step.split_compounds) c += (c.empty() ? "" : ",") + s;
    step.description += fmt::format("; splits compound(s) {} (confirmed)", c);
  }
  redo(step);
  step.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return step;
}

void PlanEditor::redo(const EditStep& step) {
  apply(step.units, std::vector<std::int64_t>(step.units.size(), step.to), step.cells, step.after);
  log_.push_back(step.description);
}

void PlanEditor::undo(const EditStep& step) {
  apply(step.units, step.from, step.cells, step.before);
  if (!log_.empty()) log_.pop_back();
}

std::size_t PlanEditor::cut_edges_at(const std::vector<std::uint32_t>& units) const {
  std::set<std::uint32_t> edges;
  for (auto u : units)
    for (auto j = adj_offsets_[u]; j < adj_offsets_[u + 1]; ++j) edges.insert(adj_edges_[j]);
  std::size_t cut = 0;
  for (auto k : edges) {
    const auto& e = input_.adjacency[k];
    const auto a = input_.unit_cell[e.a], b = input_.unit_cell[e.b];
    cut += a >= 0 && b >= 0 && a != b;
  }
  return cut;
}

bool PlanEditor::is_split(const std::unordered_map<std::int64_t, std::size_t>& per_cell) {
  std::size_t cells = 0;
  for (const auto& [cell, count] : per_cell) cells += cell >= 0 && count > 0;
  return cells > 1;
}

void PlanEditor::apply(const std::vector<std::uint32_t>& units,
                       const std::vector<std::int64_t>& cells,
                       const std::vector<std::size_t>& touched,
                       const std::vector<geo::MultiPolygon>& outlines) {
  // Figures that depend on more than the touched cells are updated by difference: cut
  // edges around the moved units, compounds of the moved units, unassigned units.
  const auto cut_before = cut_edges_at(units);
  std::set<std::string> compounds;
  for (auto u : units)
    if (!input_.unit_compound[u].empty()) compounds.insert(input_.unit_compound[u]);
  for (const auto& c : compounds) split_count_ -= is_split(compound_cells_[c]);
  auto& unit_rows = units_->data.table.rows;
  for (std::size_t k = 0; k < units.size(); ++k) {
    const auto u = units[k];
    const auto from = input_.unit_cell[u], to = cells[k];
    if (from == to) continue;
    if (from >= 0) {
      auto& m = members_[static_cast<std::size_t>(from)];
      m.erase(std::remove(m.begin(), m.end(), u), m.end());
    } else {
      --judgement_.unassigned_units;
    }
    if (to >= 0)
      members_[static_cast<std::size_t>(to)].push_back(u);
    else
      ++judgement_.unassigned_units;
    if (const auto& c = input_.unit_compound[u]; !c.empty()) {
      auto& per_cell = compound_cells_[c];
      if (--per_cell[from] == 0) per_cell.erase(from);
      ++per_cell[to];
    }
    input_.unit_cell[u] = to;
    unit_rows[u][static_cast<std::size_t>(unit_cell_field_)] =
        to < 0 ? geo::Value{} : geo::Value{plan_.cells[static_cast<std::size_t>(to)].code};
  }
  for (const auto& c : compounds) split_count_ += is_split(compound_cells_[c]);
  judgement_.split_compounds = split_count_;
  judgement_.cut_edges = judgement_.cut_edges + cut_edges_at(units) - cut_before;
  for (std::size_t k = 0; k < touched.size(); ++k) {
    const auto c = touched[k];
    cells_->data.polygons[cell_row_[c]] = outlines[k];
    input_.cell_polsby_popper[c] = geo::polsby_popper(outlines[k]);
  }
  rejudge(touched);
}

void PlanEditor::rejudge(const std::vector<std::size_t>& touched) {
  // The touched cells judged by the contract's judge() on their own units and the edges
  // among them (a cell's figures depend on nothing else) ...
  plan_file::JudgeInput sub;
  sub.area_bounds = input_.area_bounds;
  sub.hard_barriers = input_.hard_barriers;
  sub.floors = input_.floors;
  sub.unit_floor.assign(input_.floors.size(), {});
  std::unordered_map<std::uint32_t, std::uint32_t> local;
  for (std::size_t k = 0; k < touched.size(); ++k) {
    const auto c = touched[k];
    sub.cell_area.push_back(input_.cell_area[c]);
    sub.cell_polsby_popper.push_back(input_.cell_polsby_popper[c]);
    for (auto u : members_[c]) {
      local.emplace(u, static_cast<std::uint32_t>(sub.unit_cell.size()));
      sub.unit_cell.push_back(static_cast<std::int64_t>(k));
      sub.unit_balance.push_back(input_.unit_balance[u]);
      sub.unit_compound.emplace_back();
      for (std::size_t f = 0; f < sub.floors.size(); ++f)
        sub.unit_floor[f].push_back(input_.unit_floor[f][u]);
    }
  }
  for (const auto& [u, lu] : local)
    for (auto j = adj_offsets_[u]; j < adj_offsets_[u + 1]; ++j) {
      auto e = input_.adjacency[adj_edges_[j]];
      const auto other = e.a == u ? e.b : e.a;
      if (other < u) continue; // each edge once, from its lower end
      auto it = local.find(other);
      if (it == local.end()) continue;
      e.a = std::min(lu, it->second);
      e.b = std::max(lu, it->second);
      sub.adjacency.push_back(e);
    }
  std::sort(sub.adjacency.begin(), sub.adjacency.end(),
            [](const auto& x, const auto& y) { return std::tie(x.a, x.b) < std::tie(y.a, y.b); });
  const auto part = plan_file::judge(sub);
  for (std::size_t k = 0; k < touched.size(); ++k) judgement_.cells[touched[k]] = part.cells[k];
  // ... and the plan's totals from all cells' judgements, as judge() sums them.
  auto& j = judgement_;
  j.cells_within_bounds = j.cells_contiguous = j.cells_below_floor = 0;
  double sum = 0, pp = 0;
  j.balance_min = j.cells.empty() ? 0 : std::numeric_limits<double>::infinity();
  j.balance_max = j.cells.empty() ? 0 : -std::numeric_limits<double>::infinity();
  for (const auto& c : j.cells) {
    j.cells_within_bounds += c.within_bounds ? 1 : 0;
    j.cells_contiguous += c.contiguous ? 1 : 0;
    j.cells_below_floor += c.below_floor ? 1 : 0;
    j.balance_min = std::min(j.balance_min, c.balance);
    j.balance_max = std::max(j.balance_max, c.balance);
    sum += c.balance;
    pp += c.polsby_popper;
  }
  if (!j.cells.empty()) {
    const auto n = static_cast<double>(j.cells.size());
    j.share_within_bounds = static_cast<double>(j.cells_within_bounds) / n;
    j.share_contiguous = static_cast<double>(j.cells_contiguous) / n;
    j.balance_mean = sum / n;
    j.mean_polsby_popper = pp / n;
  }
  // The cells layer shows the live figures of the cells involved.
  auto& layer = cells_->data;
  const auto& t = layer.table;
  const int hh = t.find(field::households), n_units = t.find(field::units),
            dev = t.find(field::deviation_pct), within = t.find(field::within_bounds),
            contiguous = t.find(field::contiguous), parts = t.find(field::parts),
            area = t.find(field::area_m2), perimeter = t.find(field::perimeter_m),
            pp_field = t.find(field::polsby_popper), balance = t.find(plan_.rules.balance_field);
  for (auto c : touched) {
    const auto row = cell_row_[c];
    const auto& cj = judgement_.cells[c];
    double households = 0;
    for (auto u : members_[c]) households += plan_.units[u].households;
    set_number(layer, row, hh, households);
    if (balance >= 0 && balance != hh) set_number(layer, row, balance, cj.balance);
    set_number(layer, row, n_units, static_cast<double>(cj.units));
    if (target_[c] > 0) set_number(layer, row, dev, 100 * (cj.balance - target_[c]) / target_[c]);
    set_number(layer, row, within, cj.within_bounds ? 1 : 0);
    set_number(layer, row, contiguous, cj.contiguous ? 1 : 0);
    set_number(layer, row, parts, static_cast<double>(layer.polygons[row].size()));
    set_number(layer, row, area, geo::area(layer.polygons[row]));
    set_number(layer, row, perimeter, geo::perimeter(layer.polygons[row]));
    set_number(layer, row, pp_field, cj.polsby_popper);
    cells_->update_feature(row);
  }
}

std::vector<std::string>
PlanEditor::neighbour_cells(const std::vector<std::uint32_t>& units) const {
  std::set<std::int64_t> own;
  for (auto u : units) own.insert(input_.unit_cell.at(u));
  std::set<std::string> out;
  for (auto u : units)
    for (auto j = adj_offsets_[u]; j < adj_offsets_[u + 1]; ++j) {
      const auto& e = input_.adjacency[adj_edges_[j]];
      const auto c = input_.unit_cell[e.a == u ? e.b : e.a];
      if (c >= 0 && !own.count(c)) out.insert(plan_.cells[static_cast<std::size_t>(c)].code);
    }
  return {out.begin(), out.end()};
}

std::vector<Violation> PlanEditor::violations() const {
  std::vector<Violation> out;
  for (std::size_t c = 0; c < plan_.cells.size(); ++c) {
    const auto& j = judgement_.cells[c];
    const auto& code = plan_.cells[c].code;
    const auto box = cells_->index.box(cell_row_[c]);
    if (!j.within_bounds) {
      const auto [lo, hi] = bounds(c);
      out.push_back({Violation::Kind::bounds, static_cast<std::int64_t>(c),
                     fmt::format("{}: {} {:.0f} outside {:.0f}–{:.0f}", code,
                                 plan_.rules.balance_field, j.balance, lo, hi),
                     box});
    }
    if (!j.contiguous && j.units > 0)
      out.push_back({Violation::Kind::contiguity, static_cast<std::int64_t>(c),
                     fmt::format("{}: in {} pieces", code, j.pieces), box});
  }
  std::map<std::string, std::vector<std::int64_t>> split;
  for (const auto& [compound, per_cell] : compound_cells_) {
    std::vector<std::int64_t> cells;
    for (const auto& [cell, n] : per_cell)
      if (n > 0 && cell >= 0) cells.push_back(cell);
    if (cells.size() > 1) {
      std::sort(cells.begin(), cells.end());
      split.emplace(compound, std::move(cells));
    }
  }
  for (const auto& [compound, cells] : split) {
    geo::Box box = geo::Box::none();
    std::string codes;
    for (auto c : cells) {
      box.expand(cells_->index.box(cell_row_[static_cast<std::size_t>(c)]));
      codes += (codes.empty() ? "" : ", ") + plan_.cells[static_cast<std::size_t>(c)].code;
    }
    out.push_back(
        {Violation::Kind::compound, cells.front(),
         fmt::format("compound {} split over {} cells: {}", compound, cells.size(), codes), box});
  }
  for (std::uint32_t u = 0; u < input_.unit_cell.size(); ++u)
    if (input_.unit_cell[u] < 0)
      out.push_back({Violation::Kind::unassigned, -1,
                     fmt::format("building unit_id {} is in no cell", plan_.units[u].id),
                     units_->index.box(u)});
  return out;
}

std::vector<geo::Layer> PlanEditor::to_layers() const {
  std::vector<geo::Layer> out;
  geo::Layer barriers;
  for (const auto& l : model_.layers()) {
    if (l.role == LayerRole::roads || l.role == LayerRole::rivers) {
      if (l.name() != "roads" && l.name() != "rivers") {
        out.push_back(l.data);
        continue;
      }
      if (barriers.name.empty()) {
        barriers = l.data;
        barriers.name = layer_name::barriers;
      } else {
        for (std::size_t i = 0; i < l.size(); ++i) {
          barriers.table.rows.push_back(l.data.table.rows[i]);
          if (l.data.kind == geo::GeometryKind::line) barriers.lines.push_back(l.data.lines[i]);
        }
      }
      continue;
    }
    out.push_back(l.data);
  }
  if (!barriers.name.empty()) out.push_back(std::move(barriers));
  bool has_metadata = false;
  for (const auto& t : model_.tables()) {
    out.push_back(t);
    if (t.name == layer_name::metadata) has_metadata = true;
  }
  if (!has_metadata) {
    geo::Layer meta;
    meta.name = layer_name::metadata;
    meta.table.fields = {{field::key, geo::FieldType::text}, {field::value, geo::FieldType::text}};
    out.push_back(std::move(meta));
  }
  for (auto& l : out) {
    if (l.name != layer_name::metadata) continue;
    const int k = l.table.find(field::key), v = l.table.find(field::value);
    if (k < 0 || v < 0) continue;
    auto add = [&](const std::string& key, const std::string& value) {
      std::vector<geo::Value> row(l.table.fields.size());
      row[static_cast<std::size_t>(k)] = key;
      row[static_cast<std::size_t>(v)] = value;
      l.table.rows.push_back(std::move(row));
    };
    add("manual_edit_source", model_.path());
    if (!model_.path().empty()) add("manual_edit_source_sha256", geo::file_checksum(model_.path()));
    add("manual_edits", std::to_string(log_.size()));
    for (std::size_t i = 0; i < log_.size(); ++i)
      add(fmt::format("manual_edit_{}", i + 1), log_[i]);
  }
  return out;
}

void PlanEditor::save_as(const std::string& path, bool overwrite) const {
  geo::WriteOptions options;
  options.format = geo::format_from_path(path);
  options.geometry_crs = model_.crs();
  options.overwrite = overwrite;
  if (!model_.path().empty()) options.inputs = {model_.path()};
  geo::write_layers(path, to_layers(), options);
}

} // namespace gp::viewer
