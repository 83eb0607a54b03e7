#pragma once
// Drawing a MapModel with QPainter: layers in draw order with level of detail (features
// under a pixel become single pixels, polygon vertices closer than ~1 px are dropped,
// only features in view are visited through each layer's GridIndex), thematic colours,
// non-overlapping labels, and the map furniture (title, legend, scale bar, north arrow).
// Headless: needs a QGuiApplication (for fonts) but no display.

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gp/viewer/map_model.hpp"
#include "gp/viewer/theme.hpp"

namespace gp::viewer {

enum class Language { zh, en };

/// The CJK-capable font used for all map text ("Noto Sans CJK SC", installed by
/// scripts/install-deps.sh). Returns a font of that family in `pixel_size` pixels; if the
/// family is missing, Qt's default font (Chinese may then render as boxes).
QFont map_font(int pixel_size, bool bold = false);
/// True when the CJK font family is installed and known to Qt's font database.
bool cjk_font_available();

/// What the map shows: a rectangle of the world in map units (metres) mapped to pixels.
/// y grows up in the map and down on screen.
struct Viewport {
  double center_x = 0, center_y = 0;
  double metres_per_pixel = 1;
  int width = 800, height = 600;

  /// The view that shows `box` whole, centred, with `margin` pixels around it.
  static Viewport fit(const geo::Box& box, int width, int height, int margin = 20);
  QPointF to_screen(geo::Point p) const {
    return {(p.x - center_x) / metres_per_pixel + width / 2.0,
            height / 2.0 - (p.y - center_y) / metres_per_pixel};
  }
  geo::Point to_map(QPointF s) const {
    return {(s.x() - width / 2.0) * metres_per_pixel + center_x,
            (height / 2.0 - s.y()) * metres_per_pixel + center_y};
  }
  geo::Box visible_box() const;
  /// Zooms by `factor` (>1 zooms in) keeping the map point under `anchor` fixed.
  void zoom(double factor, QPointF anchor);
  void pan(QPointF pixels);
};

/// Map furniture and labelling options.
struct Decorations {
  bool title = true, legend = true, scale_bar = true, north_arrow = true, labels = true;
  QString title_text;    ///< empty: a default title in the chosen language
  QString subtitle_text; ///< e.g. the source file and date; empty: none
  Language language = Language::zh;
  std::string label_field; ///< empty: cell_code (cells), name (areas)
  double scale = 1.0;      ///< text and line size factor (dpi / 96)
  bool frame = false;      ///< a neat line around the map (print preset)
};

/// Per-frame figures, for benchmarks and the status bar.
struct RenderStats {
  std::size_t features_drawn = 0;    ///< as full geometry
  std::size_t features_as_pixel = 0; ///< below a pixel, drawn as one point
  std::size_t labels_placed = 0;
  std::size_t labels_skipped = 0;  ///< collided or too big for their feature
  std::vector<QRectF> label_boxes; ///< where labels were placed (pixels)
  QRectF legend_box;               ///< where the legend was drawn (pixels), empty if none
  QRectF title_box, scale_box, north_box;
};

/// Localised display name of a known field ("households" -> "户数"); else the field name.
QString field_label(const std::string& field, Language language);

class MapRenderer {
public:
  explicit MapRenderer(const MapModel& model) : model_(model) {}

  /// Colour the features of thematic->layer by a classified field (nullopt: plain).
  void set_thematic(std::optional<Thematic> thematic) { thematic_ = std::move(thematic); }
  const std::optional<Thematic>& thematic() const { return thematic_; }
  /// Colour units by the cell they belong to (`cell_code`), to show hand edits.
  void set_units_by_cell(bool on) { units_by_cell_ = on; }
  /// Features highlighted as selected: (layer name, feature index).
  void set_selection(std::string layer, std::set<std::uint32_t> features) {
    selection_layer_ = std::move(layer);
    selection_ = std::move(features);
  }
  const std::set<std::uint32_t>& selection() const { return selection_; }

  /// Draws layers, labels and decorations into `painter` over a view.width x view.height
  /// pixel area starting at (0,0) of the painter's coordinates.
  RenderStats render(QPainter& painter, const Viewport& view, const Decorations& deco) const;

  /// Draws only the layers (no labels, no decorations): what map tiles hold.
  RenderStats render_layers(QPainter& painter, const Viewport& view, double scale = 1.0) const;
  /// Draws only labels and decorations (over layers drawn before, e.g. from tiles).
  RenderStats render_overlay(QPainter& painter, const Viewport& view,
                             const Decorations& deco) const;

  /// Convenience: a white ARGB32 image of the view.
  QImage render_image(const Viewport& view, const Decorations& deco,
                      RenderStats* stats = nullptr) const;

private:
  void draw_layer(QPainter& p, const MapLayer& layer, const Viewport& view, double scale,
                  RenderStats& stats) const;
  void draw_labels(QPainter& p, const Viewport& view, const Decorations& deco,
                   RenderStats& stats) const;
  void draw_decorations(QPainter& p, const Viewport& view, const Decorations& deco,
                        RenderStats& stats) const;

  const MapModel& model_;
  std::optional<Thematic> thematic_;
  mutable std::unordered_map<QString, QImage> label_cache_; ///< label sprites for raster output
  mutable std::unordered_map<QString, double> label_width_cache_; ///< label text widths (px)
  bool units_by_cell_ = false;
  std::string selection_layer_;
  std::set<std::uint32_t> selection_;
};

/// Frames for interactive pan and zoom at any size of plan: the layers are rendered once
/// per 256-pixel tile at zoom levels a factor 2 apart (level k: 2^k m/pixel) and kept; a
/// frame draws the tiles of the level just finer than the view, scaled (by 0.5..1), then
/// labels and decorations on top. After an edit only the tiles over the changed area are
/// redrawn (invalidate), so a frame after a move costs a few tiles, not the whole map.
/// Not thread-safe; the renderer and model must outlive it.
class TileCache {
public:
  explicit TileCache(const MapRenderer& renderer, std::size_t max_tiles = 1500);
  /// Draws a frame of `view` into `painter` (whose device is view.width x view.height),
  /// background `background`.
  RenderStats render(QPainter& painter, const Viewport& view, const Decorations& deco,
                     QColor background = Qt::white);
  /// Forgets every tile (style, thematic, visibility or selection changed).
  void clear();
  /// Forgets the tiles of every level that overlap `box` (map units): data changed there.
  void invalidate(const geo::Box& box);
  std::size_t tiles_rendered() const { return rendered_; }
  std::size_t tiles_reused() const { return reused_; }

private:
  struct Key {
    int level;
    long x, y;
    bool operator==(const Key& o) const { return level == o.level && x == o.x && y == o.y; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<long>()(k.x * 1000003L + k.y) ^ (static_cast<std::size_t>(k.level) << 48);
    }
  };
  const MapRenderer& renderer_;
  std::size_t max_tiles_;
  std::unordered_map<Key, QImage, KeyHash> tiles_;
  QRgb background_ = 0;
  std::size_t rendered_ = 0, reused_ = 0;
};

/// Output of render_to_file.
struct FileRenderOptions {
  int width = 1600, height = 1200; ///< pixels (PNG/SVG) or page size at `dpi` (PDF)
  int dpi = 96;
  Decorations decorations;
  bool overwrite = false;
};

/// Renders the whole map (fit to the extent of all layers) into `path`, format from the
/// extension: .png, .pdf or .svg. Atomic: writes a temporary file in the same folder and
/// renames it. Throws gp::OutputError when `path` exists without `overwrite`, the
/// extension is unknown, or writing fails; gp::UsageError for bad sizes.
void render_to_file(const MapRenderer& renderer, const MapModel& model, const std::string& path,
                    const FileRenderOptions& options);

} // namespace gp::viewer
