#pragma once
// Random numbers with gridplan's own sampling code on top of std::mt19937_64, so the
// streams do not depend on the standard library's distribution implementations
// (std::exponential_distribution etc. differ between libstdc++ and libc++). log, exp,
// sqrt, cos come from the C library; glibc's are correctly rounded or fixed for the
// platform, so results are reproducible on the same platform.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace gp::sim::detail {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Seed of stream `stream` of replication `replication` for user seed `seed`.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t replication,
                                 std::uint64_t stream) {
  return splitmix64(splitmix64(splitmix64(seed) ^ replication) ^ (stream * 0xD1B54A32D192ED03ULL));
}

class Rng {
public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  /// Exponential with the given mean (one draw).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  /// Standard normal by Box-Muller, always two draws (keeps stream use fixed per call).
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

private:
  std::mt19937_64 gen_;
};

/// Walker/Vose alias table: O(1) sampling of an index with given weights (two draws).
class AliasTable {
public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    prob_.assign(n, 0.0);
    alias_.assign(n, 0);
    double total = 0;
    for (double w : weights) total += w;
    if (n == 0 || !(total > 0)) return;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const auto s = small.back();
      small.pop_back();
      const auto l = large.back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) prob_[i] = 1.0;
    for (auto i : small) prob_[i] = 1.0;
  }
  std::uint32_t sample(Rng& rng) const {
    const double u = rng.uniform() * static_cast<double>(prob_.size());
    auto i = static_cast<std::uint32_t>(u);
    if (i >= prob_.size()) i = static_cast<std::uint32_t>(prob_.size() - 1);
    return rng.uniform() < prob_[i] ? i : alias_[i];
  }
  bool empty() const { return prob_.empty(); }

private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

} // namespace gp::sim::detail
