#pragma once
// Private helpers around the GEOS reentrant C API: one context handle per thread, owning
// pointers, conversion to and from gp::geo values, and a static packed R-tree (STR) of boxes.
// Not part of the public interface: only geo/src includes this.

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "gp/core/error.hpp"
#include "gp/geo/geometry.hpp"

namespace gp::geo::geos {

namespace detail {
inline void on_error(const char* message, void* userdata) {
  *static_cast<std::string*>(userdata) = message != nullptr ? message : "";
}
inline void on_notice(const char*, void*) {} // library code never prints

struct Context {
  GEOSContextHandle_t handle = nullptr;
  std::string last_error;
  Context() : handle(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(handle, &on_error, &last_error);
    GEOSContext_setNoticeMessageHandler_r(handle, &on_notice, nullptr);
  }
  ~Context() { GEOS_finish_r(handle); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
};
inline Context& context() {
  thread_local Context ctx;
  return ctx;
}
} // namespace detail

/// This thread's GEOS context handle (created on first use, finished at thread exit).
/// GEOS geometries are not tied to the handle that made them, only used by one thread at a time.
inline GEOSContextHandle_t handle() {
  return detail::context().handle;
}
/// The last GEOS error message on this thread.
inline const std::string& last_error() {
  return detail::context().last_error;
}

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(handle(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  void operator()(const GEOSPreparedGeometry* g) const { GEOSPreparedGeom_destroy_r(handle(), g); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// Wraps a GEOS result; throws gp::Error naming `what` and GEOS's message when it is null.
inline GeomPtr checked(GEOSGeometry* g, const char* what) {
  if (g == nullptr) throw Error(std::string("GEOS ") + what + " failed: " + last_error());
  return GeomPtr(g);
}

static_assert(sizeof(Point) == 2 * sizeof(double), "Point must be two packed doubles");

/// A linear ring from `r` (closed if it is not), or null when it has fewer than 3 distinct
/// positions or non-finite coordinates (GEOS would reject it).
inline GEOSGeometry* make_ring(const Ring& r) {
  if (r.size() < 3) return nullptr;
  std::vector<double> buf;
  buf.reserve(2 * r.size() + 2);
  for (const Point& p : r) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return nullptr;
    buf.push_back(p.x);
    buf.push_back(p.y);
  }
  if (!(r.front() == r.back())) {
    buf.push_back(r.front().x);
    buf.push_back(r.front().y);
  }
  const std::size_t n = buf.size() / 2;
  if (n < 4) return nullptr;
  GEOSContextHandle_t h = handle();
  GEOSCoordSequence* seq =
      GEOSCoordSeq_copyFromBuffer_r(h, buf.data(), static_cast<unsigned>(n), 0, 0);
  if (seq == nullptr) return nullptr;
  return GEOSGeom_createLinearRing_r(h, seq); // takes ownership of seq (or frees it)
}

/// A GEOS polygon, or null when the outer ring is degenerate. Degenerate holes are skipped;
/// `dropped` (if given) is set when anything was skipped.
inline GEOSGeometry* make_polygon(const Polygon& p, bool* dropped = nullptr) {
  GEOSGeometry* shell = make_ring(p.outer);
  if (shell == nullptr) {
    if (dropped != nullptr && !p.outer.empty()) *dropped = true;
    return nullptr;
  }
  std::vector<GEOSGeometry*> holes;
  holes.reserve(p.holes.size());
  for (const Ring& h : p.holes) {
    if (GEOSGeometry* ring = make_ring(h)) {
      holes.push_back(ring);
    } else if (dropped != nullptr) {
      *dropped = true;
    }
  }
  return GEOSGeom_createPolygon_r(handle(), shell, holes.data(),
                                  static_cast<unsigned>(holes.size()));
}

/// A GEOS MULTIPOLYGON (possibly empty) from a gp MultiPolygon.
inline GeomPtr to_geos(const MultiPolygon& g, bool* dropped = nullptr) {
  std::vector<GEOSGeometry*> parts;
  parts.reserve(g.size());
  for (const Polygon& p : g)
    if (GEOSGeometry* poly = make_polygon(p, dropped)) parts.push_back(poly);
  GEOSContextHandle_t h = handle();
  if (parts.empty())
    return checked(GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON), "empty");
  return checked(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts.data(),
                                             static_cast<unsigned>(parts.size())),
                 "multipolygon");
}

inline GeomPtr to_geos(Point p) {
  return checked(GEOSGeom_createPointFromXY_r(handle(), p.x, p.y), "point");
}

/// A GEOS collection of the given type taking ownership of `parts`.
inline GeomPtr make_collection(int type, std::vector<GeomPtr>& parts) {
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (auto& p : parts) raw.push_back(p.release());
  parts.clear();
  return checked(
      GEOSGeom_createCollection_r(handle(), type, raw.data(), static_cast<unsigned>(raw.size())),
      "collection");
}

inline Ring ring_from_geos(const GEOSGeometry* ring) {
  GEOSContextHandle_t h = handle();
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &n) == 0 || n == 0) return {};
  Ring r(n);
  GEOSCoordSeq_copyToBuffer_r(h, seq, &r.front().x, 0, 0);
  return r;
}

/// Appends the polygonal parts of any GEOS geometry (collections recursed, others ignored).
inline void append_polygons(const GEOSGeometry* g, MultiPolygon& out) {
  if (g == nullptr) return;
  GEOSContextHandle_t h = handle();
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g) != 0) return;
    Polygon p;
    p.outer = ring_from_geos(GEOSGetExteriorRing_r(h, g));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i)
      p.holes.push_back(ring_from_geos(GEOSGetInteriorRingN_r(h, g, i)));
    out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) append_polygons(GEOSGetGeometryN_r(h, g, i), out);
  }
}

inline MultiPolygon to_multipolygon(const GEOSGeometry* g) {
  MultiPolygon out;
  append_polygons(g, out);
  return out;
}

/// A static R-tree over boxes, packed with the Sort-Tile-Recursive algorithm (Leutenegger et
/// al. 1997). Items are identified by their position in the input; empty boxes are never
/// returned. Queries are read-only and may run concurrently. Deterministic.
class BoxTree {
public:
  BoxTree() = default;
  explicit BoxTree(const std::vector<Box>& boxes) { build(boxes); }

  /// Calls visit(item) for every item whose box intersects `q` (closed boxes).
  template <class Visit> void query(const Box& q, Visit&& visit) const {
    if (levels_.empty() || q.empty()) return;
    struct Entry {
      std::uint32_t level, node;
    };
    // Depth-first with a fixed stack: at most kFanout entries per level are pending, and
    // 16^8 items would exceed the 32-bit item ids anyway.
    Entry stack[kFanout * 10];
    std::size_t top_n = 0;
    const auto top = static_cast<std::uint32_t>(levels_.size() - 1);
    for (std::uint32_t i = 0; i < levels_[top].size(); ++i) stack[top_n++] = {top, i};
    while (top_n > 0) {
      const Entry e = stack[--top_n];
      const Node& n = levels_[e.level][e.node];
      if (!overlaps(n.box, q)) continue;
      if (e.level == 0) {
        for (std::uint32_t k = n.first; k < n.first + n.count; ++k)
          if (overlaps(boxes_[order_[k]], q)) visit(static_cast<std::size_t>(order_[k]));
      } else {
        for (std::uint32_t k = n.first; k < n.first + n.count; ++k)
          stack[top_n++] = {e.level - 1, k};
      }
    }
  }

  /// Item indices whose boxes intersect `q`, ascending.
  std::vector<std::size_t> query(const Box& q) const {
    std::vector<std::size_t> out;
    query(q, [&out](std::size_t i) { out.push_back(i); });
    std::sort(out.begin(), out.end());
    return out;
  }

private:
  struct Node {
    Box box;
    std::uint32_t first = 0, count = 0; // children: nodes of the level below, or order_ slots
  };
  static constexpr std::uint32_t kFanout = 16;

  static bool overlaps(const Box& a, const Box& b) {
    return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
  }

  /// STR order of n boxes: sort by centre x into vertical slices, each slice by centre y.
  static std::vector<std::uint32_t> str_order(const std::vector<Box>& b,
                                              const std::vector<std::uint32_t>& ids) {
    std::vector<std::uint32_t> o = ids;
    auto cx = [&b](std::uint32_t i) { return b[i].min_x + b[i].max_x; };
    auto cy = [&b](std::uint32_t i) { return b[i].min_y + b[i].max_y; };
    std::sort(o.begin(), o.end(), [&](std::uint32_t i, std::uint32_t j) {
      return cx(i) != cx(j) ? cx(i) < cx(j) : (cy(i) != cy(j) ? cy(i) < cy(j) : i < j);
    });
    const std::size_t leaves = (o.size() + kFanout - 1) / kFanout;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(leaves))));
    const std::size_t per_slice = std::max<std::size_t>(1, slices) * kFanout;
    for (std::size_t s = 0; s < o.size(); s += per_slice) {
      const auto end = o.begin() + static_cast<std::ptrdiff_t>(std::min(o.size(), s + per_slice));
      std::sort(o.begin() + static_cast<std::ptrdiff_t>(s), end,
                [&](std::uint32_t i, std::uint32_t j) {
                  return cy(i) != cy(j) ? cy(i) < cy(j) : (cx(i) != cx(j) ? cx(i) < cx(j) : i < j);
                });
    }
    return o;
  }

  static Box union_box(const Box& a, const Box& b) {
    return Box{std::min(a.min_x, b.min_x), std::min(a.min_y, b.min_y), std::max(a.max_x, b.max_x),
               std::max(a.max_y, b.max_y)};
  }

  void build(const std::vector<Box>& boxes) {
    boxes_ = boxes;
    std::vector<std::uint32_t> ids;
    for (std::uint32_t i = 0; i < boxes_.size(); ++i)
      if (!boxes_[i].empty()) ids.push_back(i);
    if (ids.empty()) return;
    order_ = str_order(boxes_, ids);
    std::vector<Node> level;
    for (std::uint32_t s = 0; s < order_.size(); s += kFanout) {
      Node n;
      n.first = s;
      n.count = std::min<std::uint32_t>(kFanout, static_cast<std::uint32_t>(order_.size()) - s);
      n.box = boxes_[order_[s]];
      for (std::uint32_t k = s; k < s + n.count; ++k) n.box = union_box(n.box, boxes_[order_[k]]);
      level.push_back(n);
    }
    while (true) {
      if (level.size() <= kFanout) {
        levels_.push_back(std::move(level));
        break;
      }
      // Reorder this level in STR order so that each parent's children are contiguous.
      std::vector<Box> nb(level.size());
      std::vector<std::uint32_t> nid(level.size());
      for (std::uint32_t i = 0; i < level.size(); ++i) {
        nb[i] = level[i].box;
        nid[i] = i;
      }
      const auto o = str_order(nb, nid);
      std::vector<Node> sorted(level.size());
      for (std::size_t i = 0; i < o.size(); ++i) sorted[i] = level[o[i]];
      std::vector<Node> parents;
      for (std::uint32_t s = 0; s < sorted.size(); s += kFanout) {
        Node n;
        n.first = s;
        n.count = std::min<std::uint32_t>(kFanout, static_cast<std::uint32_t>(sorted.size()) - s);
        n.box = sorted[s].box;
        for (std::uint32_t k = s; k < s + n.count; ++k) n.box = union_box(n.box, sorted[k].box);
        parents.push_back(n);
      }
      levels_.push_back(std::move(sorted));
      level = std::move(parents);
    }
  }

  std::vector<Box> boxes_;
  std::vector<std::uint32_t> order_;
  std::vector<std::vector<Node>> levels_; // [0] = leaves over order_, back() = roots
};

} // namespace gp::geo::geos
