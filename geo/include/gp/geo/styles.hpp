#pragma once
// Default map styles stored with the data, so that QGIS (and SLD clients) open gridplan's
// layers styled as `gridplan render` draws them: cells by households (the same classes and
// colour-blind-safe viridis ramp), cells outside the bounds outlined, units by cell, areas
// as outlines with labels, simulation results by on-time share.

#include <string>
#include <vector>

#include "gp/geo/table.hpp"

namespace gp::geo {

/// One colour class of a numeric field: values in [lower, upper) (the last class also
/// takes `upper`), colour "#rrggbb", legend label.
struct StyleClass {
  double lower = 0, upper = 0;
  std::string colour;
  std::string label;
};

/// Classes of `values` as `gridplan render --color-by <field> --classes <classes>` makes
/// them (viewer::make_thematic): quantile breaks rounded to two significant digits on
/// viridis (more = darker); symmetric breaks around 0 on purple-orange for *deviation*,
/// *_pct and *diff* fields with both signs; two classes for 0/1 fields. Empty for no values.
std::vector<StyleClass> thematic_classes(std::vector<double> values, const std::string& field,
                                         int classes = 5);

/// The colour gridplan gives category `key` (e.g. a cell code): one of ColorBrewer Set3's
/// 12 colours by a stable hash (FNV-1a), the same as the viewer's.
std::string category_colour(const std::string& key);

/// A layer's default style as QGIS QML and OGC SLD 1.1 documents.
struct LayerStyle {
  std::string layer;       ///< layer name
  std::string name;        ///< style name, e.g. "gridplan: households"
  std::string description; ///< one line
  std::string qml, sld;
};

/// The style of a polygon layer as its StyleHint asks (classes of a numeric field with an
/// outline for flagged features, categories of a text field, labelled outlines, dashed
/// outlines); nothing (empty `qml`) without a hint. Pure: depends only on the layer's hint,
/// fields and values.
LayerStyle default_style(const Layer& layer);

} // namespace gp::geo
