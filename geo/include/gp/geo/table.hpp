#pragma once
// Attribute tables and layers as plain values, the currency between readers, writers,
// the planner and the simulator. No GDAL types.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::geo {

enum class FieldType { integer, real, text };

struct Field {
  std::string name;
  FieldType type = FieldType::text;
};

/// Null, integer, real or UTF-8 text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// Rows of values under a fixed schema: rows[i].size() == fields.size().
struct Table {
  std::vector<Field> fields;
  std::vector<std::vector<Value>> rows;

  /// Index of the field called `name` (exact match), or -1.
  int find(const std::string& name) const;
};

/// A value as text: "" for null, integers in decimal, reals in shortest round-trip form.
std::string value_text(const Value& v);
/// A value as a number: integers and reals as they are, text when it parses completely
/// as a number; nullopt for null or other text.
std::optional<double> value_number(const Value& v);

enum class GeometryKind { none, point, line, polygon };

/// How a layer's owner (the plan file, the simulator's results) wants it drawn by default;
/// geo/styles.cpp turns it into QGIS QML and SLD. Plain names, so geo needs to know no
/// other component's schema.
struct StyleHint {
  enum class Kind { none, classes, categories, outline, dashed };
  Kind kind = Kind::none;
  std::string field;       ///< classes: the numeric field; categories: the text field
  std::string flag_field;  ///< classes: a 0/1 field whose 0 features are outlined
  std::string flag_label;  ///< legend text of that outline
  std::string label_field; ///< outline: a field to label features with
  std::string name;        ///< style name, e.g. "gridplan: households"
  std::string description; ///< one line
};

/// The rows of a layer made one at a time while it is written, for a layer too large to
/// hold a second time (a plan's units and unit adjacency are views of the plan itself).
/// `fill(r, values)` sets row r's values (`values` arrives with any size and leaves with
/// table.fields.size()); the row's geometry is `polygon(r)` or `point(r)`, as the layer's
/// kind says (line layers are not generated). Whatever the functions read must outlive
/// the layer.
struct RowSource {
  std::size_t rows = 0;
  std::function<void(std::size_t row, std::vector<Value>& values)> fill;
  std::function<const MultiPolygon&(std::size_t row)> polygon;
  std::function<Point(std::size_t row)> point;
};

/// One layer to write: a table plus one geometry per row of the kind given. Only the
/// vector matching `kind` is used; it has table.rows.size() entries. A layer with a
/// `source` keeps its schema in table.fields and its rows in the source (table.rows and
/// the geometry vectors stay empty); for_each_row and materialize read both kinds alike.
struct Layer {
  std::string name;
  GeometryKind kind = GeometryKind::none;
  Table table;
  std::vector<MultiPolygon> polygons;
  std::vector<MultiLineString> lines;
  std::vector<Point> points;
  StyleHint style = {}; ///< default style (none: the layer is written unstyled)
  std::optional<RowSource> source;

  std::size_t size() const { return source ? source->rows : table.rows.size(); }
};

/// Calls visit(r, values) for every row of `layer` in order, generated or stored.
void for_each_row(const Layer& layer,
                  const std::function<void(std::size_t row, const std::vector<Value>&)>& visit);

/// A generated layer turned into a plain one (rows and geometry stored); others unchanged.
void materialize(Layer& layer);

} // namespace gp::geo
