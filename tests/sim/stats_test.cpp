#include <gtest/gtest.h>

#include <cmath>

#include "gp/sim/stats.hpp"

namespace gp::sim {
namespace {

TEST(Stats, StudentTQuantiles) {
  EXPECT_NEAR(t_quantile(0.95, 9), 2.262157, 1e-6);
  EXPECT_NEAR(t_quantile(0.95, 19), 2.093024, 1e-6);
  EXPECT_NEAR(t_quantile(0.95, 1e6), 1.959966, 1e-5);
}

TEST(Stats, EstimateMeanAndHalfWidth) {
  const Estimate e = estimate({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(e.mean, 3);
  // s = sqrt(2.5), t_{0.975,4} = 2.776445
  EXPECT_NEAR(e.half_width, 2.776445 * std::sqrt(2.5 / 5), 1e-5);
  const Estimate skip = estimate({1, std::nan(""), 3});
  EXPECT_EQ(skip.n, 2u);
  EXPECT_DOUBLE_EQ(skip.mean, 2);
}

TEST(Stats, WelchAndPairedTests) {
  const std::vector<double> a{10, 11, 12, 13, 14, 15};
  std::vector<double> b;
  for (double x : a) b.push_back(x + 0.5);
  // Welch: a shift of 0.5 against a spread of ~1.9 is not significant ...
  const TestResult w = welch_test(a, b);
  EXPECT_DOUBLE_EQ(w.difference, 0.5);
  EXPECT_FALSE(w.significant);
  EXPECT_GT(w.p_value, 0.5);
  // ... but paired (common random numbers) with a constant shift it is exactly known.
  std::vector<double> c = b;
  c[0] += 0.01; // avoid zero variance
  const TestResult p = paired_test(a, c);
  EXPECT_TRUE(p.significant);
  EXPECT_LT(p.p_value, 1e-6);
  // Welch p-value against a textbook case: t = 2.0, df ~ 10 gives p ~ 0.0734.
  const TestResult big = welch_test({0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0.5, 0.5},
                                    {1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1.5, 1.5});
  EXPECT_DOUBLE_EQ(big.difference, 1.0);
  EXPECT_TRUE(big.significant);
}

TEST(Stats, QuantileInterpolates) {
  std::vector<double> v{5, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(quantile(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(quantile(v, 0.9), 4.6);
  std::vector<double> empty;
  EXPECT_TRUE(std::isnan(quantile(empty, 0.5)));
}

} // namespace
} // namespace gp::sim
