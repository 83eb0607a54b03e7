#include "gp/viewer/plan_editor.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "gp/core/error.hpp"

namespace gp::viewer {

namespace {

constexpr std::size_t kCandidates = 10;
/// Plans up to this many units get every cell's contiguity at open.
constexpr std::size_t kEagerContiguityUnits = 200000;

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

std::string metadata_value(const MapModel& model, const std::vector<std::string>& keys) {
  for (const auto& t : model.tables()) {
    if (t.name != "plan_metadata") continue;
    const int k = t.table.find("key"), v = t.table.find("value");
    if (k < 0 || v < 0) continue;
    for (const auto& want : keys)
      for (const auto& row : t.table.rows) {
        const auto* key = std::get_if<std::string>(&row[static_cast<std::size_t>(k)]);
        if (key && *key == want) {
          const auto& val = row[static_cast<std::size_t>(v)];
          if (const auto* s = std::get_if<std::string>(&val)) return *s;
          if (const auto* d = std::get_if<double>(&val)) return fmt::format("{}", *d);
          if (const auto* i = std::get_if<std::int64_t>(&val)) return std::to_string(*i);
        }
      }
  }
  return {};
}

void set_number(geo::Layer& layer, std::size_t row, int field, double value) {
  if (field < 0) return;
  auto& cell = layer.table.rows[row][static_cast<std::size_t>(field)];
  if (layer.table.fields[static_cast<std::size_t>(field)].type == geo::FieldType::integer)
    cell = static_cast<std::int64_t>(std::llround(value));
  else
    cell = value;
}

} // namespace

PlanEditor::PlanEditor(MapModel& model) : model_(model) {
  units_ = model.find("units");
  if (!units_) units_ = model.find(LayerRole::units);
  cells_ = model.find("cells");
  if (!cells_) cells_ = model.find(LayerRole::cells);
  const std::string file = model.path().empty() ? "(plan)" : model.path();
  if (!units_)
    throw InputError(file, "units", std::nullopt, "layer missing: not a plan (no units layer)");
  if (!cells_)
    throw InputError(file, "cells", std::nullopt, "layer missing: not a plan (no cells layer)");
  unit_cell_field_ = units_->data.table.find("cell_code");
  unit_households_field_ = units_->data.table.find("households");
  unit_area_field_ = units_->data.table.find("area_code");
  cell_code_field_ = cells_->data.table.find("cell_code");
  if (unit_cell_field_ < 0)
    throw InputError(file, units_->name(), std::nullopt, "field 'cell_code' missing");
  if (unit_households_field_ < 0)
    throw InputError(file, units_->name(), std::nullopt, "field 'households' missing");
  if (cell_code_field_ < 0)
    throw InputError(file, cells_->name(), std::nullopt, "field 'cell_code' missing");

  if (auto lo = metadata_value(model, {"min_households", "min_weight", "lower_bound"}); !lo.empty())
    figures_.lower_bound = std::atof(lo.c_str());
  if (auto hi = metadata_value(model, {"max_households", "max_weight", "upper_bound"}); !hi.empty())
    figures_.upper_bound = std::atof(hi.c_str());

  const int cell_area_field = cells_->data.table.find("area_code");
  const int cell_hh_field = cells_->data.table.find("households");
  const int cell_dev_field = cells_->data.table.find("deviation_pct");
  cell_figures_.resize(cells_->size());
  members_.resize(cells_->size());
  for (std::size_t c = 0; c < cells_->size(); ++c) {
    auto& f = cell_figures_[c];
    f.code = cells_->text(c, cell_code_field_);
    f.area_code = cells_->text(c, cell_area_field);
    if (f.area_code.empty() && f.code.size() > 3) f.area_code = f.code.substr(0, f.code.size() - 3);
    cell_index_.emplace(f.code, c);
    // The planner's own target where it can be recovered from its deviation.
    const auto hh = cells_->number(c, cell_hh_field), dev = cells_->number(c, cell_dev_field);
    if (hh && dev && *dev > -99.9) f.target = *hh / (1 + *dev / 100);
  }
  unit_cell_.resize(units_->size());
  unit_area_.resize(units_->size());
  for (std::uint32_t u = 0; u < units_->size(); ++u) {
    unit_cell_[u] = units_->text(u, unit_cell_field_);
    unit_area_[u] = units_->text(u, unit_area_field_);
    auto it = cell_index_.find(unit_cell_[u]);
    if (it != cell_index_.end()) {
      members_[it->second].push_back(u);
      if (unit_area_[u].empty()) unit_area_[u] = cell_figures_[it->second].area_code;
    }
  }
  // Cells without a recoverable target: the mean of their community's cells.
  std::map<std::string, std::pair<double, std::size_t>> area_sum;
  for (std::size_t c = 0; c < cells_->size(); ++c) {
    double hh = 0;
    for (auto u : members_[c]) hh += units_->number(u, unit_households_field_).value_or(0);
    auto& s = area_sum[cell_figures_[c].area_code];
    s.first += hh;
    s.second += 1;
  }
  for (auto& f : cell_figures_)
    if (f.target <= 0) {
      const auto& s = area_sum[f.area_code];
      f.target = s.second ? s.first / static_cast<double>(s.second) : 0;
    }
  // Contiguity of each cell is computed when an edit first touches it (or on request by
  // check_contiguity()): on a million buildings computing all pieces up front takes seconds.
  pieces_known_.assign(cells_->size(), 0);
  for (std::size_t c = 0; c < cells_->size(); ++c) refresh_cell(c);
  refresh_totals();
  if (units_->size() <= kEagerContiguityUnits) check_contiguity();
}

void PlanEditor::check_contiguity() {
  for (std::size_t c = 0; c < cell_figures_.size(); ++c) ensure_pieces(c);
  refresh_totals();
}

void PlanEditor::ensure_pieces(std::size_t c) const {
  if (pieces_known_[c]) return;
  cell_figures_[c].pieces = count_pieces(members_[c]);
  pieces_known_[c] = 1;
}

const std::vector<std::uint32_t>& PlanEditor::neighbours(std::uint32_t u) const {
  auto it = neighbour_cache_.find(u);
  if (it != neighbour_cache_.end()) return it->second;
  const geo::Point a = units_->anchors[u];
  // The kCandidates nearest units of the same community, by representative point.
  std::vector<std::pair<double, std::uint32_t>> found;
  for (double r = 40; r <= 5000; r *= 2) {
    found.clear();
    units_->index.visit({a.x - r, a.y - r, a.x + r, a.y + r}, [&](std::uint32_t v) {
      if (v == u || unit_area_[v] != unit_area_[u]) return;
      const geo::Point b = units_->anchors[v];
      const double d2 = (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y);
      if (d2 <= r * r) found.emplace_back(d2, v);
    });
    if (found.size() >= kCandidates) break;
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.size() > kCandidates) found.resize(kCandidates);
  // Gabriel edges: u-v when no other point lies strictly inside the circle with diameter
  // uv. Any such point is nearer to u than v is, so it is among the candidates already.
  std::vector<std::uint32_t> out;
  for (const auto& [d2, v] : found) {
    const geo::Point b = units_->anchors[v];
    const geo::Point m{(a.x + b.x) / 2, (a.y + b.y) / 2};
    const double r2 = d2 / 4 * (1 - 1e-9);
    bool blocked = false;
    for (const auto& [d2w, w] : found) {
      if (w == v || d2w >= d2) continue;
      const geo::Point c = units_->anchors[w];
      if ((c.x - m.x) * (c.x - m.x) + (c.y - m.y) * (c.y - m.y) < r2) {
        blocked = true;
        break;
      }
    }
    if (!blocked) out.push_back(v);
  }
  return neighbour_cache_.emplace(u, std::move(out)).first->second;
}

std::size_t PlanEditor::count_pieces(const std::vector<std::uint32_t>& members) const {
  if (members.empty()) return 0;
  std::unordered_map<std::uint32_t, std::uint32_t> pos;
  pos.reserve(members.size() * 2);
  for (std::uint32_t k = 0; k < members.size(); ++k) pos.emplace(members[k], k);
  UnionFind uf(members.size());
  for (std::uint32_t k = 0; k < members.size(); ++k)
    for (auto v : neighbours(members[k])) {
      auto it = pos.find(v);
      if (it != pos.end()) uf.unite(k, it->second);
    }
  std::size_t pieces = 0;
  for (std::uint32_t k = 0; k < members.size(); ++k)
    if (uf.find(k) == k) ++pieces;
  return pieces;
}

void PlanEditor::refresh_cell(std::size_t c) {
  auto& f = cell_figures_[c];
  f.households = 0;
  for (auto u : members_[c]) f.households += units_->number(u, unit_households_field_).value_or(0);
  f.units = members_[c].size();
  f.deviation_pct = f.target > 0 ? 100 * (f.households - f.target) / f.target : 0;
  f.within_bounds = f.households >= figures_.lower_bound && f.households <= figures_.upper_bound;
  if (pieces_known_[c]) f.pieces = count_pieces(members_[c]);
  auto& layer = cells_->data;
  set_number(layer, c, layer.table.find("households"), f.households);
  set_number(layer, c, layer.table.find("units"), static_cast<double>(f.units));
  set_number(layer, c, layer.table.find("deviation_pct"), f.deviation_pct);
  set_number(layer, c, layer.table.find("within_bounds"), f.within_bounds ? 1 : 0);
}

void PlanEditor::refresh_totals() {
  auto& t = figures_;
  t.cells = cell_figures_.size();
  t.cells_within_bounds = t.cells_split = t.cells_contiguity_checked = 0;
  t.min_households = t.cells ? 1e300 : 0;
  t.max_households = 0;
  t.max_abs_deviation_pct = 0;
  for (const auto& f : cell_figures_) {
    t.cells_within_bounds += f.within_bounds;
    t.cells_split += f.pieces > 1;
    t.cells_contiguity_checked +=
        pieces_known_[static_cast<std::size_t>(&f - cell_figures_.data())];
    t.min_households = std::min(t.min_households, f.households);
    t.max_households = std::max(t.max_households, f.households);
    t.max_abs_deviation_pct = std::max(t.max_abs_deviation_pct, std::abs(f.deviation_pct));
  }
  t.units = unit_cell_.size();
  t.units_assigned = 0;
  for (const auto& m : members_) t.units_assigned += m.size();
  t.coverage = t.units ? static_cast<double>(t.units_assigned) / static_cast<double>(t.units) : 1;
}

const CellFigures* PlanEditor::cell(const std::string& code) const {
  auto it = cell_index_.find(code);
  if (it == cell_index_.end()) return nullptr;
  ensure_pieces(it->second);
  return &cell_figures_[it->second];
}

const std::string& PlanEditor::cell_of(std::uint32_t unit) const {
  return unit_cell_.at(unit);
}

MoveCheck PlanEditor::check_move(const std::vector<std::uint32_t>& units,
                                 const std::string& target) const {
  if (units.empty()) return {false, "no buildings selected"};
  auto t = cell_index_.find(target);
  if (target.empty() || t == cell_index_.end())
    return {false, fmt::format("cell '{}' does not exist: the buildings would be left unassigned",
                               target)};
  const auto& tf = cell_figures_[t->second];
  std::map<std::size_t, std::set<std::uint32_t>> by_donor;
  for (auto u : units) {
    if (u >= unit_cell_.size()) return {false, fmt::format("no building #{}", u)};
    if (unit_area_[u] != tf.area_code)
      return {false, fmt::format("building #{} is in community {} but cell {} is in community {}",
                                 u, unit_area_[u], target, tf.area_code)};
    if (unit_cell_[u] == target) continue;
    auto d = cell_index_.find(unit_cell_[u]);
    if (d == cell_index_.end()) continue; // unassigned now: assigning it is always an improvement
    by_donor[d->second].insert(u);
  }
  if (by_donor.empty()) return {false, fmt::format("the buildings are already in cell {}", target)};
  for (const auto& [donor, moved] : by_donor) {
    const auto& code = cell_figures_[donor].code;
    std::vector<std::uint32_t> rest;
    for (auto u : members_[donor])
      if (!moved.count(u)) rest.push_back(u);
    if (rest.empty()) return {false, fmt::format("cell {} would be left without buildings", code)};
    ensure_pieces(donor);
    const auto before = cell_figures_[donor].pieces, after = count_pieces(rest);
    if (after > before)
      return {false,
              fmt::format("cell {} would be split into {} pieces (contiguity)", code, after)};
  }
  std::vector<std::uint32_t> grown = members_[t->second];
  for (auto u : units)
    if (unit_cell_[u] != target) grown.push_back(u);
  ensure_pieces(t->second);
  const auto after = count_pieces(grown);
  if (after > tf.pieces)
    return {false, fmt::format("the buildings do not touch cell {} (it would have {} pieces)",
                               target, after)};
  return {true, {}};
}

MoveCheck PlanEditor::move(const std::vector<std::uint32_t>& units, const std::string& target,
                           std::vector<std::string>* previous) {
  auto check = check_move(units, target);
  if (!check.allowed) return check;
  if (previous) {
    previous->clear();
    for (auto u : units) previous->push_back(unit_cell_[u]);
  }
  assign(units, std::vector<std::string>(units.size(), target));
  return check;
}

void PlanEditor::assign(const std::vector<std::uint32_t>& units,
                        const std::vector<std::string>& cells) {
  std::set<std::size_t> touched;
  for (std::size_t k = 0; k < units.size(); ++k) {
    const auto u = units[k];
    const auto& to = cells[k];
    if (unit_cell_[u] == to) continue;
    if (auto from = cell_index_.find(unit_cell_[u]); from != cell_index_.end()) {
      auto& m = members_[from->second];
      m.erase(std::remove(m.begin(), m.end(), u), m.end());
      touched.insert(from->second);
    }
    if (auto dest = cell_index_.find(to); dest != cell_index_.end()) {
      members_[dest->second].push_back(u);
      touched.insert(dest->second);
    }
    unit_cell_[u] = to;
    units_->data.table.rows[u][static_cast<std::size_t>(unit_cell_field_)] =
        to.empty() ? geo::Value{} : geo::Value{to};
  }
  for (auto c : touched) refresh_cell(c);
  refresh_totals();
}

std::vector<std::string>
PlanEditor::neighbour_cells(const std::vector<std::uint32_t>& units) const {
  std::set<std::string> own, out;
  for (auto u : units) own.insert(unit_cell_[u]);
  for (auto u : units)
    for (auto v : neighbours(u))
      if (!own.count(unit_cell_[v]) && cell_index_.count(unit_cell_[v])) out.insert(unit_cell_[v]);
  return {out.begin(), out.end()};
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
        barriers.name = "barriers";
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
    if (t.name == "plan_metadata") has_metadata = true;
  }
  if (!has_metadata) {
    geo::Layer meta;
    meta.name = "plan_metadata";
    meta.table.fields = {{"key", geo::FieldType::text}, {"value", geo::FieldType::text}};
    out.push_back(std::move(meta));
  }
  for (auto& l : out) {
    if (l.name != "plan_metadata") continue;
    const int k = l.table.find("key"), v = l.table.find("value");
    auto add = [&](const std::string& key, const std::string& value) {
      std::vector<geo::Value> row(l.table.fields.size());
      row[static_cast<std::size_t>(k)] = key;
      row[static_cast<std::size_t>(v)] = value;
      l.table.rows.push_back(std::move(row));
    };
    if (k < 0 || v < 0) continue;
    add("manual_edit_source", model_.path());
    if (!model_.path().empty()) add("manual_edit_source_sha256", geo::file_checksum(model_.path()));
    add("manual_edits", std::to_string(log_.size()));
    for (std::size_t i = 0; i < log_.size(); ++i)
      add(fmt::format("manual_edit_{}", i + 1), log_[i]);
    add("manual_edit_note", "cell outlines not redrawn by manual edits; units.cell_code is "
                            "authoritative");
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
