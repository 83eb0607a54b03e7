#pragma once
// Road network for the simulator's travel model (private to sim/: Boost stays in the .cpp).
// Nodes are the vertices of the road lines, merged when closer than a tolerance; edges are
// the line segments weighted by their length in metres. Lines only connect where they share
// (coincident) vertices: crossings without a common vertex are not junctions. Points are
// snapped to their nearest node; the straight access distance is added to the path length.
// Coordinates are in the plan's metric work CRS (metres).

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::sim {

/// A point attached to the network: its nearest node and the straight distance to it.
struct RoadSnap {
  std::int32_t node = -1; ///< -1: no network
  double access_m = 0;
};

class RoadNetwork {
public:
  /// Builds the graph from road lines (metres). Lines with fewer than two vertices are
  /// ignored. `merge_tolerance_m` merges vertices closer than it into one node.
  explicit RoadNetwork(const std::vector<geo::LineString>& roads, double merge_tolerance_m = 0.5);
  ~RoadNetwork();
  RoadNetwork(const RoadNetwork&) = delete;
  RoadNetwork& operator=(const RoadNetwork&) = delete;

  std::size_t node_count() const;
  std::size_t edge_count() const;
  bool empty() const { return node_count() == 0; }

  /// Nearest node to `p` (ties: lowest node index) and the straight distance to it.
  RoadSnap snap(const geo::Point& p) const;

  /// Shortest-path length in metres between two nodes (Dijkstra); +infinity when they are
  /// not connected. Distances from each source node are computed once and cached; safe to
  /// call from several threads.
  double path_m(std::uint32_t from, std::uint32_t to) const;

  /// Travel distance between two snapped points: access + shortest path + access.
  /// nullopt when either point has no node or the nodes are not connected (callers fall
  /// back to the straight-line model).
  std::optional<double> distance(const RoadSnap& a, const RoadSnap& b) const;
  /// Same for raw points (snaps both).
  std::optional<double> distance(const geo::Point& a, const geo::Point& b) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace gp::sim
