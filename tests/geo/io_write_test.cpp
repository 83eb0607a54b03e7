// write_layers: round trips in every file format, GBK shapefiles, predictable field
// names, atomicity and refusal to overwrite.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gp/geo/crs.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "io_test_util.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {
namespace fs = std::filesystem;
using namespace iotest;

Layer chinese_layer() {
  Layer l = polygon_layer("社区", {{"名称", FieldType::text},
                                   {"户数", FieldType::integer},
                                   {"人口", FieldType::real},
                                   {"polsby_popper", FieldType::real},
                                   {"polsby_popper_2", FieldType::real}});
  add(l, square(0, 0, 100), {std::string("建外街道"), std::int64_t{320}, 838.4, 0.78, 0.5});
  add(l, square(100, 0, 100),
      {std::string("展览路街道·一社区"), std::int64_t{455}, 1192.1, 0.79, 0.25});
  add(l, square(200, 0, 100), {std::monostate{}, std::monostate{}, std::monostate{}, 0.1, 0.2});
  return l;
}

std::vector<std::string> names(const Table& t) {
  std::vector<std::string> n;
  for (const auto& f : t.fields) n.push_back(f.name);
  return n;
}

TEST(IoWrite, GbkShapefileRoundTripKeepsChineseText) {
  const auto dir = gp::testing::temp_dir() / "out_shp";
  WriteOptions o = metric_options(OutputFormat::shp);
  o.encoding = "GBK";
  const Layer l = chinese_layer();
  write_layers(dir.string(), {l}, o);
  ASSERT_TRUE(fs::is_directory(dir));
  // .cpg names the encoding, .prj the CRS.
  std::ifstream cpg(dir / "社区.cpg");
  std::string enc;
  std::getline(cpg, enc);
  EXPECT_EQ(enc, "GBK");
  EXPECT_TRUE(fs::exists(dir / "社区.prj"));
  // The DBF really holds GBK bytes: 建 is 0xBD 0xA8 in GBK.
  std::ifstream dbf(dir / "社区.dbf", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(dbf)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("\xBD\xA8"), std::string::npos);
  EXPECT_EQ(bytes.find("建"), std::string::npos); // not UTF-8

  const Layer back = read_layer((dir / "社区.shp").string(), "", metric_crs());
  ASSERT_EQ(back.table.rows.size(), 3u);
  EXPECT_EQ(names(back.table),
            (std::vector<std::string>{"名称", "户数", "人口", "polsby_pop", "polsby_p_1"}));
  EXPECT_EQ(std::get<std::string>(back.table.rows[0][0]), "建外街道");
  EXPECT_EQ(std::get<std::string>(back.table.rows[1][0]), "展览路街道·一社区");
  EXPECT_EQ(std::get<std::int64_t>(back.table.rows[1][1]), 455);
  EXPECT_DOUBLE_EQ(std::get<double>(back.table.rows[1][2]), 1192.1);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(back.table.rows[2][0]));
  ASSERT_EQ(back.polygons.size(), 3u);
  EXPECT_NEAR(area(back.polygons[1]), 10000.0, 1e-3);

  // Without the .cpg the reader guesses GB18030 rather than printing mojibake.
  fs::remove(dir / "社区.cpg");
  const Layer guessed = read_layer((dir / "社区.shp").string(), "", "");
  EXPECT_EQ(std::get<std::string>(guessed.table.rows[0][0]), "建外街道");
  // And --encoding GBK is honoured explicitly.
  ReadOptions ro;
  ro.encoding = "GBK";
  ro.fields.name = "名称";
  DatasetSources src;
  src.units = SourceSpec{(dir / "社区.shp").string(), ""};
  const Dataset ds = read_dataset(src, ro);
  EXPECT_EQ(ds.units[1].name, "展览路街道·一社区");
}

TEST(IoWrite, ShapefileFieldNamesAreTruncatedPredictably) {
  EXPECT_EQ(shapefile_field_names({"polsby_popper", "deviation_pct", "within_bounds", "cell_code"},
                                  "UTF-8"),
            (std::vector<std::string>{"polsby_pop", "deviation_", "within_bou", "cell_code"}));
  // Collisions get _1, _2 in place of their last characters (case-insensitive).
  EXPECT_EQ(shapefile_field_names({"population_a", "population_b", "POPULATION_C"}, "UTF-8"),
            (std::vector<std::string>{"population", "populati_1", "POPULATI_2"}));
  // UTF-8: 3 bytes per Chinese character, so 3 fit; GBK: 2 bytes, so 5 fit.
  EXPECT_EQ(shapefile_field_names({"常住人口数量"}, "UTF-8"), (std::vector<std::string>{"常住人"}));
  EXPECT_EQ(shapefile_field_names({"常住人口数量"}, "GBK"),
            (std::vector<std::string>{"常住人口数"}));
}

TEST(IoWrite, GeoPackageHoldsSeveralLayersAndAttributeTables) {
  const auto path = (gp::testing::temp_dir() / "plan.gpkg").string();
  Layer cells = chinese_layer();
  cells.name = "cells";
  Layer meta;
  meta.name = "plan_metadata";
  meta.kind = GeometryKind::none;
  meta.table.fields = {{"key", FieldType::text}, {"value", FieldType::text}};
  meta.table.rows = {{std::string("seed"), std::string("42")},
                     {std::string("source"), std::string("city.gpkg")}};
  Layer pts;
  pts.name = "facilities";
  pts.kind = GeometryKind::point;
  pts.table.fields = {{"name", FieldType::text}};
  pts.table.rows = {{std::string("党群服务站")}};
  pts.points = {{x0 + 5, y0 + 5}};
  write_layers(path, {cells, meta, pts}, metric_options());
  const auto layers = list_layers(path, {});
  ASSERT_EQ(layers.size(), 3u);
  const Layer m = read_layer(path, "plan_metadata");
  EXPECT_EQ(m.kind, GeometryKind::none);
  ASSERT_EQ(m.table.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(m.table.rows[1][1]), "city.gpkg");
  const Layer c = read_layer(path, "cells");
  EXPECT_EQ(c.kind, GeometryKind::polygon);
  EXPECT_EQ(std::get<std::string>(c.table.rows[0][0]), "建外街道");
  EXPECT_EQ(c.polygons[2], chinese_layer().polygons[2]); // exact coordinates
  const Layer p = read_layer(path, "facilities");
  ASSERT_EQ(p.points.size(), 1u);
  EXPECT_EQ(p.points[0], (Point{x0 + 5, y0 + 5}));
}

TEST(IoWrite, ReprojectsToTheOutputCrsIncludingGcj02) {
  const auto dir = gp::testing::temp_dir();
  const Layer l = chinese_layer();
  WriteOptions o = metric_options(OutputFormat::geojson);
  o.out_crs = "EPSG:4326";
  write_layers((dir / "wgs.geojson").string(), {l}, o);
  o.out_crs = "GCJ-02";
  write_layers((dir / "gcj.geojson").string(), {l}, o);
  const Layer wgs = read_layer((dir / "wgs.geojson").string(), "");
  const Layer gcj = read_layer((dir / "gcj.geojson").string(), "");
  const Point a = wgs.polygons[0][0].outer[0];
  const Point b = gcj.polygons[0][0].outer[0];
  // Same point as the metric input, in lon/lat.
  const Point expect = Transformer(metric_crs(), "EPSG:4326").apply({x0, y0});
  EXPECT_NEAR(a.x, expect.x, 1e-9);
  EXPECT_NEAR(a.y, expect.y, 1e-9);
  const Point g = wgs84_to_gcj02(expect);
  EXPECT_NEAR(b.x, g.x, 1e-9);
  EXPECT_NEAR(b.y, g.y, 1e-9);
  // Reading GCJ-02 data back (--src-crs GCJ-02) lands on the original metres (< 1 m).
  ReadOptions ro;
  ro.src_crs = "GCJ-02";
  ro.work_crs = "EPSG:4548";
  DatasetSources src;
  src.units = SourceSpec{(dir / "gcj.geojson").string(), ""};
  const Dataset ds = read_dataset(src, ro);
  const Point c = centroid(ds.units[0].geometry);
  EXPECT_NEAR(c.x, x0 + 50, 1.0);
  EXPECT_NEAR(c.y, y0 + 50, 1.0);
}

TEST(IoWrite, CsvAndMultiLayerDirectories) {
  const auto dir = gp::testing::temp_dir();
  const Layer l = chinese_layer();
  write_layers((dir / "one.csv").string(), {l}, metric_options(OutputFormat::csv));
  std::ifstream in(dir / "one.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("WKT,", 0), 0u) << header;
  Layer l2 = l;
  l2.name = "second";
  write_layers((dir / "both").string(), {l, l2}, metric_options(OutputFormat::geojson));
  EXPECT_TRUE(fs::exists(dir / "both" / "社区.geojson"));
  EXPECT_TRUE(fs::exists(dir / "both" / "second.geojson"));
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

TEST(IoWrite, RefusesExistingOutputUnlessOverwriteAndNeverAnInput) {
  const auto dir = gp::testing::temp_dir();
  const auto path = (dir / "out.gpkg").string();
  write_layers(path, {chinese_layer()}, metric_options());
  const auto size = fs::file_size(path);
  EXPECT_THROW(write_layers(path, {chinese_layer()}, metric_options()), OutputError);
  EXPECT_EQ(fs::file_size(path), size);
  WriteOptions o = metric_options();
  o.overwrite = true;
  Layer bigger = chinese_layer();
  for (int i = 0; i < 50; ++i)
    add(bigger, square(i * 10.0, 500, 5), {std::string("x"), std::int64_t{1}, 1.0, 0.0, 0.0});
  write_layers(path, {bigger}, o);
  EXPECT_EQ(read_layer(path, "").table.rows.size(), 53u);
  // An input is never written, even with overwrite.
  o.inputs = {path};
  EXPECT_THROW(write_layers(path, {chinese_layer()}, o), OutputError);
  EXPECT_EQ(read_layer(path, "").table.rows.size(), 53u);
  EXPECT_EQ(entries(dir), 1u); // no temporary files left
}

TEST(IoWrite, FailedWriteLeavesNothingBehind) {
  const auto dir = gp::testing::temp_dir();
  // The second layer cannot be created: the first layer was already written to the
  // temporary file/directory, which must vanish. GeoPackage: two fields with the same
  // name; Shapefile: a layer name that is not a valid file name.
  Layer bad = chinese_layer();
  bad.name = "bad";
  bad.table.fields[1].name = bad.table.fields[0].name;
  Layer bad_file = chinese_layer();
  bad_file.name = "no/such/dir";
  for (auto fmt : {OutputFormat::gpkg, OutputFormat::shp}) {
    const bool gpkg = fmt == OutputFormat::gpkg;
    const auto path = (dir / (gpkg ? "x.gpkg" : "x_shp")).string();
    EXPECT_THROW(write_layers(path, {chinese_layer(), gpkg ? bad : bad_file}, metric_options(fmt)),
                 OutputError);
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(entries(dir), 0u);
  }
  // With overwrite, a failed write keeps the old output intact.
  const auto path = (dir / "keep.gpkg").string();
  write_layers(path, {chinese_layer()}, metric_options());
  WriteOptions o = metric_options();
  o.overwrite = true;
  EXPECT_THROW(write_layers(path, {chinese_layer(), bad}, o), OutputError);
  EXPECT_EQ(read_layer(path, "").table.rows.size(), 3u);
  EXPECT_EQ(entries(dir), 1u);
}

TEST(IoWrite, ChecksumIsSha256) {
  const auto path = gp::testing::temp_dir() / "abc.txt";
  std::ofstream(path) << "abc";
  EXPECT_EQ(file_checksum(path.string()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(file_checksum("PG:dbname=x"), "");
}

TEST(IoWrite, FormatNames) {
  EXPECT_EQ(format_from_path("a/b.shp"), OutputFormat::shp);
  EXPECT_EQ(format_from_path("a/b.GeoJSON"), OutputFormat::geojson);
  EXPECT_EQ(format_from_path("a/b.csv"), OutputFormat::csv);
  EXPECT_EQ(format_from_path("PG:dbname=gp"), OutputFormat::postgis);
  EXPECT_EQ(format_from_path("a/b"), OutputFormat::gpkg);
  EXPECT_EQ(parse_output_format("pg"), OutputFormat::postgis);
  EXPECT_THROW(parse_output_format("kml"), UsageError);
}

} // namespace
} // namespace gp::geo
