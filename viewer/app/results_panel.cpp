#include "results_panel.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

#include "gp/planner/plan_file.hpp"

namespace gp::viewer_app {

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  metric_ = new QComboBox(this);
  layout->addWidget(metric_);
  auto* split = new QSplitter(Qt::Horizontal, this);
  chart_ = new QChartView(split);
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumSize(200, 160);
  table_ = new QTableWidget(0, 2, split);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  split->addWidget(chart_);
  split->addWidget(table_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  connect(metric_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) emit metricChosen(metric_->itemData(i).toString());
  });
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (row >= 0 && static_cast<std::size_t>(row) < order_.size())
      emit cellActivated(order_[static_cast<std::size_t>(row)]);
  });
}

void ResultsPanel::selectFeature(std::uint32_t feature) {
  const QSignalBlocker block(table_);
  const auto it = std::find(order_.begin(), order_.end(), feature);
  if (it == order_.end()) return;
  const int row = static_cast<int>(it - order_.begin());
  table_->selectRow(row);
  table_->scrollToItem(table_->item(row, 0));
}

void ResultsPanel::activateBar(int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= order_.size()) return;
  const auto feature = order_[static_cast<std::size_t>(index)];
  selectFeature(feature);
  emit cellActivated(feature);
}

void ResultsPanel::showResults(const viewer::MapLayer* layer,
                               const std::vector<std::string>& metrics, const std::string& field,
                               viewer::Language language) {
  {
    const QSignalBlocker block(metric_);
    metric_->clear();
    for (const auto& m : metrics)
      metric_->addItem(viewer::field_label(m, language), QString::fromStdString(m));
    metric_->setCurrentIndex(metric_->findData(QString::fromStdString(field)));
  }
  order_.clear();
  table_->setRowCount(0);
  const QString label = viewer::field_label(field, language);
  table_->setHorizontalHeaderLabels(
      {language == viewer::Language::zh ? QStringLiteral("网格") : QStringLiteral("Cell"), label});
  auto* chart = new QChart;
  chart->legend()->setVisible(false);
  chart->setTitleFont(viewer::map_font(12, true));
  if (!layer || field.empty()) {
    chart_->setChart(chart);
    return;
  }
  const int f = layer->data.table.find(field);
  const int code = layer->data.table.find(planner::plan_file::field::cell_code);
  std::vector<std::pair<double, std::uint32_t>> rows;
  for (std::uint32_t i = 0; i < layer->size(); ++i)
    if (auto v = layer->number(i, f)) rows.emplace_back(*v, i);
  // Highest first; ties by row for a stable order.
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  auto* set = new QBarSet(label);
  set->setColor(QColor("#31688e"));
  set->setBorderColor(QColor("#31688e"));
  table_->setRowCount(static_cast<int>(rows.size()));
  double hi = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    order_.push_back(rows[k].second);
    set->append(rows[k].first);
    hi = std::max(hi, rows[k].first);
    const int r = static_cast<int>(k);
    table_->setItem(
        r, 0, new QTableWidgetItem(QString::fromStdString(layer->text(rows[k].second, code))));
    auto* v = new QTableWidgetItem(QString::number(rows[k].first, 'g', 4));
    v->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table_->setItem(r, 1, v);
  }
  table_->resizeColumnToContents(0);
  auto* series = new QBarSeries;
  series->setBarWidth(1.0);
  series->append(set);
  chart->addSeries(series);
  // One category per cell: labels hidden (codes are in the table), bars sorted.
  auto* x = new QBarCategoryAxis;
  QStringList categories;
  for (std::size_t k = 0; k < rows.size(); ++k) categories << QString::number(k + 1);
  x->append(categories);
  x->setLabelsVisible(rows.size() <= 12);
  x->setGridLineVisible(false);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  auto* y = new QValueAxis;
  y->setLabelsFont(viewer::map_font(10));
  // From zero for spread-out values; around the data for a narrow band (on-time shares of
  // 0.86..0.89 would otherwise be bars of equal height).
  const double lo = rows.empty() ? 0 : rows.back().first;
  const double span = hi - lo;
  if (lo > 0 && span < 0.5 * hi)
    y->setRange(lo - 0.1 * span, hi + 0.05 * span);
  else
    y->setRange(std::min(0.0, lo), hi > 0 ? hi * 1.05 : 1);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  chart->setTitle((language == viewer::Language::zh ? QStringLiteral("各网格（从高到低）：")
                                                    : QStringLiteral("Per cell, highest first: ")) +
                  label);
  connect(set, &QBarSet::clicked, this, &ResultsPanel::activateBar);
  chart_->setChart(chart);
}

} // namespace gp::viewer_app
