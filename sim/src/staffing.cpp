#include "gp/sim/staffing.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "gp/core/error.hpp"

namespace gp::sim {

StaffTarget parse_staff_target(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    throw UsageError(fmt::format("--target '{}': expected METRIC=VALUE, e.g. on-time=0.95", text));
  std::string name = text.substr(0, eq);
  std::replace(name.begin(), name.end(), '-', '_');
  if (name == "on_time") name = "on_time_share";
  const auto& names = cell_metric_names();
  static const std::vector<std::string> allowed = {"on_time_share", "satisfaction",
                                                   "visit_coverage"};
  if (std::find(allowed.begin(), allowed.end(), name) == allowed.end() ||
      std::find(names.begin(), names.end(), name) == names.end())
    throw UsageError(
        fmt::format("--target '{}': metric must be on-time, satisfaction or visit-coverage", text));
  StaffTarget t;
  t.metric = name;
  try {
    std::size_t used = 0;
    const std::string v = text.substr(eq + 1);
    t.value = std::stod(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
  } catch (const std::exception&) {
    throw UsageError(fmt::format("--target '{}': value is not a number", text));
  }
  if (!(t.value > 0 && t.value <= 1))
    throw UsageError(fmt::format("--target '{}': value must be in (0, 1]", text));
  return t;
}

StaffResult find_staffing(const SimPlan& plan, const Scenario& scenario, const StaffTarget& target,
                          const StaffOptions& options) {
  std::size_t type = scenario.worker_types.size();
  for (std::size_t t = 0; t < scenario.worker_types.size(); ++t)
    if (scenario.worker_types[t].name == options.worker_type) type = t;
  if (type == scenario.worker_types.size())
    throw UsageError(
        fmt::format("--type '{}': no such worker type in the scenario", options.worker_type));
  if (options.max_per_cell < 1 || options.max_per_cell > kMaxStaffPerCell)
    throw UsageError(fmt::format("--max must be >= 1 and <= {} workers per cell (got {})",
                                 kMaxStaffPerCell, options.max_per_cell));
  const std::size_t n = plan.cells.size();
  auto counts = scenario_cell_counts(plan, scenario);
  StaffResult res;
  res.target = target;
  res.worker_type = options.worker_type;
  std::vector<int> lo(n, 0), hi(n, options.max_per_cell), baseline(n);
  for (std::size_t c = 0; c < n; ++c) baseline[c] = counts[c][type];

  auto met = [&](const SimulationResult& r, std::size_t c) {
    const double v = r.cells[c].metric(target.metric).value.mean;
    return std::isnan(v) || v >= target.value; // no requests due: nothing to miss
  };
  RunOptions run = options.run;
  const auto progress = run.progress;
  auto step = [&](const std::string& label) {
    ++res.simulation_runs;
    if (progress) {
      run.progress = [&, label](double f, const std::string&) {
        progress(f, fmt::format("{} (run {})", label, res.simulation_runs));
      };
    }
    auto result = simulate(plan, scenario, run, &counts);
    add_shares(res.rank_shares, result.rank_shares);
    return result;
  };

  // Bisection on every cell at once: one simulation per step moves each cell's bracket.
  for (;;) {
    bool open = false;
    for (std::size_t c = 0; c < n; ++c) {
      counts[c][type] = lo[c] < hi[c] ? (lo[c] + hi[c]) / 2 : lo[c];
      open = open || lo[c] < hi[c];
    }
    if (!open) break;
    const SimulationResult r = step("bisecting");
    for (std::size_t c = 0; c < n; ++c) {
      if (lo[c] >= hi[c]) continue;
      if (met(r, c))
        hi[c] = counts[c][type];
      else
        lo[c] = counts[c][type] + 1;
    }
  }
  // Confirmation: neighbour help couples cells, so step up cells still short.
  SimulationResult final_run;
  for (int round = 0; round < 2 * options.max_per_cell; ++round) {
    final_run = step("confirming");
    bool changed = false;
    for (std::size_t c = 0; c < n; ++c) {
      if (!met(final_run, c) && counts[c][type] < options.max_per_cell) {
        ++counts[c][type];
        changed = true;
      }
    }
    if (!changed) break;
  }
  const double unit_cost = scenario.worker_types[type].annual_cost_yuan;
  for (std::size_t c = 0; c < n; ++c) {
    StaffCell sc;
    sc.cell_code = plan.cells[c].code;
    sc.baseline = baseline[c];
    sc.required = counts[c][type];
    sc.met = met(final_run, c);
    sc.achieved = final_run.cells[c].metric(target.metric).value.mean;
    res.total_baseline += sc.baseline;
    res.total_required += sc.required;
    res.cells.push_back(sc);
  }
  res.annual_cost_change_yuan = (res.total_required - res.total_baseline) * unit_cost;
  res.final_run = std::move(final_run);
  return res;
}

} // namespace gp::sim
