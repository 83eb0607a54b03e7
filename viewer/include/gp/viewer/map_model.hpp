#pragma once
// The map: an ordered set of layers read from a plan GeoPackage (or any OGR source),
// each with visibility, opacity, a spatial index and a representative point per feature.
// Geometry stays in the source CRS (a plan is in its metric work CRS, metres).

#include <QColor>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gp/geo/io.hpp"
#include "gp/geo/table.hpp"
#include "gp/viewer/spatial_index.hpp"

namespace gp::viewer {

/// What a layer shows; decides its default style and draw order.
enum class LayerRole { areas, cells, units, roads, rivers, facilities, other };

/// "areas", "cells", ... (stable English identifiers used in files and the CLI).
const char* role_name(LayerRole role);
/// The role a layer plays, from its name and geometry kind (e.g. a polygon layer with a
/// `cell_code` field is cells-like; "units"/"buildings" are units).
LayerRole guess_role(const geo::Layer& layer);

struct MapLayer {
  geo::Layer data; ///< features; geometry in the map CRS
  LayerRole role = LayerRole::other;
  std::string source; ///< file the layer came from ("" for in-memory layers)
  bool visible = true;
  double opacity = 1.0;            ///< 0..1
  QColor stroke, fill;             ///< default style (fill unused for lines and points)
  GridIndex index;                 ///< over feature boxes
  std::vector<geo::Point> anchors; ///< label / representative point per feature
  double typical_size = 0;         ///< median feature box side (metres), for level of detail

  const std::string& name() const { return data.name; }
  std::size_t size() const { return data.table.rows.size(); }
  /// The feature's value of field `field` as a number; nullopt for NULL or non-numeric text.
  std::optional<double> number(std::size_t feature, int field) const;
  /// The feature's value of field `field` as display text ("" for NULL).
  std::string text(std::size_t feature, int field) const;
  /// Field names holding numbers (integer or real), in schema order.
  std::vector<std::string> numeric_fields() const;
  /// Recomputes boxes, index and anchors after geometry changed.
  void rebuild_index();
  /// Recomputes the box and anchor of feature i after its geometry changed (cheap).
  void update_feature(std::size_t i);
  /// Bounding box of feature i (empty for features without geometry).
  geo::Box feature_box(std::size_t i) const { return index.box(static_cast<std::uint32_t>(i)); }
};

class MapModel {
public:
  using ProgressFn = gp::ProgressFn;

  /// Reads every layer of `path` (plan layers, results layers, any OGR layers). Layers
  /// "barriers" are split into "roads" and "rivers" by their `kind`. Non-spatial layers
  /// (plan_metadata, tables) are kept in tables(). Throws gp::InputError (file, layer,
  /// feature) on unreadable input.
  static MapModel open(const std::string& path, const ProgressFn& progress = {});

  /// Adds a layer (taking ownership), placing it by role in the default draw order:
  /// areas, cells, units, rivers, roads, facilities, other. Non-spatial layers go to tables().
  MapLayer& add_layer(geo::Layer layer, std::string source = {});
  /// Reads all layers of another file (e.g. a simulation result) and adds them.
  void add_file(const std::string& path, const ProgressFn& progress = {});

  std::vector<MapLayer>& layers() { return layers_; }
  const std::vector<MapLayer>& layers() const { return layers_; }
  const std::vector<geo::Layer>& tables() const { return tables_; }
  /// Layer called `name`, or nullptr.
  MapLayer* find(const std::string& name);
  const MapLayer* find(const std::string& name) const;
  /// First layer with `role`, or nullptr.
  MapLayer* find(LayerRole role);
  const MapLayer* find(LayerRole role) const;
  /// Moves layer `from` to position `to` in draw order (0 = drawn first, at the bottom).
  void move_layer(std::size_t from, std::size_t to);

  /// Union of the extents of all spatial layers (empty when none).
  geo::Box extent() const;
  const std::string& path() const { return path_; }
  /// WKT of the layers' CRS when known ("" otherwise).
  const std::string& crs() const { return crs_; }
  void set_crs(std::string wkt) { crs_ = std::move(wkt); }

private:
  std::vector<MapLayer> layers_;
  std::vector<geo::Layer> tables_;
  std::string path_;
  std::string crs_;
};

} // namespace gp::viewer
