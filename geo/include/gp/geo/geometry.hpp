#pragma once
// Plain geometry values shared by every component. No GDAL/GEOS types: geo/ converts
// between these and its libraries. Coordinates are in whatever CRS the owning Dataset
// says (after reading: its metric work CRS, metres).

#include <array>
#include <vector>

namespace gp::geo {

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// A closed ring: first point equals last point.
using Ring = std::vector<Point>;

struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
  friend bool operator==(const Polygon&, const Polygon&) = default;
};

/// Zero or more polygons; a single polygon is a MultiPolygon of size one.
using MultiPolygon = std::vector<Polygon>;
using LineString = std::vector<Point>;
using MultiLineString = std::vector<LineString>;

struct Box {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  bool empty() const { return max_x < min_x || max_y < min_y; }
  double width() const { return max_x - min_x; }
  double height() const { return max_y - min_y; }
  void expand(const Point& p);
  void expand(const Box& b);
  bool intersects(const Box& b) const;
  /// An empty box (expand() with the first point sets it).
  static Box none();
};

/// Unsigned area in CRS units squared (holes subtracted).
double area(const MultiPolygon& g);
double area(const Polygon& g);
/// Total boundary length (outer rings and holes) in CRS units.
double perimeter(const MultiPolygon& g);
/// Area-weighted centroid; for a zero-area geometry the mean of its vertices.
Point centroid(const MultiPolygon& g);
Box bounds(const MultiPolygon& g);
Box bounds(const LineString& g);
/// 4*pi*area/perimeter^2, in [0,1]; 0 for an empty geometry.
double polsby_popper(const MultiPolygon& g);
/// Even-odd point-in-polygon test (boundary points may go either way).
bool contains(const MultiPolygon& g, const Point& p);
std::size_t vertex_count(const MultiPolygon& g);

} // namespace gp::geo
