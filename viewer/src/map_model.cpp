#include "gp/viewer/map_model.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include <filesystem>
#include <numeric>
#include <tuple>

#include "gp/core/thread_pool.hpp"

#include "gp/core/error.hpp"
#include "gp/geo/crs.hpp"
#include "gp/planner/plan_file.hpp"

namespace gp::viewer {

namespace {

namespace schema = gp::planner::plan_file;

bool has_field(const geo::Layer& layer, const char* name) {
  return layer.table.find(name) >= 0;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int draw_rank(LayerRole role) {
  switch (role) {
  case LayerRole::areas:
    return 0;
  case LayerRole::cells:
    return 1;
  case LayerRole::other:
    return 2;
  case LayerRole::units:
    return 3;
  case LayerRole::rivers:
    return 4;
  case LayerRole::roads:
    return 5;
  case LayerRole::facilities:
    return 6;
  }
  return 2;
}

void style(MapLayer& l) {
  switch (l.role) {
  case LayerRole::areas:
    l.stroke = QColor(60, 60, 60);
    l.fill = QColor(245, 243, 238);
    break;
  case LayerRole::cells:
    l.stroke = QColor(90, 90, 90);
    l.fill = QColor(230, 230, 230);
    break;
  case LayerRole::units:
    l.stroke = QColor(70, 70, 70);
    l.fill = QColor(150, 150, 150);
    break;
  case LayerRole::roads:
    l.stroke = QColor(200, 160, 90);
    break;
  case LayerRole::rivers:
    l.stroke = QColor(70, 140, 210);
    break;
  case LayerRole::facilities:
    l.stroke = QColor(150, 20, 40);
    l.fill = QColor(220, 40, 60);
    break;
  case LayerRole::other:
    l.stroke = QColor(100, 100, 140);
    l.fill = QColor(200, 200, 220);
    break;
  }
}

/// Splits a barriers layer into rows whose `kind` is river and the rest.
std::pair<geo::Layer, geo::Layer> split_barriers(geo::Layer barriers) {
  geo::Layer roads, rivers;
  roads.name = "roads";
  rivers.name = "rivers";
  roads.kind = rivers.kind = barriers.kind;
  roads.table.fields = rivers.table.fields = barriers.table.fields;
  const int kind = barriers.table.find(schema::field::kind);
  for (std::size_t i = 0; i < barriers.table.rows.size(); ++i) {
    const auto* k =
        kind >= 0
            ? std::get_if<std::string>(&barriers.table.rows[i][static_cast<std::size_t>(kind)])
            : nullptr;
    auto& to = (k && (*k == "river" || *k == "water" || *k == "canal")) ? rivers : roads;
    to.table.rows.push_back(std::move(barriers.table.rows[i]));
    if (barriers.kind == geo::GeometryKind::line) to.lines.push_back(std::move(barriers.lines[i]));
    if (barriers.kind == geo::GeometryKind::polygon)
      to.polygons.push_back(std::move(barriers.polygons[i]));
    if (barriers.kind == geo::GeometryKind::point) to.points.push_back(barriers.points[i]);
  }
  return {std::move(roads), std::move(rivers)};
}

} // namespace

const char* role_name(LayerRole role) {
  switch (role) {
  case LayerRole::areas:
    return "areas";
  case LayerRole::cells:
    return "cells";
  case LayerRole::units:
    return "units";
  case LayerRole::roads:
    return "roads";
  case LayerRole::rivers:
    return "rivers";
  case LayerRole::facilities:
    return "facilities";
  case LayerRole::other:
    return "other";
  }
  return "other";
}

LayerRole guess_role(const geo::Layer& layer) {
  const auto name = lower(layer.name);
  if (layer.kind == geo::GeometryKind::point) return LayerRole::facilities;
  if (layer.kind == geo::GeometryKind::line) {
    if (name.find("river") != std::string::npos || name.find("water") != std::string::npos)
      return LayerRole::rivers;
    return LayerRole::roads;
  }
  if (layer.kind != geo::GeometryKind::polygon) return LayerRole::other;
  if (name == schema::layer::units || name == "buildings" ||
      name.find("building") != std::string::npos)
    return LayerRole::units;
  if (name == schema::layer::cells || name.find("cell") != std::string::npos)
    return LayerRole::cells;
  if (name == schema::layer::areas || name == "district" || name == "streets" ||
      name == "communities")
    return LayerRole::areas;
  if (has_field(layer, schema::field::cell_code) && !has_field(layer, schema::field::unit_id))
    return LayerRole::cells;
  if (has_field(layer, schema::field::unit_id) || has_field(layer, "building_id"))
    return LayerRole::units;
  return LayerRole::other;
}

std::optional<double> MapLayer::number(std::size_t feature, int field) const {
  if (field < 0) return std::nullopt;
  const auto& v = data.table.rows[feature][static_cast<std::size_t>(field)];
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return std::nullopt;
    return *d;
  }
  return std::nullopt;
}

std::string MapLayer::text(std::size_t feature, int field) const {
  if (field < 0) return {};
  const auto& v = data.table.rows[feature][static_cast<std::size_t>(field)];
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{:.6g}", *d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

std::vector<std::string> MapLayer::numeric_fields() const {
  std::vector<std::string> out;
  for (const auto& f : data.table.fields)
    if (f.type != geo::FieldType::text) out.push_back(f.name);
  return out;
}

namespace {

/// Box and representative point of feature i of a layer.
std::pair<geo::Box, geo::Point> box_and_anchor(const geo::Layer& data, std::size_t i) {
  geo::Box box = geo::Box::none();
  geo::Point anchor{};
  switch (data.kind) {
  case geo::GeometryKind::polygon:
    if (i < data.polygons.size() && !data.polygons[i].empty()) {
      box = geo::bounds(data.polygons[i]);
      // The centroid of the largest part: inside for the convex-ish shapes of cells.
      const auto& parts = data.polygons[i];
      std::size_t best = 0;
      double best_area = -1;
      for (std::size_t p = 0; p < parts.size(); ++p) {
        const double a = geo::area(parts[p]);
        if (a > best_area) best_area = a, best = p;
      }
      anchor = geo::centroid(geo::MultiPolygon{parts[best]});
    }
    break;
  case geo::GeometryKind::line:
    if (i < data.lines.size())
      for (const auto& part : data.lines[i]) box.expand(geo::bounds(part));
    if (i < data.lines.size() && !data.lines[i].empty() && !data.lines[i][0].empty())
      anchor = data.lines[i][0][data.lines[i][0].size() / 2];
    break;
  case geo::GeometryKind::point:
    if (i < data.points.size()) {
      box.expand(data.points[i]);
      anchor = data.points[i];
    }
    break;
  case geo::GeometryKind::none:
    break;
  }
  return {box, anchor};
}

} // namespace

void MapLayer::update_feature(std::size_t i) {
  auto [box, anchor] = box_and_anchor(data, i);
  anchors.at(i) = anchor;
  index.update(static_cast<std::uint32_t>(i), box);
}

void MapLayer::rebuild_index() {
  const auto n = size();
  std::vector<geo::Box> boxes(n, geo::Box::none());
  anchors.assign(n, geo::Point{});
  // Chunks of features on all cores (each job writes only its own entries).
  constexpr std::size_t chunk = 65536;
  gp::run_jobs((n + chunk - 1) / chunk, 0, [&](std::size_t job) {
    for (std::size_t i = job * chunk; i < std::min(n, (job + 1) * chunk); ++i)
      std::tie(boxes[i], anchors[i]) = box_and_anchor(data, i);
  });
  std::vector<double> sizes;
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, n / 1000))
    if (!boxes[i].empty()) sizes.push_back(std::max(boxes[i].width(), boxes[i].height()));
  if (!sizes.empty()) {
    std::nth_element(sizes.begin(), sizes.begin() + static_cast<long>(sizes.size() / 2),
                     sizes.end());
    typical_size = sizes[sizes.size() / 2];
  }
  index = GridIndex(std::move(boxes));
}

MapLayer& MapModel::add_layer(geo::Layer layer, std::string source) {
  geo::materialize(layer); // the map draws and edits stored rows
  MapLayer l;
  l.role = guess_role(layer);
  l.data = std::move(layer);
  l.source = std::move(source);
  style(l);
  l.rebuild_index();
  const int rank = draw_rank(l.role);
  auto at = std::find_if(layers_.begin(), layers_.end(),
                         [&](const MapLayer& x) { return draw_rank(x.role) > rank; });
  return *layers_.insert(at, std::move(l));
}

void MapModel::add_file(const std::string& path, const ProgressFn& progress) {
  const auto summaries = geo::list_layers(path, geo::ReadOptions{});
  if (summaries.empty()) throw InputError(path, "no layers found");
  // Metric CRS for drawing and the scale bar: the layers' own when projected in metres,
  // else the UTM zone of the data.
  std::string target;
  for (const auto& s : summaries) {
    if (s.crs.empty() || s.geometry_type == "None") continue;
    if (!geo::crs_is_metric(s.crs)) {
      auto probe = geo::read_layer(path, s.name);
      geo::Box b = geo::Box::none();
      for (const auto& p : probe.polygons) b.expand(geo::bounds(p));
      for (const auto& l : probe.lines)
        for (const auto& part : l) b.expand(geo::bounds(part));
      for (const auto& p : probe.points) b.expand(p);
      if (!b.empty())
        target = fmt::format("EPSG:{}",
                             geo::utm_epsg_for({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2}));
    } else if (crs_.empty()) {
      crs_ = geo::crs_to_wkt(s.crs);
    }
    break;
  }
  if (!target.empty()) crs_ = geo::crs_to_wkt(target);
  // Layers are read in parallel (one job per layer, largest GeoPackage layer first would
  // not matter much: the units layer dominates), then added in file order.
  std::vector<geo::Layer> read(summaries.size());
  std::vector<std::size_t> order(summaries.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return summaries[a].feature_count > summaries[b].feature_count;
  });
  if (progress) progress(0.05, "reading " + std::to_string(summaries.size()) + " layers");
  gp::run_jobs(order, 0,
               [&](std::size_t k) { read[k] = geo::read_layer(path, summaries[k].name, target); });
  for (std::size_t k = 0; k < summaries.size(); ++k) {
    auto layer = std::move(read[k]);
    if (progress)
      progress(0.5 + 0.5 * static_cast<double>(k) / static_cast<double>(summaries.size()),
               "indexing " + layer.name);
    if (layer.kind == geo::GeometryKind::none) {
      tables_.push_back(std::move(layer));
      continue;
    }
    // A layer of a further file whose name is taken (a simulation's "cells") is shown as
    // "<file stem>:<name>" so both stay addressable.
    if (find(layer.name) && lower(layer.name) != schema::layer::barriers)
      layer.name = std::filesystem::path(path).stem().string() + ":" + layer.name;
    if (lower(layer.name) == schema::layer::barriers) {
      auto [roads, rivers] = split_barriers(std::move(layer));
      if (!rivers.table.rows.empty()) add_layer(std::move(rivers), path);
      if (!roads.table.rows.empty()) add_layer(std::move(roads), path);
      continue;
    }
    add_layer(std::move(layer), path);
  }
  if (progress) progress(1.0, "done");
}

MapModel MapModel::open(const std::string& path, const ProgressFn& progress) {
  MapModel m;
  m.path_ = path;
  m.add_file(path, progress);
  return m;
}

MapLayer* MapModel::find(const std::string& name) {
  for (auto& l : layers_)
    if (l.name() == name) return &l;
  return nullptr;
}
const MapLayer* MapModel::find(const std::string& name) const {
  return const_cast<MapModel*>(this)->find(name);
}
MapLayer* MapModel::find(LayerRole role) {
  for (auto& l : layers_)
    if (l.role == role) return &l;
  return nullptr;
}
const MapLayer* MapModel::find(LayerRole role) const {
  return const_cast<MapModel*>(this)->find(role);
}

void MapModel::move_layer(std::size_t from, std::size_t to) {
  if (from >= layers_.size() || to >= layers_.size() || from == to) return;
  auto l = std::move(layers_[from]);
  layers_.erase(layers_.begin() + static_cast<long>(from));
  layers_.insert(layers_.begin() + static_cast<long>(to), std::move(l));
}

geo::Box MapModel::extent() const {
  geo::Box b = geo::Box::none();
  for (const auto& l : layers_) b.expand(l.index.extent());
  return b;
}

} // namespace gp::viewer
