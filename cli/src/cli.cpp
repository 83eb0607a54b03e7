#include "gp/cli/cli.hpp"

#include <fmt/core.h>

#include <exception>
#include <sstream>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"

namespace gp::cli {
namespace {

/// A message fit for one line of stderr: passwords masked, the line breaks of multi-line
/// library messages (libpq's, GDAL's) folded into spaces.
std::string message(const char* what) {
  std::string out;
  for (const char c : mask_secrets(what)) {
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

} // namespace

int run(int argc, char** argv) {
  CLI::App app{"gridplan: plan and simulate community governance grids (网格化管理)", "gridplan"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gridplan 0.1.0");
  GlobalOptions global;
  app.add_flag("-q,--quiet", global.quiet, "No progress bars or chatter")->configurable(false);
  app.add_flag("--json", global.json, "Print the result summary as JSON");
  app.fallthrough();

  add_inspect(app, global);
  add_generate(app, global);
  add_plan(app, global);
  add_graph(app, global);
  add_rebalance(app, global);
  add_merge(app, global);
  add_diff(app, global);
  add_render(app, global);
  add_simulate(app, global);
  add_compare(app, global);
  add_staff(app, global);
  add_assign(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other parse failure is a usage error (1). The
    // message may quote an argument (a connection string): mask it before printing.
    std::ostringstream out, err;
    const int code = app.exit(e, out, err);
    fmt::print("{}", out.str());
    fmt::print(stderr, "{}", mask_secrets(err.str()));
    return code == 0 ? 0 : 1;
  } catch (const gp::UsageError& e) {
    fmt::print(stderr, "gridplan: {}\n", message(e.what()));
    return 1;
  } catch (const gp::Error& e) {
    fmt::print(stderr, "gridplan: error: {}\n", message(e.what()));
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "gridplan: error: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "gridplan: internal error: {}\n", message(e.what()));
    return 3;
  }
  return 0;
}

} // namespace gp::cli
