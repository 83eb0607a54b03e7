#include "gp/planner/graph_builder.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>

#include "gp/core/error.hpp"

namespace gp::planner {
namespace {

/// Splits "file:layer" (Dataset::units_source) for error messages.
std::pair<std::string, std::string> split_source(const std::string& source) {
  const auto colon = source.rfind(':');
  if (colon == std::string::npos || colon == 0) return {source, ""};
  return {source.substr(0, colon), source.substr(colon + 1)};
}

/// Anchor plus up to `count` outer-ring vertices of the largest polygon, spread evenly.
std::vector<geo::Point> unit_seeds(const geo::Unit& unit, int count) {
  std::vector<geo::Point> seeds{unit.anchor};
  if (unit.geometry.empty() || count <= 0) return seeds;
  const geo::Polygon* largest = &unit.geometry.front();
  double largest_area = -1;
  for (const auto& p : unit.geometry) {
    const double a = geo::area(p);
    if (a > largest_area) {
      largest_area = a;
      largest = &p;
    }
  }
  const auto& ring = largest->outer;
  if (ring.size() < 4) return seeds;
  const std::size_t n = ring.size() - 1; // closed ring: last == first
  const std::size_t take = std::min<std::size_t>(n, static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < take; ++k) {
    const auto& p = ring[k * n / take];
    if (p == unit.anchor) continue;
    // Pull the vertex slightly towards the anchor so seeds of touching footprints (shared
    // walls) never coincide: Voronoi generators must be distinct.
    seeds.push_back(
        geo::Point{p.x + (unit.anchor.x - p.x) * 0.05, p.y + (unit.anchor.y - p.y) * 0.05});
  }
  return seeds;
}

/// All vertices of a unit (or its anchor) for hulls.
void collect_points(const geo::Unit& unit, std::vector<geo::Point>& out) {
  out.push_back(unit.anchor);
  for (const auto& p : unit.geometry)
    for (const auto& q : p.outer) out.push_back(q);
}

/// Convex hull of `points` grown by `reach` metres: hull of every point's 16-gon.
geo::MultiPolygon grown_hull(const std::vector<geo::Point>& points, double reach) {
  std::vector<geo::Point> cloud;
  const auto hull = convex_hull(points);
  const auto& base = hull.empty() ? points : hull;
  cloud.reserve(base.size() * 16);
  for (const auto& p : base) {
    for (int k = 0; k < 16; ++k) {
      const double t = 2 * std::numbers::pi * k / 16;
      cloud.push_back(geo::Point{p.x + reach * std::cos(t), p.y + reach * std::sin(t)});
    }
  }
  geo::Polygon poly;
  poly.outer = convex_hull(std::move(cloud));
  if (poly.outer.empty()) return {};
  return {poly};
}

/// Nearest vertex (by position) with member[w] != self_component, scanning anchors sorted
/// by x outward from the query. Returns {vertex, distance}.
struct SortedPoints {
  std::vector<std::pair<geo::Point, std::uint32_t>> by_x;
  explicit SortedPoints(const std::vector<geo::Point>& pos) {
    by_x.reserve(pos.size());
    for (std::uint32_t v = 0; v < pos.size(); ++v) by_x.emplace_back(pos[v], v);
    std::sort(by_x.begin(), by_x.end(), [](const auto& a, const auto& b) {
      return a.first.x != b.first.x ? a.first.x < b.first.x : a.second < b.second;
    });
  }
  template <class Excluded>
  std::pair<std::uint32_t, double> nearest(geo::Point q, Excluded excluded) const {
    std::uint32_t best = ~0u;
    double best_d2 = std::numeric_limits<double>::infinity();
    const auto start = std::lower_bound(by_x.begin(), by_x.end(), q.x,
                                        [](const auto& e, double x) { return e.first.x < x; });
    auto consider = [&](const std::pair<geo::Point, std::uint32_t>& e) {
      if (excluded(e.second)) return;
      const double dx = e.first.x - q.x, dy = e.first.y - q.y;
      const double d2 = dx * dx + dy * dy;
      if (d2 < best_d2 || (d2 == best_d2 && e.second < best)) {
        best_d2 = d2;
        best = e.second;
      }
    };
    for (auto it = start; it != by_x.end(); ++it) {
      const double dx = it->first.x - q.x;
      if (dx * dx > best_d2) break;
      consider(*it);
    }
    for (auto it = start; it != by_x.begin();) {
      --it;
      const double dx = q.x - it->first.x;
      if (dx * dx > best_d2) break;
      consider(*it);
    }
    return {best, std::sqrt(best_d2)};
  }
};

/// Voronoi regions of a unit with several seeds can come out in several pieces (another
/// unit's seeds in between: nested or interlocking footprints). A cell made of such regions
/// could be multipart although its units are adjacent, so every piece but the main one
/// (holding the anchor, else the largest) goes to the region that shares the longest
/// boundary with it. Regions of other units keep tiling the area.
void consolidate_regions(std::vector<geo::MultiPolygon>& regions,
                         const std::vector<geo::Point>& anchors, const geo::MultiPolygon& area,
                         double min_shared_m) {
  struct Piece {
    std::uint32_t from;
    geo::MultiPolygon shape;
  };
  std::vector<Piece> pieces;
  for (std::uint32_t v = 0; v < regions.size(); ++v) {
    auto& r = regions[v];
    if (r.size() <= 1) continue;
    std::size_t main = r.size();
    for (std::size_t k = 0; k < r.size() && main == r.size(); ++k)
      if (geo::contains(geo::MultiPolygon{r[k]}, anchors[v])) main = k;
    if (main == r.size()) {
      double best = -1;
      for (std::size_t k = 0; k < r.size(); ++k)
        if (geo::area(r[k]) > best) {
          best = geo::area(r[k]);
          main = k;
        }
    }
    geo::MultiPolygon kept{r[main]};
    for (std::size_t k = 0; k < r.size(); ++k)
      if (k != main) pieces.push_back(Piece{v, geo::MultiPolygon{r[k]}});
    r = std::move(kept);
  }
  // Rounds: a piece may touch only other pieces at first; it finds its neighbour once
  // those have been placed. Pieces touching nothing at all (islands) go back home.
  (void)area;
  while (!pieces.empty()) {
    std::vector<const geo::MultiPolygon*> ptrs;
    for (const auto& r : regions) ptrs.push_back(&r);
    const geo::PolygonIndex index(ptrs);
    std::vector<std::pair<std::uint32_t, geo::MultiPolygon>> moves;
    std::vector<Piece> pending;
    for (auto& piece : pieces) {
      auto box = geo::bounds(piece.shape);
      box = geo::Box{box.min_x - 0.01, box.min_y - 0.01, box.max_x + 0.01, box.max_y + 0.01};
      std::uint32_t best = piece.from;
      double best_len = 0;
      auto candidates = index.query(box);
      std::sort(candidates.begin(), candidates.end());
      for (auto c : candidates) {
        const auto w = static_cast<std::uint32_t>(c);
        if (w == piece.from || regions[w].empty()) continue;
        const auto shared = geo::shared_boundaries({piece.shape, regions[w]}, min_shared_m);
        const double len = shared.empty() ? 0.0 : shared.front().length_m;
        if (len > best_len) {
          best_len = len;
          best = w;
        }
      }
      if (best == piece.from) {
        pending.push_back(std::move(piece));
      } else {
        moves.emplace_back(best, std::move(piece.shape));
      }
    }
    if (moves.empty()) {
      for (auto& piece : pending) moves.emplace_back(piece.from, std::move(piece.shape));
      pending.clear();
    }
    for (auto& [to, shape] : moves) {
      // A general union: the piece's edges need not match the region's vertex for vertex.
      const geo::MultiPolygon current = std::move(regions[to]);
      regions[to] = geo::union_all({&current, &shape});
    }
    pieces = std::move(pending);
  }
}

double cross(const geo::Point& o, const geo::Point& a, const geo::Point& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

} // namespace

UnitKind parse_unit_kind(const std::string& name) {
  if (name == "auto" || name == "automatic") return UnitKind::automatic;
  if (name == "buildings") return UnitKind::buildings;
  if (name == "tiling") return UnitKind::tiling;
  throw UsageError(
      fmt::format("unknown unit kind '{}' (expected auto, buildings or tiling)", name));
}

const char* unit_kind_name(UnitKind kind) {
  switch (kind) {
  case UnitKind::automatic:
    return "auto";
  case UnitKind::buildings:
    return "buildings";
  case UnitKind::tiling:
    return "tiling";
  }
  return "auto";
}

geo::Ring convex_hull(std::vector<geo::Point> pts) {
  std::sort(pts.begin(), pts.end(), [](const geo::Point& a, const geo::Point& b) {
    return a.x != b.x ? a.x < b.x : a.y < b.y;
  });
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() < 3) return {};
  std::vector<geo::Point> hull(2 * pts.size());
  std::size_t k = 0;
  for (const auto& p : pts) { // lower hull
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i > 0; --i) { // upper hull
    const auto& p = pts[i - 1];
    while (k >= t && cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  hull.resize(k); // last point equals the first: closed
  if (hull.size() < 4) return {};
  return hull;
}

std::vector<double> unit_field_values(const geo::Dataset& dataset, const std::string& field) {
  std::vector<double> values(dataset.units.size(), 0.0);
  if (field == "households") {
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = dataset.units[i].households;
    return values;
  }
  if (field == "population") {
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = dataset.units[i].population;
    return values;
  }
  const int column = dataset.unit_attributes.find(field);
  if (column < 0) {
    std::string known;
    for (const auto& f : dataset.unit_attributes.fields) {
      if (f.type == geo::FieldType::text) continue;
      known += (known.empty() ? "" : ", ") + f.name;
    }
    throw UsageError(fmt::format("balance field '{}' not found in {} (numeric fields: {})", field,
                                 dataset.units_source,
                                 known.empty() ? "none" : known + ", households, population"));
  }
  const auto [file, layer] = split_source(dataset.units_source);
  for (std::size_t i = 0; i < values.size() && i < dataset.unit_attributes.rows.size(); ++i) {
    const auto& v = dataset.unit_attributes.rows[i][static_cast<std::size_t>(column)];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      values[i] = static_cast<double>(*n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      values[i] = *d;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      double parsed = 0;
      const auto* b = s->data();
      const auto* e = s->data() + s->size();
      while (b != e && *b == ' ') ++b;
      const auto res = std::from_chars(b, e, parsed);
      if (s->empty()) {
        parsed = 0;
      } else if (res.ec != std::errc{} || res.ptr != e) {
        throw InputError(file, layer, dataset.units[i].source_fid,
                         fmt::format("field '{}' is not numeric ('{}')", field, *s));
      }
      values[i] = parsed;
    }
    if (!std::isfinite(values[i]) || values[i] < 0)
      throw InputError(
          file, layer, dataset.units[i].source_fid,
          fmt::format("field '{}' must be a finite number >= 0 (is {})", field, values[i]));
  }
  return values;
}

AreaGraph build_area_graph(const geo::Dataset& dataset, const std::vector<std::uint32_t>& units,
                           const geo::MultiPolygon* area, const UnitValues& values,
                           const geo::LineIndex* barriers, const GraphBuildOptions& options) {
  AreaGraph out;
  out.units = units;
  const std::size_t n = units.size();
  out.derived_area = area == nullptr;

  // --- Unit kind -------------------------------------------------------------------------
  bool all_footprints = n > 0;
  double footprint_area = 0;
  for (auto u : units) {
    const auto& g = dataset.units[u].geometry;
    if (g.empty()) all_footprints = false;
    footprint_area += geo::area(g);
  }
  if (options.kind == UnitKind::tiling) {
    out.tiling = true;
  } else if (options.kind == UnitKind::buildings) {
    out.tiling = false;
  } else if (all_footprints) {
    double reference = 0;
    if (area != nullptr) {
      reference = geo::area(*area);
    } else {
      std::vector<geo::Point> pts;
      for (auto u : units) collect_points(dataset.units[u], pts);
      geo::Polygon hull{convex_hull(std::move(pts)), {}};
      reference = geo::area(hull);
    }
    out.tiling = reference > 0 && footprint_area >= options.tiling_coverage * reference;
  }

  // --- Regions ---------------------------------------------------------------------------
  if (out.tiling) {
    out.regions.reserve(n);
    for (auto u : units) out.regions.push_back(dataset.units[u].geometry);
    if (area != nullptr) {
      out.area = *area;
    } else {
      std::vector<const geo::MultiPolygon*> parts;
      for (const auto& r : out.regions) parts.push_back(&r);
      out.area = geo::union_coverage(parts);
    }
  } else {
    std::vector<std::vector<geo::Point>> seeds;
    seeds.reserve(n);
    for (auto u : units) seeds.push_back(unit_seeds(dataset.units[u], options.boundary_seeds));
    if (area != nullptr) {
      out.area = *area;
      out.regions = geo::voronoi_partition(seeds, out.area);
    } else {
      // Clip to the grown hull of everything, then cut each region to its own unit's reach.
      std::vector<geo::Point> pts;
      for (auto u : units) collect_points(dataset.units[u], pts);
      const auto clip = grown_hull(pts, options.derived_reach_m);
      out.regions = geo::voronoi_partition(seeds, clip);
      for (std::size_t v = 0; v < n; ++v) {
        if (out.regions[v].empty()) continue;
        std::vector<geo::Point> own;
        collect_points(dataset.units[units[v]], own);
        out.regions[v] =
            geo::intersection(out.regions[v], grown_hull(own, options.derived_reach_m));
      }
      std::vector<const geo::MultiPolygon*> parts;
      for (const auto& r : out.regions) parts.push_back(&r);
      out.area = geo::union_coverage(parts);
    }
  }

  if (!out.tiling) {
    std::vector<geo::Point> anchors(n);
    for (std::size_t v = 0; v < n; ++v) anchors[v] = dataset.units[units[v]].anchor;
    consolidate_regions(out.regions, anchors, out.area, options.min_shared_m);
  }

  // --- Edges -----------------------------------------------------------------------------
  std::vector<Edge> edges;
  for (const auto& s : geo::shared_boundaries(out.regions, options.min_shared_m))
    edges.push_back(Edge{s.a, s.b, s.length_m, false});

  std::vector<geo::Point> position(n);
  for (std::size_t v = 0; v < n; ++v) position[v] = dataset.units[units[v]].anchor;

  // Units without a region (duplicate points, anchors outside the area) join the unit
  // whose region contains their anchor, else the nearest unit that has a region.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> region_owner; // (unit, owner)
  {
    std::vector<const geo::MultiPolygon*> with_region;
    std::vector<std::uint32_t> owner;
    for (std::uint32_t v = 0; v < n; ++v) {
      if (!out.regions[v].empty()) {
        with_region.push_back(&out.regions[v]);
        owner.push_back(v);
      }
    }
    bool any_empty = false;
    for (std::uint32_t v = 0; v < n; ++v) any_empty = any_empty || out.regions[v].empty();
    if (any_empty && !owner.empty()) {
      const geo::PolygonIndex index(with_region);
      std::vector<geo::Point> owner_pos;
      for (auto v : owner) owner_pos.push_back(position[v]);
      const SortedPoints sorted(owner_pos);
      for (std::uint32_t v = 0; v < n; ++v) {
        if (!out.regions[v].empty()) continue;
        long hit = index.containing(position[v]);
        if (hit < 0)
          hit = static_cast<long>(
              sorted.nearest(position[v], [](std::uint32_t) { return false; }).first);
        edges.push_back(Edge{v, owner[static_cast<std::size_t>(hit)], 1e-3, false});
        region_owner.emplace_back(v, owner[static_cast<std::size_t>(hit)]);
      }
    }
  }

  // --- Components and bridges ------------------------------------------------------------
  {
    auto g0 = graph_from_edges(n, edges);
    out.component = connected_components(g0, out.components);
    if (out.components > 1 && options.join_components_below > 0) {
      // Union-find over components; repeatedly take the lightest merged component below
      // the threshold and bridge it to the nearest vertex outside it.
      std::vector<std::uint32_t> parent(out.components);
      std::iota(parent.begin(), parent.end(), 0u);
      std::vector<double> weight(out.components, 0.0);
      for (std::size_t v = 0; v < n; ++v) weight[out.component[v]] += values.balance[units[v]];
      auto find = [&](std::uint32_t c) {
        while (parent[c] != c) c = parent[c] = parent[parent[c]];
        return c;
      };
      const SortedPoints sorted(position);
      for (;;) {
        std::uint32_t lightest = ~0u;
        std::size_t roots = 0;
        for (std::uint32_t c = 0; c < out.components; ++c) {
          if (find(c) != c) continue;
          ++roots;
          if (weight[c] < options.join_components_below &&
              (lightest == ~0u || weight[c] < weight[lightest]))
            lightest = c;
        }
        if (roots <= 1 || lightest == ~0u) break;
        // Nearest pair (member of `lightest`, vertex outside it).
        std::uint32_t best_a = ~0u, best_b = ~0u;
        double best_d = std::numeric_limits<double>::infinity();
        for (std::uint32_t v = 0; v < n; ++v) {
          if (find(out.component[v]) != lightest) continue;
          const auto [w, d] = sorted.nearest(
              position[v], [&](std::uint32_t x) { return find(out.component[x]) == lightest; });
          if (w != ~0u && d < best_d) {
            best_d = d;
            best_a = v;
            best_b = w;
          }
        }
        if (best_b == ~0u) break;
        const auto other = find(out.component[best_b]);
        edges.push_back(Edge{best_a, best_b, 1e-3, false});
        ++out.bridges;
        parent[lightest] = other;
        weight[other] += weight[lightest];
      }
    }
  }

  // --- Barriers --------------------------------------------------------------------------
  if (barriers != nullptr) {
    for (auto& e : edges) e.barrier = barriers->crosses(position[e.a], position[e.b]);
  }

  out.graph = graph_from_edges(n, edges);
  out.graph.position = position;
  for (std::size_t v = 0; v < n; ++v) out.graph.weight[v] = values.balance[units[v]];
  out.graph.secondary.resize(values.secondary.size());
  for (std::size_t k = 0; k < values.secondary.size(); ++k) {
    out.graph.secondary[k].resize(n);
    for (std::size_t v = 0; v < n; ++v) out.graph.secondary[k][v] = values.secondary[k][units[v]];
  }
  // Compound groups, numbered in order of their ids.
  std::map<std::string, std::int32_t> group_index;
  for (auto u : units)
    if (!dataset.units[u].compound_id.empty()) group_index.emplace(dataset.units[u].compound_id, 0);
  for (auto& [id, index] : group_index) {
    index = static_cast<std::int32_t>(out.group_names.size());
    out.group_names.push_back(id);
  }
  for (std::size_t v = 0; v < n; ++v) {
    const auto& id = dataset.units[units[v]].compound_id;
    if (!id.empty()) out.graph.group[v] = group_index.at(id);
  }
  // A unit without a region must share its owner's cell, or its anchor would lie in another
  // cell: both go into one group (the owner's compound, else a new group of their own).
  for (const auto& [v, o] : region_owner) {
    auto& gv = out.graph.group[v];
    auto& go = out.graph.group[o];
    if (gv >= 0 && go >= 0) continue; // two compounds: kept as given
    if (go < 0 && gv < 0) {
      go = static_cast<std::int32_t>(out.group_names.size());
      out.group_names.push_back("");
    }
    if (gv < 0)
      gv = go;
    else
      go = gv;
  }
  return out;
}

} // namespace gp::planner
