#pragma once
// The scenario comparison panel (Qt Charts): for one numeric field, the mean over cells
// of every cells-like layer (one bar per scenario: each added results file is one), and
// the values of the cells of the coloured layer (highest first).

#include <QWidget>

#include <string>

#include "gp/viewer/map_model.hpp"
#include "gp/viewer/renderer.hpp"

class QChartView;

namespace gp::viewer_app {

class ScenarioCharts : public QWidget {
  Q_OBJECT
public:
  explicit ScenarioCharts(QWidget* parent = nullptr);
  /// Redraws both charts for `field` of `layer` in `model` (nullptr clears them).
  void update_charts(const viewer::MapModel* model, const std::string& layer,
                     const std::string& field, viewer::Language language);
  /// Number of scenarios (bars) in the per-scenario chart, for tests.
  int scenario_count() const { return scenarios_; }

private:
  QChartView* per_scenario_ = nullptr;
  QChartView* per_cell_ = nullptr;
  int scenarios_ = 0;
};

} // namespace gp::viewer_app
