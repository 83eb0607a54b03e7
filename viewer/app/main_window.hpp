#pragma once
// The desktop app's main window, a planner's editing desk: the map is the central widget;
// plan figures and editing (live judgement, violations, move and paint), identify/search
// and layers are docks at the side; simulation results (a sorted per-cell chart and a
// table linked to the map) appear in a dock only when a `simulate` output is loaded. The
// layout is remembered between runs (QSettings). zh_CN/English interface.
// Slots catch gp::Error and show its what() (the same text the CLI prints) in a dialog.

#include <QLabel>
#include <QMainWindow>
#include <QString>
#include <QTranslator>

#include <functional>
#include <memory>
#include <optional>
#include <set>

#include "gp/viewer/plan_editor.hpp"
#include "map_widget.hpp"

class QAction;
class QComboBox;
class QDockWidget;
class QLineEdit;
class QListWidget;
class QMenu;
class QPushButton;
class QSlider;
class QTableWidget;
class QUndoStack;
class QToolBar;

namespace gp::viewer_app {

class ResultsPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a plan GeoPackage or any OGR source, replacing what is shown. On failure shows
  /// the error (dialog when interactive) and returns false, keeping the previous map.
  bool openFile(const QString& path);
  /// Adds the layers of another file (e.g. simulation results of a scenario).
  bool addFile(const QString& path);
  /// Writes the edited plan to a new file; refuses an existing path. Returns success.
  bool saveAs(const QString& path);
  /// Moves the selected units to `cell`, through the undo stack. Returns the check (not
  /// allowed also when a compound split was not confirmed).
  viewer::MoveCheck moveSelectionTo(const QString& cell);
  /// Assigns painted units to the paint target cell in one undoable step (units already
  /// there or in another community are left out). Returns the check.
  viewer::MoveCheck paintUnits(const std::set<std::uint32_t>& units);
  void setPaintTarget(const QString& cell);
  QString paintTarget() const;
  /// Asked before a move that puts a compound into more cells (default: a dialog when
  /// interactive, else refuse). Receives the compound ids; true = go ahead.
  void setCompoundSplitConfirmation(std::function<bool(const QStringList&)> ask) {
    confirm_split_ = std::move(ask);
  }
  /// Fills the identify panel with a feature's attributes (and cell figures).
  void identify(const QString& layer, quint32 feature);
  /// Finds a cell/area/unit by code or name, zooms to it and identifies it.
  bool search(const QString& text);
  /// Colours `layer` by a numeric field ("" field: plain).
  void setColorBy(const QString& layer, const QString& field);
  void setLanguage(viewer::Language language);

  /// No modal dialogs (tests, screenshots): errors only go to lastError().
  void setInteractive(bool on) { interactive_ = on; }
  const QString& lastError() const { return last_error_; }
  MapWidget* map() { return map_; }
  viewer::MapModel* model() { return model_.get(); }
  viewer::PlanEditor* editor() { return editor_.get(); }
  QUndoStack* undoStack() { return undo_; }
  QTableWidget* identifyTable() { return identify_table_; }
  /// The live plan figures as shown in the figures panel (plain text).
  QString figuresText() const;
  QListWidget* violationsList() { return violations_; }
  /// Zooms to violation `row` of the list and selects its cell.
  void showViolation(int row);
  ResultsPanel* results() { return results_; }
  QDockWidget* resultsDock() { return results_dock_; }
  QDockWidget* editDock() { return edit_dock_; }
  /// Selects plan cell (cells-layer row) or results-layer feature and zooms to it.
  void showFeature(const QString& layer, quint32 feature);
  /// Saves / restores window geometry and dock layout (QSettings "gridplan",
  /// "gridplan-viewer"). Saved on close, restored at construction.
  void saveLayout();
  void restoreLayout();
  /// Share of the window's area taken by the map canvas (0..1).
  double mapAreaShare() const;
  /// The results layer shown in the results dock (nullptr when none loaded).
  const viewer::MapLayer* resultsLayer() const;

protected:
  void changeEvent(QEvent* e) override;
  void closeEvent(QCloseEvent* e) override;

private:
  void buildUi();
  void retranslate();
  void showError(const QString& title, const QString& message);
  void modelChanged();
  void refreshLayerList();
  void refreshColorChoices();
  void refreshFigures();
  void refreshTargets();
  void onOpen();
  void onAddFile();
  void onSaveAs();
  void onExportMap();
  void onMove();
  viewer::MoveCheck applyMove(const std::vector<std::uint32_t>& units, const QString& cell);
  void editApplied(const geo::Box& changed);
  void refreshViolations();
  void refreshResults();
  std::vector<std::string> resultMetrics() const;

  std::unique_ptr<viewer::MapModel> model_;
  std::unique_ptr<viewer::PlanEditor> editor_;
  MapWidget* map_ = nullptr;
  QUndoStack* undo_ = nullptr;
  QTranslator translator_;
  viewer::Language language_ = viewer::Language::en;
  bool interactive_ = true;
  QString last_error_;

  // Widgets and actions (texts set in retranslate()).
  QMenu *file_menu_ = nullptr, *edit_menu_ = nullptr, *view_menu_ = nullptr, *tools_menu_ = nullptr,
        *lang_menu_ = nullptr;
  QAction *open_ = nullptr, *add_ = nullptr, *save_as_ = nullptr, *export_ = nullptr,
          *quit_ = nullptr, *undo_action_ = nullptr, *redo_action_ = nullptr,
          *move_action_ = nullptr, *zoom_full_ = nullptr, *zoom_layer_ = nullptr,
          *zoom_selection_ = nullptr, *zoom_in_ = nullptr, *zoom_out_ = nullptr,
          *tool_pan_ = nullptr, *tool_identify_ = nullptr, *tool_click_ = nullptr,
          *tool_rect_ = nullptr, *tool_lasso_ = nullptr, *tool_paint_ = nullptr,
          *lang_zh_ = nullptr, *lang_en_ = nullptr, *labels_action_ = nullptr;
  QToolBar* toolbar_ = nullptr;
  QComboBox* color_by_ = nullptr;
  QLabel* color_by_label_ = nullptr;
  QDockWidget *layers_dock_ = nullptr, *identify_dock_ = nullptr, *figures_dock_ = nullptr,
              *results_dock_ = nullptr, *edit_dock_ = nullptr;
  QListWidget* layer_list_ = nullptr;
  QSlider* opacity_ = nullptr;
  QPushButton *layer_up_ = nullptr, *layer_down_ = nullptr;
  QLabel* opacity_label_ = nullptr;
  QLineEdit* search_ = nullptr;
  QTableWidget* identify_table_ = nullptr;
  QLabel* figures_ = nullptr;
  QLabel* edit_help_ = nullptr;
  QComboBox* target_cell_ = nullptr;
  QPushButton* move_button_ = nullptr;
  QLabel* edit_status_ = nullptr;
  ResultsPanel* results_ = nullptr;
  std::string results_field_;
  QListWidget* violations_ = nullptr;
  QLabel* violations_label_ = nullptr;
  std::vector<viewer::Violation> violation_items_;
  QLabel* paint_label_ = nullptr;
  QComboBox* paint_target_ = nullptr;
  std::function<bool(const QStringList&)> confirm_split_;
  QLabel *coords_ = nullptr, *scale_ = nullptr;
};

/// Entry point of gridplan-viewer: `gridplan-viewer [FILE...] [--lang zh|en]
/// [--screenshot OUT.png]`. With --screenshot the window is drawn once, saved and closed
/// (exit 0; 2 when FILE cannot be opened or the image cannot be written).
int run(int argc, char** argv);

} // namespace gp::viewer_app
