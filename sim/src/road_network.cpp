#include "road_network.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace gp::sim {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using BgPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using IndexEntry = std::pair<BgPoint, std::uint32_t>;
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

double dist(const geo::Point& a, const geo::Point& b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

} // namespace

struct RoadNetwork::Impl {
  std::vector<geo::Point> nodes;
  Graph graph;
  std::size_t edges = 0;
  bgi::rtree<IndexEntry, bgi::quadratic<16>> index;
  mutable std::mutex mutex;
  mutable std::unordered_map<std::uint32_t, std::shared_ptr<const std::vector<double>>> cache;

  std::shared_ptr<const std::vector<double>> distances_from(std::uint32_t source) const {
    {
      std::lock_guard lock(mutex);
      const auto it = cache.find(source);
      if (it != cache.end()) return it->second;
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
    return cache.emplace(source, std::move(d)).first->second;
  }
};

RoadNetwork::RoadNetwork(const std::vector<geo::LineString>& roads, double merge_tolerance_m)
    : impl_(std::make_unique<Impl>()) {
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
  std::vector<std::pair<std::pair<std::uint32_t, std::uint32_t>, double>> segments;
  for (const auto& line : roads) {
    if (line.size() < 2) continue;
    std::uint32_t prev = node_of(line[0]);
    for (std::size_t i = 1; i < line.size(); ++i) {
      const std::uint32_t cur = node_of(line[i]);
      if (cur != prev)
        segments.push_back({{prev, cur}, dist(impl_->nodes[prev], impl_->nodes[cur])});
      prev = cur;
    }
  }
  impl_->graph = Graph(impl_->nodes.size());
  for (const auto& s : segments) {
    boost::add_edge(s.first.first, s.first.second, s.second, impl_->graph);
    ++impl_->edges;
  }
  std::vector<IndexEntry> entries;
  entries.reserve(impl_->nodes.size());
  for (std::uint32_t i = 0; i < impl_->nodes.size(); ++i)
    entries.emplace_back(BgPoint(impl_->nodes[i].x, impl_->nodes[i].y), i);
  impl_->index = bgi::rtree<IndexEntry, bgi::quadratic<16>>(entries.begin(), entries.end());
}

RoadNetwork::~RoadNetwork() = default;

std::size_t RoadNetwork::node_count() const {
  return impl_->nodes.size();
}
std::size_t RoadNetwork::edge_count() const {
  return impl_->edges;
}

RoadSnap RoadNetwork::snap(const geo::Point& p) const {
  RoadSnap s;
  if (impl_->nodes.empty()) return s;
  std::vector<IndexEntry> found;
  impl_->index.query(bgi::nearest(BgPoint(p.x, p.y), 1), std::back_inserter(found));
  if (found.empty()) return s;
  s.node = static_cast<std::int32_t>(found.front().second);
  s.access_m = dist(impl_->nodes[found.front().second], p);
  return s;
}

double RoadNetwork::path_m(std::uint32_t from, std::uint32_t to) const {
  if (from >= impl_->nodes.size() || to >= impl_->nodes.size())
    return std::numeric_limits<double>::infinity();
  if (from == to) return 0;
  return (*impl_->distances_from(from))[to];
}

std::optional<double> RoadNetwork::distance(const RoadSnap& a, const RoadSnap& b) const {
  if (a.node < 0 || b.node < 0) return std::nullopt;
  const double path =
      path_m(static_cast<std::uint32_t>(a.node), static_cast<std::uint32_t>(b.node));
  if (!std::isfinite(path)) return std::nullopt;
  return a.access_m + path + b.access_m;
}

std::optional<double> RoadNetwork::distance(const geo::Point& a, const geo::Point& b) const {
  return distance(snap(a), snap(b));
}

} // namespace gp::sim
