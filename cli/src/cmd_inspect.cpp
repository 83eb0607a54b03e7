#include "commands.hpp"

namespace gp::cli {

void add_inspect(CLI::App& app, const GlobalOptions& /*global*/) {
  app.add_subcommand("inspect", "(not yet available)");
}

} // namespace gp::cli
