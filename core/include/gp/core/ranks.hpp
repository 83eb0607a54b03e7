#pragma once
// The processes (ranks) of a run: this process alone, or the ranks of an MPI job
// (`mpirun -np N gridplan ...`; the MPI implementation lives in cli/, built when Boost.MPI
// is found). Independent jobs — communities to plan, replications to simulate — are dealt
// to the ranks by size, each rank does its share, and the results come back in job order,
// so the outcome does not depend on the number of ranks. No MPI type appears here.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace gp {

/// One rank's share of a spread run.
struct RankShare {
  int rank = 0;
  std::size_t jobs = 0; ///< jobs done (communities, replications)
  double size = 0;      ///< their summed size (units of the communities, replications)
  double seconds = 0;   ///< wall time this rank spent on them
  /// Input items this rank read for them (plan: unit features read from the source; the
  /// root reads all, as it writes them); 0 when not counted.
  double read = 0;
  friend bool operator==(const RankShare&, const RankShare&) = default;
};

/// Sums shares rank by rank (for commands that spread several runs, e.g. `compare`).
void add_shares(std::vector<RankShare>& total, const std::vector<RankShare>& more);

/// The processes of a run. Every method marked collective must be called by every rank, in
/// the same order, from the thread that created the Ranks.
class Ranks {
public:
  virtual ~Ranks() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool is_root() const { return rank() == 0; }
  /// Collective: the root receives every rank's `mine` in rank order; the other ranks an
  /// empty vector.
  virtual std::vector<std::string> gather(std::string mine) const = 0;
  /// Collective: the root's `bytes` replace every other rank's.
  virtual void broadcast(std::string& bytes) const = 0;
  /// True after agree() or spread_jobs() ended in an error that every rank threw (so each
  /// rank may end normally; only the root needs to report it).
  bool failure_agreed() const { return failure_agreed_; }

protected:
  Ranks() = default;
  Ranks(const Ranks&) = default;
  Ranks& operator=(const Ranks&) = default;

private:
  friend struct RanksAccess; // agree() and spread_jobs() set failure_agreed_
  mutable bool failure_agreed_ = false;
};

/// This process alone: rank 0 of 1.
const Ranks& single_process();

/// Deals jobs of the given sizes to `ranks` ranks: largest first (ties by index), each to
/// the rank with the least total size so far (ties to the lowest rank). Returns the rank of
/// every job. A pure function of its arguments, so every rank computes the same deal.
std::vector<int> deal_jobs(const std::vector<double>& sizes, int ranks);

/// Collective: runs `work` on every rank. When it throws on any rank, every rank throws the
/// error of the lowest failing rank — the same gp::Error class (UsageError, InputError,
/// OutputError, Error; anything else as std::runtime_error) and message — and
/// failure_agreed() becomes true. Wrap work every rank does (reading inputs) in it, so a
/// failure on one rank cannot leave the others waiting.
void agree(const Ranks& ranks, const std::function<void()>& work);

struct SpreadResult {
  /// Every job's output in job order: on the root, or on every rank with `to_all`;
  /// empty elsewhere.
  std::vector<std::string> outputs;
  std::vector<RankShare> shares; ///< every rank's share, in rank order, on every rank
};

/// Collective: deals jobs 0..n-1 (sizes[k] = size of job k, e.g. its units) with
/// deal_jobs(), calls run_mine(my job indices, ascending) on each rank, which returns one
/// packed output per index in that order, and collects the outputs in job order. Errors
/// as agree(): a job that throws on any rank ends every rank with that error (name the
/// job in its message, e.g. with rethrow_with_context). With one rank, run_mine gets
/// every job and nothing is copied. `read` goes into this rank's share (RankShare::read).
SpreadResult spread_jobs(
    const Ranks& ranks, const std::vector<double>& sizes,
    const std::function<std::vector<std::string>(const std::vector<std::size_t>&)>& run_mine,
    bool to_all = false, double read = 0);

} // namespace gp
