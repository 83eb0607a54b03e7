// `gridplan simulate PLAN --scenario S.toml`: run the staffing scenario over the plan,
// print per-plan metrics with 95 % confidence intervals, optionally write per-cell
// results as a GeoPackage layer the viewer can colour.

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "gp/core/secrets.hpp"
#include "gp/geo/io.hpp"
#include "gp/sim/plan_loader.hpp"
#include "gp/sim/report.hpp"
#include "gp/sim/roster.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "sim_flags.hpp"
#include "warnings.hpp"

namespace gp::cli {

void SimRunFlags::add_to(CLI::App& cmd) {
  cmd.add_option("--days", days, "Measured days to simulate (default: scenario, 365)");
  cmd.add_option("--warmup-days", warmup_days,
                 "Days simulated before measuring (default: scenario, 7)");
  cmd.add_option("--replications", replications,
                 "Independent replications (default: scenario, 20)");
  cmd.add_option("--seed", seed, "Random seed; replication r uses (seed, r)")
      ->check(non_negative());
  cmd.add_option("--threads", threads,
                 "Worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0, 1024));
}

sim::RunOptions SimRunFlags::options(const sim::Scenario& s) const {
  sim::RunOptions o;
  o.days = days.value_or(s.days);
  o.warmup_days = warmup_days.value_or(s.warmup_days);
  o.replications = replications.value_or(s.replications);
  o.seed = seed.value_or(s.seed);
  o.threads = threads;
  sim::check_run_limits(o);
  return o;
}

sim::Scenario load_scenario_or_default(const std::string& path) {
  if (path.empty()) return sim::Scenario::defaults();
  return sim::load_scenario(path);
}

std::vector<std::string> scenario_files(const sim::Scenario& scenario) {
  std::vector<std::string> files;
  if (!scenario.source_file.empty()) files.push_back(scenario.source_file);
  files.insert(files.end(), scenario.inherited_files.begin(), scenario.inherited_files.end());
  return files;
}

void add_simulate(CLI::App& app, const GlobalOptions& global) {
  auto* cmd =
      app.add_subcommand("simulate", "Simulate requests, grid workers and dispatch over a plan");
  struct Flags {
    std::string plan, scenario, out, roster;
    std::string schema, table_prefix;
    bool overwrite = false;
    bool cells_json = false;
    SimRunFlags run;
  };
  auto flags = std::make_shared<Flags>();
  cmd->add_option("plan", flags->plan,
                  "Plan written by `gridplan plan`: GeoPackage, or PG:...[|prefix=P] (PostGIS)")
      ->required();
  cmd->add_option("-s,--scenario", flags->scenario,
                  "Scenario TOML (default: built-in baseline = data/scenarios/base.toml)");
  cmd->add_option("-o,--out", flags->out,
                  "Write per-cell results (GeoPackage, layer 'cells') and each building's "
                  "expected yearly workload (layer 'units', field workload_h) here, or to "
                  "PostGIS (PG:...)");
  cmd->add_option("--schema", flags->schema,
                  "PostGIS: schema for the result tables (created if missing)");
  cmd->add_option("--table-prefix", flags->table_prefix,
                  "PostGIS: prefix of the result table names, e.g. sim1_ (cells -> sim1_cells)");
  cmd->add_flag("--overwrite", flags->overwrite, "Replace --out if it exists");
  cmd->add_option("--roster", flags->roster,
                  "Cadre roster from `gridplan assign --roster`: extra workers in their cells");
  cmd->add_flag("--cells-json", flags->cells_json, "With --json: include per-cell metrics");
  flags->run.add_to(*cmd);
  cmd->callback([flags, &global] {
    const Ranks& ranks = *global.ranks;
    sim::Scenario scenario;
    sim::RunOptions options;
    std::string target;
    sim::SimPlan plan;
    std::vector<std::string> warnings;
    ProgressBar bar(global.quiet || global.json);
    // Every rank reads the scenario and the plan; a failure on any ends them all (agree).
    agree(ranks, [&] {
      scenario = load_scenario_or_default(flags->scenario);
      options = flags->run.options(scenario);
      target = flags->schema.empty() && flags->table_prefix.empty()
                   ? flags->out
                   : geo::postgis_address(flags->out, flags->schema, flags->table_prefix);
      if (!flags->out.empty()) {
        // The results are a GeoPackage or PostGIS tables (sim::write_result); any other
        // name is refused.
        std::vector<std::string> inputs = scenario_files(scenario);
        inputs.push_back(flags->plan);
        inputs.push_back(flags->roster);
        check_output_writable(target, inputs, flags->overwrite);
        output_format(flags->out, "", {geo::OutputFormat::gpkg, geo::OutputFormat::postgis},
                      "simulate");
      }
      bar.update(0, "reading plan");
      plan = sim::load_plan(flags->plan, &warnings);
      if (!flags->roster.empty())
        sim::apply_roster(scenario, sim::read_roster(flags->roster), plan, flags->roster);
    });
    options.progress = [&bar](double f, const std::string& label) {
      bar.update(0.05 + 0.9 * f, label);
    };
    options.ranks = &ranks;
    options.threads = static_cast<int>(global.threads(static_cast<unsigned>(options.threads)));
    const sim::SimulationResult result = sim::simulate(plan, scenario, options);
    // The root alone writes; the other ranks wait for its verdict.
    agree(ranks, [&] {
      if (flags->out.empty() || !ranks.is_root()) return;
      bar.update(0.95, "writing results");
      sim::ResultWriteOptions wo;
      wo.overwrite = flags->overwrite;
      wo.plan_path = flags->plan;
      sim::write_result(target, result, wo);
    });
    bar.finish();
    if (!ranks.is_root()) return;
    if (!global.json) print_warnings(warnings);
    if (global.json) {
      auto j = nlohmann::ordered_json::parse(sim::summary_json(result, flags->cells_json));
      add_ranks_json(j, result.rank_shares, "replications", nullptr);
      fmt::print("{}\n", json_with_warnings(j.dump(), warnings));
    } else if (!global.quiet) {
      fmt::print("{}", sim::summary_text(result));
      fmt::print("{}", ranks_text(result.rank_shares, "replications", nullptr));
      if (!flags->out.empty())
        fmt::print("Per-cell results: {} (layer 'cells'); yearly workload per building: layer "
                   "'units', field workload_h\n",
                   mask_secrets(target));
    }
  });
}

} // namespace gp::cli
