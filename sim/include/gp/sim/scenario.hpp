#pragma once
// A staffing scenario: demand, request categories, worker types and shifts, travel,
// routine duties, dispatch and escalation rules, the satisfaction model and service
// norms. Read from human-edited TOML files that may inherit from a base file; the
// defaults below are those of data/scenarios/base.toml (sources in docs/design/simulator.md).

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gp::sim {

enum class HandlingDistribution { exponential, lognormal, fixed };

/// A request category (诉求类别).
struct Category {
  std::string name;
  double share = 0; ///< fraction of all requests (shares are normalised)
  HandlingDistribution distribution = HandlingDistribution::lognormal;
  double handling_minutes = 60;      ///< mean on-site handling time of a grid worker
  double handling_cv = 0.8;          ///< coefficient of variation (lognormal only)
  double deadline_hours = 168;       ///< time limit for completion (限时办结)
  double department_probability = 0; ///< chance the request must go to a department
  double department_hours = 72;      ///< mean department response time (lognormal, cv 0.5)
  /// The department (职能部门) its escalated cases go to: a key of
  /// Scenario::department_capacities, or empty for the shared pool.
  std::string department;
  /// Relative weight among cases found by workers on patrols and visits (巡查发现,
  /// 走访发现); < 0 (the default) = the same as `share`.
  double found_share = -1;
};

/// A weekly shift: days of the week (0 = Monday) and hours [start, end) of the day.
/// end <= start means the shift runs past midnight.
struct Shift {
  std::string name;
  std::array<bool, 7> days{};
  double start_hour = 8.5;
  double end_hour = 17.5;
};

/// A kind of grid worker (专职网格员, 兼职网格员, 楼门长, 志愿者, 下沉干部 ...).
struct WorkerType {
  std::string name;                    ///< key in the scenario file, e.g. "full_time"
  std::string label;                   ///< human name
  int per_cell = 0;                    ///< workers of this type in every cell
  int dispatch_rank = 0;               ///< lower ranks are asked first when several are free
  std::vector<std::string> shifts;     ///< names of Shift entries; empty = always on duty
  double speed_kmh = 4.5;              ///< travel speed (walking 4.5, e-bike 15)
  double annual_cost_yuan = 0;         ///< salary + social insurance + equipment, per worker
  std::vector<std::string> handles;    ///< category names; empty = all categories
  bool does_visits = true;             ///< takes part in household visits (走访入户)
  double patrol_minutes_per_shift = 0; ///< patrol at the start of every shift
};

struct Scenario {
  std::string name = "baseline";
  std::string description;
  std::string source_file; ///< the file it was read from ("" when built in code)
  /// The files `inherits` pulled in, nearest base first, as paths usable from the current
  /// directory (empty when built in code or nothing is inherited). With source_file these
  /// are all the files the scenario was read from, so that no output may replace one.
  std::vector<std::string> inherited_files;

  // Demand
  double requests_per_household_year = 1.4;
  std::array<double, 24> hourly_profile{}; ///< relative arrival intensity by hour of day
  std::array<double, 7> weekday_profile{}; ///< relative intensity Monday..Sunday
  std::vector<Category> categories;

  // Staff
  std::vector<Shift> shifts;
  std::vector<WorkerType> worker_types;
  /// Per-cell overrides: cell code -> worker type -> count (replaces per_cell).
  std::map<std::string, std::map<std::string, int>> cell_overrides;

  // Travel at the worker type's speed over a distance given by `travel_model`:
  // road = shortest path on the plan's road network (access to the nearest road node at
  // both ends) when the plan has roads, else (no roads, or the two points not connected)
  // straight = straight-line distance x detour factor.
  enum class TravelModel { road, straight };
  bool travel = true;
  TravelModel travel_model = TravelModel::road;
  double detour_factor = 1.3;
  /// Road model: a dead end of the road lines is joined to another part of the network
  /// within this distance (lanes that stop short of the main road); 0 = never.
  double road_connect_gap_m = 150;

  // Cases found by workers (巡查发现上报, 走访发现): each hour of patrol finds
  // `patrol_cases_per_hour` cases on average (Poisson), each household visited has a case
  // with `visit_case_probability`; found cases are dispatched like residents' requests.
  double patrol_cases_per_hour = 0.25;
  double visit_case_probability = 0.02;

  // Routine duties
  double visit_period_days = 90; ///< every household visited once per period
  double visit_minutes_per_household = 15;
  double visit_block_minutes = 60; ///< visits are done in blocks of about this length

  // Dispatch and escalation (居民点单、组织派单、吹哨报到)
  bool neighbour_help = true; ///< neighbouring cells of the same community help
  int max_neighbours = 6;
  /// A request still waiting after this fraction of its deadline goes to a department.
  /// <= 0 disables deadline escalation.
  double escalate_at_fraction = 0.5;
  bool earliest_deadline_first = true; ///< else first come, first served
  /// Departments (职能部门) as one pool of `department_capacity` cases handled at once
  /// (0 = unlimited: every case starts at once). A case waits first come, first served
  /// for a free place, then takes its category's department_hours (mean) drawn from
  /// `department_distribution` (lognormal with `department_cv`, exponential or fixed).
  int department_capacity = 0;
  /// Departments of their own ([departments.capacity_of] name = places, 0 = unlimited):
  /// the cases of categories naming one wait for its places only.
  std::map<std::string, int> department_capacities;
  HandlingDistribution department_distribution = HandlingDistribution::lognormal;
  double department_cv = 0.5;
  /// A freed worker serves its own cell's queue before neighbours' (else one shared
  /// order over all queues it may serve, as in Larson's hypercube model).
  bool own_cell_first = true;

  // Resident rating: full satisfaction up to full_fraction x deadline, linear down to
  // at_deadline at the deadline, linear to 0 at zero_at_multiple x deadline.
  double satisfaction_full_fraction = 0.5;
  double satisfaction_at_deadline = 0.6;
  double satisfaction_zero_at_multiple = 2.0;

  // Closure (评单, 回访): a request a worker finished is closed by the resident's rating
  // (with probability rated_share) or else after a return visit of return_visit_minutes
  // by the same worker. A rating (the satisfaction above) below rework_below sends the
  // case back for rework with probability rework_probability (at most 3 times); rework
  // takes rework_fraction of the handling time. Defaults change nothing.
  double rated_share = 1.0;
  double return_visit_minutes = 10;
  double rework_below = 0.6;
  double rework_probability = 0;
  double rework_fraction = 0.5;

  // Service norms (15分钟服务圈, 20 m² per 100 households)
  double walk_radius_m = 1000;
  double floor_area_m2_per_100_households = 20;

  // Run defaults (command-line options override)
  double days = 365;
  double warmup_days = 7;
  int replications = 20;
  unsigned long long seed = 1;

  /// The built-in defaults (identical to data/scenarios/base.toml).
  static Scenario defaults();
  /// Throws gp::InputError(source_file, ...) when values are inconsistent.
  void validate() const;
  const WorkerType* find_type(const std::string& type_name) const;
  /// Annual staff cost of one cell with the given per-type counts.
  double annual_cost(const std::map<std::string, int>& counts) const;
};

/// Largest scenario file (and each file it inherits from) read, in bytes.
inline constexpr std::uintmax_t kMaxScenarioFileBytes = 1 << 20;

/// Reads a scenario file (TOML). The file and every file it inherits from must be a
/// regular file of at most kMaxScenarioFileBytes (directories, FIFOs and devices such as
/// /dev/zero are refused with gp::InputError before they are read). `inherits = "base.toml"`
/// (relative to the file) pulls in a base whose keys the file overrides one by one (tables merge
/// key by key, arrays and values replace). Unknown keys and bad values throw gp::InputError naming
/// the file and the line: "more.toml: line 12: workers.volunteer.per_cell: must be >= 0 (got -2)".
Scenario load_scenario(const std::string& path);

/// Parses scenario text; `name_for_errors` is used as the file name in messages and
/// `base_dir` resolves `inherits`.
Scenario parse_scenario(const std::string& text, const std::string& name_for_errors,
                        const std::string& base_dir);

} // namespace gp::sim
