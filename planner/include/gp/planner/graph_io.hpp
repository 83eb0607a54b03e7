#pragma once
// Reading and writing unit graphs in exchange formats, so that anyone can compare the
// partitioner with METIS (or others) on the identical graph.
//
// METIS graph format (METIS 5.1 manual, section 4.1.1): a header line "n m fmt [ncon]" and
// one line per vertex listing its neighbours 1-based. We write fmt "011" (vertex weights
// and edge weights); weights must be integers in METIS, so doubles are multiplied by a
// scale and rounded (see MetisWriteOptions). Reading accepts fmt 0, 1, 10, 11, 100..111.
//
// networkx JSON: both node-link ("nodes" + "links"/"edges" with "source"/"target") and
// adjacency ("nodes" + "adjacency", as written by networkx.adjacency_data) layouts.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gp/planner/graph.hpp"

namespace gp::planner {

struct MetisWriteOptions {
  /// Vertex weight written = round(weight * vertex_weight_scale), at least 0.
  double vertex_weight_scale = 1.0;
  /// Edge weight written = max(1, round(edge_length * edge_weight_scale)); 0 writes no edge
  /// weights (fmt "010"), i.e. every edge counts 1 — the cut-edges objective.
  double edge_weight_scale = 0.0;
};

/// Writes g in METIS graph format to `path` (atomically: a temporary file renamed into
/// place). Throws gp::OutputError when the file cannot be written.
void write_metis_graph(const UnitGraph& g, const std::filesystem::path& path,
                       const MetisWriteOptions& options = {});

/// Reads a METIS graph file. Vertex weights (first constraint) become `weight` (1 when the
/// file has none), further constraints become `secondary`, edge weights become
/// `edge_length` (1 when none). Throws gp::InputError naming the file and line on any
/// malformed content (bad header, neighbour out of range, asymmetric adjacency, counts
/// that do not match the header).
UnitGraph read_metis_graph(const std::filesystem::path& path);

struct NetworkxReadOptions {
  /// Node attribute used as the vertex weight (numbers or numeric strings). Required to be
  /// present on every node; empty = every vertex weighs 1.
  std::string weight_attribute;
  /// Optional node attributes for the vertex position (numbers or numeric strings such as
  /// "+35.93"); when empty or absent, positions stay (0,0).
  std::string x_attribute;
  std::string y_attribute;
  /// Optional edge attribute used as edge_length (e.g. "shared_perim"); 1 when absent.
  std::string length_attribute;
  /// Optional node attribute used as group id (integers); -1 when absent.
  std::string group_attribute;
};

/// A graph read from networkx JSON with the original node ids, in vertex order.
struct NamedGraph {
  UnitGraph graph;
  std::vector<std::string> node_ids; ///< the node's "id" as text, per vertex
};

/// Reads a networkx JSON graph (node-link or adjacency layout). Vertices are numbered in
/// the order of the "nodes" array. Throws gp::InputError naming the file and the node or
/// edge on malformed content (missing attribute, unknown node id, non-numeric value).
NamedGraph read_networkx_json(const std::filesystem::path& path,
                              const NetworkxReadOptions& options);

} // namespace gp::planner
