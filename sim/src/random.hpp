#pragma once
// The simulator's random streams: gp::FastRng (portable, gp/core/random.hpp) seeded per
// (seed, replication, stream), and an alias table for weighted choices.

#include <cstdint>
#include <vector>

#include "gp/core/random.hpp"

namespace gp::sim::detail {

/// Seed of stream `stream` of replication `replication` of the independent part `part`
/// (a hash of its name) for user seed `seed`.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t replication,
                                 std::uint64_t stream, std::uint64_t part) {
  return derive_seed(seed, replication, stream * 0xD1B54A32D192ED03ULL, part);
}

using Rng = gp::FastRng; // the event loop draws a lot: xoshiro256++

/// Walker/Vose alias table: O(1) sampling of an index with given weights.
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
  /// One draw: its integer part picks the column, its fraction (53 - log2(columns) bits,
  /// 33 at a million columns) the side; a single column takes no draw.
  std::uint32_t sample(Rng& rng) const {
    if (prob_.size() <= 1) return 0;
    const double u = rng.uniform() * static_cast<double>(prob_.size());
    auto i = static_cast<std::uint32_t>(u);
    if (i >= prob_.size()) i = static_cast<std::uint32_t>(prob_.size() - 1);
    return u - static_cast<double>(i) < prob_[i] ? i : alias_[i];
  }
  bool empty() const { return prob_.empty(); }

private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

} // namespace gp::sim::detail
