// The desktop app (QtTest driving real widgets): layout (map first, docks at the side,
// results dock only with results, legend in a corner and collapsible, remembered with
// QSettings), editing that redraws cells and matches the contract's judgement of the saved
// plan, compound confirmation, paint mode, violations, simulation results linked to the
// map; and the same desk driven in a real X window under Xvfb with screenshots.
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QListWidget>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "legend_overlay.hpp"
#include "main_window.hpp"
#include "plan_fixture.hpp"
#include "results_panel.hpp"
#include "support.hpp"

namespace gp::viewer_app {
namespace {

namespace pf = gp::planner::plan_file;

/// The planned city, made once per test program (planning takes seconds).
std::string plan_path() {
  static const std::string path = [] {
    const auto p = (gp::testing::temp_dir() / "plan.gpkg").string();
    gp::testing::write_planned_plan(p);
    return p;
  }();
  return path;
}

QString table_value(QTableWidget* t, const QString& key) {
  for (int r = 0; r < t->rowCount(); ++r)
    if (t->item(r, 0) && t->item(r, 0)->text() == key) return t->item(r, 1)->text();
  return {};
}

struct Window {
  explicit Window(int w = 1600, int h = 1000) {
    win.setInteractive(false);
    win.setLanguage(viewer::Language::en);
    win.resize(w, h);
    win.show();
    QApplication::processEvents();
  }
  int app_ = (static_cast<void>(gp::testing::qt_app()),
              QStandardPaths::setTestModeEnabled(true), // QSettings away from the user's
              QSettings(QStringLiteral("gridplan"), QStringLiteral("gridplan-viewer")).clear(), 0);
  MainWindow win;
};

/// A border building of the plan and a cell it may move to without splitting a compound.
std::pair<std::uint32_t, QString> border_move(const viewer::PlanEditor& e) {
  for (std::uint32_t u = 0; u < e.plan().units.size(); ++u)
    for (const auto& t : e.neighbour_cells({u})) {
      const auto c = e.check_move({u}, t);
      if (c.allowed && c.splits_compounds.empty()) return {u, QString::fromStdString(t)};
    }
  ADD_FAILURE() << "no border move";
  return {0, {}};
}

/// Fraction of sampled pixels that differ from the most common colour.
double non_background_share(const QImage& img) {
  std::map<QRgb, int> counts;
  int n = 0;
  for (int y = 0; y < img.height(); y += 4)
    for (int x = 0; x < img.width(); x += 4, ++n) ++counts[img.pixel(x, y)];
  int top = 0;
  for (const auto& [c, k] : counts) top = std::max(top, k);
  return n ? 1.0 - static_cast<double>(top) / n : 0;
}

void maybe_save_doc_screenshot(const QImage& img, const char* name) {
  if (const char* dir = std::getenv("GP_DOC_SCREENSHOTS"))
    img.save(QString::fromStdString((std::filesystem::path(dir) / name).string()), "PNG");
}

TEST(MainWindow, MapIsCentralAndTakesMostOfTheWindow) {
  for (auto [w, h] : {std::pair{1600, 1000}, {1280, 820}}) {
    Window win(w, h);
    ASSERT_TRUE(win.win.openFile(QString::fromStdString(plan_path())));
    QApplication::processEvents();
    EXPECT_EQ(win.win.centralWidget(), win.win.map());
    EXPECT_GE(win.win.mapAreaShare(), 0.6) << w << "x" << h;
    // Docks at the side; no results dock without results.
    EXPECT_EQ(win.win.dockWidgetArea(win.win.editDock()), Qt::RightDockWidgetArea);
    EXPECT_FALSE(win.win.resultsDock()->isVisible());
    // The legend sits in the map's top-left corner and collapses to its header.
    auto* legend = win.win.map()->legend();
    ASSERT_TRUE(legend->isVisible());
    EXPECT_EQ(legend->parentWidget(), win.win.map());
    EXPECT_LE(legend->x(), 20);
    EXPECT_LE(legend->y(), 20);
    EXPECT_LT(legend->width() * legend->height(),
              win.win.map()->width() * win.win.map()->height() / 8);
    const int open_height = legend->height();
    QTest::mouseClick(legend, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
    EXPECT_TRUE(legend->collapsed());
    EXPECT_LT(legend->height(), open_height);
    QTest::mouseClick(legend, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
    EXPECT_FALSE(legend->collapsed());
  }
}

TEST(MainWindow, LayoutIsRememberedBetweenRuns) {
  QSize size;
  {
    Window first(1400, 900);
    first.win.addDockWidget(Qt::LeftDockWidgetArea, first.win.editDock());
    first.win.map()->legend()->setCollapsed(true);
    first.win.close(); // saves the layout
    size = first.win.size();
  }
  MainWindow second;
  second.setInteractive(false);
  EXPECT_EQ(second.dockWidgetArea(second.editDock()), Qt::LeftDockWidgetArea);
  EXPECT_TRUE(second.map()->legend()->collapsed());
  EXPECT_EQ(second.size(), size);
}

TEST(MainWindow, MovingABorderBuildingRedrawsCellsAndFiguresMatchTheSavedPlan) {
  Window w;
  auto& win = w.win;
  const auto path = plan_path();
  ASSERT_TRUE(win.openFile(QString::fromStdString(path))) << win.lastError().toStdString();
  ASSERT_NE(win.editor(), nullptr);
  auto* editor = win.editor();
  const auto [u, target] = border_move(*editor);
  const auto donor = static_cast<std::size_t>(editor->cell_of(u));
  const auto t = static_cast<std::size_t>(editor->find_cell(target.toStdString()));
  const auto* cells = win.model()->find(pf::layer::cells);
  const auto donor_before = cells->data.polygons[editor->cell_row(donor)];
  const auto target_before = cells->data.polygons[editor->cell_row(t)];
  const QString figures_before = win.figuresText();
  // Select the building by clicking it on the map.
  win.map()->zoomToBox(win.model()->find(pf::layer::units)->index.box(u));
  win.map()->setTool(Tool::select_click);
  const auto anchor = editor->plan().units[u].anchor;
  QTest::mouseClick(win.map(), Qt::LeftButton, Qt::NoModifier,
                    win.map()->viewport().to_screen(anchor).toPoint());
  ASSERT_EQ(win.map()->selection(), std::set<std::uint32_t>{u});
  const auto r = win.moveSelectionTo(target);
  ASSERT_TRUE(r.allowed) << r.reason;
  EXPECT_EQ(win.undoStack()->count(), 1);
  // The polygons drawn changed; the figures panel changed and counts the edit.
  EXPECT_NE(cells->data.polygons[editor->cell_row(donor)], donor_before);
  EXPECT_NE(cells->data.polygons[editor->cell_row(t)], target_before);
  EXPECT_TRUE(geo::contains(cells->data.polygons[editor->cell_row(t)], anchor));
  EXPECT_NE(win.figuresText(), figures_before);
  EXPECT_TRUE(win.figuresText().contains(QStringLiteral("Manual edits: 1")));
  // Save; the contract's judgement of the saved plan is what the panel shows.
  const auto out = (gp::testing::temp_dir() / "window-edited.gpkg").string();
  ASSERT_TRUE(win.saveAs(QString::fromStdString(out))) << win.lastError().toStdString();
  const auto judged = pf::judge_plan(pf::read_plan(out));
  const auto& shown = editor->judgement();
  EXPECT_EQ(judged.cells_within_bounds, shown.cells_within_bounds);
  EXPECT_EQ(judged.cells_contiguous, shown.cells_contiguous);
  EXPECT_EQ(judged.split_compounds, shown.split_compounds);
  EXPECT_EQ(judged.cut_edges, shown.cut_edges);
  EXPECT_NEAR(judged.mean_polsby_popper, shown.mean_polsby_popper, 1e-9);
  EXPECT_TRUE(
      win.figuresText().contains(QStringLiteral("Cut adjacency edges: %1").arg(judged.cut_edges)));
  EXPECT_TRUE(win.figuresText().contains(QStringLiteral("Mean compactness (Polsby-Popper): %1")
                                             .arg(judged.mean_polsby_popper, 0, 'f', 3)));
  // Undo puts the outlines back exactly.
  win.undoStack()->undo();
  EXPECT_EQ(cells->data.polygons[editor->cell_row(donor)], donor_before);
  EXPECT_EQ(win.figuresText(), figures_before);
  // Never over the source or an existing file.
  EXPECT_FALSE(win.saveAs(QString::fromStdString(path)));
  EXPECT_TRUE(win.lastError().contains(QStringLiteral("exists")));
}

TEST(MainWindow, CompoundSplitAsksForConfirmation) {
  Window w;
  auto& win = w.win;
  ASSERT_TRUE(win.openFile(QString::fromStdString(plan_path())));
  auto* e = win.editor();
  std::optional<std::pair<std::uint32_t, std::string>> found;
  for (std::uint32_t u = 0; u < e->plan().units.size() && !found; ++u)
    for (const auto& t : e->neighbour_cells({u}))
      if (const auto c = e->check_move({u}, t); c.allowed && !c.splits_compounds.empty()) {
        found = std::make_pair(u, t);
        break;
      }
  ASSERT_TRUE(found);
  QStringList asked;
  win.setCompoundSplitConfirmation([&](const QStringList& c) {
    asked = c;
    return false;
  });
  win.map()->setSelection({found->first});
  auto r = win.moveSelectionTo(QString::fromStdString(found->second));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(asked, QStringList{QString::fromStdString(e->compound_of(found->first))});
  EXPECT_EQ(win.undoStack()->count(), 0);
  win.setCompoundSplitConfirmation([](const QStringList&) { return true; });
  r = win.moveSelectionTo(QString::fromStdString(found->second));
  EXPECT_TRUE(r.allowed) << r.reason;
  EXPECT_EQ(win.undoStack()->count(), 1);
  ASSERT_EQ(e->edit_log().size(), 1u);
  EXPECT_NE(e->edit_log()[0].find("confirmed"), std::string::npos);
}

TEST(MainWindow, PaintModeAssignsADraggedStrokeInOneUndoableStep) {
  Window w;
  auto& win = w.win;
  ASSERT_TRUE(win.openFile(QString::fromStdString(plan_path())));
  auto* e = win.editor();
  const auto [u, target] = border_move(*e);
  const auto before = e->judgement();
  win.map()->zoomToBox(win.model()->find(pf::layer::units)->index.box(u));
  win.map()->setTool(Tool::paint);
  // Right click on the target cell chooses it as the paint target.
  const auto t = static_cast<std::size_t>(e->find_cell(target.toStdString()));
  const auto inside = geo::point_on_surface(e->cell_geometry(t));
  win.map()->zoomToBox(geo::bounds(e->cell_geometry(t)));
  QTest::mouseClick(win.map(), Qt::RightButton, Qt::NoModifier,
                    win.map()->viewport().to_screen(inside).toPoint());
  EXPECT_EQ(win.paintTarget(), target);
  // Drag a short stroke over the building.
  win.map()->zoomToBox(win.model()->find(pf::layer::units)->index.box(u));
  const QPoint s = win.map()->viewport().to_screen(e->plan().units[u].anchor).toPoint();
  QTest::mousePress(win.map(), Qt::LeftButton, Qt::NoModifier, s - QPoint(2, 0));
  QTest::mouseMove(win.map(), s);
  QTest::mouseMove(win.map(), s + QPoint(2, 0));
  QTest::mouseRelease(win.map(), Qt::LeftButton, Qt::NoModifier, s + QPoint(2, 0));
  EXPECT_EQ(e->cell_of(u), static_cast<std::int64_t>(t));
  EXPECT_EQ(win.undoStack()->count(), 1);
  win.undoStack()->undo();
  EXPECT_NE(e->cell_of(u), static_cast<std::int64_t>(t));
  EXPECT_EQ(e->judgement().cut_edges, before.cut_edges);
}

TEST(MainWindow, ViolationsListUpdatesAndZoomsToTheClickedOne) {
  Window w;
  auto& win = w.win;
  ASSERT_TRUE(win.openFile(QString::fromStdString(plan_path())));
  auto* list = win.violationsList();
  const auto violations = win.editor()->violations();
  ASSERT_EQ(list->count(), static_cast<int>(violations.size()));
  ASSERT_GT(list->count(), 0) << "the planned city has a compound larger than a cell";
  const auto& v = violations.front();
  auto* item = list->item(0);
  QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier,
                    list->visualItemRect(item).center());
  const auto& view = win.map()->viewport();
  EXPECT_GE(view.center_x, v.box.min_x);
  EXPECT_LE(view.center_x, v.box.max_x);
  EXPECT_GE(view.center_y, v.box.min_y);
  EXPECT_LE(view.center_y, v.box.max_y);
  ASSERT_TRUE(win.map()->highlight());
  // After a compound-splitting move the list grows by the new violation.
  win.setCompoundSplitConfirmation([](const QStringList&) { return true; });
  auto* e = win.editor();
  for (std::uint32_t u = 0; u < e->plan().units.size(); ++u) {
    bool moved = false;
    for (const auto& t : e->neighbour_cells({u}))
      if (const auto c = e->check_move({u}, t); c.allowed && !c.splits_compounds.empty()) {
        const auto split_before = e->judgement().split_compounds;
        win.map()->setSelection({u});
        ASSERT_TRUE(win.moveSelectionTo(QString::fromStdString(t)).allowed);
        EXPECT_GE(e->judgement().split_compounds, split_before);
        EXPECT_EQ(list->count(), static_cast<int>(e->violations().size()));
        moved = true;
        break;
      }
    if (moved) break;
  }
}

/// A results file as `simulate` writes it: the plan's cells with per-cell metrics.
std::string results_file(const std::string& plan) {
  const auto path = (gp::testing::temp_dir() / "simulation.gpkg").string();
  if (std::filesystem::exists(path)) return path;
  auto cells = geo::read_layer(plan, pf::layer::cells);
  geo::Layer out;
  out.name = pf::layer::cells;
  out.kind = geo::GeometryKind::polygon;
  out.table.fields = {{pf::field::cell_code, geo::FieldType::text},
                      {"on_time_share", geo::FieldType::real},
                      {"p90_response_h", geo::FieldType::real},
                      {"utilisation", geo::FieldType::real}};
  const int code = cells.table.find(pf::field::cell_code);
  for (std::size_t i = 0; i < cells.table.rows.size(); ++i) {
    const double k = static_cast<double>(i);
    out.table.rows.push_back({cells.table.rows[i][static_cast<std::size_t>(code)],
                              0.86 + 0.03 * std::fmod(k * 0.37, 1.0), 60 + 3 * k, 0.4 + 0.01 * k});
    out.polygons.push_back(cells.polygons[i]);
  }
  geo::WriteOptions o;
  o.geometry_crs = pf::read_plan(plan).work_crs;
  geo::write_layers(path, {out}, o);
  return path;
}

TEST(MainWindow, SimulationResultsColourTheMapAndLinkChartAndTableToIt) {
  Window w;
  auto& win = w.win;
  const auto plan = plan_path();
  ASSERT_TRUE(win.openFile(QString::fromStdString(plan)));
  ASSERT_TRUE(win.addFile(QString::fromStdString(results_file(plan))))
      << win.lastError().toStdString();
  QApplication::processEvents();
  ASSERT_TRUE(win.resultsDock()->isVisible());
  const auto* results = win.resultsLayer();
  ASSERT_NE(results, nullptr);
  // The map is coloured by on-time share in 5 quantile classes covering every cell.
  const auto& thematic = win.map()->renderer()->thematic();
  ASSERT_TRUE(thematic);
  EXPECT_EQ(thematic->layer, results->name());
  EXPECT_EQ(thematic->field, "on_time_share");
  const auto n = results->size();
  ASSERT_GE(n, 5u);
  EXPECT_EQ(thematic->classes.size(), 5u);
  std::size_t counted = 0;
  for (const auto& c : thematic->classes) counted += c.count;
  EXPECT_EQ(counted, n);
  // Chart order: highest first.
  const int f = results->data.table.find("on_time_share");
  const auto& order = win.results()->order();
  ASSERT_EQ(order.size(), n);
  for (std::size_t k = 1; k < order.size(); ++k)
    EXPECT_GE(results->number(order[k - 1], f).value(), results->number(order[k], f).value());
  // Clicking the first bar selects the best cell and shows it.
  win.results()->activateBar(0);
  ASSERT_TRUE(win.map()->highlight());
  EXPECT_EQ(win.map()->highlight()->second, order[0]);
  EXPECT_EQ(table_value(win.identifyTable(), QStringLiteral("layer")),
            QString::fromStdString(results->name()));
  const auto box = results->index.box(order[0]);
  const auto& view = win.map()->viewport();
  EXPECT_GE(view.center_x, box.min_x);
  EXPECT_LE(view.center_x, box.max_x);
  // A table row does the same.
  auto* table = win.results()->table();
  QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier,
                    table->visualItemRect(table->item(2, 0)).center());
  EXPECT_EQ(win.map()->highlight()->second, order[2]);
  // Another metric from the chooser recolours the map.
  auto* chooser = win.results()->metricChooser();
  chooser->setCurrentIndex(chooser->findData(QStringLiteral("p90_response_h")));
  EXPECT_EQ(win.map()->renderer()->thematic()->field, "p90_response_h");
}

TEST(MainWindow, BadFilesShowTheCliMessageAndKeepTheMap) {
  Window w;
  auto& win = w.win;
  const auto good = plan_path();
  ASSERT_TRUE(win.openFile(QString::fromStdString(good)));
  const auto missing = (gp::testing::temp_dir() / "missing.gpkg").string();
  EXPECT_FALSE(win.openFile(QString::fromStdString(missing)));
  try {
    geo::list_layers(missing, {});
    ADD_FAILURE() << "list_layers accepted a missing file";
  } catch (const gp::Error& e) {
    EXPECT_EQ(win.lastError().toStdString(), e.what());
  }
  EXPECT_NE(win.model(), nullptr); // the previous map stays
  EXPECT_EQ(win.model()->path(), good);
}

TEST(MainWindow, SwitchesLanguageFromTheMenu) {
  Window w;
  w.win.setLanguage(viewer::Language::zh);
  EXPECT_EQ(w.win.menuBar()->actions().front()->text(), QStringLiteral("文件(&F)"));
  w.win.setLanguage(viewer::Language::en);
  EXPECT_EQ(w.win.menuBar()->actions().front()->text(), QStringLiteral("&File"));
}

// ---- The same desk in a real X window ----------------------------------------------------
// XvfbDesk re-runs this test program under xvfb-run with the xcb platform and the filter
// DeskUnderX.*; DeskUnderX skips unless started that way.

TEST(DeskUnderX, OpenMoveSaveWithScreenshots) {
  if (!std::getenv("GP_UNDER_XVFB")) GTEST_SKIP() << "run by XvfbDesk under xvfb-run";
  Window w(1600, 1000);
  ASSERT_EQ(QGuiApplication::platformName(), QStringLiteral("xcb"));
  auto& win = w.win;
  // The demo plan (gridplan generate --seed 1; gridplan plan --seed 1).
  const auto path = gp::testing::write_demo_plan(gp::testing::temp_dir());
  ASSERT_TRUE(win.openFile(QString::fromStdString(path)));
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&win));
  QTest::qWait(200);
  auto shot = [&](const char* name) {
    QApplication::processEvents();
    const QImage img = win.screen()->grabWindow(win.winId()).toImage();
    EXPECT_FALSE(img.isNull()) << name;
    EXPECT_GE(img.width(), 800) << name;
    EXPECT_GT(non_background_share(img), 0.2) << name << ": screenshot looks blank";
    maybe_save_doc_screenshot(img, name);
    return img;
  };
  shot("viewer_window.png");
  EXPECT_GE(win.mapAreaShare(), 0.6);
  auto* e = win.editor();
  const auto [u, target] = border_move(*e);
  const auto t = static_cast<std::size_t>(e->find_cell(target.toStdString()));
  const auto target_before = e->cell_geometry(t);
  win.map()->zoomToBox(geo::bounds(target_before));
  win.map()->setTool(Tool::select_click);
  QTest::mouseClick(win.map(), Qt::LeftButton, Qt::NoModifier,
                    win.map()->viewport().to_screen(e->plan().units[u].anchor).toPoint());
  ASSERT_EQ(win.map()->selection(), std::set<std::uint32_t>{u});
  shot("viewer_selected.png");
  ASSERT_TRUE(win.moveSelectionTo(target).allowed);
  EXPECT_NE(e->cell_geometry(t), target_before);
  shot("viewer_moved.png");
  const auto out = (gp::testing::temp_dir() / "x-edited.gpkg").string();
  ASSERT_TRUE(win.saveAs(QString::fromStdString(out)));
  const auto judged = pf::judge_plan(pf::read_plan(out));
  EXPECT_EQ(judged.cut_edges, e->judgement().cut_edges);
  EXPECT_EQ(judged.cells_within_bounds, e->judgement().cells_within_bounds);
  EXPECT_NEAR(judged.mean_polsby_popper, e->judgement().mean_polsby_popper, 1e-9);
  ASSERT_TRUE(win.addFile(QString::fromStdString(results_file(path))));
  QTest::qWait(200);
  win.results()->activateBar(0);
  shot("viewer_results.png");
}

TEST(XvfbDesk, RealWindowDrivenUnderXvfb) {
  if (std::getenv("GP_UNDER_XVFB")) GTEST_SKIP() << "already under Xvfb";
  if (std::system("command -v xvfb-run > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "xvfb-run not installed";
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  const auto log = gp::testing::temp_dir() / "xvfb.log";
  const std::string cmd = "xvfb-run -a -s '-screen 0 1920x1200x24' env QT_QPA_PLATFORM=xcb "
                          "GP_UNDER_XVFB=1 '" +
                          self.string() + "' --gtest_filter='DeskUnderX.*' > '" + log.string() +
                          "' 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(rc, 0) << text;
  EXPECT_NE(text.find("[  PASSED  ] 1 test"), std::string::npos) << text;
}

TEST(ViewerScreenshot, AppScreenshotUnderXvfbIsNotBlank) {
  if (std::system("command -v xvfb-run > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "xvfb-run not installed";
  const auto viewer = gp::testing::binary_dir() / "apps" / "gridplan-viewer";
  ASSERT_TRUE(std::filesystem::exists(viewer)) << viewer << " not built";
  const auto plan = plan_path();
  const auto png = (gp::testing::temp_dir() / "window.png").string();
  const std::string cmd = "env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1400x900x24' '" +
                          viewer.string() + "' --lang zh --screenshot '" + png + "' '" + plan +
                          "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  gp::testing::qt_app();
  const QImage img(QString::fromStdString(png));
  ASSERT_FALSE(img.isNull());
  EXPECT_GE(img.width(), 800);
  EXPECT_GT(non_background_share(img), 0.2);
}

} // namespace
} // namespace gp::viewer_app
