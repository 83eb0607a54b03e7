#pragma once
// Geometry operations backed by GEOS (reentrant C API, one context per thread).
// All inputs and outputs are in one metric CRS (metres).

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::geo {

/// Repairs an invalid polygon with GEOS MakeValid, keeping only polygonal parts.
/// Returns true when a repair was needed.
bool make_valid(MultiPolygon& g);
bool is_valid(const MultiPolygon& g);

/// Union of polygons that do not overlap (a coverage): fast path of GEOS coverage union,
/// falling back to unary union if the input is not a clean coverage.
MultiPolygon union_coverage(const std::vector<const MultiPolygon*>& parts);
/// General union of possibly overlapping polygons.
MultiPolygon union_all(const std::vector<const MultiPolygon*>& parts);
MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b);
MultiPolygon difference(const MultiPolygon& a, const MultiPolygon& b);
double intersection_area(const MultiPolygon& a, const MultiPolygon& b);
/// A point guaranteed inside the polygon (GEOS PointOnSurface).
Point point_on_surface(const MultiPolygon& g);
/// Distance between geometries (0 when they intersect).
double distance(const MultiPolygon& g, const Point& p);

/// Voronoi partition of `clip` seeded by groups of points: site i owns the union of the
/// Voronoi cells of seeds[i] (e.g. a footprint's centroid and vertices), clipped to `clip`.
/// The result has seeds.size() entries that tile `clip` (up to floating-point slivers
/// which are absorbed into a neighbour). Sites with no seeds get an empty geometry.
std::vector<MultiPolygon> voronoi_partition(const std::vector<std::vector<Point>>& seeds,
                                            const MultiPolygon& clip);

/// Pairs (i,j), i<j, of polygons sharing a boundary of positive length (> min_shared_m).
/// For polygons that tile a region (parcels, tracts, Voronoi regions).
struct SharedEdge {
  std::uint32_t a = 0, b = 0;
  double length_m = 0;
  LineString midpoint_segment; ///< unused unless needed: may be empty
};
std::vector<SharedEdge> shared_boundaries(const std::vector<MultiPolygon>& polygons,
                                          double min_shared_m = 1e-6);

/// For each pair of points (segment a-b), whether it crosses any of the lines.
/// Uses an STR-tree over the line segments.
class LineIndex {
public:
  explicit LineIndex(const std::vector<LineString>& lines);
  ~LineIndex();
  LineIndex(LineIndex&&) noexcept;
  LineIndex& operator=(LineIndex&&) noexcept;
  bool crosses(Point a, Point b) const;

private:
  struct Private;
  std::unique_ptr<Private> d;
};

/// Spatial index of polygons: which polygon contains a point, or the nearest within a
/// distance. Polygons are indexed by position.
class PolygonIndex {
public:
  explicit PolygonIndex(const std::vector<const MultiPolygon*>& polygons);
  ~PolygonIndex();
  PolygonIndex(PolygonIndex&&) noexcept;
  PolygonIndex& operator=(PolygonIndex&&) noexcept;
  /// Index of a polygon containing p, or -1. Ties: the lowest index.
  long containing(Point p) const;
  /// Nearest polygon within max_distance of p, or -1.
  long nearest(Point p, double max_distance) const;
  /// Indices of polygons whose boxes intersect b.
  std::vector<std::size_t> query(const Box& b) const;

private:
  struct Private;
  std::unique_ptr<Private> d;
};

} // namespace gp::geo
