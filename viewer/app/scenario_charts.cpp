#include "scenario_charts.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace gp::viewer_app {

namespace {

QChart* bar_chart(const QString& title, const QStringList& categories, const QList<qreal>& values,
                  const QString& series_name) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->setTitleFont(viewer::map_font(13, true));
  auto* set = new QBarSet(series_name);
  set->setColor(QColor("#31688e"));
  set->append(values);
  auto* series = new QBarSeries;
  series->append(set);
  chart->addSeries(series);
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  x->setLabelsFont(viewer::map_font(10));
  x->setLabelsAngle(categories.size() > 6 ? -60 : 0);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  auto* y = new QValueAxis;
  y->setLabelsFont(viewer::map_font(10));
  qreal hi = 0;
  for (auto v : values) hi = std::max(hi, v);
  y->setRange(0, hi > 0 ? hi * 1.1 : 1);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  chart->legend()->setVisible(false);
  return chart;
}

} // namespace

ScenarioCharts::ScenarioCharts(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  per_scenario_ = new QChartView(this);
  per_cell_ = new QChartView(this);
  per_scenario_->setRenderHint(QPainter::Antialiasing);
  per_cell_->setRenderHint(QPainter::Antialiasing);
  per_scenario_->setMinimumHeight(180);
  per_cell_->setMinimumHeight(220);
  layout->addWidget(per_scenario_);
  layout->addWidget(per_cell_);
}

void ScenarioCharts::update_charts(const viewer::MapModel* model, const std::string& layer_name,
                                   const std::string& field, viewer::Language language) {
  scenarios_ = 0;
  const bool zh = language == viewer::Language::zh;
  const QString label = viewer::field_label(field, language);
  if (!model || field.empty()) {
    per_scenario_->setChart(new QChart);
    per_cell_->setChart(new QChart);
    return;
  }
  // Per scenario: every cells-like layer with this field; named by its file and layer.
  QStringList names;
  QList<qreal> means;
  for (const auto& l : model->layers()) {
    if (l.role != viewer::LayerRole::cells) continue;
    const int f = l.data.table.find(field);
    if (f < 0) continue;
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < l.size(); ++i)
      if (auto v = l.number(i, f)) sum += *v, ++n;
    if (n == 0) continue;
    QString name = QString::fromStdString(l.name());
    if (!l.source.empty())
      name = QFileInfo(QString::fromStdString(l.source)).completeBaseName() + ":" + name;
    names << name;
    means << sum / static_cast<double>(n);
  }
  scenarios_ = static_cast<int>(names.size());
  per_scenario_->setChart(bar_chart(
      (zh ? QStringLiteral("各方案平均：") : QStringLiteral("Mean per scenario: ")) + label, names,
      means, label));
  // Per cell of the coloured layer, highest first (at most 40 bars stay readable).
  QStringList cells;
  QList<qreal> values;
  if (const auto* l = model->find(layer_name)) {
    const int f = l->data.table.find(field);
    int code = l->data.table.find("cell_code");
    if (code < 0) code = l->data.table.find("name");
    std::vector<std::pair<double, std::string>> rows;
    for (std::size_t i = 0; i < l->size(); ++i)
      if (auto v = l->number(i, f)) rows.emplace_back(*v, l->text(i, code));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (rows.size() > 40) rows.resize(40);
    for (const auto& [v, c] : rows) {
      QString s = QString::fromStdString(c);
      cells << (s.size() > 6 ? s.right(6) : s);
      values << v;
    }
  }
  per_cell_->setChart(
      bar_chart((zh ? QStringLiteral("各网格：") : QStringLiteral("Per cell: ")) + label, cells,
                values, label));
}

} // namespace gp::viewer_app
