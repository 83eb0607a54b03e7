#pragma once
// Subcommand registration. Each cmd_<name>.cpp defines add_<name>(), which adds its
// subcommand, options and callback to the app. Callbacks throw gp::Error on failure.

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gp/core/ranks.hpp"

namespace gp::cli {

/// Options shared by every subcommand.
struct GlobalOptions {
  bool quiet = false; ///< no progress bars, no summary chatter
  bool json = false;  ///< print the result summary as JSON on stdout
  /// The processes of this run (this process alone without mpirun). `plan`, `simulate`,
  /// `compare` and `staff` spread their work over them; only the root writes outputs and
  /// prints (the other ranks' stdout goes nowhere).
  const Ranks* ranks = &single_process();
  int local_ranks = 1; ///< ranks on this machine
  /// Threads per rank for a --threads value: as given, and for 0 (all cores) the cores
  /// divided among the ranks on this machine.
  unsigned threads(unsigned requested) const;
};

/// Commands that spread over MPI ranks; the others refuse to run on several.
inline constexpr const char* kSpreadCommands[] = {"plan", "simulate", "compare", "staff"};

/// Adds the "ranks" and "rank_shares" keys to a --json summary: how many ranks ran and each
/// one's share — `jobs_key` ("communities", "replications"), the summed size as `size_key`
/// unless null ("units"), what it read (RankShare::read) as `read_key` unless null
/// ("units_read"), "seconds".
void add_ranks_json(nlohmann::ordered_json& summary, const std::vector<RankShare>& shares,
                    const char* jobs_key, const char* size_key, const char* read_key = nullptr);
/// One line for the text summary when several ranks ran ("" for one); `read_name` as
/// add_ranks_json's read_key.
std::string ranks_text(const std::vector<RankShare>& shares, const char* jobs_name,
                       const char* size_name, const char* read_name = nullptr);

/// A CLI11 check for integer flags that must not be negative (seeds, counts): CLI11's
/// NonNegativeNumber would print the range up to DBL_MAX in full.
inline CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.find('-') != std::string::npos) return "must be >= 0 (got " + s + ")";
        return {};
      },
      "INT>=0");
}

void add_inspect(CLI::App& app, const GlobalOptions& global);
void add_generate(CLI::App& app, const GlobalOptions& global);
void add_plan(CLI::App& app, const GlobalOptions& global);
void add_graph(CLI::App& app, const GlobalOptions& global);
void add_rebalance(CLI::App& app, const GlobalOptions& global);
void add_merge(CLI::App& app, const GlobalOptions& global);
void add_diff(CLI::App& app, const GlobalOptions& global);
void add_render(CLI::App& app, const GlobalOptions& global);
void add_simulate(CLI::App& app, const GlobalOptions& global);
void add_compare(CLI::App& app, const GlobalOptions& global);
void add_staff(CLI::App& app, const GlobalOptions& global);
void add_assign(CLI::App& app, const GlobalOptions& global);

} // namespace gp::cli
