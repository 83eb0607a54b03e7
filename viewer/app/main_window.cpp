#include "main_window.hpp"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
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
#include "move_command.hpp"
#include "scenario_charts.hpp"

namespace gp::viewer_app {

namespace {
QString qs(const std::string& s) {
  return QString::fromStdString(s);
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  undo_ = new QUndoStack(this);
  buildUi();
  const bool zh = QLocale::system().name().startsWith(QStringLiteral("zh"));
  setLanguage(zh ? viewer::Language::zh : viewer::Language::en);
  resize(1280, 820);
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
    const auto* units = model_ ? model_->find("units") : nullptr;
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
  toolbar_->addActions({tool_pan_, tool_identify_, tool_click_, tool_rect_, tool_lasso_});
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
  addDockWidget(Qt::LeftDockWidgetArea, layers_dock_);
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
  addDockWidget(Qt::RightDockWidgetArea, identify_dock_);

  // Editing dock: figures, target cell, move button.
  edit_dock_ = new QDockWidget(this);
  edit_dock_->setObjectName(QStringLiteral("edit"));
  auto* ew = new QWidget(edit_dock_);
  auto* el = new QVBoxLayout(ew);
  figures_ = new QLabel(ew);
  figures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  figures_->setWordWrap(true);
  el->addWidget(figures_);
  edit_help_ = new QLabel(ew);
  edit_help_->setWordWrap(true);
  el->addWidget(edit_help_);
  target_cell_ = new QComboBox(ew);
  target_cell_->setEditable(true);
  el->addWidget(target_cell_);
  move_button_ = new QPushButton(ew);
  el->addWidget(move_button_);
  connect(move_button_, &QPushButton::clicked, this, &MainWindow::onMove);
  edit_status_ = new QLabel(ew);
  edit_status_->setWordWrap(true);
  el->addWidget(edit_status_);
  el->addStretch();
  edit_dock_->setWidget(ew);
  addDockWidget(Qt::RightDockWidgetArea, edit_dock_);

  charts_dock_ = new QDockWidget(this);
  charts_dock_->setObjectName(QStringLiteral("charts"));
  charts_ = new ScenarioCharts(charts_dock_);
  charts_dock_->setWidget(charts_);
  addDockWidget(Qt::BottomDockWidgetArea, charts_dock_);
  charts_dock_->hide();
  view_menu_->addSeparator();
  for (auto* d : {layers_dock_, identify_dock_, edit_dock_, charts_dock_})
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
  charts_dock_->setWindowTitle(tr("Scenario comparison"));
  map_->decorations().language = language_;
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
    auto model = std::make_unique<viewer::MapModel>(viewer::MapModel::open(path.toStdString()));
    std::unique_ptr<viewer::PlanEditor> editor;
    if (model->find("units") && model->find("cells")) {
      try {
        editor = std::make_unique<viewer::PlanEditor>(*model);
      } catch (const gp::Error& e) {
        // Not an editable plan: still viewable.
        statusBar()->showMessage(qs(e.what()), 8000);
      }
    }
    undo_->clear();
    editor_ = std::move(editor);
    model_ = std::move(model);
    map_->setModel(model_.get());
    map_->renderer()->set_units_by_cell(editor_ != nullptr);
    last_error_.clear();
    modelChanged();
    // Colour cells by households by default (the balance figure).
    const int idx = color_by_->findText(QStringLiteral("cells: households"), Qt::MatchStartsWith);
    if (idx >= 0) color_by_->setCurrentIndex(idx);
    statusBar()->showMessage(tr("Opened %1 in %2 ms").arg(path).arg(timer.elapsed()), 8000);
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
    model_->add_file(path.toStdString());
    map_->setModel(model_.get());
    map_->renderer()->set_units_by_cell(editor_ != nullptr);
    modelChanged();
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot add file"), qs(e.what()));
  }
  return false;
}

void MainWindow::modelChanged() {
  retranslate();
  charts_dock_->setVisible(model_ != nullptr);
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
      map_->renderer()->set_thematic(std::nullopt);
    } else {
      const auto* l = model_->find(layer.toStdString());
      if (!l) throw gp::UsageError(fmt::format("no layer '{}'", layer.toStdString()));
      map_->renderer()->set_thematic(viewer::make_thematic(*l, field.toStdString()));
    }
    charts_->update_charts(model_.get(), layer.toStdString(), field.toStdString(), language_);
    map_->refresh();
  } catch (const gp::Error& e) {
    showError(tr("Cannot colour the map"), qs(e.what()));
  }
}

QString MainWindow::figuresText() const {
  if (!editor_) return tr("Not an editable plan (needs cells and units layers with cell_code).");
  const auto& f = editor_->figures();
  return tr("Cells: %1\nWithin bounds (%2–%3 households): %4 of %1\n"
            "Households per cell: %5 – %6\nLargest deviation from target: %7 %\n"
            "Cells in more than one piece: %8 (of %13 checked)\n"
            "Buildings assigned: %9 of %10 (coverage %11 %)\nManual edits: %12")
      .arg(f.cells)
      .arg(f.lower_bound)
      .arg(f.upper_bound)
      .arg(f.cells_within_bounds)
      .arg(f.min_households, 0, 'f', 0)
      .arg(f.max_households, 0, 'f', 0)
      .arg(f.max_abs_deviation_pct, 0, 'f', 1)
      .arg(f.cells_split)
      .arg(f.units_assigned)
      .arg(f.units)
      .arg(100 * f.coverage, 0, 'f', 1)
      .arg(editor_->edit_log().size())
      .arg(f.cells_contiguity_checked);
}

void MainWindow::refreshFigures() {
  figures_->setText(figuresText());
  for (auto* w : std::initializer_list<QWidget*>{target_cell_, move_button_})
    w->setEnabled(editor_ != nullptr);
  move_action_->setEnabled(editor_ != nullptr);
  save_as_->setEnabled(editor_ != nullptr);
}

void MainWindow::refreshTargets() {
  target_cell_->clear();
  if (!editor_) return;
  const std::vector<std::uint32_t> sel(map_->selection().begin(), map_->selection().end());
  for (const auto& c : editor_->neighbour_cells(sel)) target_cell_->addItem(qs(c));
  edit_status_->setText(tr("%1 building(s) selected").arg(sel.size()));
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
  if (editor_) {
    std::string code;
    if (layer->role == viewer::LayerRole::units) code = editor_->cell_of(feature);
    if (layer->role == viewer::LayerRole::cells)
      code = layer->text(feature, layer->data.table.find("cell_code"));
    if (const auto* c = editor_->cell(code)) {
      add(tr("cell (live)"), qs(c->code));
      add(tr("cell households (live)"), QString::number(c->households, 'f', 0));
      add(tr("cell buildings (live)"), QString::number(c->units));
      add(tr("deviation from target % (live)"), QString::number(c->deviation_pct, 'f', 1));
      add(tr("within bounds (live)"), c->within_bounds ? tr("yes") : tr("no"));
      add(tr("pieces (live)"), QString::number(c->pieces));
    }
  }
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
        for (const char* f : {"cell_code", "area_code", "code", "name", "building_id", "unit_id"})
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

viewer::MoveCheck MainWindow::moveSelectionTo(const QString& cell) {
  if (!editor_) return {false, "not an editable plan"};
  const std::vector<std::uint32_t> sel(map_->selection().begin(), map_->selection().end());
  QElapsedTimer timer;
  timer.start();
  auto check = editor_->check_move(sel, cell.toStdString());
  if (!check.allowed) {
    edit_status_->setText(tr("Refused: %1").arg(qs(check.reason)));
    statusBar()->showMessage(tr("Move refused: %1").arg(qs(check.reason)), 8000);
    return check;
  }
  undo_->push(new MoveUnitsCommand(*editor_, sel, cell.toStdString(), [this] {
    map_->refresh();
    refreshFigures();
    if (auto* t = map_->renderer()->thematic() ? &*map_->renderer()->thematic() : nullptr) {
      if (const auto* l = model_->find(t->layer)) {
        const auto field = t->field;
        map_->renderer()->set_thematic(viewer::make_thematic(*l, field));
      }
    }
    refreshTargets();
  }));
  edit_status_->setText(
      tr("Moved %1 building(s) to %2 (%3 ms)").arg(sel.size()).arg(cell).arg(timer.elapsed()));
  return check;
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
  const auto args = QApplication::arguments();
  for (int i = 1; i < args.size(); ++i) {
    if (args[i] == QStringLiteral("--screenshot") && i + 1 < args.size())
      screenshot = args[++i];
    else if (args[i] == QStringLiteral("--lang") && i + 1 < args.size())
      lang = args[++i];
    else if (args[i] == QStringLiteral("--help") || args[i] == QStringLiteral("-h")) {
      std::fputs("usage: gridplan-viewer [FILE...] [--lang zh|en] [--screenshot OUT.png]\n"
                 "Opens plan GeoPackages or any OGR source; further files add their layers.\n",
                 stdout);
      return 0;
    } else
      files << args[i];
  }
  MainWindow window;
  if (!screenshot.isEmpty()) window.setInteractive(false);
  if (lang == QStringLiteral("zh")) window.setLanguage(viewer::Language::zh);
  if (lang == QStringLiteral("en")) window.setLanguage(viewer::Language::en);
  bool ok = true;
  for (int i = 0; i < files.size(); ++i)
    ok = (i == 0 ? window.openFile(files[i]) : window.addFile(files[i])) && ok;
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
