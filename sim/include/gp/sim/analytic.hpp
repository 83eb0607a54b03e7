#pragma once
// Closed-form and numerically exact queueing results the simulator is validated against.

#include <vector>

namespace gp::sim {

/// M/M/c (Erlang C) with offered load a = lambda/mu < c.
struct ErlangC {
  double p_wait = 0; ///< probability an arrival waits
  double wq = 0;     ///< mean wait in queue, in service-time units (mu = 1)
  double lq = 0;     ///< mean number waiting
  double l = 0;      ///< mean number in system
};
/// Throws std::invalid_argument unless 0 < a < c.
ErlangC erlang_c(int servers, double offered_load);

/// Larson's hypercube queueing model with an infinite FCFS queue (Larson & Odoni,
/// Urban Operations Research, §5.4): n servers with exponential service of rate 1,
/// request classes with a Poisson rate and a preference order over all servers; an
/// arrival goes to its most preferred free server, else waits. Solved by the balance
/// equations of the 2^n busy/free states plus a truncated queue tail.
struct HypercubeClass {
  double rate = 0;
  std::vector<int> preference; ///< server indices, most preferred first; [0] is "home"
};
struct HypercubeSolution {
  std::vector<double> workload; ///< fraction of time each server is busy
  double p_queued = 0;          ///< probability an arrival finds all busy
  double outside_share = 0;     ///< share served by a server other than the home one
  std::vector<double>
      state_probability; ///< of busy sets (bitmask), queue states summed into all-busy
};
HypercubeSolution solve_hypercube(int servers, const std::vector<HypercubeClass>& classes);

} // namespace gp::sim
