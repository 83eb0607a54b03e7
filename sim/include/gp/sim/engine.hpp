#pragma once
// The discrete-event simulation of one scenario over one plan, replicated.
//
// Independence: cells that share no dispatch group (no worker serves both) and no
// department pool of finite capacity are simulated as separate event streams, one per
// such component (in practice one per community); their statistics are streamed (each
// request counted when it closes) and added up in a fixed order.
//
// Determinism: events are ordered by (time, sequence number); every component of every
// replication draws from its own xoshiro256++ streams (gp::FastRng) seeded from (seed,
// replication index, stream, hash of the component's first cell code) and samples its
// distributions with gridplan's own code (no std:: distributions), so the results are
// identical for identical inputs and seed, whatever the thread count, and a community's
// results do not depend on which other communities are simulated with it.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gp/core/ranks.hpp"
#include "gp/sim/model.hpp"
#include "gp/sim/scenario.hpp"
#include "gp/sim/stats.hpp"

namespace gp::sim {

/// Limits on a run (10 years measured, 10 years of warm-up, 10,000 replications): larger
/// values are refused with gp::UsageError rather than ending in "out of memory".
inline constexpr double kMaxDays = 3650;
inline constexpr double kMaxWarmupDays = 3650;
inline constexpr int kMaxReplications = 10000;

struct RunOptions {
  double days = 365;      ///< measured days (after the warm-up)
  double warmup_days = 7; ///< simulated first and not measured
  int replications = 20;
  unsigned long long seed = 1;
  int threads = 0; ///< 0 = all hardware threads
  /// The processes sharing the replications (not owned; null = this process alone). With
  /// several ranks every rank must call simulate with the same inputs: replications are
  /// dealt to the ranks and every rank gets the same result as one process computes.
  const Ranks* ranks = nullptr;
  /// Fraction of replications done in [0,1]; called from the calling thread only.
  std::function<void(double fraction, const std::string& label)> progress;
};

/// A metric's value in every replication and its estimate.
struct Metric {
  std::string name;
  std::string unit;
  std::vector<double> samples; ///< one per replication, NaN when undefined there
  Estimate value;
};

/// Names of the per-cell metrics, in CellResult::metrics order.
/// requests_per_day, p50_response_h, p90_response_h, mean_response_h, on_time_share,
/// escalation_rate, deadline_escalation_rate, served_outside_share, utilisation,
/// visit_coverage, satisfaction, backlog_end, overtime_share.
/// utilisation = busy time within duty hours / duty hours (never above 1);
/// overtime_share = busy time outside duty hours (jobs running past the end of a shift)
/// / duty hours.
const std::vector<std::string>& cell_metric_names();

struct CellResult {
  std::string cell_code;
  std::string area_code;
  double households = 0;
  int workers = 0;
  double staff_cost_yuan = 0;        ///< per year
  double households_within_walk = 0; ///< share within the walk radius of a station
  std::vector<Metric> metrics;       ///< cell_metric_names() order
  const Metric& metric(const std::string& name) const; ///< throws std::out_of_range
};

/// The road network of the travel model, as built for a run.
struct RoadSummary {
  bool used = false; ///< false: straight line x detour (no roads, or travel model straight)
  std::size_t nodes = 0, edges = 0, components = 0;
  double buildings_on_main_share = 0;  ///< buildings snapped to the main component
  double households_on_main_share = 0; ///< the same weighted by households
};

/// Below this share of trips routed on the road network a run carries a warning.
inline constexpr double kMinRoutedShare = 0.9;

struct SimulationResult {
  std::string scenario_name;
  RunOptions options;
  /// Whole-plan metrics: those of the cells plus p_wait, mean_wait_h, mean_in_system,
  /// mean_queue, mean_busy_workers, arrival_rate_per_h, mean_service_h, mean_sojourn_h,
  /// littles_law_gap (L - lambda W, relative), events, road_routed_share (trips between
  /// two places routed on the road network rather than straight line x detour; NaN
  /// without a road network).
  std::vector<Metric> overall;
  std::vector<CellResult> cells;
  std::vector<Metric> utilisation_by_type; ///< name = worker type
  /// Cases in progress / capacity of each department of finite capacity: "pool" (the
  /// shared one) and those of [departments.capacity_of].
  std::vector<Metric> utilisation_by_department;
  std::vector<Estimate> backlog_by_day; ///< open requests at the end of each day
  double annual_staff_cost_yuan = 0;
  double cost_per_household_yuan = 0;
  double households = 0;
  int workers = 0;
  double walk_coverage_share = 0; ///< households within walk radius of a station
  double station_floor_area_m2 = 0;
  double station_floor_area_norm_m2 = 0; ///< households / 100 x norm
  std::uint64_t events = 0;              ///< events processed over all replications
  double engine_seconds = 0;             ///< wall time of the replications
  RoadSummary roads;
  /// Expected yearly workload per building in worker hours (`workload_h`), indexed like
  /// SimPlan::buildings (one per cell, in cell order, when the plan has none): the mean
  /// over replications of the worker time within the measured window, x 365 / days.
  /// Attribution: a request's travel to the building, its handling and return visits go to
  /// the building it came from (raised or found there); a cell's household visits and
  /// patrols go to its buildings in proportion to households (cells without households
  /// attribute theirs to none). Summed over all buildings it is the workers' busy time,
  /// on duty and overtime, per year (less patrols of cells without households).
  std::vector<double> building_workload_h;
  std::vector<std::int64_t> building_unit; ///< per building: SimBuilding::unit
  /// Each rank's share of the replications (jobs = size = replications run, seconds).
  std::vector<RankShare> rank_shares;
  /// Conditions the user should know of (e.g. few trips routed on the road network).
  std::vector<std::string> warnings;

  const Metric& metric(const std::string& name) const; ///< throws std::out_of_range
};

/// Throws gp::UsageError naming the flag when days, warm-up or replications are out of
/// range (see kMaxDays and friends).
void check_run_limits(const RunOptions& options);

/// Runs the replications (in parallel threads). Per-cell worker counts come from the
/// scenario (per_cell, cell_overrides) unless `cell_counts` is given: then
/// cell_counts[cell][type index] replaces them.
/// Throws gp::InputError when plan or scenario are inconsistent.
SimulationResult simulate(const SimPlan& plan, const Scenario& scenario, const RunOptions& options,
                          const std::vector<std::vector<int>>* cell_counts = nullptr);

/// Worker counts per cell and type index the scenario implies for the plan.
std::vector<std::vector<int>> scenario_cell_counts(const SimPlan& plan, const Scenario& scenario);

} // namespace gp::sim
