#pragma once
// Partitioning one area's unit graph into balanced, contiguous, compact parts.
// Pure graph algorithm: no geometry library, no I/O. See docs/design/planner.md.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
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
  /// Soft barriers: cutting a barrier edge costs its normal cost divided by this (> 0), so
  /// cell boundaries prefer roads, rivers and rail. Ignored with hard_barriers.
  double barrier_penalty = 2.0;
  /// Soft balance of secondary fields (UnitGraph::secondary[k]): weight w_k >= 0 means a part
  /// whose field-k sum deviates from the mean part sum by 1 % costs as much as w_k average
  /// cut edges. Fields with weight 0 (or beyond this vector) are ignored.
  std::vector<double> secondary_weights;
  /// Hard floors on secondary fields: secondary_floors[k] > 0 means every part should hold
  /// at least that much of UnitGraph::secondary[k] (0, or beyond this vector: no floor).
  /// Bounds mode: an island gets fewer parts (never fewer than its weight allows within
  /// the maximum) when its field total cannot give every part the floor. After the search,
  /// a repair pass moves and swaps units (whole compounds) between adjacent parts to lift
  /// parts below a floor, never disconnecting a part and never worsening the bounds.
  /// Parts still below a floor are not listed in `violations`: judge them with
  /// check_floors (floors.hpp), which names field, cell and shortfall.
  std::vector<double> secondary_floors;
  std::uint64_t seed = 1;
  /// Effort: restarts of the randomised construction (more = better cut, slower).
  int restarts = 0; ///< 0 = automatic by graph size
  /// Multiplies the attempts (automatic or `restarts`), at least 1 attempt. Attempts stop
  /// early once half of them in a row (at least 8) have not improved the best.
  double effort = 1;
  /// When > 0: attempts continue (beyond the count above) until this many seconds of one
  /// component's search are spent or they stop improving. Results then depend on speed.
  double time_limit_s = 0;
  std::function<void(double)> progress; ///< fraction in [0,1]; may be empty
  /// Initial partition of each try: true = multilevel (libmetis' k-way partitioner; on
  /// graphs of more than 50,000 units one recursive bisection, of our own coarsened graph
  /// for an island that large, refined level by level), false = seeded region growing.
  /// Contiguity, bounds and groups are enforced by our own repair and refinement either way
  /// (docs/design/planner.md, bench/README.md).
  bool multilevel_initial = true;
};

/// A rule a part breaks, with the reason, for the plan report.
struct Violation {
  Violation() = default;
  Violation(std::int32_t part_, std::string rule_, std::string reason_, std::string cause_ = {})
      : part(part_), rule(std::move(rule_)), reason(std::move(reason_)), cause(std::move(cause_)) {}
  std::int32_t part = -1;
  std::string rule;   ///< "min", "max", "contiguity", "compound"
  std::string reason; ///< human-readable, names values
  /// For "min"/"max": the true cause, one of "oversized" (the part holds a unit heavier
  /// than the maximum: a part of its own), "island" (an island or a block enclosed by
  /// oversized units, lighter than the minimum), "indivisible" (its block's total is one
  /// no whole number of parts within bounds adds up to), "search" (a division exists but
  /// the search did not find one).
  std::string cause;
  /// For cause "oversized": the heaviest such vertex of the part and its weight.
  std::int64_t vertex = -1;
  double vertex_weight = 0;
  /// For "min"/"max": the weight of the block the part was cut from (see Oversized units).
  double block_weight = 0;
};

struct PartitionResult {
  std::vector<std::int32_t> part; ///< per vertex, 0..parts-1
  std::int32_t parts = 0;
  std::vector<Violation> violations;
  std::size_t cut_edges = 0;       ///< undirected edges whose endpoints are in different parts
  double cut_length = 0;           ///< sum of edge_length over those edges
  std::vector<double> part_weight; ///< per part: sum of `weight` of its vertices
  /// Bounds the parts were judged against: [min_weight, max_weight], or mean*(1±tolerance)
  /// when `parts` was fixed.
  double min_weight = 0;
  double max_weight = 0;
  std::int32_t components = 0; ///< connected pieces of the graph (islands), each split alone
};

/// Partitions g. Throws gp::UsageError for an invalid spec (min > max, negative bounds or
/// tolerance, parts < 0) and gp::Error for a graph whose arrays disagree in size.
/// Semantics (details in docs/design/planner.md):
/// - Oversized units (parts == 0 only): a vertex (or contracted compound) heavier than
///   max_weight is a part of its own. The rest of its island is split into the blocks the
///   oversized vertices leave connected; each block gets as many parts as its own weight
///   needs, and a block lighter than min_weight (e.g. empty buildings between towers)
///   joins the lightest adjacent oversized part instead of being a part of its own, so no
///   part is empty unless the whole graph weighs nothing.
/// - Islands: each connected component (without barrier edges when hard_barriers) gets its
///   own parts: with parts == 0 as many as its weight needs (k with W/k in [min,max], nearest
///   W/((min+max)/2)); with parts fixed, parts are apportioned by weight (Sainte-Laguë), at
///   least one per component (more parts than requested, with a "parts" violation, when
///   there are more components than parts). An island lighter than min is one part with a
///   "min" violation.
/// - Objective costs per cut edge: 1 (cut_edges) or edge_length (compact). A barrier edge
///   costs cost / barrier_penalty to cut (boundaries along roads are preferred); with
///   hard_barriers barrier edges do not connect anything: every part is connected through
///   non-barrier edges only (it may contain both sides of a road joined elsewhere).
/// Guarantees: every vertex gets a part; every part is connected whenever
/// the part's vertices can be (each connected component of g is partitioned on its own);
/// groups stay whole unless a group alone exceeds max_weight (then a "compound" violation
/// is reported); deterministic for a given seed. Bounds hold whenever feasible; otherwise
/// the result is the best found and each breaking part is listed in `violations`.
PartitionResult partition(const UnitGraph& g, const PartitionSpec& spec);

} // namespace gp::planner
