// End-to-end: the built `gridplan inspect` on real and synthetic data, its JSON, its
// errors and its exit codes.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

using gp::testing::CliRun;
using gp::testing::slurp;

CliRun gridplan(const std::vector<std::string>& args) {
  return gp::testing::run_gridplan(args);
}

const json& source(const json& doc, std::size_t i) {
  return doc.at("sources").at(i);
}

TEST(InspectCli, EverySharedDataFileWithTheReadmeCounts) {
  GP_REQUIRE_SHARED_DATA(data, ".");
  const std::vector<std::string> files = {
      (data / "taipei/taipei-4352-buildings.geojson").string(),
      (data / "beijing/beijing-subdistricts-worldpop.gpkg").string(),
      (data / "us-tracts/NH_tract.shp").string(),
      (data / "osm/monaco-2016.osm.pbf").string(),
      (data / "us-tracts/NH_tract_dual_graph.json").string(),
      (data / "graphs/arkansas-blockgroups-2020.json").string()};
  for (const auto& f : files)
    if (!fs::exists(f))
      GTEST_SKIP() << "needs " << f << " from ../shared/data (real-data test); file absent";
  std::vector<std::string> args = {"inspect", "--json", "--quiet"};
  args.insert(args.end(), files.begin(), files.end());
  const CliRun r = gridplan(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["sources"].size(), 6u);

  const auto& taipei = source(doc, 0)["dataset"];
  EXPECT_EQ(taipei["report"]["features_read"], 13268);
  // 4 footprints are exact duplicates (features 9565, 12149, 12594, 13148): kept once.
  EXPECT_EQ(taipei["report"]["duplicate_units"], 4);
  EXPECT_EQ(taipei["counts"]["units"], 13264);
  EXPECT_EQ(taipei["work_crs"], "EPSG:32651");
  EXPECT_DOUBLE_EQ(taipei["totals"]["households_estimated_share"].get<double>(), 1.0);
  EXPECT_GT(taipei["totals"]["households"].get<double>(), 0);

  const auto& beijing = source(doc, 1)["dataset"];
  EXPECT_EQ(beijing["counts"]["units"], 331);
  EXPECT_DOUBLE_EQ(beijing["totals"]["population"].get<double>(), 20755648.0);
  EXPECT_DOUBLE_EQ(beijing["totals"]["population_estimated_share"].get<double>(), 0.0);
  EXPECT_EQ(source(doc, 1)["layers"][0]["recognised"]["population"], "worldpop");

  const auto& nh = source(doc, 2)["dataset"];
  EXPECT_EQ(nh["counts"]["units"], 295);
  EXPECT_DOUBLE_EQ(nh["totals"]["population"].get<double>(), 1316470.0);
  EXPECT_EQ(source(doc, 2)["layers"][0]["crs"], "EPSG:4269");

  const auto& monaco = source(doc, 3);
  EXPECT_EQ(monaco["driver"], "OSM");
  EXPECT_EQ(monaco["dataset"]["report"]["features_read"], 23336);
  EXPECT_EQ(monaco["dataset"]["counts"]["areas"], 9); // admin_level 10 quartiers
  EXPECT_GT(monaco["dataset"]["counts"]["barriers"].get<int>(), 0);

  // The graphs are recognised as graphs (no GIS layers) with their sizes.
  EXPECT_EQ(source(doc, 4)["kind"], "graph");
  EXPECT_EQ(source(doc, 4)["nodes"], 295);
  EXPECT_EQ(source(doc, 4)["edges"], 786);
  EXPECT_EQ(source(doc, 5)["kind"], "graph");
  EXPECT_EQ(source(doc, 5)["nodes"], 2294);
  EXPECT_EQ(source(doc, 5)["edges"], 6357);
  ASSERT_TRUE(source(doc, 5).contains("population"));
  EXPECT_EQ(source(doc, 5)["population"]["field"], "tot_pop_20");
}

TEST(InspectCli, TextSummaryOfAGbkShapefileCityPrintsChineseNotMojibake) {
  using namespace gp::geo;
  const fs::path dir = gp::testing::temp_dir();
  const std::string crs = crs_to_wkt("EPSG:4548");
  auto sq = [](double x, double y, double s) {
    const double X = 500000 + x, Y = 4400000 + y;
    return MultiPolygon{Polygon{{{X, Y}, {X + s, Y}, {X + s, Y + s}, {X, Y + s}, {X, Y}}, {}}};
  };
  Layer units{"楼栋", GeometryKind::polygon, {}, {}, {}, {}, {}, {}};
  units.table.fields = {{"户数", FieldType::integer}, {"层数", FieldType::integer}};
  units.table.rows = {{std::int64_t{100}, std::int64_t{6}}, {std::monostate{}, std::int64_t{6}}};
  units.polygons = {sq(10, 10, 20), sq(50, 10, 30)};
  Layer areas{"社区", GeometryKind::polygon, {}, {}, {}, {}, {}, {}};
  areas.table.fields = {{"编码", FieldType::text}, {"名称", FieldType::text}};
  areas.table.rows = {{std::string("110105001001"), std::string("朝阳门社区")}};
  areas.polygons = {sq(0, 0, 100)};
  WriteOptions o;
  o.format = OutputFormat::shp;
  o.geometry_crs = crs;
  o.encoding = "GBK";
  write_layers((dir / "city").string(), {units, areas}, o);

  const CliRun r = gridplan({"inspect", (dir / "city" / "楼栋.shp").string(), "--areas",
                             (dir / "city" / "社区.shp").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("朝阳门社区"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("110105001001"), std::string::npos);
  EXPECT_NE(r.out.find("households=户数"), std::string::npos);
  EXPECT_NE(r.out.find("encoding GBK"), std::string::npos);
  // 100 given + 900 m2 x 6 x 0.75 / 90 = 45 estimated: 145 households, 31.0% estimated.
  EXPECT_NE(r.out.find("households 145 (31.0% estimated)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\xEF\xBF\xBD"), std::string::npos); // no replacement characters
}

TEST(InspectCli, BadInputIsOneLineNonZeroExit) {
  const fs::path dir = gp::testing::temp_dir();
  const CliRun missing = gridplan({"inspect", (dir / "nope.gpkg").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.gpkg: no such file"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1);

  std::ofstream(dir / "junk.gpkg") << "this is not a geopackage";
  const CliRun junk = gridplan({"inspect", (dir / "junk.gpkg").string()});
  EXPECT_EQ(junk.exit_code, 2);
  EXPECT_NE(junk.err.find("junk.gpkg"), std::string::npos) << junk.err;

  const CliRun usage = gridplan({"inspect"});
  EXPECT_NE(usage.exit_code, 0); // SRC is required
  const CliRun help = gridplan({"inspect", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--src-crs"), std::string::npos);
}

TEST(InspectCli, WrongLayerAndNoCrsNameTheLayer) {
  GP_REQUIRE_SHARED_DATA(nh, "us-tracts/NH_tract.shp");
  for (const auto& args : {std::vector<std::string>{"inspect", nh.string() + ":tracts"},
                           std::vector<std::string>{"inspect", nh.string(), "--layer", "tracts"}}) {
    const CliRun r = gridplan(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("NH_tract.shp: layer 'tracts': no such layer (layers: NH_tract)"),
              std::string::npos)
        << r.err;
  }
  // CSV with WKT has no CRS: an error naming file and layer, unless --src-crs is given.
  const fs::path csv = gp::testing::temp_dir() / "pts.csv";
  std::ofstream(csv) << "WKT,households\n\"POLYGON ((0 0,10 0,10 10,0 10,0 0))\",5\n";
  const CliRun no_crs = gridplan({"inspect", csv.string()});
  EXPECT_EQ(no_crs.exit_code, 2);
  EXPECT_NE(no_crs.err.find("pts.csv: layer 'pts': has no coordinate reference system"),
            std::string::npos)
      << no_crs.err;
  const CliRun ok = gridplan({"inspect", "--json", csv.string(), "--src-crs", "EPSG:4548"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_DOUBLE_EQ(
      json::parse(ok.out)["sources"][0]["dataset"]["totals"]["households"].get<double>(), 5.0);
}

} // namespace
