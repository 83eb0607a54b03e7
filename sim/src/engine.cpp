#include "gp/sim/engine.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "gp/core/bytes.hpp"
#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "random.hpp"
#include "road_network.hpp"

namespace gp::sim {
namespace {

using detail::AliasTable;
using detail::Rng;

constexpr double kWeekHours = 168;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-cell metric slots, in cell_metric_names() order.
enum CellSlot : std::size_t {
  kRequestsPerDay,
  kP50,
  kP90,
  kMeanResponse,
  kOnTime,
  kEscalation,
  kDeadlineEscalation,
  kOutside,
  kUtilisation,
  kVisitCoverage,
  kSatisfaction,
  kBacklogEnd,
  kOvertime,
  kCellSlots
};

const std::vector<std::string> kCellMetricUnits = {"1/day", "h",        "h",     "h",     "share",
                                                   "share", "share",    "share", "share", "share",
                                                   "0-1",   "requests", "share"};

// Overall-only metrics appended after the cell slots.
const std::vector<std::pair<std::string, std::string>> kExtraMetrics = {
    {"p_wait", "share"},
    {"mean_wait_h", "h"},
    {"mean_in_system", "requests"},
    {"mean_queue", "requests"},
    {"mean_busy_workers", "workers"},
    {"arrival_rate_per_h", "1/h"},
    {"mean_service_h", "h"},
    {"mean_sojourn_h", "h"},
    {"littles_law_gap", "relative"},
    {"busy_law_gap", "relative"},
    {"events", "events"},
    {"road_routed_share", "share"},
    {"department_requests_per_day", "1/day"},
    {"department_busy", "cases"},
    {"department_utilisation", "share"},
    {"department_p_wait", "share"},
    {"department_wait_h", "h"},
    {"deadline_share_of_escalations", "share"},
    {"found_cases_per_day", "1/day"},
    {"found_share", "share"},
    {"rework_rate", "share"},
    {"return_visit_share", "share"}};

// ------------------------------------------------------------------------------------
// What every replication shares (read-only).

struct TypeSpec {
  std::uint32_t handle_mask = 0; // bit per category
  double speed_m_per_h = 4500;
  bool always_on = true;
  bool never_on = false;
  /// Merged on-duty intervals of one week, sorted, disjoint and separated by gaps, starts
  /// in [0, 168). The last one may end after 168: a duty that runs over the end of the
  /// week (Sunday night into Monday) is one interval, so it is never cut at the boundary.
  std::vector<std::pair<double, double>> week;
  double patrol_h = 0;
  bool does_visits = false;

  /// The first duty interval (absolute hours) that ends after `time`.
  std::pair<double, double> next_interval(double time) const {
    const double base = std::floor(time / kWeekHours) * kWeekHours;
    for (int k = -1; k <= 1; ++k) {
      const double w = base + k * kWeekHours;
      for (const auto& [a, b] : week)
        if (w + b > time) return {w + a, w + b};
    }
    return {base + 2 * kWeekHours, base + 2 * kWeekHours}; // unreachable: week not empty
  }

  /// Exact duty time within [from, to) in hours.
  double duty_overlap(double from, double to) const {
    if (!(to > from) || never_on) return 0;
    if (always_on) return to - from;
    double sum = 0;
    const auto first = static_cast<std::int64_t>(std::floor(from / kWeekHours)) - 1;
    const auto last = static_cast<std::int64_t>(std::floor(to / kWeekHours));
    for (std::int64_t k = first; k <= last; ++k) {
      const double w = static_cast<double>(k) * kWeekHours;
      for (const auto& [a, b] : week) {
        const double lo = std::max(from, w + a), hi = std::min(to, w + b);
        if (hi > lo) sum += hi - lo;
      }
    }
    return sum;
  }
};

struct CategorySpec {
  HandlingDistribution distribution;
  double handling_h, cv, deadline_h, department_p, department_h;
  std::uint32_t department = 0; ///< index into Prepared::dept_capacity
};

struct Prepared {
  std::vector<SimBuilding> buildings;
  std::vector<std::uint32_t> building_group;
  std::vector<std::vector<std::uint32_t>> group_cells;
  std::vector<std::vector<std::uint32_t>> cell_groups;
  std::vector<std::vector<std::uint32_t>> cell_workers; // by (rank, id)
  std::vector<std::uint32_t> worker_cell, worker_type;
  std::vector<TypeSpec> types;
  std::vector<CategorySpec> categories;
  AliasTable building_alias, category_alias, found_category_alias;
  std::vector<std::vector<std::uint32_t>> cell_buildings;
  double patrol_rate_per_h = 0, visit_case_p = 0;
  double rated_p = 1, return_visit_h = 0, rework_below = 0, rework_p = 0, rework_fraction = 1;
  double mean_rate_per_h = 0;
  std::array<double, 168> intensity{};
  double max_intensity = 1;
  bool flat_intensity = true;       ///< the same rate at every hour: no thinning
  std::vector<double> visit_target; // households per period, per cell
  std::vector<geo::Point> cell_centre;
  double visit_period_h = 0, visit_h_per_household = 0;
  std::uint32_t visits_per_block = 1;
  double detour = 1.3;
  bool travel = true;
  /// Road network (null: straight-line model) and the snaps of buildings and cell centres.
  std::shared_ptr<const RoadNetwork> roads;
  std::vector<RoadSnap> building_snap, centre_snap;
  RoadSummary road_summary;
  bool edf = true;
  bool own_first = true;
  double escalate_fraction = 0;
  /// Places of each department (0 = unlimited); department 0 is the shared pool, the
  /// others are named in dept_names[1..] (a category's CategorySpec::department).
  std::vector<std::uint32_t> dept_capacity{0};
  std::vector<std::string> dept_names{"pool"};
  HandlingDistribution dept_distribution = HandlingDistribution::lognormal;
  double dept_cv = 0.5;
  double sat_full = 0.5, sat_at_deadline = 0.6, sat_zero = 2;
  double warm_h = 0, end_h = 0, days = 0;
  std::size_t cells = 0;
  /// Of a component (see split_components): its cells' indices in the whole plan, and the
  /// key its random streams are seeded with (a hash of its first cell's code, so a
  /// component draws the same numbers whatever the order of the input).
  std::vector<std::uint32_t> global_cell, global_building;
  std::uint64_t key = 0;
};

void week_intervals(const Scenario& sc, const WorkerType& t, TypeSpec& spec) {
  if (t.shifts.empty()) return;
  std::vector<std::pair<double, double>> raw;
  for (const auto& name : t.shifts) {
    const Shift* shift = nullptr;
    for (const auto& s : sc.shifts)
      if (s.name == name) shift = &s;
    if (!shift) continue; // validate() rejects unknown names
    for (int d = 0; d < 7; ++d) {
      if (!shift->days[static_cast<std::size_t>(d)]) continue;
      const double a = d * 24.0 + shift->start_hour;
      double b = d * 24.0 + shift->end_hour;
      if (b <= a) b += 24;
      if (b <= kWeekHours) {
        raw.emplace_back(a, b);
      } else {
        raw.emplace_back(a, kWeekHours);
        raw.emplace_back(0, b - kWeekHours);
      }
    }
  }
  std::sort(raw.begin(), raw.end());
  for (const auto& iv : raw) {
    if (!(iv.second > iv.first)) continue;
    if (!spec.week.empty() && iv.first <= spec.week.back().second)
      spec.week.back().second = std::max(spec.week.back().second, iv.second);
    else
      spec.week.push_back(iv);
  }
  spec.always_on =
      spec.week.size() == 1 && spec.week[0].first <= 0 && spec.week[0].second >= kWeekHours;
  if (spec.always_on) {
    spec.week.clear();
    return;
  }
  if (spec.week.empty()) {
    spec.never_on = true;
    return;
  }
  // Close the week into a circle: a duty ending at Sunday 24:00 and one starting at Monday
  // 00:00 are one continuous duty. Keep it as one interval that ends after 168, so that
  // the worker's shift does not end (and restart) at the week boundary.
  if (spec.week.size() > 1 && spec.week.front().first <= 0 &&
      spec.week.back().second >= kWeekHours) {
    spec.week.back().second = kWeekHours + spec.week.front().second;
    spec.week.erase(spec.week.begin());
  }
}

Prepared prepare(const SimPlan& plan, const Scenario& sc, const RunOptions& opt,
                 const std::vector<std::vector<int>>& counts) {
  Prepared p;
  const std::size_t n = plan.cells.size();
  p.cells = n;
  p.buildings = plan.buildings;
  if (p.buildings.empty()) {
    for (std::size_t c = 0; c < n; ++c) {
      SimBuilding b;
      b.position = plan.cells[c].centroid;
      b.households = plan.cells[c].households;
      b.cell = static_cast<std::uint32_t>(c);
      p.buildings.push_back(b);
    }
  }
  // Dispatch lists: own cell, then same-community neighbours nearest first.
  std::vector<std::vector<std::uint32_t>> cell_list(n);
  for (std::size_t c = 0; c < n; ++c) {
    cell_list[c].push_back(static_cast<std::uint32_t>(c));
    if (!sc.neighbour_help) continue;
    std::vector<std::pair<double, std::uint32_t>> near;
    for (auto j : plan.cells[c].neighbours) {
      if (j == c || plan.cells[j].area_code != plan.cells[c].area_code) continue;
      const double d = std::hypot(plan.cells[j].centroid.x - plan.cells[c].centroid.x,
                                  plan.cells[j].centroid.y - plan.cells[c].centroid.y);
      near.emplace_back(d, j);
    }
    std::sort(near.begin(), near.end());
    near.erase(std::unique(near.begin(), near.end()), near.end());
    for (std::size_t k = 0; k < near.size() && static_cast<int>(k) < sc.max_neighbours; ++k)
      cell_list[c].push_back(near[k].second);
  }
  std::map<std::vector<std::uint32_t>, std::uint32_t> group_of;
  std::vector<double> weights;
  for (const auto& b : p.buildings) {
    const auto& list = b.dispatch_order.empty() ? cell_list[b.cell] : b.dispatch_order;
    auto [it, inserted] = group_of.emplace(list, static_cast<std::uint32_t>(p.group_cells.size()));
    if (inserted) p.group_cells.push_back(list);
    p.building_group.push_back(it->second);
    weights.push_back(b.households);
  }
  p.cell_groups.assign(n, {});
  for (std::uint32_t g = 0; g < p.group_cells.size(); ++g) {
    auto cells = p.group_cells[g];
    std::sort(cells.begin(), cells.end());
    cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
    for (auto c : cells) p.cell_groups[c].push_back(g);
  }
  p.building_alias = AliasTable(weights);

  // Categories and types.
  std::vector<double> shares;
  for (const auto& c : sc.categories) {
    p.categories.push_back({c.distribution, c.handling_minutes / 60.0, c.handling_cv,
                            c.deadline_hours, c.department_probability, c.department_hours});
    shares.push_back(c.share);
  }
  if (p.categories.size() > 32) throw InputError(sc.source_file, "at most 32 request categories");
  p.category_alias = AliasTable(shares);
  {
    std::vector<double> found_shares;
    for (const auto& c : sc.categories)
      found_shares.push_back(c.found_share < 0 ? c.share : c.found_share);
    p.found_category_alias = AliasTable(found_shares);
  }
  p.cell_buildings.assign(n, {});
  for (std::uint32_t b = 0; b < p.buildings.size(); ++b)
    p.cell_buildings[p.buildings[b].cell].push_back(b);
  p.patrol_rate_per_h = sc.patrol_cases_per_hour;
  p.visit_case_p = sc.visit_case_probability;
  p.rated_p = sc.rated_share;
  p.return_visit_h = sc.return_visit_minutes / 60.0;
  p.rework_below = sc.rework_below;
  p.rework_p = sc.rework_probability;
  p.rework_fraction = sc.rework_fraction;
  for (const auto& t : sc.worker_types) {
    TypeSpec spec;
    for (std::size_t k = 0; k < sc.categories.size(); ++k) {
      const bool all = t.handles.empty();
      const bool listed =
          std::find(t.handles.begin(), t.handles.end(), sc.categories[k].name) != t.handles.end();
      if (all || listed) spec.handle_mask |= 1u << k;
    }
    spec.speed_m_per_h = t.speed_kmh * 1000;
    spec.patrol_h = t.patrol_minutes_per_shift / 60.0;
    spec.does_visits = t.does_visits;
    week_intervals(sc, t, spec);
    p.types.push_back(std::move(spec));
  }
  // Workers.
  p.cell_workers.assign(n, {});
  for (std::size_t c = 0; c < n; ++c) {
    std::vector<std::pair<int, std::uint32_t>> ranked;
    for (std::size_t t = 0; t < sc.worker_types.size(); ++t) {
      for (int k = 0; k < counts[c][t]; ++k) {
        const auto id = static_cast<std::uint32_t>(p.worker_cell.size());
        p.worker_cell.push_back(static_cast<std::uint32_t>(c));
        p.worker_type.push_back(static_cast<std::uint32_t>(t));
        ranked.emplace_back(sc.worker_types[t].dispatch_rank, id);
      }
    }
    std::sort(ranked.begin(), ranked.end());
    for (const auto& r : ranked) p.cell_workers[c].push_back(r.second);
  }
  // Arrival intensity by hour of the week, normalised to mean 1.
  double sum = 0;
  for (std::size_t h = 0; h < 168; ++h) {
    p.intensity[h] = sc.hourly_profile[h % 24] * sc.weekday_profile[h / 24];
    sum += p.intensity[h];
  }
  if (!(sum > 0))
    throw InputError(sc.source_file, "demand: hourly and weekday profiles are all zero");
  p.max_intensity = 0;
  for (auto& v : p.intensity) {
    v *= 168 / sum;
    p.max_intensity = std::max(p.max_intensity, v);
  }
  p.flat_intensity = std::all_of(p.intensity.begin(), p.intensity.end(),
                                 [&](double v) { return v == p.intensity[0]; });
  double households = 0;
  for (double w : weights) households += w;
  p.mean_rate_per_h = households * sc.requests_per_household_year / 8760.0;

  for (const auto& c : plan.cells) p.cell_centre.push_back(c.centroid);
  p.visit_target.assign(n, 0);
  for (const auto& b : p.buildings) p.visit_target[b.cell] += b.households;
  for (auto& v : p.visit_target) v = std::ceil(v - 1e-9);
  p.visit_period_h = sc.visit_period_days * 24;
  p.visit_h_per_household = sc.visit_minutes_per_household / 60.0;
  p.visits_per_block =
      sc.visit_minutes_per_household > 0
          ? static_cast<std::uint32_t>(
                std::max(1.0, std::floor(sc.visit_block_minutes / sc.visit_minutes_per_household)))
          : 1;
  p.detour = sc.detour_factor;
  p.travel = sc.travel;
  if (sc.travel && sc.travel_model == Scenario::TravelModel::road && !plan.roads.empty()) {
    auto roads = std::make_shared<const RoadNetwork>(plan.roads, 0.5, true, sc.road_connect_gap_m);
    if (!roads->empty()) {
      for (const auto& b : p.buildings) p.building_snap.push_back(roads->snap(b.position));
      for (const auto& c : p.cell_centre) p.centre_snap.push_back(roads->snap(c));
      RoadSummary& rs = p.road_summary;
      rs.used = true;
      rs.nodes = roads->node_count();
      rs.edges = roads->edge_count();
      rs.components = roads->component_count();
      double on_main = 0, hh_main = 0, hh = 0;
      for (std::size_t i = 0; i < p.buildings.size(); ++i) {
        const bool main = roads->on_main_component(p.building_snap[i]);
        on_main += main ? 1 : 0;
        hh_main += main ? p.buildings[i].households : 0;
        hh += p.buildings[i].households;
      }
      rs.buildings_on_main_share =
          p.buildings.empty() ? kNaN : on_main / static_cast<double>(p.buildings.size());
      rs.households_on_main_share = hh > 0 ? hh_main / hh : kNaN;
      p.roads = std::move(roads);
    }
  }
  p.edf = sc.earliest_deadline_first;
  p.own_first = sc.own_cell_first;
  p.escalate_fraction = sc.escalate_at_fraction;
  p.dept_capacity = {static_cast<std::uint32_t>(sc.department_capacity)};
  for (const auto& [name, capacity] : sc.department_capacities) {
    p.dept_names.push_back(name);
    p.dept_capacity.push_back(static_cast<std::uint32_t>(capacity));
  }
  for (std::size_t k = 0; k < sc.categories.size(); ++k) {
    const auto& name = sc.categories[k].department;
    const auto it = std::find(p.dept_names.begin() + 1, p.dept_names.end(), name);
    p.categories[k].department = name.empty() || it == p.dept_names.end()
                                     ? 0
                                     : static_cast<std::uint32_t>(it - p.dept_names.begin());
  }
  p.dept_distribution = sc.department_distribution;
  p.dept_cv = sc.department_cv;
  p.sat_full = sc.satisfaction_full_fraction;
  p.sat_at_deadline = sc.satisfaction_at_deadline;
  p.sat_zero = sc.satisfaction_zero_at_multiple;
  p.warm_h = opt.warmup_days * 24;
  p.days = opt.days;
  p.end_h = p.warm_h + opt.days * 24;
  return p;
}

/// The plan cut into independent components: cells that share a dispatch group (a
/// worker may serve the other's requests) are in one, and a department pool of finite
/// capacity joins everything (requests compete for it). Each component is simulated on its
/// own, with its own event list and random streams: the state of a replication stays small
/// (cache-resident) however large the city.
std::vector<Prepared> split_components(const Prepared& all, const SimPlan& plan) {
  const std::size_t n = all.cells;
  std::vector<std::uint32_t> parent(n);
  for (std::uint32_t c = 0; c < n; ++c) parent[c] = c;
  auto find = [&](std::uint32_t c) {
    while (parent[c] != c) c = parent[c] = parent[parent[c]];
    return c;
  };
  auto join = [&](std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  bool shared_department = false; // a department of finite capacity some category uses
  for (const auto& c : all.categories) shared_department |= all.dept_capacity[c.department] > 0;
  if (shared_department)
    for (std::uint32_t c = 1; c < n; ++c) join(0, c);
  for (const auto& cells : all.group_cells)
    for (auto c : cells) join(cells.front(), c);

  std::vector<std::uint32_t> component(n), local(n);
  std::vector<std::vector<std::uint32_t>> component_cells;
  {
    std::vector<std::int64_t> of_root(n, -1);
    for (std::uint32_t c = 0; c < n; ++c) {
      const auto root = find(c);
      if (of_root[root] < 0) {
        of_root[root] = static_cast<std::int64_t>(component_cells.size());
        component_cells.emplace_back();
      }
      component[c] = static_cast<std::uint32_t>(of_root[root]);
      local[c] = static_cast<std::uint32_t>(component_cells[component[c]].size());
      component_cells[component[c]].push_back(c);
    }
  }
  // What every component shares: the whole preparation without its per-entity tables.
  Prepared shell;
  {
    Prepared copy = all;
    copy.buildings = {};
    copy.building_group = {};
    copy.group_cells = {};
    copy.cell_groups = {};
    copy.cell_workers = {};
    copy.worker_cell = {};
    copy.worker_type = {};
    copy.building_alias = {};
    copy.cell_buildings = {};
    copy.visit_target = {};
    copy.cell_centre = {};
    copy.building_snap = {};
    copy.centre_snap = {};
    shell = std::move(copy);
  }
  std::vector<std::vector<std::uint32_t>> component_buildings(component_cells.size());
  double households = 0;
  for (std::uint32_t b = 0; b < all.buildings.size(); ++b) {
    component_buildings[component[all.buildings[b].cell]].push_back(b);
    households += all.buildings[b].households;
  }
  std::vector<Prepared> parts;
  parts.reserve(component_cells.size());
  std::vector<std::int64_t> group_local(all.group_cells.size(), -1);
  for (std::size_t k = 0; k < component_cells.size(); ++k) {
    Prepared q = shell;
    const auto& cells = component_cells[k];
    q.cells = cells.size();
    q.global_cell = cells;
    std::string_view first = plan.cells[cells.front()].code;
    for (auto c : cells) first = std::min<std::string_view>(first, plan.cells[c].code);
    q.key = fnv1a(first);
    q.cell_workers.assign(cells.size(), {});
    for (std::uint32_t lc = 0; lc < cells.size(); ++lc) {
      const auto gc = cells[lc];
      q.cell_centre.push_back(all.cell_centre[gc]);
      q.visit_target.push_back(all.visit_target[gc]);
      if (!all.centre_snap.empty()) q.centre_snap.push_back(all.centre_snap[gc]);
      for (auto w : all.cell_workers[gc]) {
        q.cell_workers[lc].push_back(static_cast<std::uint32_t>(q.worker_cell.size()));
        q.worker_cell.push_back(lc);
        q.worker_type.push_back(all.worker_type[w]);
      }
    }
    std::vector<double> weights;
    double component_households = 0;
    for (auto b : component_buildings[k]) {
      SimBuilding building = all.buildings[b];
      building.cell = local[building.cell];
      const auto g = all.building_group[b];
      if (group_local[g] < 0) {
        group_local[g] = static_cast<std::int64_t>(q.group_cells.size());
        std::vector<std::uint32_t> group;
        for (auto c : all.group_cells[g]) group.push_back(local[c]);
        q.group_cells.push_back(std::move(group));
      }
      q.building_group.push_back(static_cast<std::uint32_t>(group_local[g]));
      if (!all.building_snap.empty()) q.building_snap.push_back(all.building_snap[b]);
      weights.push_back(building.households);
      component_households += building.households;
      q.buildings.push_back(building);
      q.global_building.push_back(b);
    }
    q.cell_groups.assign(cells.size(), {});
    for (std::uint32_t g = 0; g < q.group_cells.size(); ++g) {
      auto group = q.group_cells[g];
      std::sort(group.begin(), group.end());
      group.erase(std::unique(group.begin(), group.end()), group.end());
      for (auto c : group) q.cell_groups[c].push_back(g);
    }
    q.cell_buildings.assign(cells.size(), {});
    for (std::uint32_t b = 0; b < q.buildings.size(); ++b)
      q.cell_buildings[q.buildings[b].cell].push_back(b);
    q.building_alias = AliasTable(weights);
    q.mean_rate_per_h =
        households > 0 ? all.mean_rate_per_h * component_households / households : 0;
    parts.push_back(std::move(q));
  }
  // Added up in the order of their keys, not of the input.
  std::sort(parts.begin(), parts.end(),
            [](const Prepared& a, const Prepared& b) { return a.key < b.key; });
  return parts;
}

/// A Poisson-distributed count by inversion (one uniform; meant for small means).
std::uint32_t poisson(Rng& rng, double mean) {
  const double u = rng.uniform();
  double p = std::exp(-mean), cdf = p;
  std::uint32_t k = 0;
  while (u > cdf && k < 10000) {
    ++k;
    p *= mean / k;
    cdf += p;
    if (p == 0) break;
  }
  return k;
}

// ------------------------------------------------------------------------------------
// One replication.

enum class EventKind : std::uint32_t {
  job_end,
  escalation,
  department_done,
  shift_start,
  shift_end
};

/// 24 bytes: the kind rides in the low byte of the insertion order.
struct Event {
  double time;
  std::uint64_t order; ///< insertion sequence << 8 | kind
  std::uint32_t id;    ///< worker, request slot or category (escalations)
  EventKind kind() const { return static_cast<EventKind>(order & 0xFF); }
};

// Min-heap order: earlier time first, then insertion order.
struct EventLater {
  bool operator()(const Event& a, const Event& b) const {
    if (a.time != b.time) return a.time > b.time;
    return a.order > b.order;
  }
};

enum class RequestState : std::uint8_t { queued, in_service, at_department, done };

struct Request {
  double arrival, due, handling_h, department_h = 0;
  std::uint64_t department_seed = 0;
  double start = -1, done = -1, service_h = 0;
  double dept_arrival = -1, dept_start = -1; ///< reached / started at the department
  bool found = false;                        ///< found by a worker, not raised by a resident
  bool return_visit = false, had_return_visit = false;
  std::uint8_t reworks = 0;
  std::uint64_t serial = 0;     ///< creation order (ties in the queues)
  std::uint32_t generation = 0; ///< of the slot: events of an earlier occupant are stale
  std::uint32_t building, cell, group;
  std::int32_t worker = -1;
  std::uint16_t category;
  RequestState state = RequestState::queued;
  bool needs_department = false, escalated = false, deadline_escalated = false, waited = false;
};

enum class Job : std::uint8_t { none, request, visit, patrol };

struct Worker {
  geo::Point position;
  RoadSnap snap;             ///< position on the road network (road model only)
  std::uint32_t visited = 0; ///< households in the current visit block
  double busy_h = 0;         ///< busy within duty hours, measured window
  double overtime_h = 0;     ///< busy outside duty hours, measured window
  std::uint32_t request = 0;
  Job job = Job::none;
  bool on_shift = false;
};

struct QueueEntry {
  double key;
  std::uint64_t seq; ///< the request's serial
  std::uint32_t request;
};
struct QueueLater {
  bool operator()(const QueueEntry& a, const QueueEntry& b) const {
    if (a.key != b.key) return a.key > b.key;
    return a.seq > b.seq;
  }
};

/// Statistics of one cell, streamed: each request is counted once, when it closes or, still
/// open, at the end of the run.
struct CellTally {
  double arrivals = 0, escalated = 0, deadline_escalated = 0, started = 0, outside = 0;
  double due = 0, on_time = 0, sat = 0, backlog_end = 0, sojourn = 0, completed = 0;
  double busy = 0, duty = 0, overtime = 0, visits = 0; ///< worker hours; households visited
  double visit_h = 0, patrol_h = 0; ///< worker hours of household visits and patrols
  std::vector<double> response;     ///< of completed requests, h
};

/// Everything a replication of one component measures. Tallies of the components of a
/// replication add up (in a fixed order) to the replication's.
struct Tally {
  std::vector<CellTally> cells;
  std::vector<double> type_busy, type_duty;
  double waited = 0, wait_sum = 0, service_sum = 0, served = 0, censored_sojourn = 0;
  double area_in_system = 0, area_queue = 0, area_dept_busy = 0, request_busy_h = 0;
  std::vector<double> dept_area; ///< per department: time-integral of cases in progress
  double dept_arrivals = 0, dept_started = 0, dept_waited = 0, dept_wait = 0;
  double found = 0, reworked = 0, visited_back = 0, closed = 0;
  std::uint64_t trips = 0, routed_trips = 0, events = 0;
  std::vector<double> backlog;       ///< open requests at the end of each measured day
  std::vector<double> building_work; ///< worker hours of each building's requests

  /// Adds a component's tally; its cell i is cell global_cell[i] here, its building j
  /// building global_building[j].
  void add(Tally&& o, const std::vector<std::uint32_t>& global_cell,
           const std::vector<std::uint32_t>& global_building) {
    for (std::size_t j = 0; j < o.building_work.size(); ++j)
      building_work[global_building[j]] += o.building_work[j];
    for (std::size_t i = 0; i < o.cells.size(); ++i) {
      CellTally& a = cells[global_cell[i]];
      CellTally& b = o.cells[i];
      a.arrivals += b.arrivals;
      a.escalated += b.escalated;
      a.deadline_escalated += b.deadline_escalated;
      a.started += b.started;
      a.outside += b.outside;
      a.due += b.due;
      a.on_time += b.on_time;
      a.sat += b.sat;
      a.backlog_end += b.backlog_end;
      a.sojourn += b.sojourn;
      a.completed += b.completed;
      a.busy += b.busy;
      a.duty += b.duty;
      a.overtime += b.overtime;
      a.visits += b.visits;
      a.visit_h += b.visit_h;
      a.patrol_h += b.patrol_h;
      if (a.response.empty())
        a.response = std::move(b.response);
      else
        a.response.insert(a.response.end(), b.response.begin(), b.response.end());
    }
    for (std::size_t t = 0; t < type_busy.size(); ++t) {
      type_busy[t] += o.type_busy[t];
      type_duty[t] += o.type_duty[t];
    }
    waited += o.waited;
    wait_sum += o.wait_sum;
    service_sum += o.service_sum;
    served += o.served;
    censored_sojourn += o.censored_sojourn;
    area_in_system += o.area_in_system;
    area_queue += o.area_queue;
    area_dept_busy += o.area_dept_busy;
    for (std::size_t d = 0; d < dept_area.size(); ++d) dept_area[d] += o.dept_area[d];
    request_busy_h += o.request_busy_h;
    dept_arrivals += o.dept_arrivals;
    dept_started += o.dept_started;
    dept_waited += o.dept_waited;
    dept_wait += o.dept_wait;
    found += o.found;
    reworked += o.reworked;
    visited_back += o.visited_back;
    closed += o.closed;
    trips += o.trips;
    routed_trips += o.routed_trips;
    events += o.events;
    if (backlog.size() < o.backlog.size()) backlog.resize(o.backlog.size(), 0);
    for (std::size_t d = 0; d < o.backlog.size(); ++d) backlog[d] += o.backlog[d];
  }
};

struct RepOut {
  std::vector<std::array<double, kCellSlots>> cells;
  std::vector<double> overall; // kCellSlots + kExtraMetrics
  std::vector<double> type_utilisation;
  std::vector<double> dept_utilisation; ///< departments of finite capacity, in order
  std::vector<double> backlog;
  std::uint64_t events = 0;
  std::vector<double> building_work_h; ///< worker hours per building, measured window
};

/// A replication's outputs as bytes for another rank (bit for bit), and back.
std::string pack(const RepOut& o) {
  ByteWriter w;
  std::vector<double> cells;
  cells.reserve(o.cells.size() * kCellSlots);
  for (const auto& c : o.cells) cells.insert(cells.end(), c.begin(), c.end());
  w.put(cells);
  w.put(o.overall);
  w.put(o.type_utilisation);
  w.put(o.backlog);
  w.put(o.events);
  w.put(o.dept_utilisation);
  w.put(o.building_work_h);
  return w.take();
}

RepOut unpack(std::string_view bytes) {
  ByteReader r(bytes);
  RepOut o;
  const auto cells = r.get_vector<double>();
  o.cells.resize(cells.size() / kCellSlots);
  for (std::size_t c = 0; c < o.cells.size(); ++c)
    std::copy_n(cells.begin() + static_cast<std::ptrdiff_t>(c * kCellSlots), kCellSlots,
                o.cells[c].begin());
  o.overall = r.get_vector<double>();
  o.type_utilisation = r.get_vector<double>();
  o.backlog = r.get_vector<double>();
  o.events = r.get<std::uint64_t>();
  o.dept_utilisation = r.get_vector<double>();
  o.building_work_h = r.get_vector<double>();
  if (!r.done()) throw Error("packed replication: bytes left over");
  return o;
}

class Replication {
public:
  Replication(const Prepared& p, std::uint64_t seed, std::uint64_t rep)
      : p_(p), arrivals_(detail::stream_seed(seed, rep, 1, p.key)),
        found_(detail::stream_seed(seed, rep, 2, p.key)),
        rating_(detail::stream_seed(seed, rep, 3, p.key)) {
    tally_.cells.resize(p.cells);
    tally_.type_busy.assign(p.types.size(), 0);
    tally_.type_duty.assign(p.types.size(), 0);
    // Workers start at their cell's centroid (the station).
    workers_.resize(p.worker_cell.size());
    for (std::size_t w = 0; w < workers_.size(); ++w)
      workers_[w].position = p.cell_centre[p.worker_cell[w]];
    if (p.roads)
      for (std::size_t w = 0; w < workers_.size(); ++w)
        workers_[w].snap = p.centre_snap[p.worker_cell[w]];
    queues_.resize(p.group_cells.size());
    cell_period_.assign(p.cells, -1);
    cell_visited_.assign(p.cells, 0);
    cell_visits_window_.assign(p.cells, 0);
    next_day_ = p.warm_h + 24;
    escalations_.resize(p.categories.size());
    depts_.resize(p.dept_capacity.size());
    tally_.building_work.assign(p.buildings.size(), 0);
  }

  Tally run() {
    // Shifts: every worker starts off duty and gets its first shift start (always-on
    // workers start at 0 and never leave).
    for (std::uint32_t w = 0; w < workers_.size(); ++w) {
      const TypeSpec& t = p_.types[p_.worker_type[w]];
      if (t.always_on) {
        workers_[w].on_shift = true;
      } else if (!t.never_on) {
        // A duty running over the start of the week (or of the run) starts at time 0.
        push(std::max(t.next_interval(0).first, 0.0), EventKind::shift_start, w);
      }
    }
    for (std::uint32_t w = 0; w < workers_.size(); ++w)
      if (workers_[w].on_shift) next_work(w, 0);
    schedule_next_arrival(0);

    for (;;) {
      // The next resident's request waits beside the event list (one per stream, so it
      // need not be in it); at equal times listed events come first.
      if (heap_.empty() || next_arrival_ < heap_.front().time) {
        if (!(next_arrival_ <= p_.end_h)) break;
        const double t = next_arrival_;
        next_arrival_ = kNever;
        advance(t);
        ++tally_.events;
        on_arrival(t);
        continue;
      }
      const Event e = heap_.front();
      if (e.time > p_.end_h) break;
      std::pop_heap(heap_.begin(), heap_.end(), EventLater{});
      heap_.pop_back();
      advance(e.time);
      ++tally_.events;
      switch (e.kind()) {
      case EventKind::job_end:
        on_job_end(e.id, e.time);
        break;
      case EventKind::escalation:
        on_escalation(e.id, e.time);
        break;
      case EventKind::department_done:
        on_department_done(e.id, e.time);
        break;
      case EventKind::shift_start:
        on_shift_start(e.id, e.time);
        break;
      case EventKind::shift_end:
        on_shift_end(e.id, e.time);
        break;
      }
    }
    advance(p_.end_h);
    return collect();
  }

private:
  double overlap(double a, double b) const {
    const double lo = std::max(a, p_.warm_h);
    const double hi = std::min(b, p_.end_h);
    return hi > lo ? hi - lo : 0;
  }

  void push(double t, EventKind kind, std::uint32_t id) {
    heap_.push_back(Event{t, (seq_++ << 8) | static_cast<std::uint64_t>(kind), id});
    std::push_heap(heap_.begin(), heap_.end(), EventLater{});
  }

  /// Moves the clock to t: time-weighted sums, and the backlog at each measured day's end
  /// passed (counted before the events at that instant).
  void advance(double t) {
    while (next_day_ <= t && next_day_ <= p_.end_h) {
      tally_.backlog.push_back(static_cast<double>(in_system_));
      next_day_ += 24;
    }
    const double dt = overlap(last_t_, t);
    tally_.area_in_system += dt * static_cast<double>(in_system_);
    tally_.area_queue += dt * static_cast<double>(queued_);
    tally_.area_dept_busy += dt * static_cast<double>(dept_busy_);
    last_t_ = t;
  }

  /// Books worker w busy over [from, to): the part within its duty hours counts towards
  /// utilisation, the rest (a job that runs past the end of the shift) is overtime. Only
  /// the measured window counts.
  void add_busy(std::uint32_t w, double from, double to) {
    const double lo = std::max(from, p_.warm_h), hi = std::min(to, p_.end_h);
    if (!(hi > lo)) return;
    const double duty = p_.types[p_.worker_type[w]].duty_overlap(lo, hi);
    workers_[w].busy_h += duty;
    workers_[w].overtime_h += (hi - lo) - duty;
  }

  bool handles(std::uint32_t w, std::uint32_t category) const {
    return (p_.types[p_.worker_type[w]].handle_mask >> category) & 1u;
  }

  void schedule_next_arrival(double t) {
    if (!(p_.mean_rate_per_h > 0)) return;
    const double max_rate = p_.mean_rate_per_h * p_.max_intensity;
    // Thinning of a Poisson process with rate max_rate (Lewis & Shedler).
    for (;;) {
      t += arrivals_.exponential(1.0 / max_rate);
      if (t > p_.end_h) return;
      if (p_.flat_intensity) break;
      const auto hour = static_cast<std::size_t>(std::fmod(t, kWeekHours)) % 168;
      if (arrivals_.uniform() * p_.max_intensity < p_.intensity[hour]) break;
    }
    next_arrival_ = t;
  }

  void on_arrival(double t) {
    // Every request draws the same number of random numbers whatever the scenario's
    // staffing, so scenarios compared with one seed see the same requests (common
    // random numbers). Cases found by workers draw from their own stream.
    const std::uint32_t building = p_.building_alias.sample(arrivals_);
    const auto category = p_.category_alias.sample(arrivals_);
    const std::uint32_t id = make_request(t, building, category, arrivals_, false);
    schedule_next_arrival(t);
    dispatch(id, t);
  }

  /// `n` cases found by worker w's patrol or visits in its cell, arriving at t.
  void found_cases(std::uint32_t w, std::uint32_t n, double t) {
    const auto& in_cell = p_.cell_buildings[p_.worker_cell[w]];
    if (in_cell.empty()) return;
    for (std::uint32_t k = 0; k < n; ++k) {
      auto i = static_cast<std::size_t>(found_.uniform() * static_cast<double>(in_cell.size()));
      if (i >= in_cell.size()) i = in_cell.size() - 1;
      const auto category = p_.found_category_alias.sample(found_);
      const std::uint32_t id = make_request(t, in_cell[i], category, found_, true);
      dispatch(id, t);
    }
  }

  std::uint32_t make_request(double t, std::uint32_t building, std::uint32_t category, Rng& rng,
                             bool found) {
    Request r{};
    r.building = building;
    r.category = static_cast<std::uint16_t>(category);
    r.found = found;
    const CategorySpec& c = p_.categories[r.category];
    // Draws depend on the request's own category only, never on the state of the workers,
    // so every scenario that differs in staffing sees the same requests (common random
    // numbers). The department's time is drawn when (and if) the request gets there, from
    // a seed taken now.
    switch (c.distribution) {
    case HandlingDistribution::exponential:
      r.handling_h = rng.exponential(c.handling_h);
      break;
    case HandlingDistribution::fixed:
      r.handling_h = c.handling_h;
      break;
    case HandlingDistribution::lognormal:
      r.handling_h = rng.lognormal(c.handling_h, c.cv);
      break;
    }
    r.needs_department = c.department_p > 0 && rng.uniform() < c.department_p;
    r.department_seed = rng.bits();
    r.arrival = t;
    r.due = t + c.deadline_h;
    r.cell = p_.buildings[r.building].cell;
    r.group = p_.building_group[r.building];
    r.serial = serial_++;
    std::uint32_t id;
    if (free_.empty()) {
      id = static_cast<std::uint32_t>(requests_.size());
      requests_.push_back(r);
    } else {
      id = free_.back();
      free_.pop_back();
      r.generation = requests_[id].generation;
      requests_[id] = r;
    }
    ++in_system_;
    return id;
  }

  /// The most preferred free worker on duty takes request `id`, else it queues.
  void dispatch(std::uint32_t id, double t) {
    const Request& r = requests_[id];
    const CategorySpec& c = p_.categories[r.category];
    for (auto cell : p_.group_cells[r.group]) {
      for (auto w : p_.cell_workers[cell]) {
        const Worker& wk = workers_[w];
        if (wk.on_shift && wk.job == Job::none && handles(w, r.category)) {
          start_request(w, id, t);
          return;
        }
      }
    }
    Request& q = requests_[id];
    q.waited = true;
    queues_[q.group].push_back(QueueEntry{p_.edf ? q.due : q.arrival, q.serial, id});
    std::push_heap(queues_[q.group].begin(), queues_[q.group].end(), QueueLater{});
    ++queued_;
    if (p_.escalate_fraction > 0)
      schedule_escalation(q, id, t + p_.escalate_fraction * c.deadline_h);
  }

  void start_request(std::uint32_t w, std::uint32_t id, double t) {
    Request& r = requests_[id];
    Worker& wk = workers_[w];
    const geo::Point at = p_.buildings[r.building].position;
    double travel = 0;
    if (p_.travel) {
      const double straight = std::hypot(at.x - wk.position.x, at.y - wk.position.y);
      double metres = straight * p_.detour;
      if (p_.roads && straight > 0) {
        // A trip between two places (not staying at the same building): on the road
        // network when both ends reach the same component, else straight x detour.
        const RoadSnap& to = p_.building_snap[r.building];
        if (t >= p_.warm_h) ++tally_.trips;
        if (const auto road = p_.roads->distance(wk.snap, to)) {
          metres = *road;
          if (t >= p_.warm_h) ++tally_.routed_trips;
        }
        wk.snap = to;
      }
      travel = metres / p_.types[p_.worker_type[w]].speed_m_per_h;
    }
    const double duration = travel + r.handling_h;
    r.state = RequestState::in_service;
    r.start = t;
    r.worker = static_cast<std::int32_t>(w);
    r.service_h = duration;
    wk.position = at;
    wk.job = Job::request;
    wk.request = id;
    add_busy(w, t, t + duration);
    tally_.request_busy_h += overlap(t, t + duration);
    tally_.building_work[r.building] += overlap(t, t + duration);
    push(t + duration, EventKind::job_end, w);
  }

  /// Request `id` is closed at t: counted, and its slot freed for a later request.
  void complete(std::uint32_t id, double t) {
    Request& r = requests_[id];
    r.state = RequestState::done;
    r.done = t;
    --in_system_;
    account(r);
    ++r.generation;
    free_.push_back(id);
  }

  /// Counts request r in the statistics, once: when it closes, or open at the end.
  void account(const Request& r) {
    Tally& s = tally_;
    const bool done = r.state == RequestState::done;
    CellTally& a = s.cells[r.cell];
    if (!done) a.backlog_end += 1;
    if (r.dept_arrival >= p_.warm_h) {
      s.dept_arrivals += 1;
      if (r.dept_start >= 0) {
        s.dept_started += 1;
        s.dept_wait += r.dept_start - r.dept_arrival;
        if (r.dept_start > r.dept_arrival) s.dept_waited += 1;
      }
    }
    if (r.arrival < p_.warm_h) return;
    a.arrivals += 1;
    if (r.escalated) a.escalated += 1;
    if (r.deadline_escalated) a.deadline_escalated += 1;
    if (r.waited) s.waited += 1;
    if (r.found) s.found += 1;
    // Time in system up to the end of the horizon (open requests censored there).
    s.censored_sojourn += (done ? std::min(r.done, p_.end_h) : p_.end_h) - r.arrival;
    if (r.worker >= 0) {
      a.started += 1;
      s.wait_sum += r.start - r.arrival;
      s.service_sum += r.service_h;
      s.served += 1;
      if (p_.worker_cell[static_cast<std::size_t>(r.worker)] != r.cell) a.outside += 1;
    }
    if (done) {
      a.response.push_back(r.done - r.arrival);
      a.sojourn += r.done - r.arrival;
      a.completed += 1;
      s.closed += 1;
      s.reworked += r.reworks > 0 ? 1 : 0;
      s.visited_back += r.had_return_visit ? 1 : 0;
    }
    if (r.due <= p_.end_h) {
      a.due += 1;
      if (done && r.done <= r.due) a.on_time += 1;
      const double resp = done ? r.done - r.arrival : p_.end_h - r.arrival;
      a.sat += satisfaction(resp, r.due - r.arrival);
    }
  }

  void on_job_end(std::uint32_t w, double t) {
    Worker& wk = workers_[w];
    if (wk.job == Job::request) {
      Request& r = requests_[wk.request];
      if (r.needs_department) {
        r.escalated = true;
        to_department(wk.request, t);
      } else if (!close_or_rework(w, wk.request, t)) {
        return; // the worker stays on it for the return visit
      }
    }
    const Job done = wk.job;
    wk.job = Job::none;
    // Cases found on the patrol or the visits just finished (the worker, now free, may
    // take one itself).
    std::uint32_t found = 0;
    if (done == Job::patrol && p_.patrol_rate_per_h > 0)
      found = poisson(found_, p_.patrol_rate_per_h * p_.types[p_.worker_type[w]].patrol_h);
    else if (done == Job::visit && p_.visit_case_p > 0)
      for (std::uint32_t k = 0; k < wk.visited; ++k) found += found_.uniform() < p_.visit_case_p;
    if (found > 0) found_cases(w, found, t);
    if (wk.on_shift && wk.job == Job::none) next_work(w, t);
  }

  /// A worker finished request `id` at t (评单/回访). Returns false when the worker now
  /// makes the return visit (a job_end is scheduled), true when the worker is free: the
  /// request is closed, or back in the queue for rework.
  bool close_or_rework(std::uint32_t w, std::uint32_t id, double t) {
    Request& r = requests_[id];
    if (!r.return_visit && p_.return_visit_h > 0 && p_.rated_p < 1 &&
        rating_.uniform() >= p_.rated_p) {
      r.return_visit = r.had_return_visit = true;
      add_busy(w, t, t + p_.return_visit_h);
      tally_.request_busy_h += overlap(t, t + p_.return_visit_h);
      tally_.building_work[r.building] += overlap(t, t + p_.return_visit_h);
      push(t + p_.return_visit_h, EventKind::job_end, w);
      return false;
    }
    if (p_.rework_p > 0 && r.reworks < 3 &&
        satisfaction(t - r.arrival, r.due - r.arrival) < p_.rework_below &&
        rating_.uniform() < p_.rework_p) {
      ++r.reworks;
      r.return_visit = false;
      r.handling_h *= p_.rework_fraction;
      r.state = RequestState::queued;
      queues_[r.group].push_back(QueueEntry{p_.edf ? r.due : r.arrival, r.serial, id});
      std::push_heap(queues_[r.group].begin(), queues_[r.group].end(), QueueLater{});
      ++queued_;
      return true;
    }
    complete(id, t);
    return true;
  }

  /// Deadline checks wait in one FIFO per category: a request is queued when it arrives,
  /// so within a category checks fall due in the order they are made, and only the head
  /// of each FIFO is an event (the event list stays as small as the number of workers).
  void schedule_escalation(const Request& r, std::uint32_t id, double at) {
    auto& fifo = escalations_[r.category];
    fifo.items.push_back(PendingEscalation{at, id, r.generation});
    if (fifo.items.size() - fifo.head == 1) push(at, EventKind::escalation, r.category);
  }

  void on_escalation(std::uint32_t category, double t) {
    auto& fifo = escalations_[category];
    const PendingEscalation due = fifo.items[fifo.head++];
    if (fifo.head == fifo.items.size()) {
      fifo.items.clear();
      fifo.head = 0;
    } else {
      push(fifo.items[fifo.head].at, EventKind::escalation, category);
      if (fifo.head > 4096 && fifo.head * 2 > fifo.items.size()) {
        fifo.items.erase(fifo.items.begin(),
                         fifo.items.begin() + static_cast<std::ptrdiff_t>(fifo.head));
        fifo.head = 0;
      }
    }
    Request& r = requests_[due.request];
    if (r.generation != due.generation || r.state != RequestState::queued) return;
    r.escalated = r.deadline_escalated = true;
    --queued_;
    to_department(due.request, t);
  }

  /// A request reaches the departments (吹哨报到 after the worker's part, or a deadline
  /// escalation): it starts when one of the pool's `capacity` places is free (0 = no
  /// limit), else waits first come, first served.
  void to_department(std::uint32_t id, double t) {
    Request& r = requests_[id];
    r.state = RequestState::at_department;
    r.dept_arrival = t;
    const auto d = p_.categories[r.category].department;
    if (p_.dept_capacity[d] == 0 || depts_[d].busy < p_.dept_capacity[d])
      start_department(id, t);
    else
      depts_[d].queue.push_back(id);
  }

  /// The department's handling time of request r (mean of its category), from its own seed.
  double department_time(const Request& r) const {
    const double mean = p_.categories[r.category].department_h;
    if (!(mean > 0)) return 0;
    Rng rng(r.department_seed);
    switch (p_.dept_distribution) {
    case HandlingDistribution::exponential:
      return rng.exponential(mean);
    case HandlingDistribution::fixed:
      return mean;
    case HandlingDistribution::lognormal:
      break;
    }
    return rng.lognormal(mean, p_.dept_cv);
  }

  void start_department(std::uint32_t id, double t) {
    Request& r = requests_[id];
    r.department_h = department_time(r);
    r.dept_start = t;
    Department& d = depts_[p_.categories[r.category].department];
    d.touch(t, *this);
    ++d.busy;
    ++dept_busy_;
    push(t + r.department_h, EventKind::department_done, id);
  }

  void on_department_done(std::uint32_t id, double t) {
    Department& d = depts_[p_.categories[requests_[id].category].department];
    complete(id, t);
    d.touch(t, *this);
    --d.busy;
    --dept_busy_;
    if (d.head < d.queue.size()) start_department(d.queue[d.head++], t);
    if (d.head > 4096 && d.head * 2 > d.queue.size()) {
      d.queue.erase(d.queue.begin(), d.queue.begin() + static_cast<std::ptrdiff_t>(d.head));
      d.head = 0;
    }
  }

  void on_shift_start(std::uint32_t w, double t) {
    Worker& wk = workers_[w];
    const TypeSpec& type = p_.types[p_.worker_type[w]];
    wk.on_shift = true;
    push(type.next_interval(t).second, EventKind::shift_end, w);
    if (wk.job != Job::none) return;
    if (type.patrol_h > 0) {
      wk.job = Job::patrol;
      add_busy(w, t, t + type.patrol_h);
      tally_.cells[p_.worker_cell[w]].patrol_h += overlap(t, t + type.patrol_h);
      push(t + type.patrol_h, EventKind::job_end, w);
      return;
    }
    next_work(w, t);
  }

  void on_shift_end(std::uint32_t w, double t) {
    Worker& wk = workers_[w];
    wk.on_shift = false;
    // The interval that ends at t is not returned (its end is not after t): the next one
    // starts strictly later, because merged duty intervals are separated by gaps.
    push(p_.types[p_.worker_type[w]].next_interval(t).first, EventKind::shift_start, w);
  }

  /// Whether a queue entry still stands for a queued request (entries of requests taken
  /// from inside a queue, and of freed slots, are skipped lazily).
  bool waiting(const QueueEntry& e) const {
    const Request& r = requests_[e.request];
    return r.serial == e.seq && r.state == RequestState::queued;
  }

  /// A free worker on duty takes the most urgent queued request it may serve, else a
  /// block of household visits, else waits.
  void next_work(std::uint32_t w, double t) {
    const std::uint32_t cell = p_.worker_cell[w];
    std::int64_t best_group = -1;
    std::uint32_t best_request = 0;
    QueueEntry best{};
    bool best_is_top = false;
    // Own cell's queues first (when own_cell_first), then those of cells it helps.
    for (int pass = 0; pass < 2 && best_group < 0; ++pass) {
      for (auto g : p_.cell_groups[cell]) {
        if (p_.own_first && (pass == 0) != (p_.group_cells[g].front() == cell)) continue;
        if (!p_.own_first && pass == 1) break;
        auto& q = queues_[g];
        while (!q.empty() && !waiting(q.front())) {
          std::pop_heap(q.begin(), q.end(), QueueLater{});
          q.pop_back();
        }
        if (q.empty()) continue;
        const QueueEntry* candidate = nullptr;
        bool top = false;
        if (handles(w, requests_[q.front().request].category)) {
          candidate = &q.front();
          top = true;
        } else {
          for (const auto& e : q) {
            if (!waiting(e) || !handles(w, requests_[e.request].category)) continue;
            if (!candidate || QueueLater{}(*candidate, e)) candidate = &e;
          }
        }
        if (!candidate) continue;
        if (best_group < 0 || QueueLater{}(best, *candidate)) {
          best = *candidate;
          best_group = g;
          best_request = candidate->request;
          best_is_top = top;
        }
      }
    }
    if (best_group >= 0) {
      auto& q = queues_[static_cast<std::size_t>(best_group)];
      if (best_is_top) {
        std::pop_heap(q.begin(), q.end(), QueueLater{});
        q.pop_back();
      } // else: left in place, skipped later because its state changes
      --queued_;
      start_request(w, best_request, t);
      return;
    }
    const TypeSpec& type = p_.types[p_.worker_type[w]];
    if (!type.does_visits || !(p_.visit_h_per_household > 0)) return;
    const auto period = static_cast<std::int64_t>(std::floor(t / p_.visit_period_h));
    if (cell_period_[cell] != period) {
      cell_period_[cell] = period;
      cell_visited_[cell] = 0;
    }
    const double remaining = p_.visit_target[cell] - cell_visited_[cell];
    if (!(remaining > 0)) return;
    const double k = std::min(remaining, static_cast<double>(p_.visits_per_block));
    cell_visited_[cell] += k;
    if (t >= p_.warm_h) cell_visits_window_[cell] += k;
    const double duration = k * p_.visit_h_per_household;
    Worker& wk = workers_[w];
    wk.job = Job::visit;
    wk.visited = static_cast<std::uint32_t>(k);
    add_busy(w, t, t + duration);
    tally_.cells[cell].visit_h += overlap(t, t + duration);
    push(t + duration, EventKind::job_end, w);
  }

  double satisfaction(double response_h, double deadline_h) const {
    const double x = response_h / deadline_h;
    if (x <= p_.sat_full) return 1.0;
    if (x <= 1.0) return 1.0 - (1.0 - p_.sat_at_deadline) * (x - p_.sat_full) / (1.0 - p_.sat_full);
    if (x <= p_.sat_zero) return p_.sat_at_deadline * (1.0 - (x - 1.0) / (p_.sat_zero - 1.0));
    return 0.0;
  }

  /// The tally at the end: open requests counted, worker hours and visits added.
  Tally collect() {
    for (std::uint32_t id = 0; id < requests_.size(); ++id)
      if (requests_[id].state != RequestState::done) account(requests_[id]);
    std::vector<double> type_duty(p_.types.size());
    for (std::size_t t = 0; t < p_.types.size(); ++t)
      type_duty[t] = p_.types[t].duty_overlap(p_.warm_h, p_.end_h);
    for (std::size_t w = 0; w < workers_.size(); ++w) {
      const auto type = p_.worker_type[w];
      CellTally& a = tally_.cells[p_.worker_cell[w]];
      a.busy += workers_[w].busy_h;
      a.duty += type_duty[type];
      a.overtime += workers_[w].overtime_h;
      tally_.type_busy[type] += workers_[w].busy_h;
      tally_.type_duty[type] += type_duty[type];
    }
    for (std::size_t c = 0; c < p_.cells; ++c) tally_.cells[c].visits = cell_visits_window_[c];
    tally_.dept_area.clear();
    for (auto& d : depts_) {
      d.touch(p_.end_h, *this);
      tally_.dept_area.push_back(d.area);
    }
    return std::move(tally_);
  }

  const Prepared& p_;
  Rng arrivals_;
  Rng found_;  ///< cases found by workers
  Rng rating_; ///< ratings and return visits
  Tally tally_;
  std::vector<Event> heap_;
  std::uint64_t seq_ = 0, serial_ = 0;
  std::vector<Request> requests_;   ///< slots; closed requests' slots are reused
  std::vector<std::uint32_t> free_; ///< free request slots
  std::vector<Worker> workers_;
  std::vector<std::vector<QueueEntry>> queues_;
  std::vector<std::int64_t> cell_period_;
  std::vector<double> cell_visited_, cell_visits_window_;
  std::int64_t in_system_ = 0, queued_ = 0;
  struct PendingEscalation {
    double at;
    std::uint32_t request, generation;
  };
  struct EscalationFifo {
    std::vector<PendingEscalation> items; ///< from head, in time order
    std::size_t head = 0;
  };
  std::vector<EscalationFifo> escalations_; ///< per category
  /// A department's cases in progress, its FIFO of waiting cases (from `head`) and the
  /// time-integral of its cases in progress over the measured window.
  struct Department {
    std::uint32_t busy = 0;
    std::vector<std::uint32_t> queue;
    std::size_t head = 0;
    double since = 0, area = 0;
    void touch(double t, const Replication& rep) {
      area += rep.overlap(since, t) * static_cast<double>(busy);
      since = t;
    }
  };
  std::vector<Department> depts_;
  std::uint32_t dept_busy_ = 0; ///< over all departments
  double last_t_ = 0, next_day_ = 0;
  static constexpr double kNever = std::numeric_limits<double>::infinity();
  double next_arrival_ = kNever; ///< of the next resident's request
};

/// A replication's metrics from its tally (all components added).
RepOut finish(Tally&& s, const Prepared& p) {
  const std::size_t n = p.cells;
  auto ratio = [](double a, double b) { return b > 0 ? a / b : kNaN; };
  const double periods = p.days * 24 / p.visit_period_h;
  RepOut out;
  out.cells.resize(n);
  CellTally total;
  double visits = 0, visit_target = 0;
  std::size_t responses = 0;
  for (const auto& a : s.cells) responses += a.response.size();
  if (n > 1) total.response.reserve(responses);
  for (std::size_t c = 0; c < n; ++c) {
    CellTally& a = s.cells[c];
    auto& m = out.cells[c];
    m[kRequestsPerDay] = a.arrivals / p.days;
    m[kMeanResponse] = ratio(a.sojourn, a.completed);
    m[kOnTime] = ratio(a.on_time, a.due);
    m[kEscalation] = ratio(a.escalated, a.arrivals);
    m[kDeadlineEscalation] = ratio(a.deadline_escalated, a.arrivals);
    m[kOutside] = ratio(a.outside, a.started);
    m[kUtilisation] = ratio(a.busy, a.duty);
    const double target = p.visit_target[c] * periods;
    m[kVisitCoverage] = target > 0 ? std::min(1.0, a.visits / target) : kNaN;
    visits += std::min(a.visits, target);
    visit_target += target;
    m[kSatisfaction] = ratio(a.sat, a.due);
    m[kBacklogEnd] = a.backlog_end;
    m[kOvertime] = ratio(a.overtime, a.duty);
    total.arrivals += a.arrivals;
    total.escalated += a.escalated;
    total.deadline_escalated += a.deadline_escalated;
    total.started += a.started;
    total.outside += a.outside;
    total.due += a.due;
    total.on_time += a.on_time;
    total.sat += a.sat;
    total.backlog_end += a.backlog_end;
    total.sojourn += a.sojourn;
    total.completed += a.completed;
    total.overtime += a.overtime;
    m[kP50] = quantile(a.response, 0.5);
    m[kP90] = quantile(a.response, 0.9);
    if (n > 1) total.response.insert(total.response.end(), a.response.begin(), a.response.end());
    a.response = {};
  }
  double busy_all = 0, shift_all = 0;
  for (std::size_t t = 0; t < s.type_busy.size(); ++t) {
    busy_all += s.type_busy[t];
    shift_all += s.type_duty[t];
    out.type_utilisation.push_back(ratio(s.type_busy[t], s.type_duty[t]));
  }
  const double horizon = p.end_h - p.warm_h;
  std::vector<double>& o = out.overall;
  o.resize(kCellSlots);
  o[kRequestsPerDay] = total.arrivals / p.days;
  o[kP50] = n == 1 ? out.cells[0][kP50] : quantile(total.response, 0.5);
  o[kP90] = n == 1 ? out.cells[0][kP90] : quantile(total.response, 0.9);
  o[kMeanResponse] = ratio(total.sojourn, total.completed);
  o[kOnTime] = ratio(total.on_time, total.due);
  o[kEscalation] = ratio(total.escalated, total.arrivals);
  o[kDeadlineEscalation] = ratio(total.deadline_escalated, total.arrivals);
  o[kOutside] = ratio(total.outside, total.started);
  o[kUtilisation] = ratio(busy_all, shift_all);
  o[kVisitCoverage] = ratio(visits, visit_target);
  o[kSatisfaction] = ratio(total.sat, total.due);
  o[kBacklogEnd] = total.backlog_end;
  o[kOvertime] = ratio(total.overtime, shift_all);
  const double lambda = total.arrivals / horizon;
  const double l = s.area_in_system / horizon;
  const double w = ratio(total.sojourn, total.completed);
  // Little's law with the censored sojourn: requests in the system at the start of the
  // window and those still open at its end balance in steady state.
  const double w_censored = ratio(s.censored_sojourn, total.arrivals);
  const double busy = s.request_busy_h / horizon;
  const double mean_service = ratio(s.service_sum, s.served);
  o.push_back(ratio(s.waited, total.arrivals));              // p_wait
  o.push_back(ratio(s.wait_sum, s.served));                  // mean_wait_h
  o.push_back(l);                                            // mean_in_system
  o.push_back(s.area_queue / horizon);                       // mean_queue
  o.push_back(busy);                                         // mean_busy_workers
  o.push_back(lambda);                                       // arrival_rate_per_h
  o.push_back(mean_service);                                 // mean_service_h
  o.push_back(w);                                            // mean_sojourn_h
  o.push_back(l > 0 ? (l - lambda * w_censored) / l : kNaN); // littles_law_gap
  // Busy workers = rate of requests served by workers x mean service time (requests
  // escalated without a worker take no worker time).
  o.push_back(busy > 0 ? (busy - s.served / horizon * mean_service) / busy : kNaN); // busy_law_gap
  o.push_back(static_cast<double>(s.events));                                       // events
  o.push_back(p.roads ? ratio(static_cast<double>(s.routed_trips), static_cast<double>(s.trips))
                      : kNaN); // road_routed_share
  const double dept_busy = s.area_dept_busy / horizon;
  o.push_back(s.dept_arrivals / p.days); // requests/day
  o.push_back(dept_busy);                // busy
  {
    double busy_finite = 0, places = 0;
    for (std::size_t d = 0; d < p.dept_capacity.size(); ++d) {
      if (p.dept_capacity[d] == 0) continue;
      busy_finite += s.dept_area[d] / horizon;
      places += p.dept_capacity[d];
      out.dept_utilisation.push_back(s.dept_area[d] / horizon / p.dept_capacity[d]);
    }
    o.push_back(places > 0 ? busy_finite / places : kNaN); // utilisation
  }
  o.push_back(ratio(s.dept_waited, s.dept_started));             // p_wait
  o.push_back(ratio(s.dept_wait, s.dept_started));               // wait_h
  o.push_back(ratio(total.deadline_escalated, total.escalated)); // deadline share
  o.push_back(s.found / p.days);                                 // found_cases_per_day
  o.push_back(ratio(s.found, total.arrivals));                   // found_share
  o.push_back(ratio(s.reworked, s.closed));                      // rework_rate
  o.push_back(ratio(s.visited_back, s.closed));                  // return_visit_share
  out.backlog = std::move(s.backlog);
  out.events = s.events;
  // Workload per building: its requests' worker time (travel to it, handling, return
  // visits) plus its households' share of its cell's visits and patrols.
  std::vector<double> cell_hh(n, 0);
  for (const auto& b : p.buildings) cell_hh[b.cell] += b.households;
  out.building_work_h = std::move(s.building_work);
  for (std::size_t b = 0; b < p.buildings.size(); ++b) {
    const auto c = p.buildings[b].cell;
    if (cell_hh[c] > 0)
      out.building_work_h[b] +=
          (s.cells[c].visit_h + s.cells[c].patrol_h) * p.buildings[b].households / cell_hh[c];
  }
  return out;
}

Metric make_metric(std::string name, std::string unit, std::vector<double> samples) {
  Metric m;
  m.name = std::move(name);
  m.unit = std::move(unit);
  m.samples = std::move(samples);
  m.value = estimate(m.samples);
  return m;
}

} // namespace

const std::vector<std::string>& cell_metric_names() {
  static const std::vector<std::string> names = {"requests_per_day",
                                                 "p50_response_h",
                                                 "p90_response_h",
                                                 "mean_response_h",
                                                 "on_time_share",
                                                 "escalation_rate",
                                                 "deadline_escalation_rate",
                                                 "served_outside_share",
                                                 "utilisation",
                                                 "visit_coverage",
                                                 "satisfaction",
                                                 "backlog_end",
                                                 "overtime_share"};
  return names;
}

const Metric& CellResult::metric(const std::string& name) const {
  for (const auto& m : metrics)
    if (m.name == name) return m;
  throw std::out_of_range("no cell metric " + name);
}

const Metric& SimulationResult::metric(const std::string& name) const {
  for (const auto& m : overall)
    if (m.name == name) return m;
  throw std::out_of_range("no metric " + name);
}

std::vector<std::vector<int>> scenario_cell_counts(const SimPlan& plan, const Scenario& sc) {
  std::vector<std::vector<int>> counts(plan.cells.size(),
                                       std::vector<int>(sc.worker_types.size(), 0));
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    const auto over = sc.cell_overrides.find(plan.cells[c].code);
    for (std::size_t t = 0; t < sc.worker_types.size(); ++t) {
      counts[c][t] = sc.worker_types[t].per_cell;
      if (over != sc.cell_overrides.end()) {
        const auto it = over->second.find(sc.worker_types[t].name);
        if (it != over->second.end()) counts[c][t] = it->second;
      }
    }
  }
  return counts;
}

void check_run_limits(const RunOptions& o) {
  if (!(o.days > 0) || !(o.days <= kMaxDays))
    throw UsageError(fmt::format("--days must be > 0 and <= {} (got {})", kMaxDays, o.days));
  if (!(o.warmup_days >= 0) || !(o.warmup_days <= kMaxWarmupDays))
    throw UsageError(fmt::format("--warmup-days must be >= 0 and <= {} (got {})", kMaxWarmupDays,
                                 o.warmup_days));
  if (o.replications < 1 || o.replications > kMaxReplications)
    throw UsageError(fmt::format("--replications must be >= 1 and <= {} (got {})", kMaxReplications,
                                 o.replications));
}

SimulationResult simulate(const SimPlan& plan, const Scenario& scenario, const RunOptions& options,
                          const std::vector<std::vector<int>>* cell_counts) {
  plan.validate();
  scenario.validate();
  check_run_limits(options);
  const auto counts = cell_counts ? *cell_counts : scenario_cell_counts(plan, scenario);
  if (counts.size() != plan.cells.size())
    throw UsageError("worker counts: one row per cell needed");
  for (const auto& row : counts)
    if (row.size() != scenario.worker_types.size())
      throw UsageError("worker counts: one column per type needed");
  const Prepared prepared = prepare(plan, scenario, options, counts);
  const std::vector<Prepared> components = split_components(prepared, plan);

  const auto reps = static_cast<std::size_t>(options.replications);
  std::vector<RepOut> outs(reps);
  const auto started = std::chrono::steady_clock::now();
  // Runs this rank's replications (`mine`) on threads; outs[r] filled for each.
  auto run_mine = [&](const std::vector<std::size_t>& mine) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::mutex mutex;
    std::condition_variable cv;
    std::exception_ptr failure;
    auto worker = [&] {
      for (;;) {
        const std::size_t k = next.fetch_add(1);
        if (k >= mine.size()) break;
        const std::size_t r = mine[k];
        try {
          try {
            Tally tally;
            tally.cells.resize(prepared.cells);
            tally.type_busy.assign(prepared.types.size(), 0);
            tally.type_duty.assign(prepared.types.size(), 0);
            tally.dept_area.assign(prepared.dept_capacity.size(), 0);
            tally.building_work.assign(prepared.buildings.size(), 0);
            for (const Prepared& component : components)
              tally.add(Replication(component, options.seed, r).run(), component.global_cell,
                        component.global_building);
            outs[r] = finish(std::move(tally), prepared);
          } catch (...) {
            rethrow_with_context(fmt::format("replication {}", r)); // names it on any rank
          }
        } catch (...) {
          std::lock_guard lock(mutex);
          if (!failure) failure = std::current_exception();
          next = mine.size();
        }
        {
          std::lock_guard lock(mutex);
          ++done;
        }
        cv.notify_all();
      }
    };
    int threads = options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
    threads = std::max(1, std::min(threads, static_cast<int>(mine.size())));
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
    {
      std::unique_lock lock(mutex);
      while (done.load() < mine.size() && !failure) {
        cv.wait_for(lock, std::chrono::milliseconds(200));
        if (options.progress) {
          const double f = static_cast<double>(done.load()) / static_cast<double>(mine.size());
          lock.unlock();
          options.progress(f, "simulating replications");
          lock.lock();
        }
      }
    }
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
  };
  // Replications dealt to the ranks (all equal in size); every rank gets every
  // replication's outputs back, in replication order, and combines them as one process
  // would (`staff` needs every result on every rank to choose its next run).
  const Ranks& ranks = options.ranks != nullptr ? *options.ranks : single_process();
  auto spread = spread_jobs(
      ranks, std::vector<double>(reps, 1.0),
      [&](const std::vector<std::size_t>& mine) {
        run_mine(mine);
        std::vector<std::string> packed(mine.size());
        if (ranks.size() > 1)
          for (std::size_t k = 0; k < mine.size(); ++k) packed[k] = pack(outs[mine[k]]);
        return packed;
      },
      /*to_all=*/true);
  if (ranks.size() > 1)
    for (std::size_t r = 0; r < reps; ++r) outs[r] = unpack(spread.outputs[r]);
  if (options.progress) options.progress(1.0, "simulating replications");

  SimulationResult res;
  res.scenario_name = scenario.name;
  res.options = options;
  res.options.progress = nullptr;
  res.options.ranks = nullptr;
  res.rank_shares = std::move(spread.shares);
  res.engine_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  res.roads = prepared.road_summary;
  const auto& names = cell_metric_names();
  std::vector<double> samples(reps);
  const std::size_t overall_count = kCellSlots + kExtraMetrics.size();
  for (std::size_t k = 0; k < overall_count; ++k) {
    for (std::size_t r = 0; r < reps; ++r) samples[r] = outs[r].overall[k];
    if (k < kCellSlots)
      res.overall.push_back(make_metric(names[k], kCellMetricUnits[k], samples));
    else
      res.overall.push_back(make_metric(kExtraMetrics[k - kCellSlots].first,
                                        kExtraMetrics[k - kCellSlots].second, samples));
  }
  for (std::size_t t = 0; t < scenario.worker_types.size(); ++t) {
    for (std::size_t r = 0; r < reps; ++r) samples[r] = outs[r].type_utilisation[t];
    res.utilisation_by_type.push_back(make_metric(scenario.worker_types[t].name, "share", samples));
  }
  for (std::size_t d = 0, k = 0; d < prepared.dept_capacity.size(); ++d) {
    if (prepared.dept_capacity[d] == 0) continue;
    for (std::size_t r = 0; r < reps; ++r) samples[r] = outs[r].dept_utilisation[k];
    res.utilisation_by_department.push_back(make_metric(prepared.dept_names[d], "share", samples));
    ++k;
  }
  std::size_t days = 0;
  for (const auto& o : outs) days = std::max(days, o.backlog.size());
  for (std::size_t d = 0; d < days; ++d) {
    std::vector<double> v;
    for (const auto& o : outs) v.push_back(d < o.backlog.size() ? o.backlog[d] : kNaN);
    res.backlog_by_day.push_back(estimate(v));
  }
  for (const auto& o : outs) res.events += o.events;
  // Yearly workload per building: the mean over replications, scaled from the measured days.
  res.building_workload_h.assign(prepared.buildings.size(), 0.0);
  for (const auto& b : prepared.buildings) res.building_unit.push_back(b.unit);
  for (const auto& o : outs)
    for (std::size_t b = 0; b < o.building_work_h.size(); ++b)
      res.building_workload_h[b] +=
          o.building_work_h[b] * 365.0 / options.days / static_cast<double>(reps);

  // Deterministic parts: staff, cost, service coverage.
  std::vector<double> within(plan.cells.size(), 0), cell_hh(plan.cells.size(), 0);
  const double r2 = scenario.walk_radius_m * scenario.walk_radius_m;
  double covered = 0, households = 0;
  for (const auto& b : prepared.buildings) {
    bool near = false;
    for (const auto& f : plan.facilities) {
      const double dx = f.location.x - b.position.x, dy = f.location.y - b.position.y;
      if (dx * dx + dy * dy <= r2) {
        near = true;
        break;
      }
    }
    cell_hh[b.cell] += b.households;
    households += b.households;
    if (near) {
      within[b.cell] += b.households;
      covered += b.households;
    }
  }
  res.households = households;
  res.walk_coverage_share = households > 0 ? covered / households : 0;
  for (const auto& f : plan.facilities) res.station_floor_area_m2 += f.floor_area_m2;
  res.station_floor_area_norm_m2 = households / 100.0 * scenario.floor_area_m2_per_100_households;
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    CellResult cr;
    cr.cell_code = plan.cells[c].code;
    cr.area_code = plan.cells[c].area_code;
    cr.households = plan.cells[c].households;
    for (std::size_t t = 0; t < scenario.worker_types.size(); ++t) {
      cr.workers += counts[c][t];
      cr.staff_cost_yuan += counts[c][t] * scenario.worker_types[t].annual_cost_yuan;
    }
    cr.households_within_walk = cell_hh[c] > 0 ? within[c] / cell_hh[c] : 0;
    for (std::size_t k = 0; k < kCellSlots; ++k) {
      for (std::size_t r = 0; r < reps; ++r) samples[r] = outs[r].cells[c][k];
      cr.metrics.push_back(make_metric(names[k], kCellMetricUnits[k], samples));
    }
    res.workers += cr.workers;
    res.annual_staff_cost_yuan += cr.staff_cost_yuan;
    res.cells.push_back(std::move(cr));
  }
  res.cost_per_household_yuan = households > 0 ? res.annual_staff_cost_yuan / households : 0;
  const double routed = res.metric("road_routed_share").value.mean;
  if (res.roads.used && routed < kMinRoutedShare)
    res.warnings.push_back(fmt::format(
        "only {:.1f} % of trips were routed on the road network ({} components; {:.1f} % of "
        "buildings on the main one); the others used straight line x {} detour",
        100 * routed, res.roads.components, 100 * res.roads.buildings_on_main_share,
        scenario.detour_factor));
  return res;
}

} // namespace gp::sim
