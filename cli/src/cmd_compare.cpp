// `gridplan compare PLAN a.toml b.toml ...`: simulate each scenario with the same seed and
// replications and print them side by side with differences against the first and
// whether they are significant.

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
void add_compare(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("compare", "Compare staffing scenarios side by side on one plan");
  struct Flags {
    std::string plan;
    std::vector<std::string> scenarios;
    std::string csv, html;
    bool welch = false;
    bool overwrite = false;
    SimRunFlags run;
  };
  auto flags = std::make_shared<Flags>();
  cmd->add_option("plan", flags->plan, "Plan GeoPackage written by `gridplan plan`")->required();
  cmd->add_option("scenarios", flags->scenarios, "Scenario TOML files; the first is the reference")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--csv", flags->csv, "Also write the table as CSV");
  cmd->add_option("--html", flags->html, "Also write the table as an HTML page");
  cmd->add_flag(
      "--welch", flags->welch,
      "Welch t-test on replication means instead of the paired test (common random numbers)");
  cmd->add_flag("--overwrite", flags->overwrite, "Replace --csv/--html if they exist");
  flags->run.add_to(*cmd);
  cmd->callback([flags, &global] {
    const Ranks& ranks = *global.ranks;
    std::vector<sim::Scenario> scenarios;
    sim::RunOptions base_options;
    std::vector<std::string> inputs = {flags->plan}; // and every scenario file (inherited too)
    sim::SimPlan plan;
    std::vector<std::string> warnings;
    ProgressBar bar(global.quiet || global.json);
    // Every rank reads the scenarios and the plan; a failure on any ends them all (agree).
    agree(ranks, [&] {
      for (const auto& path : flags->scenarios) scenarios.push_back(sim::load_scenario(path));
      // One seed, replications and horizon for all (from the first scenario unless
      // given), so replication r of every scenario sees the same requests.
      base_options = flags->run.options(scenarios.front());
      for (const auto& s : scenarios) {
        const auto files = scenario_files(s);
        inputs.insert(inputs.end(), files.begin(), files.end());
      }
      for (const auto* out : {&flags->csv, &flags->html})
        if (!out->empty()) check_output_writable(*out, inputs, flags->overwrite);
      if (!flags->csv.empty()) require_extension("--csv", flags->csv, {".csv"});
      if (!flags->html.empty()) require_extension("--html", flags->html, {".html", ".htm"});
      if (!flags->csv.empty() && !flags->html.empty() &&
          std::filesystem::weakly_canonical(flags->csv) ==
              std::filesystem::weakly_canonical(flags->html))
        throw UsageError(fmt::format("--csv and --html name the same file ({})", flags->csv));
      bar.update(0, "reading plan");
      plan = sim::load_plan(flags->plan, &warnings);
    });
    base_options.ranks = &ranks;
    base_options.threads =
        static_cast<int>(global.threads(static_cast<unsigned>(base_options.threads)));
    std::vector<sim::SimulationResult> results;
    std::vector<RankShare> shares;
    const double n = static_cast<double>(scenarios.size());
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      sim::RunOptions o = base_options;
      const std::string name = scenarios[i].name;
      o.progress = [&bar, i, n, name](double f, const std::string&) {
        bar.update((static_cast<double>(i) + f) / n, "simulating " + name);
      };
      results.push_back(sim::simulate(plan, scenarios[i], o));
      add_shares(shares, results.back().rank_shares);
    }
    bar.finish();
    const sim::Comparison c = sim::compare(results, !flags->welch);
    // The root alone writes; the other ranks wait for its verdict.
    agree(ranks, [&] {
      if (!ranks.is_root()) return;
      if (!flags->csv.empty())
        write_text_output(flags->csv, sim::comparison_csv(c), flags->overwrite, inputs);
      if (!flags->html.empty())
        write_text_output(flags->html, sim::comparison_html(c, "gridplan compare: " + flags->plan),
                          flags->overwrite, inputs);
    });
    if (!ranks.is_root()) return;
    if (!global.json) print_warnings(warnings);
    if (global.json) {
      auto j = nlohmann::ordered_json::parse(sim::comparison_json(c));
      add_ranks_json(j, shares, "replications", nullptr);
      fmt::print("{}\n", json_with_warnings(j.dump(), warnings));
    } else if (!global.quiet) {
      fmt::print("{} days x {} replications, seed {}\n", base_options.days,
                 base_options.replications, base_options.seed);
      fmt::print("{}", sim::comparison_text(c));
      fmt::print("{}", ranks_text(shares, "replications", nullptr));
    }
  });
}

} // namespace gp::cli
