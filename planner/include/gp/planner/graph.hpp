#pragma once
// The unit adjacency graph the partitioner works on: one vertex per unit of one area,
// compressed sparse rows, symmetric. Built from geometry by graph_builder.hpp, or from
// any edge list (tests, METIS files, networkx JSON).

#include <cstdint>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::planner {

struct UnitGraph {
  /// CSR: neighbours of v are targets[offsets[v] .. offsets[v+1]).
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> targets;
  /// Per directed edge, same order as targets: shared boundary length in metres
  /// (1 for graphs without geometry). Used by the compactness objective.
  std::vector<double> edge_length;
  /// Per directed edge: 1 when the edge crosses a barrier (road, river, rail).
  std::vector<std::uint8_t> edge_barrier;

  /// Per vertex: the value balanced (households by default) and secondary values.
  std::vector<double> weight;
  std::vector<std::vector<double>> secondary; ///< secondary[k][v]
  /// Per vertex: representative point (metric CRS), used for compactness and numbering.
  std::vector<geo::Point> position;
  /// Per vertex: group that must stay in one cell (compound id index), or -1.
  std::vector<std::int32_t> group;

  std::size_t vertex_count() const { return weight.size(); }
  std::size_t edge_count() const { return targets.size() / 2; } ///< undirected edges
  double total_weight() const;
};

struct Edge {
  std::uint32_t a = 0, b = 0;
  double length = 1;
  bool barrier = false;
};

/// Builds a symmetric CSR graph from undirected edges over n vertices. Duplicate edges
/// are merged (lengths summed, barrier if any is); self loops dropped. Vertex arrays
/// (weight, position, group) are sized n with defaults 0 / (0,0) / -1.
UnitGraph graph_from_edges(std::size_t n, const std::vector<Edge>& edges);

/// Connected components; returns the component index of each vertex (0-based, numbered
/// in order of their lowest vertex) and sets `count`.
std::vector<std::uint32_t> connected_components(const UnitGraph& g, std::uint32_t& count);

} // namespace gp::planner
