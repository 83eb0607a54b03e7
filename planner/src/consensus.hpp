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

} // namespace gp::planner::detail
