#pragma once
// Statistics across replications: means with Student-t confidence intervals, and tests
// for differences between scenarios.

#include <cstddef>
#include <vector>

namespace gp::sim {

/// Mean of replication values with the half-width of its 95 % confidence interval
/// (Student t with n-1 degrees of freedom; 0 when n < 2).
struct Estimate {
  double mean = 0;
  double half_width = 0;
  std::size_t n = 0;
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
  bool contains(double x) const { return x >= low() && x <= high(); }
};

/// NaN samples (a metric undefined in some replication) are skipped.
Estimate estimate(const std::vector<double>& samples, double confidence = 0.95);

/// Two-sided quantile t_{1-(1-confidence)/2, df}.
double t_quantile(double confidence, double df);

struct TestResult {
  double difference = 0; ///< mean(b) - mean(a)
  double half_width = 0; ///< 95 % CI half-width of the difference
  double p_value = 1;
  bool significant = false; ///< p < 0.05
};

/// Welch's unequal-variance t-test of mean(b) - mean(a).
TestResult welch_test(const std::vector<double>& a, const std::vector<double>& b);
/// Paired t-test on b[i] - a[i] (replications paired by common random numbers).
TestResult paired_test(const std::vector<double>& a, const std::vector<double>& b);

/// The q-quantile (0..1) of values by linear interpolation (type 7); NaN when empty.
/// Reorders `values`.
double quantile(std::vector<double>& values, double q);

} // namespace gp::sim
