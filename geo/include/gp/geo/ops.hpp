#pragma once
// Geometry operations backed by GEOS (reentrant C API, one context per thread).
// All inputs and outputs are in one metric CRS (metres). Every function may be called from
// several threads at once. GEOS failures throw gp::Error (after retrying with repaired
// inputs and, for overlays, a 1 mm precision grid).

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::geo {

/// Repairs an invalid polygon with GEOS MakeValid (the "structure" method: shells unioned,
/// holes subtracted where they overlap them), keeping only polygonal parts; rings with fewer
/// than 3 distinct points are dropped. Returns true when anything changed (g may then be
/// empty, e.g. a zero-area sliver).
bool make_valid(MultiPolygon& g);
/// OGC validity (GEOS isValid); false also for degenerate rings.
bool is_valid(const MultiPolygon& g);

/// Union of polygons that do not overlap (a coverage): fast path of GEOS coverage union,
/// falling back to unary union if the input is not a clean coverage.
MultiPolygon union_coverage(const std::vector<const MultiPolygon*>& parts);
/// General union of possibly overlapping polygons.
MultiPolygon union_all(const std::vector<const MultiPolygon*>& parts);
MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b);
MultiPolygon difference(const MultiPolygon& a, const MultiPolygon& b);
double intersection_area(const MultiPolygon& a, const MultiPolygon& b);
/// A point guaranteed inside the polygon (GEOS PointOnSurface). Throws gp::Error when g is
/// empty.
Point point_on_surface(const MultiPolygon& g);
/// Distance from p to g (0 when g covers p); +infinity when g is empty.
double distance(const MultiPolygon& g, const Point& p);

/// Voronoi partition of `clip` seeded by groups of points: site i owns the union of the
/// Voronoi cells of seeds[i] (e.g. a footprint's centroid and vertices), clipped to `clip`.
/// The result has seeds.size() entries that tile `clip`: pairwise overlaps and the gap to
/// `clip` are zero up to floating-point rounding (tested < 1e-6 of the clip's area).
/// - Sites with no (finite) seeds get an empty geometry; so do sites whose cells all lie
///   outside `clip`. A single site with seeds gets the whole clip.
/// - The same position given by several sites belongs to the lowest site, except that a
///   site with no other position takes it over when its owner has other positions, so every
///   site gets a region when possible. Sites left without any position get an empty region.
/// - Deterministic (independent of the order of seeds within a site).
/// - Positions are rounded to 1 mm (Boost.Polygon's exact integer Voronoi diagram); those
///   that meet on that grid go to the first site in coordinate order.
/// Cost: about 18 us of CPU per site with 3 seeds (bench/geo: 100,000 sites in 1.8 s; the
/// GEOS diagram it replaced took 2.7 s). Throws gp::Error when a GEOS clip fails.
std::vector<MultiPolygon> voronoi_partition(const std::vector<std::vector<Point>>& seeds,
                                            const MultiPolygon& clip);

/// Pairs (i,j), i<j, of polygons sharing a boundary of positive length (> min_shared_m),
/// sorted by (a, b), with the length of the shared boundary in metres. For polygons that
/// tile a region (parcels, tracts, Voronoi regions): edges with identical end points are
/// matched exactly; other boundary segments count where they are collinear (within
/// max(1e-7 m, 1e-12 x the largest coordinate), i.e. ~4e-6 m at UTM/GK northings) and overlap,
/// which covers T-junctions. Polygons touching at a point are not neighbours.
struct SharedEdge {
  std::uint32_t a = 0, b = 0;
  double length_m = 0;
  LineString midpoint_segment; ///< unused unless needed: may be empty
};
std::vector<SharedEdge> shared_boundaries(const std::vector<MultiPolygon>& polygons,
                                          double min_shared_m = 1e-6);

/// For each pair of points (segment a-b), whether it crosses any of the lines.
/// Uses an STR-tree over the line segments. Immutable after construction: queries may run
/// concurrently.
class LineIndex {
public:
  explicit LineIndex(const std::vector<LineString>& lines);
  ~LineIndex();
  LineIndex(LineIndex&&) noexcept;
  LineIndex& operator=(LineIndex&&) noexcept;
  /// True when the interior of segment a-b meets any line: a proper crossing, passing
  /// through a line's vertex or end, or running along a line. A segment that merely ends on
  /// a line (a or b on it) does not cross it.
  bool crosses(Point a, Point b) const;

private:
  struct Private;
  std::unique_ptr<Private> d;
};

/// Spatial index of polygons: which polygon contains a point, or the nearest within a
/// distance. Polygons are indexed by position (null or empty ones are never found).
/// STR-tree of bounding boxes + GEOS prepared geometries; queries may run concurrently
/// (they are serialised internally).
class PolygonIndex {
public:
  explicit PolygonIndex(const std::vector<const MultiPolygon*>& polygons);
  ~PolygonIndex();
  PolygonIndex(PolygonIndex&&) noexcept;
  PolygonIndex& operator=(PolygonIndex&&) noexcept;
  /// Index of a polygon covering p (boundary included), or -1. Ties: the lowest index.
  long containing(Point p) const;
  /// Nearest polygon within max_distance of p (0 when it covers p), or -1. Ties: the lowest
  /// index.
  long nearest(Point p, double max_distance) const;
  /// Indices of polygons whose boxes intersect b, ascending.
  std::vector<std::size_t> query(const Box& b) const;

private:
  struct Private;
  std::unique_ptr<Private> d;
};

} // namespace gp::geo

namespace gp::geo {

/// Nodes a set of lines (GEOS noding, GEOSNode): every crossing or touching of two lines,
/// and every self-crossing, becomes a vertex shared by the pieces that meet there. Returns
/// the noded pieces (each a line between two such nodes or line ends); their union is the
/// input linework and no two pieces cross except at their end points. Lines with fewer
/// than two finite points are ignored. Deterministic for a given input order. When GEOS
/// fails on nearly-degenerate input the lines are snapped to a 1 mm grid and noded again.
/// Throws gp::Error when that fails too.
std::vector<LineString> node_lines(const std::vector<LineString>& lines);

} // namespace gp::geo
