#pragma once
// The map legend as a small collapsible panel in the top-left corner of the map canvas
// (where a map fitted with a margin has the least data), instead of a box drawn into the
// map image. Click its header to collapse it to one line and again to expand it.

#include <QWidget>

#include <optional>

#include "gp/viewer/renderer.hpp"

namespace gp::viewer_app {

class LegendOverlay : public QWidget {
  Q_OBJECT
public:
  explicit LegendOverlay(QWidget* parent = nullptr);
  /// Shows the classes of `thematic` (nullopt hides the panel).
  void setThematic(const std::optional<viewer::Thematic>& thematic, viewer::Language language);
  void setCollapsed(bool collapsed);
  bool collapsed() const { return collapsed_; }
  QSize sizeHint() const override;

signals:
  void collapsedChanged(bool collapsed);

protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;

private:
  std::optional<viewer::Thematic> thematic_;
  viewer::Language language_ = viewer::Language::en;
  bool collapsed_ = false;
};

} // namespace gp::viewer_app
