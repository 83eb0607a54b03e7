// Redrawing existing grid layers over a dataset (`gridplan rebalance` and `gridplan merge`):
// place units in the existing cells, repair each area's division with rebalance() (or merge
// several with merge_assignments()), then build cells with the planner's own geometry and
// metrics (detail::build_cells) and give them back their codes.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/core.h>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/rebalance.hpp"
#include "plan_internal.hpp"

namespace gp::planner {
namespace {

using Clock = std::chrono::steady_clock;

/// Units placed in one grid: per dataset unit, the index of its code in `codes` or -1.
struct Placement {
  std::vector<std::string> codes; ///< distinct codes, in order of first feature
  std::vector<std::vector<std::size_t>> features_of_code;
  std::vector<std::int64_t> code_of_unit;
  GridResolution resolution;
};

Placement place_units(const geo::Dataset& dataset, const ExistingGrid& grid) {
  Placement p;
  auto& res = p.resolution;
  res.name = grid.name;
  res.cells = grid.polygons.size();
  if (grid.codes.size() != grid.polygons.size())
    throw UsageError(fmt::format("{}: {} codes for {} polygons", grid.name, grid.codes.size(),
                                 grid.polygons.size()));
  // Features sharing a code are one cell (a cell drawn as several features).
  std::map<std::string, std::size_t> index_of_code;
  std::vector<std::size_t> code_of_feature(grid.polygons.size());
  for (std::size_t f = 0; f < grid.polygons.size(); ++f) {
    auto [it, inserted] = index_of_code.emplace(grid.codes[f], p.codes.size());
    if (inserted) {
      p.codes.push_back(grid.codes[f]);
      p.features_of_code.emplace_back();
    } else if (p.features_of_code[it->second].size() == 1) {
      res.duplicate_codes.push_back(grid.codes[f]);
    }
    p.features_of_code[it->second].push_back(f);
    code_of_feature[f] = it->second;
  }

  std::vector<const geo::MultiPolygon*> polygons;
  for (const auto& g : grid.polygons) polygons.push_back(&g);
  const geo::PolygonIndex index(polygons);
  p.code_of_unit.assign(dataset.units.size(), -1);
  for (std::size_t u = 0; u < dataset.units.size(); ++u) {
    const auto& unit = dataset.units[u];
    geo::Box box = geo::Box::none();
    box.expand(unit.anchor);
    if (!unit.geometry.empty()) box.expand(geo::bounds(unit.geometry));
    auto candidates = index.query(box);
    std::sort(candidates.begin(), candidates.end());
    std::vector<std::size_t> containing;
    for (const auto f : candidates)
      if (geo::contains(grid.polygons[f], unit.anchor)) containing.push_back(f);
    // Largest footprint overlap among `among` (the first one for point units).
    auto largest_overlap = [&](const std::vector<std::size_t>& among) -> long {
      long best = -1;
      double best_area = 0;
      for (const auto f : among) {
        const double a =
            unit.geometry.empty() ? 0.0 : geo::intersection_area(unit.geometry, grid.polygons[f]);
        if (best < 0 || a > best_area) {
          best = static_cast<long>(f);
          best_area = a;
        }
      }
      return best;
    };
    long chosen = -1;
    if (containing.size() == 1) {
      chosen = static_cast<long>(containing.front());
      ++res.units_contained;
    } else if (containing.size() > 1) {
      chosen = largest_overlap(containing);
      ++res.units_in_overlaps;
    } else if (!unit.geometry.empty() && !candidates.empty()) {
      const long f = largest_overlap(candidates);
      if (f >= 0 &&
          geo::intersection_area(unit.geometry, grid.polygons[static_cast<std::size_t>(f)]) > 0) {
        chosen = f;
        ++res.units_by_overlap;
      }
    }
    if (chosen < 0) {
      ++res.units_in_gaps;
      continue;
    }
    p.code_of_unit[u] =
        static_cast<std::int64_t>(code_of_feature[static_cast<std::size_t>(chosen)]);
  }

  // The layer's own overlaps (hand-drawn grids): pairs of features of different codes.
  for (std::size_t f = 0; f < grid.polygons.size(); ++f) {
    if (grid.polygons[f].empty()) continue;
    auto near = index.query(geo::bounds(grid.polygons[f]));
    std::sort(near.begin(), near.end());
    for (const auto h : near) {
      if (h <= f || code_of_feature[h] == code_of_feature[f]) continue;
      const double a = geo::intersection_area(grid.polygons[f], grid.polygons[h]);
      if (a > 1.0) {
        ++res.overlapping_pairs;
        res.overlap_area_m2 += a;
      }
    }
  }
  std::vector<std::uint8_t> used(p.codes.size(), 0);
  for (const auto c : p.code_of_unit)
    if (c >= 0) used[static_cast<std::size_t>(c)] = 1;
  for (const auto x : used) res.empty_cells += x ? 0 : 1;
  return p;
}

void set_geometry(Cell& c, geo::MultiPolygon g) {
  c.geometry = std::move(g);
  c.area_m2 = geo::area(c.geometry);
  c.perimeter_m = geo::perimeter(c.geometry);
  c.polsby_popper = geo::polsby_popper(c.geometry);
  c.parts = c.geometry.size();
  c.contiguous = c.contiguous || c.parts <= 1;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

Plan redraw_plan(const geo::Dataset& dataset, const std::vector<ExistingGrid>& grids,
                 const RedrawOptions& options, RedrawReport& report) {
  const auto start = Clock::now();
  PlanOptions popt = options.plan;
  const auto floors = detail::add_floor_fields(popt);
  if (grids.empty()) throw UsageError("no existing grid layer given");
  if (popt.cells_per_area > 0)
    throw UsageError("--cells is not supported when redrawing existing grids; use --min/--max");
  if (!(popt.min_weight >= 0) || !(popt.max_weight > 0) || popt.min_weight > popt.max_weight)
    throw UsageError(fmt::format("--min ({}) and --max ({}) must be positive with min <= max",
                                 popt.min_weight, popt.max_weight));
  if (!(options.stability >= 0))
    throw UsageError(fmt::format("--stability must be >= 0 (got {})", options.stability));

  report = RedrawReport{};
  UnitValues values;
  values.balance = unit_field_values(dataset, popt.balance_field);
  for (const auto& s : popt.secondary)
    values.secondary.push_back(unit_field_values(dataset, s.name));
  const auto households = unit_field_values(dataset, "households");
  const auto population = unit_field_values(dataset, "population");

  auto progress = [&](double f, const std::string& label) {
    if (popt.progress) popt.progress(std::clamp(f, 0.0, 1.0), label);
  };
  progress(0, "placing units in existing cells");
  std::vector<Placement> placements;
  for (const auto& grid : grids) {
    placements.push_back(place_units(dataset, grid));
    report.grids.push_back(placements.back().resolution);
  }

  // Locked codes per grid: each grid's own flags; --lock codes in the first grid having them.
  const auto& first = placements.front();
  std::vector<std::set<std::string>> locked(grids.size());
  for (std::size_t k = 0; k < grids.size(); ++k)
    for (std::size_t f = 0; f < grids[k].locked.size() && f < grids[k].codes.size(); ++f)
      if (grids[k].locked[f]) locked[k].insert(grids[k].codes[f]);
  for (const auto& code : options.locked_codes) {
    std::size_t k = 0;
    while (k < grids.size() && std::find(placements[k].codes.begin(), placements[k].codes.end(),
                                         code) == placements[k].codes.end())
      ++k;
    if (k == grids.size())
      throw UsageError(fmt::format("--lock: no cell with code '{}' in {}", code,
                                   grids.size() == 1 ? grids.front().name : "any grid"));
    locked[k].insert(code);
  }
  for (const auto& g : grids)
    if (!(g.weight > 0) || !std::isfinite(g.weight))
      throw UsageError(fmt::format("{}: weight {} must be a positive number", g.name, g.weight));
  const bool merging = grids.size() > 1;

  std::vector<std::uint32_t> unassigned;
  const auto jobs = detail::area_jobs(dataset, unassigned);
  std::vector<std::int64_t> area_of_unit(dataset.units.size(), -1);
  for (std::size_t i = 0; i < jobs.size(); ++i)
    for (const auto u : jobs[i].units) area_of_unit[u] = static_cast<std::int64_t>(i);

  // Home area of each code of each grid: where most of its households (then units) are.
  std::vector<std::vector<std::int64_t>> home(grids.size());
  for (std::size_t k = 0; k < grids.size(); ++k) {
    std::vector<std::map<std::int64_t, std::pair<double, std::size_t>>> share(
        placements[k].codes.size());
    for (std::size_t u = 0; u < dataset.units.size(); ++u) {
      const auto c = placements[k].code_of_unit[u];
      if (c < 0 || area_of_unit[u] < 0) continue;
      auto& s = share[static_cast<std::size_t>(c)][area_of_unit[u]];
      s.first += households[u];
      ++s.second;
    }
    home[k].assign(placements[k].codes.size(), -1);
    for (std::size_t c = 0; c < share.size(); ++c) {
      std::pair<double, std::size_t> best{-1.0, 0};
      for (const auto& [a, s] : share[c])
        if (s.first > best.first + 1e-9 ||
            (s.first >= best.first - 1e-9 && s.second > best.second)) {
          best = s;
          home[k][c] = a;
        }
      if (k == 0 && share[c].size() > 1) ++report.grids[k].cells_across_areas;
      if (k > 0 && share[c].size() > 1) ++report.grids[k].cells_across_areas;
    }
  }

  // Codes checked against the scheme: the community a cell names is its home area.
  if (options.code_scheme) {
    for (const auto& job : jobs)
      if (!job.units.empty() && !codes::is_digits(job.code, codes::community_digits))
        throw InputError("input areas", "areas", std::nullopt,
                         fmt::format("community '{}' ({}): code is not {} digits, needed by the "
                                     "{} code scheme",
                                     job.code, job.name, codes::community_digits,
                                     codes::scheme_name(*options.code_scheme)));
    for (std::size_t k = 0; k < grids.size(); ++k) {
      std::vector<std::string> parents;
      for (std::size_t f = 0; f < grids[k].codes.size(); ++f) {
        const auto c = static_cast<std::size_t>(
            std::find(placements[k].codes.begin(), placements[k].codes.end(), grids[k].codes[f]) -
            placements[k].codes.begin());
        const auto a = home[k][c];
        parents.push_back(a >= 0 ? jobs[static_cast<std::size_t>(a)].code : std::string{});
      }
      const auto& name = grids[k].name;
      const auto colon = name.rfind(':');
      codes::throw_first(codes::validate_cell_codes(*options.code_scheme, grids[k].codes, parents),
                         colon == std::string::npos ? name : name.substr(0, colon),
                         colon == std::string::npos ? std::string{} : name.substr(colon + 1));
    }
  }

  report.agreement.resize(grids.size());
  for (std::size_t k = 0; k < grids.size(); ++k) {
    report.agreement[k].name = grids[k].name;
    report.agreement[k].weight = grids[k].weight;
  }
  std::map<std::string, std::size_t> before_by_rule;

  Plan plan;
  plan.options = popt;
  plan.options.progress = nullptr;
  plan.unit_cell.assign(dataset.units.size(), -1);
  double graph_s = 0, repair_s = 0, geometry_s = 0;
  // Codes in use per grid (new codes avoid them).
  // A code of another grid is kept only when no other grid uses it.
  std::set<std::string> codes_in_use;
  std::map<std::string, std::size_t> grids_using;
  for (std::size_t k = 0; k < grids.size(); ++k)
    for (const auto& code :
         std::set<std::string>(placements[k].codes.begin(), placements[k].codes.end())) {
      codes_in_use.insert(code);
      ++grids_using[code];
    }

  double work_total = 1, work_done = 0;
  for (const auto& job : jobs) work_total += static_cast<double>(job.units.size()) + 1;

  // Per area, independent of the others (so areas run in parallel and the result does not
  // depend on the thread count).
  struct AreaWork {
    detail::AreaOutcome outcome;
    std::map<std::string, std::size_t> before_by_rule;
    double graph_s = 0, repair_s = 0, geometry_s = 0;
    bool has_units = false;
    std::size_t chosen = 0;
    std::int64_t kept_input = -1; ///< input kept whole (repaired) in this area, or -1
    std::vector<double> boundary_kept, boundary_total, boundary_added;
    std::size_t fragments = 0, reunited = 0, splits = 0, replans = 0;
    std::vector<std::vector<std::size_t>> cell_agrees; ///< per outcome cell
    std::vector<std::uint32_t> disputed;               ///< dataset units
    std::vector<std::string> locked_codes, ignored_locks;
    double shared_total = 0, shared_kept = 0;
  };
  std::vector<AreaWork> works(jobs.size());
  std::mutex progress_mutex;
  auto redraw_area = [&](std::size_t i) {
    const auto& job = jobs[i];
    AreaWork& w = works[i];
    auto t = Clock::now();
    AreaGraph graph = detail::area_graph(dataset, job, values, popt);
    w.graph_s = seconds_since(t);
    const std::size_t n = graph.units.size();

    // Local part ids per grid: codes in order of code index; foreign = home elsewhere.
    std::vector<std::vector<std::int32_t>> local(grids.size());
    std::vector<std::vector<std::int64_t>> code_of_local(grids.size());
    std::vector<std::int32_t> parts(grids.size(), 0);
    for (std::size_t k = 0; k < grids.size(); ++k) {
      std::map<std::int64_t, std::int32_t> id;
      for (std::uint32_t v = 0; v < n; ++v) {
        const auto c = placements[k].code_of_unit[graph.units[v]];
        if (c >= 0) id.emplace(c, 0);
      }
      for (auto& [c, l] : id) {
        l = static_cast<std::int32_t>(code_of_local[k].size());
        code_of_local[k].push_back(c);
      }
      parts[k] = static_cast<std::int32_t>(code_of_local[k].size());
      local[k].assign(n, -1);
      for (std::uint32_t v = 0; v < n; ++v) {
        const auto c = placements[k].code_of_unit[graph.units[v]];
        if (c >= 0) local[k][v] = id.at(c);
      }
    }
    auto is_home = [&](std::size_t k, std::int32_t l) {
      return home[k][static_cast<std::size_t>(code_of_local[k][static_cast<std::size_t>(l)])] ==
             static_cast<std::int64_t>(i);
    };

    RebalanceSpec spec;
    spec.min_weight = popt.min_weight;
    spec.max_weight = popt.max_weight;
    spec.stability = options.stability;
    spec.hard_barriers = popt.hard_barriers;
    spec.seed = detail::area_seed(popt.seed, job.code);
    spec.secondary_floors = floors;
    auto code_of = [&](std::size_t k, std::int32_t l) -> const std::string& {
      return placements[k]
          .codes[static_cast<std::size_t>(code_of_local[k][static_cast<std::size_t>(l)])];
    };
    MergeOptions merge_options;
    // One grid: plain rebalance (choose-one of one input).
    merge_options.method = merging ? options.merge_method : MergeMethod::choose_one;
    merge_options.locked_parts.resize(grids.size());
    for (std::size_t k = 0; k < grids.size(); ++k) {
      merge_options.weights.push_back(grids[k].weight);
      for (std::int32_t l = 0; l < parts[k]; ++l)
        if (is_home(k, l) && locked[k].count(code_of(k, l)))
          merge_options.locked_parts[k].push_back(l);
    }

    t = Clock::now();
    for (const auto& viol : check_assignment(graph.graph, local[0], popt.min_weight,
                                             popt.max_weight, popt.hard_barriers))
      ++w.before_by_rule[viol.rule];
    MergeResult merged;
    if (n > 0) merged = merge_assignments(graph.graph, local, parts, spec, merge_options);
    const RebalanceResult& rr = merged.result;
    const std::size_t chosen = merged.chosen_input;
    w.repair_s = seconds_since(t);
    w.has_units = n > 0;
    w.chosen = chosen;
    w.kept_input = merge_options.method == MergeMethod::choose_one
                       ? static_cast<std::int64_t>(chosen)
                       : merged.from_input;
    w.boundary_kept = merged.boundary_kept;
    w.boundary_total = merged.boundary_total;
    w.boundary_added = merged.boundary_added;
    w.fragments = rr.fragments_reassigned;
    w.reunited = rr.groups_reunited;
    w.splits = rr.splits;
    w.replans = rr.replans;
    w.shared_total = merged.shared_boundary_total;
    w.shared_kept = merged.shared_boundary_kept;
    for (const auto& [k, l] : merged.ignored_locks)
      w.ignored_locks.push_back(fmt::format("{}: {}", grids[k].name, code_of(k, l)));
    for (std::uint32_t v = 0; v < n && v < merged.disputed.size(); ++v)
      if (merged.disputed[v]) w.disputed.push_back(graph.units[v]);

    t = Clock::now();
    PartitionResult pr;
    pr.part = rr.part;
    pr.parts = rr.parts;
    pr.violations = rr.violations;
    pr.min_weight = popt.min_weight;
    pr.max_weight = popt.max_weight;
    for (std::uint32_t v = 0; v < n; ++v)
      for (auto k = graph.graph.offsets[v]; k < graph.graph.offsets[v + 1]; ++k)
        if (graph.graph.targets[k] > v && pr.part[v] != pr.part[graph.graph.targets[k]]) {
          ++pr.cut_edges;
          pr.cut_length += graph.graph.edge_length[k];
        }
    detail::AreaOutcome& outcome = w.outcome;
    outcome.area.code = job.code;
    outcome.area.name = job.name;
    detail::build_cells(dataset, graph, pr, values, households, population, popt, outcome);
    detail::record_area(graph, popt, outcome);

    // Give cells back their codes: a surviving home part keeps its code in the chosen grid;
    // the others get the area's next free codes, in the planner's numbering order.
    std::map<std::uint32_t, std::uint32_t> vertex_of_unit;
    for (std::uint32_t v = 0; v < n; ++v) vertex_of_unit[graph.units[v]] = v;
    std::map<std::string, std::string> renamed;
    int next_suffix = 1;
    std::set<std::string> new_in_area; // new codes start with the area's code: no clash
                                       // with other areas' new codes
    auto next_code = [&] {
      for (;; ++next_suffix) {
        auto code = options.code_scheme
                        ? codes::cell_code(*options.code_scheme, job.code, next_suffix)
                        : fmt::format("{}{:03}", job.code, next_suffix);
        if (!codes_in_use.count(code) && new_in_area.insert(code).second) return code;
      }
    };
    // Per cell: 1 + the grid whose locked polygon it keeps, or 0.
    std::vector<std::size_t> cell_locked(outcome.cells.size(), 0);
    w.cell_agrees.resize(outcome.cells.size());
    std::set<std::string> taken;
    for (std::size_t c = 0; c < outcome.cells.size(); ++c) {
      auto& cell = outcome.cells[c];
      std::string code;
      if (!cell.units.empty()) {
        const auto label = rr.part[vertex_of_unit.at(cell.units.front())];
        const auto r = static_cast<std::size_t>(label);
        for (std::size_t k = 0; k < merged.same_as.size(); ++k)
          if (r < merged.same_as[k].size() && merged.same_as[k][r] >= 0)
            w.cell_agrees[c].push_back(k);
        // A cell locked by a grid keeps that grid's code.
        for (std::size_t k = 0; k < grids.size() && code.empty(); ++k) {
          const auto l = r < merged.same_as[k].size() ? merged.same_as[k][r] : -1;
          if (l >= 0 && is_home(k, l) && locked[k].count(code_of(k, l)) &&
              (k == chosen || grids_using[code_of(k, l)] == 1) && !taken.count(code_of(k, l))) {
            code = code_of(k, l);
            cell_locked[c] = k + 1;
          }
        }
        if (code.empty() && label < parts[chosen] && is_home(chosen, label))
          code = code_of(chosen, label);
        // A new cell identical to another grid's cell keeps that code (if only it uses it).
        for (std::size_t k = 0; k < grids.size() && code.empty(); ++k) {
          const auto l = r < merged.same_as[k].size() ? merged.same_as[k][r] : -1;
          if (l >= 0 && is_home(k, l) && grids_using[code_of(k, l)] == 1 &&
              !taken.count(code_of(k, l)))
            code = code_of(k, l);
        }
      }
      if (code.empty()) code = next_code();
      taken.insert(code);
      if (cell_locked[c]) w.locked_codes.push_back(code);
      renamed[cell.code] = code;
      cell.code = code;
    }
    for (auto& viol : outcome.violations)
      if (const auto it = renamed.find(viol.cell_code); it != renamed.end())
        viol.cell_code = it->second;

    // Locked cells keep their units. Every cell's polygon is the union of its units'
    // regions, so cells always tile the area; a locked cell also keeps its old polygon
    // byte for byte when that polygon is its units' regions (to 1e-9 of the area), and
    // otherwise is redrawn from them with a `lock` violation saying so.
    const double area_m2 = std::max(geo::area(graph.area), 1.0);
    for (std::size_t c = 0; c < outcome.cells.size(); ++c) {
      if (!cell_locked[c]) continue;
      auto& cell = outcome.cells[c];
      const std::size_t k = cell_locked[c] - 1; // the grid whose cell is locked
      const auto& codes = placements[k].codes;
      const auto code_index = static_cast<std::size_t>(
          std::find(codes.begin(), codes.end(), cell.code) - codes.begin());
      std::vector<const geo::MultiPolygon*> own;
      for (const auto f : placements[k].features_of_code[code_index])
        own.push_back(&grids[k].polygons[f]);
      auto old_polygon = own.size() == 1 ? *own.front() : geo::union_all(own);
      const double mismatch = geo::area(geo::difference(old_polygon, cell.geometry)) +
                              geo::area(geo::difference(cell.geometry, old_polygon));
      if (mismatch <= 1e-9 * area_m2) {
        set_geometry(cell, std::move(old_polygon));
      } else {
        outcome.violations.push_back(PlanViolation{
            cell.code, job.code, "lock",
            fmt::format("locked cell {} keeps its buildings, but its polygon differs from their "
                        "regions by {:.1f} m²: redrawn from them so the area has no gap or overlap",
                        cell.code, mismatch)});
      }
    }
    w.geometry_s = seconds_since(t);
    if (popt.progress) {
      std::lock_guard lock(progress_mutex);
      work_done += static_cast<double>(job.units.size()) + 1;
      progress(work_done / work_total, "repairing cells");
    }
  };

  detail::run_area_jobs(jobs, popt.threads, redraw_area);

  // Assemble in area order.
  std::set<std::string> locked_output;
  for (auto& w : works) {
    graph_s += w.graph_s;
    repair_s += w.repair_s;
    geometry_s += w.geometry_s;
    for (const auto& [rule, count] : w.before_by_rule) before_by_rule[rule] += count;
    if (w.has_units) {
      if (w.kept_input >= 0)
        ++report.agreement[static_cast<std::size_t>(w.kept_input)].areas_chosen;
      for (std::size_t k = 0; k < grids.size(); ++k) {
        report.agreement[k].boundary_kept_m += w.boundary_kept[k];
        report.agreement[k].boundary_total_m += w.boundary_total[k];
        report.agreement[k].boundary_added_m += w.boundary_added[k];
      }
      report.fragments_reassigned += w.fragments;
      report.groups_reunited += w.reunited;
      report.splits += w.splits;
      report.replans += w.replans;
    }
    report.shared_boundary_total_m += w.shared_total;
    report.shared_boundary_kept_m += w.shared_kept;
    report.disputed_units.insert(report.disputed_units.end(), w.disputed.begin(), w.disputed.end());
    report.ignored_locks.insert(report.ignored_locks.end(), w.ignored_locks.begin(),
                                w.ignored_locks.end());
    locked_output.insert(w.locked_codes.begin(), w.locked_codes.end());
    if (merging)
      for (auto& agrees : w.cell_agrees) {
        for (const auto k : agrees) ++report.agreement[k].cells_same;
        report.cell_agrees.push_back(std::move(agrees));
      }
    auto& outcome = w.outcome;
    detail::append_area(plan, outcome);
  }
  if (!unassigned.empty())
    plan.violations.push_back(PlanViolation{
        "", "", "unassigned",
        fmt::format("{} unit(s) lie outside every area and are in no cell", unassigned.size())});
  plan.timings = {{"graph", graph_s}, {"repair", repair_s}, {"geometry", geometry_s}};
  for (const auto& [rule, count] : before_by_rule)
    report.violations_before.emplace_back(rule, count);
  detail::add_floor_violations(dataset, plan);

  // Moves and codes relative to the first grid.
  std::map<std::string, std::pair<std::set<std::uint32_t>, std::set<std::uint32_t>>> members;
  for (std::uint32_t u = 0; u < dataset.units.size(); ++u) {
    const auto c = first.code_of_unit[u];
    const std::string before = c >= 0 ? first.codes[static_cast<std::size_t>(c)] : std::string{};
    const std::string after = plan.unit_cell[u] >= 0
                                  ? plan.cells[static_cast<std::size_t>(plan.unit_cell[u])].code
                                  : std::string{};
    if (!before.empty()) members[before].first.insert(u);
    if (!after.empty()) members[after].second.insert(u);
    if (before == after || after.empty()) continue;
    if (before.empty()) {
      report.gap_households += households[u];
      ++report.gap_units;
    } else {
      report.households_moved += households[u];
      ++report.units_moved;
    }
  }
  for (const auto& [code, m] : members) {
    const bool existed =
        std::find(first.codes.begin(), first.codes.end(), code) != first.codes.end();
    if (!existed)
      report.new_codes.push_back(code);
    else if (m.second.empty())
      report.retired_codes.push_back(code);
    else if (m.first == m.second)
      report.unchanged_codes.push_back(code);
    else
      report.changed_codes.push_back(code);
    if (locked_output.count(code)) report.locked_codes.push_back(code);
  }
  for (const auto& code : first.codes)
    if (!members.count(code)) report.retired_codes.push_back(code); // empty cells (slivers)
  std::sort(report.retired_codes.begin(), report.retired_codes.end());

  // Agreement with each input: households whose cell is not the input cell matched to it.
  for (std::size_t k = 0; k < grids.size(); ++k) {
    std::map<std::int64_t, std::map<std::int64_t, double>> shared; // result cell -> input code
    for (std::size_t u = 0; u < dataset.units.size(); ++u) {
      const auto c = placements[k].code_of_unit[u];
      if (c >= 0 && plan.unit_cell[u] >= 0) shared[plan.unit_cell[u]][c] += households[u] + 1e-6;
    }
    std::map<std::int64_t, std::int64_t> match;
    for (const auto& [cell, s] : shared) {
      double best = -1;
      for (const auto& [c, w] : s)
        if (w > best) {
          best = w;
          match[cell] = c;
        }
    }
    auto& a = report.agreement[k];
    for (std::size_t u = 0; u < dataset.units.size(); ++u) {
      const auto c = placements[k].code_of_unit[u];
      if (c < 0) continue;
      a.households_total += households[u];
      if (plan.unit_cell[u] < 0 || match[plan.unit_cell[u]] != c)
        a.households_changed += households[u];
    }
  }

  std::sort(report.disputed_units.begin(), report.disputed_units.end());
  for (const auto u : report.disputed_units) {
    report.disputed_households += households[u];
    std::vector<std::string> codes;
    for (const auto& p : placements) {
      const auto c = p.code_of_unit[u];
      codes.push_back(c >= 0 ? p.codes[static_cast<std::size_t>(c)] : std::string{});
    }
    report.disputed_codes.push_back(std::move(codes));
  }

  detail::summarize(dataset, plan, dataset.units.size(), unassigned.size(), popt.balance_field);
  plan.summary.seconds = seconds_since(start);
  report.seconds = plan.summary.seconds;
  progress(1, "redrawn");
  return plan;
}

} // namespace gp::planner
