// geo::node_lines: GEOS noding of road centre lines (crossings become junctions).

#include <cmath>
#include <vector>

#include "geos_util.hpp"
#include "gp/geo/ops.hpp"

namespace gp::geo {

namespace {

/// A GEOS line string of the finite points of `l` (repeated points dropped), or null when
/// fewer than two distinct points remain.
GEOSGeometry* make_line(GEOSContextHandle_t h, const LineString& l) {
  std::vector<double> xy;
  xy.reserve(2 * l.size());
  for (const Point& p : l) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    const std::size_t n = xy.size();
    if (n >= 2 && xy[n - 2] == p.x && xy[n - 1] == p.y) continue;
    xy.push_back(p.x);
    xy.push_back(p.y);
  }
  if (xy.size() < 4) return nullptr;
  GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(
      h, xy.data(), static_cast<unsigned>(xy.size() / 2), /*hasZ=*/0, /*hasM=*/0);
  if (seq == nullptr) return nullptr;
  return GEOSGeom_createLineString_r(h, seq);
}

void append_lines(GEOSContextHandle_t h, const GEOSGeometry* g, std::vector<LineString>& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &n) == 0 || n < 2) return;
    LineString line(n);
    for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(h, seq, i, &line[i].x, &line[i].y);
    out.push_back(std::move(line));
    return;
  }
  const int parts = GEOSGetNumGeometries_r(h, g);
  if (type == GEOS_POINT || type == GEOS_MULTIPOINT || parts <= 0) return;
  for (int i = 0; i < parts; ++i) {
    const GEOSGeometry* part = GEOSGetGeometryN_r(h, g, i);
    if (part != nullptr && part != g) append_lines(h, part, out);
  }
}

} // namespace

std::vector<LineString> node_lines(const std::vector<LineString>& lines) {
  GEOSContextHandle_t h = geos::handle();
  std::vector<geos::GeomPtr> parts;
  for (const LineString& l : lines)
    if (GEOSGeometry* g = make_line(h, l)) parts.emplace_back(g);
  std::vector<LineString> out;
  if (parts.empty()) return out;
  const geos::GeomPtr collection = geos::make_collection(GEOS_MULTILINESTRING, parts);
  geos::GeomPtr noded(GEOSNode_r(h, collection.get()));
  if (!noded) {
    // Snap rounding on a 1 mm grid, then node again.
    const geos::GeomPtr rounded =
        geos::checked(GEOSGeom_setPrecision_r(h, collection.get(), 1e-3, 0), "set precision");
    noded = geos::checked(GEOSNode_r(h, rounded.get()), "noding of road lines");
  }
  append_lines(h, noded.get(), out);
  return out;
}

} // namespace gp::geo
