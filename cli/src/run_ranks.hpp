#pragma once
// The processes of one `gridplan` run: the ranks of an MPI job when gridplan was built with
// MPI (GP_WITH_MPI) and started by mpirun, else this process alone.

#include <memory>

#include "gp/core/ranks.hpp"

namespace gp::cli {

class RunRanks {
public:
  virtual ~RunRanks() = default;
  virtual const Ranks& ranks() const = 0;
  /// Ranks on this machine (they share its cores: the default thread count is divided).
  virtual int local_size() const = 0;
  /// Ends every rank of the job with `code` at once (MPI_Abort): for a failure the other
  /// ranks cannot know of, which would leave them waiting.
  [[noreturn]] virtual void abort(int code) const = 0;
};

/// Starts the ranks: MPI is initialised (and finalised by the destructor) only when the
/// environment says an MPI launcher started this process (OMPI_COMM_WORLD_SIZE,
/// PMI_SIZE or PMIX_RANK) and gridplan was built with MPI. Throws gp::Error when MPI
/// cannot start.
std::unique_ptr<RunRanks> start_ranks(int& argc, char**& argv);

#ifdef GP_WITH_MPI
/// The MPI implementation (cli/mpi/mpi_ranks.cpp).
std::unique_ptr<RunRanks> start_mpi_ranks(int& argc, char**& argv);
#endif

} // namespace gp::cli
