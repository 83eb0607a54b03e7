// The plan summary as JSON and text, and the dataset graph. The plan file is plan_file.cpp.

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/plan.hpp"
#include "gp/planner/plan_file.hpp"
#include "plan_internal.hpp"

namespace gp::planner {
namespace {

nlohmann::ordered_json summary_object(const Plan& plan) {
  const auto& s = plan.summary;
  nlohmann::ordered_json j;
  j["areas"] = s.areas;
  j["cells"] = s.cells;
  j["units"] = s.units;
  j["units_planned"] = s.units_planned;
  j["balance_field"] = s.balance_field;
  j["balance_min"] = s.balance_min;
  j["balance_mean"] = s.balance_mean;
  j["balance_max"] = s.balance_max;
  j["max_abs_deviation_pct"] = s.max_abs_deviation_pct;
  j["share_within_bounds"] = s.share_within_bounds;
  j["share_contiguous"] = s.share_contiguous;
  j["mean_polsby_popper"] = s.mean_polsby_popper;
  j["cut_edges"] = s.cut_edges;
  j["violations"] = s.violations;
  j["seconds"] = s.seconds;
  return j;
}

nlohmann::ordered_json violations_array(const Plan& plan) {
  auto arr = nlohmann::ordered_json::array();
  for (const auto& v : plan.violations)
    arr.push_back({{plan_file::field::cell_code, v.cell_code},
                   {plan_file::field::area_code, v.area_code},
                   {"rule", v.rule},
                   {"reason", v.reason}});
  return arr;
}

} // namespace

namespace detail {
std::string summary_compact_json(const Plan& plan) {
  auto j = summary_object(plan);
  j.erase("seconds"); // the plan file holds no wall-clock time (reproducible bytes)
  return j.dump();
}
} // namespace detail

std::string summary_json(const Plan& plan) {
  auto j = summary_object(plan);
  j["violation_list"] = violations_array(plan);
  auto timings = nlohmann::ordered_json::object();
  for (const auto& [k, v] : plan.timings) timings[k] = v;
  j["timings"] = timings;
  return j.dump(2);
}

std::string summary_text(const Plan& plan) {
  const auto& s = plan.summary;
  std::string text = fmt::format(
      "{} cells in {} areas from {} units ({} planned)\n"
      "{} per cell: min {} / mean {:.1f} / max {}; max deviation {:.1f}%\n"
      "within bounds: {:.1f}% of cells; contiguous: {:.1f}%; mean Polsby-Popper {:.3f}\n"
      "violations: {}; planning time {:.2f} s\n",
      s.cells, s.areas, s.units, s.units_planned, s.balance_field,
      detail::format_value(s.balance_min), s.balance_mean, detail::format_value(s.balance_max),
      s.max_abs_deviation_pct, 100 * s.share_within_bounds, 100 * s.share_contiguous,
      s.mean_polsby_popper, s.violations, s.seconds);
  const std::size_t shown = std::min<std::size_t>(plan.violations.size(), 10);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& v = plan.violations[i];
    text += fmt::format("  {} {}: {}\n", v.cell_code.empty() ? v.area_code : v.cell_code, v.rule,
                        v.reason);
  }
  if (plan.violations.size() > shown)
    text += fmt::format("  ... and {} more (see plan_metadata)\n", plan.violations.size() - shown);
  return text;
}

DatasetGraph build_dataset_graph(const geo::Dataset& dataset, const PlanOptions& options,
                                 const std::string& area_code) {
  UnitValues values;
  values.balance = unit_field_values(dataset, options.balance_field);
  std::vector<std::uint32_t> unassigned;
  auto jobs = detail::area_jobs(dataset, unassigned);
  if (!area_code.empty()) {
    std::erase_if(jobs, [&](const detail::AreaJob& j) { return j.code != area_code; });
    if (jobs.empty()) throw UsageError(fmt::format("no area with code '{}'", area_code));
  }
  DatasetGraph out;
  auto& g = out.graph;
  g.offsets = {0};
  std::size_t done = 0, total = 0;
  for (const auto& j : jobs) total += j.units.size();
  for (const auto& job : jobs) {
    out.area_codes.push_back(job.code);
    out.area_first.push_back(static_cast<std::uint32_t>(out.units.size()));
    if (job.units.empty()) continue;
    const auto ag = detail::area_graph(dataset, job, values, options);
    const auto base = static_cast<std::uint32_t>(out.units.size());
    const auto& a = ag.graph;
    for (std::size_t v = 0; v < a.vertex_count(); ++v) {
      for (auto k = a.offsets[v]; k < a.offsets[v + 1]; ++k) {
        g.targets.push_back(a.targets[k] + base);
        g.edge_length.push_back(a.edge_length[k]);
        g.edge_barrier.push_back(a.edge_barrier[k]);
      }
      g.offsets.push_back(static_cast<std::uint32_t>(g.targets.size()));
      g.weight.push_back(a.weight[v]);
      g.position.push_back(a.position[v]);
      g.group.push_back(a.group[v]);
    }
    for (auto u : ag.units) out.units.push_back(u);
    done += job.units.size();
    if (options.progress)
      options.progress(static_cast<double>(done) /
                           static_cast<double>(std::max<std::size_t>(total, 1)),
                       "building unit graph");
  }
  out.area_first.push_back(static_cast<std::uint32_t>(out.units.size()));
  return out;
}

} // namespace gp::planner
