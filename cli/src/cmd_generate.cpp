#include "commands.hpp"

namespace gp::cli {

void add_generate(CLI::App& app, const GlobalOptions& /*global*/) {
  app.add_subcommand("generate", "(not yet available)");
}

} // namespace gp::cli
