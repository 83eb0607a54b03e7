#pragma once
// Private building blocks of partition(): the per-component work graph and the solver that
// turns an initial assignment into a contiguous, balanced, refined one.

#include <cstdint>
#include <functional>
#include <vector>

#include "gp/planner/graph.hpp"

namespace gp::planner::detail {

/// A connected graph (one component of the contracted unit graph), CSR, symmetric.
struct WorkGraph {
  std::vector<std::uint32_t> xadj{0};
  std::vector<std::uint32_t> adj;
  std::vector<double> cost;   ///< per directed edge: the objective's cost of cutting it (> 0)
  std::vector<double> weight; ///< per vertex, >= 0
  /// Soft-balanced secondary fields: secondary[k][v], and per field the cost (in cut-cost
  /// units) of each part's absolute deviation from the field's mean part sum, per unit.
  std::vector<std::vector<double>> secondary;
  std::vector<double> secondary_cost;
  /// Hard floors: floor_values[f][v] and per field the minimum each part should hold. The
  /// solver counts a part's shortfall as violation, like a bound (scaled to weight units).
  std::vector<std::vector<double>> floor_values;
  std::vector<double> floor_minimum;
  std::uint32_t size() const { return static_cast<std::uint32_t>(weight.size()); }
};

/// Inclusive bounds on a part's weight used by the solver.
struct Bounds {
  double lo = 0;
  double hi = 0;
};

struct SolveOptions {
  std::int32_t parts = 1;
  Bounds bounds;
  std::uint64_t seed = 1;
  int tries = 1;           ///< independent randomised initial partitions, best kept
  int stall_tries = 0;     ///< stop after this many tries in a row without a new best (0: never)
  double time_limit_s = 0; ///< > 0: keep trying past `tries` until this many seconds
  bool use_metis = true;   ///< false: region-growing initial partition only (tests)
  /// METIS' recursive bisection (one cut) instead of its k-way partitioner for the initial
  /// partition: k-way runs four recursive bisections and its own refinement, which the
  /// solver's tries and refinement repeat; cheaper where many tries add up.
  bool recursive_initial = false;
  /// Multilevel: graphs with more than this many vertices per part are coarsened (heavy-edge
  /// matching) to about that many per part, METIS' recursive bisection divides the coarsest
  /// graph once, and every level is repaired and refined on the way back (0: never; METIS
  /// then divides the whole graph, see recursive_initial).
  int coarsen_per_part = 0;
  int greedy_passes = 4; ///< sweeps of greedy positive-gain moves
  int search_rounds = 1; ///< rounds of localized FM searches from every boundary vertex
  int patience = 8;      ///< moves without a new best before a search rolls back
  /// > 0: searches start only at boundary vertices whose best move loses at most this many
  /// mean edge costs (0: at every boundary vertex).
  double search_seed_loss = 0;
  std::function<void(double)> progress; ///< fraction of this component's work
};

/// Partitions a connected graph into options.parts non-empty connected parts (parts is
/// clamped to the vertex count), as balanced within bounds as it can, minimising the total
/// cut cost. Deterministic for a seed. Returns part ids 0..parts-1 per vertex.
std::vector<std::int32_t> solve_component(const WorkGraph& g, const SolveOptions& options);

/// Sum of bound violations: sum over parts of max(0, W-hi) + max(0, lo-W).
double total_violation(const WorkGraph& g, const std::vector<std::int32_t>& part,
                       std::int32_t parts, Bounds bounds);

/// Total cost of cut edges (each undirected edge once).
double cut_cost(const WorkGraph& g, const std::vector<std::int32_t>& part);

/// One coarsening step: `graph` contracts the finer graph; coarse_of[v] is the coarse vertex
/// of fine vertex v. Every coarse vertex is one fine vertex or two adjacent ones.
struct CoarseLevel {
  WorkGraph graph;
  std::vector<std::uint32_t> coarse_of;
};

/// Heavy-edge matching contraction of g (partition_coarsen.cpp): no pair heavier than
/// max_weight is formed; weights, secondary fields, floor values and the costs of parallel
/// edges are summed. Deterministic for a seed.
CoarseLevel coarsen(const WorkGraph& g, double max_weight, std::uint64_t seed);

/// Initial partitions (no guarantees: may be unbalanced or disconnected). metis_initial:
/// k-way (recursive = false) or recursive bisection; ok = false when METIS failed.
std::vector<std::int32_t> metis_initial(const WorkGraph& g, std::int32_t parts, Bounds bounds,
                                        std::uint64_t seed, bool recursive, bool& ok);
std::vector<std::int32_t> grow_initial(const WorkGraph& g, std::int32_t parts, std::uint64_t seed);

/// Floors as constraints after a division (partition() and rebalance() call it).
struct FloorRepairSpec {
  /// Per UnitGraph::secondary index: every part should hold at least this much (0 = none).
  std::vector<double> minimum;
  /// Bounds on a part's weight: no move or swap increases the two parts' total violation
  /// of [lo, hi].
  double lo = 0, hi = 0;
  bool hard_barriers = false;       ///< parts connect through non-barrier edges only
  std::vector<std::uint8_t> locked; ///< per part id, 1 = never changed (may be shorter)
};

/// Lifts parts below a floor: repeatedly applies the best move of one item (a unit, or
/// the units of one compound in one part) from an adjacent part into a part short of a
/// floor, or, when the bounds block every move, the best swap of two items between the
/// two parts; each accepted change strictly lowers the total relative shortfall
/// sum_parts sum_k max(0, 1 - S_k/minimum_k), does not raise the bound violation of the
/// parts involved, and does not add a connected piece to either part (over allowed
/// edges). Ties: larger shortfall reduction, then shorter boundary (edge_length), then
/// lower vertex ids, so the result is deterministic. Vertices with part -1 and locked parts
/// never change. Returns the number of changes applied.
std::size_t repair_floors(const UnitGraph& g, std::vector<std::int32_t>& part,
                          const FloorRepairSpec& spec);

/// A division judged against floors and bounds: total relative shortfall (as above) and
/// total bound violation over parts 0..max(part).
struct FloorState {
  double shortfall = 0;
  double bound_violation = 0;
};
FloorState floor_state(const UnitGraph& g, const std::vector<std::int32_t>& part,
                       const FloorRepairSpec& spec);

} // namespace gp::planner::detail
