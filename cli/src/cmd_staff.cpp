// `gridplan staff PLAN --scenario S.toml --target on-time=0.95`: the fewest workers of one
// type per cell meeting a target, found by simulation.

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "gp/sim/plan_loader.hpp"
#include "gp/sim/report.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "sim_flags.hpp"
#include "warnings.hpp"

namespace gp::cli {

void add_staff(CLI::App& app, const GlobalOptions& global) {
  auto* cmd =
      app.add_subcommand("staff", "Find the fewest workers per cell that meet a service target");
  struct Flags {
    std::string plan, scenario, target = "on-time=0.95", type = "full_time", csv;
    int max_per_cell = 12;
    bool overwrite = false;
    SimRunFlags run;
  };
  auto flags = std::make_shared<Flags>();
  cmd->add_option("plan", flags->plan, "Plan GeoPackage written by `gridplan plan`")->required();
  cmd->add_option("-s,--scenario", flags->scenario, "Scenario TOML (default: built-in baseline)");
  cmd->add_option(
      "--target", flags->target,
      "METRIC=VALUE per cell: on-time, satisfaction or visit-coverage (default on-time=0.95)");
  cmd->add_option("--type", flags->type, "Worker type to add or remove (default full_time)");
  cmd->add_option(
         "--max", flags->max_per_cell,
         fmt::format("Upper bound per cell (default 12, at most {})", sim::kMaxStaffPerCell))
      ->check(CLI::Range(1, sim::kMaxStaffPerCell));
  cmd->add_option("--csv", flags->csv, "Write the per-cell answer as CSV");
  cmd->add_flag("--overwrite", flags->overwrite, "Replace --csv if it exists");
  flags->run.add_to(*cmd);
  cmd->callback([flags, &global] {
    const Ranks& ranks = *global.ranks;
    sim::Scenario scenario;
    sim::StaffTarget target;
    sim::StaffOptions options;
    std::vector<std::string> inputs = {flags->plan}; // and the scenario's files (inherited too)
    sim::SimPlan plan;
    std::vector<std::string> warnings;
    ProgressBar bar(global.quiet || global.json);
    // Every rank reads the scenario and the plan; a failure on any ends them all (agree).
    agree(ranks, [&] {
      scenario = load_scenario_or_default(flags->scenario);
      target = sim::parse_staff_target(flags->target);
      options.worker_type = flags->type;
      options.max_per_cell = flags->max_per_cell;
      options.run = flags->run.options(scenario);
      const auto files = scenario_files(scenario);
      inputs.insert(inputs.end(), files.begin(), files.end());
      if (!flags->csv.empty()) {
        check_output_writable(flags->csv, inputs, flags->overwrite);
        require_extension("--csv", flags->csv, {".csv"});
      }
      bar.update(0, "reading plan");
      plan = sim::load_plan(flags->plan, &warnings);
    });
    // Bisection takes about log2(max) + 2 runs; show each run's progress in turn. Every
    // rank takes part in every run and gets its result, so all follow the same steps.
    options.run.progress = [&bar](double f, const std::string& label) { bar.update(f, label); };
    options.run.ranks = &ranks;
    options.run.threads =
        static_cast<int>(global.threads(static_cast<unsigned>(options.run.threads)));
    const sim::StaffResult result = sim::find_staffing(plan, scenario, target, options);
    bar.finish();
    // The root alone writes; the other ranks wait for its verdict.
    agree(ranks, [&] {
      if (!flags->csv.empty() && ranks.is_root())
        write_text_output(flags->csv, sim::staff_csv(result), flags->overwrite, inputs);
    });
    if (!ranks.is_root()) return;
    if (!global.json) print_warnings(warnings);
    if (global.json) {
      auto j = nlohmann::ordered_json::parse(sim::staff_json(result));
      add_ranks_json(j, result.rank_shares, "replications", nullptr);
      fmt::print("{}\n", json_with_warnings(j.dump(), warnings));
    } else if (!global.quiet) {
      fmt::print("{}", sim::staff_text(result));
      fmt::print("{}", ranks_text(result.rank_shares, "replications", nullptr));
    }
  });
}

} // namespace gp::cli
