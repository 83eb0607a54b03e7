#include "gp/geo/ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>

#include <boost/polygon/voronoi.hpp>

#include "geos_util.hpp"
#include "gp/core/error.hpp"

namespace gp::geo {
namespace {

using geos::checked;
using geos::GeomPtr;
using geos::handle;
using geos::to_geos;
using geos::to_multipolygon;

/// A GEOS collection of clones of the given parts (null pointers skipped).
GeomPtr collection_of(const std::vector<const MultiPolygon*>& parts) {
  std::vector<GeomPtr> geoms;
  geoms.reserve(parts.size());
  for (const MultiPolygon* p : parts) {
    if (p == nullptr) continue;
    for (const Polygon& poly : *p)
      if (GEOSGeometry* g = geos::make_polygon(poly)) geoms.emplace_back(g);
  }
  return geos::make_collection(GEOS_MULTIPOLYGON, geoms);
}

bool valid(const GEOSGeometry* g) {
  return GEOSisValid_r(handle(), g) == 1;
}

/// Makes a geometry valid (structure method: shells unioned, holes subtracted, polygons only).
GeomPtr made_valid(const GEOSGeometry* g) {
  GEOSContextHandle_t h = handle();
  GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(h);
  GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
  GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
  GEOSGeometry* out = GEOSMakeValidWithParams_r(h, g, params);
  GEOSMakeValidParams_destroy_r(h, params);
  if (out == nullptr) out = GEOSMakeValid_r(h, g); // linework method as a second chance
  return checked(out, "MakeValid");
}

/// Runs a binary overlay, retrying on invalid inputs with repaired inputs and finally with a
/// 1 mm precision grid (GEOS throws TopologyException on some nearly-degenerate inputs).
template <class Op, class PrecOp>
GeomPtr robust_overlay(const GEOSGeometry* a, const GEOSGeometry* b, Op op, PrecOp prec_op,
                       const char* what) {
  GEOSContextHandle_t h = handle();
  if (GEOSGeometry* r = op(h, a, b)) return GeomPtr(r);
  GeomPtr va = valid(a) ? GeomPtr(GEOSGeom_clone_r(h, a)) : made_valid(a);
  GeomPtr vb = valid(b) ? GeomPtr(GEOSGeom_clone_r(h, b)) : made_valid(b);
  if (GEOSGeometry* r = op(h, va.get(), vb.get())) return GeomPtr(r);
  return checked(prec_op(h, va.get(), vb.get(), 1e-3), what);
}

GeomPtr intersect_geos(const GEOSGeometry* a, const GEOSGeometry* b) {
  return robust_overlay(a, b, GEOSIntersection_r, GEOSIntersectionPrec_r, "intersection");
}

GeomPtr unary_union(const GEOSGeometry* g) {
  GEOSContextHandle_t h = handle();
  if (GEOSGeometry* r = GEOSUnaryUnion_r(h, g)) return GeomPtr(r);
  GeomPtr v = made_valid(g);
  if (GEOSGeometry* r = GEOSUnaryUnion_r(h, v.get())) return GeomPtr(r);
  return checked(GEOSUnaryUnionPrec_r(h, v.get(), 1e-3), "union");
}

double geos_area(const GEOSGeometry* g) {
  double a = 0;
  GEOSArea_r(handle(), g, &a);
  return a;
}

/// Coverage union of a collection of polygons that should not overlap; falls back to a
/// general union when GEOS rejects the coverage, the result is invalid, or areas disagree
/// (overlapping input).
GeomPtr coverage_union(const GEOSGeometry* coll) {
  GEOSContextHandle_t h = handle();
  if (GEOSGeometry* r = GEOSCoverageUnion_r(h, coll)) {
    GeomPtr res(r);
    const double sum = geos_area(coll);
    const double got = geos_area(res.get());
    if (valid(res.get()) && std::abs(sum - got) <= 1e-9 * std::max(1.0, sum)) return res;
  }
  return unary_union(coll);
}

double cross(Point o, Point a, Point b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}
int sign(double v) {
  return (v > 0) - (v < 0);
}

/// Even-odd point in ring test on raw coordinates.
bool in_ring(const Ring& r, Point p) {
  bool inside = false;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
    const Point& a = r[i];
    const Point& b = r[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
      inside = !inside;
  }
  return inside;
}

Box box_of(Point a, Point b) {
  return Box{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
}

double signed_area(const Ring& r) {
  double twice = 0;
  const Point o = r.front();
  for (std::size_t i = 1; i + 1 < r.size(); ++i)
    twice += (r[i].x - o.x) * (r[i + 1].y - o.y) - (r[i + 1].x - o.x) * (r[i].y - o.y);
  return twice / 2;
}

bool point_less(Point u, Point v) {
  return u.x < v.x || (u.x == v.x && u.y < v.y);
}

/// A directed outline edge with the interior on its left.
struct DirectedEdge {
  Point a, b;
};

/// Adds the edges of closed ring `r` oriented so that the interior is on the left: a shell
/// counter-clockwise, a hole clockwise. Returns the ring's absolute area, or -1 for a ring
/// of fewer than 4 points.
double add_ring_edges(const Ring& r, bool hole, std::vector<DirectedEdge>& edges) {
  if (r.size() < 4) return -1;
  const double sa = signed_area(r);
  const bool forward = hole ? sa < 0 : sa > 0;
  for (std::size_t k = 1; k < r.size(); ++k) {
    const Point p = r[k - 1], q = r[k];
    if (p == q) continue;
    edges.push_back(forward ? DirectedEdge{p, q} : DirectedEdge{q, p});
  }
  return std::abs(sa);
}

/// Dissolves the directed edges of polygons that form an exact coverage (edges shared by
/// two polygons have identical end coordinates, as Voronoi cells of one diagram do) into
/// polygons with holes; `covered` is the summed area of the inputs. Returns false, leaving
/// `out` unspecified, when the input is not such a coverage or the outline is not a set of
/// simple rings (e.g. two cells touching at one vertex only); the caller then uses an
/// overlay.
bool dissolve_edges(std::vector<DirectedEdge> edges, double covered, MultiPolygon& out) {
  out.clear();
  using Edge = DirectedEdge;
  const double cell_area = covered;
  // Cancel each edge against its reverse: sort by undirected key.
  auto lo = [](const Edge& e) { return point_less(e.a, e.b) ? e.a : e.b; };
  auto hi = [](const Edge& e) { return point_less(e.a, e.b) ? e.b : e.a; };
  std::sort(edges.begin(), edges.end(), [&](const Edge& x, const Edge& y) {
    const Point lx = lo(x), ly = lo(y);
    if (!(lx == ly)) return point_less(lx, ly);
    return point_less(hi(x), hi(y));
  });
  std::vector<Edge> outline;
  for (std::size_t i = 0; i < edges.size();) {
    std::size_t j = i + 1;
    while (j < edges.size() && lo(edges[j]) == lo(edges[i]) && hi(edges[j]) == hi(edges[i])) ++j;
    if (j - i == 1) {
      outline.push_back(edges[i]);
    } else if (j - i != 2 || edges[i].a == edges[i + 1].a) {
      return false; // overlapping cells
    }
    i = j;
  }
  // Chain the outline into rings; each vertex must start exactly one outline edge.
  std::sort(outline.begin(), outline.end(),
            [](const Edge& x, const Edge& y) { return point_less(x.a, y.a); });
  for (std::size_t i = 1; i < outline.size(); ++i)
    if (outline[i].a == outline[i - 1].a) return false; // pinch vertex
  auto next_of = [&outline](Point p) -> std::size_t {
    const auto it = std::lower_bound(outline.begin(), outline.end(), p,
                                     [](const Edge& e, Point v) { return point_less(e.a, v); });
    return it != outline.end() && it->a == p ? static_cast<std::size_t>(it - outline.begin())
                                             : outline.size();
  };
  std::vector<char> used(outline.size(), 0);
  std::vector<Ring> shells, holes;
  for (std::size_t s = 0; s < outline.size(); ++s) {
    if (used[s] != 0) continue;
    Ring ring{outline[s].a};
    std::size_t e = s;
    while (used[e] == 0) {
      used[e] = 1;
      ring.push_back(outline[e].b);
      e = next_of(outline[e].b);
      if (e == outline.size()) return false; // open chain
    }
    if (e != s) return false; // joined another ring midway
    const double sa = signed_area(ring);
    if (sa > 0) {
      shells.push_back(std::move(ring));
    } else if (sa < 0) {
      holes.push_back(std::move(ring));
    }
  }
  double total = 0;
  for (const Ring& r : shells) {
    out.push_back(Polygon{r, {}});
    total += signed_area(r);
  }
  for (Ring& h : holes) {
    total += signed_area(h);
    // The smallest shell containing the hole (holes never touch their shell here: a vertex
    // shared by both would start two outline edges).
    std::size_t best = out.size();
    double best_area = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < out.size(); ++k) {
      const double a = signed_area(out[k].outer);
      if (a < best_area && in_ring(out[k].outer, h[0])) {
        best = k;
        best_area = a;
      }
    }
    if (best == out.size()) return false;
    out[best].holes.push_back(std::move(h));
  }
  return std::abs(total - cell_area) <= 1e-9 * std::max(cell_area, 1.0);
}

/// dissolve_edges of closed rings, each one cell (a shell).
bool dissolve_cells(const std::vector<const Ring*>& rings, MultiPolygon& out) {
  std::vector<DirectedEdge> edges;
  double covered = 0;
  for (const Ring* r : rings) {
    const double a = add_ring_edges(*r, false, edges);
    if (a < 0) return false;
    covered += a;
  }
  return dissolve_edges(std::move(edges), covered, out);
}

/// dissolve_edges of polygons with holes.
bool dissolve_polygons(const std::vector<const MultiPolygon*>& parts, MultiPolygon& out) {
  std::vector<DirectedEdge> edges;
  double covered = 0;
  for (const MultiPolygon* g : parts)
    for (const Polygon& p : *g) {
      const double a = add_ring_edges(p.outer, false, edges);
      if (a < 0) return false;
      covered += a;
      for (const Ring& h : p.holes) {
        const double b = add_ring_edges(h, true, edges);
        if (b < 0) return false;
        covered -= b;
      }
    }
  return dissolve_edges(std::move(edges), covered, out);
}

} // namespace

// -----------------------------------------------------------------------------------------
// Validity and overlays.

bool make_valid(MultiPolygon& g) {
  if (g.empty()) return false;
  bool dropped = false;
  GeomPtr geom = to_geos(g, &dropped);
  if (!dropped && valid(geom.get())) return false;
  GeomPtr fixed = made_valid(geom.get());
  g = to_multipolygon(fixed.get());
  return true;
}

bool is_valid(const MultiPolygon& g) {
  bool dropped = false;
  GeomPtr geom = to_geos(g, &dropped);
  return !dropped && valid(geom.get());
}

MultiPolygon union_coverage(const std::vector<const MultiPolygon*>& parts) {
  // Shared edges with identical coordinates dissolve exactly (Voronoi regions, cells of a
  // plan); the result is kept when GEOS finds it valid (overlapping inputs make crossing
  // rings), else GEOS coverage union, else unary union.
  MultiPolygon dissolved;
  if (dissolve_polygons(parts, dissolved) && !dissolved.empty()) {
    bool dropped = false;
    GeomPtr g = to_geos(dissolved, &dropped);
    if (!dropped && valid(g.get())) return dissolved;
  }
  GeomPtr coll = collection_of(parts);
  if (GEOSisEmpty_r(handle(), coll.get()) != 0) return {};
  GeomPtr res = coverage_union(coll.get());
  return to_multipolygon(res.get());
}

MultiPolygon union_all(const std::vector<const MultiPolygon*>& parts) {
  GeomPtr coll = collection_of(parts);
  if (GEOSisEmpty_r(handle(), coll.get()) != 0) return {};
  return to_multipolygon(unary_union(coll.get()).get());
}

MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty() || b.empty() || !bounds(a).intersects(bounds(b))) return {};
  GeomPtr ga = to_geos(a);
  GeomPtr gb = to_geos(b);
  return to_multipolygon(intersect_geos(ga.get(), gb.get()).get());
}

MultiPolygon difference(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty()) return {};
  if (b.empty() || !bounds(a).intersects(bounds(b))) return a;
  GeomPtr ga = to_geos(a);
  GeomPtr gb = to_geos(b);
  GeomPtr r =
      robust_overlay(ga.get(), gb.get(), GEOSDifference_r, GEOSDifferencePrec_r, "difference");
  return to_multipolygon(r.get());
}

double intersection_area(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty() || b.empty() || !bounds(a).intersects(bounds(b))) return 0;
  GeomPtr ga = to_geos(a);
  GeomPtr gb = to_geos(b);
  return geos_area(intersect_geos(ga.get(), gb.get()).get());
}

Point point_on_surface(const MultiPolygon& g) {
  GeomPtr geom = to_geos(g);
  if (GEOSisEmpty_r(handle(), geom.get()) != 0) throw Error("point_on_surface of an empty polygon");
  GeomPtr pt = checked(GEOSPointOnSurface_r(handle(), geom.get()), "PointOnSurface");
  Point p;
  if (GEOSGeomGetX_r(handle(), pt.get(), &p.x) == 0 ||
      GEOSGeomGetY_r(handle(), pt.get(), &p.y) == 0)
    throw Error("GEOS PointOnSurface returned no point: " + geos::last_error());
  return p;
}

double distance(const MultiPolygon& g, const Point& p) {
  GeomPtr geom = to_geos(g);
  if (GEOSisEmpty_r(handle(), geom.get()) != 0) return std::numeric_limits<double>::infinity();
  GeomPtr pt = to_geos(p);
  double d = 0;
  if (GEOSDistance_r(handle(), geom.get(), pt.get(), &d) == 0)
    throw Error("GEOS distance failed: " + geos::last_error());
  return d;
}

// -----------------------------------------------------------------------------------------
// Voronoi partition.

std::vector<MultiPolygon> voronoi_partition(const std::vector<std::vector<Point>>& seeds,
                                            const MultiPolygon& clip) {
  const std::size_t n_sites = seeds.size();
  std::vector<MultiPolygon> out(n_sites);
  if (n_sites == 0 || clip.empty()) return out;
  GEOSContextHandle_t h = handle();

  // 1. Distinct seed positions. A position given by several sites goes to the lowest site,
  //    except that a site left with no position of its own takes over a shared one whose
  //    owner keeps others (so every site with seeds gets a region whenever possible).
  struct Seed {
    Point p;
    std::uint32_t site;
  };
  std::vector<Seed> all;
  for (std::uint32_t s = 0; s < n_sites; ++s)
    for (const Point& p : seeds[s])
      if (std::isfinite(p.x) && std::isfinite(p.y)) all.push_back({p, s});
  if (all.empty()) return out;
  std::sort(all.begin(), all.end(), [](const Seed& a, const Seed& b) {
    if (a.p.x != b.p.x) return a.p.x < b.p.x;
    if (a.p.y != b.p.y) return a.p.y < b.p.y;
    return a.site < b.site;
  });
  std::vector<Point> pos;           // distinct positions, sorted
  std::vector<std::uint32_t> owner; // site owning each position
  std::vector<std::size_t> group;   // start of each position's run in `all`
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i == 0 || !(all[i].p == all[i - 1].p)) {
      pos.push_back(all[i].p);
      owner.push_back(all[i].site);
      group.push_back(i);
    }
  }
  group.push_back(all.size());
  std::vector<std::uint32_t> owned(n_sites, 0);
  for (const auto o : owner) ++owned[o];
  for (std::size_t k = 0; k < pos.size(); ++k) {
    for (std::size_t i = group[k] + 1; i < group[k + 1]; ++i) {
      const std::uint32_t s = all[i].site;
      if (owned[s] == 0 && owned[owner[k]] >= 2) {
        --owned[owner[k]];
        owner[k] = s;
        owned[s] = 1;
        break;
      }
    }
  }
  all.clear();
  all.shrink_to_fit();

  GeomPtr clip_geom = to_geos(clip);
  if (GEOSisEmpty_r(h, clip_geom.get()) != 0) return out;
  if (!valid(clip_geom.get())) clip_geom = made_valid(clip_geom.get());

  // A single owning site takes the whole clip.
  if (std::all_of(owner.begin(), owner.end(),
                  [&](std::uint32_t o) { return o == owner.front(); })) {
    out[owner.front()] = to_multipolygon(clip_geom.get());
    return out;
  }

  // 2. Voronoi cells of the positions: Boost.Polygon's sweepline, exact on integer
  //    coordinates, so positions are rounded to a grid of `unit` metres (1 mm, coarser only
  //    for extents over 500 km) from the envelope's corner; positions that meet on the grid
  //    go to the first. Four far corners make the cell of every real position bounded.
  //    Neighbouring cells share the very same vertex coordinates.
  Box env = bounds(clip);
  for (const Point& p : pos) env.expand(p);
  const double span = std::max({env.width(), env.height(), 1.0});
  const double unit = std::max(1e-3, 8 * span / 2147483647.0);
  const double far = 3 * span / unit;
  std::vector<boost::polygon::point_data<std::int32_t>> grid;
  std::vector<std::uint32_t> grid_owner;
  {
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::uint32_t>> keyed;
    keyed.reserve(pos.size());
    for (std::uint32_t i = 0; i < pos.size(); ++i)
      keyed.push_back({{std::llround((pos[i].x - env.min_x) / unit),
                        std::llround((pos[i].y - env.min_y) / unit)},
                       i});
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t k = 0; k < keyed.size(); ++k) {
      if (k > 0 && keyed[k].first == keyed[k - 1].first) continue;
      grid.emplace_back(static_cast<std::int32_t>(keyed[k].first.first),
                        static_cast<std::int32_t>(keyed[k].first.second));
      grid_owner.push_back(owner[keyed[k].second]);
    }
  }
  const auto real = grid.size();
  const auto f = static_cast<std::int32_t>(far);
  for (const auto& [x, y] : {std::pair{-f, -f}, {f, -f}, {f, f}, {-f, f}}) grid.emplace_back(x, y);
  boost::polygon::voronoi_diagram<double> diagram;
  boost::polygon::construct_voronoi(grid.begin(), grid.end(), &diagram);

  // 3. Each real position's cell as a ring in metres, with the site owning the position.
  std::vector<std::pair<std::uint32_t, std::size_t>> site_cell; // (site, cell)
  std::vector<Ring> cell_rings;
  cell_rings.reserve(real);
  site_cell.reserve(real);
  for (const auto& cell : diagram.cells()) {
    const std::size_t k = cell.source_index();
    if (k >= real || cell.incident_edge() == nullptr) continue;
    Ring ring;
    const auto* edge = cell.incident_edge();
    bool bounded = true;
    do {
      const auto* v = edge->vertex0();
      if (v == nullptr) {
        bounded = false;
        break;
      }
      ring.push_back({env.min_x + v->x() * unit, env.min_y + v->y() * unit});
      edge = edge->next();
    } while (edge != cell.incident_edge());
    if (!bounded || ring.size() < 3) continue; // cannot happen inside the far corners
    ring.push_back(ring.front());
    site_cell.emplace_back(grid_owner[k], cell_rings.size());
    cell_rings.push_back(std::move(ring));
  }
  std::sort(site_cell.begin(), site_cell.end());

  // 4. Union each site's cells: they form an exact coverage (neighbouring cells share the
  //    very same circumcentre coordinates), so dissolving shared edges is exact and far
  //    faster than an overlay; GEOS coverage union when that does not apply. 5. Clip.
  geos::PreparedPtr clip_prep(GEOSPrepare_r(h, clip_geom.get()));
  if (!clip_prep) throw Error("GEOS prepare failed: " + geos::last_error());
  const Box clip_box = bounds(clip);
  std::vector<const Ring*> site_rings;
  MultiPolygon dissolved;
  for (std::size_t i = 0; i < site_cell.size();) {
    const std::uint32_t site = site_cell[i].first;
    std::size_t j = i;
    while (j < site_cell.size() && site_cell[j].first == site) ++j;
    site_rings.clear();
    Box region_box = Box::none();
    for (std::size_t k = i; k < j; ++k) {
      const Ring& r = cell_rings[static_cast<std::size_t>(site_cell[k].second)];
      site_rings.push_back(&r);
      for (const Point& p : r) region_box.expand(p);
    }
    const std::size_t first = i;
    i = j;
    if (!region_box.intersects(clip_box)) continue;
    GeomPtr region;
    if (j - first == 1) {
      region = to_geos(MultiPolygon{Polygon{*site_rings.front(), {}}});
    } else if (dissolve_cells(site_rings, dissolved)) {
      region = to_geos(dissolved);
    } else {
      std::vector<GeomPtr> cells;
      cells.reserve(j - first);
      for (std::size_t k = first; k < j; ++k)
        cells.push_back(to_geos(MultiPolygon{Polygon{*site_rings[k - first], {}}}));
      GeomPtr coll = geos::make_collection(GEOS_GEOMETRYCOLLECTION, cells);
      region = coverage_union(coll.get());
    }
    if (GEOSPreparedContainsProperly_r(h, clip_prep.get(), region.get()) == 1) {
      out[site] = to_multipolygon(region.get());
    } else if (GEOSPreparedIntersects_r(h, clip_prep.get(), region.get()) == 1) {
      out[site] = to_multipolygon(intersect_geos(region.get(), clip_geom.get()).get());
    }
  }
  return out;
}

// -----------------------------------------------------------------------------------------
// Shared boundaries.

std::vector<SharedEdge> shared_boundaries(const std::vector<MultiPolygon>& polygons,
                                          double min_shared_m) {
  // Every boundary segment (outer rings and holes) with its polygon. Two polygons share a
  // boundary where segments of both are collinear (within `tol`) and overlap; the length is
  // the overlap measured along the longer segment. This counts exactly shared edges and
  // T-junctions (a vertex of one polygon in the middle of the other's edge) alike.
  struct Segment {
    Point a, b;
    std::uint32_t poly;
  };
  std::vector<Segment> segs;
  double scale = 1.0;
  for (std::uint32_t i = 0; i < polygons.size(); ++i) {
    auto add_ring = [&](const Ring& r) {
      for (std::size_t k = 1; k < r.size(); ++k) {
        if (r[k] == r[k - 1]) continue;
        segs.push_back({r[k - 1], r[k], i});
        scale = std::max({scale, std::abs(r[k].x), std::abs(r[k].y)});
      }
      if (r.size() > 2 && !(r.front() == r.back())) segs.push_back({r.back(), r.front(), i});
    };
    for (const Polygon& p : polygons[i]) {
      add_ring(p.outer);
      for (const Ring& hole : p.holes) add_ring(hole);
    }
  }
  struct Hit {
    std::uint32_t a, b;
    double len;
  };
  std::vector<Hit> hits;

  // Fast path: a segment found with the same two end points in exactly one other polygon
  // is shared whole (in a tiling it can overlap nothing else). Most edges of a coverage
  // built from common linework (Voronoi regions, parcels) are found here.
  std::vector<char> matched(segs.size(), 0);
  {
    struct Key {
      Point lo, hi; // end points in lexicographic order
      std::uint32_t seg;
    };
    std::vector<Key> keys(segs.size());
    for (std::uint32_t i = 0; i < segs.size(); ++i) {
      const bool fwd = point_less(segs[i].a, segs[i].b);
      keys[i] = {fwd ? segs[i].a : segs[i].b, fwd ? segs[i].b : segs[i].a, i};
    }
    std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
      if (!(x.lo == y.lo)) return point_less(x.lo, y.lo);
      if (!(x.hi == y.hi)) return point_less(x.hi, y.hi);
      return x.seg < y.seg;
    });
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t j = i + 1;
      while (j < keys.size() && keys[j].lo == keys[i].lo && keys[j].hi == keys[i].hi) ++j;
      const Segment& s1 = segs[keys[i].seg];
      if (j - i == 2 && segs[keys[i + 1].seg].poly != s1.poly) {
        const std::uint32_t p2 = segs[keys[i + 1].seg].poly;
        hits.push_back({std::min(s1.poly, p2), std::max(s1.poly, p2),
                        std::hypot(s1.b.x - s1.a.x, s1.b.y - s1.a.y)});
        matched[keys[i].seg] = matched[keys[i + 1].seg] = 1;
      }
      i = j;
    }
  }

  // General case for the rest: R-tree of segment boxes, collinear overlap test.
  // Coordinates are metres; allow for the rounding of overlay results at this magnitude.
  const double tol = std::max(1e-7, scale * 1e-12);
  std::vector<Box> boxes(segs.size(), Box::none());
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (matched[i] != 0) continue;
    Box b = box_of(segs[i].a, segs[i].b);
    b.min_x -= tol;
    b.min_y -= tol;
    b.max_x += tol;
    b.max_y += tol;
    boxes[i] = b;
  }
  const geos::BoxTree tree(boxes);

  // Overlap of segment t with the line of s, projected on s, if t lies on that line.
  auto overlap_on = [tol](const Segment& s, const Segment& t) -> double {
    const double dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
    const double len = std::hypot(dx, dy);
    if (len <= 0) return 0;
    const double ux = dx / len, uy = dy / len;
    auto off = [&](Point q) { return std::abs(ux * (q.y - s.a.y) - uy * (q.x - s.a.x)); };
    if (off(t.a) > tol || off(t.b) > tol) return -1;
    const double ta = ux * (t.a.x - s.a.x) + uy * (t.a.y - s.a.y);
    const double tb = ux * (t.b.x - s.a.x) + uy * (t.b.y - s.a.y);
    return std::max(0.0, std::min(len, std::max(ta, tb)) - std::max(0.0, std::min(ta, tb)));
  };

  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (matched[i] != 0) continue;
    const Segment& s = segs[i];
    tree.query(boxes[i], [&](std::size_t j) {
      const Segment& t = segs[j];
      if (t.poly <= s.poly) return;
      const double ls = std::hypot(s.b.x - s.a.x, s.b.y - s.a.y);
      const double lt = std::hypot(t.b.x - t.a.x, t.b.y - t.a.y);
      const double ov = ls >= lt ? overlap_on(s, t) : overlap_on(t, s);
      if (ov > 0) hits.push_back({s.poly, t.poly, ov});
    });
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& x, const Hit& y) {
    return x.a != y.a ? x.a < y.a : (x.b != y.b ? x.b < y.b : x.len < y.len);
  });
  std::vector<SharedEdge> out;
  for (std::size_t i = 0; i < hits.size();) {
    std::size_t j = i;
    double len = 0;
    while (j < hits.size() && hits[j].a == hits[i].a && hits[j].b == hits[i].b)
      len += hits[j++].len;
    if (len > min_shared_m) {
      SharedEdge e;
      e.a = hits[i].a;
      e.b = hits[i].b;
      e.length_m = len;
      out.push_back(std::move(e));
    }
    i = j;
  }
  return out;
}

// -----------------------------------------------------------------------------------------
// LineIndex.

struct LineIndex::Private {
  std::vector<std::pair<Point, Point>> segs;
  geos::BoxTree tree;
};

LineIndex::LineIndex(const std::vector<LineString>& lines) : d(std::make_unique<Private>()) {
  std::vector<Box> boxes;
  for (const LineString& l : lines)
    for (std::size_t k = 1; k < l.size(); ++k) {
      d->segs.emplace_back(l[k - 1], l[k]);
      boxes.push_back(box_of(l[k - 1], l[k]));
    }
  d->tree = geos::BoxTree(boxes);
}

LineIndex::~LineIndex() = default;
LineIndex::LineIndex(LineIndex&&) noexcept = default;
LineIndex& LineIndex::operator=(LineIndex&&) noexcept = default;

bool LineIndex::crosses(Point a, Point b) const {
  if (a == b) return false;
  bool hit = false;
  d->tree.query(box_of(a, b), [&](std::size_t i) {
    if (hit) return;
    const Point c = d->segs[i].first;
    const Point e = d->segs[i].second;
    const int o1 = sign(cross(a, b, c));
    const int o2 = sign(cross(a, b, e));
    const int o3 = sign(cross(c, e, a));
    const int o4 = sign(cross(c, e, b));
    // Position of q along a-b in (0,1) exclusive when q is on the line of a-b.
    auto strictly_inside_ab = [&](Point q) {
      const double t = ((q.x - a.x) * (b.x - a.x) + (q.y - a.y) * (b.y - a.y)) /
                       ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
      return t > 0 && t < 1;
    };
    if (o1 * o2 < 0 && o3 * o4 < 0) {
      hit = true; // proper crossing
    } else if (o1 == 0 && o2 == 0) {
      // Collinear: the interior of a-b meets c-e when their projections overlap beyond a point.
      const double len2 = (b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y);
      const double tc = ((c.x - a.x) * (b.x - a.x) + (c.y - a.y) * (b.y - a.y)) / len2;
      const double te = ((e.x - a.x) * (b.x - a.x) + (e.y - a.y) * (b.y - a.y)) / len2;
      hit = std::max(0.0, std::min(tc, te)) < std::min(1.0, std::max(tc, te));
    } else {
      // A line vertex on the interior of a-b (touching or passing through a vertex). An
      // intersection at a or b itself (o3 or o4 zero) is not a crossing.
      hit = (o1 == 0 && strictly_inside_ab(c)) || (o2 == 0 && strictly_inside_ab(e));
    }
  });
  return hit;
}

// -----------------------------------------------------------------------------------------
// PolygonIndex.

struct PolygonIndex::Private {
  std::vector<GeomPtr> geoms;
  std::vector<geos::PreparedPtr> prepared;
  geos::BoxTree tree;
  std::mutex mutex; // prepared geometries build their indexes lazily: serialise queries
};

PolygonIndex::PolygonIndex(const std::vector<const MultiPolygon*>& polygons)
    : d(std::make_unique<Private>()) {
  GEOSContextHandle_t h = handle();
  std::vector<Box> boxes(polygons.size(), Box::none());
  d->geoms.reserve(polygons.size());
  d->prepared.reserve(polygons.size());
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    if (polygons[i] == nullptr || polygons[i]->empty()) {
      d->geoms.emplace_back();
      d->prepared.emplace_back();
      continue;
    }
    GeomPtr g = to_geos(*polygons[i]);
    if (GEOSisEmpty_r(h, g.get()) != 0) {
      d->geoms.emplace_back();
      d->prepared.emplace_back();
      continue;
    }
    boxes[i] = bounds(*polygons[i]);
    d->prepared.emplace_back(GEOSPrepare_r(h, g.get()));
    d->geoms.push_back(std::move(g));
  }
  d->tree = geos::BoxTree(boxes);
}

// Members are destroyed in reverse order: prepared geometries before their geometries.
PolygonIndex::~PolygonIndex() = default;
PolygonIndex::PolygonIndex(PolygonIndex&&) noexcept = default;
PolygonIndex& PolygonIndex::operator=(PolygonIndex&&) noexcept = default;

long PolygonIndex::containing(Point p) const {
  const auto cands = d->tree.query(Box{p.x, p.y, p.x, p.y});
  if (cands.empty()) return -1;
  GeomPtr pt = to_geos(p);
  std::lock_guard lock(d->mutex);
  for (const std::size_t i : cands)
    if (d->prepared[i] && GEOSPreparedCovers_r(handle(), d->prepared[i].get(), pt.get()) == 1)
      return static_cast<long>(i);
  return -1;
}

long PolygonIndex::nearest(Point p, double max_distance) const {
  if (!(max_distance >= 0)) return -1;
  const auto cands = d->tree.query(
      Box{p.x - max_distance, p.y - max_distance, p.x + max_distance, p.y + max_distance});
  if (cands.empty()) return -1;
  GeomPtr pt = to_geos(p);
  std::lock_guard lock(d->mutex);
  long best = -1;
  double best_d = std::numeric_limits<double>::infinity();
  for (const std::size_t i : cands) {
    if (!d->prepared[i]) continue;
    double dist = 0;
    if (GEOSPreparedDistance_r(handle(), d->prepared[i].get(), pt.get(), &dist) == 0) continue;
    if (dist <= max_distance && dist < best_d) { // ascending order: ties keep the lowest
      best_d = dist;
      best = static_cast<long>(i);
      if (dist == 0) break;
    }
  }
  return best;
}

std::vector<std::size_t> PolygonIndex::query(const Box& b) const {
  return d->tree.query(b);
}

} // namespace gp::geo
