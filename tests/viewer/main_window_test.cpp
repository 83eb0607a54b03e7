// The desktop app (QtTest driving real widgets, offscreen): open, identify by click,
// move a building, undo, refused move, save to a new file and reopen; errors; language;
// and one screenshot of the real window under Xvfb.
#include <QImage>
#include <QMenuBar>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "gp/core/error.hpp"
#include "main_window.hpp"
#include "plan_fixture.hpp"
#include "support.hpp"

namespace gp::viewer_app {
namespace {

using gp::testing::kEast;
using gp::testing::kWest;
using gp::testing::kX0;
using gp::testing::kY0;
using gp::testing::unit_at;

std::string plan_file() {
  const auto path = (gp::testing::temp_dir() / "plan.gpkg").string();
  gp::testing::write_synthetic_plan(path);
  return path;
}

QString table_value(QTableWidget* t, const QString& key) {
  for (int r = 0; r < t->rowCount(); ++r)
    if (t->item(r, 0) && t->item(r, 0)->text() == key) return t->item(r, 1)->text();
  return {};
}

struct Window {
  Window() {
    w.setInteractive(false);
    w.setLanguage(viewer::Language::en);
    w.resize(1200, 800);
    w.show();
    QApplication::processEvents();
  }
  int app_ = (static_cast<void>(gp::testing::qt_app()), 0); // before any widget
  MainWindow w;
};

TEST(MainWindow, OpensAPlanAndIdentifiesByClick) {
  Window win;
  auto& w = win.w;
  ASSERT_TRUE(w.openFile(QString::fromStdString(plan_file()))) << w.lastError().toStdString();
  ASSERT_NE(w.model(), nullptr);
  ASSERT_NE(w.editor(), nullptr);
  EXPECT_NE(w.model()->find("cells"), nullptr);
  EXPECT_NE(w.model()->find("roads"), nullptr); // barriers split by kind
  EXPECT_EQ(w.editor()->figures().cells, 2u);
  QApplication::processEvents();
  // Click inside the east cell between buildings: the identify panel shows that cell.
  auto* map = w.map();
  const QPointF s = map->viewport().to_screen({kX0 + 250, kY0 + 25});
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, s.toPoint());
  EXPECT_EQ(table_value(w.identifyTable(), QStringLiteral("cell_code")),
            QString::fromStdString(kEast));
  EXPECT_EQ(table_value(w.identifyTable(), QStringLiteral("layer")), QStringLiteral("cells"));
  // Clicking a building identifies the building with its live cell figures.
  const QPointF b = map->viewport().to_screen({kX0 + 12.5, kY0 + 12.5});
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, b.toPoint());
  EXPECT_EQ(table_value(w.identifyTable(), QStringLiteral("building_id")), QStringLiteral("B000"));
  EXPECT_EQ(table_value(w.identifyTable(), QStringLiteral("cell households (live)")),
            QStringLiteral("480"));
  // Search by code zooms and identifies.
  EXPECT_TRUE(w.search(QString::fromStdString(kWest)));
  EXPECT_EQ(table_value(w.identifyTable(), QStringLiteral("cell_code")),
            QString::fromStdString(kWest));
  EXPECT_FALSE(w.search(QStringLiteral("no-such-code")));
}

TEST(MainWindow, MoveUndoRefuseSaveAndReopen) {
  Window win;
  auto& w = win.w;
  const auto path = plan_file();
  ASSERT_TRUE(w.openFile(QString::fromStdString(path)));
  auto* map = w.map();
  // Select the border building by clicking it with the select tool.
  map->setTool(Tool::select_click);
  const QPointF s = map->viewport().to_screen({kX0 + 137.5, kY0 + 87.5});
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, s.toPoint());
  ASSERT_EQ(map->selection(), std::set<std::uint32_t>{unit_at(5, 3)});
  const QString before = w.figuresText();
  auto r = w.moveSelectionTo(QString::fromStdString(kEast));
  ASSERT_TRUE(r.allowed) << r.reason;
  EXPECT_EQ(w.undoStack()->count(), 1);
  EXPECT_DOUBLE_EQ(w.editor()->cell(kEast)->households, 490);
  EXPECT_NE(w.figuresText(), before);
  EXPECT_TRUE(w.figuresText().contains(QStringLiteral("Manual edits: 1")));
  // Undo restores the figures, redo re-applies.
  w.undoStack()->undo();
  EXPECT_DOUBLE_EQ(w.editor()->cell(kEast)->households, 480);
  EXPECT_EQ(w.figuresText(), before);
  w.undoStack()->redo();
  EXPECT_DOUBLE_EQ(w.editor()->cell(kEast)->households, 490);
  // A refused move (far building, not touching the west cell... it is in east; pick one
  // from the west edge of the west cell) changes nothing and is not on the stack.
  map->setSelection({unit_at(0, 0)});
  r = w.moveSelectionTo(QString::fromStdString(kEast));
  EXPECT_FALSE(r.allowed);
  EXPECT_FALSE(r.reason.empty());
  EXPECT_EQ(w.undoStack()->count(), 1);
  EXPECT_EQ(w.editor()->cell_of(unit_at(0, 0)), kWest);
  // Save: never over the source, never over an existing file; a new file works.
  EXPECT_FALSE(w.saveAs(QString::fromStdString(path)));
  EXPECT_TRUE(w.lastError().contains(QStringLiteral("exists"))) << w.lastError().toStdString();
  const auto out = (std::filesystem::path(path).parent_path() / "edited.gpkg").string();
  ASSERT_TRUE(w.saveAs(QString::fromStdString(out))) << w.lastError().toStdString();
  // Reopen: the move is in the file and recorded in plan_metadata.
  MainWindow again;
  again.setInteractive(false);
  ASSERT_TRUE(again.openFile(QString::fromStdString(out))) << again.lastError().toStdString();
  EXPECT_EQ(again.editor()->cell_of(unit_at(5, 3)), kEast);
  EXPECT_DOUBLE_EQ(again.editor()->cell(kEast)->households, 490);
  std::map<std::string, std::string> meta;
  for (const auto& t : again.model()->tables())
    if (t.name == "plan_metadata")
      for (const auto& row : t.table.rows)
        meta[std::get<std::string>(row[static_cast<std::size_t>(t.table.find("key"))])] =
            std::get<std::string>(row[static_cast<std::size_t>(t.table.find("value"))]);
  EXPECT_EQ(meta["manual_edits"], "1");
  EXPECT_NE(meta["manual_edit_1"].find(kEast), std::string::npos) << meta["manual_edit_1"];
  EXPECT_EQ(meta["manual_edit_source"], path);
  EXPECT_EQ(meta["min_households"], "300"); // original metadata kept
}

TEST(MainWindow, BadFilesShowTheCliMessageAndKeepTheMap) {
  Window win;
  auto& w = win.w;
  const auto good = plan_file();
  ASSERT_TRUE(w.openFile(QString::fromStdString(good)));
  const auto dir = std::filesystem::path(good).parent_path();
  const auto missing = (dir / "missing.gpkg").string();
  EXPECT_FALSE(w.openFile(QString::fromStdString(missing)));
  EXPECT_TRUE(w.lastError().contains(QString::fromStdString(missing)))
      << w.lastError().toStdString();
  // Same text as the library (what the CLI prints after "gridplan: error: ").
  try {
    geo::list_layers(missing, {});
    ADD_FAILURE() << "list_layers accepted a missing file";
  } catch (const gp::Error& e) {
    EXPECT_EQ(w.lastError().toStdString(), e.what());
  }
  const auto garbage = (dir / "garbage.gpkg").string();
  {
    std::FILE* f = std::fopen(garbage.c_str(), "wb");
    std::fputs("not a geopackage", f);
    std::fclose(f);
  }
  EXPECT_FALSE(w.openFile(QString::fromStdString(garbage)));
  EXPECT_FALSE(w.lastError().isEmpty());
  EXPECT_NE(w.model(), nullptr); // the previous map stays
  EXPECT_EQ(w.model()->path(), good);
}

TEST(MainWindow, SwitchesLanguageFromTheMenu) {
  Window win;
  auto& w = win.w;
  w.setLanguage(viewer::Language::zh);
  EXPECT_EQ(w.menuBar()->actions().front()->text(), QStringLiteral("文件(&F)"));
  w.setLanguage(viewer::Language::en);
  EXPECT_EQ(w.menuBar()->actions().front()->text(), QStringLiteral("&File"));
}

TEST(ViewerScreenshot, RealWindowUnderXvfbIsNotBlank) {
  if (std::system("command -v xvfb-run > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "xvfb-run not installed";
  const auto viewer = gp::testing::binary_dir() / "apps" / "gridplan-viewer";
  ASSERT_TRUE(std::filesystem::exists(viewer)) << viewer << " not built";
  const auto plan = plan_file();
  const auto png = (std::filesystem::path(plan).parent_path() / "window.png").string();
  // The test itself runs offscreen; the viewer must use the X server of xvfb-run.
  const std::string cmd = "env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1400x900x24' '" +
                          viewer.string() + "' --lang zh --screenshot '" + png + "' '" + plan +
                          "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  gp::testing::qt_app();
  const QImage img(QString::fromStdString(png));
  ASSERT_FALSE(img.isNull());
  EXPECT_GE(img.width(), 800);
  std::set<QRgb> colours;
  for (int y = 0; y < img.height(); y += 3)
    for (int x = 0; x < img.width(); x += 3) colours.insert(img.pixel(x, y));
  EXPECT_GT(colours.size(), 50u) << "screenshot looks blank";
}

} // namespace
} // namespace gp::viewer_app
