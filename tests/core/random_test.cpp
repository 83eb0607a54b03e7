// gp::Rng and gp::FastRng: reference outputs of the engines and the distributions' moments.

#include <gtest/gtest.h>

#include <cmath>

#include "gp/core/random.hpp"

namespace {

// xoshiro256++ from the state {1, 2, 3, 4}: the first output is rotl(1 + 4, 23) + 1; the
// second follows from one state update worked by hand (s = {7, 0, 262146, 6 << 45}):
// rotl(7 + (6 << 45), 23) + 7 = (7 << 23) + (6 << 4) + 7.
TEST(Xoshiro256pp, MatchesTheReferenceAlgorithmByHand) {
  auto x = gp::Xoshiro256pp::from_state(1, 2, 3, 4);
  EXPECT_EQ(x(), (std::uint64_t{5} << 23) + 1);
  EXPECT_EQ(x(), (std::uint64_t{7} << 23) + (6 << 4) + 7);
}

// std::mt19937_64's 10,000th output from the default seed is fixed by the C++ standard.
TEST(Rng, MersenneTwisterIsTheStandardOne) {
  std::mt19937_64 reference(5489u);
  reference.discard(9999);
  EXPECT_EQ(reference(), 9981545732273789042ULL);
}

template <class R> void check_moments(R rng) {
  constexpr int n = 200000;
  double su = 0, se = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    su += rng.uniform();
    se += rng.exponential(2.0);
    const double z = rng.normal();
    sn += z;
    sn2 += z * z;
  }
  // Five standard errors: uniform sd 0.2887, exponential sd 2, normal sd 1 (z^2 sd sqrt 2).
  const double k = 5 / std::sqrt(n);
  EXPECT_NEAR(su / n, 0.5, k * 0.2887);
  EXPECT_NEAR(se / n, 2.0, k * 2.0);
  EXPECT_NEAR(sn / n, 0.0, k);
  EXPECT_NEAR(sn2 / n, 1.0, k * std::sqrt(2.0));
}

TEST(Rng, DistributionsHaveTheirMoments) {
  check_moments(gp::Rng(7));
}
TEST(FastRng, DistributionsHaveTheirMoments) {
  check_moments(gp::FastRng(7));
}

TEST(FastRng, SeedsGiveDistinctStreams) {
  gp::FastRng a(1), b(2), a2(1);
  const auto x = a.bits();
  EXPECT_NE(x, b.bits());
  EXPECT_EQ(x, a2.bits());
}

} // namespace
