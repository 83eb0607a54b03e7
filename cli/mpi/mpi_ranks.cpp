// gp::Ranks over MPI (Boost.MPI on Open MPI): the only file of gridplan that sees MPI.
// Collectives are called from the main thread only (threads inside a rank never call MPI).

#include <mpi.h>

#include <algorithm>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/exception.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gp/core/error.hpp"
#include "run_ranks.hpp"

namespace gp::cli {
namespace {

namespace mpi = boost::mpi;

/// MPI counts are int: bytes travel in pieces of at most 1 GiB.
constexpr std::size_t kPiece = std::size_t{1} << 30;
constexpr int kTagBytes = 17;

class MpiRanks final : public Ranks {
public:
  int rank() const override { return world_.rank(); }
  int size() const override { return world_.size(); }

  std::vector<std::string> gather(std::string mine) const override {
    // Sizes first (one 64-bit count per rank), then each rank's bytes to the root in turn.
    const std::uint64_t n = mine.size();
    if (!is_root()) {
      mpi::gather(world_, n, 0);
      for (std::size_t off = 0; off < mine.size(); off += kPiece)
        world_.send(0, kTagBytes, mine.data() + off, piece(mine.size(), off));
      return {};
    }
    std::vector<std::uint64_t> sizes;
    mpi::gather(world_, n, sizes, 0);
    std::vector<std::string> all(static_cast<std::size_t>(size()));
    all[0] = std::move(mine);
    for (int k = 1; k < size(); ++k) {
      auto& bytes = all[static_cast<std::size_t>(k)];
      bytes.resize(static_cast<std::size_t>(sizes[static_cast<std::size_t>(k)]));
      for (std::size_t off = 0; off < bytes.size(); off += kPiece)
        world_.recv(k, kTagBytes, bytes.data() + off, piece(bytes.size(), off));
    }
    return all;
  }

  void broadcast(std::string& bytes) const override {
    std::uint64_t n = bytes.size();
    mpi::broadcast(world_, n, 0);
    bytes.resize(static_cast<std::size_t>(n));
    for (std::size_t off = 0; off < bytes.size(); off += kPiece)
      mpi::broadcast(world_, bytes.data() + off, piece(bytes.size(), off), 0);
  }

  const mpi::communicator& world() const { return world_; }

private:
  static int piece(std::size_t total, std::size_t off) {
    return static_cast<int>(std::min(kPiece, total - off));
  }
  mpi::communicator world_;
};

class MpiRunRanks final : public RunRanks {
public:
  MpiRunRanks(int& argc, char**& argv)
      : env_(argc, argv, mpi::threading::funneled, /*abort_on_exception=*/true) {
    // Ranks sharing this machine's memory (and cores).
    MPI_Comm local = MPI_COMM_NULL;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
    if (local != MPI_COMM_NULL) {
      MPI_Comm_size(local, &local_size_);
      MPI_Comm_free(&local);
    }
  }
  const Ranks& ranks() const override { return ranks_; }
  int local_size() const override { return std::max(1, local_size_); }
  [[noreturn]] void abort(int code) const override {
    ranks_.world().abort(code);
    std::abort(); // not reached: MPI_Abort ends the process
  }

private:
  mpi::environment env_; // first constructed, last destroyed (MPI_Finalize)
  MpiRanks ranks_;
  int local_size_ = 1;
};

} // namespace

std::unique_ptr<RunRanks> start_mpi_ranks(int& argc, char**& argv) {
  try {
    return std::make_unique<MpiRunRanks>(argc, argv);
  } catch (const mpi::exception& e) {
    throw Error(std::string("MPI could not start: ") + e.what());
  }
}

} // namespace gp::cli
