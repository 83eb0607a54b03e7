#include "gp/sim/report.hpp"

#include "gp/planner/plan_file.hpp"

#include <fmt/core.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace gp::sim {
namespace {

std::string fmt_value(double v, const std::string& unit) {
  if (std::isnan(v)) return "-";
  if (unit == "share" || unit == "0-1") return fmt::format("{:.3f}", v);
  if (std::fabs(v) >= 1e5) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 100) return fmt::format("{:.1f}", v);
  return fmt::format("{:.3f}", v);
}

std::string fmt_estimate(const Estimate& e, const std::string& unit) {
  if (std::isnan(e.mean)) return "-";
  if (e.n < 2 || e.half_width == 0) return fmt_value(e.mean, unit);
  return fmt::format("{} ± {}", fmt_value(e.mean, unit), fmt_value(e.half_width, unit));
}

nlohmann::json json_number(double v) {
  if (std::isnan(v) || std::isinf(v)) return nullptr;
  return v;
}

nlohmann::json json_estimate(const Estimate& e) {
  return {{"mean", json_number(e.mean)},
          {"ci_low", json_number(e.low())},
          {"ci_high", json_number(e.high())},
          {"replications", e.n}};
}

// Metrics shown in summaries and comparisons, with their direction.
struct Shown {
  const char* name;
  bool higher_is_better;
};
const Shown kShown[] = {{"requests_per_day", true},
                        {"p50_response_h", false},
                        {"p90_response_h", false},
                        {"mean_response_h", false},
                        {"on_time_share", true},
                        {"escalation_rate", false},
                        {"deadline_escalation_rate", false},
                        {"served_outside_share", false},
                        {"mean_wait_h", false},
                        {"utilisation", false},
                        {"overtime_share", false},
                        {"visit_coverage", true},
                        {"satisfaction", true},
                        {"found_share", true},
                        {"department_busy", false},
                        {"department_wait_h", false},
                        {"deadline_share_of_escalations", false},
                        {"backlog_end", false}};

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

} // namespace

std::string summary_text(const SimulationResult& r) {
  std::string out;
  out +=
      fmt::format("Scenario {}: {} cells, {:.0f} households, {} workers; {} days x {} replications "
                  "(seed {}), {} events in {:.2f} s\n",
                  r.scenario_name, r.cells.size(), r.households, r.workers, r.options.days,
                  r.options.replications, r.options.seed, r.events, r.engine_seconds);
  out += fmt::format("  {:<28} {:>24}  {}\n", "metric", "mean ± 95% CI", "unit");
  for (const auto& s : kShown) {
    const Metric& m = r.metric(s.name);
    out += fmt::format("  {:<28} {:>24}  {}\n", m.name, fmt_estimate(m.value, m.unit), m.unit);
  }
  out += "  utilisation by worker type:\n";
  for (const auto& m : r.utilisation_by_type) {
    if (std::isnan(m.value.mean)) continue;
    out += fmt::format("    {:<26} {:>24}\n", m.name, fmt_estimate(m.value, m.unit));
  }
  if (!r.utilisation_by_department.empty()) {
    out += "  utilisation by department (cases in progress / places):\n";
    for (const auto& m : r.utilisation_by_department)
      out += fmt::format("    {:<26} {:>24}\n", m.name, fmt_estimate(m.value, m.unit));
  }
  out += fmt::format("  staff cost: {:.0f} yuan/year, {:.1f} yuan per household\n",
                     r.annual_staff_cost_yuan, r.cost_per_household_yuan);
  out += fmt::format("  15-minute service circle: {:.1f} % of households within walk radius; "
                     "station floor area {:.0f} m² against a norm of {:.0f} m²\n",
                     100 * r.walk_coverage_share, r.station_floor_area_m2,
                     r.station_floor_area_norm_m2);
  if (r.roads.used)
    out += fmt::format(
        "  road network: {} nodes, {} segments, {} components; {:.1f} % of buildings "
        "on the main one; {:.1f} % of trips routed on roads\n",
        r.roads.nodes, r.roads.edges, r.roads.components, 100 * r.roads.buildings_on_main_share,
        100 * r.metric("road_routed_share").value.mean);
  else
    out += "  travel: straight line x detour (no road network)\n";
  for (const auto& w : r.warnings) out += fmt::format("  warning: {}\n", w);
  out += fmt::format("  checks: Little's law gap {:.2f} %, busy-workers gap {:.2f} %\n",
                     100 * r.metric("littles_law_gap").value.mean,
                     100 * r.metric("busy_law_gap").value.mean);
  return out;
}

std::string summary_json(const SimulationResult& r, bool cells) {
  nlohmann::json j;
  j["scenario"] = r.scenario_name;
  j["days"] = r.options.days;
  j["warmup_days"] = r.options.warmup_days;
  j["replications"] = r.options.replications;
  j["seed"] = r.options.seed;
  j["events"] = r.events;
  j["engine_seconds"] = r.engine_seconds;
  j["households"] = r.households;
  j["workers"] = r.workers;
  j["cells"] = r.cells.size();
  if (r.roads.used)
    j["road_network"] = {
        {"nodes", r.roads.nodes},
        {"segments", r.roads.edges},
        {"components", r.roads.components},
        {"buildings_on_main_share", json_number(r.roads.buildings_on_main_share)},
        {"households_on_main_share", json_number(r.roads.households_on_main_share)}};
  j["warnings"] = r.warnings;
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& m : r.overall) {
    auto e = json_estimate(m.value);
    e["unit"] = m.unit;
    metrics[m.name] = e;
  }
  j["metrics"] = metrics;
  nlohmann::json util = nlohmann::json::object();
  for (const auto& m : r.utilisation_by_type) util[m.name] = json_estimate(m.value);
  j["utilisation_by_type"] = util;
  nlohmann::json by_department = nlohmann::json::object();
  for (const auto& m : r.utilisation_by_department) by_department[m.name] = json_estimate(m.value);
  j["utilisation_by_department"] = by_department;
  j["cost"] = {{"annual_staff_cost_yuan", r.annual_staff_cost_yuan},
               {"cost_per_household_yuan", r.cost_per_household_yuan}};
  j["coverage"] = {{"walk_coverage_share", r.walk_coverage_share},
                   {"station_floor_area_m2", r.station_floor_area_m2},
                   {"station_floor_area_norm_m2", r.station_floor_area_norm_m2}};
  nlohmann::json backlog = nlohmann::json::array();
  for (const auto& e : r.backlog_by_day) backlog.push_back(json_number(e.mean));
  j["backlog_by_day"] = backlog;
  if (cells) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : r.cells) {
      nlohmann::json cj = {{planner::plan_file::field::cell_code, c.cell_code},
                           {"area_code", c.area_code},
                           {"households", c.households},
                           {"workers", c.workers},
                           {"staff_cost_yuan", c.staff_cost_yuan},
                           {"within_walk_share", c.households_within_walk}};
      for (const auto& m : c.metrics) cj[m.name] = json_estimate(m.value);
      list.push_back(cj);
    }
    j["per_cell"] = list;
  }
  return j.dump(2);
}

Comparison compare(const std::vector<SimulationResult>& results, bool paired) {
  Comparison c;
  c.paired = paired;
  for (const auto& r : results) c.scenarios.push_back(r.scenario_name);
  if (results.empty()) return c;
  auto add_sampled = [&](const std::string& name, const std::string& unit, bool higher,
                         auto&& get) {
    ComparisonRow row;
    row.metric = name;
    row.unit = unit;
    row.higher_is_better = higher;
    const Metric& base = get(results.front());
    for (const auto& r : results) {
      const Metric& m = get(r);
      row.values.push_back(m.value);
      row.tests.push_back(&r == &results.front() ? TestResult{}
                          : paired               ? paired_test(base.samples, m.samples)
                                                 : welch_test(base.samples, m.samples));
    }
    c.rows.push_back(std::move(row));
  };
  for (const auto& s : kShown) {
    const std::string name = s.name;
    const std::string unit = results.front().metric(name).unit;
    add_sampled(name, unit, s.higher_is_better,
                [&](const SimulationResult& r) -> const Metric& { return r.metric(name); });
  }
  // Utilisation of each worker type present in the first scenario.
  for (std::size_t t = 0; t < results.front().utilisation_by_type.size(); ++t) {
    const std::string type = results.front().utilisation_by_type[t].name;
    bool any = false;
    for (const auto& r : results)
      for (const auto& m : r.utilisation_by_type)
        if (m.name == type && !std::isnan(m.value.mean)) any = true;
    if (!any) continue;
    static const Metric empty{"", "share", {}, Estimate{std::nan(""), 0, 0}};
    add_sampled("utilisation_" + type, "share", false,
                [&](const SimulationResult& r) -> const Metric& {
                  for (const auto& m : r.utilisation_by_type)
                    if (m.name == type) return m;
                  return empty;
                });
  }
  auto add_fixed = [&](const std::string& name, const std::string& unit, auto&& get) {
    ComparisonRow row;
    row.metric = name;
    row.unit = unit;
    row.higher_is_better = false;
    row.deterministic = true;
    const double base = get(results.front());
    for (const auto& r : results) {
      row.values.push_back(Estimate{get(r), 0, 1});
      TestResult t;
      t.difference = get(r) - base;
      row.tests.push_back(t);
    }
    c.rows.push_back(std::move(row));
  };
  add_fixed("workers", "workers",
            [](const SimulationResult& r) { return static_cast<double>(r.workers); });
  add_fixed("annual_staff_cost_yuan", "yuan/year",
            [](const SimulationResult& r) { return r.annual_staff_cost_yuan; });
  add_fixed("cost_per_household_yuan", "yuan/year",
            [](const SimulationResult& r) { return r.cost_per_household_yuan; });
  return c;
}

std::string comparison_text(const Comparison& c) {
  std::string out;
  constexpr int kWidth = 30;
  out += fmt::format("{:<26}", "metric");
  for (std::size_t i = 0; i < c.scenarios.size(); ++i)
    out += fmt::format(" {:>{}}", i == 0 ? c.scenarios[i] : c.scenarios[i] + " (diff)", kWidth);
  out += "\n";
  for (const auto& row : c.rows) {
    out += fmt::format("{:<26}", row.metric);
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      std::string cell = row.deterministic ? fmt_value(row.values[i].mean, row.unit)
                                           : fmt_estimate(row.values[i], row.unit);
      if (i > 0) {
        const auto& t = row.tests[i];
        std::string mark = row.deterministic ? "" : t.significant ? " *" : "  ";
        cell += fmt::format(" ({}{}){}", t.difference >= 0 ? "+" : "",
                            fmt_value(t.difference, row.unit), mark);
      }
      out += fmt::format(" {:>{}}", cell, kWidth);
    }
    out += "\n";
  }
  out += fmt::format("(diff) against {}; * significant at 5 % ({}).\n",
                     c.scenarios.empty() ? "" : c.scenarios.front(),
                     c.paired ? "paired t-test, replications share random numbers"
                              : "Welch t-test on replication means");
  return out;
}

std::string comparison_csv(const Comparison& c) {
  std::string out = "metric,unit,scenario,mean,ci_low,ci_high,difference,difference_ci_half_width,"
                    "p_value,significant\n";
  for (const auto& row : c.rows) {
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      const auto& e = row.values[i];
      const auto& t = row.tests[i];
      auto num = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); };
      out +=
          fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(row.metric), csv_field(row.unit),
                      csv_field(c.scenarios[i]), num(e.mean), num(e.low()), num(e.high()),
                      i == 0 ? "" : num(t.difference), i == 0 ? "" : num(t.half_width),
                      i == 0 || row.deterministic ? "" : num(t.p_value),
                      i == 0 || row.deterministic ? "" : (t.significant ? "1" : "0"));
    }
  }
  return out;
}

std::string comparison_html(const Comparison& c, const std::string& title) {
  std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                    html_escape(title) +
                    "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
                    "td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
                    "td:first-child,th:first-child{text-align:left}.better{background:#d8f5d0}"
                    ".worse{background:#f8d7d3}</style></head><body>\n";
  out += "<h1>" + html_escape(title) + "</h1>\n<table>\n<tr><th>metric</th><th>unit</th>";
  for (const auto& s : c.scenarios) out += "<th>" + html_escape(s) + "</th>";
  out += "</tr>\n";
  for (const auto& row : c.rows) {
    out += "<tr><td>" + html_escape(row.metric) + "</td><td>" + html_escape(row.unit) + "</td>";
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      const auto& t = row.tests[i];
      std::string cls;
      if (i > 0 && !row.deterministic && t.significant)
        cls = (t.difference > 0) == row.higher_is_better ? " class=\"better\"" : " class=\"worse\"";
      std::string text = row.deterministic ? fmt_value(row.values[i].mean, row.unit)
                                           : fmt_estimate(row.values[i], row.unit);
      if (i > 0) {
        text +=
            fmt::format(" ({}{}", t.difference >= 0 ? "+" : "", fmt_value(t.difference, row.unit));
        if (!row.deterministic) text += fmt::format(", p={:.3f}", t.p_value);
        text += ")";
      }
      out += "<td" + cls + ">" + html_escape(text) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n<p>Values are means with 95 % confidence intervals across replications. "
         "Differences are against the first scenario; green/red cells are significant at 5 % (";
  out += c.paired ? "paired t-test: replications share random numbers" : "Welch t-test";
  out += ").</p>\n</body></html>\n";
  return out;
}

std::string comparison_json(const Comparison& c) {
  nlohmann::json j;
  j["scenarios"] = c.scenarios;
  j["test"] = c.paired ? "paired" : "welch";
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : c.rows) {
    nlohmann::json r = {{"metric", row.metric}, {"unit", row.unit}};
    nlohmann::json vals = nlohmann::json::array();
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      auto v = json_estimate(row.values[i]);
      if (i > 0) {
        v["difference"] = json_number(row.tests[i].difference);
        if (!row.deterministic) {
          v["p_value"] = json_number(row.tests[i].p_value);
          v["significant"] = row.tests[i].significant;
        }
      }
      vals.push_back(v);
    }
    r["values"] = vals;
    rows.push_back(r);
  }
  j["rows"] = rows;
  return j.dump(2);
}

std::string staff_text(const StaffResult& r) {
  std::string out = fmt::format("Fewest '{}' workers per cell for {} >= {} ({} simulation runs)\n",
                                r.worker_type, r.target.metric, r.target.value, r.simulation_runs);
  out +=
      fmt::format("  {:<20} {:>8} {:>8} {:>10}  {}\n", "cell", "now", "needed", "achieved", "met");
  for (const auto& c : r.cells)
    out += fmt::format("  {:<20} {:>8} {:>8} {:>10}  {}\n", c.cell_code, c.baseline, c.required,
                       fmt_value(c.achieved, "share"), c.met ? "yes" : "NO (at --max)");
  out += fmt::format("  total: {} now, {} needed ({:+d}); staff cost change {:+.0f} yuan/year\n",
                     r.total_baseline, r.total_required, r.total_required - r.total_baseline,
                     r.annual_cost_change_yuan);
  return out;
}

std::string staff_csv(const StaffResult& r) {
  std::string out = "cell_code,worker_type,baseline,required,achieved,met\n";
  for (const auto& c : r.cells)
    out += fmt::format("{},{},{},{},{},{}\n", csv_field(c.cell_code), csv_field(r.worker_type),
                       c.baseline, c.required,
                       std::isnan(c.achieved) ? std::string() : fmt::format("{}", c.achieved),
                       c.met ? 1 : 0);
  return out;
}

std::string staff_json(const StaffResult& r) {
  nlohmann::json j;
  j["worker_type"] = r.worker_type;
  j["target"] = {{"metric", r.target.metric}, {"value", r.target.value}};
  j["simulation_runs"] = r.simulation_runs;
  j["total_baseline"] = r.total_baseline;
  j["total_required"] = r.total_required;
  j["annual_cost_change_yuan"] = r.annual_cost_change_yuan;
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& c : r.cells)
    cells.push_back({{planner::plan_file::field::cell_code, c.cell_code},
                     {"baseline", c.baseline},
                     {"required", c.required},
                     {"achieved", json_number(c.achieved)},
                     {"met", c.met}});
  j["cells"] = cells;
  return j.dump(2);
}

} // namespace gp::sim
