#pragma once
// Internal: the consensus merge (consensus.cpp) used by merge_assignments (merge.cpp).

#include <cstdint>
#include <vector>

#include "gp/planner/rebalance.hpp"

namespace gp::planner::detail {

/// Per vertex, the locked cluster it belongs to (index into the list of accepted locks) or
/// -1. Built by merge_assignments from the per-input locks.
struct MergeLocks {
  std::vector<std::int32_t> cluster_of_vertex;
  std::size_t clusters = 0;
};

/// The consensus of `inputs` (weights > 0), repaired with rebalance(). Returns the repair's
/// result with its own ids (ids below `result.existing_parts` are the consensus clusters);
/// sets `pieces` (refinement pieces) and `joins` (pieces joined before repair).
RebalanceResult consensus_merge(const UnitGraph& g,
                                const std::vector<std::vector<std::int32_t>>& inputs,
                                const std::vector<double>& weights, const MergeLocks& locks,
                                const RebalanceSpec& spec, std::size_t& pieces, std::size_t& joins);

/// Weighted boundary disagreement of `part` with the inputs: sum over inputs of weight x
/// length of the edges (both ends placed by the input) cut by exactly one of the two.
double boundary_disagreement(const UnitGraph& g,
                             const std::vector<std::vector<std::int32_t>>& inputs,
                             const std::vector<double>& weights,
                             const std::vector<std::int32_t>& part);

/// Whether `part` follows every rule that can be followed (bounds, contiguity, coverage,
/// groups that fit in a part kept whole; groups heavier than the maximum may be split).
bool follows_rules(const UnitGraph& g, const std::vector<std::int32_t>& part,
                   const RebalanceSpec& spec);

/// Whether every locked cluster (lock[v] >= 0) is exactly one part of `part`.
bool keeps_locks(const std::vector<std::int32_t>& part, const std::vector<std::int32_t>& lock);

} // namespace gp::planner::detail
