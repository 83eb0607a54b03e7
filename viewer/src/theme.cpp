#include "gp/viewer/theme.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "gp/core/error.hpp"

namespace gp::viewer {

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
  auto lerp = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
  return QColor(lerp(a.red(), b.red()), lerp(a.green(), b.green()), lerp(a.blue(), b.blue()));
}

std::vector<QColor> sample(const std::vector<QColor>& stops, int n) {
  std::vector<QColor> out;
  for (int i = 0; i < n; ++i) {
    const double t = n == 1 ? 0.5 : static_cast<double>(i) / (n - 1);
    const double pos = t * static_cast<double>(stops.size() - 1);
    const auto k = std::min(static_cast<std::size_t>(pos), stops.size() - 2);
    out.push_back(mix(stops[k], stops[k + 1], pos - static_cast<double>(k)));
  }
  return out;
}

/// A readable number: at most 3 significant digits, no trailing zeros.
std::string nice(double v) {
  if (v == 0) return "0";
  const double mag = std::pow(10.0, std::floor(std::log10(std::abs(v))) - 2);
  const double r = std::round(v / mag) * mag;
  if (std::abs(r) >= 100) return fmt::format("{:.0f}", r);
  return fmt::format("{:.3g}", r);
}

/// v rounded to `digits` significant digits.
double round_sig(double v, int digits = 2) {
  if (v == 0) return 0;
  const double mag = std::pow(10.0, std::floor(std::log10(std::abs(v))) - (digits - 1));
  return std::round(v / mag) * mag;
}

/// The fewest significant digits (3..8) that tell a and b apart.
std::string nice_apart(double v, double other) {
  for (int digits = 3; digits <= 8; ++digits) {
    const auto a = fmt::format("{:.{}g}", v, digits), b = fmt::format("{:.{}g}", other, digits);
    if (a != b) return a;
  }
  return fmt::format("{:.8g}", v);
}

void count_in(const MapLayer& layer, int field, Thematic& t) {
  t.no_data_count = 0;
  for (auto& c : t.classes) c.count = 0;
  for (std::size_t i = 0; i < layer.size(); ++i) {
    if (auto v = layer.number(i, field))
      ++t.classes[static_cast<std::size_t>(t.class_of(*v))].count;
    else
      ++t.no_data_count;
  }
}

} // namespace

std::vector<QColor> ramp_colours(RampKind kind, int classes) {
  classes = std::max(1, classes);
  switch (kind) {
  case RampKind::sequential: {
    // viridis (perceptually uniform, colour-blind safe), light end first for low values
    // read as "less": reversed so that more = darker.
    static const std::vector<QColor> viridis = {
        QColor("#fde725"), QColor("#90d743"), QColor("#35b779"), QColor("#21918c"),
        QColor("#31688e"), QColor("#443983"), QColor("#440154")};
    return sample(viridis, classes);
  }
  case RampKind::diverging: {
    static const std::vector<QColor> puor = {
        QColor("#b35806"), QColor("#f1a340"), QColor("#fee0b6"), QColor("#f7f7f7"),
        QColor("#d8daeb"), QColor("#998ec3"), QColor("#542788")};
    return sample(puor, classes);
  }
  case RampKind::binary:
    return {QColor("#e69f00"), QColor("#56b4e9")};
  }
  return {};
}

QColor categorical_colour(const std::string& key) {
  static const QColor set3[] = {QColor("#8dd3c7"), QColor("#ffffb3"), QColor("#bebada"),
                                QColor("#fb8072"), QColor("#80b1d3"), QColor("#fdb462"),
                                QColor("#b3de69"), QColor("#fccde5"), QColor("#d9d9d9"),
                                QColor("#bc80bd"), QColor("#ccebc5"), QColor("#ffed6f")};
  std::uint64_t h = 1469598103934665603ULL; // FNV-1a: stable across runs and platforms
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  return set3[h % 12];
}

int Thematic::class_of(double value) const {
  if (classes.empty()) return -1;
  for (std::size_t i = 0; i + 1 < classes.size(); ++i)
    if (value < classes[i].upper) return static_cast<int>(i);
  return static_cast<int>(classes.size() - 1);
}

QColor Thematic::colour(std::optional<double> value) const {
  if (!value || classes.empty()) return no_data;
  return classes[static_cast<std::size_t>(class_of(*value))].colour;
}

Thematic make_thematic(const MapLayer& layer, const std::string& field, int classes) {
  const int f = layer.data.table.find(field);
  if (f < 0 || layer.data.table.fields[static_cast<std::size_t>(f)].type == geo::FieldType::text) {
    std::string available;
    for (const auto& n : layer.numeric_fields()) available += (available.empty() ? "" : ", ") + n;
    throw UsageError(fmt::format("layer '{}' has no numeric field '{}' (numeric fields: {})",
                                 layer.name(), field, available.empty() ? "none" : available));
  }
  Thematic t;
  t.layer = layer.name();
  t.field = field;
  std::vector<double> values;
  for (std::size_t i = 0; i < layer.size(); ++i)
    if (auto v = layer.number(i, f)) values.push_back(*v);
  std::sort(values.begin(), values.end());
  if (values.empty()) {
    t.no_data_count = layer.size();
    return t;
  }
  const double lo = values.front(), hi = values.back();
  const bool binary =
      std::all_of(values.begin(), values.end(), [](double v) { return v == 0 || v == 1; });
  if (binary) {
    t.kind = RampKind::binary;
    const auto c = ramp_colours(RampKind::binary, 2);
    t.classes = {{0, 0.5, c[0], "0", 0}, {0.5, 1, c[1], "1", 0}};
    count_in(layer, f, t);
    return t;
  }
  classes = std::clamp(classes, 2, 9);
  const bool diverging =
      lo < 0 && hi > 0 &&
      (field.find("deviation") != std::string::npos || field.find("_pct") != std::string::npos ||
       field.find("diff") != std::string::npos);
  std::vector<double> breaks; // inner breaks
  if (diverging) {
    t.kind = RampKind::diverging;
    if (classes % 2 == 0) ++classes; // a neutral middle class around zero
    const double m = round_sig(std::max(-lo, hi));
    const int half = classes / 2;
    // Middle class spans [-m/(2h+1), +m/(2h+1)]; others equal steps out to ±m.
    const double step = 2 * m / classes;
    for (int i = -half; i < half; ++i) breaks.push_back(round_sig((i + 0.5) * step));
  } else {
    t.kind = RampKind::sequential;
    // Quantile breaks, rounded to the fewest significant digits that keep them distinct
    // (2 digits turn on-time shares of 0.86..0.89 into two classes).
    std::vector<double> raw;
    for (int i = 1; i < classes; ++i)
      raw.push_back(values[static_cast<std::size_t>(
          std::lround(static_cast<double>(values.size() - 1) * i / classes))]);
    for (int digits = 2; digits <= 8; ++digits) {
      breaks.clear();
      for (double q : raw) {
        const double b = round_sig(q, digits);
        if ((breaks.empty() && b > lo) || (!breaks.empty() && b > breaks.back()))
          breaks.push_back(b);
      }
      std::vector<double> distinct_raw;
      for (double q : raw)
        if (q > lo && (distinct_raw.empty() || q > distinct_raw.back())) distinct_raw.push_back(q);
      if (breaks.size() >= distinct_raw.size()) break;
    }
  }
  const auto colours = ramp_colours(t.kind, static_cast<int>(breaks.size() + 1));
  // Label text for a break: 3 significant digits unless that makes neighbours look equal.
  auto text = [&](std::size_t i) {
    const double b = breaks[i];
    const bool clash = (i > 0 && nice(breaks[i - 1]) == nice(b)) ||
                       (i + 1 < breaks.size() && nice(breaks[i + 1]) == nice(b));
    if (!clash) return nice(b);
    return nice_apart(b, i + 1 < breaks.size() ? breaks[i + 1] : breaks[i - 1]);
  };
  double prev = lo;
  for (std::size_t i = 0; i <= breaks.size(); ++i) {
    const double upper = i < breaks.size() ? breaks[i] : hi;
    ThematicClass c{prev, upper, colours[i], {}, 0};
    if (breaks.empty())
      c.label = nice(lo) + " – " + nice(hi); // one value (or one class): its range
    else if (i == 0)
      c.label = "< " + text(0);
    else if (i == breaks.size())
      c.label = "≥ " + text(i - 1);
    else
      c.label = text(i - 1) + " – " + text(i);
    t.classes.push_back(c);
    prev = upper;
  }
  count_in(layer, f, t);
  return t;
}

void count_classes(const MapLayer& layer, Thematic& thematic) {
  count_in(layer, layer.data.table.find(thematic.field), thematic);
}

std::vector<LegendRow> legend_rows(const Thematic& thematic) {
  std::vector<LegendRow> out;
  for (const auto& c : thematic.classes)
    out.push_back({c.lower, c.upper, c.colour.name().toStdString(), c.label, c.count});
  return out;
}

} // namespace gp::viewer
