#include "gp/geo/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace gp::geo {
namespace {

double signed_ring_area(const Ring& r) {
  if (r.size() < 3) return 0;
  // Shoelace relative to the first vertex to keep precision with large coordinates.
  const Point o = r.front();
  double twice = 0;
  for (std::size_t i = 1; i + 1 < r.size(); ++i) {
    twice += (r[i].x - o.x) * (r[i + 1].y - o.y) - (r[i + 1].x - o.x) * (r[i].y - o.y);
  }
  return twice / 2;
}

double ring_length(const Ring& r) {
  double len = 0;
  for (std::size_t i = 1; i < r.size(); ++i)
    len += std::hypot(r[i].x - r[i - 1].x, r[i].y - r[i - 1].y);
  return len;
}

bool ring_contains(const Ring& r, const Point& p) {
  bool inside = false;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
    const Point& a = r[i];
    const Point& b = r[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
      inside = !inside;
  }
  return inside;
}

} // namespace

void Box::expand(const Point& p) {
  min_x = std::min(min_x, p.x);
  min_y = std::min(min_y, p.y);
  max_x = std::max(max_x, p.x);
  max_y = std::max(max_y, p.y);
}

void Box::expand(const Box& b) {
  if (b.empty()) return;
  expand(Point{b.min_x, b.min_y});
  expand(Point{b.max_x, b.max_y});
}

bool Box::intersects(const Box& b) const {
  return !empty() && !b.empty() && min_x <= b.max_x && b.min_x <= max_x && min_y <= b.max_y &&
         b.min_y <= max_y;
}

Box Box::none() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  return Box{inf, inf, -inf, -inf};
}

double area(const Polygon& g) {
  double a = std::abs(signed_ring_area(g.outer));
  for (const auto& h : g.holes) a -= std::abs(signed_ring_area(h));
  return std::max(a, 0.0);
}

double area(const MultiPolygon& g) {
  double a = 0;
  for (const auto& p : g) a += area(p);
  return a;
}

double perimeter(const MultiPolygon& g) {
  double len = 0;
  for (const auto& p : g) {
    len += ring_length(p.outer);
    for (const auto& h : p.holes) len += ring_length(h);
  }
  return len;
}

Point centroid(const MultiPolygon& g) {
  double sx = 0, sy = 0, sa = 0;
  double vx = 0, vy = 0;
  std::size_t vn = 0;
  auto accumulate = [&](const Ring& r, double sign) {
    if (r.size() < 3) return;
    const Point o = r.front();
    for (std::size_t i = 1; i + 1 < r.size(); ++i) {
      const double ax = r[i].x - o.x, ay = r[i].y - o.y;
      const double bx = r[i + 1].x - o.x, by = r[i + 1].y - o.y;
      const double cross = ax * by - bx * ay;
      // Orientation-independent: weight by |ring area| sign later.
      sx += sign * cross * (ax + bx) / 3 + sign * cross * o.x;
      sy += sign * cross * (ay + by) / 3 + sign * cross * o.y;
      sa += sign * cross;
    }
    for (const auto& p : r) {
      vx += p.x;
      vy += p.y;
      ++vn;
    }
  };
  for (const auto& p : g) {
    const double so = signed_ring_area(p.outer) >= 0 ? 1.0 : -1.0;
    accumulate(p.outer, so);
    for (const auto& h : p.holes) accumulate(h, signed_ring_area(h) >= 0 ? -1.0 : 1.0);
  }
  if (std::abs(sa) > 1e-12) return Point{sx / sa, sy / sa};
  if (vn == 0) return Point{};
  return Point{vx / static_cast<double>(vn), vy / static_cast<double>(vn)};
}

Box bounds(const MultiPolygon& g) {
  Box b = Box::none();
  for (const auto& p : g)
    for (const auto& pt : p.outer) b.expand(pt);
  return b;
}

Box bounds(const LineString& g) {
  Box b = Box::none();
  for (const auto& pt : g) b.expand(pt);
  return b;
}

double polsby_popper(const MultiPolygon& g) {
  const double p = perimeter(g);
  if (p <= 0) return 0;
  return 4 * std::numbers::pi * area(g) / (p * p);
}

bool contains(const MultiPolygon& g, const Point& p) {
  for (const auto& poly : g) {
    if (!ring_contains(poly.outer, p)) continue;
    bool in_hole = false;
    for (const auto& h : poly.holes) in_hole = in_hole || ring_contains(h, p);
    if (!in_hole) return true;
  }
  return false;
}

std::size_t vertex_count(const MultiPolygon& g) {
  std::size_t n = 0;
  for (const auto& p : g) {
    n += p.outer.size();
    for (const auto& h : p.holes) n += h.size();
  }
  return n;
}

} // namespace gp::geo
