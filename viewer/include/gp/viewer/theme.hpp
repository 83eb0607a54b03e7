#pragma once
// Thematic colouring: classes of a numeric field mapped to colour-blind-safe ramps
// (viridis for sequential values, ColorBrewer PuOr for values around zero, Okabe-Ito
// for yes/no), with the legend text for each class.

#include <QColor>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gp/viewer/map_model.hpp"

namespace gp::viewer {

enum class RampKind { sequential, diverging, binary };

/// Colours of `classes` steps of a ramp (classes >= 1). Sequential: viridis; diverging:
/// PuOr (odd counts have a neutral middle); binary: Okabe-Ito orange / sky blue.
std::vector<QColor> ramp_colours(RampKind kind, int classes);

/// One colour per cell code for categorical maps (e.g. units by cell): a 12-colour
/// qualitative palette (ColorBrewer Set3-like) indexed by a stable hash of the code.
QColor categorical_colour(const std::string& key);

struct ThematicClass {
  double lower = 0, upper = 0; ///< value range, lower inclusive, upper inclusive for the last
  QColor colour;
  std::string label;     ///< "300 – 350"
  std::size_t count = 0; ///< features of the layer in this class (when classified)
};

/// A classification of one numeric field of one layer.
struct Thematic {
  std::string layer; ///< layer whose features are coloured
  std::string field; ///< numeric field
  RampKind kind = RampKind::sequential;
  std::vector<ThematicClass> classes;
  QColor no_data = QColor(220, 220, 220);
  std::size_t no_data_count = 0; ///< features without a value

  /// The class index of a value (values outside the range clamp to the end classes).
  int class_of(double value) const;
  QColor colour(std::optional<double> value) const;
};

/// Classes for `field` of `layer`: quantile breaks for sequential fields, each break
/// rounded to the fewest significant digits (at least 2) that keep the breaks distinct,
/// so narrow ranges such as on-time shares of 0.86–0.89 still get `classes` classes
/// (fewer only when the field has fewer distinct values); symmetric breaks around zero for
/// deviations (fields named *deviation*/*_pct with negative values), two classes for 0/1 fields
/// such as within_bounds. Throws gp::UsageError when the field is missing or not numeric, naming
/// the layer and the numeric fields available. Each class's `count` is the number of features with
/// a value in it.
Thematic make_thematic(const MapLayer& layer, const std::string& field, int classes = 5);

/// Recounts the features of `layer` per class of `thematic` (classes unchanged), e.g.
/// after an edit changed some values: the legend stays stable while the counts follow.
void count_classes(const MapLayer& layer, Thematic& thematic);

/// The classes as JSON-ready rows, for `render --json`: lower, upper, colour "#rrggbb",
/// label, count; and the no-data count. Pure data (no JSON library in the viewer core).
struct LegendRow {
  double lower = 0, upper = 0;
  std::string colour, label;
  std::size_t count = 0;
};
std::vector<LegendRow> legend_rows(const Thematic& thematic);

} // namespace gp::viewer
