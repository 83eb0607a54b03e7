#include "road_network.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "gp/geo/ops.hpp"

namespace gp::sim {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using BgPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BgSegment = bg::model::segment<BgPoint>;
using IndexEntry = std::pair<BgSegment, std::uint32_t>;
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

double dist(const geo::Point& a, const geo::Point& b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

struct Edge {
  std::uint32_t a, b;
  double length;
};

using Table = std::shared_ptr<const std::vector<double>>;

} // namespace

struct RoadNetwork::Impl {
  std::vector<geo::Point> nodes;
  std::vector<Edge> edges;
  Graph graph;
  std::vector<int> component;
  std::size_t components = 0;
  int main_component = -1;
  bgi::rtree<IndexEntry, bgi::quadratic<16>> index;

  // Bounded LRU cache of Dijkstra tables by source node.
  mutable std::mutex mutex;
  mutable std::list<std::uint32_t> lru; // most recent first
  mutable std::unordered_map<std::uint32_t, std::pair<Table, std::list<std::uint32_t>::iterator>>
      cache;
  std::size_t capacity = 4;
  mutable std::uint64_t hits = 0, misses = 0;

  /// Graph, components and segment index from `nodes` and `edges`.
  void build() {
    graph = Graph(nodes.size());
    for (const auto& e : edges) boost::add_edge(e.a, e.b, e.length, graph);
    component.assign(nodes.size(), 0);
    components = 0;
    main_component = -1;
    if (!nodes.empty()) {
      components = static_cast<std::size_t>(boost::connected_components(
          graph, boost::make_iterator_property_map(component.begin(),
                                                   boost::get(boost::vertex_index, graph))));
      std::vector<std::size_t> size(components, 0);
      for (int c : component) ++size[static_cast<std::size_t>(c)];
      main_component = static_cast<int>(std::max_element(size.begin(), size.end()) - size.begin());
    }
    std::vector<IndexEntry> entries;
    entries.reserve(edges.size());
    for (std::uint32_t i = 0; i < edges.size(); ++i) {
      const geo::Point& a = nodes[edges[i].a];
      const geo::Point& b = nodes[edges[i].b];
      entries.emplace_back(BgSegment(BgPoint(a.x, a.y), BgPoint(b.x, b.y)), i);
    }
    index = bgi::rtree<IndexEntry, bgi::quadratic<16>>(entries.begin(), entries.end());
  }

  /// Joins each dead end (a node of degree 1) to the nearest point, within `gap` metres,
  /// of a segment in another component by a straight connector (lanes that stop short of
  /// the main road, as at a compound gate). The segment is split at the foot. Uses the
  /// components before any connection, so the result does not depend on the order.
  void connect_dangles(double gap, double tol) {
    std::vector<int> degree(nodes.size(), 0);
    for (const auto& e : edges) {
      ++degree[e.a];
      ++degree[e.b];
    }
    struct Foot {
      double t;
      std::uint32_t from;
    };
    std::map<std::uint32_t, std::vector<Foot>> feet; // by edge, deterministic order
    for (std::uint32_t n = 0; n < nodes.size(); ++n) {
      if (degree[n] != 1) continue;
      const geo::Point p = nodes[n];
      const bg::model::box<BgPoint> box(BgPoint(p.x - gap, p.y - gap),
                                        BgPoint(p.x + gap, p.y + gap));
      std::vector<IndexEntry> near;
      index.query(bgi::intersects(box), std::back_inserter(near));
      double best = std::numeric_limits<double>::infinity(), best_t = 0;
      std::uint32_t best_edge = 0;
      for (const auto& f : near) {
        const Edge& e = edges[f.second];
        if (component[e.a] == component[n]) continue;
        const geo::Point& a = nodes[e.a];
        const geo::Point& b = nodes[e.b];
        const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
        const double t =
            std::clamp(len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0, 0.0, 1.0);
        const double d = std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
        if (d < best || (d == best && f.second < best_edge)) {
          best = d;
          best_t = t;
          best_edge = f.second;
        }
      }
      if (best <= gap) feet[best_edge].push_back({best_t, n});
    }
    for (auto& [edge_id, list] : feet) {
      std::sort(list.begin(), list.end(), [](const Foot& x, const Foot& y) {
        return x.t != y.t ? x.t < y.t : x.from < y.from;
      });
      const Edge e = edges[edge_id];
      const geo::Point a = nodes[e.a], b = nodes[e.b];
      // Split points along the edge (the ends themselves when a foot falls within tol).
      std::vector<std::uint32_t> chain = {e.a};
      for (const Foot& f : list) {
        const geo::Point q{a.x + f.t * (b.x - a.x), a.y + f.t * (b.y - a.y)};
        std::uint32_t at;
        if (dist(q, nodes[chain.back()]) <= tol) {
          at = chain.back();
        } else if (dist(q, b) <= tol) {
          at = e.b;
        } else {
          at = static_cast<std::uint32_t>(nodes.size());
          nodes.push_back(q);
          chain.push_back(at);
        }
        if (at != f.from) edges.push_back({f.from, at, dist(nodes[f.from], nodes[at])});
      }
      chain.push_back(e.b);
      // The first piece replaces the edge in place; the others are appended.
      edges[edge_id] = {chain[0], chain[1], dist(nodes[chain[0]], nodes[chain[1]])};
      for (std::size_t i = 2; i < chain.size(); ++i)
        edges.push_back({chain[i - 1], chain[i], dist(nodes[chain[i - 1]], nodes[chain[i]])});
    }
  }

  Table distances_from(std::uint32_t source) const {
    {
      std::lock_guard lock(mutex);
      const auto it = cache.find(source);
      if (it != cache.end()) {
        ++hits;
        lru.splice(lru.begin(), lru, it->second.second);
        return it->second.first;
      }
      ++misses;
    }
    // Computed outside the lock; two threads may compute the same source, with identical
    // results, and the first one stored wins.
    auto d = std::make_shared<std::vector<double>>(nodes.size(),
                                                   std::numeric_limits<double>::infinity());
    boost::dijkstra_shortest_paths(
        graph, static_cast<Graph::vertex_descriptor>(source),
        boost::distance_map(
            boost::make_iterator_property_map(d->begin(), boost::get(boost::vertex_index, graph)))
            .distance_inf(std::numeric_limits<double>::infinity()));
    std::lock_guard lock(mutex);
    const auto it = cache.find(source);
    if (it != cache.end()) return it->second.first;
    while (cache.size() >= capacity && !lru.empty()) {
      cache.erase(lru.back());
      lru.pop_back();
    }
    lru.push_front(source);
    Table t = std::move(d);
    cache.emplace(source, std::make_pair(t, lru.begin()));
    return t;
  }
};

RoadNetwork::RoadNetwork(const std::vector<geo::LineString>& roads, double merge_tolerance_m,
                         bool node_crossings, double connect_gap_m, std::size_t cache_bytes)
    : impl_(std::make_unique<Impl>()) {
  const std::vector<geo::LineString> noded =
      node_crossings ? geo::node_lines(roads) : std::vector<geo::LineString>{};
  const std::vector<geo::LineString>& lines = node_crossings ? noded : roads;
  const double tol = merge_tolerance_m > 0 ? merge_tolerance_m : 1e-9;
  // Vertex merging on a grid of cell size `tol`: a vertex joins the first earlier node
  // within `tol` in the 3x3 neighbourhood of its grid cell (input order, deterministic).
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>> grid;
  auto key_of = [tol](const geo::Point& p) {
    return std::pair<std::int64_t, std::int64_t>{static_cast<std::int64_t>(std::floor(p.x / tol)),
                                                 static_cast<std::int64_t>(std::floor(p.y / tol))};
  };
  auto node_of = [&](const geo::Point& p) -> std::uint32_t {
    const auto k = key_of(p);
    for (std::int64_t dx = -1; dx <= 1; ++dx) {
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        const auto it = grid.find({k.first + dx, k.second + dy});
        if (it == grid.end()) continue;
        for (std::uint32_t n : it->second)
          if (dist(impl_->nodes[n], p) <= tol) return n;
      }
    }
    const auto n = static_cast<std::uint32_t>(impl_->nodes.size());
    impl_->nodes.push_back(p);
    grid[k].push_back(n);
    return n;
  };
  for (const auto& line : lines) {
    if (line.size() < 2) continue;
    bool finite = true;
    for (const auto& p : line) finite = finite && std::isfinite(p.x) && std::isfinite(p.y);
    if (!finite) continue;
    std::uint32_t prev = node_of(line[0]);
    for (std::size_t i = 1; i < line.size(); ++i) {
      const std::uint32_t cur = node_of(line[i]);
      if (cur != prev)
        impl_->edges.push_back({prev, cur, dist(impl_->nodes[prev], impl_->nodes[cur])});
      prev = cur;
    }
  }
  impl_->build();
  if (connect_gap_m > 0 && impl_->components > 1) {
    impl_->connect_dangles(connect_gap_m, tol);
    impl_->build();
  }
  const std::size_t table = std::max<std::size_t>(1, impl_->nodes.size()) * sizeof(double);
  impl_->capacity = std::max<std::size_t>(4, cache_bytes / table);
}

RoadNetwork::~RoadNetwork() = default;

std::size_t RoadNetwork::node_count() const {
  return impl_->nodes.size();
}
std::size_t RoadNetwork::edge_count() const {
  return impl_->edges.size();
}
std::size_t RoadNetwork::component_count() const {
  return impl_->components;
}
bool RoadNetwork::on_main_component(const RoadSnap& s) const {
  return s.node >= 0 && impl_->component[static_cast<std::size_t>(s.node)] == impl_->main_component;
}

RoadSnap RoadNetwork::snap(const geo::Point& p) const {
  RoadSnap s;
  if (impl_->edges.empty() || !std::isfinite(p.x) || !std::isfinite(p.y)) return s;
  std::vector<IndexEntry> found;
  impl_->index.query(bgi::nearest(BgPoint(p.x, p.y), 4), std::back_inserter(found));
  double best = std::numeric_limits<double>::infinity();
  std::uint32_t best_edge = 0;
  double best_t = 0;
  for (const auto& f : found) {
    const Edge& e = impl_->edges[f.second];
    const geo::Point& a = impl_->nodes[e.a];
    const geo::Point& b = impl_->nodes[e.b];
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double d = std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
    if (d < best || (d == best && f.second < best_edge)) {
      best = d;
      best_edge = f.second;
      best_t = t;
    }
  }
  if (!std::isfinite(best)) return s;
  const Edge& e = impl_->edges[best_edge];
  s.node = static_cast<std::int32_t>(e.a);
  s.node_b = static_cast<std::int32_t>(e.b);
  s.edge = static_cast<std::int32_t>(best_edge);
  s.length_m = e.length;
  s.along_m = best_t * e.length;
  s.access_m = best;
  return s;
}

double RoadNetwork::path_m(std::uint32_t from, std::uint32_t to) const {
  if (from >= impl_->nodes.size() || to >= impl_->nodes.size())
    return std::numeric_limits<double>::infinity();
  if (from == to) return 0;
  if (impl_->component[from] != impl_->component[to])
    return std::numeric_limits<double>::infinity(); // no Dijkstra needed
  return (*impl_->distances_from(from))[to];
}

std::optional<double> RoadNetwork::distance(const RoadSnap& a, const RoadSnap& b) const {
  if (a.edge < 0 || b.edge < 0) return std::nullopt;
  const auto ua = static_cast<std::uint32_t>(a.node), va = static_cast<std::uint32_t>(a.node_b);
  const auto ub = static_cast<std::uint32_t>(b.node), vb = static_cast<std::uint32_t>(b.node_b);
  if (impl_->component[ua] != impl_->component[ub]) return std::nullopt;
  double best = std::numeric_limits<double>::infinity();
  if (a.edge == b.edge) best = std::fabs(a.along_m - b.along_m);
  const std::pair<std::uint32_t, double> from[2] = {{ua, a.along_m}, {va, a.length_m - a.along_m}};
  const std::pair<std::uint32_t, double> to[2] = {{ub, b.along_m}, {vb, b.length_m - b.along_m}};
  for (const auto& [n, off] : from) {
    if (off >= best) continue;
    const Table table = impl_->distances_from(n);
    for (const auto& [m, off2] : to) best = std::min(best, off + (*table)[m] + off2);
  }
  if (!std::isfinite(best)) return std::nullopt;
  return a.access_m + best + b.access_m;
}

std::optional<double> RoadNetwork::distance(const geo::Point& a, const geo::Point& b) const {
  return distance(snap(a), snap(b));
}

RoadNetwork::CacheStats RoadNetwork::cache_stats() const {
  std::lock_guard lock(impl_->mutex);
  CacheStats s;
  s.capacity = impl_->capacity;
  s.size = impl_->cache.size();
  s.hits = impl_->hits;
  s.misses = impl_->misses;
  s.table_bytes = std::max<std::size_t>(1, impl_->nodes.size()) * sizeof(double);
  return s;
}

} // namespace gp::sim
