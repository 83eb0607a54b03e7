// geo::node_lines: GEOS noding makes crossings into shared vertices.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "gp/geo/ops.hpp"

namespace gp::geo {
namespace {

double length(const LineString& l) {
  double s = 0;
  for (std::size_t i = 1; i < l.size(); ++i)
    s += std::hypot(l[i].x - l[i - 1].x, l[i].y - l[i - 1].y);
  return s;
}

double total_length(const std::vector<LineString>& ls) {
  double s = 0;
  for (const auto& l : ls) s += length(l);
  return s;
}

/// How many pieces start or end at p.
int ends_at(const std::vector<LineString>& ls, Point p) {
  int n = 0;
  for (const auto& l : ls) {
    if (l.front() == p) ++n;
    if (l.back() == p) ++n;
  }
  return n;
}

TEST(NodeLines, CrossingBecomesSharedVertex) {
  const std::vector<LineString> x = {{{0, 0}, {10, 10}}, {{0, 10}, {10, 0}}};
  const auto noded = node_lines(x);
  ASSERT_EQ(noded.size(), 4u);
  EXPECT_EQ(ends_at(noded, {5, 5}), 4);
  EXPECT_NEAR(total_length(noded), 2 * std::sqrt(200.0), 1e-9);
}

TEST(NodeLines, LineEndingOnAnotherSplitsIt) {
  const std::vector<LineString> t = {{{0, 0}, {100, 0}}, {{40, 0}, {40, 50}}};
  const auto noded = node_lines(t);
  ASSERT_EQ(noded.size(), 3u);
  EXPECT_EQ(ends_at(noded, {40, 0}), 3);
  EXPECT_NEAR(total_length(noded), 150, 1e-9);
}

TEST(NodeLines, StreetGridWithoutCommonVerticesBecomesAGraph) {
  // n horizontal and n vertical two-point streets spanning the grid: each street is cut at
  // its n crossings into n - 1 blocks, every interior crossing joins four blocks.
  const int n = 6;
  std::vector<LineString> streets;
  for (int i = 0; i < n; ++i) {
    streets.push_back({{0, 100.0 * i}, {100.0 * (n - 1), 100.0 * i}});
    streets.push_back({{100.0 * i, 0}, {100.0 * i, 100.0 * (n - 1)}});
  }
  const auto noded = node_lines(streets);
  EXPECT_EQ(noded.size(), static_cast<std::size_t>(2 * n * (n - 1)));
  EXPECT_NEAR(total_length(noded), 2.0 * n * 100 * (n - 1), 1e-6);
  for (int i = 1; i + 1 < n; ++i)
    for (int j = 1; j + 1 < n; ++j) EXPECT_EQ(ends_at(noded, {100.0 * i, 100.0 * j}), 4);
  EXPECT_EQ(node_lines(streets), noded); // deterministic
}

TEST(NodeLines, DegenerateAndNonFiniteLinesIgnored) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<LineString> in = {{}, {{1, 1}}, {{2, 2}, {2, 2}}, {{nan, 0}, {5, nan}}};
  EXPECT_TRUE(node_lines(in).empty());
  EXPECT_TRUE(node_lines({}).empty());
}

} // namespace
} // namespace gp::geo
