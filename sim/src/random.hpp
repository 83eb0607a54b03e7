#pragma once
// The simulator's random streams: gp::Rng (portable, gp/core/random.hpp) seeded per
// (seed, replication, stream), and an alias table for weighted choices.

#include <cstdint>
#include <vector>

#include "gp/core/random.hpp"

namespace gp::sim::detail {

/// Seed of stream `stream` of replication `replication` for user seed `seed`.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t replication,
                                 std::uint64_t stream) {
  return splitmix64(splitmix64(splitmix64(seed) ^ replication) ^ (stream * 0xD1B54A32D192ED03ULL));
}

using gp::Rng;

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
