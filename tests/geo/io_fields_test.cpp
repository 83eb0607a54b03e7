// Field roles: auto-detection of English and Chinese names, explicit mapping, mapping files.

#include <gtest/gtest.h>

#include <fstream>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "io_test_util.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {
using namespace iotest;

TEST(IoFields, DetectsChineseNames) {
  const FieldMapping m =
      detect_fields({"编码", "名称", "户数", "人口", "层数", "高度", "小区", "类型", "备注"});
  EXPECT_EQ(m.code, "编码");
  EXPECT_EQ(m.name, "名称");
  EXPECT_EQ(m.households, "户数");
  EXPECT_EQ(m.population, "人口");
  EXPECT_EQ(m.floors, "层数");
  EXPECT_EQ(m.height, "高度");
  EXPECT_EQ(m.compound, "小区");
  EXPECT_EQ(m.type, "类型");
  EXPECT_EQ(m.floor_area, "");
}

TEST(IoFields, DetectsEnglishOsmAndDemoCityNamesCaseInsensitively) {
  const FieldMapping m = detect_fields(
      {"Building_ID", "TYPE", "Floors", "height", "Households", "compound_id", "name"});
  EXPECT_EQ(m.code, "Building_ID");
  EXPECT_EQ(m.type, "TYPE");
  EXPECT_EQ(m.floors, "Floors");
  EXPECT_EQ(m.households, "Households");
  EXPECT_EQ(m.compound, "compound_id");
  const FieldMapping osm = detect_fields({"osm_id", "name", "type", "building", "building:levels"});
  EXPECT_EQ(osm.type, "building"); // the building tag beats the relation type
  EXPECT_EQ(osm.floors, "building:levels");
  const FieldMapping areas = detect_fields({"code", "name", "parent_code", "level"});
  EXPECT_EQ(areas.parent_code, "parent_code");
  EXPECT_EQ(areas.level, "level");
}

TEST(IoFields, ExplicitMappingWinsAndFieldsAreNotReused) {
  FieldMapping given;
  given.households = "HU";
  given.population = "户数"; // odd but explicit: 户数 is then not households
  const FieldMapping m = detect_fields({"HU", "户数", "pop"}, given);
  EXPECT_EQ(m.households, "HU");
  EXPECT_EQ(m.population, "户数");
}

TEST(IoFields, MappingFileIsToml) {
  const auto path = gp::testing::temp_dir() / "fields.toml";
  std::ofstream(path) << "[fields]\nhouseholds = \"住户\"\nfloors = \"LC\"\n";
  const FieldMapping m = FieldMapping::from_file(path.string());
  EXPECT_EQ(m.households, "住户");
  EXPECT_EQ(m.floors, "LC");
  EXPECT_EQ(m.entries().size(), 2u);
  const auto bad = gp::testing::temp_dir() / "bad.toml";
  std::ofstream(bad) << "househods = \"x\"\n";
  EXPECT_THROW((void)FieldMapping::from_file(bad.string()), UsageError);
  EXPECT_THROW((void)FieldMapping::from_file("/nonexistent.toml"), UsageError);
}

TEST(IoFields, ChineseFieldsDriveTheModel) {
  Layer l = polygon_layer("楼栋", {{"编码", FieldType::text},
                                   {"户数", FieldType::integer},
                                   {"层数", FieldType::integer},
                                   {"小区", FieldType::text},
                                   {"名称", FieldType::text}});
  add(l, square(0, 0, 30),
      {std::string("B1"), std::int64_t{60}, std::int64_t{18}, std::string("阳光小区"),
       std::string("1号楼")});
  add(l, square(40, 0, 30),
      {std::string("B2"), std::monostate{}, std::int64_t{10}, std::string("阳光小区"),
       std::string("2号楼")});
  const auto path = (gp::testing::temp_dir() / "楼栋.gpkg").string();
  write_layers(path, {l}, metric_options());
  const auto layers = list_layers(path, {});
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0].recognised.size(), 5u);
  DatasetSources s;
  s.units = SourceSpec::parse(path + ":楼栋");
  EXPECT_EQ(s.units->layer, "楼栋");
  const Dataset ds = read_dataset(s, {});
  ASSERT_EQ(ds.units.size(), 2u);
  EXPECT_EQ(ds.units[0].code, "B1");
  EXPECT_EQ(ds.units[0].name, "1号楼");
  EXPECT_EQ(ds.units[0].compound_id, "阳光小区");
  EXPECT_EQ(ds.units[0].households, 60);
  EXPECT_EQ(ds.units[0].floors, 18);
  // B2: 900 m2 x 10 floors x 0.75 / 90 = 75 households (untyped counts as residential).
  EXPECT_NEAR(ds.units[1].households, 75.0, 1e-9);
}

TEST(IoFields, SourceSpecSplitsOnlyAfterAnExistingFile) {
  const auto path = (gp::testing::temp_dir() / "a.gpkg").string();
  std::ofstream(path) << "x";
  const auto s = SourceSpec::parse(path + ":units");
  EXPECT_EQ(s.path, path);
  EXPECT_EQ(s.layer, "units");
  EXPECT_EQ(s.to_string(), path + ":units");
  const auto pg = SourceSpec::parse("PG:dbname=gp host=localhost");
  EXPECT_EQ(pg.path, "PG:dbname=gp host=localhost");
  EXPECT_EQ(pg.layer, "");
  EXPECT_EQ(SourceSpec::parse("missing.gpkg:units").path, "missing.gpkg:units");
}

} // namespace
} // namespace gp::geo
