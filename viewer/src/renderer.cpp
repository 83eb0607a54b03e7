#include "gp/viewer/renderer.hpp"

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <system_error>
#include <unistd.h>

#include "gp/core/error.hpp"
#include "gp/planner/plan_file.hpp"

namespace gp::viewer {

namespace {

constexpr const char* kCjkFamily = "Noto Sans CJK SC";
namespace schema = gp::planner::plan_file;

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

/// Appends ring vertices in screen space, dropping vertices within `tolerance` pixels of
/// the last one kept (level of detail: invisible detail costs nothing).
void add_ring(QPolygonF& out, const geo::Ring& ring, const Viewport& view, double tolerance) {
  out.clear();
  out.reserve(static_cast<qsizetype>(ring.size()));
  QPointF last;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    const QPointF s = view.to_screen(ring[k]);
    if (k == 0 || k + 1 == ring.size() || std::abs(s.x() - last.x()) > tolerance ||
        std::abs(s.y() - last.y()) > tolerance) {
      out.push_back(s);
      last = s;
    }
  }
}

double nice_length(double max_m) {
  const double p = std::pow(10.0, std::floor(std::log10(max_m)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= max_m) return m * p;
  return p;
}

/// The categorical colour of a unit's cell code, without copying the string.
QColor unit_cell_colour(const MapLayer& layer, std::size_t i, int field) {
  static const std::string none;
  if (field < 0) return categorical_colour(none);
  const auto* code =
      std::get_if<std::string>(&layer.data.table.rows[i][static_cast<std::size_t>(field)]);
  return categorical_colour(code ? *code : none);
}

/// Text with a white halo, readable over any fill.
void halo_text(QPainter& p, QPointF baseline, const QString& text, const QFont& font, double halo,
               QColor colour = Qt::black) {
  QPainterPath path;
  path.addText(baseline, font, text);
  p.setPen(QPen(QColor(255, 255, 255, 230), halo, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
  p.setPen(Qt::NoPen);
  p.setBrush(colour);
  p.drawPath(path);
}

/// Boxes already taken by labels or decorations, bucketed for quick collision tests.
class CollisionGrid {
public:
  explicit CollisionGrid(double bucket) : bucket_(bucket) {}
  bool collides(const QRectF& r) const {
    bool hit = false;
    for_buckets(r, [&](long key) {
      auto it = buckets_.find(key);
      if (it == buckets_.end()) return;
      for (const auto& o : it->second)
        if (o.intersects(r)) hit = true;
    });
    return hit;
  }
  void insert(const QRectF& r) {
    for_buckets(r, [&](long key) { buckets_[key].push_back(r); });
  }

private:
  template <class F> void for_buckets(const QRectF& r, F&& f) const {
    const long x0 = static_cast<long>(std::floor(r.left() / bucket_));
    const long x1 = static_cast<long>(std::floor(r.right() / bucket_));
    const long y0 = static_cast<long>(std::floor(r.top() / bucket_));
    const long y1 = static_cast<long>(std::floor(r.bottom() / bucket_));
    for (long y = y0; y <= y1; ++y)
      for (long x = x0; x <= x1; ++x) f(y * 100003L + x);
  }
  double bucket_;
  std::map<long, std::vector<QRectF>> buckets_;
};

struct DecorationLayout {
  QRectF title, subtitle, legend, scale, north;
};

QString tr_text(const char* en, const char* zh, Language lang) {
  return lang == Language::zh ? QString::fromUtf8(zh) : QString::fromUtf8(en);
}

} // namespace

bool cjk_font_available() {
  return QFontDatabase::families().contains(QString::fromLatin1(kCjkFamily));
}

QFont map_font(int pixel_size, bool bold) {
  QFont f = cjk_font_available() ? QFont(QString::fromLatin1(kCjkFamily)) : QFont();
  f.setPixelSize(std::max(1, pixel_size));
  f.setBold(bold);
  f.setStyleStrategy(QFont::PreferAntialias);
  return f;
}

QString field_label(const std::string& field, Language lang) {
  static const std::map<std::string, std::pair<const char*, const char*>> names = {
      {schema::field::households, {"Households", "户数"}},
      {schema::field::population, {"Population", "人口"}},
      {schema::field::units, {"Buildings", "建筑数"}},
      {schema::field::deviation_pct, {"Deviation from target (%)", "与目标偏差（%）"}},
      {schema::field::within_bounds, {"Within bounds", "户数在范围内"}},
      {schema::field::area_m2, {"Area (m²)", "面积（平方米）"}},
      {schema::field::perimeter_m, {"Perimeter (m)", "周长（米）"}},
      {schema::field::polsby_popper, {"Compactness (Polsby-Popper)", "紧凑度（Polsby-Popper）"}},
      {"requests_per_day", {"Requests per day", "日均诉求数"}},
      {"p90_response_h", {"90th percentile response (h)", "90%响应时间（小时）"}},
      {"p50_response_h", {"Median response (h)", "响应时间中位数（小时）"}},
      {"on_time_share", {"On-time share", "按时办结率"}},
      {"utilisation", {"Worker utilisation", "网格员利用率"}},
      {"escalation_rate", {"Escalation rate", "上报率"}},
      {schema::field::cells, {"Cells", "网格数"}}};
  auto it = names.find(field);
  if (it == names.end()) return qs(field);
  return tr_text(it->second.first, it->second.second, lang);
}

geo::Box Viewport::visible_box() const {
  const double hw = width / 2.0 * metres_per_pixel, hh = height / 2.0 * metres_per_pixel;
  return {center_x - hw, center_y - hh, center_x + hw, center_y + hh};
}

Viewport Viewport::fit(const geo::Box& box, int w, int h, int margin) {
  Viewport v;
  v.width = w;
  v.height = h;
  if (box.empty()) return v;
  v.center_x = (box.min_x + box.max_x) / 2;
  v.center_y = (box.min_y + box.max_y) / 2;
  const double aw = std::max(1, w - 2 * margin), ah = std::max(1, h - 2 * margin);
  v.metres_per_pixel = std::max({box.width() / aw, box.height() / ah, 1e-6});
  return v;
}

void Viewport::zoom(double factor, QPointF anchor) {
  const geo::Point before = to_map(anchor);
  metres_per_pixel = std::clamp(metres_per_pixel / factor, 1e-3, 1e6);
  const geo::Point after = to_map(anchor);
  center_x += before.x - after.x;
  center_y += before.y - after.y;
}

void Viewport::pan(QPointF pixels) {
  center_x -= pixels.x() * metres_per_pixel;
  center_y += pixels.y() * metres_per_pixel;
}

void MapRenderer::draw_layer(QPainter& p, const MapLayer& layer, const Viewport& view, double scale,
                             RenderStats& stats) const {
  const geo::Box visible = view.visible_box();
  const double mpp = view.metres_per_pixel;
  const bool thematic = thematic_ && thematic_->layer == layer.name();
  const int thematic_field = thematic ? layer.data.table.find(thematic_->field) : -1;
  const bool by_cell = units_by_cell_ && layer.role == LayerRole::units;
  const int cell_field = by_cell ? layer.data.table.find(schema::field::cell_code) : -1;
  const bool selected_layer = !selection_.empty() && selection_layer_ == layer.name();
  const QColor selection_colour(230, 30, 30);

  // Direct pixel writes for sub-pixel features when drawing into an untransformed image:
  // far cheaper than a million drawPoint calls.
  QImage* image = nullptr;
  if (p.device() && p.device()->devType() == QInternal::Image && p.transform().isIdentity()) {
    image = static_cast<QImage*>(p.device());
    if (image->format() != QImage::Format_ARGB32_Premultiplied &&
        image->format() != QImage::Format_RGB32 && image->format() != QImage::Format_ARGB32)
      image = nullptr;
  }
  std::vector<QPointF> dots;
  const QColor dot_colour = layer.role == LayerRole::units ? layer.stroke : layer.stroke;
  const QRgb dot_rgb = dot_colour.rgb();
  const double alpha = layer.opacity;

  std::vector<std::uint8_t> seen(layer.size(), 0);
  QPolygonF ring;
  const double line_width = (layer.role == LayerRole::areas ? 0.6 : 0.8) * scale;
  QPen pen(layer.stroke, line_width);
  pen.setCosmetic(true);
  pen.setJoinStyle(Qt::RoundJoin);

  const int width_field = layer.data.table.find("width_m");
  std::map<QRgb, QPainterPath> fills;
  std::vector<QLineF> edges;
  std::vector<std::uint32_t> selected_later;
  const bool outline = layer.role != LayerRole::areas;
  // Level of detail: antialiasing only when this layer's typical feature spans many pixels.
  p.setRenderHint(QPainter::Antialiasing, layer.typical_size / mpp > 40);
  layer.index.visit(visible, [&](std::uint32_t i) {
    if (seen[i]) return;
    seen[i] = 1;
    const geo::Box& b = layer.index.box(i);
    const bool tiny = b.width() < 1.2 * mpp && b.height() < 1.2 * mpp;
    if (tiny && layer.data.kind != geo::GeometryKind::point) {
      ++stats.features_as_pixel;
      const QPointF s = view.to_screen(layer.anchors[i]);
      if (image) {
        const int x = static_cast<int>(s.x()), y = static_cast<int>(s.y());
        if (x >= 0 && y >= 0 && x < image->width() && y < image->height()) {
          auto* line = reinterpret_cast<QRgb*>(image->scanLine(y));
          line[x] = selected_layer && selection_.count(i) ? selection_colour.rgb() : dot_rgb;
        }
      } else {
        dots.push_back(s);
      }
      return;
    }
    const bool selected = selected_layer && selection_.count(i) > 0;
    // Small polygons (a few pixels): their box filled straight into the image, no
    // antialiasing, no path: at city scale this is most buildings and cells.
    if (image && alpha >= 1 && layer.data.kind == geo::GeometryKind::polygon &&
        b.width() < 5 * mpp && b.height() < 5 * mpp) {
      ++stats.features_as_pixel;
      QColor fill = layer.fill;
      if (thematic) fill = thematic_->colour(layer.number(i, thematic_field));
      if (by_cell) fill = unit_cell_colour(layer, i, cell_field);
      if (selected) fill = selection_colour;
      const QPointF lo = view.to_screen({b.min_x, b.max_y}),
                    hi = view.to_screen({b.max_x, b.min_y});
      const int x0 = std::max(0, static_cast<int>(std::floor(lo.x())));
      const int y0 = std::max(0, static_cast<int>(std::floor(lo.y())));
      const int x1 = std::min(image->width() - 1, static_cast<int>(std::floor(hi.x())));
      const int y1 = std::min(image->height() - 1, static_cast<int>(std::floor(hi.y())));
      const QRgb rgb = fill.rgb();
      for (int y = y0; y <= y1; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image->scanLine(y));
        for (int x = x0; x <= x1; ++x) line[x] = rgb;
      }
      return;
    }
    ++stats.features_drawn;
    switch (layer.data.kind) {
    case geo::GeometryKind::polygon: {
      QColor fill = layer.fill;
      if (thematic) fill = thematic_->colour(layer.number(i, thematic_field));
      if (by_cell) fill = unit_cell_colour(layer, i, cell_field);
      if (selected) fill = selection_colour;
      if (selected) {
        selected_later.push_back(i);
        break;
      }
      // Batched: one path per fill colour and one drawLines for all outlines, far cheaper
      // than thousands of drawPolygon calls.
      auto& path = fills[fill.rgba()];
      path.setFillRule(Qt::OddEvenFill);
      for (const auto& poly : layer.data.polygons[i]) {
        add_ring(ring, poly.outer, view, 0.7);
        path.addPolygon(ring);
        if (outline)
          for (qsizetype k = 0; k + 1 < ring.size(); ++k) edges.emplace_back(ring[k], ring[k + 1]);
        for (const auto& h : poly.holes) {
          add_ring(ring, h, view, 0.7);
          path.addPolygon(ring);
          if (outline)
            for (qsizetype k = 0; k + 1 < ring.size(); ++k)
              edges.emplace_back(ring[k], ring[k + 1]);
        }
      }
      break;
    }
    case geo::GeometryKind::line: {
      double w = 1.2 * scale;
      if (auto wm = layer.number(i, width_field))
        w = std::clamp(*wm / mpp, 1.0 * scale, 8.0 * scale);
      QPen lpen(selected ? selection_colour : layer.stroke, w, Qt::SolidLine, Qt::RoundCap,
                Qt::RoundJoin);
      p.setPen(lpen);
      p.setBrush(Qt::NoBrush);
      for (const auto& part : layer.data.lines[i]) {
        add_ring(ring, part, view, 0.7);
        p.drawPolyline(ring);
      }
      break;
    }
    case geo::GeometryKind::point: {
      const QPointF s = view.to_screen(layer.data.points[i]);
      const double r = 4.5 * scale;
      p.setPen(QPen(Qt::white, 1.2 * scale));
      p.setBrush(selected ? selection_colour : layer.fill);
      p.drawRect(QRectF(s.x() - r, s.y() - r, 2 * r, 2 * r));
      break;
    }
    case geo::GeometryKind::none:
      break;
    }
  });
  for (auto& [rgba, path] : fills) {
    p.setPen(Qt::NoPen);
    p.setBrush(QColor::fromRgba(rgba));
    p.drawPath(path);
  }
  if (!edges.empty()) {
    p.setPen(pen);
    p.drawLines(edges.data(), static_cast<int>(edges.size()));
  }
  for (auto i : selected_later) {
    QPen spen(QColor(120, 0, 0), 1.5 * scale);
    spen.setCosmetic(true);
    p.setPen(spen);
    p.setBrush(selection_colour);
    for (const auto& poly : layer.data.polygons[i]) {
      QPainterPath path;
      path.setFillRule(Qt::OddEvenFill);
      add_ring(ring, poly.outer, view, 0.7);
      path.addPolygon(ring);
      for (const auto& h : poly.holes) {
        add_ring(ring, h, view, 0.7);
        path.addPolygon(ring);
      }
      p.drawPath(path);
    }
  }
  p.setRenderHint(QPainter::Antialiasing, true);
  if (!dots.empty()) {
    QPen dpen(dot_colour, 1.0);
    dpen.setCosmetic(true);
    p.setPen(dpen);
    p.drawPoints(dots.data(), static_cast<int>(dots.size()));
  }
  (void)alpha;
}

namespace {

bool thematic_has_no_data(const MapModel& model, const std::optional<Thematic>& thematic) {
  if (!thematic) return false;
  const auto* layer = model.find(thematic->layer);
  if (!layer) return false;
  const int f = layer->data.table.find(thematic->field);
  for (std::size_t i = 0; i < layer->size(); ++i)
    if (!layer->number(i, f)) return true;
  return false;
}

DecorationLayout layout_decorations(const Viewport& view, const Decorations& deco,
                                    const std::optional<Thematic>& thematic, bool has_no_data) {
  DecorationLayout d;
  const double s = deco.scale;
  const double margin = 12 * s;
  if (deco.title) d.title = QRectF(margin, margin, view.width - 2 * margin, 36 * s);
  if (deco.title && !deco.subtitle_text.isEmpty())
    d.subtitle = QRectF(margin, d.title.bottom(), view.width - 2 * margin, 20 * s);
  if (deco.north_arrow) {
    const double top = (d.subtitle.isEmpty() ? (d.title.isEmpty() ? margin : d.title.bottom())
                                             : d.subtitle.bottom()) +
                       6 * s;
    d.north = QRectF(view.width - margin - 36 * s, top, 36 * s, 56 * s);
  }
  if (deco.scale_bar) d.scale = QRectF(margin, view.height - margin - 40 * s, 220 * s, 40 * s);
  if (deco.legend && thematic && !thematic->classes.empty()) {
    const auto rows = static_cast<double>(thematic->classes.size() + (has_no_data ? 1 : 0));
    const double h = (34 + rows * 22 + 8) * s;
    const double w = 230 * s;
    d.legend = QRectF(view.width - margin - w, view.height - margin - h, w, h);
  }
  return d;
}

} // namespace

void MapRenderer::draw_labels(QPainter& p, const Viewport& view, const Decorations& deco,
                              RenderStats& stats) const {
  const double s = deco.scale;
  CollisionGrid taken(64 * s);
  const bool has_no_data = thematic_has_no_data(model_, thematic_);
  const auto layout = layout_decorations(view, deco, thematic_, has_no_data);
  for (const QRectF& r : {layout.title, layout.subtitle, layout.legend, layout.scale, layout.north})
    if (!r.isEmpty()) taken.insert(r.adjusted(-4 * s, -4 * s, 4 * s, 4 * s));

  struct Candidate {
    double priority;
    QPointF at;
    QStringList texts; // longest first
    double room_w;     // feature's width on screen
    double room_h;
    int size;
    bool bold;
  };
  std::vector<Candidate> candidates;
  const geo::Box visible = view.visible_box();
  for (const auto& layer : model_.layers()) {
    if (!layer.visible || (layer.role != LayerRole::cells && layer.role != LayerRole::areas))
      continue;
    const bool cells = layer.role == LayerRole::cells;
    std::string field = deco.label_field;
    if (field.empty() || layer.data.table.find(field) < 0)
      field = cells ? schema::field::cell_code : schema::field::name;
    if (layer.data.table.find(field) < 0)
      field = cells ? schema::field::name : schema::field::area_code;
    if (layer.data.table.find(field) < 0) field = "code";
    const int f = layer.data.table.find(field);
    if (f < 0) continue;
    for (auto i : layer.index.query(visible)) {
      const auto& b = layer.index.box(i);
      const double w = b.width() / view.metres_per_pixel, h = b.height() / view.metres_per_pixel;
      if (w < 12 * s || h < 8 * s) continue;
      QString full = qs(layer.text(i, f));
      if (full.isEmpty()) continue;
      QStringList texts{full};
      // A cell code is area code + 3 digits: at low zoom the 3-digit suffix is enough.
      if (cells && field == schema::field::cell_code && full.size() > 3) texts << full.right(3);
      candidates.push_back({(cells ? 1.0 : 1e12) * w * h, view.to_screen(layer.anchors[i]), texts,
                            w, h, static_cast<int>(std::lround((cells ? 12 : 15) * s)), !cells});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.priority > b.priority; });
  const bool raster = p.device() && p.device()->devType() == QInternal::Image;
  std::map<std::pair<int, bool>, std::pair<QFont, QFontMetricsF>> fonts;
  for (const auto& c : candidates) {
    auto it = fonts.find({c.size, c.bold});
    if (it == fonts.end()) {
      const QFont f = map_font(c.size, c.bold);
      it = fonts.emplace(std::make_pair(c.size, c.bold), std::make_pair(f, QFontMetricsF(f))).first;
    }
    const QFont& font = it->second.first;
    const QFontMetricsF& fm = it->second.second;
    bool placed = false;
    for (const auto& text : c.texts) {
      // Text shaping is the costly part of labelling: widths are cached per text and font.
      const QString size_key = QStringLiteral("%1|%2|%3").arg(c.size).arg(c.bold).arg(text);
      auto known = label_width_cache_.find(size_key);
      if (known == label_width_cache_.end()) {
        if (label_width_cache_.size() > 200000) label_width_cache_.clear();
        known = label_width_cache_.emplace(size_key, fm.horizontalAdvance(text)).first;
      }
      const double tw = known->second, th = fm.height();
      if (tw > c.room_w * 0.95 || th > c.room_h * 0.9) continue;
      const QRectF box(c.at.x() - tw / 2, c.at.y() - th / 2, tw, th);
      if (!QRectF(0, 0, view.width, view.height).contains(box)) continue;
      if (taken.collides(box)) continue;
      taken.insert(box.adjusted(-2 * s, -1 * s, 2 * s, 1 * s));
      stats.label_boxes.push_back(box);
      if (raster) {
        // Pre-rendered label sprites: drawing a cached image is ~50x cheaper than
        // stroking the text outline every frame.
        const QString key = QStringLiteral("%1|%2|%3").arg(c.size).arg(c.bold).arg(text);
        auto sprite = label_cache_.find(key);
        if (sprite == label_cache_.end()) {
          if (label_cache_.size() > 20000) label_cache_.clear();
          const double halo = 3 * s;
          QImage img(static_cast<int>(std::ceil(tw + 2 * halo)) + 1,
                     static_cast<int>(std::ceil(th + 2 * halo)) + 1,
                     QImage::Format_ARGB32_Premultiplied);
          img.fill(Qt::transparent);
          QPainter ip(&img);
          ip.setRenderHint(QPainter::Antialiasing, true);
          halo_text(ip, QPointF(halo, halo + fm.ascent()), text, font, halo);
          ip.end();
          sprite = label_cache_.emplace(key, std::move(img)).first;
        }
        p.drawImage(QPointF(box.left() - 3 * s, box.top() - 3 * s), sprite->second);
      } else {
        halo_text(p, QPointF(box.left(), box.top() + fm.ascent()), text, font, 3 * s);
      }
      placed = true;
      break;
    }
    (placed ? stats.labels_placed : stats.labels_skipped)++;
  }
}

void MapRenderer::draw_decorations(QPainter& p, const Viewport& view, const Decorations& deco,
                                   RenderStats& stats) const {
  const double s = deco.scale;
  const Language lang = deco.language;
  const bool has_no_data = thematic_has_no_data(model_, thematic_);
  const auto d = layout_decorations(view, deco, thematic_, has_no_data);
  p.setOpacity(1.0);
  if (!d.title.isEmpty()) {
    QString text = deco.title_text;
    if (text.isEmpty()) text = tr_text("Grid management plan map", "网格化管理平面图", lang);
    const QFont font = map_font(static_cast<int>(std::lround(24 * s)), true);
    p.setFont(font);
    const QFontMetricsF fm(font);
    const double tw = fm.horizontalAdvance(text);
    const QRectF box(view.width / 2.0 - tw / 2 - 10 * s, d.title.top(), tw + 20 * s,
                     d.title.height());
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 220));
    p.drawRect(box);
    p.setPen(Qt::black);
    p.drawText(box, Qt::AlignCenter, text);
    stats.title_box = box;
    if (!d.subtitle.isEmpty()) {
      p.setFont(map_font(static_cast<int>(std::lround(12 * s))));
      p.setPen(QColor(60, 60, 60));
      p.drawText(d.subtitle, Qt::AlignHCenter | Qt::AlignTop, deco.subtitle_text);
    }
  }
  if (!d.north.isEmpty()) {
    const QRectF& r = d.north;
    const QPointF top(r.center().x(), r.top() + 18 * s);
    const QPointF bottom(r.center().x(), r.bottom());
    QPolygonF left{top, QPointF(r.left() + 6 * s, bottom.y()),
                   QPointF(r.center().x(), bottom.y() - 10 * s)};
    QPolygonF right{top, QPointF(r.right() - 6 * s, bottom.y()),
                    QPointF(r.center().x(), bottom.y() - 10 * s)};
    p.setPen(QPen(Qt::black, 1 * s));
    p.setBrush(Qt::black);
    p.drawPolygon(left);
    p.setBrush(Qt::white);
    p.drawPolygon(right);
    p.setFont(map_font(static_cast<int>(std::lround(14 * s)), true));
    p.setPen(Qt::black);
    p.drawText(QRectF(r.left(), r.top(), r.width(), 18 * s), Qt::AlignCenter,
               tr_text("N", "北", lang));
    stats.north_box = r;
  }
  if (!d.scale.isEmpty()) {
    const double max_px = d.scale.width() - 20 * s;
    const double metres = nice_length(max_px * view.metres_per_pixel);
    const double px = metres / view.metres_per_pixel;
    const QRectF& r = d.scale;
    const double y = r.bottom() - 10 * s;
    p.setPen(QPen(Qt::black, 1 * s));
    for (int k = 0; k < 4; ++k) {
      p.setBrush(k % 2 ? Qt::white : Qt::black);
      p.drawRect(QRectF(r.left() + k * px / 4, y - 6 * s, px / 4, 6 * s));
    }
    QString label;
    if (metres >= 1000)
      label = QString::fromStdString(fmt::format("{:g}", metres / 1000)) +
              tr_text(" km", " 公里", lang);
    else
      label = QString::fromStdString(fmt::format("{:g}", metres)) + tr_text(" m", " 米", lang);
    const QFont font = map_font(static_cast<int>(std::lround(12 * s)));
    halo_text(p, QPointF(r.left(), y - 10 * s), QStringLiteral("0"), font, 3 * s);
    halo_text(p,
              QPointF(r.left() + px - QFontMetricsF(font).horizontalAdvance(label) / 2, y - 10 * s),
              label, font, 3 * s);
    stats.scale_box = QRectF(r.left(), r.top(), px, r.height());
  }
  if (!d.legend.isEmpty() && thematic_) {
    const QRectF& r = d.legend;
    p.setPen(QPen(QColor(120, 120, 120), 1 * s));
    p.setBrush(QColor(255, 255, 255, 235));
    p.drawRect(r);
    p.setPen(Qt::black);
    p.setFont(map_font(static_cast<int>(std::lround(13 * s)), true));
    p.drawText(QRectF(r.left() + 8 * s, r.top() + 6 * s, r.width() - 16 * s, 22 * s),
               Qt::AlignLeft | Qt::AlignVCenter, field_label(thematic_->field, lang));
    p.setFont(map_font(static_cast<int>(std::lround(12 * s))));
    double y = r.top() + 34 * s;
    auto row = [&](const QColor& c, const QString& text) {
      p.setPen(QPen(QColor(80, 80, 80), 0.8 * s));
      p.setBrush(c);
      p.drawRect(QRectF(r.left() + 10 * s, y + 3 * s, 26 * s, 15 * s));
      p.setPen(Qt::black);
      p.drawText(QRectF(r.left() + 44 * s, y, r.width() - 50 * s, 22 * s),
                 Qt::AlignLeft | Qt::AlignVCenter, text);
      y += 22 * s;
    };
    for (const auto& c : thematic_->classes) {
      QString text = qs(c.label);
      if (thematic_->kind == RampKind::binary)
        text = c.label == "1" ? tr_text("yes", "是", lang) : tr_text("no", "否", lang);
      row(c.colour, text);
    }
    if (has_no_data) row(thematic_->no_data, tr_text("no data", "无数据", lang));
    stats.legend_box = r;
  }
}

RenderStats MapRenderer::render_layers(QPainter& p, const Viewport& view, double scale) const {
  RenderStats stats;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  for (const auto& layer : model_.layers()) {
    if (!layer.visible || layer.opacity <= 0) continue;
    p.setOpacity(layer.opacity);
    draw_layer(p, layer, view, scale, stats);
  }
  // Community boundaries on top of cells and buildings.
  p.setOpacity(1.0);
  for (const auto& layer : model_.layers()) {
    if (!layer.visible || layer.role != LayerRole::areas) continue;
    QPen pen(QColor(40, 40, 40), 2.2 * scale);
    pen.setJoinStyle(Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    QPolygonF ring;
    for (auto i : layer.index.query(view.visible_box()))
      for (const auto& poly : layer.data.polygons[i]) {
        add_ring(ring, poly.outer, view, 0.7);
        p.drawPolygon(ring);
      }
  }
  p.restore();
  return stats;
}

RenderStats MapRenderer::render_overlay(QPainter& p, const Viewport& view,
                                        const Decorations& deco) const {
  RenderStats stats;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const double scale = deco.scale;
  if (deco.frame) {
    p.setPen(QPen(Qt::black, 2 * scale));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(scale, scale, view.width - 2 * scale, view.height - 2 * scale));
  }
  if (deco.labels) draw_labels(p, view, deco, stats);
  draw_decorations(p, view, deco, stats);
  p.restore();
  return stats;
}

RenderStats MapRenderer::render(QPainter& p, const Viewport& view, const Decorations& deco) const {
  auto stats = render_layers(p, view, deco.scale);
  const auto overlay = render_overlay(p, view, deco);
  stats.labels_placed = overlay.labels_placed;
  stats.labels_skipped = overlay.labels_skipped;
  stats.label_boxes = overlay.label_boxes;
  stats.legend_box = overlay.legend_box;
  stats.title_box = overlay.title_box;
  stats.scale_box = overlay.scale_box;
  stats.north_box = overlay.north_box;
  return stats;
}

TileCache::TileCache(const MapRenderer& renderer, std::size_t max_tiles)
    : renderer_(renderer), max_tiles_(max_tiles) {}

void TileCache::clear() {
  tiles_.clear();
}

void TileCache::invalidate(const geo::Box& box) {
  if (box.empty()) return;
  for (auto it = tiles_.begin(); it != tiles_.end();) {
    const double mpp = std::ldexp(1.0, it->first.level), side = 256 * mpp;
    const geo::Box tile{it->first.x * side, it->first.y * side, (it->first.x + 1) * side,
                        (it->first.y + 1) * side};
    it = tile.intersects(box) ? tiles_.erase(it) : std::next(it);
  }
}

RenderStats TileCache::render(QPainter& p, const Viewport& view, const Decorations& deco,
                              QColor background) {
  if (background.rgba() != background_) {
    tiles_.clear();
    background_ = background.rgba();
  }
  RenderStats stats;
  // The level just finer than the view: tiles are drawn at 0.5..1 of their size.
  const int level = static_cast<int>(std::floor(std::log2(view.metres_per_pixel) + 1e-9));
  const double mpp = std::ldexp(1.0, level), side = 256 * mpp;
  const geo::Box visible = view.visible_box();
  const long x0 = static_cast<long>(std::floor(visible.min_x / side));
  const long x1 = static_cast<long>(std::floor(visible.max_x / side));
  const long y0 = static_cast<long>(std::floor(visible.min_y / side));
  const long y1 = static_cast<long>(std::floor(visible.max_y / side));
  if (tiles_.size() + static_cast<std::size_t>((x1 - x0 + 1) * (y1 - y0 + 1)) > max_tiles_)
    tiles_.clear();
  p.save();
  p.fillRect(QRectF(0, 0, view.width, view.height), background);
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  for (long ty = y0; ty <= y1; ++ty)
    for (long tx = x0; tx <= x1; ++tx) {
      const Key key{level, tx, ty};
      auto it = tiles_.find(key);
      if (it == tiles_.end()) {
        QImage tile(256, 256, QImage::Format_ARGB32_Premultiplied);
        tile.fill(background);
        Viewport tv;
        tv.width = tv.height = 256;
        tv.metres_per_pixel = mpp;
        tv.center_x = (static_cast<double>(tx) + 0.5) * side;
        tv.center_y = (static_cast<double>(ty) + 0.5) * side;
        QPainter tp(&tile);
        const auto s = renderer_.render_layers(tp, tv, deco.scale);
        tp.end();
        stats.features_drawn += s.features_drawn;
        stats.features_as_pixel += s.features_as_pixel;
        it = tiles_.emplace(key, std::move(tile)).first;
        ++rendered_;
      } else {
        ++reused_;
      }
      const QPointF top_left =
          view.to_screen({static_cast<double>(tx) * side, static_cast<double>(ty + 1) * side});
      const QPointF bottom_right =
          view.to_screen({static_cast<double>(tx + 1) * side, static_cast<double>(ty) * side});
      // Whole pixels: neighbouring tiles meet without seams.
      const QRect target(QPoint(static_cast<int>(std::floor(top_left.x())),
                                static_cast<int>(std::floor(top_left.y()))),
                         QPoint(static_cast<int>(std::floor(bottom_right.x())) - 1,
                                static_cast<int>(std::floor(bottom_right.y())) - 1));
      p.drawImage(target, it->second);
    }
  p.restore();
  const auto overlay = renderer_.render_overlay(p, view, deco);
  stats.labels_placed = overlay.labels_placed;
  stats.labels_skipped = overlay.labels_skipped;
  stats.label_boxes = overlay.label_boxes;
  stats.legend_box = overlay.legend_box;
  stats.title_box = overlay.title_box;
  stats.scale_box = overlay.scale_box;
  stats.north_box = overlay.north_box;
  return stats;
}

QImage MapRenderer::render_image(const Viewport& view, const Decorations& deco,
                                 RenderStats* stats) const {
  QImage image(view.width, view.height, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter p(&image);
  const auto s = render(p, view, deco);
  p.end();
  if (stats) *stats = s;
  return image;
}

void render_to_file(const MapRenderer& renderer, const MapModel& model, const std::string& path,
                    const FileRenderOptions& options) {
  namespace fs = std::filesystem;
  if (options.width < 16 || options.height < 16 || options.width > 20000 || options.height > 20000)
    throw UsageError(fmt::format("map size {}x{} out of range (16..20000 pixels)", options.width,
                                 options.height));
  if (options.dpi < 24 || options.dpi > 2400)
    throw UsageError(fmt::format("--dpi {} out of range (24..2400)", options.dpi));
  const fs::path out(path);
  std::string ext = out.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext != ".png" && ext != ".pdf" && ext != ".svg")
    throw OutputError(
        fmt::format("{}: unknown map format '{}' (use .png, .pdf or .svg)", path, ext));
  std::error_code ec;
  if (fs::exists(out, ec) && !options.overwrite)
    throw OutputError(fmt::format("{}: exists (use --overwrite to replace it)", path));
  if (!model.path().empty() && fs::exists(model.path(), ec) && fs::exists(out, ec) &&
      fs::equivalent(model.path(), out, ec))
    throw OutputError(fmt::format("{}: is the input; refusing to overwrite it", path));
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw OutputError(fmt::format("{}: folder '{}' does not exist", path, dir.string()));
  const fs::path tmp = dir / fmt::format(".{}.{}.tmp{}", out.filename().string(), getpid(), ext);
  const geo::Box extent = model.extent();
  Decorations deco = options.decorations;
  bool ok = false;
  if (ext == ".png") {
    deco.scale *= options.dpi / 96.0;
    const Viewport view =
        Viewport::fit(extent, options.width, options.height, static_cast<int>(60 * deco.scale));
    QImage image = renderer.render_image(view, deco);
    const int dpm = static_cast<int>(std::lround(options.dpi / 0.0254));
    image.setDotsPerMeterX(dpm);
    image.setDotsPerMeterY(dpm);
    ok = image.convertToFormat(QImage::Format_RGB32)
             .save(QString::fromStdString(tmp.string()), "PNG");
  } else if (ext == ".pdf") {
    QPdfWriter writer(QString::fromStdString(tmp.string()));
    writer.setResolution(options.dpi);
    writer.setPageSize(
        QPageSize(QSizeF(options.width * 25.4 / options.dpi, options.height * 25.4 / options.dpi),
                  QPageSize::Millimeter));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(deco.title_text);
    writer.setCreator(QStringLiteral("gridplan render"));
    QPainter p;
    if (p.begin(&writer)) {
      deco.scale *= options.dpi / 96.0;
      const Viewport view =
          Viewport::fit(extent, writer.width(), writer.height(), static_cast<int>(60 * deco.scale));
      p.fillRect(QRect(0, 0, writer.width(), writer.height()), Qt::white);
      renderer.render(p, view, deco);
      ok = p.end();
    }
  } else {
    QSvgGenerator svg;
    svg.setFileName(QString::fromStdString(tmp.string()));
    svg.setSize(QSize(options.width, options.height));
    svg.setViewBox(QRect(0, 0, options.width, options.height));
    svg.setResolution(options.dpi);
    svg.setTitle(deco.title_text);
    QPainter p;
    if (p.begin(&svg)) {
      deco.scale *= options.dpi / 96.0;
      const Viewport view =
          Viewport::fit(extent, options.width, options.height, static_cast<int>(60 * deco.scale));
      p.fillRect(QRect(0, 0, options.width, options.height), Qt::white);
      renderer.render(p, view, deco);
      ok = p.end();
    }
  }
  if (!ok || !fs::exists(tmp, ec)) {
    fs::remove(tmp, ec);
    throw OutputError(fmt::format("{}: could not write the map", path));
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw OutputError(fmt::format("{}: could not write the map ({})", path, ec.message()));
  }
}

} // namespace gp::viewer
