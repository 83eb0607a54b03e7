// Hostile inputs, one row each: the built `gridplan` is run on input made by a generator
// in the row, and every row is held to the same rules (issue 11):
//   - the expected exit code: 1 for a usage error, 2 for bad input or an output that may
//     not be written; never a hang (each run is killed after 60 s);
//   - exactly one line on stderr, holding the expected fragment;
//   - the working folder is byte for byte what it was: no output or temporary left
//     behind, no input replaced, no directory replaced or deleted.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "cli_run.hpp"
#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"
#include "gp/sim/scenario.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

using Args = std::vector<std::string>;

struct Row {
  std::string name;
  /// Makes the inputs in the (empty) folder and returns the command line.
  std::function<Args(const fs::path& dir)> make;
  int exit_code;
  std::string fragment;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.name;
}

// ---------------------------------------------------------------- generators

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string city(const fs::path& dir) {
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  return "city.gpkg";
}

std::string plan(const fs::path& dir) {
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  return "plan.gpkg";
}

/// A scenario file (a short run so that nothing heavy happens before a refusal).
std::string scenario(const fs::path& dir, const std::string& name) {
  write(dir / (name + ".toml"), "name = \"" + name + "\"\n");
  return name + ".toml";
}

/// GeoJSON buildings: squares of ~10 m at (lon, lat) + i * 0.001°, each with the
/// `households` JSON token given (a number, a string, ...).
std::string buildings_geojson(const fs::path& dir, const std::vector<std::string>& households,
                              double lon = 116.4, double lat = 39.9,
                              const std::string& name = "b.geojson") {
  std::string text = R"({"type":"FeatureCollection","features":[)";
  for (std::size_t i = 0; i < households.size(); ++i) {
    const double x = lon + 0.001 * static_cast<double>(i), y = lat, s = 0.0001;
    text += (i ? "," : "") + std::string(R"({"type":"Feature","properties":{"households":)") +
            households[i] + R"(},"geometry":{"type":"Polygon","coordinates":[[)";
    text += "[" + std::to_string(x) + "," + std::to_string(y) + "],[" + std::to_string(x + s) +
            "," + std::to_string(y) + "],[" + std::to_string(x + s) + "," + std::to_string(y + s) +
            "],[" + std::to_string(x) + "," + std::to_string(y + s) + "],[" + std::to_string(x) +
            "," + std::to_string(y) + "]]]}}";
  }
  write(dir / name, text + "]}");
  return name;
}

/// GeoJSON with one building whose first vertex is the given raw coordinate tokens.
std::string bad_coordinate_geojson(const fs::path& dir, const std::string& x,
                                   const std::string& y) {
  write(dir / "c.geojson",
        R"({"type":"FeatureCollection","features":[)"
        R"({"type":"Feature","properties":{"households":5},"geometry":{"type":"Polygon",)"
        R"("coordinates":[[[116.4,39.9],[116.4001,39.9],[116.4001,39.9001],[116.4,39.9]]]}},)"
        R"({"type":"Feature","properties":{"households":5},"geometry":{"type":"Polygon",)"
        R"("coordinates":[[[)" +
            x + "," + y + R"(],[116.5001,39.9],[116.5001,39.9001],[)" + x + "," + y + "]]]}}]}");
  return "c.geojson";
}

/// A shapefile of `n` square buildings (folder `shp/`, layer `b`), written by gridplan's
/// own writer; returns the .shp path relative to `dir`.
std::string shapefile(const fs::path& dir, int n, const std::string& folder = "shp") {
  gp::geo::Layer l;
  l.name = "b";
  l.kind = gp::geo::GeometryKind::polygon;
  l.table.fields = {{"households", gp::geo::FieldType::real}};
  for (int i = 0; i < n; ++i) {
    const double x = 500000 + 30.0 * i, y = 4400000;
    l.polygons.push_back(
        {gp::geo::Polygon{{{x, y}, {x + 10, y}, {x + 10, y + 10}, {x, y + 10}, {x, y}}, {}}});
    l.table.rows.push_back({gp::geo::Value{20.0}});
  }
  gp::geo::WriteOptions o;
  o.format = gp::geo::OutputFormat::shp;
  o.geometry_crs = gp::geo::crs_to_wkt("EPSG:4548");
  gp::geo::write_layers((dir / folder).string(), {l}, o);
  return folder + "/b.shp";
}

std::string fifo(const fs::path& dir, const std::string& name) {
  ::mkfifo((dir / name).c_str(), 0644);
  return name;
}

/// Runs SQL on a GeoPackage with ogrinfo (GDAL's SQLite functions are needed by the
/// GeoPackage's R-tree triggers); a test-side generator only.
void sql(const fs::path& gpkg, const std::string& statement) {
  const std::string cmd =
      "ogrinfo -q '" + gpkg.string() + "' -sql \"" + statement + "\" >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("sqlite3 failed: " + statement);
}

Args plan_args(const fs::path& dir, Args extra) {
  Args a = {"plan", "--city", city(dir)};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

/// `simulate plan.gpkg -s s.toml --out r.gpkg`, s.toml holding `scenario_text`.
Args simulate_scenario(const fs::path& dir, const std::string& scenario_text) {
  write(dir / "s.toml", scenario_text);
  return Args{"simulate", plan(dir), "-s", "s.toml", "--out", "r.gpkg"};
}

// ---------------------------------------------------------------- the rows

std::vector<Row> rows() {
  std::vector<Row> r;
  auto add = [&](std::string name, std::function<Args(const fs::path&)> make, int code,
                 std::string fragment) {
    r.push_back({std::move(name), std::move(make), code, std::move(fragment)});
  };

  // --- outputs: names the tool cannot honour (usage, 1)
  add(
      "PlanFgbFileForFourLayers",
      [](auto d) {
        return plan_args(d, {"--out", "x.fgb"});
      },
      1, "one layer per file");
  add(
      "PlanShpFileName",
      [](auto d) {
        return plan_args(d, {"--out", "x.shp"});
      },
      1, "Shapefile output is a directory");
  add(
      "PlanUnknownExtension",
      [](auto d) {
        return plan_args(d, {"--out", "x.txt"});
      },
      1, "unknown output extension");
  add(
      "PlanFormatContradictsName",
      [](auto d) {
        return plan_args(d, {"--format", "shp", "--out", "x.gpkg"});
      },
      1, "the name says gpkg");
  add(
      "PlanGeojsonFileForFourLayers",
      [](auto d) {
        return plan_args(d, {"--out", "x.geojson"});
      },
      1, "one layer per file");
  add(
      "PlanBadFormatFlag",
      [](auto d) {
        return plan_args(d, {"--format", "xls", "--out", "x"});
      },
      1, "--format");
  add(
      "SimulateShp",
      [](auto d) {
        return Args{"simulate", plan(d), "--out", "r.shp"};
      },
      1, "simulate cannot write shp");
  add(
      "SimulateFgb",
      [](auto d) {
        return Args{"simulate", plan(d), "--out", "r.fgb"};
      },
      1, "simulate cannot write fgb");
  add(
      "DiffOutCsv",
      [](auto d) {
        return Args{"diff", plan(d), "plan.gpkg", "--out", "d.csv"};
      },
      1, "diff cannot write csv");
  add(
      "GenerateFgb",
      [](auto d) {
        (void)d;
        return Args{"generate", "--out", "c.fgb"};
      },
      1, "one layer per file");
  add(
      "CompareCsvNotCsv",
      [](auto d) {
        return Args{"compare", plan(d), scenario(d, "a"), "--csv", "t.gpkg"};
      },
      1, "must end in .csv");
  add(
      "CompareCsvIsHtml",
      [](auto d) {
        return Args{"compare", plan(d), scenario(d, "a"), "--csv", "t.csv", "--html", "t.csv"};
      },
      1, "must end in .html");
  add(
      "StaffCsvNotCsv",
      [](auto d) {
        return Args{"staff", plan(d), "--csv", "s.txt"};
      },
      1, "must end in .csv");
  add(
      "RenderTxt",
      [](auto d) {
        return Args{"render", plan(d), "--out", "m.txt"};
      },
      1, "must end in .png");
  add(
      "PlanEmptyOut",
      [](auto d) {
        return plan_args(d, {"--out", ""});
      },
      1, "empty");

  // --- outputs that would replace an input (2)
  add(
      "PlanOverItsCity",
      [](auto d) {
        return plan_args(d, {"--out", "city.gpkg", "--overwrite"});
      },
      2, "is an input");
  add(
      "PlanOverLinkToCity",
      [](auto d) {
        auto a = plan_args(d, {"--out", "link.gpkg", "--overwrite"});
        fs::create_symlink("city.gpkg", d / "link.gpkg");
        return a;
      },
      2, "is an input");
  add(
      "PlanOverHardLinkToCity",
      [](auto d) {
        auto a = plan_args(d, {"--out", "hard.gpkg", "--overwrite"});
        fs::create_hard_link(d / "city.gpkg", d / "hard.gpkg");
        return a;
      },
      2, "is an input");
  add(
      "PlanShpDirHoldingInput",
      [](auto d) {
        fs::create_directory(d / "in");
        fs::copy_file(gp::testing::small_city(), d / "in" / "city.gpkg");
        return Args{"plan", "--city", "in/city.gpkg", "--format",
                    "shp",  "--out",  "in",           "--overwrite"};
      },
      2, "input");
  add(
      "SimulateOverScenario",
      [](auto d) {
        return Args{"simulate", plan(d), "-s", scenario(d, "s"), "--out", "s.toml", "--overwrite"};
      },
      2, "is an input");
  add(
      "SimulateOverPlan",
      [](auto d) {
        return Args{"simulate", plan(d), "--out", "plan.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "CompareCsvOverScenario",
      [](auto d) {
        return Args{"compare", plan(d),  scenario(d, "e"), scenario(d, "f"),
                    "--csv",   "e.toml", "--overwrite"};
      },
      2, "is an input");
  add(
      "CompareCsvOverPlan",
      [](auto d) {
        return Args{"compare", plan(d), scenario(d, "e"), "--csv", "plan.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "StaffCsvOverPlan",
      [](auto d) {
        return Args{"staff", plan(d), "--csv", "plan.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "StaffCsvOverScenario",
      [](auto d) {
        return Args{"staff", plan(d), "-s", scenario(d, "s"), "--csv", "s.toml", "--overwrite"};
      },
      2, "is an input");
  add(
      "RenderOverPlan",
      [](auto d) {
        return Args{"render", plan(d), "--out", "plan.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "GraphOverCity",
      [](auto d) { return Args{"graph", "--city", city(d), "--out", "city.gpkg", "--overwrite"}; },
      2, "is an input");
  add(
      "DiffOverBefore",
      [](auto d) {
        return Args{"diff", plan(d), "plan.gpkg", "--out", "plan.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "RebalanceOverExisting",
      [](auto d) {
        return Args{"rebalance", "--existing", plan(d) + ":cells", "--city",
                    city(d),     "--out",      "plan.gpkg",        "--overwrite"};
      },
      2, "is an input");
  add(
      "MergeOverGrid",
      [](auto d) {
        return Args{"merge", plan(d) + ":cells", "plan.gpkg:cells", "--city", city(d),
                    "--out", "plan.gpkg",        "--overwrite"};
      },
      2, "is an input");

  // --- outputs: directories, existing files, odd targets (2)
  add(
      "PlanOverDirectoryWithFiles",
      [](auto d) {
        fs::create_directory(d / "D");
        write(d / "D" / "notes.txt", "mine");
        return plan_args(d, {"--out", "D", "--overwrite"});
      },
      2, "is a directory");
  add(
      "PlanOverEmptyDirectory",
      [](auto d) {
        fs::create_directory(d / "E");
        return plan_args(d, {"--out", "E", "--overwrite"});
      },
      2, "is a directory");
  add(
      "PlanShpOverUserDirectory",
      [](auto d) {
        fs::create_directory(d / "S");
        write(d / "S" / "thesis.docx", "mine");
        return plan_args(d, {"--format", "shp", "--out", "S", "--overwrite"});
      },
      2, "did not write");
  add(
      "PlanExistingWithoutOverwrite",
      [](auto d) {
        write(d / "old.gpkg", "old");
        return plan_args(d, {"--out", "old.gpkg"});
      },
      2, "exists");
  add(
      "PlanFolderMissing",
      [](auto d) {
        return plan_args(d, {"--out", "nope/x.gpkg"});
      },
      2, "does not exist");
  add(
      "PlanIntoFifo",
      [](auto d) {
        return plan_args(d, {"--out", fifo(d, "p.gpkg"), "--overwrite"});
      },
      2, "not a regular file");
  add(
      "StaffCsvExists",
      [](auto d) {
        write(d / "s.csv", "old");
        return Args{"staff", plan(d), "--csv", "s.csv"};
      },
      2, "exists");
  add(
      "StaffCsvIsDirectory",
      [](auto d) {
        fs::create_directory(d / "s.csv");
        return Args{"staff", plan(d), "--csv", "s.csv", "--overwrite"};
      },
      2, "is a directory");
  add(
      "GraphOverDirectory",
      [](auto d) {
        fs::create_directory(d / "g.metis");
        return Args{"graph", "--city", city(d), "--out", "g.metis", "--overwrite"};
      },
      2, "is a directory");
  add(
      "GenerateOverDirectory",
      [](auto d) {
        fs::create_directory(d / "c.gpkg");
        return Args{"generate", "--out", "c.gpkg", "--overwrite"};
      },
      2, "is a directory");
  add(
      "RenderExists",
      [](auto d) {
        write(d / "m.png", "old");
        return Args{"render", plan(d), "--out", "m.png"};
      },
      2, "exists");
  add(
      "SimulateOutExists",
      [](auto d) {
        write(d / "r.gpkg", "old");
        return Args{"simulate", plan(d), "--out", "r.gpkg"};
      },
      2, "exists");

  // --- inputs that are not files, or not whole (2)
  add(
      "InspectFifo",
      [](auto d) {
        return Args{"inspect", fifo(d, "f.geojson")};
      },
      2, "not a regular file");
  add(
      "PlanUnitsFifo",
      [](auto d) {
        return Args{"plan", "--units", fifo(d, "u.geojson"), "--out", "p.gpkg"};
      },
      2, "not a regular file");
  add(
      "InspectDevZero",
      [](auto d) {
        (void)d;
        return Args{"inspect", "/dev/zero"};
      },
      2, "not a regular file");
  add(
      "InspectEmptyDirectory",
      [](auto d) {
        fs::create_directory(d / "empty");
        return Args{"inspect", "empty"};
      },
      2, "no readable GIS layers");
  add(
      "InspectMissingFile",
      [](auto d) {
        (void)d;
        return Args{"inspect", "nothing.gpkg"};
      },
      2, "no such file");
  add(
      "InspectEmptyFile",
      [](auto d) {
        write(d / "e.geojson", "");
        return Args{"inspect", "e.geojson"};
      },
      2, "file is empty");
  add(
      "InspectGarbage",
      [](auto d) {
        write(d / "g.geojson", "\x01\x02garbage{{{");
        return Args{"inspect", "g.geojson"};
      },
      2, "cannot be read");
  add(
      "ShapefileWithoutDbf",
      [](auto d) {
        const auto shp = shapefile(d, 3);
        fs::remove(d / "shp" / "b.dbf");
        return Args{"inspect", shp};
      },
      2, ".dbf");
  add(
      "ShapefileDbfOfAnotherCount",
      [](auto d) {
        const auto shp = shapefile(d, 30);
        shapefile(d, 10, "other");
        fs::copy_file(d / "other" / "b.dbf", d / "shp" / "b.dbf",
                      fs::copy_options::overwrite_existing);
        fs::remove_all(d / "other");
        return Args{"plan", "--units", shp, "--out", "p.gpkg"};
      },
      2, "30 shapes but the .dbf 10 records");
  add(
      "ShapefileTruncated",
      [](auto d) {
        const auto shp = shapefile(d, 30);
        fs::resize_file(d / shp, fs::file_size(d / shp) - 200);
        return Args{"plan", "--units", shp, "--out", "p.gpkg"};
      },
      2, "truncated");
  add(
      "ShapefileHeaderOnly",
      [](auto d) {
        const auto shp = shapefile(d, 3);
        fs::resize_file(d / shp, 50);
        return Args{"inspect", shp};
      },
      2, "truncated");
  add(
      "GraphJsonAsUnits",
      [](auto d) {
        write(
            d / "g.json",
            R"({"directed":false,"nodes":[{"id":0},{"id":1}],"links":[{"source":0,"target":1}]})");
        return Args{"plan", "--units", "g.json", "--out", "p.gpkg"};
      },
      2, "adjacency graph");
  add(
      "PostgisClosedPort",
      [](auto d) {
        (void)d;
        return Args{"plan", "--units", "PG:host=127.0.0.1 port=1 dbname=none connect_timeout=2",
                    "--out", "p.gpkg"};
      },
      2, "PG:");

  // --- values that cannot be true (2)
  add(
      "HouseholdsNaNText",
      [](auto d) {
        return Args{"inspect", buildings_geojson(d, {"\"NaN\"", "3"})};
      },
      2, "not numeric");
  add(
      "HouseholdsInfText",
      [](auto d) {
        return Args{"inspect", buildings_geojson(d, {"3", "\"inf\""})};
      },
      2, "not numeric");
  add(
      "HouseholdsHuge",
      [](auto d) {
        return Args{"inspect", buildings_geojson(d, {"3", "1e12"})};
      },
      2, "more than any unit can have");
  add(
      "HouseholdsMaxDouble",
      [](auto d) {
        return Args{"inspect", buildings_geojson(d, {"1e308", "3"})};
      },
      2, "more than any unit can have");
  add(
      "HouseholdsNegative",
      [](auto d) {
        return Args{"inspect", buildings_geojson(d, {"3", "-4"})};
      },
      2, "negative");
  add(
      "HouseholdsText",
      [](auto d) {
        return Args{"inspect", buildings_geojson(d, {"\"many\"", "3"})};
      },
      2, "not numeric");
  add(
      "PlanHouseholdsHuge",
      [](auto d) {
        return Args{"plan", "--units", buildings_geojson(d, {"3", "1e12"}), "--out", "p.gpkg"};
      },
      2, "feature 1");
  add(
      "CoordinateHuge",
      [](auto d) {
        return Args{"inspect", bad_coordinate_geojson(d, "1e300", "39.9")};
      },
      2, "impossible coordinate");
  add(
      "CoordinateLatitudeBeyondPole",
      [](auto d) {
        return Args{"inspect", bad_coordinate_geojson(d, "116.5", "95")};
      },
      2, "impossible coordinate");
  add(
      "CoordinateNaNInGpkg",
      [](auto d) {
        gp::geo::Layer l;
        l.name = "b";
        l.kind = gp::geo::GeometryKind::polygon;
        l.table.fields = {{"households", gp::geo::FieldType::real}};
        // The second building has one NaN vertex (a NaN point would read as empty).
        for (const double v : {0.0, std::nan(""), 0.0}) {
          const double x = 500000 + 50.0 * static_cast<double>(l.polygons.size()), y = 4400000;
          l.polygons.push_back({gp::geo::Polygon{
              {{x, y}, {x + 10, y}, {x + 10 + v, y + 10}, {x, y + 10}, {x, y}}, {}}});
          l.table.rows.push_back({gp::geo::Value{5.0}});
        }
        gp::geo::WriteOptions o;
        o.geometry_crs = gp::geo::crs_to_wkt("EPSG:4548");
        gp::geo::write_layers((d / "nan.gpkg").string(), {l}, o);
        return Args{"plan", "--units", "nan.gpkg", "--out", "p.gpkg"};
      },
      2, "impossible coordinate (nan");
  add(
      "PolarData",
      [](auto d) {
        return Args{"plan", "--units", buildings_geojson(d, {"3", "4"}, 10.0, 89.98), "--out",
                    "p.gpkg"};
      },
      2, "outside the UTM zones");
  add(
      "UnitsInNoArea",
      [](auto d) {
        const auto units = buildings_geojson(d, {"30", "40", "50"}, 116.4, 39.9);
        buildings_geojson(d, {"1"}, 120.0, 30.0, "far.geojson"); // an area far away
        return Args{"plan", "--units", units, "--areas", "far.geojson", "--out", "p.gpkg"};
      },
      2, "none of the 3 units lies in an area");
  add(
      "UndefinedCrsGpkg",
      [](auto d) {
        const auto c = city(d);
        sql(d / c, "UPDATE gpkg_geometry_columns SET srs_id = -1");
        sql(d / c, "UPDATE gpkg_contents SET srs_id = -1");
        return Args{"plan", "--units", c + ":units", "--out", "p.gpkg"};
      },
      2, "--src-crs");
  add(
      "PlanWithNullCellGeometry",
      [](auto d) {
        const auto p = plan(d);
        sql(d / p, "UPDATE cells SET geom = NULL WHERE fid = 2");
        return Args{"simulate", p, "--days", "1", "--replications", "1"};
      },
      2, "cell has no geometry");
  add(
      "UnknownEncoding",
      [](auto d) {
        return Args{"inspect", shapefile(d, 3), "--encoding", "NOPE-42"};
      },
      1, "unknown --encoding");
  add(
      "PlanUnknownEncoding",
      [](auto d) {
        return Args{"plan", "--units", shapefile(d, 3), "--encoding", "NOPE-42", "--out", "p.gpkg"};
      },
      1, "unknown --encoding");
  add(
      "WorkCrsNotMetric",
      [](auto d) {
        return plan_args(d, {"--work-crs", "EPSG:4326", "--out", "p.gpkg"});
      },
      1, "not a projected CRS");
  add(
      "BadWhere",
      [](auto d) {
        return plan_args(d, {"--where", "nonsense ===", "--out", "p.gpkg"});
      },
      2, "attribute filter");

  // --- flags (usage, 1)
  add(
      "SeedNegative",
      [](auto d) {
        return plan_args(d, {"--seed", "-1", "--out", "p.gpkg"});
      },
      1, "must be >= 0");
  add(
      "SimulateSeedNegative",
      [](auto d) {
        return Args{"simulate", plan(d), "--seed", "-1"};
      },
      1, "must be >= 0");
  add(
      "GenerateSeedNegative",
      [](auto d) {
        (void)d;
        return Args{"generate", "--seed", "-5", "--out", "c.gpkg"};
      },
      1, "must be >= 0");
  add(
      "CellsZero",
      [](auto d) {
        return plan_args(d, {"--cells", "0", "--out", "p.gpkg"});
      },
      1, "not in range 1 to 100000");
  add(
      "RestartsHuge",
      [](auto d) {
        return plan_args(d, {"--restarts", "2000000000", "--out", "p.gpkg"});
      },
      1, "--restarts");
  add(
      "ThreadsNegative",
      [](auto d) {
        return plan_args(d, {"--threads", "-1", "--out", "p.gpkg"});
      },
      1, "--threads");
  add(
      "RenderWidthZero",
      [](auto d) { return Args{"render", plan(d), "--out", "m.png", "--width", "0"}; }, 1,
      "--width");
  add(
      "RenderHeightHuge",
      [](auto d) { return Args{"render", plan(d), "--out", "m.png", "--height", "900000"}; }, 1,
      "--height");
  add(
      "RenderTooManyPixels",
      [](auto d) {
        return Args{"render", plan(d), "--out", "m.png", "--width", "20000", "--height", "20000"};
      },
      1, "megapixels");
  add(
      "DiffMinAboveMax",
      [](auto d) { return Args{"diff", plan(d), "plan.gpkg", "--min", "500", "--max", "100"}; }, 1,
      "min <= max");
  add(
      "NoSubcommand",
      [](auto d) {
        (void)d;
        return Args{};
      },
      1, "subcommand");
  add(
      "UnknownSubcommand",
      [](auto d) {
        (void)d;
        return Args{"plna"};
      },
      1, "subcommand");
  add(
      "UnknownFlag",
      [](auto d) {
        return plan_args(d, {"--out", "p.gpkg", "--colour"});
      },
      1, "--colour");
  add(
      "PlanWithoutUnits",
      [](auto d) {
        (void)d;
        return Args{"plan", "--out", "p.gpkg"};
      },
      1, "--units");
  add(
      "GenerateZeroBuildings",
      [](auto d) {
        (void)d;
        return Args{"generate", "--buildings", "0", "--out", "c.gpkg"};
      },
      1, "--buildings");
  add(
      "SimulateThreadsHuge",
      [](auto d) {
        return Args{"simulate", plan(d), "--threads", "100000"};
      },
      1, "--threads");
  add(
      "RebalanceStabilityNegative",
      [](auto d) {
        return Args{"rebalance", "--existing", plan(d) + ":cells",
                    "--city",    city(d),      "--stability",
                    "-1",        "--out",      "r.gpkg"};
      },
      1, "--stability");

  // --- simulator: scenario files and run limits (usage 1, bad input 2)
  add(
      "SimulateScenarioDevZero",
      [](auto d) { return Args{"simulate", plan(d), "-s", "/dev/zero", "--out", "r.gpkg"}; }, 2,
      "/dev/zero: scenario file: is not a regular file");
  add(
      "SimulateScenarioDirectory",
      [](auto d) {
        fs::create_directory(d / "scen");
        write(d / "scen" / "base.toml", "name = \"base\"\n");
        return Args{"simulate", plan(d), "-s", "scen", "--out", "r.gpkg"};
      },
      2, "scen: scenario file: is a directory");
  add(
      "SimulateScenarioFifo",
      [](auto d) { return Args{"simulate", plan(d), "-s", fifo(d, "s.toml"), "--out", "r.gpkg"}; },
      2, "s.toml: scenario file: is not a regular file");
  add(
      "SimulateScenarioMissing",
      [](auto d) { return Args{"simulate", plan(d), "-s", "nowhere.toml", "--out", "r.gpkg"}; }, 2,
      "nowhere.toml: scenario file: cannot open");
  add(
      "SimulateScenarioTooBig",
      [](auto d) {
        // One byte over the limit, all of it a TOML comment.
        write(d / "big.toml", "#" + std::string(gp::sim::kMaxScenarioFileBytes, 'x'));
        return Args{"simulate", plan(d), "-s", "big.toml", "--out", "r.gpkg"};
      },
      2,
      "big.toml: scenario file: is " + std::to_string(gp::sim::kMaxScenarioFileBytes + 1) +
          " bytes");
  add(
      "SimulateScenarioNotToml",
      [](auto d) { return simulate_scenario(d, "[workers\nper_cell = \n"); }, 2, "s.toml: line 1:");
  add(
      "SimulateScenarioInheritsDot",
      [](auto d) { return simulate_scenario(d, "inherits = \".\"\n"); }, 2,
      "s.toml: line 1: inherits '.': is not a scenario file name");
  add(
      "SimulateScenarioInheritsDirectory",
      [](auto d) {
        fs::create_directory(d / "sub");
        return simulate_scenario(d, "# base in a folder\ninherits = \"sub\"\n");
      },
      2, "s.toml: line 2: inherits 'sub': is a directory");
  add(
      "SimulateScenarioInheritsDevZero",
      [](auto d) { return simulate_scenario(d, "inherits = \"/dev/zero\"\n"); }, 2,
      "inherits '/dev/zero': is not a regular file");
  add(
      "SimulateScenarioInheritsFifo",
      [](auto d) { return simulate_scenario(d, "inherits = \"" + fifo(d, "base.toml") + "\"\n"); },
      2, "inherits 'base.toml': is not a regular file");
  add(
      "SimulateScenarioInheritsItself",
      [](auto d) { return simulate_scenario(d, "inherits = \"s.toml\"\n"); }, 2,
      "inherits from itself");
  add(
      "SimulateScenarioInheritsLoop",
      [](auto d) {
        write(d / "a.toml", "inherits = \"b.toml\"\n");
        write(d / "b.toml", "inherits = \"c.toml\"\n");
        write(d / "c.toml", "inherits = \"a.toml\"\n");
        return Args{"simulate", plan(d), "-s", "a.toml", "--out", "r.gpkg"};
      },
      2, "inherits from itself");
  add(
      "SimulateScenarioInheritsLoopThroughLink",
      [](auto d) {
        write(d / "a.toml", "inherits = \"b.toml\"\n");
        fs::create_symlink("a.toml", d / "b.toml");
        return Args{"simulate", plan(d), "-s", "a.toml", "--out", "r.gpkg"};
      },
      2, "inherits from itself");
  add(
      "SimulateScenarioInheritsPlan",
      [](auto d) {
        write(d / "s.toml", "inherits = \"" + plan(d) + "\"\n");
        return Args{"simulate", "plan.gpkg", "-s", "s.toml", "--out", "r.gpkg"};
      },
      2, "plan.gpkg: line 1:");
  add(
      "SimulateScenarioInheritsMissing",
      [](auto d) { return simulate_scenario(d, "inherits = \"nowhere.toml\"\n"); }, 2,
      "s.toml: line 1: inherits 'nowhere.toml': cannot open");
  add(
      "SimulateOutOverInheritedScenario",
      [](auto d) {
        scenario(d, "base");
        write(d / "s.toml", "inherits = \"base.toml\"\n");
        return Args{"simulate", plan(d), "-s", "s.toml", "--out", "base.toml", "--overwrite"};
      },
      2, "base.toml: is an input");
  add(
      "SimulateOutOverInheritedGpkgNamedScenario",
      [](auto d) {
        // A base scenario that happens to end in .gpkg: the one output name simulate takes.
        write(d / "r.gpkg", "name = \"base\"\n");
        write(d / "s.toml", "inherits = \"r.gpkg\"\n");
        return Args{"simulate", plan(d), "-s", "s.toml", "--out", "r.gpkg", "--overwrite"};
      },
      2, "r.gpkg: is an input");
  add(
      "SimulateOutOverBaseOfBase",
      [](auto d) {
        fs::create_directory(d / "lib");
        write(d / "lib" / "r.gpkg", "name = \"root\"\n");
        write(d / "lib" / "mid.toml", "inherits = \"r.gpkg\"\n");
        write(d / "s.toml", "inherits = \"lib/mid.toml\"\n");
        return Args{"simulate", plan(d), "-s", "s.toml", "--out", "lib/./r.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "SimulateOutLinkToInheritedScenario",
      [](auto d) {
        write(d / "base.gpkg", "name = \"base\"\n");
        write(d / "s.toml", "inherits = \"base.gpkg\"\n");
        fs::create_symlink("base.gpkg", d / "r.gpkg");
        return Args{"simulate", plan(d), "-s", "s.toml", "--out", "r.gpkg", "--overwrite"};
      },
      2, "is an input");
  add(
      "CompareCsvOverInheritedScenario",
      [](auto d) {
        // The base is named .csv, so that without the check it would be replaced.
        write(d / "base.csv", "name = \"base\"\n");
        write(d / "e.toml", "inherits = \"base.csv\"\n");
        return Args{"compare", plan(d),    "e.toml",     scenario(d, "f"),
                    "--csv",   "base.csv", "--overwrite"};
      },
      2, "base.csv: is an input");
  add(
      "CompareHtmlOverInheritedScenario",
      [](auto d) {
        write(d / "base.html", "name = \"base\"\n");
        write(d / "f.toml", "inherits = \"base.html\"\n");
        return Args{"compare", plan(d),     scenario(d, "e"), "f.toml",
                    "--html",  "base.html", "--overwrite"};
      },
      2, "base.html: is an input");
  add(
      "StaffCsvOverInheritedScenario",
      [](auto d) {
        write(d / "base.csv", "name = \"base\"\n");
        write(d / "s.toml", "inherits = \"base.csv\"\n");
        return Args{"staff", plan(d), "-s", "s.toml", "--csv", "base.csv", "--overwrite"};
      },
      2, "base.csv: is an input");
  add(
      "CompareScenarioDevZero",
      [](auto d) {
        return Args{"compare", plan(d), scenario(d, "e"), "/dev/zero"};
      },
      2, "/dev/zero: scenario file: is not a regular file");
  add(
      "StaffScenarioDirectory",
      [](auto d) {
        fs::create_directory(d / "scen");
        return Args{"staff", plan(d), "-s", "scen"};
      },
      2, "scen: scenario file: is a directory");

  // Run limits on the command line (usage, 1) and in the scenario file (bad input, 2).
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> limits = {
      {"DaysZero", "--days", "0", "--days must be > 0"},
      {"DaysNegative", "--days", "-3", "--days must be > 0"},
      {"DaysHuge", "--days", "1e12", "--days must be > 0 and <= "},
      {"DaysNaN", "--days", "nan", "--days must be > 0"},
      {"DaysInfinite", "--days", "inf", "--days must be > 0"},
      {"DaysText", "--days", "year", "--days"},
      {"WarmupDaysNegative", "--warmup-days", "-1", "--warmup-days must be >= 0"},
      {"WarmupDaysHuge", "--warmup-days", "1e9", "--warmup-days must be >= 0 and <= "},
      {"ReplicationsZero", "--replications", "0", "--replications must be >= 1"},
      {"ReplicationsNegative", "--replications", "-5", "--replications must be >= 1"},
      {"ReplicationsHuge", "--replications", "2000000000", "--replications must be >= 1 and <= "},
      {"ReplicationsBeyondInt", "--replications", "99999999999", "--replications"},
      {"ReplicationsText", "--replications", "many", "--replications"},
      {"ReplicationsFraction", "--replications", "2.5", "--replications"},
      {"SeedText", "--seed", "lucky", "--seed"},
  };
  for (const auto& [name, flag, value, fragment] : limits) {
    add(
        "Simulate" + name,
        [flag = flag, value = value](auto d) {
          return Args{"simulate", plan(d), flag, value, "--out", "r.gpkg"};
        },
        1, fragment);
  }
  add(
      "CompareDaysHuge",
      [](auto d) {
        return Args{"compare", plan(d), scenario(d, "e"), scenario(d, "f"), "--days", "1e12"};
      },
      1, "--days must be > 0 and <= ");
  add(
      "StaffReplicationsHuge",
      [](auto d) {
        return Args{"staff", plan(d), "--replications", "2000000000"};
      },
      1, "--replications must be >= 1 and <= ");
  const std::vector<std::tuple<std::string, std::string, std::string>> file_limits = {
      {"DaysHuge", "days = 1e12", "simulation.days: must be"},
      {"DaysZero", "days = 0", "simulation.days: must be"},
      {"DaysNaN", "days = nan", "simulation.days: must be"},
      {"DaysText", "days = \"365\"", "simulation.days"},
      {"ReplicationsZero", "replications = 0", "simulation.replications: must be"},
      {"ReplicationsHuge", "replications = 2000000000", "simulation.replications: must be"},
      {"ReplicationsBeyondInt", "replications = 99999999999", "simulation.replications: must be"},
      {"WarmupNegative", "warmup_days = -2", "simulation.warmup_days: must be"},
  };
  for (const auto& [name, line, fragment] : file_limits) {
    add(
        "SimulateScenario" + name,
        [line = line](auto d) {
          return simulate_scenario(d, "name = \"s\"\n[simulation]\n" + line + "\n");
        },
        2, "s.toml: line 3: " + fragment);
  }
  add(
      "SimulateInheritedDaysHuge",
      [](auto d) {
        write(d / "base.toml", "[simulation]\ndays = 1e12\n");
        return simulate_scenario(d, "inherits = \"base.toml\"\nname = \"s\"\n");
      },
      2, "base.toml: line 2: simulation.days: must be");
  return r;
}

class HostileInput : public ::testing::TestWithParam<Row> {};

TEST_P(HostileInput, OneLineRightExitNothingLeftNothingReplaced) {
  const Row& row = GetParam();
  const fs::path dir = gp::testing::temp_dir();
  const Args args = row.make(dir);
  const auto before = gp::testing::snapshot(dir);
  const auto run = run_gridplan(args, dir, 60);
  EXPECT_EQ(run.exit_code, row.exit_code) << run.err;
  const auto lines = run.err_lines();
  ASSERT_EQ(lines.size(), 1u) << "stderr must be one line:\n" << run.err;
  EXPECT_NE(lines[0].find(row.fragment), std::string::npos)
      << "expected '" << row.fragment << "' in: " << lines[0];
  EXPECT_LT(lines[0].size(), 600u) << lines[0];
  EXPECT_EQ(gp::testing::snapshot(dir), before) << "the run changed its folder";
}

INSTANTIATE_TEST_SUITE_P(Rows, HostileInput, ::testing::ValuesIn(rows()),
                         [](const auto& row_info) { return row_info.param.name; });

TEST(HostileInputSuite, HasAtLeastSixtyRows) {
  EXPECT_GE(rows().size(), 60u);
}

} // namespace
