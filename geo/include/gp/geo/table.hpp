#pragma once
// Attribute tables and layers as plain values, the currency between readers, writers,
// the planner and the simulator. No GDAL types.

#include <cstdint>
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

/// The number a value holds: integers and reals as they are, text parsed in full
/// (leading/trailing blanks allowed, "C" locale); nullopt for NULL, empty or non-numeric text.
std::optional<double> number_of(const Value& v);
/// The text of a value: text as it is, numbers formatted (integers without decimals);
/// "" for NULL.
std::string text_of(const Value& v);

enum class GeometryKind { none, point, line, polygon };

/// One layer to write: a table plus one geometry per row of the kind given.
/// Only the vector matching `kind` is used; it has table.rows.size() entries.
struct Layer {
  std::string name;
  GeometryKind kind = GeometryKind::none;
  Table table;
  std::vector<MultiPolygon> polygons;
  std::vector<MultiLineString> lines;
  std::vector<Point> points;
};

} // namespace gp::geo
