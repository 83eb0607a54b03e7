// The formats Chinese offices' GIS staff ask for, end to end through `gridplan plan`:
// GBK/GB18030 shapefiles with a matching .cpg, counts as integers (estimates rounded, full
// precision in <name>_exact), FlatGeobuf, RFC 7946 GeoJSON in EPSG:4326.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "gis_util.hpp"
#include "gp/geo/io.hpp"

namespace {
namespace fs = std::filesystem;
using gp::gistest::gridplan;
using gp::gistest::slurp;
using nlohmann::json;

/// One demo city and its GeoPackage plan per test program (planning takes a second).
struct Fixture {
  fs::path dir, city, plan;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    x.dir = gp::testing::temp_dir();
    x.city = x.dir / "city.gpkg";
    x.plan = x.dir / "plan.gpkg";
    const auto g = gridplan(
        {"generate", "--households", "4000", "--seed", "5", "--out", x.city.string(), "-q"});
    EXPECT_EQ(g.exit_code, 0) << g.err;
    const auto p = gridplan({"plan", "--city", x.city.string(), "--out", x.plan.string(), "-q"});
    EXPECT_EQ(p.exit_code, 0) << p.err;
    return x;
  }();
  return f;
}

std::string text_of(const gp::geo::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return {};
}

std::vector<std::string> column(const gp::geo::Layer& l, const std::string& field) {
  const int f = l.table.find(field);
  EXPECT_GE(f, 0) << l.name << " has no " << field;
  std::vector<std::string> out;
  if (f >= 0)
    for (const auto& row : l.table.rows) out.push_back(text_of(row[static_cast<std::size_t>(f)]));
  return out;
}

gp::geo::FieldType field_type(const std::string& path, const std::string& layer,
                              const std::string& field) {
  for (const auto& l : gp::geo::list_layers(path, {}))
    if (l.name == layer)
      for (const auto& f : l.fields)
        if (f.name == field) return f.type;
  ADD_FAILURE() << path << ": no field " << layer << "." << field;
  return gp::geo::FieldType::text;
}

bool has_field(const std::string& path, const std::string& layer, const std::string& field) {
  for (const auto& l : gp::geo::list_layers(path, {}))
    if (l.name == layer)
      for (const auto& f : l.fields)
        if (f.name == field) return true;
  return false;
}

TEST(GisFormats, GbkAndGb18030ShapefilesRoundTripChineseNames) {
  const auto& fx = fixture();
  const auto areas = gp::geo::read_layer(fx.plan.string(), "areas");
  const auto names = column(areas, "name");
  ASSERT_FALSE(names.empty());
  bool chinese = false;
  for (const auto& n : names) chinese = chinese || static_cast<unsigned char>(n[0]) >= 0x80;
  ASSERT_TRUE(chinese) << "the demo city's community names are Chinese";
  for (const std::string enc : {"GBK", "GB18030"}) {
    const auto out = gp::testing::temp_dir() / "shp";
    const auto r = gridplan({"plan", "--city", fx.city.string(), "--out", out.string(), "--format",
                             "shp", "--out-encoding", enc, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string cpg = slurp(out / "areas.cpg");
    while (!cpg.empty() && (cpg.back() == '\n' || cpg.back() == '\r')) cpg.pop_back();
    EXPECT_EQ(cpg, enc);
    // The DBF holds the names in the legacy encoding, not in UTF-8.
    const std::string dbf = slurp(out / "areas.dbf");
    for (const auto& n : names)
      if (static_cast<unsigned char>(n[0]) >= 0x80) {
        EXPECT_EQ(dbf.find(n), std::string::npos) << n;
      }
    // Read back (the .cpg tells the reader): the same names.
    const auto back = gp::geo::read_layer((out / "areas.shp").string(), "");
    EXPECT_EQ(column(back, "name"), names) << enc;
  }
}

TEST(GisFormats, CountsAreIntegersWithEstimatesKeptExactAlongside) {
  const auto& fx = fixture();
  // The city gives households as whole numbers (some NULL, to estimate): integers, no _exact.
  EXPECT_EQ(field_type(fx.city.string(), "units", "households"), gp::geo::FieldType::integer);
  EXPECT_FALSE(has_field(fx.city.string(), "units", "households_exact"));
  // The plan's units mix given and estimated households: rounded integers + _exact reals.
  EXPECT_EQ(field_type(fx.plan.string(), "units", "households"), gp::geo::FieldType::integer);
  EXPECT_EQ(field_type(fx.plan.string(), "units", "households_exact"), gp::geo::FieldType::real);
  EXPECT_EQ(field_type(fx.plan.string(), "cells", "households"), gp::geo::FieldType::integer);

  // The values as another GIS sees them (GeoJSON, parsed independently of gridplan).
  const auto out = gp::testing::temp_dir() / "gj";
  ASSERT_EQ(gridplan({"plan", "--city", fx.city.string(), "--out", out.string(), "--format",
                      "geojson", "-q"})
                .exit_code,
            0);
  const json units = json::parse(slurp(out / "units.geojson"));
  std::size_t given = 0, estimated = 0;
  for (const auto& f : units.at("features")) {
    const auto& p = f.at("properties");
    ASSERT_TRUE(p.at("households").is_number_integer()) << p.dump();
    const double exact = p.at("households_exact").get<double>();
    const auto rounded = p.at("households").get<long long>();
    EXPECT_EQ(rounded, std::llround(exact)) << p.dump();
    if (p.at("hh_source") == "given") {
      ++given;
      EXPECT_EQ(static_cast<double>(rounded), exact) << "given counts stay as given";
    } else if (exact != std::round(exact)) {
      ++estimated;
    }
  }
  EXPECT_GT(given, 0u);
  EXPECT_GT(estimated, 0u);
  // gridplan reads the full precision back: plans round-trip exactly.
  const auto back = gp::geo::read_layer(fx.plan.string(), "units");
  EXPECT_LT(back.table.find("households_exact"), 0);
  const int hh = back.table.find("households");
  ASSERT_GE(hh, 0);
  EXPECT_EQ(back.table.fields[static_cast<std::size_t>(hh)].type, gp::geo::FieldType::real);
  std::size_t i = 0;
  for (const auto& f : units.at("features")) {
    const auto* v = std::get_if<double>(&back.table.rows[i++][static_cast<std::size_t>(hh)]);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, f.at("properties").at("households_exact").get<double>());
  }
}

TEST(GisFormats, FlatGeobufHoldsThePlan) {
  const auto& fx = fixture();
  const auto out = gp::testing::temp_dir() / "fgb";
  const auto r = gridplan(
      {"plan", "--city", fx.city.string(), "--out", out.string(), "--format", "fgb", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* layer : {"cells", "units", "areas"}) {
    ASSERT_TRUE(fs::exists(out / (std::string(layer) + ".fgb"))) << layer;
    const auto a = gp::geo::read_layer(fx.plan.string(), layer);
    const auto b = gp::geo::read_layer((out / (std::string(layer) + ".fgb")).string(), "");
    EXPECT_EQ(b.table.rows.size(), a.table.rows.size()) << layer;
    EXPECT_EQ(b.kind, gp::geo::GeometryKind::polygon) << layer;
  }
  // The same cells (FlatGeobuf's spatial index orders features along a Hilbert curve).
  auto codes = [](const gp::geo::Layer& l) {
    const auto c = column(l, "cell_code");
    return std::multiset<std::string>(c.begin(), c.end());
  };
  EXPECT_EQ(codes(gp::geo::read_layer((out / "cells.fgb").string(), "")),
            codes(gp::geo::read_layer(fx.plan.string(), "cells")));
  // A .fgb file holds one layer: a city (several layers) under that name is refused as a
  // usage error, never written as something else.
  const auto one = gp::testing::temp_dir() / "city.fgb";
  EXPECT_EQ(gridplan({"generate", "--households", "1000", "--out", one.string(), "-q"}).exit_code,
            1);
  EXPECT_FALSE(std::filesystem::exists(one));
}

/// Twice the signed area of a ring (> 0: counter-clockwise).
double signed_area2(const json& ring) {
  double s = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
         ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  return s;
}

TEST(GisFormats, Rfc7946GeoJsonIsLongitudeLatitudeWithCounterClockwiseRings) {
  const auto& fx = fixture();
  const auto out = gp::testing::temp_dir() / "rfc";
  ASSERT_EQ(gridplan({"plan", "--city", fx.city.string(), "--out", out.string(), "--format",
                      "geojson", "--rfc7946", "-q"})
                .exit_code,
            0);
  const json cells = json::parse(slurp(out / "cells.geojson"));
  EXPECT_FALSE(cells.contains("crs")) << "RFC 7946 has no crs member: it is always EPSG:4326";
  ASSERT_TRUE(cells.contains("bbox"));
  // The demo city lies on EPSG:4548's central meridian, 117°E, near 39.9°N.
  const auto& bbox = cells["bbox"];
  EXPECT_NEAR(bbox[0].get<double>(), 117.0, 0.5);
  EXPECT_NEAR(bbox[1].get<double>(), 39.9, 0.5);
  for (const auto& f : cells.at("features")) {
    const auto& g = f.at("geometry");
    // GDAL writes one-part multipolygons as Polygon.
    ASSERT_TRUE(g.at("type") == "MultiPolygon" || g.at("type") == "Polygon") << g.at("type");
    const json polys =
        g.at("type") == "Polygon" ? json::array({g.at("coordinates")}) : g.at("coordinates");
    for (const auto& poly : polys) {
      EXPECT_GT(signed_area2(poly[0]), 0) << "outer ring clockwise";
      for (std::size_t h = 1; h < poly.size(); ++h) EXPECT_LT(signed_area2(poly[h]), 0);
      for (const auto& p : poly[0]) {
        EXPECT_NEAR(p[0].get<double>(), 117.0, 0.5);
        EXPECT_NEAR(p[1].get<double>(), 39.9, 0.5);
      }
    }
  }
  // Without --rfc7946: GDAL's default GeoJSON with the source CRS named and in metres.
  const auto plain = gp::testing::temp_dir() / "plain";
  ASSERT_EQ(gridplan({"plan", "--city", fx.city.string(), "--out", plain.string(), "--format",
                      "geojson", "-q"})
                .exit_code,
            0);
  const json c2 = json::parse(slurp(plain / "cells.geojson"));
  EXPECT_TRUE(c2.contains("crs"));
  EXPECT_GT(c2["features"][0]["geometry"]["coordinates"][0][0][0][0].get<double>(), 1000);
}

TEST(GisFormats, OutputOptionsThatDoNotFitTheFormatAreUsageErrors) {
  const auto& fx = fixture();
  const auto out = gp::testing::temp_dir();
  const std::vector<std::vector<std::string>> bad = {
      {"--out", (out / "a.gpkg").string(), "--out-encoding", "GBK"},
      {"--out", (out / "b.shp").string(), "--rfc7946"},
      {"--out", (out / "c.gpkg").string(), "--schema", "s"},
      {"--out", (out / "d.gpkg").string(), "--table-prefix", "p_"},
      {"--out", (out / "e.gpkg").string(), "--format", "pg"},
      {"--out", (out / "f").string(), "--format", "shp", "--out-encoding", "latin-9"},
  };
  for (auto args : bad) {
    args.insert(args.begin(), {"plan", "--city", fx.city.string()});
    const auto r = gridplan(args);
    EXPECT_EQ(r.exit_code, 1) << args.back() << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(out / "a.gpkg"));
}

} // namespace
