#pragma once
// The map canvas of the desktop app: draws a MapModel with gp::viewer::MapRenderer into a
// cached image (re-rendered only when the view or the data changes), pans by drag, zooms
// by wheel and keys, picks features and selects units by click, rectangle or lasso, paints
// units (drag a brush over buildings), highlights one feature (a cell chosen in a list)
// and shows the legend as a collapsible overlay in the top-left corner.

#include <QImage>
#include <QPolygonF>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "gp/viewer/renderer.hpp"

namespace gp::viewer_app {

enum class Tool { pan, identify, select_click, select_rectangle, select_lasso, paint };

class LegendOverlay;

class MapWidget : public QWidget {
  Q_OBJECT
public:
  explicit MapWidget(QWidget* parent = nullptr);

  /// Shows `model` (not owned; may be nullptr). Fits the view to its extent.
  void setModel(viewer::MapModel* model);
  viewer::MapRenderer* renderer() { return renderer_.get(); }
  viewer::Decorations& decorations() { return decorations_; }
  const viewer::Viewport& viewport() const { return view_; }
  void setViewport(const viewer::Viewport& v);
  void setTool(Tool tool);
  Tool tool() const { return tool_; }

  /// Fits the view to a box in map coordinates (no-op for an empty box).
  void zoomToBox(const geo::Box& box);
  void zoomToExtent();
  /// Zoom by a factor about the widget centre (>1 zooms in).
  void zoomBy(double factor);
  /// Data or style changed everywhere: forgets the cached tiles and repaints.
  void refresh();
  /// Data changed only inside `box` (map units), e.g. the cells of an edit: redraws the
  /// tiles there and repaints.
  void invalidate(const geo::Box& box);
  /// The view changed: repaints from the cached tiles (rendering only missing ones).
  void redraw();

  /// The topmost visible feature of a polygon/point/line layer at a map point:
  /// (layer name, feature index). Units first, then facilities, cells, areas.
  std::optional<std::pair<std::string, std::uint32_t>> featureAt(geo::Point p) const;
  /// Units whose representative point lies in the polygon (map coordinates).
  std::set<std::uint32_t> unitsInPolygon(const QPolygonF& polygon) const;
  void setSelection(std::set<std::uint32_t> units);
  const std::set<std::uint32_t>& selection() const { return selection_; }
  /// Last frame's statistics.
  const viewer::RenderStats& stats() const { return stats_; }
  /// Colours a layer by classes (nullopt: plain) and shows them in the legend overlay.
  void setThematic(std::optional<viewer::Thematic> thematic, viewer::Language language);
  LegendOverlay* legend() { return legend_; }
  /// Outlines one feature on top of the map (nullopt: none), e.g. the cell chosen in the
  /// results table or the violations list.
  void setHighlight(std::optional<std::pair<std::string, std::uint32_t>> feature);
  const std::optional<std::pair<std::string, std::uint32_t>>& highlight() const {
    return highlight_;
  }
  /// Paint brush radius in pixels.
  double brushRadius() const { return brush_px_; }
  /// Units whose representative point lies within the brush radius of a screen path.
  std::set<std::uint32_t> unitsAlongPath(const QPolygonF& screen_path) const;

signals:
  void cursorMoved(double x, double y);
  void featureIdentified(QString layer, quint32 feature);
  void selectionChanged();
  void viewChanged();
  /// A paint stroke ended over these units (paint tool).
  void painted(std::set<std::uint32_t> units);
  /// Right click on a cell with the paint tool: choose it as the paint target.
  void cellPicked(quint32 cell);

protected:
  void paintEvent(QPaintEvent*) override;
  void resizeEvent(QResizeEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;
  void keyPressEvent(QKeyEvent*) override;

private:
  void ensureImage();

  viewer::MapModel* model_ = nullptr;
  std::unique_ptr<viewer::MapRenderer> renderer_;
  std::unique_ptr<viewer::TileCache> tiles_;
  viewer::Decorations decorations_;
  viewer::Viewport view_;
  viewer::RenderStats stats_;
  QImage image_;
  bool dirty_ = true;
  Tool tool_ = Tool::pan;
  bool dragging_ = false;
  QPointF press_pos_, last_pos_;
  QPointF drag_offset_;
  QPolygonF lasso_; ///< screen coordinates while selecting
  std::set<std::uint32_t> selection_;
  LegendOverlay* legend_ = nullptr;
  std::optional<std::pair<std::string, std::uint32_t>> highlight_;
  QPolygonF stroke_; ///< paint stroke in screen coordinates while painting
  std::set<std::uint32_t> painted_;
  double brush_px_ = 8;
};

} // namespace gp::viewer_app
