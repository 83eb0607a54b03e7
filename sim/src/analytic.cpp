#include "gp/sim/analytic.hpp"

#include <cmath>
#include <stdexcept>

namespace gp::sim {

ErlangC erlang_c(int servers, double offered_load) {
  const double a = offered_load;
  const int c = servers;
  if (c < 1 || !(a > 0) || !(a < c))
    throw std::invalid_argument("erlang_c: need 0 < load < servers");
  // sum_{k<c} a^k/k! and a^c/c! computed iteratively (no factorial overflow for c <= ~150).
  double term = 1; // a^k/k!
  double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  ErlangC r;
  r.p_wait = top / (sum + top);
  r.wq = r.p_wait / (c - a); // mu = 1
  r.lq = a * r.wq;           // Little: lambda = a when mu = 1
  r.l = r.lq + a;
  return r;
}

HypercubeSolution solve_hypercube(int servers, const std::vector<HypercubeClass>& classes) {
  const int n = servers;
  if (n < 1 || n > 12) throw std::invalid_argument("solve_hypercube: 1..12 servers");
  double lambda = 0;
  for (const auto& c : classes) lambda += c.rate;
  if (!(lambda < n)) throw std::invalid_argument("solve_hypercube: unstable (lambda >= servers)");
  const int full = (1 << n) - 1;
  const double rho = lambda / n;
  // Queue tail: states (full, k) for k >= 1 form a birth-death chain with birth lambda and
  // death n, so P(full, k) = P(full, 0) rho^k. Truncate where rho^K is negligible.
  int tail = 0;
  for (double r = rho; r > 1e-16 && tail < 5000; r *= rho) ++tail;
  const int states = (1 << n) + tail; // index (1<<n)+k-1 is (full, k)
  // Generator matrix Q (row = from); solve pi Q = 0 with sum pi = 1 by Gaussian elimination
  // on the transposed system with one equation replaced by the normalisation.
  const auto m = static_cast<std::size_t>(states);
  std::vector<double> q(m * m, 0.0);
  auto add = [&](int from, int to, double rate) {
    q[static_cast<std::size_t>(from) * m + static_cast<std::size_t>(to)] += rate;
    q[static_cast<std::size_t>(from) * m + static_cast<std::size_t>(from)] -= rate;
  };
  for (int mask = 0; mask <= full; ++mask) {
    for (const auto& c : classes) {
      int to = -1;
      for (int s : c.preference) {
        if (!(mask & (1 << s))) {
          to = mask | (1 << s);
          break;
        }
      }
      if (to < 0) to = (1 << n); // (full, 1)
      add(mask, to, c.rate);
    }
    for (int s = 0; s < n; ++s)
      if (mask & (1 << s)) add(mask, mask & ~(1 << s), 1.0);
  }
  for (int k = 1; k <= tail; ++k) {
    const int idx = (1 << n) + k - 1;
    if (k < tail) add(idx, idx + 1, lambda);
    add(idx, k == 1 ? full : idx - 1, static_cast<double>(n));
  }
  // A x = b with A = Q^T, last row replaced by ones.
  std::vector<double> a(m * m);
  std::vector<double> b(m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) a[i * m + j] = q[j * m + i];
  for (std::size_t j = 0; j < m; ++j) a[(m - 1) * m + j] = 1.0;
  b[m - 1] = 1.0;
  for (std::size_t col = 0; col < m; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < m; ++r)
      if (std::fabs(a[r * m + col]) > std::fabs(a[pivot * m + col])) pivot = r;
    if (pivot != col) {
      for (std::size_t j = 0; j < m; ++j) std::swap(a[col * m + j], a[pivot * m + j]);
      std::swap(b[col], b[pivot]);
    }
    const double d = a[col * m + col];
    for (std::size_t r = 0; r < m; ++r) {
      if (r == col) continue;
      const double f = a[r * m + col] / d;
      if (f == 0) continue;
      for (std::size_t j = col; j < m; ++j) a[r * m + j] -= f * a[col * m + j];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> pi(m);
  for (std::size_t i = 0; i < m; ++i) pi[i] = b[i] / a[i * m + i];

  HypercubeSolution sol;
  sol.state_probability.assign(static_cast<std::size_t>(full) + 1, 0.0);
  for (int mask = 0; mask <= full; ++mask)
    sol.state_probability[static_cast<std::size_t>(mask)] = pi[static_cast<std::size_t>(mask)];
  for (int k = 1; k <= tail; ++k)
    sol.state_probability[static_cast<std::size_t>(full)] +=
        pi[static_cast<std::size_t>((1 << n) + k - 1)];
  sol.workload.assign(static_cast<std::size_t>(n), 0.0);
  for (int mask = 0; mask <= full; ++mask)
    for (int s = 0; s < n; ++s)
      if (mask & (1 << s))
        sol.workload[static_cast<std::size_t>(s)] +=
            sol.state_probability[static_cast<std::size_t>(mask)];
  sol.p_queued = sol.state_probability[static_cast<std::size_t>(full)]; // PASTA
  // Outside share: an arrival finding free servers goes to its first free preference; a
  // queued arrival is served by whichever server frees first, uniformly one of n
  // (exponential services are memoryless), so it is outside with probability (n-1)/n.
  double outside = 0;
  for (const auto& c : classes) {
    double o = sol.p_queued * (n - 1) / static_cast<double>(n);
    for (int mask = 0; mask < full; ++mask) {
      for (int s : c.preference) {
        if (!(mask & (1 << s))) {
          if (s != c.preference.front()) o += sol.state_probability[static_cast<std::size_t>(mask)];
          break;
        }
      }
    }
    outside += c.rate / lambda * o;
  }
  sol.outside_share = outside;
  return sol;
}

} // namespace gp::sim
