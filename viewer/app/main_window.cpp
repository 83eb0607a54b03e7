#include "main_window.hpp"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <fmt/core.h>

#include <filesystem>

#include "gp/core/error.hpp"
#include "gp/sim/engine.hpp"
#include "legend_overlay.hpp"
#include "move_command.hpp"
#include "results_panel.hpp"

namespace gp::viewer_app {

namespace {
QString qs(const std::string& s) {
  return QString::fromStdString(s);
}
namespace schema = gp::planner::plan_file;
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  undo_ = new QUndoStack(this);
  buildUi();
  const bool zh = QLocale::system().name().startsWith(QStringLiteral("zh"));
  setLanguage(zh ? viewer::Language::zh : viewer::Language::en);
  resize(1280, 820);
  restoreLayout();
}

MainWindow::~MainWindow() {
  // Commands reference the editor: clear them first.
  undo_->clear();
}

void MainWindow::buildUi() {
  map_ = new MapWidget(this);
  setCentralWidget(map_);

  file_menu_ = menuBar()->addMenu(QString());
  open_ = file_menu_->addAction(QString(), this, &MainWindow::onOpen);
  open_->setShortcut(QKeySequence::Open);
  add_ = file_menu_->addAction(QString(), this, &MainWindow::onAddFile);
  save_as_ = file_menu_->addAction(QString(), this, &MainWindow::onSaveAs);
  save_as_->setShortcut(QKeySequence::SaveAs);
  export_ = file_menu_->addAction(QString(), this, &MainWindow::onExportMap);
  file_menu_->addSeparator();
  quit_ = file_menu_->addAction(QString(), this, &QWidget::close);
  quit_->setShortcut(QKeySequence::Quit);

  edit_menu_ = menuBar()->addMenu(QString());
  undo_action_ = undo_->createUndoAction(this);
  undo_action_->setShortcut(QKeySequence::Undo);
  redo_action_ = undo_->createRedoAction(this);
  redo_action_->setShortcut(QKeySequence::Redo);
  edit_menu_->addAction(undo_action_);
  edit_menu_->addAction(redo_action_);
  move_action_ = edit_menu_->addAction(QString(), this, &MainWindow::onMove);
  move_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));

  view_menu_ = menuBar()->addMenu(QString());
  zoom_full_ = view_menu_->addAction(QString(), map_, &MapWidget::zoomToExtent);
  zoom_full_->setShortcut(QKeySequence(Qt::Key_Home));
  zoom_in_ = view_menu_->addAction(QString(), this, [this] { map_->zoomBy(1.5); });
  zoom_in_->setShortcut(QKeySequence::ZoomIn);
  zoom_out_ = view_menu_->addAction(QString(), this, [this] { map_->zoomBy(1 / 1.5); });
  zoom_out_->setShortcut(QKeySequence::ZoomOut);
  zoom_layer_ = view_menu_->addAction(QString(), this, [this] {
    if (!model_ || !layer_list_->currentItem()) return;
    const auto row = static_cast<std::size_t>(layer_list_->currentRow());
    const auto& layers = model_->layers();
    if (row < layers.size()) map_->zoomToBox(layers[layers.size() - 1 - row].index.extent());
  });
  zoom_selection_ = view_menu_->addAction(QString(), this, [this] {
    const auto* units = model_ ? model_->find(viewer::LayerRole::units) : nullptr;
    if (!units) return;
    geo::Box b = geo::Box::none();
    for (auto u : map_->selection()) b.expand(units->index.box(u));
    map_->zoomToBox(b);
  });
  labels_action_ = view_menu_->addAction(QString());
  labels_action_->setCheckable(true);
  labels_action_->setChecked(true);
  connect(labels_action_, &QAction::toggled, this, [this](bool on) {
    map_->decorations().labels = on;
    map_->refresh();
  });

  tools_menu_ = menuBar()->addMenu(QString());
  auto* tools = new QActionGroup(this);
  auto tool = [&](QAction*& a, Tool t) {
    a = tools_menu_->addAction(QString());
    a->setCheckable(true);
    tools->addAction(a);
    connect(a, &QAction::triggered, this, [this, t] { map_->setTool(t); });
  };
  tool(tool_pan_, Tool::pan);
  tool(tool_identify_, Tool::identify);
  tool(tool_click_, Tool::select_click);
  tool(tool_rect_, Tool::select_rectangle);
  tool(tool_lasso_, Tool::select_lasso);
  tool(tool_paint_, Tool::paint);
  tool_identify_->setChecked(true);
  map_->setTool(Tool::identify);

  lang_menu_ = menuBar()->addMenu(QString());
  auto* langs = new QActionGroup(this);
  lang_zh_ = lang_menu_->addAction(QStringLiteral("中文"));
  lang_en_ = lang_menu_->addAction(QStringLiteral("English"));
  for (auto* a : {lang_zh_, lang_en_}) {
    a->setCheckable(true);
    langs->addAction(a);
  }
  connect(lang_zh_, &QAction::triggered, this, [this] { setLanguage(viewer::Language::zh); });
  connect(lang_en_, &QAction::triggered, this, [this] { setLanguage(viewer::Language::en); });

  toolbar_ = addToolBar(QString());
  toolbar_->setObjectName(QStringLiteral("main_toolbar"));
  toolbar_->addActions({open_, save_as_});
  toolbar_->addSeparator();
  toolbar_->addActions(
      {tool_pan_, tool_identify_, tool_click_, tool_rect_, tool_lasso_, tool_paint_});
  toolbar_->addSeparator();
  toolbar_->addActions({zoom_full_, undo_action_, redo_action_});
  toolbar_->addSeparator();
  color_by_label_ = new QLabel(this);
  toolbar_->addWidget(color_by_label_);
  color_by_ = new QComboBox(this);
  color_by_->setMinimumContentsLength(24);
  toolbar_->addWidget(color_by_);
  connect(color_by_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i < 0) return;
    const auto parts = color_by_->itemData(i).toStringList();
    if (parts.size() == 2) setColorBy(parts[0], parts[1]);
  });

  // Layers dock: visibility (check), order (up/down), opacity.
  layers_dock_ = new QDockWidget(this);
  layers_dock_->setObjectName(QStringLiteral("layers"));
  auto* lw = new QWidget(layers_dock_);
  auto* ll = new QVBoxLayout(lw);
  layer_list_ = new QListWidget(lw);
  ll->addWidget(layer_list_);
  auto* row = new QHBoxLayout;
  layer_up_ = new QPushButton(lw);
  layer_down_ = new QPushButton(lw);
  row->addWidget(layer_up_);
  row->addWidget(layer_down_);
  ll->addLayout(row);
  opacity_label_ = new QLabel(lw);
  ll->addWidget(opacity_label_);
  opacity_ = new QSlider(Qt::Horizontal, lw);
  opacity_->setRange(0, 100);
  ll->addWidget(opacity_);
  layers_dock_->setWidget(lw);
  // The list shows the top layer first; model order is bottom first.
  auto layer_at = [this](int row_index) -> viewer::MapLayer* {
    if (!model_ || row_index < 0) return nullptr;
    auto& layers = model_->layers();
    const auto k = static_cast<std::size_t>(row_index);
    return k < layers.size() ? &layers[layers.size() - 1 - k] : nullptr;
  };
  connect(layer_list_, &QListWidget::itemChanged, this, [this, layer_at](QListWidgetItem* item) {
    if (auto* l = layer_at(layer_list_->row(item))) {
      l->visible = item->checkState() == Qt::Checked;
      map_->refresh();
    }
  });
  connect(layer_list_, &QListWidget::currentRowChanged, this, [this, layer_at](int r) {
    if (auto* l = layer_at(r)) {
      const QSignalBlocker block(opacity_);
      opacity_->setValue(static_cast<int>(l->opacity * 100));
    }
  });
  connect(opacity_, &QSlider::valueChanged, this, [this, layer_at](int v) {
    if (auto* l = layer_at(layer_list_->currentRow())) {
      l->opacity = v / 100.0;
      map_->refresh();
    }
  });
  auto move_layer = [this](int delta) {
    if (!model_) return;
    const int r = layer_list_->currentRow();
    const int n = static_cast<int>(model_->layers().size());
    const int to = r + delta;
    if (r < 0 || to < 0 || to >= n) return;
    model_->move_layer(static_cast<std::size_t>(n - 1 - r), static_cast<std::size_t>(n - 1 - to));
    refreshLayerList();
    layer_list_->setCurrentRow(to);
    map_->refresh();
  };
  connect(layer_up_, &QPushButton::clicked, this, [move_layer] { move_layer(-1); });
  connect(layer_down_, &QPushButton::clicked, this, [move_layer] { move_layer(+1); });

  // Identify + search dock.
  identify_dock_ = new QDockWidget(this);
  identify_dock_->setObjectName(QStringLiteral("identify"));
  auto* iw = new QWidget(identify_dock_);
  auto* il = new QVBoxLayout(iw);
  search_ = new QLineEdit(iw);
  search_->setClearButtonEnabled(true);
  il->addWidget(search_);
  connect(search_, &QLineEdit::returnPressed, this, [this] {
    if (!search(search_->text()))
      statusBar()->showMessage(tr("Not found: %1").arg(search_->text()), 4000);
  });
  identify_table_ = new QTableWidget(0, 2, iw);
  identify_table_->horizontalHeader()->setStretchLastSection(true);
  identify_table_->verticalHeader()->setVisible(false);
  identify_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  il->addWidget(identify_table_);
  identify_dock_->setWidget(iw);

  // Editing dock: live figures, violations, target cell and move, paint target.
  edit_dock_ = new QDockWidget(this);
  edit_dock_->setObjectName(QStringLiteral("edit"));
  auto* ew = new QWidget(edit_dock_);
  auto* el = new QVBoxLayout(ew);
  figures_ = new QLabel(ew);
  figures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  figures_->setWordWrap(true);
  el->addWidget(figures_);
  violations_label_ = new QLabel(ew);
  el->addWidget(violations_label_);
  violations_ = new QListWidget(ew);
  violations_->setMinimumHeight(80);
  el->addWidget(violations_, 1);
  connect(violations_, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { showViolation(violations_->row(item)); });
  edit_help_ = new QLabel(ew);
  edit_help_->setWordWrap(true);
  el->addWidget(edit_help_);
  target_cell_ = new QComboBox(ew);
  target_cell_->setEditable(true);
  el->addWidget(target_cell_);
  move_button_ = new QPushButton(ew);
  el->addWidget(move_button_);
  connect(move_button_, &QPushButton::clicked, this, &MainWindow::onMove);
  paint_label_ = new QLabel(ew);
  paint_label_->setWordWrap(true);
  el->addWidget(paint_label_);
  paint_target_ = new QComboBox(ew);
  paint_target_->setEditable(true);
  el->addWidget(paint_target_);
  edit_status_ = new QLabel(ew);
  edit_status_->setWordWrap(true);
  el->addWidget(edit_status_);
  edit_dock_->setWidget(ew);

  // The map keeps most of the window: every panel is in one column on the right, layers
  // and identify share a tabbed dock under the figures.
  addDockWidget(Qt::RightDockWidgetArea, edit_dock_);
  addDockWidget(Qt::RightDockWidgetArea, identify_dock_);
  tabifyDockWidget(identify_dock_, layers_dock_);
  identify_dock_->raise();
  resizeDocks({edit_dock_}, {300}, Qt::Horizontal);

  results_dock_ = new QDockWidget(this);
  results_dock_->setObjectName(QStringLiteral("results"));
  results_ = new ResultsPanel(results_dock_);
  results_dock_->setWidget(results_);
  addDockWidget(Qt::BottomDockWidgetArea, results_dock_);
  results_dock_->hide();
  connect(results_, &ResultsPanel::cellActivated, this, [this](quint32 feature) {
    if (const auto* l = resultsLayer()) showFeature(qs(l->name()), feature);
  });
  connect(results_, &ResultsPanel::metricChosen, this, [this](const QString& f) {
    results_field_ = f.toStdString();
    if (const auto* l = resultsLayer()) {
      const int idx = color_by_->findData(QStringList{qs(l->name()), f});
      if (idx >= 0) color_by_->setCurrentIndex(idx);
    }
    refreshResults();
  });
  view_menu_->addSeparator();
  for (auto* d : {edit_dock_, identify_dock_, layers_dock_, results_dock_})
    view_menu_->addAction(d->toggleViewAction());

  coords_ = new QLabel(this);
  scale_ = new QLabel(this);
  statusBar()->addPermanentWidget(scale_);
  statusBar()->addPermanentWidget(coords_);
  connect(map_, &MapWidget::cursorMoved, this, [this](double x, double y) {
    coords_->setText(QStringLiteral("X %1  Y %2 m").arg(x, 0, 'f', 1).arg(y, 0, 'f', 1));
  });
  connect(map_, &MapWidget::viewChanged, this, [this] {
    scale_->setText(tr("%1 m/pixel").arg(map_->viewport().metres_per_pixel, 0, 'g', 3));
  });
  connect(map_, &MapWidget::featureIdentified, this, &MainWindow::identify);
  connect(map_, &MapWidget::selectionChanged, this, &MainWindow::refreshTargets);
  connect(map_, &MapWidget::painted, this,
          [this](std::set<std::uint32_t> units) { paintUnits(units); });
  connect(map_, &MapWidget::cellPicked, this, [this](quint32 cell_row) {
    if (!editor_) return;
    const auto c = editor_->cell_of_row(cell_row);
    if (c >= 0) setPaintTarget(qs(editor_->plan().cells[static_cast<std::size_t>(c)].code));
  });
}

void MainWindow::retranslate() {
  setWindowTitle(model_ ? tr("gridplan viewer — %1").arg(QFileInfo(qs(model_->path())).fileName())
                        : tr("gridplan viewer"));
  file_menu_->setTitle(tr("&File"));
  open_->setText(tr("&Open plan or GIS file…"));
  add_->setText(tr("&Add layers from file (results, scenarios)…"));
  save_as_->setText(tr("&Save edited plan as…"));
  export_->setText(tr("&Export map (PNG, PDF, SVG)…"));
  quit_->setText(tr("&Quit"));
  edit_menu_->setTitle(tr("&Edit"));
  undo_action_->setText(tr("&Undo"));
  redo_action_->setText(tr("&Redo"));
  move_action_->setText(tr("&Move selected buildings to cell"));
  view_menu_->setTitle(tr("&View"));
  zoom_full_->setText(tr("Zoom to &full extent"));
  zoom_in_->setText(tr("Zoom &in"));
  zoom_out_->setText(tr("Zoom &out"));
  zoom_layer_->setText(tr("Zoom to &layer"));
  zoom_selection_->setText(tr("Zoom to &selection"));
  labels_action_->setText(tr("Show &labels"));
  tools_menu_->setTitle(tr("&Tools"));
  tool_pan_->setText(tr("Pan"));
  tool_identify_->setText(tr("Identify"));
  tool_click_->setText(tr("Select buildings"));
  tool_rect_->setText(tr("Select by rectangle"));
  tool_lasso_->setText(tr("Select by lasso"));
  tool_paint_->setText(tr("Paint buildings into a cell"));
  lang_menu_->setTitle(tr("&Language"));
  toolbar_->setWindowTitle(tr("Tools"));
  color_by_label_->setText(tr(" Colour by: "));
  layers_dock_->setWindowTitle(tr("Layers"));
  layer_up_->setText(tr("Up"));
  layer_down_->setText(tr("Down"));
  opacity_label_->setText(tr("Opacity"));
  identify_dock_->setWindowTitle(tr("Identify and search"));
  search_->setPlaceholderText(tr("Search by code or name, then Enter"));
  identify_table_->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
  edit_dock_->setWindowTitle(tr("Plan figures and editing"));
  edit_help_->setText(tr("Select buildings (click, rectangle or lasso), choose an adjacent cell "
                         "and move them. Moves that break contiguity are refused."));
  move_button_->setText(tr("Move selection to this cell"));
  violations_label_->setText(tr("Violations (click one to show it):"));
  paint_label_->setText(tr("Paint: choose the target cell (or right-click a cell with the "
                           "paint tool), then drag over buildings."));
  results_dock_->setWindowTitle(tr("Simulation results"));
  map_->decorations().language = language_;
  if (map_->renderer()) map_->legend()->setThematic(map_->renderer()->thematic(), language_);
  if (resultsLayer()) refreshResults();
  refreshColorChoices();
  refreshFigures();
  refreshLayerList();
  map_->refresh();
}

void MainWindow::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(e);
}

void MainWindow::setLanguage(viewer::Language language) {
  language_ = language;
  QApplication::removeTranslator(&translator_);
  if (language == viewer::Language::zh &&
      translator_.load(QStringLiteral(":/i18n/gridplan_zh_CN.qm")))
    QApplication::installTranslator(&translator_);
  (language == viewer::Language::zh ? lang_zh_ : lang_en_)->setChecked(true);
  retranslate();
}

void MainWindow::showError(const QString& title, const QString& message) {
  last_error_ = message;
  statusBar()->showMessage(message, 10000);
  if (interactive_) QMessageBox::critical(this, title, message);
}

bool MainWindow::openFile(const QString& path) {
  try {
    QElapsedTimer timer;
    timer.start();
    auto opened = viewer::open_file(path.toStdString());
    auto model = std::make_unique<viewer::MapModel>(std::move(opened.model));
    std::unique_ptr<viewer::PlanEditor> editor;
    QString notice = qs(opened.notice);
    if (opened.plan) {
      try {
        editor = std::make_unique<viewer::PlanEditor>(*model, std::move(*opened.plan));
      } catch (const gp::Error& e) {
        // Not an editable plan: still viewable.
        notice = qs(e.what());
      }
    }
    undo_->clear();
    editor_ = std::move(editor);
    model_ = std::move(model);
    map_->setModel(model_.get());
    map_->renderer()->set_units_by_cell(editor_ != nullptr);
    last_error_.clear();
    results_field_.clear();
    modelChanged();
    // Colour cells by households by default (the balance figure).
    const int idx =
        color_by_->findData(QStringList{qs(schema::layer::cells), qs(schema::field::households)});
    if (idx >= 0) color_by_->setCurrentIndex(idx);
    statusBar()->showMessage(tr("Opened %1 in %2 ms").arg(path).arg(timer.elapsed()) +
                                 (notice.isEmpty() ? QString() : QStringLiteral(" — ") + notice),
                             8000);
    return true;
  } catch (const gp::Error& e) {
    showError(tr("Cannot open file"), qs(e.what()));
  } catch (const std::exception& e) {
    showError(tr("Cannot open file"), QStringLiteral("%1: %2").arg(path, qs(e.what())));
  }
  return false;
}

bool MainWindow::addFile(const QString& path) {
  if (!model_) return openFile(path);
  try {
    const auto thematic = map_->renderer() ? map_->renderer()->thematic() : std::nullopt;
    model_->add_file(path.toStdString());
    map_->setModel(model_.get());
    map_->renderer()->set_units_by_cell(editor_ != nullptr);
    modelChanged();
    // Simulation results: colour their cells by the first result metric (on-time share).
    if (const auto* l = resultsLayer()) {
      const auto metrics = resultMetrics();
      if (!metrics.empty()) {
        results_field_ = metrics.front();
        const int idx = color_by_->findData(QStringList{qs(l->name()), qs(results_field_)});
        if (idx >= 0) color_by_->setCurrentIndex(idx);
      }
      refreshResults();
    } else if (thematic) {
      map_->setThematic(thematic, language_);
    }
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot add file"), qs(e.what()));
  }
  return false;
}

const viewer::MapLayer* MainWindow::resultsLayer() const {
  if (!model_) return nullptr;
  const auto& names = sim::cell_metric_names();
  for (const auto& l : model_->layers()) {
    if (l.role != viewer::LayerRole::cells || l.source == model_->path()) continue;
    for (const auto& n : names)
      if (l.data.table.find(n) >= 0) return &l;
  }
  return nullptr;
}

std::vector<std::string> MainWindow::resultMetrics() const {
  std::vector<std::string> out;
  const auto* l = resultsLayer();
  if (!l) return out;
  // The headline results first, then every other per-cell metric of the file.
  std::vector<std::string> order = {"on_time_share", "p90_response_h", "utilisation"};
  for (const auto& n : sim::cell_metric_names())
    if (std::find(order.begin(), order.end(), n) == order.end()) order.push_back(n);
  for (const auto& n : order)
    if (const int f = l->data.table.find(n);
        f >= 0 && l->data.table.fields[static_cast<std::size_t>(f)].type != geo::FieldType::text)
      out.push_back(n);
  return out;
}

void MainWindow::refreshResults() {
  const auto* l = resultsLayer();
  results_dock_->setVisible(l != nullptr);
  if (!l) return;
  const auto metrics = resultMetrics();
  if (results_field_.empty() && !metrics.empty()) results_field_ = metrics.front();
  results_->showResults(l, metrics, results_field_, language_);
}

void MainWindow::modelChanged() {
  retranslate();
  refreshViolations();
  refreshResults();
}

void MainWindow::refreshLayerList() {
  const QSignalBlocker block(layer_list_);
  const int current = layer_list_->currentRow();
  layer_list_->clear();
  if (!model_) return;
  const auto& layers = model_->layers();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    auto* item = new QListWidgetItem(
        QStringLiteral("%1  (%2)").arg(qs(it->name())).arg(static_cast<qulonglong>(it->size())),
        layer_list_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(it->visible ? Qt::Checked : Qt::Unchecked);
  }
  layer_list_->setCurrentRow(std::max(0, current));
  const auto row = static_cast<std::size_t>(layer_list_->currentRow());
  if (row < layers.size()) {
    const QSignalBlocker block_opacity(opacity_);
    opacity_->setValue(static_cast<int>(layers[layers.size() - 1 - row].opacity * 100));
  }
}

void MainWindow::refreshColorChoices() {
  const QSignalBlocker block(color_by_);
  const QString current = color_by_->currentText();
  color_by_->clear();
  color_by_->addItem(tr("(plain)"), QStringList{QString(), QString()});
  if (model_)
    for (const auto& l : model_->layers()) {
      if (l.role != viewer::LayerRole::cells && l.role != viewer::LayerRole::areas) continue;
      for (const auto& f : l.numeric_fields()) {
        if (f == "fid") continue;
        color_by_->addItem(QStringLiteral("%1: %2 — %3")
                               .arg(qs(l.name()), qs(f), viewer::field_label(f, language_)),
                           QStringList{qs(l.name()), qs(f)});
      }
    }
  const int idx = color_by_->findText(current);
  color_by_->setCurrentIndex(idx >= 0 ? idx : 0);
}

void MainWindow::setColorBy(const QString& layer, const QString& field) {
  if (!model_ || !map_->renderer()) return;
  try {
    if (field.isEmpty()) {
      map_->setThematic(std::nullopt, language_);
    } else {
      const auto* l = model_->find(layer.toStdString());
      if (!l) throw gp::UsageError(fmt::format("no layer '{}'", layer.toStdString()));
      map_->setThematic(viewer::make_thematic(*l, field.toStdString()), language_);
    }
  } catch (const gp::Error& e) {
    showError(tr("Cannot colour the map"), qs(e.what()));
  }
}

QString MainWindow::figuresText() const {
  if (!editor_) return tr("Not an editable plan (needs the plan's cells and units layers).");
  const auto& j = editor_->judgement();
  const auto& rules = editor_->plan().rules;
  return tr("Cells: %1\nWithin bounds: %2 of %1 (%3 %)\nContiguous: %4 of %1 (%5 %)\n"
            "%6 per cell: %7 – %8 (mean %9)\nMean compactness (Polsby-Popper): %10\n"
            "Cut adjacency edges: %11\nCompounds split: %12\nUnassigned buildings: %13\n"
            "Manual edits: %14")
      .arg(j.cells.size())
      .arg(j.cells_within_bounds)
      .arg(100 * j.share_within_bounds, 0, 'f', 1)
      .arg(j.cells_contiguous)
      .arg(100 * j.share_contiguous, 0, 'f', 1)
      .arg(viewer::field_label(rules.balance_field, language_))
      .arg(j.balance_min, 0, 'f', 0)
      .arg(j.balance_max, 0, 'f', 0)
      .arg(j.balance_mean, 0, 'f', 1)
      .arg(j.mean_polsby_popper, 0, 'f', 3)
      .arg(j.cut_edges)
      .arg(j.split_compounds)
      .arg(j.unassigned_units)
      .arg(editor_->edit_log().size());
}

void MainWindow::refreshFigures() {
  figures_->setText(figuresText());
  for (auto* w : std::initializer_list<QWidget*>{target_cell_, move_button_, paint_target_})
    w->setEnabled(editor_ != nullptr);
  move_action_->setEnabled(editor_ != nullptr);
  tool_paint_->setEnabled(editor_ != nullptr);
  save_as_->setEnabled(editor_ != nullptr);
}

void MainWindow::refreshViolations() {
  violations_->clear();
  violation_items_.clear();
  if (!editor_) return;
  violation_items_ = editor_->violations();
  for (const auto& v : violation_items_) violations_->addItem(qs(v.text));
}

void MainWindow::showViolation(int row) {
  if (row < 0 || static_cast<std::size_t>(row) >= violation_items_.size()) return;
  const auto& v = violation_items_[static_cast<std::size_t>(row)];
  map_->zoomToBox(v.box);
  if (v.cell >= 0) {
    const auto cell_row = editor_->cell_row(static_cast<std::size_t>(v.cell));
    map_->setHighlight(std::make_pair(std::string(schema::layer::cells), cell_row));
    identify(qs(schema::layer::cells), cell_row);
  }
}

void MainWindow::showFeature(const QString& layer, quint32 feature) {
  if (!model_) return;
  const auto* l = model_->find(layer.toStdString());
  if (!l || feature >= l->size()) return;
  map_->zoomToBox(l->index.box(feature));
  map_->setHighlight(std::make_pair(layer.toStdString(), static_cast<std::uint32_t>(feature)));
  identify(layer, feature);
  if (l == resultsLayer()) results_->selectFeature(feature);
}

void MainWindow::refreshTargets() {
  target_cell_->clear();
  if (!editor_) return;
  const std::vector<std::uint32_t> sel(map_->selection().begin(), map_->selection().end());
  for (const auto& c : editor_->neighbour_cells(sel)) target_cell_->addItem(qs(c));
  edit_status_->setText(tr("%1 building(s) selected").arg(sel.size()));
}

void MainWindow::setPaintTarget(const QString& cell) {
  if (paint_target_->findText(cell) < 0) paint_target_->addItem(cell);
  paint_target_->setCurrentText(cell);
}

QString MainWindow::paintTarget() const {
  return paint_target_->currentText();
}

void MainWindow::identify(const QString& layer_name, quint32 feature) {
  identify_table_->setRowCount(0);
  if (!model_) return;
  const auto* layer = model_->find(layer_name.toStdString());
  if (!layer || feature >= layer->size()) return;
  auto add = [this](const QString& k, const QString& v) {
    const int r = identify_table_->rowCount();
    identify_table_->insertRow(r);
    identify_table_->setItem(r, 0, new QTableWidgetItem(k));
    identify_table_->setItem(r, 1, new QTableWidgetItem(v));
  };
  add(tr("layer"), layer_name);
  const auto& fields = layer->data.table.fields;
  for (std::size_t f = 0; f < fields.size(); ++f)
    add(qs(fields[f].name), qs(layer->text(feature, static_cast<int>(f))));
  if (!editor_) return;
  std::int64_t cell = -1;
  if (layer->role == viewer::LayerRole::units && layer->name() == schema::layer::units)
    cell = editor_->cell_of(feature);
  if (layer->role == viewer::LayerRole::cells)
    cell =
        editor_->find_cell(layer->text(feature, layer->data.table.find(schema::field::cell_code)));
  if (cell < 0) return;
  const auto c = static_cast<std::size_t>(cell);
  const auto& j = editor_->judgement().cells[c];
  const auto [lo, hi] = editor_->bounds(c);
  add(tr("cell (live)"), qs(editor_->plan().cells[c].code));
  add(tr("cell households (live)"), QString::number(j.balance, 'f', 0));
  add(tr("cell buildings (live)"), QString::number(j.units));
  add(tr("bounds"), QStringLiteral("%1 – %2").arg(lo).arg(hi));
  add(tr("within bounds (live)"), j.within_bounds ? tr("yes") : tr("no"));
  add(tr("pieces (live)"), QString::number(j.pieces));
  add(tr("compactness (live)"), QString::number(j.polsby_popper, 'f', 3));
}

bool MainWindow::search(const QString& text) {
  if (!model_ || text.trimmed().isEmpty()) return false;
  const std::string needle = text.trimmed().toStdString();
  for (bool exact : {true, false})
    for (auto role : {viewer::LayerRole::cells, viewer::LayerRole::areas, viewer::LayerRole::units,
                      viewer::LayerRole::facilities})
      for (const auto& l : model_->layers()) {
        if (l.role != role) continue;
        std::vector<int> fields;
        for (const char* f : {schema::field::cell_code, schema::field::area_code,
                              schema::field::name, schema::field::unit_id, "code", "building_id"})
          if (int k = l.data.table.find(f); k >= 0) fields.push_back(k);
        for (std::size_t i = 0; i < l.size(); ++i)
          for (int k : fields) {
            const auto v = l.text(i, k);
            if (exact ? v == needle : v.find(needle) != std::string::npos) {
              map_->zoomToBox(l.index.box(static_cast<std::uint32_t>(i)));
              identify(qs(l.name()), static_cast<quint32>(i));
              return true;
            }
          }
      }
  return false;
}

void MainWindow::editApplied(const geo::Box& changed) {
  // Only the tiles over the changed cells are redrawn; the colour classes stay as they
  // were (a stable legend) and their counts follow the edit.
  if (const auto& t = map_->renderer()->thematic())
    if (const auto* l = model_->find(t->layer)) {
      auto recounted = *t;
      viewer::count_classes(*l, recounted);
      map_->renderer()->set_thematic(recounted);
      map_->legend()->setThematic(recounted, language_);
    }
  map_->invalidate(changed);
  refreshFigures();
  refreshViolations();
  refreshTargets();
}

viewer::MoveCheck MainWindow::applyMove(const std::vector<std::uint32_t>& units,
                                        const QString& cell) {
  if (!editor_) return {false, "not an editable plan", {}};
  auto check = editor_->check_move(units, cell.toStdString());
  if (check.allowed && !check.splits_compounds.empty()) {
    QStringList compounds;
    for (const auto& c : check.splits_compounds) compounds << qs(c);
    bool go = false;
    if (confirm_split_)
      go = confirm_split_(compounds);
    else if (interactive_)
      go = QMessageBox::question(
               this, tr("Split a compound?"),
               tr("This move puts compound(s) %1 into more cells. Compounds (小区) are normally "
                  "kept whole. Move anyway? The move is recorded as splitting them.")
                   .arg(compounds.join(QStringLiteral(", ")))) == QMessageBox::Yes;
    if (!go) {
      check.allowed = false;
      check.reason = "not confirmed: the move would split compound(s) " +
                     compounds.join(QStringLiteral(", ")).toStdString();
    }
  }
  if (!check.allowed) {
    edit_status_->setText(tr("Refused: %1").arg(qs(check.reason)));
    statusBar()->showMessage(tr("Move refused: %1").arg(qs(check.reason)), 8000);
    return check;
  }
  auto step = editor_->move(units, cell.toStdString(), &check);
  if (!step) return check;
  const double ms = step->milliseconds;
  const auto moved = step->units.size();
  // Where the map changes: the outlines of the cells involved, before and after, and the
  // moved buildings (coloured by cell).
  geo::Box changed = geo::Box::none();
  for (const auto& g : step->before) changed.expand(geo::bounds(g));
  for (const auto& g : step->after) changed.expand(geo::bounds(g));
  if (const auto* units_layer = model_->find(viewer::LayerRole::units))
    for (auto u : step->units) changed.expand(units_layer->index.box(u));
  undo_->push(
      new MoveUnitsCommand(*editor_, std::move(*step), [this, changed] { editApplied(changed); }));
  edit_status_->setText(
      tr("Moved %1 building(s) to %2 (%3 ms)").arg(moved).arg(cell).arg(ms, 0, 'f', 1));
  return check;
}

viewer::MoveCheck MainWindow::moveSelectionTo(const QString& cell) {
  const std::vector<std::uint32_t> sel(map_->selection().begin(), map_->selection().end());
  return applyMove(sel, cell);
}

viewer::MoveCheck MainWindow::paintUnits(const std::set<std::uint32_t>& units) {
  if (!editor_) return {false, "not an editable plan", {}};
  const QString cell = paintTarget();
  const auto target = editor_->find_cell(cell.toStdString());
  if (target < 0) {
    viewer::MoveCheck refused{false, "choose the cell to paint into first", {}};
    edit_status_->setText(tr("Refused: %1").arg(qs(refused.reason)));
    return refused;
  }
  // Only buildings of the target's community that are not in it yet are painted.
  const auto& area = editor_->plan().cells[static_cast<std::size_t>(target)].area_code;
  std::vector<std::uint32_t> list;
  for (auto u : units)
    if (editor_->cell_of(u) != target && editor_->plan().units[u].area_code == area)
      list.push_back(u);
  return applyMove(list, cell);
}

bool MainWindow::saveAs(const QString& path) {
  if (!editor_) {
    showError(tr("Cannot save"), tr("Not an editable plan."));
    return false;
  }
  try {
    if (std::filesystem::exists(path.toStdString()))
      throw gp::OutputError(
          fmt::format("{}: exists; save the edited plan under a new name", path.toStdString()));
    editor_->save_as(path.toStdString(), false);
    undo_->setClean();
    statusBar()->showMessage(tr("Saved %1").arg(path), 8000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot save"), qs(e.what()));
  }
  return false;
}

void MainWindow::saveLayout() {
  QSettings settings(QStringLiteral("gridplan"), QStringLiteral("gridplan-viewer"));
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("map/legend_collapsed"), map_->legend()->collapsed());
}

void MainWindow::restoreLayout() {
  QSettings settings(QStringLiteral("gridplan"), QStringLiteral("gridplan-viewer"));
  if (settings.contains(QStringLiteral("window/geometry")))
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  if (settings.contains(QStringLiteral("window/state")))
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  map_->legend()->setCollapsed(settings.value(QStringLiteral("map/legend_collapsed")).toBool());
  // The results dock follows the data, not the saved state.
  results_dock_->setVisible(resultsLayer() != nullptr);
}

void MainWindow::closeEvent(QCloseEvent* e) {
  saveLayout();
  QMainWindow::closeEvent(e);
}

double MainWindow::mapAreaShare() const {
  const double window = static_cast<double>(width()) * height();
  return window > 0 ? static_cast<double>(map_->width()) * map_->height() / window : 0;
}

void MainWindow::onOpen() {
  const auto path = QFileDialog::getOpenFileName(
      this, tr("Open plan or GIS file"), QString(),
      tr("GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)"));
  if (!path.isEmpty()) openFile(path);
}

void MainWindow::onAddFile() {
  const auto path =
      QFileDialog::getOpenFileName(this, tr("Add layers from file"), QString(),
                                   tr("GIS files (*.gpkg *.shp *.geojson);;All files (*)"));
  if (!path.isEmpty()) addFile(path);
}

void MainWindow::onSaveAs() {
  const auto path = QFileDialog::getSaveFileName(this, tr("Save edited plan as a new file"),
                                                 QString(), tr("GeoPackage (*.gpkg)"), nullptr,
                                                 QFileDialog::DontConfirmOverwrite);
  if (!path.isEmpty()) saveAs(path);
}

void MainWindow::onExportMap() {
  if (!model_) return;
  const auto path = QFileDialog::getSaveFileName(this, tr("Export map"), QString(),
                                                 tr("Maps (*.png *.pdf *.svg)"));
  if (path.isEmpty()) return;
  try {
    viewer::FileRenderOptions options;
    options.decorations.language = language_;
    options.overwrite = true; // the file dialog asked for confirmation
    viewer::render_to_file(*map_->renderer(), *model_, path.toStdString(), options);
  } catch (const std::exception& e) {
    showError(tr("Cannot export map"), qs(e.what()));
  }
}

void MainWindow::onMove() {
  const auto check = moveSelectionTo(target_cell_->currentText());
  if (!check.allowed) showError(tr("Move refused"), qs(check.reason));
}

int run(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("gridplan-viewer"));
  QApplication::setFont(viewer::map_font(13));
  QStringList files;
  QString screenshot, lang;
  bool print_figures = false;
  const auto args = QApplication::arguments();
  for (int i = 1; i < args.size(); ++i) {
    if (args[i] == QStringLiteral("--screenshot") && i + 1 < args.size())
      screenshot = args[++i];
    else if (args[i] == QStringLiteral("--lang") && i + 1 < args.size())
      lang = args[++i];
    else if (args[i] == QStringLiteral("--print-figures"))
      print_figures = true;
    else if (args[i] == QStringLiteral("--help") || args[i] == QStringLiteral("-h")) {
      std::fputs("usage: gridplan-viewer [FILE...] [--lang zh|en] [--screenshot OUT.png] "
                 "[--print-figures]\n"
                 "Opens plan GeoPackages or any OGR source; further files add their layers.\n"
                 "--print-figures prints the plan figures panel and exits.\n",
                 stdout);
      return 0;
    } else
      files << args[i];
  }
  MainWindow window;
  if (!screenshot.isEmpty() || print_figures) window.setInteractive(false);
  if (lang == QStringLiteral("zh")) window.setLanguage(viewer::Language::zh);
  if (lang == QStringLiteral("en")) window.setLanguage(viewer::Language::en);
  bool ok = true;
  for (int i = 0; i < files.size(); ++i)
    ok = (i == 0 ? window.openFile(files[i]) : window.addFile(files[i])) && ok;
  if (print_figures) {
    if (!ok) {
      std::fprintf(stderr, "gridplan-viewer: error: %s\n",
                   window.lastError().toStdString().c_str());
      return 2;
    }
    std::printf("%s\n", window.figuresText().toStdString().c_str());
    return 0;
  }
  window.show();
  if (screenshot.isEmpty()) return QApplication::exec();
  if (!ok) {
    std::fprintf(stderr, "gridplan-viewer: error: %s\n", window.lastError().toStdString().c_str());
    return 2;
  }
  int code = 0;
  QTimer::singleShot(500, &window, [&] {
    if (!window.grab().save(screenshot, "PNG")) {
      std::fprintf(stderr, "gridplan-viewer: error: %s: could not write the screenshot\n",
                   screenshot.toStdString().c_str());
      code = 2;
    }
    QApplication::quit();
  });
  QApplication::exec();
  return code;
}

} // namespace gp::viewer_app
