// The spatial index agrees with brute force; thematic classes pick the right ramps.
#include <random>
#include <set>

#include "gp/core/error.hpp"
#include "gp/viewer/spatial_index.hpp"
#include "gp/viewer/theme.hpp"
#include "plan_fixture.hpp"
#include "support.hpp"

namespace gp::viewer {
namespace {

TEST(GridIndex, QueryEqualsBruteForce) {
  std::mt19937_64 rng(gp::testing::test_seed());
  std::uniform_real_distribution<double> pos(0, 10000), size(0, 300);
  std::vector<geo::Box> boxes;
  for (int i = 0; i < 5000; ++i) {
    const double x = pos(rng), y = pos(rng);
    boxes.push_back({x, y, x + size(rng), y + size(rng)});
  }
  boxes.push_back(geo::Box::none()); // features without geometry are never returned
  const GridIndex index(boxes);
  for (int q = 0; q < 200; ++q) {
    const double x = pos(rng), y = pos(rng), w = size(rng) * 5;
    const geo::Box query{x, y, x + w, y + w};
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 0; i < boxes.size(); ++i)
      if (boxes[i].intersects(query)) expected.push_back(i);
    ASSERT_EQ(index.query(query), expected) << "query " << q;
  }
}

MapLayer layer_with(const std::string& field, const std::vector<double>& values) {
  geo::Layer l;
  l.name = "cells";
  l.kind = geo::GeometryKind::polygon;
  l.table.fields = {{field, geo::FieldType::real}, {"name", geo::FieldType::text}};
  for (double v : values) {
    l.table.rows.push_back({v, std::string("x")});
    l.polygons.push_back({});
  }
  MapModel m;
  return m.add_layer(std::move(l));
}

TEST(GridIndex, UpdatedBoxesAreFoundWhereTheyMoved) {
  std::mt19937_64 rng(gp::testing::test_seed());
  std::uniform_real_distribution<double> pos(0, 10000), size(0, 300);
  std::vector<geo::Box> boxes;
  for (int i = 0; i < 2000; ++i) {
    const double x = pos(rng), y = pos(rng);
    boxes.push_back({x, y, x + size(rng), y + size(rng)});
  }
  GridIndex index(boxes);
  // Grow, shrink and move some boxes (an edited cell), even beyond the old extent.
  for (int k = 0; k < 300; ++k) {
    const auto i = static_cast<std::uint32_t>(rng() % boxes.size());
    const double x = pos(rng) * 1.2 - 1000, y = pos(rng) * 1.2 - 1000;
    boxes[i] = {x, y, x + size(rng) * 3, y + size(rng) * 3};
    index.update(i, boxes[i]);
  }
  for (int q = 0; q < 200; ++q) {
    const double x = pos(rng) * 1.2 - 1000, y = pos(rng) * 1.2 - 1000, w = size(rng) * 5;
    const geo::Box query{x, y, x + w, y + w};
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 0; i < boxes.size(); ++i)
      if (boxes[i].intersects(query)) expected.push_back(i);
    ASSERT_EQ(index.query(query), expected) << "query " << q;
  }
}

TEST(Thematic, NarrowRangesStillGetFiveQuantileClassesWithCounts) {
  // On-time shares of simulated cells lie in a narrow band (0.86..0.89): two significant
  // digits would merge the breaks into two classes.
  gp::testing::qt_app();
  const auto grid = gp::testing::grid_cells(8, 100); // 64 cells
  geo::Layer cells;
  cells.name = "simulation";
  cells.kind = geo::GeometryKind::polygon;
  cells.polygons = grid.polygons;
  cells.table.fields = {{"on_time_share", geo::FieldType::real}};
  for (std::size_t i = 0; i < grid.polygons.size(); ++i)
    cells.table.rows.push_back({geo::Value{0.86 + 0.03 * static_cast<double>(i) / 63.0}});
  MapModel m;
  const auto& layer = m.add_layer(std::move(cells));
  const auto t = make_thematic(layer, "on_time_share", 5);
  ASSERT_EQ(t.classes.size(), 5u);
  std::size_t total = 0;
  for (std::size_t k = 0; k < t.classes.size(); ++k) {
    if (k > 0) {
      EXPECT_GT(t.classes[k].lower, t.classes[k - 1].lower);
    }
    // Quantile classes of 64 distinct values: each holds about a fifth of them.
    EXPECT_GE(t.classes[k].count, 10u) << k;
    EXPECT_LE(t.classes[k].count, 16u) << k;
    total += t.classes[k].count;
    // The count is the number of values the class takes (independently recounted).
    std::size_t in = 0;
    const int f = layer.data.table.find("on_time_share");
    for (std::size_t i = 0; i < layer.size(); ++i)
      if (t.class_of(layer.number(i, f).value()) == static_cast<int>(k)) ++in;
    EXPECT_EQ(t.classes[k].count, in);
  }
  EXPECT_EQ(total, layer.size());
  // Labels tell the classes apart.
  std::set<std::string> labels;
  for (const auto& c : t.classes) labels.insert(c.label);
  EXPECT_EQ(labels.size(), 5u);
  const auto rows = legend_rows(t);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].colour, t.classes[0].colour.name().toStdString());
  EXPECT_EQ(rows[4].count, t.classes[4].count);
}

TEST(Thematic, OneValueEverywhereIsOneClass) {
  // Regression: every cell with 400 households (a lattice city) crashed the labelling.
  gp::testing::qt_app();
  const auto grid = gp::testing::grid_cells(4, 100);
  geo::Layer cells;
  cells.name = "cells";
  cells.kind = geo::GeometryKind::polygon;
  cells.polygons = grid.polygons;
  cells.table.fields = {{"households", geo::FieldType::real}};
  for (std::size_t i = 0; i < grid.polygons.size(); ++i)
    cells.table.rows.push_back({geo::Value{400.0}});
  MapModel m;
  const auto t = make_thematic(m.add_layer(std::move(cells)), "households", 5);
  ASSERT_EQ(t.classes.size(), 1u);
  EXPECT_EQ(t.classes[0].count, 16u);
  EXPECT_EQ(t.classes[0].label, "400 – 400");
}

TEST(Thematic, SequentialQuantilesCoverTheValuesInOrder) {
  std::vector<double> v;
  for (int i = 0; i < 100; ++i) v.push_back(300 + 2 * i);
  const auto t = make_thematic(layer_with("households", v), "households", 5);
  EXPECT_EQ(t.kind, RampKind::sequential);
  ASSERT_EQ(t.classes.size(), 5u);
  for (std::size_t i = 1; i < t.classes.size(); ++i)
    EXPECT_GT(t.classes[i].lower, t.classes[i - 1].lower);
  EXPECT_EQ(t.class_of(300), 0);
  EXPECT_EQ(t.class_of(498), 4);
  // Classes hold about a fifth of the values each.
  std::vector<int> counts(5);
  for (double x : v) ++counts[static_cast<std::size_t>(t.class_of(x))];
  for (int c : counts) EXPECT_NEAR(c, 20, 3);
  // Darker for more (viridis reversed): luminance falls.
  EXPECT_GT(t.classes.front().colour.lightness(), t.classes.back().colour.lightness());
}

TEST(Thematic, DeviationsDivergeAroundZeroAndYesNoIsBinary) {
  const auto d =
      make_thematic(layer_with("deviation_pct", {-8, -4, -1, 0, 2, 5, 9}), "deviation_pct");
  EXPECT_EQ(d.kind, RampKind::diverging);
  EXPECT_EQ(d.classes.size() % 2, 1u);
  const auto mid = d.classes[d.classes.size() / 2];
  EXPECT_LE(mid.lower, 0);
  EXPECT_GE(mid.upper, 0);
  EXPECT_EQ(d.class_of(0), static_cast<int>(d.classes.size() / 2));
  const auto b = make_thematic(layer_with("within_bounds", {0, 1, 1, 0}), "within_bounds");
  EXPECT_EQ(b.kind, RampKind::binary);
  EXPECT_EQ(b.colour(0.0), ramp_colours(RampKind::binary, 2)[0]);
  EXPECT_EQ(b.colour(1.0), ramp_colours(RampKind::binary, 2)[1]);
  EXPECT_EQ(b.colour(std::nullopt), b.no_data);
}

TEST(Thematic, UnknownFieldNamesTheNumericFields) {
  try {
    make_thematic(layer_with("households", {1, 2}), "name");
    FAIL() << "expected UsageError";
  } catch (const gp::UsageError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'name'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("households"), std::string::npos) << msg;
  }
}

} // namespace
} // namespace gp::viewer
