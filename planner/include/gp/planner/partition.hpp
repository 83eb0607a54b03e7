#pragma once
// Partitioning one area's unit graph into balanced, contiguous, compact parts.
// Pure graph algorithm: no geometry library, no I/O. See docs/design/planner.md.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gp/planner/graph.hpp"

namespace gp::planner {

enum class Objective {
  compact,   ///< minimise total boundary length between parts (edge_length), then cut edges
  cut_edges, ///< minimise the number of cut edges
};

struct PartitionSpec {
  /// Bounds on each part's total weight. Used when `parts` is 0: the number of parts is
  /// chosen so that the mean lies inside [min_weight, max_weight].
  double min_weight = 300;
  double max_weight = 500;
  /// Fixed number of parts (--cells N); then bounds are mean*(1±tolerance).
  int parts = 0;
  double tolerance = 0.005;
  Objective objective = Objective::compact;
  /// Barrier crossings: soft penalty (added to the edge's cost) or forbidden.
  bool hard_barriers = false;
  double barrier_penalty = 2.0; ///< multiplier on a barrier edge's cost when soft
  /// Soft balance of secondary fields: weight of each secondary deviation in the cost.
  std::vector<double> secondary_weights;
  std::uint64_t seed = 1;
  /// Effort: restarts of the randomised construction (more = better cut, slower).
  int restarts = 0; ///< 0 = automatic by graph size
  std::function<void(double)> progress; ///< fraction in [0,1]; may be empty
};

/// A rule a part breaks, with the reason, for the plan report.
struct Violation {
  std::int32_t part = -1;
  std::string rule;   ///< "min", "max", "contiguity", "compound"
  std::string reason; ///< human-readable, names values
};

struct PartitionResult {
  std::vector<std::int32_t> part; ///< per vertex, 0..parts-1
  std::int32_t parts = 0;
  std::vector<Violation> violations;
  std::size_t cut_edges = 0;
  double cut_length = 0;
};

/// Partitions g. Guarantees: every vertex gets a part; every part is connected whenever
/// the part's vertices can be (each connected component of g is partitioned on its own);
/// groups stay whole unless a group alone exceeds max_weight (then a "compound" violation
/// is reported); deterministic for a given seed. Bounds hold whenever feasible; otherwise
/// the result is the best found and each breaking part is listed in `violations`.
PartitionResult partition(const UnitGraph& g, const PartitionSpec& spec);

} // namespace gp::planner
