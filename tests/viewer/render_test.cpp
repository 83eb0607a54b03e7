// Rendering core: colours at known points, legend and labels present and not
// overlapping, CJK text drawn as real glyphs, file output.
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include <filesystem>
#include <set>

#include "gp/core/error.hpp"
#include "gp/viewer/renderer.hpp"
#include "plan_fixture.hpp"
#include "support.hpp"

namespace gp::viewer {
namespace {

using gp::testing::kX0;
using gp::testing::kY0;

MapModel synthetic_model() {
  gp::testing::qt_app();
  MapModel m;
  for (auto& l : gp::testing::synthetic_plan_layers()) m.add_layer(std::move(l));
  return m;
}

Decorations bare() {
  Decorations d;
  d.title = d.legend = d.scale_bar = d.north_arrow = d.labels = false;
  return d;
}

std::size_t ink(const QImage& img, const QRectF& box, QRgb background = qRgb(255, 255, 255)) {
  std::size_t n = 0;
  const QRect r = box.toAlignedRect().intersected(img.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x)
      if ((img.pixel(x, y) & 0xffffff) != (background & 0xffffff)) ++n;
  return n;
}

TEST(Renderer, CellsHaveTheirClassColourAtKnownPoints) {
  auto model = synthetic_model();
  // West cell 330 households, east 480: different classes.
  auto* cells = model.find("cells");
  cells->data.table.rows[0][2] = std::int64_t{330};
  model.find("units")->visible = false;
  MapRenderer renderer(model);
  auto thematic = make_thematic(*cells, "households", 2);
  ASSERT_EQ(thematic.classes.size(), 2u);
  renderer.set_thematic(thematic);
  const auto view = Viewport::fit(model.find("areas")->index.extent(), 600, 400, 10);
  const QImage img = renderer.render_image(view, bare());
  const QColor west = thematic.colour(330), east = thematic.colour(480);
  ASSERT_NE(west, east);
  // Interior points of each cell (away from outlines).
  for (auto [x, y] : {std::pair{40.0, 50.0}, {110.0, 150.0}}) {
    const QPointF s = view.to_screen({kX0 + x, kY0 + y});
    EXPECT_EQ(QColor(img.pixel(s.toPoint())), west) << x << "," << y;
  }
  for (auto [x, y] : {std::pair{190.0, 50.0}, {260.0, 150.0}}) {
    const QPointF s = view.to_screen({kX0 + x, kY0 + y});
    EXPECT_EQ(QColor(img.pixel(s.toPoint())), east) << x << "," << y;
  }
  // Outside the community: white background.
  EXPECT_EQ(QColor(img.pixel(2, 2)), QColor(Qt::white));
}

TEST(Renderer, SelectedBuildingIsHighlighted) {
  auto model = synthetic_model();
  MapRenderer renderer(model);
  const auto view = Viewport::fit(model.find("areas")->index.extent(), 600, 400, 10);
  const QPointF s = view.to_screen({kX0 + 12.5, kY0 + 12.5});
  const QColor before = renderer.render_image(view, bare()).pixel(s.toPoint());
  renderer.set_selection("units", {gp::testing::unit_at(0, 0)});
  const QColor after = renderer.render_image(view, bare()).pixel(s.toPoint());
  EXPECT_NE(before, after);
  EXPECT_GT(after.red(), 200);
  EXPECT_LT(after.green(), 60);
}

TEST(Renderer, LegendTitleScaleBarNorthArrowAndLabelsAreDrawn) {
  auto model = synthetic_model();
  MapRenderer renderer(model);
  auto thematic = make_thematic(*model.find("cells"), "households");
  renderer.set_thematic(thematic);
  model.find("units")->visible = false;
  Decorations deco;
  deco.language = Language::zh;
  const auto view = Viewport::fit(model.extent(), 1000, 700, 60);
  RenderStats stats;
  const QImage img = renderer.render_image(view, deco, &stats);
  ASSERT_FALSE(stats.legend_box.isEmpty());
  ASSERT_FALSE(stats.title_box.isEmpty());
  ASSERT_FALSE(stats.scale_box.isEmpty());
  ASSERT_FALSE(stats.north_box.isEmpty());
  // The legend box has ink beyond its white fill: swatches in the class colours and text.
  EXPECT_GT(ink(img, stats.legend_box.adjusted(2, 2, -2, -2)), 300u);
  bool swatch = false;
  const QRect lr = stats.legend_box.toAlignedRect();
  for (int y = lr.top(); y < lr.bottom() && !swatch; ++y)
    for (int x = lr.left(); x < lr.right() && !swatch; ++x)
      swatch = QColor(img.pixel(x, y)) == thematic.classes.front().colour;
  EXPECT_TRUE(swatch) << "no swatch of the first class colour inside the legend";
  EXPECT_GT(ink(img, stats.title_box.adjusted(4, 4, -4, -4), qRgb(255, 255, 255)), 100u);
  EXPECT_GT(ink(img, stats.north_box), 100u);
  // Both cell codes fit at this zoom.
  EXPECT_EQ(stats.labels_placed, 3u); // two cells + the community name
  ASSERT_EQ(stats.label_boxes.size(), 3u);
  // Labels change the pixels around each cell's centre (text over the fill).
  const QImage plain = [&] {
    Decorations d = deco;
    d.labels = false;
    return renderer.render_image(view, d);
  }();
  for (const auto& box : stats.label_boxes) {
    std::size_t differing = 0;
    const QRect r = box.toAlignedRect().intersected(img.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
      for (int x = r.left(); x <= r.right(); ++x) differing += img.pixel(x, y) != plain.pixel(x, y);
    EXPECT_GT(differing, 20u);
  }
}

TEST(Renderer, LabelsNeverOverlapAndCrowdedOnesAreDropped) {
  gp::testing::qt_app();
  MapModel model;
  model.add_layer(gp::testing::grid_cells(40, 60));
  MapRenderer renderer(model);
  renderer.set_thematic(make_thematic(*model.find("cells"), "households"));
  Decorations deco;
  for (int size : {600, 1200, 2400}) { // zoomed out: labels do not fit; zoomed in: they do
    RenderStats stats;
    renderer.render_image(Viewport::fit(model.extent(), size, size, 10), deco, &stats);
    for (std::size_t a = 0; a < stats.label_boxes.size(); ++a)
      for (std::size_t b = a + 1; b < stats.label_boxes.size(); ++b)
        ASSERT_FALSE(stats.label_boxes[a].intersects(stats.label_boxes[b]))
            << "labels " << a << " and " << b << " overlap at " << size << " px";
    for (const auto& box : stats.label_boxes) {
      EXPECT_FALSE(box.intersects(stats.legend_box));
      EXPECT_FALSE(box.intersects(stats.title_box));
    }
    ASSERT_FALSE(stats.legend_box.isEmpty());
    EXPECT_GT(stats.labels_skipped, 0u); // too small, or under the legend/title
    if (size == 600) {
      EXPECT_EQ(stats.labels_placed, 0u); // 15 px cells: even "001" does not fit
    } else {
      EXPECT_GT(stats.labels_placed, 500u);
    }
  }
}

/// Renders `text` in `font`, black on white, tightly sized.
QImage text_image(const QString& text, const QFont& font) {
  const QFontMetricsF fm(font);
  QImage img(static_cast<int>(fm.horizontalAdvance(text)) + 4, static_cast<int>(fm.height()) + 4,
             QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setFont(font);
  p.setPen(Qt::black);
  p.drawText(QPointF(2, 2 + fm.ascent()), text);
  return img;
}

TEST(Renderer, ChineseRendersAsGlyphsNotBoxes) {
  gp::testing::qt_app();
  ASSERT_TRUE(cjk_font_available())
      << "Noto Sans CJK SC missing: install fonts-noto-cjk (scripts/install-deps.sh)";
  const QString text = QStringLiteral("网格化管理平面图");
  const QFont font = map_font(40);
  EXPECT_EQ(font.family(), QStringLiteral("Noto Sans CJK SC"));
  // The map font draws exactly what the known CJK font draws.
  QFont known(QStringLiteral("Noto Sans CJK SC"));
  known.setPixelSize(40);
  known.setStyleStrategy(QFont::PreferAntialias);
  const QImage ours = text_image(text, font), reference = text_image(text, known);
  EXPECT_EQ(ours, reference);
  // Missing glyphs are drawn as identical boxes; real glyphs differ from each other and
  // from a box. Compare each character's image.
  const QString missing = QString(text.size(), QChar(0xE000)); // private use: no glyph
  const QImage boxes = text_image(missing, font);
  EXPECT_NE(ours, boxes);
  std::set<QByteArray> shapes;
  for (const QChar c : text) {
    const QImage g = text_image(QString(c), font);
    shapes.insert(QByteArray(reinterpret_cast<const char*>(g.constBits()), g.sizeInBytes()));
    EXPECT_NE(g, text_image(QString(QChar(0xE000)), font)) << "glyph equals the missing box";
    EXPECT_GT(ink(g, g.rect()), 40u);
  }
  EXPECT_EQ(shapes.size(), static_cast<std::size_t>(text.size())) << "characters look alike";
}

TEST(Renderer, WritesPngSvgPdfAtomicallyAndRefusesToOverwrite) {
  auto model = synthetic_model();
  MapRenderer renderer(model);
  renderer.set_thematic(make_thematic(*model.find("cells"), "households"));
  const auto dir = gp::testing::temp_dir();
  FileRenderOptions options;
  options.width = 640;
  options.height = 480;
  for (const char* name : {"map.png", "map.svg", "map.pdf"}) {
    const auto path = (dir / name).string();
    render_to_file(renderer, model, path, options);
    ASSERT_TRUE(std::filesystem::exists(path)) << name;
    EXPECT_GT(std::filesystem::file_size(path), 1000u) << name;
    EXPECT_THROW(render_to_file(renderer, model, path, options), gp::OutputError) << name;
    auto again = options;
    again.overwrite = true;
    EXPECT_NO_THROW(render_to_file(renderer, model, path, again));
  }
  const QImage png(QString::fromStdString((dir / "map.png").string()));
  EXPECT_EQ(png.size(), QSize(640, 480));
  EXPECT_THROW(render_to_file(renderer, model, (dir / "map.bmp").string(), options),
               gp::OutputError);
  EXPECT_THROW(render_to_file(renderer, model, (dir / "no" / "map.png").string(), options),
               gp::OutputError);
  // No temporary files left behind.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 3u);
}

} // namespace
} // namespace gp::viewer
