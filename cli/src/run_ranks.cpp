#include "run_ranks.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "commands.hpp"

namespace gp::cli {
namespace {

class Alone final : public RunRanks {
public:
  const Ranks& ranks() const override { return single_process(); }
  int local_size() const override { return 1; }
  [[noreturn]] void abort(int code) const override { std::exit(code); }
};

/// True when an MPI launcher (Open MPI's mpirun, MPICH's hydra, Slurm's PMI/PMIx) started
/// this process.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

} // namespace

std::unique_ptr<RunRanks> start_ranks(int& argc, char**& argv) {
#ifdef GP_WITH_MPI
  if (launched_by_mpi()) return start_mpi_ranks(argc, argv);
#else
  (void)launched_by_mpi;
#endif
  (void)argc;
  (void)argv;
  return std::make_unique<Alone>();
}

unsigned GlobalOptions::threads(unsigned requested) const {
  if (requested > 0 || ranks->size() == 1) return requested;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max(1u, cores / static_cast<unsigned>(std::max(1, local_ranks)));
}

void add_ranks_json(nlohmann::ordered_json& summary, const std::vector<RankShare>& shares,
                    const char* jobs_key, const char* size_key, const char* read_key) {
  summary["ranks"] = shares.size();
  auto rows = nlohmann::ordered_json::array();
  for (const auto& s : shares) {
    nlohmann::ordered_json row;
    row["rank"] = s.rank;
    row[jobs_key] = s.jobs;
    if (size_key != nullptr) row[size_key] = s.size;
    if (read_key != nullptr) row[read_key] = s.read;
    row["seconds"] = s.seconds;
    rows.push_back(std::move(row));
  }
  summary["rank_shares"] = std::move(rows);
}

std::string ranks_text(const std::vector<RankShare>& shares, const char* jobs_name,
                       const char* size_name, const char* read_name) {
  if (shares.size() <= 1) return {};
  std::string text = fmt::format("spread over {} ranks:", shares.size());
  for (const auto& s : shares) {
    text += fmt::format(" rank {} {} {}", s.rank, s.jobs, jobs_name);
    if (size_name != nullptr && read_name != nullptr)
      text += fmt::format(" ({:.0f} {}, {:.0f} {})", s.size, size_name, s.read, read_name);
    else if (size_name != nullptr)
      text += fmt::format(" ({:.0f} {})", s.size, size_name);
    text += fmt::format(" {:.1f} s;", s.seconds);
  }
  text.back() = '\n';
  return text;
}

} // namespace gp::cli
