#include "legend_overlay.hpp"

#include <QFontMetrics>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace gp::viewer_app {

namespace {
constexpr int kHeader = 24, kRow = 20, kPad = 8, kSwatch = 22;

QString class_text(const viewer::Thematic& t, const viewer::ThematicClass& c,
                   viewer::Language language) {
  QString text = QString::fromStdString(c.label);
  if (t.kind == viewer::RampKind::binary) {
    const bool zh = language == viewer::Language::zh;
    text = c.label == "1" ? (zh ? QStringLiteral("是") : QStringLiteral("yes"))
                          : (zh ? QStringLiteral("否") : QStringLiteral("no"));
  }
  return QStringLiteral("%1  (%2)").arg(text).arg(static_cast<qulonglong>(c.count));
}
} // namespace

LegendOverlay::LegendOverlay(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("legend"));
  setCursor(Qt::PointingHandCursor);
  setFont(viewer::map_font(12));
  hide();
}

void LegendOverlay::setThematic(const std::optional<viewer::Thematic>& thematic,
                                viewer::Language language) {
  thematic_ = thematic;
  language_ = language;
  setVisible(thematic_ && !thematic_->classes.empty());
  resize(sizeHint());
  update();
}

void LegendOverlay::setCollapsed(bool collapsed) {
  if (collapsed == collapsed_) return;
  collapsed_ = collapsed;
  resize(sizeHint());
  update();
  emit collapsedChanged(collapsed_);
}

QSize LegendOverlay::sizeHint() const {
  if (!thematic_) return {0, 0};
  const QFontMetrics fm(font());
  int w = fm.horizontalAdvance(viewer::field_label(thematic_->field, language_)) + 40;
  int rows = 0;
  if (!collapsed_) {
    for (const auto& c : thematic_->classes)
      w = std::max(w, kPad + kSwatch + 8 +
                          fm.horizontalAdvance(class_text(*thematic_, c, language_)) + kPad);
    rows = static_cast<int>(thematic_->classes.size()) + (thematic_->no_data_count ? 1 : 0);
  }
  return {std::min(w, 320), kHeader + rows * kRow + (rows ? kPad / 2 : 0)};
}

void LegendOverlay::paintEvent(QPaintEvent*) {
  if (!thematic_) return;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(QColor(120, 120, 120), 1));
  p.setBrush(QColor(255, 255, 255, 235));
  p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(Qt::black);
  p.drawText(QRect(kPad, 0, width() - 2 * kPad - 14, kHeader), Qt::AlignLeft | Qt::AlignVCenter,
             viewer::field_label(thematic_->field, language_));
  p.drawText(QRect(width() - kPad - 14, 0, 14, kHeader), Qt::AlignCenter,
             collapsed_ ? QStringLiteral("▸") : QStringLiteral("▾"));
  if (collapsed_) return;
  p.setFont(font());
  int y = kHeader;
  auto row = [&](const QColor& c, const QString& text) {
    p.setPen(QPen(QColor(80, 80, 80), 0.8));
    p.setBrush(c);
    p.drawRect(QRectF(kPad, y + 3, kSwatch, kRow - 6));
    p.setPen(Qt::black);
    p.drawText(QRect(kPad + kSwatch + 8, y, width() - kSwatch - 2 * kPad - 8, kRow),
               Qt::AlignLeft | Qt::AlignVCenter, text);
    y += kRow;
  };
  for (const auto& c : thematic_->classes) row(c.colour, class_text(*thematic_, c, language_));
  if (thematic_->no_data_count)
    row(thematic_->no_data, QStringLiteral("%1  (%2)")
                                .arg(language_ == viewer::Language::zh ? QStringLiteral("无数据")
                                                                       : QStringLiteral("no data"))
                                .arg(static_cast<qulonglong>(thematic_->no_data_count)));
}

void LegendOverlay::mousePressEvent(QMouseEvent* e) {
  if (e->position().y() <= kHeader) setCollapsed(!collapsed_);
  e->accept();
}

} // namespace gp::viewer_app
