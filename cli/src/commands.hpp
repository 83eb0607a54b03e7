#pragma once
// Subcommand registration. Each cmd_<name>.cpp defines add_<name>(), which adds its
// subcommand, options and callback to the app. Callbacks throw gp::Error on failure.

#include <CLI/CLI.hpp>

namespace gp::cli {

/// Options shared by every subcommand.
struct GlobalOptions {
  bool quiet = false; ///< no progress bars, no summary chatter
  bool json = false;  ///< print the result summary as JSON on stdout
};

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
