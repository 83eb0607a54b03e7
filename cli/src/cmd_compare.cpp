// `gridplan compare PLAN a.toml b.toml ...`: simulate each scenario with the same seed and
// replications and print them side by side with differences against the first and
// whether they are significant.

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/sim/plan_loader.hpp"
#include "gp/sim/report.hpp"
#include "progress.hpp"
#include "warnings.hpp"
#include "sim_flags.hpp"

namespace gp::cli {
namespace {

void write_text_file(const std::string& path, const std::string& text, bool overwrite,
                     const std::string& plan) {
  std::error_code ec;
  if (std::filesystem::equivalent(path, plan, ec))
    throw OutputError(fmt::format("{}: is the input plan; refusing to overwrite it", path));
  if (!overwrite && std::filesystem::exists(path))
    throw OutputError(fmt::format("{}: exists (use --overwrite to replace it)", path));
  // Atomic: write a temporary file next to it, then rename.
  const std::string tmp = path + ".tmp-gridplan";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw OutputError(fmt::format("{}: cannot write", path));
    out << text;
    if (!out) throw OutputError(fmt::format("{}: write failed", path));
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw OutputError(fmt::format("{}: cannot write ({})", path, ec.message()));
  }
}

} // namespace

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
    std::vector<sim::Scenario> scenarios;
    for (const auto& path : flags->scenarios) scenarios.push_back(sim::load_scenario(path));
    // One seed, replications and horizon for all (from the first scenario unless given),
    // so replication r of every scenario sees the same requests.
    const sim::RunOptions base_options = flags->run.options(scenarios.front());
    for (const auto* out : {&flags->csv, &flags->html})
      if (!out->empty() && !flags->overwrite && std::filesystem::exists(*out))
        throw OutputError(fmt::format("{}: exists (use --overwrite to replace it)", *out));
    ProgressBar bar(global.quiet || global.json);
    bar.update(0, "reading plan");
    std::vector<std::string> warnings;
    const sim::SimPlan plan = sim::load_plan(flags->plan, &warnings);
    std::vector<sim::SimulationResult> results;
    const double n = static_cast<double>(scenarios.size());
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      sim::RunOptions o = base_options;
      const std::string name = scenarios[i].name;
      o.progress = [&bar, i, n, name](double f, const std::string&) {
        bar.update((static_cast<double>(i) + f) / n, "simulating " + name);
      };
      results.push_back(sim::simulate(plan, scenarios[i], o));
    }
    bar.finish();
    const sim::Comparison c = sim::compare(results, !flags->welch);
    if (!flags->csv.empty())
      write_text_file(flags->csv, sim::comparison_csv(c), flags->overwrite, flags->plan);
    if (!flags->html.empty())
      write_text_file(flags->html, sim::comparison_html(c, "gridplan compare: " + flags->plan),
                      flags->overwrite, flags->plan);
    if (!global.json) print_warnings(warnings);
    if (global.json) {
      fmt::print("{}\n", json_with_warnings(sim::comparison_json(c), warnings));
    } else if (!global.quiet) {
      fmt::print("{} days x {} replications, seed {}\n", base_options.days,
                 base_options.replications, base_options.seed);
      fmt::print("{}", sim::comparison_text(c));
    }
  });
}

} // namespace gp::cli
