#pragma once
// Options shared by `simulate`, `compare` and `staff` (defined in cmd_simulate.cpp).

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gp/sim/engine.hpp"
#include "gp/sim/scenario.hpp"

namespace gp::cli {

struct SimRunFlags {
  std::optional<double> days, warmup_days;
  std::optional<int> replications;
  std::optional<unsigned long long> seed;
  int threads = 0;
  void add_to(CLI::App& cmd);
  /// Command-line values over the scenario's [simulation] defaults. Throws UsageError.
  sim::RunOptions options(const sim::Scenario& scenario) const;
};

/// The scenario file, or the built-in baseline when `path` is empty.
sim::Scenario load_scenario_or_default(const std::string& path);

/// Every file `scenario` was read from (its source_file and the files it inherits; none
/// for the built-in baseline): inputs that no output of the command may replace.
std::vector<std::string> scenario_files(const sim::Scenario& scenario);

} // namespace gp::cli
