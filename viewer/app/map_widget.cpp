#include "map_widget.hpp"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>

#include <cmath>

#include "legend_overlay.hpp"

namespace gp::viewer_app {

MapWidget::MapWidget(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(320, 240);
  decorations_.title = false; // the window title says what is shown
  decorations_.labels = true;
  decorations_.legend = false; // the legend is the overlay in the corner
  legend_ = new LegendOverlay(this);
  legend_->move(8, 8);
}

void MapWidget::setTool(Tool tool) {
  tool_ = tool;
  setCursor(tool == Tool::paint ? Qt::CrossCursor : Qt::ArrowCursor);
}

void MapWidget::setThematic(std::optional<viewer::Thematic> thematic, viewer::Language language) {
  legend_->setThematic(thematic, language);
  if (renderer_) renderer_->set_thematic(std::move(thematic));
  refresh();
}

void MapWidget::setHighlight(std::optional<std::pair<std::string, std::uint32_t>> feature) {
  highlight_ = std::move(feature);
  update();
}

std::set<std::uint32_t> MapWidget::unitsAlongPath(const QPolygonF& path) const {
  std::set<std::uint32_t> out;
  if (!model_ || path.isEmpty()) return out;
  const auto* units = model_->find(viewer::LayerRole::units);
  if (!units) return out;
  const double r = brush_px_ * view_.metres_per_pixel;
  for (qsizetype k = 0; k < path.size(); ++k) {
    const auto a = view_.to_map(path[k]);
    const auto b = view_.to_map(path[k + 1 < path.size() ? k + 1 : k]);
    const geo::Box box{std::min(a.x, b.x) - r, std::min(a.y, b.y) - r, std::max(a.x, b.x) + r,
                       std::max(a.y, b.y) + r};
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    units->index.visit(box, [&](std::uint32_t i) {
      const auto& p = units->anchors[i];
      // Distance from the anchor to segment a-b.
      double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
      t = std::clamp(t, 0.0, 1.0);
      const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
      if (ex * ex + ey * ey <= r * r) out.insert(i);
    });
  }
  return out;
}

void MapWidget::setModel(viewer::MapModel* model) {
  model_ = model;
  tiles_.reset();
  renderer_ = model ? std::make_unique<viewer::MapRenderer>(*model) : nullptr;
  if (renderer_) tiles_ = std::make_unique<viewer::TileCache>(*renderer_);
  selection_.clear();
  highlight_.reset();
  legend_->setThematic(std::nullopt, decorations_.language);
  zoomToExtent();
}

void MapWidget::setViewport(const viewer::Viewport& v) {
  view_ = v;
  view_.width = width();
  view_.height = height();
  redraw();
  emit viewChanged();
}

void MapWidget::zoomToBox(const geo::Box& box) {
  if (box.empty()) return;
  geo::Box b = box;
  // A point or tiny selection: show 200 m around it.
  if (b.width() < 50 && b.height() < 50) {
    const double cx = (b.min_x + b.max_x) / 2, cy = (b.min_y + b.max_y) / 2;
    b = {cx - 100, cy - 100, cx + 100, cy + 100};
  }
  setViewport(viewer::Viewport::fit(b, width(), height(), 20));
}

void MapWidget::zoomToExtent() {
  if (model_)
    zoomToBox(model_->extent());
  else
    redraw();
}

void MapWidget::zoomBy(double factor) {
  view_.zoom(factor, QPointF(width() / 2.0, height() / 2.0));
  redraw();
  emit viewChanged();
}

void MapWidget::refresh() {
  if (tiles_) tiles_->clear();
  dirty_ = true;
  update();
}

void MapWidget::invalidate(const geo::Box& box) {
  if (tiles_) tiles_->invalidate(box);
  dirty_ = true;
  update();
}

void MapWidget::redraw() {
  dirty_ = true;
  update();
}

void MapWidget::ensureImage() {
  if (!dirty_ && image_.size() == size()) return;
  view_.width = std::max(1, width());
  view_.height = std::max(1, height());
  image_ = QImage(size().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
  image_.fill(QColor(250, 250, 248));
  if (renderer_ && tiles_) {
    QPainter p(&image_);
    stats_ = tiles_->render(p, view_, decorations_, QColor(250, 250, 248));
  }
  dirty_ = false;
}

void MapWidget::paintEvent(QPaintEvent*) {
  ensureImage();
  QPainter p(this);
  p.fillRect(rect(), QColor(250, 250, 248));
  p.drawImage(drag_offset_, image_);
  if (highlight_ && model_ && drag_offset_.isNull()) {
    const auto* layer = model_->find(highlight_->first);
    if (layer && highlight_->second < layer->size() &&
        layer->data.kind == geo::GeometryKind::polygon) {
      p.setRenderHint(QPainter::Antialiasing);
      p.setPen(QPen(QColor(0, 90, 200), 3));
      p.setBrush(QColor(0, 90, 200, 40));
      QPainterPath path;
      path.setFillRule(Qt::OddEvenFill);
      for (const auto& poly : layer->data.polygons[highlight_->second]) {
        auto add = [&](const geo::Ring& ring) {
          QPolygonF q;
          for (const auto& pt : ring) q << view_.to_screen(pt);
          path.addPolygon(q);
        };
        add(poly.outer);
        for (const auto& h : poly.holes) add(h);
      }
      p.drawPath(path);
    }
  }
  if (!stroke_.isEmpty()) {
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(
        QPen(QColor(0, 120, 60, 160), 2 * brush_px_, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPolyline(stroke_);
    const auto* units = model_ ? model_->find(viewer::LayerRole::units) : nullptr;
    if (units) {
      p.setPen(Qt::NoPen);
      p.setBrush(QColor(0, 90, 40));
      for (auto u : painted_) p.drawEllipse(view_.to_screen(units->anchors[u]), 3, 3);
    }
  }
  if (!lasso_.isEmpty()) {
    p.setPen(QPen(QColor(200, 0, 0), 1.5, Qt::DashLine));
    p.setBrush(QColor(200, 0, 0, 30));
    if (tool_ == Tool::select_rectangle && lasso_.size() >= 2)
      p.drawRect(QRectF(lasso_.first(), lasso_.last()).normalized());
    else
      p.drawPolygon(lasso_);
  }
}

void MapWidget::resizeEvent(QResizeEvent*) {
  view_.width = width();
  view_.height = height();
  redraw();
}

std::optional<std::pair<std::string, std::uint32_t>> MapWidget::featureAt(geo::Point p) const {
  if (!model_) return std::nullopt;
  const double tol = 4 * view_.metres_per_pixel;
  const geo::Box probe{p.x - tol, p.y - tol, p.x + tol, p.y + tol};
  for (auto role : {viewer::LayerRole::facilities, viewer::LayerRole::units,
                    viewer::LayerRole::cells, viewer::LayerRole::other, viewer::LayerRole::areas}) {
    // Topmost first: later layers in draw order are above.
    const auto& layers = model_->layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
      const auto& layer = *it;
      if (!layer.visible || layer.role != role) continue;
      std::optional<std::uint32_t> best;
      double best_d = tol * tol;
      for (auto i : layer.index.query(probe)) {
        if (layer.data.kind == geo::GeometryKind::polygon) {
          if (geo::contains(layer.data.polygons[i], p)) return std::make_pair(layer.name(), i);
          // Sub-pixel buildings: near their representative point.
          const auto& a = layer.anchors[i];
          const double d = (a.x - p.x) * (a.x - p.x) + (a.y - p.y) * (a.y - p.y);
          if (d < best_d) best_d = d, best = i;
        } else {
          const auto& a = layer.anchors[i];
          const double d = (a.x - p.x) * (a.x - p.x) + (a.y - p.y) * (a.y - p.y);
          if (d < best_d) best_d = d, best = i;
        }
      }
      if (best) return std::make_pair(layer.name(), *best);
    }
  }
  return std::nullopt;
}

std::set<std::uint32_t> MapWidget::unitsInPolygon(const QPolygonF& polygon) const {
  std::set<std::uint32_t> out;
  if (!model_ || polygon.size() < 3) return out;
  const auto* units = model_->find(viewer::LayerRole::units);
  if (!units) return out;
  geo::Box box = geo::Box::none();
  for (const auto& q : polygon) box.expand(geo::Point{q.x(), q.y()});
  for (auto i : units->index.query(box)) {
    const auto& a = units->anchors[i];
    if (polygon.containsPoint(QPointF(a.x, a.y), Qt::OddEvenFill)) out.insert(i);
  }
  return out;
}

void MapWidget::setSelection(std::set<std::uint32_t> units) {
  selection_ = std::move(units);
  if (renderer_)
    if (const auto* layer = model_ ? model_->find(viewer::LayerRole::units) : nullptr)
      renderer_->set_selection(layer->name(), selection_);
  refresh();
  emit selectionChanged();
}

void MapWidget::mousePressEvent(QMouseEvent* e) {
  press_pos_ = last_pos_ = e->position();
  if (tool_ == Tool::paint && e->button() == Qt::RightButton) {
    if (model_)
      if (const auto* cells = model_->find(viewer::LayerRole::cells)) {
        const auto p = view_.to_map(e->position());
        for (auto i : cells->index.query({p.x, p.y, p.x, p.y}))
          if (geo::contains(cells->data.polygons[i], p)) {
            emit cellPicked(i);
            break;
          }
      }
    return;
  }
  dragging_ = true;
  if (tool_ == Tool::paint) {
    stroke_ = {e->position()};
    painted_ = unitsAlongPath(stroke_);
    update();
    return;
  }
  if (tool_ == Tool::select_rectangle || tool_ == Tool::select_lasso) lasso_ = {e->position()};
}

void MapWidget::mouseMoveEvent(QMouseEvent* e) {
  const auto m = view_.to_map(e->position());
  emit cursorMoved(m.x, m.y);
  if (!dragging_) return;
  if (tool_ == Tool::paint) {
    const QPolygonF seg{stroke_.last(), e->position()};
    stroke_ << e->position();
    const auto more = unitsAlongPath(seg);
    painted_.insert(more.begin(), more.end());
    update();
    return;
  }
  const bool pan = tool_ == Tool::pan || (e->buttons() & Qt::MiddleButton) ||
                   (tool_ == Tool::identify || tool_ == Tool::select_click);
  if (tool_ == Tool::select_rectangle) {
    lasso_ = {press_pos_, e->position()};
    update();
  } else if (tool_ == Tool::select_lasso) {
    lasso_ << e->position();
    update();
  } else if (pan && (e->position() - press_pos_).manhattanLength() > 3) {
    // Shift the cached image while dragging; re-render once on release.
    drag_offset_ = e->position() - press_pos_;
    update();
  }
  last_pos_ = e->position();
}

void MapWidget::mouseReleaseEvent(QMouseEvent* e) {
  if (!dragging_) return;
  dragging_ = false;
  if (tool_ == Tool::paint) {
    auto units = std::move(painted_);
    painted_.clear();
    stroke_.clear();
    update();
    if (!units.empty()) emit painted(std::move(units));
    return;
  }
  const bool moved = (e->position() - press_pos_).manhattanLength() > 3;
  if (!drag_offset_.isNull()) {
    view_.pan(drag_offset_);
    drag_offset_ = {};
    redraw();
    emit viewChanged();
    return;
  }
  auto to_map_polygon = [&](const QPolygonF& screen) {
    QPolygonF out;
    for (const auto& q : screen) {
      const auto m = view_.to_map(q);
      out << QPointF(m.x, m.y);
    }
    return out;
  };
  if (tool_ == Tool::select_rectangle && moved) {
    const QRectF r = QRectF(press_pos_, e->position()).normalized();
    auto sel = unitsInPolygon(to_map_polygon(QPolygonF(r)));
    if (e->modifiers() & Qt::ShiftModifier) sel.insert(selection_.begin(), selection_.end());
    lasso_.clear();
    setSelection(std::move(sel));
    return;
  }
  if (tool_ == Tool::select_lasso && lasso_.size() >= 3) {
    auto sel = unitsInPolygon(to_map_polygon(lasso_));
    if (e->modifiers() & Qt::ShiftModifier) sel.insert(selection_.begin(), selection_.end());
    lasso_.clear();
    setSelection(std::move(sel));
    return;
  }
  lasso_.clear();
  const auto hit = featureAt(view_.to_map(e->position()));
  if (tool_ != Tool::pan && hit)
    emit featureIdentified(QString::fromStdString(hit->first), hit->second);
  if (tool_ == Tool::select_click || tool_ == Tool::select_rectangle ||
      tool_ == Tool::select_lasso) {
    std::set<std::uint32_t> sel;
    if (e->modifiers() & Qt::ShiftModifier) sel = selection_;
    if (hit && model_) {
      const auto* layer = model_->find(hit->first);
      if (layer && layer->role == viewer::LayerRole::units) {
        if (sel.count(hit->second))
          sel.erase(hit->second);
        else
          sel.insert(hit->second);
      }
    }
    setSelection(std::move(sel));
  }
  update();
}

void MapWidget::wheelEvent(QWheelEvent* e) {
  const double steps = e->angleDelta().y() / 120.0;
  view_.zoom(std::pow(1.25, steps), e->position());
  redraw();
  emit viewChanged();
}

void MapWidget::keyPressEvent(QKeyEvent* e) {
  const double step = 0.25;
  switch (e->key()) {
  case Qt::Key_Plus:
  case Qt::Key_Equal:
    zoomBy(1.5);
    break;
  case Qt::Key_Minus:
    zoomBy(1 / 1.5);
    break;
  case Qt::Key_Left:
    view_.pan(QPointF(width() * step, 0));
    redraw();
    emit viewChanged();
    break;
  case Qt::Key_Right:
    view_.pan(QPointF(-width() * step, 0));
    redraw();
    emit viewChanged();
    break;
  case Qt::Key_Up:
    view_.pan(QPointF(0, height() * step));
    redraw();
    emit viewChanged();
    break;
  case Qt::Key_Down:
    view_.pan(QPointF(0, -height() * step));
    redraw();
    emit viewChanged();
    break;
  case Qt::Key_Home:
    zoomToExtent();
    break;
  default:
    QWidget::keyPressEvent(e);
  }
}

} // namespace gp::viewer_app
