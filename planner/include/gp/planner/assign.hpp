#pragma once
// Pairing organisations with communities or grid cells (对口联系, 双报到): every target gets
// a number of organisations near a target count (default 6), help capacity in proportion to
// its need, organisations nearest first with a penalty per administrative boundary crossed.
// Nearest first is solved exactly as a min-cost max-flow (Boost.Graph, successive shortest
// paths); capacity balance by pricing over such flows plus exchanges (see assign()). The same
// solver places individual cadres (下沉干部) into cells. The pairing file's layer and field
// names are spelled here and nowhere else. The model and its cost are documented in
// docs/user/assign.md. Coordinates are in one metric CRS (metres).

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gp/geo/geometry.hpp"
#include "gp/geo/table.hpp"

namespace gp::planner {

// --- The pairing file's schema --------------------------------------------------------------

namespace assign_file {
namespace layer {
inline constexpr const char* pairings = "pairings"; ///< lines organisation -> target
inline constexpr const char* balance = "balance";   ///< attribute table, one row per target
} // namespace layer
namespace field {
inline constexpr const char* org_id = "org_id";
inline constexpr const char* org_name = "org_name";
inline constexpr const char* target_code = "target_code";
inline constexpr const char* target_name = "target_name";
inline constexpr const char* distance_m = "distance_m"; ///< straight line, metres
inline constexpr const char* crossings = "crossings";   ///< administrative boundaries crossed
inline constexpr const char* capacity = "capacity";     ///< capacity the pairing carries
inline constexpr const char* cost = "cost";             ///< the pairing's cost (metres)
inline constexpr const char* need = "need";
inline constexpr const char* count = "count";
inline constexpr const char* ideal_count = "ideal_count";
inline constexpr const char* ideal_capacity = "ideal_capacity";
inline constexpr const char* capacity_ratio = "capacity_ratio"; ///< capacity / ideal_capacity
} // namespace field
} // namespace assign_file

// --- Input -----------------------------------------------------------------------------------

/// An organisation (驻区单位, 机关, resident organisation) or an individual cadre.
struct Organisation {
  std::string id;
  std::string name;
  geo::Point location;   ///< where it is (metres, the targets' CRS)
  double capacity = 0;   ///< help capacity (staff, party members, budget ...); >= 0
  std::string area_code; ///< administrative code of the area it lies in; "" when outside all
  /// Targets this organisation should go to (indices into the targets); empty = no
  /// preference. Other targets cost AssignOptions::preferred_penalty_m more.
  std::vector<std::size_t> preferred;
};

/// A community or a grid cell to pair organisations with.
struct AssignTarget {
  std::string code;
  std::string name;
  geo::Point location;   ///< a representative point inside it
  double need = 0;       ///< population, households, area, workload ...; >= 0
  std::string area_code; ///< administrative code (a community's own code; a cell's community)
};

/// How many organisations each target gets.
enum class CountRule {
  equal, ///< every target per_target (rounded; the remainder to the neediest)
  need   ///< in proportion to need, per_target on average (largest remainder)
};

struct AssignOptions {
  double per_target = 6; ///< organisations per target (CountRule::equal) or on average
  CountRule count_rule = CountRule::equal;
  /// Most targets one organisation pairs with (0 = no limit beyond the number of targets).
  int max_per_org = 0;
  /// Cost of crossing one administrative boundary, in metres of distance.
  double boundary_penalty_m = 1500;
  /// Code prefix lengths of the administrative levels whose boundaries count; two codes
  /// cross one boundary per level whose prefixes differ (default: district = 6 digits,
  /// street = 9 digits of Beijing's codes).
  std::vector<std::size_t> boundary_levels = {6, 9};
  /// Weight of capacity balance: metres of pair cost worth one mean pairing's capacity of
  /// deviation from a target's ideal capacity. 0 = nearest first only (exact).
  double capacity_weight_m = 1000;
  /// Pricing steps spent on capacity balance (see assign()).
  int balance_steps = 60;
  /// Pairs farther apart than this are not considered (0 = no limit).
  double max_distance_m = 0;
  /// Extra cost of a target outside an organisation's `preferred` list.
  double preferred_penalty_m = 5000;
};

// --- Result ----------------------------------------------------------------------------------

struct Pairing {
  std::size_t org = 0;    ///< index into the organisations
  std::size_t target = 0; ///< index into the targets
  double distance_m = 0;
  int crossings = 0;
  double capacity = 0;   ///< the organisation's capacity / its number of pairings
  std::int64_t cost = 0; ///< integer cost of the pairing (metres), as optimised
};

struct TargetBalance {
  double need = 0;
  int count = 0;             ///< organisations paired with it
  int ideal_count = 0;       ///< demanded by the count rule
  double capacity = 0;       ///< sum of the pairings' capacity
  double ideal_capacity = 0; ///< total capacity x need / total need
};

struct AssignSummary {
  std::size_t organisations = 0, targets = 0, pairings = 0;
  std::size_t unfilled = 0;    ///< demanded pairings that could not be made
  std::size_t unused_orgs = 0; ///< organisations with no pairing
  int count_min = 0, count_max = 0;
  /// Capacity / ideal over targets with need > 0: min, 10th and 90th percentile, max.
  double capacity_ratio_min = 0, capacity_ratio_p10 = 0, capacity_ratio_p90 = 0,
         capacity_ratio_max = 0;
  double mean_distance_m = 0, max_distance_m = 0;
  std::size_t crossing_pairings = 0; ///< pairings crossing at least one boundary
  std::int64_t cost = 0;             ///< total pair cost
  double objective = 0; ///< cost + capacity_weight x sum |capacity - ideal| / mean per pairing
  double seconds = 0;
};

struct Assignment {
  std::vector<Pairing> pairings; ///< sorted by target, then organisation
  std::vector<TargetBalance> targets;
  std::vector<int> org_slots;    ///< pairings offered per organisation
  std::vector<int> org_pairings; ///< pairings made per organisation
  AssignSummary summary;
};

/// Pairs organisations with targets (model in docs/user/assign.md): target t demands D_t
/// pairings by the count rule; organisation o offers k_o pairings (one each, the rest one at
/// a time to the organisation with the most capacity per pairing, at most max_per_org and the
/// number of targets) and brings capacity_o / k_o to each; each pair (o, t) at most once with
/// pair cost
///   round(distance + boundary_penalty_m x crossings
///         + preferred_penalty_m when t is not among o's preferred targets).
/// The result makes as many pairings as possible. With capacity_weight_m = 0 it has the least
/// total pair cost among those, exactly (one min-cost max-flow). Otherwise it minimises the
/// objective pair cost + capacity_weight_m x sum_t |capacity_t - ideal_t| / mean capacity
/// per pairing by Lagrangian pricing: balance_steps exact min-cost flows with a price per unit
/// of capacity at each target moved by the subgradient; the best objective seen is kept and
/// then improved by exchanging the targets of two pairings (or handing a pairing to an
/// organisation with an unused offer) while that helps. Never worse than the nearest-first
/// optimum; not always the global optimum.
/// Deterministic. Demand that cannot be met is a value (summary.unfilled), not an error.
/// Throws UsageError for bad options and for a negative or non-finite capacity or need
/// (naming the organisation or target).
Assignment assign(const std::vector<Organisation>& orgs, const std::vector<AssignTarget>& targets,
                  const AssignOptions& options);

/// Boundaries crossed between two administrative codes: the number of `levels` (prefix
/// lengths) at which the codes differ. An empty code (outside every area) crosses all.
int boundary_crossings(const std::string& a, const std::string& b,
                       const std::vector<std::size_t>& levels);

/// The exact core: a bipartite transportation problem with unit arcs. Row i (supply[i]
/// pairings) may be paired with column j (demand[j] pairings) at most once, at cost
/// cost[i * columns + j] >= 0, or not at all when that cost is negative.
struct PairingProblem {
  std::vector<int> supply;
  std::vector<int> demand;
  std::vector<std::int64_t> cost; ///< rows x columns, row-major; < 0 = no arc
};

struct PairingSolution {
  std::vector<std::pair<std::size_t, std::size_t>> pairs; ///< (row, column), sorted
  std::int64_t flow = 0;                                  ///< number of pairs: the most possible
  std::int64_t cost = 0; ///< least total cost among solutions with that many pairs
};

/// Min-cost max-flow (Boost.Graph successive_shortest_path_nonnegative_weights).
/// Throws UsageError when sizes disagree, a supply/demand is negative or the arc costs add up
/// to 2^53 or more (beyond what the solver holds exactly).
PairingSolution solve_pairing(const PairingProblem& problem);

/// The pairing file's layers: `pairings` (lines organisation -> target, fields above) and
/// `balance` (one row per target: code, name, need, count, ideal_count, capacity,
/// ideal_capacity, capacity_ratio).
std::vector<geo::Layer> assignment_layers(const std::vector<Organisation>& orgs,
                                          const std::vector<AssignTarget>& targets,
                                          const Assignment& result);

/// The summary as pretty JSON (AssignSummary keys; with `per_target`, the balance rows).
std::string assignment_json(const std::vector<AssignTarget>& targets, const Assignment& result,
                            bool per_target);
/// The summary as a few lines for a terminal.
std::string assignment_text(const Assignment& result);

} // namespace gp::planner
