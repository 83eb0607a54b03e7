#pragma once
// Deterministic Chinese names for the demo city (private to demo_city*.cpp).

#include <cstdint>
#include <string>
#include <vector>

#include "gp/core/random.hpp"

namespace gp::geo::demo {

using gp::Rng;
using gp::unit_interval;
/// Hash of a seed and up to three integers.
constexpr std::uint64_t hash_of(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                                std::uint64_t c = 0) {
  return derive_seed(seed, a, b, c);
}

/// Names drawn from small word lists, permuted by the seed. Indexed names (streets,
/// communities, roads) are unique for every index; others may repeat across the city.
class NameBook {
public:
  explicit NameBook(std::uint64_t seed);

  static std::string district() { return "京华区"; }
  static std::string district_code() { return "110199"; }

  std::string street(std::size_t k) const;                          ///< "和平街道"
  std::string community_stem(std::size_t k) const;                  ///< "安华里" (unique per k)
  std::string road_north_south(std::size_t k, bool arterial) const; ///< "光华路"
  std::string road_east_west(std::size_t k, bool arterial) const;   ///< "建国大街"
  std::string river() const;
  std::string rail() const;

  /// Names picked by a random draw r (any 64-bit value).
  std::string place(std::uint64_t r) const;             ///< a two-character place word
  std::string highrise_compound(std::uint64_t r) const; ///< "华润·橡树湾"
  std::string lowrise_compound(std::uint64_t r) const;  ///< "安华家园"
  std::string mixed_compound(std::uint64_t r) const;    ///< "光华广场"
  std::string commercial(std::uint64_t r) const;
  std::string industrial(std::uint64_t r) const;
  std::string public_service(std::uint64_t r) const;
  std::string school(std::uint64_t r) const;
  std::string hutong(std::uint64_t r) const;

private:
  std::vector<std::size_t> place_order_;  // permutation of the place words
  std::vector<std::size_t> suffix_order_; // permutation of the community suffixes
  std::uint64_t seed_;
};

/// 1 -> "一", 12 -> "十二", 35 -> "三十五"; 100 and above in Arabic digits.
std::string chinese_number(std::size_t n);

} // namespace gp::geo::demo
