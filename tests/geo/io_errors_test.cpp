// Every bad input is an InputError whose one-line message names the file, the layer and
// (when one is at fault) the feature.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "io_test_util.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {
namespace fs = std::filesystem;
using namespace iotest;

/// Runs read_dataset and returns the InputError it must throw.
InputError read_error(const DatasetSources& src, const ReadOptions& opt = {}) {
  try {
    (void)read_dataset(src, opt);
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    return e;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("", "");
}

DatasetSources units_only(const std::string& path, const std::string& layer = "") {
  DatasetSources s;
  s.units = SourceSpec{path, layer};
  return s;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::string write_units(const Layer& l, const std::string& file = "city.gpkg",
                        WriteOptions o = metric_options()) {
  const auto path = (gp::testing::temp_dir() / file).string();
  write_layers(path, {l}, o);
  return path;
}

Layer good_units() {
  Layer l = polygon_layer("units", {{"households", FieldType::text}});
  add(l, square(0, 0, 10), {std::string("12")});
  add(l, square(20, 0, 10), {std::string("abc")});
  return l;
}

TEST(IoErrors, MissingFile) {
  const auto e = read_error(units_only("/nonexistent/dir/city.gpkg"));
  EXPECT_EQ(e.file(), "/nonexistent/dir/city.gpkg");
  EXPECT_TRUE(contains(e.what(), "no such file")) << e.what();
}

TEST(IoErrors, CorruptFile) {
  const auto path = gp::testing::temp_dir() / "broken.gpkg";
  std::ofstream(path, std::ios::binary)
      << std::string("SQLite format 3\0garbage", 23) << std::string(3000, '\x7f');
  const auto e = read_error(units_only(path.string()));
  EXPECT_EQ(e.file(), path.string());
  EXPECT_TRUE(contains(e.what(), "cannot be read")) << e.what();
  const auto shp = gp::testing::temp_dir() / "broken.shp";
  std::ofstream(shp, std::ios::binary) << std::string(200, '\x01');
  EXPECT_EQ(read_error(units_only(shp.string())).file(), shp.string());
  const auto empty = gp::testing::temp_dir() / "empty.geojson";
  std::ofstream(empty).flush();
  EXPECT_TRUE(contains(read_error(units_only(empty.string())).what(), "empty"));
}

TEST(IoErrors, WrongLayerName) {
  const auto path = write_units(good_units());
  const auto e = read_error(units_only(path, "buildings"));
  EXPECT_EQ(e.layer(), "buildings");
  EXPECT_TRUE(contains(e.what(), "no such layer (layers: units)")) << e.what();
}

TEST(IoErrors, NoCrsUnlessSrcCrsGiven) {
  WriteOptions o = metric_options(OutputFormat::csv);
  o.geometry_crs.clear(); // CSV with WKT has no CRS
  Layer l = good_units();
  l.table.rows[1][0] = std::string("7");
  const auto path = write_units(l, "units.csv", o);
  const auto e = read_error(units_only(path));
  EXPECT_EQ(e.file(), path);
  EXPECT_EQ(e.layer(), "units");
  EXPECT_TRUE(contains(e.what(), "--src-crs")) << e.what();
  ReadOptions ro;
  ro.src_crs = "EPSG:4548";
  const Dataset ds = read_dataset(units_only(path), ro);
  EXPECT_EQ(ds.units.size(), 2u);
  EXPECT_DOUBLE_EQ(ds.units[0].households + ds.units[1].households, 19.0);
}

TEST(IoErrors, LinesAreNotUnitsAndPointsAreNotAreas) {
  Layer lines;
  lines.name = "roads";
  lines.kind = GeometryKind::line;
  lines.table.fields = {{"name", FieldType::text}};
  lines.table.rows = {{std::string("长安街")}};
  lines.lines = {{{{x0, y0}, {x0 + 100, y0}}}};
  const auto path = write_units(lines);
  const auto e = read_error(units_only(path));
  EXPECT_EQ(e.layer(), "roads");
  EXPECT_TRUE(contains(e.what(), "polygons")) << e.what();

  Layer pts;
  pts.name = "areas";
  pts.kind = GeometryKind::point;
  pts.table.fields = {{"name", FieldType::text}};
  pts.table.rows = {{std::string("a")}};
  pts.points = {{x0, y0}};
  const auto dir = gp::testing::temp_dir();
  const auto city = (dir / "c.gpkg").string();
  write_layers(city, {good_units(), pts}, metric_options());
  DatasetSources s;
  s.units = SourceSpec{city, "units"};
  s.areas = SourceSpec{city, "areas"};
  ReadOptions ro;
  ro.where = "households <> 'abc'";
  const auto e2 = read_error(s, ro);
  EXPECT_EQ(e2.layer(), "areas");
  EXPECT_TRUE(contains(e2.what(), "an area layer needs polygons")) << e2.what();
}

TEST(IoErrors, FieldThatIsNotNumericNamesTheFeature) {
  const auto path = write_units(good_units());
  const auto e = read_error(units_only(path));
  EXPECT_EQ(e.file(), path);
  EXPECT_EQ(e.layer(), "units");
  ASSERT_TRUE(e.feature().has_value());
  EXPECT_EQ(*e.feature(), 2); // GeoPackage fids start at 1
  EXPECT_TRUE(contains(e.what(), "field 'households' is not numeric ('abc')")) << e.what();
  // The --where filter skips the bad feature.
  ReadOptions ro;
  ro.where = "households <> 'abc'";
  EXPECT_EQ(read_dataset(units_only(path), ro).units.size(), 1u);
  // A mapped field that does not exist is an error naming it.
  ro.fields.households = "户数";
  EXPECT_TRUE(contains(read_error(units_only(path), ro).what(), "no field '户数'"));
}

TEST(IoErrors, EmptyLayerAndAllEmptyGeometries) {
  Layer empty = polygon_layer("units", {{"households", FieldType::integer}});
  const auto path = write_units(empty);
  const auto e = read_error(units_only(path));
  EXPECT_EQ(e.layer(), "units");
  EXPECT_TRUE(contains(e.what(), "layer is empty")) << e.what();
  Layer blank = polygon_layer("units", {{"households", FieldType::integer}});
  add(blank, {}, {std::int64_t{1}});
  add(blank, {}, {std::int64_t{2}});
  const auto p2 = write_units(blank, "blank.gpkg");
  EXPECT_TRUE(contains(read_error(units_only(p2)).what(), "no polygons or points")) << p2;
  // A filter matching nothing says so.
  ReadOptions ro;
  ro.where = "households > 100";
  EXPECT_TRUE(contains(read_error(units_only(p2), ro).what(), "no features match"));
  // A filter that is not valid SQL is an error too.
  ro.where = "households >>> (";
  EXPECT_TRUE(contains(read_error(units_only(p2), ro).what(), "bad attribute filter"));
}

} // namespace
} // namespace gp::geo
