#pragma once
// Deterministic Chinese names for the demo city (private to demo_city*.cpp).

#include <cstdint>
#include <string>
#include <vector>

namespace gp::geo::demo {

/// SplitMix64 finaliser: a well-mixed 64-bit hash, the source of all jitter that must be a
/// pure function of (seed, position) so that shared boundaries come out identical.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Hash of a seed and up to three integers.
inline std::uint64_t hash_of(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                             std::uint64_t c = 0) {
  return splitmix64(splitmix64(splitmix64(splitmix64(seed) ^ a) ^ b) ^ c);
}

/// Maps 64 random bits to [0,1) (53 bits, portable).
inline double unit_interval(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

/// Sequential random numbers from a std::mt19937_64-equivalent stream, with distributions
/// written out here so results do not depend on the standard library's implementation.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : state_(splitmix64(seed)) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return unit_interval(next()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Integer in [lo, hi] (inclusive).
  int integer(int lo, int hi) {
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }

private:
  std::uint64_t state_;
};

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
