#pragma once
// Small builders for the io tests: layers of squares and points in a metric CRS, written
// with write_layers so that read_dataset sees real files.

#include <string>
#include <vector>

#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"

namespace gp::geo::iotest {

/// CGCS2000 / 3-degree Gauss-Kruger CM 117E, the demo city's CRS (metres).
inline std::string metric_crs() {
  return crs_to_wkt("EPSG:4548");
}

/// Origin of the synthetic data (a valid point of EPSG:4548 near Beijing).
constexpr double x0 = 500000, y0 = 4400000;

inline Ring square_ring(double x, double y, double s) {
  return {{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}};
}

inline MultiPolygon square(double x, double y, double s) {
  return {Polygon{square_ring(x0 + x, y0 + y, s), {}}};
}

inline Layer polygon_layer(const std::string& name, std::vector<Field> fields) {
  Layer l;
  l.name = name;
  l.kind = GeometryKind::polygon;
  l.table.fields = std::move(fields);
  return l;
}

inline void add(Layer& l, MultiPolygon g, std::vector<Value> row) {
  l.polygons.push_back(std::move(g));
  l.table.rows.push_back(std::move(row));
}

inline WriteOptions metric_options(OutputFormat f = OutputFormat::gpkg) {
  WriteOptions o;
  o.format = f;
  o.geometry_crs = metric_crs();
  return o;
}

} // namespace gp::geo::iotest
