#include "gp/sim/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace gp::sim {
namespace {

struct Moments {
  double mean = 0;
  double variance = 0; // sample variance (n-1)
  std::size_t n = 0;
};

Moments moments(const std::vector<double>& samples) {
  Moments m;
  double sum = 0;
  for (double x : samples) {
    if (std::isnan(x)) continue;
    sum += x;
    ++m.n;
  }
  if (m.n == 0) return m;
  m.mean = sum / static_cast<double>(m.n);
  double ss = 0;
  for (double x : samples) {
    if (std::isnan(x)) continue;
    ss += (x - m.mean) * (x - m.mean);
  }
  m.variance = m.n > 1 ? ss / static_cast<double>(m.n - 1) : 0;
  return m;
}

TestResult t_test(double diff, double se, double df) {
  TestResult r;
  r.difference = diff;
  if (!(se > 0) || !(df > 0)) {
    // No spread: a difference is certain unless it is rounding noise.
    const bool real = std::fabs(diff) > 1e-9;
    r.p_value = real ? 0.0 : 1.0;
    r.significant = real;
    return r;
  }
  const boost::math::students_t dist(df);
  const double t = std::fabs(diff) / se;
  r.p_value = 2 * boost::math::cdf(boost::math::complement(dist, t));
  r.half_width = t_quantile(0.95, df) * se;
  r.significant = r.p_value < 0.05;
  return r;
}

} // namespace

double t_quantile(double confidence, double df) {
  const boost::math::students_t dist(df);
  return boost::math::quantile(dist, 1 - (1 - confidence) / 2);
}

Estimate estimate(const std::vector<double>& samples, double confidence) {
  const Moments m = moments(samples);
  Estimate e;
  e.n = m.n;
  e.mean = m.n > 0 ? m.mean : std::numeric_limits<double>::quiet_NaN();
  if (m.n > 1) {
    e.half_width = t_quantile(confidence, static_cast<double>(m.n - 1)) *
                   std::sqrt(m.variance / static_cast<double>(m.n));
  }
  return e;
}

TestResult welch_test(const std::vector<double>& a, const std::vector<double>& b) {
  const Moments ma = moments(a);
  const Moments mb = moments(b);
  if (ma.n < 2 || mb.n < 2) return TestResult{mb.mean - ma.mean, 0, 1, false};
  const double va = ma.variance / static_cast<double>(ma.n);
  const double vb = mb.variance / static_cast<double>(mb.n);
  const double se = std::sqrt(va + vb);
  // Welch-Satterthwaite degrees of freedom.
  const double df =
      (va + vb) * (va + vb) /
      (va * va / static_cast<double>(ma.n - 1) + vb * vb / static_cast<double>(mb.n - 1));
  return t_test(mb.mean - ma.mean, se, df);
}

TestResult paired_test(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    d.push_back(b[i] - a[i]);
  }
  const Moments m = moments(d);
  if (m.n < 2) return TestResult{m.mean, 0, 1, false};
  return t_test(m.mean, std::sqrt(m.variance / static_cast<double>(m.n)),
                static_cast<double>(m.n - 1));
}

double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const double frac = pos - static_cast<double>(lo);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double a = values[lo];
  if (lo + 1 >= values.size() || frac == 0) return a;
  const double b =
      *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  return a + frac * (b - a);
}

} // namespace gp::sim
