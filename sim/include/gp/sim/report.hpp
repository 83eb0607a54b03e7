#pragma once
// Text, CSV, HTML and JSON renderings of simulation, comparison and staffing results.
// Library code returns strings; the CLI prints or writes them.

#include <string>
#include <vector>

#include "gp/sim/engine.hpp"
#include "gp/sim/staffing.hpp"

namespace gp::sim {

/// A terminal table of the overall metrics with 95 % CIs, utilisation by worker type,
/// cost and service coverage.
std::string summary_text(const SimulationResult& result);
/// JSON object: scenario, options, metrics {name: {mean, ci_low, ci_high, unit}},
/// utilisation_by_type, cost, coverage, events, engine_seconds, and (when `cells`) per-cell
/// metrics.
std::string summary_json(const SimulationResult& result, bool cells);

/// Scenarios side by side; differences and tests are against the first scenario.
struct ComparisonRow {
  std::string metric;
  std::string unit;
  std::vector<Estimate> values;  ///< one per scenario
  std::vector<TestResult> tests; ///< one per scenario (the first is empty)
  bool higher_is_better = true;
  bool deterministic = false; ///< cost and staff counts: no test
};
struct Comparison {
  std::vector<std::string> scenarios;
  std::vector<ComparisonRow> rows;
  bool paired = true; ///< paired t-test by common random numbers, else Welch
};
/// The results must come from runs with the same seed and replications when paired.
Comparison compare(const std::vector<SimulationResult>& results, bool paired);
std::string comparison_text(const Comparison& c);
std::string comparison_csv(const Comparison& c);
std::string comparison_html(const Comparison& c, const std::string& title);
std::string comparison_json(const Comparison& c);

std::string staff_text(const StaffResult& r);
std::string staff_csv(const StaffResult& r);
std::string staff_json(const StaffResult& r);

} // namespace gp::sim
