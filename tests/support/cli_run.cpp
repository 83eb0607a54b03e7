#include "cli_run.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "support.hpp"

namespace gp::testing {
namespace fs = std::filesystem;
namespace {

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

fs::path shared_fixture_dir() {
  static const fs::path dir = [] {
    // Outside any test's folder so that it is made once per program.
    const fs::path d = temp_dir().parent_path() / "shared-fixture";
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

} // namespace

std::vector<std::string> CliRun::err_lines() const {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

/// Runs `launcher` + gridplan ARGS in `cwd` with stdout and stderr captured.
CliRun run_captured(const std::string& launcher, const std::vector<std::string>& args,
                    const fs::path& cwd) {
  const fs::path bin = binary_dir() / "apps" / "gridplan";
  // Captured output goes beside, not inside, the working folder (snapshots stay clean).
  static int counter = 0;
  const fs::path log = temp_dir().parent_path() / ("run-" + std::to_string(counter++));
  std::string cmd = cwd.empty() ? std::string() : "cd " + quote(cwd.string()) + " && ";
  cmd += launcher + quote(bin.string());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " </dev/null >" + quote(log.string() + ".out") + " 2>" + quote(log.string() + ".err");
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (r.exit_code == 137) r.exit_code = -1; // killed by timeout
  r.out = slurp(log.string() + ".out");
  r.err = slurp(log.string() + ".err");
  std::error_code ec;
  fs::remove(log.string() + ".out", ec);
  fs::remove(log.string() + ".err", ec);
  return r;
}

} // namespace

CliRun run_gridplan(const std::vector<std::string>& args, const fs::path& cwd, int timeout_s) {
  return run_captured("timeout -s KILL " + std::to_string(timeout_s) + " ", args, cwd);
}

CliRun run_gridplan_under(const std::string& env, const std::string& launcher,
                          const std::vector<std::string>& args, const fs::path& cwd,
                          int timeout_s) {
  return run_captured(env + " timeout -k 10 " + std::to_string(timeout_s) + " " + launcher + " ",
                      args, cwd);
}

std::string mpi_unavailable() {
#if defined(GP_TEST_MPIEXEC)
  if (!fs::exists(GP_TEST_MPIEXEC))
    return std::string(GP_TEST_MPIEXEC) +
           " (found at configure time) is gone: install openmpi-bin (scripts/install-deps.sh)";
  return {};
#else
  return "gridplan was built without MPI (GP_WITH_MPI off or no mpirun found)";
#endif
}

CliRun run_gridplan_mpi(int ranks, const std::vector<std::string>& args, const fs::path& cwd,
                        int timeout_s) {
#if defined(GP_TEST_MPIEXEC)
  // Open MPI refuses to run as root unless told twice.
  return run_gridplan_under("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                            quote(GP_TEST_MPIEXEC) + " --oversubscribe -np " +
                                std::to_string(ranks),
                            args, cwd, timeout_s);
#else
  (void)ranks;
  (void)args;
  (void)cwd;
  (void)timeout_s;
  throw std::logic_error("run_gridplan_mpi: " + mpi_unavailable());
#endif
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto rel = fs::relative(it->path(), dir).string();
    if (it->is_symlink(ec)) {
      out[rel] = "link:" + fs::read_symlink(it->path(), ec).string();
    } else if (it->is_directory(ec)) {
      out[rel] = "dir";
    } else if (it->is_regular_file(ec)) {
      const std::string bytes = slurp(it->path());
      out[rel] =
          std::to_string(bytes.size()) + ":" + std::to_string(std::hash<std::string>{}(bytes));
    } else {
      out[rel] = "special";
    }
  }
  return out;
}

const fs::path& small_city() {
  static const fs::path city = [] {
    const fs::path p = shared_fixture_dir() / "city.gpkg";
    const auto r =
        run_gridplan({"generate", "--buildings", "400", "--seed", "7", "--out", p.string(), "-q"});
    if (r.exit_code != 0) throw std::runtime_error("gridplan generate failed: " + r.err);
    return p;
  }();
  return city;
}

const fs::path& small_plan() {
  static const fs::path plan = [] {
    const fs::path p = shared_fixture_dir() / "plan.gpkg";
    const auto r = run_gridplan(
        {"plan", "--city", small_city().string(), "--seed", "1", "--out", p.string(), "-q"});
    if (r.exit_code != 0) throw std::runtime_error("gridplan plan failed: " + r.err);
    return p;
  }();
  return plan;
}

} // namespace gp::testing
