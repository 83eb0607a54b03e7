#include "gp/cli/cli.hpp"

#include <fmt/core.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iterator>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "run_ranks.hpp"

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

namespace {

/// On ranks other than the root, stdout and stderr go to /dev/null (the root prints the
/// summary, warnings and agreed errors once); `error_fd` keeps the real stderr for a
/// failure only this rank knows of.
class QuietRank {
public:
  explicit QuietRank(const Ranks& ranks) {
    if (ranks.is_root()) return;
    std::fflush(stdout);
    std::fflush(stderr);
    error_fd_ = dup(STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      close(null);
    }
  }
  QuietRank(const QuietRank&) = delete;
  QuietRank& operator=(const QuietRank&) = delete;
  ~QuietRank() {
    if (error_fd_ >= 0) close(error_fd_);
  }
  /// Writes one line to the real stderr.
  void error_line(const std::string& line) const {
    if (error_fd_ < 0) {
      fmt::print(stderr, "{}\n", line);
      return;
    }
    const std::string text = line + "\n";
    if (write(error_fd_, text.data(), text.size()) < 0) return;
  }

private:
  int error_fd_ = -1;
};

/// Parses the command line and runs the command; returns the exit code and, for a failure,
/// its one-line message.
int run_command(int argc, char** argv, GlobalOptions& global, std::string& message) {
  CLI::App app{"gridplan: plan and simulate community governance grids (网格化管理)", "gridplan"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gridplan 0.1.0");
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
  // Under mpirun, commands that do not spread their work would run once per rank (and
  // race for their outputs): refused.
  for (auto* sub : app.get_subcommands({})) {
    const std::string name = sub->get_name();
    const bool spreads = std::find(std::begin(kSpreadCommands), std::end(kSpreadCommands), name) !=
                         std::end(kSpreadCommands);
    if (!spreads)
      sub->preparse_callback([&global, name](std::size_t) {
        if (global.ranks->size() > 1)
          throw UsageError(fmt::format("`gridplan {}` runs in one process; only plan, simulate, "
                                       "compare and staff spread over MPI ranks (run it "
                                       "without mpirun)",
                                       name));
      });
  }

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
    message = fmt::format("gridplan: {} (see --help)", one_line(mask_secrets(e.what())));
    return 1;
  } catch (const gp::UsageError& e) {
    message = fmt::format("gridplan: {}", one_line(mask_secrets(e.what())));
    return 1;
  } catch (const gp::Error& e) {
    message = fmt::format("gridplan: error: {}", one_line(mask_secrets(e.what())));
    return 2;
  } catch (const std::bad_alloc&) {
    message = "gridplan: error: out of memory";
    return 2;
  } catch (const std::exception& e) {
    message = fmt::format("gridplan: internal error: {}", one_line(mask_secrets(e.what())));
    return 3;
  }
  return 0;
}

} // namespace

int run(int argc, char** argv) {
  std::unique_ptr<RunRanks> group;
  try {
    group = start_ranks(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gridplan: error: {}\n", one_line(e.what()));
    return 2;
  }
  const Ranks& ranks = group->ranks();
  GlobalOptions global;
  global.ranks = &ranks;
  global.local_ranks = group->local_size();
  const QuietRank quiet(ranks);
  std::string message;
  const int code = run_command(argc, argv, global, message);
  if (code == 0 || message.empty()) return code;
  // A failure every rank shares (usage errors: same arguments; errors agreed by
  // gp::agree / gp::spread_jobs) is reported once, by the root, and every rank ends
  // normally. A failure of this rank alone ends the whole job: the others may be waiting.
  if (ranks.size() == 1 || code == 1 || ranks.failure_agreed()) {
    if (ranks.is_root()) fmt::print(stderr, "{}\n", message);
    return code;
  }
  quiet.error_line(fmt::format("{} (rank {} of {})", message, ranks.rank(), ranks.size()));
  group->abort(code);
  return code; // not reached
}

} // namespace gp::cli
