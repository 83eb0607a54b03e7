// Validation and repair: every repaired, dropped, duplicated or unplaced feature is
// counted in the ReadReport (nothing dropped silently).

#include <gtest/gtest.h>

#include <algorithm>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "io_test_util.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {
using namespace iotest;

std::string write_city(const std::vector<Layer>& layers) {
  const auto path = (gp::testing::temp_dir() / "city.gpkg").string();
  write_layers(path, layers, metric_options());
  return path;
}

Layer units_layer() {
  return polygon_layer("units", {{"building_id", FieldType::text},
                                 {"households", FieldType::integer},
                                 {"type", FieldType::text}});
}

Layer areas_layer() {
  return polygon_layer("areas", {{"code", FieldType::text}, {"name", FieldType::text}});
}

TEST(IoRepair, BrokenPolygonsAreRepairedEmptyDroppedDuplicatesCounted) {
  Layer units = units_layer();
  // 0: a valid square.
  add(units, square(10, 10, 10), {std::string("ok"), std::int64_t{10}, std::string("highrise")});
  // 1: a bow-tie (self-intersecting ring): MakeValid gives two triangles.
  add(units,
      {Polygon{{{x0 + 30, y0 + 10},
                {x0 + 40, y0 + 20},
                {x0 + 40, y0 + 10},
                {x0 + 30, y0 + 20},
                {x0 + 30, y0 + 10}},
               {}}},
      {std::string("bowtie"), std::int64_t{5}, std::string("highrise")});
  // 2: a ring with a spike / repeated backtrack (zero-area appendix): invalid, repaired.
  add(units,
      {Polygon{{{x0 + 50, y0 + 10},
                {x0 + 60, y0 + 10},
                {x0 + 60, y0 + 20},
                {x0 + 55, y0 + 20},
                {x0 + 55, y0 + 30},
                {x0 + 55, y0 + 20},
                {x0 + 50, y0 + 20},
                {x0 + 50, y0 + 10}},
               {}}},
      {std::string("spike"), std::int64_t{5}, std::string("highrise")});
  // 3: empty geometry: dropped and counted.
  add(units, {}, {std::string("empty"), std::int64_t{7}, std::string("highrise")});
  // 4: a zero-area (collinear) polygon: repair leaves nothing, dropped and counted.
  add(units,
      {Polygon{{{x0 + 70, y0 + 10}, {x0 + 80, y0 + 10}, {x0 + 90, y0 + 10}, {x0 + 70, y0 + 10}},
               {}}},
      {std::string("flat"), std::int64_t{1}, std::string("highrise")});
  // 5, 6: exact duplicates of unit 0: kept once.
  add(units, square(10, 10, 10), {std::string("dup1"), std::int64_t{10}, std::string("highrise")});
  add(units, square(10, 10, 10), {std::string("dup2"), std::int64_t{10}, std::string("highrise")});
  Layer areas = areas_layer();
  add(areas, square(0, 0, 100), {std::string("110105001001"), std::string("A")});
  const auto path = write_city({units, areas});

  DatasetSources src;
  src.units = SourceSpec{path, "units"};
  src.areas = SourceSpec{path, "areas"};
  const Dataset ds = read_dataset(src, {});
  EXPECT_EQ(ds.report.features_read, 7u);
  EXPECT_EQ(ds.report.repaired_invalid, 3u); // bow-tie, spike, flat (flat then dropped)
  EXPECT_EQ(ds.report.dropped_empty, 2u);    // empty + flat
  EXPECT_EQ(ds.report.duplicate_units, 2u);
  ASSERT_EQ(ds.units.size(), 3u);
  EXPECT_EQ(ds.units[0].code, "ok");
  EXPECT_EQ(ds.units[1].code, "bowtie");
  EXPECT_EQ(ds.units[2].code, "spike");
  // The bow-tie becomes two triangles of 25 m2 each.
  EXPECT_EQ(ds.units[1].geometry.size(), 2u);
  EXPECT_NEAR(area(ds.units[1].geometry), 50.0, 1e-6);
  EXPECT_NEAR(area(ds.units[2].geometry), 100.0, 1e-6);
  // The report explains the drops.
  EXPECT_FALSE(ds.report.warnings.empty());
  // Attribute rows follow the kept units.
  ASSERT_EQ(ds.unit_attributes.rows.size(), 3u);
  EXPECT_EQ(std::get<std::string>(ds.unit_attributes.rows[1][0]), "bowtie");
}

TEST(IoRepair, UnitsOutsideAreasJoinTheNearestWithinTolerance) {
  Layer units = units_layer();
  // Areas: A = [0,100]^2, B = [200,300]x[0,100].
  add(units, square(10, 10, 10), {std::string("in_a"), std::int64_t{1}, std::string("")});
  // Anchor ~105.5 m: 5.5 m right of A (within 20 m).
  add(units, square(102, 50, 7), {std::string("near_a"), std::int64_t{1}, std::string("")});
  // Anchor ~150 m: 50 m from both: unassigned.
  add(units, square(148, 50, 4), {std::string("far"), std::int64_t{1}, std::string("")});
  // Anchor ~190 m: 10 m left of B.
  add(units, square(188, 50, 4), {std::string("near_b"), std::int64_t{1}, std::string("")});
  Layer areas = areas_layer();
  add(areas, square(0, 0, 100), {std::string("110105001001"), std::string("A")});
  add(areas, square(200, 0, 100), {std::string("110105001002"), std::string("B")});
  const auto path = write_city({units, areas});
  DatasetSources src;
  src.units = SourceSpec{path, "units"};
  src.areas = SourceSpec{path, "areas"};

  const Dataset ds = read_dataset(src, {});
  ASSERT_EQ(ds.units.size(), 4u);
  EXPECT_EQ(ds.units[0].area_code, "110105001001");
  EXPECT_EQ(ds.units[1].area_code, "110105001001");
  EXPECT_EQ(ds.units[2].area_code, "");
  EXPECT_EQ(ds.units[3].area_code, "110105001002");
  EXPECT_EQ(ds.report.assigned_by_tolerance, 2u);
  ASSERT_EQ(ds.report.unassigned.size(), 1u);
  EXPECT_EQ(ds.report.unassigned[0], ds.units[2].source_fid);
  // Source codes are 12 digits: kept.
  EXPECT_EQ(ds.areas[0].code, "110105001001");

  // A tolerance of 60 m also places the far unit (50 m from either; the nearest wins).
  ReadOptions wide;
  wide.assign_tolerance_m = 60;
  const Dataset ds2 = read_dataset(src, wide);
  EXPECT_TRUE(ds2.report.unassigned.empty());
  EXPECT_EQ(ds2.report.assigned_by_tolerance, 3u);
  // A tolerance of 1 m places none of them.
  ReadOptions narrow;
  narrow.assign_tolerance_m = 1;
  const Dataset ds3 = read_dataset(src, narrow);
  EXPECT_EQ(ds3.report.unassigned.size(), 3u);
  EXPECT_EQ(ds3.report.assigned_by_tolerance, 0u);
}

TEST(IoRepair, OverlappingAreasReportedMultipartAreasAllowed) {
  Layer units = units_layer();
  add(units, square(10, 10, 5), {std::string("u1"), std::int64_t{1}, std::string("")});
  add(units, square(510, 10, 5), {std::string("u2"), std::int64_t{1}, std::string("")});
  Layer areas = areas_layer();
  // A: two parts 500 m apart (multipart allowed); B overlaps A's first part by 10x100.
  MultiPolygon a = square(0, 0, 100);
  a.push_back(square(500, 0, 100)[0]);
  add(areas, a, {std::string("x"), std::string("A")});
  add(areas, square(90, 0, 100), {std::string("y"), std::string("B")});
  add(areas, square(1000, 1000, 100), {std::string("z"), std::string("C")});
  const auto path = write_city({units, areas});
  DatasetSources src;
  src.units = SourceSpec{path, "units"};
  src.areas = SourceSpec{path, "areas"};
  const Dataset ds = read_dataset(src, {});
  ASSERT_EQ(ds.areas.size(), 3u);
  EXPECT_EQ(ds.areas[0].geometry.size(), 2u);
  // Codes are not 12 digits: generated, 12 digits, unique, ordered north->south, west->east.
  std::vector<std::string> codes;
  for (const auto& ar : ds.areas) {
    EXPECT_EQ(ar.code.size(), 12u);
    codes.push_back(ar.code);
  }
  EXPECT_EQ(ds.areas[2].code, "000000001001"); // C is the northernmost
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(std::unique(codes.begin(), codes.end()), codes.end());
  ASSERT_EQ(ds.report.overlapping_areas.size(), 1u);
  const auto& [p, q] = ds.report.overlapping_areas[0];
  EXPECT_EQ(std::minmax(p, q), std::minmax(ds.areas[0].code, ds.areas[1].code));
  // Both units belong to A (the second part too).
  EXPECT_EQ(ds.units[0].area_code, ds.areas[0].code);
  EXPECT_EQ(ds.units[1].area_code, ds.areas[0].code);
  // Reading twice gives the same codes (stable).
  const Dataset again = read_dataset(src, {});
  for (std::size_t i = 0; i < ds.areas.size(); ++i)
    EXPECT_EQ(again.areas[i].code, ds.areas[i].code);
}

TEST(IoRepair, HouseholdsGivenAreKeptMissingOnesEstimatedAndMarked) {
  Layer units = polygon_layer("units", {{"households", FieldType::integer},
                                        {"floors", FieldType::integer},
                                        {"type", FieldType::text}});
  add(units, square(0, 0, 20), {std::int64_t{40}, std::int64_t{6}, std::string("lowrise")});
  add(units, square(30, 0, 20), {std::monostate{}, std::int64_t{6}, std::string("lowrise")});
  add(units, square(60, 0, 20), {std::monostate{}, std::int64_t{2}, std::string("school")});
  add(units, square(90, 0, 20), {std::monostate{}, std::monostate{}, std::string("pingfang")});
  const auto path = write_city({units});
  DatasetSources src;
  src.units = SourceSpec{path, "units"};
  const Dataset ds = read_dataset(src, {});
  ASSERT_EQ(ds.units.size(), 4u);
  EXPECT_EQ(ds.units[0].households, 40);
  EXPECT_EQ(ds.units[0].households_source, ValueSource::given);
  // 400 m2 x 6 floors x 0.75 / 90 m2 = 20 households.
  EXPECT_NEAR(ds.units[1].households, 20.0, 1e-9);
  EXPECT_EQ(ds.units[1].households_source, ValueSource::estimated);
  EXPECT_NEAR(ds.units[1].population, 20.0 * 2.62, 1e-9);
  EXPECT_EQ(ds.units[2].households, 0); // a school has no households
  // Pingfang default: 1 floor: 400 x 1 x 0.75 / 90.
  EXPECT_NEAR(ds.units[3].households, 400.0 * 0.75 / 90.0, 1e-9);
  EXPECT_EQ(ds.report.households_estimated, 3u);
  EXPECT_EQ(ds.report.population_estimated, 4u);
}

} // namespace
} // namespace gp::geo
