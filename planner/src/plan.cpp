#include "gp/planner/plan.hpp"
#include "gp/planner/floors.hpp"
#include "gp/planner/plan_file.hpp"

#include "gp/core/random.hpp"
#include "gp/core/thread_pool.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "plan_internal.hpp"

namespace gp::planner {
namespace detail {

std::uint64_t area_seed(std::uint64_t seed, const std::string& area_code) {
  return derive_seed(seed, fnv1a(area_code));
}

std::string format_value(double v) {
  if (std::abs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
  return fmt::format("{:.1f}", v);
}

std::vector<double> add_floor_fields(PlanOptions& options) {
  for (const auto& f : options.floors) {
    if (!(f.minimum >= 0) || !std::isfinite(f.minimum))
      throw UsageError(fmt::format("--at-least {}: the floor must be a finite number >= 0 (got {})",
                                   f.field, f.minimum));
    const bool present = std::any_of(options.secondary.begin(), options.secondary.end(),
                                     [&](const SecondaryField& s) { return s.name == f.field; });
    if (!present) options.secondary.push_back(SecondaryField{f.field, 0.0});
  }
  std::vector<double> floors(options.secondary.size(), 0.0);
  for (const auto& f : options.floors)
    for (std::size_t k = 0; k < options.secondary.size(); ++k)
      if (options.secondary[k].name == f.field) floors[k] = std::max(floors[k], f.minimum);
  return floors;
}

void add_floor_violations(const geo::Dataset& dataset, Plan& plan) {
  for (const auto& v : check_floors(dataset, plan, plan.options.floors))
    plan.violations.push_back(to_plan_violation(v));
}

std::vector<AreaJob> area_jobs(const geo::Dataset& dataset,
                               std::vector<std::uint32_t>& unassigned) {
  std::vector<AreaJob> jobs;
  bool any_community = false;
  for (const auto& a : dataset.areas)
    any_community = any_community || a.level == geo::AreaLevel::community;
  std::map<std::string, std::size_t> by_code;
  for (const auto& a : dataset.areas) {
    if (any_community && a.level != geo::AreaLevel::community) continue;
    if (by_code.count(a.code) != 0) continue; // duplicate codes: the reader reports them
    by_code.emplace(a.code, jobs.size());
    jobs.push_back(AreaJob{a.code, a.name, &a.geometry, {}, &a});
  }
  const bool derive = jobs.empty();
  if (derive) {
    // No areas at all: one area derived from the units. Its code: the units' common area
    // code when they all carry one, else twelve zeros plus one (documented in plan.md).
    std::string code = "000000000001";
    if (!dataset.units.empty() && !dataset.units.front().area_code.empty()) {
      const auto& first = dataset.units.front().area_code;
      if (std::all_of(dataset.units.begin(), dataset.units.end(),
                      [&](const geo::Unit& u) { return u.area_code == first; }))
        code = first;
    }
    jobs.push_back(AreaJob{code, "derived area", nullptr, {}, nullptr});
  }
  for (std::uint32_t u = 0; u < dataset.units.size(); ++u) {
    if (derive) {
      jobs.front().units.push_back(u);
      continue;
    }
    const auto it = by_code.find(dataset.units[u].area_code);
    if (it == by_code.end()) {
      unassigned.push_back(u);
    } else {
      jobs[it->second].units.push_back(u);
    }
  }
  // Plan every area's units in a canonical order (by position, then shape and values), so
  // that the same buildings read in another order (FlatGeobuf's spatial index, a shuffled
  // GeoJSON) give the same graph, the same search and the same cells.
  for (auto& job : jobs) sort_units_canonically(dataset, job.units);
  return jobs;
}

void sort_units_canonically(const geo::Dataset& dataset, std::vector<std::uint32_t>& units) {
  struct Key {
    double x, y, footprint, households, population;
    std::size_t vertices;
    std::uint32_t index;
  };
  std::vector<Key> keys;
  keys.reserve(units.size());
  for (auto u : units) {
    const auto& unit = dataset.units[u];
    std::size_t vertices = 0;
    for (const auto& p : unit.geometry) {
      vertices += p.outer.size();
      for (const auto& h : p.holes) vertices += h.size();
    }
    keys.push_back(Key{unit.anchor.x, unit.anchor.y, geo::area(unit.geometry), unit.households,
                       unit.population, vertices, u});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.x != b.x) return a.x < b.x;
    if (a.y != b.y) return a.y < b.y;
    if (a.footprint != b.footprint) return a.footprint < b.footprint;
    if (a.households != b.households) return a.households < b.households;
    if (a.population != b.population) return a.population < b.population;
    if (a.vertices != b.vertices) return a.vertices < b.vertices;
    return a.index < b.index; // identical units: interchangeable
  });
  for (std::size_t i = 0; i < keys.size(); ++i) units[i] = keys[i].index;
}

namespace {
/// Barriers whose box meets the area's box (grown by 1 m).
std::vector<geo::LineString> barriers_near(const geo::Dataset& dataset, const geo::Box& box) {
  geo::Box grown{box.min_x - 1, box.min_y - 1, box.max_x + 1, box.max_y + 1};
  std::vector<geo::LineString> lines;
  for (const auto& b : dataset.barriers)
    if (b.geometry.size() >= 2 && geo::bounds(b.geometry).intersects(grown))
      lines.push_back(b.geometry);
  return lines;
}
} // namespace

AreaGraph area_graph(const geo::Dataset& dataset, const AreaJob& job, const UnitValues& values,
                     const PlanOptions& options) {
  AreaGraph graph;
  if (job.units.empty()) {
    graph.area = job.geometry != nullptr ? *job.geometry : geo::MultiPolygon{};
    graph.derived_area = job.geometry == nullptr;
    return graph;
  }
  GraphBuildOptions graph_options = options.graph;
  // Components too light to be a cell of their own (below the minimum, or below half a
  // cell with --cells) are joined to their nearest neighbour by a bridge edge.
  double area_total = 0;
  for (auto u : job.units) area_total += values.balance[u];
  graph_options.join_components_below =
      options.cells_per_area > 0 ? area_total / (2.0 * options.cells_per_area) : options.min_weight;
  geo::Box box = geo::Box::none();
  if (job.geometry != nullptr) box = geo::bounds(*job.geometry);
  for (auto u : job.units) {
    box.expand(dataset.units[u].anchor);
    box.expand(geo::bounds(dataset.units[u].geometry));
  }
  const auto lines = barriers_near(dataset, box);
  std::optional<geo::LineIndex> barrier_index;
  if (!lines.empty()) barrier_index.emplace(lines);
  return build_area_graph(dataset, job.units, job.geometry, values,
                          barrier_index ? &*barrier_index : nullptr, graph_options);
}

} // namespace detail

PlannedAreas planned_areas(const geo::Dataset& dataset) {
  std::vector<std::uint32_t> unassigned;
  PlannedAreas planned;
  for (const auto& job : detail::area_jobs(dataset, unassigned)) {
    planned.codes.push_back(job.code);
    planned.units.push_back(static_cast<double>(job.units.size()));
  }
  planned.dataset_units = dataset.units.size();
  return planned;
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void validate(const PlanOptions& o) {
  if (o.cells_per_area < 0) throw UsageError("--cells must be positive");
  if (o.cells_per_area == 0) {
    if (!(o.min_weight >= 0) || !(o.max_weight > 0))
      throw UsageError(fmt::format("--min and --max must be positive (got {} and {})", o.min_weight,
                                   o.max_weight));
    if (o.min_weight > o.max_weight)
      throw UsageError(
          fmt::format("--min ({}) is larger than --max ({})", o.min_weight, o.max_weight));
  }
  if (!(o.effort > 0) || o.effort > 1000)
    throw UsageError(fmt::format("--effort must be in (0, 1000] (got {})", o.effort));
  if (!(o.time_limit_s >= 0))
    throw UsageError(fmt::format("--time-limit must be >= 0 (got {})", o.time_limit_s));
  if (!(o.tolerance >= 0) || o.tolerance >= 1)
    throw UsageError(fmt::format("--tolerance must be in [0,1) (got {})", o.tolerance));
  for (const auto& s : o.secondary)
    if (!(s.weight >= 0))
      throw UsageError(fmt::format("secondary field '{}': weight must be >= 0", s.name));
}

} // namespace

Plan make_plan(const geo::Dataset& dataset, const PlanOptions& options_in) {
  const auto start = Clock::now();
  validate(options_in);
  Plan plan;
  PlanOptions options = options_in;
  const auto floors = detail::add_floor_fields(options);
  plan.options = options;
  plan.options.progress = nullptr;
  plan.options.ranks = nullptr;
  plan.options.whole = nullptr;
  const Ranks& ranks = options.ranks != nullptr ? *options.ranks : single_process();

  // Values per unit (throws for unknown fields before any heavy work).
  UnitValues values;
  values.balance = unit_field_values(dataset, options.balance_field);
  for (const auto& s : options.secondary)
    values.secondary.push_back(unit_field_values(dataset, s.name));
  const auto households = unit_field_values(dataset, "households");
  const auto population = unit_field_values(dataset, "population");

  std::vector<std::uint32_t> unassigned;
  const auto jobs = detail::area_jobs(dataset, unassigned);
  const PlannedAreas* whole = options.whole;
  if (whole != nullptr) {
    bool same = whole->codes.size() == jobs.size() && whole->units.size() == jobs.size();
    for (std::size_t i = 0; same && i < jobs.size(); ++i) same = whole->codes[i] == jobs[i].code;
    if (!same)
      throw Error(fmt::format("rank {}: its areas are not the root's ({} areas, the root {})",
                              ranks.rank(), jobs.size(), whole->codes.size()));
  }
  // Effort: the partitioner's automatic restarts (by graph size) suit a few communities;
  // for big datasets (many communities) a budget keeps the whole plan near I/O speed.
  const std::size_t dataset_units = whole != nullptr ? whole->dataset_units : dataset.units.size();
  const bool big = jobs.size() > 50 || dataset_units > 200000;
  const int restarts = options.restarts > 0     ? options.restarts
                       : big                    ? 1
                       : dataset_units <= 20000 ? 0
                                                : 2;

  // Progress: by units of this rank's areas, each area's share split between graph (40 %),
  // partition (40 %) and geometry (20 %).
  std::mutex progress_mutex;
  std::vector<double> area_progress(jobs.size(), 0.0);
  double total_work = 0;
  std::vector<double> work(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i)
    work[i] = static_cast<double>(jobs[i].units.size()) + 1.0;
  double reported_sum = 0;
  auto report = [&](std::size_t area, double fraction, const char* label) {
    if (!options.progress) return;
    std::lock_guard lock(progress_mutex);
    const double f = std::clamp(fraction, 0.0, 1.0) * work[area];
    reported_sum += f - area_progress[area];
    area_progress[area] = f;
    options.progress(reported_sum / total_work, label);
  };

  std::vector<detail::AreaOutcome> outcomes(jobs.size());
  auto plan_area_unnamed = [&](std::size_t i) {
    const auto& job = jobs[i];
    auto& outcome = outcomes[i];
    auto t = Clock::now();
    if (whole != nullptr && static_cast<double>(job.units.size()) != whole->units[i])
      throw Error(fmt::format("this rank read {} of its units, the full read {}: the two reads "
                              "differ (docs/design/scale.md)",
                              job.units.size(), whole->units[i]));
    report(i, 0.0, "building unit graphs");

    AreaGraph graph = detail::area_graph(dataset, job, values, options);
    PartitionResult result;
    outcome.graph_seconds = seconds_since(t);
    report(i, 0.4, "partitioning");

    t = Clock::now();
    if (!job.units.empty()) {
      PartitionSpec spec;
      spec.min_weight = options.min_weight;
      spec.max_weight = options.max_weight;
      spec.parts = options.cells_per_area;
      spec.tolerance = options.tolerance;
      spec.objective = options.objective;
      spec.hard_barriers = options.hard_barriers;
      for (const auto& s : options.secondary) spec.secondary_weights.push_back(s.weight);
      spec.secondary_floors = floors;
      spec.seed = detail::area_seed(options.seed, job.code);
      spec.restarts = restarts;
      spec.effort = options.effort;
      spec.time_limit_s = options.time_limit_s;
      spec.progress = [&, i](double f) { report(i, 0.4 + 0.4 * f, "partitioning"); };
      result = partition(graph.graph, spec);
    }
    outcome.partition_seconds = seconds_since(t);
    report(i, 0.8, "cell geometry");

    t = Clock::now();
    outcome.area.code = job.code;
    outcome.area.name = job.name;
    detail::build_cells(dataset, graph, result, values, households, population, options, outcome);
    detail::record_area(graph, options, outcome);
    if (job.area != nullptr) {
      auto& a = outcome.area;
      a.households_total = job.area->households_total;
      a.population_total = job.area->population_total;
      a.totals_source = job.area->totals_source;
      a.households_given = job.area->households_given;
      a.households_estimated = job.area->households_estimated;
      a.households_scaled = job.area->households_scaled;
      a.scale_factor = job.area->scale_factor;
      a.flags = job.area->calibration_flags;
      a.untyped_floor_area_share = job.area->untyped_floor_area_share;
    } else {
      for (auto u : job.units)
        (dataset.units[u].households_source == geo::ValueSource::given
             ? outcome.area.households_given
             : outcome.area.households_estimated) += dataset.units[u].households;
      outcome.area.households_scaled = outcome.area.households_estimated;
      outcome.area.untyped_floor_area_share = dataset.report.untyped_floor_area_share;
    }
    for (const auto& c : outcome.cells) outcome.area.cells_oversized += c.oversized ? 1 : 0;
    outcome.geometry_seconds = seconds_since(t);
    report(i, 1.0, "cell geometry");
  };

  // A failure names its community (on every rank of a distributed run).
  auto plan_area = [&](std::size_t i) {
    try {
      plan_area_unnamed(i);
    } catch (...) {
      rethrow_with_context("community " + jobs[i].code);
    }
  };

  // Areas dealt to the ranks by units; on each rank in parallel, largest first so the
  // threads finish together. Each area's result depends only on its own inputs, so the plan
  // depends neither on the thread count nor on the number of ranks.
  // Ranks that read only their own communities deal by the full read's sizes (whole).
  std::vector<double> sizes(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i)
    sizes[i] = whole != nullptr ? whole->units[i] : static_cast<double>(jobs[i].units.size());
  auto spread = spread_jobs(
      ranks, sizes,
      [&](const std::vector<std::size_t>& mine) {
        for (const auto i : mine) total_work += work[i];
        detail::run_area_jobs(jobs, mine, options.threads, plan_area);
        // One process: the outcomes stay where they are. Several: each travels packed,
        // its units as positions in the area's canonical order (the same on every rank,
        // whatever else a rank read), and is freed here as soon as it is.
        std::vector<std::string> packed(mine.size());
        if (ranks.size() > 1)
          for (std::size_t k = 0; k < mine.size(); ++k) {
            detail::to_job_positions(outcomes[mine[k]], jobs[mine[k]].units);
            packed[k] = detail::pack_outcome(outcomes[mine[k]]);
            outcomes[mine[k]] = {};
          }
        return packed;
      },
      false, static_cast<double>(dataset.report.features_read));
  plan.rank_shares = std::move(spread.shares);
  if (!ranks.is_root()) return plan;
  if (ranks.size() > 1)
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      outcomes[i] = detail::unpack_outcome(spread.outputs[i]);
      std::string().swap(spread.outputs[i]);
      detail::to_dataset_indices(outcomes[i], jobs[i].units);
    }

  // Assemble in area order.
  plan.unit_cell.assign(dataset.units.size(), -1);
  double graph_s = 0, partition_s = 0, geometry_s = 0;
  for (auto& outcome : outcomes) {
    detail::append_area(plan, outcome);
    graph_s += outcome.graph_seconds;
    partition_s += outcome.partition_seconds;
    geometry_s += outcome.geometry_seconds;
  }
  if (!unassigned.empty()) {
    std::string fids;
    for (std::size_t k = 0; k < unassigned.size() && k < 10; ++k)
      fids += (k ? ", " : "") + std::to_string(dataset.units[unassigned[k]].source_fid);
    if (unassigned.size() > 10) fids += ", ...";
    plan.violations.push_back(PlanViolation{
        "", "", "unassigned",
        fmt::format("{} unit(s) lie outside every area (beyond the assignment tolerance) and "
                    "are in no cell: source features {}",
                    unassigned.size(), fids)});
  }
  plan.timings = {{"graph", graph_s}, {"partition", partition_s}, {"geometry", geometry_s}};
  detail::add_floor_violations(dataset, plan);

  detail::summarize(dataset, plan, dataset.units.size(), unassigned.size(), options.balance_field);
  plan.summary.untyped_floor_area_share = dataset.report.untyped_floor_area_share;
  plan.summary.effort = options.effort;
  plan.summary.time_limit_s = options.time_limit_s;
  plan.summary.seconds = seconds_since(start);
  if (options.progress) options.progress(1.0, "planned");
  return plan;
}

namespace detail {

void run_area_jobs(const std::vector<AreaJob>& jobs, unsigned threads,
                   const std::function<void(std::size_t)>& run) {
  std::vector<std::size_t> all(jobs.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  run_area_jobs(jobs, all, threads, run);
}

void run_area_jobs(const std::vector<AreaJob>& jobs, const std::vector<std::size_t>& subset,
                   unsigned threads, const std::function<void(std::size_t)>& run) {
  std::vector<std::size_t> order = subset;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return jobs[a].units.size() > jobs[b].units.size();
  });
  run_jobs(order, threads, run);
}

void append_area(Plan& plan, AreaOutcome& outcome) {
  auto area = std::move(outcome.area);
  area.cells.clear();
  const std::size_t area_index = plan.areas.size();
  for (auto& cell : outcome.cells) {
    cell.area_index = area_index;
    const auto ci = plan.cells.size();
    for (auto u : cell.units) plan.unit_cell[u] = static_cast<std::int64_t>(ci);
    area.cells.push_back(ci);
    plan.cells.push_back(std::move(cell));
  }
  plan.areas.push_back(std::move(area));
  for (auto& v : outcome.violations) plan.violations.push_back(std::move(v));
  plan.adjacency.insert(plan.adjacency.end(), outcome.adjacency.begin(), outcome.adjacency.end());
  plan.adjacency_bridge.insert(plan.adjacency_bridge.end(), outcome.adjacency_bridge.begin(),
                               outcome.adjacency_bridge.end());
}

void record_area(const AreaGraph& graph, const PlanOptions& options, AreaOutcome& outcome) {
  const auto& g = graph.graph;
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v) {
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto w = g.targets[k];
      if (w <= v) continue;
      auto a = graph.units[v], b = graph.units[w];
      if (a > b) std::swap(a, b);
      outcome.adjacency.push_back(Edge{a, b, g.edge_length[k], g.edge_barrier[k] != 0});
      const bool bridge = !graph.component.empty() && graph.component[v] != graph.component[w];
      outcome.adjacency_bridge.push_back(bridge ? 1 : 0);
    }
  }
  auto& area = outcome.area;
  if (options.cells_per_area > 0) {
    const double mean =
        outcome.cells.empty() ? 0.0 : area.balance / static_cast<double>(outcome.cells.size());
    area.lower_bound = mean * (1 - options.tolerance);
    area.upper_bound = mean * (1 + options.tolerance);
  } else {
    area.lower_bound = options.min_weight;
    area.upper_bound = options.max_weight;
  }
}

void summarize(const geo::Dataset& dataset, Plan& plan, std::size_t units, std::size_t unassigned,
               const std::string& balance_field) {
  // Within-bounds and contiguity are the plan file's judgement (plan_file::judge), so every
  // reader of the plan finds the same figures as the planner.
  const auto judgement = plan_file::judge_plan(dataset, plan);
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    plan.cells[c].within_bounds = judgement.cells[c].within_bounds;
    plan.cells[c].contiguous = judgement.cells[c].contiguous;
  }
  auto& s = plan.summary;
  s.areas = plan.areas.size();
  s.cells = plan.cells.size();
  s.units = units;
  s.units_planned = units - unassigned;
  s.balance_field = balance_field;
  s.violations = plan.violations.size();
  if (!plan.cells.empty()) {
    s.balance_min = std::numeric_limits<double>::infinity();
    s.balance_max = -std::numeric_limits<double>::infinity();
    double sum = 0, pp = 0;
    std::size_t within = 0, contiguous = 0, regular = 0, regular_within = 0;
    for (const auto& c : plan.cells) {
      if (c.oversized) {
        ++s.cells_oversized;
      } else {
        ++regular;
        regular_within += c.within_bounds ? 1 : 0;
      }
      if (!(c.households > 0) && plan.areas[c.area_index].households > 0) ++s.empty_cells;
      s.balance_min = std::min(s.balance_min, c.balance);
      s.balance_max = std::max(s.balance_max, c.balance);
      sum += c.balance;
      pp += c.polsby_popper;
      s.max_abs_deviation_pct = std::max(s.max_abs_deviation_pct, std::abs(c.deviation_pct));
      within += c.within_bounds ? 1 : 0;
      contiguous += c.contiguous ? 1 : 0;
    }
    const double n = static_cast<double>(plan.cells.size());
    s.balance_mean = sum / n;
    s.mean_polsby_popper = pp / n;
    s.share_within_bounds = static_cast<double>(within) / n;
    s.share_contiguous = static_cast<double>(contiguous) / n;
    s.share_within_bounds_regular =
        regular > 0 ? static_cast<double>(regular_within) / static_cast<double>(regular) : 1.0;
  }
  for (const auto& a : plan.areas) {
    s.cut_edges += a.cut_edges;
    s.households += a.households;
    s.households_given += a.households_given;
    s.households_estimated += a.households_scaled;
    s.areas_with_totals += a.households_total >= 0 || a.population_total >= 0 ? 1 : 0;
    s.areas_flagged += a.flags.empty() ? 0 : 1;
  }
  s.cut_edges = judgement.cut_edges;
}

} // namespace detail

} // namespace gp::planner
