#pragma once
// Repairing an existing division of one area's unit graph with the fewest moves.
// Pure graph algorithm: no geometry library, no I/O. The algorithm is described in
// docs/user/rebalance.md ("How it works").

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gp/planner/graph.hpp"
#include "gp/planner/partition.hpp"

namespace gp::planner {

struct RebalanceSpec {
  /// Bounds on each part's total weight (same rule as PartitionSpec).
  double min_weight = 300;
  double max_weight = 500;
  /// Existing part ids that must not change: none of their vertices leaves, none joins.
  std::vector<std::int32_t> locked_parts;
  /// Metres of part boundary a move must save per unit of weight moved (households) to
  /// be worth it. Large values keep cells as they were; small values let the repair also
  /// make changed cells more compact. Only cells already changed by a repair are polished:
  /// cells that are valid stay untouched whatever the value.
  double stability = 10.0;
  /// Barrier edges: forbidden inside parts (hard) or cheaper to cut (soft: cut cost is
  /// the edge length divided by barrier_penalty).
  bool hard_barriers = false;
  double barrier_penalty = 2.0;
  /// Seed for the partitioner when a part must be split or a neighbourhood re-planned.
  std::uint64_t seed = 1;
  std::function<void(double)> progress; ///< fraction in [0,1]; may be empty
};

struct RebalanceResult {
  /// Per vertex, the part after repair. Ids below `existing_parts` are existing parts
  /// (a part keeps its id when it survives, changed or not); ids from `existing_parts`
  /// up are new parts, numbered in order of creation.
  std::vector<std::int32_t> part;
  std::int32_t parts = 0;                    ///< size of the id space: existing_parts + new parts
  std::int32_t existing_parts = 0;           ///< as given
  std::vector<std::int32_t> unchanged_parts; ///< existing ids with exactly the same vertices
  std::vector<std::int32_t> changed_parts;   ///< existing ids that survive with other vertices
  std::vector<std::int32_t> new_parts;       ///< ids >= existing_parts that hold vertices
  std::vector<std::int32_t> retired_parts;   ///< existing ids (that had vertices) now empty
  /// Weight and count of vertices that had a part and now have another one.
  double moved_weight = 0;
  std::size_t moved_vertices = 0;
  /// Vertices that had no part (gaps in the existing layer) and got one.
  double gap_weight = 0;
  std::size_t gap_vertices = 0;
  std::size_t fragments_reassigned = 0; ///< disconnected pieces of parts given to neighbours
  std::size_t groups_reunited = 0;      ///< groups (compounds) that were split and now are not
  std::size_t splits = 0;               ///< parts split because no neighbour had room
  std::size_t replans = 0;              ///< neighbourhoods re-planned as a last resort
  std::size_t vertex_moves = 0;         ///< single boundary moves made by the balancer
  /// Rules still broken at the end (an area smaller than the minimum, a locked part that
  /// breaks a rule, a group bigger than the maximum), as in PartitionResult.
  std::vector<Violation> violations;
};

/// Repairs `existing` (per vertex a part id in [0, existing_parts) or -1 for "no part")
/// so that every rule of the planner holds where it can: each part's weight within
/// [min_weight, max_weight], each part connected, each group whole (unless the group
/// alone exceeds max_weight), every vertex in a part. Moves as little weight as it can
/// from its existing part. Locked parts are never changed. Deterministic for a given seed.
/// Throws gp::UsageError when `existing` does not have one entry per vertex or an id is
/// out of range.
RebalanceResult rebalance(const UnitGraph& g, const std::vector<std::int32_t>& existing,
                          std::int32_t existing_parts, const RebalanceSpec& spec);

/// The rules an assignment breaks on g (bounds, contiguity, groups split while small
/// enough to stay whole, vertices without a part as part -1 "coverage"). Used to report
/// existing layers before repair and to check results. With hard_barriers, parts must be
/// connected without crossing barrier edges.
std::vector<Violation> check_assignment(const UnitGraph& g, const std::vector<std::int32_t>& part,
                                        double min_weight, double max_weight,
                                        bool hard_barriers = false);

} // namespace gp::planner
