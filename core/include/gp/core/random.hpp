#pragma once
// The one seeded random generator of gridplan. Portable: the engine is std::mt19937_64,
// whose output sequence the C++ standard fixes, and every distribution is written out here
// (std::uniform_int_distribution, std::shuffle, std::exponential_distribution ... differ
// between libstdc++ and libc++), so a seed gives the same numbers on every standard library.
// log/exp/sqrt/cos come from the C library (correctly rounded or fixed on one platform).

#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>
#include <utility>

namespace gp {

/// SplitMix64 finaliser: a well-mixed 64-bit hash of x.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// A seed derived from a parent seed and up to three integers (streams, replications,
/// positions); independent of any call order.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                                    std::uint64_t c = 0) {
  return splitmix64(splitmix64(splitmix64(splitmix64(seed) ^ a) ^ b) ^ c);
}

/// FNV-1a hash of a string (e.g. an area code), for seeds keyed by name.
constexpr std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char ch : text) {
    h ^= static_cast<unsigned char>(ch);
    h *= 0x100000001B3ULL;
  }
  return h;
}

/// Maps 64 random bits to [0, 1) with 53 bits.
constexpr double unit_interval(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

/// xoshiro256++ (Blackman & Vigna 2019): a fully specified 64-bit generator, about four
/// times faster than std::mt19937_64 per draw, seeded from one 64-bit value through
/// SplitMix64 (the authors' recommendation). Used where draws dominate (the simulator).
class Xoshiro256pp {
public:
  using result_type = std::uint64_t;
  explicit Xoshiro256pp(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      word = splitmix64(seed - 0x9E3779B97F4A7C15ULL);
    }
  }
  /// The generator in a given state (reference test vectors); not all zero.
  static Xoshiro256pp from_state(std::uint64_t a, std::uint64_t b, std::uint64_t c,
                                 std::uint64_t d) {
    Xoshiro256pp x(0);
    x.s_[0] = a;
    x.s_[1] = b;
    x.s_[2] = c;
    x.s_[3] = d;
    return x;
  }
  std::uint64_t operator()() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// Seeded draws over a fully specified engine; gp::Rng (std::mt19937_64) everywhere, and
/// gp::FastRng (xoshiro256++) in the simulator's event loop.
template <class Engine> class BasicRng {
public:
  explicit BasicRng(std::uint64_t seed) : gen_(seed) {}

  /// 64 uniformly random bits.
  std::uint64_t bits() { return gen_(); }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return unit_interval(gen_()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n) for n >= 1, unbiased (bitmask rejection: fewer than two
  /// draws on average).
  std::uint64_t below(std::uint64_t n) {
    if (n <= 1) return 0;
    std::uint64_t mask = n - 1;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    for (;;) {
      const std::uint64_t x = gen_() & mask;
      if (x < n) return x;
    }
  }
  /// Uniform integer in [lo, hi] (inclusive), lo <= hi.
  std::int64_t integer(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  bool chance(double p) { return uniform() < p; }
  /// Exponential with the given mean (one draw).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  /// Standard normal by Box-Muller, always two draws (fixed stream use per call).
  double normal() {
    const double u1 = 1.0 - uniform(); // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Lognormal with the given mean and coefficient of variation (two draws).
  double lognormal(double mean, double cv) {
    const double z = normal();
    if (cv <= 0) return mean;
    const double s2 = std::log1p(cv * cv);
    return std::exp(std::log(mean) - 0.5 * s2 + std::sqrt(s2) * z);
  }
  /// Fisher-Yates shuffle of [first, last) with this generator's own draws.
  template <class It> void shuffle(It first, It last) {
    const auto n = static_cast<std::uint64_t>(last - first);
    for (std::uint64_t i = n; i > 1; --i) {
      const auto j = below(i);
      using std::swap;
      swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
  }

private:
  Engine gen_;
};

using Rng = BasicRng<std::mt19937_64>;
using FastRng = BasicRng<Xoshiro256pp>;

} // namespace gp
