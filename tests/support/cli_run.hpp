#pragma once
// gp::testing: running the built `gridplan` executable end to end (tests/cli,
// tests/robustness), and the small city and plan they run it on.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gp::testing {

struct CliRun {
  int exit_code = -1; ///< -1 when killed (e.g. by the time limit)
  std::string out, err;
  /// stderr without trailing newlines split into lines (empty lines dropped).
  std::vector<std::string> err_lines() const;
};

/// Runs `gridplan ARGS...` in `cwd` (default: the test's working directory) with stdout and
/// stderr captured, killed after `timeout_s` seconds (a hang fails instead of blocking
/// the suite).
CliRun run_gridplan(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                    int timeout_s = 120);

/// Runs `ENV timeout T LAUNCHER gridplan ARGS...` like run_gridplan: ENV assignments (e.g.
/// "OGR_X=YES") and a LAUNCHER (e.g. "taskset -c 0", "mpirun -np 2"), each may be empty. A
/// time-out sends TERM (a launcher passes it on to its processes), then KILL 10 s later.
CliRun run_gridplan_under(const std::string& env, const std::string& launcher,
                          const std::vector<std::string>& args,
                          const std::filesystem::path& cwd = {}, int timeout_s = 120);

/// Why `mpirun -np N gridplan` cannot run here ("" when it can): gridplan built without
/// MPI (GP_WITH_MPI off), or no mpirun found at configure time.
std::string mpi_unavailable();

/// Runs `mpirun --oversubscribe -np RANKS gridplan ARGS...` (Open MPI, allowed as root) like
/// run_gridplan. Call only when mpi_unavailable() is empty.
CliRun run_gridplan_mpi(int ranks, const std::vector<std::string>& args,
                        const std::filesystem::path& cwd = {}, int timeout_s = 120);

/// The whole file as bytes ("" when unreadable).
std::string slurp(const std::filesystem::path& p);

/// Every entry below `dir` (hidden ones too) with its size and content hash, to prove
/// that a run left nothing behind and replaced nothing: two snapshots compare equal
/// only when no file was added, removed or changed.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);

/// A small demo city (`gridplan generate --buildings 400`, seed 7) and its plan
/// (`gridplan plan --city ... --seed 1`), made once per test program in a shared folder.
/// Copy them before handing them to a command that might write.
const std::filesystem::path& small_city();
const std::filesystem::path& small_plan();

} // namespace gp::testing
