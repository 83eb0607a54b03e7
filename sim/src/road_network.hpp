#pragma once
// Road network for the simulator's travel model (private to sim/: Boost stays in the .cpp).
// The road lines are noded first (geo::node_lines, GEOS): lines that cross meet at a
// junction even without a common vertex. Nodes are the vertices of the noded lines,
// merged when closer than a tolerance; edges are the segments weighted by their length
// in metres. A point is snapped to the nearest point on the nearest segment; its travel
// distance to another point is access + along its segment to an end + shortest path +
// along the other segment + access (or along one segment when both lie on it).
// Coordinates are in the plan's metric work CRS (metres).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::sim {

/// A point attached to the network: the segment (edge) it snaps to, the position of its
/// foot on the segment and the straight distance to it.
struct RoadSnap {
  std::int32_t node = -1;   ///< first end node of the segment; -1: no network
  std::int32_t node_b = -1; ///< second end node
  std::int32_t edge = -1;   ///< segment index
  double along_m = 0;       ///< from `node` to the foot, along the segment
  double length_m = 0;      ///< length of the segment
  double access_m = 0;      ///< straight distance from the point to the foot
};

class RoadNetwork {
public:
  /// Builds the graph from road lines (metres): nodes them (geo::node_lines) unless
  /// `node_crossings` is false, then merges vertices closer than `merge_tolerance_m`.
  /// Lines with fewer than two vertices are ignored. When `connect_gap_m` > 0, each dead
  /// end is joined by a straight connector to the nearest point of another component's
  /// segment within that distance (lanes drawn stopping short of the main road). At most
  /// `cache_bytes` of shortest-path distance tables are kept (least recently used dropped
  /// first; at least 4 tables).
  explicit RoadNetwork(const std::vector<geo::LineString>& roads, double merge_tolerance_m = 0.5,
                       bool node_crossings = true, double connect_gap_m = 0,
                       std::size_t cache_bytes = 256u << 20);
  ~RoadNetwork();
  RoadNetwork(const RoadNetwork&) = delete;
  RoadNetwork& operator=(const RoadNetwork&) = delete;

  std::size_t node_count() const;
  std::size_t edge_count() const;
  bool empty() const { return node_count() == 0; }
  /// Connected components; the main one is the one with the most nodes (ties: lowest id).
  std::size_t component_count() const;
  bool on_main_component(const RoadSnap& s) const;

  /// Nearest point on the nearest segment to `p` (ties: lowest segment index).
  RoadSnap snap(const geo::Point& p) const;

  /// Shortest-path length in metres between two nodes (Dijkstra); +infinity when they are
  /// not connected. Distance tables from each source node are cached (bounded, LRU); safe
  /// to call from several threads; results do not depend on the cache.
  double path_m(std::uint32_t from, std::uint32_t to) const;

  /// Travel distance between two snapped points. nullopt when either point has no
  /// segment or the segments are not connected (callers fall back to the straight-line
  /// model).
  std::optional<double> distance(const RoadSnap& a, const RoadSnap& b) const;
  /// Same for raw points (snaps both).
  std::optional<double> distance(const geo::Point& a, const geo::Point& b) const;

  /// Cache statistics (benchmarks): tables kept at most, computed (misses), served (hits).
  struct CacheStats {
    std::size_t capacity = 0, size = 0;
    std::uint64_t misses = 0, hits = 0;
    std::size_t table_bytes = 0; ///< bytes of one distance table
  };
  CacheStats cache_stats() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace gp::sim
