#pragma once
// gp::testing: the ranks of a distributed run played by threads of this process, so the
// spreading code (gp::spread_jobs, make_plan and simulate with several ranks) is tested
// without mpirun. Collectives meet at a barrier, as MPI ranks meet in MPI calls.

#include <exception>
#include <functional>
#include <vector>

#include "gp/core/ranks.hpp"

namespace gp::testing {

/// Runs body(ranks) on `n` threads, one per rank (rank k on thread k), and returns what
/// each rank threw (null when it returned normally), in rank order.
std::vector<std::exception_ptr> on_thread_ranks(int n,
                                                const std::function<void(const Ranks&)>& body);

} // namespace gp::testing
