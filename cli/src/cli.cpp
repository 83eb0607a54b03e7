#include "gp/cli/cli.hpp"

#include <fmt/core.h>

#include <exception>
#include <sstream>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"

namespace gp::cli {
namespace {

/// Messages are one line (scripts read the last line of stderr): newlines from GDAL or
/// libpq become "; ", runs of blanks one space.
std::string one_line(std::string_view text) {
  std::string out;
  bool blank = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty() && out.back() != ';') out += "; ";
      blank = true;
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (!blank) out += ' ';
      blank = true;
      continue;
    }
    out += c;
    blank = false;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
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
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Every other parse failure is a usage error (1), on one line.
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "gridplan: {} (see --help)\n", one_line(mask_secrets(e.what())));
    return 1;
  } catch (const gp::UsageError& e) {
    fmt::print(stderr, "gridplan: {}\n", one_line(mask_secrets(e.what())));
    return 1;
  } catch (const gp::Error& e) {
    fmt::print(stderr, "gridplan: error: {}\n", one_line(mask_secrets(e.what())));
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "gridplan: error: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "gridplan: internal error: {}\n", one_line(mask_secrets(e.what())));
    return 3;
  }
  return 0;
}

} // namespace gp::cli
