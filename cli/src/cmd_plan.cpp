#include "commands.hpp"

namespace gp::cli {

void add_plan(CLI::App& app, const GlobalOptions& /*global*/) {
  app.add_subcommand("plan", "(not yet available)");
}

} // namespace gp::cli
