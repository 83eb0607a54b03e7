#pragma once
// Seed-robust checks for simulation tests: instead of "the 95 % CI contains the exact
// value" (which fails for 5 % of seeds by design), a check passes when the replication
// mean is within q standard errors of the exact value, with q the Student-t quantile for a
// stated family-wise false-alarm rate split over the checks of a test (Bonferroni). A
// test making k checks with Bonferroni{alpha, k} fails on a correct simulator for at most
// a fraction alpha of seeds (replication means close to normal).

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

namespace gp::testing {

struct Bonferroni {
  double alpha = 1e-3; ///< family-wise false-alarm rate of the test
  int checks = 1;      ///< checks the rate is split over
  /// Two-sided quantile t_{1 - alpha / (2 checks), df}.
  double quantile(double df) const {
    const boost::math::students_t t(std::max(df, 1.0));
    return boost::math::quantile(t, 1 - alpha / (2.0 * checks));
  }
};

struct MeanSe {
  double mean = 0, se = 0;
  std::size_t n = 0;
};

inline MeanSe mean_se(const std::vector<double>& samples) {
  MeanSe m;
  double sum = 0;
  for (double x : samples)
    if (!std::isnan(x)) {
      sum += x;
      ++m.n;
    }
  if (m.n == 0) return m;
  m.mean = sum / static_cast<double>(m.n);
  double ss = 0;
  for (double x : samples)
    if (!std::isnan(x)) ss += (x - m.mean) * (x - m.mean);
  if (m.n > 1) m.se = std::sqrt(ss / static_cast<double>(m.n - 1) / static_cast<double>(m.n));
  return m;
}

/// |mean - exact| <= t-quantile x standard error (or 1e-12 relative when the samples do
/// not vary).
inline bool within_se(const std::vector<double>& samples, double exact, Bonferroni b = {}) {
  const MeanSe m = mean_se(samples);
  if (m.n == 0) return false;
  const double tol =
      m.se > 0 ? b.quantile(static_cast<double>(m.n - 1)) * m.se : 1e-12 * std::fabs(exact);
  return std::fabs(m.mean - exact) <= tol;
}

/// Two independent sets of replications with equal means: |mean_a - mean_b| <= q x
/// sqrt(se_a^2 + se_b^2), q at the smaller sample's degrees of freedom (conservative
/// for Welch's test).
inline bool same_mean(const std::vector<double>& a, const std::vector<double>& b,
                      Bonferroni bf = {}) {
  const MeanSe x = mean_se(a), y = mean_se(b);
  if (x.n < 2 || y.n < 2) return false;
  const double df = static_cast<double>(std::min(x.n, y.n) - 1);
  return std::fabs(x.mean - y.mean) <= bf.quantile(df) * std::hypot(x.se, y.se);
}

} // namespace gp::testing
