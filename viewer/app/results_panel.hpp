#pragma once
// The simulation results panel (shown only when a `gridplan simulate` output is loaded):
// a metric chooser, the per-cell values as a chart sorted from highest to lowest, and the
// same values in a table. Clicking a bar or a row emits cellActivated(row of the results
// layer), which the window uses to select the cell and show it on the map.

#include <QWidget>

#include <string>
#include <vector>

#include "gp/viewer/map_model.hpp"
#include "gp/viewer/renderer.hpp"

class QChartView;
class QComboBox;
class QTableWidget;

namespace gp::viewer_app {

class ResultsPanel : public QWidget {
  Q_OBJECT
public:
  explicit ResultsPanel(QWidget* parent = nullptr);
  /// Shows `field` of the results layer `layer` (nullptr clears). `metrics` are the
  /// numeric result fields offered in the chooser.
  void showResults(const viewer::MapLayer* layer, const std::vector<std::string>& metrics,
                   const std::string& field, viewer::Language language);
  /// Results-layer rows in chart order (highest value first), for tests.
  const std::vector<std::uint32_t>& order() const { return order_; }
  QTableWidget* table() { return table_; }
  QComboBox* metricChooser() { return metric_; }
  /// Selects the row of results-layer feature `feature` in the table (no signal).
  void selectFeature(std::uint32_t feature);
  /// What a click on bar `index` (0 = highest) does: selects its row, emits cellActivated.
  void activateBar(int index);

signals:
  void cellActivated(quint32 feature);
  void metricChosen(QString field);

private:
  QComboBox* metric_ = nullptr;
  QChartView* chart_ = nullptr;
  QTableWidget* table_ = nullptr;
  std::vector<std::uint32_t> order_;
};

} // namespace gp::viewer_app
