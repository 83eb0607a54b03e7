#include "commands.hpp"

namespace gp::cli {

void add_graph(CLI::App& app, const GlobalOptions& /*global*/) {
  app.add_subcommand("graph", "(not yet available)");
}

} // namespace gp::cli
